"""Running `tlsdiag scan` from the e2e tests and reading its JSON."""
import json
import os
import subprocess

TLSDIAG = os.environ.get("TLSDIAG", "tlsdiag")
SCAN_TIMEOUT = 120


def scan(*args, expect_rc=0, timeout=SCAN_TIMEOUT):
    """Runs `tlsdiag scan --json -q ARGS`; returns the parsed JSON (a list
    when the output is JSON Lines with several objects)."""
    cmd = [TLSDIAG, "scan", "--json", "-q"] + list(args)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    out, err = r.stdout.decode(), r.stderr.decode()
    if expect_rc is not None:
        assert r.returncode == expect_rc, "rc %d (want %d)\nstdout:\n%s\nstderr:\n%s" % (
            r.returncode, expect_rc, out[-3000:], err[-3000:])
    try:
        return json.loads(out)
    except ValueError:
        return [json.loads(line) for line in out.splitlines() if line.strip()]


def scan_text(*args, expect_rc=0):
    cmd = [TLSDIAG, "scan", "-q"] + list(args)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=SCAN_TIMEOUT,
                       env=dict(os.environ, NO_COLOR="1"))
    assert r.returncode == expect_rc, r.stderr.decode()
    return r.stdout.decode()


def codes(view, proto):
    """Suite codes (ints, in reported order) of a view for one protocol key."""
    p = view["protocols"].get(proto)
    return [int(s["code"], 16) for s in p["suites"]] if p else []


def supported(view):
    """Set of protocol keys the view found supported."""
    return {k for k, p in view["protocols"].items() if p["supported"]}


def hexes(cs):
    return sorted("0x%04X" % c for c in cs)
