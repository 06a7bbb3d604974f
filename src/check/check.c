/* The check engine (see check.h for the steps). */
#include "check/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/hex.h"
#include "core/mem.h"
#include "diag/rules.h"
#include "hello/hello.h"
#include "net/addr.h"
#include "net/conn.h"
#include "registry/registry.h"
#include "tlsio/client.h"
#include "tlsio/fetch.h"
#include "wire/certreq.h"
#include "wire/transcript.h"
#include "x509/verify.h"
#include "x509/x509.h"

#define DEFAULT_TIMEOUT_MS 8000
#define PROBE_TIMEOUT_MS 5000
#define ALL_SUITES_CAP 512

/* Everything one run needs besides the result. */
struct run {
    const struct td_check_opts *o;
    struct td_check_result *r;
    struct td_target tg;
    struct td_addrs addrs;
    const char *sni;         /* what the device sends, NULL: none */
    const char *probe_name;  /* name for the with-SNI probe, NULL: none */
    int timeout_ms;
    uint16_t all[ALL_SUITES_CAP];
    size_t nall;
    uint16_t both[ALL_SUITES_CAP + 3]; /* all + the TLS 1.3 suites */
    struct td_flight fc, fs;   /* the raw probe's flight readers */
    struct td_tls_result tls;  /* the completion */
    struct td_cert_info leaf;
    bool have_leaf;
    struct td_der chain[TD_VERIFY_MAX_CHAIN]; /* the server's chain as received (views) */
    size_t nchain;
    bool silent_without_sni; /* the generic no-SNI probe also got no answer */
};

/* ---- helpers ------------------------------------------------------------ */

static const char *keepf(struct td_check_result *r, const char *fmt, ...) TD_PRINTF(2, 3);
static const char *keepf(struct td_check_result *r, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    char *copy;

    if (r->nstrings >= TD_CHECK_MAX_STRINGS)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    copy = td_strdup(buf);
    if (copy != NULL)
        r->strings[r->nstrings++] = copy;
    return copy;
}

static void note(struct td_check_result *r, const char *fmt, ...) TD_PRINTF(2, 3);
static void note(struct td_check_result *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    if (r->nnotes >= TD_CHECK_MAX_NOTES)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    r->notes[r->nnotes] = td_strdup(buf);
    if (r->notes[r->nnotes] != NULL)
        r->nnotes++;
}

static void progress(const struct run *x, const char *fmt, ...) TD_PRINTF(2, 3);
static void progress(const struct run *x, const char *fmt, ...)
{
    va_list ap;
    if (x->o->quiet_probes)
        return;
    va_start(ap, fmt);
    fprintf(stderr, "tlsdiag check: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
}

static void fill_random(void *arg, uint8_t *buf, size_t n)
{
    (void)arg;
    while (n > 0) {
        ssize_t got = getrandom(buf, n, 0);
        if (got <= 0)
            break;
        buf += got;
        n -= (size_t)got;
    }
}

/* Transcript events past the caps are dropped (the transcript says so by
 * ending early); the check goes on. */
static void add_ev(struct td_transcript *t, enum td_ev_kind k, enum td_dir d, uint64_t t_us)
{
    td_err e = td_transcript_add(t, k, d, t_us, NULL, 0, NULL);
    (void)e;
}

static void finish(struct td_flight *fl, uint64_t t_us)
{
    td_err e = td_flight_finish(fl, t_us);
    (void)e;
}

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint64_t now_us(int64_t t0_us)
{
    int64_t d = mono_us() - t0_us;
    return d > 0 ? (uint64_t)d : 0;
}

/* Opens a TCP connection to the first address that answers. */
static enum td_net_obs open_conn(struct run *x, struct td_conn *c, int timeout_ms)
{
    struct td_net_limits lim;
    enum td_net_obs o = TD_NET_ERROR;

    td_net_limits_default(&lim);
    lim.connect_ms = timeout_ms;
    lim.first_byte_ms = timeout_ms;
    lim.total_ms = timeout_ms * 2;
    for (size_t i = 0; i < x->addrs.n; i++) {
        o = td_conn_open(c, &x->addrs.a[i], &lim, NULL);
        x->r->nprobes++;
        if (o == TD_NET_OK)
            return o;
        td_conn_close(c);
    }
    return o;
}

/* ---- step 1: the device's exact ClientHello ---------------------------- */

static td_err build_hello(struct run *x, struct td_writer *w, struct td_diag *d)
{
    const struct td_profile *p = x->r->profile;
    struct td_hello_spec spec;
    static const uint16_t tls12[] = {TD_VER_TLS12};
    static const uint16_t default_sigalgs[] = {0x0401, 0x0501, 0x0601, 0x0201, 0x0403, 0x0503, 0x0203};
    static const uint16_t default_groups[] = {23, 24};
    static const uint8_t point_formats[] = {0};
    struct td_key_share shares[2];
    size_t nshares = 0;
    bool tls13 = false, ecdhe = false;

    memset(&spec, 0, sizeof(spec));
    spec.record = true;
    if (p->versions.n != 0) {
        spec.versions = p->versions.v;
        spec.n_versions = p->versions.n;
    } else {
        spec.versions = tls12;
        spec.n_versions = 1;
        note(x->r, "the device's versions are unknown: TLS 1.2 offered");
    }
    for (size_t i = 0; i < spec.n_versions; i++)
        tls13 = tls13 || spec.versions[i] == TD_VER_TLS13;
    spec.suites = p->suites.v;
    spec.n_suites = p->suites.n;
    for (size_t i = 0; i < p->suites.n; i++) {
        const struct td_suite *s = td_reg_suite_find(p->suites.v[i]);
        ecdhe = ecdhe || (s != NULL && (s->kx == TD_KX_ECDHE || s->kx == TD_KX_ECDH || s->kx == TD_KX_ECDHE_PSK));
    }
    spec.sni = x->sni;
    if (p->groups.n != 0) {
        spec.groups = p->groups.v;
        spec.n_groups = p->groups.n;
    } else if (ecdhe || tls13) {
        spec.groups = default_groups;
        spec.n_groups = TD_ARRAY_LEN(default_groups);
        note(x->r, "the device's groups are unknown: secp256r1, secp384r1 offered");
    }
    if (ecdhe) {
        spec.point_formats = point_formats;
        spec.n_point_formats = 1;
    }
    if (p->sigalgs.n != 0) {
        spec.sigalgs = p->sigalgs.v;
        spec.n_sigalgs = p->sigalgs.n;
    } else {
        spec.sigalgs = default_sigalgs;
        spec.n_sigalgs = TD_ARRAY_LEN(default_sigalgs);
        note(x->r, "the device's signature algorithms are unknown: common RSA/ECDSA SHA-1/SHA-2 ones offered");
    }
    for (uint8_t c = 1; c <= 4; c++)
        if (p->max_fragment_length == (256 << c))
            spec.max_fragment_length = c;
    spec.ems = p->ems == TD_EXT_SENDS || p->ems == TD_EXT_CONF_DEFAULT_ON;
    spec.encrypt_then_mac = p->etm == TD_EXT_SENDS || p->etm == TD_EXT_CONF_DEFAULT_ON;
    spec.renegotiation_info = p->reneg_info == TD_EXT_SENDS || p->reneg_info == TD_EXT_CONF_DEFAULT_ON;
    spec.session_ticket = p->session_ticket == TD_EXT_SENDS || p->session_ticket == TD_EXT_CONF_DEFAULT_ON;
    spec.status_request = p->status_request == TD_EXT_SENDS || p->status_request == TD_EXT_CONF_DEFAULT_ON;
    if (tls13) {
        for (size_t i = 0; i < spec.n_groups && nshares < 1; i++) {
            const uint8_t *pub = NULL;
            size_t len = 0;
            if (td_tls_keyshare(spec.groups[i], &pub, &len) == TD_ERR_OK) {
                shares[nshares].group = spec.groups[i];
                shares[nshares].key = (struct td_bytes){.p = pub, .len = len, .off = 0};
                nshares++;
            }
        }
        spec.key_shares = shares;
        spec.n_key_shares = nshares;
        spec.session_id_len = 32;
    }
    spec.random = fill_random;
    return td_hello_build(&spec, w, d);
}

static bool kex_of(uint16_t suite, void *arg, enum td_kex *out)
{
    const struct td_suite *s = td_reg_suite_find(suite);
    (void)arg;
    if (s == NULL)
        return false;
    switch (s->kx) {
    case TD_KX_DHE: *out = s->auth == TD_AUTH_ANON ? TD_KEX_DH_ANON : TD_KEX_DHE; return true;
    case TD_KX_ECDHE: *out = s->auth == TD_AUTH_ANON ? TD_KEX_ECDH_ANON : TD_KEX_ECDHE; return true;
    case TD_KX_PSK: *out = TD_KEX_PSK; return true;
    case TD_KX_RSA_PSK: *out = TD_KEX_PSK; return true;
    case TD_KX_DHE_PSK: *out = TD_KEX_DHE_PSK; return true;
    case TD_KX_ECDHE_PSK: *out = TD_KEX_ECDHE_PSK; return true;
    default: return false;
    }
}

/* What was wrong with the server's answer, one line: the reader's verdict
 * and the first bytes as text (so "HTTP/1.1 400" shows). */
static const char *not_tls_reason(struct td_check_result *r)
{
    size_t i = td_transcript_find(&r->transcript, TD_DIR_S2C, TD_EV_MALFORMED, -1);
    const struct td_event *e;
    char msg[256], text[40];
    size_t n;

    if (i == SIZE_MAX)
        return keepf(r, "the server answered in SSLv2 framing");
    e = &r->transcript.ev[i];
    td_diag_format(&e->diag, msg, sizeof(msg));
    n = e->data_len < 24 ? e->data_len : 24;
    td_printable(e->data, n, text, sizeof(text));
    return keepf(r, "%s; the answer begins \"%s\"", msg, text);
}

/* Reads the server's flight until it is complete, refused, closed or silent. */
static void raw_probe(struct run *x)
{
    struct td_check_result *r = x->r;
    struct td_dx_attempt *att = &r->in.att;
    struct td_conn c;
    struct td_writer w;
    struct td_diag d;
    int64_t t0 = mono_us();
    enum td_net_obs o;
    uint8_t buf[16384];

    td_flight_init(&x->fc, &r->transcript, TD_DIR_C2S);
    td_flight_init(&x->fs, &r->transcript, TD_DIR_S2C);
    x->fs.kex_of = kex_of;
    td_wr_init(&w, TD_HELLO_CAP);
    td_diag_init(&d);
    o = open_conn(x, &c, x->timeout_ms);
    if (o != TD_NET_OK) {
        att->end = TD_DX_END_NO_TCP;
        att->tcp_error = td_net_obs_str(o);
        goto out;
    }
    t0 = mono_us(); /* times in the ladder count from the connection */
    if (td_transcript_add(&r->transcript, TD_EV_TCP_CONNECT, TD_DIR_C2S, now_us(t0), NULL, 0, NULL) != TD_ERR_OK)
        goto out;
    if (build_hello(x, &w, &d) != TD_ERR_OK) {
        char msg[256];
        td_diag_format(&d, msg, sizeof(msg));
        att->end = TD_DX_END_NOT_EMULATED;
        att->tls_error = keepf(r, "the device's ClientHello could not be built: %s", msg);
        goto out;
    }
    if (td_flight_feed(&x->fc, w.buf, w.len, now_us(t0)) != TD_ERR_OK)
        goto out;
    o = td_conn_send_all(&c, w.buf, w.len);
    for (;;) {
        size_t got = 0;
        enum td_ev_kind end_kind;
        if (o == TD_NET_OK)
            o = td_conn_recv(&c, buf, sizeof(buf), &got);
        if (o == TD_NET_OK) {
            if (td_flight_feed(&x->fs, buf, got, now_us(t0)) != TD_ERR_OK)
                break;
            /* Done when the server's first flight is complete or refused. */
            if ((x->fs.seen & (TD_SEEN_SHD | TD_SEEN_FATAL_ALERT | TD_SEEN_ENCRYPTED | TD_SEEN_MALFORMED |
                               TD_SEEN_SSLV2)) != 0) {
                /* Bytes that are not TLS (plain HTTP, garbage, SSLv2) end the attempt: nothing completed. */
                att->end = (x->fs.seen & TD_SEEN_FATAL_ALERT)                        ? TD_DX_END_ALERT_RECEIVED
                           : (x->fs.seen & (TD_SEEN_MALFORMED | TD_SEEN_SSLV2)) != 0 ? TD_DX_END_NOT_TLS
                                                                                     : TD_DX_END_COMPLETED;
                if (att->end == TD_DX_END_NOT_TLS)
                    att->tls_error = not_tls_reason(r);
                add_ev(&r->transcript, TD_EV_CLOSED_BY_US, TD_DIR_C2S, now_us(t0));
                break;
            }
            continue;
        }
        att->end = o == TD_NET_CLOSED ? TD_DX_END_CLOSED
                   : o == TD_NET_RESET ? TD_DX_END_RESET
                                       : TD_DX_END_TIMEOUT;
        if (x->fs.seen & TD_SEEN_FATAL_ALERT)
            att->end = TD_DX_END_ALERT_RECEIVED;
        end_kind = o == TD_NET_CLOSED ? TD_EV_TCP_FIN : o == TD_NET_RESET ? TD_EV_TCP_RST : TD_EV_TIMEOUT;
        finish(&x->fs, now_us(t0));
        add_ev(&r->transcript, end_kind, TD_DIR_S2C, now_us(t0));
        break;
    }
out:
    td_conn_close(&c);
    td_wr_free(&w);
}

/* What the server's flight said, into the attempt facts. */
static void facts_from_flight(struct run *x, const struct td_flight *fs, const struct td_transcript *t)
{
    struct td_check_result *r = x->r;
    struct td_dx_attempt *att = &r->in.att;
    struct td_server_hello sh;
    struct td_alert a;
    struct td_diag d;

    if ((fs->seen & TD_SEEN_SERVER_HELLO) && td_flight_server_hello(fs, &sh, &d) == TD_ERR_OK && !sh.hrr) {
        att->server_hello = true;
        att->version = sh.version;
        att->suite = sh.cipher_suite;
        att->mfl_echoed = td_exts_has(&sh.ext, 1);
    }
    att->cert_request = att->cert_request || (fs->seen & TD_SEEN_CERTREQ) != 0;
    if (td_flight_alert(fs, &a) && att->alert < 0)
        att->alert = a.description;
    if ((fs->seen & TD_SEEN_SKE) && att->server_hello) {
        enum td_kex kex;
        struct td_ske ske;
        char gb[TD_REG_NAMEBUF];
        if (kex_of(att->suite, NULL, &kex) && td_flight_ske(fs, kex, &ske, &d) == TD_ERR_OK) {
            if (kex == TD_KEX_DHE || kex == TD_KEX_DH_ANON || kex == TD_KEX_DHE_PSK)
                att->dh_bits = (int)ske.dh_p_bits;
            else if (ske.named_curve != 0)
                att->ecdh_group = keepf(r, "%s", td_reg_group_name(ske.named_curve, gb));
        }
    }
    for (size_t i = 0; i < t->count; i++) {
        const struct td_event *e = &t->ev[i];
        if (e->kind == TD_EV_RECORD && e->dir == TD_DIR_S2C && e->data_len >= 5) {
            size_t len = ((size_t)e->data[3] << 8) | e->data[4];
            if (len > att->max_record_in)
                att->max_record_in = len;
        }
    }
}

/* The chain, from the raw probe's Certificate or the chain OpenSSL
 * received (TLS 1.3 encrypts the Certificate message); the leaf described
 * by x509/. */
static void cert_facts(struct run *x)
{
    struct td_check_result *r = x->r;
    struct td_dx_cert *c = &r->in.att.cert;
    struct td_certificate cm;
    struct td_cert_entry e;
    struct td_diag d;
    char why[256];

    x->nchain = 0;
    if ((x->fs.seen & TD_SEEN_CERTIFICATE) && td_flight_certificate(&x->fs, &cm, &d) == TD_ERR_OK) {
        for (size_t i = 0; i < cm.count && x->nchain < TD_VERIFY_MAX_CHAIN && td_cert_at(&cm, i, &e); i++)
            x->chain[x->nchain++] = (struct td_der){.p = e.der.p, .len = e.der.len};
        c->ncerts = cm.count;
        c->chain_bytes = cm.total_der;
    } else if (x->tls.nchain != 0) {
        for (size_t i = 0; i < x->tls.nchain && x->nchain < TD_VERIFY_MAX_CHAIN; i++) {
            x->chain[x->nchain++] = (struct td_der){.p = x->tls.chain[i], .len = x->tls.chain_len[i]};
            c->chain_bytes += x->tls.chain_len[i];
        }
        c->ncerts = x->tls.nchain;
    }
    if (x->nchain == 0 || td_x509_cert_describe(x->chain[0].p, x->chain[0].len, &x->leaf, why, sizeof(why)) != TD_ERR_OK)
        return;
    x->have_leaf = true;
    c->present = true;
    c->subject = keepf(r, "%s", x->leaf.subject != NULL ? x->leaf.subject : "?");
    c->cn = x->leaf.ncn != 0 ? keepf(r, "%s", x->leaf.cn[0]) : NULL;
    c->cn_len = x->leaf.ncn != 0 ? strlen(x->leaf.cn[0]) : 0;
    c->cn_is_ip = x->leaf.ncn != 0 && td_x509_is_ip(x->leaf.cn[0]);
    if (x->leaf.ndns + x->leaf.nip != 0) {
        char san[512];
        size_t used = 0;
        for (size_t i = 0; i < x->leaf.ndns + x->leaf.nip; i++) {
            bool dns = i < x->leaf.ndns;
            int w = snprintf(san + used, sizeof(san) - used, "%s%s:%s", used ? ", " : "", dns ? "DNS" : "IP",
                             dns ? x->leaf.dns[i] : x->leaf.ip[i - x->leaf.ndns]);
            if (w < 0 || (size_t)w >= sizeof(san) - used)
                break;
            used += (size_t)w;
        }
        c->san = keepf(r, "%s", san);
    }
    c->key_type = keepf(r, "%s", x->leaf.key.type);
    c->key_bits = x->leaf.key.bits;
    c->curve = x->leaf.key.curve[0] != '\0' ? keepf(r, "%s", x->leaf.key.curve) : NULL;
    c->self_signed = x->leaf.self_signed;
    {
        char nb[40], na[40];
        td_x509_time_format(x->leaf.not_before, nb, sizeof(nb));
        td_x509_time_format(x->leaf.not_after, na, sizeof(na));
        c->not_before = keepf(r, "%s", nb);
        c->not_after = keepf(r, "%s", na);
    }
    c->fingerprint = keepf(r, "%s", x->leaf.sha256);
}

/* ---- step 2: complete the handshake with OpenSSL ------------------------ */

static void tls_cfg_for_device(const struct run *x, struct td_tls_client_cfg *cfg)
{
    const struct td_profile *p = x->r->profile;
    uint16_t lo = 0, hi = 0;

    memset(cfg, 0, sizeof(*cfg));
    cfg->suites = p->suites.v;
    cfg->nsuites = p->suites.n;
    for (size_t i = 0; i < p->versions.n; i++) {
        if (lo == 0 || td_reg_version_cmp(p->versions.v[i], lo) < 0)
            lo = p->versions.v[i];
        if (td_reg_version_cmp(p->versions.v[i], hi) > 0)
            hi = p->versions.v[i];
    }
    cfg->min_version = lo != 0 ? lo : TD_VER_TLS12;
    cfg->max_version = hi != 0 ? hi : TD_VER_TLS12;
    cfg->sni = x->sni;
    cfg->groups = p->groups.v;
    cfg->ngroups = p->groups.n;
    cfg->sigalgs = p->sigalgs.v;
    cfg->nsigalgs = p->sigalgs.n;
    cfg->max_fragment_length = x->r->in.dev.mfl_code;
    cfg->no_session_ticket = !(p->session_ticket == TD_EXT_SENDS || p->session_ticket == TD_EXT_CONF_DEFAULT_ON);
    cfg->no_ems = !(p->ems == TD_EXT_SENDS || p->ems == TD_EXT_CONF_DEFAULT_ON);
    cfg->no_etm = !(p->etm == TD_EXT_SENDS || p->etm == TD_EXT_CONF_DEFAULT_ON);
    cfg->client_cert_file = x->o->client_cert;
    cfg->client_key_file = x->o->client_key;
    cfg->timeout_ms = x->timeout_ms;
}

/* Runs one OpenSSL handshake on a fresh connection. false: no TCP. */
static bool tls_attempt(struct run *x, const struct td_tls_client_cfg *cfg, struct td_tls_result *res, td_err *err)
{
    struct td_conn c;
    bool ok = false;

    td_tls_result_init(res);
    *err = TD_ERR_OK;
    if (open_conn(x, &c, cfg->timeout_ms) == TD_NET_OK) {
        *err = td_tls_client_handshake(c.fd, cfg, res);
        ok = true;
    }
    td_conn_close(&c);
    return ok;
}

/* The completion's captured bytes, replayed into its own transcript. */
static void completion_transcript(struct run *x)
{
    struct td_check_result *r = x->r;
    struct td_flight fc, fs;
    enum td_ev_kind end;

    td_flight_init(&fc, &r->completion, TD_DIR_C2S);
    td_flight_init(&fs, &r->completion, TD_DIR_S2C);
    fs.kex_of = kex_of;
    if (td_transcript_add(&r->completion, TD_EV_TCP_CONNECT, TD_DIR_C2S, 0, NULL, 0, NULL) != TD_ERR_OK)
        goto out;
    for (size_t i = 0; i < x->tls.nchunks; i++) {
        const struct td_tls_chunk *ch = &x->tls.chunks[i];
        const struct td_writer *w = ch->from_server ? &x->tls.recv : &x->tls.sent;
        struct td_flight *fl = ch->from_server ? &fs : &fc;
        if (ch->off + ch->len > w->len)
            break;
        if (ch->from_server && fc.version == 0 && fs.version != 0)
            td_flight_set_version(&fc, fs.version, fs.suite);
        if (td_flight_feed(fl, w->buf + ch->off, ch->len, ch->t_us) != TD_ERR_OK)
            break;
        if (!ch->from_server && fs.version != 0)
            td_flight_set_version(&fc, fs.version, fs.suite);
    }
    end = x->tls.end == TD_TLS_END_TIMEOUT ? TD_EV_TIMEOUT
          : x->tls.end == TD_TLS_END_RESET ? TD_EV_TCP_RST
          : x->tls.eof                     ? TD_EV_TCP_FIN
                                           : TD_EV_CLOSED_BY_US;
    finish(&fs, (uint64_t)(x->tls.elapsed_ms * 1000.0));
    add_ev(&r->completion, end, end == TD_EV_CLOSED_BY_US ? TD_DIR_C2S : TD_DIR_S2C,
           (uint64_t)(x->tls.elapsed_ms * 1000.0));
out:
    td_flight_free(&fc);
    td_flight_free(&fs);
}

static enum td_dx_end end_of(enum td_tls_end e)
{
    switch (e) {
    case TD_TLS_END_COMPLETED: return TD_DX_END_COMPLETED;
    case TD_TLS_END_ALERT_RECEIVED: return TD_DX_END_ALERT_RECEIVED;
    case TD_TLS_END_ALERT_SENT: return TD_DX_END_ALERT_SENT;
    case TD_TLS_END_CLOSED: return TD_DX_END_CLOSED;
    case TD_TLS_END_RESET: return TD_DX_END_RESET;
    case TD_TLS_END_TIMEOUT: return TD_DX_END_TIMEOUT;
    case TD_TLS_END_LOCAL: return TD_DX_END_NOT_EMULATED;
    default: return TD_DX_END_NOT_EMULATED;
    }
}

static void complete(struct run *x)
{
    struct td_check_result *r = x->r;
    struct td_dx_attempt *att = &r->in.att;
    struct td_tls_client_cfg cfg;
    td_err err;

    tls_cfg_for_device(x, &cfg);
    progress(x, "completing the handshake with OpenSSL as the device");
    if (!tls_attempt(x, &cfg, &x->tls, &err))
        return;
    r->completion_run = true;
    if (err != TD_ERR_OK) {
        snprintf(r->completion_note, sizeof(r->completion_note), "OpenSSL could not be set up as the device: %s",
                 x->tls.error);
        return;
    }
    completion_transcript(x);
    r->completed = x->tls.end == TD_TLS_END_COMPLETED;
    att->end = end_of(x->tls.end);
    att->tls_error = keepf(r, "%s", x->tls.error);
    att->nunemulated = x->tls.nunmapped;
    att->cert_request = att->cert_request || x->tls.client_cert_requested;
    if (x->tls.alert_received >= 0)
        att->alert = x->tls.alert_received;
    else if (x->tls.alert_sent >= 0 && att->end == TD_DX_END_ALERT_SENT)
        att->alert = x->tls.alert_sent;
    if (att->dh_bits == 0 && x->tls.tmp_key_name[0] != '\0' && strcmp(x->tls.tmp_key_name, "DH") == 0)
        att->dh_bits = x->tls.tmp_key_bits;
    if (att->ecdh_group == NULL && x->tls.tmp_key_name[0] != '\0' && strcmp(x->tls.tmp_key_name, "DH") != 0)
        att->ecdh_group = keepf(r, "%s", x->tls.tmp_key_name);
    if (!att->server_hello && x->tls.suite != 0) {
        att->server_hello = true;
        att->version = x->tls.version;
        att->suite = x->tls.suite;
    }
    if (x->tls.nunmapped != 0)
        snprintf(r->completion_note, sizeof(r->completion_note),
                 "%zu of the device's suites are unknown to this OpenSSL and were left out of the completion",
                 x->tls.nunmapped);
}

/* ---- step 3: the certificate as the device would judge it --------------- */

static void verify_as_device(struct run *x)
{
    struct td_check_result *r = x->r;
    struct td_dx_verify *v = &r->in.ver;
    int level = r->in.dev.level;
    struct td_x509_file ca;
    struct td_der cas[TD_X509_MAX_OBJS];
    size_t nca = 0;
    struct td_verify_req req;
    struct td_verify_result *res = NULL;
    char msg[512];
    enum td_tri name_check;
    const char *name_src;

    memset(&ca, 0, sizeof(ca));
    v->level = level;
    v->name_checked = x->tg.host;
    if (!r->in.att.cert.present || x->nchain == 0) {
        v->step = TD_DX_V_NOT_DONE;
        return;
    }
    if (level <= 0) {
        /* Level 0 accepts anything; an unknown level is reported by the
         * level-unknown rule, not guessed. */
        v->step = TD_DX_V_NONE;
        return;
    }
    if (r->in.dev.ca_file == NULL) {
        v->step = TD_DX_V_UNTRUSTED;
        v->explanation = keepf(r, "level %d needs a CA file and none is configured on the device (--ca FILE)", level);
        return;
    }
    if (td_x509_load_file(r->in.dev.ca_file, &ca, msg, sizeof(msg)) != TD_ERR_OK) {
        v->step = TD_DX_V_OTHER;
        v->explanation = keepf(r, "the CA file cannot be used: %s", msg);
        goto out;
    }
    for (size_t i = 0; i < ca.ncerts && nca < TD_X509_MAX_OBJS; i++) {
        const struct td_x509_obj *o = td_x509_cert_at(&ca, i);
        if (o != NULL)
            cas[nca++] = (struct td_der){.p = o->der, .len = o->der_len};
    }
    res = td_calloc(1, sizeof(*res));
    if (res == NULL)
        goto out;
    memset(&req, 0, sizeof(req));
    req.chain = x->chain;
    req.nchain = x->nchain;
    req.cas = cas;
    req.nca = nca;
    req.host = x->tg.host;
    req.level = level;
    req.at = time(NULL);
    /* The name check the profile documents (validation.cn_only_name_check):
     * the CN alone where it says so (u-blox level 2: "the server certificate
     * common name must match"), the standard SAN-first check where it says
     * not. Unknown: the CN alone, and a verdict that differs between the two
     * says it rests on that unknown (below). */
    name_check = r->profile->cn_only_name_check;
    name_src = r->profile->facts[TD_PF_CN_ONLY_NAME_CHECK].source;
    req.policy = name_check == TD_TRI_NO ? TD_NAME_STANDARD : TD_NAME_CN_ONLY;
    if (td_x509_verify(&req, res) != TD_ERR_OK) {
        v->step = TD_DX_V_OTHER;
        v->explanation = keepf(r, "%s", res->reason);
        goto out;
    }
    v->explanation = res->reason[0] != '\0' ? keepf(r, "%s", res->reason) : NULL;
    switch (res->failed) {
    case TD_VSTEP_NONE: v->step = TD_DX_V_NONE; break;
    case TD_VSTEP_CHAIN: v->step = TD_DX_V_UNTRUSTED; break;
    case TD_VSTEP_NAME: v->step = TD_DX_V_NAME; break;
    case TD_VSTEP_DATES: v->step = res->expired ? TD_DX_V_EXPIRED : TD_DX_V_NOT_YET_VALID; break;
    default: v->step = TD_DX_V_OTHER; break;
    }
    if (level >= 2 && res->std_match >= 0 && res->cn_only_match >= 0 && res->std_match != res->cn_only_match) {
        if (name_check == TD_TRI_NO)
            note(r,
                 "level 2 was judged with the standard check (subjectAltName first, RFC 6125), as the profile "
                 "states (%s); a CN-only check would %s the name %s",
                 name_src != NULL ? name_src : "no source", res->cn_only_match ? "accept" : "reject", x->tg.host);
        else
            note(r,
                 "level 2 was judged on the CN alone (%s: %s); a standard checker (subjectAltName first, "
                 "RFC 6125) would %s the name %s",
                 name_check == TD_TRI_YES ? "as the profile states"
                                          : "the profile marks the device's name check unknown",
                 name_src != NULL ? name_src : "no source", res->std_match ? "accept" : "reject", x->tg.host);
        if (name_check == TD_TRI_UNKNOWN && res->failed == TD_VSTEP_NAME)
            v->explanation = keepf(r,
                                   "%s\nthis verdict depends on facts the profile marks unknown: "
                                   "validation.cn_only_name_check (whether the device compares the CN or the "
                                   "subjectAltName)",
                                   v->explanation != NULL ? v->explanation : "");
    }
out:
    td_free(res);
    td_x509_file_free(&ca);
}

/* ---- step 4: server facts ---------------------------------------------- */

static void generic_cfg(struct run *x, struct td_tls_client_cfg *cfg, uint16_t v_lo, uint16_t v_hi)
{
    static const uint16_t tls13[] = {0x1301, 0x1302, 0x1303};
    memset(cfg, 0, sizeof(*cfg));
    memcpy(x->both, x->all, x->nall * sizeof(uint16_t));
    memcpy(x->both + x->nall, tls13, sizeof(tls13));
    cfg->suites = x->both;
    cfg->nsuites = x->nall + 3;
    cfg->min_version = v_lo;
    cfg->max_version = v_hi;
    cfg->timeout_ms = x->timeout_ms < PROBE_TIMEOUT_MS ? x->timeout_ms : PROBE_TIMEOUT_MS;
}

static void probe_versions(struct run *x, const char *sni)
{
    static const uint16_t vs[] = {TD_VER_TLS10, TD_VER_TLS11, TD_VER_TLS12, TD_VER_TLS13};
    struct td_dx_server *s = &x->r->in.srv;
    struct td_tls_client_cfg cfg;
    struct td_tls_result res;
    td_err err;
    bool any_tcp = false;

    progress(x, "probing the server's protocol versions");
    s->nversions = 0;
    for (size_t i = 0; i < TD_ARRAY_LEN(vs); i++) {
        generic_cfg(x, &cfg, vs[i], vs[i]);
        cfg.sni = sni;
        if (tls_attempt(x, &cfg, &res, &err)) {
            any_tcp = true;
            if (err == TD_ERR_OK && res.suite != 0 && res.version == vs[i])
                s->versions[s->nversions++] = vs[i];
        }
        td_tls_result_free(&res);
    }
    /* A server that takes no version at all taught us nothing about
     * versions (it may want SNI, a client certificate, ...). */
    s->versions_known = any_tcp && s->nversions != 0 ? TD_DX_YES : TD_DX_UNKNOWN;
}

/* The server's TLS <= 1.2 suites in its preference order: offer every
 * suite OpenSSL has, note the choice, take it out, repeat. */
static void probe_suites(struct run *x, const char *sni)
{
    struct td_dx_server *s = &x->r->in.srv;
    uint16_t left[ALL_SUITES_CAP];
    size_t nleft = x->nall;
    uint16_t v = 0;
    struct td_tls_client_cfg cfg;
    struct td_tls_result res;
    td_err err;

    for (size_t i = 0; i < s->nversions; i++)
        if (s->versions[i] != TD_VER_TLS13 && td_reg_version_cmp(s->versions[i], v) > 0)
            v = s->versions[i];
    if (v == 0) {
        s->suites_known = s->versions_known == TD_DX_YES ? TD_DX_YES : TD_DX_UNKNOWN; /* no TLS <= 1.2 at all */
        s->nsuites = 0;
        return;
    }
    progress(x, "enumerating the server's cipher suites (%s)", v == TD_VER_TLS12 ? "TLS 1.2" : "TLS 1.0/1.1");
    memcpy(left, x->all, nleft * sizeof(uint16_t));
    s->nsuites = 0;
    while (nleft > 0 && s->nsuites < TD_DX_MAX_SUITES) {
        bool found = false;
        memset(&cfg, 0, sizeof(cfg));
        cfg.suites = left;
        cfg.nsuites = nleft;
        cfg.min_version = v;
        cfg.max_version = v;
        cfg.sni = sni;
        cfg.timeout_ms = x->timeout_ms < PROBE_TIMEOUT_MS ? x->timeout_ms : PROBE_TIMEOUT_MS;
        if (!tls_attempt(x, &cfg, &res, &err) || err != TD_ERR_OK || res.suite == 0) {
            td_tls_result_free(&res);
            break;
        }
        s->suites[s->nsuites++] = res.suite;
        for (size_t i = 0; i < nleft; i++)
            if (left[i] == res.suite) {
                left[i] = left[--nleft];
                found = true;
                break;
            }
        td_tls_result_free(&res);
        if (!found)
            break; /* the server chose something not offered: stop rather than loop */
    }
    s->suites_known = TD_DX_YES;
}

/* With and without SNI: does the server need it, and does the certificate change? */
static void probe_sni(struct run *x)
{
    struct td_dx_server *s = &x->r->in.srv;
    struct td_tls_client_cfg cfg;
    struct td_tls_result with, without;
    struct td_cert_info ci;
    char fp_without[96] = "", why[128];
    td_err err;

    generic_cfg(x, &cfg, TD_VER_TLS10, TD_VER_TLS13);
    progress(x, "connecting without SNI%s%s", x->probe_name ? " and with SNI " : "", x->probe_name ? x->probe_name : "");
    if (tls_attempt(x, &cfg, &without, &err) && err == TD_ERR_OK) {
        s->ok_without_sni = without.end == TD_TLS_END_COMPLETED ? TD_DX_YES : TD_DX_NO;
        x->silent_without_sni = without.end == TD_TLS_END_TIMEOUT;
        s->alert_without_sni = without.alert_received;
        if (without.nchain != 0 &&
            td_x509_cert_describe(without.chain[0], without.chain_len[0], &ci, why, sizeof(why)) == TD_ERR_OK) {
            s->key_type = keepf(x->r, "%s", ci.key.type);
            s->key_bits = ci.key.bits;
            s->cn_without_sni = keepf(x->r, "%s", ci.ncn != 0 ? ci.cn[0] : "(none)");
            snprintf(fp_without, sizeof(fp_without), "%s", ci.sha256);
            td_x509_cert_info_free(&ci);
        }
    }
    td_tls_result_free(&without);
    if (x->probe_name == NULL)
        return;
    s->probe_name = x->probe_name;
    cfg.sni = x->probe_name;
    if (tls_attempt(x, &cfg, &with, &err) && err == TD_ERR_OK) {
        s->ok_with_sni = with.end == TD_TLS_END_COMPLETED ? TD_DX_YES : TD_DX_NO;
        if (with.nchain != 0 && td_x509_cert_describe(with.chain[0], with.chain_len[0], &ci, why, sizeof(why)) == TD_ERR_OK) {
            s->cn_with_sni = keepf(x->r, "%s", ci.ncn != 0 ? ci.cn[0] : "(none)");
            if (s->key_type == NULL) {
                s->key_type = keepf(x->r, "%s", ci.key.type);
                s->key_bits = ci.key.bits;
            }
            if (fp_without[0] != '\0')
                s->cert_differs = strcmp(ci.sha256, fp_without) != 0 ? TD_DX_YES : TD_DX_NO;
            td_x509_cert_info_free(&ci);
        }
    }
    td_tls_result_free(&with);
}

/* ---- the run ------------------------------------------------------------ */

static td_err load_profile(const struct td_check_opts *o, struct td_check_result *r, char *err, size_t cap)
{
    struct td_profile_error pe;
    char msg[600];
    td_err ret;

    memset(&pe, 0, sizeof(pe));
    if (o->device_file != NULL)
        ret = td_profile_load_file(o->device_file, &r->profile, &pe);
    else if (o->device != NULL)
        ret = td_profile_load_builtin(o->device, &r->profile, &pe);
    else {
        snprintf(err, cap, "--device NAME or --device-file FILE is required (see 'tlsdiag devices')");
        return TD_ERR_USAGE;
    }
    if (ret != TD_ERR_OK) {
        td_profile_error_format(&pe, msg, sizeof(msg));
        if (ret == TD_ERR_NOTFOUND)
            snprintf(err, cap, "no device profile named '%s' (see 'tlsdiag devices')", o->device);
        else
            snprintf(err, cap, "%s", msg);
        return ret == TD_ERR_NOTFOUND ? TD_ERR_NOTFOUND : TD_ERR_INPUT;
    }
    return TD_ERR_OK;
}

static td_err check_file(const char *what, const char *path, char *err, size_t cap)
{
    struct stat st;

    if (path != NULL && access(path, R_OK) != 0) {
        snprintf(err, cap, "%s %s: cannot be read", what, path);
        return TD_ERR_INPUT;
    }
    if (path != NULL && (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
        snprintf(err, cap, "%s %s: not a regular file", what, path);
        return TD_ERR_INPUT;
    }
    return TD_ERR_OK;
}

/* The client certificate and key are loaded by OpenSSL as PEM only when
 * the completion runs; a file it cannot use is an input error now, before
 * anything is sent, not a note after a verdict that never used it. */
static td_err check_client_files(const char *cert, const char *key, char *err, size_t cap)
{
    struct td_x509_file cf, kf;
    char msg[400];
    td_err ret = TD_ERR_INPUT;
    int match;

    memset(&cf, 0, sizeof(cf));
    memset(&kf, 0, sizeof(kf));
    if (cert == NULL)
        return TD_ERR_OK;
    if (td_x509_load_file(cert, &cf, msg, sizeof(msg)) != TD_ERR_OK) {
        snprintf(err, cap, "--client-cert %s", msg);
        goto out;
    }
    if (!cf.pem || cf.ncerts == 0) {
        snprintf(err, cap, "--client-cert %s: %s", cert,
                 !cf.pem ? "not PEM (convert with 'openssl x509 -in FILE -out FILE.pem')" : "holds no certificate");
        goto out;
    }
    if (td_x509_load_file(key, &kf, msg, sizeof(msg)) != TD_ERR_OK) {
        snprintf(err, cap, "--client-key %s", msg);
        goto out;
    }
    if (!kf.pem || td_x509_first_key(&kf) == NULL) {
        snprintf(err, cap, "--client-key %s: %s", key,
                 !kf.pem ? "not PEM (convert with 'openssl pkey -in FILE -out FILE.pem')" : "holds no private key");
        goto out;
    }
    match = td_x509_key_matches(td_x509_cert_at(&cf, 0), td_x509_first_key(&kf));
    if (match == 0) {
        snprintf(err, cap, "--client-key %s: does not belong to the first certificate of %s (their public keys differ)",
                 key, cert);
        goto out;
    }
    ret = TD_ERR_OK;
out:
    td_x509_file_free(&cf);
    td_x509_file_free(&kf);
    return ret;
}

td_err td_check_run(const struct td_check_opts *o, struct td_check_result *r, char *err, size_t cap)
{
    td_err ret = TD_ERR_OK;
    struct run *x = td_calloc(1, sizeof(*x));
    char msg[256];
    int64_t t0 = td_net_now_ms();
    bool pass = false;

    err[0] = '\0';
    ENSURE(x != NULL, TD_ERR_NOMEM);
    x->o = o;
    x->r = r;
    td_tls_result_init(&x->tls);
    x->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS;

    /* Options and inputs first: nothing is sent if any is wrong. */
    if (o->level < -1 || o->level > 3) {
        snprintf(err, cap, "--level %d: must be 0, 1, 2 or 3", o->level);
        ret = TD_ERR_USAGE;
        goto out;
    }
    if (o->sni != NULL && o->no_sni) {
        snprintf(err, cap, "--sni and --no-sni exclude each other");
        ret = TD_ERR_USAGE;
        goto out;
    }
    if (o->sni != NULL && (o->sni[0] == '\0' || td_hello_is_ip_literal(o->sni))) {
        snprintf(err, cap, "--sni %s: SNI must be a host name, never an IP address (RFC 6066 section 3)", o->sni);
        ret = TD_ERR_USAGE;
        goto out;
    }
    if ((o->client_cert == NULL) != (o->client_key == NULL)) {
        snprintf(err, cap, "--client-cert and --client-key go together");
        ret = TD_ERR_USAGE;
        goto out;
    }
    TRY(check_file("--ca", o->ca_file, err, cap));
    TRY(check_file("--client-cert", o->client_cert, err, cap));
    TRY(check_file("--client-key", o->client_key, err, cap));
    TRY(check_client_files(o->client_cert, o->client_key, err, cap));
    if (o->target == NULL || td_target_parse(o->target, 443, &x->tg, msg, sizeof(msg)) != TD_ERR_OK) {
        snprintf(err, cap, "target %s: %s", o->target != NULL ? o->target : "(none)", o->target ? msg : "missing");
        ret = TD_ERR_USAGE;
        goto out;
    }
    TRY(load_profile(o, r, err, cap));
    if (r->profile->suites.n == 0) {
        snprintf(err, cap,
                 "device %s: its profile lists no cipher suites, so its ClientHello cannot be built "
                 "(give the device's suites in a profile with --device-file)",
                 r->profile->name);
        ret = TD_ERR_INPUT;
        goto out;
    }
    if (td_net_resolve(&x->tg, AF_UNSPEC, &x->addrs, msg, sizeof(msg)) != TD_ERR_OK) {
        snprintf(err, cap, "target %s: %s", o->target, msg);
        ret = TD_ERR_INPUT;
        goto out;
    }
    snprintf(r->target, sizeof(r->target), "%s:%u", x->tg.host, x->tg.port);
    r->in.target = r->target;
    r->in.host = x->tg.host;
    td_check_device_facts(r->profile, o, &r->in.dev, r);

    /* What the device sends as SNI: the configured name, or the host it
     * connects to when it sends SNI by itself; never an IP literal. */
    if (o->sni != NULL)
        x->sni = o->sni;
    else if (r->in.dev.sends_sni == TD_DX_YES && !x->tg.is_ip)
        x->sni = x->tg.host;
    if (r->in.dev.sends_sni == TD_DX_YES && x->sni == NULL)
        note(r, "the device would send SNI, but the target is an IP address: no SNI sent (RFC 6066)");
    if (r->in.dev.sends_sni == TD_DX_UNKNOWN && o->sni == NULL)
        note(r, "whether the device sends SNI is unknown: none sent (use --sni NAME to send one)");
    r->in.att.sni_sent = x->sni;
    x->probe_name = o->sni != NULL ? o->sni : !x->tg.is_ip ? x->tg.host : NULL;
    x->nall = td_tls_ossl_suites(x->all, ALL_SUITES_CAP);

    /* 1. The device's exact ClientHello. */
    progress(x, "sending %s's ClientHello to %s", r->profile->name, r->target);
    raw_probe(x);
    facts_from_flight(x, &x->fs, &r->transcript);

    /* 2. Complete it with OpenSSL where the server went on. */
    if (r->in.att.end == TD_DX_END_COMPLETED && r->in.att.server_hello)
        complete(x);
    cert_facts(x);

    /* 3. The certificate as the device would judge it. */
    verify_as_device(x);

    /* 4. Server facts the verdict depends on. */
    if (r->in.att.end != TD_DX_END_NO_TCP) {
        const char *sni = x->sni;
        if (r->in.dev.sends_sni != TD_DX_YES || x->sni == NULL)
            probe_sni(x);
        /* A server that needs SNI is asked about its versions and suites
         * for the name: that is the configuration to change. */
        if (sni == NULL && r->in.srv.ok_without_sni == TD_DX_NO && r->in.srv.ok_with_sni == TD_DX_YES)
            sni = x->probe_name;
        /* A server silent to the device and to OpenSSL's generic hello
         * would only make each version probe wait out its deadline too. */
        bool silent = r->in.att.end == TD_DX_END_TIMEOUT && !r->in.att.server_hello && x->silent_without_sni;
        if (silent)
            note(r, "the server answered neither the device's hello nor a generic one: its versions and suites "
                    "were not probed");
        if (!r->in.att.server_hello && !silent) {
            probe_versions(x, sni);
            probe_suites(x, sni);
        }
    }

    /* 5. The rules. */
    TRY(td_diag_run(&r->in, &r->findings, &pass));
    r->pass = pass;
out:
    r->elapsed_ms = (double)(td_net_now_ms() - t0);
    if (x != NULL) {
        td_flight_free(&x->fc);
        td_flight_free(&x->fs);
        td_tls_result_free(&x->tls);
        if (x->have_leaf)
            td_x509_cert_info_free(&x->leaf);
        td_free(x);
    }
    if (ret == TD_ERR_NOMEM && err[0] == '\0')
        snprintf(err, cap, "out of memory");
    return ret;
}
