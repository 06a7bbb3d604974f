"""The seed thread reproduced against real servers: an ECDHE/DHE-only
server and the XBee3 LTE-M profile (no common suite, and the fix names
TLS_RSA_WITH_AES_256_CBC_SHA with config lines that keep the server's
suites), then the same server with AES256-SHA added (it passes)."""

import pytest

import peers
from checkrun import SEED_CIPHERS, XBEE, check, check_text

SEED_IANA = ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
             "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
             "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
             "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"]


@pytest.fixture(scope="module")
def seed_cert(pki):
    # Like apache-selfsigned.crt: self-signed, an IP address as CN, no SAN.
    return pki.self_signed(cn="127.0.0.1")


def assert_no_common_suite(c, kept=SEED_CIPHERS.split(":"), iana=SEED_IANA):
    assert c.rc == 1, c
    assert c.doc["verdict"] == "fail"
    assert c.doc["cause_id"] == "check.no-common-suite", c
    f = c.finding("check.no-common-suite")
    assert "TLS_RSA_WITH_AES_256_CBC_SHA (AES256-SHA)" in f["cause"]
    assert "TX Status 0x85" in c.doc["device_reports"]
    apache = c.fix("check.no-common-suite", "apache")
    nginx = c.fix("check.no-common-suite", "nginx")
    haproxy = c.fix("check.no-common-suite", "haproxy")
    assert apache.startswith("SSLCipherSuite ")
    assert nginx.startswith("ssl_ciphers '") and nginx.endswith("';")
    assert haproxy.startswith("ssl-default-bind-ciphers ")
    # The lines keep every suite the server has and add the device's.
    listed = apache.split(" ", 1)[1].split(":")
    for name in kept:
        assert name in listed, (name, apache)
    assert "AES256-SHA" in listed
    for name in iana:
        assert name in f["evidence"]
    # The device's ClientHello was refused before any certificate.
    kinds = [e["kind"] for e in c.doc["transcript"]]
    assert "alert" in kinds and "handshake_failure" in c.doc["transcript"][kinds.index("alert")]["what"]
    assert c.doc["negotiated"] is None
    return apache


def test_apache_seed_no_common_suite(tmp_path, seed_cert):
    with peers.apache_server(str(tmp_path / "apache"), seed_cert.cert, seed_cert.key, protocol="-all +TLSv1.2",
                             ciphers=SEED_CIPHERS, honor_order=True) as srv:
        c = check(srv.target)
        apache = assert_no_common_suite(c)
        # Server order is honoured: the suites keep the server's order.
        assert apache.split(" ", 1)[1].startswith(SEED_CIPHERS)
        with open(srv.log) as f:
            log = f.read()
        assert "AH02645" in log  # Apache saw no SNI, as in the seed's log


def test_apache_seed_fixed(tmp_path, seed_cert):
    with peers.apache_server(str(tmp_path / "apache"), seed_cert.cert, seed_cert.key, protocol="-all +TLSv1.2",
                             ciphers=SEED_CIPHERS + ":AES256-SHA", honor_order=True) as srv:
        c = check(srv.target)
        assert c.rc == 0, c
        assert c.doc["verdict"] == "pass"
        assert c.doc["negotiated"]["suite"]["iana"] == "TLS_RSA_WITH_AES_256_CBC_SHA"
        assert c.doc["negotiated"]["completed"] is True
        assert "check.handshake-ok" in c.ids
        # Level 0 (no CA file): a warning that the server is not authenticated, and what the CA file must be.
        f = c.finding("check.no-validation")
        assert "CA file must be that certificate itself" in c.fix("check.no-validation", "device")


def test_openssl_seed_and_fix(tmp_path, seed_cert):
    args = ["-tls1_2", "-cipher", SEED_CIPHERS]
    with peers.openssl_server(str(tmp_path / "s1"), seed_cert.cert, seed_cert.key, args) as srv:
        assert_no_common_suite(check(srv.target))
    args = ["-tls1_2", "-cipher", SEED_CIPHERS + ":AES256-SHA"]
    with peers.openssl_server(str(tmp_path / "s2"), seed_cert.cert, seed_cert.key, args) as srv:
        c = check(srv.target)
        assert c.rc == 0, c


def test_nginx_seed(tmp_path, seed_cert):
    servers = [{"cert": seed_cert.cert, "key": seed_cert.key, "default": True, "protocols": "TLSv1.2",
                "ciphers": SEED_CIPHERS}]
    with peers.nginx_server(str(tmp_path / "nginx"), servers) as srv:
        # nginx has no DH parameters unless ssl_dhparam is set: it serves only the ECDHE half.
        ecdhe = [n for n in SEED_CIPHERS.split(":") if n.startswith("ECDHE")]
        c = check(srv.target)
        assert_no_common_suite(c, kept=ecdhe, iana=[n for n in SEED_IANA if "ECDHE" in n])
        assert "DHE-RSA-AES256-SHA256" not in c.fix("check.no-common-suite", "nginx")


def test_gnutls_seed(tmp_path, seed_cert):
    prio = ("NONE:+VERS-TLS1.2:+ECDHE-RSA:+DHE-RSA:+AES-256-GCM:+AES-128-GCM:+AES-256-CBC:+AEAD:+SHA1:+SHA256:"
            "+SHA384:+SIGN-ALL:+COMP-NULL:+GROUP-ALL")
    with peers.gnutls_server(str(tmp_path / "gnutls"), seed_cert.cert, seed_cert.key, priority=prio) as srv:
        c = check(srv.target)
        assert c.rc == 1, c
        assert c.doc["cause_id"] == "check.no-common-suite", c


def test_text_output(tmp_path, seed_cert):
    args = ["-tls1_2", "-cipher", SEED_CIPHERS]
    with peers.openssl_server(str(tmp_path / "s"), seed_cert.cert, seed_cert.key, args) as srv:
        r = check_text(srv.target)
        assert r.returncode == 1
        out = r.stdout
        assert out.startswith("tlsdiag check 127.0.0.1:")
        assert "FAIL  no common cipher suite" in out
        assert "the device would report: TX Status 0x85 (Unknown error)" in out
        assert "ClientHello: up to TLS 1.2, 2 suites, no SNI" in out
        assert "<== fails here" in out
        assert "SSLCipherSuite " in out and "ssl_ciphers '" in out
        assert "\x1b[" not in out  # no colour when not a tty
