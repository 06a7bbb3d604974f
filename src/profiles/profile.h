/* Device profiles: what a constrained TLS client offers, how it validates
 * the server, its limits, and what it reports for each kind of failure;
 * every fact with its source, and "unknown" kept distinct from "no".
 *
 * Profiles are JSON (schema in docs/profiles.md). The built-in ones are the
 * files of profiles/ compiled into the binary (core/embed.h); users can load
 * their own with td_profile_load_file(). Loading validates everything; an
 * error names the file, the line and the field.
 *
 * Typical use (check, scan, cert lint):
 *
 *     struct td_profile *p;
 *     struct td_profile_error e;
 *     if (td_profile_load_builtin("xbee3-cellular-ltem", &p, &e) != TD_ERR_OK) ...
 *     if (p->cn_max_length != TD_UNKNOWN && cn_len > p->cn_max_length) ...
 *     enum td_pfield dep[TD_PF_COUNT];
 *     size_t n = td_profile_unknown_fields(p, TD_PFAIL_NO_COMMON_SUITE, dep, TD_PF_COUNT);
 *     // n > 0: the verdict rests on facts that are unknown or only partly known
 *     td_profile_free(p);
 */
#ifndef TD_PROFILES_PROFILE_H
#define TD_PROFILES_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Sentinel for every `int` fact that is not known. */
#define TD_UNKNOWN (-1)

/* Caps (profiles are small hand-written files). */
#define TD_PROFILE_MAX_BYTES (256 * 1024)
#define TD_PROFILE_MAX_LIST 512   /* entries in any list */
#define TD_PROFILE_MAX_ALIASES 16
#define TD_PROFILE_MAX_STRING 4096 /* bytes in any string */

/* Yes/no facts. */
enum td_tri { TD_TRI_UNKNOWN = 0, TD_TRI_NO, TD_TRI_YES };

/* How the device handles an optional ClientHello extension. */
enum td_ext_mode {
    TD_EXT_UNKNOWN = 0,
    TD_EXT_SENDS,              /* "sends": always (when applicable) */
    TD_EXT_NEVER,              /* "never": cannot send it */
    TD_EXT_CONF_DEFAULT_OFF,   /* "configurable-default-off": only if the application sets it */
    TD_EXT_CONF_DEFAULT_ON,    /* "configurable-default-on": sent unless switched off */
    TD_EXT_CONFIGURABLE,       /* "configurable": settable, default not known */
};

/* How much of a list is known. */
enum td_coverage {
    TD_COV_NONE = 0,  /* the value is "unknown" */
    TD_COV_EXACT,     /* "exact": the list as sent in the ClientHello, in order */
    TD_COV_COMPLETE,  /* "complete": every supported entry; order not known */
    TD_COV_PARTIAL,   /* "partial": at least these; the device may support more */
};

/* How strong the cited source is (devices.md confidence summary). */
enum td_confidence { TD_CONF_UNSTATED = 0, TD_CONF_STRONG, TD_CONF_MEDIUM, TD_CONF_WEAK };

/* Bits of validation.ca_formats. */
enum { TD_FMT_PEM = 1u << 0, TD_FMT_DER = 1u << 1 };

/* Bits of limits.server_key_types / client_key_types. */
enum {
    TD_KEY_RSA = 1u << 0,
    TD_KEY_ECDSA = 1u << 1, /* ECDSA, curve not stated */
    TD_KEY_ECDSA_P256 = 1u << 2,
    TD_KEY_ECDSA_P384 = 1u << 3,
    TD_KEY_ECDSA_P521 = 1u << 4,
    TD_KEY_ED25519 = 1u << 5,
};

/* Bits of limits.client_key_formats. */
enum {
    TD_KEYFMT_PKCS1_PEM = 1u << 0, /* -----BEGIN RSA PRIVATE KEY----- */
    TD_KEYFMT_PKCS8_PEM = 1u << 1, /* -----BEGIN PRIVATE KEY----- */
    TD_KEYFMT_SEC1_PEM = 1u << 2,  /* -----BEGIN EC PRIVATE KEY----- */
    TD_KEYFMT_DER = 1u << 3,
};

/* Every fact of a profile: X(ID, group, key, kind). The JSON path is
 * "group.key". Kinds: VERSIONS SUITES GROUPS SIGALGS COMPRESSION (uint16
 * lists), EXT (td_ext_mode), MFL, LEVELS (bit mask), LEVEL, BOOL (td_tri),
 * INT, FORMATS, KEYTYPES, KEYFORMATS (bit masks), TEXT (string). */
#define TD_PROFILE_FIELDS(X)                                                    \
    X(VERSIONS, "offers", "tls_versions", VERSIONS)                             \
    X(SUITES, "offers", "cipher_suites", SUITES)                                \
    X(GROUPS, "offers", "groups", GROUPS)                                       \
    X(SIGALGS, "offers", "signature_algorithms", SIGALGS)                       \
    X(COMPRESSION, "offers", "compression", COMPRESSION)                        \
    X(SNI, "offers", "sni", EXT)                                                \
    X(MAX_FRAGMENT_LENGTH, "offers", "max_fragment_length", MFL)                \
    X(ALPN, "offers", "alpn", EXT)                                              \
    X(EMS, "offers", "extended_master_secret", EXT)                             \
    X(ETM, "offers", "encrypt_then_mac", EXT)                                   \
    X(RENEG_INFO, "offers", "renegotiation_info", EXT)                          \
    X(SESSION_TICKET, "offers", "session_ticket", EXT)                          \
    X(STATUS_REQUEST, "offers", "status_request", EXT)                          \
    X(LEVELS, "validation", "levels_supported", LEVELS)                         \
    X(DEFAULT_LEVEL, "validation", "default_level", LEVEL)                      \
    X(CA_ROOT_ONLY, "validation", "ca_root_only", BOOL)                         \
    X(CA_ALWAYS_REQUIRED, "validation", "ca_always_required", BOOL)             \
    X(CA_FORMATS, "validation", "ca_formats", FORMATS)                          \
    X(CA_MAX_BYTES, "validation", "ca_max_bytes", INT)                          \
    X(CN_ONLY_NAME_CHECK, "validation", "cn_only_name_check", BOOL)             \
    X(CN_MAX_LENGTH, "limits", "cn_max_length", INT)                            \
    X(CHAIN_MAX_BYTES, "limits", "chain_max_bytes", INT)                        \
    X(CHAIN_MAX_CERTS, "limits", "chain_max_certs", INT)                        \
    X(MAX_RECORD_BYTES, "limits", "max_record_bytes", INT)                      \
    X(CERTS_PER_FILE, "limits", "certs_per_file", INT)                          \
    X(CERT_FILE_MAX_BYTES, "limits", "cert_file_max_bytes", INT)                \
    X(SERVER_KEY_TYPES, "limits", "server_key_types", KEYTYPES)                 \
    X(RSA_MIN_BITS, "limits", "rsa_min_bits", INT)                              \
    X(RSA_MAX_BITS, "limits", "rsa_max_bits", INT)                              \
    X(DHE_MIN_BITS, "limits", "dhe_min_bits", INT)                              \
    X(DHE_MAX_BITS, "limits", "dhe_max_bits", INT)                              \
    X(CLIENT_KEY_TYPES, "limits", "client_key_types", KEYTYPES)                 \
    X(CLIENT_KEY_FORMATS, "limits", "client_key_formats", KEYFORMATS)           \
    X(CLIENT_KEY_ENCRYPTED, "limits", "client_key_encrypted", BOOL)             \
    X(CLIENT_CERT_X509V3, "limits", "client_cert_x509v3", BOOL)                 \
    X(ERR_NO_COMMON_VERSION, "errors", "no_common_version", TEXT)               \
    X(ERR_NO_COMMON_SUITE, "errors", "no_common_suite", TEXT)                   \
    X(ERR_SNI_REQUIRED, "errors", "sni_required", TEXT)                         \
    X(ERR_CERT_UNTRUSTED, "errors", "cert_untrusted", TEXT)                     \
    X(ERR_NAME_MISMATCH, "errors", "name_mismatch", TEXT)                       \
    X(ERR_EXPIRED, "errors", "expired", TEXT)                                   \
    X(ERR_CN_TOO_LONG, "errors", "cn_too_long", TEXT)                           \
    X(ERR_CHAIN_TOO_LARGE, "errors", "chain_too_large", TEXT)                   \
    X(ERR_KEY_UNSUPPORTED, "errors", "key_unsupported", TEXT)                   \
    X(ERR_CLIENT_CERT_REQUIRED, "errors", "client_cert_required", TEXT)         \
    X(ERR_HANDSHAKE_TIMEOUT, "errors", "handshake_timeout", TEXT)               \
    X(ERR_TLS_CONFIG_INVALID, "errors", "tls_config_invalid", TEXT)

enum td_pfield {
#define TD_PF_ENUM(id, group, key, kind) TD_PF_##id,
    TD_PROFILE_FIELDS(TD_PF_ENUM)
#undef TD_PF_ENUM
        TD_PF_COUNT
};

/* Classes of failure a verdict can name. Each has an errors.* field (what
 * the device reports) and a fixed list of facts it depends on. */
#define TD_PROFILE_FAILS(X)                                                     \
    X(NO_COMMON_VERSION, ERR_NO_COMMON_VERSION, "no common protocol version")  \
    X(NO_COMMON_SUITE, ERR_NO_COMMON_SUITE, "no common cipher suite")          \
    X(SNI_REQUIRED, ERR_SNI_REQUIRED, "server requires SNI")                   \
    X(CERT_UNTRUSTED, ERR_CERT_UNTRUSTED, "certificate not trusted")           \
    X(NAME_MISMATCH, ERR_NAME_MISMATCH, "certificate name mismatch")           \
    X(EXPIRED, ERR_EXPIRED, "certificate expired or not yet valid")            \
    X(CN_TOO_LONG, ERR_CN_TOO_LONG, "certificate CN too long")                 \
    X(CHAIN_TOO_LARGE, ERR_CHAIN_TOO_LARGE, "certificate chain too large")     \
    X(KEY_UNSUPPORTED, ERR_KEY_UNSUPPORTED, "key type or size unsupported")    \
    X(CLIENT_CERT_REQUIRED, ERR_CLIENT_CERT_REQUIRED, "client certificate required") \
    X(HANDSHAKE_TIMEOUT, ERR_HANDSHAKE_TIMEOUT, "handshake timeout")           \
    X(TLS_CONFIG_INVALID, ERR_TLS_CONFIG_INVALID, "invalid TLS configuration on the device")

enum td_pfail {
#define TD_PFAIL_ENUM(id, field, text) TD_PFAIL_##id,
    TD_PROFILE_FAILS(TD_PFAIL_ENUM)
#undef TD_PFAIL_ENUM
        TD_PFAIL_COUNT
};

/* Where a fact comes from and how much of it is known. */
struct td_profile_fact {
    bool known;                    /* false: the value is "unknown" */
    enum td_coverage coverage;     /* list facts only; TD_COV_NONE when unknown */
    enum td_confidence confidence; /* as the profile states it */
    const char *source;            /* citation; never NULL in a loaded profile */
    const char *note;              /* optional remark, NULL if none */
    bool advisory;                 /* INT facts: "advisory": true, the value is a default or a
                                      portable minimum, not a stated limit (exceeding it may work) */
    int line;                      /* line of the fact in the profile text */
};

struct td_u16_list {
    uint16_t *v;
    size_t n;
};

struct td_profile {
    /* identity */
    char *name; /* lowercase, [a-z0-9-] */
    char **aliases;
    size_t n_aliases;
    char *display_name, *vendor, *modem, *firmware_notes, *identity_source;
    char *origin; /* "builtin:NAME.json" or the file path */

    /* what the device offers */
    struct td_u16_list versions;    /* 0x0303 = TLS 1.2, 0xFEFD = DTLS 1.2 */
    struct td_u16_list suites;      /* IANA cipher-suite codes, profile order */
    struct td_u16_list groups;      /* IANA supported-group codes */
    struct td_u16_list sigalgs;     /* SignatureScheme codes */
    struct td_u16_list compression; /* 0 null, 1 deflate */
    enum td_ext_mode sni, alpn, ems, etm, reneg_info, session_ticket, status_request;
    int max_fragment_length; /* 0 = never sends it, 512..4096, TD_UNKNOWN */

    /* how it validates the server: levels 0 none, 1 root CA, 2 + hostname, 3 + dates */
    unsigned levels;   /* bit n set: level n supported; 0 if unknown */
    int default_level; /* 0..3 or TD_UNKNOWN */
    enum td_tri ca_root_only;       /* CA file must be a single self-signed root */
    enum td_tri ca_always_required; /* a CA must be stored even at level 0 */
    unsigned ca_formats;            /* TD_FMT_*; 0 if unknown */
    int ca_max_bytes;
    enum td_tri cn_only_name_check; /* the name check is documented as comparing the CN (SAN not documented) */

    /* limits (TD_UNKNOWN when not known) */
    int cn_max_length, chain_max_bytes, chain_max_certs, max_record_bytes;
    int certs_per_file, cert_file_max_bytes;
    unsigned server_key_types, client_key_types; /* TD_KEY_*; 0 if unknown */
    int rsa_min_bits, rsa_max_bits, dhe_min_bits, dhe_max_bits;
    unsigned client_key_formats; /* TD_KEYFMT_*; 0 if unknown */
    enum td_tri client_key_encrypted, client_cert_x509v3;

    /* what the device reports, per failure class; NULL when unknown */
    char *reports[TD_PFAIL_COUNT];

    /* provenance of every fact, indexed by enum td_pfield */
    struct td_profile_fact facts[TD_PF_COUNT];
};

/* Where loading failed. */
struct td_profile_error {
    char file[256];  /* path, or "builtin:NAME.json" */
    int line;        /* 1-based; 0 if not known */
    int column;      /* 1-based; 0 if not known */
    char field[128]; /* JSON path such as "offers.cipher_suites.value[2]"; "" for syntax errors */
    char msg[256];
};

/* "FILE:LINE:COL: field FIELD: MSG" (parts that are unknown are left out). */
void td_profile_error_format(const struct td_profile_error *e, char *buf, size_t cap);

/* Parses and validates a profile from text (not NUL-terminated; at most
 * TD_PROFILE_MAX_BYTES). origin names it in errors. */
TD_MUST_USE td_err td_profile_load_text(const char *text, size_t len, const char *origin, struct td_profile **out,
                                        struct td_profile_error *err);
/* Reads and loads a user's profile file ("-" = standard input). */
TD_MUST_USE td_err td_profile_load_file(const char *path, struct td_profile **out, struct td_profile_error *err);
/* A built-in profile by name or alias, case-insensitive. TD_ERR_NOTFOUND if
 * there is none (err->msg then says so). */
TD_MUST_USE td_err td_profile_load_builtin(const char *name, struct td_profile **out, struct td_profile_error *err);
/* The built-in profiles, in file-name order. */
size_t td_profile_builtin_count(void);
TD_MUST_USE td_err td_profile_load_builtin_at(size_t i, struct td_profile **out, struct td_profile_error *err);
void td_profile_free(struct td_profile *p);

/* Field metadata. */
const char *td_profile_field_path(enum td_pfield f); /* "offers.cipher_suites" */
const char *td_profile_fail_key(enum td_pfail c);    /* "no_common_suite" */
const char *td_profile_fail_text(enum td_pfail c);   /* "no common cipher suite" */
enum td_pfield td_profile_fail_field(enum td_pfail c);
const char *td_ext_mode_name(enum td_ext_mode m);    /* "configurable-default-off" */
const char *td_coverage_name(enum td_coverage c);    /* "exact", "complete", "partial", "unknown" */
const char *td_confidence_name(enum td_confidence c);

/* Queries. */
const struct td_profile_fact *td_profile_fact(const struct td_profile *p, enum td_pfield f);
/* Known, and for lists exact or complete: a verdict may rely on it. */
bool td_profile_field_settled(const struct td_profile *p, enum td_pfield f);
bool td_profile_offers_version(const struct td_profile *p, uint16_t version);
bool td_profile_offers_suite(const struct td_profile *p, uint16_t suite);
/* What the device shows for this failure ("TX Status 0x85 (Unknown error)"),
 * or NULL when unknown. */
const char *td_profile_reports(const struct td_profile *p, enum td_pfail c);
/* The facts a verdict of class c depends on that are unknown or only
 * partially known (the errors.* field of c included). Writes up to cap of
 * them to out and returns how many there are in total. */
size_t td_profile_unknown_fields(const struct td_profile *p, enum td_pfail c, enum td_pfield *out, size_t cap);
/* The same as one line for a report: "offers.cipher_suites (partial),
 * offers.groups (unknown), errors.no_common_suite (unknown)"; "" when the
 * verdict rests on settled facts only. Returns the number of facts. */
size_t td_profile_unknown_text(const struct td_profile *p, enum td_pfail c, char *buf, size_t cap);
/* Matches name against the profile's name and aliases, case-insensitive. */
bool td_profile_matches(const struct td_profile *p, const char *name);

#endif
