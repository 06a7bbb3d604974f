/* One probe = one TCP connection carrying one ClientHello, and what the
 * server answered, reduced to the few facts the scan engine reasons about.
 * The engine (scan/engine.h) only sees this interface, so it can run
 * against a real server (scan/probe_net.c: net/ + hello/ + wire/) or a
 * simulated one in unit tests. Whatever the server does, the answer is an
 * observation in td_probe_result, never an error. */
#ifndef TD_SCAN_PROBE_H
#define TD_SCAN_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/conn.h"
#include "tlsio/fetch.h"

#define TD_PROBE_OUTCOMES(X)                                                    \
    X(ACCEPTED, "accepted")         /* ServerHello with an offered suite */     \
    X(HRR, "hello_retry_request")   /* TLS 1.3 HelloRetryRequest */             \
    X(ALERT, "alert")               /* alert instead of a ServerHello */        \
    X(NET, "connection")            /* FIN, RST, timeout, refused: see .net */  \
    X(MALFORMED, "malformed")       /* bytes that are not a TLS answer */       \
    X(UNOFFERED, "unoffered_suite") /* ServerHello with a suite not offered */  \
    X(SSLV2, "sslv2")               /* an SSLv2 SERVER-HELLO */

enum td_probe_outcome {
#define TD_PROBE_ENUM(n, s) TD_PROBE_##n,
    TD_PROBE_OUTCOMES(TD_PROBE_ENUM)
#undef TD_PROBE_ENUM
        TD_PROBE__COUNT
};
const char *td_probe_outcome_name(enum td_probe_outcome o);

/* Hard cap on suites in one ClientHello (testssl: "Some servers can't
 * handle a handshake with >= 128 ciphers"). */
#define TD_PROBE_MAX_SUITES 128
#define TD_PROBE_MAX_GROUPS 64

struct td_probe_spec {
    uint16_t version;        /* TD_VER_*: the version offered (TLS 1.3 via supported_versions) */
    const uint16_t *suites;  /* in preference order, at most TD_PROBE_MAX_SUITES */
    size_t nsuites;
    const uint16_t *groups;  /* supported_groups; NULL = the probe's default list */
    size_t ngroups;
    const char *sni;         /* NULL: no server_name extension */
    uint8_t mfl;             /* max_fragment_length code to offer (1..4), 0: none */
    uint16_t rsl;            /* record_size_limit to offer, 0: none */
    bool sslv2;              /* send an SSLv2 CLIENT-HELLO instead (detection only) */
    struct td_tls_cert *cert_out; /* not NULL: a cleartext Certificate (TLS <= 1.2) is
                                     described here (ok set); left alone otherwise */
};

/* Extensions the server echoed in its ServerHello (bits of ext_flags). */
enum {
    TD_PX_EMS = 1u << 0,       /* extended_master_secret */
    TD_PX_RENEG = 1u << 1,     /* renegotiation_info */
    TD_PX_TICKET = 1u << 2,    /* session_ticket */
    TD_PX_STATUS = 1u << 3,    /* status_request */
    TD_PX_MFL = 1u << 4,       /* max_fragment_length */
    TD_PX_RSL = 1u << 5,       /* record_size_limit */
    TD_PX_ETM = 1u << 6,       /* encrypt_then_mac */
    TD_PX_SNI = 1u << 7,       /* server_name (empty ack) */
    TD_PX_ALPN = 1u << 8,
};

struct td_probe_result {
    enum td_probe_outcome outcome;
    enum td_net_obs net;     /* how the connection ended (OK if we closed it) */
    uint16_t version;        /* negotiated (ServerHello / HRR) */
    uint16_t suite;          /* chosen (also for UNOFFERED) */
    uint8_t alert_level, alert_desc;
    bool alert_after_hello;  /* a fatal alert followed the ServerHello */
    uint8_t warning_alert;   /* description of a warning alert the server sent (e.g.
                                unrecognized_name before going on), 0 if none */
    uint16_t group;          /* ECDHE curve (SKE) or TLS 1.3 key_share / HRR group; 0 unknown */
    unsigned dh_bits;        /* DHE: bits of p (SKE) */
    uint16_t ske_sigalg;
    uint32_t ext_flags;      /* TD_PX_* */
    uint8_t mfl;             /* echoed max_fragment_length */
    uint16_t rsl;            /* echoed record_size_limit */
    bool ocsp_stapled;       /* a CertificateStatus message arrived */
    size_t cert_count;       /* TLS <= 1.2 Certificate message */
    size_t cert_bytes;
    bool has_leaf;
    uint8_t leaf_sha256[32];
    enum td_net_obs repeated; /* not OK: the first try ended so (closed or reset before any
                                 answer) and this is the answer to the same hello repeated */
    char detail[160];        /* for odd answers: what exactly was seen */
    int64_t ms;              /* duration of the connection */
};

/* Runs one probe. Must fill *out completely (outcome NET with a reason if
 * the connection could not even be made). Thread-safe for distinct out. */
typedef void (*td_probe_fn)(void *ctx, const struct td_probe_spec *spec, struct td_probe_result *out);

#endif
