"""`tlsdiag demo`: the seed story on loopback, start to end, cleaned up."""

import glob
import os
import subprocess
import time

from checkrun import TLSDIAG


def test_demo_story():
    before = set(glob.glob("/tmp/tlsdiag-demo-*"))
    t0 = time.monotonic()
    r = subprocess.run([TLSDIAG, "demo"], capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - t0
    assert r.returncode == 0, (r.stdout, r.stderr)
    out = r.stdout
    # 1. the diagnosis
    assert "1. tlsdiag check 127.0.0.1:" in out
    assert "FAIL  no common cipher suite" in out
    assert "TLS_RSA_WITH_AES_256_CBC_SHA (AES256-SHA)" in out
    assert "the device would report: TX Status 0x85 (Unknown error)" in out
    assert "Alert (fatal): handshake_failure   <== fails here" in out
    assert "SSL handshake failed: no shared cipher" in out  # the server's side
    # 2. the fix, applied, and the next result
    i2 = out.index("2. The fix, applied to the local server")
    assert "SSLCipherSuite ECDHE-RSA-AES256-GCM-SHA384:" in out[i2:]
    assert ":AES256-SHA" in out[i2:]
    assert "PASS  the device completes the handshake: TLS 1.2, TLS_RSA_WITH_AES_256_CBC_SHA" in out[i2:]
    # 3. the certificate question
    i3 = out.index("3. The certificate question")
    assert "check.no-validation" in out[i2:i3]
    assert "the CA file must be that certificate itself" in out[i2:i3]
    assert "check.cert-accepted" in out[i3:]
    assert "Summary: the 0x85 was a cipher-suite mismatch, not SNI" in out
    # progress on stderr only, loopback only, quick, and nothing left behind
    assert "tlsdiag check:" in r.stderr
    assert "127.0.0.1" in out and "0.0.0.0" not in out
    assert elapsed < 15, elapsed
    assert set(glob.glob("/tmp/tlsdiag-demo-*")) == before


def test_demo_quiet_and_usage():
    r = subprocess.run([TLSDIAG, "demo", "-q"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == ""
    r = subprocess.run([TLSDIAG, "demo", "extra"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "no arguments" in r.stderr
    r = subprocess.run([TLSDIAG, "demo", "--bogus"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == "tlsdiag demo: unknown option '--bogus' (run 'tlsdiag demo --help')\n"
