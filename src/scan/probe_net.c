#include "scan/probe_net.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "core/hex.h"
#include "core/writer.h"
#include "hello/hello.h"
#include "registry/registry.h"
#include "tlsio/fetch.h"
#include "wire/transcript.h"

/* Every EC curve and FFDHE group of the registry that servers pick for
 * TLS <= 1.2 ECDHE/DHE (RFC 8422 5.1.1, RFC 7919), most common first. */
const uint16_t td_probe_groups12[] = {
    0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x001a, 0x001b, 0x001c, 0x0016, 0x0015, 0x0014,
    0x0013, 0x0012, 0x0011, 0x0010, 0x000f, 0x000e, 0x000d, 0x000c, 0x000b, 0x000a, 0x0009,
    0x0008, 0x0007, 0x0006, 0x0005, 0x0004, 0x0003, 0x0002, 0x0001, 0x0100, 0x0101, 0x0102,
    0x0103, 0x0104, 0x001f, 0x0020, 0x0021,
};
const size_t td_probe_n_groups12 = sizeof(td_probe_groups12) / sizeof(td_probe_groups12[0]);
/* TLS 1.3 (RFC 8446 4.2.7) plus the ML-KEM hybrids servers now prefer. */
const uint16_t td_probe_groups13[] = {
    0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102, 0x0103,
    0x0104, 0x11ec, 0x11eb, 0x11ed, 0x001f, 0x0020, 0x0021, 0x0200, 0x0201, 0x0202,
};
const size_t td_probe_n_groups13 = sizeof(td_probe_groups13) / sizeof(td_probe_groups13[0]);

/* Signature schemes: TLS 1.3 ones and the TLS 1.2 (hash, sig) pairs down
 * to SHA-1, so old servers find one they can sign with. */
static const uint16_t sigalgs[] = {
    0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b,
    0x0401, 0x0501, 0x0601, 0x081a, 0x081b, 0x081c, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502,
    0x0602, 0x0203, 0x0201, 0x0202,
};
static const uint8_t point_formats[] = {0};

/* SSLv2 cipher specs (3 bytes each): RC4/RC2/IDEA/DES/3DES, export too. */
static const uint32_t sslv2_specs[] = {0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040, 0x0700C0};

static void fill_random(void *arg, uint8_t *buf, size_t n)
{
    (void)arg;
    while (n > 0) {
        ssize_t r = getrandom(buf, n, 0);
        if (r <= 0)
            break;
        buf += r;
        n -= (size_t)r;
    }
}

static bool kex_of_suite(uint16_t suite, void *arg, enum td_kex *out)
{
    const struct td_suite *s = td_reg_suite_find(suite);
    (void)arg;
    if (s == NULL)
        return false;
    switch (s->kx) {
    case TD_KX_ECDHE:
    case TD_KX_ECDH:
        if (s->kx == TD_KX_ECDH && s->auth != TD_AUTH_ANON)
            return false; /* static ECDH sends no SKE */
        *out = s->auth == TD_AUTH_ANON ? TD_KEX_ECDH_ANON : TD_KEX_ECDHE;
        return true;
    case TD_KX_DHE:
    case TD_KX_DH:
        if (s->kx == TD_KX_DH && s->auth != TD_AUTH_ANON)
            return false;
        *out = s->auth == TD_AUTH_ANON ? TD_KEX_DH_ANON : TD_KEX_DHE;
        return true;
    case TD_KX_RSA:
        if (!(s->flags & TD_SUITE_EXPORT))
            return false;
        *out = TD_KEX_RSA_EXPORT;
        return true;
    case TD_KX_PSK:
    case TD_KX_RSA_PSK:
        *out = TD_KEX_PSK;
        return true;
    case TD_KX_DHE_PSK:
        *out = TD_KEX_DHE_PSK;
        return true;
    case TD_KX_ECDHE_PSK:
        *out = TD_KEX_ECDHE_PSK;
        return true;
    default:
        return false;
    }
}

static td_err build_sslv2(struct td_writer *w)
{
    uint8_t challenge[16];
    size_t len = 9 + TD_ARRAY_LEN(sslv2_specs) * 3 + sizeof(challenge);
    td_err ret;

    fill_random(NULL, challenge, sizeof(challenge));
    /* 2-byte SSLv2 record header: high bit set, 15-bit length */
    TRY(td_wr_u16(w, (uint16_t)(0x8000u | len)));
    TRY(td_wr_u8(w, 1)); /* MSG-CLIENT-HELLO */
    TRY(td_wr_u16(w, 0x0002));
    TRY(td_wr_u16(w, (uint16_t)(TD_ARRAY_LEN(sslv2_specs) * 3)));
    TRY(td_wr_u16(w, 0)); /* session id */
    TRY(td_wr_u16(w, (uint16_t)sizeof(challenge)));
    for (size_t i = 0; i < TD_ARRAY_LEN(sslv2_specs); i++) {
        TRY(td_wr_u8(w, (uint8_t)(sslv2_specs[i] >> 16)));
        TRY(td_wr_u16(w, (uint16_t)sslv2_specs[i]));
    }
    TRY(td_wr_bytes(w, challenge, sizeof(challenge)));
out:
    return ret;
}

/* TLS 1.3 key share: a GREASE one (RFC 8701) that every server must
 * ignore, so it answers with a cheap HelloRetryRequest naming its suite and
 * group (no key exchange, no signature on its side); or a real one. */
enum share_kind { SHARE_GREASE, SHARE_REAL };
#define GREASE_GROUP 0x0A0A

static td_err build_hello(const struct td_probe_spec *s, enum share_kind sk, struct td_writer *w, struct td_diag *d)
{
    uint16_t groups13[TD_PROBE_MAX_GROUPS + 1];
    static const uint8_t grease_key[1] = {0};
    struct td_hello_spec h;
    struct td_key_share share;
    uint16_t version = s->version;
    bool tls13 = version == TD_VER_TLS13;

    memset(&h, 0, sizeof(h));
    memset(&share, 0, sizeof(share));
    h.record = true;
    h.versions = &version;
    h.n_versions = 1;
    h.suites = s->suites;
    h.n_suites = s->nsuites;
    h.random = fill_random;
    h.sni = s->sni;
    if (version == TD_VER_SSL3) {
        /* SSLv3 has no extensions (RFC 6101); signal secure renegotiation
         * with the SCSV instead (RFC 5746 3.3). */
        h.no_extensions = true;
        h.scsv_renegotiation = true;
        h.sni = NULL;
        return td_hello_build(&h, w, d);
    }
    h.groups = s->groups != NULL ? s->groups : tls13 ? td_probe_groups13 : td_probe_groups12;
    h.n_groups = s->groups != NULL ? s->ngroups : tls13 ? td_probe_n_groups13 : td_probe_n_groups12;
    h.point_formats = point_formats;
    h.n_point_formats = sizeof(point_formats);
    if (version >= TD_VER_TLS12) {
        h.sigalgs = sigalgs;
        h.n_sigalgs = TD_ARRAY_LEN(sigalgs);
    }
    h.max_fragment_length = s->mfl;
    h.record_size_limit = s->rsl;
    h.ems = true;
    h.renegotiation_info = !tls13;
    h.session_ticket = true;
    h.status_request = true;
    h.encrypt_then_mac = !tls13;
    if (tls13) {
        /* One key share, for the first offered group we can make a key
         * for: a server that likes it answers with a ServerHello, one that
         * prefers another offered group with a HelloRetryRequest naming
         * it (RFC 8446 4.1.4). Either names the suite and the group. */
        h.session_id_len = 32;
        h.psk_dhe_ke = true;
        if (sk == SHARE_GREASE && h.n_groups <= TD_PROBE_MAX_GROUPS) {
            groups13[0] = GREASE_GROUP;
            memcpy(&groups13[1], h.groups, h.n_groups * sizeof(groups13[0]));
            h.groups = groups13;
            h.n_groups++;
            share.group = GREASE_GROUP;
            share.key.p = grease_key;
            share.key.len = sizeof(grease_key);
            h.key_shares = &share;
            h.n_key_shares = 1;
        }
        for (size_t i = 0; i < h.n_groups && share.key.p == NULL; i++) {
            const uint8_t *pub;
            size_t len;
            if (td_tls_keyshare(h.groups[i], &pub, &len) == TD_ERR_OK) {
                share.group = h.groups[i];
                share.key.p = pub;
                share.key.len = len;
                h.key_shares = &share;
                h.n_key_shares = 1;
            }
        }
    }
    return td_hello_build(&h, w, d);
}

static bool offered(const struct td_probe_spec *s, uint16_t suite)
{
    for (size_t i = 0; i < s->nsuites; i++)
        if (s->suites[i] == suite)
            return true;
    return false;
}

/* Has the server said enough for this probe? */
static bool flight_done(const struct td_flight *fl, const struct td_probe_spec *s)
{
    unsigned seen = fl->seen;
    /* a warning alert (e.g. unrecognized_name from a server that then
     * goes on with its default certificate) is not the end */
    if (seen & (TD_SEEN_SSLV2 | TD_SEEN_FATAL_ALERT | TD_SEEN_MALFORMED | TD_SEEN_HRR | TD_SEEN_SHD | TD_SEEN_ENCRYPTED |
                TD_SEEN_CCS))
        return true;
    if (fl->failed)
        return true;
    /* TLS 1.3 (or a server that answered 1.3): everything after the
     * ServerHello is encrypted. */
    if ((seen & TD_SEEN_SERVER_HELLO) && (s->version == TD_VER_TLS13 || fl->version == TD_VER_TLS13))
        return true;
    return false;
}

static uint64_t since_us(int64_t t0)
{
    int64_t d = td_net_now_ms() - t0;
    return d > 0 ? (uint64_t)d * 1000u : 0;
}

static void describe_malformed(const struct td_transcript *t, struct td_probe_result *r)
{
    size_t i = td_transcript_find(t, TD_DIR_S2C, TD_EV_MALFORMED, -1);
    char why[160] = "";
    char hex[40] = "";

    if (i == SIZE_MAX)
        return;
    td_diag_format(&t->ev[i].diag, why, sizeof(why));
    for (size_t k = 0, o = 0; k < t->ev[i].data_len && k < 8 && o + 4 < sizeof(hex); k++)
        o += (size_t)snprintf(hex + o, sizeof(hex) - o, "%s%02X", k ? " " : "", t->ev[i].data[k]);
    snprintf(r->detail, sizeof(r->detail), "%.110s%s%s", why, hex[0] ? "; bytes: " : "", hex);
}

/* A CertificateRequest in a cleartext (TLS <= 1.2) flight: the server asks
 * for a client certificate. Known only if the flight was read to its
 * ServerHelloDone (the request comes before it). */
static void client_auth_from(const struct td_flight *fl, struct td_tls_cert *co)
{
    struct td_certreq cr;
    struct td_diag d;
    struct td_bytes dn;

    co->client_auth_known = (fl->seen & TD_SEEN_SHD) != 0;
    if (!(fl->seen & TD_SEEN_CERTREQ))
        return;
    co->client_auth = true;
    co->client_auth_known = true;
    td_diag_init(&d);
    if (td_flight_certreq(fl, &cr, &d) != TD_ERR_OK)
        return;
    for (size_t i = 0; td_certreq_authority_at(&cr, i, &dn); i++)
        td_tls_client_ca_add(co, dn.p, dn.len);
}

static void evaluate(const struct td_probe_spec *s, struct td_flight *fl, struct td_transcript *t,
                     struct td_probe_result *r)
{
    struct td_server_hello sh;
    struct td_diag d;
    struct td_alert alert;
    size_t i_sh = td_transcript_find(t, TD_DIR_S2C, TD_EV_HANDSHAKE, TD_HS_SERVER_HELLO);

    td_diag_init(&d);
    for (size_t i = 0; i < t->count; i++) {
        const struct td_event *e = &t->ev[i];
        if (e->kind == TD_EV_ALERT && e->dir == TD_DIR_S2C && e->alert_level == TD_ALERT_WARNING &&
            e->alert_desc != 0 /* close_notify */) {
            r->warning_alert = e->alert_desc;
            break;
        }
    }
    if (fl->seen & TD_SEEN_SSLV2) {
        r->outcome = TD_PROBE_SSLV2;
        r->version = 0x0002;
        snprintf(r->detail, sizeof(r->detail), "SSLv2 SERVER-HELLO");
        return;
    }
    if (i_sh != SIZE_MAX && td_flight_server_hello(fl, &sh, &d) == TD_ERR_OK) {
        r->version = sh.version;
        r->suite = sh.cipher_suite;
        if (!offered(s, sh.cipher_suite)) {
            char nb[TD_REG_NAMEBUF];
            r->outcome = TD_PROBE_UNOFFERED;
            snprintf(r->detail, sizeof(r->detail), "ServerHello chose 0x%04X (%s), which was not offered",
                     (unsigned)sh.cipher_suite, td_reg_suite_name(sh.cipher_suite, nb));
            return;
        }
        r->outcome = sh.hrr ? TD_PROBE_HRR : TD_PROBE_ACCEPTED;
        if (sh.tls13 || sh.hrr)
            r->group = sh.ext.ks_group;
        if (td_exts_has(&sh.ext, TD_EXT_EXTENDED_MASTER_SECRET))
            r->ext_flags |= TD_PX_EMS;
        if (td_exts_has(&sh.ext, TD_EXT_RENEGOTIATION_INFO))
            r->ext_flags |= TD_PX_RENEG;
        if (td_exts_has(&sh.ext, TD_EXT_SESSION_TICKET))
            r->ext_flags |= TD_PX_TICKET;
        if (td_exts_has(&sh.ext, TD_EXT_STATUS_REQUEST))
            r->ext_flags |= TD_PX_STATUS;
        if (td_exts_has(&sh.ext, TD_EXT_ENCRYPT_THEN_MAC))
            r->ext_flags |= TD_PX_ETM;
        if (td_exts_has(&sh.ext, TD_EXT_SERVER_NAME))
            r->ext_flags |= TD_PX_SNI;
        if (td_exts_has(&sh.ext, TD_EXT_ALPN))
            r->ext_flags |= TD_PX_ALPN;
        if (td_exts_has(&sh.ext, TD_EXT_MAX_FRAGMENT_LENGTH)) {
            r->ext_flags |= TD_PX_MFL;
            r->mfl = sh.ext.max_fragment_length;
        }
        if (td_exts_has(&sh.ext, TD_EXT_RECORD_SIZE_LIMIT)) {
            r->ext_flags |= TD_PX_RSL;
            r->rsl = sh.ext.record_size_limit;
        }
        if (fl->seen & TD_SEEN_CERTIFICATE) {
            struct td_certificate c;
            struct td_cert_entry leaf;
            td_diag_init(&d);
            if (td_flight_certificate(fl, &c, &d) == TD_ERR_OK) {
                r->cert_count = c.count;
                r->cert_bytes = c.total_der;
                if (td_cert_at(&c, 0, &leaf)) {
                    td_tls_sha256(leaf.der.p, leaf.der.len, r->leaf_sha256);
                    r->has_leaf = true;
                    if (s->cert_out != NULL && r->outcome == TD_PROBE_ACCEPTED) {
                        struct td_tls_cert *co = s->cert_out;
                        memset(co, 0, sizeof(*co));
                        if (td_tls_describe_der(leaf.der.p, leaf.der.len, co) == TD_ERR_OK) {
                            co->ok = true;
                            co->version = r->version;
                            co->chain_count = c.count;
                            co->chain_bytes = c.total_der;
                            client_auth_from(fl, co);
                        } else {
                            memset(co, 0, sizeof(*co));
                        }
                    }
                }
            }
        }
        size_t i_ske = td_transcript_find(t, TD_DIR_S2C, TD_EV_HANDSHAKE, TD_HS_SERVER_KEY_EXCHANGE);
        if (i_ske != SIZE_MAX && t->ev[i_ske].sum.decoded) {
            enum td_kex kex;
            if (kex_of_suite(sh.cipher_suite, NULL, &kex) && (kex == TD_KEX_DHE || kex == TD_KEX_DH_ANON ||
                                                              kex == TD_KEX_DHE_PSK))
                r->dh_bits = t->ev[i_ske].sum.bits;
            else
                r->group = t->ev[i_ske].sum.group;
            r->ske_sigalg = t->ev[i_ske].sum.sigalg;
        }
        r->ocsp_stapled = td_transcript_find(t, TD_DIR_S2C, TD_EV_HANDSHAKE, TD_HS_CERTIFICATE_STATUS) != SIZE_MAX;
        /* Only an alert inside the server's flight counts: one after its
         * ServerHelloDone answers our close, not our hello. A
         * HelloRetryRequest is a flight of its own (the server then waits
         * for a second ClientHello we never send): what follows it answers
         * our FIN. */
        size_t i_end = sh.hrr ? i_sh + 1 : td_transcript_find(t, TD_DIR_S2C, TD_EV_HANDSHAKE, TD_HS_SERVER_HELLO_DONE);
        for (size_t i = i_sh + 1; i < t->count && (i_end == SIZE_MAX || i < i_end); i++) {
            const struct td_event *e = &t->ev[i];
            if (e->kind == TD_EV_ALERT && e->dir == TD_DIR_S2C && e->alert_level == TD_ALERT_FATAL) {
                char nb[TD_REG_NAMEBUF];
                r->alert_after_hello = true;
                r->alert_level = e->alert_level;
                r->alert_desc = e->alert_desc;
                snprintf(r->detail, sizeof(r->detail), "fatal %s alert after the ServerHello",
                         td_reg_alert_name(e->alert_desc, nb));
                break;
            }
        }
        if (r->warning_alert != 0 && r->detail[0] == '\0') {
            char nb[TD_REG_NAMEBUF];
            snprintf(r->detail, sizeof(r->detail), "warning %s alert, then the handshake went on",
                     td_reg_alert_name(r->warning_alert, nb));
        }
        return;
    }
    if ((fl->seen & TD_SEEN_ALERT) && td_flight_alert(fl, &alert)) {
        r->outcome = TD_PROBE_ALERT;
        r->alert_level = alert.level;
        r->alert_desc = alert.description;
        return;
    }
    if (fl->seen & (TD_SEEN_MALFORMED | TD_SEEN_SERVER_HELLO | TD_SEEN_OTHER_HS | TD_SEEN_ENCRYPTED)) {
        r->outcome = TD_PROBE_MALFORMED;
        describe_malformed(t, r);
        if (r->detail[0] == '\0')
            snprintf(r->detail, sizeof(r->detail), "no ServerHello in the server's first flight");
        return;
    }
    r->outcome = TD_PROBE_NET;
    snprintf(r->detail, sizeof(r->detail), "%s", td_net_obs_str(r->net));
}

static void probe_once(const struct td_probe_net *pn, const struct td_probe_spec *s, enum share_kind sk, bool half,
                       struct td_probe_result *r)
{
    struct td_writer w;
    struct td_diag d;
    struct td_transcript t;
    struct td_flight fl;
    struct td_conn c;
    uint8_t buf[8192];
    td_err built;
    int64_t t0 = td_net_now_ms();

    memset(r, 0, sizeof(*r));
    td_diag_init(&d);
    td_wr_init(&w, TD_HELLO_CAP);
    built = s->sslv2 ? build_sslv2(&w) : build_hello(s, sk, &w, &d);
    if (built != TD_ERR_OK) {
        int n;
        r->outcome = TD_PROBE_NET;
        r->net = TD_NET_ERROR;
        n = snprintf(r->detail, sizeof(r->detail), "could not build the ClientHello: ");
        if (n > 0 && (size_t)n < sizeof(r->detail))
            td_diag_format(&d, r->detail + n, sizeof(r->detail) - (size_t)n);
        td_wr_free(&w);
        return;
    }
    td_transcript_init(&t);
    td_flight_init(&fl, &t, TD_DIR_S2C);
    fl.kex_of = kex_of_suite;

    r->net = td_conn_open(&c, pn->addr, &pn->lim, pn->gate);
    if (r->net == TD_NET_OK)
        r->net = td_conn_send_all(&c, w.buf, w.len);
    if (r->net == TD_NET_OK && half)
        td_conn_shutdown_write(&c);
    while (r->net == TD_NET_OK) {
        size_t got = 0;
        enum td_net_obs o = td_conn_recv(&c, buf, sizeof(buf), &got);
        if (o != TD_NET_OK) {
            r->net = o;
            if (td_flight_finish(&fl, since_us(t0)) != TD_ERR_OK)
                break; /* our own cap: what was parsed still counts */
            break;
        }
        if (td_flight_feed(&fl, buf, got, since_us(t0)) != TD_ERR_OK || flight_done(&fl, s))
            break;
    }
    td_conn_close(&c);
    evaluate(s, &fl, &t, r);
    r->ms = td_net_now_ms() - t0;
    td_flight_free(&fl);
    td_transcript_free(&t);
    td_wr_free(&w);
}

void td_probe_net_init(struct td_probe_net *pn, const struct td_addr *addr, const struct td_net_limits *lim,
                       struct td_gate *gate)
{
    memset(pn, 0, sizeof(*pn));
    pn->addr = addr;
    pn->lim = *lim;
    pn->gate = gate;
    atomic_init(&pn->half_close, false);
    atomic_init(&pn->grease_ok, false);
    atomic_init(&pn->fin_checks, 0);
    atomic_init(&pn->half_unsafe, false);
    atomic_init(&pn->half_proven, false);
}

static void probe_shares(struct td_probe_net *pn, const struct td_probe_spec *s, bool half, struct td_probe_result *r)
{
    if (s->version != TD_VER_TLS13 || s->sslv2) {
        probe_once(pn, s, SHARE_REAL, half, r);
        return;
    }
    /* A server that chokes on the GREASE share (it should not) gets the
     * same hello again with a real one before we take its "no" - unless it
     * has already answered a GREASE share properly. */
    probe_once(pn, s, SHARE_GREASE, half, r);
    if (r->outcome == TD_PROBE_HRR || r->outcome == TD_PROBE_ACCEPTED) {
        atomic_store(&pn->grease_ok, true);
        return;
    }
    /* protocol_version says "no TLS 1.3", not "bad key share" */
    if (!atomic_load(&pn->grease_ok) &&
        ((r->outcome == TD_PROBE_ALERT && r->alert_desc != 70) || r->outcome == TD_PROBE_MALFORMED ||
         (r->outcome == TD_PROBE_NET && (r->net == TD_NET_CLOSED || r->net == TD_NET_RESET))))
        probe_once(pn, s, SHARE_REAL, half, r);
}

static bool unanswered(const struct td_probe_result *r)
{
    return r->outcome == TD_PROBE_NET && (r->net == TD_NET_CLOSED || r->net == TD_NET_RESET ||
                                          r->net == TD_NET_TIMEOUT || r->net == TD_NET_TOTAL_TIMEOUT);
}

struct again_job {
    struct td_probe_net *pn;
    const struct td_probe_spec *s;
    struct td_probe_result r;
};

static void *again_half(void *arg)
{
    struct again_job *j = arg;
    probe_shares(j->pn, j->s, true, &j->r);
    return NULL;
}

void td_probe_net(void *ctx, const struct td_probe_spec *s, struct td_probe_result *r)
{
    struct td_probe_net *pn = ctx;
    bool half = atomic_load(&pn->half_close);

    probe_shares(pn, s, half, r);
    /* Half-closing is assumed harmless until a probe goes unanswered. Then
     * the same hello goes out twice at once, half-closed and closed
     * normally: an answer to the first says the failure was transient (a
     * busy server, a proxy), an answer to the second alone that our early
     * FIN was the cause (some servers and middleboxes take it for an
     * abort), no answer at all that this is how the server says no. */
    if (half && pn->fin_check && unanswered(r) && !atomic_load(&pn->half_unsafe) &&
        !atomic_load(&pn->half_proven) && atomic_fetch_add(&pn->fin_checks, 1) < TD_PROBE_FIN_CHECKS) {
        struct again_job hj = {pn, s, {0}};
        struct td_probe_result full;
        pthread_t tid;
        bool threaded = pthread_create(&tid, NULL, again_half, &hj) == 0;
        enum td_net_obs first = r->net;

        probe_shares(pn, s, false, &full);
        if (threaded)
            pthread_join(tid, NULL);
        else
            (void)again_half(&hj);
        if (!unanswered(&hj.r)) {
            /* half-closing is fine here: later failures are the engine's
             * to repeat (scan/engine.c run_probe) */
            atomic_store(&pn->half_proven, true);
            *r = hj.r;
            r->repeated = first;
        } else if (!unanswered(&full)) {
            atomic_store(&pn->half_close, false);
            atomic_store(&pn->half_unsafe, true);
            *r = full;
        }
    }
}
