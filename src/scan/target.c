#include "scan/target.h"

#include <stdio.h>
#include <string.h>

#include "scan/cands.h"
#include "scan/probe_net.h"
#include "tlsio/fetch.h"

const char *td_scan_status_key(enum td_scan_status s)
{
    static const char *const k[] = {"ok", "bad_target", "unresolved", "unreachable"};
    return (unsigned)s < TD_ARRAY_LEN(k) ? k[s] : "?";
}

struct cert_ctx {
    const struct td_addr *addr;
    struct td_net_limits lim;
    struct td_gate *gate;
    struct td_probe_net *pn; /* its half_close decides the fetch's */
};

static void cert_cb(void *ctx, const char *sni, struct td_tls_cert *out)
{
    const struct cert_ctx *cc = ctx;
    struct td_tls_fetch req = {cc->addr, cc->lim, cc->gate, sni, atomic_load(&cc->pn->half_close)};
    if (td_tls_fetch_cert(&req, out) != TD_ERR_OK && out->error[0] == '\0')
        snprintf(out->error, sizeof(out->error), "OpenSSL could not be set up");
}

void td_scan_target(const struct td_scan_conf *c, const char *input, struct td_scan_target_result *out)
{
    struct td_addrs addrs;
    struct td_scan_opts o = c->opts;
    const char *name = NULL;
    int64_t t0 = td_net_now_ms();
    unsigned long conns = 0;

    memset(out, 0, sizeof(*out));
    snprintf(out->input, sizeof(out->input), "%s", input);
    out->per_host = c->per_host;
    if (td_target_parse(input, c->default_port, &out->t, out->error, sizeof(out->error)) != TD_ERR_OK) {
        out->status = TD_SCAN_BAD_TARGET;
        return;
    }
    if (td_net_resolve(&out->t, c->family, &addrs, out->error, sizeof(out->error)) != TD_ERR_OK) {
        out->status = TD_SCAN_UNRESOLVED;
        out->elapsed_ms = td_net_now_ms() - t0;
        return;
    }

    /* SNI: the name given, else the target's name; never an IP literal
     * (RFC 6066 3). */
    if (c->sni != NULL && c->sni[0] != '\0')
        name = c->sni;
    else if (!out->t.is_ip)
        name = out->t.host;
    memset(o.mode, 0, sizeof(o.mode));
    if (c->no_sni) {
        o.mode[TD_SNI_NONE] = true;
    } else {
        o.mode[TD_SNI_NAME] = name != NULL;
        o.mode[TD_SNI_NONE] = c->sni_table || name == NULL;
        o.mode[TD_SNI_UNKNOWN] = c->sni_table;
    }
    o.sni_name = name;
    o.unknown_name = TD_SCAN_UNKNOWN_SNI;
    o.parallel = c->per_host;

    /* Try the addresses in the resolver's order until one answers. */
    for (size_t i = 0; i < addrs.n; i++) {
        struct td_gate gate;
        struct td_probe_net pn;
        struct cert_ctx cc;
        struct td_scan_env env;

        td_gate_init(&gate, c->per_host, c->delay_ms, c->overall);
        td_probe_net_init(&pn, &addrs.a[i], &c->lim, &gate);
        /* Half-closing (our FIN right after each hello) spares a server
         * that serves one connection at a time a round trip per probe. In
         * auto mode the scan half-closes until a probe goes unanswered and
         * the same hello closed normally is answered (probe_net.h); then it
         * is run again without, so no result rests on it. */
        atomic_store(&pn.half_close, c->half_close != TD_HALF_CLOSE_OFF);
        pn.fin_check = c->half_close == TD_HALF_CLOSE_AUTO;
        cc.addr = &addrs.a[i];
        cc.lim = c->lim;
        cc.gate = &gate;
        cc.pn = &pn;
        memset(&env, 0, sizeof(env));
        env.probe = td_probe_net;
        env.probe_ctx = &pn;
        env.cert = cert_cb;
        env.cert_ctx = &cc;
        env.kx_class = td_scan_kx_class;
        env.progress = c->progress;
        env.progress_ctx = c->progress_ctx;
        env.cands = c->cands;
        td_addr_format(&addrs.a[i], out->address, sizeof(out->address));
        td_scan_run(&o, &env, &out->r);
        if (atomic_load(&pn.half_unsafe))
            td_scan_run(&o, &env, &out->r);
        out->half_close = atomic_load(&pn.half_close);
        conns += td_gate_opened(&gate);
        if (gate.peak_active > out->peak_concurrency)
            out->peak_concurrency = gate.peak_active;
        td_gate_free(&gate);
        if (!out->r.unreachable)
            break;
    }
    out->connections = conns;
    out->elapsed_ms = td_net_now_ms() - t0;
    if (out->r.unreachable) {
        out->status = TD_SCAN_UNREACHABLE;
        snprintf(out->error, sizeof(out->error), "%s (at %s)", out->r.unreachable_why, out->address);
    } else {
        out->status = TD_SCAN_OK;
    }
}
