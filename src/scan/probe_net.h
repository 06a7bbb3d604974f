/* The real probe: builds the ClientHello with hello/, sends it over a net/
 * connection through the target's gate, reads the server's first flight
 * with wire/'s flight reader and reduces it to a td_probe_result. */
#ifndef TD_SCAN_PROBE_NET_H
#define TD_SCAN_PROBE_NET_H

#include <stdatomic.h>
#include <stdbool.h>

#include "net/addr.h"
#include "net/conn.h"
#include "scan/probe.h"

struct td_gate;

struct td_probe_net {
    const struct td_addr *addr;
    struct td_net_limits lim;
    struct td_gate *gate;
    /* Send our FIN right after the ClientHello (switched off for good once
     * a check below finds that it changes an answer). */
    atomic_bool half_close;
    /* --half-close auto: a half-closed probe that got no answer at all
     * (closed, reset, silence) is sent again twice at once, half-closed and
     * closed normally - at most TD_PROBE_FIN_CHECKS times, and not once
     * the half-closed one has been answered (half_proven: the failures are
     * transient, and the engine repeats them). If only the normally closed
     * one is answered, half-closing lost the answer: half_unsafe is set,
     * half_close cleared, and the scan must be run again. */
    bool fin_check;
    atomic_int fin_checks;
    atomic_bool half_unsafe;
    atomic_bool half_proven;
    /* A GREASE key share got a real answer: no need to retry a TLS 1.3
     * refusal with a real share. */
    atomic_bool grease_ok;
};

void td_probe_net_init(struct td_probe_net *pn, const struct td_addr *addr, const struct td_net_limits *lim,
                       struct td_gate *gate);

#define TD_PROBE_FIN_CHECKS 2

/* td_probe_fn for ctx = struct td_probe_net. */
void td_probe_net(void *ctx, const struct td_probe_spec *spec, struct td_probe_result *out);

/* The groups offered when a spec gives none (every ECDHE curve and FFDHE
 * group for TLS <= 1.2; the TLS 1.3 groups for 1.3). */
extern const uint16_t td_probe_groups12[];
extern const size_t td_probe_n_groups12;
extern const uint16_t td_probe_groups13[];
extern const size_t td_probe_n_groups13;

#endif
