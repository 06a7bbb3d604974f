/* The scan engine: enumerates versions, suites, preference order, groups
 * and extensions, and builds the SNI truth table, by running probes
 * (scan/probe.h) with bounded parallelism. It knows nothing about sockets
 * or bytes: the probe does. Results are plain data for scan/report.c.
 *
 * Suites: for each SNI mode and version the candidates (the suites the local
 * TLS library knows first) are dealt round-robin into partitions of at most
 * TD_PROBE_MAX_SUITES, more of them the more "likely" suites there are; each
 * partition is enumerated by "offer all, remove the one chosen, repeat" and
 * the partitions run in parallel, so the critical path is the longest
 * partition, not the sum. Old versions start as one partition and split when
 * a suite is accepted; a version refused outright stops its other
 * partitions. If every partition of a version ends in a connection failure
 * (FIN, RST, silence) rather than an alert, one small hello is tried: a
 * server intolerant of big hellos is then enumerated with small ones.
 *
 * Order: one extra probe per version offers the first two suites found in
 * reverse; the server either keeps its choice (server order) or follows
 * ours (client order). Server order across partitions is merged by
 * offering the remaining suites of all partitions and taking the winner.
 *
 * Only the first SNI view runs those chains; the later ones are derived
 * from it exactly (each accepted suite offered alone, the rest together,
 * a full chain wherever that gets a ServerHello), all on one work queue
 * whose jobs push what becomes possible. docs/scan.md has the details. */
#ifndef TD_SCAN_ENGINE_H
#define TD_SCAN_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scan/probe.h"
#include "tlsio/fetch.h"

/* Versions in report order. */
enum td_scan_vi { TD_SV_SSL2, TD_SV_SSL3, TD_SV_TLS10, TD_SV_TLS11, TD_SV_TLS12, TD_SV_TLS13, TD_SV__COUNT };
uint16_t td_scan_vi_version(enum td_scan_vi vi); /* wire value (0x0002 for SSLv2) */
const char *td_scan_vi_name(enum td_scan_vi vi); /* "TLS 1.2" */
const char *td_scan_vi_key(enum td_scan_vi vi);  /* "tls1_2" (JSON keys) */

/* The three SNI modes of the truth table. */
enum td_sni_mode { TD_SNI_NAME, TD_SNI_NONE, TD_SNI_UNKNOWN, TD_SNI__COUNT };
const char *td_sni_mode_key(enum td_sni_mode m); /* "name", "none", "unknown" */

enum td_tri { TD_TRI_UNKNOWN, TD_TRI_NO, TD_TRI_YES };
const char *td_tri_key(enum td_tri t); /* "unknown", "no", "yes" */

enum td_order { TD_ORDER_UNKNOWN, TD_ORDER_SINGLE, TD_ORDER_SERVER, TD_ORDER_CLIENT };
const char *td_order_key(enum td_order o); /* "unknown", "single", "server", "client" */

/* Key-exchange class of a suite, supplied by the caller (registry). */
enum td_kx_class { TD_KXC_OTHER, TD_KXC_ECDHE, TD_KXC_DHE };

#define TD_SCAN_MAX_CAND 512   /* candidates per version */
#define TD_SCAN_MAX_ACCEPT 512 /* accepted suites per version */
#define TD_SCAN_MAX_OBS 24     /* distinct observations kept per view */
#define TD_SCAN_MAX_LEAVES 8   /* distinct leaf certificates kept per view */
#define TD_SCAN_MAX_GROUPS 64

struct td_scan_suite {
    uint16_t code;
    uint16_t group;   /* ECDHE curve seen in the SKE (0: none/unknown) */
    uint16_t dh_bits; /* DHE p size seen in the SKE */
    int8_t leaf;      /* index into view->leaves, -1 if none seen */
};

/* How a version (or a partition) was turned down: the final answer. */
struct td_scan_answer {
    enum td_probe_outcome outcome;
    enum td_net_obs net;
    uint8_t alert_desc;
    uint16_t version; /* the version the server answered with, if it did */
    uint16_t suite;
};

struct td_scan_ver {
    bool probed;
    bool supported;
    struct td_scan_suite suites[TD_SCAN_MAX_ACCEPT];
    size_t nsuites;
    enum td_order order;
    bool order_complete;     /* server order known across all partitions */
    bool small_hellos;       /* enumerated with small hellos (intolerant server) */
    struct td_scan_answer reject; /* why not supported / how enumeration ended */
    uint32_t ext_flags;      /* TD_PX_* echoed in the first accepted ServerHello */
    bool ocsp_stapled;
};

struct td_scan_obs {
    enum td_probe_outcome outcome;
    enum td_net_obs net;
    bool alert_after_hello;
    uint8_t warning_alert;   /* a warning alert, then the server went on */
    bool repeated;           /* net: the first try failed so, the repeat was answered */
    uint16_t version;        /* version offered */
    unsigned count;
    char detail[160];
};

struct td_scan_view {
    bool used;
    enum td_sni_mode mode;
    char sni[256];           /* empty for TD_SNI_NONE */
    struct td_scan_ver v[TD_SV__COUNT];
    struct td_tls_cert cert;
    uint8_t leaves[TD_SCAN_MAX_LEAVES][32];
    size_t nleaves;
    struct td_scan_obs obs[TD_SCAN_MAX_OBS];
    size_t nobs;
    bool any_supported;
};

struct td_scan_groups {
    bool probed12, probed13;
    uint16_t ecdhe[TD_SCAN_MAX_GROUPS];  /* TLS <= 1.2 ECDHE curves, in the order found */
    size_t n_ecdhe;
    uint16_t tls13[TD_SCAN_MAX_GROUPS];  /* TLS 1.3 groups (via HelloRetryRequest) */
    size_t n_tls13;
    uint16_t dhe_bits[8];                /* distinct DHE sizes */
    size_t n_dhe;
};

struct td_scan_ext {
    bool probed;
    uint16_t version;        /* version the extension probes used */
    enum td_tri ems, reneg, ticket, ocsp, etm;
    enum td_tri mfl;         /* max_fragment_length (512) honoured */
    char mfl_detail[96];
    enum td_tri rsl;         /* record_size_limit acknowledged */
};

struct td_scan_result {
    struct td_scan_view view[TD_SNI__COUNT];
    enum td_sni_mode primary;    /* the view groups/extensions were scanned in */
    enum td_tri sslv2;
    struct td_scan_answer sslv2_answer;
    struct td_scan_groups groups;
    struct td_scan_ext ext;
    enum td_tri sni_required;    /* name works, no SNI does not */
    char sni_required_how[96];   /* "unrecognized_name alert", "connection closed", ... */
    enum td_tri different_cert;  /* leaf without SNI differs from leaf with the name */
    bool unreachable;            /* no probe could even connect */
    char unreachable_why[160];
    unsigned long probes;        /* probes run by the engine */
};

struct td_scan_opts {
    int parallel;             /* jobs run at once (the gate bounds connections) */
    int hello_suites;         /* suites per hello, <= TD_PROBE_MAX_SUITES */
    int small_hello_suites;   /* suites per hello in the small-hello fallback */
    bool mode[TD_SNI__COUNT]; /* which SNI modes to scan */
    const char *sni_name;     /* TD_SNI_NAME */
    const char *unknown_name; /* TD_SNI_UNKNOWN */
    bool versions[TD_SV__COUNT];
    bool groups, extensions, certs;
};

/* Defaults: parallel 8, 128 suites per hello, 16 in the fallback, every
 * version, groups/extensions/certs on, modes left to the caller. */
void td_scan_opts_default(struct td_scan_opts *o);

struct td_scan_cands {
    const uint16_t *suites[TD_SV__COUNT]; /* in offer order; "likely" ones first */
    size_t n[TD_SV__COUNT];
    size_t n_likely[TD_SV__COUNT];        /* how many leading ones go into partition 0 */
    const uint16_t *ec_groups;            /* TLS <= 1.2 ECDHE candidates */
    size_t n_ec_groups;
    const uint16_t *tls13_groups;         /* TLS 1.3 candidates */
    size_t n_tls13_groups;
};

typedef void (*td_cert_fn)(void *ctx, const char *sni, struct td_tls_cert *out);
typedef enum td_kx_class (*td_kx_class_fn)(uint16_t suite);
/* Progress: a stage name and how many of its jobs are done. */
typedef void (*td_progress_fn)(void *ctx, const char *stage, size_t done, size_t total);

struct td_scan_env {
    td_probe_fn probe;
    void *probe_ctx;
    td_cert_fn cert;          /* may be NULL: no certificate stage */
    void *cert_ctx;
    td_kx_class_fn kx_class;  /* may be NULL: no group stage for 1.2 */
    td_progress_fn progress;  /* may be NULL */
    void *progress_ctx;
    const struct td_scan_cands *cands;
};

/* Runs the scan; res is fully initialised here. Never fails: what went
 * wrong is in the result (unreachable, observations). */
void td_scan_run(const struct td_scan_opts *o, const struct td_scan_env *env, struct td_scan_result *res);

/* SNI truth table differences between two views, one line each
 * ("TLS 1.0: supported with name, not without SNI",
 *  "TLS 1.2 suite 0xC030: only with name"). Calls fn for each; returns the
 * count. */
typedef void (*td_diff_fn)(void *ctx, const char *kind, uint16_t version, uint16_t suite, bool in_a, bool in_b);
size_t td_scan_diff(const struct td_scan_view *a, const struct td_scan_view *b, td_diff_fn fn, void *ctx);

#endif
