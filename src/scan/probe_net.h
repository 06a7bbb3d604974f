/* The real probe: builds the ClientHello with hello/, sends it over a net/
 * connection through the target's gate, reads the server's first flight
 * with wire/'s flight reader and reduces it to a td_probe_result. */
#ifndef TD_SCAN_PROBE_NET_H
#define TD_SCAN_PROBE_NET_H

#include "net/addr.h"
#include "net/conn.h"
#include "scan/probe.h"

struct td_gate;

struct td_probe_net {
    const struct td_addr *addr;
    struct td_net_limits lim;
    struct td_gate *gate;
};

/* td_probe_fn for ctx = struct td_probe_net. */
void td_probe_net(void *ctx, const struct td_probe_spec *spec, struct td_probe_result *out);

/* The groups offered when a spec gives none (every ECDHE curve and FFDHE
 * group for TLS <= 1.2; the TLS 1.3 groups for 1.3). */
extern const uint16_t td_probe_groups12[];
extern const size_t td_probe_n_groups12;
extern const uint16_t td_probe_groups13[];
extern const size_t td_probe_n_groups13;

#endif
