"""`tlsdiag check` options, input errors and the JSON schema."""

import json
import os
import subprocess
import time

import pytest

import peers
from checkrun import TLSDIAG, XBEE, check


def run(*args):
    return subprocess.run([TLSDIAG, "check"] + list(args), capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("args,needle", [
    ([], "exactly one HOST"),
    (["127.0.0.1:1"], "--device"),
    (["127.0.0.1:1", "--device", "no-such-device"], "no device profile named 'no-such-device'"),
    (["127.0.0.1:1", "--device", XBEE, "--sni", "10.0.0.1"], "never an IP address"),
    (["127.0.0.1:1", "--device", XBEE, "--level", "4"], "--level 4"),
    (["127.0.0.1:1", "--device", XBEE, "--ca", "/nonexistent/ca.pem"], "/nonexistent/ca.pem"),
    (["127.0.0.1:1", "--device", XBEE, "--sni", "a.example", "--no-sni"], "exclude each other"),
    (["127.0.0.1:1", "--device", XBEE, "--client-cert", "/etc/hostname"], "go together"),
    (["127.0.0.1:99999", "--device", XBEE], "127.0.0.1:99999"),
    (["127.0.0.1:1", "--device-file", "/nonexistent/profile.json"], "profile.json"),
    (["127.0.0.1:1", "--device", "esp-at"], "lists no cipher suites"),
    (["127.0.0.1:1", "--device", XBEE, "--ca", "/tmp"], "--ca /tmp: not a regular file"),
    (["127.0.0.1:1", "--device", XBEE, "--bogus"], "unknown option '--bogus'"),
    (["127.0.0.1:1", "--device", XBEE, "--sni"], "option '--sni' needs a value"),
    (["127.0.0.1:1", "--device", XBEE, "--timeout", "abc"], "--timeout abc"),
    (["127.0.0.1:1", "--device", XBEE, "--device-file", "/etc/hostname"], "exclude each other"),
])
def test_usage_errors(args, needle):
    r = run(*args)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert needle in r.stderr
    assert r.stderr.startswith("tlsdiag check: ")
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stdout == ""


def test_bad_profile_file_names_line(tmp_path):
    p = tmp_path / "dev.json"
    p.write_text('{\n  "schema_version": 1,\n  "name": 7\n}\n')
    r = run("127.0.0.1:1", "--device-file", str(p))
    assert r.returncode == 2
    assert "dev.json" in r.stderr


def test_help():
    r = run("--help")
    assert r.returncode == 0
    assert "--device NAME" in r.stdout and "exit:" in r.stdout


def test_refused_port_is_a_finding():
    port = peers.free_port()  # nothing listens there
    c = check("127.0.0.1:%d" % port)
    assert c.rc == 1
    assert c.doc["cause_id"] == "check.tcp-failed"
    assert "refused" in c.finding("check.tcp-failed")["evidence"]


def test_json_schema(tmp_path):
    cert, key = peers.make_cert(str(tmp_path), name="localhost")
    with peers.openssl_server(str(tmp_path / "s"), cert, key, ["-tls1_2", "-cipher", "AES256-SHA"]) as srv:
        c = check(srv.target)
    d = c.doc
    assert list(d.keys()) == ["target", "device", "verdict", "cause", "cause_id", "device_reports", "negotiated",
                              "device_settings", "findings", "transcript", "completion", "assumptions",
                              "connections", "elapsed_ms"]
    assert d["target"] == srv.target
    assert d["device"]["name"] == XBEE
    assert d["verdict"] == "pass" and d["cause"] is None
    assert d["negotiated"]["version"] == "TLS 1.2"
    assert d["negotiated"]["suite"] == {"code": "0x0035", "iana": "TLS_RSA_WITH_AES_256_CBC_SHA",
                                        "openssl": "AES256-SHA"}
    for f in d["findings"]:
        assert set(f) == {"id", "severity", "cause", "evidence", "fixes", "source"}
    for e in d["transcript"]:
        assert set(e) == {"t_ms", "dir", "kind", "what", "fails_here"}
    first = [e for e in d["transcript"] if e["kind"] == "handshake"][0]
    assert first["dir"] == "c2s" and first["what"].startswith("ClientHello")
    assert isinstance(d["completion"], list) and len(d["completion"]) > 5
    assert d["connections"] >= 2


def test_device_file(tmp_path):
    """A user's own profile: the XBee's, with another suite list and name."""
    src = os.environ.get("TD_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
    with open(os.path.join(src, "profiles", "xbee3-cellular-ltem.json")) as f:
        prof = json.load(f)
    prof["name"] = "my-modem"
    prof["aliases"] = []
    prof["offers"]["cipher_suites"]["value"] = [{"code": "0x002F", "name": "TLS_RSA_WITH_AES_128_CBC_SHA"}]
    path = tmp_path / "my-modem.json"
    path.write_text(json.dumps(prof, indent=2))
    cert, key = peers.make_cert(str(tmp_path), name="localhost")
    with peers.openssl_server(str(tmp_path / "s"), cert, key, ["-tls1_2", "-cipher", "AES128-SHA"]) as srv:
        r = subprocess.run([TLSDIAG, "check", srv.target, "--device-file", str(path), "--json", "-q"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, (r.stdout, r.stderr)
        d = json.loads(r.stdout)
        assert d["device"]["name"] == "my-modem"
        assert d["negotiated"]["suite"]["openssl"] == "AES128-SHA"
        # The built-in XBee (AES256 only) fails on the same server, with the fix naming AES256-SHA.
        c = check(srv.target)
        assert c.rc == 1 and c.doc["cause_id"] == "check.no-common-suite"
        assert "AES128-SHA:AES256-SHA" in c.fix("check.no-common-suite", "openssl")


def test_not_tls_answer_is_a_finding():
    # An HTTP answer (then junk) to the device's ClientHello is not a pass.
    with peers.odd_server("garbage") as srv:
        c = check(srv.target)
    assert c.rc == 1, c
    assert c.doc["verdict"] == "fail"
    assert c.doc["cause_id"] == "check.not-tls"
    ev = c.finding("check.not-tls")["evidence"]
    assert "HTTP/1.1 400" in ev and "not a TLS content type" in ev
    assert "check.handshake-ok" not in c.ids


def test_tls_server_is_not_reported_as_not_tls(tmp_path):
    cert, key = peers.make_cert(str(tmp_path), name="localhost")
    with peers.openssl_server(str(tmp_path / "s"), cert, key, ["-tls1_2", "-cipher", "AES256-SHA"]) as srv:
        c = check(srv.target)
    assert c.rc == 0, c
    assert "check.not-tls" not in c.ids


def test_silent_server_times_out_within_its_deadlines():
    # Silent to every hello: the device's probe and the no-SNI probe each wait
    # --timeout, then no version/suite probes (they would only wait too).
    with peers.odd_server("silent") as srv:
        t0 = time.monotonic()
        r = subprocess.run([TLSDIAG, "check", srv.target, "--device", XBEE, "--json", "-q", "--timeout", "1000"],
                           capture_output=True, text=True, timeout=60)
        elapsed = time.monotonic() - t0
        accepted = srv.accepted
    assert r.returncode == 1, (r.stdout, r.stderr)
    d = json.loads(r.stdout)
    assert d["cause_id"] == "check.timeout"
    assert accepted == 2, accepted
    assert 1.9 < elapsed < 5.0, elapsed


def test_unusable_client_files_are_input_errors(tmp_path):
    # Checked before anything is sent: junk, a key that is not the
    # certificate's, a certificate file without a key. A matching pair passes
    # this stage and the check goes on (to a refused port: exit 1).
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 4)
    a = peers.make_cert(str(tmp_path / "a"), name="a.example")
    b = peers.make_cert(str(tmp_path / "b"), name="b.example")
    port = peers.free_port()
    for args, needle in [
        (["--client-cert", str(junk), "--client-key", str(junk)], "neither PEM"),
        (["--client-cert", a[0], "--client-key", b[1]], "does not belong"),
        (["--client-cert", a[0], "--client-key", a[0]], "holds no private key"),
        (["--client-cert", a[1], "--client-key", a[1]], "holds no certificate"),
    ]:
        r = run("127.0.0.1:%d" % port, "--device", XBEE, *args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
        assert r.stdout == ""
    r = run("127.0.0.1:%d" % port, "--device", XBEE, "-q", "--client-cert", a[0], "--client-key", a[1])
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "check.tcp-failed" in r.stdout
