/* wire/: real bytes from real peers (tests/vectors/MANIFEST.tsv). Every
 * vector must decode to the manifest's values, and every cut of it must fail
 * cleanly (the truncation sweep). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/reader.h"
#include "wire/certificate.h"
#include "wire/certreq.h"
#include "wire/clienthello.h"
#include "wire/ee.h"
#include "wire/record.h"
#include "wire/serverhello.h"
#include "wire/ske.h"
#include "wire/transcript.h"
#include "wire_testutil.h"

struct vec {
    char file[96];
    char parser[16];
    char expect[512];
};

enum { MAX_VECS = 128 };
static struct vec vecs[MAX_VECS];
static size_t nvecs;

static void load_manifest(void)
{
    size_t len = 0;
    uint8_t *m = tu_read_vector("MANIFEST.tsv", &len);
    char *text, *line, *save = NULL;

    assert_non_null(m);
    text = malloc(len + 1);
    assert_non_null(text);
    memcpy(text, m, len);
    text[len] = '\0';
    free(m);
    nvecs = 0;
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char *f[4] = {0};
        char *p = line;
        if (line[0] == '#' || strncmp(line, "file\t", 5) == 0)
            continue;
        for (int i = 0; i < 4; i++) {
            f[i] = p;
            p = i < 3 ? strchr(p, '\t') : NULL;
            if (i < 3) {
                assert_non_null(p);
                *p++ = '\0';
            }
        }
        assert_true(nvecs < MAX_VECS);
        snprintf(vecs[nvecs].file, sizeof(vecs[nvecs].file), "%s", f[0]);
        snprintf(vecs[nvecs].parser, sizeof(vecs[nvecs].parser), "%s", f[1]);
        snprintf(vecs[nvecs].expect, sizeof(vecs[nvecs].expect), "%s", f[3]);
        nvecs++;
    }
    free(text);
    assert_true(nvecs >= 30);
}

/* Calls fn(key, value) for each "key=value" in expect. */
typedef void (*kv_fn)(const struct vec *v, const char *key, const char *val, void *ctx);
static void each_kv(const struct vec *v, kv_fn fn, void *ctx)
{
    char buf[512], *tok, *save = NULL;
    snprintf(buf, sizeof(buf), "%s", v->expect);
    for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(tok, '=');
        assert_non_null(eq);
        *eq = '\0';
        fn(v, tok, eq + 1, ctx);
    }
}

static unsigned long num(const char *s)
{
    return strtoul(s, NULL, 0);
}

static void want(const struct vec *v, const char *key, unsigned long got, const char *val)
{
    if (got != num(val))
        fail_msg("%s: %s: got %lu (0x%lx), manifest says %s", v->file, key, got, got, val);
}

static void want_str(const struct vec *v, const char *key, struct td_bytes got, const char *val)
{
    if (strcmp(val, "none") == 0) {
        if (got.p != NULL)
            fail_msg("%s: %s: got \"%.*s\", manifest says none", v->file, key, (int)got.len, (const char *)got.p);
        return;
    }
    if (got.len != strlen(val) || memcmp(got.p, val, got.len) != 0)
        fail_msg("%s: %s: got \"%.*s\", manifest says %s", v->file, key, (int)got.len,
                 got.p != NULL ? (const char *)got.p : "", val);
}

/* "a,b,c": the extension types in wire order */
static void want_types(const struct vec *v, const char *key, const struct td_exts *e, const char *val)
{
    char got[512];
    size_t len = 0;
    got[0] = '\0';
    for (size_t i = 0; i < e->count && len < sizeof(got) - 8; i++)
        len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%u", i > 0 ? "," : "", e->list[i].type);
    if (strcmp(got, val) != 0)
        fail_msg("%s: %s: got %s, manifest says %s", v->file, key, got, val);
}

static void unknown(const struct vec *v, const char *key)
{
    fail_msg("%s: manifest key %s unknown for parser %s", v->file, key, v->parser);
}

/* Opens a bare handshake message's body. */
static void open_hs(const struct vec *v, const uint8_t *p, size_t n, uint8_t want_type, struct td_reader *body)
{
    struct td_reader r;
    uint8_t type = 0;
    td_rd_init(&r, p, n, 0, NULL);
    if (td_hs_parse(&r, &type, body) != TD_ERR_OK || !td_rd_empty(&r) || type != want_type)
        fail_msg("%s: not one handshake message of type %u", v->file, want_type);
}

/* ---- per-parser checks ---- */

static void kv_ch(const struct vec *v, const char *k, const char *val, void *ctx)
{
    const struct td_client_hello *ch = ctx;
    if (strcmp(k, "version") == 0)
        want(v, k, ch->legacy_version, val);
    else if (strcmp(k, "suites") == 0)
        want(v, k, td_ch_suite_count(ch), val);
    else if (strcmp(k, "sni") == 0)
        want_str(v, k, ch->ext.sni_host, val);
    else if (strcmp(k, "exts") == 0)
        want(v, k, ch->ext.count, val);
    else if (strcmp(k, "max") == 0)
        want(v, k, td_ch_max_version(ch), val);
    else if (strcmp(k, "keyshares") == 0)
        want(v, k, ch->ext.key_share_count, val);
    else if (strcmp(k, "alpn") == 0)
        want(v, k, ch->ext.alpn_count, val);
    else if (strcmp(k, "sslv2") == 0)
        want(v, k, ch->sslv2, val);
    else if (strcmp(k, "mfl") == 0)
        want(v, k, ch->ext.max_fragment_length, val);
    else if (strcmp(k, "ja3") == 0) {
        char ja3[2048];
        assert_int_equal(td_ch_ja3(ch, ja3, sizeof(ja3)), TD_ERR_OK);
        if (strcmp(ja3, val) != 0)
            fail_msg("%s: ja3 %s, manifest says %s", v->file, ja3, val);
    } else if (strcmp(k, "exttypes") == 0)
        want_types(v, k, &ch->ext, val);
    else
        unknown(v, k);
}

static void kv_sh(const struct vec *v, const char *k, const char *val, void *ctx)
{
    const struct td_server_hello *sh = ctx;
    if (strcmp(k, "version") == 0)
        want(v, k, sh->version, val);
    else if (strcmp(k, "legacy") == 0)
        want(v, k, sh->legacy_version, val);
    else if (strcmp(k, "suite") == 0)
        want(v, k, sh->cipher_suite, val);
    else if (strcmp(k, "hrr") == 0)
        want(v, k, sh->hrr, val);
    else if (strcmp(k, "tls13") == 0)
        want(v, k, sh->tls13, val);
    else if (strcmp(k, "sid") == 0)
        want(v, k, sh->session_id.len, val);
    else if (strcmp(k, "group") == 0)
        want(v, k, sh->ext.ks_group, val);
    else if (strcmp(k, "downgrade") == 0)
        want(v, k, sh->downgrade, val);
    else if (strcmp(k, "mfl") == 0)
        want(v, k, sh->ext.max_fragment_length, val);
    else if (strcmp(k, "exttypes") == 0)
        want_types(v, k, &sh->ext, val);
    else if (strcmp(k, "notallowed") == 0)
        want(v, k, sh->ext.not_allowed, val);
    else
        unknown(v, k);
}

static void kv_exts(const struct vec *v, const char *k, const char *val, void *ctx)
{
    const struct td_exts *e = ctx;
    if (strcmp(k, "exttypes") == 0)
        want_types(v, k, e, val);
    else if (strcmp(k, "notallowed") == 0)
        want(v, k, e->not_allowed, val);
    else
        unknown(v, k);
}

static void kv_cert(const struct vec *v, const char *k, const char *val, void *ctx)
{
    const struct td_certificate *c = ctx;
    if (strcmp(k, "count") == 0)
        want(v, k, c->count, val);
    else if (strcmp(k, "der") == 0)
        want(v, k, c->total_der, val);
    else if (strcmp(k, "context") == 0)
        want(v, k, c->context.len, val);
    else
        unknown(v, k);
}

static enum td_kex kex_of(const struct vec *v)
{
    const char *k = strstr(v->expect, "kex=");
    assert_non_null(k);
    if (strncmp(k + 4, "ecdhe", 5) == 0)
        return TD_KEX_ECDHE;
    if (strncmp(k + 4, "dhe", 3) == 0)
        return TD_KEX_DHE;
    fail_msg("%s: unknown kex", v->file);
    return TD_KEX_ECDHE;
}

static uint16_t version_of(const struct vec *v, uint16_t dflt)
{
    const char *k = strstr(v->expect, "version=");
    return k != NULL ? (uint16_t)num(k + 8) : dflt;
}

static void kv_ske(const struct vec *v, const char *k, const char *val, void *ctx)
{
    const struct td_ske *s = ctx;
    if (strcmp(k, "kex") == 0 || strcmp(k, "version") == 0)
        return; /* inputs */
    if (strcmp(k, "curve") == 0)
        want(v, k, s->named_curve, val);
    else if (strcmp(k, "point") == 0)
        want(v, k, s->point.len, val);
    else if (strcmp(k, "sigalg") == 0)
        want(v, k, s->sigalg, val);
    else if (strcmp(k, "hassigalg") == 0)
        want(v, k, s->has_sigalg, val);
    else if (strcmp(k, "pbits") == 0)
        want(v, k, s->dh_p_bits, val);
    else if (strcmp(k, "gbits") == 0)
        want(v, k, s->dh_g_bits, val);
    else
        unknown(v, k);
}

static void kv_cr(const struct vec *v, const char *k, const char *val, void *ctx)
{
    const struct td_certreq *c = ctx;
    if (strcmp(k, "version") == 0)
        return;
    if (strcmp(k, "types") == 0)
        want(v, k, c->cert_types.len, val);
    else if (strcmp(k, "sigalgs") == 0)
        want(v, k, c->sigalgs.len / 2, val);
    else if (strcmp(k, "cas") == 0)
        want(v, k, c->authority_count, val);
    else
        unknown(v, k);
}

struct flight_ctx {
    struct td_flight *fl;
    struct td_transcript *t;
};

static const struct {
    const char *name;
    unsigned bit;
} seen_names[] = {
    {"CH", TD_SEEN_CLIENT_HELLO},
    {"SH", TD_SEEN_SERVER_HELLO},
    {"HRR", TD_SEEN_HRR},
    {"CERT", TD_SEEN_CERTIFICATE},
    {"SKE", TD_SEEN_SKE},
    {"CR", TD_SEEN_CERTREQ},
    {"SHD", TD_SEEN_SHD},
    {"ALERT", TD_SEEN_ALERT},
    {"CCS", TD_SEEN_CCS},
    {"ENC", TD_SEEN_ENCRYPTED},
    {"MALFORMED", TD_SEEN_MALFORMED},
    {"SSLV2", TD_SEEN_SSLV2},
    {"FATAL", TD_SEEN_FATAL_ALERT},
};

static unsigned seen_bits(const struct vec *v, const char *list)
{
    char buf[128], *tok, *save = NULL;
    unsigned bits = 0;
    snprintf(buf, sizeof(buf), "%s", list);
    for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        size_t i;
        for (i = 0; i < TD_ARRAY_LEN(seen_names); i++)
            if (strcmp(seen_names[i].name, tok) == 0)
                break;
        if (i == TD_ARRAY_LEN(seen_names))
            fail_msg("%s: unknown seen flag %s", v->file, tok);
        bits |= seen_names[i].bit;
    }
    return bits;
}

static size_t count_kind(const struct td_transcript *t, enum td_ev_kind k, bool hellos_only)
{
    size_t n = 0;
    for (size_t i = 0; i < t->count; i++)
        if (t->ev[i].kind == k && (!hellos_only || t->ev[i].hs_type == 1 || t->ev[i].hs_type == 2))
            n++;
    return n;
}

static void kv_flight(const struct vec *v, const char *k, const char *val, void *ctx)
{
    struct flight_ctx *f = ctx;
    if (strcmp(k, "seen") == 0) {
        unsigned b = seen_bits(v, val);
        if ((f->fl->seen & b) != b)
            fail_msg("%s: seen 0x%x lacks 0x%x", v->file, f->fl->seen, b & ~f->fl->seen);
    } else if (strcmp(k, "noseen") == 0) {
        unsigned b = seen_bits(v, val);
        if ((f->fl->seen & b) != 0)
            fail_msg("%s: seen 0x%x has 0x%x", v->file, f->fl->seen, f->fl->seen & b);
    } else if (strcmp(k, "version") == 0) {
        want(v, k, f->fl->version, val);
    } else if (strcmp(k, "suite") == 0) {
        want(v, k, f->fl->suite, val);
    } else if (strcmp(k, "malformed") == 0) {
        size_t i = td_transcript_find(f->t, f->fl->dir, TD_EV_MALFORMED, -1);
        if (i != SIZE_MAX) {
            char msg[256];
            td_diag_format(&f->t->ev[i].diag, msg, sizeof(msg));
            if (num(val) == 0)
                fail_msg("%s: unexpected malformed event: %s", v->file, msg);
        }
        want(v, k, count_kind(f->t, TD_EV_MALFORMED, false), val);
    } else if (strcmp(k, "hs") == 0) {
        want(v, k, count_kind(f->t, TD_EV_HANDSHAKE, true), val);
    } else if (strcmp(k, "alert") == 0) {
        struct td_alert a;
        char buf[16];
        assert_true(td_flight_alert(f->fl, &a));
        snprintf(buf, sizeof(buf), "%u/%u", a.level, a.description);
        if (strcmp(buf, val) != 0)
            fail_msg("%s: alert %s, manifest says %s", v->file, buf, val);
    } else if (strcmp(k, "skebits") == 0) {
        size_t i = td_transcript_find(f->t, f->fl->dir, TD_EV_HANDSHAKE, TD_HS_SERVER_KEY_EXCHANGE);
        assert_true(i != SIZE_MAX);
        want(v, k, f->t->ev[i].sum.bits, val);
    } else if (strcmp(k, "crcas") == 0) {
        /* the flight's CertificateRequest, re-read: its CA name count */
        struct td_certreq cr;
        struct td_diag d;
        td_diag_init(&d);
        if (td_flight_certreq(f->fl, &cr, &d) != TD_ERR_OK)
            fail_msg("%s: no CertificateRequest in the flight", v->file);
        want(v, k, cr.authority_count, val);
    } else {
        unknown(v, k);
    }
}

/* Decodes a whole vector with the parser the manifest names; returns the
 * error (and checks the expectations when check is set). */
static td_err decode(const struct vec *v, const uint8_t *p, size_t n, bool check, struct td_diag *d, bool body_only)
{
    struct td_reader body;
    td_err ret = TD_ERR_OK;
    static struct td_client_hello ch;
    static struct td_server_hello sh;
    static struct td_certreq cr;

    td_diag_init(d);
    if (strcmp(v->parser, "any_ch") == 0) {
        ret = td_ch_parse_any(p, n, d, &ch);
        if (check && ret == TD_ERR_OK)
            each_kv(v, kv_ch, &ch);
        return ret;
    }
    if (body_only) {
        td_rd_init(&body, p, n, 0, d);
    } else {
        uint8_t type = 0;
        struct td_reader r;
        td_rd_init(&r, p, n, 0, d);
        ret = td_hs_parse(&r, &type, &body);
        if (ret != TD_ERR_OK)
            return ret;
        if (check)
            open_hs(v, p, n, type, &body);
    }
    if (strcmp(v->parser, "ch") == 0) {
        ret = td_ch_decode(&body, &ch);
        if (check && ret == TD_ERR_OK)
            each_kv(v, kv_ch, &ch);
    } else if (strcmp(v->parser, "sh") == 0) {
        ret = td_sh_decode(&body, &sh);
        if (check && ret == TD_ERR_OK)
            each_kv(v, kv_sh, &sh);
    } else if (strcmp(v->parser, "ee") == 0) {
        static struct td_exts ee;
        ret = td_ee_decode(&body, &ee);
        if (check && ret == TD_ERR_OK)
            each_kv(v, kv_exts, &ee);
    } else if (strcmp(v->parser, "cert") == 0 || strcmp(v->parser, "cert13") == 0) {
        struct td_certificate c;
        struct td_cert_entry e;
        ret = td_cert_decode(&body, strcmp(v->parser, "cert13") == 0, &c);
        if (check && ret == TD_ERR_OK) {
            each_kv(v, kv_cert, &c);
            if (c.count > 0) {
                assert_true(td_cert_at(&c, 0, &e));
                assert_int_equal(td_list_at(e.der, 1, 0), 0x30); /* DER SEQUENCE */
            }
            assert_false(td_cert_at(&c, c.count, &e));
        }
    } else if (strcmp(v->parser, "ske") == 0) {
        struct td_ske s;
        ret = td_ske_decode(&body, version_of(v, TD_V_TLS12), kex_of(v), &s);
        if (check && ret == TD_ERR_OK)
            each_kv(v, kv_ske, &s);
    } else if (strcmp(v->parser, "cr") == 0) {
        ret = td_certreq_decode(&body, version_of(v, TD_V_TLS12), &cr);
        if (check && ret == TD_ERR_OK)
            each_kv(v, kv_cr, &cr);
    } else {
        fail_msg("%s: unknown parser %s", v->file, v->parser);
    }
    return ret;
}

static bool is_flight(const struct vec *v)
{
    return strcmp(v->parser, "s2c") == 0 || strcmp(v->parser, "c2s") == 0;
}

static void run_flight(const struct vec *v, const uint8_t *p, size_t n, size_t chunk, struct td_transcript *t,
                       struct td_flight *fl)
{
    struct td_reader r;
    td_transcript_init(t);
    td_flight_init(fl, t, strcmp(v->parser, "s2c") == 0 ? TD_DIR_S2C : TD_DIR_C2S);
    td_rd_init(&r, p, n, 0, NULL);
    while (!td_rd_empty(&r)) {
        struct td_bytes b;
        size_t take = td_rd_left(&r) < chunk ? td_rd_left(&r) : chunk;
        assert_int_equal(td_rd_bytes(&r, take, &b, NULL), TD_ERR_OK);
        assert_int_equal(td_flight_feed(fl, b.p, b.len, 1000), TD_ERR_OK);
    }
    assert_int_equal(td_flight_finish(fl, 2000), TD_ERR_OK);
}

static void test_vectors_decode(void **state)
{
    (void)state;
    load_manifest();
    for (size_t i = 0; i < nvecs; i++) {
        const struct vec *v = &vecs[i];
        size_t n = 0;
        uint8_t *p = tu_read_vector(v->file, &n);
        struct td_diag d;

        if (p == NULL)
            fail_msg("%s: missing vector file", v->file);
        if (is_flight(v)) {
            struct td_transcript t;
            struct td_flight fl;
            struct flight_ctx ctx = {&fl, &t};
            run_flight(v, p, n, n, &t, &fl);
            each_kv(v, kv_flight, &ctx);
            td_flight_free(&fl);
            td_transcript_free(&t);
        } else {
            td_err ret = decode(v, p, n, true, &d, false);
            if (ret != TD_ERR_OK) {
                char msg[256];
                td_diag_format(&d, msg, sizeof(msg));
                fail_msg("%s: %s", v->file, msg);
            }
        }
        free(p);
    }
}

/* The same stream fed in every chunk size from 1 to 7 bytes gives the same
 * events as one read. */
static void test_vectors_split_reads(void **state)
{
    (void)state;
    load_manifest();
    for (size_t i = 0; i < nvecs; i++) {
        const struct vec *v = &vecs[i];
        size_t n = 0;
        uint8_t *p;
        struct td_transcript t1, t2;
        struct td_flight f1, f2;

        if (!is_flight(v))
            continue;
        p = tu_read_vector(v->file, &n);
        assert_non_null(p);
        run_flight(v, p, n, n, &t1, &f1);
        for (size_t chunk = 1; chunk <= 7; chunk++) {
            run_flight(v, p, n, chunk, &t2, &f2);
            assert_int_equal(t1.count, t2.count);
            assert_int_equal(f1.seen, f2.seen);
            for (size_t k = 0; k < t1.count; k++) {
                assert_int_equal(t1.ev[k].kind, t2.ev[k].kind);
                assert_int_equal(t1.ev[k].hs_type, t2.ev[k].hs_type);
                assert_int_equal(t1.ev[k].data_len, t2.ev[k].data_len);
                assert_int_equal(t1.ev[k].stream_off, t2.ev[k].stream_off);
            }
            td_flight_free(&f2);
            td_transcript_free(&t2);
        }
        td_flight_free(&f1);
        td_transcript_free(&t1);
        free(p);
    }
}

/* true if cut falls between two records of the stream p (or at 0) */
static bool at_record_boundary(const uint8_t *p, size_t n, size_t cut)
{
    struct td_reader r;
    struct td_record rec;
    td_rd_init(&r, p, n, 0, NULL);
    if (cut == 0)
        return true;
    while (td_record_parse(&r, &rec) == TD_ERR_OK) {
        if (td_rd_offset(&r) == cut)
            return true;
        if (td_rd_offset(&r) > cut)
            return false;
    }
    return false;
}

static bool has_garbage(const struct vec *v)
{
    return strstr(v->expect, "MALFORMED") != NULL;
}

/* For a ch/sh vector: the offset in its body where the extensions block
 * starts (a cut there leaves a valid hello without extensions); SIZE_MAX
 * for other parsers or a hello without extensions. */
static size_t hello_exts_at(const struct vec *v, const uint8_t *p, size_t n)
{
    static struct td_client_hello ch;
    static struct td_server_hello sh;
    struct td_reader body;
    const struct td_exts *e = NULL;
    bool has = false;

    if (n < 4)
        return SIZE_MAX;
    td_rd_init(&body, p + 4, n - 4, 0, NULL);
    if (strcmp(v->parser, "ch") == 0 && td_ch_decode(&body, &ch) == TD_ERR_OK) {
        e = &ch.ext;
        has = ch.has_extensions;
    } else if (strcmp(v->parser, "sh") == 0 && td_sh_decode(&body, &sh) == TD_ERR_OK) {
        e = &sh.ext;
        has = sh.has_extensions;
    }
    return e != NULL && has ? e->block.off - 2 : SIZE_MAX;
}

/* The truncation sweep: each vector cut at every length, copied into an
 * exact-size heap buffer, fails with TRUNCATED or LENGTH at an offset no
 * further than the cut. The body-only sweep also reaches the inner fields;
 * there a hello cut right after its compression method is a valid hello
 * without extensions, which is the only allowed success (and only there). */
static void test_vectors_truncation_sweep(void **state)
{
    (void)state;
    load_manifest();
    for (size_t i = 0; i < nvecs; i++) {
        const struct vec *v = &vecs[i];
        size_t n = 0;
        uint8_t *p = tu_read_vector(v->file, &n);
        size_t exts_at;
        assert_non_null(p);
        exts_at = hello_exts_at(v, p, n);
        for (size_t cut = 0; cut < n; cut++) {
            uint8_t *c = tu_dup(p, cut);
            struct td_diag d;
            assert_non_null(c);
            if (is_flight(v)) {
                struct td_transcript t;
                struct td_flight fl;
                run_flight(v, c, cut, cut > 0 ? cut : 1, &t, &fl);
                /* a stream cut inside a record ends in a "truncated" observation */
                if (!at_record_boundary(p, n, cut) && !has_garbage(v)) {
                    size_t k = td_transcript_find(&t, fl.dir, TD_EV_MALFORMED, -1);
                    if (k == SIZE_MAX || t.ev[k].diag.code != TD_ERR_TRUNCATED)
                        fail_msg("%s cut at %zu: no truncated event", v->file, cut);
                }
                td_flight_free(&fl);
                td_transcript_free(&t);
            } else {
                td_err ret = decode(v, c, cut, false, &d, false);
                if (ret != TD_ERR_TRUNCATED && ret != TD_ERR_LENGTH)
                    fail_msg("%s cut at %zu: %s", v->file, cut, td_err_name(ret));
                if (d.offset > cut)
                    fail_msg("%s cut at %zu: offset %zu past the cut", v->file, cut, d.offset);
                if (strcmp(v->parser, "any_ch") != 0 && cut >= 4) {
                    free(c);
                    c = tu_dup(p + 4, cut - 4);
                    ret = decode(v, c, cut - 4, false, &d, true);
                    if (ret == TD_ERR_OK && cut - 4 != exts_at)
                        fail_msg("%s body cut at %zu decoded", v->file, cut - 4);
                    if (ret != TD_ERR_OK && cut - 4 == exts_at && strcmp(v->parser, "ch") == 0)
                        fail_msg("%s body cut before its extensions: %s, not a valid hello", v->file, td_err_name(ret));
                    if (ret != TD_ERR_OK && ret != TD_ERR_TRUNCATED && ret != TD_ERR_LENGTH)
                        fail_msg("%s body cut at %zu: %s", v->file, cut - 4, td_err_name(ret));
                    if (ret != TD_ERR_OK && d.offset > cut - 4)
                        fail_msg("%s body cut at %zu: offset %zu", v->file, cut - 4, d.offset);
                }
            }
            free(c);
        }
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors_decode),
        cmocka_unit_test(test_vectors_split_reads),
        cmocka_unit_test(test_vectors_truncation_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
