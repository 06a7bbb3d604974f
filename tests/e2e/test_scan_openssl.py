"""`tlsdiag scan` against openssl s_server with chosen suites, versions,
groups, preference order and an SNI vhost: the findings must be exactly what
the server is configured for (the expected suites come from `openssl
ciphers -V -s` for the configured string, i.e. what this OpenSSL enables)."""
import os
import tempfile

import pytest

import peers
from scanlib import codes, hexes, scan, scan_text, supported

TLS13_DEFAULT = [0x1302, 0x1303, 0x1301]  # OpenSSL's default TLS 1.3 ciphersuites


@pytest.fixture(scope="module")
def tmp():
    with tempfile.TemporaryDirectory(prefix="td-scan-openssl-") as d:
        yield d


@pytest.fixture(scope="module")
def rsa(tmp):
    return peers.make_cert(os.path.join(tmp, "pki"), "localhost", "rsa")


@pytest.fixture(scope="module")
def ec(tmp):
    return peers.make_cert(os.path.join(tmp, "pki"), "vhost.test", "ec")


def test_tls12_only_exact_suites_client_order(tmp, rsa):
    spec = "AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:AES128-GCM-SHA256"
    want = peers.openssl_ciphers(spec, "-tls1_2")
    with peers.openssl_server(os.path.join(tmp, "a"), *rsa, ["-tls1_2", "-cipher", spec]) as srv:
        j = scan(srv.target)
    assert j["schema"] == "tlsdiag.scan/1" and j["status"] == "ok"
    assert j["sni"]["name"] is None  # an IP target: never an IP literal as SNI
    assert j["sni"]["modes"] == ["none", "unknown"]
    v = j["views"]["none"]
    assert supported(v) == {"tls1_2"}
    assert hexes(codes(v, "tls1_2")) == hexes(want)
    assert v["protocols"]["tls1_2"]["order"] == "client"
    assert j["sslv2"] == "no"
    # the DHE suite carries its group size, the ECDHE one its curve
    by_code = {int(s["code"], 16): s for s in v["protocols"]["tls1_2"]["suites"]}
    assert by_code[0x009F]["dh_bits"] >= 2048
    assert by_code[0xC02F]["group"] == "x25519"
    assert j["groups"]["dhe_bits"] and j["groups"]["ecdhe"][0] == "x25519"
    assert j["connections"] > 0 and j["elapsed_ms"] >= 0
    assert v["certificate"]["ok"] and v["certificate"]["key_type"] == "RSA"
    assert v["certificate"]["key_bits"] == 2048 and v["certificate"]["subject"] == "CN = localhost"
    assert v["certificate"]["chain_count"] == 1 and v["certificate"]["chain_bytes"] > 500
    assert v["observations"] == []
    # OpenSSL 3.0 honours max_fragment_length and has no record_size_limit:
    # one probe asked for both and answers both
    x = j["extensions"]
    assert x["probed"] and x["max_fragment_length"] == "yes" and x["record_size_limit"] == "no"
    assert x["extended_master_secret"] == "yes" and x["secure_renegotiation"] == "yes"


def test_server_order_is_reported_in_order(tmp, rsa):
    spec = "ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-SHA256:AES256-GCM-SHA384"
    want = peers.openssl_ciphers(spec, "-tls1_2")
    with peers.openssl_server(os.path.join(tmp, "b"), *rsa, ["-tls1_2", "-cipher", spec, "-serverpref"]) as srv:
        j = scan(srv.target, "--no-sni-table")
    v = j["views"]["none"]
    assert v["protocols"]["tls1_2"]["order"] == "server"
    assert v["protocols"]["tls1_2"]["order_complete"] is True
    assert codes(v, "tls1_2") == want  # exactly, and in the server's order


def test_tls13_suites_and_groups(tmp, rsa):
    suites = "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
    with peers.openssl_server(os.path.join(tmp, "c"), *rsa,
                              ["-tls1_3", "-ciphersuites", suites, "-groups", "P-256:X25519:ffdhe2048"]) as srv:
        j = scan(srv.target, "--no-sni-table")
    v = j["views"]["none"]
    assert supported(v) == {"tls1_3"}
    assert hexes(codes(v, "tls1_3")) == hexes([0x1302, 0x1303])
    assert sorted(j["groups"]["tls1_3"]) == sorted(["secp256r1", "x25519", "ffdhe2048"])
    assert j["groups"]["ecdhe"] is None  # no TLS <= 1.2
    assert j["extensions"]["probed"] is False
    # s_server answers our FIN after a HelloRetryRequest with a decode_error
    # alert: that answers the FIN, not the hello, and is no observation
    assert j["half_close"] is True
    assert [o for o in v["observations"] if o["kind"] == "alert_after_server_hello"] == []
    # the certificate comes through OpenSSL even though TLS 1.3 encrypts it
    assert v["certificate"]["ok"] and v["certificate"]["protocol"] == "TLS 1.3"


def test_client_certificate_requested(tmp, rsa):
    """A server that asks for a client certificate (mutual TLS, as IoT
    brokers do): still scanned exactly, and the request is reported with the
    CA names it gave - over TLS 1.3 (the request is encrypted: seen by the
    OpenSSL fetch) and TLS 1.2 (seen in the probes' cleartext flight)."""
    cert, _ = rsa
    spec = "ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA"
    want = peers.openssl_ciphers(spec, "-tls1_2")
    with peers.openssl_server(os.path.join(tmp, "mtls13"), *rsa,
                              ["-cipher", spec, "-Verify", "1", "-CAfile", cert]) as srv:
        j = scan(srv.target, "--no-sni-table")
    v = j["views"]["none"]
    assert supported(v) == {"tls1_2", "tls1_3"}
    assert hexes(codes(v, "tls1_2")) == hexes(want)
    c = v["certificate"]
    assert c["protocol"] == "TLS 1.3"
    assert c["client_certificate"] == {"requested": "yes", "ca_count": 1, "cas": "CN = localhost"}

    with peers.openssl_server(os.path.join(tmp, "mtls12"), *rsa, ["-tls1_2", "-cipher", spec, "-verify", "1"]) as srv:
        j = scan(srv.target, "--no-sni-table")
        text = scan_text(srv.target, "--no-sni-table")
    c = j["views"]["none"]["certificate"]
    assert c["protocol"] == "TLS 1.2"
    assert c["client_certificate"] == {"requested": "yes", "ca_count": 0, "cas": None}
    assert "client cert REQUESTED by the server (no CA names given)" in text
    assert "The server asks for a client certificate: a device without one connects only if" in text


def test_client_certificate_not_requested(tmp, rsa):
    with peers.openssl_server(os.path.join(tmp, "nomtls"), *rsa, ["-tls1_2"]) as srv:
        j = scan(srv.target, "--no-sni-table")
    assert j["views"]["none"]["certificate"]["client_certificate"]["requested"] == "no"


def test_suite_strength_is_reported(tmp, rsa):
    """Each suite says how well it protects the connection: an anonymous
    suite is insecure (and the text says why), a static-RSA suite is OK
    without forward secrecy; a 1024-bit DHE group is flagged."""
    spec = "ADH-AES128-SHA:AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0"
    want = peers.openssl_ciphers(spec, "-tls1_2")
    with peers.openssl_server(os.path.join(tmp, "weak"), *rsa, ["-tls1_2", "-cipher", spec]) as srv:
        j = scan(srv.target, "--no-sni-table")
        text = scan_text(srv.target, "--no-sni-table")
    v = j["views"]["none"]
    assert hexes(codes(v, "tls1_2")) == hexes(want)
    by = {int(s["code"], 16): s for s in v["protocols"]["tls1_2"]["suites"]}
    assert by[0x0034]["strength"] == "insecure" and "anonymous" in by[0x0034]["strength_why"]
    assert by[0x002F]["strength"] == "ok" and by[0x002F]["strength_why"] is None and by[0x002F]["pfs"] is False
    assert by[0xC02F]["strength"] == "ok" and by[0xC02F]["pfs"] is True
    assert "insecure: no server authentication (anonymous)" in text
    # s_server's automatic DH group at security level 0 is 1024 bits (OpenSSL 3.0)
    assert by[0x0034]["dh_bits"] == 1024
    assert "DHE group size: 1024 bits  weak: below 2048 bits (Logjam)" in text


def test_legacy_tls10_3des(tmp, rsa):
    spec = "DES-CBC3-SHA:AES128-SHA:@SECLEVEL=0"
    want = peers.openssl_ciphers(spec, "-tls1")
    with peers.openssl_server(os.path.join(tmp, "d"), *rsa, ["-tls1", "-cipher", spec]) as srv:
        j = scan(srv.target, "--no-sni-table")
    v = j["views"]["none"]
    assert supported(v) == {"tls1_0"}
    assert hexes(codes(v, "tls1_0")) == hexes(want)


def test_sni_vhost_per_suite_and_certificate_differences(tmp, rsa, ec):
    # RSA default certificate, an ECDSA one for vhost.test: the suites differ with the certificate
    spec = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA"
    with peers.openssl_server(os.path.join(tmp, "e"), *rsa, ["-tls1_2", "-cipher", spec],
                              servername="vhost.test", cert2=ec[0], key2=ec[1]) as srv:
        j = scan(srv.target, "--sni", "vhost.test")
        text = scan_text(srv.target, "--sni", "vhost.test")
    assert j["sni"]["name"] == "vhost.test" and j["sni"]["modes"] == ["name", "none", "unknown"]
    name, none, unknown = (j["views"][k] for k in ("name", "none", "unknown"))
    assert hexes(codes(name, "tls1_2")) == hexes([0xC02B])
    assert hexes(codes(none, "tls1_2")) == hexes([0xC02F, 0x002F])
    assert hexes(codes(unknown, "tls1_2")) == hexes([0xC02F, 0x002F])
    t = j["sni_table"]
    assert t["sni_required"] == "no"
    assert t["different_certificate"] == "yes"
    assert name["certificate"]["key_type"] == "EC" and none["certificate"]["key_type"] == "RSA"
    diffs = {(d["between"][0], d["between"][1], d["code"], d["only_in"]) for d in t["differences"]}
    assert diffs == {
        ("name", "none", "0xC02B", "name"), ("name", "none", "0xC02F", "none"), ("name", "none", "0x002F", "none"),
        ("name", "unknown", "0xC02B", "name"), ("name", "unknown", "0xC02F", "unknown"),
        ("name", "unknown", "0x002F", "unknown"),
    }
    assert "different certificate" in text and "connections in" in text
    # s_server warns (unrecognized_name) for a name it does not know, then goes on
    warn = [o for o in unknown["observations"] if o["kind"] == "warning_alert"]
    assert warn and "unrecognized_name" in warn[0]["detail"]
    assert not [o for o in name["observations"] if o["kind"] == "warning_alert"]


def test_no_sni_flag_scans_only_without_sni(tmp, rsa, ec):
    with peers.openssl_server(os.path.join(tmp, "f"), *rsa, ["-tls1_2"], servername="vhost.test",
                              cert2=ec[0], key2=ec[1]) as srv:
        j = scan("localhost:%d" % srv.port, "-4", "--no-sni")
    assert j["sni"]["modes"] == ["none"]
    assert j["views"]["none"]["certificate"]["subject"] == "CN = localhost"


def test_sni_ip_literal_refused():
    j = None
    import subprocess
    from scanlib import TLSDIAG
    r = subprocess.run([TLSDIAG, "scan", "--sni", "10.1.2.3", "127.0.0.1:1"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=10)
    assert r.returncode == 2 and b"RFC 6066" in r.stderr and r.stdout == b""
    assert j is None
