"""Half-closing (our FIN right after each ClientHello) is on from the start;
a half-closed probe that gets no answer is sent again, half-closed and
closed normally at once. A server that drops a connection the client
half-closed must still be scanned exactly: that check finds that
half-closing lost the answer and the scan is run again with normal closes.
A connection dropped now and then for another reason (a busy server, a
proxy) is only repeated: exact, still half-closed, and no rerun."""
import os
import socket
import threading
import time

import pytest

import peers
from scanlib import codes, hexes, scan, supported

CIPHERS = "ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA"


class Relay:
    """A relay on 127.0.0.1 in front of a real server; each accepted
    connection is handed, with its number (1-based, in accept order), to the
    subclass's _serve on a thread of its own."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.count = 0
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        self.sock.settimeout(0.2)
        while not self.stop:
            try:
                c, _ = self.sock.accept()
            except OSError:
                continue
            with self.lock:
                self.count += 1
                n = self.count
            threading.Thread(target=self._serve, args=(c, n), daemon=True).start()

    def _serve(self, c, n):
        raise NotImplementedError

    def close(self):
        self.stop = True
        self.thread.join(timeout=2)
        self.sock.close()


class FinDropProxy(Relay):
    """Relays to a real server, but holds the server's bytes for 50 ms and
    drops the connection if the client half-closed meanwhile (as some
    servers and middleboxes treat an early FIN as an abort)."""

    def __init__(self, upstream):
        self.fins = 0
        super().__init__(upstream)

    def _serve(self, c, n):
        try:
            u = socket.create_connection(("127.0.0.1", self.upstream), timeout=5)
        except OSError:
            c.close()
            return
        fin = threading.Event()

        def down():
            try:
                while True:
                    data = u.recv(65536)
                    if not data:
                        break
                    time.sleep(0.05)
                    if fin.is_set():
                        break
                    c.sendall(data)
            except OSError:
                pass
            finally:
                for s in (c, u):
                    try:
                        s.close()
                    except OSError:
                        pass

        t = threading.Thread(target=down, daemon=True)
        t.start()
        try:
            c.settimeout(10)
            while True:
                data = c.recv(65536)
                if not data:
                    fin.set()
                    self.fins += 1
                    u.shutdown(socket.SHUT_WR)
                    break
                u.sendall(data)
        except OSError:
            pass
        t.join(timeout=12)


class FlakyProxy(Relay):
    """Relays to a real server, except that the connections whose numbers
    are in `drop` are closed as soon as the client's first bytes arrive,
    unanswered."""

    def __init__(self, upstream, drop):
        self.drop = set(drop)
        self.dropped = 0
        super().__init__(upstream)

    def _serve(self, c, n):
        if n in self.drop:
            try:
                c.settimeout(5)
                c.recv(65536)
            except OSError:
                pass
            with self.lock:
                self.dropped += 1
            c.close()
            return
        try:
            u = socket.create_connection(("127.0.0.1", self.upstream), timeout=5)
        except OSError:
            c.close()
            return

        def pipe(a, b):
            try:
                while True:
                    data = a.recv(65536)
                    if not data:
                        b.shutdown(socket.SHUT_WR)
                        break
                    b.sendall(data)
            except OSError:
                pass

        t = threading.Thread(target=pipe, args=(u, c), daemon=True)
        t.start()
        c.settimeout(10)
        pipe(c, u)
        t.join(timeout=12)
        for x in (c, u):
            x.close()


@pytest.fixture
def tmp():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        yield d


def test_server_that_drops_half_closed_connections(tmp):
    cert, key = peers.make_cert(os.path.join(tmp, "pki"), "localhost", "rsa")
    with peers.openssl_server(os.path.join(tmp, "s"), cert, key, ["-tls1_2", "-cipher", CIPHERS]) as srv:
        proxy = FinDropProxy(srv.port)
        try:
            j = scan("127.0.0.1:%d" % proxy.port, "--no-sni-table", "--timeout", "2000")
        finally:
            proxy.close()
    assert j["half_close"] is False
    assert proxy.fins > 0  # the half-closed probes were sent, and dropped
    v = j["views"]["none"]
    assert supported(v) == {"tls1_2"}
    assert hexes(sorted(codes(v, "tls1_2"))) == hexes(sorted([0xC02F, 0x0035]))
    assert v["certificate"]["ok"] and v["certificate"]["subject"] == "CN = localhost"


def test_half_close_on_a_well_behaved_server(tmp):
    cert, key = peers.make_cert(os.path.join(tmp, "pki"), "localhost", "rsa")
    with peers.openssl_server(os.path.join(tmp, "s"), cert, key, ["-tls1_2", "-cipher", CIPHERS]) as srv:
        j = scan("127.0.0.1:%d" % srv.port, "--no-sni-table")
    assert j["half_close"] is True
    assert hexes(sorted(codes(j["views"]["none"], "tls1_2"))) == hexes(sorted([0xC02F, 0x0035]))


def test_transient_drops_are_repeated_not_blamed_on_half_close(tmp):
    cert, key = peers.make_cert(os.path.join(tmp, "pki"), "localhost", "rsa")
    spec = "ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:DHE-RSA-AES256-GCM-SHA384:AES128-SHA256"
    want = peers.openssl_ciphers(spec, "-tls1_2")
    with peers.openssl_server(os.path.join(tmp, "s"), cert, key, ["-cipher", spec]) as srv:
        direct = scan(srv.target)
        # the scan opens ~60 connections; a probe's repeat is never more
        # than the 8 concurrent ones later, so it is never dropped too
        proxy = FlakyProxy(srv.port, drop=(1, 20, 40))
        try:
            j = scan("127.0.0.1:%d" % proxy.port)
        finally:
            proxy.close()
    assert proxy.dropped == 3
    assert j["half_close"] is True  # not blamed on half-closing: no rerun
    assert j["connections"] < 100  # one scan, not two
    for name, v in j["views"].items():
        assert supported(v) == {"tls1_2", "tls1_3"}, name
        assert hexes(codes(v, "tls1_2")) == hexes(want), name
        assert len(codes(v, "tls1_3")) == 3, name
    # everything equals the undisturbed scan (suites, order, groups, extensions)
    for name in direct["views"]:
        for proto, p in direct["views"][name]["protocols"].items():
            q = j["views"][name]["protocols"][proto]
            assert codes(j["views"][name], proto) == codes(direct["views"][name], proto), (name, proto)
            assert q.get("order") == p.get("order"), (name, proto)
    assert j["groups"] == direct["groups"]
    assert j["extensions"] == direct["extensions"]
    # the drops that hit suite probes are reported (group probes keep no observations)
    kinds = [o["kind"] for v in j["views"].values() for o in v["observations"]]
    assert set(kinds) <= {"repeated"}
