"""Half-closing (our FIN right after each ClientHello) is on from the start;
a half-closed probe that gets no answer is sent again closed normally. A
server that drops a connection the client half-closed must still be scanned
exactly: that check finds that half-closing lost the answer and the scan is
run again with normal closes."""
import os
import socket
import threading
import time

import pytest

import peers
from scanlib import codes, hexes, scan, supported

CIPHERS = "ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA"


class FinDropProxy:
    """Relays to a real server, but holds the server's bytes for 50 ms and
    drops the connection if the client half-closed meanwhile (as some
    servers and middleboxes treat an early FIN as an abort)."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.stop = False
        self.fins = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        self.sock.settimeout(0.2)
        while not self.stop:
            try:
                c, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
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

    def close(self):
        self.stop = True
        self.thread.join(timeout=2)
        self.sock.close()


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
