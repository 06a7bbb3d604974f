"""End-to-end tests of `tlsdiag explain`: the binary, its exit codes and JSON,
the seed's Apache log lines, and real error-log lines produced by a real
apache2 and nginx on 127.0.0.1 failing a handshake with `openssl s_client`.
"""
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time

import pytest

TLSDIAG = os.environ.get("TLSDIAG", "build/tlsdiag")

SEED_AH02645 = ("[Wed May 22 01:59:17.610306 2019] [ssl:debug] [pid 20187:tid 2965328944] "
                "ssl_engine_kernel.c(2143): [client] AH02645: Server name not provided via TLS extension "
                "(using default/first virtual host)")
SEED_AH02007 = ("[Wed May 22 01:59:18.180208 2019] [ssl:debug] [pid 20187:tid 2965328944] "
                "ssl_engine_io.c(1308): (70014)End of file found: [client] AH02007: SSL handshake "
                "interrupted by system [Hint: Stop button pressed in browser?!]")


def explain(*args, stdin=None):
    p = subprocess.run([TLSDIAG, "explain", *args], input=stdin, capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def explain_json(*args, stdin=None):
    rc, out, err = explain("--json", *args, stdin=stdin)
    return rc, json.loads(out)


# --- the binary, without servers ------------------------------------------------


def test_seed_lines_resolve():
    rc, doc = explain_json(SEED_AH02645)
    assert rc == 0
    assert [m["code"] for m in doc["matches"]] == ["AH02645"]
    assert doc["matches"][0]["summary"] == "client sent no SNI"
    rc, doc = explain_json(SEED_AH02007)
    assert rc == 0
    assert [m["code"] for m in doc["matches"]] == ["AH02007"]
    m = doc["matches"][0]
    assert m["summary"] == "client closed during the handshake"
    assert "rejects the server certificate or the negotiated parameters" in m["meaning"]
    assert m["sides"][0] == "device"
    assert any(c.startswith("tlsdiag check ") for c in m["commands"])
    # text output says the same
    rc, out, _ = explain(SEED_AH02007)
    assert rc == 0 and "client closed during the handshake" in out and "Settle it:" in out


def test_whole_seed_log_from_stdin():
    log = "\n".join([
        "[Wed May 22 01:59:17.599721 2019] [ssl:info] [pid 20187:tid 2965328944] [client 192.0.2.7:40000] "
        "AH01964: Connection to child 74 established (server www.example.net:443)",
        SEED_AH02645, SEED_AH02007,
        "[Wed May 22 01:59:18.181613 2019] [ssl:info] [pid 20187:tid 2965328944] [client 192.0.2.7:40000] "
        "AH01998: Connection closed to child 74 with abortive shutdown (server www.example.net:443)",
    ])
    rc, doc = explain_json("-", stdin=log)
    assert rc == 0
    codes = {m["code"] for m in doc["matches"]}
    assert {"AH01964", "AH02645", "AH02007", "AH01998"} <= codes
    # the server named in the log is filled in, never the client address
    assert doc["target"] == {"host": "www.example.net", "port": "443"}
    for m in doc["matches"]:
        for c in m["commands"]:
            assert "192.0.2.7" not in c
    ah02007 = next(m for m in doc["matches"] if m["code"] == "AH02007")
    assert "tlsdiag check www.example.net:443 --device DEVICE" in ah02007["commands"]


@pytest.mark.parametrize("args,source,code", [
    (["0x85"], "xbee-tx-status", "0x85"),
    (["--from", "xbee-tx-status", "0x85"], "xbee-tx-status", "0x85"),
    (["85"], "xbee-tx-status", "0x85"),
    (["-0x7780"], "mbedtls", "-0x7780"),
    (["-30592"], "mbedtls", "-0x7780"),
    (["-0x2700"], "mbedtls", "-0x2700"),
    (["AH02645"], "apache-mod-ssl", "AH02645"),
    (["X509_V_ERR_CERT_HAS_EXPIRED"], "x509-verify", "10"),
    (["40"], "tls-alert", "40"),
    (["handshake_failure"], "tls-alert", "40"),
    (["no", "shared", "cipher"], "openssl-reason", "0A0000C1"),
    (["+QSSLOPEN: 0,566"], "quectel", "566"),
    (["+HTTPACTION: 0,715,0"], "simcom-a76xx", "715"),
    (["0x801A"], "esp-tls", "0x801A"),
])
def test_codes_in_any_form(args, source, code):
    rc, doc = explain_json(*args)
    assert rc == 0
    best = doc["matches"][0]
    assert (best["source"], best["code"]) == (source, code)
    assert best["ref"]
    assert best["sides"] and best["commands"] and best["meaning"]


def test_ambiguous_lists_every_match():
    rc, doc = explain_json("85")
    assert rc == 0
    pairs = [(m["source"], m["code"]) for m in doc["matches"]]
    assert pairs[0] == ("xbee-tx-status", "0x85")
    assert ("xbee-socket-status", "0x85") in pairs
    scores = [m["match"]["score"] for m in doc["matches"]]
    assert scores == sorted(scores, reverse=True)
    rc, out, _ = explain("85")
    assert "matches for \"85\", best first" in out


def test_xbee_device_filled_in():
    rc, doc = explain_json("connect to 66.230.114.174:443 TX Status 0x85")
    assert rc == 0
    assert doc["matches"][0]["commands"][0] == \
        "tlsdiag check 66.230.114.174:443 --device xbee3-cellular-ltem"
    rc, doc = explain_json("--device", "my-board", "AH02007")
    assert doc["matches"][0]["commands"][0] == "tlsdiag check HOST:443 --device my-board"


def test_no_match_exit_1_and_suggests_sources():
    rc, out, err = explain("frobnicated widget")
    assert rc == 1
    assert "Nothing known matches" in out
    assert "--from" in out and "xbee-tx-status" in out
    rc, doc = explain_json("frobnicated widget")
    assert rc == 1 and doc["matches"] == []
    rc, out, _ = explain("--from", "tls-alert", "0x85")
    assert rc == 1


def test_usage_errors_exit_2():
    for args in ([], ["--from"], ["--from", "no-such-source", "1"], ["--frobnicate", "1"]):
        rc, out, err = explain(*args)
        assert rc == 2, args
        assert err.startswith("tlsdiag explain: ") and err.count("\n") == 1, (args, err)
    rc, out, err = explain("--from", "nope", "1")
    assert "xbee-tx-status" in err


@pytest.mark.parametrize("args,stdin,needle", [
    (["-"], b"", "stdin is empty"),
    (["-"], b" \n\t\x00\n", "stdin is empty"),
    ([""], None, "the text given is empty"),
    (["--json", "  "], None, "the text given is empty"),
    (["--from="], None, "--from needs a value"),
    (["--device"], None, "--device needs a value"),
    (["--list", "0x85"], None, "--list takes no CODE"),
])
def test_input_usage_errors_one_line(args, stdin, needle):
    # nothing to look up is an input error (2), not "nothing matched" (1);
    # so is text given to --list, which used to be ignored
    p = subprocess.run([TLSDIAG, "explain", *args], input=stdin, capture_output=True, timeout=30)
    assert p.returncode == 2, p
    assert p.stdout == b""
    err = p.stderr.decode()
    assert err.startswith("tlsdiag explain: ") and err.count("\n") == 1 and needle in err, err


def test_oversized_stdin_is_one_line_error():
    p = subprocess.run([TLSDIAG, "explain", "-"], input=b"no shared cipher " * 70000, capture_output=True,
                       timeout=30)
    assert p.returncode == 2 and p.stdout == b""
    assert p.stderr.decode().count("\n") == 1 and "limit" in p.stderr.decode()


def test_list_and_help():
    rc, out, _ = explain("--list")
    assert rc == 0
    for src in ("xbee-tx-status", "tls-alert", "openssl-reason", "x509-verify", "mbedtls",
                "apache-mod-ssl", "nginx", "quectel", "simcom-a76xx", "esp-tls", "ublox"):
        assert src in out
    rc, doc = explain_json("--list")
    assert rc == 0 and all(s["entries"] > 0 for s in doc["sources"])
    rc, out, _ = explain("--help")
    assert rc == 0 and "Exit codes" in out


def test_binary_input_stays_valid_json():
    p = subprocess.run([TLSDIAG, "explain", "--json", "-"], input=b"AH02645 \xff\xfe\x00 caf\xc3\xa9",
                       capture_output=True, timeout=30)
    assert p.returncode == 0
    doc = json.loads(p.stdout)
    assert doc["input"].startswith("AH02645 ")
    assert doc["matches"][0]["code"] == "AH02645"


def test_json_schema():
    rc, doc = explain_json(SEED_AH02645)
    assert list(doc.keys()) == ["input", "from", "target", "matches"]
    m = doc["matches"][0]
    assert list(m.keys()) == ["source", "source_title", "code", "value", "name", "summary", "meaning",
                              "causes", "sides", "commands", "aliases", "ref", "match"]
    assert list(m["match"].keys()) == ["how", "text", "note", "score", "offset"]
    assert m["match"]["how"] == "symbol" and m["match"]["text"] == "AH02645"
    rc, doc = explain_json("0x85")
    assert doc["matches"][0]["value"] == 0x85


# --- real servers -------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc_log, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    tail = open(proc_log).read()[-2000:] if os.path.exists(proc_log) else "(no log)"
    raise RuntimeError("server on port %d not ready:\n%s" % (port, tail))


def make_cert(d, cn="localhost"):
    key, crt = os.path.join(d, "key.pem"), os.path.join(d, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
                    "-days", "30", "-subj", "/CN=" + cn, "-addext", "subjectAltName=DNS:" + cn],
                   check=True, capture_output=True, timeout=60)
    return crt, key


def s_client(port, *extra):
    p = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port, *extra],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20)
    return p.stdout + p.stderr


def log_lines(path, needle, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        if os.path.exists(path):
            lines = [l for l in open(path, errors="replace").read().splitlines() if needle in l]
            if lines:
                return lines
        time.sleep(0.1)
    raise AssertionError("no '%s' in %s:\n%s" % (needle, path, open(path).read()[-3000:]
                                                 if os.path.exists(path) else ""))


def stop_pidfile(pidfile):
    try:
        pid = int(open(pidfile).read().strip())
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            os.kill(pid, 0)
            time.sleep(0.1)
    except (OSError, ValueError):
        pass


@pytest.fixture
def apache():
    if shutil.which("apache2") is None:
        pytest.skip("apache2 not installed")
    d = tempfile.mkdtemp(prefix="td-explain-apache-")
    os.chmod(d, 0o755)
    crt, key = make_cert(d)
    port = free_port()
    mods = "/usr/lib/apache2/modules"
    conf = os.path.join(d, "apache2.conf")
    with open(conf, "w") as f:
        f.write(f"""ServerRoot {d}
PidFile {d}/apache2.pid
Mutex file:{d} default
Listen 127.0.0.1:{port}
LoadModule mpm_event_module {mods}/mod_mpm_event.so
LoadModule authz_core_module {mods}/mod_authz_core.so
LoadModule mime_module {mods}/mod_mime.so
LoadModule socache_shmcb_module {mods}/mod_socache_shmcb.so
LoadModule ssl_module {mods}/mod_ssl.so
TypesConfig /etc/mime.types
User www-data
Group www-data
ServerName localhost
ErrorLog {d}/error.log
LogLevel info ssl:debug
SSLSessionCache shmcb:{d}/scache(512000)
DocumentRoot {d}
<VirtualHost 127.0.0.1:{port}>
  ServerName localhost
  SSLEngine on
  SSLCertificateFile {crt}
  SSLCertificateKeyFile {key}
  SSLProtocol -all +TLSv1.2
  SSLCipherSuite ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256
</VirtualHost>
""")
    subprocess.run(["apache2", "-d", d, "-f", conf, "-k", "start"], check=True, capture_output=True, timeout=30)
    try:
        wait_port(port, os.path.join(d, "error.log"))
        yield port, os.path.join(d, "error.log")
    finally:
        stop_pidfile(os.path.join(d, "apache2.pid"))
        shutil.rmtree(d, ignore_errors=True)


def test_real_apache_no_shared_cipher(apache):
    """An XBee-like client (no SNI, RSA key exchange only) against an
    ECDHE-only Apache: explain the client's error and the server's log."""
    port, log = apache
    out = s_client(port, "-noservername", "-tls1_2", "-cipher", "AES256-SHA")
    assert "sslv3 alert handshake failure" in out
    err_line = next(l for l in out.splitlines() if "sslv3 alert handshake failure" in l)
    rc, doc = explain_json(err_line)
    assert rc == 0
    pairs = [(m["source"], m["code"]) for m in doc["matches"]]
    assert pairs[0] == ("openssl-reason", "0A000410")
    assert ("tls-alert", "40") in pairs

    sni_line = log_lines(log, "AH02645")[-1]
    rc, doc = explain_json(sni_line)
    assert rc == 0 and doc["matches"][0]["summary"] == "client sent no SNI"

    lib_lines = log_lines(log, "no shared cipher")
    rc, doc = explain_json(lib_lines[-1])
    assert rc == 0
    assert doc["matches"][0]["code"] == "0A0000C1"
    assert doc["matches"][0]["summary"] == "no cipher suite in common"

    ah02008 = log_lines(log, "AH02008")[-1]
    rc, doc = explain_json(ah02008)
    assert rc == 0 and doc["matches"][0]["code"] == "AH02008"
    # "(server localhost:443)" style vhost id becomes the target of the commands
    assert doc["target"] is not None and doc["target"]["host"] == "localhost"

    # the whole log at once explains all of them
    rc, doc = explain_json("-", stdin=open(log).read())
    codes = {m["code"] for m in doc["matches"]}
    assert {"AH02645", "AH02008", "0A0000C1"} <= codes


def client_hello_bytes():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    inc, outg = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, outg)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outg.read()


@pytest.mark.parametrize("reset,code", [(False, "AH02006"), (True, "AH02007")])
def test_real_apache_client_closes(apache, reset, code):
    """A client that sends its ClientHello, reads the server's flight and
    drops the connection without an alert, like a modem that rejects the
    certificate. With a FIN, httpd + OpenSSL 3 logs AH02006; with a reset,
    AH02007 (the seed's line). Both mean: client closed during the handshake."""
    port, log = apache
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        s.sendall(client_hello_bytes())
        s.recv(4096)  # ServerHello, Certificate...; then vanish
        if reset:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    finally:
        s.close()
    line = log_lines(log, code)[-1]
    rc, doc = explain_json(line)
    assert rc == 0
    assert doc["matches"][0]["code"] == code
    assert doc["matches"][0]["summary"] == "client closed during the handshake"


@pytest.fixture
def nginx():
    if shutil.which("nginx") is None:
        pytest.skip("nginx not installed")
    d = tempfile.mkdtemp(prefix="td-explain-nginx-")
    os.chmod(d, 0o755)
    crt, key = make_cert(d)
    port_ecdhe, port_reject = free_port(), free_port()
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""daemon on;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 64; }}
http {{
  client_body_temp_path {d}/cbt; proxy_temp_path {d}/pt; fastcgi_temp_path {d}/ft;
  uwsgi_temp_path {d}/ut; scgi_temp_path {d}/st;
  access_log off;
  server {{
    listen 127.0.0.1:{port_ecdhe} ssl;
    ssl_certificate {crt}; ssl_certificate_key {key};
    ssl_protocols TLSv1.2;
    ssl_ciphers ECDHE-RSA-AES256-GCM-SHA384;
  }}
  server {{
    listen 127.0.0.1:{port_reject} ssl default_server;
    ssl_reject_handshake on;
  }}
  server {{
    listen 127.0.0.1:{port_reject} ssl;
    server_name device.example;
    ssl_certificate {crt}; ssl_certificate_key {key};
  }}
}}
""")
    p = subprocess.run(["nginx", "-p", d, "-c", conf], capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    try:
        wait_port(port_ecdhe, os.path.join(d, "error.log"))
        wait_port(port_reject, os.path.join(d, "error.log"))
        yield port_ecdhe, port_reject, os.path.join(d, "error.log")
    finally:
        stop_pidfile(os.path.join(d, "nginx.pid"))
        shutil.rmtree(d, ignore_errors=True)


def test_real_nginx_no_shared_cipher(nginx):
    port, _, log = nginx
    s_client(port, "-noservername", "-tls1_2", "-cipher", "AES256-SHA")
    line = log_lines(log, "SSL_do_handshake() failed")[-1]
    rc, doc = explain_json(line)
    assert rc == 0
    pairs = {(m["source"], m["code"]) for m in doc["matches"]}
    assert ("openssl-reason", "0A0000C1") in pairs
    assert ("nginx", "nginx-ssl-do-handshake-failed") in pairs


def test_real_nginx_reject_handshake(nginx):
    """ssl_reject_handshake on the default server: a client without SNI is
    refused with unrecognized_name; both sides' messages are explained."""
    _, port, log = nginx
    out = s_client(port, "-noservername")
    assert "unrecognized name" in out
    client_line = next(l for l in out.splitlines() if "unrecognized name" in l)
    rc, doc = explain_json(client_line)
    assert rc == 0
    pairs = [(m["source"], m["code"]) for m in doc["matches"]]
    assert pairs[0] == ("openssl-reason", "0A000458")
    assert ("tls-alert", "112") in pairs
    line = log_lines(log, "handshake rejected")[-1]
    rc, doc = explain_json(line)
    assert rc == 0
    assert doc["matches"][0]["code"] == "nginx-handshake-rejected"
    assert "no SNI" in doc["matches"][0]["summary"]
