"""The fixtures in peers.py start what they promise: each server answers a
real TLS client (openssl s_client) with the configured version and suite,
and each odd server misbehaves in its own way."""
import os
import socket
import subprocess
import tempfile

import pytest

import peers


def s_client(target, *args, servername=None):
    cmd = ["openssl", "s_client", "-connect", target, "-brief"]
    cmd += ["-servername", servername] if servername else ["-noservername"]
    cmd += list(args)
    r = subprocess.run(cmd, input=b"", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20)
    return r.returncode, r.stdout.decode(errors="replace")


@pytest.fixture(scope="module")
def tmp():
    with tempfile.TemporaryDirectory(prefix="td-peers-") as d:
        yield d


@pytest.fixture(scope="module")
def rsa(tmp):
    return peers.make_cert(os.path.join(tmp, "pki"), "localhost", "rsa")


def test_openssl_server_version_and_suite(tmp, rsa):
    with peers.openssl_server(os.path.join(tmp, "s1"), *rsa, ["-tls1_2", "-cipher", "AES128-SHA"]) as srv:
        rc, out = s_client(srv.target)
        assert rc == 0, out
        assert "Protocol version: TLSv1.2" in out and "AES128-SHA" in out
        rc, out = s_client(srv.target, "-tls1_3")
        assert rc != 0


def test_openssl_server_sni_vhost(tmp, rsa):
    other = peers.make_cert(os.path.join(tmp, "pki"), "vhost.test", "ec")
    with peers.openssl_server(os.path.join(tmp, "s2"), *rsa, servername="vhost.test",
                              cert2=other[0], key2=other[1]) as srv:
        rc, out = s_client(srv.target, "-showcerts", servername="vhost.test")
        assert rc == 0 and "CN = vhost.test" in out, out
        rc, out = s_client(srv.target, "-showcerts")
        assert rc == 0 and "CN = localhost" in out, out


def test_nginx_sni_required(tmp, rsa):
    d = os.path.join(tmp, "nginx1")
    with peers.nginx_server(d, [{"default": True, "reject": True},
                                {"server_name": "localhost", "cert": rsa[0], "key": rsa[1]}]) as srv:
        rc, out = s_client(srv.target, servername="localhost")
        assert rc == 0, out
        rc, out = s_client(srv.target)
        assert rc != 0 and "unrecognized name" in out.lower(), out
    assert not os.path.exists(os.path.join(d, "nginx.pid")) or _pid_gone(os.path.join(d, "nginx.pid"))


def _pid_gone(pidfile):
    try:
        pid = int(open(pidfile).read())
    except (OSError, ValueError):
        return True
    try:
        os.kill(pid, 0)
        return False
    except ProcessLookupError:
        return True


def test_apache_ecdhe_dhe_only(tmp, rsa):
    with peers.apache_server(os.path.join(tmp, "apache"), *rsa, protocol="TLSv1.2",
                             ciphers="ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES256-GCM-SHA384") as srv:
        rc, out = s_client(srv.target, "-tls1_2", "-cipher", "AES256-SHA")
        assert rc != 0, out
        rc, out = s_client(srv.target, "-tls1_2", servername="localhost")
        assert rc == 0 and "ECDHE-RSA-AES256-GCM-SHA384" in out, out


def test_gnutls_server(tmp, rsa):
    with peers.gnutls_server(os.path.join(tmp, "gnutls"), *rsa, "NORMAL:-VERS-ALL:+VERS-TLS1.2") as srv:
        rc, out = s_client(srv.target, "-tls1_2")
        assert rc == 0 and "TLSv1.2" in out, out


def test_openssl_ciphers_helper():
    codes = peers.openssl_ciphers("AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256")
    assert codes == [0x002F, 0xC02F]
    with pytest.raises(peers.PeerError):
        peers.openssl_ciphers("NO-SUCH-CIPHER")


def _hello():
    # a minimal TLS 1.2 ClientHello offering AES128-SHA only
    body = b"\x03\x03" + b"\x11" * 32 + b"\x00" + b"\x00\x02\x00\x2f" + b"\x01\x00"
    hs = b"\x01" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + len(hs).to_bytes(2, "big") + hs


@pytest.mark.parametrize("kind", peers.OddServer.KINDS)
def test_odd_servers(kind):
    with peers.odd_server(kind) as srv:
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=1)
        s.sendall(_hello())
        try:
            data = s.recv(4096)
            err = None
        except socket.timeout:
            data, err = b"", "timeout"
        except ConnectionResetError:
            data, err = b"", "reset"
        s.close()
        if kind == "silent":
            assert err == "timeout"
        elif kind == "rst":
            assert err == "reset" or data == b""
        elif kind == "garbage":
            assert data[:1] != b"\x16" and len(data) > 0
        elif kind == "unoffered_suite":
            assert data[0] == 22 and data[5] == 2
            assert data[5 + 4 + 2 + 32 + 1:5 + 4 + 2 + 32 + 3] != b"\x00\x2f"
        elif kind == "alert_after_sh":
            assert data[0] == 22 and b"\x15\x03\x03\x00\x02\x02\x28" in data
        assert srv.accepted == 1
