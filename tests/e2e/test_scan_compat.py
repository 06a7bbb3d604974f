"""`tlsdiag scan` ends with a device compatibility section: every built-in
profile, pass or fail and a one-line reason, from the same rules as check."""

import json
import subprocess

import peers
from checkrun import SEED_CIPHERS, TLSDIAG


def scan_json(target):
    r = subprocess.run([TLSDIAG, "scan", "--json", target], capture_output=True, text=True, timeout=120)
    assert r.returncode in (0, 1), (r.returncode, r.stderr)
    return json.loads(r.stdout)


def test_seed_server_matrix(tmp_path):
    cert, key = peers.make_cert(str(tmp_path), name="localhost")
    with peers.openssl_server(str(tmp_path / "s"), cert, key, ["-tls1_2", "-cipher", SEED_CIPHERS]) as srv:
        doc = scan_json(srv.target)
        rows = {r["device"]: r for r in doc["compatibility"]}
        assert set(r["verdict"] for r in rows.values()) <= {"pass", "fail", "unknown"}
        x = rows["xbee3-cellular-ltem"]
        assert x["verdict"] == "fail" and x["id"] == "check.no-common-suite"
        assert "TLS_RSA_WITH_AES_256_CBC_SHA (AES256-SHA)" in x["reason"]
        assert rows["nrf91"]["verdict"] == "pass"  # it offers ECDHE-RSA suites
        r = subprocess.run([TLSDIAG, "scan", srv.target], capture_output=True, text=True, timeout=120)
        assert "Device compatibility" in r.stdout
        assert "xbee3-cellular-ltem" in r.stdout


def test_fixed_server_matrix(tmp_path):
    cert, key = peers.make_cert(str(tmp_path), name="localhost")
    args = ["-tls1_2", "-cipher", SEED_CIPHERS + ":AES256-SHA"]
    with peers.openssl_server(str(tmp_path / "s"), cert, key, args) as srv:
        rows = {r["device"]: r for r in scan_json(srv.target)["compatibility"]}
        assert rows["xbee3-cellular-ltem"]["verdict"] == "pass"
        assert "TLS_RSA_WITH_AES_256_CBC_SHA" in rows["xbee3-cellular-ltem"]["reason"]


def test_tls13_only_matrix(tmp_path):
    cert, key = peers.make_cert(str(tmp_path), name="localhost")
    with peers.openssl_server(str(tmp_path / "s"), cert, key, ["-tls1_3"]) as srv:
        rows = {r["device"]: r for r in scan_json(srv.target)["compatibility"]}
        assert rows["xbee3-cellular-ltem"]["id"] == "check.no-common-version"
        assert rows["sara-r4"]["verdict"] == "fail"
