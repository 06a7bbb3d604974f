#!/usr/bin/python3
"""Regenerates the real-bytes vectors under tests/vectors/.

Each scenario starts a real TLS server (openssl s_server, gnutls-serv, nginx)
on 127.0.0.1, points a real client (openssl s_client, gnutls-cli, curl) at a
recording relay in front of it, and saves what crossed the relay:
  <name>.c2s  the client's bytes (its ClientHello first)
  <name>.s2c  the server's bytes (its whole flight, then whatever followed)
Then it cuts single handshake messages out of those streams for the parser
vectors (<name>.ch, .sh, .cert, .ske, .cr), each one whole handshake message
with its 4-byte header. Only loopback is used. Run as root (nginx) from any
directory: /usr/bin/python3 tests/vectors/capture.py [NAME ...]
(with names, only those scenarios are captured again).
"""
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ONLY = set(sys.argv[1:])  # scenario names to capture again; empty: all


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port, proc, log, bound=5.0):
    end = time.time() + bound
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server on %d not ready; log:\n%s" % (port, open(log).read()[-2000:]))


class Relay(threading.Thread):
    """Accepts one connection, relays it to the upstream port, records bytes."""

    def __init__(self, upstream):
        super().__init__(daemon=True)
        self.upstream = upstream
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind(("127.0.0.1", 0))
        self.ls.listen(1)
        self.port = self.ls.getsockname()[1]
        self.c2s = bytearray()
        self.s2c = bytearray()

    def run(self):
        self.ls.settimeout(10)
        c, _ = self.ls.accept()
        u = socket.create_connection(("127.0.0.1", self.upstream), 5)
        open_ = {c: True, u: True}
        end = time.time() + 8
        while any(open_.values()) and time.time() < end:
            r, _, _ = select.select([s for s in open_ if open_[s]], [], [], 0.5)
            for s in r:
                try:
                    data = s.recv(65536)
                except OSError:
                    data = b""
                other = u if s is c else c
                if not data:
                    open_[s] = False
                    try:
                        other.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    continue
                (self.c2s if s is c else self.s2c).extend(data)
                try:
                    other.sendall(data)
                except OSError:
                    open_[s] = False
        c.close()
        u.close()
        self.ls.close()


def handshake_messages(stream):
    """Plaintext handshake messages from the start of a record stream, until
    the first ChangeCipherSpec or application_data record."""
    out, hs, i = [], bytearray(), 0
    while i + 5 <= len(stream):
        typ, ln = stream[i], int.from_bytes(stream[i + 3:i + 5], "big")
        body = stream[i + 5:i + 5 + ln]
        i += 5 + ln
        if typ != 22:
            break
        hs.extend(body)
        while len(hs) >= 4 and len(hs) >= 4 + int.from_bytes(hs[1:4], "big"):
            n = 4 + int.from_bytes(hs[1:4], "big")
            out.append(bytes(hs[:n]))
            del hs[:n]
    return out


def run(cmd, **kw):
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, **kw)


def stop(p):
    if p is not None and p.poll() is None:
        p.terminate()
        try:
            p.wait(3)
        except subprocess.TimeoutExpired:
            p.kill()


def scenario(tmp, name, server_cmd, client_cmd, port, server_proc_hook=None):
    if ONLY and name not in ONLY:
        return
    log = os.path.join(tmp, name + ".log")
    srv = None
    try:
        if server_cmd is not None:
            srv = subprocess.Popen(server_cmd, stdout=open(log, "w"), stderr=subprocess.STDOUT,
                                   stdin=subprocess.PIPE)
        if srv is None:
            open(log, "w").close()
        wait_port(port, srv, log)
        relay = Relay(port)
        relay.start()
        cl = subprocess.Popen([c.replace("RELAY", str(relay.port)) for c in client_cmd],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            cl.wait(10)
        except subprocess.TimeoutExpired:
            cl.kill()
        relay.join(10)
    finally:
        stop(srv)
        if server_proc_hook:
            server_proc_hook()
    with open(os.path.join(HERE, name + ".c2s"), "wb") as f:
        f.write(relay.c2s)
    with open(os.path.join(HERE, name + ".s2c"), "wb") as f:
        f.write(relay.s2c)
    ext = {1: "ch", 2: "sh", 11: "cert", 12: "ske", 13: "cr"}
    for direction, data in (("c2s", relay.c2s), ("s2c", relay.s2c)):
        seen = set()
        for m in handshake_messages(bytes(data)):
            e = ext.get(m[0])
            if e is None or e in seen:
                continue
            seen.add(e)
            with open(os.path.join(HERE, "%s.%s" % (name, e)), "wb") as f:
                f.write(m)
    print("%-28s c2s %5d  s2c %5d" % (name, len(relay.c2s), len(relay.s2c)))


PCAPS = [
    # (vector name, file in /work/shared/data/captures, frame number of the ClientHello)
    ("iot_dlinkcam_sslv2", "iotsentinel-D-LinkCam-Setup-C-7-STA.pcap", 92),
    ("iot_tplinkplug", "iotsentinel-TP-LinkPlugHS100-Setup-C-9-STA.pcap", 19),
    ("iot_wemoswitch", "iotsentinel-WeMoSwitch-Setup-C-3-STA.pcap", 48),
]


def from_pcaps(capdir="/work/shared/data/captures"):
    """ClientHellos of real IoT devices (IoT Sentinel dataset; see MANIFEST.tsv
    for attribution): the TCP payload of one frame, as sent (record-wrapped)."""
    for name, f, frame in PCAPS:
        if ONLY and name not in ONLY:
            continue
        hexs = subprocess.check_output(["tshark", "-r", os.path.join(capdir, f), "-Y", "frame.number==%d" % frame,
                                        "-T", "fields", "-e", "tcp.payload"], stderr=subprocess.DEVNULL)
        data = bytes.fromhex(hexs.decode().strip().replace(":", ""))
        with open(os.path.join(HERE, name + ".rec"), "wb") as out:
            out.write(data)
        print("%-28s %d bytes" % (name, len(data)))


def tls13_decrypted(tmp):
    """TLS 1.3 messages that are only ever sent encrypted (EncryptedExtensions,
    CertificateRequest, Certificate), decrypted by tshark from a loopback
    capture with the client's key log (openssl s_client -keylogfile). The
    server asks for a client certificate (-verify 1) so a 1.3 CertificateRequest
    is sent, and the client answers with an empty Certificate."""
    import json
    if ONLY and "ossl13_decrypted" not in ONLY:
        return
    key, crt = os.path.join(tmp, "k13.pem"), os.path.join(tmp, "c13.pem")
    subprocess.check_call(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
                           "-days", "825", "-subj", "/CN=t13.test"], stderr=subprocess.DEVNULL)
    p = free_port()
    cap, keys = os.path.join(tmp, "t13.pcapng"), os.path.join(tmp, "t13.keys")
    ts = subprocess.Popen(["tshark", "-q", "-i", "lo", "-f", "tcp port %d" % p, "-w", cap],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    srv = None
    try:
        time.sleep(1.5)
        log = os.path.join(tmp, "t13.log")
        srv = subprocess.Popen(["openssl", "s_server", "-quiet", "-www", "-accept", "127.0.0.1:%d" % p, "-cert", crt,
                                "-key", key, "-tls1_3", "-verify", "1"], stdout=open(log, "w"),
                               stderr=subprocess.STDOUT)
        wait_port(p, srv, log)
        subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % p, "-tls1_3", "-servername", "t13.test",
                        "-keylogfile", keys], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=10)
        time.sleep(0.7)
    finally:
        stop(srv)
        time.sleep(0.5)
        stop(ts)
    out = subprocess.check_output(["tshark", "-r", cap, "-o", "tls.keylog_file:" + keys, "-Y", "tls.handshake",
                                   "-T", "json", "-x", "--no-duplicate-keys"], stderr=subprocess.DEVNULL)
    msgs = []

    def walk(o, port):
        if isinstance(o, dict):
            if "tcp.srcport" in o:
                port = o["tcp.srcport"]
            for k, v in o.items():
                if k == "tls.handshake_raw":
                    for x in (v if isinstance(v[0], list) else [v]):
                        msgs.append((port, bytes.fromhex(x[0])))
                else:
                    walk(v, port)
        elif isinstance(o, list):
            for v in o:
                walk(v, port)

    for pkt in json.loads(out):
        layers = pkt["_source"]["layers"]
        walk(layers.get("tls", {}), layers["tcp"]["tcp.srcport"])
    names = {(True, 8): "ee", (True, 13): "cr", (True, 11): "cert", (False, 11): "client_cert"}
    for port, m in msgs:
        n = names.get((port == str(p), m[0]))
        if n is None:
            continue
        with open(os.path.join(HERE, "ossl13_decrypted.%s" % n), "wb") as f:
            f.write(m)
        print("%-28s %s %d bytes" % ("ossl13_decrypted", n, len(m)))


def main():
    from_pcaps()
    tmp = tempfile.mkdtemp(prefix="tdvec-")
    try:
        tls13_decrypted(tmp)
        key, crt = os.path.join(tmp, "k.pem"), os.path.join(tmp, "c.pem")
        subprocess.check_call(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                               "-out", crt, "-days", "825", "-subj", "/CN=vectors.test",
                               "-addext", "subjectAltName=DNS:vectors.test"], stderr=subprocess.DEVNULL)
        ossl = ["openssl", "s_server", "-quiet", "-www", "-cert", crt, "-key", key]
        cli = ["openssl", "s_client", "-connect", "127.0.0.1:RELAY"]

        p = free_port()
        scenario(tmp, "ossl_tls12_ecdhe", ossl + ["-accept", "127.0.0.1:%d" % p, "-tls1_2",
                 "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"], cli + ["-tls1_2", "-servername", "vectors.test"], p)
        p = free_port()
        scenario(tmp, "ossl_tls12_dhe", ossl + ["-accept", "127.0.0.1:%d" % p, "-tls1_2",
                 "-cipher", "DHE-RSA-AES256-SHA"], cli + ["-tls1_2", "-noservername", "-cipher",
                 "DHE-RSA-AES256-SHA"], p)
        p = free_port()
        scenario(tmp, "ossl_tls11_ecdhe", ossl + ["-accept", "127.0.0.1:%d" % p, "-tls1_1",
                 "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"], cli + ["-tls1_1", "-noservername",
                 "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"], p)
        p = free_port()
        scenario(tmp, "ossl_tls12_rsa_certreq", ossl + ["-accept", "127.0.0.1:%d" % p, "-tls1_2",
                 "-cipher", "AES256-SHA", "-verify", "1"], cli + ["-tls1_2", "-noservername", "-cipher",
                 "AES256-SHA:AES256-SHA256"], p)
        p = free_port()
        # a client certificate required, with the acceptable CA named
        scenario(tmp, "ossl_tls12_certreq_cas", ossl + ["-accept", "127.0.0.1:%d" % p, "-tls1_2",
                 "-cipher", "AES128-SHA", "-Verify", "1", "-CAfile", crt],
                 cli + ["-tls1_2", "-noservername", "-cipher", "AES128-SHA"], p)
        p = free_port()
        scenario(tmp, "ossl_tls13", ossl + ["-accept", "127.0.0.1:%d" % p, "-tls1_3"],
                 cli + ["-tls1_3", "-servername", "vectors.test"], p)
        p = free_port()
        scenario(tmp, "ossl_tls13_hrr", ossl + ["-accept", "127.0.0.1:%d" % p, "-tls1_3",
                 "-groups", "secp384r1"], cli + ["-tls1_3", "-noservername", "-groups", "X25519:secp384r1"], p)
        p = free_port()
        scenario(tmp, "ossl_alert_nocipher", ossl + ["-accept", "127.0.0.1:%d" % p, "-tls1_2",
                 "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"], cli + ["-tls1_2", "-noservername", "-cipher",
                 "AES256-SHA"], p)

        p = free_port()
        scenario(tmp, "ossl_tls10", ossl + ["-accept", "127.0.0.1:%d" % p, "-tls1",
                 "-cipher", "AES128-SHA:@SECLEVEL=0"], cli + ["-tls1", "-noservername",
                 "-cipher", "AES128-SHA:@SECLEVEL=0"], p)
        p = free_port()
        scenario(tmp, "ossl_mfl512", ossl + ["-accept", "127.0.0.1:%d" % p, "-tls1_2"],
                 cli + ["-tls1_2", "-noservername", "-maxfraglen", "512"], p)
        ekey, ecrt = os.path.join(tmp, "ek.pem"), os.path.join(tmp, "ec.pem")
        subprocess.check_call(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                               "-nodes", "-keyout", ekey, "-out", ecrt, "-days", "825", "-subj", "/CN=ecdsa.test"],
                              stderr=subprocess.DEVNULL)
        p = free_port()
        scenario(tmp, "ossl_ecdsa", ["openssl", "s_server", "-quiet", "-www", "-cert", ecrt, "-key", ekey,
                 "-accept", "127.0.0.1:%d" % p, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"],
                 cli + ["-tls1_2", "-noservername", "-sigalgs", "ecdsa_secp256r1_sha256"], p)

        p = free_port()
        scenario(tmp, "gnutls_tls13", ["gnutls-serv", "--http", "--port", str(p), "--x509certfile", crt,
                 "--x509keyfile", key, "--priority", "NORMAL"],
                 ["gnutls-cli", "--insecure", "--port", "RELAY", "--sni-hostname", "vectors.test",
                  "127.0.0.1"], p)
        p = free_port()
        scenario(tmp, "gnutls_tls12", ["gnutls-serv", "--http", "--port", str(p), "--x509certfile", crt,
                 "--x509keyfile", key, "--priority", "NORMAL:-VERS-TLS1.3"],
                 ["gnutls-cli", "--insecure", "--port", "RELAY", "--sni-hostname", "vectors.test",
                  "127.0.0.1"], p)

        p = free_port()
        ngdir = os.path.join(tmp, "nginx")
        os.makedirs(ngdir)
        with open(os.path.join(ngdir, "nginx.conf"), "w") as f:
            f.write("""daemon off; pid %(d)s/nginx.pid; error_log %(d)s/error.log info;
events {}
http { access_log off; client_body_temp_path %(d)s/cb; proxy_temp_path %(d)s/px;
 fastcgi_temp_path %(d)s/fc; uwsgi_temp_path %(d)s/uw; scgi_temp_path %(d)s/sc;
 server { listen 127.0.0.1:%(p)d ssl; server_name vectors.test; ssl_certificate %(c)s;
  ssl_certificate_key %(k)s; ssl_protocols TLSv1.2; return 200 "ok"; } }
""" % {"d": ngdir, "p": p, "c": crt, "k": key})
        scenario(tmp, "nginx_tls12", ["nginx", "-p", ngdir, "-c", os.path.join(ngdir, "nginx.conf")],
                 ["curl", "-sk", "--max-time", "5", "--tlsv1.2", "--tls-max", "1.2", "--resolve",
                  "vectors.test:RELAY:127.0.0.1", "https://vectors.test:RELAY/"], p)

        # a two-certificate chain (leaf signed by a local CA), and a plain-HTTP
        # port answering a TLS client (the "garbage" a misconfigured port sends)
        cakey, cacrt = os.path.join(tmp, "cak.pem"), os.path.join(tmp, "ca.pem")
        lkey, lcsr, lcrt = (os.path.join(tmp, n) for n in ("lk.pem", "l.csr", "l.pem"))
        subprocess.check_call(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", cakey,
                               "-out", cacrt, "-days", "825", "-subj", "/CN=Vectors Test CA"],
                              stderr=subprocess.DEVNULL)
        subprocess.check_call(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", lkey,
                               "-out", lcsr, "-subj", "/CN=chain.test"], stderr=subprocess.DEVNULL)
        subprocess.check_call(["openssl", "x509", "-req", "-in", lcsr, "-CA", cacrt, "-CAkey", cakey,
                               "-CAcreateserial", "-days", "825", "-out", lcrt], stderr=subprocess.DEVNULL)
        chain = os.path.join(tmp, "chain.pem")
        with open(chain, "w") as f:
            f.write(open(lcrt).read() + open(cacrt).read())
        p, q = free_port(), free_port()
        ngdir2 = os.path.join(tmp, "nginx2")
        os.makedirs(ngdir2)
        with open(os.path.join(ngdir2, "nginx.conf"), "w") as f:
            f.write("""daemon off; pid %(d)s/nginx.pid; error_log %(d)s/error.log info;
events {}
http { access_log off; client_body_temp_path %(d)s/cb; proxy_temp_path %(d)s/px;
 fastcgi_temp_path %(d)s/fc; uwsgi_temp_path %(d)s/uw; scgi_temp_path %(d)s/sc;
 server { listen 127.0.0.1:%(p)d ssl; server_name chain.test; ssl_certificate %(c)s;
  ssl_certificate_key %(k)s; ssl_protocols TLSv1.2 TLSv1.3; return 200 "ok"; }
 server { listen 127.0.0.1:%(q)d; return 200 "plain"; } }
""" % {"d": ngdir2, "p": p, "q": q, "c": chain, "k": lkey})
        ng = subprocess.Popen(["nginx", "-p", ngdir2, "-c", os.path.join(ngdir2, "nginx.conf")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            scenario(tmp, "nginx_chain", None, cli + ["-tls1_2", "-servername", "chain.test"], p)
            scenario(tmp, "nginx_plain_http", None, cli + ["-tls1_2", "-noservername"], q)
        finally:
            stop(ng)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
