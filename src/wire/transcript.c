/* Transcript storage and the flight reader. */
#include "wire/transcript.h"

#include <stdint.h>
#include <string.h>

#include "core/mem.h"
#include "wire/certreq.h"

static const char *const kind_names[] = {
#define TD_EV_NAME(n, s) s,
    TD_EV_KINDS(TD_EV_NAME)
#undef TD_EV_NAME
};

const char *td_ev_kind_name(enum td_ev_kind k)
{
    if ((unsigned)k >= TD_EV__COUNT)
        return "unknown";
    return kind_names[k];
}

const char *td_dir_name(enum td_dir d)
{
    return d == TD_DIR_C2S ? "c2s" : "s2c";
}

const char *td_hs_type_name(uint8_t type)
{
    switch (type) {
    case TD_HS_HELLO_REQUEST:
        return "HelloRequest";
    case TD_HS_CLIENT_HELLO:
        return "ClientHello";
    case TD_HS_SERVER_HELLO:
        return "ServerHello";
    case TD_HS_NEW_SESSION_TICKET:
        return "NewSessionTicket";
    case TD_HS_END_OF_EARLY_DATA:
        return "EndOfEarlyData";
    case TD_HS_ENCRYPTED_EXTENSIONS:
        return "EncryptedExtensions";
    case TD_HS_CERTIFICATE:
        return "Certificate";
    case TD_HS_SERVER_KEY_EXCHANGE:
        return "ServerKeyExchange";
    case TD_HS_CERTIFICATE_REQUEST:
        return "CertificateRequest";
    case TD_HS_SERVER_HELLO_DONE:
        return "ServerHelloDone";
    case TD_HS_CERTIFICATE_VERIFY:
        return "CertificateVerify";
    case TD_HS_CLIENT_KEY_EXCHANGE:
        return "ClientKeyExchange";
    case TD_HS_FINISHED:
        return "Finished";
    case TD_HS_CERTIFICATE_STATUS:
        return "CertificateStatus";
    case TD_HS_KEY_UPDATE:
        return "KeyUpdate";
    default:
        return "handshake";
    }
}

/* ---- transcript ---- */

void td_transcript_init(struct td_transcript *t)
{
    memset(t, 0, sizeof(*t));
}

void td_transcript_free(struct td_transcript *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->count; i++)
        td_free(t->ev[i].data);
    td_free(t->ev);
    memset(t, 0, sizeof(*t));
}

td_err td_transcript_add(struct td_transcript *t, enum td_ev_kind kind, enum td_dir dir, uint64_t t_us,
                         const uint8_t *data, size_t len, struct td_event **out)
{
    struct td_event *e;
    size_t keep = len;

    if (t->count == TD_TRANSCRIPT_MAX_EVENTS)
        return TD_ERR_TOOBIG;
    if (t->count == t->alloc) {
        size_t na = t->alloc != 0 ? t->alloc * 2 : 16;
        struct td_event *nv;
        if (na > TD_TRANSCRIPT_MAX_EVENTS)
            na = TD_TRANSCRIPT_MAX_EVENTS;
        nv = td_reallocarray(t->ev, na, sizeof(*nv));
        if (nv == NULL)
            return TD_ERR_NOMEM;
        t->ev = nv;
        t->alloc = na;
    }
    if (keep > TD_EVENT_DATA_CAP)
        keep = TD_EVENT_DATA_CAP;
    if (keep > TD_TRANSCRIPT_DATA_CAP - t->data_bytes)
        keep = TD_TRANSCRIPT_DATA_CAP - t->data_bytes;
    e = &t->ev[t->count];
    memset(e, 0, sizeof(*e));
    if (keep > 0 && data != NULL) {
        e->data = td_malloc(keep);
        if (e->data == NULL)
            return TD_ERR_NOMEM;
        memcpy(e->data, data, keep);
        e->data_len = keep;
        t->data_bytes += keep;
    }
    e->kind = kind;
    e->dir = dir;
    e->t_us = t_us;
    e->wire_len = len;
    e->data_truncated = e->data_len < len;
    td_diag_init(&e->diag);
    t->count++;
    if (out != NULL)
        *out = e;
    return TD_ERR_OK;
}

size_t td_transcript_find(const struct td_transcript *t, enum td_dir dir, enum td_ev_kind kind, int hs_type)
{
    for (size_t i = 0; i < t->count; i++) {
        const struct td_event *e = &t->ev[i];
        if (e->dir != dir || e->kind != kind)
            continue;
        if (kind == TD_EV_HANDSHAKE && hs_type >= 0 && e->hs_type != (uint8_t)hs_type)
            continue;
        return i;
    }
    return SIZE_MAX;
}

/* ---- flight reader ---- */

void td_flight_init(struct td_flight *fl, struct td_transcript *t, enum td_dir dir)
{
    memset(fl, 0, sizeof(*fl));
    fl->t = t;
    fl->dir = dir;
    fl->garbage_ev = SIZE_MAX;
    td_recbuf_init(&fl->rb, 0);
    td_hsbuf_init(&fl->hb);
}

void td_flight_free(struct td_flight *fl)
{
    if (fl == NULL)
        return;
    td_hsbuf_free(&fl->hb);
}

void td_flight_set_version(struct td_flight *fl, uint16_t version, uint16_t suite)
{
    fl->version = version;
    fl->suite = suite;
}

/* Adds a MALFORMED event carrying bytes and the diagnosis. */
static td_err add_malformed(struct td_flight *fl, uint64_t t_us, size_t off, struct td_bytes bytes,
                            const struct td_diag *d)
{
    struct td_event *e;
    td_err ret = td_transcript_add(fl->t, TD_EV_MALFORMED, fl->dir, t_us, bytes.p, bytes.len, &e);
    if (ret != TD_ERR_OK)
        return ret;
    e->stream_off = off;
    e->diag = *d;
    fl->seen |= TD_SEEN_MALFORMED;
    return TD_ERR_OK;
}

static bool guess_kex(struct td_flight *fl, struct td_bytes body, enum td_kex *kex)
{
    if (fl->kex_of != NULL && fl->kex_of(fl->suite, fl->kex_arg, kex))
        return true;
    /* ECParameters start with curve_type named_curve(3); a DH prime's
     * 2-byte length starting with 0x03 would mean a p of 768+ bytes
     * (6144+ bits), which servers do not send. */
    *kex = td_list_at(body, 1, 0) == 3 ? TD_KEX_ECDHE : TD_KEX_DHE;
    return false;
}

static void summarise(struct td_flight *fl, uint8_t type, struct td_bytes body, struct td_event *e, struct td_diag *d)
{
    struct td_reader r;
    td_err ret = TD_ERR_OK;
    struct td_ev_summary *s = &e->sum;

    /* the message parsers keep big structs (extension tables): static
     * storage would make this non-reentrant, so they live on the stack */
    td_rd_init(&r, body.p, body.len, TD_HS_HEADER_LEN, d);
    switch (type) {
    case TD_HS_CLIENT_HELLO: {
        struct td_client_hello ch;
        d->ctx = "ClientHello";
        ret = td_ch_decode(&r, &ch);
        if (ret == TD_ERR_OK) {
            s->version = td_ch_max_version(&ch);
            s->count = td_ch_suite_count(&ch);
            s->sni = ch.ext.sni_host.p != NULL;
        }
        fl->seen |= TD_SEEN_CLIENT_HELLO;
        break;
    }
    case TD_HS_SERVER_HELLO: {
        struct td_server_hello sh;
        d->ctx = "ServerHello";
        ret = td_sh_decode(&r, &sh);
        if (ret == TD_ERR_OK) {
            s->version = sh.version;
            s->cipher_suite = sh.cipher_suite;
            s->hrr = sh.hrr;
            s->group = sh.ext.ks_group;
            if (!sh.hrr) {
                fl->version = sh.version;
                fl->suite = sh.cipher_suite;
                /* RFC 8446 2: everything after the ServerHello is encrypted */
                fl->protected_hs = sh.tls13;
            }
            fl->seen |= sh.hrr ? TD_SEEN_HRR : TD_SEEN_SERVER_HELLO;
        } else {
            fl->seen |= TD_SEEN_SERVER_HELLO;
        }
        break;
    }
    case TD_HS_CERTIFICATE: {
        struct td_certificate c;
        d->ctx = "Certificate";
        ret = td_cert_decode(&r, fl->version == TD_V_TLS13, &c);
        if (ret == TD_ERR_OK) {
            s->count = c.count;
            s->bytes = c.total_der;
        }
        fl->seen |= TD_SEEN_CERTIFICATE;
        break;
    }
    case TD_HS_SERVER_KEY_EXCHANGE: {
        struct td_ske ske;
        enum td_kex kex = TD_KEX_ECDHE;
        bool sure = guess_kex(fl, body, &kex);
        d->ctx = "ServerKeyExchange";
        ret = td_ske_decode(&r, fl->version, kex, &ske);
        if (ret == TD_ERR_OK) {
            s->group = ske.named_curve;
            s->bits = kex == TD_KEX_RSA_EXPORT ? ske.rsa_modulus_bits : ske.dh_p_bits;
            s->sigalg = ske.sigalg;
        } else if (!sure) {
            /* a guess that did not fit is not the peer's fault */
            td_diag_init(d);
            ret = TD_ERR_OK;
            s->decoded = false;
            fl->seen |= TD_SEEN_SKE;
            return;
        }
        fl->seen |= TD_SEEN_SKE;
        break;
    }
    case TD_HS_CERTIFICATE_REQUEST: {
        struct td_certreq cr;
        d->ctx = "CertificateRequest";
        ret = td_certreq_decode(&r, fl->version, &cr);
        fl->seen |= TD_SEEN_CERTREQ;
        break;
    }
    case TD_HS_SERVER_HELLO_DONE:
        d->ctx = "ServerHelloDone";
        ret = td_shd_decode(&r);
        fl->seen |= TD_SEEN_SHD;
        break;
    default:
        fl->seen |= TD_SEEN_OTHER_HS;
        return; /* kept as bytes; not decoded here */
    }
    s->decoded = ret == TD_ERR_OK;
}

static td_err on_handshake_msg(struct td_flight *fl, const struct td_hsmsg *m, size_t rec_off, uint64_t t_us)
{
    struct td_event *e;
    struct td_diag d;
    td_err ret;

    TRY(td_transcript_add(fl->t, TD_EV_HANDSHAKE, fl->dir, t_us, m->whole.p, m->whole.len, &e));
    e->stream_off = rec_off;
    e->hs_type = m->type;
    td_diag_init(&d);
    summarise(fl, m->type, m->body, e, &d);
    if (d.code != TD_ERR_OK)
        TRY(add_malformed(fl, t_us, rec_off, m->whole, &d));
out:
    return ret;
}

/* SSLv2 framing (RFC 6101 E / draft-hickman). Only the hellos are in the
 * clear; after one, later SSLv2 records are opaque. A first SSLv2 record
 * that is neither the expected hello nor an SSLv2 ERROR is not SSLv2 at all
 * but bytes with the top bit set: a framing error. */
static td_err on_sslv2(struct td_flight *fl, const struct td_record *rec, size_t rec_off, uint64_t t_us)
{
    struct td_event *e;
    struct td_diag d;
    struct td_reader r;
    td_err ret, perr;
    uint8_t type = (uint8_t)td_list_at(rec->body, 1, 0);
    uint8_t hello = fl->dir == TD_DIR_C2S ? 1 : 4;

    if (fl->sslv2_hello) {
        TRY(td_transcript_add(fl->t, TD_EV_ENCRYPTED, fl->dir, t_us, rec->body.p, rec->body.len, &e));
        e->stream_off = rec_off;
        e->content_type = TD_CT_SSL2;
        fl->seen |= TD_SEEN_ENCRYPTED;
        goto out;
    }
    /* MSG-ERROR: char MSG-ERROR(0); char ERROR-CODE-MSB; char ERROR-CODE-LSB */
    if (type != hello && !(type == 0 && rec->body.len == 3)) {
        td_diag_init(&d);
        d.ctx = "SSLv2 record";
        (void)td_diag_setf(&d, TD_ERR_BADVALUE, rec->body.off, "SSLv2 msg_type",
                           "type %u where an SSLv2 %s was expected", type,
                           hello == 1 ? "CLIENT-HELLO" : "SERVER-HELLO");
        TRY(add_malformed(fl, t_us, rec_off, rec->body, &d));
        fl->failed = true;
        fl->garbage_ev = fl->t->count - 1;
        goto out;
    }

    TRY(td_transcript_add(fl->t, TD_EV_HANDSHAKE, fl->dir, t_us, rec->body.p, rec->body.len, &e));
    e->stream_off = rec_off;
    e->sslv2 = true;
    e->hs_type = (uint8_t)td_list_at(rec->body, 1, 0);
    fl->seen |= TD_SEEN_SSLV2;
    td_diag_init(&d);
    td_rd_init(&r, rec->body.p, rec->body.len, rec->body.off, &d);
    if (e->hs_type == 1) {
        struct td_client_hello ch;
        d.ctx = "SSLv2 CLIENT-HELLO";
        perr = td_ch_decode_sslv2(&r, &ch);
        if (perr == TD_ERR_OK) {
            e->sum.version = ch.legacy_version;
            e->sum.count = td_ch_suite_count(&ch);
        }
        fl->seen |= TD_SEEN_CLIENT_HELLO;
    } else if (e->hs_type == 4) {
        struct td_sslv2_server_hello sh;
        d.ctx = "SSLv2 SERVER-HELLO";
        perr = td_sh_decode_sslv2(&r, &sh);
        if (perr == TD_ERR_OK) {
            e->sum.version = sh.version;
            e->sum.count = td_list_count(sh.cipher_specs, 3);
            e->sum.bytes = sh.certificate.len;
        }
    } else {
        e->sum.decoded = true; /* SSLv2 ERROR: its code is in the bytes */
        return TD_ERR_OK;
    }
    fl->sslv2_hello = true;
    e->sum.decoded = perr == TD_ERR_OK;
    if (perr != TD_ERR_OK)
        TRY(add_malformed(fl, t_us, rec_off, rec->body, &d));
out:
    return ret;
}

/* After a ChangeCipherSpec, TLS <= 1.2 protects every later record. In
 * TLS 1.3 a CCS is only middlebox camouflage (RFC 8446 D.4): after a
 * HelloRetryRequest the server's ServerHello and the client's second
 * ClientHello still come in the clear. With the version not (yet) known,
 * a record that holds exactly whole plaintext hello messages is taken as
 * plaintext. */
static bool after_ccs_is_protected(const struct td_flight *fl, const struct td_record *rec)
{
    struct td_reader r, body;
    uint8_t type = 0;

    if (fl->version != 0)
        return fl->version < TD_V_TLS13;
    if (rec->type != TD_CT_HANDSHAKE)
        return true;
    td_rd_init(&r, rec->body.p, rec->body.len, 0, NULL);
    while (!td_rd_empty(&r)) {
        if (td_hs_parse(&r, &type, &body) != TD_ERR_OK)
            return true;
        if (type != TD_HS_CLIENT_HELLO && type != TD_HS_SERVER_HELLO)
            return true;
    }
    return false;
}

static td_err on_record(struct td_flight *fl, const struct td_record *rec, uint64_t t_us)
{
    uint8_t hdr[TD_RECORD_HEADER_LEN];
    struct td_writer hw;
    struct td_event *e;
    struct td_reader r;
    struct td_diag d;
    size_t rec_off = rec->body.off - rec->header_len;
    bool encrypted;
    td_err ret;

    /* the header as it was on the wire (rebuilt from its fields) */
    td_wr_init_fixed(&hw, hdr, sizeof(hdr));
    if (rec->type == TD_CT_SSL2) {
        TRY(td_wr_u16(&hw, (uint16_t)(0x8000u | rec->body.len)));
    } else {
        TRY(td_wr_u8(&hw, (uint8_t)rec->type));
        TRY(td_wr_u16(&hw, rec->version));
        TRY(td_wr_u16(&hw, (uint16_t)rec->body.len));
    }
    TRY(td_transcript_add(fl->t, TD_EV_RECORD, fl->dir, t_us, hdr, hw.len, &e));
    e->stream_off = rec_off;
    e->content_type = rec->type;
    e->record_version = rec->version;
    e->sslv2 = rec->type == TD_CT_SSL2;
    e->wire_len = rec->header_len + rec->body.len;

    td_diag_init(&d);
    if (rec->type != TD_CT_HANDSHAKE && td_hsbuf_pending(&fl->hb) > 0) {
        /* RFC 8446 5.1: "Handshake messages MUST NOT be interleaved with
         * other record types." An observation; parsing goes on. */
        d.ctx = "record";
        (void)td_diag_setf(&d, TD_ERR_UNEXPECTED, rec_off, "record type",
                           "record of type %u inside a fragmented handshake message (RFC 8446 5.1)", rec->type);
        TRY(add_malformed(fl, t_us, rec_off, rec->body, &d));
        td_diag_init(&d);
    }
    /* After this side's ChangeCipherSpec (<= TLS 1.2) or a TLS 1.3
     * ServerHello, handshake and alert records are protected. */
    encrypted =
        rec->type == TD_CT_APPLICATION_DATA || ((rec->type == TD_CT_HANDSHAKE || rec->type == TD_CT_ALERT) &&
                                                (fl->protected_hs || (fl->ccs && after_ccs_is_protected(fl, rec))));
    /* A protected record carries at least a MAC or AEAD tag, so a 2-byte
     * alert record is a plaintext alert even after the keys changed: peers
     * that fail early send them so (and the diagnosis needs the code). */
    if (rec->type == TD_CT_ALERT && rec->body.len == 2)
        encrypted = false;
    if (encrypted) {
        TRY(td_transcript_add(fl->t, TD_EV_ENCRYPTED, fl->dir, t_us, rec->body.p, rec->body.len, &e));
        e->stream_off = rec_off;
        e->content_type = rec->type;
        fl->seen |= TD_SEEN_ENCRYPTED;
        goto out;
    }
    td_rd_init(&r, rec->body.p, rec->body.len, rec->body.off, &d);
    switch (rec->type) {
    case TD_CT_SSL2:
        TRY(on_sslv2(fl, rec, rec_off, t_us));
        break;
    case TD_CT_CHANGE_CIPHER_SPEC:
        d.ctx = "ChangeCipherSpec";
        if (td_ccs_parse(&r) != TD_ERR_OK || td_rd_end(&r, "ChangeCipherSpec") != TD_ERR_OK) {
            TRY(add_malformed(fl, t_us, rec_off, rec->body, &d));
            break;
        }
        TRY(td_transcript_add(fl->t, TD_EV_CCS, fl->dir, t_us, rec->body.p, rec->body.len, &e));
        e->stream_off = rec_off;
        fl->ccs = true;
        fl->seen |= TD_SEEN_CCS;
        break;
    case TD_CT_ALERT:
        d.ctx = "Alert";
        /* RFC 5246 6.2.1 allows several alerts in one record (RFC 8446
         * 5.1 forbids it); take each, a lone odd byte is malformed */
        while (!td_rd_empty(&r)) {
            struct td_alert a;
            struct td_reader mark = r;
            struct td_bytes raw;
            if (td_alert_parse(&r, &a) != TD_ERR_OK) {
                TRY(add_malformed(fl, t_us, rec_off, rec->body, &d));
                break;
            }
            if (td_rd_bytes(&mark, 2, &raw, NULL) != TD_ERR_OK)
                break;
            TRY(td_transcript_add(fl->t, TD_EV_ALERT, fl->dir, t_us, raw.p, raw.len, &e));
            e->stream_off = rec_off;
            e->alert_level = a.level;
            e->alert_desc = a.description;
            fl->seen |= TD_SEEN_ALERT;
            if (a.level == TD_ALERT_FATAL)
                fl->seen |= TD_SEEN_FATAL_ALERT;
        }
        break;
    case TD_CT_HANDSHAKE: {
        struct td_hsmsg m;
        bool ready = false;
        d.ctx = "handshake";
        ret = td_hsbuf_feed(&fl->hb, rec->body.p, rec->body.len);
        if (ret != TD_ERR_OK) {
            (void)td_diag_setf(&d, ret, rec_off, "handshake message", "reassembly buffer cap %u reached",
                               (unsigned)TD_HSBUF_CAP);
            fl->failed = true;
            ret = add_malformed(fl, t_us, rec_off, rec->body, &d);
            goto out;
        }
        for (;;) {
            if (td_hsbuf_next(&fl->hb, &m, &ready, &d) != TD_ERR_OK) {
                fl->failed = true;
                TRY(add_malformed(fl, t_us, rec_off, rec->body, &d));
                break;
            }
            if (!ready)
                break;
            TRY(on_handshake_msg(fl, &m, rec_off, t_us));
        }
        break;
    }
    default:
        break; /* heartbeat: the RECORD event is all */
    }
    ret = TD_ERR_OK;
out:
    return ret;
}

/* Appends bytes received after a framing error to its event (capped). */
static td_err collect_garbage(struct td_flight *fl, struct td_bytes b)
{
    struct td_event *e;
    size_t keep;
    uint8_t *nd;

    if (fl->garbage_ev == SIZE_MAX || b.len == 0)
        return TD_ERR_OK;
    e = &fl->t->ev[fl->garbage_ev];
    e->wire_len += b.len;
    keep = TD_GARBAGE_CAP - e->data_len;
    if (keep > b.len)
        keep = b.len;
    if (keep > TD_TRANSCRIPT_DATA_CAP - fl->t->data_bytes)
        keep = TD_TRANSCRIPT_DATA_CAP - fl->t->data_bytes;
    e->data_truncated = e->data_len + keep < e->wire_len;
    if (keep == 0)
        return TD_ERR_OK;
    nd = td_reallocarray(e->data, e->data_len + keep, 1);
    if (nd == NULL)
        return TD_ERR_NOMEM;
    memcpy(nd + e->data_len, b.p, keep);
    e->data = nd;
    e->data_len += keep;
    fl->t->data_bytes += keep;
    return TD_ERR_OK;
}

td_err td_flight_feed(struct td_flight *fl, const uint8_t *data, size_t len, uint64_t t_us)
{
    struct td_reader in;
    td_err ret = TD_ERR_OK;

    if (len == 0)
        return TD_ERR_OK;
    td_rd_init(&in, data, len, 0, NULL);
    if (fl->failed)
        return collect_garbage(fl, td_rd_rest(&in));
    while (!td_rd_empty(&in) && !fl->failed) {
        struct td_bytes chunk = td_rd_rest(&in);
        size_t took = td_recbuf_feed(&fl->rb, chunk.p, chunk.len);
        bool drained = false;

        /* give back what did not fit; it is fed after records drain */
        td_rd_init(&in, chunk.p, chunk.len, 0, NULL);
        TRY(td_rd_skip(&in, took, NULL));
        for (;;) {
            struct td_record rec;
            struct td_diag d;
            bool ready = false;

            td_diag_init(&d);
            d.ctx = "record";
            if (td_recbuf_next(&fl->rb, &rec, &ready, &d) != TD_ERR_OK) {
                struct td_bytes rest = td_recbuf_rest(&fl->rb);
                size_t seen_len = rest.len;
                fl->failed = true;
                if (rest.len > TD_GARBAGE_CAP)
                    rest.len = TD_GARBAGE_CAP;
                TRY(add_malformed(fl, t_us, d.offset, rest, &d));
                fl->garbage_ev = fl->t->count - 1;
                fl->t->ev[fl->garbage_ev].wire_len = seen_len;
                /* what did not fit the record buffer yet is garbage too */
                TRY(collect_garbage(fl, td_rd_rest(&in)));
                break;
            }
            if (!ready)
                break;
            drained = true;
            TRY(on_record(fl, &rec, t_us));
            if (fl->failed) {
                /* the record was not TLS after all: keep what follows it */
                if (fl->garbage_ev != SIZE_MAX) {
                    TRY(collect_garbage(fl, td_recbuf_rest(&fl->rb)));
                    TRY(collect_garbage(fl, td_rd_rest(&in)));
                }
                break;
            }
        }
        if (took == 0 && !drained && !fl->failed) {
            /* cannot happen: a full buffer holds a whole record or a bad
             * header; guard against spinning anyway */
            struct td_diag d;
            td_diag_init(&d);
            d.ctx = "record";
            (void)td_diag_set(&d, TD_ERR_INTERNAL, td_recbuf_offset(&fl->rb), "record buffer");
            fl->failed = true;
            TRY(add_malformed(fl, t_us, d.offset, td_recbuf_rest(&fl->rb), &d));
        }
    }
out:
    return ret;
}

td_err td_flight_finish(struct td_flight *fl, uint64_t t_us)
{
    td_err ret = TD_ERR_OK;
    struct td_diag d;

    if (fl->failed)
        return TD_ERR_OK;
    if (td_recbuf_pending(&fl->rb) > 0) {
        struct td_bytes rest = td_recbuf_rest(&fl->rb);
        td_diag_init(&d);
        d.ctx = "record";
        (void)td_diag_setf(&d, TD_ERR_TRUNCATED, rest.off, "record", "stream ended inside a record (%zu bytes held)",
                           rest.len);
        TRY(add_malformed(fl, t_us, rest.off, rest, &d));
    } else if (td_hsbuf_pending(&fl->hb) > 0) {
        struct td_bytes none = {NULL, 0, 0};
        td_diag_init(&d);
        d.ctx = "handshake";
        (void)td_diag_setf(&d, TD_ERR_TRUNCATED, td_recbuf_offset(&fl->rb), "handshake message",
                           "stream ended inside a handshake message (%zu bytes held)", td_hsbuf_pending(&fl->hb));
        TRY(add_malformed(fl, t_us, td_recbuf_offset(&fl->rb), none, &d));
    }
    fl->failed = true;
out:
    return ret;
}

/* The stored bytes of the first handshake message of type in fl's direction,
 * opened as a reader over the body (offsets count from the message start). */
static td_err stored_msg(const struct td_flight *fl, uint8_t type, bool last, struct td_reader *body, struct td_diag *d)
{
    struct td_reader r;
    uint8_t t = 0;
    const struct td_event *e = NULL;

    for (size_t i = 0; i < fl->t->count; i++) {
        const struct td_event *x = &fl->t->ev[i];
        if (x->dir != fl->dir || x->kind != TD_EV_HANDSHAKE || x->hs_type != type || x->sslv2 || x->data_truncated)
            continue;
        e = x;
        if (!last)
            break;
    }
    if (e == NULL)
        return TD_ERR_NOTFOUND;
    td_rd_init(&r, e->data, e->data_len, 0, d);
    return td_hs_parse(&r, &t, body);
}

td_err td_flight_client_hello(const struct td_flight *fl, struct td_client_hello *out, struct td_diag *d)
{
    struct td_reader b;
    td_err ret = stored_msg(fl, TD_HS_CLIENT_HELLO, false, &b, d);
    return ret != TD_ERR_OK ? ret : td_ch_decode(&b, out);
}

td_err td_flight_server_hello(const struct td_flight *fl, struct td_server_hello *out, struct td_diag *d)
{
    struct td_reader b;
    td_err ret = stored_msg(fl, TD_HS_SERVER_HELLO, true, &b, d);
    return ret != TD_ERR_OK ? ret : td_sh_decode(&b, out);
}

td_err td_flight_certificate(const struct td_flight *fl, struct td_certificate *out, struct td_diag *d)
{
    struct td_reader b;
    td_err ret = stored_msg(fl, TD_HS_CERTIFICATE, false, &b, d);
    return ret != TD_ERR_OK ? ret : td_cert_decode(&b, fl->version == TD_V_TLS13, out);
}

td_err td_flight_ske(const struct td_flight *fl, enum td_kex kex, struct td_ske *out, struct td_diag *d)
{
    struct td_reader b;
    td_err ret = stored_msg(fl, TD_HS_SERVER_KEY_EXCHANGE, false, &b, d);
    return ret != TD_ERR_OK ? ret : td_ske_decode(&b, fl->version, kex, out);
}

td_err td_flight_certreq(const struct td_flight *fl, struct td_certreq *out, struct td_diag *d)
{
    struct td_reader b;
    td_err ret = stored_msg(fl, TD_HS_CERTIFICATE_REQUEST, false, &b, d);
    return ret != TD_ERR_OK ? ret : td_certreq_decode(&b, fl->version, out);
}

bool td_flight_alert(const struct td_flight *fl, struct td_alert *out)
{
    size_t i = td_transcript_find(fl->t, fl->dir, TD_EV_ALERT, -1);
    if (i == SIZE_MAX)
        return false;
    out->level = fl->t->ev[i].alert_level;
    out->description = fl->t->ev[i].alert_desc;
    return true;
}
