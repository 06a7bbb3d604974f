"""End-to-end tests of `tlsdiag xbee decode|encode` and the interim demo.

No network peer is involved: these run the real binary ($TLSDIAG) on frames
given as arguments, files (hex text and raw binary) and stdin.
"""
import json
import os
import re
import subprocess

import pytest

TLSDIAG = os.environ.get("TLSDIAG", "tlsdiag")
SEED = "7E 00 15 23 C4 42 E6 72 AE 01 BB 00 00 00 00 74 65 73 74 5F 64 61 74 61 5B"
STATUS_85 = "7E 00 03 89 C4 85 2D"
CHECK_LINE = "tlsdiag check 66.230.114.174:443 --device xbee3-cellular-ltem"


def run(*args, stdin=None):
    p = subprocess.run([TLSDIAG, *args], input=stdin, capture_output=True, timeout=30)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def one_line_error(err):
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_decode_seed_args():
    rc, out, err = run("xbee", "decode", *SEED.split())
    assert rc == 0, err
    assert "0x23 Tx Request with TLS Profile" in out
    assert "0xC4 (196)" in out
    assert "66.230.114.174" in out
    assert re.search(r"destination port\s+443", out)
    assert re.search(r"TLS profile\s+0", out)
    assert '"test_data"' in out
    assert "checksum 0x5B OK" in out
    assert CHECK_LINE in out
    assert "AT$0-AT$2" in out


def test_decode_seed_single_token_and_0x_forms():
    rc, out, _ = run("xbee", "decode", SEED.replace(" ", "").lower())
    assert rc == 0 and "66.230.114.174" in out
    rc, out, _ = run("xbee", "decode", ",".join("0x" + b for b in SEED.split()))
    assert rc == 0 and "66.230.114.174" in out


def test_decode_stdin_hex_and_file(tmp_path):
    rc, out, err = run("xbee", "decode", stdin=(SEED + "\n").encode())
    assert rc == 0, err
    assert CHECK_LINE in out
    f = tmp_path / "frame.txt"
    f.write_text(SEED + "\n" + STATUS_85 + "\n")
    rc, out, err = run("xbee", "decode", "-f", str(f))
    assert rc == 0, err
    assert "frame 2 at byte 25" in out
    assert "Unknown error" in out
    # the 0x89 is matched to the 0x23 by frame ID: its next steps name the server
    assert "tlsdiag scan 66.230.114.174:443" in out
    assert "tlsdiag cert lint FILE --device xbee3-cellular-ltem" in out
    rc, out2, _ = run("xbee", "decode", "-f", "-", stdin=f.read_bytes())
    assert rc == 0 and out2 == out


def test_decode_binary_file_with_garbage(tmp_path):
    raw = b"\x00\xff" + bytes.fromhex(SEED) + b"\x10\x20\x30" + bytes.fromhex(STATUS_85)
    f = tmp_path / "serial.bin"
    f.write_bytes(raw)
    rc, out, err = run("xbee", "decode", "-f", str(f))
    assert rc == 0, err
    assert "skipped 2 bytes at byte 0" in out
    assert "skipped 3 bytes at byte 27" in out
    assert "frame 2 at byte 30: 0x89" in out


def test_decode_json(tmp_path):
    raw = b"\x00\xff" + bytes.fromhex(SEED) + bytes.fromhex(STATUS_85)
    f = tmp_path / "serial.bin"
    f.write_bytes(raw)
    rc, out, err = run("xbee", "decode", "--json", "-f", str(f))
    assert rc == 0, err
    doc = json.loads(out)
    assert list(doc.keys()) == ["api", "api_source", "api_reason", "input_length", "frames", "skipped", "error"]
    assert doc["api"] == 1 and doc["api_source"] == "auto" and doc["error"] is None
    assert doc["skipped"] == [{"offset": 0, "length": 2, "hex": "00ff"}]
    fr = doc["frames"][0]
    assert fr["type_hex"] == "0x23" and fr["known"] and fr["checksum"] == "0x5B" and fr["offset"] == 2
    fields = {x["key"]: x for x in fr["fields"]}
    assert [x["key"] for x in fr["fields"]] == [
        "frame_id", "dest_addr", "dest_port", "src_port", "tls_profile", "tx_options", "payload"]
    assert fields["frame_id"]["value"] == 0xC4
    assert fields["dest_addr"]["value"] == "66.230.114.174" and fields["dest_addr"]["offset"] == 7
    assert fields["dest_port"]["value"] == 443
    assert fields["tls_profile"]["value"] == 0
    assert fields["payload"]["value"] == "test_data" and fields["payload"]["hex"] == b"test_data".hex()
    assert any(s["run"] == CHECK_LINE for s in fr["next_steps"])
    st = doc["frames"][1]
    status = [x for x in st["fields"] if x["key"] == "status"][0]
    assert status["value"] == 0x85
    assert status["code"]["table"] == "tx_status" and status["code"]["name"] == "Unknown error"
    runs = [s["run"] for s in st["next_steps"] if s["run"]]
    assert "tlsdiag scan 66.230.114.174:443" in runs
    assert CHECK_LINE in runs


def test_decode_api2_auto_and_forced():
    esc = "7E 00 0D 20 7D 5D 7D 31 7D 33 7D 5D 7D 5E 7D 5E 7D 31 00 00 04 00 78 38"
    rc, out, err = run("xbee", "decode", esc)
    assert rc == 0, err
    assert "API mode 2" in out and "7 escaped bytes" in out
    assert "17.19.125.126" in out and "32273" in out
    rc, out, err = run("xbee", "decode", "--api", "2", "--json", esc)
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["api_source"] == "option" and doc["frames"][0]["escaped_bytes"] == 7
    # forced API 1 on an escaped frame: a clean error, not a crash
    rc, out, err = run("xbee", "decode", "--api", "1", esc)
    assert rc == 2
    assert "at byte" in one_line_error(err)


def test_decode_unknown_type_raw():
    rc, out, err = run("xbee", "decode", "7E 00 03 47 01 02 B5")
    assert rc == 0, err
    assert "0x47 unknown frame type" in out and "47 01 02" in out


@pytest.mark.parametrize("frames,needle", [
    ("7E 00 03 89 C4 85 2C", "frame 1 at byte 0: checksum mismatch at byte 6 (checksum): expected 0x2D, found 0x2C"),
    ("7E 00 15 23 C4 42 E6 72 AE 01 BB", "frame 1 at byte 0: truncated at byte 11"),
    ("7E 00 00 FF", "length out of range at byte 1"),
    ("7E 00 02 89 01 75", "truncated at byte 5 (delivery status)"),
    ("01 02 03", "no XBee frame found"),
])
def test_decode_errors(frames, needle):
    rc, out, err = run("xbee", "decode", *frames.split())
    assert rc == 2
    line = one_line_error(err)
    assert needle in line, line
    assert re.search(r"byte \d+|bytes of input", line)


def test_decode_error_keeps_earlier_frames():
    rc, out, err = run("xbee", "decode", SEED, "7E 00 03 89 C4 85 2C")
    assert rc == 2
    assert "66.230.114.174" in out  # frame 1 was printed
    assert "frame 2 at byte 25: checksum mismatch at byte 31" in one_line_error(err)
    rc, out, err = run("xbee", "decode", "--json", SEED, "7E 00 03 89 C4 85 2C")
    assert rc == 2
    doc = json.loads(out)
    assert len(doc["frames"]) == 1
    assert doc["error"]["frame"] == 2 and doc["error"]["offset"] == 31 and doc["error"]["code"] == "CHECKSUM"


def test_decode_usage_errors(tmp_path):
    rc, _, err = run("xbee", "decode", "7E 0")
    assert rc == 2 and "character" in one_line_error(err)
    rc, _, err = run("xbee", "decode", "--api", "3", SEED)
    assert rc == 2 and "--api" in one_line_error(err)
    rc, _, err = run("xbee", "decode", "-f", str(tmp_path / "missing"))
    assert rc == 2 and "cannot open" in one_line_error(err)
    rc, _, err = run("xbee", "decode", stdin=b"")
    assert rc == 2 and "no XBee frame" in one_line_error(err)
    rc, _, err = run("xbee", "frobnicate")
    assert rc == 2


@pytest.mark.parametrize("argv,needle", [
    (["decode", SEED, "--api"], "option '--api' needs a value"),
    (["decode", "-f"], "option '-f' needs a value"),
    (["decode", "--bogus", SEED], "unknown option '--bogus'"),
    (["decode", "-x", SEED], "unknown option '-x'"),
    (["decode", "--json=1", SEED], "unknown option '--json=1'"),
    (["encode", "tx-tls", "--ip"], "option '--ip' needs a value"),
    (["encode", "tx-tls", "--nope", "1"], "unknown option '--nope'"),
])
def test_bad_options_one_line(argv, needle):
    # getopt's own message used to come first, making two lines
    rc, out, err = run("xbee", *argv)
    assert rc == 2 and out == ""
    assert needle in one_line_error(err)


@pytest.mark.parametrize("data,needle", [
    (b"7E 00 03 89 C4 85 2D # status\n", "byte 21 ('#') is not hex text"),
    (b"7E 00\x00 15", "byte 5 (0x00) is not hex text"),
])
def test_decode_almost_hex_says_why_binary(data, needle):
    # hex text with one stray byte is read as binary: say which byte, or
    # "no 0x7E start delimiter" makes no sense to someone who typed 7E
    rc, out, err = run("xbee", "decode", stdin=data)
    assert rc == 2
    line = one_line_error(err)
    assert "no XBee frame found" in line and needle in line, line
    rc, out, err = run("xbee", "decode", stdin=b"\x01\x02\x03")
    assert rc == 2 and "raw binary" not in one_line_error(err)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("argv", [
    ["xbee", "decode", SEED],
    ["xbee", "decode", "--json", SEED],
    ["xbee", "encode", "at", "--command", "TL"],
    ["xbee", "tables"],
    ["explain", "0x85"],
    ["explain", "--json", "0x85"],
    ["--version"],
])
def test_unwritable_stdout_is_a_runtime_failure(argv):
    # output that could not be written used to end with exit 0
    with open("/dev/full", "wb") as full:
        p = subprocess.run([TLSDIAG, *argv], stdout=full, stderr=subprocess.PIPE, timeout=30)
    assert p.returncode == 3, p
    assert "cannot write to standard output" in one_line_error(p.stderr.decode())


def test_json_frame_cap():
    # 10001 tiny Modem Status frames: text streams them all, --json stops at
    # its documented in-memory cap with a TOOBIG error and keeps the 10000
    many = b"7E00028A0075" * 10001
    rc, out, err = run("xbee", "decode", "--json", stdin=many)
    assert rc == 2
    assert "more than 10000 frames" in one_line_error(err)
    doc = json.loads(out)
    assert len(doc["frames"]) == 10000
    assert doc["error"]["code"] == "TOOBIG" and doc["error"]["frame"] == 10001
    rc, out, err = run("xbee", "decode", "--json", stdin=b"7E00028A0075" * 10000)
    assert rc == 0, err
    assert len(json.loads(out)["frames"]) == 10000
    rc, out, err = run("xbee", "decode", stdin=many)
    assert rc == 0 and err == "" and out.count("Modem Status") == 10001


def test_decode_directory_is_a_read_error(tmp_path):
    # a directory opens but cannot be read
    rc, out, err = run("xbee", "decode", "-f", str(tmp_path))
    assert rc == 2 and out == ""
    assert "read error" in one_line_error(err) and str(tmp_path) in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permission bits")
def test_decode_unreadable_file(tmp_path):
    locked = tmp_path / "locked.hex"
    locked.write_text(SEED)
    locked.chmod(0)
    rc, out, err = run("xbee", "decode", "-f", str(locked))
    assert rc == 2 and out == ""
    assert "cannot open" in one_line_error(err)


def test_encode_seed_both_modes():
    args = ["xbee", "encode", "tx-tls", "--ip", "66.230.114.174", "--port", "443", "--profile", "0",
            "--data", "test_data", "--frame-id", "0xC4"]
    rc, out, err = run(*args)
    assert rc == 0, err
    assert out.strip() == SEED
    rc, out, err = run(*args, "--api", "2")
    assert rc == 0 and out.strip() == SEED  # nothing to escape


def test_encode_escaped_and_binary():
    rc, out, err = run("xbee", "encode", "at", "--command", "AP", "--param-hex", "13", "--api", "2")
    assert rc == 0, err
    assert out.strip() == "7E 00 05 08 01 41 50 7D 33 52"
    rc, out, err = run("xbee", "decode", out.strip())
    assert rc == 0 and "API 2" in out
    p = subprocess.run([TLSDIAG, "xbee", "encode", "tx-status", "--frame-id", "0xC4", "--status", "0x85",
                        "--binary"], capture_output=True, timeout=30)
    assert p.returncode == 0 and p.stdout == bytes.fromhex(STATUS_85)


@pytest.mark.parametrize("argv", [
    ["at", "--command", "TL"],
    ["at-queue", "--command", "$0", "--param", "ca.pem;;"],
    ["tx-ipv4", "--ip", "10.0.0.1", "--port", "80", "--protocol", "tcp", "--data", "GET / HTTP/1.0"],
    ["socket-create", "--protocol", "tls"],
    ["socket-option", "--socket", "0", "--option", "0", "--value-hex", "01"],
    ["socket-connect", "--socket", "0", "--port", "443", "--addr", "example.com"],
    ["socket-connect", "--socket", "0", "--port", "443", "--addr", "66.230.114.174"],
    ["socket-close", "--socket", "0xFF"],
    ["socket-send", "--socket", "1", "--data", "hello"],
    ["socket-sendto", "--socket", "1", "--ip", "8.8.8.8", "--port", "53", "--data-hex", "abcd"],
    ["socket-bind", "--socket", "2", "--port", "8080"],
    ["0x47", "--data-hex", "0102"],
])
def test_encode_decode_roundtrip(argv):
    for api in ("1", "2"):
        rc, out, err = run("xbee", "encode", *argv, "--api", api)
        assert rc == 0, err
        assert out.startswith("7E ")
        rc, dec, err = run("xbee", "decode", "--json", "--api", api, out.strip())
        assert rc == 0, err
        doc = json.loads(dec)
        assert len(doc["frames"]) == 1


@pytest.mark.parametrize("argv,needle", [
    (["tx-tls", "--port", "443"], "needs --ip"),
    (["tx-tls", "--ip", "1.2.3", "--port", "443"], "dotted quad"),
    (["tx-tls", "--ip", "1.2.3.4", "--port", "99999"], "0-65535"),
    (["tx-tls", "--ip", "1.2.3.4", "--port", "443", "--socket", "1"], "does not apply"),
    (["tx-bogus"], "unknown frame type"),
    (["0x 23"], "unknown frame type"),
    (["0x47", "--data", "ab", "--data-hex", "0102"], "not both"),
    (["0x47", "--ip", "1.2.3.4"], "--ip does not apply to raw (0x47"),
    (["0x47", "--data-hex", "0g"], "--data-hex: bad hex at character 1"),
    (["0x47", "--data", "a" * 70000], "frame data longer than 65535 bytes"),
    (["0x100", "--data", "x"], "unknown frame type"),
    (["tx-tls", "--ip", "1.2.3.4", "--port", " 443"], "0-65535"),
    (["tx-tls", "--ip", "1.2.3.4", "--port", "-1"], "0-65535"),
    (["at", "--command", "TL", "--api", "3"], "--api"),
    ([], "exactly one frame TYPE"),
])
def test_encode_errors(argv, needle):
    rc, out, err = run("xbee", "encode", *argv)
    assert rc == 2
    assert needle in one_line_error(err)
    assert out == ""


def test_encode_numbers_are_decimal_not_octal():
    # "numbers are decimal or 0x hex" (--help): a leading zero is not octal
    rc, out, err = run("xbee", "encode", "tx-tls", "--ip", "1.2.3.4", "--port", "010", "--frame-id", "08")
    assert rc == 0, err
    rc, dec, err = run("xbee", "decode", "--json", out.strip())
    assert rc == 0, err
    fields = {f["key"]: f["value"] for f in json.loads(dec)["frames"][0]["fields"]}
    assert fields["dest_port"] == 10 and fields["frame_id"] == 8


def test_help_lists_every_type():
    rc, out, _ = run("xbee", "--help")
    assert rc == 0
    for verb in ("at", "at-queue", "tx-ipv4", "tx-tls", "socket-create", "socket-option", "socket-connect",
                 "socket-close", "socket-send", "socket-sendto", "socket-bind"):
        assert re.search(r"^\s+%s\s+0x" % re.escape(verb), out, re.M), verb


def test_demo():
    rc, out, err = run("demo")
    assert rc == 0, err
    assert "0x23 Tx Request with TLS Profile" in out
    assert "66.230.114.174" in out and "0xC4" in out and '"test_data"' in out
    assert "Unknown error" in out and "cipher-suite mismatch" in out
    assert CHECK_LINE in out
    assert "FAIL  no common cipher suite" in out  # the full demo (issue 5) replaced the interim one


def test_docs_tables_are_current():
    """docs/xbee.md embeds `tlsdiag xbee tables` verbatim between markers."""
    src = os.environ.get("TD_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
    doc = open(os.path.join(src, "docs", "xbee.md"), encoding="utf-8").read()
    begin, end = "<!-- BEGIN tlsdiag xbee tables -->\n", "<!-- END tlsdiag xbee tables -->"
    assert begin in doc and end in doc
    embedded = doc.split(begin, 1)[1].split(end, 1)[0]
    rc, out, err = run("xbee", "tables")
    assert rc == 0, err
    assert embedded == out, "docs/xbee.md is stale: run scripts/xbee-doc-tables.sh"
    for code in ("| 0x85 | Unknown error |", "| 0x86 | Invalid TLS configuration", "| 0x2F | TLS Socket Authentication"):
        assert code in out
