/* What the diagnosis rules see: plain facts, already extracted from the
 * device profile, the transcript of the device-emulating attempt, the
 * certificate verification done as the device would, and what other probes
 * learned about the server. Every source of evidence (live check, a capture,
 * a listener) fills the same structs, so the rules (diag/rules.h) never
 * assume where the evidence came from. All strings are borrowed. */
#ifndef TD_DIAG_FACTS_H
#define TD_DIAG_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A fact that may be unknown. */
enum td_dx_tri {
    TD_DX_UNKNOWN = -1,
    TD_DX_NO = 0,
    TD_DX_YES = 1,
};

#define TD_DX_MAX_SUITES 128
#define TD_DX_MAX_VERSIONS 8
#define TD_DX_MAX_REPORTS 24

/* What the device shows for one class of failure. key is the profile's
 * errors.* key ("no_common_suite", "cert_untrusted", ...; docs/profiles.md). */
struct td_dx_report {
    const char *key;
    const char *text;    /* "TX Status 0x85 (Unknown error)"; NULL: unknown */
    const char *source;  /* citation */
    const char *caveat;  /* facts this verdict depends on that the profile marks
                          * unknown or partial, one line; NULL if none */
    bool uncertain;      /* there are such facts (even when caveat could not be kept) */
};

/* The device, at the settings in effect for this check. A limit of -1 is
 * unknown. */
struct td_dx_device {
    const char *name;    /* profile name, e.g. "xbee3-cellular-ltem" */
    const char *display; /* human name */
    size_t nversions;    /* protocol versions it offers (wire codes) */
    uint16_t versions[TD_DX_MAX_VERSIONS];
    size_t nsuites; /* suites it offers, in its order */
    uint16_t suites[TD_DX_MAX_SUITES];
    const char *suites_source;
    enum td_dx_tri sends_sni; /* in this configuration */
    const char *sni_source;
    int level;             /* certificate validation level in effect 0..3; -1 unknown */
    const char *level_note;   /* why this level (e.g. "no CA file configured") */
    const char *level_source;
    const char *ca_file;      /* the CA file the device would use; NULL: none */
    const char *ca_rules;     /* the device's rules for that file, one line; NULL unknown */
    const char *ca_rules_source;
    int max_cn_len;           /* longest server certificate CN it accepts */
    const char *max_cn_source;
    long max_chain_bytes;     /* largest server chain it accepts */
    const char *max_chain_source;
    enum td_dx_tri rsa_ok, ecdsa_ok; /* server key types it accepts */
    int rsa_min_bits, rsa_max_bits;
    const char *keys_source;
    int dh_min_bits, dh_max_bits; /* DHE prime sizes it accepts */
    const char *dh_source;
    uint8_t mfl_code;          /* max_fragment_length it sends (1..4), 0 none */
    enum td_dx_tri needs_mfl;     /* fails if the server ignores it */
    const char *mfl_source;
    bool has_client_cert;      /* a client certificate is configured */
    size_t nreports;
    struct td_dx_report reports[TD_DX_MAX_REPORTS];
};

/* How the device-emulating attempt ended. */
enum td_dx_end {
    TD_DX_END_COMPLETED = 0,
    TD_DX_END_ALERT_RECEIVED, /* the server sent a fatal alert */
    TD_DX_END_ALERT_SENT,     /* the client side aborted (e.g. rejected the server's choice) */
    TD_DX_END_CLOSED,         /* FIN from the server */
    TD_DX_END_RESET,          /* RST from the server */
    TD_DX_END_TIMEOUT,        /* silence */
    TD_DX_END_NO_TCP,         /* no TCP connection at all */
    TD_DX_END_NOT_EMULATED,   /* the tool could not offer what the device offers */
    TD_DX_END_NOT_TLS,        /* the server answered with bytes that are not valid TLS */
};

/* The server's certificate chain as sent (leaf first), reduced to what the
 * rules need. */
struct td_dx_cert {
    bool present;
    size_t ncerts;
    size_t chain_bytes; /* sum of the DER sizes */
    const char *subject;  /* one line */
    const char *cn;       /* NULL: no CN */
    size_t cn_len;
    bool cn_is_ip;
    const char *san;      /* "DNS:a, IP:1.2.3.4" or NULL */
    const char *key_type; /* "RSA", "EC", "Ed25519", ... */
    int key_bits;
    const char *curve;    /* for EC, e.g. "prime256v1" */
    bool self_signed;
    const char *not_before, *not_after; /* text */
    const char *fingerprint;            /* SHA-256 of the leaf, hex */
};

struct td_dx_attempt {
    enum td_dx_end end;
    const char *tcp_error;   /* for NO_TCP */
    const char *sni_sent;    /* NULL: no server_name sent */
    int alert;               /* alert description received or sent, -1 none */
    bool server_hello;       /* a ServerHello arrived */
    uint16_t version;        /* chosen by the server */
    uint16_t suite;
    bool cert_request;       /* the server asked for a client certificate */
    bool mfl_sent;
    bool mfl_echoed;         /* the ServerHello carried max_fragment_length */
    size_t max_record_in;    /* largest record the server sent (plaintext length bound) */
    int dh_bits;             /* DHE prime size in the ServerKeyExchange; 0 none */
    const char *ecdh_group;  /* ECDHE group name; NULL none */
    const char *tls_error;   /* OpenSSL's reasons, one line */
    size_t nunemulated;      /* device suites the tool could not offer */
    struct td_dx_cert cert;
};

/* The first failing step of the verification done as the device would. */
enum td_dx_vstep {
    TD_DX_V_NONE = 0,   /* passed */
    TD_DX_V_NOT_DONE,   /* not evaluated (no certificate, level unknown) */
    TD_DX_V_UNTRUSTED,  /* level >= 1: no path to the CA file */
    TD_DX_V_NAME,       /* level >= 2: name mismatch */
    TD_DX_V_EXPIRED,    /* level 3 */
    TD_DX_V_NOT_YET_VALID,
    TD_DX_V_OTHER,      /* e.g. a bad CA file */
};

struct td_dx_verify {
    int level;                /* level evaluated */
    enum td_dx_vstep step;
    const char *explanation;  /* one line from x509/ */
    const char *name_checked; /* the host name or IP compared at level 2 */
};

/* What other probes (a scan, a plain OpenSSL connection) learned. */
struct td_dx_server {
    enum td_dx_tri versions_known;
    size_t nversions;
    uint16_t versions[TD_DX_MAX_VERSIONS];
    enum td_dx_tri suites_known;   /* the server's suite list, in its preference order */
    size_t nsuites;
    uint16_t suites[TD_DX_MAX_SUITES];
    const char *probe_name;     /* the name used for the with-SNI probe; NULL if none */
    enum td_dx_tri ok_without_sni; /* a handshake without SNI succeeds */
    enum td_dx_tri ok_with_sni;    /* with probe_name as SNI */
    int alert_without_sni;      /* alert sent when no SNI (-1 none) */
    enum td_dx_tri cert_differs;   /* leaf without SNI != leaf with SNI */
    const char *cn_with_sni;
    const char *cn_without_sni;
    const char *key_type;       /* the server's key as a normal client sees it: "RSA", "EC" */
    int key_bits;
    int dh_bits;                /* DHE prime size the server uses, 0 unknown */
};

struct td_dx_input {
    const char *target; /* "host:port" */
    const char *host;
    struct td_dx_device dev;
    struct td_dx_attempt att;
    struct td_dx_verify ver;
    struct td_dx_server srv;
};

/* Zeroes and sets every "unknown" marker (-1 / TD_DX_UNKNOWN). */
void td_dx_input_init(struct td_dx_input *in);

/* The device's entry for a failure key, or NULL if the profile has none. */
const struct td_dx_report *td_dx_device_report(const struct td_dx_device *d, const char *key);

#endif
