/* scan/engine: the enumeration logic against simulated servers, so every
 * rule (offer-all-and-remove, partitions, order, small-hello fallback, SNI
 * truth table, groups via HRR, extensions, odd answers) is checked exactly
 * and deterministically. Real servers are in tests/e2e/test_scan_*.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>

#include "scan/engine.h"

#define NAME "good.example"
#define UNKNOWN "unknown.invalid"

struct fake_cfg {
    bool ver[TD_SV__COUNT];
    uint16_t suites[TD_SV__COUNT][48];
    size_t n[TD_SV__COUNT];
    bool server_order;
    size_t max_suites;    /* 0: any; more closes the connection (intolerance) */
    uint8_t reject_alert; /* alert when nothing matches; 0 = close (FIN) */
    uint16_t groups[8];   /* server's groups, preference order */
    size_t ngroups;
    unsigned dh_bits;
    bool mfl;
    bool mfl_alert;       /* answers a max_fragment_length offer with illegal_parameter */
    bool rsl;             /* has record_size_limit: echoes it, and then ignores max_fragment_length */
    uint32_t ext_flags;
    uint8_t leaf;
    bool unoffered;       /* picks 0xFEFE, never offered */
    bool refuse;          /* port closed */
    bool silent;          /* accepts TCP, never answers */
    size_t hang_above;    /* 0: none; a hello with more suites, an SSLv2 or a TLS 1.3 hello is never
                             answered (RFC 7685's hang is about bytes: those hellos are the big ones) */
    unsigned long flaky[4]; /* these probes (1-based, counted over all modes) are closed unanswered */
};

struct fake {
    struct fake_cfg mode[TD_SNI__COUNT];
    atomic_ulong probes;
};

static enum td_kx_class kx_of(uint16_t s)
{
    if ((s & 0xFF00) == 0xC000)
        return TD_KXC_ECDHE;
    if (s == 0x009E || s == 0x009F || s == 0x0033 || s == 0x0039)
        return TD_KXC_DHE;
    return TD_KXC_OTHER;
}

static int vi_of(uint16_t v)
{
    for (int i = 0; i < TD_SV__COUNT; i++)
        if (td_scan_vi_version((enum td_scan_vi)i) == v)
            return i;
    return -1;
}

static bool has(const uint16_t *l, size_t n, uint16_t v)
{
    for (size_t i = 0; i < n; i++)
        if (l[i] == v)
            return true;
    return false;
}

static void fake_probe(void *ctx, const struct td_probe_spec *s, struct td_probe_result *r)
{
    struct fake *f = ctx;
    const struct fake_cfg *c;
    int vi;

    unsigned long nth = atomic_fetch_add(&f->probes, 1) + 1;
    c = s->sni == NULL ? &f->mode[TD_SNI_NONE]
                       : strcmp(s->sni, NAME) == 0 ? &f->mode[TD_SNI_NAME] : &f->mode[TD_SNI_UNKNOWN];
    if (c->refuse) {
        r->outcome = TD_PROBE_NET;
        r->net = TD_NET_REFUSED;
        return;
    }
    if (c->silent || (c->hang_above && (s->nsuites > c->hang_above || s->sslv2 || s->version == 0x0304))) {
        r->outcome = TD_PROBE_NET;
        r->net = TD_NET_TIMEOUT;
        return;
    }
    for (size_t i = 0; i < TD_ARRAY_LEN(c->flaky); i++)
        if (c->flaky[i] == nth) {
            r->outcome = TD_PROBE_NET;
            r->net = i % 2 ? TD_NET_RESET : TD_NET_CLOSED;
            return;
        }
    if (s->sslv2) {
        r->outcome = TD_PROBE_NET;
        r->net = TD_NET_CLOSED;
        return;
    }
    if (s->mfl && c->mfl_alert) {
        r->outcome = TD_PROBE_ALERT;
        r->alert_desc = 47;
        return;
    }
    if (c->max_suites && s->nsuites > c->max_suites) {
        r->outcome = TD_PROBE_NET;
        r->net = TD_NET_CLOSED;
        return;
    }
    /* negotiate down to the highest version <= offered */
    for (vi = vi_of(s->version); vi > TD_SV_SSL2 && !c->ver[vi]; vi--) {
    }
    if (vi <= TD_SV_SSL2) {
        if (c->reject_alert) {
            r->outcome = TD_PROBE_ALERT;
            r->alert_desc = c->reject_alert == 40 ? 70 : c->reject_alert;
        } else {
            r->outcome = TD_PROBE_NET;
            r->net = TD_NET_CLOSED;
        }
        return;
    }
    if (c->unoffered) {
        r->outcome = TD_PROBE_UNOFFERED;
        r->version = td_scan_vi_version((enum td_scan_vi)vi);
        r->suite = 0xFEFE;
        snprintf(r->detail, sizeof(r->detail), "ServerHello chose 0xFEFE, not offered");
        return;
    }
    uint16_t pick = 0;
    bool found = false;
    if (c->server_order) {
        for (size_t i = 0; i < c->n[vi] && !found; i++)
            if (has(s->suites, s->nsuites, c->suites[vi][i])) {
                pick = c->suites[vi][i];
                found = true;
            }
    } else {
        for (size_t i = 0; i < s->nsuites && !found; i++)
            if (has(c->suites[vi], c->n[vi], s->suites[i])) {
                pick = s->suites[i];
                found = true;
            }
    }
    uint16_t group = 0;
    bool gfound = false;
    if (found && (kx_of(pick) == TD_KXC_ECDHE || vi == TD_SV_TLS13)) {
        for (size_t i = 0; i < c->ngroups && !gfound; i++)
            if (s->groups == NULL || has(s->groups, s->ngroups, c->groups[i])) {
                group = c->groups[i];
                gfound = true;
            }
        if (!gfound)
            found = false;
    }
    if (!found) {
        if (c->reject_alert) {
            r->outcome = TD_PROBE_ALERT;
            r->alert_desc = c->reject_alert;
        } else {
            r->outcome = TD_PROBE_NET;
            r->net = TD_NET_CLOSED;
        }
        return;
    }
    r->outcome = vi == TD_SV_TLS13 ? TD_PROBE_HRR : TD_PROBE_ACCEPTED;
    r->version = td_scan_vi_version((enum td_scan_vi)vi);
    r->suite = pick;
    r->group = group;
    r->dh_bits = kx_of(pick) == TD_KXC_DHE ? c->dh_bits : 0;
    r->ext_flags = c->ext_flags;
    if (s->rsl && c->rsl) {
        r->ext_flags |= TD_PX_RSL;
        r->rsl = s->rsl;
    }
    if (s->mfl && c->mfl && !(s->rsl && c->rsl)) { /* RFC 8449, 5 */
        r->ext_flags |= TD_PX_MFL;
        r->mfl = s->mfl;
    }
    if (vi < TD_SV_TLS13) {
        r->has_leaf = true;
        memset(r->leaf_sha256, c->leaf, 32);
    }
}

/* Candidates: TLS 1.2 gets 0x0001..0x00FE and 0xC001..0xC0B0 (430), with
 * 40 "likely" ones first; other versions a smaller list. */
static uint16_t cand12[512], cand_old[128], cand13[5] = {0x1301, 0x1302, 0x1303, 0x1304, 0x1305};
static const uint16_t ec_groups[] = {0x0017, 0x0018, 0x0019, 0x001d, 0x001e};
static const uint16_t groups13[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101};
static struct td_scan_cands cands;

static void setup_cands(void)
{
    size_t n = 0;
    static const uint16_t likely[] = {0xC02F, 0xC030, 0x009E, 0x009F, 0x002F, 0x0035, 0xC013, 0xC014};
    memset(&cands, 0, sizeof(cands));
    for (size_t i = 0; i < TD_ARRAY_LEN(likely); i++)
        cand12[n++] = likely[i];
    for (uint16_t c = 1; c <= 0xFE; c++)
        if (!has(likely, TD_ARRAY_LEN(likely), c))
            cand12[n++] = c;
    for (uint16_t c = 0xC001; c <= 0xC0B0; c++)
        if (!has(likely, TD_ARRAY_LEN(likely), c))
            cand12[n++] = c;
    for (size_t i = 0; i < 100; i++)
        cand_old[i] = (uint16_t)(i + 1);
    for (int vi = TD_SV_SSL3; vi <= TD_SV_TLS11; vi++) {
        cands.suites[vi] = cand_old;
        cands.n[vi] = 100;
        cands.n_likely[vi] = 100;
    }
    cands.suites[TD_SV_TLS12] = cand12;
    cands.n[TD_SV_TLS12] = n;
    cands.n_likely[TD_SV_TLS12] = TD_ARRAY_LEN(likely);
    cands.suites[TD_SV_TLS13] = cand13;
    cands.n[TD_SV_TLS13] = 5;
    cands.n_likely[TD_SV_TLS13] = 5;
    cands.ec_groups = ec_groups;
    cands.n_ec_groups = TD_ARRAY_LEN(ec_groups);
    cands.tls13_groups = groups13;
    cands.n_tls13_groups = TD_ARRAY_LEN(groups13);
}

/* A typical TLS 1.2 + 1.3 server; suites spread over several partitions. */
static void cfg_typical(struct fake_cfg *c)
{
    static const uint16_t s12[] = {0xC030, 0xC02F, 0x009F, 0x009E, 0xC0A0, 0x00AB, 0x0041, 0x0035, 0x002F};
    static const uint16_t s13[] = {0x1302, 0x1303, 0x1301};
    memset(c, 0, sizeof(*c));
    c->ver[TD_SV_TLS12] = c->ver[TD_SV_TLS13] = true;
    memcpy(c->suites[TD_SV_TLS12], s12, sizeof(s12));
    c->n[TD_SV_TLS12] = TD_ARRAY_LEN(s12);
    memcpy(c->suites[TD_SV_TLS13], s13, sizeof(s13));
    c->n[TD_SV_TLS13] = TD_ARRAY_LEN(s13);
    c->server_order = true;
    c->reject_alert = 40;
    c->groups[0] = 0x001d;
    c->groups[1] = 0x0017;
    c->groups[2] = 0x0018;
    c->ngroups = 3;
    c->dh_bits = 2048;
    c->ext_flags = TD_PX_EMS | TD_PX_RENEG;
    c->leaf = 0xAA;
}

static struct td_scan_result res;

static void run(struct fake *f, bool name, bool none, bool unknown)
{
    struct td_scan_opts o;
    struct td_scan_env env;
    td_scan_opts_default(&o);
    o.mode[TD_SNI_NAME] = name;
    o.mode[TD_SNI_NONE] = none;
    o.mode[TD_SNI_UNKNOWN] = unknown;
    o.sni_name = NAME;
    o.unknown_name = UNKNOWN;
    memset(&env, 0, sizeof(env));
    env.probe = fake_probe;
    env.probe_ctx = f;
    env.kx_class = kx_of;
    env.cands = &cands;
    atomic_init(&f->probes, 0);
    td_scan_run(&o, &env, &res);
    assert_int_equal(res.probes, atomic_load(&f->probes));
}

static void assert_suites(const struct td_scan_ver *v, const uint16_t *want, size_t n)
{
    if (v->nsuites != n)
        fail_msg("found %zu suites, want %zu", v->nsuites, n);
    for (size_t i = 0; i < n; i++)
        if (v->suites[i].code != want[i])
            fail_msg("suite %zu: got 0x%04X want 0x%04X", i, v->suites[i].code, want[i]);
}

static void test_server_order_across_partitions(void **state)
{
    static struct fake f;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NAME]);
    run(&f, true, false, false);
    const struct td_scan_view *v = &res.view[TD_SNI_NAME];
    assert_true(v->used);
    assert_false(v->v[TD_SV_SSL3].supported);
    assert_false(v->v[TD_SV_TLS10].supported);
    assert_false(v->v[TD_SV_TLS11].supported);
    assert_true(v->v[TD_SV_TLS12].supported);
    assert_true(v->v[TD_SV_TLS13].supported);
    assert_int_equal(v->v[TD_SV_TLS12].order, TD_ORDER_SERVER);
    assert_true(v->v[TD_SV_TLS12].order_complete);
    assert_suites(&v->v[TD_SV_TLS12], f.mode[TD_SNI_NAME].suites[TD_SV_TLS12], f.mode[TD_SNI_NAME].n[TD_SV_TLS12]);
    assert_suites(&v->v[TD_SV_TLS13], f.mode[TD_SNI_NAME].suites[TD_SV_TLS13], 3);
    assert_int_equal(v->v[TD_SV_TLS13].order, TD_ORDER_SERVER);
    /* DHE size and curve recorded per suite; leaf cert index */
    assert_int_equal(v->v[TD_SV_TLS12].suites[0].group, 0x001d);
    assert_int_equal(v->v[TD_SV_TLS12].suites[2].dh_bits, 2048);
    assert_int_equal(v->v[TD_SV_TLS12].suites[0].leaf, 0);
    assert_int_equal(v->nleaves, 1);
    assert_int_equal(res.sslv2, TD_TRI_NO);
    /* groups: ECDHE in server order; TLS 1.3 via HRR */
    static const uint16_t g[] = {0x001d, 0x0017, 0x0018};
    assert_int_equal(res.groups.n_ecdhe, 3);
    assert_memory_equal(res.groups.ecdhe, g, sizeof(g));
    assert_int_equal(res.groups.n_tls13, 3);
    assert_memory_equal(res.groups.tls13, g, sizeof(g));
    assert_int_equal(res.groups.n_dhe, 1);
    assert_int_equal(res.groups.dhe_bits[0], 2048);
    /* extensions */
    assert_true(res.ext.probed);
    assert_int_equal(res.ext.ems, TD_TRI_YES);
    assert_int_equal(res.ext.reneg, TD_TRI_YES);
    assert_int_equal(res.ext.ticket, TD_TRI_NO);
    assert_int_equal(res.ext.mfl, TD_TRI_NO);
    assert_int_equal(v->nobs, 0);
    /* the connection count stays small: accepted + partitions + order/merge + groups + ext */
    assert_true(res.probes < 60);
}

static void test_client_order(void **state)
{
    static struct fake f;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NAME]);
    f.mode[TD_SNI_NAME].server_order = false;
    f.mode[TD_SNI_NAME].mfl = true;
    run(&f, true, false, false);
    const struct td_scan_ver *v = &res.view[TD_SNI_NAME].v[TD_SV_TLS12];
    assert_int_equal(v->order, TD_ORDER_CLIENT);
    /* listed in our candidate order */
    static const uint16_t want[] = {0xC02F, 0xC030, 0x009E, 0x009F, 0x002F, 0x0035, 0x0041, 0x00AB, 0xC0A0};
    assert_suites(v, want, TD_ARRAY_LEN(want));
    assert_int_equal(res.ext.mfl, TD_TRI_YES);
}

static void test_small_hello_fallback(void **state)
{
    static struct fake f;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NAME]);
    f.mode[TD_SNI_NAME].max_suites = 40; /* closes on any bigger hello */
    run(&f, true, false, false);
    const struct td_scan_ver *v = &res.view[TD_SNI_NAME].v[TD_SV_TLS12];
    assert_true(v->supported);
    assert_true(v->small_hellos);
    assert_suites(v, f.mode[TD_SNI_NAME].suites[TD_SV_TLS12], f.mode[TD_SNI_NAME].n[TD_SV_TLS12]);
    /* TLS 1.3 has 5 candidates: never needed the fallback */
    assert_false(res.view[TD_SNI_NAME].v[TD_SV_TLS13].small_hellos);
}

struct diffs {
    char lines[16][96];
    size_t n;
};

static void collect(void *ctx, const char *kind, uint16_t version, uint16_t suite, bool in_a, bool in_b)
{
    struct diffs *d = ctx;
    if (d->n < 16)
        snprintf(d->lines[d->n++], 96, "%s %04X %04X %d %d", kind, version, suite, in_a, in_b);
}

static void test_sni_required(void **state)
{
    static struct fake f;
    struct diffs d;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NAME]);
    memset(&f.mode[TD_SNI_NONE], 0, sizeof(f.mode[0]));
    f.mode[TD_SNI_NONE].reject_alert = 112; /* unrecognized_name for everything */
    f.mode[TD_SNI_UNKNOWN] = f.mode[TD_SNI_NONE];
    run(&f, true, true, true);
    assert_int_equal(res.sni_required, TD_TRI_YES);
    assert_string_equal(res.sni_required_how, "unrecognized_name alert");
    assert_false(res.view[TD_SNI_NONE].any_supported);
    memset(&d, 0, sizeof(d));
    assert_int_equal(td_scan_diff(&res.view[TD_SNI_NAME], &res.view[TD_SNI_NONE], collect, &d), 2);
    assert_string_equal(d.lines[0], "version 0303 0000 1 0");
    assert_string_equal(d.lines[1], "version 0304 0000 1 0");
}

static void test_sni_per_suite_and_cert_difference(void **state)
{
    static struct fake f;
    struct diffs d;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NAME]);
    f.mode[TD_SNI_NONE] = f.mode[TD_SNI_NAME];
    f.mode[TD_SNI_NONE].n[TD_SV_TLS12] = 7; /* no 0x0035, 0x002F without SNI */
    f.mode[TD_SNI_NONE].ver[TD_SV_TLS11] = true; /* but TLS 1.1 */
    f.mode[TD_SNI_NONE].suites[TD_SV_TLS11][0] = 0x002F;
    f.mode[TD_SNI_NONE].n[TD_SV_TLS11] = 1;
    f.mode[TD_SNI_NONE].leaf = 0xBB;
    f.mode[TD_SNI_UNKNOWN] = f.mode[TD_SNI_NAME];
    run(&f, true, true, true);
    assert_int_equal(res.sni_required, TD_TRI_NO);
    assert_int_equal(res.different_cert, TD_TRI_YES);
    memset(&d, 0, sizeof(d));
    assert_int_equal(td_scan_diff(&res.view[TD_SNI_NAME], &res.view[TD_SNI_NONE], collect, &d), 3);
    assert_string_equal(d.lines[0], "version 0302 0000 0 1");
    assert_string_equal(d.lines[1], "suite 0303 0035 1 0");
    assert_string_equal(d.lines[2], "suite 0303 002F 1 0");
    memset(&d, 0, sizeof(d));
    assert_int_equal(td_scan_diff(&res.view[TD_SNI_NAME], &res.view[TD_SNI_UNKNOWN], collect, &d), 0);
    assert_int_equal(res.view[TD_SNI_NONE].v[TD_SV_TLS11].order, TD_ORDER_SINGLE);
}

static void test_unreachable(void **state)
{
    static struct fake f;
    (void)state;
    memset(&f, 0, sizeof(f));
    f.mode[TD_SNI_NAME].refuse = f.mode[TD_SNI_NONE].refuse = true;
    run(&f, true, true, false);
    assert_true(res.unreachable);
    assert_string_equal(res.unreachable_why, "connection refused");
    assert_false(res.view[TD_SNI_NAME].any_supported);
    assert_int_equal(res.sni_required, TD_TRI_UNKNOWN);
}

static void test_unoffered_suite_is_an_observation(void **state)
{
    static struct fake f;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NONE]);
    f.mode[TD_SNI_NONE].unoffered = true;
    run(&f, false, true, false);
    const struct td_scan_view *v = &res.view[TD_SNI_NONE];
    assert_false(v->any_supported);
    assert_true(v->nobs >= 1);
    assert_int_equal(v->obs[0].outcome, TD_PROBE_UNOFFERED);
    assert_int_equal(v->v[TD_SV_TLS12].reject.outcome, TD_PROBE_UNOFFERED);
    assert_false(res.unreachable);
}

static void test_silent_server_closes(void **state)
{
    static struct fake f;
    (void)state;
    memset(&f, 0, sizeof(f)); /* supports nothing, closes every connection */
    run(&f, false, true, false);
    assert_false(res.view[TD_SNI_NONE].any_supported);
    assert_int_equal(res.view[TD_SNI_NONE].v[TD_SV_TLS12].reject.outcome, TD_PROBE_NET);
    assert_int_equal(res.view[TD_SNI_NONE].v[TD_SV_TLS12].reject.net, TD_NET_CLOSED);
    /* the small-hello fallback ran once per version with >16 candidates, and found nothing */
    assert_false(res.view[TD_SNI_NONE].v[TD_SV_TLS12].small_hellos);
}

static void test_old_version_starts_lazy_then_splits(void **state)
{
    static struct fake f;
    static const uint16_t s10[] = {99, 5, 63, 17, 81, 23, 31, 90, 40, 44, 52, 70};
    unsigned long base;
    (void)state;
    /* TLS 1.2/1.3 only: each old version costs one probe */
    cfg_typical(&f.mode[TD_SNI_NAME]);
    run(&f, true, false, false);
    base = res.probes;
    /* the same server with TLS 1.0 too, 12 suites in server order */
    f.mode[TD_SNI_NAME].ver[TD_SV_TLS10] = true;
    memcpy(f.mode[TD_SNI_NAME].suites[TD_SV_TLS10], s10, sizeof(s10));
    f.mode[TD_SNI_NAME].n[TD_SV_TLS10] = TD_ARRAY_LEN(s10);
    run(&f, true, false, false);
    const struct td_scan_ver *v = &res.view[TD_SNI_NAME].v[TD_SV_TLS10];
    assert_true(v->supported);
    assert_int_equal(v->order, TD_ORDER_SERVER);
    assert_true(v->order_complete);
    assert_suites(v, s10, TD_ARRAY_LEN(s10));
    /* found by 5 chains after the first probe: the suites, one end per
     * chain, the merge and the order check - not 100 */
    assert_true(res.probes > base + 12 && res.probes < base + 12 + 5 + 12 + 4);
    /* TLS 1.1 still refused (negotiated down to 1.0 by the server) */
    assert_false(res.view[TD_SNI_NAME].v[TD_SV_TLS11].supported);
}

static void test_mfl_refused(void **state)
{
    static struct fake f;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NAME]);
    f.mode[TD_SNI_NAME].mfl_alert = true;
    run(&f, true, false, false);
    assert_int_equal(res.ext.mfl, TD_TRI_NO);
    assert_non_null(strstr(res.ext.mfl_detail, "refused"));
    assert_int_equal(res.ext.ems, TD_TRI_YES); /* the other extensions are not hidden by it */
    assert_int_equal(res.ext.rsl, TD_TRI_NO);  /* asked alone after the refusal */
    assert_true(res.view[TD_SNI_NAME].v[TD_SV_TLS12].supported);
}

/* max_fragment_length and record_size_limit share a probe; a server with
 * record_size_limit ignores the other then (RFC 8449), so it is asked
 * again alone. Without it, the one probe answers both. */
static void test_mfl_and_rsl(void **state)
{
    static struct fake f;
    unsigned long both;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NAME]);
    f.mode[TD_SNI_NAME].mfl = true;
    f.mode[TD_SNI_NAME].rsl = true;
    run(&f, true, false, false);
    assert_int_equal(res.ext.mfl, TD_TRI_YES);
    assert_int_equal(res.ext.rsl, TD_TRI_YES);
    both = res.probes;
    f.mode[TD_SNI_NAME].rsl = false;
    run(&f, true, false, false);
    assert_int_equal(res.ext.mfl, TD_TRI_YES);
    assert_int_equal(res.ext.rsl, TD_TRI_NO);
    assert_true(res.probes < both); /* one probe fewer (not asserted exactly: timing may vary the rest) */
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(td_scan_vi_name(TD_SV_TLS12), "TLS 1.2");
    assert_string_equal(td_scan_vi_key(TD_SV_SSL2), "ssl2");
    assert_string_equal(td_sni_mode_key(TD_SNI_UNKNOWN), "unknown");
    assert_string_equal(td_order_key(TD_ORDER_CLIENT), "client");
    assert_string_equal(td_tri_key(TD_TRI_YES), "yes");
    assert_string_equal(td_probe_outcome_name(TD_PROBE_UNOFFERED), "unoffered_suite");
    assert_string_equal(td_probe_outcome_name(TD_PROBE__COUNT), "?");
}

static void count_diff(void *ctx, const char *kind, uint16_t version, uint16_t suite, bool in_a, bool in_b)
{
    (void)ctx;
    (void)kind;
    (void)version;
    (void)suite;
    (void)in_a;
    (void)in_b;
}

/* The later SNI views are derived from the first (name) view: suites it
 * accepted are offered alone, the rest together. A view that accepts a
 * suite the first does not (in a "rest" hello), or lacks one, or accepts
 * another version, must still come out exactly. */
static void test_derived_view_extra_and_missing_suites(void **state)
{
    static struct fake f;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NAME]);
    cfg_typical(&f.mode[TD_SNI_NONE]);
    cfg_typical(&f.mode[TD_SNI_UNKNOWN]);
    /* no SNI: lacks 0x009F and 0x1303, has 0x0005 (RC4) and 0xC0AC besides */
    {
        static const uint16_t s12[] = {0xC030, 0xC02F, 0x009E, 0xC0A0, 0x00AB, 0x0041, 0x0035, 0x002F, 0x0005,
                                       0xC0AC};
        static const uint16_t s13[] = {0x1302, 0x1301};
        struct fake_cfg *c = &f.mode[TD_SNI_NONE];
        memcpy(c->suites[TD_SV_TLS12], s12, sizeof(s12));
        c->n[TD_SV_TLS12] = TD_ARRAY_LEN(s12);
        memcpy(c->suites[TD_SV_TLS13], s13, sizeof(s13));
        c->n[TD_SV_TLS13] = TD_ARRAY_LEN(s13);
    }
    /* unknown name: TLS 1.0 as well, with two suites */
    {
        struct fake_cfg *c = &f.mode[TD_SNI_UNKNOWN];
        c->ver[TD_SV_TLS10] = true;
        c->suites[TD_SV_TLS10][0] = 0x0035;
        c->suites[TD_SV_TLS10][1] = 0x002F;
        c->n[TD_SV_TLS10] = 2;
    }
    run(&f, true, true, true);
    const struct td_scan_view *name = &res.view[TD_SNI_NAME], *none = &res.view[TD_SNI_NONE],
                              *unk = &res.view[TD_SNI_UNKNOWN];
    assert_suites(&name->v[TD_SV_TLS12], f.mode[TD_SNI_NAME].suites[TD_SV_TLS12], 9);
    /* server order, same preference list: the first view's order holds */
    assert_int_equal(none->v[TD_SV_TLS12].order, TD_ORDER_SERVER);
    assert_suites(&none->v[TD_SV_TLS12], f.mode[TD_SNI_NONE].suites[TD_SV_TLS12], 10);
    assert_suites(&none->v[TD_SV_TLS13], f.mode[TD_SNI_NONE].suites[TD_SV_TLS13], 2);
    assert_suites(&unk->v[TD_SV_TLS12], f.mode[TD_SNI_UNKNOWN].suites[TD_SV_TLS12], 9);
    assert_false(name->v[TD_SV_TLS10].supported);
    assert_false(none->v[TD_SV_TLS10].supported);
    assert_true(unk->v[TD_SV_TLS10].supported);
    assert_suites(&unk->v[TD_SV_TLS10], f.mode[TD_SNI_UNKNOWN].suites[TD_SV_TLS10], 2);
    assert_int_equal(unk->v[TD_SV_TLS10].order, TD_ORDER_SERVER);
    /* the differences are all in the truth table */
    size_t n = td_scan_diff(name, none, count_diff, NULL);
    assert_int_equal(n, 4); /* -009F +0005 +C0AC -1303 */
    assert_int_equal(td_scan_diff(name, unk, count_diff, NULL), 1); /* TLS 1.0 */
    /* the certificate came from the cleartext flight would need a cert
     * callback; here only the leaf hashes */
    assert_int_equal(res.sni_required, TD_TRI_NO);
}

/* The same suites, but the unknown-name view prefers them in another
 * order (and the no-SNI view follows the client's order): each view gets
 * its own order, not the first view's. */
static void test_derived_view_order_differs(void **state)
{
    static struct fake f;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NAME]);
    cfg_typical(&f.mode[TD_SNI_NONE]);
    cfg_typical(&f.mode[TD_SNI_UNKNOWN]);
    f.mode[TD_SNI_NONE].server_order = false;
    {
        static const uint16_t rev[] = {0x002F, 0x0035, 0x0041, 0x00AB, 0xC0A0, 0x009E, 0x009F, 0xC02F, 0xC030};
        memcpy(f.mode[TD_SNI_UNKNOWN].suites[TD_SV_TLS12], rev, sizeof(rev));
    }
    run(&f, true, true, true);
    const struct td_scan_view *none = &res.view[TD_SNI_NONE], *unk = &res.view[TD_SNI_UNKNOWN];
    assert_int_equal(none->v[TD_SV_TLS12].order, TD_ORDER_CLIENT);
    static const uint16_t cand_order[] = {0xC02F, 0xC030, 0x009E, 0x009F, 0x002F, 0x0035, 0x0041, 0x00AB, 0xC0A0};
    assert_suites(&none->v[TD_SV_TLS12], cand_order, 9);
    assert_int_equal(unk->v[TD_SV_TLS12].order, TD_ORDER_SERVER);
    assert_true(unk->v[TD_SV_TLS12].order_complete);
    assert_suites(&unk->v[TD_SV_TLS12], f.mode[TD_SNI_UNKNOWN].suites[TD_SV_TLS12], 9);
    /* TLS 1.3 order unchanged in both */
    assert_suites(&unk->v[TD_SV_TLS13], f.mode[TD_SNI_UNKNOWN].suites[TD_SV_TLS13], 3);
    assert_int_equal(unk->v[TD_SV_TLS13].order, TD_ORDER_SERVER);
}

/* Derived views cost about one probe per suite the first view accepted
 * plus one per 128 others, not a chain per partition. */
static void test_derived_views_are_cheap(void **state)
{
    static struct fake f;
    unsigned long one, three;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NAME]);
    cfg_typical(&f.mode[TD_SNI_NONE]);
    cfg_typical(&f.mode[TD_SNI_UNKNOWN]);
    run(&f, true, false, false);
    one = res.probes;
    run(&f, true, true, true);
    three = res.probes;
    /* per derived view: 9 + 3 suites alone, 4 + 1 remainders, 3 old
     * versions, 2 + 2 order probes = 24 */
    assert_true(three - one <= 2 * 26);
    assert_suites(&res.view[TD_SNI_UNKNOWN].v[TD_SV_TLS12], f.mode[TD_SNI_NAME].suites[TD_SV_TLS12], 9);
}

/* A connection closed or reset unanswered now and then (an overloaded
 * server, a proxy) must not end a chain: the probe is repeated, the suites
 * are exact, and the repeats are observations. */
static void test_transient_close_is_repeated(void **state)
{
    static struct fake f;
    static const unsigned long flaky[4] = {1, 20, 45, 70}; /* a repeat is never one of them */
    (void)state;
    for (int m = 0; m < TD_SNI__COUNT; m++) {
        cfg_typical(&f.mode[m]);
        memcpy(f.mode[m].flaky, flaky, sizeof(flaky));
    }
    run(&f, true, true, true);
    for (int m = 0; m < TD_SNI__COUNT; m++) {
        assert_suites(&res.view[m].v[TD_SV_TLS12], f.mode[m].suites[TD_SV_TLS12], f.mode[m].n[TD_SV_TLS12]);
        if (res.view[m].v[TD_SV_TLS13].nsuites != 3)
            fail_msg("mode %d: %zu TLS 1.3 suites", m, res.view[m].v[TD_SV_TLS13].nsuites);
    }
    unsigned repeated = 0;
    for (int m = 0; m < TD_SNI__COUNT; m++)
        for (size_t i = 0; i < res.view[m].nobs; i++)
            if (res.view[m].obs[i].repeated) {
                repeated += res.view[m].obs[i].count;
                assert_non_null(strstr(res.view[m].obs[i].detail, "sent again was answered"));
            }
    /* each drop is repeated; those that hit a suite probe (not a group or
     * extension probe, which keep no observations: which ones do depends
     * on the threads' timing) are reported */
    assert_true(repeated >= 1 && repeated <= 4);
}

/* A server that refuses by closing: repeating that is tried twice, then no
 * more (the suites are still exact). */
static void test_close_refusal_repeats_bounded(void **state)
{
    static struct fake f;
    unsigned long with_alert;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NAME]);
    f.mode[TD_SNI_NAME].max_suites = 0;
    run(&f, true, false, false);
    with_alert = res.probes;
    f.mode[TD_SNI_NAME].reject_alert = 0; /* FIN instead of an alert */
    f.mode[TD_SNI_NAME].ver[TD_SV_TLS13] = false;
    run(&f, true, false, false);
    assert_suites(&res.view[TD_SNI_NAME].v[TD_SV_TLS12], f.mode[TD_SNI_NAME].suites[TD_SV_TLS12],
                  f.mode[TD_SNI_NAME].n[TD_SV_TLS12]);
    for (size_t i = 0; i < res.view[TD_SNI_NAME].nobs; i++)
        assert_false(res.view[TD_SNI_NAME].obs[i].repeated);
    /* the chain ends are the same in number; what may be added: two
     * repeats and the small-hello re-offers of chains that ended in a FIN */
    assert_true(res.probes <= with_alert + 2 + 30);
}

/* A server that never answers: after a wave of timeouts (a small hello
 * among them) the rest is not tried. */
static void test_silent_server_is_not_waited_out(void **state)
{
    static struct fake f;
    unsigned long closing;
    (void)state;
    memset(&f, 0, sizeof(f)); /* supports nothing, closes every connection */
    run(&f, false, true, true);
    closing = res.probes;
    f.mode[TD_SNI_NONE].silent = f.mode[TD_SNI_UNKNOWN].silent = true;
    run(&f, false, true, true);
    /* the same scan, but after the first wave and one small hello the
     * rest is not tried (each would wait out the deadline): at least a
     * wave of probes fewer */
    if (res.probes + 8 > closing)
        fail_msg("%lu probes for a silent server, %lu for one that closes", res.probes, closing);
    assert_false(res.view[TD_SNI_NONE].any_supported);
    assert_int_equal(res.view[TD_SNI_NONE].v[TD_SV_TLS12].reject.net, TD_NET_TIMEOUT);
}

/* A server that hangs on big hellos only is not taken for a silent one:
 * the small-hello fallback still finds every suite. */
static void test_hang_on_big_hellos_is_not_silence(void **state)
{
    static struct fake f;
    (void)state;
    cfg_typical(&f.mode[TD_SNI_NAME]);
    f.mode[TD_SNI_NAME].ver[TD_SV_TLS13] = false;
    f.mode[TD_SNI_NAME].hang_above = 20; /* so the whole first wave goes unanswered */
    run(&f, true, false, false);
    const struct td_scan_ver *v = &res.view[TD_SNI_NAME].v[TD_SV_TLS12];
    assert_true(v->supported);
    assert_true(v->small_hellos);
    assert_suites(v, f.mode[TD_SNI_NAME].suites[TD_SV_TLS12], f.mode[TD_SNI_NAME].n[TD_SV_TLS12]);
    assert_false(res.view[TD_SNI_NAME].v[TD_SV_TLS13].supported);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_order_across_partitions),
        cmocka_unit_test(test_client_order),
        cmocka_unit_test(test_small_hello_fallback),
        cmocka_unit_test(test_sni_required),
        cmocka_unit_test(test_sni_per_suite_and_cert_difference),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_unoffered_suite_is_an_observation),
        cmocka_unit_test(test_silent_server_closes),
        cmocka_unit_test(test_silent_server_is_not_waited_out),
        cmocka_unit_test(test_hang_on_big_hellos_is_not_silence),
        cmocka_unit_test(test_old_version_starts_lazy_then_splits),
        cmocka_unit_test(test_mfl_refused),
        cmocka_unit_test(test_mfl_and_rsl),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_derived_view_extra_and_missing_suites),
        cmocka_unit_test(test_derived_view_order_differs),
        cmocka_unit_test(test_derived_views_are_cheap),
        cmocka_unit_test(test_transient_close_is_repeated),
        cmocka_unit_test(test_close_refusal_repeats_bounded),
    };
    setup_cands();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
