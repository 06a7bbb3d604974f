"""Fixtures shared by the end-to-end tests."""
import pytest

from pki import Pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A fresh PKI folder per test module (tests/e2e/pki.py); files are made on demand."""
    return Pki(tmp_path_factory.mktemp("pki"))
