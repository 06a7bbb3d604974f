/* What a device can take in certificate and key files: the limits the lint
 * rules read. They come only from the device profiles (profiles/NAME.json,
 * loaded by profiles/): td_cert_limits_from_profile() maps the profile's
 * facts onto this struct and carries each fact's source, so a finding cites
 * it. There is no device fact in certlint/; without a device the rules run
 * against the "generic" baseline, where everything is unknown.
 *
 * Every limit is either known (with the citation the finding quotes) or
 * unknown; a rule whose limit is unknown says so instead of guessing.
 *
 * Strings are borrowed from the profile: keep it alive as long as the
 * struct is used. */
#ifndef TD_CERTLINT_LIMITS_H
#define TD_CERTLINT_LIMITS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "profiles/profile.h"

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
    struct td_lim ca_file_max;     /* bytes in the CA file */
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

/* Everything unknown. */
void td_cert_limits_init_unknown(struct td_cert_limits *l, const char *name, const char *title);
/* The baseline without a device: "generic", no device facts at all. */
void td_cert_limits_generic(struct td_cert_limits *l);

/* Fills l from a loaded profile (see docs/cert.md, "Device limits", for the
 * mapping). A fact the profile has as unknown stays unknown; a known one
 * keeps the profile's source string. "advisory" numeric facts become soft
 * limits (a warning, not an error). */
void td_cert_limits_from_profile(const struct td_profile *p, struct td_cert_limits *l);

/* --device NAME / --device-file PATH: NAME is a built-in profile's name or
 * alias (case-insensitive) or "generic"; PATH a profile file ("-" = stdin).
 * Neither: the generic baseline. On success *owner holds the profile the
 * strings in l point into (NULL for the baseline; td_profile_free it when
 * done). On failure err holds one line: an unknown name lists the built-in
 * profiles, a bad file names the line and field. TD_ERR_NOTFOUND for an
 * unknown name, TD_ERR_USAGE for both given, else the loader's error. */
TD_MUST_USE td_err td_cert_limits_load(const char *name, const char *path, struct td_cert_limits *l,
                                       struct td_profile **owner, char *err, size_t cap);

/* Labels of the limits that are unknown for l (so the rules that need
 * them were not applied), into out[0..cap); returns how many. */
size_t td_cert_limits_unknown(const struct td_cert_limits *l, const char **out, size_t cap);

/* Text: one line per limit, "unknown" where not known. JSON: an object
 * {name, title, limits:{cn_max:{value|null, soft, source}, ...}}. */
void td_cert_limits_text(FILE *f, const struct td_cert_limits *l);
json_t *td_cert_limits_json(const struct td_cert_limits *l);

#endif
