"""Certificates as the device judges them: a CN longer than 31 characters
(the SARA-R410 limit), and the seed's self-signed IP-as-CN certificate with
and without the CA file, at each validation level."""

import json
import os
import subprocess

import pytest

import peers
from checkrun import TLSDIAG, check

CIPHERS = ["-tls1_2", "-cipher", "AES256-SHA:AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256"]


@pytest.mark.parametrize("device", ["sara-r4", "xbee3-cellular-ltem"])
def test_cn_longer_than_31(tmp_path, pki, device):
    long_cn = "a-rather-long-name.devices.example.com"  # 38 characters
    cert = pki.self_signed(cn=long_cn, sans=[long_cn], name="long-" + device)
    with peers.openssl_server(str(tmp_path / "s"), cert.cert, cert.key, CIPHERS) as srv:
        c = check(srv.target, device=device)
        assert c.rc == 1, c
        assert c.doc["cause_id"] == "check.cn-too-long", c
        f = c.finding("check.cn-too-long")
        assert "38 characters" in f["cause"] and "more than 31" in f["cause"]
        assert "31" in f["source"] or "p=101" in f["source"]


def test_cn_of_31_passes(tmp_path, pki):
    cn = "abcdefghij.devices.example.com1"[:31]
    cert = pki.self_signed(cn=cn, sans=[cn], name="cn31")
    with peers.openssl_server(str(tmp_path / "s"), cert.cert, cert.key, CIPHERS) as srv:
        c = check(srv.target, device="sara-r4")
        assert c.rc == 0, c
        assert "check.cn-too-long" not in c.ids


@pytest.fixture(scope="module")
def ip_cert(pki):
    return pki.self_signed(cn="127.0.0.1", name="seed-ip")  # no SAN, like apache-selfsigned.crt


@pytest.fixture
def ip_server(tmp_path, ip_cert):
    with peers.openssl_server(str(tmp_path / "s"), ip_cert.cert, ip_cert.key, CIPHERS) as srv:
        yield srv


def test_ip_cn_without_ca_file(ip_server):
    # The XBee's default (AT$0 ";;"): level 0, encrypted but not authenticated.
    c = check(ip_server.target)
    assert c.rc == 0, c
    assert c.doc["device_settings"]["level"] == 0
    assert "check.no-validation" in c.ids
    # Level 1 demanded without a CA file: nothing to validate against.
    c = check(ip_server.target, "--level", "1")
    assert c.rc == 1, c
    assert c.doc["cause_id"] == "check.cert-untrusted"
    assert "no CA file" in c.finding("check.cert-untrusted")["evidence"] or "none" in c.finding(
        "check.cert-untrusted")["evidence"]


@pytest.mark.parametrize("level", [1, 2, 3])
def test_ip_cn_with_its_ca_file_by_ip(ip_server, ip_cert, level):
    # Connecting by IP: at level 2 the CN (an IP) equals the host, as the u-blox manual words the check.
    c = check(ip_server.target, "--ca", ip_cert.cert, "--level", level)
    assert c.rc == 0, c
    assert "check.cert-accepted" in c.ids
    assert c.doc["device_settings"]["level"] == level


def test_ip_cn_by_name_at_level_2(ip_server, ip_cert):
    target = "localhost:%d" % ip_server.port
    c = check(target, "--ca", ip_cert.cert, "--level", "1")
    assert c.rc == 0, c
    c = check(target, "--ca", ip_cert.cert, "--level", "2")
    assert c.rc == 1, c
    assert c.doc["cause_id"] == "check.cert-name-mismatch"
    assert "the CN is an IP address" in c.finding("check.cert-name-mismatch")["cause"]


@pytest.mark.parametrize("level", [1, 2, 3])
def test_ip_cn_with_another_ca_file(ip_server, pki, level):
    other = pki.other_ca()
    c = check(ip_server.target, "--ca", other.cert, "--level", level)
    assert c.rc == 1, c
    assert c.doc["cause_id"] == "check.cert-untrusted"
    assert "self-signed: the CA file must be that certificate itself" in c.fix("check.cert-untrusted", "device")


def test_expired_only_fails_at_level_3(tmp_path, pki):
    cert = pki.expired(cn="localhost", sans=["localhost", "127.0.0.1"])
    root = pki.root()
    with peers.openssl_server(str(tmp_path / "s"), cert.cert, cert.key, CIPHERS) as srv:
        target = "localhost:%d" % srv.port
        for level in (1, 2):
            c = check(target, "--ca", root.cert, "--level", level)
            assert c.rc == 0, (level, c)
        c = check(target, "--ca", root.cert, "--level", "3")
        assert c.rc == 1, c
        assert c.doc["cause_id"] == "check.cert-expired"


def test_not_yet_valid_at_level_3(tmp_path, pki):
    cert = pki.not_yet_valid(cn="localhost", sans=["localhost", "127.0.0.1"])
    with peers.openssl_server(str(tmp_path / "s"), cert.cert, cert.key, CIPHERS) as srv:
        c = check("localhost:%d" % srv.port, "--ca", pki.root().cert, "--level", "3")
        assert c.doc["cause_id"] == "check.cert-not-yet-valid", c


def test_client_certificate_required(tmp_path, pki):
    server = pki.leaf(cn="localhost", sans=["localhost", "127.0.0.1"], name="mtls-server")
    client = pki.leaf(cn="device-0001", sans=["device-0001"], name="mtls-client")
    args = CIPHERS + ["-Verify", "1", "-CAfile", pki.root().cert]
    with peers.openssl_server(str(tmp_path / "s"), server.cert, server.key, args) as srv:
        c = check(srv.target)
        assert c.rc == 1, c
        assert c.doc["cause_id"] == "check.client-cert-required", c
        assert any("CertificateRequest" in e["what"] for e in c.doc["transcript"])
        c = check(srv.target, "--client-cert", client.cert, "--client-key", client.key)
        assert c.rc == 0, c
        assert "check.client-cert-required" not in c.ids


@pytest.fixture(scope="module")
def san_only_cert(pki):
    # The name is in the subjectAltName only; the CN is another name.
    return pki.self_signed(cn="other.example", sans=["localhost"], name="san-only")


def _name_check_profile(tmp_path, value):
    # sara-r4 with validation.cn_only_name_check replaced.
    src = os.path.join(os.environ.get("TD_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "../..")),
                       "profiles", "sara-r4.json")
    with open(src) as f:
        doc = json.load(f)
    doc["validation"]["cn_only_name_check"] = {"value": value, "source": "test: replaced"}
    path = tmp_path / "sara-r4-namecheck.json"
    path.write_text(json.dumps(doc))
    return str(path)


def test_name_check_follows_the_profile(tmp_path, san_only_cert):
    with peers.openssl_server(str(tmp_path / "s"), san_only_cert.cert, san_only_cert.key, CIPHERS) as srv:
        target = "localhost:%d" % srv.port
        # sara-r4 documents a CN-only check: the SAN does not help.
        c = check(target, "--ca", san_only_cert.cert, "--level", "2", device="sara-r4")
        assert c.rc == 1, c
        assert c.doc["cause_id"] == "check.cert-name-mismatch", c
        assert any("as the profile states" in a for a in c.doc["assumptions"]), c.doc["assumptions"]
        assert "marks unknown" not in c.finding("check.cert-name-mismatch")["evidence"]
        # The XBee's name check is unknown: judged on the CN, and the verdict says it rests on that.
        c = check(target, "--ca", san_only_cert.cert, "--level", "2")
        assert c.rc == 1, c
        ev = c.finding("check.cert-name-mismatch")["evidence"]
        assert "validation.cn_only_name_check" in ev and "marks unknown" in ev
        # A profile that says the check is the standard one: the SAN matches, the device connects.
        r = subprocess.run([TLSDIAG, "check", target, "--device-file", _name_check_profile(tmp_path, False), "--ca",
                            san_only_cert.cert, "--level", "2", "--json", "-q", "--timeout", "4000"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, (r.stdout, r.stderr)
        d = json.loads(r.stdout)
        assert "check.cert-name-mismatch" not in [f["id"] for f in d["findings"]]
        assert any("standard check" in a for a in d["assumptions"]), d["assumptions"]
