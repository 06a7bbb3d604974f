#!/usr/bin/python3
"""Exactness under load: scan one local server through the latency proxy
many times while CPU hogs compete for the cores, and count the scans in
which every SNI view found exactly the configured suites.

    bench/exact.sh [--scans 60] [--hogs 2] [--server broad-tls12-13] [--tlsdiag PATH]

Run through bench/exact.sh (a private network namespace with only
loopback). Prints one line per scan that was not exact, then a summary:
exact scans, median/min/max seconds and connections. Exits 1 if any scan
was not exact. Not a test: it takes about a second per scan.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the benchmark's servers, truth and proxy)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tlsdiag", default=os.path.join(run.ROOT, "build", "tlsdiag"))
    ap.add_argument("--scans", type=int, default=60)
    ap.add_argument("--hogs", type=int, default=2, help="busy-looping processes while scanning")
    ap.add_argument("--server", default="broad-tls12-13", choices=sorted(run.SERVERS))
    ap.add_argument("--delay-ms", type=float, default=25.0)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="tdexact-")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{work}/k.pem",
                    "-out", f"{work}/c.pem", "-days", "30", "-subj", "/CN=bench.test"],
                   check=True, capture_output=True)
    conf = run.SERVERS[args.server]
    truth = run.openssl_ids(conf["cipher"], conf["tls13"])
    sport = run.free_port()
    server = subprocess.Popen(["openssl", "s_server", "-quiet", "-www", "-accept", f"127.0.0.1:{sport}",
                               "-cert", f"{work}/c.pem", "-key", f"{work}/k.pem"] + conf["args"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hogs = []
    proxy = None
    times, conns, exact = [], [], 0
    try:
        run.wait_port(sport)
        proxy = run.Proxy(sport, args.delay_ms, work)
        hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.hogs)]
        for i in range(args.scans):
            t0 = time.monotonic()
            p = subprocess.run([args.tlsdiag, "scan", f"127.0.0.1:{proxy.port}", "--json", "-q"],
                               capture_output=True, text=True, timeout=120)
            times.append(time.monotonic() - t0)
            try:
                doc = json.loads(p.stdout)
            except ValueError:
                print(f"scan {i + 1}: no JSON (exit {p.returncode}): {p.stderr.strip()[:200]}")
                continue
            conns.append(doc.get("connections") or 0)
            views = {}
            for name, view in (doc.get("views") or {}).items():
                views[name] = {int(s["code"], 16) for proto in (view.get("protocols") or {}).values()
                               for s in proto.get("suites") or []}
            if views and all(v == truth for v in views.values()):
                exact += 1
            else:
                print(f"scan {i + 1}: " + ", ".join(f"{k} {len(v)}/{len(truth)}" for k, v in views.items()))
    finally:
        for h in hogs:
            h.kill()
        if proxy:
            proxy.stop()
        server.terminate()
        server.wait(timeout=5)
    print(f"{args.server}, {args.hogs} CPU hogs, rtt {2 * args.delay_ms:g}ms: {exact}/{args.scans} scans exact; "
          f"median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}), "
          f"median {statistics.median(conns) if conns else 0:.0f} connections")
    return 0 if exact == args.scans else 1


if __name__ == "__main__":
    sys.exit(main())
