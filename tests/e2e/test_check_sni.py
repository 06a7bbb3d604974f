"""SNI with real nginx: a server that requires SNI (ssl_reject_handshake on
its default server) and one whose default certificate is not the one for
the device's name. The XBee sends no SNI."""

import pytest

import peers
from checkrun import check

CIPHERS = "ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA"


def test_sni_required(tmp_path, pki):
    named = pki.self_signed(cn="localhost", sans=["localhost"], name="named")
    servers = [{"reject": True, "default": True},
               {"server_name": "localhost", "cert": named.cert, "key": named.key, "protocols": "TLSv1.2",
                "ciphers": CIPHERS}]
    with peers.nginx_server(str(tmp_path / "nginx"), servers, extra_http="ssl_ciphers %s;" % CIPHERS) as srv:
        c = check("localhost:%d" % srv.port)
        assert c.rc == 1, c
        assert c.doc["cause_id"] == "check.sni-required", c
        f = c.finding("check.sni-required")
        assert "without SNI: the handshake fails" in f["evidence"]
        assert 'with SNI "localhost": the handshake completes' in f["evidence"]
        assert "default_server" in c.fix("check.sni-required", "nginx")
        assert c.doc["device_settings"]["sni_sent"] is None
        # The same device configured to send SNI gets through.
        c2 = check("localhost:%d" % srv.port, "--sni", "localhost")
        assert c2.rc == 0, c2
        assert c2.doc["device_settings"]["sni_sent"] == "localhost"
        assert "check.sni-required" not in c2.ids


def test_default_certificate_without_sni(tmp_path, pki):
    default = pki.self_signed(cn="default.invalid", sans=["default.invalid"], name="default")
    named = pki.self_signed(cn="localhost", sans=["localhost"], name="named2")
    servers = [{"default": True, "cert": default.cert, "key": default.key, "ciphers": CIPHERS},
               {"server_name": "localhost", "cert": named.cert, "key": named.key, "ciphers": CIPHERS}]
    with peers.nginx_server(str(tmp_path / "nginx"), servers) as srv:
        target = "localhost:%d" % srv.port
        # The device trusts the certificate of its name, but gets the default one.
        c = check(target, "--ca", named.cert)
        assert c.rc == 1, c
        assert "check.sni-default-cert" in c.ids, c
        assert "check.cert-untrusted" in c.ids, c
        f = c.finding("check.sni-default-cert")
        assert "CN=default.invalid" in f["evidence"] and "CN=localhost" in f["evidence"]
        assert f["severity"] == "error"
        # At level 2 with the default certificate's own CA: the name is the problem.
        c = check(target, "--ca", default.cert, "--level", "2")
        assert c.rc == 1, c
        assert c.doc["cause_id"] == "check.sni-default-cert", c
        assert "check.cert-name-mismatch" in c.ids
        assert "default.invalid" in c.finding("check.cert-name-mismatch")["cause"]
        # Without validation (level 0) the default certificate does not stop the device: a warning.
        c = check(target)
        assert c.rc == 0, c
        assert c.finding("check.sni-default-cert")["severity"] == "warning"
