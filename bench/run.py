#!/usr/bin/python3
"""Benchmark: tlsdiag scan vs sslscan, nmap ssl-enum-ciphers and testssl.sh.

Run through bench/run.sh, which puts everything in a private network
namespace with only loopback (peer tools stay on loopback; see
shared TESTING.md). For each local server configuration and each network
condition (direct loopback, and through bench/latency_proxy.py adding
DELAY ms each way), the tools run in alternation, RUNS times each. Printed
per tool: median seconds, connections used (counted by the proxy, which is
in the latency condition), suites found,
whether they equal the configured truth, and the ratio to tlsdiag.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"port {port} not ready")


def openssl_ids(cipher_string, tls13=None):
    """IANA codes the server can negotiate (the configured truth): what OpenSSL
    enables for the cipher string, less what an RSA certificate without PSK or
    SRP callbacks cannot use, plus the configured TLS 1.3 suites."""
    out = subprocess.run(["openssl", "ciphers", "-V", "-tls1_2", cipher_string],
                         capture_output=True, text=True, check=True).stdout
    ids = set()
    for line in out.splitlines():
        m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2})\s+-\s+(\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)", line)
        if not m or m.group(4) == "TLSv1.3":
            continue
        if m.group(5) in ("ECDH", "DH", "RSA") and m.group(6) == "RSA":
            ids.add(int(m.group(1) + m.group(2), 16))
    table = {"TLS_AES_128_GCM_SHA256": 0x1301, "TLS_AES_256_GCM_SHA384": 0x1302,
             "TLS_CHACHA20_POLY1305_SHA256": 0x1303, "TLS_AES_128_CCM_SHA256": 0x1304,
             "TLS_AES_128_CCM_8_SHA256": 0x1305}
    for name in (tls13 or "").split(":"):
        if name in table:
            ids.add(table[name])
    return ids


SERVERS = {
    # the seed's server: TLS 1.2, ECDHE/DHE RSA suites only
    "seed-ecdhe-dhe": {
        "args": ["-tls1_2", "-cipher",
                 "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"
                 "DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA:"
                 "DHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA"],
        "cipher": "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"
                  "DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA:"
                  "DHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA",
        "tls13": None,
    },
    # a broad modern server: TLS 1.2 + 1.3, OpenSSL's default list
    "broad-tls12-13": {
        "args": ["-cipher", "DEFAULT", "-ciphersuites",
                 "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"],
        "cipher": "DEFAULT",
        "tls13": "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256",
    },
}


def iana_from_name(name, table):
    return table.get(name.upper())


def name_tables():
    """OpenSSL name -> code and IANA name -> code, from the local openssl."""
    out = subprocess.run(["openssl", "ciphers", "-V", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
                         capture_output=True, text=True, check=True).stdout
    by_ossl, by_iana = {}, {}
    for line in out.splitlines():
        m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2})\s+-\s+(\S+)\s+-\s+(\S+)", line)
        if m:
            code = int(m.group(1) + m.group(2), 16)
            by_iana[m.group(3).upper()] = code
            by_ossl[m.group(4).upper()] = code
    return by_ossl, by_iana


BY_OSSL, BY_IANA = name_tables()


def parse_sslscan(out):
    ids = set()
    for m in re.finditer(r"^(?:Accepted|Preferred)\s+TLSv1\.[0-3]\s+\d+ bits\s+(\S+)", out, re.M):
        code = BY_OSSL.get(m.group(1).upper()) or BY_IANA.get(m.group(1).upper())
        if code is not None:
            ids.add(code)
    return ids


def parse_nmap(out):
    ids = set()
    for m in re.finditer(r"\|\s+(TLS_[A-Z0-9_]+)", out):
        code = BY_IANA.get(m.group(1).upper())
        if code is not None:
            ids.add(code)
    return ids


def parse_testssl(out):
    ids = set()
    for m in re.finditer(r"^\s*x([0-9a-f]{2,4})\s", out, re.M):
        ids.add(int(m.group(1), 16))
    return ids


def parse_tlsdiag(out):
    """Suites of the first scanned view (schema tlsdiag.scan/1, docs/scan-json.md)."""
    doc = json.loads(out)
    ids = set()
    views = doc.get("views") or {}
    for view in views.values():
        for proto in (view.get("protocols") or {}).values():
            for s in proto.get("suites") or []:
                ids.add(int(s["code"], 16))
        break
    return ids, doc.get("connections")


def tools(tlsdiag, port):
    target = f"127.0.0.1:{port}"
    return {
        "tlsdiag": ([tlsdiag, "scan", target, "--json"], parse_tlsdiag),
        "sslscan": (["sslscan", "--no-colour", target], parse_sslscan),
        "nmap": (["nmap", "-n", "-Pn", "-p", str(port), "--script", "ssl-enum-ciphers", "127.0.0.1"], parse_nmap),
        "testssl": (["testssl", "--quiet", "--color", "0", "-p", "-e", target], parse_testssl),
    }


class Proxy:
    def __init__(self, target_port, delay_ms, workdir):
        self.port = free_port()
        self.stats = os.path.join(workdir, f"proxy-{self.port}.stats")
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "latency_proxy.py"), str(self.port),
                                      str(target_port), str(delay_ms), "--stats", self.stats],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)

    def count(self):
        self.proc.send_signal(signal.SIGUSR1)
        for _ in range(50):
            time.sleep(0.02)
            try:
                with open(self.stats) as f:
                    return int(f.read().strip())
            except (OSError, ValueError):
                continue
        return 0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tlsdiag", default=os.path.join(ROOT, "build", "tlsdiag"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--delay-ms", type=float, default=25.0, help="one-way delay added by the proxy")
    ap.add_argument("--tools", default="tlsdiag,sslscan,nmap,testssl")
    ap.add_argument("--servers", default=",".join(SERVERS))
    ap.add_argument("--json-out")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="tdbench-")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{work}/k.pem",
                    "-out", f"{work}/c.pem", "-days", "30", "-subj", "/CN=bench.test",
                    "-addext", "subjectAltName=DNS:bench.test"], check=True, capture_output=True)
    wanted = args.tools.split(",")
    results = []
    try:
        for sname in args.servers.split(","):
            conf = SERVERS[sname]
            truth = openssl_ids(conf["cipher"], conf["tls13"])
            sport = free_port()
            server = subprocess.Popen(["openssl", "s_server", "-quiet", "-www", "-accept", f"127.0.0.1:{sport}",
                                       "-cert", f"{work}/c.pem", "-key", f"{work}/k.pem"] + conf["args"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_port(sport)
                for cond, delay in (("loopback", 0.0), (f"rtt {2 * args.delay_ms:g}ms", args.delay_ms)):
                    # loopback: straight to the server; the latency condition goes
                    # through the proxy, which also counts connections
                    proxy = Proxy(sport, delay, work) if delay > 0 else None
                    try:
                        table = tools(args.tlsdiag, proxy.port if proxy else sport)
                        times = {t: [] for t in wanted}
                        conns = {t: [] for t in wanted}
                        found = {}
                        for run in range(args.runs):
                            # alternate the order between runs
                            order = wanted if run % 2 == 0 else list(reversed(wanted))
                            for t in order:
                                cmd, parse = table[t]
                                before = proxy.count() if proxy else 0
                                t0 = time.monotonic()
                                p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
                                dt = time.monotonic() - t0
                                used = proxy.count() - before if proxy else None
                                parsed = parse(p.stdout)
                                if isinstance(parsed, tuple):
                                    parsed = parsed[0]
                                times[t].append(dt)
                                conns[t].append(used)
                                found[t] = parsed
                                print(f"  {sname} {cond} {t} run {run + 1}: {dt:.2f}s {used or '-'} conns "
                                      f"{len(parsed)} suites", file=sys.stderr)
                        base = statistics.median(times["tlsdiag"]) if "tlsdiag" in times else None
                        print(f"\n== {sname} ({len(truth)} configured suites), {cond}")
                        print(f"{'tool':10} {'median s':>9} {'conns':>6} {'suites':>7} {'=truth':>7} "
                              f"{'x tlsdiag':>10}")
                        for t in wanted:
                            med = statistics.median(times[t])
                            ratio = f"{med / base:.1f}" if base else "-"
                            ok = "yes" if found[t] == truth else "NO"
                            nconn = statistics.median(conns[t]) if proxy else None
                            shown = f"{nconn:6.0f}" if nconn is not None else f"{'-':>6}"
                            print(f"{t:10} {med:9.2f} {shown} {len(found[t]):7d} "
                                  f"{ok:>7} {ratio:>10}")
                            results.append({"server": sname, "condition": cond, "tool": t, "median_s": med,
                                            "runs": times[t], "connections": nconn,
                                            "suites": len(found[t]), "equals_truth": found[t] == truth,
                                            "missing": sorted(hex(x) for x in truth - found[t]),
                                            "extra": sorted(hex(x) for x in found[t] - truth)})
                    finally:
                        if proxy:
                            proxy.stop()
            finally:
                server.terminate()
                server.wait(timeout=5)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
