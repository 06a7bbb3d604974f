"""Odd servers are observations, never crashes or hangs; and the many-target
mode: -f, --jobs, --shard, JSON Lines, unreachable targets, exit codes."""
import json
import os
import socket
import subprocess
import tempfile
import time

import pytest

import peers
from scanlib import TLSDIAG, codes, hexes, scan, supported

FAST = ["--timeout", "400", "--connect-timeout", "1000"]


def kinds(view):
    return {o["kind"] for o in view["observations"]}


def test_alert_after_server_hello():
    with peers.odd_server("alert_after_sh", accept=(0x002F, 0xC02F)) as srv:
        j = scan(srv.target, "--no-sni-table", *FAST)
    v = j["views"]["none"]
    # it did choose these suites before its alert: they are what it accepts
    assert hexes(codes(v, "tls1_2")) == hexes([0x002F, 0xC02F])
    assert hexes(codes(v, "tls1_0")) == hexes([0x002F])
    assert "tls1_3" not in supported(v)  # its hello never speaks 1.3
    assert "alert_after_server_hello" in kinds(v)
    obs = [o for o in v["observations"] if o["kind"] == "alert_after_server_hello"]
    assert "handshake_failure" in obs[0]["detail"]


def test_unoffered_suite():
    with peers.odd_server("unoffered_suite") as srv:
        j = scan(srv.target, "--no-sni-table", *FAST)
    v = j["views"]["none"]
    assert supported(v) == set()
    assert "unoffered_suite" in kinds(v)
    assert v["protocols"]["tls1_2"]["rejected"]["outcome"] == "unoffered_suite"
    assert "not offered" in [o for o in v["observations"] if o["kind"] == "unoffered_suite"][0]["detail"]


@pytest.mark.parametrize("kind,obs", [("rst", "reset"), ("garbage", "malformed"), ("silent", "timeout")])
def test_rst_garbage_silence(kind, obs):
    with peers.odd_server(kind) as srv:
        t0 = time.monotonic()
        j = scan(srv.target, *FAST)
        took = time.monotonic() - t0
    assert j["status"] == "ok"
    for mode in ("none", "unknown"):
        v = j["views"][mode]
        assert supported(v) == set()
        assert obs in kinds(v)
        assert v["certificate"]["ok"] is False and v["certificate"]["error"]
    assert j["sni_table"]["sni_required"] == "unknown"
    # no device "connects" to a server that accepted no version at all
    for row in j["compatibility"]:
        assert row["verdict"] in ("fail", "unknown"), row
        if row["verdict"] == "fail":
            assert "accepted no protocol version" in row["reason"], row
    assert took < 30, "a %s server must not stall the scan (%.1f s)" % (kind, took)


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_unreachable_target_is_valid_json_and_exit_3():
    port = closed_port()
    j = scan("127.0.0.1:%d" % port, expect_rc=3)
    assert j["status"] == "unreachable" and "refused" in j["error"]
    assert j["views"] == {} and j["connections"] >= 1


def test_many_targets_jsonl_jobs_and_shards():
    with tempfile.TemporaryDirectory(prefix="td-scan-many-") as d:
        cert = peers.make_cert(os.path.join(d, "pki"), "localhost", "rsa")
        with peers.openssl_server(os.path.join(d, "s"), *cert, ["-tls1_2", "-cipher", "AES128-SHA"]) as srv, \
                peers.odd_server("rst") as rst:
            bad = "127.0.0.1:%d" % closed_port()
            path = os.path.join(d, "targets.txt")
            with open(path, "w") as f:
                f.write("# targets\n%s\n\n%s   # an odd one\n%s\n" % (srv.target, rst.target, bad))
            lines = scan("-f", path, "--jobs", "3", "--no-sni-table", *FAST, expect_rc=3)
            assert isinstance(lines, list) and len(lines) == 3
            by = {x["target"]: x for x in lines}
            assert set(by) == {srv.target, rst.target, bad}
            assert codes(by[srv.target]["views"]["none"], "tls1_2") == [0x002F]
            assert by[rst.target]["status"] == "ok" and by[bad]["status"] == "unreachable"
            # shards split the list without overlap
            s1 = scan("-f", path, "--shard", "1/2", "--no-sni-table", *FAST, expect_rc=3)
            s2 = scan("-f", path, "--shard", "2/2", "--no-sni-table", *FAST, expect_rc=0)
            s1 = s1 if isinstance(s1, list) else [s1]
            s2 = s2 if isinstance(s2, list) else [s2]
            assert sorted(x["target"] for x in s1 + s2) == sorted(by)
            assert len(s1) == 2 and len(s2) == 1
            # stdin works too, and each line is one JSON object
            r = subprocess.run([TLSDIAG, "scan", "--json", "-q", "-f", "-", "--no-sni-table"] + FAST,
                               input=("%s\n" % srv.target).encode(), stdout=subprocess.PIPE, timeout=60)
            assert r.returncode == 0
            out = r.stdout.decode().splitlines()
            assert len(out) == 1 and json.loads(out[0])["status"] == "ok"


@pytest.mark.parametrize("args,msg", [
    (["--shard", "3/2", "x"], "--shard"),
    (["--jobs", "0", "x"], "--jobs"),
    (["--sni", "a", "--no-sni", "x"], "exclude"),
    ([], "no target"),
    (["host:99999"], "port"),
    (["-f", "/nonexistent/targets"], "cannot open"),
])
def test_usage_errors(args, msg):
    r = subprocess.run([TLSDIAG, "scan"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
    assert r.returncode == 2, r.stderr
    assert msg in r.stderr.decode()
