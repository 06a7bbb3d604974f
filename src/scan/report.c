#include "scan/report.h"

#include "scan/compat.h"

#include <string.h>

#include "registry/registry.h"
#include "report/term.h"
#include "tlsio/ossl_names.h"

static const char *const mode_title[TD_SNI__COUNT] = {"with name", "without SNI", "unknown name"};

static void hex16(char *buf, size_t cap, uint16_t v)
{
    snprintf(buf, cap, "0x%04X", (unsigned)v);
}

static json_t *jstr_or_null(const char *s)
{
    return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

static const char *obs_kind(const struct td_scan_obs *o)
{
    if (o->repeated)
        return "repeated";
    if (o->alert_after_hello)
        return "alert_after_server_hello";
    if (o->warning_alert)
        return "warning_alert";
    switch (o->outcome) {
    case TD_PROBE_UNOFFERED:
        return "unoffered_suite";
    case TD_PROBE_MALFORMED:
        return "malformed";
    case TD_PROBE_NET:
        return o->net == TD_NET_RESET ? "reset" : o->net == TD_NET_CLOSED ? "closed" : "timeout";
    default:
        return td_probe_outcome_name(o->outcome);
    }
}

static void answer_text(char *buf, size_t cap, const struct td_scan_answer *a)
{
    char nb[TD_REG_NAMEBUF];
    switch (a->outcome) {
    case TD_PROBE_ALERT:
        snprintf(buf, cap, "%s alert", td_reg_alert_name(a->alert_desc, nb));
        break;
    case TD_PROBE_NET:
        snprintf(buf, cap, "%s", td_net_obs_str(a->net));
        break;
    case TD_PROBE_MALFORMED:
        snprintf(buf, cap, "an answer that is not TLS");
        break;
    case TD_PROBE_ACCEPTED:
    case TD_PROBE_HRR:
        snprintf(buf, cap, "answered with %s instead", td_reg_version_name(a->version, nb));
        break;
    case TD_PROBE_UNOFFERED:
        snprintf(buf, cap, "chose suite 0x%04X, which was not offered", (unsigned)a->suite);
        break;
    case TD_PROBE_SSLV2:
        snprintf(buf, cap, "SSLv2 answer");
        break;
    default:
        snprintf(buf, cap, "unknown");
        break;
    }
}

static json_t *answer_json(const struct td_scan_answer *a)
{
    json_t *j = json_object();
    char nb[TD_REG_NAMEBUF], text[128];
    json_object_set_new(j, "outcome", json_string(td_probe_outcome_name(a->outcome)));
    json_object_set_new(j, "alert", a->outcome == TD_PROBE_ALERT ? json_string(td_reg_alert_name(a->alert_desc, nb))
                                                                 : json_null());
    json_object_set_new(j, "connection", json_string(td_net_obs_name(a->net)));
    answer_text(text, sizeof(text), a);
    json_object_set_new(j, "text", json_string(text));
    return j;
}

static json_t *suite_json(const struct td_scan_suite *s)
{
    json_t *j = json_object();
    const struct td_suite *info = td_reg_suite_find(s->code);
    char code[8], nb[TD_REG_NAMEBUF];
    hex16(code, sizeof(code), s->code);
    json_object_set_new(j, "code", json_string(code));
    json_object_set_new(j, "name", json_string(td_reg_suite_name(s->code, nb)));
    json_object_set_new(j, "openssl", jstr_or_null(td_ossl_suite_name(s->code)));
    json_object_set_new(j, "kx", info ? json_string(td_reg_kx_name(info->kx)) : json_null());
    json_object_set_new(j, "auth", info ? json_string(td_reg_auth_name(info->auth)) : json_null());
    json_object_set_new(j, "cipher", info ? json_string(td_reg_cipher_name(info->cipher)) : json_null());
    json_object_set_new(j, "bits", info ? json_integer(info->bits) : json_null());
    {
        const char *why = NULL;
        enum td_strength st = td_reg_suite_strength(info, &why);
        json_object_set_new(j, "strength", info ? json_string(td_reg_strength_name(st)) : json_null());
        json_object_set_new(j, "strength_why", jstr_or_null(why));
        json_object_set_new(j, "pfs", info ? json_boolean((info->flags & TD_SUITE_PFS) != 0) : json_null());
    }
    json_object_set_new(j, "group", s->group ? json_string(td_reg_group_name(s->group, nb)) : json_null());
    json_object_set_new(j, "dh_bits", s->dh_bits ? json_integer(s->dh_bits) : json_null());
    json_object_set_new(j, "certificate", s->leaf >= 0 ? json_integer(s->leaf) : json_null());
    return j;
}

static json_t *cert_json(const struct td_tls_cert *c)
{
    json_t *j = json_object();
    char fp[65], nb[TD_REG_NAMEBUF];
    json_object_set_new(j, "ok", json_boolean(c->ok));
    json_object_set_new(j, "error", c->ok ? json_null() : json_string(c->error));
    if (c->ok) {
        for (int i = 0; i < 32; i++)
            snprintf(fp + 2 * i, 3, "%02x", c->leaf_sha256[i]);
        json_object_set_new(j, "protocol", json_string(td_reg_version_name(c->version, nb)));
        json_object_set_new(j, "subject", json_string(c->subject));
        json_object_set_new(j, "issuer", json_string(c->issuer));
        json_object_set_new(j, "sans", json_string(c->sans));
        json_object_set_new(j, "key_type", json_string(c->key_type));
        json_object_set_new(j, "key_bits", json_integer(c->key_bits));
        json_object_set_new(j, "curve", jstr_or_null(c->curve));
        json_object_set_new(j, "signature_algorithm", json_string(c->sig_alg));
        json_object_set_new(j, "not_before", json_string(c->not_before));
        json_object_set_new(j, "not_after", json_string(c->not_after));
        json_object_set_new(j, "self_signed", json_boolean(c->self_signed));
        json_object_set_new(j, "chain_count", json_integer((json_int_t)c->chain_count));
        json_object_set_new(j, "chain_bytes", json_integer((json_int_t)c->chain_bytes));
        json_object_set_new(j, "sha256", json_string(fp));
        json_t *ca = json_object();
        json_object_set_new(ca, "requested", json_string(!c->client_auth_known ? "unknown"
                                                         : c->client_auth      ? "yes"
                                                                               : "no"));
        json_object_set_new(ca, "ca_count", json_integer((json_int_t)c->client_ca_count));
        json_object_set_new(ca, "cas", jstr_or_null(c->client_cas));
        json_object_set_new(j, "client_certificate", ca);
    }
    return j;
}

static json_t *view_json(const struct td_scan_view *v)
{
    json_t *j = json_object(), *protos = json_object(), *obs = json_array(), *leaves = json_array();
    char nb[TD_REG_NAMEBUF];

    json_object_set_new(j, "sni", jstr_or_null(v->sni));
    json_object_set_new(j, "any_supported", json_boolean(v->any_supported));
    for (int vi = TD_SV_SSL3; vi < TD_SV__COUNT; vi++) {
        const struct td_scan_ver *x = &v->v[vi];
        json_t *p = json_object(), *suites = json_array();
        if (!x->probed)
            continue;
        json_object_set_new(p, "supported", json_boolean(x->supported));
        json_object_set_new(p, "order", json_string(td_order_key(x->order)));
        json_object_set_new(p, "order_complete", json_boolean(x->order_complete));
        json_object_set_new(p, "small_hellos", json_boolean(x->small_hellos));
        json_object_set_new(p, "rejected", x->supported ? json_null() : answer_json(&x->reject));
        for (size_t k = 0; k < x->nsuites; k++)
            json_array_append_new(suites, suite_json(&x->suites[k]));
        json_object_set_new(p, "suites", suites);
        json_object_set_new(protos, td_scan_vi_key((enum td_scan_vi)vi), p);
    }
    json_object_set_new(j, "protocols", protos);
    json_object_set_new(j, "certificate", cert_json(&v->cert));
    for (size_t i = 0; i < v->nleaves; i++) {
        char fp[65];
        for (int k = 0; k < 32; k++)
            snprintf(fp + 2 * k, 3, "%02x", v->leaves[i][k]);
        json_array_append_new(leaves, json_string(fp));
    }
    json_object_set_new(j, "leaf_certificates_seen", leaves);
    for (size_t i = 0; i < v->nobs; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_string(obs_kind(&v->obs[i])));
        json_object_set_new(o, "protocol", json_string(td_reg_version_name(v->obs[i].version, nb)));
        json_object_set_new(o, "count", json_integer(v->obs[i].count));
        json_object_set_new(o, "detail", json_string(v->obs[i].detail));
        json_array_append_new(obs, o);
    }
    json_object_set_new(j, "observations", obs);
    return j;
}

struct diff_json_ctx {
    json_t *arr;
    const char *a, *b;
};

static void diff_to_json(void *ctx, const char *kind, uint16_t version, uint16_t suite, bool in_a, bool in_b)
{
    struct diff_json_ctx *d = ctx;
    json_t *j = json_object();
    char nb[TD_REG_NAMEBUF], code[8];
    json_object_set_new(j, "between", json_pack("[ss]", d->a, d->b));
    json_object_set_new(j, "kind", json_string(kind));
    json_object_set_new(j, "protocol", json_string(td_reg_version_name(version, nb)));
    if (strcmp(kind, "suite") == 0) {
        hex16(code, sizeof(code), suite);
        json_object_set_new(j, "code", json_string(code));
        json_object_set_new(j, "name", json_string(td_reg_suite_name(suite, nb)));
    } else {
        json_object_set_new(j, "code", json_null());
        json_object_set_new(j, "name", json_null());
    }
    json_object_set_new(j, "only_in", json_string(in_a && !in_b ? d->a : d->b));
    json_array_append_new(d->arr, j);
}

static json_t *groups_json(const uint16_t *g, size_t n)
{
    json_t *a = json_array();
    char nb[TD_REG_NAMEBUF];
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(td_reg_group_name(g[i], nb)));
    return a;
}

json_t *td_scan_json(const struct td_scan_target_result *t)
{
    json_t *j = json_object(), *views = json_object(), *modes = json_array();
    const struct td_scan_result *r = &t->r;
    bool scanned = t->status == TD_SCAN_OK;

    json_object_set_new(j, "schema", json_string(TD_SCAN_SCHEMA));
    json_object_set_new(j, "target", json_string(t->input));
    json_object_set_new(j, "host", t->t.host[0] ? json_string(t->t.host) : json_null());
    json_object_set_new(j, "port", t->t.port ? json_integer(t->t.port) : json_null());
    json_object_set_new(j, "address", jstr_or_null(t->address));
    json_object_set_new(j, "status", json_string(td_scan_status_key(t->status)));
    json_object_set_new(j, "error", t->status == TD_SCAN_OK ? json_null() : json_string(t->error));

    for (int m = 0; m < TD_SNI__COUNT; m++)
        if (r->view[m].used)
            json_array_append_new(modes, json_string(td_sni_mode_key((enum td_sni_mode)m)));
    json_t *sni = json_object();
    json_object_set_new(sni, "name", r->view[TD_SNI_NAME].used ? json_string(r->view[TD_SNI_NAME].sni) : json_null());
    json_object_set_new(sni, "unknown_name",
                        r->view[TD_SNI_UNKNOWN].used ? json_string(r->view[TD_SNI_UNKNOWN].sni) : json_null());
    json_object_set_new(sni, "modes", modes);
    json_object_set_new(j, "sni", sni);
    json_object_set_new(j, "sslv2", json_string(td_tri_key(r->sslv2)));

    for (int m = 0; m < TD_SNI__COUNT; m++)
        if (r->view[m].used && scanned)
            json_object_set_new(views, td_sni_mode_key((enum td_sni_mode)m), view_json(&r->view[m]));
    json_object_set_new(j, "views", views);

    json_t *table = json_object(), *diffs = json_array();
    json_object_set_new(table, "sni_required", json_string(td_tri_key(r->sni_required)));
    json_object_set_new(table, "sni_required_how", jstr_or_null(r->sni_required_how));
    json_object_set_new(table, "different_certificate", json_string(td_tri_key(r->different_cert)));
    if (scanned) {
        static const enum td_sni_mode pairs[][2] = {{TD_SNI_NAME, TD_SNI_NONE}, {TD_SNI_NAME, TD_SNI_UNKNOWN},
                                                    {TD_SNI_NONE, TD_SNI_UNKNOWN}};
        for (size_t i = 0; i < TD_ARRAY_LEN(pairs); i++) {
            const struct td_scan_view *a = &r->view[pairs[i][0]], *b = &r->view[pairs[i][1]];
            struct diff_json_ctx d = {diffs, td_sni_mode_key(pairs[i][0]), td_sni_mode_key(pairs[i][1])};
            if (a->used && b->used)
                (void)td_scan_diff(a, b, diff_to_json, &d);
        }
    }
    json_object_set_new(table, "differences", diffs);
    json_object_set_new(j, "sni_table", table);

    json_t *groups = json_object(), *dhe = json_array();
    json_object_set_new(groups, "ecdhe", r->groups.probed12 ? groups_json(r->groups.ecdhe, r->groups.n_ecdhe)
                                                           : json_null());
    json_object_set_new(groups, "tls1_3", r->groups.probed13 ? groups_json(r->groups.tls13, r->groups.n_tls13)
                                                            : json_null());
    for (size_t i = 0; i < r->groups.n_dhe; i++)
        json_array_append_new(dhe, json_integer(r->groups.dhe_bits[i]));
    json_object_set_new(groups, "dhe_bits", dhe);
    json_object_set_new(j, "groups", groups);

    json_t *ext = json_object();
    char nb[TD_REG_NAMEBUF];
    json_object_set_new(ext, "probed", json_boolean(r->ext.probed));
    json_object_set_new(ext, "protocol", r->ext.probed ? json_string(td_reg_version_name(r->ext.version, nb))
                                                       : json_null());
    json_object_set_new(ext, "extended_master_secret", json_string(td_tri_key(r->ext.ems)));
    json_object_set_new(ext, "secure_renegotiation", json_string(td_tri_key(r->ext.reneg)));
    json_object_set_new(ext, "session_ticket", json_string(td_tri_key(r->ext.ticket)));
    json_object_set_new(ext, "ocsp_stapling", json_string(td_tri_key(r->ext.ocsp)));
    json_object_set_new(ext, "encrypt_then_mac", json_string(td_tri_key(r->ext.etm)));
    json_object_set_new(ext, "max_fragment_length", json_string(td_tri_key(r->ext.mfl)));
    json_object_set_new(ext, "max_fragment_length_detail", jstr_or_null(r->ext.mfl_detail));
    json_object_set_new(ext, "record_size_limit", json_string(td_tri_key(r->ext.rsl)));
    json_object_set_new(j, "extensions", ext);

    json_object_set_new(j, "compatibility", td_scan_compat_json(t));
    json_object_set_new(j, "connections", json_integer((json_int_t)t->connections));
    json_object_set_new(j, "max_concurrent", json_integer(t->per_host));
    json_object_set_new(j, "half_close", json_boolean(t->half_close));
    json_object_set_new(j, "elapsed_ms", json_integer(t->elapsed_ms));
    return j;
}

/* ---- text -------------------------------------------------------------- */

static const char *yn(enum td_tri t)
{
    return t == TD_TRI_YES ? "yes" : t == TD_TRI_NO ? "no" : "unknown";
}

struct diff_text_ctx {
    FILE *f;
    const char *a, *b;
    size_t n;
};

static void diff_to_text(void *ctx, const char *kind, uint16_t version, uint16_t suite, bool in_a, bool in_b)
{
    struct diff_text_ctx *d = ctx;
    char nb[TD_REG_NAMEBUF], vb[TD_REG_NAMEBUF];
    const char *where = in_a && !in_b ? d->a : d->b;
    const char *other = in_a && !in_b ? d->b : d->a;
    if (strcmp(kind, "version") == 0)
        fprintf(d->f, "    %-8s supported %s, not %s\n", td_reg_version_name(version, vb), where, other);
    else
        fprintf(d->f, "    %-8s 0x%04X %-44s only %s\n", td_reg_version_name(version, vb), (unsigned)suite,
                td_reg_suite_name(suite, nb), where);
    d->n++;
}

static void cert_text(FILE *f, const struct td_tls_cert *c, const char *title)
{
    char vb[TD_REG_NAMEBUF];
    fprintf(f, "  %s:\n", title);
    if (!c->ok) {
        fprintf(f, "    none received (%s)\n", c->error);
        return;
    }
    fprintf(f, "    subject    %s\n", c->subject);
    fprintf(f, "    SANs       %s\n", c->sans[0] ? c->sans : "(none)");
    fprintf(f, "    issuer     %s%s\n", c->issuer, c->self_signed ? " (self-signed)" : "");
    fprintf(f, "    key        %s %u bits%s%s\n", c->key_type, c->key_bits, c->curve[0] ? ", " : "", c->curve);
    fprintf(f, "    signature  %s\n", c->sig_alg);
    fprintf(f, "    valid      %s .. %s\n", c->not_before, c->not_after);
    fprintf(f, "    chain      %zu certificate%s, %zu bytes (fetched over %s)\n", c->chain_count,
            c->chain_count == 1 ? "" : "s", c->chain_bytes, td_reg_version_name(c->version, vb));
    fprintf(f, "    sha256     ");
    for (int i = 0; i < 32; i++)
        fprintf(f, "%02x", c->leaf_sha256[i]);
    fprintf(f, "\n");
    if (!c->client_auth_known)
        fprintf(f, "    client cert unknown whether the server asks for one\n");
    else if (!c->client_auth)
        fprintf(f, "    client cert not requested\n");
    else if (c->client_ca_count == 0)
        fprintf(f, "    client cert REQUESTED by the server (no CA names given)\n");
    else
        fprintf(f, "    client cert REQUESTED by the server, %zu acceptable CA%s: %s\n", c->client_ca_count,
                c->client_ca_count == 1 ? "" : "s", c->client_cas);
}

void td_scan_text(FILE *f, const struct td_scan_target_result *t)
{
    struct td_style st = td_style_for(f);
    const struct td_scan_result *r = &t->r;
    char nb[TD_REG_NAMEBUF];
    int nmodes = 0;

    fprintf(f, "%stlsdiag scan %s%s", st.bold, t->input, st.reset);
    if (t->address[0])
        fprintf(f, " (%s)", t->address);
    fprintf(f, "\n");
    if (t->status != TD_SCAN_OK) {
        fprintf(f, "  %s%s%s: %s\n", st.red, td_scan_status_key(t->status), st.reset, t->error);
        fprintf(f, "\n%sScan:%s %lu connection%s in %.2f s\n", st.bold, st.reset, t->connections,
                t->connections == 1 ? "" : "s", (double)t->elapsed_ms / 1000.0);
        return;
    }
    for (int m = 0; m < TD_SNI__COUNT; m++)
        nmodes += r->view[m].used;
    if (r->view[TD_SNI_NAME].used)
        fprintf(f, "  SNI name: %s\n", r->view[TD_SNI_NAME].sni);
    else
        fprintf(f, "  SNI name: none (%s)\n", t->t.is_ip ? "the target is an IP address, never sent as SNI"
                                                         : "--no-sni");
    if (r->view[TD_SNI_UNKNOWN].used)
        fprintf(f, "  also scanned with an unknown name: %s\n", r->view[TD_SNI_UNKNOWN].sni);

    /* Protocols: one column per SNI mode. */
    fprintf(f, "\n%sProtocols%s%*s", st.bold, st.reset, 12, "");
    for (int m = 0; m < TD_SNI__COUNT; m++)
        if (r->view[m].used)
            fprintf(f, "%-16s", mode_title[m]);
    fprintf(f, "\n");
    fprintf(f, "  %-19s%s%s%s (SNI does not apply)\n", "SSLv2", r->sslv2 == TD_TRI_YES ? st.red : "",
            yn(r->sslv2), st.reset);
    for (int vi = TD_SV_SSL3; vi < TD_SV__COUNT; vi++) {
        fprintf(f, "  %-19s", td_scan_vi_name((enum td_scan_vi)vi));
        for (int m = 0; m < TD_SNI__COUNT; m++) {
            const struct td_scan_ver *x = &r->view[m].v[vi];
            if (!r->view[m].used)
                continue;
            if (!x->probed)
                fprintf(f, "%-16s", "not tested");
            else if (x->supported)
                fprintf(f, "%s%-16s%s", vi <= TD_SV_TLS11 ? st.yellow : st.green,
                        x->small_hellos ? "yes (small)" : "yes", st.reset);
            else
                fprintf(f, "%-16s", "no");
        }
        fprintf(f, "\n");
    }

    /* Suites per version, for the primary view, then what differs. */
    const struct td_scan_view *pv = &r->view[r->primary];
    fprintf(f, "\n%sCipher suites%s (%s%s%s%s)\n", st.bold, st.reset, mode_title[r->primary],
            pv->sni[0] ? " \"" : "", pv->sni, pv->sni[0] ? "\"" : "");
    for (int vi = TD_SV_SSL3; vi < TD_SV__COUNT; vi++) {
        const struct td_scan_ver *x = &pv->v[vi];
        if (!x->supported)
            continue;
        fprintf(f, "  %s%s%s: %zu suite%s, %s\n", st.cyan, td_scan_vi_name((enum td_scan_vi)vi), st.reset,
                x->nsuites, x->nsuites == 1 ? "" : "s",
                x->order == TD_ORDER_SERVER   ? (x->order_complete ? "server's preference order"
                                                                   : "server order (partly merged)")
                : x->order == TD_ORDER_CLIENT ? "server follows the client's order"
                : x->order == TD_ORDER_SINGLE ? "one suite"
                                              : "order unknown");
        for (size_t k = 0; k < x->nsuites; k++) {
            const struct td_scan_suite *s = &x->suites[k];
            const char *on = td_ossl_suite_name(s->code);
            fprintf(f, "    0x%04X  %-46s %-30s", (unsigned)s->code, td_reg_suite_name(s->code, nb), on ? on : "-");
            if (s->group)
                fprintf(f, " %s", td_reg_group_name(s->group, nb));
            if (s->dh_bits)
                fprintf(f, " DH %u", (unsigned)s->dh_bits);
            {
                const char *why = NULL;
                enum td_strength sg = td_reg_suite_strength(td_reg_suite_find(s->code), &why);
                if (sg != TD_STRENGTH_OK)
                    fprintf(f, "  %s%s: %s%s", sg == TD_STRENGTH_INSECURE ? st.red : st.yellow,
                            td_reg_strength_name(sg), why, st.reset);
            }
            fprintf(f, "\n");
        }
    }
    if (!pv->any_supported) {
        fprintf(f, "  %snone accepted%s", st.red, st.reset);
        for (int vi = TD_SV_TLS13; vi >= TD_SV_SSL3; vi--) {
            if (pv->v[vi].probed) {
                char why[128];
                answer_text(why, sizeof(why), &pv->v[vi].reject);
                fprintf(f, " (TLS 1.x answer: %s)", why);
                break;
            }
        }
        fprintf(f, "\n");
    }

    /* SNI truth table */
    if (nmodes > 1) {
        fprintf(f, "\n%sSNI truth table%s\n", st.bold, st.reset);
        fprintf(f, "  SNI required:                       %s%s%s%s%s\n",
                r->sni_required == TD_TRI_YES ? st.red : "", yn(r->sni_required), st.reset,
                r->sni_required_how[0] ? " - without SNI: " : "", r->sni_required_how);
        fprintf(f, "  different certificate without SNI:  %s%s%s\n", r->different_cert == TD_TRI_YES ? st.yellow : "",
                yn(r->different_cert), st.reset);
        static const enum td_sni_mode pairs[][2] = {{TD_SNI_NAME, TD_SNI_NONE}, {TD_SNI_NAME, TD_SNI_UNKNOWN},
                                                    {TD_SNI_NONE, TD_SNI_UNKNOWN}};
        for (size_t i = 0; i < TD_ARRAY_LEN(pairs); i++) {
            const struct td_scan_view *a = &r->view[pairs[i][0]], *b = &r->view[pairs[i][1]];
            if (!a->used || !b->used)
                continue;
            fprintf(f, "  %s vs %s:\n", mode_title[pairs[i][0]], mode_title[pairs[i][1]]);
            struct diff_text_ctx d = {f, mode_title[pairs[i][0]], mode_title[pairs[i][1]], 0};
            if (td_scan_diff(a, b, diff_to_text, &d) == 0)
                fprintf(f, "    same versions and suites\n");
            if (a->cert.ok && b->cert.ok && memcmp(a->cert.leaf_sha256, b->cert.leaf_sha256, 32) != 0)
                fprintf(f, "    different certificate: %s vs %s\n", a->cert.subject, b->cert.subject);
        }
    }

    /* Groups and extensions */
    fprintf(f, "\n%sKey exchange%s\n", st.bold, st.reset);
    if (r->groups.probed12) {
        fprintf(f, "  ECDHE groups (TLS <= 1.2):");
        for (size_t i = 0; i < r->groups.n_ecdhe; i++)
            fprintf(f, " %s", td_reg_group_name(r->groups.ecdhe[i], nb));
        fprintf(f, "%s\n", r->groups.n_ecdhe ? "" : " none found");
    }
    if (r->groups.probed13) {
        fprintf(f, "  TLS 1.3 groups:");
        for (size_t i = 0; i < r->groups.n_tls13; i++)
            fprintf(f, " %s", td_reg_group_name(r->groups.tls13[i], nb));
        fprintf(f, "%s\n", r->groups.n_tls13 ? "" : " none found");
    }
    if (r->groups.n_dhe) {
        unsigned smallest = 0;
        fprintf(f, "  DHE group size:");
        for (size_t i = 0; i < r->groups.n_dhe; i++) {
            fprintf(f, " %u bits", (unsigned)r->groups.dhe_bits[i]);
            if (smallest == 0 || r->groups.dhe_bits[i] < smallest)
                smallest = r->groups.dhe_bits[i];
        }
        /* Logjam (weakdh.org): 1024-bit groups are within reach; RFC 7919
         * starts its groups at 2048. */
        if (smallest < 2048)
            fprintf(f, "  %sweak: below 2048 bits (Logjam)%s", st.yellow, st.reset);
        fprintf(f, "\n");
    }
    if (!r->groups.probed12 && !r->groups.probed13 && !r->groups.n_dhe)
        fprintf(f, "  no ECDHE/DHE/TLS 1.3 key exchange found\n");

    fprintf(f, "\n%sExtensions that matter to small clients%s", st.bold, st.reset);
    if (r->ext.probed) {
        fprintf(f, " (%s)\n", td_reg_version_name(r->ext.version, nb));
        fprintf(f, "  max_fragment_length (512)   %s - %s\n", yn(r->ext.mfl), r->ext.mfl_detail);
        fprintf(f, "  extended_master_secret      %s\n", yn(r->ext.ems));
        fprintf(f, "  secure renegotiation        %s\n", yn(r->ext.reneg));
        fprintf(f, "  session tickets             %s\n", yn(r->ext.ticket));
        fprintf(f, "  OCSP stapling               %s\n", yn(r->ext.ocsp));
        fprintf(f, "  record_size_limit           %s\n", yn(r->ext.rsl));
        fprintf(f, "  encrypt_then_mac            %s\n", yn(r->ext.etm));
    } else {
        fprintf(f, "\n  not probed (no TLS <= 1.2; in TLS 1.3 they are encrypted)\n");
    }

    fprintf(f, "\n%sCertificates%s\n", st.bold, st.reset);
    for (int m = 0; m < TD_SNI__COUNT; m++)
        if (r->view[m].used)
            cert_text(f, &r->view[m].cert, mode_title[m]);
    if (pv->nleaves > 1)
        fprintf(f, "  note: %zu different leaf certificates seen across suites (e.g. RSA and ECDSA)\n", pv->nleaves);

    bool any_obs = false;
    for (int m = 0; m < TD_SNI__COUNT; m++) {
        const struct td_scan_view *v = &r->view[m];
        if (!v->used || v->nobs == 0)
            continue;
        if (!any_obs)
            fprintf(f, "\n%sObservations%s (odd answers, kept as evidence)\n", st.bold, st.reset);
        any_obs = true;
        for (size_t i = 0; i < v->nobs; i++)
            fprintf(f, "  %s%s%s %s: %s x%u%s%s\n", st.yellow, obs_kind(&v->obs[i]), st.reset, mode_title[m],
                    td_reg_version_name(v->obs[i].version, nb), v->obs[i].count, v->obs[i].detail[0] ? " - " : "",
                    v->obs[i].detail);
    }

    td_scan_compat_text(f, t);
    fprintf(f, "\n%sScan:%s %lu connections in %.2f s (at most %d at once%s)\n", st.bold, st.reset, t->connections,
            (double)t->elapsed_ms / 1000.0, t->per_host, t->half_close ? ", half-closed after each hello" : "");
}
