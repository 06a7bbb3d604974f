#!/usr/bin/python3
"""Generates src/registry/suites_gen.c from data/iana-tls-cipher-suites.csv.

    /usr/bin/python3 scripts/gen-registry.py            # rewrite the file
    /usr/bin/python3 scripts/gen-registry.py --check    # exit 1 if it is stale
    /usr/bin/python3 scripts/gen-registry.py --stdout   # print, write nothing

Every assigned suite of the IANA "TLS Cipher Suites" registry becomes one
const `struct td_suite` (src/registry/registry.h). Unassigned, Reserved,
private-use and GREASE (RFC 8701) rows are skipped. The two signalling
values (TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV) are kept and
flagged TD_SUITE_SCSV.

The attributes (key exchange, authentication, cipher, MAC, PRF hash,
strength, export, version range) are derived from the IANA name with the
rules below; each rule names the document it comes from. The script uses
only the Python standard library and is deterministic (same CSV, same
output), so the committed file can be checked for staleness.
"""

import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CSV_PATH = os.path.join(ROOT, "data", "iana-tls-cipher-suites.csv")
OUT_PATH = os.path.join(ROOT, "src", "registry", "suites_gen.c")

SSL3, TLS10, TLS11, TLS12, TLS13 = 0x0300, 0x0301, 0x0302, 0x0303, 0x0304
VER_MACRO = {0: "0", SSL3: "TD_VER_SSL3", TLS10: "TD_VER_TLS10", TLS11: "TD_VER_TLS11",
             TLS12: "TD_VER_TLS12", TLS13: "TD_VER_TLS13"}
VER_TEXT = {SSL3: "SSLv3", TLS10: "TLS1.0", TLS11: "TLS1.1", TLS12: "TLS1.2", TLS13: "TLS1.3"}

# --- Name grammar: TLS_<KX>[_EXPORT]_WITH_<CIPHER>_<MAC> (RFC 5246 App. C) ---
# Left-hand side of _WITH_ -> (key exchange, authentication).
KX_AUTH = {
    "NULL": ("NULL", "NULL"),
    "RSA": ("RSA", "RSA"),
    "DH_DSS": ("DH", "DSS"),            # static DH in a DSS-signed certificate (RFC 5246 §7.4.2)
    "DH_RSA": ("DH", "RSA"),
    "DHE_DSS": ("DHE", "DSS"),
    "DHE_RSA": ("DHE", "RSA"),
    # DH_anon / ECDH_anon: no certificate, so the server's (EC)DH share is
    # sent in ServerKeyExchange and is ephemeral (RFC 5246 §7.4.3,
    # RFC 8422 §2.3 "ECDH_anon ... ephemeral").
    "DH_anon": ("DHE", "ANON"),
    "ECDH_anon": ("ECDHE", "ANON"),
    "ECDH_ECDSA": ("ECDH", "ECDSA"),    # RFC 8422 §2 (static ECDH, deprecated there)
    "ECDH_RSA": ("ECDH", "RSA"),
    "ECDHE_ECDSA": ("ECDHE", "ECDSA"),  # RFC 8422 §2.1
    "ECDHE_RSA": ("ECDHE", "RSA"),      # RFC 8422 §2.2
    "KRB5": ("KRB5", "KRB5"),           # RFC 2712
    "PSK": ("PSK", "PSK"),              # RFC 4279 §2
    "DHE_PSK": ("DHE_PSK", "PSK"),      # RFC 4279 §3
    "PSK_DHE": ("DHE_PSK", "PSK"),      # RFC 6655 spells 0xC0AA/0xC0AB this way round
    "RSA_PSK": ("RSA_PSK", "RSA"),      # RFC 4279 §4: server authenticated by its RSA certificate
    "ECDHE_PSK": ("ECDHE_PSK", "PSK"),  # RFC 5489
    "SRP_SHA": ("SRP", "SRP"),          # RFC 5054 (password only, no certificate)
    "SRP_SHA_RSA": ("SRP", "RSA"),
    "SRP_SHA_DSS": ("SRP", "DSS"),
    "ECCPWD": ("ECCPWD", "ECCPWD"),     # RFC 8492
    "GOSTR341112_256": ("GOST", "GOST"),  # RFC 9189
}

# Cipher token -> (enum suffix, effective strength bits, AEAD?).
# Strength: key bits, except export (40, RFC 2246 App. A.5 / RFC 4346 App. A.5),
# DES 56, 3DES 112 (NIST SP 800-57 Part 1 Table 2).
CIPHERS = {
    "NULL": ("NULL", 0, False),
    "RC4_40": ("RC4_40", 40, False),
    "RC4_128": ("RC4_128", 128, False),
    "RC2_CBC_40": ("RC2_CBC_40", 40, False),
    "DES40_CBC": ("DES40_CBC", 40, False),
    "DES_CBC_40": ("DES_CBC_40", 40, False),
    "DES_CBC": ("DES_CBC", 56, False),
    "3DES_EDE_CBC": ("3DES_EDE_CBC", 112, False),
    "IDEA_CBC": ("IDEA_CBC", 128, False),
    "SEED_CBC": ("SEED_CBC", 128, False),
    "AES_128_CBC": ("AES_128_CBC", 128, False),
    "AES_256_CBC": ("AES_256_CBC", 256, False),
    "AES_128_GCM": ("AES_128_GCM", 128, True),
    "AES_256_GCM": ("AES_256_GCM", 256, True),
    "AES_128_CCM": ("AES_128_CCM", 128, True),
    "AES_256_CCM": ("AES_256_CCM", 256, True),
    "AES_128_CCM_8": ("AES_128_CCM_8", 128, True),
    "AES_256_CCM_8": ("AES_256_CCM_8", 256, True),
    "CAMELLIA_128_CBC": ("CAMELLIA_128_CBC", 128, False),
    "CAMELLIA_256_CBC": ("CAMELLIA_256_CBC", 256, False),
    "CAMELLIA_128_GCM": ("CAMELLIA_128_GCM", 128, True),
    "CAMELLIA_256_GCM": ("CAMELLIA_256_GCM", 256, True),
    "ARIA_128_CBC": ("ARIA_128_CBC", 128, False),
    "ARIA_256_CBC": ("ARIA_256_CBC", 256, False),
    "ARIA_128_GCM": ("ARIA_128_GCM", 128, True),
    "ARIA_256_GCM": ("ARIA_256_GCM", 256, True),
    "CHACHA20_POLY1305": ("CHACHA20_POLY1305", 256, True),
    "SM4_GCM": ("SM4_GCM", 128, True),          # RFC 8998
    "SM4_CCM": ("SM4_CCM", 128, True),
    "AEGIS_128L": ("AEGIS_128L", 128, True),    # draft-irtf-cfrg-aegis-aead
    "AEGIS_256": ("AEGIS_256", 256, True),
    # RFC 9189 (TLS 1.2): CTR + OMAC / CNT + IMIT are MAC-then-encrypt style, not AEAD.
    "KUZNYECHIK_CTR_OMAC": ("KUZNYECHIK_CTR_OMAC", 256, False),
    "MAGMA_CTR_OMAC": ("MAGMA_CTR_OMAC", 256, False),
    "28147_CNT_IMIT": ("GOST28147_CNT_IMIT", 256, False),
    # RFC 9367 (TLS 1.3): MGM is an AEAD mode.
    "KUZNYECHIK_MGM_L": ("KUZNYECHIK_MGM_L", 256, True),
    "MAGMA_MGM_L": ("MAGMA_MGM_L", 256, True),
    "KUZNYECHIK_MGM_S": ("KUZNYECHIK_MGM_S", 256, True),
    "MAGMA_MGM_S": ("MAGMA_MGM_S", 256, True),
}

HASHES = {"NULL": "NULL", "MD5": "MD5", "SHA": "SHA1", "SHA256": "SHA256", "SHA384": "SHA384", "SM3": "SM3"}


class Suite:
    def __init__(self, code, name, dtls_ok, recommended, ref):
        self.code = code
        self.name = name
        self.dtls_ok = dtls_ok
        self.recommended = recommended
        self.ref = ref
        self.kx = self.auth = self.cipher = self.mac = None
        self.prf = "LEGACY"
        self.bits = 0
        self.aead = False
        self.export = False
        self.scsv = False
        self.min = self.max = self.defined_for = 0
        self.rule = ""


def split_cipher_mac(rhs, name):
    """'AES_128_GCM_SHA256' -> ('AES_128_GCM', 'SHA256'); 'AES_128_CCM' -> ('AES_128_CCM', '')."""
    best = None
    for tok in CIPHERS:
        if rhs == tok or rhs.startswith(tok + "_"):
            if best is None or len(tok) > len(best):
                best = tok
    if best is None:
        raise SystemExit(f"gen-registry: cannot parse cipher of {name}")
    rest = rhs[len(best) + 1:] if len(rhs) > len(best) else ""
    if rest and rest not in HASHES:
        raise SystemExit(f"gen-registry: cannot parse MAC '{rest}' of {name}")
    return best, rest


def classify(s):
    n = s.name
    # --- Signalling cipher suite values -----------------------------------
    if n in ("TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "TLS_FALLBACK_SCSV"):
        s.scsv = True
        s.kx, s.auth, s.cipher, s.mac = "NULL", "NULL", "NULL", "NULL"
        # Carried in the cipher_suites list of any ClientHello from SSLv3 on
        # (RFC 5746 §3.3 covers SSLv3..TLS 1.2; RFC 7507 any fallback;
        # a TLS 1.3 ClientHello that also offers 1.2 may carry either).
        s.min, s.max, s.defined_for = SSL3, TLS13, SSL3
        s.rule = "SCSV, any ClientHello (RFC 5746 §3.3, RFC 7507)"
        return

    # --- TLS 1.3 style: TLS_<AEAD>_<HASH>, no key exchange in the name ------
    if "_WITH_" not in n:
        body = n[4:]
        if body in ("SHA256_SHA256", "SHA384_SHA384"):
            # RFC 9150: integrity-only TLS 1.3 suites (HMAC, no encryption).
            h = body.split("_")[0]
            s.cipher, s.mac, s.prf, s.bits = "NULL", h, h, 0
        else:
            cipher, h = split_cipher_mac(body, n)
            s.cipher, s.bits, s.aead = CIPHERS[cipher]
            if not s.aead:
                raise SystemExit(f"gen-registry: TLS 1.3 suite {n} is not AEAD")
            s.mac, s.prf = "AEAD", HASHES[h]
        s.kx, s.auth = "TLS13", "TLS13"
        # RFC 8446 §B.4: TLS 1.3 suites only name the AEAD and the HKDF hash;
        # they cannot be used in TLS 1.2 or earlier. Same for RFC 8998 (SM),
        # RFC 9150 (integrity-only) and the AEGIS draft.
        s.min, s.max, s.defined_for = TLS13, TLS13, TLS13
        s.rule = "TLS1.3 only (RFC 8446 §B.4)"
        return

    lhs, rhs = n[4:].split("_WITH_", 1)
    if lhs.endswith("_EXPORT"):
        lhs = lhs[: -len("_EXPORT")]
        s.export = True
    if lhs not in KX_AUTH:
        raise SystemExit(f"gen-registry: unknown key exchange '{lhs}' in {n}")
    s.kx, s.auth = KX_AUTH[lhs]

    if s.kx == "GOST":
        cipher, h = split_cipher_mac(rhs, n)
        s.cipher, s.bits, s.aead = CIPHERS[cipher]
        s.prf = "STREEBOG256"
        if s.aead:
            # RFC 9367: the MGM suites are TLS 1.3 suites (key exchange by
            # key_share), despite the TLS 1.2-style name.
            s.kx, s.auth, s.mac = "TLS13", "TLS13", "AEAD"
            s.min, s.max, s.defined_for = TLS13, TLS13, TLS13
            s.rule = "TLS1.3 only (RFC 9367)"
        else:
            s.mac = "GOST"
            s.min, s.max, s.defined_for = TLS12, TLS12, TLS12
            s.rule = "TLS1.2 only (RFC 9189: GOST suites for TLS 1.2)"
        return

    cipher, h = split_cipher_mac(rhs, n)
    s.cipher, s.bits, s.aead = CIPHERS[cipher]
    if s.aead:
        s.mac = "AEAD"
        # CCM suites without a hash in the name use SHA-256 for the PRF
        # (RFC 6655, RFC 7251).
        s.prf = HASHES[h] if h else "SHA256"
    elif n == "TLS_NULL_WITH_NULL_NULL":
        s.mac = "NULL"
    else:
        if not h:
            raise SystemExit(f"gen-registry: no MAC in {n}")
        s.mac = HASHES[h]
        # SHA-384 MAC suites use SHA-384 for the PRF (RFC 5289 §3,
        # RFC 5487); SHA-256 ones the TLS 1.2 default (RFC 5246 §5).
        s.prf = {"SHA256": "SHA256", "SHA384": "SHA384"}.get(s.mac, "LEGACY")

    version_rules(s)


def version_rules(s):
    """min/max TLS version and the version the defining document targets."""
    n = s.name
    # The initial state of every connection; never negotiated.
    if n == "TLS_NULL_WITH_NULL_NULL":
        # RFC 5246 App. A.5: "specified and is the initial state ... but MUST
        # NOT be negotiated, as it provides no more protection than an
        # unsecured connection".
        s.min, s.max, s.defined_for = 0, 0, SSL3
        s.rule = "never negotiated (RFC 5246 App. A.5)"
        return

    # Default: SSL 3.0 through TLS 1.2 (RFC 6101 App. A.6 and the suites
    # added for TLS 1.0/1.1, which real stacks also accept in SSLv3).
    lo, hi = SSL3, TLS12
    rules = ["default"]

    # AEAD suites need TLS 1.2's AEAD record protection: "MUST NOT be
    # negotiated in older versions of TLS" (RFC 5288 §4; likewise
    # RFC 5289, RFC 6209, RFC 6367, RFC 6655, RFC 7251, RFC 7905, RFC 8442).
    if s.aead:
        lo = TLS12
        rules = ["AEAD (RFC 5288 §4)"]
    # SHA-256/SHA-384 MAC suites rely on the TLS 1.2 PRF selection
    # (RFC 5246 §5, App. A.5; RFC 5289 §3). OpenSSL refuses
    # them before TLS 1.2 too (`openssl ciphers -v` lists them as TLSv1.2).
    elif s.mac in ("SHA256", "SHA384"):
        lo = TLS12
        rules = ["SHA-2 MAC/PRF (RFC 5246 §5, RFC 5289 §3)"]
    # ECC suites negotiate their curve and point format in hello extensions,
    # which SSL 3.0 does not have (RFC 8422 §4, "TLS 1.2 and earlier";
    # the original RFC 4492 targeted TLS 1.0/1.1). OpenSSL agrees (TLSv1).
    elif s.kx in ("ECDH", "ECDHE", "ECDHE_PSK"):
        lo = TLS10
        rules = ["ECC needs hello extensions (RFC 8422 §4)"]
    # SRP carries the user name in the "srp" hello extension (RFC 5054),
    # so it cannot run over SSL 3.0 (OpenSSL is laxer and lists SSLv3).
    elif s.kx == "SRP":
        lo = TLS10
        rules = ["SRP needs the srp extension (RFC 5054)"]

    # ECCPWD: RFC 8492 specifies the password-authenticated exchange for
    # both TLS 1.2 and TLS 1.3 (in 1.3 via the pwd key share); AEAD only.
    if s.kx == "ECCPWD":
        hi = TLS13
        rules = ["ECCPWD (RFC 8492)"]

    # Export suites: "TLS 1.1 implementations MUST NOT negotiate these
    # cipher suites in TLS 1.1 mode" (RFC 4346 App. A.5).
    if s.export:
        hi = min(hi, TLS10)
        rules.append("export, not in TLS1.1+ (RFC 4346 App. A.5)")
    # IDEA and single DES were removed from TLS 1.2: RFC 5246 App. A.5 no
    # longer lists them and RFC 5469 says not to use them with TLS 1.2.
    if s.cipher in ("IDEA_CBC", "DES_CBC"):
        hi = min(hi, TLS11)
        rules.append("IDEA/DES, not in TLS1.2 (RFC 5246 App. A.5, RFC 5469)")
    s.min, s.max = lo, hi
    s.rule = "%s-%s: %s" % (VER_TEXT[lo], VER_TEXT[hi], "; ".join(rules))
    s.defined_for = defined_for(s)


def defined_for(s):
    """The protocol version the defining document was written for."""
    c, refs = s.code, s.ref
    if c <= 0x001B:
        return SSL3          # the SSL 3.0 suite list, RFC 6101 App. A.6
    if s.aead or s.mac in ("SHA256", "SHA384"):
        return TLS12         # RFC 5246, 5288, 5289, 5487, 6209, 6367, 6655, 7251, 7905, 8442
    if "RFC4346" in refs:
        return TLS11
    # KRB5 (RFC 2712), AES (RFC 3268, now in RFC 5246), PSK (RFC 4279,
    # 4785), SEED (RFC 4162), Camellia (RFC 4132 -> 5932), ECC (RFC 4492 ->
    # 8422), SRP (RFC 5054), ECDHE_PSK SHA-1 (RFC 5489): written for TLS 1.0.
    return TLS10


def parse_value(v):
    """'0xC0,0x2F' -> 0xC02F; ranges ('0x00,0x1C-1D', '0x01-09,*') -> None."""
    parts = [p.strip() for p in v.split(",")]
    if len(parts) != 2:
        return None
    try:
        hi, lo = int(parts[0], 16), int(parts[1], 16)
    except ValueError:
        return None
    return (hi << 8) | lo


def fnv1a32(data):
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def load(path):
    raw = open(path, "rb").read()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    if rows[0][:5] != ["Value", "Description", "DTLS-OK", "Recommended", "Reference"]:
        raise SystemExit("gen-registry: unexpected CSV header %r" % rows[0])
    suites = []
    for r in rows[1:]:
        code = parse_value(r[0])
        name = r[1].strip()
        # Assigned rows have a single code point and a TLS_ name; the
        # Reserved/Unassigned rows (ranges, GREASE, private use) do not.
        if code is None or not name.startswith("TLS_"):
            continue
        ref = ", ".join(x for x in r[4].replace("]", "").split("[") if x.strip())
        suites.append(Suite(code, name, r[2] == "Y", r[3] == "Y", ref))
    codes = [s.code for s in suites]
    if len(set(codes)) != len(codes):
        raise SystemExit("gen-registry: duplicate code in CSV")
    suites.sort(key=lambda s: s.code)
    for s in suites:
        classify(s)
    return suites, fnv1a32(raw)


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(suites, fnv):
    out = []
    w = out.append
    w("/* GENERATED by scripts/gen-registry.py from data/iana-tls-cipher-suites.csv.")
    w(" * Do not edit: change the CSV or the generator and run")
    w(" *   /usr/bin/python3 scripts/gen-registry.py")
    w(" * tests/unit/test_registry.c and scripts/check-generated.sh fail when this")
    w(" * file is stale. The trailing comment of each entry is the version rule")
    w(" * applied (see the generator for the full citations). */")
    w('#include "registry/suites_gen.h"')
    w("")
    w("/* FNV-1a (32-bit) of the CSV bytes this table was generated from. */")
    w("const uint32_t td_reg_suites_csv_fnv1a = 0x%08Xu;" % fnv)
    w("")
    w("/* clang-format off */")
    w("const struct td_suite td_reg_suites[] = {")
    for s in suites:
        flags = []
        if s.export:
            flags.append("TD_SUITE_EXPORT")
        if s.scsv:
            flags.append("TD_SUITE_SCSV")
        if s.dtls_ok:
            flags.append("TD_SUITE_DTLS_OK")
        if s.recommended:
            flags.append("TD_SUITE_RECOMMENDED")
        if s.aead:
            flags.append("TD_SUITE_AEAD")
        # Forward secrecy: ephemeral key exchange. GOST TLS 1.2 (RFC 9189)
        # uses the server's static key (VKO), so it is not included.
        if s.kx in ("DHE", "ECDHE", "DHE_PSK", "ECDHE_PSK", "TLS13", "ECCPWD"):
            flags.append("TD_SUITE_PFS")
        if s.auth in ("RSA", "DSS", "ECDSA", "GOST"):
            flags.append("TD_SUITE_CERT")
        w("    /* %s: %s */" % ("0x%04X" % s.code, s.rule))
        w("    {0x%04X, %s, %s," % (s.code, " | ".join(flags) or "0", c_str(s.name)))
        w("     TD_KX_%s, TD_AUTH_%s, TD_CIPHER_%s, TD_MAC_%s, TD_PRF_%s, %d," %
          (s.kx, s.auth, s.cipher, s.mac, s.prf, s.bits))
        w("     %s, %s, %s, %s}," % (VER_MACRO[s.min], VER_MACRO[s.max], VER_MACRO[s.defined_for],
                                     c_str(s.ref)))
    w("};")
    w("/* clang-format on */")
    w("")
    w("const size_t td_reg_suites_len = sizeof(td_reg_suites) / sizeof(td_reg_suites[0]);")
    return "\n".join(out) + "\n"


def main(argv):
    suites, fnv = load(CSV_PATH)
    text = render(suites, fnv)
    if "--stdout" in argv:
        sys.stdout.write(text)
        return 0
    if "--check" in argv:
        try:
            cur = open(OUT_PATH, encoding="utf-8").read()
        except OSError:
            cur = None
        if cur != text:
            sys.stderr.write("gen-registry: src/registry/suites_gen.c is stale; run "
                             "/usr/bin/python3 scripts/gen-registry.py\n")
            return 1
        print("gen-registry: suites_gen.c is current (%d suites)" % len(suites))
        return 0
    with open(OUT_PATH, "w", encoding="utf-8") as f:
        f.write(text)
    print("gen-registry: wrote %s (%d suites)" % (os.path.relpath(OUT_PATH, ROOT), len(suites)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
