/* check output: text (verdict, ladder, findings) and JSON (docs/check-json.md). */
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "registry/registry.h"
#include "report/findings.h"
#include "report/term.h"
#include "tlsio/client.h"
#include "tlsio/ossl_names.h"

#define LADDER_MAX_LINES 48

static const struct td_finding *first_error(const struct td_findings *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].severity == TD_SEV_ERROR)
            return &l->v[i];
    return NULL;
}

static const char *device_line(const struct td_finding *f)
{
    const char *p;
    if (f == NULL || f->evidence == NULL)
        return NULL;
    p = strstr(f->evidence, "the device would report: ");
    return p != NULL ? p + strlen("the device would report: ") : NULL;
}

/* One event in words; false for events the ladder leaves out. */
static bool describe(const struct td_event *e, char *buf, size_t cap)
{
    char a[TD_REG_NAMEBUF], b[TD_REG_NAMEBUF];
    const struct td_ev_summary *s = &e->sum;

    switch (e->kind) {
    case TD_EV_TCP_CONNECT: snprintf(buf, cap, "TCP connected"); return true;
    case TD_EV_TCP_FIN: snprintf(buf, cap, "TCP FIN: the server closed the connection"); return true;
    case TD_EV_TCP_RST: snprintf(buf, cap, "TCP RST: the server reset the connection"); return true;
    case TD_EV_TIMEOUT: snprintf(buf, cap, "silence until the deadline"); return true;
    case TD_EV_CLOSED_BY_US: snprintf(buf, cap, "the tool closed the connection"); return true;
    case TD_EV_RECORD: return false;
    case TD_EV_ALERT:
        snprintf(buf, cap, "Alert (%s): %s", e->alert_level == 2 ? "fatal" : "warning",
                 td_reg_alert_name(e->alert_desc, a));
        return true;
    case TD_EV_CCS: snprintf(buf, cap, "ChangeCipherSpec"); return true;
    case TD_EV_ENCRYPTED: snprintf(buf, cap, "encrypted record, %zu bytes", e->wire_len); return true;
    case TD_EV_MALFORMED: {
        char d[200];
        td_diag_format(&e->diag, d, sizeof(d));
        snprintf(buf, cap, "malformed: %s", d);
        return true;
    }
    case TD_EV_HANDSHAKE:
        switch (e->hs_type) {
        case 1:
            snprintf(buf, cap, "ClientHello: up to %s, %zu suites, %s (%zu bytes)", td_reg_version_name(s->version, a),
                     s->count, s->sni ? "with SNI" : "no SNI", e->wire_len);
            return true;
        case 2:
            if (!s->decoded)
                break;
            if (s->hrr) {
                snprintf(buf, cap, "HelloRetryRequest: group %s", td_reg_group_name(s->group, a));
                return true;
            }
            snprintf(buf, cap, "ServerHello: %s, %s", td_reg_version_name(s->version, a),
                     td_reg_suite_name(s->cipher_suite, b));
            return true;
        case 11:
            snprintf(buf, cap, "Certificate: %zu certificate%s, %zu bytes", s->count, s->count == 1 ? "" : "s",
                     s->bytes);
            return true;
        case 12:
            if (s->group != 0)
                snprintf(buf, cap, "ServerKeyExchange: ECDHE %s", td_reg_group_name(s->group, a));
            else if (s->bits != 0)
                snprintf(buf, cap, "ServerKeyExchange: DHE %u bits", s->bits);
            else
                snprintf(buf, cap, "ServerKeyExchange");
            return true;
        case 13: snprintf(buf, cap, "CertificateRequest: the server asks for a client certificate"); return true;
        default: break;
        }
        snprintf(buf, cap, "%s (%zu bytes)", td_hs_type_name(e->hs_type), e->wire_len);
        return true;
    default: break;
    }
    return false;
}

/* The event where the handshake stops: the first fatal alert, malformed
 * message or end of connection other than our own close. */
static size_t failing_event(const struct td_transcript *t)
{
    for (size_t i = 0; i < t->count; i++) {
        const struct td_event *e = &t->ev[i];
        if ((e->kind == TD_EV_ALERT && e->alert_level == 2) || e->kind == TD_EV_MALFORMED || e->kind == TD_EV_TCP_FIN ||
            e->kind == TD_EV_TCP_RST || e->kind == TD_EV_TIMEOUT)
            return i;
    }
    return SIZE_MAX;
}

static bool is_cert_finding(const struct td_finding *f)
{
    return f != NULL && (strncmp(f->id, "check.cert-", 11) == 0 || strcmp(f->id, "check.cn-too-long") == 0 ||
                         strcmp(f->id, "check.chain-too-large") == 0 || strcmp(f->id, "check.sni-default-cert") == 0);
}

/* Where the device would stop: a certificate verdict points at the
 * Certificate message, anything else at the end of the exchange. */
static size_t failing_step(const struct td_check_result *r, const struct td_transcript *t)
{
    const struct td_finding *f = first_error(&r->findings);
    if (r->pass || f == NULL)
        return SIZE_MAX;
    if (is_cert_finding(f))
        return td_transcript_find(t, TD_DIR_S2C, TD_EV_HANDSHAKE, 11);
    return failing_event(t);
}

static void ladder(FILE *f, const struct td_style *st, const struct td_transcript *t, size_t fail_at,
                   const char *who)
{
    size_t shown = 0;
    for (size_t i = 0; i < t->count && shown < LADDER_MAX_LINES; i++) {
        const struct td_event *e = &t->ev[i];
        char what[300];
        bool s2c = e->dir == TD_DIR_S2C;
        if (!describe(e, what, sizeof(what)))
            continue;
        if (e->kind == TD_EV_TCP_CONNECT || e->kind == TD_EV_CLOSED_BY_US)
            s2c = false;
        fprintf(f, "  %8.1f ms  %s %s %s  %s%s%s%s\n", (double)e->t_us / 1000.0, who, s2c ? "<--" : "-->", "server",
                i == fail_at ? st->red : "", what, i == fail_at ? "   <== fails here" : "", i == fail_at ? st->reset : "");
        shown++;
    }
    if (shown == LADDER_MAX_LINES)
        fprintf(f, "  ... (%zu events in all)\n", t->count);
}

static void verdict(FILE *f, const struct td_style *st, const struct td_check_result *r)
{
    const struct td_finding *err = first_error(&r->findings);
    const char *dev = device_line(err);
    char a[TD_REG_NAMEBUF], b[TD_REG_NAMEBUF];

    if (r->pass) {
        fprintf(f, "%sPASS%s  the device completes the handshake", st->green, st->reset);
        if (r->in.att.server_hello)
            fprintf(f, ": %s, %s", td_reg_version_name(r->in.att.version, a), td_reg_suite_name(r->in.att.suite, b));
        fprintf(f, "\n");
        if (td_findings_worst(&r->findings) == TD_SEV_WARN)
            fprintf(f, "      with warnings (below)\n");
    } else {
        fprintf(f, "%sFAIL%s  %s\n", st->red, st->reset, err != NULL ? err->cause : "the handshake fails");
        if (dev != NULL) {
            const char *nl = strchr(dev, '\n');
            fprintf(f, "      the device would report: %.*s\n", (int)(nl != NULL ? (size_t)(nl - dev) : strlen(dev)),
                    dev);
        }
    }
}

void td_check_print_summary(FILE *f, const struct td_check_result *r)
{
    struct td_style st = td_style_for(f);
    verdict(f, &st, r);
    fprintf(f, "\n");
    td_report_findings_text(f, &r->findings);
}

void td_check_print_text(FILE *f, const struct td_check_result *r)
{
    struct td_style st = td_style_for(f);

    fprintf(f, "%stlsdiag check %s%s as %s (%s)\n\n", st.bold, r->target, st.reset,
            r->profile != NULL ? r->profile->display_name : "?", r->profile != NULL ? r->profile->name : "?");
    verdict(f, &st, r);

    fprintf(f, "\n%sWhat was exchanged%s (the device's own ClientHello; times from connect):\n", st.bold, st.reset);
    ladder(f, &st, &r->transcript, failing_step(r, &r->transcript), "device");
    if (r->completion_run && r->completion.count != 0) {
        fprintf(f, "\n%sThe same handshake completed by OpenSSL as the device%s:\n", st.bold, st.reset);
        ladder(f, &st, &r->completion, r->pass ? SIZE_MAX : failing_event(&r->completion), "device");
    }
    if (r->completion_note[0] != '\0')
        fprintf(f, "  note: %s\n", r->completion_note);

    fprintf(f, "\n%sFindings%s (cause, evidence, fix):\n", st.bold, st.reset);
    td_report_findings_text(f, &r->findings);
    if (r->nnotes != 0) {
        fprintf(f, "\n%sAssumptions%s (where the profile is silent):\n", st.bold, st.reset);
        for (size_t i = 0; i < r->nnotes; i++)
            fprintf(f, "  - %s\n", r->notes[i]);
    }
    fprintf(f, "\n%s%zu connection%s, %.0f ms%s\n", st.dim, r->nprobes, r->nprobes == 1 ? "" : "s", r->elapsed_ms,
            st.reset);
}

static json_t *suite_json(uint16_t code)
{
    char buf[TD_REG_NAMEBUF], hex[8];
    const char *o = td_ossl_suite_name(code);
    json_t *j = json_object();
    snprintf(hex, sizeof(hex), "0x%04X", code);
    json_object_set_new(j, "code", json_string(hex));
    json_object_set_new(j, "iana", json_string(td_reg_suite_name(code, buf)));
    json_object_set_new(j, "openssl", o != NULL ? json_string(o) : json_null());
    return j;
}

static json_t *transcript_json(const struct td_transcript *t, size_t fail_at)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < t->count; i++) {
        const struct td_event *e = &t->ev[i];
        char what[300];
        json_t *o;
        if (!describe(e, what, sizeof(what)))
            continue;
        o = json_object();
        json_object_set_new(o, "t_ms", json_real((double)e->t_us / 1000.0));
        json_object_set_new(o, "dir", json_string(td_dir_name(e->dir)));
        json_object_set_new(o, "kind", json_string(td_ev_kind_name(e->kind)));
        json_object_set_new(o, "what", json_string(what));
        json_object_set_new(o, "fails_here", json_boolean(i == fail_at));
        json_array_append_new(arr, o);
    }
    return arr;
}

json_t *td_check_json(const struct td_check_result *r)
{
    json_t *j = json_object(), *dev = json_object(), *val = json_object(), *notes = json_array();
    const struct td_finding *err = first_error(&r->findings);
    const char *rep = device_line(err);
    char a[TD_REG_NAMEBUF];

    json_object_set_new(j, "target", json_string(r->target));
    json_object_set_new(dev, "name", r->profile != NULL ? json_string(r->profile->name) : json_null());
    json_object_set_new(dev, "display_name", r->profile != NULL ? json_string(r->profile->display_name) : json_null());
    json_object_set_new(j, "device", dev);
    json_object_set_new(j, "verdict", json_string(r->pass ? "pass" : "fail"));
    json_object_set_new(j, "cause", err != NULL ? json_string(err->cause) : json_null());
    json_object_set_new(j, "cause_id", err != NULL ? json_string(err->id) : json_null());
    if (rep != NULL) {
        const char *nl = strchr(rep, '\n');
        json_object_set_new(j, "device_reports", json_stringn(rep, nl != NULL ? (size_t)(nl - rep) : strlen(rep)));
    } else {
        json_object_set_new(j, "device_reports", json_null());
    }
    if (r->in.att.server_hello) {
        json_t *n = json_object();
        json_object_set_new(n, "version", json_string(td_reg_version_name(r->in.att.version, a)));
        json_object_set_new(n, "suite", suite_json(r->in.att.suite));
        json_object_set_new(n, "completed", json_boolean(r->completed));
        json_object_set_new(j, "negotiated", n);
    } else {
        json_object_set_new(j, "negotiated", json_null());
    }
    json_object_set_new(val, "level", r->in.dev.level >= 0 ? json_integer(r->in.dev.level) : json_null());
    json_object_set_new(val, "why", r->in.dev.level_note != NULL ? json_string(r->in.dev.level_note) : json_null());
    json_object_set_new(val, "ca_file", r->in.dev.ca_file != NULL ? json_string(r->in.dev.ca_file) : json_null());
    json_object_set_new(val, "sni_sent", r->in.att.sni_sent != NULL ? json_string(r->in.att.sni_sent) : json_null());
    json_object_set_new(j, "device_settings", val);
    json_object_set_new(j, "findings", td_report_findings_json(&r->findings));
    json_object_set_new(j, "transcript", transcript_json(&r->transcript, failing_step(r, &r->transcript)));
    json_object_set_new(j, "completion", r->completion_run ? transcript_json(&r->completion, SIZE_MAX) : json_null());
    for (size_t i = 0; i < r->nnotes; i++)
        json_array_append_new(notes, json_string(r->notes[i]));
    json_object_set_new(j, "assumptions", notes);
    json_object_set_new(j, "connections", json_integer((json_int_t)r->nprobes));
    json_object_set_new(j, "elapsed_ms", json_integer((json_int_t)r->elapsed_ms));
    return j;
}
