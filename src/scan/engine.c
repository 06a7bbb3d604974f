#include "scan/engine.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "net/pool.h"

static const uint16_t vi_version[TD_SV__COUNT] = {0x0002, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304};
static const char *const vi_names[TD_SV__COUNT] = {"SSLv2", "SSLv3", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"};
static const char *const vi_keys[TD_SV__COUNT] = {"ssl2", "ssl3", "tls1_0", "tls1_1", "tls1_2", "tls1_3"};

uint16_t td_scan_vi_version(enum td_scan_vi vi) { return (unsigned)vi < TD_SV__COUNT ? vi_version[vi] : 0; }
const char *td_scan_vi_name(enum td_scan_vi vi) { return (unsigned)vi < TD_SV__COUNT ? vi_names[vi] : "?"; }
const char *td_scan_vi_key(enum td_scan_vi vi) { return (unsigned)vi < TD_SV__COUNT ? vi_keys[vi] : "?"; }

const char *td_sni_mode_key(enum td_sni_mode m)
{
    static const char *const k[TD_SNI__COUNT] = {"name", "none", "unknown"};
    return (unsigned)m < TD_SNI__COUNT ? k[m] : "?";
}

const char *td_tri_key(enum td_tri t)
{
    static const char *const k[] = {"unknown", "no", "yes"};
    return (unsigned)t < 3 ? k[t] : "unknown";
}

const char *td_order_key(enum td_order o)
{
    static const char *const k[] = {"unknown", "single", "server", "client"};
    return (unsigned)o < 4 ? k[o] : "unknown";
}

const char *td_probe_outcome_name(enum td_probe_outcome o)
{
    static const char *const k[] = {
#define TD_PROBE_NAME(n, s) s,
        TD_PROBE_OUTCOMES(TD_PROBE_NAME)
#undef TD_PROBE_NAME
    };
    return (unsigned)o < TD_PROBE__COUNT ? k[o] : "?";
}

void td_scan_opts_default(struct td_scan_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->parallel = 8;
    o->hello_suites = TD_PROBE_MAX_SUITES;
    o->small_hello_suites = 16;
    for (int i = 0; i < TD_SV__COUNT; i++)
        o->versions[i] = true;
    o->groups = o->extensions = o->certs = true;
}

/* ---- shared state ------------------------------------------------------ */

struct cert_job;
struct group_job;

/* One pending job of the work queue: lower prio runs first, FIFO within. */
struct dq_item {
    struct td_job job;
    int prio;
};

struct eng {
    /* The work queue of the first stage: jobs may push new jobs (the
     * derived SNI views, the TLS 1.3 certificate and group jobs), so no
     * job waits for a stage it does not depend on. */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct dq_item *q;
    size_t nq, capq, running;
    bool deriving;             /* the first stage is running: finds feed the derived views */
    struct cert_job *certs;    /* per SNI mode, pushed on the first TLS 1.3 suite */
    atomic_int tls13_seen[TD_SNI__COUNT];
    struct group_job *g13;     /* pushed on the first TLS 1.3 suite of the primary view */
    size_t ng13;
    atomic_int g13_pushed;
    const struct td_scan_opts *o;
    const struct td_scan_env *env;
    struct td_scan_result *res;
    atomic_ulong probes;
    atomic_ulong repeat_helped; /* transient failures that a repeat answered */
    atomic_ulong repeat_blind;  /* repeats tried while none had helped */
    atomic_ulong connect_fail; /* probes that could not connect at all */
    atomic_ulong connected;    /* probes that reached the server */
    atomic_ulong silent;       /* probes the server left unanswered until the deadline */
    atomic_ulong silent_small; /* of those, small hellos (the small-hello fallback's size) */
    atomic_ulong answered;     /* probes it answered somehow (even by closing) */
    _Atomic int first_fail;    /* enum td_net_obs of the first connect failure */
    atomic_ulong stage_done;
    size_t stage_total;
    const char *stage;
    int trace;  /* TD_SCAN_TRACE: 1 stages, 2 also every probe */
    int64_t t0;
};

static void probe_traced(struct eng *e, const struct td_probe_spec *s, struct td_probe_result *r)
{
    int64_t t0 = td_net_now_ms();
    memset(r, 0, sizeof(*r));
    e->env->probe(e->env->probe_ctx, s, r);
    atomic_fetch_add(&e->probes, 1);
    if (e->trace >= 2)
        fprintf(stderr, "probe %5lld..%5lld v%04X sni=%s suites=%zu groups=%zu%s%s -> %s v%04X 0x%04X a%u\n",
                (long long)(t0 - e->t0), (long long)(td_net_now_ms() - e->t0), (unsigned)s->version,
                s->sni ? s->sni : "-", s->nsuites, s->ngroups, s->mfl ? " mfl" : "", s->rsl ? " rsl" : "",
                td_probe_outcome_name(r->outcome), (unsigned)r->version, (unsigned)r->suite, (unsigned)r->alert_desc);
}

/* A connection closed or reset before the server said anything is how some
 * servers refuse, and a transient failure elsewhere (an overloaded server,
 * a middlebox, a proxy): taken as a refusal it would end a chain early and
 * lose suites. So it is repeated once - while repeating has helped before,
 * or at most TD_SCAN_BLIND_REPEATS times while it has not (a server that
 * always refuses that way then costs that many probes, not one per chain).
 * Timeouts are not repeated: that would double a silent server's cost. */
#define TD_SCAN_BLIND_REPEATS 2

static bool transient(const struct td_probe_result *r)
{
    return r->outcome == TD_PROBE_NET && (r->net == TD_NET_CLOSED || r->net == TD_NET_RESET);
}

/* Silent: a whole wave of hellos ran into the deadline, a small TLS <= 1.2
 * one among them (the small-hello fallback's size), and none was answered.
 * The small one matters: some servers hang on big hellos only (the 256-511
 * byte bug of RFC 7685), and the fallback must still reach them. */
static bool server_silent(struct eng *e)
{
    unsigned long wave = e->o->parallel > 4 ? (unsigned long)e->o->parallel : 4;
    return atomic_load(&e->answered) == 0 && atomic_load(&e->silent) >= wave && atomic_load(&e->silent_small) > 0;
}

static void run_probe(struct eng *e, const struct td_probe_spec *s, struct td_probe_result *r)
{
    memset(r, 0, sizeof(*r));
    /* Nothing has reached the server and something could not connect:
     * the target is down, not picky. Do not hammer it (and wait out
     * backoffs) with the rest of the stage. */
    if (atomic_load(&e->connect_fail) > 0 && atomic_load(&e->connected) == 0) {
        r->outcome = TD_PROBE_NET;
        r->net = (enum td_net_obs)atomic_load(&e->first_fail);
        snprintf(r->detail, sizeof(r->detail), "not tried: the target did not accept connections");
        atomic_fetch_add(&e->connect_fail, 1);
        return;
    }
    /* A server that has let a wave of hellos, a small one among them, run
     * into the deadline and answered none is silent, not picky: the rest
     * would only wait out the same deadline. */
    if (server_silent(e)) {
        r->outcome = TD_PROBE_NET;
        r->net = TD_NET_TIMEOUT;
        snprintf(r->detail, sizeof(r->detail), "not tried: the server answered none of the first %lu hellos",
                 atomic_load(&e->silent));
        return;
    }
    probe_traced(e, s, r);
    if (r->outcome == TD_PROBE_NET && (r->net == TD_NET_TIMEOUT || r->net == TD_NET_TOTAL_TIMEOUT)) {
        atomic_fetch_add(&e->silent, 1);
        if (!s->sslv2 && s->version != vi_version[TD_SV_TLS13] && s->nsuites <= (size_t)e->o->small_hello_suites)
            atomic_fetch_add(&e->silent_small, 1);
    }
    else if (r->outcome != TD_PROBE_NET || r->net == TD_NET_CLOSED || r->net == TD_NET_RESET)
        atomic_fetch_add(&e->answered, 1);
    if (r->repeated != TD_NET_OK) /* the probe layer repeated it, and that helped */
        atomic_fetch_add(&e->repeat_helped, 1);
    if (transient(r) &&
        (atomic_load(&e->repeat_helped) > 0 || atomic_fetch_add(&e->repeat_blind, 1) < TD_SCAN_BLIND_REPEATS)) {
        struct td_probe_result again;
        probe_traced(e, s, &again);
        if (again.outcome != TD_PROBE_NET) {
            enum td_net_obs first = r->net;
            atomic_fetch_add(&e->repeat_helped, 1);
            *r = again;
            r->repeated = first;
        }
    }
    if (r->outcome == TD_PROBE_NET &&
        (r->net == TD_NET_REFUSED || r->net == TD_NET_CONNECT_TIMEOUT || r->net == TD_NET_UNREACHABLE)) {
        int none = 0;
        (void)atomic_compare_exchange_strong(&e->first_fail, &none, (int)r->net);
        atomic_fetch_add(&e->connect_fail, 1);
    } else {
        atomic_fetch_add(&e->connected, 1);
    }
}

/* Adds a job to the running work queue (thread-safe). Returns false only
 * when memory runs out, and then runs the job inline: never lost. */
static bool dq_push(struct eng *e, td_job_fn fn, void *arg, int prio)
{
    pthread_mutex_lock(&e->mu);
    if (e->nq == e->capq) {
        size_t cap = e->capq ? e->capq * 2 : 64;
        struct dq_item *q = td_reallocarray(e->q, cap, sizeof(*q));
        if (q == NULL) {
            pthread_mutex_unlock(&e->mu);
            fn(arg);
            return false;
        }
        e->q = q;
        e->capq = cap;
    }
    e->q[e->nq++] = (struct dq_item){{fn, arg}, prio};
    e->stage_total++;
    pthread_cond_signal(&e->cv);
    pthread_mutex_unlock(&e->mu);
    return true;
}

static void *dq_worker(void *arg)
{
    struct eng *e = arg;
    pthread_mutex_lock(&e->mu);
    for (;;) {
        if (e->nq > 0) {
            size_t best = 0;
            for (size_t i = 1; i < e->nq; i++)
                if (e->q[i].prio < e->q[best].prio)
                    best = i;
            struct td_job j = e->q[best].job;
            memmove(&e->q[best], &e->q[best + 1], (e->nq - best - 1) * sizeof(e->q[0]));
            e->nq--;
            e->running++;
            pthread_mutex_unlock(&e->mu);
            j.fn(j.arg);
            pthread_mutex_lock(&e->mu);
            e->running--;
            if (e->nq == 0 && e->running == 0)
                pthread_cond_broadcast(&e->cv);
            continue;
        }
        if (e->running == 0)
            break;
        pthread_cond_wait(&e->cv, &e->mu);
    }
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

/* Runs the queue on o->parallel threads (the caller is one) until it is
 * empty and no job runs. */
static void dq_run(struct eng *e, const char *name)
{
    int64_t t0 = td_net_now_ms();
    size_t want = e->o->parallel < 1 ? 1 : (size_t)e->o->parallel, started = 0;
    pthread_t tids[64];

    e->stage = name;
    if (want > 64)
        want = 64;
    for (size_t i = 0; i + 1 < want; i++) {
        if (pthread_create(&tids[i], NULL, dq_worker, e) != 0)
            break;
        started++;
    }
    (void)dq_worker(e);
    for (size_t i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    if (e->trace >= 1)
        fprintf(stderr, "stage %s: %zu jobs, %lld ms, %lu probes so far\n", name, e->stage_total,
                (long long)(td_net_now_ms() - t0), atomic_load(&e->probes));
}

static void job_done(struct eng *e)
{
    size_t done = atomic_fetch_add(&e->stage_done, 1) + 1;
    if (e->env->progress != NULL)
        e->env->progress(e->env->progress_ctx, e->stage, done, e->stage_total);
}

static void run_stage(struct eng *e, const char *name, struct td_job *jobs, size_t n)
{
    int64_t t0 = td_net_now_ms();
    e->stage = name;
    e->stage_total = n;
    atomic_store(&e->stage_done, 0);
    td_pool_run(jobs, n, e->o->parallel);
    if (e->trace >= 1)
        fprintf(stderr, "stage %s: %zu jobs, %lld ms, %lu probes so far\n", name, n,
                (long long)(td_net_now_ms() - t0), atomic_load(&e->probes));
}

static const char *mode_sni(const struct eng *e, enum td_sni_mode m)
{
    const struct td_scan_view *v = &e->res->view[m];
    return v->sni[0] != '\0' ? v->sni : NULL;
}

/* ---- observations (odd answers), kept per job then merged -------------- */

struct obs_list {
    struct td_scan_obs o[TD_SCAN_MAX_OBS];
    size_t n;
};

/* Puts one observation into arr (*n used, cap TD_SCAN_MAX_OBS), counting a
 * repeat of the same kind instead of listing it again. */
static void obs_put(struct td_scan_obs *arr, size_t *n, const struct td_scan_obs *src)
{
    for (size_t j = 0; j < *n; j++) {
        struct td_scan_obs *o = &arr[j];
        if (o->outcome == src->outcome && o->net == src->net && o->alert_after_hello == src->alert_after_hello &&
            o->warning_alert == src->warning_alert && o->repeated == src->repeated && o->version == src->version) {
            o->count += src->count;
            return;
        }
    }
    if (*n < TD_SCAN_MAX_OBS)
        arr[(*n)++] = *src;
}

static void obs_add(struct obs_list *l, const struct td_probe_result *r, uint16_t offered)
{
    bool warned = r->warning_alert != 0 && (r->outcome == TD_PROBE_ACCEPTED || r->outcome == TD_PROBE_HRR);
    bool odd = r->outcome == TD_PROBE_UNOFFERED || r->outcome == TD_PROBE_MALFORMED || r->alert_after_hello || warned ||
               (r->outcome == TD_PROBE_NET &&
                (r->net == TD_NET_RESET || r->net == TD_NET_TIMEOUT || r->net == TD_NET_TOTAL_TIMEOUT));
    struct td_scan_obs o;

    if (r->repeated != TD_NET_OK) {
        memset(&o, 0, sizeof(o));
        o.outcome = TD_PROBE_NET;
        o.net = r->repeated;
        o.repeated = true;
        o.version = offered;
        o.count = 1;
        snprintf(o.detail, sizeof(o.detail), "%s before any answer; the same hello sent again was answered",
                 td_net_obs_str(r->repeated));
        obs_put(l->o, &l->n, &o);
    }
    if (!odd)
        return;
    memset(&o, 0, sizeof(o));
    o.outcome = r->outcome;
    o.net = r->net;
    o.alert_after_hello = r->alert_after_hello;
    o.warning_alert = warned ? r->warning_alert : 0;
    o.version = offered;
    o.count = 1;
    snprintf(o.detail, sizeof(o.detail), "%s", r->detail);
    obs_put(l->o, &l->n, &o);
}

/* Adds l's observations to arr (*n used). */
static void obs_fold(struct td_scan_obs *arr, size_t *n, const struct obs_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        obs_put(arr, n, &l->o[i]);
}

static void obs_list_merge(struct obs_list *dst, const struct obs_list *l) { obs_fold(dst->o, &dst->n, l); }

static void obs_merge(struct td_scan_view *v, const struct obs_list *l) { obs_fold(v->obs, &v->nobs, l); }

static void answer_from(struct td_scan_answer *a, const struct td_probe_result *r)
{
    a->outcome = r->outcome;
    a->net = r->net;
    a->alert_desc = r->alert_desc;
    a->version = r->version;
    a->suite = r->suite;
}

/* Did the probe get a real answer at the version offered? TLS 1.3 also
 * counts a HelloRetryRequest (it names the suite). */
static bool accepted_at(const struct td_probe_result *r, enum td_scan_vi vi)
{
    if (vi == TD_SV_TLS13)
        return (r->outcome == TD_PROBE_ACCEPTED || r->outcome == TD_PROBE_HRR) && r->version == 0x0304;
    return r->outcome == TD_PROBE_ACCEPTED && r->version == vi_version[vi];
}

/* ---- stage 1: partitions ----------------------------------------------- */

struct found {
    struct td_scan_suite s;
    bool has_leaf;
    uint8_t leaf[32];
    size_t cand_idx; /* position in the version's candidate list (client order) */
};

/* A version refused outright (protocol_version alert, or a ServerHello
 * with another version) is refused for every partition: those not yet
 * started skip their probes. state: 0 none, 1 being written, 2 ready. */
struct vstate {
    atomic_int state;
    struct td_scan_answer ans;
    /* The order check, done by the first partition that finds two
     * suites, inside its chain (so no later stage waits for it):
     * 0 not claimed, 1 running, 2 + enum td_order when done. */
    atomic_int order;
    /* For the certificate stage: has any partition found a suite, and how
     * many top-level partitions are still running. */
    atomic_int any_found;
    atomic_int parts_left;
};

static int choose_vm(struct eng *e, enum td_sni_mode m, enum td_scan_vi vi, uint16_t first, uint16_t second,
                     struct obs_list *obs);

struct mv;

struct part {
    struct eng *e;
    struct mv *owner; /* NULL for the small-hello re-runs */
    struct vstate *vs;
    enum td_sni_mode m;
    enum td_scan_vi vi;
    uint16_t cand[TD_SCAN_MAX_CAND];
    size_t cand_idx[TD_SCAN_MAX_CAND];
    size_t ncand;
    struct found found[TD_PROBE_MAX_SUITES];
    size_t nfound;
    struct td_scan_answer end;
    bool ended_net; /* ended by FIN/RST/silence/garbage, not by an alert */
    bool got_ext;
    uint32_t ext_flags;
    bool ocsp;
    size_t max_ok; /* the biggest hello (in suites) that got an answer */
    struct obs_list obs;
    /* Old versions start as one partition (one probe when the server does
     * not speak them) and split once the first suite is accepted. */
    bool split_on_accept;
    struct part *sub;
    size_t nsub;
    /* The leaf of the first cleartext Certificate seen (TLS <= 1.2), and
     * the suite it came with. */
    struct td_tls_cert cert;
    uint16_t cert_suite;
};

static void part_chain(struct part *p);
static void found_hook(struct part *p, const struct td_probe_result *r, size_t cand_idx);
static void src_done(struct eng *e, struct mv *mv);

static void part_chain_job(void *arg)
{
    part_chain(arg);
}

#define TD_SCAN_LIKELY_PER_PART 60
#define TD_SCAN_MAX_PARTS 8

/* Deals p's remaining candidates round-robin between p and new
 * sub-partitions and runs all of them in parallel (nested pool; the gate
 * still bounds the connections). */
static void part_split(struct part *p)
{
    struct eng *e = p->e;
    size_t likely = e->env->cands->n_likely[p->vi];
    size_t np = (likely + TD_SCAN_LIKELY_PER_PART - 1) / TD_SCAN_LIKELY_PER_PART;
    struct td_job jobs[TD_SCAN_MAX_PARTS];
    size_t keep = 0;

    p->split_on_accept = false;
    if (np > TD_SCAN_MAX_PARTS)
        np = TD_SCAN_MAX_PARTS;
    if (np < 2 || p->ncand < np)
        return;
    p->sub = td_calloc(np - 1, sizeof(*p->sub));
    if (p->sub == NULL)
        return;
    p->nsub = np - 1;
    for (size_t k = 0; k < p->nsub; k++) {
        p->sub[k].e = e;
        p->sub[k].owner = p->owner;
        p->sub[k].vs = p->vs;
        p->sub[k].m = p->m;
        p->sub[k].vi = p->vi;
    }
    for (size_t i = 0; i < p->ncand; i++) {
        if (i % np == 0) {
            p->cand[keep] = p->cand[i];
            p->cand_idx[keep] = p->cand_idx[i];
            keep++;
        } else {
            struct part *q = &p->sub[i % np - 1];
            q->cand[q->ncand] = p->cand[i];
            q->cand_idx[q->ncand] = p->cand_idx[i];
            q->ncand++;
        }
    }
    p->ncand = keep;
    jobs[0] = (struct td_job){part_chain_job, p};
    for (size_t k = 0; k < p->nsub; k++)
        jobs[k + 1] = (struct td_job){part_chain_job, &p->sub[k]};
    td_pool_run(jobs, np, (int)np);
}

static void part_run(void *arg)
{
    struct part *p = arg;
    part_chain(p);
    if (p->vs != NULL && atomic_fetch_sub(&p->vs->parts_left, 1) == 1 && p->owner != NULL)
        src_done(p->e, p->owner);
    job_done(p->e);
}

static void part_chain(struct part *p)
{
    struct eng *e = p->e;
    uint16_t ver = vi_version[p->vi];

    if (p->vs != NULL && atomic_load(&p->vs->state) == 2) {
        p->end = p->vs->ans;
        return;
    }
    while (p->ncand > 0 && p->nfound < TD_PROBE_MAX_SUITES) {
        struct td_probe_spec spec;
        struct td_probe_result r;
        size_t i;

        memset(&spec, 0, sizeof(spec));
        spec.version = ver;
        spec.suites = p->cand;
        spec.nsuites = p->ncand;
        spec.sni = mode_sni(e, p->m);
        if (p->vi >= TD_SV_SSL3 && p->vi <= TD_SV_TLS12 && !p->cert.ok)
            spec.cert_out = &p->cert;
        run_probe(e, &spec, &r);
        if (spec.cert_out != NULL && p->cert.ok)
            p->cert_suite = r.suite;
        obs_add(&p->obs, &r, ver);
        answer_from(&p->end, &r);
        if (!accepted_at(&r, p->vi)) {
            p->ended_net = r.outcome == TD_PROBE_NET || r.outcome == TD_PROBE_MALFORMED;
            bool version_refused = (r.outcome == TD_PROBE_ALERT && r.alert_desc == 70 /* protocol_version */) ||
                                   ((r.outcome == TD_PROBE_ACCEPTED || r.outcome == TD_PROBE_HRR) &&
                                    r.version != ver && p->nfound == 0);
            int none = 0;
            if (version_refused && p->vs != NULL && atomic_compare_exchange_strong(&p->vs->state, &none, 1)) {
                p->vs->ans = p->end;
                atomic_store(&p->vs->state, 2);
            }
            break;
        }
        for (i = 0; i < p->ncand && p->cand[i] != r.suite; i++) {
        }
        if (i == p->ncand) /* the probe should have said UNOFFERED; be safe */
            break;
        if (p->ncand > p->max_ok)
            p->max_ok = p->ncand;
        struct found *f = &p->found[p->nfound++];
        memset(f, 0, sizeof(*f));
        f->s.code = r.suite;
        f->s.group = r.group;
        f->s.dh_bits = (uint16_t)(r.dh_bits > 65535 ? 65535 : r.dh_bits);
        f->s.leaf = -1;
        f->has_leaf = r.has_leaf;
        memcpy(f->leaf, r.leaf_sha256, 32);
        f->cand_idx = p->cand_idx[i];
        if (p->vs != NULL)
            atomic_store(&p->vs->any_found, 1);
        found_hook(p, &r, f->cand_idx);
        if (p->nfound == 2 && p->vs != NULL) {
            int zero = 0;
            if (atomic_compare_exchange_strong(&p->vs->order, &zero, 1)) {
                /* the server chose found[0] while found[1] was offered
                 * after it; offered first, does found[1] win now? */
                int c = choose_vm(e, p->m, p->vi, p->found[1].s.code, p->found[0].s.code, &p->obs);
                enum td_order o = c == 1 ? TD_ORDER_SERVER : c == 0 ? TD_ORDER_CLIENT : TD_ORDER_UNKNOWN;
                atomic_store(&p->vs->order, 2 + (int)o);
            }
        }
        if (!p->got_ext && r.outcome == TD_PROBE_ACCEPTED) {
            p->got_ext = true;
            p->ext_flags = r.ext_flags;
            p->ocsp = r.ocsp_stapled;
        }
        memmove(&p->cand[i], &p->cand[i + 1], (p->ncand - i - 1) * sizeof(p->cand[0]));
        memmove(&p->cand_idx[i], &p->cand_idx[i + 1], (p->ncand - i - 1) * sizeof(p->cand_idx[0]));
        p->ncand--;
        if (p->split_on_accept) {
            part_split(p); /* runs the rest of p's chain too */
            return;
        }
    }
}

/* Per (mode, version): its partitions. */
struct mv {
    enum td_sni_mode m;
    enum td_scan_vi vi;
    struct part *parts;
    size_t nparts;
    size_t rerun_from; /* partitions added by the small-hello fallback start here */
    struct vstate vs;
    bool small;
    /* The SNI views after the first are derived from it (docs/scan.md):
     * dst lists the derived (mode, version)s of a first-view one. */
    struct mv *dst[TD_SNI__COUNT];
    size_t ndst;
    /* A derived one: its source, and what the derivation found. */
    struct mv *src;
    bool full;                 /* fell back to the full chains (parts) */
    pthread_mutex_t mu;
    struct found *alone;       /* the source's suites accepted alone here */
    size_t nalone;
    struct td_scan_answer refusal; /* the first refusal seen (the version's "reject") */
    bool have_refusal;
    bool alone_refusal;        /* the refusal was of a suite offered alone */
    size_t refusal_idx;
    struct part **fb;          /* chains over a remainder that got a ServerHello */
    size_t nfb;
    struct obs_list obs;
    bool got_ext;
    uint32_t ext_flags;
    bool ocsp;
    struct td_tls_cert cert;   /* TLS <= 1.2: of the accepted suite first in candidate order */
    size_t cert_idx;
    struct acert {             /* TLS <= 1.2: the certificate sent with each suite accepted alone */
        uint16_t suite;
        struct td_tls_cert c;
    } *acert;
    size_t nacert;
    /* The order check, run as soon as two suites are accepted alone: the
     * pair offered both ways (c[k]: 0 first offered won, 1 second, -1 none). */
    bool pair_pushed;
    uint16_t pair[2];
    int pair_c[2];
    atomic_int pair_left;
    /* The first two suites the source finds are not offered alone but as
     * that pair, both ways round (duo_run): two probes that tell both
     * acceptances and the order check at once. */
    uint16_t duo[2];
    size_t duo_idx[2];
    size_t nduo;
    int duo_done;
    struct td_probe_result duo_r[2];
    struct td_tls_cert *duo_cert[2];
};

/* Splits the candidates into partitions dealt round-robin (so accepted
 * suites spread out and every chain stays short): at least enough
 * partitions to keep each hello at most `size` suites, and one per
 * TD_SCAN_LIKELY_PER_PART of the suites real servers mostly pick (the
 * "likely" ones, first in the candidate list), up to TD_SCAN_MAX_PARTS.
 * A server accepting k of them then needs chains of about k/P + 1
 * probes instead of one chain of k + 1. SSLv3..TLS 1.1 ("lazy") start as
 * one partition that splits on its first accepted suite (part_split). */
static size_t make_parts(struct eng *e, struct mv *mv, size_t size)
{
    const struct td_scan_cands *c = e->env->cands;
    size_t n = c->n[mv->vi], likely = c->n_likely[mv->vi], np, by_likely;

    if (n > TD_SCAN_MAX_CAND)
        n = TD_SCAN_MAX_CAND;
    if (n == 0 || size == 0)
        return 0;
    np = (n + size - 1) / size;
    by_likely = (likely + TD_SCAN_LIKELY_PER_PART - 1) / TD_SCAN_LIKELY_PER_PART;
    if (by_likely > TD_SCAN_MAX_PARTS)
        by_likely = TD_SCAN_MAX_PARTS;
    bool lazy = !mv->small && mv->vi <= TD_SV_TLS11 && n <= size && by_likely > 1;
    if (!mv->small && !lazy && by_likely > np)
        np = by_likely;
    mv->parts = td_calloc(np, sizeof(struct part));
    if (mv->parts == NULL)
        return 0;
    mv->nparts = np;
    atomic_init(&mv->vs.state, 0);
    atomic_init(&mv->vs.order, 0);
    atomic_init(&mv->vs.any_found, 0);
    atomic_init(&mv->vs.parts_left, (int)np);
    for (size_t i = 0; i < np; i++) {
        mv->parts[i].e = e;
        mv->parts[i].owner = mv;
        mv->parts[i].split_on_accept = lazy;
        mv->parts[i].vs = &mv->vs;
        mv->parts[i].m = mv->m;
        mv->parts[i].vi = mv->vi;
    }
    for (size_t i = 0; i < n; i++) {
        struct part *p = &mv->parts[i % np];
        p->cand_idx[p->ncand] = i;
        p->cand[p->ncand++] = c->suites[mv->vi][i];
    }
    return np;
}

/* Sub-partitions made by a split become partitions of their own (after
 * the stage, when nothing else touches them). */
static void adopt_subs(struct mv *mv)
{
    size_t extra = 0, at;
    struct part *np;

    for (size_t k = 0; k < mv->nparts; k++)
        extra += mv->parts[k].nsub;
    if (extra == 0)
        return;
    np = td_reallocarray(mv->parts, mv->nparts + extra, sizeof(*np));
    if (np == NULL) {
        /* keep what the subs found out of the result rather than crash */
        for (size_t k = 0; k < mv->nparts; k++) {
            td_free(mv->parts[k].sub);
            mv->parts[k].sub = NULL;
            mv->parts[k].nsub = 0;
        }
        return;
    }
    mv->parts = np;
    at = mv->nparts;
    for (size_t k = 0; k < mv->nparts; k++) {
        struct part *sub = np[k].sub;
        for (size_t j = 0; j < np[k].nsub; j++)
            np[at++] = sub[j];
        np[k].sub = NULL;
        np[k].nsub = 0;
        td_free(sub);
    }
    mv->nparts = at;
}

static size_t mv_found(const struct mv *mv)
{
    size_t n = 0;
    for (size_t i = 0; i < mv->nparts; i++)
        n += mv->parts[i].nfound;
    return n;
}

/* Moves the remaining candidates of suspect partitions into new partitions
 * of `small` suites appended to mv. Suspect: ended by a connection failure
 * with more than `small` candidates left, and (unless all) more than the
 * biggest hello that got an answer. Returns the number of new partitions. */
static size_t resplit(struct eng *e, struct mv *mv, size_t small, bool all)
{
    size_t maxok = 0, rest = 0, nnew, j = 0;
    struct part *np;

    for (size_t k = 0; k < mv->nparts; k++)
        if (mv->parts[k].max_ok > maxok)
            maxok = mv->parts[k].max_ok;
    for (size_t k = 0; k < mv->nparts; k++) {
        const struct part *p = &mv->parts[k];
        if (p->ended_net && p->ncand > small && (all || p->ncand > maxok))
            rest += p->ncand;
    }
    if (rest == 0 || small == 0)
        return 0;
    nnew = (rest + small - 1) / small;
    np = td_reallocarray(mv->parts, mv->nparts + nnew, sizeof(*np));
    if (np == NULL)
        return 0;
    mv->parts = np;
    memset(&np[mv->nparts], 0, nnew * sizeof(*np));
    for (size_t k = 0; k < nnew; k++) {
        np[mv->nparts + k].e = e;
        np[mv->nparts + k].vs = NULL; /* re-offered in small hellos: no shortcut */
        np[mv->nparts + k].m = mv->m;
        np[mv->nparts + k].vi = mv->vi;
    }
    for (size_t k = 0; k < mv->nparts; k++) {
        struct part *p = &np[k];
        if (!(p->ended_net && p->ncand > small && (all || p->ncand > maxok)))
            continue;
        for (size_t c = 0; c < p->ncand; c++, j++) {
            struct part *q = &np[mv->nparts + j % nnew];
            q->cand[q->ncand] = p->cand[c];
            q->cand_idx[q->ncand] = p->cand_idx[c];
            q->ncand++;
        }
        p->ncand = 0;
    }
    mv->nparts += nnew;
    return nnew;
}

/* ---- SSLv2 detection --------------------------------------------------- */

static void sslv2_run(void *arg)
{
    struct eng *e = arg;
    struct td_probe_spec spec;
    struct td_probe_result r;

    memset(&spec, 0, sizeof(spec));
    spec.version = 0x0002;
    spec.sslv2 = true;
    run_probe(e, &spec, &r);
    answer_from(&e->res->sslv2_answer, &r);
    e->res->sslv2 = r.outcome == TD_PROBE_SSLV2 ? TD_TRI_YES : TD_TRI_NO;
    job_done(e);
}

/* ---- small-hello fallback ---------------------------------------------- */

struct fallback {
    struct eng *e;
    struct mv *mv;
    bool tolerant; /* the small hello was accepted */
};

static void fallback_run(void *arg)
{
    struct fallback *f = arg;
    struct eng *e = f->e;
    const struct td_scan_cands *c = e->env->cands;
    struct td_probe_spec spec;
    struct td_probe_result r;
    size_t n = c->n[f->mv->vi];

    if (n > (size_t)e->o->small_hello_suites)
        n = (size_t)e->o->small_hello_suites;
    memset(&spec, 0, sizeof(spec));
    spec.version = vi_version[f->mv->vi];
    spec.suites = c->suites[f->mv->vi];
    spec.nsuites = n;
    spec.sni = mode_sni(e, f->mv->m);
    run_probe(e, &spec, &r);
    f->tolerant = accepted_at(&r, f->mv->vi);
    job_done(e);
}

/* ---- stage 2: order, groups, extensions, certificates ------------------ */

struct order_job {
    struct eng *e;
    struct mv *mv;
    enum td_order order;
    bool complete;
    struct td_scan_suite out[TD_SCAN_MAX_ACCEPT];
    uint8_t leaf[TD_SCAN_MAX_ACCEPT][32];
    bool has_leaf[TD_SCAN_MAX_ACCEPT];
    size_t nout;
    struct obs_list obs;
    /* A derived view with server order: the winner of the pair check, to
     * compare with the first view's order once that is known. */
    bool need_src_order;
    uint16_t win, lose;
};

struct choose_job {
    struct eng *e;
    struct mv *mv;
    uint16_t first, second;
    int c;
    struct obs_list obs;
};

static int choose_vm(struct eng *e, enum td_sni_mode m, enum td_scan_vi vi, uint16_t first, uint16_t second,
                     struct obs_list *obs);

static void choose_job_run(void *arg)
{
    struct choose_job *c = arg;
    c->c = choose_vm(c->e, c->mv->m, c->mv->vi, c->first, c->second, &c->obs);
}

/* Which of first, second does the server choose when offered in that
 * order? 0, 1, or -1 for neither / no answer. */
static int choose_vm(struct eng *e, enum td_sni_mode m, enum td_scan_vi vi, uint16_t first, uint16_t second,
                     struct obs_list *obs)
{
    struct td_probe_spec spec;
    struct td_probe_result r;
    uint16_t s[2] = {first, second};

    memset(&spec, 0, sizeof(spec));
    spec.version = vi_version[vi];
    spec.suites = s;
    spec.nsuites = 2;
    spec.sni = mode_sni(e, m);
    run_probe(e, &spec, &r);
    obs_add(obs, &r, spec.version);
    if (!accepted_at(&r, vi))
        return -1;
    return r.suite == first ? 0 : r.suite == second ? 1 : -1;
}

static int choose(struct eng *e, struct mv *mv, uint16_t first, uint16_t second, struct obs_list *obs)
{
    return choose_vm(e, mv->m, mv->vi, first, second, obs);
}

static void emit(struct order_job *j, const struct found *f)
{
    if (j->nout >= TD_SCAN_MAX_ACCEPT)
        return;
    j->out[j->nout] = f->s;
    memcpy(j->leaf[j->nout], f->leaf, 32);
    j->has_leaf[j->nout] = f->has_leaf;
    j->nout++;
}

static int cmp_cand_idx(const void *a, const void *b)
{
    const struct found *x = a, *y = b;
    return x->cand_idx < y->cand_idx ? -1 : x->cand_idx > y->cand_idx;
}

static void order_run(void *arg)
{
    struct order_job *j = arg;
    struct eng *e = j->e;
    struct mv *mv = j->mv;
    size_t total = mv_found(mv), nonempty = 0;
    uint16_t a = 0, b = 0;
    bool have_pair = false, same_part = false;

    for (size_t i = 0; i < mv->nparts; i++)
        nonempty += mv->parts[i].nfound > 0;
    j->complete = true;
    if (total > 1 && mv->src != NULL && !mv->full && mv->nparts > 0 && mv->parts[0].nfound >= 2) {
        /* A derived view: both orders of one pair, at once, tell server
         * from client order; with server order the list is the first
         * view's (checked against it when that is known) or a chain. */
        struct choose_job cj[2];
        struct td_job jobs[2];
        memset(cj, 0, sizeof(cj));
        if (mv->pair_pushed) {
            /* done during the first stage (pair_run) */
            a = mv->pair[0];
            b = mv->pair[1];
            cj[0].c = mv->pair_c[0];
            cj[1].c = mv->pair_c[1];
        } else {
            a = mv->parts[0].found[0].s.code;
            b = mv->parts[0].found[1].s.code;
            cj[0].e = cj[1].e = e;
            cj[0].mv = cj[1].mv = mv;
            cj[0].first = cj[1].second = a;
            cj[0].second = cj[1].first = b;
            jobs[0] = (struct td_job){choose_job_run, &cj[0]};
            jobs[1] = (struct td_job){choose_job_run, &cj[1]};
            td_pool_run(jobs, 2, 2);
            for (int k = 0; k < 2; k++)
                obs_list_merge(&j->obs, &cj[k].obs);
        }
        if (cj[0].c == 0 && cj[1].c == 0) {
            j->order = TD_ORDER_CLIENT;
        } else if ((cj[0].c == 0 && cj[1].c == 1) || (cj[0].c == 1 && cj[1].c == 0)) {
            j->order = TD_ORDER_SERVER;
            j->need_src_order = true;
            j->win = cj[0].c == 0 ? a : b;
            j->lose = cj[0].c == 0 ? b : a;
            job_done(e);
            return;
        } else {
            j->order = TD_ORDER_UNKNOWN;
        }
    } else if (total == 1) {
        j->order = TD_ORDER_SINGLE;
    } else if (total > 1) {
        /* A pair from one partition needs one probe: the server chose a
         * while b was offered after it; offer b first. */
        for (size_t i = 0; i < mv->nparts && !have_pair; i++) {
            if (mv->parts[i].nfound >= 2) {
                a = mv->parts[i].found[0].s.code;
                b = mv->parts[i].found[1].s.code;
                have_pair = same_part = true;
            }
        }
        if (!have_pair) {
            for (size_t i = 0; i < mv->nparts; i++) {
                if (mv->parts[i].nfound == 0)
                    continue;
                if (!have_pair && a == 0) {
                    a = mv->parts[i].found[0].s.code;
                } else if (!have_pair) {
                    b = mv->parts[i].found[0].s.code;
                    have_pair = true;
                }
            }
        }
        int early = atomic_load(&mv->vs.order);
        if (same_part && early >= 2) {
            j->order = (enum td_order)(early - 2);
        } else if (same_part) {
            int c = choose(e, mv, b, a, &j->obs);
            j->order = c == 1 ? TD_ORDER_SERVER : c == 0 ? TD_ORDER_CLIENT : TD_ORDER_UNKNOWN;
        } else {
            int c1 = choose(e, mv, a, b, &j->obs), c2 = choose(e, mv, b, a, &j->obs);
            if (c1 < 0 || c2 < 0)
                j->order = TD_ORDER_UNKNOWN;
            else if (c1 == 0 && c2 == 0)
                j->order = TD_ORDER_CLIENT;
            else if ((c1 == 0 && c2 == 1) || (c1 == 1 && c2 == 0))
                j->order = TD_ORDER_SERVER;
            else
                j->order = TD_ORDER_UNKNOWN;
        }
    }

    if (j->order == TD_ORDER_SERVER && nonempty > 1) {
        /* Merge the chains: offer what remains of all of them, the winner is
         * the next suite; stop when one chain is left (its order is known). */
        size_t head[64];
        size_t np = mv->nparts < 64 ? mv->nparts : 64;
        memset(head, 0, sizeof(head));
        for (;;) {
            uint16_t offer[TD_PROBE_MAX_SUITES];
            size_t n = 0, left = 0, last = 0;
            for (size_t i = 0; i < np; i++) {
                if (head[i] < mv->parts[i].nfound) {
                    left++;
                    last = i;
                }
            }
            if (left <= 1) {
                if (left == 1)
                    for (size_t k = head[last]; k < mv->parts[last].nfound; k++)
                        emit(j, &mv->parts[last].found[k]);
                break;
            }
            for (size_t i = 0; i < np; i++)
                for (size_t k = head[i]; k < mv->parts[i].nfound && n < TD_PROBE_MAX_SUITES; k++)
                    offer[n++] = mv->parts[i].found[k].s.code;
            struct td_probe_spec spec;
            struct td_probe_result r;
            memset(&spec, 0, sizeof(spec));
            spec.version = vi_version[mv->vi];
            spec.suites = offer;
            spec.nsuites = n;
            spec.sni = mode_sni(e, mv->m);
            run_probe(e, &spec, &r);
            obs_add(&j->obs, &r, spec.version);
            size_t win = SIZE_MAX;
            if (accepted_at(&r, mv->vi))
                for (size_t i = 0; i < np && win == SIZE_MAX; i++)
                    if (head[i] < mv->parts[i].nfound && mv->parts[i].found[head[i]].s.code == r.suite)
                        win = i;
            if (win == SIZE_MAX) {
                /* Inconsistent or failed: keep the rest chain by chain. */
                j->complete = false;
                for (size_t i = 0; i < np; i++)
                    for (size_t k = head[i]; k < mv->parts[i].nfound; k++)
                        emit(j, &mv->parts[i].found[k]);
                break;
            }
            emit(j, &mv->parts[win].found[head[win]]);
            head[win]++;
        }
    } else if (j->order == TD_ORDER_SERVER || j->order == TD_ORDER_SINGLE) {
        for (size_t i = 0; i < mv->nparts; i++)
            for (size_t k = 0; k < mv->parts[i].nfound; k++)
                emit(j, &mv->parts[i].found[k]);
    } else {
        /* Client order (or unknown): list in our offer order. */
        struct found *all = total ? td_calloc(total, sizeof(*all)) : NULL;
        size_t n = 0;
        for (size_t i = 0; i < mv->nparts; i++)
            for (size_t k = 0; k < mv->parts[i].nfound && all != NULL; k++)
                all[n++] = mv->parts[i].found[k];
        if (all != NULL)
            qsort(all, n, sizeof(*all), cmp_cand_idx);
        for (size_t k = 0; k < n; k++)
            emit(j, &all[k]);
        td_free(all);
        j->complete = j->order == TD_ORDER_CLIENT;
    }
    job_done(e);
}

/* Derived view, server order: does the first view's order hold? Its
 * order is server order too, complete, it lists the pair with the same
 * winner first, and the derived view found nothing beyond what was
 * offered alone. */
static bool src_order_holds(const struct order_job *j, const struct order_job *src)
{
    const struct mv *mv = j->mv;
    size_t pw = SIZE_MAX, pl = SIZE_MAX;

    if (src->order != TD_ORDER_SERVER || !src->complete)
        return false;
    for (size_t k = 1; k < mv->nparts; k++)
        if (mv->parts[k].nfound > 0)
            return false;
    for (size_t k = 0; k < src->nout; k++) {
        if (src->out[k].code == j->win)
            pw = k;
        if (src->out[k].code == j->lose)
            pl = k;
    }
    if (pw == SIZE_MAX || pl == SIZE_MAX || pw > pl)
        return false;
    for (size_t f = 0; f < mv->parts[0].nfound; f++) {
        bool in = false;
        for (size_t k = 0; k < src->nout && !in; k++)
            in = src->out[k].code == mv->parts[0].found[f].s.code;
        if (!in)
            return false;
    }
    return true;
}

static void emit_in_src_order(struct order_job *j, const struct order_job *src)
{
    const struct part *p = &j->mv->parts[0];
    for (size_t k = 0; k < src->nout; k++)
        for (size_t f = 0; f < p->nfound; f++)
            if (p->found[f].s.code == src->out[k].code)
                emit(j, &p->found[f]);
    j->complete = true;
}

/* Server order found the long way: offer every accepted suite, the one
 * chosen is next; remove it and repeat. */
static void chain_order_run(void *arg)
{
    struct order_job *j = arg;
    struct eng *e = j->e;
    struct mv *mv = j->mv;
    size_t total = mv_found(mv), n = 0;
    struct found *all = total ? td_calloc(total, sizeof(*all)) : NULL;

    j->complete = true;
    for (size_t i = 0; i < mv->nparts && all != NULL; i++)
        for (size_t k = 0; k < mv->parts[i].nfound; k++)
            all[n++] = mv->parts[i].found[k];
    while (n > 1) {
        uint16_t offer[TD_PROBE_MAX_SUITES];
        size_t no = n < TD_PROBE_MAX_SUITES ? n : TD_PROBE_MAX_SUITES, w;
        struct td_probe_spec spec;
        struct td_probe_result r;
        for (size_t k = 0; k < no; k++)
            offer[k] = all[k].s.code;
        memset(&spec, 0, sizeof(spec));
        spec.version = vi_version[mv->vi];
        spec.suites = offer;
        spec.nsuites = no;
        spec.sni = mode_sni(e, mv->m);
        run_probe(e, &spec, &r);
        obs_add(&j->obs, &r, spec.version);
        for (w = 0; w < no && !(accepted_at(&r, mv->vi) && all[w].s.code == r.suite); w++) {
        }
        if (w == no) {
            j->complete = false;
            break;
        }
        emit(j, &all[w]);
        memmove(&all[w], &all[w + 1], (n - w - 1) * sizeof(all[0]));
        n--;
    }
    if (!j->complete)
        qsort(all, n, sizeof(*all), cmp_cand_idx);
    for (size_t k = 0; k < n; k++)
        emit(j, &all[k]);
    td_free(all);
    job_done(e);
}

struct group_job {
    struct eng *e;
    enum td_scan_vi vi;
    bool tls13;
    uint16_t suites[TD_PROBE_MAX_SUITES];
    size_t nsuites;
    uint16_t cand[TD_PROBE_MAX_GROUPS];
    size_t ncand;
    uint16_t out[TD_SCAN_MAX_GROUPS];
    size_t nout;
    struct obs_list obs;
};

static void group_run(void *arg)
{
    struct group_job *g = arg;
    struct eng *e = g->e;
    uint16_t *cand = g->cand;
    size_t n = g->ncand;

    while (n > 0 && g->nout < TD_SCAN_MAX_GROUPS) {
        struct td_probe_spec spec;
        struct td_probe_result r;
        size_t i;
        memset(&spec, 0, sizeof(spec));
        spec.version = vi_version[g->vi];
        spec.suites = g->suites;
        spec.nsuites = g->nsuites;
        spec.groups = cand;
        spec.ngroups = n;
        spec.sni = mode_sni(e, e->res->primary);
        run_probe(e, &spec, &r);
        obs_add(&g->obs, &r, spec.version);
        if (!accepted_at(&r, g->vi) || r.group == 0)
            break;
        for (i = 0; i < n && cand[i] != r.group; i++) {
        }
        if (i == n)
            break; /* a group we did not offer: stop, never loop */
        g->out[g->nout++] = r.group;
        memmove(&cand[i], &cand[i + 1], (n - i - 1) * sizeof(cand[0]));
        n--;
    }
    job_done(e);
}

/* Group candidates dealt round-robin into partitions of about
 * TD_SCAN_GROUPS_PER_PART, each a short offer-all-and-remove chain run in
 * parallel with the others. Returns the number of jobs in *out. */
#define TD_SCAN_GROUPS_PER_PART 17
static size_t group_parts(struct eng *e, struct group_job **out, enum td_scan_vi vi, bool tls13,
                          const uint16_t *suites, size_t nsuites, const uint16_t *groups, size_t ngroups)
{
    size_t np;
    struct group_job *g;

    if (ngroups > TD_PROBE_MAX_GROUPS)
        ngroups = TD_PROBE_MAX_GROUPS;
    if (nsuites > TD_PROBE_MAX_SUITES)
        nsuites = TD_PROBE_MAX_SUITES;
    if (ngroups == 0 || nsuites == 0)
        return 0;
    np = (ngroups + TD_SCAN_GROUPS_PER_PART - 1) / TD_SCAN_GROUPS_PER_PART;
    g = td_calloc(np, sizeof(*g));
    if (g == NULL)
        return 0;
    for (size_t k = 0; k < np; k++) {
        g[k].e = e;
        g[k].vi = vi;
        g[k].tls13 = tls13;
        memcpy(g[k].suites, suites, nsuites * sizeof(suites[0]));
        g[k].nsuites = nsuites;
    }
    for (size_t i = 0; i < ngroups; i++) {
        struct group_job *p = &g[i % np];
        p->cand[p->ncand++] = groups[i];
    }
    *out = g;
    return np;
}

/* max_fragment_length (512) and record_size_limit (512) are asked for in
 * one probe: a server without record_size_limit ignores it and answers the
 * other as if alone. A server that has it must ignore max_fragment_length
 * when both are offered (RFC 8449, 5), so an echoed record_size_limit
 * costs a second probe for max_fragment_length alone; a refusal, one for
 * each alone (a server that rejects one must not hide the other). */
struct ext_job {
    struct eng *e;
    enum td_scan_vi vi;
    uint16_t suites[TD_PROBE_MAX_SUITES];
    size_t nsuites;
    struct td_probe_result mr, rr; /* the answers for max_fragment_length, record_size_limit */
};

static void ext_probe(struct ext_job *x, bool mfl, bool rsl, struct td_probe_result *r)
{
    struct td_probe_spec spec;

    memset(&spec, 0, sizeof(spec));
    spec.version = vi_version[x->vi];
    spec.suites = x->suites;
    spec.nsuites = x->nsuites;
    spec.sni = mode_sni(x->e, x->e->res->primary);
    spec.mfl = mfl ? 1 : 0; /* 2^9 = 512 bytes, the smallest: what small devices ask for */
    spec.rsl = rsl ? 512 : 0;
    run_probe(x->e, &spec, r);
}

static void ext_mfl_alone(void *arg)
{
    struct ext_job *x = arg;
    ext_probe(x, true, false, &x->mr);
}

static void ext_rsl_alone(void *arg)
{
    struct ext_job *x = arg;
    ext_probe(x, false, true, &x->rr);
}

static void ext_run(void *arg)
{
    struct ext_job *x = arg;
    struct td_probe_result both;

    ext_probe(x, true, true, &both);
    if (both.outcome == TD_PROBE_ACCEPTED) {
        x->rr = both;
        if (both.ext_flags & TD_PX_RSL)
            ext_mfl_alone(x);
        else
            x->mr = both;
    } else {
        struct td_job j[2] = {{ext_mfl_alone, x}, {ext_rsl_alone, x}};
        td_pool_run(j, 2, 2);
    }
    job_done(x->e);
}

/* The OpenSSL fetch runs only for a view that supports TLS 1.3 (pushed on
 * its first TLS 1.3 suite): otherwise the cleartext Certificate of a suite
 * probe is the same thing and needs no connection (cert_from_probes), and
 * only if there is none is the fetch run after all. */
struct cert_job {
    struct eng *e;
    enum td_sni_mode m;
    bool pushed;
};

static void cert_run(void *arg)
{
    struct cert_job *c = arg;
    struct eng *e = c->e;
    struct td_scan_view *v = &e->res->view[c->m];
    if (atomic_load(&e->connect_fail) > 0 && atomic_load(&e->connected) == 0) {
        /* the target accepts no connection: do not add to its backoff */
        snprintf(v->cert.error, sizeof(v->cert.error), "not tried: the target did not accept connections");
        job_done(e);
        return;
    }
    if (server_silent(e)) {
        snprintf(v->cert.error, sizeof(v->cert.error), "not tried: the server answered no hello");
        job_done(e);
        return;
    }
    int64_t t0 = td_net_now_ms();
    e->env->cert(e->env->cert_ctx, mode_sni(e, c->m), &v->cert);
    if (e->trace >= 2)
        fprintf(stderr, "cert  %5lld..%5lld sni=%s\n", (long long)(t0 - e->t0), (long long)(td_net_now_ms() - e->t0),
                mode_sni(e, c->m) ? mode_sni(e, c->m) : "-");
    job_done(c->e);
}

/* ---- the derived SNI views --------------------------------------------- */

/* Work queue priorities, most urgent first: what ends a derived view (its
 * remainders, its order pair), the long chains of TLS 1.2/1.3 and the
 * groups, the one-probe old versions, the certificate fetch, the suites
 * offered alone, the extension probes. */
enum { PRIO_REST, PRIO_CHAIN, PRIO_GROUP, PRIO_OLD, PRIO_CERT, PRIO_ALONE, PRIO_EXT };

/* The first TLS 1.3 suite of view m: its certificate needs the OpenSSL
 * handshake, and in the primary view the TLS 1.3 groups are worth probing. */
static void tls13_found(struct eng *e, enum td_sni_mode m)
{
    if (atomic_exchange(&e->tls13_seen[m], 1) != 0 || !e->deriving)
        return;
    if (e->certs != NULL && e->res->view[m].used && e->o->certs && e->env->cert != NULL) {
        e->certs[m].pushed = true;
        dq_push(e, cert_run, &e->certs[m], PRIO_CERT);
    }
    if (m == e->res->primary && atomic_exchange(&e->g13_pushed, 1) == 0)
        for (size_t k = 0; k < e->ng13; k++)
            dq_push(e, group_run, &e->g13[k], PRIO_GROUP);
}

struct pair_job {
    struct eng *e;
    struct mv *mv;
    int k; /* 0: pair[0] first, 1: pair[1] first */
};

static int choose_vm(struct eng *e, enum td_sni_mode m, enum td_scan_vi vi, uint16_t first, uint16_t second,
                     struct obs_list *obs);

static void pair_run(void *arg)
{
    struct pair_job *pj = arg;
    struct mv *mv = pj->mv;
    struct obs_list obs;
    int c;

    memset(&obs, 0, sizeof(obs));
    c = choose_vm(pj->e, mv->m, mv->vi, mv->pair[pj->k], mv->pair[1 - pj->k], &obs);
    pthread_mutex_lock(&mv->mu);
    mv->pair_c[pj->k] = c;
    obs_list_merge(&mv->obs, &obs);
    pthread_mutex_unlock(&mv->mu);
    atomic_fetch_sub(&mv->pair_left, 1);
    job_done(pj->e);
    td_free(pj);
}

#define TD_SCAN_MAX_ACERT 64

struct alone_job {
    struct eng *e;
    struct mv *dst;
    uint16_t suite;
    size_t cand_idx;
};

/* Under mv->mu: r (cert: what came with it, TLS <= 1.2) accepted the
 * source's suite at cand_idx here. */
static void alone_record(struct eng *e, struct mv *mv, const struct td_probe_result *r,
                         const struct td_tls_cert *cert, size_t cand_idx)
{
    struct found *f = &mv->alone[mv->nalone++];
    memset(f, 0, sizeof(*f));
    f->s.code = r->suite;
    f->s.group = r->group;
    f->s.dh_bits = (uint16_t)(r->dh_bits > 65535 ? 65535 : r->dh_bits);
    f->s.leaf = -1;
    f->has_leaf = r->has_leaf;
    memcpy(f->leaf, r->leaf_sha256, 32);
    f->cand_idx = cand_idx;
    if (r->outcome == TD_PROBE_ACCEPTED && (!mv->got_ext || cand_idx < mv->cert_idx)) {
        mv->got_ext = true;
        mv->ext_flags = r->ext_flags;
        mv->ocsp = r->ocsp_stapled;
    }
    if (cert != NULL && cert->ok && mv->acert != NULL && mv->nacert < TD_SCAN_MAX_ACERT) {
        mv->acert[mv->nacert].suite = r->suite;
        mv->acert[mv->nacert].c = *cert;
        mv->nacert++;
    }
    if (cert != NULL && cert->ok && (!mv->cert.ok || cand_idx < mv->cert_idx)) {
        mv->cert = *cert;
        mv->cert_idx = cand_idx;
    }
    if (mv->nalone == 2 && !mv->pair_pushed) {
        struct pair_job *pj[2] = {td_calloc(1, sizeof(struct pair_job)), td_calloc(1, sizeof(struct pair_job))};
        if (pj[0] != NULL && pj[1] != NULL) {
            mv->pair_pushed = true;
            mv->pair[0] = mv->alone[0].s.code;
            mv->pair[1] = mv->alone[1].s.code;
            mv->pair_c[0] = mv->pair_c[1] = -1;
            atomic_store(&mv->pair_left, 2);
            for (int k = 0; k < 2; k++) {
                *pj[k] = (struct pair_job){e, mv, k};
                dq_push(e, pair_run, pj[k], PRIO_REST);
            }
        } else {
            td_free(pj[0]);
            td_free(pj[1]);
        }
    }
}

/* One suite the first view accepted, offered alone in a later view. */
static void alone_run(void *arg)
{
    struct alone_job *a = arg;
    struct eng *e = a->e;
    struct mv *mv = a->dst;
    struct td_probe_spec spec;
    struct td_probe_result r;
    struct td_tls_cert *cert = NULL;

    memset(&spec, 0, sizeof(spec));
    spec.version = vi_version[mv->vi];
    spec.suites = &a->suite;
    spec.nsuites = 1;
    spec.sni = mode_sni(e, mv->m);
    if (mv->vi <= TD_SV_TLS12)
        cert = td_calloc(1, sizeof(*cert));
    spec.cert_out = cert;
    run_probe(e, &spec, &r);
    pthread_mutex_lock(&mv->mu);
    obs_add(&mv->obs, &r, spec.version);
    if (accepted_at(&r, mv->vi) && r.suite == a->suite && mv->alone != NULL) {
        alone_record(e, mv, &r, cert, a->cand_idx);
    } else if (!mv->alone_refusal || a->cand_idx < mv->refusal_idx) {
        /* a suite the first view accepts, refused here: the most telling
         * answer (a remainder of unsupported suites may be refused for the
         * suites alone, before SNI is looked at) */
        answer_from(&mv->refusal, &r);
        mv->have_refusal = mv->alone_refusal = true;
        mv->refusal_idx = a->cand_idx;
    }
    pthread_mutex_unlock(&mv->mu);
    if (accepted_at(&r, mv->vi) && r.suite == a->suite && mv->vi == TD_SV_TLS13)
        tls13_found(e, mv->m);
    td_free(cert);
    td_free(a);
    job_done(e);
}

static void push_alone(struct eng *e, struct mv *dst, uint16_t suite, size_t cand_idx)
{
    struct alone_job *a = td_calloc(1, sizeof(*a));
    if (a == NULL)
        return;
    *a = (struct alone_job){e, dst, suite, cand_idx};
    dq_push(e, alone_run, a, PRIO_ALONE);
}

struct duo_job {
    struct eng *e;
    struct mv *mv;
    int k; /* 0: duo[0] first, 1: duo[1] first */
};

/* Under mv->mu, once both ways of the duo are answered: each suite chosen
 * by either probe is accepted here (as if offered alone); the two answers
 * are the order check. A suite neither probe chose is offered alone after
 * all, so its refusal is the answer to it alone. */
static void duo_resolve(struct eng *e, struct mv *mv)
{
    int c[2];
    for (int k = 0; k < 2; k++) {
        const struct td_probe_result *r = &mv->duo_r[k];
        c[k] = !accepted_at(r, mv->vi) ? -1 : r->suite == mv->duo[k] ? 0 : r->suite == mv->duo[1 - k] ? 1 : -1;
    }
    if (c[0] >= 0 && c[1] >= 0 && !mv->pair_pushed) {
        mv->pair_pushed = true;
        mv->pair[0] = mv->duo[0];
        mv->pair[1] = mv->duo[1];
        mv->pair_c[0] = c[0];
        mv->pair_c[1] = c[1];
        atomic_store(&mv->pair_left, 0);
    }
    for (int j = 0; j < 2; j++) {
        int by = -1;
        for (int k = 0; k < 2 && by < 0; k++)
            if (c[k] >= 0 && mv->duo_r[k].suite == mv->duo[j])
                by = k;
        if (by >= 0 && mv->alone != NULL)
            alone_record(e, mv, &mv->duo_r[by], mv->duo_cert[by], mv->duo_idx[j]);
        else
            push_alone(e, mv, mv->duo[j], mv->duo_idx[j]);
    }
}

static void duo_run(void *arg)
{
    struct duo_job *dj = arg;
    struct eng *e = dj->e;
    struct mv *mv = dj->mv;
    struct td_probe_spec spec;
    struct td_probe_result r;
    struct td_tls_cert *cert = NULL;
    uint16_t s2[2];
    bool tls13_acc = false;

    pthread_mutex_lock(&mv->mu);
    s2[0] = mv->duo[dj->k];
    s2[1] = mv->duo[1 - dj->k];
    pthread_mutex_unlock(&mv->mu);
    memset(&spec, 0, sizeof(spec));
    spec.version = vi_version[mv->vi];
    spec.suites = s2;
    spec.nsuites = 2;
    spec.sni = mode_sni(e, mv->m);
    if (mv->vi <= TD_SV_TLS12)
        cert = td_calloc(1, sizeof(*cert));
    spec.cert_out = cert;
    run_probe(e, &spec, &r);
    pthread_mutex_lock(&mv->mu);
    obs_add(&mv->obs, &r, spec.version);
    mv->duo_r[dj->k] = r;
    mv->duo_cert[dj->k] = cert;
    if (++mv->duo_done == 2) {
        duo_resolve(e, mv);
        for (int k = 0; k < 2; k++) {
            tls13_acc = tls13_acc || (mv->vi == TD_SV_TLS13 && accepted_at(&mv->duo_r[k], mv->vi));
            td_free(mv->duo_cert[k]);
            mv->duo_cert[k] = NULL;
        }
    }
    pthread_mutex_unlock(&mv->mu);
    if (tls13_acc)
        tls13_found(e, mv->m);
    td_free(dj);
    job_done(e);
}

/* A suite the source found: one of the first two of the duo, or alone. */
static void derive_suite(struct eng *e, struct mv *dst, uint16_t suite, size_t cand_idx)
{
    struct duo_job *dj[2] = {NULL, NULL};
    uint16_t lost[2];
    size_t lost_idx[2], nlost = 0;

    pthread_mutex_lock(&dst->mu);
    if (dst->nduo >= 2) {
        lost[nlost] = suite;
        lost_idx[nlost++] = cand_idx;
    } else {
        dst->duo[dst->nduo] = suite;
        dst->duo_idx[dst->nduo] = cand_idx;
        if (++dst->nduo == 2) {
            dj[0] = td_calloc(1, sizeof(*dj[0]));
            dj[1] = td_calloc(1, sizeof(*dj[1]));
            if (dj[0] == NULL || dj[1] == NULL) {
                /* no duo after all: both alone */
                td_free(dj[0]);
                td_free(dj[1]);
                dj[0] = dj[1] = NULL;
                for (int k = 0; k < 2; k++) {
                    lost[nlost] = dst->duo[k];
                    lost_idx[nlost++] = dst->duo_idx[k];
                }
            }
        }
    }
    pthread_mutex_unlock(&dst->mu);
    for (int k = 0; k < 2 && dj[0] != NULL; k++) {
        *dj[k] = (struct duo_job){e, dst, k};
        dq_push(e, duo_run, dj[k], PRIO_ALONE);
    }
    for (size_t i = 0; i < nlost; i++)
        push_alone(e, dst, lost[i], lost_idx[i]);
}

struct rest_job {
    struct eng *e;
    struct mv *dst;
    uint16_t cand[TD_PROBE_MAX_SUITES];
    size_t cand_idx[TD_PROBE_MAX_SUITES];
    size_t n;
};

/* Everything the first view did not accept, offered in a later view: a
 * refusal proves none of it is accepted there; anything else (a
 * ServerHello, a failed connection) runs the full chain over it. */
static void rest_run(void *arg)
{
    struct rest_job *x = arg;
    struct eng *e = x->e;
    struct mv *mv = x->dst;
    struct td_probe_spec spec;
    struct td_probe_result r;

    memset(&spec, 0, sizeof(spec));
    spec.version = vi_version[mv->vi];
    spec.suites = x->cand;
    spec.nsuites = x->n;
    spec.sni = mode_sni(e, mv->m);
    run_probe(e, &spec, &r);
    if (r.outcome == TD_PROBE_ALERT && !r.alert_after_hello) {
        pthread_mutex_lock(&mv->mu);
        obs_add(&mv->obs, &r, spec.version);
        if (!mv->have_refusal) {
            answer_from(&mv->refusal, &r);
            mv->have_refusal = true;
        }
        pthread_mutex_unlock(&mv->mu);
    } else {
        struct part *p = td_calloc(1, sizeof(*p));
        if (p != NULL) {
            p->e = e;
            p->owner = mv;
            p->m = mv->m;
            p->vi = mv->vi;
            memcpy(p->cand, x->cand, x->n * sizeof(x->cand[0]));
            memcpy(p->cand_idx, x->cand_idx, x->n * sizeof(x->cand_idx[0]));
            p->ncand = x->n;
            part_chain(p);
            pthread_mutex_lock(&mv->mu);
            mv->fb[mv->nfb++] = p;
            pthread_mutex_unlock(&mv->mu);
        }
    }
    td_free(x);
    job_done(e);
}

/* A suite found by a chain: in the first view it is offered alone in each
 * derived one; a first TLS 1.3 suite starts the certificate fetch. */
static void found_hook(struct part *p, const struct td_probe_result *r, size_t cand_idx)
{
    struct eng *e = p->e;
    struct mv *mv = p->owner;

    if (mv == NULL)
        return;
    if (mv->vi == TD_SV_TLS13)
        tls13_found(e, mv->m);
    if (!e->deriving)
        return;
    for (size_t d = 0; d < mv->ndst; d++)
        derive_suite(e, mv->dst[d], r->suite, cand_idx);
}

static size_t make_parts(struct eng *e, struct mv *mv, size_t size);

/* Every chain of a first-view (mode, version) has ended: offer what it did
 * not accept in each derived view, at most `size` suites per probe. If a
 * chain ended in a connection failure (intolerance, a reset...), the
 * derived view gets its own full chains instead. */
static void src_done(struct eng *e, struct mv *mv)
{
    size_t size = (size_t)e->o->hello_suites;
    bool net = false;
    const struct part *all[TD_SCAN_MAX_PARTS * 64];
    size_t nall = 0;

    if (!e->deriving || mv->ndst == 0)
        return;
    if (size == 0 || size > TD_PROBE_MAX_SUITES)
        size = TD_PROBE_MAX_SUITES;
    for (size_t k = 0; k < mv->nparts && nall < TD_ARRAY_LEN(all); k++) {
        all[nall++] = &mv->parts[k];
        for (size_t j = 0; j < mv->parts[k].nsub && nall < TD_ARRAY_LEN(all); j++)
            all[nall++] = &mv->parts[k].sub[j];
    }
    for (size_t k = 0; k < nall; k++)
        net = net || all[k]->ended_net || (all[k]->ncand > 0 && all[k]->nfound >= TD_PROBE_MAX_SUITES);
    for (size_t d = 0; d < mv->ndst; d++) {
        struct mv *dst = mv->dst[d];
        /* one suite found: no duo, it is offered alone */
        pthread_mutex_lock(&dst->mu);
        bool lone = dst->nduo == 1;
        if (lone)
            dst->nduo = 2;
        pthread_mutex_unlock(&dst->mu);
        if (lone)
            push_alone(e, dst, dst->duo[0], dst->duo_idx[0]);
        if (net) {
            size_t np;
            pthread_mutex_lock(&dst->mu);
            dst->full = true;
            pthread_mutex_unlock(&dst->mu);
            np = make_parts(e, dst, size);
            for (size_t k = 0; k < np; k++)
                dq_push(e, part_run, &dst->parts[k], PRIO_CHAIN);
            continue;
        }
        struct rest_job *x = NULL;
        for (size_t k = 0; k < nall; k++) {
            for (size_t c = 0; c < all[k]->ncand; c++) {
                if (x == NULL && (x = td_calloc(1, sizeof(*x))) == NULL)
                    break;
                x->e = e;
                x->dst = dst;
                x->cand[x->n] = all[k]->cand[c];
                x->cand_idx[x->n] = all[k]->cand_idx[c];
                if (++x->n == size) {
                    dq_push(e, rest_run, x, PRIO_REST);
                    x = NULL;
                }
            }
        }
        if (x != NULL)
            dq_push(e, rest_run, x, PRIO_REST);
    }
}

/* After the first stage: a derived (mode, version) becomes an ordinary one
 * for the rest of the scan: partition 0 holds the suites accepted alone
 * (in candidate order), then the fallback chains. */
static void derive_finish(struct eng *e, struct mv *mv)
{
    size_t n = 1 + mv->nfb;
    struct part *parts;

    if (mv->src == NULL || mv->full)
        return;
    parts = td_calloc(n, sizeof(*parts));
    if (parts == NULL)
        return;
    struct part *p = &parts[0];
    p->e = e;
    p->owner = mv;
    p->m = mv->m;
    p->vi = mv->vi;
    for (size_t i = 0; i < mv->nalone && p->nfound < TD_PROBE_MAX_SUITES; i++)
        p->found[p->nfound++] = mv->alone[i];
    qsort(p->found, p->nfound, sizeof(p->found[0]), cmp_cand_idx);
    p->end = mv->refusal;
    p->got_ext = mv->got_ext;
    p->ext_flags = mv->ext_flags;
    p->ocsp = mv->ocsp;
    p->cert = mv->cert;
    p->obs = mv->obs;
    if (mv->pair_pushed && (mv->pair_c[0] < 0 || mv->pair_c[1] < 0))
        mv->pair_pushed = false; /* inconclusive: order_run asks again */
    for (size_t k = 0; k < mv->nfb; k++) {
        parts[1 + k] = *mv->fb[k];
        td_free(mv->fb[k]);
    }
    mv->nfb = 0;
    mv->parts = parts;
    mv->nparts = n;
}

/* ---- assembling -------------------------------------------------------- */

/* The certificate of view m from its suite probes, when TLS 1.3 is not
 * supported in it: the leaf sent at the newest version supported, by the
 * first partition (the likely suites, which a server's own choice is among)
 * that saw one. The OpenSSL fetch would have negotiated that version too.
 * False if there is none (or TLS 1.3 is supported after all). */
static bool cert_from_probes(const struct mv *mvs, size_t nmv, enum td_sni_mode m, struct td_scan_view *view)
{
    if (view->v[TD_SV_TLS13].supported)
        return false;
    for (int vi = TD_SV_TLS12; vi >= TD_SV_SSL3; vi--) {
        if (!view->v[vi].supported)
            continue;
        for (size_t i = 0; i < nmv; i++) {
            if (mvs[i].m != m || mvs[i].vi != (enum td_scan_vi)vi)
                continue;
            if (mvs[i].src != NULL) {
                /* a derived view: the certificate sent with the suite the
                 * first view's comes from, so that a server with two
                 * certificates (RSA, ECDSA) is not seen to differ by SNI
                 * only because another suite was looked at */
                const struct mv *src = mvs[i].src;
                uint16_t want = 0;
                for (size_t k = 0; k < src->nparts && want == 0; k++)
                    if (src->parts[k].cert.ok)
                        want = src->parts[k].cert_suite;
                for (size_t k = 0; k < mvs[i].nacert && want != 0; k++) {
                    if (mvs[i].acert[k].suite == want) {
                        view->cert = mvs[i].acert[k].c;
                        return true;
                    }
                }
                for (size_t k = 0; k < mvs[i].nparts && want != 0; k++) {
                    if (mvs[i].parts[k].cert.ok && mvs[i].parts[k].cert_suite == want) {
                        view->cert = mvs[i].parts[k].cert;
                        return true;
                    }
                }
            }
            for (size_t k = 0; k < mvs[i].nparts; k++) {
                if (mvs[i].parts[k].cert.ok) {
                    view->cert = mvs[i].parts[k].cert;
                    return true;
                }
            }
        }
        return false;
    }
    return false;
}

static int8_t leaf_index(struct td_scan_view *v, const uint8_t *h)
{
    for (size_t i = 0; i < v->nleaves; i++)
        if (memcmp(v->leaves[i], h, 32) == 0)
            return (int8_t)i;
    if (v->nleaves >= TD_SCAN_MAX_LEAVES)
        return -1;
    memcpy(v->leaves[v->nleaves], h, 32);
    return (int8_t)v->nleaves++;
}

static void reject_reason(char *buf, size_t cap, const struct td_scan_answer *a)
{
    switch (a->outcome) {
    case TD_PROBE_ALERT:
        snprintf(buf, cap, "alert %u", (unsigned)a->alert_desc);
        if (a->alert_desc == 112)
            snprintf(buf, cap, "unrecognized_name alert");
        else if (a->alert_desc == 40)
            snprintf(buf, cap, "handshake_failure alert");
        else if (a->alert_desc == 70)
            snprintf(buf, cap, "protocol_version alert");
        else if (a->alert_desc == 80)
            snprintf(buf, cap, "internal_error alert");
        break;
    case TD_PROBE_NET:
        snprintf(buf, cap, "%s", td_net_obs_str(a->net));
        break;
    case TD_PROBE_MALFORMED:
        snprintf(buf, cap, "an answer that is not TLS");
        break;
    case TD_PROBE_ACCEPTED:
    case TD_PROBE_HRR:
        snprintf(buf, cap, "the server answered with version 0x%04X", (unsigned)a->version);
        break;
    case TD_PROBE_UNOFFERED:
        snprintf(buf, cap, "a suite that was not offered (0x%04X)", (unsigned)a->suite);
        break;
    case TD_PROBE_SSLV2:
        snprintf(buf, cap, "an SSLv2 answer");
        break;
    default:
        snprintf(buf, cap, "unknown");
        break;
    }
}

static void sni_verdicts(struct td_scan_result *res)
{
    struct td_scan_view *name = &res->view[TD_SNI_NAME], *none = &res->view[TD_SNI_NONE];

    res->sni_required = TD_TRI_UNKNOWN;
    res->different_cert = TD_TRI_UNKNOWN;
    if (name->used && none->used && !res->unreachable) {
        if (name->any_supported && !none->any_supported) {
            res->sni_required = TD_TRI_YES;
            /* How it refused: the answer to the newest version probed. */
            for (int vi = TD_SV_TLS13; vi >= TD_SV_SSL3; vi--) {
                if (none->v[vi].probed && name->v[vi].supported) {
                    reject_reason(res->sni_required_how, sizeof(res->sni_required_how), &none->v[vi].reject);
                    break;
                }
            }
        } else if (name->any_supported && none->any_supported) {
            res->sni_required = TD_TRI_NO;
        }
        if (name->cert.ok && none->cert.ok)
            res->different_cert =
                memcmp(name->cert.leaf_sha256, none->cert.leaf_sha256, 32) != 0 ? TD_TRI_YES : TD_TRI_NO;
        else if (name->nleaves > 0 && none->nleaves > 0)
            res->different_cert = memcmp(name->leaves[0], none->leaves[0], 32) != 0 ? TD_TRI_YES : TD_TRI_NO;
    }
}

static void init_views(const struct td_scan_opts *o, struct td_scan_result *res)
{
    res->primary = o->mode[TD_SNI_NAME] ? TD_SNI_NAME : o->mode[TD_SNI_NONE] ? TD_SNI_NONE : TD_SNI_UNKNOWN;
    for (int m = 0; m < TD_SNI__COUNT; m++) {
        struct td_scan_view *v = &res->view[m];
        v->mode = (enum td_sni_mode)m;
        v->used = o->mode[m];
        if (m == TD_SNI_NAME && o->sni_name != NULL)
            snprintf(v->sni, sizeof(v->sni), "%s", o->sni_name);
        if (m == TD_SNI_UNKNOWN && o->unknown_name != NULL)
            snprintf(v->sni, sizeof(v->sni), "%s", o->unknown_name);
    }
    if (o->mode[TD_SNI_NAME] && (o->sni_name == NULL || o->sni_name[0] == '\0'))
        res->view[TD_SNI_NAME].used = false;
}

void td_scan_run(const struct td_scan_opts *o, const struct td_scan_env *env, struct td_scan_result *res)
{
    struct eng e;
    struct mv mvs[TD_SNI__COUNT * TD_SV__COUNT];
    size_t nmv = 0, njobs = 0, cap;
    struct td_job *jobs = NULL;
    struct order_job *orders = NULL;
    struct fallback *fbs = NULL;
    struct group_job *g12 = NULL, *g13 = NULL;
    size_t ng12 = 0, ng13 = 0;
    struct ext_job *xj = NULL;
    struct cert_job certs[TD_SNI__COUNT];
    unsigned long fail_before;

    memset(res, 0, sizeof(*res));
    memset(&e, 0, sizeof(e));
    memset(mvs, 0, sizeof(mvs));
    e.o = o;
    e.env = env;
    e.res = res;
    atomic_init(&e.probes, 0);
    atomic_init(&e.repeat_helped, 0);
    atomic_init(&e.repeat_blind, 0);
    atomic_init(&e.connect_fail, 0);
    atomic_init(&e.connected, 0);
    atomic_init(&e.silent, 0);
    atomic_init(&e.silent_small, 0);
    atomic_init(&e.answered, 0);
    atomic_init(&e.first_fail, 0);
    atomic_init(&e.stage_done, 0);
    {
        const char *t = getenv("TD_SCAN_TRACE");
        e.trace = t == NULL ? 0 : t[0] == '2' ? 2 : 1;
        e.t0 = td_net_now_ms();
    }
    init_views(o, res);

    /* Stage 1: every partition of every (mode, version), plus SSLv2. */
    size_t size = (size_t)(o->hello_suites > 0 && o->hello_suites <= TD_PROBE_MAX_SUITES ? o->hello_suites
                                                                                        : TD_PROBE_MAX_SUITES);
    pthread_mutex_init(&e.mu, NULL);
    pthread_cond_init(&e.cv, NULL);
    for (int m = 0; m < TD_SNI__COUNT; m++)
        atomic_init(&e.tls13_seen[m], 0);
    atomic_init(&e.g13_pushed, 0);
    e.certs = certs;
    memset(certs, 0, sizeof(certs));
    for (int m = 0; m < TD_SNI__COUNT; m++)
        certs[m] = (struct cert_job){&e, (enum td_sni_mode)m, false};
    cap = 1;
    for (int m = 0; m < TD_SNI__COUNT; m++) {
        if (!res->view[m].used)
            continue;
        for (int vi = TD_SV_SSL3; vi < TD_SV__COUNT; vi++) {
            if (!o->versions[vi] || env->cands->n[vi] == 0)
                continue;
            struct mv *mv = &mvs[nmv++];
            struct mv *src = NULL;
            mv->m = (enum td_sni_mode)m;
            mv->vi = (enum td_scan_vi)vi;
            res->view[m].v[vi].probed = true;
            pthread_mutex_init(&mv->mu, NULL);
            for (size_t i = 0; i + 1 < nmv && m != (int)res->primary; i++)
                if (mvs[i].m == res->primary && mvs[i].vi == mv->vi)
                    src = &mvs[i];
            if (src != NULL) {
                /* a later SNI view: derived from the first (src_done) */
                mv->alone = td_calloc(TD_SCAN_MAX_CAND, sizeof(*mv->alone));
                mv->acert = td_calloc(TD_SCAN_MAX_ACERT, sizeof(*mv->acert));
                mv->fb = td_calloc(TD_SCAN_MAX_CAND + 1, sizeof(*mv->fb));
                if (mv->alone != NULL && mv->fb != NULL) {
                    mv->src = src;
                    src->dst[src->ndst++] = mv;
                    cap += (env->cands->n[vi] + size - 1) / size + TD_SCAN_MAX_PARTS;
                    continue;
                }
            }
            cap += make_parts(&e, mv, size);
        }
    }
    jobs = td_calloc(cap + 3 * TD_SNI__COUNT * TD_SV__COUNT + 64, sizeof(*jobs));
    if (jobs == NULL)
        goto out;
    e.deriving = true;
    /* Longest chains first: TLS 1.3 and 1.2, which modern servers accept
     * many suites in, before the old versions that usually end after one
     * probe (and whose end starts the derived views' probes). */
    for (int vi = TD_SV__COUNT - 1; vi >= TD_SV_SSL3; vi--)
        for (size_t i = 0; i < nmv; i++)
            for (size_t k = 0; k < mvs[i].nparts && mvs[i].vi == (enum td_scan_vi)vi; k++)
                dq_push(&e, part_run, &mvs[i].parts[k], vi >= TD_SV_TLS12 ? PRIO_CHAIN : PRIO_OLD);
    if (o->versions[TD_SV_SSL2])
        dq_push(&e, sslv2_run, &e, PRIO_OLD);
    /* What needs no suite found yet runs alongside, so the second stage is
     * short: certificates, and the group and extension probes at TLS 1.2
     * and 1.3 with every candidate suite (redone below with the accepted
     * suites if the server turns out to have no TLS 1.2). */
    if (res->view[res->primary].used) {
        const struct td_scan_cands *c = env->cands;
        if (o->groups && o->versions[TD_SV_TLS12] && env->kx_class != NULL && c->n_ec_groups > 0) {
            uint16_t ecdhe[TD_PROBE_MAX_SUITES];
            size_t necdhe = 0;
            for (size_t i = 0; i < c->n[TD_SV_TLS12] && necdhe < TD_PROBE_MAX_SUITES; i++)
                if (env->kx_class(c->suites[TD_SV_TLS12][i]) == TD_KXC_ECDHE)
                    ecdhe[necdhe++] = c->suites[TD_SV_TLS12][i];
            ng12 = group_parts(&e, &g12, TD_SV_TLS12, false, ecdhe, necdhe, c->ec_groups, c->n_ec_groups);
            for (size_t k = 0; k < ng12; k++)
                dq_push(&e, group_run, &g12[k], PRIO_GROUP);
        }
        if (o->groups && o->versions[TD_SV_TLS13] && c->n_tls13_groups > 0) {
            /* pushed on the first TLS 1.3 suite of the primary view */
            ng13 = group_parts(&e, &g13, TD_SV_TLS13, true, c->suites[TD_SV_TLS13], c->n[TD_SV_TLS13],
                               c->tls13_groups, c->n_tls13_groups);
            pthread_mutex_lock(&e.mu);
            e.g13 = g13;
            e.ng13 = ng13;
            pthread_mutex_unlock(&e.mu);
        }
        if (o->extensions && o->versions[TD_SV_TLS12] && c->n[TD_SV_TLS12] > 0) {
            xj = td_calloc(1, sizeof(*xj));
            if (xj != NULL) {
                size_t n = c->n_likely[TD_SV_TLS12] ? c->n_likely[TD_SV_TLS12] : c->n[TD_SV_TLS12];
                xj->e = &e;
                xj->vi = TD_SV_TLS12;
                xj->nsuites = n < TD_PROBE_MAX_SUITES ? n : TD_PROBE_MAX_SUITES;
                memcpy(xj->suites, c->suites[TD_SV_TLS12], xj->nsuites * sizeof(xj->suites[0]));
                dq_push(&e, ext_run, xj, PRIO_EXT);
            }
        }
    }
    dq_run(&e, "versions, suites, groups, certificates");
    e.deriving = false;
    for (size_t i = 0; i < nmv; i++) {
        derive_finish(&e, &mvs[i]);
        adopt_subs(&mvs[i]);
    }
    /* TLS 1.3 groups not started (no TLS 1.3 suite seen in stage 1) */
    bool g13_late = atomic_load(&e.g13_pushed) == 0;

    fail_before = atomic_load(&e.connect_fail);
    if (fail_before > 0 && atomic_load(&e.connected) == 0) {
        res->unreachable = true;
        snprintf(res->unreachable_why, sizeof(res->unreachable_why), "%s",
                 td_net_obs_str((enum td_net_obs)atomic_load(&e.first_fail)));
        goto assemble;
    }

    /* Stage 1b: small hellos. A partition that ended in a connection
     * failure (no alert) with a hello bigger than any that got an answer
     * may have hit an intolerant server: its remaining candidates are
     * re-offered in small hellos. Where no partition got any answer, one
     * small hello decides first whether that is worth it. */
    fbs = td_calloc(nmv ? nmv : 1, sizeof(*fbs));
    if (fbs == NULL)
        goto out;
    njobs = 0;
    for (size_t i = 0; i < nmv; i++) {
        bool all_net = mvs[i].nparts > 0;
        for (size_t k = 0; k < mvs[i].nparts; k++)
            all_net = all_net && mvs[i].parts[k].ended_net;
        if (mv_found(&mvs[i]) == 0 && all_net && mvs[i].parts[0].ncand > (size_t)o->small_hello_suites) {
            fbs[njobs] = (struct fallback){&e, &mvs[i], false};
            jobs[njobs] = (struct td_job){fallback_run, &fbs[njobs]};
            njobs++;
        }
    }
    if (njobs > 0)
        run_stage(&e, "small hellos", jobs, njobs);
    {
        size_t nfb = njobs, nre = 0;
        for (size_t i = 0; i < nmv; i++) {
            struct mv *mv = &mvs[i];
            bool tolerant = false;
            mv->rerun_from = mv->nparts;
            for (size_t k = 0; k < nfb; k++)
                if (fbs[k].mv == mv)
                    tolerant = fbs[k].tolerant;
            if (mv_found(mv) > 0 || tolerant) {
                size_t added = resplit(&e, mv, (size_t)o->small_hello_suites, tolerant);
                if (added > 0)
                    res->view[mv->m].v[mv->vi].small_hellos = true;
                nre += added;
            }
        }
        if (nre > 0) {
            struct td_job *rj = td_calloc(nre, sizeof(*rj));
            size_t k = 0;
            if (rj != NULL) {
                for (size_t i = 0; i < nmv; i++)
                    for (size_t p = mvs[i].rerun_from; p < mvs[i].nparts; p++)
                        rj[k++] = (struct td_job){part_run, &mvs[i].parts[p]};
                run_stage(&e, "versions and suites (small hellos)", rj, k);
                td_free(rj);
            }
        }
    }

    /* Per-version facts needed by stage 2. */
    for (size_t i = 0; i < nmv; i++) {
        struct mv *mv = &mvs[i];
        struct td_scan_ver *v = &res->view[mv->m].v[mv->vi];
        v->supported = mv_found(mv) > 0;
        if (v->supported)
            res->view[mv->m].any_supported = true;
        for (size_t k = 0; k < mv->nparts; k++) {
            if (mv->parts[k].got_ext && v->ext_flags == 0) {
                v->ext_flags = mv->parts[k].ext_flags;
                v->ocsp_stapled = mv->parts[k].ocsp;
            }
        }
        v->reject = mv->nparts > 0 ? mv->parts[0].end : v->reject;
    }

    /* Stage 2: order per version, groups, extensions, certificates. */
    orders = td_calloc(nmv ? nmv : 1, sizeof(*orders));
    if (orders == NULL)
        goto out;
    njobs = 0;
    for (size_t i = 0; i < nmv; i++) {
        orders[i].e = &e;
        orders[i].mv = &mvs[i];
        jobs[njobs++] = (struct td_job){order_run, &orders[i]};
    }
    {
        const struct td_scan_view *pv = &res->view[res->primary];
        enum td_scan_vi best12 = TD_SV__COUNT;
        for (int vi = TD_SV_TLS12; vi >= TD_SV_SSL3 && best12 == TD_SV__COUNT; vi--)
            if (pv->v[vi].supported)
                best12 = (enum td_scan_vi)vi;
        const struct mv *pmv12 = NULL, *pmv13 = NULL;
        for (size_t i = 0; i < nmv; i++) {
            if (mvs[i].m == res->primary && mvs[i].vi == best12)
                pmv12 = &mvs[i];
            if (mvs[i].m == res->primary && mvs[i].vi == TD_SV_TLS13 && pv->v[TD_SV_TLS13].supported)
                pmv13 = &mvs[i];
        }
        /* The early TLS 1.2 group/extension probes hold only if TLS 1.2 is
         * the version to use; otherwise redo them at the newest one. */
        size_t early12 = 0;
        for (size_t k = 0; k < ng12; k++)
            early12 += g12[k].nout;
        if (best12 != TD_SV_TLS12 || early12 == 0) {
            td_free(g12);
            g12 = NULL;
            ng12 = 0;
        }
        /* ... and only if they got a ServerHello: a refusal with the
         * candidate suites may be about the suites, not the extension. */
        if (xj != NULL && (best12 != TD_SV_TLS12 || xj->mr.outcome != TD_PROBE_ACCEPTED ||
                           xj->rr.outcome != TD_PROBE_ACCEPTED)) {
            td_free(xj);
            xj = NULL;
        }
        if (pmv13 == NULL) {
            td_free(g13);
            g13 = NULL;
            ng13 = 0;
        } else if (g13_late) {
            for (size_t k = 0; k < ng13; k++)
                jobs[njobs++] = (struct td_job){group_run, &g13[k]};
        }
        res->groups.probed13 = ng13 > 0;
        res->groups.probed12 = ng12 > 0;
        if (o->groups && ng12 == 0 && pmv12 != NULL && env->kx_class != NULL && env->cands->n_ec_groups > 0) {
            uint16_t ecdhe[TD_PROBE_MAX_SUITES];
            size_t necdhe = 0;
            for (size_t k = 0; k < pmv12->nparts; k++)
                for (size_t f = 0; f < pmv12->parts[k].nfound && necdhe < TD_PROBE_MAX_SUITES; f++)
                    if (env->kx_class(pmv12->parts[k].found[f].s.code) == TD_KXC_ECDHE)
                        ecdhe[necdhe++] = pmv12->parts[k].found[f].s.code;
            if (necdhe > 0) {
                ng12 = group_parts(&e, &g12, best12, false, ecdhe, necdhe, env->cands->ec_groups,
                                   env->cands->n_ec_groups);
                res->groups.probed12 = ng12 > 0;
                for (size_t k = 0; k < ng12; k++)
                    jobs[njobs++] = (struct td_job){group_run, &g12[k]};
            }
        }
        if (o->extensions && xj == NULL && pmv12 != NULL) {
            xj = td_calloc(1, sizeof(*xj));
            if (xj != NULL) {
                xj->e = &e;
                xj->vi = best12;
                for (size_t k = 0; k < pmv12->nparts; k++)
                    for (size_t f = 0; f < pmv12->parts[k].nfound && xj->nsuites < TD_PROBE_MAX_SUITES; f++)
                        xj->suites[xj->nsuites++] = pmv12->parts[k].found[f].s.code;
                jobs[njobs++] = (struct td_job){ext_run, xj};
            }
        }
    }
    /* Certificates not fetched in stage 1 (no TLS 1.3 in that view): the
     * cleartext one of the newest version's suite probes, else a fetch. */
    for (int m = 0; m < TD_SNI__COUNT; m++) {
        if (o->certs && env->cert != NULL && res->view[m].used && !certs[m].pushed &&
            !res->unreachable && !cert_from_probes(mvs, nmv, (enum td_sni_mode)m, &res->view[m])) {
            certs[m].pushed = true;
            jobs[njobs++] = (struct td_job){cert_run, &certs[m]};
        }
    }
    run_stage(&e, "order, groups, extensions", jobs, njobs);

    /* Derived views with server order: the first view's list holds if the
     * pair agrees with it and nothing else was found; otherwise a chain. */
    njobs = 0;
    for (size_t i = 0; i < nmv; i++) {
        struct order_job *oj = &orders[i];
        size_t si = SIZE_MAX;
        if (!oj->need_src_order)
            continue;
        for (size_t k = 0; k < nmv; k++)
            if (&mvs[k] == mvs[i].src)
                si = k;
        if (si != SIZE_MAX && src_order_holds(oj, &orders[si])) {
            emit_in_src_order(oj, &orders[si]);
        } else {
            jobs[njobs++] = (struct td_job){chain_order_run, oj};
        }
    }
    if (njobs > 0)
        run_stage(&e, "order (later SNI views)", jobs, njobs);

assemble:
    for (size_t i = 0; i < nmv; i++) {
        struct mv *mv = &mvs[i];
        struct td_scan_view *view = &res->view[mv->m];
        struct td_scan_ver *v = &view->v[mv->vi];
        for (size_t k = 0; k < mv->nparts; k++)
            obs_merge(view, &mv->parts[k].obs);
        if (orders != NULL && !res->unreachable) {
            struct order_job *oj = &orders[i];
            obs_merge(view, &oj->obs);
            v->order = oj->order;
            v->order_complete = oj->complete;
            for (size_t k = 0; k < oj->nout; k++) {
                v->suites[v->nsuites] = oj->out[k];
                v->suites[v->nsuites].leaf = oj->has_leaf[k] ? leaf_index(view, oj->leaf[k]) : -1;
                v->nsuites++;
            }
        }
    }
    for (size_t k = 0; k < ng12; k++) {
        for (size_t i = 0; i < g12[k].nout && res->groups.n_ecdhe < TD_SCAN_MAX_GROUPS; i++)
            res->groups.ecdhe[res->groups.n_ecdhe++] = g12[k].out[i];
        obs_merge(&res->view[res->primary], &g12[k].obs);
    }
    for (size_t k = 0; k < ng13; k++) {
        for (size_t i = 0; i < g13[k].nout && res->groups.n_tls13 < TD_SCAN_MAX_GROUPS; i++)
            res->groups.tls13[res->groups.n_tls13++] = g13[k].out[i];
        obs_merge(&res->view[res->primary], &g13[k].obs);
    }
    {
        const struct td_scan_view *pv = &res->view[res->primary];
        for (int vi = TD_SV_SSL3; vi < TD_SV__COUNT; vi++) {
            for (size_t k = 0; k < pv->v[vi].nsuites; k++) {
                uint16_t bits = pv->v[vi].suites[k].dh_bits;
                size_t d;
                if (bits == 0)
                    continue;
                for (d = 0; d < res->groups.n_dhe && res->groups.dhe_bits[d] != bits; d++) {
                }
                if (d == res->groups.n_dhe && d < TD_ARRAY_LEN(res->groups.dhe_bits))
                    res->groups.dhe_bits[res->groups.n_dhe++] = bits;
            }
        }
    }
    if (xj != NULL && xj->nsuites > 0 && !res->unreachable) {
        const struct td_probe_result *xm = &xj->mr, *xr = &xj->rr;
        const struct td_scan_ver *v = &res->view[res->primary].v[xj->vi];
        struct td_scan_ext *x = &res->ext;
        x->probed = true;
        x->version = vi_version[xj->vi];
        x->ems = v->ext_flags & TD_PX_EMS ? TD_TRI_YES : TD_TRI_NO;
        x->reneg = v->ext_flags & TD_PX_RENEG ? TD_TRI_YES : TD_TRI_NO;
        x->ticket = v->ext_flags & TD_PX_TICKET ? TD_TRI_YES : TD_TRI_NO;
        x->ocsp = v->ocsp_stapled ? TD_TRI_YES : TD_TRI_NO;
        x->etm = v->ext_flags & TD_PX_ETM ? TD_TRI_YES : TD_TRI_NO;
        if (xm->outcome == TD_PROBE_ACCEPTED && (xm->ext_flags & TD_PX_MFL) && xm->mfl == 1) {
            x->mfl = TD_TRI_YES;
            snprintf(x->mfl_detail, sizeof(x->mfl_detail), "512-byte fragments acknowledged");
        } else if (xm->outcome == TD_PROBE_ACCEPTED) {
            x->mfl = TD_TRI_NO;
            snprintf(x->mfl_detail, sizeof(x->mfl_detail), "%s",
                     (xm->ext_flags & TD_PX_MFL) ? "acknowledged with a different length"
                                                   : "ignored (no max_fragment_length in the ServerHello)");
        } else {
            struct td_scan_answer a;
            char why[64];
            answer_from(&a, xm);
            reject_reason(why, sizeof(why), &a);
            x->mfl = TD_TRI_NO;
            snprintf(x->mfl_detail, sizeof(x->mfl_detail), "handshake refused when asked: %s", why);
        }
        x->rsl = xr->outcome == TD_PROBE_ACCEPTED ? ((xr->ext_flags & TD_PX_RSL) ? TD_TRI_YES : TD_TRI_NO)
                                                    : TD_TRI_UNKNOWN;
    }
    sni_verdicts(res);

out:
    res->probes = atomic_load(&e.probes);
    for (size_t i = 0; i < nmv; i++) {
        td_free(mvs[i].parts);
        for (size_t k = 0; k < mvs[i].nfb; k++)
            td_free(mvs[i].fb[k]);
        td_free(mvs[i].fb);
        td_free(mvs[i].alone);
        td_free(mvs[i].acert);
        pthread_mutex_destroy(&mvs[i].mu);
    }
    td_free(e.q);
    pthread_mutex_destroy(&e.mu);
    pthread_cond_destroy(&e.cv);
    td_free(jobs);
    td_free(orders);
    td_free(fbs);
    td_free(g12);
    td_free(g13);
    td_free(xj);
}

size_t td_scan_diff(const struct td_scan_view *a, const struct td_scan_view *b, td_diff_fn fn, void *ctx)
{
    size_t n = 0;

    for (int vi = TD_SV_SSL3; vi < TD_SV__COUNT; vi++) {
        const struct td_scan_ver *x = &a->v[vi], *y = &b->v[vi];
        uint16_t ver = vi_version[vi];
        if (!x->probed || !y->probed)
            continue;
        if (x->supported != y->supported) {
            fn(ctx, "version", ver, 0, x->supported, y->supported);
            n++;
            continue;
        }
        for (size_t i = 0; i < x->nsuites; i++) {
            bool in_b = false;
            for (size_t k = 0; k < y->nsuites && !in_b; k++)
                in_b = y->suites[k].code == x->suites[i].code;
            if (!in_b) {
                fn(ctx, "suite", ver, x->suites[i].code, true, false);
                n++;
            }
        }
        for (size_t k = 0; k < y->nsuites; k++) {
            bool in_a = false;
            for (size_t i = 0; i < x->nsuites && !in_a; i++)
                in_a = y->suites[k].code == x->suites[i].code;
            if (!in_a) {
                fn(ctx, "suite", ver, y->suites[k].code, false, true);
                n++;
            }
        }
    }
    return n;
}
