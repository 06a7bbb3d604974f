/* Certificate and key files as a device sees them: PEM (one or many blocks),
 * DER, bundles. With tlsio/, the only place that uses OpenSSL for X.509; the
 * structs here carry plain data (strings, numbers, DER views) so callers such
 * as certlint/ and check/ never include OpenSSL headers.
 *
 * Ownership: td_x509_load*() fill a caller-allocated struct td_x509_file that
 * owns every string and buffer; td_x509_file_free() releases it (NULL-safe). */
#ifndef TD_X509_X509_H
#define TD_X509_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/err.h"
#include "x509/pem.h"

#define TD_X509_MAX_FILE (1u << 20) /* bytes read from one file */
#define TD_X509_MAX_NAMES 32        /* CNs, DNS SANs, IP SANs kept per certificate */
#define TD_X509_MAX_EXTS 32         /* extensions listed per certificate */

enum td_x509_kind {
    TD_X509_CERT = 0,
    TD_X509_KEY = 1,
    TD_X509_OTHER = 2, /* CSR, CRL, public key, OpenSSH key, ... (named by its label) */
};

/* Key syntax as stored in the file. */
enum td_key_syntax {
    TD_KEY_PKCS1 = 0,            /* "BEGIN RSA PRIVATE KEY" or DER RSAPrivateKey */
    TD_KEY_PKCS8 = 1,            /* "BEGIN PRIVATE KEY" or DER PrivateKeyInfo */
    TD_KEY_PKCS8_ENCRYPTED = 2,  /* "BEGIN ENCRYPTED PRIVATE KEY" or DER EncryptedPrivateKeyInfo */
    TD_KEY_LEGACY_ENCRYPTED = 3, /* PKCS#1/SEC1 PEM with "Proc-Type: 4,ENCRYPTED" */
    TD_KEY_SEC1 = 4,             /* "BEGIN EC PRIVATE KEY" or DER ECPrivateKey */
    TD_KEY_OTHER_SYNTAX = 5,     /* e.g. "BEGIN DSA PRIVATE KEY" */
};
const char *td_key_syntax_name(enum td_key_syntax s);  /* "pkcs1", "pkcs8", ... */
const char *td_key_syntax_title(enum td_key_syntax s); /* "PKCS#1 (BEGIN RSA PRIVATE KEY)", ... */

/* Public key description shared by certificates and private keys. */
struct td_pubkey_info {
    char type[16];        /* "RSA", "EC", "Ed25519", "Ed448", "DSA", "RSA-PSS", "unknown" */
    int bits;             /* 0 if unknown (e.g. an encrypted key) */
    char curve[32];       /* "prime256v1", "secp384r1", ... or "" */
    char spki_sha256[65]; /* hex SHA-256 of the SubjectPublicKeyInfo DER, "" if unknown */
};

struct td_cert_info {
    char *subject; /* one line, RFC 2253 order as OpenSSL prints with -nameopt oneline */
    char *issuer;
    char *cn[TD_X509_MAX_NAMES];
    size_t ncn;
    char *dns[TD_X509_MAX_NAMES]; /* subjectAltName dNSName */
    size_t ndns;
    char *ip[TD_X509_MAX_NAMES]; /* subjectAltName iPAddress, printed */
    size_t nip;
    bool self_issued; /* subject == issuer */
    bool self_signed; /* self-issued and the signature verifies with its own key */
    bool is_ca;       /* OpenSSL's view: basicConstraints CA:TRUE (or a v1 self-signed root) */
    bool bc_present, bc_ca;
    long pathlen; /* -1 if none */
    bool ku_present, ku_cert_sign;
    struct td_pubkey_info key;
    char sig_alg[64];  /* "sha256WithRSAEncryption" */
    char sig_hash[16]; /* "SHA256", "SHA1", "MD5", "" if none (Ed25519) */
    time_t not_before, not_after;
    char serial[80];              /* hex */
    int version;                  /* 1..3 */
    char *exts[TD_X509_MAX_EXTS]; /* short names, "!" prefix for critical: "!basicConstraints" */
    size_t next;
    char sha256[96]; /* "AB:CD:..." */
};

struct td_key_info {
    enum td_key_syntax syntax;
    bool encrypted;
    bool der;                  /* DER file rather than PEM */
    struct td_pubkey_info key; /* type/bits/curve unknown when encrypted */
};

struct td_x509_obj {
    enum td_x509_kind kind;
    size_t index;                 /* 0-based position in the file */
    char label[TD_PEM_MAX_LABEL]; /* PEM label, or "DER" */
    size_t offset, end;           /* bytes [offset, end) of the file */
    size_t line, end_line;        /* 1-based; 0 for DER */
    const uint8_t *der;           /* view into the file's decoded data */
    size_t der_len;
    struct td_cert_info cert; /* kind == TD_X509_CERT */
    struct td_key_info key;   /* kind == TD_X509_KEY */
};

#define TD_X509_MAX_OBJS TD_PEM_MAX_BLOCKS
/* About 120 KB: allocate it on the heap (td_calloc) rather than the stack. */
struct td_x509_file {
    char *path;                  /* as given; "-" for stdin; "(memory)" when loaded from bytes */
    size_t size;                 /* bytes in the file */
    bool pem;                    /* PEM text (else DER) */
    struct td_pem_scan pem_scan; /* layout and quirks (PEM only) */
    uint8_t *raw;                /* the file's bytes (owned) */
    struct td_x509_obj objs[TD_X509_MAX_OBJS];
    size_t nobj;
    size_t ncerts, nkeys;
};

/* Loads bytes (PEM, DER certificate or DER key). name is used in messages.
 * On failure errmsg gets ONE line such as
 *   "ca.pem: block 2 (CERTIFICATE, line 23): not a valid certificate: asn1 encoding routines: too long"
 * and the file struct must still be freed. */
TD_MUST_USE td_err td_x509_load(const uint8_t *p, size_t n, const char *name, struct td_x509_file *out, char *errmsg,
                                size_t errcap);
TD_MUST_USE td_err td_x509_load_file(const char *path, struct td_x509_file *out, char *errmsg, size_t errcap);
void td_x509_file_free(struct td_x509_file *f);

/* The i-th certificate of the file (NULL past the end). */
const struct td_x509_obj *td_x509_cert_at(const struct td_x509_file *f, size_t i);
/* The first private key of the file, or NULL. */
const struct td_x509_obj *td_x509_first_key(const struct td_x509_file *f);

/* Describes one DER certificate (for callers holding DER, e.g. a server's
 * Certificate message). Free with td_x509_cert_info_free. */
TD_MUST_USE td_err td_x509_cert_describe(const uint8_t *der, size_t len, struct td_cert_info *out, char *why,
                                         size_t whycap);
void td_x509_cert_info_free(struct td_cert_info *ci);

/* Does the private key match the certificate's public key? 1 yes, 0 no,
 * -1 unknown (encrypted key). */
int td_x509_key_matches(const struct td_x509_obj *cert, const struct td_x509_obj *key);

/* Is s an IPv4 or IPv6 literal? */
bool td_x509_is_ip(const char *s);

/* "CN: a.example; SAN DNS: x, y; SAN IP: none" (one line, cut at cap). */
void td_x509_names_line(const struct td_cert_info *ci, char *buf, size_t cap);

/* A DER-encoded X.501 Name (as in a CertificateRequest's
 * certificate_authorities) in the same one-line form as subjects
 * ("CN = Root, O = Example"), truncated to cap. BADVALUE if the DER is not
 * exactly one Name. */
TD_MUST_USE td_err td_x509_dn_oneline(const uint8_t *der, size_t len, char *buf, size_t cap);

/* "2026-11-27T21:00:00Z" */
void td_x509_time_format(time_t t, char *buf, size_t cap);
/* Parses "now", "@EPOCH", "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]Z", "YYYYMMDDHHMMSSZ". */
TD_MUST_USE td_err td_x509_time_parse(const char *s, time_t now, time_t *out);

/* Drains OpenSSL's error queue into buf as "what: reason; reason" (one line).
 * Exposed for tlsio/. */
void td_ossl_errors(char *buf, size_t cap, const char *what);

#endif
