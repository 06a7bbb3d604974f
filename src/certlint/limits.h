/* What a device can take in certificate and key files: the limits the lint
 * rules read. A small built-in set (facts only from
 * ../shared/research/devices.md, each with its source); device profiles
 * (profiles/NAME.json, loaded by profiles/) fill the same struct.
 *
 * Every limit is either known (with the citation the finding quotes) or
 * unknown; a rule whose limit is unknown says so instead of guessing.
 *
 * Strings are borrowed: the built-in table's are static, a profile keeps its
 * own alive as long as the struct is used. */
#ifndef TD_CERTLINT_LIMITS_H
#define TD_CERTLINT_LIMITS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum td_known {
    TD_K_UNKNOWN = 0,
    TD_K_NO = 1,
    TD_K_YES = 2,
};
const char *td_known_name(enum td_known k); /* "unknown", "no", "yes" */

/* A numeric limit: value < 0 means unknown. soft: exceeding it is a warning
 * (a default or a portable minimum), not a known failure. */
struct td_lim {
    long value;
    bool soft;
    const char *source;
};

/* A yes/no fact with its source. */
struct td_fact {
    enum td_known v;
    const char *source;
};

#define TD_LIMITS_MAX_CURVES 16

struct td_cert_limits {
    const char *name;              /* "xbee3-cellular-ltem" */
    const char *title;             /* "Digi XBee3 Cellular LTE-M/NB-IoT (u-blox SARA-R410M-02B)" */
    struct td_lim cn_max;          /* characters in the server certificate's CN */
    struct td_lim file_max;        /* bytes in one uploaded certificate/key file */
    struct td_lim certs_per_file;  /* certificates in one file */
    struct td_lim chain_max;       /* bytes of the server's certificate chain (DER) */
    struct td_fact ca_root_only;   /* the CA file must be a self-signed root */
    struct td_fact key_pkcs1_only; /* private keys must be PKCS#1 (BEGIN RSA PRIVATE KEY) */
    struct td_fact encrypted_key;  /* can the device use a password-protected key */
    struct td_fact rsa;            /* RSA certificate keys usable */
    struct td_fact ec;             /* ECDSA certificate keys usable */
    struct td_lim rsa_min_bits, rsa_max_bits;
    const char *curves[TD_LIMITS_MAX_CURVES]; /* OpenSSL group names; ncurves < 0: unknown */
    int ncurves;
    const char *curves_source;
    struct td_fact cn_only_name_check; /* level 2 compares the CN only (no SAN) */
};

/* Everything unknown (the starting point for a profile). */
void td_cert_limits_init_unknown(struct td_cert_limits *l, const char *name, const char *title);

/* Built-in set. NULL if no such name. */
const struct td_cert_limits *td_cert_limits_builtin(const char *name);
size_t td_cert_limits_builtin_count(void);
const struct td_cert_limits *td_cert_limits_builtin_at(size_t i);

/* Labels of the limits that are unknown for l (so the rules that need
 * them were not applied), into out[0..cap); returns how many. */
size_t td_cert_limits_unknown(const struct td_cert_limits *l, const char **out, size_t cap);

/* Text: one line per limit, "unknown" where not known. JSON: an object
 * {name, title, limits:{cn_max:{value|null, soft, source}, ...}}. */
void td_cert_limits_text(FILE *f, const struct td_cert_limits *l);
json_t *td_cert_limits_json(const struct td_cert_limits *l);

#endif
