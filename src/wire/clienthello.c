/* ClientHello decode/encode, and the SSLv2-compatible CLIENT-HELLO. */
#include "wire/clienthello.h"

#include <stdio.h>
#include <string.h>

#include "wire/record.h"

/* RFC 8446 4.1.2 (and RFC 5246 7.4.1.2, whose extensions are optional):
 *   struct {
 *       ProtocolVersion legacy_version = 0x0303;
 *       Random random;                                   (32 bytes)
 *       opaque legacy_session_id<0..32>;
 *       CipherSuite cipher_suites<2..2^16-2>;
 *       opaque legacy_compression_methods<1..2^8-1>;
 *       Extension extensions<8..2^16-1>;                 (TLS 1.3)
 *   } ClientHello;
 * RFC 5246 7.4.1.2: "the client MAY request extended functionality from
 * servers by sending data in the extensions field" -- a hello that ends
 * after compression_methods is valid (SSLv3 and early TLS clients). */
td_err td_ch_decode(struct td_reader *b, struct td_client_hello *out)
{
    td_err ret;
    struct td_reader v;

    memset(out, 0, sizeof(*out));
    out->suite_width = 2;
    TRY(td_rd_u16(b, &out->legacy_version, "client_version"));
    TRY(td_rd_bytes(b, 32, &out->random, "random"));
    TRY(td_rd_vec(b, 1, 0, 32, &v, "session_id"));
    out->session_id = td_rd_rest(&v);
    TRY(td_rd_vec(b, 2, 2, 0xfffe, &v, "cipher_suites"));
    /* CipherSuite is uint8[2]: an odd length cannot be split into suites */
    if (v.len % 2 != 0) {
        ret = td_diag_setf(b->diag, TD_ERR_LENGTH, v.base - 2, "cipher_suites", "odd length %zu", v.len);
        goto out;
    }
    out->cipher_suites = td_rd_rest(&v);
    TRY(td_rd_vec(b, 1, 1, 0xff, &v, "compression_methods"));
    out->compression_methods = td_rd_rest(&v);
    if (td_rd_empty(b)) {
        td_exts_init(&out->ext);
        return TD_ERR_OK;
    }
    out->has_extensions = true;
    TRY(td_exts_parse(b, TD_MSG_CH, &out->ext));
    TRY(td_rd_end(b, "ClientHello"));
out:
    return ret;
}

/* RFC 5246 E.2 (and RFC 6101 E.1), after the 2-byte record header:
 *   uint8 msg_type;                  (1 = CLIENT-HELLO)
 *   Version version;
 *   uint16 cipher_spec_length;       (a multiple of 3, non-zero)
 *   uint16 session_id_length;        (0, or 16 in SSLv2; TLS clients send 0)
 *   uint16 challenge_length;         (16..32)
 *   V2CipherSpec cipher_specs[V2ClientHello.cipher_spec_length];
 *   opaque session_id[V2ClientHello.session_id_length];
 *   opaque challenge[V2ClientHello.challenge_length]; */
td_err td_ch_decode_sslv2(struct td_reader *b, struct td_client_hello *out)
{
    td_err ret;
    uint8_t type = 0;
    uint16_t specs = 0, sid = 0, chal = 0;

    memset(out, 0, sizeof(*out));
    out->sslv2 = true;
    out->suite_width = 3;
    TRY(td_rd_u8(b, &type, "SSLv2 msg_type"));
    if (type != 1) {
        ret = td_diag_setf(b->diag, TD_ERR_UNEXPECTED, td_rd_offset(b) - 1, "SSLv2 msg_type",
                           "type %u is not CLIENT-HELLO (1)", type);
        goto out;
    }
    TRY(td_rd_u16(b, &out->legacy_version, "SSLv2 version"));
    TRY(td_rd_u16(b, &specs, "cipher_spec_length"));
    TRY(td_rd_u16(b, &sid, "session_id_length"));
    TRY(td_rd_u16(b, &chal, "challenge_length"));
    if (specs == 0 || specs % 3 != 0) {
        ret = td_diag_setf(b->diag, TD_ERR_LENGTH, td_rd_offset(b) - 6, "cipher_spec_length",
                           "%u is not a non-zero multiple of 3", specs);
        goto out;
    }
    /* RFC 5246 E.2: session_id_length "MUST be zero" for a TLS client;
     * SSLv2 itself allowed 16. Accept both, reject other values. */
    if (sid != 0 && sid != 16) {
        ret = td_diag_setf(b->diag, TD_ERR_LENGTH, td_rd_offset(b) - 4, "session_id_length", "%u", sid);
        goto out;
    }
    /* RFC 6101 E.1: "CHALLENGE-LENGTH ... greater than or equal to 16 and
     * less than or equal to 32" */
    if (chal < 16 || chal > 32) {
        ret = td_diag_setf(b->diag, TD_ERR_LENGTH, td_rd_offset(b) - 2, "challenge_length", "%u outside 16..32", chal);
        goto out;
    }
    TRY(td_rd_bytes(b, specs, &out->cipher_suites, "cipher_specs"));
    TRY(td_rd_bytes(b, sid, &out->session_id, "session_id"));
    TRY(td_rd_bytes(b, chal, &out->random, "challenge"));
    TRY(td_rd_end(b, "SSLv2 CLIENT-HELLO"));
out:
    return ret;
}

td_err td_ch_parse_any(const uint8_t *p, size_t len, struct td_diag *d, struct td_client_hello *out)
{
    td_err ret;
    struct td_reader r, body;
    struct td_record rec;
    uint8_t type = 0;

    if (d != NULL && d->ctx == NULL)
        d->ctx = "ClientHello";
    td_rd_init(&r, p, len, 0, d);
    TRY(td_rd_peek_u8(&r, &type, "first byte"));
    if (type == TD_CT_HANDSHAKE || (type & 0x80) != 0) {
        TRY(td_record_parse(&r, &rec));
        TRY(td_rd_end(&r, "after the record"));
        td_rd_init(&r, rec.body.p, rec.body.len, rec.body.off, d);
        if (rec.type == TD_CT_SSL2)
            return td_ch_decode_sslv2(&r, out);
    }
    TRY(td_hs_parse(&r, &type, &body));
    if (type != TD_HS_CLIENT_HELLO) {
        ret =
            td_diag_setf(d, TD_ERR_UNEXPECTED, body.base - 4, "handshake type", "type %u is not ClientHello (1)", type);
        goto out;
    }
    TRY(td_ch_decode(&body, out));
    TRY(td_rd_end(&r, "after the ClientHello"));
out:
    return ret;
}

size_t td_ch_suite_count(const struct td_client_hello *ch)
{
    return td_list_count(ch->cipher_suites, ch->suite_width);
}

uint32_t td_ch_suite_at(const struct td_client_hello *ch, size_t i)
{
    return td_list_at(ch->cipher_suites, ch->suite_width, i);
}

bool td_ch_offers_suite(const struct td_client_hello *ch, uint16_t suite)
{
    return td_list_has(ch->cipher_suites, ch->suite_width, suite);
}

uint16_t td_ch_max_version(const struct td_client_hello *ch)
{
    uint16_t best = 0;
    size_t n = td_list_count(ch->ext.versions, 2);

    if (!td_exts_has(&ch->ext, TD_EXT_SUPPORTED_VERSIONS) || n == 0)
        return ch->legacy_version;
    for (size_t i = 0; i < n; i++) {
        uint16_t v = (uint16_t)td_list_at(ch->ext.versions, 2, i);
        if (!td_is_grease(v) && v > best)
            best = v;
    }
    return best;
}

td_err td_ch_encode(struct td_writer *w, const struct td_client_hello *ch)
{
    td_err ret;
    size_t hs, v;

    if (ch->sslv2 || ch->suite_width != 2 || ch->random.len != 32)
        return TD_ERR_USAGE;
    TRY(td_hs_open(w, TD_HS_CLIENT_HELLO, &hs));
    TRY(td_wr_u16(w, ch->legacy_version));
    TRY(td_wr_bytes(w, ch->random.p, 32));
    TRY(td_wr_open(w, 1, &v));
    TRY(td_wr_bytes(w, ch->session_id.p, ch->session_id.len));
    TRY(td_wr_close(w, v, 1));
    TRY(td_wr_open(w, 2, &v));
    TRY(td_wr_bytes(w, ch->cipher_suites.p, ch->cipher_suites.len));
    TRY(td_wr_close(w, v, 2));
    TRY(td_wr_open(w, 1, &v));
    TRY(td_wr_bytes(w, ch->compression_methods.p, ch->compression_methods.len));
    TRY(td_wr_close(w, v, 1));
    if (ch->has_extensions) {
        TRY(td_wr_open(w, 2, &v));
        for (size_t i = 0; i < ch->ext.count; i++)
            TRY(td_ext_put_raw(w, ch->ext.list[i].type, ch->ext.list[i].data.p, ch->ext.list[i].data.len));
        TRY(td_wr_close(w, v, 2));
    }
    ret = td_hs_close(w, hs);
out:
    return ret;
}

/* Appends "-"-joined decimal entries of a list view (GREASE dropped). */
static td_err ja3_list(struct td_writer *w, struct td_bytes list, unsigned width, bool grease_filter)
{
    td_err ret = TD_ERR_OK;
    size_t n = td_list_count(list, width);
    bool first = true;

    for (size_t i = 0; i < n; i++) {
        uint32_t v = td_list_at(list, width, i);
        char num[12];
        int k;
        if (grease_filter && td_is_grease((uint16_t)v))
            continue;
        k = snprintf(num, sizeof(num), "%s%u", first ? "" : "-", (unsigned)v);
        if (k < 0)
            return TD_ERR_INTERNAL;
        TRY(td_wr_bytes(w, num, (size_t)k));
        first = false;
    }
out:
    return ret;
}

td_err td_ch_ja3(const struct td_client_hello *ch, char *buf, size_t cap)
{
    td_err ret;
    struct td_writer w;
    char num[8];
    bool first = true;
    int k;

    if (ch->sslv2)
        return TD_ERR_USAGE;
    if (cap == 0)
        return TD_ERR_TOOBIG;
    td_wr_init_fixed(&w, (uint8_t *)buf, cap - 1);
    k = snprintf(num, sizeof(num), "%u,", ch->legacy_version);
    TRY(td_wr_bytes(&w, num, (size_t)k));
    TRY(ja3_list(&w, ch->cipher_suites, 2, true));
    TRY(td_wr_u8(&w, ','));
    for (size_t i = 0; i < ch->ext.count; i++) {
        if (td_is_grease(ch->ext.list[i].type))
            continue;
        k = snprintf(num, sizeof(num), "%s%u", first ? "" : "-", ch->ext.list[i].type);
        TRY(td_wr_bytes(&w, num, (size_t)k));
        first = false;
    }
    TRY(td_wr_u8(&w, ','));
    TRY(ja3_list(&w, ch->ext.groups, 2, true));
    TRY(td_wr_u8(&w, ','));
    TRY(ja3_list(&w, ch->ext.point_formats, 1, false));
    buf[w.len] = '\0';
out:
    if (ret != TD_ERR_OK)
        buf[0] = '\0';
    return ret;
}

td_err td_ch_encode_sslv2(struct td_writer *w, uint16_t version, const uint32_t *specs, size_t n,
                          const uint8_t *challenge, size_t challenge_len)
{
    td_err ret;
    size_t body = 9 + 3 * n + challenge_len;

    /* the 15-bit record length and the 16-bit cipher_spec_length bound n */
    if (n == 0 || challenge_len < 16 || challenge_len > 32 || body > 0x7fff)
        return TD_ERR_USAGE;
    TRY(td_wr_u16(w, (uint16_t)(0x8000u | body)));
    TRY(td_wr_u8(w, 1)); /* CLIENT-HELLO */
    TRY(td_wr_u16(w, version));
    TRY(td_wr_u16(w, (uint16_t)(3 * n)));
    TRY(td_wr_u16(w, 0));
    TRY(td_wr_u16(w, (uint16_t)challenge_len));
    for (size_t i = 0; i < n; i++)
        TRY(td_wr_u24(w, specs[i] & 0xffffffu));
    ret = td_wr_bytes(w, challenge, challenge_len);
out:
    return ret;
}
