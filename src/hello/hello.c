/* ClientHello builder and named mutators. */
#include "hello/hello.h"

#include <stdint.h>
#include <string.h>

#include "core/mem.h"
#include "core/reader.h"
#include "wire/clienthello.h"
#include "wire/record.h"
#include "wire/tls.h"

/* RFC 6066 3: "Literal IPv4 and IPv6 addresses are not permitted in
 * "HostName"." A name made only of digits and dots is an IPv4 literal in
 * some form (inet_aton accepts "127.1"); any ':' makes an IPv6 literal;
 * a bracketed form is one too. */
bool td_hello_is_ip_literal(const char *s)
{
    bool digit_or_dot = true;

    if (s == NULL || s[0] == '\0')
        return false;
    if (s[0] == '[')
        return true;
    for (const char *c = s; *c != '\0'; c++) {
        if (*c == ':')
            return true;
        if (!((*c >= '0' && *c <= '9') || *c == '.'))
            digit_or_dot = false;
    }
    return digit_or_dot;
}

static td_err check_host(const char *h, struct td_diag *d)
{
    size_t n = strlen(h);

    if (td_hello_is_ip_literal(h))
        return td_diag_setf(d, TD_ERR_BADVALUE, 0, "server_name",
                            "\"%.64s\" is an IP literal; RFC 6066 3 does not permit it as SNI", h);
    /* RFC 6066 3: HostName<1..2^16-1>, "represented as a byte string using
     * ASCII encoding without a trailing dot"; DNS names stop at 253 */
    if (n == 0 || n > 253)
        return td_diag_setf(d, TD_ERR_BADVALUE, 0, "server_name", "length %zu outside 1..253", n);
    if (h[n - 1] == '.')
        return td_diag_setf(d, TD_ERR_BADVALUE, 0, "server_name", "trailing dot (RFC 6066 3)");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c <= 0x20 || c >= 0x7f)
            return td_diag_setf(d, TD_ERR_BADVALUE, i, "server_name", "byte 0x%02x is not printable ASCII", c);
    }
    return TD_ERR_OK;
}

static td_err check_spec(const struct td_hello_spec *s, struct td_diag *d)
{
    size_t suites = s->n_suites + (s->scsv_renegotiation ? 1 : 0) + (s->scsv_fallback ? 1 : 0);

    if (s->random == NULL)
        return td_diag_setf(d, TD_ERR_USAGE, 0, "random", "no random source given");
    if (s->n_versions == 0 && s->legacy_version == 0)
        return td_diag_setf(d, TD_ERR_USAGE, 0, "versions", "no version offered");
    /* RFC 5246 7.4.1.2: cipher_suites<2..2^16-2> */
    if (s->sslv2)
        return s->sni != NULL ? td_diag_setf(d, TD_ERR_USAGE, 0, "server_name", "SSLv2 hellos have no extensions")
                              : TD_ERR_OK;
    if (suites == 0 || suites > 32767)
        return td_diag_setf(d, TD_ERR_USAGE, 0, "cipher_suites", "%zu suites (need 1..32767)", suites);
    if (s->n_compression > 255)
        return td_diag_setf(d, TD_ERR_USAGE, 0, "compression_methods", "more than 255");
    if (s->session_id_len > 32)
        return td_diag_setf(d, TD_ERR_USAGE, 0, "session_id", "%zu bytes (max 32)", s->session_id_len);
    if (s->max_fragment_length > 4)
        return td_diag_setf(d, TD_ERR_BADVALUE, 0, "max_fragment_length", "%u not in 0..4", s->max_fragment_length);
    /* RFC 8449 4: at least 64; a TLS 1.2 limit is at most 2^14, 1.3 adds one */
    if (s->record_size_limit != 0 && (s->record_size_limit < 64 || s->record_size_limit > 16385))
        return td_diag_setf(d, TD_ERR_BADVALUE, 0, "record_size_limit", "%u not in 64..16385", s->record_size_limit);
    /* RFC 7301 3.1: opaque ProtocolName<1..2^8-1> */
    for (size_t i = 0; i < s->n_alpn; i++) {
        size_t n = strlen(s->alpn[i]);
        if (n == 0 || n > 255)
            return td_diag_setf(d, TD_ERR_BADVALUE, 0, "ALPN", "protocol %zu has length %zu (1..255)", i, n);
    }
    /* RFC 8446 4.2.8: opaque key_exchange<1..2^16-1> */
    for (size_t i = 0; i < s->n_key_shares; i++)
        if (s->key_shares[i].key.len == 0 || s->key_shares[i].key.len > 0xffff)
            return td_diag_setf(d, TD_ERR_BADVALUE, 0, "key_share", "share %zu for group 0x%04x has %zu bytes", i,
                                s->key_shares[i].group, s->key_shares[i].key.len);
    if (s->sni != NULL)
        return check_host(s->sni, d);
    return TD_ERR_OK;
}

static uint16_t pick_legacy_version(const struct td_hello_spec *s)
{
    uint16_t best = 0;
    if (s->legacy_version != 0)
        return s->legacy_version;
    for (size_t i = 0; i < s->n_versions; i++)
        if (!td_is_grease(s->versions[i]) && s->versions[i] > best)
            best = s->versions[i];
    /* RFC 8446 4.1.2: a 1.3 client sets legacy_version 0x0303 */
    return best > TD_V_TLS12 ? TD_V_TLS12 : best;
}

static bool offers_13(const struct td_hello_spec *s)
{
    for (size_t i = 0; i < s->n_versions; i++)
        if (!td_is_grease(s->versions[i]) && s->versions[i] >= TD_V_TLS13)
            return true;
    return false;
}

/* Extensions in the order common clients use; padding last (RFC 7685 has
 * no rule, but BoringSSL/OpenSSL put it last so it can size the hello). */
static td_err put_extensions(const struct td_hello_spec *s, struct td_writer *w, size_t pad)
{
    td_err ret = TD_ERR_OK;

    if (s->sni != NULL)
        TRY(td_ext_put_sni(w, s->sni));
    if (s->max_fragment_length != 0)
        TRY(td_ext_put_max_fragment_length(w, s->max_fragment_length));
    if (s->status_request)
        TRY(td_ext_put_status_request_ocsp(w));
    if (s->n_groups > 0)
        TRY(td_ext_put_u16_list(w, TD_EXT_SUPPORTED_GROUPS, s->groups, s->n_groups));
    if (s->n_point_formats > 0)
        TRY(td_ext_put_u8_list(w, TD_EXT_EC_POINT_FORMATS, s->point_formats, s->n_point_formats));
    if (s->n_sigalgs > 0)
        TRY(td_ext_put_u16_list(w, TD_EXT_SIGNATURE_ALGORITHMS, s->sigalgs, s->n_sigalgs));
    if (s->n_alpn > 0)
        TRY(td_ext_put_alpn(w, s->alpn, s->n_alpn));
    if (s->encrypt_then_mac)
        TRY(td_ext_put_empty(w, TD_EXT_ENCRYPT_THEN_MAC));
    if (s->ems)
        TRY(td_ext_put_empty(w, TD_EXT_EXTENDED_MASTER_SECRET));
    if (s->record_size_limit != 0)
        TRY(td_ext_put_record_size_limit(w, s->record_size_limit));
    if (s->session_ticket)
        TRY(td_ext_put_empty(w, TD_EXT_SESSION_TICKET));
    if (offers_13(s) || s->supported_versions)
        TRY(td_ext_put_supported_versions(w, s->versions, s->n_versions));
    if (s->psk_dhe_ke) {
        static const uint8_t dhe_ke = 1; /* RFC 8446 4.2.9 psk_dhe_ke */
        TRY(td_ext_put_u8_list(w, TD_EXT_PSK_KEY_EXCHANGE_MODES, &dhe_ke, 1));
    }
    if (s->n_key_shares > 0)
        TRY(td_ext_put_key_shares(w, s->key_shares, s->n_key_shares));
    if (s->renegotiation_info)
        TRY(td_ext_put_reneg_info(w, NULL, 0));
    if (pad != SIZE_MAX)
        TRY(td_ext_put_padding(w, pad));
out:
    return ret;
}

/* RFC 5246 7.4.1.2 / RFC 8446 4.1.2 ClientHello (see wire/clienthello.c). */
static td_err build_hs(const struct td_hello_spec *s, struct td_writer *w, size_t pad)
{
    td_err ret;
    uint8_t rnd[32], sid[32];
    static const uint8_t null_compression = 0;
    size_t hs, v;

    s->random(s->random_arg, rnd, sizeof(rnd));
    if (s->session_id_len > 0)
        s->random(s->random_arg, sid, s->session_id_len);
    TRY(td_hs_open(w, TD_HS_CLIENT_HELLO, &hs));
    TRY(td_wr_u16(w, pick_legacy_version(s)));
    TRY(td_wr_bytes(w, rnd, sizeof(rnd)));
    TRY(td_wr_open(w, 1, &v));
    TRY(td_wr_bytes(w, sid, s->session_id_len));
    TRY(td_wr_close(w, v, 1));
    TRY(td_wr_open(w, 2, &v));
    for (size_t i = 0; i < s->n_suites; i++)
        TRY(td_wr_u16(w, s->suites[i]));
    if (s->scsv_renegotiation)
        TRY(td_wr_u16(w, TD_SUITE_EMPTY_RENEGOTIATION_INFO_SCSV));
    if (s->scsv_fallback)
        TRY(td_wr_u16(w, TD_SUITE_FALLBACK_SCSV));
    TRY(td_wr_close(w, v, 2));
    TRY(td_wr_open(w, 1, &v));
    if (s->compression != NULL)
        TRY(td_wr_bytes(w, s->compression, s->n_compression));
    else
        TRY(td_wr_bytes(w, &null_compression, 1));
    TRY(td_wr_close(w, v, 1));
    if (!s->no_extensions) {
        TRY(td_wr_open(w, 2, &v));
        TRY(put_extensions(s, w, pad));
        TRY(td_wr_close(w, v, 2));
    }
    ret = td_hs_close(w, hs);
out:
    return ret;
}

enum { SSLV2_MAX_SPECS = 512 };

static td_err build_sslv2(const struct td_hello_spec *s, struct td_writer *out, struct td_diag *d)
{
    uint32_t specs[SSLV2_MAX_SPECS];
    uint8_t challenge[16];
    size_t n = 0;

    if (s->n_sslv2_specs + s->n_suites > SSLV2_MAX_SPECS)
        return td_diag_setf(d, TD_ERR_USAGE, 0, "cipher_specs", "more than %u", (unsigned)SSLV2_MAX_SPECS);
    for (size_t i = 0; i < s->n_sslv2_specs; i++)
        specs[n++] = s->sslv2_specs[i];
    for (size_t i = 0; i < s->n_suites; i++)
        specs[n++] = s->suites[i];
    if (n == 0)
        return td_diag_setf(d, TD_ERR_USAGE, 0, "cipher_specs", "none offered");
    s->random(s->random_arg, challenge, sizeof(challenge));
    return td_ch_encode_sslv2(out, s->legacy_version != 0 ? s->legacy_version : pick_legacy_version(s), specs, n,
                              challenge, sizeof(challenge));
}

td_err td_hello_build(const struct td_hello_spec *s, struct td_writer *out, struct td_diag *d)
{
    td_err ret;
    struct td_writer hs;
    size_t pad = SIZE_MAX;
    struct td_reader r;

    td_wr_init(&hs, TD_HELLO_CAP);
    if (d != NULL && d->ctx == NULL)
        d->ctx = "ClientHello spec";
    TRY(check_spec(s, d));
    if (s->sslv2) {
        ret = build_sslv2(s, out, d);
        goto out;
    }
    TRY(build_hs(s, &hs, SIZE_MAX));
    /* RFC 7685 3: padding fills the hello up to a chosen size; its own
     * 4-byte header counts, so a hello within 4 bytes of the target is
     * padded with an empty extension and ends up a little over */
    if (s->pad_to > hs.len && !s->no_extensions) {
        pad = s->pad_to - hs.len >= 4 ? s->pad_to - hs.len - 4 : 0;
        td_wr_reset(&hs);
        TRY(build_hs(s, &hs, pad));
    }
    if (!s->record) {
        ret = td_wr_bytes(out, hs.buf, hs.len);
        goto out;
    }
    /* RFC 8446 5.1: a handshake message larger than a record's 2^14 bytes
     * is fragmented over several records */
    td_rd_init(&r, hs.buf, hs.len, 0, NULL);
    while (!td_rd_empty(&r)) {
        struct td_bytes frag;
        size_t n = td_rd_left(&r) > 16384 ? 16384 : td_rd_left(&r);
        TRY(td_rd_bytes(&r, n, &frag, NULL));
        TRY(td_record_encode(out, TD_CT_HANDSHAKE, s->record_version != 0 ? s->record_version : TD_V_TLS10, frag.p,
                             frag.len));
    }
out:
    if (ret != TD_ERR_OK && ret != TD_ERR_BADVALUE && ret != TD_ERR_USAGE)
        (void)td_diag_set(d, ret, hs.len, "ClientHello");
    td_wr_free(&hs);
    return ret;
}

/* ---- mutators ---- */

static const char *const mutation_names[] = {
    "duplicate_extension", "ext_length_plus", "suites_length_odd", "hs_length_plus",
    "record_length_plus",  "trailing_byte",   "empty_compression",
};

const char *td_hello_mutation_name(enum td_hello_mutation m)
{
    if ((unsigned)m >= TD_ARRAY_LEN(mutation_names))
        return "unknown";
    return mutation_names[m];
}

/* Where the fields of a built hello are. */
struct layout {
    bool record;
    size_t hs_off; /* handshake header */
    struct td_client_hello ch;
};

static td_err locate(const struct td_writer *w, struct layout *l, struct td_diag *d)
{
    td_err ret;
    struct td_reader r, body;
    struct td_record rec;
    uint8_t type = 0;

    memset(l, 0, sizeof(*l));
    td_rd_init(&r, w->buf, w->len, 0, d);
    TRY(td_rd_peek_u8(&r, &type, "first byte"));
    if (type == TD_CT_HANDSHAKE) {
        TRY(td_record_parse(&r, &rec));
        TRY(td_rd_end(&r, "single-record hello"));
        l->record = true;
        l->hs_off = TD_RECORD_HEADER_LEN;
        td_rd_init(&r, rec.body.p, rec.body.len, rec.body.off, d);
    }
    TRY(td_hs_parse(&r, &type, &body));
    TRY(td_ch_decode(&body, &l->ch));
out:
    return ret;
}

static td_err patch_u24(struct td_writer *w, size_t pos, uint32_t v)
{
    td_err ret;
    TRY(td_wr_patch_u8(w, pos, (uint8_t)(v >> 16)));
    ret = td_wr_patch_u16(w, pos + 1, (uint16_t)v);
out:
    return ret;
}

static uint32_t get_be(const struct td_writer *w, size_t pos, unsigned n)
{
    struct td_reader r;
    uint16_t u16 = 0;
    uint32_t u24 = 0;
    td_rd_init(&r, w->buf, w->len, 0, NULL);
    if (td_rd_skip(&r, pos, NULL) != TD_ERR_OK)
        return 0;
    if (n == 2)
        return td_rd_u16(&r, &u16, NULL) == TD_ERR_OK ? u16 : 0;
    return td_rd_u24(&r, &u24, NULL) == TD_ERR_OK ? u24 : 0;
}

/* Adds delta to the handshake (and record) length. */
static td_err grow_outer(struct td_writer *w, const struct layout *l, long delta)
{
    td_err ret;
    TRY(patch_u24(w, l->hs_off + 1, (uint32_t)((long)get_be(w, l->hs_off + 1, 3) + delta)));
    if (l->record)
        TRY(td_wr_patch_u16(w, 3, (uint16_t)((long)get_be(w, 3, 2) + delta)));
out:
    return ret;
}

/* Replaces w's bytes [pos, pos+cut) with ins. */
static td_err splice(struct td_writer *w, size_t pos, size_t cut, const uint8_t *ins, size_t n)
{
    td_err ret;
    struct td_writer nw;

    td_wr_init(&nw, w->cap);
    TRY(td_wr_bytes(&nw, w->buf, pos));
    TRY(td_wr_bytes(&nw, ins, n));
    TRY(td_wr_bytes(&nw, w->buf + pos + cut, w->len - pos - cut));
    td_wr_reset(w);
    ret = td_wr_bytes(w, nw.buf, nw.len);
out:
    td_wr_free(&nw);
    return ret;
}

td_err td_hello_mutate(struct td_writer *w, enum td_hello_mutation m, uint16_t arg, struct td_diag *d)
{
    td_err ret;
    struct layout *l = td_malloc(sizeof(*l)); /* the extension table is large */
    const struct td_ext_raw *x = NULL;

    if (l == NULL)
        return TD_ERR_NOMEM;
    TRY(locate(w, l, d));
    if (m == TD_MUT_DUPLICATE_EXTENSION || m == TD_MUT_EXT_LENGTH_PLUS) {
        x = td_exts_find(&l->ch.ext, arg);
        if (x == NULL) {
            ret = td_diag_setf(d, TD_ERR_NOTFOUND, 0, "extension", "extension %u is not in the hello", arg);
            goto out;
        }
    }
    switch (m) {
    case TD_MUT_DUPLICATE_EXTENSION: {
        /* a second copy right after the first; extensions, handshake and
         * record lengths grow by its size */
        struct td_writer dup;
        size_t block_len_at = l->ch.ext.block.off - 2;
        td_wr_init(&dup, TD_HELLO_CAP);
        ret = td_ext_put_raw(&dup, x->type, x->data.p, x->data.len);
        if (ret == TD_ERR_OK)
            ret = splice(w, x->data.off + x->data.len, 0, dup.buf, dup.len);
        if (ret == TD_ERR_OK)
            ret = td_wr_patch_u16(w, block_len_at, (uint16_t)(get_be(w, block_len_at, 2) + dup.len));
        if (ret == TD_ERR_OK)
            ret = grow_outer(w, l, (long)dup.len);
        td_wr_free(&dup);
        break;
    }
    case TD_MUT_EXT_LENGTH_PLUS:
        ret = td_wr_patch_u16(w, x->data.off - 2, (uint16_t)(x->data.len + 1));
        break;
    case TD_MUT_SUITES_LENGTH_ODD:
        ret = td_wr_patch_u16(w, l->ch.cipher_suites.off - 2, (uint16_t)(l->ch.cipher_suites.len + 1));
        break;
    case TD_MUT_HS_LENGTH_PLUS:
        ret = patch_u24(w, l->hs_off + 1, (uint32_t)(get_be(w, l->hs_off + 1, 3) + 1));
        break;
    case TD_MUT_RECORD_LENGTH_PLUS:
        if (!l->record) {
            ret = td_diag_setf(d, TD_ERR_USAGE, 0, "record", "the hello is not record-wrapped");
            break;
        }
        ret = td_wr_patch_u16(w, 3, (uint16_t)(get_be(w, 3, 2) + 1));
        break;
    case TD_MUT_TRAILING_BYTE: {
        static const uint8_t zero = 0;
        ret = td_wr_bytes(w, &zero, 1);
        if (ret == TD_ERR_OK)
            ret = grow_outer(w, l, 1);
        break;
    }
    case TD_MUT_EMPTY_COMPRESSION: {
        size_t n = l->ch.compression_methods.len;
        ret = splice(w, l->ch.compression_methods.off, n, NULL, 0);
        if (ret == TD_ERR_OK)
            ret = td_wr_patch_u8(w, l->ch.compression_methods.off - 1, 0);
        if (ret == TD_ERR_OK)
            ret = grow_outer(w, l, -(long)n);
        break;
    }
    default:
        ret = td_diag_setf(d, TD_ERR_USAGE, 0, "mutation", "unknown mutation %d", (int)m);
        break;
    }
out:
    td_free(l);
    return ret;
}
