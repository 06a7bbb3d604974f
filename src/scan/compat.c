/* Device compatibility from scan results (see compat.h). */
#include "scan/compat.h"

#include <string.h>

#include "report/term.h"
#include "x509/x509.h"

#define MAX_ROWS 64

static enum td_dx_tri dx(enum td_tri t)
{
    return t == TD_TRI_YES ? TD_DX_YES : t == TD_TRI_NO ? TD_DX_NO : TD_DX_UNKNOWN;
}

static void add_suite(struct td_dx_server *s, uint16_t code)
{
    for (size_t i = 0; i < s->nsuites; i++)
        if (s->suites[i] == code)
            return;
    if (s->nsuites < TD_DX_MAX_SUITES)
        s->suites[s->nsuites++] = code;
}

/* The CN from an RFC 2253 subject ("CN=a.example,O=x"), or "" if none. */
static void cn_of(const char *subject, char *cn, size_t cap)
{
    const char *p = subject;
    cn[0] = '\0';
    while (p != NULL && *p != '\0') {
        while (*p == ' ' || *p == ',' || *p == '/')
            p++;
        if (strncmp(p, "CN=", 3) == 0 || strncmp(p, "CN = ", 5) == 0) {
            const char *v = p + (p[2] == '=' ? 3 : 5);
            size_t n = strcspn(v, ",/");
            snprintf(cn, cap, "%.*s", (int)n, v);
            return;
        }
        p = strpbrk(p, ",/");
    }
}

void td_scan_compat_facts(const struct td_scan_target_result *t, struct td_dx_server *srv, struct td_dx_cert *leaf,
                          char *cn, size_t cncap)
{
    const struct td_scan_result *r = &t->r;
    const struct td_scan_view *v = NULL, *none = &r->view[TD_SNI_NONE];
    static const enum td_scan_vi order[] = {TD_SV_TLS13, TD_SV_TLS12, TD_SV_TLS11, TD_SV_TLS10, TD_SV_SSL3};
    struct td_dx_input tmp;

    td_dx_input_init(&tmp);
    *srv = tmp.srv;
    memset(leaf, 0, sizeof(*leaf));
    /* The configuration to judge: the one for the name when the scan had
     * one (a device that sends SNI meets it), else the one without SNI. */
    v = r->view[TD_SNI_NAME].used && r->view[TD_SNI_NAME].any_supported ? &r->view[TD_SNI_NAME]
        : none->used                                                  ? none
                                                                      : NULL;
    if (v == NULL)
        return;
    srv->versions_known = TD_DX_YES;
    srv->suites_known = TD_DX_YES;
    for (size_t i = 0; i < TD_ARRAY_LEN(order); i++) {
        const struct td_scan_ver *sv = &v->v[order[i]];
        if (!sv->probed) {
            srv->versions_known = TD_DX_UNKNOWN;
            continue;
        }
        if (!sv->supported)
            continue;
        if (srv->nversions < TD_DX_MAX_VERSIONS)
            srv->versions[srv->nversions++] = td_scan_vi_version(order[i]);
        for (size_t k = 0; k < sv->nsuites; k++)
            add_suite(srv, sv->suites[k].code);
        if (sv->nsuites == 0)
            srv->suites_known = TD_DX_UNKNOWN;
        for (size_t k = 0; k < sv->nsuites && srv->dh_bits == 0; k++)
            srv->dh_bits = sv->suites[k].dh_bits;
    }
    /* Every version probed and none accepted: known, and none (a silent,
     * resetting or non-TLS server); td_check_compat_one says so. */
    if (srv->nversions == 0 && srv->versions_known != TD_DX_YES)
        srv->suites_known = TD_DX_UNKNOWN;
    /* SNI: the truth table. */
    if (r->sni_required == TD_TRI_YES) {
        srv->ok_without_sni = TD_DX_NO;
        srv->ok_with_sni = TD_DX_YES;
    } else if (none->used) {
        srv->ok_without_sni = none->any_supported ? TD_DX_YES : TD_DX_NO;
    }
    srv->probe_name = r->view[TD_SNI_NAME].used ? r->view[TD_SNI_NAME].sni : NULL;
    srv->cert_differs = dx(r->different_cert);
    /* The leaf sent to a device without SNI, the usual case for these devices. */
    const struct td_tls_cert *c = none->used && none->cert.ok ? &none->cert : v->cert.ok ? &v->cert : NULL;
    if (c == NULL)
        return;
    cn_of(c->subject, cn, cncap);
    leaf->present = true;
    leaf->ncerts = c->chain_count;
    leaf->chain_bytes = c->chain_bytes;
    leaf->subject = c->subject;
    leaf->cn = cn[0] != '\0' ? cn : NULL;
    leaf->cn_len = strlen(cn);
    leaf->cn_is_ip = cn[0] != '\0' && td_x509_is_ip(cn);
    leaf->san = c->sans[0] != '\0' ? c->sans : NULL;
    leaf->key_type = c->key_type;
    leaf->key_bits = (int)c->key_bits;
    leaf->curve = c->curve[0] != '\0' ? c->curve : NULL;
    leaf->self_signed = c->self_signed;
    srv->key_type = c->key_type;
    srv->key_bits = (int)c->key_bits;
}

static size_t rows_for(const struct td_scan_target_result *t, struct td_compat_row *rows, size_t cap)
{
    struct td_dx_server srv;
    struct td_dx_cert leaf;
    char cn[256];
    size_t n = 0;

    if (t->status != TD_SCAN_OK)
        return 0;
    td_scan_compat_facts(t, &srv, &leaf, cn, sizeof(cn));
    if (td_check_compat(&srv, leaf.present ? &leaf : NULL, rows, cap, &n) != TD_ERR_OK)
        return 0;
    return n;
}

json_t *td_scan_compat_json(const struct td_scan_target_result *t)
{
    struct td_compat_row rows[MAX_ROWS];
    size_t n = rows_for(t, rows, MAX_ROWS);
    json_t *arr;

    if (t->status != TD_SCAN_OK)
        return json_null();
    arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "device", json_string(rows[i].device));
        json_object_set_new(o, "display_name", json_string(rows[i].display));
        json_object_set_new(o, "verdict", json_string(rows[i].unknown ? "unknown" : rows[i].pass ? "pass" : "fail"));
        json_object_set_new(o, "uncertain", json_boolean(rows[i].uncertain));
        json_object_set_new(o, "id", json_string(rows[i].id));
        json_object_set_new(o, "reason", json_string(rows[i].reason));
        json_array_append_new(arr, o);
    }
    return arr;
}

void td_scan_compat_text(FILE *f, const struct td_scan_target_result *t)
{
    struct td_style st = td_style_for(f);
    struct td_compat_row rows[MAX_ROWS];
    size_t n = rows_for(t, rows, MAX_ROWS);

    if (n == 0)
        return;
    fprintf(f, "\n%sDevice compatibility%s (built-in profiles; 'tlsdiag check HOST --device NAME' for the details)\n",
            st.bold, st.reset);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  %s%-4s%s%s %-22s %s\n", rows[i].unknown ? st.yellow : rows[i].pass ? st.green : st.red,
                rows[i].unknown ? "?" : rows[i].pass ? "pass" : "FAIL", st.reset,
                rows[i].uncertain && !rows[i].unknown ? "?" : " ", rows[i].device, rows[i].reason);
    fprintf(f, "  (? = the verdict rests on facts the device's profile marks unknown or partial)\n");
    for (int m = 0; m < TD_SNI__COUNT; m++) {
        const struct td_scan_view *v = &t->r.view[m];
        if (v->used && v->cert.ok && v->cert.client_auth) {
            fprintf(f, "  The server asks for a client certificate: a device without one connects only if the\n"
                       "  server does not insist ('tlsdiag check ... --client-cert FILE --client-key FILE' tests both).\n");
            break;
        }
    }
}
