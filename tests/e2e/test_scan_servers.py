"""`tlsdiag scan` against nginx (SNI required; a different default
certificate), apache2 configured like the seed thread's server (ECDHE/DHE
only) and gnutls-serv. Every assertion is the server's configuration: the
expected suites come from `openssl ciphers -V -s` / `gnutls-cli -l` for the
configured strings."""
import os
import tempfile

import pytest

import peers
from scanlib import codes, hexes, scan, supported

TLS13_DEFAULT = [0x1301, 0x1302, 0x1303]


@pytest.fixture(scope="module")
def tmp():
    with tempfile.TemporaryDirectory(prefix="td-scan-servers-") as d:
        os.chmod(d, 0o755)
        yield d


@pytest.fixture(scope="module")
def rsa(tmp):
    return peers.make_cert(os.path.join(tmp, "pki"), "localhost", "rsa")


@pytest.fixture(scope="module")
def ec_default(tmp):
    return peers.make_cert(os.path.join(tmp, "pki"), "default.test", "ec")


def test_nginx_sni_required(tmp, rsa):
    ciphers = "ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA"
    with peers.nginx_server(os.path.join(tmp, "nginx-req"), [
            {"default": True, "reject": True, "protocols": "TLSv1.2 TLSv1.3", "ciphers": ciphers},
            {"server_name": "localhost", "cert": rsa[0], "key": rsa[1], "protocols": "TLSv1.2 TLSv1.3",
             "ciphers": ciphers}]) as srv:
        j = scan("localhost:%d" % srv.port, "-4")
    t = j["sni_table"]
    assert t["sni_required"] == "yes"
    assert t["sni_required_how"] == "unrecognized_name alert"
    name, none, unknown = (j["views"][k] for k in ("name", "none", "unknown"))
    assert supported(name) == {"tls1_2", "tls1_3"}
    assert hexes(codes(name, "tls1_2")) == hexes(peers.openssl_ciphers(ciphers, "-tls1_2"))
    assert hexes(codes(name, "tls1_3")) == hexes(TLS13_DEFAULT)
    assert supported(none) == set() and supported(unknown) == set()
    assert none["protocols"]["tls1_2"]["rejected"]["alert"] == "unrecognized_name"
    assert unknown["protocols"]["tls1_3"]["rejected"]["alert"] == "unrecognized_name"
    assert name["certificate"]["ok"] and not none["certificate"]["ok"]
    # every version that works with the name is listed as a difference
    d = {(x["between"][1], x["kind"], x["protocol"]) for x in t["differences"] if x["between"][0] == "name"}
    assert d == {("none", "version", "TLS 1.2"), ("none", "version", "TLS 1.3"),
                 ("unknown", "version", "TLS 1.2"), ("unknown", "version", "TLS 1.3")}


def test_nginx_different_default_certificate(tmp, rsa, ec_default):
    ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"
    with peers.nginx_server(os.path.join(tmp, "nginx-def"), [
            {"default": True, "cert": ec_default[0], "key": ec_default[1], "protocols": "TLSv1.2",
             "ciphers": ciphers},
            {"server_name": "localhost", "cert": rsa[0], "key": rsa[1], "protocols": "TLSv1.2",
             "ciphers": ciphers}]) as srv:
        j = scan("localhost:%d" % srv.port, "-4")
    t = j["sni_table"]
    assert t["sni_required"] == "no"
    assert t["different_certificate"] == "yes"
    name, none = j["views"]["name"], j["views"]["none"]
    assert name["certificate"]["subject"] == "CN = localhost"
    assert none["certificate"]["subject"] == "CN = default.test"
    assert hexes(codes(name, "tls1_2")) == hexes([0xC02F])
    assert hexes(codes(none, "tls1_2")) == hexes([0xC02B])
    pairs = {(x["code"], x["only_in"]) for x in t["differences"] if x["between"] == ["name", "none"]}
    assert pairs == {("0xC02F", "name"), ("0xC02B", "none")}


SEED_CIPHERS = ("ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"
                "DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA:"
                "DHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA")


def test_apache_like_the_seed_server(tmp, rsa):
    want = peers.openssl_ciphers(SEED_CIPHERS, "-tls1_2")
    with peers.apache_server(os.path.join(tmp, "apache"), *rsa, protocol="TLSv1.2", ciphers=SEED_CIPHERS,
                             honor_order=True) as srv:
        j = scan("localhost:%d" % srv.port, "-4", "--no-sni-table")
    v = j["views"]["name"]
    assert supported(v) == {"tls1_2"}
    # exactly the configured suites, in the configured order
    assert codes(v, "tls1_2") == want
    assert v["protocols"]["tls1_2"]["order"] == "server"
    # the seed's trouble: no RSA key exchange suite for the XBee to use
    assert all(s["kx"] in ("ECDHE", "DHE") for s in v["protocols"]["tls1_2"]["suites"])
    assert j["groups"]["dhe_bits"] and min(j["groups"]["dhe_bits"]) >= 2048
    assert j["extensions"]["secure_renegotiation"] == "yes"
    assert j["extensions"]["extended_master_secret"] == "yes"


def test_gnutls_serv(tmp, rsa):
    prio = ("NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA:+RSA:-CIPHER-ALL:+AES-128-GCM:+AES-256-CBC:"
            "-MAC-ALL:+AEAD:+SHA1:+SHA256")
    want = peers.gnutls_suites(prio)
    with peers.gnutls_server(os.path.join(tmp, "gnutls"), *rsa, prio) as srv:
        j = scan(srv.target, "--no-sni-table")
    v = j["views"]["none"]
    assert supported(v) == {"tls1_2"}
    assert hexes(codes(v, "tls1_2")) == hexes(want)
    assert v["observations"] == []
    # GnuTLS has record_size_limit, so it ignores max_fragment_length when
    # both are offered (RFC 8449): that one is asked alone, and honoured
    assert j["extensions"]["record_size_limit"] == "yes"
    assert j["extensions"]["max_fragment_length"] == "yes"


def test_gnutls_suites_openssl_lacks(tmp, rsa):
    # CAMELLIA-GCM suites exist in GnuTLS but not in OpenSSL: only hand-built hellos find them
    prio = ("NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+CAMELLIA-128-GCM:+CAMELLIA-256-CBC:+AES-128-CCM-8:"
            "-KX-ALL:+RSA:+ECDHE-RSA:+DHE-RSA")
    want = peers.gnutls_suites(prio)
    assert 0xC07A in want
    with peers.gnutls_server(os.path.join(tmp, "gnutls-camellia"), *rsa, prio) as srv:
        j = scan(srv.target, "--no-sni-table")
    v = j["views"]["none"]
    assert hexes(codes(v, "tls1_2")) == hexes(want)
    by = {s["code"]: s for s in v["protocols"]["tls1_2"]["suites"]}
    assert by["0xC07A"]["openssl"] is None and by["0xC07A"]["name"] == "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256"
