/* Transcript rendering: JSON and the ladder diagram. */
#include "report/transcript.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/hex.h"
#include "core/mem.h"
#include "registry/registry.h"
#include "report/term.h"

static json_t *code16(unsigned v)
{
    char buf[8];
    snprintf(buf, sizeof(buf), "0x%04x", v & 0xffffu);
    return json_string(buf);
}

static const char *version_name(uint16_t v)
{
    switch (v) {
    case TD_V_SSL2:
        return "SSL 2.0";
    case TD_V_SSL3:
        return "SSL 3.0";
    case TD_V_TLS10:
        return "TLS 1.0";
    case TD_V_TLS11:
        return "TLS 1.1";
    case TD_V_TLS12:
        return "TLS 1.2";
    case TD_V_TLS13:
        return "TLS 1.3";
    default:
        return NULL;
    }
}

static const char *sslv2_name(uint8_t type)
{
    return type == 1 ? "SSLv2 CLIENT-HELLO" : type == 4 ? "SSLv2 SERVER-HELLO" : "SSLv2 message";
}

static void add_handshake(json_t *o, const struct td_event *e)
{
    const struct td_ev_summary *s = &e->sum;
    char nb[TD_REG_NAMEBUF];
    json_object_set_new(o, "type", json_integer(e->hs_type));
    json_object_set_new(o, "name", json_string(e->sslv2 ? sslv2_name(e->hs_type) : td_hs_type_name(e->hs_type)));
    json_object_set_new(o, "sslv2", json_boolean(e->sslv2));
    json_object_set_new(o, "decoded", json_boolean(s->decoded));
    if (!s->decoded)
        return;
    switch (e->hs_type) {
    case TD_HS_CLIENT_HELLO:
        json_object_set_new(o, "version", code16(s->version));
        json_object_set_new(o, "suites", json_integer((json_int_t)s->count));
        json_object_set_new(o, "sni", json_boolean(s->sni));
        break;
    case TD_HS_SERVER_HELLO:
        json_object_set_new(o, "version", code16(s->version));
        if (e->sslv2) {
            json_object_set_new(o, "cipher_specs", json_integer((json_int_t)s->count));
            break;
        }
        json_object_set_new(o, "cipher_suite", code16(s->cipher_suite));
        json_object_set_new(o, "cipher_suite_name", json_string(td_reg_suite_name(s->cipher_suite, nb)));
        json_object_set_new(o, "hrr", json_boolean(s->hrr));
        json_object_set_new(o, "group", code16(s->group));
        if (s->group != 0)
            json_object_set_new(o, "group_name", json_string(td_reg_group_name(s->group, nb)));
        break;
    case TD_HS_CERTIFICATE:
        json_object_set_new(o, "certificates", json_integer((json_int_t)s->count));
        json_object_set_new(o, "der_bytes", json_integer((json_int_t)s->bytes));
        break;
    case TD_HS_SERVER_KEY_EXCHANGE:
        json_object_set_new(o, "group", code16(s->group));
        if (s->group != 0)
            json_object_set_new(o, "group_name", json_string(td_reg_group_name(s->group, nb)));
        json_object_set_new(o, "bits", json_integer(s->bits));
        json_object_set_new(o, "sigalg", code16(s->sigalg));
        if (s->sigalg != 0)
            json_object_set_new(o, "sigalg_name", json_string(td_reg_name(TD_REG_SIGSCHEME, s->sigalg, nb)));
        break;
    default:
        break;
    }
}

json_t *td_transcript_json(const struct td_transcript *t, unsigned flags)
{
    json_t *arr = json_array();

    if (arr == NULL)
        return NULL;
    for (size_t i = 0; i < t->count; i++) {
        const struct td_event *e = &t->ev[i];
        json_t *o = json_object();
        char nb[TD_REG_NAMEBUF];
        if (o == NULL) {
            json_decref(arr);
            return NULL;
        }
        json_object_set_new(o, "t_us", json_integer((json_int_t)e->t_us));
        json_object_set_new(o, "dir", json_string(td_dir_name(e->dir)));
        json_object_set_new(o, "kind", json_string(td_ev_kind_name(e->kind)));
        json_object_set_new(o, "offset", json_integer((json_int_t)e->stream_off));
        json_object_set_new(o, "length", json_integer((json_int_t)e->wire_len));
        switch (e->kind) {
        case TD_EV_RECORD:
            json_object_set_new(o, "content_type", json_integer(e->content_type));
            json_object_set_new(o, "version", code16(e->record_version));
            json_object_set_new(o, "sslv2", json_boolean(e->sslv2));
            break;
        case TD_EV_HANDSHAKE:
            add_handshake(o, e);
            break;
        case TD_EV_ALERT:
            json_object_set_new(o, "level", json_integer(e->alert_level));
            json_object_set_new(o, "description", json_integer(e->alert_desc));
            json_object_set_new(o, "description_name", json_string(td_reg_name(TD_REG_ALERT, e->alert_desc, nb)));
            break;
        case TD_EV_ENCRYPTED:
            json_object_set_new(o, "content_type", json_integer(e->content_type));
            break;
        case TD_EV_MALFORMED: {
            char msg[256];
            td_diag_format(&e->diag, msg, sizeof(msg));
            json_object_set_new(o, "error", json_string(td_err_name(e->diag.code)));
            json_object_set_new(o, "message", json_string(msg));
            break;
        }
        default:
            break;
        }
        if ((flags & TD_TJSON_BYTES) != 0 && e->data_len > 0) {
            size_t cap = e->data_len * 2 + 1;
            char *h = td_malloc(cap);
            if (h != NULL) {
                td_hex_format(e->data, e->data_len, "", false, h, cap);
                json_object_set_new(o, "hex", json_string(h));
                json_object_set_new(o, "hex_truncated", json_boolean(e->data_truncated));
                td_free(h);
            }
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

static const char *alert_level_name(uint8_t level, char *buf, size_t cap)
{
    if (level == TD_ALERT_FATAL)
        return "fatal";
    if (level == TD_ALERT_WARNING)
        return "warning";
    snprintf(buf, cap, "level %u", level);
    return buf;
}

/* For the messages the flight reader decodes: one it could not decode
 * says so (other types are never decoded, and are just named). */
static bool undecoded(const struct td_event *e, char *buf, size_t cap)
{
    if (e->sum.decoded)
        return false;
    snprintf(buf, cap, "%s (%zu bytes, not decoded)", td_hs_type_name(e->hs_type), e->wire_len);
    return true;
}

static void describe_handshake(const struct td_event *e, char *buf, size_t cap)
{
    const struct td_ev_summary *s = &e->sum;
    char n1[TD_REG_NAMEBUF], n2[TD_REG_NAMEBUF];

    if (e->sslv2) {
        const char *vn = version_name(s->version);
        snprintf(buf, cap, "%s%s%s", sslv2_name(e->hs_type), vn != NULL ? " offering " : "", vn != NULL ? vn : "");
        return;
    }
    switch (e->hs_type) {
    case TD_HS_CLIENT_HELLO:
        if (undecoded(e, buf, cap))
            break;
        snprintf(buf, cap, "ClientHello: up to %s, %zu suites, %s (%zu bytes)", td_reg_version_name(s->version, n1),
                 s->count, s->sni ? "with SNI" : "no SNI", e->wire_len);
        break;
    case TD_HS_SERVER_HELLO:
        if (undecoded(e, buf, cap))
            break;
        if (s->hrr)
            snprintf(buf, cap, "HelloRetryRequest: group %s", td_reg_group_name(s->group, n1));
        else
            snprintf(buf, cap, "ServerHello: %s, %s", td_reg_version_name(s->version, n1),
                     td_reg_suite_name(s->cipher_suite, n2));
        break;
    case TD_HS_CERTIFICATE:
        if (undecoded(e, buf, cap))
            break;
        snprintf(buf, cap, "Certificate: %zu certificate%s, %zu bytes", s->count, s->count == 1 ? "" : "s", s->bytes);
        break;
    case TD_HS_SERVER_KEY_EXCHANGE: {
        char kex[TD_REG_NAMEBUF + 8] = "";
        if (undecoded(e, buf, cap))
            break;
        if (s->group != 0)
            snprintf(kex, sizeof(kex), ": ECDHE %s", td_reg_group_name(s->group, n1));
        else if (s->bits != 0)
            snprintf(kex, sizeof(kex), ": DHE %u bits", s->bits);
        snprintf(buf, cap, "ServerKeyExchange%s%s%s", kex, s->sigalg != 0 ? ", signed with " : "",
                 s->sigalg != 0 ? td_reg_name(TD_REG_SIGSCHEME, s->sigalg, n2) : "");
        break;
    }
    case TD_HS_CERTIFICATE_REQUEST:
        if (undecoded(e, buf, cap))
            break;
        snprintf(buf, cap, "CertificateRequest: the server asks for a client certificate");
        break;
    default:
        snprintf(buf, cap, "%s (%zu bytes)", td_hs_type_name(e->hs_type), e->wire_len);
        break;
    }
}

void td_event_describe(const struct td_event *e, char *buf, size_t cap)
{
    const char *vn;
    char n1[TD_REG_NAMEBUF], lv[16];

    switch (e->kind) {
    case TD_EV_TCP_CONNECT:
        snprintf(buf, cap, "TCP connected");
        break;
    case TD_EV_TCP_FIN:
        snprintf(buf, cap, "TCP FIN: the %s closed the connection", e->dir == TD_DIR_S2C ? "server" : "client");
        break;
    case TD_EV_TCP_RST:
        snprintf(buf, cap, "TCP RST: the %s reset the connection", e->dir == TD_DIR_S2C ? "server" : "client");
        break;
    case TD_EV_TIMEOUT:
        snprintf(buf, cap, "silence until the deadline");
        break;
    case TD_EV_CLOSED_BY_US:
        snprintf(buf, cap, "the tool closed the connection");
        break;
    case TD_EV_RECORD:
        vn = version_name(e->record_version);
        if (e->sslv2)
            snprintf(buf, cap, "record: SSLv2 framing, %zu bytes", e->wire_len);
        else if (vn != NULL)
            snprintf(buf, cap, "record: type %u, %s, %zu bytes", e->content_type, vn, e->wire_len);
        else
            snprintf(buf, cap, "record: type %u, version 0x%04x, %zu bytes", e->content_type, e->record_version,
                     e->wire_len);
        break;
    case TD_EV_HANDSHAKE:
        describe_handshake(e, buf, cap);
        break;
    case TD_EV_ALERT:
        snprintf(buf, cap, "Alert (%s): %s", alert_level_name(e->alert_level, lv, sizeof(lv)),
                 td_reg_alert_name(e->alert_desc, n1));
        break;
    case TD_EV_CCS:
        snprintf(buf, cap, "ChangeCipherSpec");
        break;
    case TD_EV_ENCRYPTED:
        snprintf(buf, cap, "encrypted record, %zu bytes", e->wire_len);
        break;
    case TD_EV_MALFORMED: {
        char msg[200];
        td_diag_format(&e->diag, msg, sizeof(msg));
        /* the stored copy is ours, not wire input: indexing it is fine */
        if (e->diag.code == TD_ERR_BADVALUE && e->data_len > 0 && e->data[0] >= 0x20 && e->data[0] < 0x7f) {
            /* the peer sent text (an HTTP or SMTP reply): show its start */
            char text[64];
            td_printable(e->data, e->data_len < 40 ? e->data_len : 40, text, sizeof(text));
            snprintf(buf, cap, "malformed: %s; the peer sent \"%s\"", msg, text);
        } else {
            snprintf(buf, cap, "malformed: %s", msg);
        }
        break;
    }
    default:
        snprintf(buf, cap, "%s", td_ev_kind_name(e->kind));
        break;
    }
}

void td_transcript_ladder(FILE *f, const struct td_transcript *t, const struct td_ladder_opts *o)
{
    static const struct td_ladder_opts defaults = {0};
    struct td_style st = td_style_for(f);
    const char *left, *right;
    size_t shown = 0;

    if (o == NULL)
        o = &defaults;
    left = o->client != NULL ? o->client : "client";
    right = o->server != NULL ? o->server : "server";
    for (size_t i = 0; i < t->count; i++) {
        const struct td_event *e = &t->ev[i];
        char desc[300];
        const char *colour = "";
        bool marked = o->has_mark && i == o->mark;
        /* connecting and closing are the client's acts, whatever dir says */
        bool s2c = e->dir == TD_DIR_S2C && e->kind != TD_EV_TCP_CONNECT && e->kind != TD_EV_CLOSED_BY_US;
        uint64_t dt = e->t_us >= o->t0_us ? e->t_us - o->t0_us : 0;

        if (e->kind == TD_EV_RECORD && (o->flags & TD_LADDER_RECORDS) == 0)
            continue;
        if (o->max_lines != 0 && shown == o->max_lines) {
            fprintf(f, "  ... (%zu events in all)\n", t->count);
            break;
        }
        td_event_describe(e, desc, sizeof(desc));
        if (marked || e->kind == TD_EV_ALERT || e->kind == TD_EV_MALFORMED || e->kind == TD_EV_TCP_RST ||
            e->kind == TD_EV_TIMEOUT)
            colour = st.red;
        else if (e->kind == TD_EV_RECORD || e->kind == TD_EV_ENCRYPTED)
            colour = st.dim;
        fprintf(f, "  %8.1f ms  %s %s %s  %s%s%s%s\n", (double)dt / 1000.0, left, s2c ? "<--" : "-->", right, colour,
                desc, marked ? "   <== fails here" : "", *colour != '\0' ? st.reset : "");
        shown++;
    }
}
