/* IANA TLS registries as const data: cipher suites (generated from
 * data/iana-tls-cipher-suites.csv by scripts/gen-registry.py), and
 * hand-written tables for protocol versions, content types, handshake
 * types, extensions, supported groups, signature schemes, EC point formats,
 * compression methods, alerts and a few small value lists.
 *
 * Everything here is pure C: no OpenSSL (OpenSSL's own names for suites are
 * looked up from libssl at run time in tlsio/ossl_names.h). Tables are
 * `const`; nothing writes into them at run time, so every pointer returned
 * stays valid for the life of the process and may be shared across threads.
 *
 * Codes are passed as uint16_t everywhere, also for the 8-bit registries
 * (content type, handshake type, alert, ...); values above 0xFF are simply
 * not found there. */
#ifndef TD_REGISTRY_REGISTRY_H
#define TD_REGISTRY_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------------- */
/* Protocol versions (wire values of ProtocolVersion)                      */

#define TD_VER_SSL2 0x0002u   /* SSLv2 marker: version field of an SSLv2 CLIENT-HELLO */
#define TD_VER_SSL3 0x0300u   /* RFC 6101 */
#define TD_VER_TLS10 0x0301u  /* RFC 2246 */
#define TD_VER_TLS11 0x0302u  /* RFC 4346 */
#define TD_VER_TLS12 0x0303u  /* RFC 5246 */
#define TD_VER_TLS13 0x0304u  /* RFC 8446 */
#define TD_VER_DTLS10 0xFEFFu /* RFC 4347 */
#define TD_VER_DTLS12 0xFEFDu /* RFC 6347 */
#define TD_VER_DTLS13 0xFEFCu /* RFC 9147 */

/* True for the DTLS wire values above (0xFEFF, 0xFEFD, 0xFEFC). */
bool td_reg_version_is_dtls(uint16_t v);
/* The TLS version a DTLS version is based on (DTLS 1.0 -> TLS 1.1, RFC 4347
 * §1; DTLS 1.2 -> TLS 1.2, RFC 6347 §1; DTLS 1.3 -> TLS 1.3, RFC 9147 §1);
 * TLS values are returned unchanged; anything else gives 0. */
uint16_t td_reg_version_tls_equiv(uint16_t v);
/* Orders versions by age (SSLv2 < SSLv3 < ... < TLS 1.3), comparing DTLS via
 * its TLS equivalent. <0, 0, >0 like strcmp. Unknown values sort first. */
int td_reg_version_cmp(uint16_t a, uint16_t b);

/* GREASE values (RFC 8701 §2): 0x0A0A, 0x1A1A, ..., 0xFAFA, used in cipher
 * suites, extensions, groups, signature algorithms and versions. */
bool td_reg_is_grease(uint16_t v);

/* ---------------------------------------------------------------------- */
/* Cipher suites                                                          */

/* Key exchange. X(enum suffix, display name) */
#define TD_KX_LIST(X)                                                           \
    X(NULL, "NULL")                                                             \
    X(RSA, "RSA")                                                               \
    X(DH, "DH")                                                                 \
    X(DHE, "DHE")                                                               \
    X(ECDH, "ECDH")                                                             \
    X(ECDHE, "ECDHE")                                                           \
    X(PSK, "PSK")                                                               \
    X(DHE_PSK, "DHE_PSK")                                                       \
    X(ECDHE_PSK, "ECDHE_PSK")                                                   \
    X(RSA_PSK, "RSA_PSK")                                                       \
    X(SRP, "SRP")                                                               \
    X(KRB5, "KRB5")                                                             \
    X(ECCPWD, "ECCPWD")                                                         \
    X(GOST, "GOSTR341112_256")                                                  \
    X(TLS13, "any (TLS 1.3)")

/* Authentication of the server. */
#define TD_AUTH_LIST(X)                                                         \
    X(NULL, "NULL")                                                             \
    X(RSA, "RSA")                                                               \
    X(DSS, "DSS")                                                               \
    X(ECDSA, "ECDSA")                                                           \
    X(ANON, "anon")                                                             \
    X(PSK, "PSK")                                                               \
    X(SRP, "SRP")                                                               \
    X(KRB5, "KRB5")                                                             \
    X(ECCPWD, "ECCPWD")                                                         \
    X(GOST, "GOSTR341012")                                                      \
    X(TLS13, "any (TLS 1.3)")

/* Bulk cipher. X(enum suffix, display name) */
#define TD_CIPHER_LIST(X)                                                       \
    X(NULL, "NULL")                                                             \
    X(RC4_40, "RC4_40")                                                         \
    X(RC4_128, "RC4_128")                                                       \
    X(RC2_CBC_40, "RC2_CBC_40")                                                 \
    X(DES40_CBC, "DES40_CBC")                                                   \
    X(DES_CBC_40, "DES_CBC_40")                                                 \
    X(DES_CBC, "DES_CBC")                                                       \
    X(3DES_EDE_CBC, "3DES_EDE_CBC")                                             \
    X(IDEA_CBC, "IDEA_CBC")                                                     \
    X(SEED_CBC, "SEED_CBC")                                                     \
    X(AES_128_CBC, "AES_128_CBC")                                               \
    X(AES_256_CBC, "AES_256_CBC")                                               \
    X(AES_128_GCM, "AES_128_GCM")                                               \
    X(AES_256_GCM, "AES_256_GCM")                                               \
    X(AES_128_CCM, "AES_128_CCM")                                               \
    X(AES_256_CCM, "AES_256_CCM")                                               \
    X(AES_128_CCM_8, "AES_128_CCM_8")                                           \
    X(AES_256_CCM_8, "AES_256_CCM_8")                                           \
    X(CAMELLIA_128_CBC, "CAMELLIA_128_CBC")                                     \
    X(CAMELLIA_256_CBC, "CAMELLIA_256_CBC")                                     \
    X(CAMELLIA_128_GCM, "CAMELLIA_128_GCM")                                     \
    X(CAMELLIA_256_GCM, "CAMELLIA_256_GCM")                                     \
    X(ARIA_128_CBC, "ARIA_128_CBC")                                             \
    X(ARIA_256_CBC, "ARIA_256_CBC")                                             \
    X(ARIA_128_GCM, "ARIA_128_GCM")                                             \
    X(ARIA_256_GCM, "ARIA_256_GCM")                                             \
    X(CHACHA20_POLY1305, "CHACHA20_POLY1305")                                   \
    X(SM4_GCM, "SM4_GCM")                                                       \
    X(SM4_CCM, "SM4_CCM")                                                       \
    X(AEGIS_128L, "AEGIS_128L")                                                 \
    X(AEGIS_256, "AEGIS_256")                                                   \
    X(KUZNYECHIK_CTR_OMAC, "KUZNYECHIK_CTR_OMAC")                               \
    X(MAGMA_CTR_OMAC, "MAGMA_CTR_OMAC")                                         \
    X(GOST28147_CNT_IMIT, "28147_CNT_IMIT")                                     \
    X(KUZNYECHIK_MGM_L, "KUZNYECHIK_MGM_L")                                     \
    X(MAGMA_MGM_L, "MAGMA_MGM_L")                                               \
    X(KUZNYECHIK_MGM_S, "KUZNYECHIK_MGM_S")                                     \
    X(MAGMA_MGM_S, "MAGMA_MGM_S")

/* Record protection MAC. AEAD for AEAD ciphers (the suite's trailing hash is
 * then only the PRF/HKDF hash, see `prf`). */
#define TD_MAC_LIST(X)                                                          \
    X(NULL, "NULL")                                                             \
    X(MD5, "MD5")                                                               \
    X(SHA1, "SHA")                                                              \
    X(SHA256, "SHA256")                                                         \
    X(SHA384, "SHA384")                                                         \
    X(AEAD, "AEAD")                                                             \
    X(GOST, "GOST")

/* Hash of the PRF (TLS 1.2) or HKDF (TLS 1.3). LEGACY: the version's own
 * PRF (MD5+SHA-1 in SSLv3..TLS 1.1, SHA-256 in TLS 1.2, RFC 5246 §5). */
#define TD_PRF_LIST(X)                                                          \
    X(LEGACY, "legacy")                                                         \
    X(SHA256, "SHA256")                                                         \
    X(SHA384, "SHA384")                                                         \
    X(SM3, "SM3")                                                               \
    X(STREEBOG256, "STREEBOG256")

#define TD_ENUM_KX(n, s) TD_KX_##n,
#define TD_ENUM_AUTH(n, s) TD_AUTH_##n,
#define TD_ENUM_CIPHER(n, s) TD_CIPHER_##n,
#define TD_ENUM_MAC(n, s) TD_MAC_##n,
#define TD_ENUM_PRF(n, s) TD_PRF_##n,
enum td_kx { TD_KX_LIST(TD_ENUM_KX) TD_KX__COUNT };
enum td_auth { TD_AUTH_LIST(TD_ENUM_AUTH) TD_AUTH__COUNT };
enum td_cipher { TD_CIPHER_LIST(TD_ENUM_CIPHER) TD_CIPHER__COUNT };
enum td_mac { TD_MAC_LIST(TD_ENUM_MAC) TD_MAC__COUNT };
enum td_prf { TD_PRF_LIST(TD_ENUM_PRF) TD_PRF__COUNT };
#undef TD_ENUM_KX
#undef TD_ENUM_AUTH
#undef TD_ENUM_CIPHER
#undef TD_ENUM_MAC
#undef TD_ENUM_PRF

/* Display names ("ECDHE", "anon", "AES_128_GCM", "SHA", ...); "?" when out of range. */
const char *td_reg_kx_name(enum td_kx k);
const char *td_reg_auth_name(enum td_auth a);
const char *td_reg_cipher_name(enum td_cipher c);
const char *td_reg_mac_name(enum td_mac m);
const char *td_reg_prf_name(enum td_prf p);

/* struct td_suite.flags */
#define TD_SUITE_EXPORT 0x0001u      /* export-grade (40/56-bit), RFC 2246 App. A.5 */
#define TD_SUITE_SCSV 0x0002u        /* signalling value, not a real suite (RFC 5746, 7507) */
#define TD_SUITE_DTLS_OK 0x0004u     /* IANA "DTLS-OK" = Y */
#define TD_SUITE_RECOMMENDED 0x0008u /* IANA "Recommended" = Y */
#define TD_SUITE_AEAD 0x0010u        /* AEAD record protection */
#define TD_SUITE_PFS 0x0020u         /* ephemeral key exchange (DHE, ECDHE, TLS 1.3, ...) */
#define TD_SUITE_CERT 0x0040u        /* the server needs a certificate (never set for TLS 1.3 suites, whose
                                        authentication is negotiated apart from the suite) */

struct td_suite {
    uint16_t code;           /* wire value, e.g. 0xC02F */
    uint16_t flags;          /* TD_SUITE_* */
    const char *name;        /* IANA name, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" */
    enum td_kx kx;
    enum td_auth auth;
    enum td_cipher cipher;
    enum td_mac mac;
    enum td_prf prf;
    uint16_t bits;           /* effective cipher strength in bits (3DES 112, export 40, NULL 0) */
    uint16_t min_version;    /* lowest TLS version it may be negotiated in (TD_VER_*) */
    uint16_t max_version;    /* highest TLS version it may be negotiated in */
    uint16_t defined_for;    /* the version the defining document was written for */
    const char *ref;         /* IANA reference column, e.g. "RFC5289" or "RFC4346, RFC6347" */
};

/* Number of assigned suites (SCSVs included, Unassigned/Reserved/GREASE
 * excluded) and iteration in code order; td_reg_suite_at(i) is NULL for
 * i >= td_reg_suite_count(). */
size_t td_reg_suite_count(void);
const struct td_suite *td_reg_suite_at(size_t i);
/* By code; NULL if unassigned. */
const struct td_suite *td_reg_suite_find(uint16_t code);
/* By IANA name, case-insensitive; the historic "SSL_" prefix is accepted for
 * "TLS_" (SSL_RSA_WITH_RC4_128_MD5). OpenSSL names: tlsio/ossl_names.h. */
const struct td_suite *td_reg_suite_find_name(const char *name);
/* May suite s be negotiated in protocol version v (a TD_VER_* wire value)?
 * DTLS versions map to their TLS equivalent and additionally require
 * TD_SUITE_DTLS_OK. SCSVs are valid in every version that can carry a
 * cipher_suites list (SSLv3 .. TLS 1.3; RFC 5746 §3.3, RFC 7507 §4). False for
 * NULL s or an unknown version. */
bool td_reg_suite_valid_in(const struct td_suite *s, uint16_t v);
/* Same, by code; false for an unassigned code. */
bool td_reg_suite_code_valid_in(uint16_t code, uint16_t v);

/* How well a suite protects the connection, from its cipher, MAC and
 * authentication alone (not the key sizes the server uses):
 *   INSECURE: no encryption, no server authentication, export grade, RC4
 *             (RFC 7465), single DES or 40-bit ciphers;
 *   WEAK:     a 64-bit block cipher (3DES, IDEA, GOST 28147, Magma:
 *             SWEET32) or HMAC-MD5;
 *   OK:       the rest. Forward secrecy is a separate fact (TD_SUITE_PFS).
 * *why (may be NULL) gets a short reason for INSECURE and WEAK, NULL for OK.
 * An unknown suite (NULL) is OK with no reason: nothing is known against it. */
enum td_strength { TD_STRENGTH_OK, TD_STRENGTH_WEAK, TD_STRENGTH_INSECURE };
enum td_strength td_reg_suite_strength(const struct td_suite *s, const char **why);
const char *td_reg_strength_name(enum td_strength st); /* "ok", "weak", "insecure" */

/* ---------------------------------------------------------------------- */
/* The other registries: one generic entry type, one table per registry    */

enum td_reg_table {
    TD_REG_VERSION,          /* ProtocolVersion (u16) */
    TD_REG_CONTENT_TYPE,     /* ContentType (u8) */
    TD_REG_HANDSHAKE,        /* HandshakeType (u8) */
    TD_REG_EXTENSION,        /* ExtensionType (u16) */
    TD_REG_GROUP,            /* NamedGroup (u16) */
    TD_REG_SIGSCHEME,        /* SignatureScheme (u16), incl. RFC 5246 (hash,sig) pairs */
    TD_REG_EC_POINT_FORMAT,  /* ECPointFormat (u8) */
    TD_REG_COMPRESSION,      /* CompressionMethod (u8) */
    TD_REG_ALERT,            /* AlertDescription (u8) */
    TD_REG_ALERT_LEVEL,      /* AlertLevel (u8) */
    TD_REG_MFL,              /* max_fragment_length values (u8), RFC 6066 §4 */
    TD_REG_PSK_MODE,         /* PskKeyExchangeMode (u8), RFC 8446 §4.2.9 */
    TD_REG_CERT_COMPRESSION, /* CertificateCompressionAlgorithm (u16), RFC 8879 */
    TD_REG__COUNT
};

/* struct td_reg_entry.flags. Bits 0-3 apply to any table; the others are
 * per table (the same bit means different things in different tables). */
#define TD_REGF_NOT_IANA 0x0001u /* widely seen but not IANA-registered (draft, vendor) */
#define TD_REGF_OBSOLETE 0x0002u /* deprecated, reserved or "MUST NOT send" today */
#define TD_REGF_DTLS 0x0004u     /* DTLS only (versions, content/handshake types) */
/* TD_REG_ALERT: how the alert is normally sent (both bits: either level) */
#define TD_REGF_ALERT_WARNING 0x0010u
#define TD_REGF_ALERT_FATAL 0x0020u
/* TD_REG_GROUP */
#define TD_REGF_GROUP_EC 0x0010u     /* elliptic curve (ECDHE) */
#define TD_REGF_GROUP_FFDHE 0x0020u  /* finite-field DHE, RFC 7919 */
#define TD_REGF_GROUP_PQ 0x0040u     /* post-quantum KEM (pure or hybrid) */
#define TD_REGF_GROUP_TLS13 0x0080u  /* usable in TLS 1.3 key_share (RFC 8446 §4.2.7) */
/* TD_REG_SIGSCHEME */
#define TD_REGF_SIG_TLS13 0x0010u    /* may sign TLS 1.3 handshakes (RFC 8446 §4.2.3) */
#define TD_REGF_SIG_TLS12 0x0020u    /* usable in TLS 1.2 signature_algorithms */
#define TD_REGF_SIG_RSA 0x0100u      /* key type, one of RSA/DSA/ECDSA/EDDSA/OTHER */
#define TD_REGF_SIG_DSA 0x0200u
#define TD_REGF_SIG_ECDSA 0x0400u
#define TD_REGF_SIG_EDDSA 0x0800u
#define TD_REGF_SIG_OTHER 0x1000u
/* TD_REG_EXTENSION: RFC 8446 §4.2 "TLS 1.3" column is non-empty */
#define TD_REGF_EXT_TLS13 0x0010u

struct td_reg_entry {
    uint16_t code;
    uint16_t flags;        /* TD_REGF_* */
    const char *name;      /* IANA name ("server_name", "secp256r1"); versions: "TLS 1.2" */
    const char *alias[3];  /* other accepted spellings ("P-256", "prime256v1"); NULL-padded */
    const char *ref;       /* defining document, "RFC 6066" */
    const char *text;      /* one-line meaning, never NULL (may be "") */
};

/* Table name for messages ("extension", "supported group", ...). */
const char *td_reg_table_name(enum td_reg_table t);
/* Iteration in code order; NULL past the end or for a bad table. */
size_t td_reg_count(enum td_reg_table t);
const struct td_reg_entry *td_reg_at(enum td_reg_table t, size_t i);
/* By code; NULL if not in the table. */
const struct td_reg_entry *td_reg_find(enum td_reg_table t, uint16_t code);
/* By name or alias, case-insensitive ("P-256", "X25519", "tls1.2",
 * "ALPN"); NULL if not found. */
const struct td_reg_entry *td_reg_find_name(enum td_reg_table t, const char *name);

/* Names that never fail: the IANA name if known, otherwise a text written
 * into buf, e.g. "unknown (0x1234)" (u16 tables), "unknown (0x5B)" (u8
 * tables), "GREASE (0x3A3A)" (RFC 8701 values in u16 tables), "TLS 1.3
 * draft 28" (0x7F1C in TD_REG_VERSION). buf must hold TD_REG_NAMEBUF bytes;
 * the return value is either a table string or buf. */
#define TD_REG_NAMEBUF 32
const char *td_reg_name(enum td_reg_table t, uint16_t code, char *buf);
/* Same for cipher suites. */
const char *td_reg_suite_name(uint16_t code, char *buf);

/* Convenience for the most common tables. */
static inline const char *td_reg_version_name(uint16_t v, char *buf)
{
    return td_reg_name(TD_REG_VERSION, v, buf);
}
static inline const char *td_reg_ext_name(uint16_t e, char *buf)
{
    return td_reg_name(TD_REG_EXTENSION, e, buf);
}
static inline const char *td_reg_group_name(uint16_t g, char *buf)
{
    return td_reg_name(TD_REG_GROUP, g, buf);
}
static inline const char *td_reg_sigscheme_name(uint16_t s, char *buf)
{
    return td_reg_name(TD_REG_SIGSCHEME, s, buf);
}
static inline const char *td_reg_alert_name(uint16_t a, char *buf)
{
    return td_reg_name(TD_REG_ALERT, a, buf);
}
static inline const char *td_reg_handshake_name(uint16_t h, char *buf)
{
    return td_reg_name(TD_REG_HANDSHAKE, h, buf);
}

#endif
