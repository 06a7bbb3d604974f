"""End-to-end tests of `tlsdiag cert lint|show|verify` on a PKI generated with
the openssl CLI (pki.py), plus one chain fetched from a real openssl s_server.

Every lint rule has a case where its id appears and a clean counterpart
where it does not; every verify level has a passing case and the specific
failing step."""

import json
import os
import socket
import subprocess
import time

import pytest

from pki import Pki

TLSDIAG = os.environ.get("TLSDIAG", os.path.join(os.path.dirname(__file__), "../../build/tlsdiag"))
XBEE = "xbee3-cellular-ltem"


def run(*args, check_rc=None):
    r = subprocess.run([TLSDIAG, "cert"] + [str(a) for a in args], capture_output=True, text=True, timeout=60)
    if check_rc is not None:
        assert r.returncode == check_rc, (r.returncode, r.stdout, r.stderr)
    return r


def lint_json(*args):
    r = run("lint", "--json", *args)
    assert r.returncode in (0, 1), (r.returncode, r.stderr)
    doc = json.loads(r.stdout)
    return r.returncode, doc


def ids(doc):
    return [f["id"] for fl in doc["files"] for f in fl["findings"]]


def findings(doc, fid):
    return [f for fl in doc["files"] for f in fl["findings"] if f["id"] == fid]


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    p = Pki(tmp_path_factory.mktemp("pki"))
    p.root()
    p.intermediate()
    p.other_ca()
    p.leaf_ok = p.leaf(cn="device.example", sans=["device.example"], name="leaf")
    p.leaf_inter = p.leaf(cn="via-inter.example", sans=["via-inter.example"], issuer=p.intermediate(),
                          name="leaf-inter")
    p.leaf_other = p.leaf(cn="device.example", issuer=p.other_ca(), name="leaf-other")
    p.old = p.expired()
    p.future = p.not_yet_valid()
    # like the seed's apache-selfsigned.crt: IP address as CN, no SAN
    p.seed = p.self_signed(cn="192.0.2.10", name="apache-selfsigned",
                           subj="/C=US/ST=Alaska/L=Fairbanks/O=Netflow/OU=Engineering/CN=192.0.2.10")
    p.ip_san = p.self_signed(cn="192.0.2.11", sans=["192.0.2.11"], name="ip-with-san")
    p.ip_only = p.leaf(cn="192.0.2.12", sans=["192.0.2.12"], name="ip-only")
    p.long_cn = p.leaf(cn="a-very-long-host-name.device.example", name="long-cn")  # 36 characters
    p.short_cn = p.leaf(cn="short.device.example", name="short-cn")
    p.ec = p.leaf(cn="ec.example", key="ec256", name="ec")
    p.ec384 = p.leaf(cn="ec384.example", key="ec384", name="ec384")
    p.rsa1024 = p.leaf(cn="weak.example", key="rsa1024", name="rsa1024")
    p.rsa4096 = p.leaf(cn="big.example", key="rsa4096", name="rsa4096")
    p.sha1 = p.leaf(cn="sha1.example", md="sha1", name="sha1")
    p.md5 = p.leaf(cn="md5.example", md="md5", name="md5")
    p.two = p.bundle("two.pem", p.leaf_inter, p.intermediate())
    p.big = p.bundle("big.pem", *([p.rsa4096] * 8))
    return p


# ---- show ------------------------------------------------------------------

def test_show_bundle_offsets_and_fields(pki):
    r = run("show", "--json", pki.two, check_rc=0)
    doc = json.loads(r.stdout)
    objs = doc["files"][0]["objects"]
    assert [o["kind"] for o in objs] == ["certificate", "certificate"]
    assert objs[0]["line"] == 1 and objs[0]["offset"] == 0
    assert objs[1]["line"] == objs[0]["end_line"] + 1
    assert objs[1]["offset"] == objs[0]["end"]
    with open(pki.two, "rb") as f:
        data = f.read()
    assert data[objs[1]["offset"]:].startswith(b"-----BEGIN CERTIFICATE-----")
    leaf, inter = objs[0]["certificate"], objs[1]["certificate"]
    assert leaf["cn"] == ["via-inter.example"] and leaf["san"]["dns"] == ["via-inter.example"]
    assert leaf["ca"] is False and inter["ca"] is True and inter["self_signed"] is False
    assert leaf["key"]["type"] == "RSA" and leaf["key"]["bits"] == 2048
    assert leaf["signature_hash"] == "SHA256" and leaf["version"] == 3
    assert len(leaf["sha256"].split(":")) == 32
    assert "subjectAltName" in leaf["extensions"]
    assert "!basicConstraints" in inter["extensions"]
    # the fingerprint agrees with openssl's
    out = subprocess.run(["openssl", "x509", "-in", pki.leaf_inter.cert, "-noout", "-fingerprint", "-sha256"],
                         capture_output=True, text=True).stdout
    assert out.strip().split("=", 1)[1] == leaf["sha256"]


def test_show_keys_formats(pki):
    files = [pki.leaf_ok.key, pki.key_pkcs8(pki.leaf_ok), pki.key_encrypted_pkcs8(pki.leaf_ok),
             pki.key_encrypted_legacy(pki.leaf_ok), pki.ec.key, pki.key_der(pki.leaf_ok),
             pki.key_der(pki.leaf_ok, pkcs8=True)]
    doc = json.loads(run("show", "--json", *files, check_rc=0).stdout)
    got = [(f["objects"][0]["key"]["format"], f["objects"][0]["key"]["encrypted"], f["objects"][0]["key"]["der"])
           for f in doc["files"]]
    assert got == [("pkcs1", False, False), ("pkcs8", False, False), ("pkcs8-encrypted", True, False),
                   ("legacy-encrypted", True, False), ("sec1", False, False), ("pkcs1", False, True),
                   ("pkcs8", False, True)]
    assert doc["files"][4]["objects"][0]["key"]["key"]["curve"] == "prime256v1"


def test_der_bundle_and_trailing_bytes(pki, tmp_path):
    der = tmp_path / "chain.der"
    der.write_bytes(open(pki.der(pki.leaf_inter.cert), "rb").read() + open(pki.der(pki.intermediate().cert), "rb").read())
    doc = json.loads(run("show", "--json", der, check_rc=0).stdout)
    objs = doc["files"][0]["objects"]
    assert len(objs) == 2 and objs[1]["offset"] == objs[0]["end"] and objs[0]["line"] is None
    assert verify(str(der), pki.root().cert, "via-inter.example", 3)["pass"]
    bad = tmp_path / "trailing.der"
    bad.write_bytes(der.read_bytes() + b"xx")
    r = run("show", bad, check_rc=2)
    assert "trailing.der" in r.stderr and "2 bytes after the last certificate" in r.stderr


def test_show_der_and_ip_san(pki):
    doc = json.loads(run("show", "--json", pki.der(pki.ip_san.cert), check_rc=0).stdout)
    f = doc["files"][0]
    assert f["format"] == "der"
    c = f["objects"][0]["certificate"]
    assert c["san"]["ip"] == ["192.0.2.11"] and c["self_signed"] is True


# ---- lint rules: each id appears, and not for the clean counterpart --------

def test_multiple_certs(pki):
    rc, doc = lint_json(pki.two, "--device", XBEE)
    assert rc == 1 and "cert.multiple-certs" in ids(doc)
    f = findings(doc, "cert.multiple-certs")[0]
    assert f["severity"] == "error" and "single certificate" in f["source"]
    assert any("sed -n" in x["text"] for x in f["fixes"])
    rc, doc = lint_json(pki.leaf_ok.cert, "--device", XBEE)
    assert "cert.multiple-certs" not in ids(doc)
    # a device whose limit is unknown: a note, not an error
    rc, doc = lint_json(pki.two, "--device", "nrf91")
    f = findings(doc, "cert.multiple-certs")[0]
    assert f["severity"] == "info"
    # the hint names the built-in profile that states a limit, and cites it
    assert "xbee3-cellular-ltem takes 1" in f["cause"] and f["source"].startswith("profile xbee3-cellular-ltem: ")


def test_ca_is_intermediate_and_not_self_signed(pki):
    rc, doc = lint_json("--ca", pki.intermediate().cert, "--device", XBEE)
    assert rc == 1 and "cert.ca-is-intermediate" in ids(doc)
    assert "intermediate CAs are not enough" in findings(doc, "cert.ca-is-intermediate")[0]["source"]
    rc, doc = lint_json("--ca", pki.leaf_ok.cert, "--device", XBEE)
    assert "cert.ca-not-self-signed" in ids(doc)
    rc, doc = lint_json("--ca", pki.root().cert, "--device", XBEE)
    assert rc == 0
    assert "cert.ca-is-intermediate" not in ids(doc) and "cert.ca-not-self-signed" not in ids(doc)
    # the seed's self-signed server certificate is a valid XBee CA file
    rc, doc = lint_json("--ca", pki.seed.cert, "--device", XBEE)
    assert "cert.ca-not-self-signed" not in ids(doc)


def test_ca_bundle_multiple_and_fix_points_at_root(pki):
    chain = pki.bundle("ca-bundle.pem", pki.intermediate(), pki.root())
    rc, doc = lint_json("--ca", chain, "--device", XBEE)
    assert "cert.multiple-certs" in ids(doc) and "cert.ca-is-intermediate" in ids(doc)
    fixes = [x["text"] for x in findings(doc, "cert.multiple-certs")[0]["fixes"]]
    objs = doc["files"][0]["objects"]
    root_lines = "%d,%dp" % (objs[1]["line"], objs[1]["end_line"])
    assert any(root_lines in t for t in fixes), fixes


def test_key_pkcs8(pki):
    p8 = pki.key_pkcs8(pki.leaf_ok)
    rc, doc = lint_json(pki.leaf_ok.cert, "--key", p8, "--device", XBEE)
    assert rc == 1 and "cert.key-pkcs8" in ids(doc)
    f = findings(doc, "cert.key-pkcs8")[0]
    assert any("openssl rsa -in %s -traditional" % p8 in x["text"] for x in f["fixes"])
    rc, doc = lint_json(pki.leaf_ok.cert, "--key", pki.leaf_ok.key, "--device", XBEE)
    assert rc == 0 and "cert.key-pkcs8" not in ids(doc)
    # DER PKCS#8 too
    rc, doc = lint_json("--key", pki.key_der(pki.leaf_ok, pkcs8=True), "--device", XBEE)
    assert "cert.key-pkcs8" in ids(doc)
    # generic device: no requirement, no finding
    rc, doc = lint_json("--key", p8)
    assert "cert.key-pkcs8" not in ids(doc)


def test_key_encrypted(pki):
    for k in (pki.key_encrypted_pkcs8(pki.leaf_ok), pki.key_encrypted_legacy(pki.leaf_ok)):
        rc, doc = lint_json("--key", k, "--device", XBEE)
        assert rc == 1 and "cert.key-encrypted" in ids(doc), k
        assert findings(doc, "cert.key-encrypted")[0]["severity"] == "error"
    rc, doc = lint_json("--key", pki.leaf_ok.key, "--device", XBEE)
    assert "cert.key-encrypted" not in ids(doc)
    # u-blox profiles take a key password (AT+USECPRF op 7): no finding
    rc, doc = lint_json("--key", pki.key_encrypted_pkcs8(pki.leaf_ok), "--device", "sara-r4")
    assert "cert.key-encrypted" not in ids(doc)


def test_key_mismatch(pki):
    rc, doc = lint_json(pki.leaf_ok.cert, "--key", pki.ec.key)
    assert rc == 1 and "cert.key-mismatch" in ids(doc)
    rc, doc = lint_json(pki.leaf_ok.cert, "--key", pki.leaf_other.key)
    assert "cert.key-mismatch" in ids(doc)
    rc, doc = lint_json(pki.leaf_ok.cert, "--key", pki.leaf_ok.key)
    assert rc == 0 and "cert.key-mismatch" not in ids(doc)
    # a PKCS#8 form of the right key still matches
    rc, doc = lint_json(pki.leaf_ok.cert, "--key", pki.key_pkcs8(pki.leaf_ok))
    assert "cert.key-mismatch" not in ids(doc)
    # certificate and key in one file
    combo = pki.bundle("combo.pem", pki.leaf_ok.cert, pki.leaf_other.key)
    rc, doc = lint_json(combo)
    assert "cert.key-mismatch" in ids(doc)
    combo = pki.bundle("combo-ok.pem", pki.leaf_ok.cert, pki.leaf_ok.key)
    rc, doc = lint_json(combo)
    assert "cert.key-mismatch" not in ids(doc)


def test_cn_too_long(pki):
    rc, doc = lint_json(pki.long_cn.cert, "--device", XBEE)
    assert rc == 1 and "cert.cn-too-long" in ids(doc)
    f = findings(doc, "cert.cn-too-long")[0]
    assert f["severity"] == "error" and "31 characters" in f["source"] and "36 characters" in f["cause"]
    rc, doc = lint_json(pki.short_cn.cert, "--device", XBEE)
    assert "cert.cn-too-long" not in ids(doc)
    rc, doc = lint_json(pki.long_cn.cert, "--device", "sara-r4")
    assert findings(doc, "cert.cn-too-long")[0]["severity"] == "error"
    # unknown limit: a note that says so
    rc, doc = lint_json(pki.long_cn.cert, "--device", "nrf91")
    f = findings(doc, "cert.cn-too-long")[0]
    assert f["severity"] == "info" and "unknown" in f["cause"]
    # the hint is the strictest limit a built-in profile states, with its source
    assert "fails above 31" in f["cause"] and f["source"].startswith("profile ") and "p=101" in f["source"]


def test_ip_in_cn_no_san(pki):
    rc, doc = lint_json(pki.seed.cert, "--device", XBEE)
    assert rc == 1 and "cert.ip-in-cn-no-san" in ids(doc)
    f = findings(doc, "cert.ip-in-cn-no-san")[0]
    assert any("subjectAltName=IP:192.0.2.10" in x["text"] for x in f["fixes"])
    rc, doc = lint_json(pki.ip_san.cert, "--device", XBEE)
    assert "cert.ip-in-cn-no-san" not in ids(doc)
    # a device documented to compare the CN only: a warning (its own check passes)
    rc, doc = lint_json(pki.seed.cert, "--device", "sara-r4")
    assert findings(doc, "cert.ip-in-cn-no-san")[0]["severity"] == "warning"


def test_name_kind_mismatch(pki):
    rc, doc = lint_json(pki.leaf_ok.cert, "--host", "192.0.2.10")
    assert rc == 1 and "cert.name-kind-mismatch" in ids(doc)
    rc, doc = lint_json(pki.ip_only.cert, "--host", "device.example")
    assert "cert.name-kind-mismatch" in ids(doc)
    rc, doc = lint_json(pki.leaf_ok.cert, "--host", "device.example")
    assert rc == 0 and "cert.name-kind-mismatch" not in ids(doc) and "cert.name-mismatch" not in ids(doc)
    rc, doc = lint_json(pki.ip_only.cert, "--host", "192.0.2.12")
    assert "cert.name-kind-mismatch" not in ids(doc) and "cert.name-mismatch" not in ids(doc)
    # same kind, wrong name
    rc, doc = lint_json(pki.leaf_ok.cert, "--host", "other.example")
    assert "cert.name-mismatch" in ids(doc) and "cert.name-kind-mismatch" not in ids(doc)


def test_expired_and_not_yet_valid(pki):
    rc, doc = lint_json(pki.old.cert)
    assert rc == 1 and "cert.expired" in ids(doc)
    rc, doc = lint_json(pki.old.cert, "--at", "2020-01-01T12:00:00Z")
    assert rc == 0 and "cert.expired" not in ids(doc)
    rc, doc = lint_json(pki.future.cert)
    assert rc == 1 and "cert.not-yet-valid" in ids(doc)
    rc, doc = lint_json(pki.future.cert, "--at", "2040-06-01")
    assert "cert.not-yet-valid" not in ids(doc)
    rc, doc = lint_json(pki.leaf_ok.cert, "--at", "2019-01-01")
    assert "cert.not-yet-valid" in ids(doc)


def test_weak_signature(pki):
    rc, doc = lint_json(pki.sha1.cert)
    f = findings(doc, "cert.weak-signature")
    assert f and f[0]["severity"] == "warning" and "SHA1" in f[0]["cause"]
    rc, doc = lint_json(pki.md5.cert)
    assert rc == 1 and findings(doc, "cert.weak-signature")[0]["severity"] == "error"
    rc, doc = lint_json(pki.leaf_ok.cert)
    assert "cert.weak-signature" not in ids(doc)


def test_key_unsupported_and_weak(pki):
    rc, doc = lint_json(pki.ec.cert, "--device", XBEE)
    assert rc == 1 and "cert.key-unsupported" in ids(doc)
    rc, doc = lint_json(pki.ec.cert, "--device", "bg96")
    assert "cert.key-unsupported" in ids(doc)
    rc, doc = lint_json(pki.ec.cert, "--device", "nrf91")
    assert "cert.key-unsupported" not in ids(doc)
    rc, doc = lint_json(pki.leaf_ok.cert, "--device", XBEE)
    assert "cert.key-unsupported" not in ids(doc)
    # an EC key where PKCS#1 is needed
    rc, doc = lint_json("--key", pki.ec.key, "--device", XBEE)
    assert "cert.key-unsupported" in ids(doc)
    # RSA-4096 where the maximum is unknown: a note
    rc, doc = lint_json(pki.rsa4096.cert, "--device", XBEE)
    assert findings(doc, "cert.key-unsupported")[0]["severity"] == "info"
    rc, doc = lint_json(pki.rsa1024.cert)
    assert "cert.key-weak" in ids(doc)
    rc, doc = lint_json(pki.leaf_ok.cert)
    assert "cert.key-weak" not in ids(doc)


def test_curve_list(pki):
    rc, doc = lint_json(pki.ec384.cert, "--device", "esp-at")
    assert "cert.key-unsupported" not in ids(doc)
    ed = pki.leaf(cn="ed.example", key="ed25519", name="ed25519")
    rc, doc = lint_json(ed.cert, "--device", "esp-at")
    assert "cert.key-unsupported" in ids(doc)


def test_pem_formatting(pki):
    for variant, quirk in ((pki.crlf(pki.leaf_ok.cert), "crlf"), (pki.bom(pki.leaf_ok.cert), "bom"),
                           (pki.trailing_ws(pki.leaf_ok.cert), "trailing-whitespace"),
                           (pki.text_before(pki.leaf_ok.cert), "text-outside-blocks")):
        rc, doc = lint_json(variant)
        assert "cert.pem-formatting" in ids(doc), variant
        assert quirk in [q["quirk"] for q in doc["files"][0]["pem_quirks"]]
        assert doc["files"][0]["certificates"] == 1  # still parsed
    rc, doc = lint_json(pki.leaf_ok.cert)
    assert "cert.pem-formatting" not in ids(doc) and doc["files"][0]["pem_quirks"] == []
    # CRLF variant of a key too
    rc, doc = lint_json("--key", pki.crlf(pki.leaf_ok.key))
    assert "cert.pem-formatting" in ids(doc)


def test_file_too_large(pki):
    assert os.path.getsize(pki.big) > 10240
    rc, doc = lint_json(pki.big, "--device", "bg96")
    f = findings(doc, "cert.file-too-large")
    assert f and "10240" in f[0]["cause"]
    rc, doc = lint_json(pki.rsa4096.cert, "--device", "bg96")
    assert "cert.file-too-large" not in ids(doc)


def test_chain_too_large(pki):
    rc, doc = lint_json(pki.big, "--device", "nrf91")
    assert rc == 1 and "cert.chain-too-large" in ids(doc)
    rc, doc = lint_json(pki.two, "--device", "nrf91")
    assert "cert.chain-too-large" not in ids(doc)


def test_seed_certificate_text_output(pki):
    r = run("lint", pki.seed.cert, "--device", XBEE, "--host", "192.0.2.10", check_rc=1)
    assert "cert.ip-in-cn-no-san" in r.stdout and "1 error" in r.stdout
    assert "unknown for %s" % XBEE in r.stdout


def test_clean_lint_exit_0(pki):
    r = run("lint", pki.leaf_ok.cert, "--key", pki.leaf_ok.key, "--ca", pki.root().cert, "--device", XBEE,
            "--host", "device.example", check_rc=0)
    assert "0 errors" in r.stdout


# ---- verify levels -----------------------------------------------------------

def verify(chain, ca, host, level, *extra):
    args = ["verify", "--json", "--chain", chain, "--level", level]
    if ca:
        args += ["--ca", ca]
    if host:
        args += ["--host", host]
    r = run(*args, *extra)
    assert r.returncode in (0, 1), (r.returncode, r.stderr)
    doc = json.loads(r.stdout)
    assert doc["pass"] == (r.returncode == 0)
    return doc


def test_verify_level0_accepts_anything(pki):
    doc = verify(pki.leaf_other.cert, pki.root().cert, "nomatch.example", 0)
    assert doc["pass"] and doc["failed_step"] is None
    assert [s["status"] for s in doc["steps"]] == ["skipped", "skipped", "skipped"]


def test_verify_level1(pki):
    assert verify(pki.leaf_ok.cert, pki.root().cert, None, 1)["pass"]
    doc = verify(pki.leaf_other.cert, pki.root().cert, None, 1)
    assert doc["failed_step"] == "chain" and doc["chain"]["openssl_error"] == 20
    # leaf issued by the intermediate: only with the intermediate in the chain
    assert verify(pki.two, pki.root().cert, None, 1)["pass"]
    doc = verify(pki.leaf_inter.cert, pki.root().cert, None, 1)
    assert doc["failed_step"] == "chain"
    # an intermediate as the CA file: not a self-signed root
    doc = verify(pki.leaf_inter.cert, pki.intermediate().cert, None, 1)
    assert doc["failed_step"] == "chain" and doc["chain"]["ca_not_self_signed"] is True
    assert "self-signed root" in doc["reason"]
    # level 1 ignores names and dates
    assert verify(pki.old.cert, pki.root().cert, "wrong.example", 1)["pass"]


def test_verify_level2(pki):
    doc = verify(pki.leaf_ok.cert, pki.root().cert, "device.example", 2)
    assert doc["pass"] and doc["name"]["standard"] is True and doc["name"]["cn_only"] is True
    doc = verify(pki.leaf_ok.cert, pki.root().cert, "other.example", 2)
    assert doc["failed_step"] == "name"
    # the seed: IP as CN, no IP SAN, trusted via itself
    doc = verify(pki.seed.cert, pki.seed.cert, "192.0.2.10", 2)
    assert doc["failed_step"] == "name"
    assert doc["name"]["standard"] is False and doc["name"]["cn_only"] is True and doc["name"]["host_is_ip"]
    assert "CN-only" in doc["reason"]
    doc = verify(pki.seed.cert, pki.seed.cert, "192.0.2.10", 2, "--name-check", "cn-only")
    assert doc["pass"] and doc["name_check"] == "cn-only"
    # a device documented to compare the CN (u-blox SARA-R4) takes the CN-only verdict
    assert verify(pki.seed.cert, pki.seed.cert, "192.0.2.10", 2, "--device", "sara-r4")["pass"]
    # an IP SAN passes both
    doc = verify(pki.ip_san.cert, pki.ip_san.cert, "192.0.2.11", 2)
    assert doc["pass"] and doc["name"]["standard"] is True
    # the chain step comes first
    doc = verify(pki.leaf_other.cert, pki.root().cert, "other.example", 2)
    assert doc["failed_step"] == "chain"


def test_verify_level3(pki):
    doc = verify(pki.old.cert, pki.root().cert, "expired.example", 3)
    assert doc["failed_step"] == "dates" and "expired" in doc["reason"]
    assert verify(pki.old.cert, pki.root().cert, "expired.example", 3, "--at", "2020-01-01T12:00:00Z")["pass"]
    doc = verify(pki.future.cert, pki.root().cert, "future.example", 3)
    assert doc["failed_step"] == "dates" and "not yet valid" in doc["reason"]
    assert verify(pki.leaf_ok.cert, pki.root().cert, "device.example", 3)["pass"]
    # a device clock before the root's notBefore: the root fails too
    doc = verify(pki.leaf_ok.cert, pki.root().cert, "device.example", 3, "--at", "1999-06-01")
    assert doc["failed_step"] == "dates"
    assert "certificate 0 " in doc["reason"]
    # name before dates
    doc = verify(pki.old.cert, pki.root().cert, "wrong.example", 3)
    assert doc["failed_step"] == "name"


def test_verify_text_output(pki):
    r = run("verify", "--chain", pki.seed.cert, "--ca", pki.seed.cert, "--host", "192.0.2.10", "--level", "3",
            check_rc=1)
    assert "FAIL" in r.stdout and "first failing step: name" in r.stdout


# ---- a chain as a real server sends it -----------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s_server(pki, tmp_path):
    port = free_port()
    log = open(tmp_path / "s_server.log", "w")
    proc = subprocess.Popen(["openssl", "s_server", "-quiet", "-accept", "127.0.0.1:%d" % port,
                             "-cert", pki.leaf_inter.cert, "-key", pki.leaf_inter.key,
                             "-cert_chain", pki.intermediate().cert, "-www"],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 5
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("s_server did not start: " + open(tmp_path / "s_server.log").read()[-500:])
                time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_verify_chain_from_real_server(pki, s_server, tmp_path):
    r = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % s_server, "-showcerts",
                        "-servername", "via-inter.example"], input="", capture_output=True, text=True, timeout=20)
    chain = tmp_path / "served.pem"
    chain.write_text(r.stdout)  # s_client output: text around the PEM blocks
    doc = json.loads(run("show", "--json", chain, check_rc=0).stdout)
    assert doc["files"][0]["certificates"] == 2
    assert verify(str(chain), pki.root().cert, "via-inter.example", 3)["pass"]
    assert verify(str(chain), pki.other_ca().cert, "via-inter.example", 1)["failed_step"] == "chain"
    rc, ldoc = lint_json(str(chain), "--device", XBEE)
    assert "cert.pem-formatting" in ids(ldoc) and "cert.multiple-certs" in ids(ldoc)


# ---- usage and input errors: exit 2, one line naming the file ------------------

def test_input_errors(pki, tmp_path):
    r = run("lint", tmp_path / "missing.pem", check_rc=2)
    assert "missing.pem" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x01\x02garbage")
    r = run("show", junk, check_rc=2)
    assert "junk.bin" in r.stderr and "neither PEM" in r.stderr
    trunc = tmp_path / "trunc.pem"
    trunc.write_bytes(open(pki.leaf_ok.cert, "rb").read()[:500])
    r = run("lint", trunc, check_rc=2)
    assert "trunc.pem" in r.stderr and "no END line" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    bad = tmp_path / "bad64.pem"
    bad.write_text("-----BEGIN CERTIFICATE-----\nMIIB!!!!\n-----END CERTIFICATE-----\n")
    r = run("lint", bad, check_rc=2)
    assert "line 2" in r.stderr and "base64" in r.stderr
    notcert = tmp_path / "notcert.pem"
    notcert.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    r = run("show", notcert, check_rc=2)
    assert "notcert.pem" in r.stderr and "not a valid certificate" in r.stderr
    csr = tmp_path / "req.csr"
    subprocess.run(["openssl", "req", "-new", "-key", pki.leaf_ok.key, "-subj", "/CN=x", "-out", str(csr)],
                   check=True, capture_output=True)
    r = run("lint", csr, check_rc=2)
    assert "req.csr" in r.stderr and "CERTIFICATE REQUEST" in r.stderr
    empty = tmp_path / "empty.pem"
    empty.write_bytes(b"")
    run("lint", empty, check_rc=2)


def test_usage_errors(pki, tmp_path):
    empty = tmp_path / "empty.pem"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 16)
    huge = tmp_path / "huge.pem"
    huge.write_bytes(b"A" * (1024 * 1024 + 1))
    for args, needle in [
        ((), "missing subcommand"),
        (("frobnicate",), "unknown subcommand 'frobnicate'"),
        (("lint",), "no file given"),
        (("lint", pki.leaf_ok.cert, "--device", "no-such-device"), "no-such-device"),
        (("lint", pki.leaf_ok.cert, "--at", "yesterday"), "--at 'yesterday'"),
        (("lint", pki.leaf_ok.cert, "--bogus"), "'--bogus'"),
        (("lint", str(empty)), "empty file"),
        (("lint", str(junk)), "neither PEM"),
        (("show", str(junk)), "neither PEM"),
        (("lint", str(huge)), "limit"),
        (("verify", "--chain", pki.leaf_ok.cert, "--ca", pki.root().cert, "--level", "4"), "--level"),
        (("verify", "--chain", pki.leaf_ok.cert, "--ca", pki.root().cert, "--level", "2"), "--host"),  # no host
        (("verify", "--chain", pki.leaf_ok.cert, "--level", "1"), "--ca"),  # no CA
        (("verify", "--chain", pki.leaf_ok.key, "--ca", pki.root().cert, "--level", "1"), ""),  # no cert
    ]:
        r = run(*args, check_rc=2)
        # one line naming the verb, what and where; nothing on stdout
        assert r.stderr.startswith("tlsdiag cert") and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
        assert needle in r.stderr, (args, r.stderr)
        assert r.stdout == "", args
    assert run("--help", check_rc=0).stdout.startswith("usage")
    run("devices", check_rc=0)
    doc = json.loads(run("devices", "--json", check_rc=0).stdout)
    names = [d["name"] for d in doc]
    for n in ("generic", XBEE, "sara-r4", "sara-r5", "nrf91", "esp-at", "quectel-bg96", "simcom-sim7000"):
        assert n in names
    xbee = doc[names.index(XBEE)]["limits"]
    assert xbee["cn_max"]["value"] == 31 and xbee["file_max"]["value"] is None


# ---- device limits come from the device profiles ------------------------------

SRC = os.environ.get("TD_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def user_profile(tmp_path, cn_max=10, name="my-device"):
    """A user's profile file: the XBee3 profile with another name and CN limit."""
    doc = json.load(open(os.path.join(SRC, "profiles", XBEE + ".json")))
    doc["name"] = name
    doc["aliases"] = []
    doc["limits"]["cn_max_length"] = {"value": cn_max, "source": "our lab test, 2024-05-01"}
    f = tmp_path / (name + ".json")
    f.write_text(json.dumps(doc, indent=2))
    return str(f)


def test_device_file_cn_limit(pki, tmp_path):
    prof = user_profile(tmp_path, cn_max=10)
    c11 = pki.leaf(cn="abcdefg.com", sans=["abcdefg.com"], name="cn11")  # 11 characters
    c10 = pki.leaf(cn="abcdef.com", sans=["abcdef.com"], name="cn10")  # 10 characters
    rc, doc = lint_json(c11.cert, "--device-file", prof)
    assert rc == 1 and doc["device"]["name"] == "my-device"
    f = findings(doc, "cert.cn-too-long")[0]
    assert f["severity"] == "error" and f["source"] == "our lab test, 2024-05-01"
    assert "11 characters" in f["cause"] and "above 10" in f["cause"]
    assert doc["device"]["limits"]["cn_max"]["value"] == 10
    rc, doc = lint_json(c10.cert, "--device-file", prof)
    assert "cert.cn-too-long" not in ids(doc)
    # the built-in XBee profile (CN limit 31) passes the same 11-character CN
    rc, doc = lint_json(c11.cert, "--device", XBEE)
    assert "cert.cn-too-long" not in ids(doc)


def test_device_names_aliases_and_errors(pki, tmp_path):
    # aliases of the profiles, case-insensitive
    for alias in ("XBee3-LTEM", "xb3-c-a2", "BG96", "sim7000g", "nrf9160"):
        rc, doc = lint_json(pki.leaf_ok.cert, "--device", alias)
        assert doc["device"]["name"] != "generic", alias
    rc, doc = lint_json(pki.long_cn.cert, "--device", "XB3-C-A2")
    assert doc["device"]["name"] == XBEE and findings(doc, "cert.cn-too-long")[0]["severity"] == "error"
    r = run("lint", pki.leaf_ok.cert, "--device", "no-such-device", check_rc=2)
    assert "no-such-device" in r.stderr and XBEE in r.stderr and len(r.stderr.strip().splitlines()) == 1
    # both options, a missing file, a bad profile: exit 2, one line naming the problem
    prof = user_profile(tmp_path)
    run("lint", pki.leaf_ok.cert, "--device", XBEE, "--device-file", prof, check_rc=2)
    r = run("lint", pki.leaf_ok.cert, "--device-file", str(tmp_path / "missing.json"), check_rc=2)
    assert "missing.json" in r.stderr
    doc = json.load(open(prof))
    doc["limits"]["cn_max_length"]["value"] = "ten"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, indent=2))
    r = run("lint", pki.leaf_ok.cert, "--device-file", bad, check_rc=2)
    assert "bad.json" in r.stderr and "limits.cn_max_length" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    # verify takes the name-check policy from a user's profile too
    doc = json.load(open(prof))
    doc["validation"]["cn_only_name_check"] = {"value": True, "source": "our lab test"}
    cn = tmp_path / "cn-only.json"
    cn.write_text(json.dumps(doc, indent=2))
    assert verify(pki.seed.cert, pki.seed.cert, "192.0.2.10", 2, "--device-file", cn)["pass"]
    assert not verify(pki.seed.cert, pki.seed.cert, "192.0.2.10", 2, "--device-file", prof)["pass"]


def test_devices_limits_from_profiles(tmp_path):
    doc = json.loads(run("devices", "--json", check_rc=0).stdout)
    names = [d["name"] for d in doc]
    builtin = sorted(f[:-5] for f in os.listdir(os.path.join(SRC, "profiles")) if f.endswith(".json"))
    assert names[0] == "generic" and sorted(names[1:]) == builtin
    # the values and sources are the profiles'
    for d in doc[1:]:
        prof = json.load(open(os.path.join(SRC, "profiles", d["name"] + ".json")))
        cn = prof["limits"]["cn_max_length"]
        want = None if cn["value"] == "unknown" else cn["value"]
        assert d["limits"]["cn_max"]["value"] == want, d["name"]
        if want is not None:
            assert d["limits"]["cn_max"]["source"] == cn["source"]
    bg96 = doc[names.index("quectel-bg96")]["limits"]
    assert bg96["file_max"]["value"] == 10240 and bg96["file_max"]["soft"] is True
    assert bg96["ec"]["value"] == "no"
    # one device, by alias, and a user's file
    one = json.loads(run("devices", "XBee3-LTEM", "--json", check_rc=0).stdout)
    assert one["name"] == XBEE and one["limits"]["certs_per_file"]["value"] == 1
    assert "max CN length" in run("devices", "sara-r4", check_rc=0).stdout
    mine = json.loads(run("devices", "--device-file", user_profile(tmp_path, 12), "--json", check_rc=0).stdout)
    assert mine["name"] == "my-device" and mine["limits"]["cn_max"]["value"] == 12
    run("devices", "no-such-device", check_rc=2)
    assert json.loads(run("devices", "--device", "BG96", "--json", check_rc=0).stdout)["name"] == "quectel-bg96"
    run("devices", "bg96", "sim7000", check_rc=2)
    assert "ECDSA curves usable" in run("devices", "bg96", check_rc=0).stdout


def test_verify_name_check_overrides_device(pki):
    # sara-r4 is documented to compare the CN; --name-check standard overrides it
    assert verify(pki.seed.cert, pki.seed.cert, "192.0.2.10", 2, "--device", "sara-r4")["pass"]
    assert not verify(pki.seed.cert, pki.seed.cert, "192.0.2.10", 2, "--device", "sara-r4",
                      "--name-check", "standard")["pass"]
    run("verify", "--chain", pki.seed.cert, "--level", "0", "--device", "no-such-device", check_rc=2)
