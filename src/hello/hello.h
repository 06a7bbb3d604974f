/* ClientHello builder: a spec in, wire bytes out (through core/writer and
 * wire/ encoders, never hand-written byte arrays). Randomness and key
 * material are injected by the caller so the output is deterministic in
 * tests: `random` fills the 32-byte random and the session id; key shares
 * carry caller-made public keys (net/tlsio makes real ones with OpenSSL;
 * hello/ itself never links a crypto library).
 *
 * Deliberately malformed probes are built normally and then altered by the
 * named mutators at the end of this file. */
#ifndef TD_HELLO_HELLO_H
#define TD_HELLO_HELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/writer.h"
#include "wire/ext.h"

/* Fills buf with n random bytes. */
typedef void (*td_hello_random_fn)(void *arg, uint8_t *buf, size_t n);

struct td_hello_spec {
    bool record;             /* wrap in a handshake record */
    uint16_t record_version; /* 0: TLS 1.0 (0x0301), the most tolerated value */
    uint16_t legacy_version; /* 0: min(highest of versions, TLS 1.2) */
    /* Versions offered. If TLS 1.3 (or higher) is among them, a
     * supported_versions extension lists them all (highest first as given). */
    const uint16_t *versions;
    size_t n_versions;
    bool supported_versions; /* send supported_versions even without 1.3 */

    const uint16_t *suites;
    size_t n_suites;
    bool scsv_renegotiation;    /* append TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746) */
    bool scsv_fallback;         /* append TLS_FALLBACK_SCSV (RFC 7507) */
    const uint8_t *compression; /* NULL: {0} (null only) */
    size_t n_compression;

    bool no_extensions;     /* omit the extensions vector entirely (SSLv3-style) */
    const char *sni;        /* host name; NULL: no server_name. IP literals are refused (RFC 6066 3). */
    const uint16_t *groups; /* supported_groups; none if n_groups == 0 */
    size_t n_groups;
    const uint8_t *point_formats; /* ec_point_formats */
    size_t n_point_formats;
    const uint16_t *sigalgs; /* signature_algorithms */
    size_t n_sigalgs;
    const char *const *alpn;
    size_t n_alpn;
    uint8_t max_fragment_length; /* 0 none, 1..4 = 2^9..2^12 (RFC 6066 4) */
    bool ems;                    /* extended_master_secret */
    bool renegotiation_info;     /* empty renegotiation_info extension */
    bool session_ticket;         /* empty SessionTicket extension */
    bool status_request;         /* OCSP status_request */
    bool encrypt_then_mac;
    uint16_t record_size_limit;            /* 0 none; else 64..2^14+1 (RFC 8449 4) */
    const struct td_key_share *key_shares; /* caller-supplied public keys */
    size_t n_key_shares;
    bool psk_dhe_ke; /* psk_key_exchange_modes {psk_dhe_ke}: some 1.3 servers want it */
    /* Pad (RFC 7685) the handshake message (header included) up to this
     * many bytes; 0 none. No padding extension if already at/over it. */
    size_t pad_to;

    size_t session_id_len; /* 0..32 random bytes; 32 is usual for 1.3 "compat mode" */

    /* SSLv2 framing (RFC 5246 E.2): a CLIENT-HELLO with a 2-byte record
     * header whose cipher specs are sslv2_specs (3-byte SSL 2.0 kinds, e.g.
     * 0x010080 SSL_CK_RC4_128_WITH_MD5) then each of suites as 0x00XXXX;
     * version is legacy_version (TD_V_SSL2 probes a pure SSLv2 server). A
     * 16-byte challenge comes from `random`. Extensions, compression and
     * session id do not exist in this form; `record` is implied. */
    bool sslv2;
    const uint32_t *sslv2_specs;
    size_t n_sslv2_specs;
    td_hello_random_fn random;
    void *random_arg;
};

/* Hard cap on a built hello (a record and then some). */
enum { TD_HELLO_CAP = 65536 };

/* Appends the hello to out (a writer the caller initialised). On refusal
 * (IP literal as SNI, bad values) returns BADVALUE/USAGE with a message in
 * d and leaves out's contents unspecified. */
TD_MUST_USE td_err td_hello_build(const struct td_hello_spec *spec, struct td_writer *out, struct td_diag *d);

/* true if s is an IPv4 or IPv6 literal (RFC 6066 3: not permitted in
 * HostName). */
bool td_hello_is_ip_literal(const char *s);

/* ---- Named mutators for malformed probes -------------------------------
 * Applied to a built hello (record-wrapped or not, as built); each locates
 * its field by decoding the hello with wire/, then rewrites it. */
enum td_hello_mutation {
    TD_MUT_DUPLICATE_EXTENSION, /* arg: ext type to repeat (must be present) */
    TD_MUT_EXT_LENGTH_PLUS,     /* arg: ext type whose length grows by 1 */
    TD_MUT_SUITES_LENGTH_ODD,   /* cipher_suites length +1 (odd) */
    TD_MUT_HS_LENGTH_PLUS,      /* handshake length +1 */
    TD_MUT_RECORD_LENGTH_PLUS,  /* record length +1 (record-wrapped only) */
    TD_MUT_TRAILING_BYTE,       /* one 0x00 after the extensions, lengths adjusted */
    TD_MUT_EMPTY_COMPRESSION,   /* compression_methods of length 0 */
};
TD_MUST_USE td_err td_hello_mutate(struct td_writer *w, enum td_hello_mutation m, uint16_t arg, struct td_diag *d);
const char *td_hello_mutation_name(enum td_hello_mutation m);

#endif
