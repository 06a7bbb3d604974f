"""Helpers for the `tlsdiag check` end-to-end tests: run the binary, parse
its JSON, pick findings. The servers come from peers.py, certificates from
pki.py."""

import json
import os
import subprocess

TLSDIAG = os.environ.get("TLSDIAG", os.path.join(os.path.dirname(__file__), "../../build/tlsdiag"))
XBEE = "xbee3-cellular-ltem"
# The seed thread's server, as nmap listed it, in OpenSSL names.
SEED_CIPHERS = ("ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"
                "DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA:DHE-RSA-AES256-SHA256:"
                "DHE-RSA-AES256-SHA")


class Check:
    def __init__(self, rc, doc, stdout, stderr):
        self.rc, self.doc, self.stdout, self.stderr = rc, doc, stdout, stderr

    @property
    def ids(self):
        return [f["id"] for f in self.doc["findings"]]

    def finding(self, fid):
        for f in self.doc["findings"]:
            if f["id"] == fid:
                return f
        raise AssertionError("no finding %s in %s\n%s" % (fid, self.ids, self.stdout))

    def fix(self, fid, label):
        for x in self.finding(fid)["fixes"]:
            if x["for"] == label:
                return x["text"]
        raise AssertionError("no %s fix in %s" % (label, fid))

    def __repr__(self):
        return "rc=%d ids=%s cause=%s\n%s" % (self.rc, self.ids, self.doc.get("cause"), self.stderr)


def check(target, *args, device=XBEE, timeout=60):
    """`tlsdiag check TARGET --device DEVICE ARGS --json -q`; asserts the JSON parses."""
    cmd = [TLSDIAG, "check", target, "--device", device, "--json", "-q", "--timeout", "4000"] + [str(a) for a in args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert r.returncode in (0, 1), (r.returncode, r.stdout, r.stderr)
    return Check(r.returncode, json.loads(r.stdout), r.stdout, r.stderr)


def check_text(target, *args, device=XBEE, timeout=60):
    cmd = [TLSDIAG, "check", target, "--device", device, "-q", "--timeout", "4000"] + [str(a) for a in args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
