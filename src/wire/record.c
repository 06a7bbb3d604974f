/* Records, alerts, ChangeCipherSpec, handshake headers and the two
 * reassemblers. */
#include "wire/record.h"

#include <string.h>

#include "core/mem.h"

static bool known_content_type(uint8_t t)
{
    return t >= TD_CT_CHANGE_CIPHER_SPEC && t <= TD_CT_HEARTBEAT;
}

/* RFC 8446 5.1:
 *   struct {
 *       ContentType type;
 *       ProtocolVersion legacy_record_version;
 *       uint16 length;
 *       opaque fragment[TLSPlaintext.length];
 *   } TLSPlaintext;
 * RFC 5246 E.2 (SSLv2-compatible record, 2-byte header):
 *   uint8 V2CipherSpec...  msg_length: the high bit of the first byte is 1,
 *   the remaining 15 bits are the length of the body that follows. */
td_err td_record_parse(struct td_reader *r, struct td_record *out)
{
    td_err ret;
    uint8_t type = 0;
    uint16_t u16 = 0;
    struct td_reader body;

    memset(out, 0, sizeof(*out));
    TRY(td_rd_peek_u8(r, &type, "record type"));
    if (type & 0x80) {
        TRY(td_rd_u16(r, &u16, "SSLv2 record length"));
        /* RFC 6101 E.1: msg_length 15 bits; a CLIENT-HELLO is at least 9
         * bytes of header (RFC 5246 E.2: a zero length would carry no message) */
        /* tlsdiag's cap: 15 bits would allow 32767, but a hello never
         * comes near, and the record buffer holds TD_RECORD_MAX_BODY */
        if ((u16 & 0x7fff) == 0 || (u16 & 0x7fff) > TD_RECORD_MAX_BODY) {
            ret = td_diag_setf(r->diag, TD_ERR_LENGTH, td_rd_offset(r) - 2, "SSLv2 record length",
                               "length %u outside <1..%u>", u16 & 0x7fffu, (unsigned)TD_RECORD_MAX_BODY);
            goto out;
        }
        TRY(td_rd_bytes(r, u16 & 0x7fff, &out->body, "SSLv2 record body"));
        out->type = TD_CT_SSL2;
        out->header_len = 2;
        return TD_ERR_OK;
    }
    if (!known_content_type(type)) {
        /* RFC 8446 5: "If a TLS implementation receives an unexpected
         * record type, it MUST terminate the connection" */
        ret = td_diag_setf(r->diag, TD_ERR_BADVALUE, td_rd_offset(r), "record type", "0x%02x is not a TLS content type",
                           type);
        goto out;
    }
    TRY(td_rd_skip(r, 1, "record type"));
    TRY(td_rd_u16(r, &out->version, "record version"));
    /* RFC 5246 6.2.3: length MUST NOT exceed 2^14 + 2048 */
    TRY(td_rd_vec(r, 2, 0, TD_RECORD_MAX_BODY, &body, "record length"));
    /* RFC 8446 5.1: zero-length fragments of handshake, alert or
     * ChangeCipherSpec MUST NOT be sent. RFC 5246 6.2.1 allows empty
     * application_data. */
    if (td_rd_left(&body) == 0 && type != TD_CT_APPLICATION_DATA) {
        ret = td_diag_setf(r->diag, TD_ERR_LENGTH, td_rd_offset(&body) - 2, "record length", "empty record of type %u",
                           type);
        goto out;
    }
    out->type = type;
    out->header_len = TD_RECORD_HEADER_LEN;
    out->body = td_rd_rest(&body);
    return TD_ERR_OK;
out:
    return ret;
}

td_err td_record_encode(struct td_writer *w, uint8_t type, uint16_t version, const uint8_t *body, size_t len)
{
    td_err ret;
    size_t mark;
    TRY(td_record_open(w, type, version, &mark));
    TRY(td_wr_bytes(w, body, len));
    ret = td_record_close(w, mark);
out:
    return ret;
}

td_err td_record_open(struct td_writer *w, uint8_t type, uint16_t version, size_t *mark)
{
    td_err ret;
    TRY(td_wr_u8(w, type));
    TRY(td_wr_u16(w, version));
    ret = td_wr_open(w, 2, mark);
out:
    return ret;
}

td_err td_record_close(struct td_writer *w, size_t mark)
{
    return td_wr_close(w, mark, 2);
}

/* RFC 5246 7.2: struct { AlertLevel level; AlertDescription description; } Alert; */
td_err td_alert_parse(struct td_reader *r, struct td_alert *out)
{
    td_err ret;
    TRY(td_rd_u8(r, &out->level, "alert level"));
    TRY(td_rd_u8(r, &out->description, "alert description"));
out:
    return ret;
}

td_err td_alert_encode(struct td_writer *w, struct td_alert a)
{
    td_err ret;
    TRY(td_wr_u8(w, a.level));
    ret = td_wr_u8(w, a.description);
out:
    return ret;
}

/* RFC 5246 7.1: struct { enum { change_cipher_spec(1), (255) } type; } ChangeCipherSpec;
 * RFC 8446 5: "a single byte of value 0x01" */
td_err td_ccs_parse(struct td_reader *r)
{
    td_err ret;
    uint8_t v = 0;
    TRY(td_rd_u8(r, &v, "change_cipher_spec"));
    if (v != 1)
        ret = td_rd_fail(r, TD_ERR_BADVALUE, "change_cipher_spec");
out:
    return ret;
}

/* RFC 8446 4: struct { HandshakeType msg_type; uint24 length; ... } Handshake; */
td_err td_hs_parse(struct td_reader *r, uint8_t *type, struct td_reader *body)
{
    td_err ret;
    TRY(td_rd_u8(r, type, "handshake type"));
    TRY(td_rd_vec(r, 3, 0, 0xffffff, body, "handshake length"));
out:
    return ret;
}

td_err td_hs_open(struct td_writer *w, uint8_t type, size_t *mark)
{
    td_err ret;
    TRY(td_wr_u8(w, type));
    ret = td_wr_open(w, 3, mark);
out:
    return ret;
}

td_err td_hs_close(struct td_writer *w, size_t mark)
{
    return td_wr_close(w, mark, 3);
}

/* ---- record stream ---- */

void td_recbuf_init(struct td_recbuf *rb, size_t base)
{
    rb->len = 0;
    rb->head = 0;
    rb->base = base;
    rb->failed = false;
}

static void recbuf_compact(struct td_recbuf *rb)
{
    if (rb->head == 0)
        return;
    memmove(rb->buf, rb->buf + rb->head, rb->len - rb->head);
    rb->len -= rb->head;
    rb->base += rb->head;
    rb->head = 0;
}

size_t td_recbuf_feed(struct td_recbuf *rb, const uint8_t *data, size_t len)
{
    size_t room, n;

    recbuf_compact(rb);
    room = TD_RECBUF_CAP - rb->len;
    n = len < room ? len : room;
    if (n > 0)
        memcpy(rb->buf + rb->len, data, n);
    rb->len += n;
    return n;
}

td_err td_recbuf_next(struct td_recbuf *rb, struct td_record *out, bool *ready, struct td_diag *d)
{
    struct td_reader r;
    struct td_diag local;
    td_err ret;

    *ready = false;
    if (rb->failed)
        return td_diag_set(d, TD_ERR_BADVALUE, td_recbuf_offset(rb), "record stream after an error");
    recbuf_compact(rb);
    /* parse against a scratch diag: "too short" here means "wait" */
    td_diag_init(&local);
    td_rd_init(&r, rb->buf, rb->len, rb->base, &local);
    ret = td_record_parse(&r, out);
    if (ret == TD_ERR_TRUNCATED)
        return TD_ERR_OK;
    if (ret != TD_ERR_OK) {
        rb->failed = true;
        if (d != NULL && d->code == TD_ERR_OK) {
            const char *ctx = d->ctx;
            *d = local;
            d->ctx = ctx;
        }
        return ret;
    }
    rb->head = r.pos;
    *ready = true;
    return TD_ERR_OK;
}

size_t td_recbuf_pending(const struct td_recbuf *rb)
{
    return rb->len - rb->head;
}
size_t td_recbuf_offset(const struct td_recbuf *rb)
{
    return rb->base + rb->head;
}

struct td_bytes td_recbuf_rest(const struct td_recbuf *rb)
{
    struct td_bytes b = {rb->buf + rb->head, rb->len - rb->head, rb->base + rb->head};
    return b;
}

/* ---- handshake stream ---- */

void td_hsbuf_init(struct td_hsbuf *hb)
{
    td_wr_init(&hb->w, TD_HSBUF_CAP);
    hb->head = 0;
    hb->base = 0;
}

void td_hsbuf_free(struct td_hsbuf *hb)
{
    if (hb == NULL)
        return;
    td_wr_free(&hb->w);
}

static void hsbuf_compact(struct td_hsbuf *hb)
{
    if (hb->head == 0)
        return;
    memmove(hb->w.buf, hb->w.buf + hb->head, hb->w.len - hb->head);
    hb->w.len -= hb->head;
    hb->base += hb->head;
    hb->head = 0;
}

td_err td_hsbuf_feed(struct td_hsbuf *hb, const uint8_t *data, size_t len)
{
    hsbuf_compact(hb);
    return td_wr_bytes(&hb->w, data, len);
}

td_err td_hsbuf_next(struct td_hsbuf *hb, struct td_hsmsg *out, bool *ready, struct td_diag *d)
{
    struct td_reader r, body;
    uint8_t type = 0;
    uint32_t len = 0;
    size_t start;

    *ready = false;
    hsbuf_compact(hb);
    td_rd_init(&r, hb->w.buf, hb->w.len, hb->base, NULL);
    if (td_rd_u8(&r, &type, NULL) != TD_ERR_OK || td_rd_u24(&r, &len, NULL) != TD_ERR_OK)
        return TD_ERR_OK;
    if ((size_t)len + TD_HS_HEADER_LEN > TD_HSBUF_CAP)
        return td_diag_setf(d, TD_ERR_TOOBIG, hb->base + 1, "handshake length", "%u bytes, cap %u", (unsigned)len,
                            (unsigned)TD_HSBUF_CAP - TD_HS_HEADER_LEN);
    start = r.pos;
    if (td_rd_sub(&r, len, &body, NULL) != TD_ERR_OK)
        return TD_ERR_OK;
    out->type = type;
    out->body.p = body.buf;
    out->body.len = body.len;
    out->body.off = body.base;
    out->whole.p = hb->w.buf;
    out->whole.len = start + len;
    out->whole.off = hb->base;
    hb->head = r.pos;
    *ready = true;
    return TD_ERR_OK;
}

size_t td_hsbuf_pending(const struct td_hsbuf *hb)
{
    return hb->w.len - hb->head;
}
