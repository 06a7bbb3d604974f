"""tlsdiag devices: list, show, --json, --device-file good and bad, exit codes.

No network peers are needed: the verb only reads built-in data and files.
Run: TLSDIAG=build/tlsdiag TD_SOURCE_DIR=. /usr/bin/python3 -m pytest tests/e2e/test_devices_cli.py
"""
import json
import os
import subprocess

import pytest

TLSDIAG = os.environ.get("TLSDIAG", "build/tlsdiag")
SRC = os.environ.get("TD_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
PROFILES = os.path.join(SRC, "profiles")
BUILTIN = sorted(f[:-5] for f in os.listdir(PROFILES) if f.endswith(".json"))


def run(*args, stdin=None):
    p = subprocess.run([TLSDIAG, "devices", *args], input=stdin, capture_output=True, text=True, timeout=30,
                       env={**os.environ, "NO_COLOR": "1"})
    return p.returncode, p.stdout, p.stderr


def test_list_text_names_every_profile():
    rc, out, err = run()
    assert rc == 0, err
    assert err == ""
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["NAME", "DEVICE", "TLS"]
    names = [l.split()[0] for l in lines[1:] if l and not l.startswith(("'", "level"))]
    assert names == BUILTIN
    xbee = next(l for l in lines if l.startswith("xbee3-cellular-ltem "))
    # versions TLS1.2 (partial), 2+ suites, SNI never, default level 0
    assert "TLS1.2+" in xbee and " 2+ " in xbee and " never " in xbee and xbee.rstrip().endswith("0")


def test_list_json():
    rc, out, _ = run("--json")
    assert rc == 0
    doc = json.loads(out)
    assert doc["schema_version"] == 1
    by = {d["name"]: d for d in doc["devices"]}
    assert sorted(by) == BUILTIN
    x = by["xbee3-cellular-ltem"]
    assert x["tls_versions"] == ["TLS1.2"] and x["tls_versions_coverage"] == "partial"
    assert x["cipher_suites_count"] == 2 and x["cipher_suites_coverage"] == "partial"
    assert x["sni"] == "never" and x["default_level"] == 0
    assert by["esp-at"]["cipher_suites_count"] == "unknown"
    for d in doc["devices"]:
        assert d["facts_total"] == 47 and 0 < d["facts_known"] < d["facts_total"]
    assert by["nrf91"]["default_level"] == "unknown"
    # `list` is the same as no command
    assert run("list", "--json")[1] == out


@pytest.mark.parametrize("name", BUILTIN)
def test_show_every_builtin_json_has_a_source_per_fact(name):
    rc, out, err = run("show", name, "--json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["name"] == name
    for group in ("offers", "validation", "limits", "errors"):
        for key, fact in doc[group].items():
            assert fact["source"], (group, key)
            if fact["value"] == "unknown":
                assert "coverage" not in fact


def test_show_text_xbee_by_alias_case_insensitive():
    rc, out, err = run("show", "XBEE3-LTEM")
    assert rc == 0, err
    assert out.startswith("xbee3-cellular-ltem  Digi XBee3 Cellular LTE-M/NB-IoT")
    assert "0x0035 TLS_RSA_WITH_AES_256_CBC_SHA" in out
    assert "(partial: at least these)" in out
    assert "sni                      never" in out
    assert "cn_max_length            31" in out
    assert "TX Status 0x85" in out
    # unknowns are printed as such, with where that was looked up
    assert "groups                   unknown" in out
    assert out.count("source:") >= 47


def test_show_json_is_a_valid_profile_file(tmp_path):
    rc, out, _ = run("show", "quectel-bg96", "--json")
    assert rc == 0
    f = tmp_path / "mine.json"
    f.write_text(out)
    rc2, out2, err2 = run("show", "--device-file", str(f), "--json")
    assert rc2 == 0, err2
    assert json.loads(out2) == json.loads(out)
    # also from stdin
    rc3, out3, _ = run("show", "--device-file", "-", "--json", stdin=out)
    assert rc3 == 0 and json.loads(out3) == json.loads(out)


def test_device_file_user_profile_edited(tmp_path):
    doc = json.loads(run("show", "xbee3-cellular-ltem", "--json")[1])
    doc["name"] = "my-gateway"
    doc["aliases"] = []
    doc["offers"]["sni"] = {"value": "sends", "source": "our own capture, 2024-05-01"}
    f = tmp_path / "gw.json"
    f.write_text(json.dumps(doc, indent=2))
    rc, out, err = run("show", "--device-file", str(f))
    assert rc == 0, err
    assert out.startswith("my-gateway")
    assert "our own capture, 2024-05-01" in out
    # --device-file without `show` works too
    assert run("--device-file", str(f))[0] == 0


BAD = [
    # (mutation of the xbee profile text, field in the message, message part)
    (('"value": 31,', '"value": "31",'), "limits.cn_max_length.value", "expected an integer"),
    (('"offers": {', '"offers": {\n    "colour": "blue",'), "offers.colour", "unknown field"),
    (('"name": "TLS_RSA_WITH_AES_256_CBC_SHA"}', '"name": "TLS_RSA_WITH_AES_256_CBC_SHA_X"}'),
     "offers.cipher_suites.value[0].name", "does not match"),
    (('"status_request": {"value": "unknown", "source": "devices.md: not found"}',
      '"status_request": {"value": "unknown"}'), "offers.status_request", "missing source"),
    (('"schema_version": 1,', '"schema_version": 1'), None, "JSON syntax error"),
]


@pytest.mark.parametrize("mutation,field,msg", BAD)
def test_device_file_bad_names_line_and_field(tmp_path, mutation, field, msg):
    text = open(os.path.join(PROFILES, "xbee3-cellular-ltem.json")).read()
    assert mutation[0] in text
    bad = text.replace(mutation[0], mutation[1], 1)
    f = tmp_path / "bad.json"
    f.write_text(bad)
    rc, out, err = run("show", "--device-file", str(f))
    assert rc == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("tlsdiag devices: " + str(f) + ":")
    lineno = int(line.split(":")[2])
    if field is not None:
        assert "field " + field in line
        # the line named is the one the offending key/value is on
        key = field.split(".")[-1].split("[")[0]
        assert '"%s"' % key in bad.splitlines()[lineno - 1] or mutation[1].splitlines()[-1].strip() in \
            bad.splitlines()[lineno - 1]
    assert msg in line


def test_device_file_missing_and_not_json(tmp_path):
    rc, _, err = run("show", "--device-file", str(tmp_path / "nope.json"))
    assert rc == 2 and "nope.json" in err and "cannot open" in err
    f = tmp_path / "cert.pem"
    f.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    rc, _, err = run("show", "--device-file", str(f))
    assert rc == 2 and "cert.pem:1:" in err and "JSON syntax error" in err


def test_usage_errors():
    assert run("show")[0] == 2
    assert run("show", "a", "b")[0] == 2
    assert run("frobnicate")[0] == 2
    assert run("--bogus")[0] == 2
    rc, _, err = run("show", "no-such-modem")
    assert rc == 2 and "no-such-modem" in err
    rc, out, _ = run("--help")
    assert rc == 0 and "--device-file" in out
