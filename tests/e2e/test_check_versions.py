"""Protocol version and key type: a TLS 1.3-only server (the version
finding) and an ECDSA-only certificate against RSA-only devices (the key
finding, not a generic suite mismatch)."""

import pytest

import peers
from checkrun import check


def test_tls13_only_openssl(tmp_path, pki):
    cert = pki.self_signed(cn="localhost", sans=["localhost"], name="t13")
    with peers.openssl_server(str(tmp_path / "s"), cert.cert, cert.key, ["-tls1_3"]) as srv:
        c = check(srv.target)
        assert c.rc == 1, c
        assert c.doc["cause_id"] == "check.no-common-version", c
        f = c.finding("check.no-common-version")
        assert "the server accepts: TLS 1.3" in f["evidence"]
        assert "protocol_version" in f["evidence"]
        assert c.fix("check.no-common-version", "nginx") == "ssl_protocols TLSv1.3 TLSv1.2;"
        assert "check.no-common-suite" not in c.ids


def test_tls13_only_nginx(tmp_path, pki):
    cert = pki.self_signed(cn="localhost", sans=["localhost"], name="t13n")
    servers = [{"cert": cert.cert, "key": cert.key, "default": True, "protocols": "TLSv1.3"}]
    with peers.nginx_server(str(tmp_path / "nginx"), servers) as srv:
        c = check(srv.target)
        assert c.doc["cause_id"] == "check.no-common-version", c


@pytest.mark.parametrize("device", ["xbee3-cellular-ltem", "sara-r4"])
def test_ecdsa_only_certificate(tmp_path, pki, device):
    ec = pki.self_signed(cn="localhost", sans=["localhost"], key="ec256", name="ec-" + device)
    # The server would accept AES256-SHA, but it has no RSA key to use it with.
    args = ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:AES256-SHA:AES128-SHA"]
    with peers.openssl_server(str(tmp_path / "s"), ec.cert, ec.key, args) as srv:
        c = check(srv.target, device=device)
        assert c.rc == 1, c
        assert c.doc["cause_id"] == "check.key-unsupported", c
        f = c.finding("check.key-unsupported")
        assert "ECDSA" in f["cause"] and "RSA certificate" in f["cause"]
        assert "check.no-common-suite" not in c.ids
        assert "ssl_certificate" in c.fix("check.key-unsupported", "nginx")


def test_ecdsa_server_ecdsa_device_passes(tmp_path, pki):
    ec = pki.self_signed(cn="localhost", sans=["localhost"], key="ec256", name="ec-nrf")
    args = ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256"]
    with peers.openssl_server(str(tmp_path / "s"), ec.cert, ec.key, args) as srv:
        c = check(srv.target, device="nrf91")
        assert c.rc == 0, c
        assert c.doc["negotiated"]["suite"]["iana"].startswith("TLS_ECDHE_ECDSA_")
