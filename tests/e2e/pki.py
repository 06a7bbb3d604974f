"""A throw-away PKI made with the openssl CLI, for end-to-end tests.

    from pki import Pki
    p = Pki(tmpdir)
    root = p.root()                                  # self-signed root CA
    inter = p.intermediate()                         # CA signed by root
    leaf = p.leaf(cn="device.example", sans=["device.example"], issuer=inter)
    old = p.leaf(cn="old.example", start="20200101000000Z", end="20200102000000Z")
    ip = p.self_signed(cn="192.0.2.10")              # the seed's apache-selfsigned.crt: IP as CN, no SAN
    ec = p.leaf(cn="ec.example", key="ec256")
    p.bundle("two.pem", leaf, inter)                 # several certificates in one file
    p.crlf(leaf.cert), p.bom(leaf.cert), p.der(leaf.cert)
    p.key_pkcs8(leaf), p.key_encrypted_pkcs8(leaf), p.key_encrypted_legacy(leaf)

Every object is a `Cert` with .cert (PEM path), .key (PEM path: PKCS#1 for RSA,
SEC1 for EC: the "traditional" forms), .cn, .name. Nothing is left outside
tmpdir. Dates: OpenSSL 3.0's `x509` cannot set them, so every CA-issued and
dated certificate is made with `openssl ca -startdate/-enddate`
(../shared/TESTING.md).
"""

import ipaddress
import os
import subprocess
from dataclasses import dataclass, field

KEYS = {
    "rsa1024": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
    "rsa2048": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "rsa4096": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:4096"],
    "ec256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "ec384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    "ed25519": ["-algorithm", "ED25519"],
}

CA_CNF = """\
[ ca ]
default_ca = tdca
[ tdca ]
dir = {dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = tdpolicy
unique_subject = no
preserve = yes
copy_extensions = none
[ tdpolicy ]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
emailAddress = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
"""


def _run(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr.strip()))
    return r.stdout


def _san_entry(s):
    if ":" in s and s.split(":", 1)[0] in ("DNS", "IP", "email", "URI"):
        return s
    try:
        ipaddress.ip_address(s)
        return "IP:" + s
    except ValueError:
        return "DNS:" + s


@dataclass
class Cert:
    name: str
    cert: str
    key: str
    cn: str
    key_type: str = "rsa2048"
    issuer: "Cert" = None
    extra: dict = field(default_factory=dict)


class Pki:
    def __init__(self, tmpdir):
        self.dir = str(tmpdir)
        os.makedirs(self.dir, exist_ok=True)
        self._root = None
        self._inter = None
        self._other = None
        self._serial = 0x1000

    # ---- paths and keys ----
    def path(self, name):
        return os.path.join(self.dir, name)

    def new_key(self, name, key="rsa2048"):
        """Generates a key; returns the path of its traditional PEM form
        (PKCS#1 'BEGIN RSA PRIVATE KEY' for RSA, SEC1 for EC, PKCS#8 for Ed25519)."""
        if key not in KEYS:
            raise ValueError("key must be one of %s" % ", ".join(KEYS))
        p8 = self.path(name + ".p8.key")
        _run(["openssl", "genpkey"] + KEYS[key] + ["-out", p8])
        out = self.path(name + ".key")
        if key.startswith("rsa"):
            _run(["openssl", "rsa", "-in", p8, "-traditional", "-out", out])
        elif key.startswith("ec"):
            _run(["openssl", "ec", "-in", p8, "-out", out])
        else:
            os.replace(p8, out)
        if os.path.exists(p8):
            os.unlink(p8)
        return out

    def _ca_dir(self, issuer):
        d = self.path("ca-" + issuer.name)
        if not os.path.isdir(d):
            os.makedirs(os.path.join(d, "newcerts"))
            open(os.path.join(d, "index.txt"), "w").close()
            with open(os.path.join(d, "index.txt.attr"), "w") as f:
                f.write("unique_subject = no\n")
            with open(os.path.join(d, "cnf"), "w") as f:
                f.write(CA_CNF.format(dir=d))
        self._serial += 1
        with open(os.path.join(d, "serial"), "w") as f:
            f.write("%X\n" % self._serial)
        return d

    def _ext_file(self, name, ca, sans, pathlen=None):
        p = self.path(name + ".ext")
        lines = ["[ ext ]"]
        if ca:
            lines.append("basicConstraints = critical, CA:TRUE" + (", pathlen:%d" % pathlen if pathlen is not None else ""))
            lines.append("keyUsage = critical, keyCertSign, cRLSign")
        else:
            lines.append("basicConstraints = CA:FALSE")
            lines.append("keyUsage = critical, digitalSignature, keyEncipherment")
            lines.append("extendedKeyUsage = serverAuth, clientAuth")
        lines.append("subjectKeyIdentifier = hash")
        if sans:
            lines.append("subjectAltName = " + ", ".join(_san_entry(s) for s in sans))
        with open(p, "w") as f:
            f.write("\n".join(lines) + "\n")
        return p

    # ---- certificates ----
    def make(self, name, cn, issuer=None, key="rsa2048", sans=None, ca=False, days=825, start=None, end=None,
             md="sha256", subj=None, pathlen=None, v1=False):
        """The general maker. issuer None = self-signed. start/end: 'YYYYMMDDHHMMSSZ'."""
        keyp = self.new_key(name, key)
        certp = self.path(name + ".crt")
        subject = subj if subj is not None else "/CN=" + cn
        csr = self.path(name + ".csr")
        _run(["openssl", "req", "-new", "-key", keyp, "-subj", subject, "-out", csr])
        if issuer is None:
            d = self._ca_dir(Cert(name, certp, keyp, cn))
            args = ["openssl", "ca", "-batch", "-config", os.path.join(d, "cnf"), "-selfsign", "-keyfile", keyp,
                    "-in", csr, "-out", certp, "-md", md, "-notext", "-subj", subject]
        else:
            d = self._ca_dir(issuer)
            args = ["openssl", "ca", "-batch", "-config", os.path.join(d, "cnf"), "-cert", issuer.cert,
                    "-keyfile", issuer.key, "-in", csr, "-out", certp, "-md", md, "-notext", "-subj", subject]
        ext = None
        if not v1:
            ext = self._ext_file(name, ca, sans, pathlen)
            args += ["-extfile", ext, "-extensions", "ext"]
        if start or end:
            args += ["-startdate", start or "20200101000000Z", "-enddate", end or "20491231235959Z"]
        else:
            args += ["-days", str(days)]
        _run(args)
        os.unlink(csr)
        if ext:
            os.unlink(ext)
        return Cert(name, certp, keyp, cn, key, issuer)

    def root(self):
        """The test root CA (self-signed, RSA-2048, valid 2000-2049 so that device clocks in
        the past or the future can be tested against the leaf alone), made once."""
        if self._root is None:
            self._root = self.make("root", "tlsdiag Test Root CA", ca=True, start="20000101000000Z",
                                   end="20491231235959Z")
        return self._root

    def intermediate(self):
        """An intermediate CA signed by root(), made once."""
        if self._inter is None:
            self._inter = self.make("inter", "tlsdiag Test Intermediate CA", issuer=self.root(), ca=True,
                                    start="20000101000000Z", end="20481231235959Z")
        return self._inter

    def other_ca(self):
        """Another, unrelated self-signed root CA, made once."""
        if self._other is None:
            self._other = self.make("other-root", "tlsdiag Other Root CA", ca=True, start="20000101000000Z",
                                    end="20491231235959Z")
        return self._other

    def leaf(self, cn="device.example", sans=None, key="rsa2048", issuer=None, days=825, start=None, end=None,
             md="sha256", name=None):
        """A server certificate. sans: names or IPs ('a.example', '192.0.2.1', 'DNS:x', 'IP:y'); default [cn].
        issuer: a Cert, default root()."""
        if sans is None:
            sans = [cn]
        name = name or "leaf-%d" % (self._serial + 1)
        return self.make(name, cn, issuer=issuer or self.root(), key=key, sans=sans, days=days, start=start,
                         end=end, md=md)

    def self_signed(self, cn="192.0.2.10", sans=(), key="rsa2048", name=None, subj=None, **kw):
        """A self-signed server certificate; by default like the seed's apache-selfsigned.crt (IP as CN, no SAN)."""
        name = name or "self-%d" % (self._serial + 1)
        return self.make(name, cn, issuer=None, key=key, sans=list(sans), subj=subj, **kw)

    def expired(self, **kw):
        return self.leaf(cn=kw.pop("cn", "expired.example"), start="20200101000000Z", end="20200102000000Z", **kw)

    def not_yet_valid(self, **kw):
        return self.leaf(cn=kw.pop("cn", "future.example"), start="20400101000000Z", end="20410101000000Z", **kw)

    # ---- key forms ----
    def key_pkcs8(self, cert):
        out = self.path(cert.name + ".pkcs8.key")
        _run(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", cert.key, "-out", out])
        return out

    def key_encrypted_pkcs8(self, cert, password="secret"):
        out = self.path(cert.name + ".enc-pkcs8.key")
        _run(["openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", cert.key, "-out", out,
              "-passout", "pass:" + password])
        return out

    def key_encrypted_legacy(self, cert, password="secret"):
        """PKCS#1 PEM with 'Proc-Type: 4,ENCRYPTED' (openssl rsa -aes256 -traditional)."""
        out = self.path(cert.name + ".enc-legacy.key")
        tool = "rsa" if cert.key_type.startswith("rsa") else "ec"
        args = ["openssl", tool, "-in", cert.key, "-aes256", "-out", out, "-passout", "pass:" + password]
        if tool == "rsa":
            args.insert(4, "-traditional")
        _run(args)
        return out

    def key_der(self, cert, pkcs8=False):
        out = self.path(cert.name + (".p8" if pkcs8 else "") + ".der.key")
        if pkcs8:
            _run(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", cert.key, "-outform", "DER", "-out", out])
        else:
            tool = "rsa" if cert.key_type.startswith("rsa") else "ec"
            args = ["openssl", tool, "-in", cert.key, "-outform", "DER", "-out", out]
            if tool == "rsa":
                args.insert(2, "-traditional")
            _run(args)
        return out

    # ---- file variants ----
    def bundle(self, name, *certs):
        out = self.path(name)
        with open(out, "wb") as f:
            for c in certs:
                with open(c.cert if isinstance(c, Cert) else c, "rb") as g:
                    f.write(g.read())
        return out

    def _variant(self, path, suffix, transform):
        with open(path, "rb") as f:
            data = f.read()
        out = path + suffix
        with open(out, "wb") as f:
            f.write(transform(data))
        return out

    def crlf(self, path):
        return self._variant(path, ".crlf", lambda d: d.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))

    def bom(self, path):
        return self._variant(path, ".bom", lambda d: b"\xef\xbb\xbf" + d)

    def trailing_ws(self, path):
        return self._variant(path, ".ws", lambda d: d.replace(b"-----\n", b"-----  \n"))

    def text_before(self, path):
        return self._variant(path, ".txt", lambda d: b"Bag Attributes\n    friendlyName: server\n" + d)

    def der(self, path):
        out = path + ".der"
        _run(["openssl", "x509", "-in", path, "-outform", "DER", "-out", out])
        return out
