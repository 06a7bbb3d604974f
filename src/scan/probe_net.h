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
    /* Send our FIN right after the ClientHello. Only once
     * td_probe_half_close_safe() has shown it changes no answer; may be
     * switched on while probes run. */
    atomic_bool half_close;
    /* A GREASE key share got a real answer: no need to retry a TLS 1.3
     * refusal with a real share. */
    atomic_bool grease_ok;
};

void td_probe_net_init(struct td_probe_net *pn, const struct td_addr *addr, const struct td_net_limits *lim,
                       struct td_gate *gate);

/* Decides whether half-closing after the ClientHello is safe with this
 * server: the same hello (TLS 1.2, else TLS 1.3) is sent twice, closed
 * normally and half-closed; safe if both answers are the same ServerHello.
 * Two connections. Against a server that handles one connection at a time
 * (openssl s_server, small embedded servers) half-closing removes a round
 * trip of waiting per connection from its queue. */
bool td_probe_half_close_safe(const struct td_probe_net *pn, const char *sni, const uint16_t *s12, size_t n12,
                              const uint16_t *s13, size_t n13, enum td_net_obs *connect_failure);
/* *connect_failure: TD_NET_OK, or how the first probe failed to connect at
 * all (REFUSED, CONNECT_TIMEOUT, UNREACHABLE): then the target is down. */

/* td_probe_fn for ctx = struct td_probe_net. */
void td_probe_net(void *ctx, const struct td_probe_spec *spec, struct td_probe_result *out);

/* The groups offered when a spec gives none (every ECDHE curve and FFDHE
 * group for TLS <= 1.2; the TLS 1.3 groups for 1.3). */
extern const uint16_t td_probe_groups12[];
extern const size_t td_probe_n_groups12;
extern const uint16_t td_probe_groups13[];
extern const size_t td_probe_n_groups13;

#endif
