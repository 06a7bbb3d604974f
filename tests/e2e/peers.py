"""Real TLS servers (and a few deliberately odd ones) for end-to-end tests.

Every server binds 127.0.0.1 on a free port, keeps its config, pid and logs in
a private folder, is polled for readiness with a bound (5 s) and fails loudly
with the tail of its log, and is always stopped (by its pid) when the `with`
block ends, even on failure:

    with peers.openssl_server(tmp, cert, key, ["-tls1_2", "-cipher", "AES128-SHA"]) as srv:
        run(TLSDIAG, "scan", srv.target)

Recipes: /work/shared/TESTING.md. Exotic PKI lives in pki.py; this module only
makes plain self-signed RSA/ECDSA certificates.
"""

import contextlib
import os
import random
import signal
import socket
import struct
import subprocess
import threading
import time

READY_TIMEOUT = 5.0


class PeerError(RuntimeError):
    pass


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_tail(path, lines=30):
    try:
        with open(path, "rb") as f:
            data = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join(data[-lines:])
    except OSError as e:
        return "(no log: %s)" % e


def wait_port(port, proc=None, log=None, timeout=READY_TIMEOUT, host="127.0.0.1"):
    """Polls until something accepts on host:port; raises PeerError with the
    log tail if the process died or the bound passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise PeerError("server exited with %s before listening on %d:\n%s"
                            % (proc.returncode, port, log_tail(log) if log else ""))
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise PeerError("nothing listening on %s:%d after %.1f s:\n%s"
                    % (host, port, timeout, log_tail(log) if log else ""))


def run(cmd, **kw):
    """Runs a short command; raises with its output when it fails."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if r.returncode != 0:
        raise PeerError("%s failed (%d):\n%s%s" % (" ".join(cmd), r.returncode,
                                                   r.stdout.decode(errors="replace"),
                                                   r.stderr.decode(errors="replace")))
    return r.stdout.decode(errors="replace")


def make_cert(folder, name="localhost", kind="rsa", bits=2048, sans=None, days=825):
    """A self-signed certificate and key; returns (cert_path, key_path).
    kind: "rsa" (bits) or "ec" (P-256). sans defaults to DNS:name."""
    os.makedirs(folder, exist_ok=True)
    base = os.path.join(folder, "%s-%s" % (name.replace("*", "star"), kind))
    cert, key = base + ".crt", base + ".key"
    if kind == "rsa":
        newkey = "rsa:%d" % bits
        extra = []
    elif kind == "ec":
        newkey = "ec"
        extra = ["-pkeyopt", "ec_paramgen_curve:P-256"]
    else:
        raise ValueError(kind)
    san = ",".join(sans) if sans else "DNS:%s" % name
    run(["openssl", "req", "-x509", "-newkey", newkey] + extra +
        ["-nodes", "-keyout", key, "-out", cert, "-days", str(days), "-subj", "/CN=%s" % name,
         "-addext", "subjectAltName=%s" % san])
    return cert, key


class Server:
    """A started server: .port, .target ("127.0.0.1:PORT"), .dir, .log."""

    def __init__(self, name, proc, port, folder, log, pidfile=None):
        self.name, self.proc, self.port, self.dir, self.log = name, proc, port, folder, log
        self.pidfile = pidfile
        self.target = "127.0.0.1:%d" % port

    def log_tail(self, lines=30):
        return log_tail(self.log, lines)

    def stop(self):
        pids = []
        if self.pidfile:
            try:
                with open(self.pidfile) as f:
                    pids.append(int(f.read().strip()))
            except (OSError, ValueError):
                pass
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=3)
        # daemons that forked: wait until their pid is gone, then kill hard
        deadline = time.monotonic() + 3
        for pid in pids:
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
            else:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def _started(server, ready_port=None, ready_log=None):
    try:
        wait_port(ready_port or server.port, server.proc if server.pidfile is None else None,
                  ready_log or server.log)
        yield server
    finally:
        server.stop()


def openssl_server(folder, cert, key, args=(), servername=None, cert2=None, key2=None):
    """openssl s_server -www on 127.0.0.1. args: e.g. ["-tls1_2", "-cipher",
    "AES128-SHA"]. servername/cert2/key2 add an SNI vhost."""
    os.makedirs(folder, exist_ok=True)
    port = free_port()
    log = os.path.join(folder, "s_server.log")
    cmd = ["openssl", "s_server", "-quiet", "-www", "-accept", "127.0.0.1:%d" % port,
           "-cert", cert, "-key", key] + list(args)
    if servername:
        cmd += ["-servername", servername, "-cert2", cert2, "-key2", key2]
    logf = open(log, "wb")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT)
    logf.close()
    return _started(Server("s_server", proc, port, folder, log))


def gnutls_server(folder, cert, key, priority="NORMAL"):
    """gnutls-serv --http (binds every interface; we only ever connect to
    127.0.0.1)."""
    os.makedirs(folder, exist_ok=True)
    port = free_port()
    log = os.path.join(folder, "gnutls-serv.log")
    cmd = ["gnutls-serv", "--http", "--port", str(port), "--x509certfile", cert, "--x509keyfile", key,
           "--priority", priority]
    logf = open(log, "wb")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT)
    logf.close()
    return _started(Server("gnutls-serv", proc, port, folder, log))


def nginx_server(folder, servers, extra_http=""):
    """nginx with a private prefix. servers: list of dicts with keys
    cert, key, and optional server_name, default (bool), reject (bool: `ssl_reject_handshake on`),
    protocols ("TLSv1.2 TLSv1.3"), ciphers."""
    os.makedirs(folder, exist_ok=True)
    port = free_port()
    log = os.path.join(folder, "error.log")
    pidfile = os.path.join(folder, "nginx.pid")
    blocks = []
    for s in servers:
        lines = ["listen 127.0.0.1:%d ssl%s;" % (port, " default_server" if s.get("default") else "")]
        if s.get("server_name"):
            lines.append("server_name %s;" % s["server_name"])
        if s.get("reject"):
            lines.append("ssl_reject_handshake on;")
        else:
            lines.append("ssl_certificate %s;" % s["cert"])
            lines.append("ssl_certificate_key %s;" % s["key"])
        if s.get("protocols"):
            lines.append("ssl_protocols %s;" % s["protocols"])
        if s.get("ciphers"):
            lines.append("ssl_ciphers %s;" % s["ciphers"])
        lines.append("location / { return 200 \"ok\\n\"; }")
        blocks.append("server {\n    %s\n}" % "\n    ".join(lines))
    conf = """daemon on;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log info;
worker_processes 1;
events { worker_connections 256; }
http {
    access_log %(d)s/access.log;
    client_body_temp_path %(d)s/client_body;
    proxy_temp_path %(d)s/proxy;
    fastcgi_temp_path %(d)s/fastcgi;
    uwsgi_temp_path %(d)s/uwsgi;
    scgi_temp_path %(d)s/scgi;
    %(extra)s
%(servers)s
}
""" % {"d": folder, "extra": extra_http, "servers": "\n".join(blocks)}
    path = os.path.join(folder, "nginx.conf")
    with open(path, "w") as f:
        f.write(conf)
    r = subprocess.run(["nginx", "-p", folder, "-c", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise PeerError("nginx failed to start:\n%s\n%s" % (r.stdout.decode(errors="replace"), log_tail(log)))
    return _started(Server("nginx", None, port, folder, log, pidfile=pidfile))


def apache_server(folder, cert, key, protocol="all -SSLv3", ciphers=None, honor_order=None):
    """apache2 in the foreground-free daemon form with a private ServerRoot
    (TESTING.md). ciphers: SSLCipherSuite, e.g. the seed's ECDHE/DHE list."""
    os.makedirs(folder, exist_ok=True)
    port = free_port()
    log = os.path.join(folder, "error.log")
    pidfile = os.path.join(folder, "apache2.pid")
    mods = "/usr/lib/apache2/modules"
    lines = [
        "ServerRoot %s" % folder,
        "PidFile %s" % pidfile,
        "Mutex file:%s default" % folder,
        "Listen 127.0.0.1:%d" % port,
        "ServerName localhost",
    ] + ["LoadModule %s_module %s/mod_%s.so" % (m, mods, m)
         for m in ("mpm_event", "authz_core", "mime", "socache_shmcb", "ssl")] + [
        "TypesConfig /etc/mime.types",
        "User www-data",
        "Group www-data",
        "ErrorLog %s" % log,
        "LogLevel info ssl:debug",
        "SSLSessionCache shmcb:%s/scache(512000)" % folder,
        "<VirtualHost 127.0.0.1:%d>" % port,
        "  SSLEngine on",
        "  SSLCertificateFile %s" % cert,
        "  SSLCertificateKeyFile %s" % key,
        "  SSLProtocol %s" % protocol,
    ]
    if ciphers:
        lines.append("  SSLCipherSuite %s" % ciphers)
    if honor_order is not None:
        lines.append("  SSLHonorCipherOrder %s" % ("on" if honor_order else "off"))
    lines += ["  DocumentRoot %s" % folder, "</VirtualHost>", ""]
    path = os.path.join(folder, "apache2.conf")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    os.chmod(folder, 0o755)
    env = dict(os.environ, APACHE_RUN_DIR=folder, APACHE_LOG_DIR=folder, APACHE_LOCK_DIR=folder)
    r = subprocess.run(["apache2", "-d", folder, "-f", path, "-k", "start"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, env=env)
    if r.returncode != 0:
        raise PeerError("apache2 failed to start:\n%s\n%s" % (r.stdout.decode(errors="replace"), log_tail(log)))
    return _started(Server("apache2", None, port, folder, log, pidfile=pidfile))


def openssl_ciphers(spec, version_flag=None, ciphersuites=""):
    """Suite codes (ints, in OpenSSL's order) that the local OpenSSL enables
    for a TLS <= 1.2 cipher string: `openssl ciphers -V [-s -tls1_2] SPEC`.
    With version_flag ("-tls1", "-tls1_1", "-tls1_2") only the suites usable
    in that version under the system's security level (-s). TLS 1.3 suites
    are left out unless ciphersuites names them."""
    cmd = ["openssl", "ciphers", "-V", "-ciphersuites", ciphersuites]
    if version_flag:
        cmd += ["-s", version_flag]
    cmd.append(spec)
    out = run(cmd)
    codes = []
    for line in out.splitlines():
        line = line.strip()
        if not line.startswith("0x"):
            continue
        hi, lo = line.split()[0].split(",")
        codes.append(int(hi, 16) << 8 | int(lo, 16))
    return codes


# ---- odd servers (Python, raw TCP) ------------------------------------------

def _read_client_hello(conn, timeout=5.0):
    """Reads one TLS record holding a ClientHello; returns (version, suites)
    or None. Only what the odd servers need; tolerant of junk."""
    conn.settimeout(timeout)
    data = b""
    try:
        while len(data) < 5:
            chunk = conn.recv(4096)
            if not chunk:
                return None
            data += chunk
        need = 5 + struct.unpack("!H", data[3:5])[0]
        while len(data) < need:
            chunk = conn.recv(4096)
            if not chunk:
                return None
            data += chunk
    except OSError:
        return None
    body = data[5:need]
    if data[0] != 22 or len(body) < 4 or body[0] != 1:
        return None
    p = 4
    version = struct.unpack("!H", body[p:p + 2])[0]
    p += 2 + 32
    sid_len = body[p]
    p += 1 + sid_len
    n = struct.unpack("!H", body[p:p + 2])[0]
    p += 2
    suites = [struct.unpack("!H", body[p + i:p + i + 2])[0] for i in range(0, n, 2)]
    sid = body[4 + 2 + 32 + 1:4 + 2 + 32 + 1 + sid_len]
    return version, suites, sid


def _server_hello(version, suite, sid):
    v = min(version, 0x0303)
    body = struct.pack("!H", v) + bytes(random.getrandbits(8) for _ in range(32))
    body += bytes([len(sid)]) + sid + struct.pack("!HB", suite, 0)
    body += struct.pack("!H", 5) + b"\xff\x01\x00\x01\x00"  # renegotiation_info, empty
    hs = bytes([2]) + struct.pack("!I", len(body))[1:] + body
    return bytes([22]) + struct.pack("!HH", v, len(hs)) + hs, v


class OddServer:
    """A misbehaving TLS 'server' on 127.0.0.1:
      alert_after_sh  ServerHello with an offered suite, then a fatal handshake_failure alert
      unoffered_suite ServerHello choosing a suite the client did not offer
      rst             reads the ClientHello, then resets the connection
      silent          reads the ClientHello and never answers (keeps the socket open)
      garbage         answers with bytes that are not TLS, then closes
    Counts the connections it accepted in .accepted."""

    KINDS = ("alert_after_sh", "unoffered_suite", "rst", "silent", "garbage")
    UNOFFERED_CANDIDATES = (0x0035, 0x002F, 0xC02F, 0x009C, 0x1301, 0xFEFE)

    def __init__(self, kind, accept=None):
        """accept (alert_after_sh): the suites it answers with a ServerHello
        (then the alert); any other hello gets a plain handshake_failure."""
        if kind not in self.KINDS:
            raise ValueError(kind)
        self.kind = kind
        self.accept = accept
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.target = "127.0.0.1:%d" % self.port
        self.accepted = 0
        self._stop = threading.Event()
        self._held = []
        self._threads = []
        self._acceptor = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        # the socket listens already: no readiness poll (it would count as a connection)
        self._acceptor.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        with contextlib.suppress(OSError):
            self.sock.close()
        for c in self._held:
            with contextlib.suppress(OSError):
                c.close()
        self._acceptor.join(timeout=3)
        for t in self._threads:
            t.join(timeout=3)

    def _loop(self):
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.accepted += 1
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, conn):
        try:
            hello = _read_client_hello(conn)
            if hello is None and self.kind != "silent":
                conn.close()
                return
            if self.kind == "silent":
                self._held.append(conn)
                return
            version, suites, sid = hello
            if self.kind == "rst":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()
                return
            if self.kind == "garbage":
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" + os.urandom(64))
                conn.close()
                return
            if self.kind == "alert_after_sh":
                real = [s for s in suites if s not in (0x00FF, 0x5600) and not 0x1300 <= s <= 0x13FF]
                if self.accept is not None:
                    real = [s for s in real if s in self.accept]
                if not real:
                    v = min(version, 0x0303)
                    conn.sendall(bytes([21]) + struct.pack("!HH", v, 2) + bytes([2, 40]))
                    time.sleep(0.05)
                    conn.close()
                    return
                suite = real[0]
                sh, v = _server_hello(version, suite, sid)
                conn.sendall(sh + bytes([21]) + struct.pack("!HH", v, 2) + bytes([2, 40]))
                time.sleep(0.05)
                conn.close()
                return
            if self.kind == "unoffered_suite":
                suite = next(s for s in self.UNOFFERED_CANDIDATES if s not in suites)
                sh, _ = _server_hello(version, suite, sid)
                conn.sendall(sh)
                time.sleep(0.05)
                conn.close()
                return
        except OSError:
            with contextlib.suppress(OSError):
                conn.close()


def odd_server(kind, accept=None):
    return OddServer(kind, accept)


def gnutls_suites(priority):
    """Suite codes GnuTLS enables for a priority string (`gnutls-cli -l`)."""
    out = run(["gnutls-cli", "--priority", priority, "-l"])
    codes = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[1].strip().startswith("0x"):
            hi, lo = parts[1].split(",")
            codes.append(int(hi.strip(), 16) << 8 | int(lo.strip(), 16))
    return codes
