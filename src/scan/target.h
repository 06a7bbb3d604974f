/* One target, end to end: parse, resolve, pick the SNI modes, run the
 * engine over the real probe through the target's gate, count connections
 * and time. Many targets share one overall gate (scan/cmd). */
#ifndef TD_SCAN_TARGET_H
#define TD_SCAN_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "net/addr.h"
#include "net/conn.h"
#include "net/gate.h"
#include "scan/engine.h"

#define TD_SCAN_UNKNOWN_SNI "unknown-name.invalid"

enum td_half_close { TD_HALF_CLOSE_AUTO, TD_HALF_CLOSE_ON, TD_HALF_CLOSE_OFF };

struct td_scan_conf {
    struct td_scan_opts opts;   /* versions, stages, parallel, hello sizes (modes set per target) */
    struct td_net_limits lim;
    int per_host;               /* concurrent connections to one target (default 8) */
    int delay_ms;               /* between connection starts to one target */
    int family;                 /* AF_UNSPEC, AF_INET, AF_INET6 */
    const char *sni;            /* --sni NAME, or NULL */
    bool no_sni;                /* --no-sni: only without SNI */
    bool sni_table;             /* scan with name, without, unknown (default) */
    uint16_t default_port;
    enum td_half_close half_close; /* FIN right after each ClientHello (auto: if shown harmless) */
    struct td_gate *overall;    /* shared by all targets; may be NULL */
    const struct td_scan_cands *cands;
    td_progress_fn progress;
    void *progress_ctx;
};

enum td_scan_status { TD_SCAN_OK, TD_SCAN_BAD_TARGET, TD_SCAN_UNRESOLVED, TD_SCAN_UNREACHABLE };
const char *td_scan_status_key(enum td_scan_status s); /* "ok", "bad_target", "unresolved", "unreachable" */

struct td_scan_target_result {
    char input[300];
    struct td_target t;
    char address[80];           /* the address scanned, "127.0.0.1:443" */
    enum td_scan_status status;
    char error[300];
    struct td_scan_result r;
    unsigned long connections;  /* TCP connections opened for this target */
    int64_t elapsed_ms;
    int per_host;
    int peak_concurrency;
    bool half_close;            /* probes half-closed after the ClientHello */
};

/* Scans one target; out is fully written. out is large (~100 KB): allocate it. */
void td_scan_target(const struct td_scan_conf *c, const char *input, struct td_scan_target_result *out);

#endif
