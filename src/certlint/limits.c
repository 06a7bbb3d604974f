/* Device limits for the certificate lint, taken from the device profiles
 * (the one place for device facts); rendering of the limits. */
#include "certlint/limits.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"

const char *td_known_name(enum td_known k)
{
    switch (k) {
    case TD_K_UNKNOWN:
        return "unknown";
    case TD_K_NO:
        return "no";
    case TD_K_YES:
        return "yes";
    default:
        return "unknown";
    }
}

void td_cert_limits_init_unknown(struct td_cert_limits *l, const char *name, const char *title)
{
    memset(l, 0, sizeof(*l));
    l->name = name;
    l->title = title;
    l->cn_max.value = l->file_max.value = l->ca_file_max.value = l->certs_per_file.value = l->chain_max.value = -1;
    l->rsa_min_bits.value = l->rsa_max_bits.value = -1;
    l->ncurves = -1;
}

void td_cert_limits_generic(struct td_cert_limits *l)
{
    td_cert_limits_init_unknown(l, "generic", "generic TLS client (no device limits known)");
}

/* ---- from a device profile -------------------------------------------- */

static void lim_from(const struct td_profile *p, enum td_pfield f, int value, struct td_lim *out)
{
    const struct td_profile_fact *fact = td_profile_fact(p, f);
    if (!fact->known || value < 0)
        return;
    out->value = value;
    out->soft = fact->advisory;
    out->source = fact->source;
}

static void fact_from_tri(const struct td_profile *p, enum td_pfield f, enum td_tri v, struct td_fact *out)
{
    const struct td_profile_fact *fact = td_profile_fact(p, f);
    if (!fact->known || v == TD_TRI_UNKNOWN)
        return;
    out->v = v == TD_TRI_YES ? TD_K_YES : TD_K_NO;
    out->source = fact->source;
}

/* A list fact is "all there is" when exact or complete. */
static bool whole_list(const struct td_profile_fact *f)
{
    return f->known && (f->coverage == TD_COV_EXACT || f->coverage == TD_COV_COMPLETE);
}

void td_cert_limits_from_profile(const struct td_profile *p, struct td_cert_limits *l)
{
    const struct td_profile_fact *kt = td_profile_fact(p, TD_PF_SERVER_KEY_TYPES);
    const struct td_profile_fact *kf = td_profile_fact(p, TD_PF_CLIENT_KEY_FORMATS);
    const unsigned ecdsa = TD_KEY_ECDSA | TD_KEY_ECDSA_P256 | TD_KEY_ECDSA_P384 | TD_KEY_ECDSA_P521;

    td_cert_limits_init_unknown(l, p->name, p->display_name);
    lim_from(p, TD_PF_CN_MAX_LENGTH, p->cn_max_length, &l->cn_max);
    lim_from(p, TD_PF_CERT_FILE_MAX_BYTES, p->cert_file_max_bytes, &l->file_max);
    lim_from(p, TD_PF_CA_MAX_BYTES, p->ca_max_bytes, &l->ca_file_max);
    lim_from(p, TD_PF_CERTS_PER_FILE, p->certs_per_file, &l->certs_per_file);
    lim_from(p, TD_PF_CHAIN_MAX_BYTES, p->chain_max_bytes, &l->chain_max);
    lim_from(p, TD_PF_RSA_MIN_BITS, p->rsa_min_bits, &l->rsa_min_bits);
    lim_from(p, TD_PF_RSA_MAX_BITS, p->rsa_max_bits, &l->rsa_max_bits);
    fact_from_tri(p, TD_PF_CA_ROOT_ONLY, p->ca_root_only, &l->ca_root_only);
    fact_from_tri(p, TD_PF_CLIENT_KEY_ENCRYPTED, p->client_key_encrypted, &l->encrypted_key);
    fact_from_tri(p, TD_PF_CN_ONLY_NAME_CHECK, p->cn_only_name_check, &l->cn_only_name_check);

    /* server key types: a listed type is usable; an unlisted one is not
     * usable only when the list is complete */
    if (kt->known) {
        if (p->server_key_types & TD_KEY_RSA)
            l->rsa = (struct td_fact){TD_K_YES, kt->source};
        else if (whole_list(kt))
            l->rsa = (struct td_fact){TD_K_NO, kt->source};
        if (p->server_key_types & ecdsa)
            l->ec = (struct td_fact){TD_K_YES, kt->source};
        else if (whole_list(kt))
            l->ec = (struct td_fact){TD_K_NO, kt->source};
        /* curves: only when the complete list names them (bare "ecdsa" does not) */
        if (whole_list(kt) && !(p->server_key_types & TD_KEY_ECDSA)) {
            static const struct {
                unsigned bit;
                const char *curve; /* as OpenSSL names it */
            } cv[] = {{TD_KEY_ECDSA_P256, "prime256v1"}, {TD_KEY_ECDSA_P384, "secp384r1"},
                      {TD_KEY_ECDSA_P521, "secp521r1"}};
            l->ncurves = 0;
            l->curves_source = kt->source;
            for (size_t i = 0; i < TD_ARRAY_LEN(cv); i++)
                if (p->server_key_types & cv[i].bit)
                    l->curves[l->ncurves++] = cv[i].curve;
        }
    }
    /* key formats: PKCS#1 only when the complete list has no PKCS#8/SEC1 */
    if (kf->known) {
        if (p->client_key_formats & TD_KEYFMT_PKCS8_PEM)
            l->key_pkcs1_only = (struct td_fact){TD_K_NO, kf->source};
        else if (whole_list(kf) && (p->client_key_formats & TD_KEYFMT_PKCS1_PEM) &&
                 !(p->client_key_formats & TD_KEYFMT_SEC1_PEM))
            l->key_pkcs1_only = (struct td_fact){TD_K_YES, kf->source};
    }
}

td_err td_cert_limits_load(const char *name, const char *path, struct td_cert_limits *l, struct td_profile **owner,
                           char *err, size_t cap)
{
    struct td_profile_error e;
    td_err ret;

    *owner = NULL;
    err[0] = '\0';
    if (name != NULL && path != NULL) {
        snprintf(err, cap, "--device and --device-file exclude each other");
        return TD_ERR_USAGE;
    }
    if (path == NULL && (name == NULL || strcasecmp(name, "generic") == 0)) {
        td_cert_limits_generic(l);
        return TD_ERR_OK;
    }
    ret = path != NULL ? td_profile_load_file(path, owner, &e) : td_profile_load_builtin(name, owner, &e);
    if (ret == TD_ERR_NOTFOUND && path == NULL) {
        size_t off;
        int w = snprintf(err, cap, "unknown device '%s'; built in: generic", name);
        off = w > 0 ? (size_t)w : 0;
        for (size_t i = 0; i < td_profile_builtin_count() && off < cap; i++) {
            struct td_profile *p;
            if (td_profile_load_builtin_at(i, &p, &e) != TD_ERR_OK)
                continue;
            w = snprintf(err + off, cap - off, ", %s", p->name);
            off += w > 0 ? (size_t)w : 0;
            td_profile_free(p);
        }
        return TD_ERR_NOTFOUND;
    }
    if (ret != TD_ERR_OK) {
        td_profile_error_format(&e, err, cap);
        *owner = NULL;
        return ret;
    }
    td_cert_limits_from_profile(*owner, l);
    return TD_ERR_OK;
}

/* ---- rendering -------------------------------------------------------- */

struct lim_desc {
    const char *key, *label;
    size_t off;
};

#define LIM(field, label)                                                                                              \
    {                                                                                                                  \
#field, label, offsetof(struct td_cert_limits, field)                                                          \
    }
static const struct lim_desc lims[] = {
    LIM(cn_max, "max CN length (characters)"),    LIM(file_max, "max file size (bytes)"),
    LIM(ca_file_max, "max CA file size (bytes)"),
    LIM(certs_per_file, "certificates per file"), LIM(chain_max, "max server chain (bytes, DER)"),
    LIM(rsa_min_bits, "min RSA key (bits)"),      LIM(rsa_max_bits, "max RSA key (bits)"),
};
static const struct lim_desc facts[] = {
    LIM(ca_root_only, "CA file must be a self-signed root"),
    LIM(key_pkcs1_only, "key must be PKCS#1 (BEGIN RSA PRIVATE KEY)"),
    LIM(encrypted_key, "password-protected key usable"),
    LIM(rsa, "RSA certificate keys usable"),
    LIM(ec, "ECDSA certificate keys usable"),
    LIM(cn_only_name_check, "name check compares the CN only"),
};
#undef LIM

size_t td_cert_limits_unknown(const struct td_cert_limits *l, const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < TD_ARRAY_LEN(lims); i++) {
        const struct td_lim *x = (const struct td_lim *)(const void *)((const char *)l + lims[i].off);
        if (x->value < 0 && n < cap)
            out[n++] = lims[i].label;
    }
    for (size_t i = 0; i < TD_ARRAY_LEN(facts); i++) {
        const struct td_fact *x = (const struct td_fact *)(const void *)((const char *)l + facts[i].off);
        if (x->v == TD_K_UNKNOWN && n < cap)
            out[n++] = facts[i].label;
    }
    if (l->ncurves < 0 && n < cap)
        out[n++] = "ECDSA curves usable";
    return n;
}

void td_cert_limits_text(FILE *f, const struct td_cert_limits *l)
{
    fprintf(f, "device: %s (%s)\n", l->name, l->title);
    for (size_t i = 0; i < TD_ARRAY_LEN(lims); i++) {
        const struct td_lim *x = (const struct td_lim *)(const void *)((const char *)l + lims[i].off);
        if (x->value < 0)
            fprintf(f, "  %-44s unknown\n", lims[i].label);
        else
            fprintf(f, "  %-44s %ld%s\n", lims[i].label, x->value, x->soft ? " (advisory)" : "");
    }
    for (size_t i = 0; i < TD_ARRAY_LEN(facts); i++) {
        const struct td_fact *x = (const struct td_fact *)(const void *)((const char *)l + facts[i].off);
        fprintf(f, "  %-44s %s\n", facts[i].label, td_known_name(x->v));
    }
    fprintf(f, "  %-44s ", "ECDSA curves usable");
    if (l->ncurves < 0)
        fprintf(f, "unknown");
    else if (l->ncurves == 0)
        fprintf(f, "none");
    for (int i = 0; i < l->ncurves; i++)
        fprintf(f, "%s%s", i ? ", " : "", l->curves[i]);
    fprintf(f, "\n");
}

json_t *td_cert_limits_json(const struct td_cert_limits *l)
{
    json_t *o = json_object(), *m = json_object(), *curves;

    json_object_set_new(o, "name", json_string(l->name));
    json_object_set_new(o, "title", json_string(l->title));
    for (size_t i = 0; i < TD_ARRAY_LEN(lims); i++) {
        const struct td_lim *x = (const struct td_lim *)(const void *)((const char *)l + lims[i].off);
        json_t *e = json_object();
        json_object_set_new(e, "value", x->value < 0 ? json_null() : json_integer(x->value));
        json_object_set_new(e, "soft", json_boolean(x->soft));
        json_object_set_new(e, "source", x->source != NULL ? json_string(x->source) : json_null());
        json_object_set_new(m, lims[i].key, e);
    }
    for (size_t i = 0; i < TD_ARRAY_LEN(facts); i++) {
        const struct td_fact *x = (const struct td_fact *)(const void *)((const char *)l + facts[i].off);
        json_t *e = json_object();
        json_object_set_new(e, "value", json_string(td_known_name(x->v)));
        json_object_set_new(e, "source", x->source != NULL ? json_string(x->source) : json_null());
        json_object_set_new(m, facts[i].key, e);
    }
    curves = json_object();
    if (l->ncurves < 0) {
        json_object_set_new(curves, "value", json_null());
    } else {
        json_t *a = json_array();
        for (int i = 0; i < l->ncurves; i++)
            json_array_append_new(a, json_string(l->curves[i]));
        json_object_set_new(curves, "value", a);
    }
    json_object_set_new(curves, "source", l->curves_source != NULL ? json_string(l->curves_source) : json_null());
    json_object_set_new(m, "curves", curves);
    json_object_set_new(o, "limits", m);
    return o;
}
