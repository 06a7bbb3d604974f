/* Device profile loader and validator. The schema is docs/profiles.md; every
 * rule checked here is listed there. The field table (TD_PROFILE_FIELDS in
 * profile.h) drives parsing, so adding a fact is one line there plus a
 * member in struct td_profile. */
#include "profiles/profile.h"

#include <ctype.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/embed.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/writer.h"
#include "profiles/lineindex.h"
#include "profiles/names.h"

enum kind { K_VERSIONS, K_SUITES, K_GROUPS, K_SIGALGS, K_COMPRESSION, K_EXT, K_MFL, K_LEVELS, K_LEVEL, K_BOOL, K_INT,
            K_FORMATS, K_KEYTYPES, K_KEYFORMATS, K_TEXT };

struct field_desc {
    const char *group, *key, *path;
    enum kind kind;
};

static const struct field_desc fields[TD_PF_COUNT] = {
#define TD_PF_DESC(id, g, k, kind) {g, k, g "." k, K_##kind},
    TD_PROFILE_FIELDS(TD_PF_DESC)
#undef TD_PF_DESC
};

struct fail_desc {
    const char *text;
    enum td_pfield field;
};

static const struct fail_desc fails[TD_PFAIL_COUNT] = {
#define TD_PFAIL_DESC(id, f, text) {text, TD_PF_##f},
    TD_PROFILE_FAILS(TD_PFAIL_DESC)
#undef TD_PFAIL_DESC
};

static const char *const groups[] = {"offers", "validation", "limits", "errors"};

static const char *const top_keys[] = {"schema_version", "name",    "aliases",        "display_name",
                                       "vendor",         "modem",   "firmware_notes", "identity_source",
                                       "offers",         "validation", "limits",      "errors"};

static const char *const fact_keys[] = {"value", "source", "coverage", "note", "confidence", "advisory"};

static const char *const ext_names[] = {"unknown", "sends", "never", "configurable-default-off",
                                        "configurable-default-on", "configurable"};
static const char *const cov_names[] = {"unknown", "exact", "complete", "partial"};
static const char *const conf_names[] = {"unstated", "strong", "medium", "weak"};

struct named_bit {
    const char *name;
    unsigned bit;
};

static const struct named_bit fmt_bits[] = {{"pem", TD_FMT_PEM}, {"der", TD_FMT_DER}};
static const struct named_bit keytype_bits[] = {
    {"rsa", TD_KEY_RSA},
    {"ecdsa", TD_KEY_ECDSA},
    {"ecdsa-secp256r1", TD_KEY_ECDSA_P256},
    {"ecdsa-secp384r1", TD_KEY_ECDSA_P384},
    {"ecdsa-secp521r1", TD_KEY_ECDSA_P521},
    {"ed25519", TD_KEY_ED25519},
};
static const struct named_bit keyfmt_bits[] = {
    {"pkcs1-pem", TD_KEYFMT_PKCS1_PEM},
    {"pkcs8-pem", TD_KEYFMT_PKCS8_PEM},
    {"sec1-pem", TD_KEYFMT_SEC1_PEM},
    {"der", TD_KEYFMT_DER},
};

/* Which facts each failure class depends on, besides its errors.* field. */
static const enum td_pfield fail_deps[TD_PFAIL_COUNT][6] = {
    [TD_PFAIL_NO_COMMON_VERSION] = {TD_PF_VERSIONS, TD_PF_COUNT},
    [TD_PFAIL_NO_COMMON_SUITE] = {TD_PF_SUITES, TD_PF_GROUPS, TD_PF_COUNT},
    [TD_PFAIL_SNI_REQUIRED] = {TD_PF_SNI, TD_PF_COUNT},
    [TD_PFAIL_CERT_UNTRUSTED] = {TD_PF_LEVELS, TD_PF_DEFAULT_LEVEL, TD_PF_CA_ROOT_ONLY, TD_PF_COUNT},
    [TD_PFAIL_NAME_MISMATCH] = {TD_PF_LEVELS, TD_PF_DEFAULT_LEVEL, TD_PF_COUNT},
    [TD_PFAIL_EXPIRED] = {TD_PF_LEVELS, TD_PF_DEFAULT_LEVEL, TD_PF_COUNT},
    [TD_PFAIL_CN_TOO_LONG] = {TD_PF_CN_MAX_LENGTH, TD_PF_COUNT},
    [TD_PFAIL_CHAIN_TOO_LARGE] = {TD_PF_CHAIN_MAX_BYTES, TD_PF_CHAIN_MAX_CERTS, TD_PF_MAX_RECORD_BYTES, TD_PF_COUNT},
    [TD_PFAIL_KEY_UNSUPPORTED] = {TD_PF_SERVER_KEY_TYPES, TD_PF_RSA_MIN_BITS, TD_PF_RSA_MAX_BITS, TD_PF_SIGALGS,
                                  TD_PF_DHE_MAX_BITS, TD_PF_COUNT},
    [TD_PFAIL_CLIENT_CERT_REQUIRED] = {TD_PF_CLIENT_KEY_TYPES, TD_PF_CLIENT_KEY_FORMATS, TD_PF_COUNT},
    [TD_PFAIL_HANDSHAKE_TIMEOUT] = {TD_PF_COUNT},
    [TD_PFAIL_TLS_CONFIG_INVALID] = {TD_PF_COUNT},
};

static const char *const fail_keys[TD_PFAIL_COUNT] = {
    "no_common_version", "no_common_suite", "sni_required", "cert_untrusted", "name_mismatch",   "expired",
    "cn_too_long",       "chain_too_large", "key_unsupported", "client_cert_required", "handshake_timeout",
    "tls_config_invalid",
};

/* ------------------------------------------------------------------------ */
/* metadata */

const char *td_profile_field_path(enum td_pfield f) { return (unsigned)f < TD_PF_COUNT ? fields[f].path : "?"; }
const char *td_profile_fail_key(enum td_pfail c) { return (unsigned)c < TD_PFAIL_COUNT ? fail_keys[c] : "?"; }
const char *td_profile_fail_text(enum td_pfail c) { return (unsigned)c < TD_PFAIL_COUNT ? fails[c].text : "?"; }
enum td_pfield td_profile_fail_field(enum td_pfail c)
{
    return (unsigned)c < TD_PFAIL_COUNT ? fails[c].field : TD_PF_COUNT;
}
const char *td_ext_mode_name(enum td_ext_mode m)
{
    return (unsigned)m < TD_ARRAY_LEN(ext_names) ? ext_names[m] : "?";
}
const char *td_coverage_name(enum td_coverage c) { return (unsigned)c < TD_ARRAY_LEN(cov_names) ? cov_names[c] : "?"; }
const char *td_confidence_name(enum td_confidence c)
{
    return (unsigned)c < TD_ARRAY_LEN(conf_names) ? conf_names[c] : "?";
}

/* ------------------------------------------------------------------------ */
/* errors */

struct ctx {
    const char *origin;
    struct td_lineindex ix;
    struct td_profile_error *err;
    struct td_profile *p;
};

static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void err_clear(struct td_profile_error *e, const char *origin)
{
    memset(e, 0, sizeof(*e));
    copy_str(e->file, sizeof(e->file), origin);
}

TD_PRINTF(3, 4) static td_err fail(struct ctx *c, const char *path, const char *fmt, ...)
{
    va_list ap;
    if (c->err == NULL)
        return TD_ERR_INPUT;
    copy_str(c->err->field, sizeof(c->err->field), path);
    td_lineindex_find(&c->ix, path, &c->err->line, &c->err->column);
    va_start(ap, fmt);
    vsnprintf(c->err->msg, sizeof(c->err->msg), fmt, ap);
    va_end(ap);
    return TD_ERR_INPUT;
}

void td_profile_error_format(const struct td_profile_error *e, char *buf, size_t cap)
{
    int n;
    if (cap == 0)
        return;
    if (e->file[0] == '\0')
        n = 0;
    else if (e->line > 0 && e->column > 0)
        n = snprintf(buf, cap, "%s:%d:%d: ", e->file, e->line, e->column);
    else if (e->line > 0)
        n = snprintf(buf, cap, "%s:%d: ", e->file, e->line);
    else
        n = snprintf(buf, cap, "%s: ", e->file);
    if (n < 0 || (size_t)n >= cap) {
        buf[cap - 1] = '\0';
        return;
    }
    buf[n] = '\0';
    if (e->field[0] != '\0')
        snprintf(buf + n, cap - (size_t)n, "field %s: %s", e->field, e->msg);
    else
        snprintf(buf + n, cap - (size_t)n, "%s", e->msg);
}

/* ------------------------------------------------------------------------ */
/* value helpers */

static const char *type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    default:
        return "a value";
    }
}

static bool is_unknown(const json_t *j)
{
    return json_is_string(j) && strcmp(json_string_value(j), "unknown") == 0;
}

static td_err check_keys(struct ctx *c, const json_t *obj, const char *path, const char *const *allowed, size_t n)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        bool ok = false;
        for (size_t i = 0; i < n && !ok; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (!ok) {
            char sub[256];
            snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key);
            return fail(c, sub, "unknown field \"%s\"", key);
        }
    }
    return TD_ERR_OK;
}

/* A non-empty string of at most TD_PROFILE_MAX_STRING bytes, duplicated. */
static td_err get_string(struct ctx *c, const json_t *j, const char *path, char **out)
{
    size_t n;
    if (!json_is_string(j))
        return fail(c, path, "expected a string, found %s", type_name(j));
    n = json_string_length(j);
    if (n == 0)
        return fail(c, path, "must not be empty");
    if (n > TD_PROFILE_MAX_STRING)
        return fail(c, path, "longer than %d bytes", TD_PROFILE_MAX_STRING);
    if (memchr(json_string_value(j), '\0', n) != NULL)
        return fail(c, path, "contains a NUL character");
    *out = td_strdup(json_string_value(j));
    return *out != NULL ? TD_ERR_OK : TD_ERR_NOMEM;
}

static td_err get_int(struct ctx *c, const json_t *j, const char *path, long long lo, long long hi, int *out)
{
    long long v;
    if (!json_is_integer(j))
        return fail(c, path, "expected an integer or \"unknown\", found %s", type_name(j));
    v = json_integer_value(j);
    if (v < lo || v > hi)
        return fail(c, path, "%lld out of range %lld..%lld", v, lo, hi);
    *out = (int)v;
    return TD_ERR_OK;
}

static int name_index(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], s) == 0)
            return (int)i;
    }
    return -1;
}

/* "0x0035" / "0X0035" or an integer 0..65535. */
static bool parse_code(const json_t *j, uint16_t *out)
{
    if (json_is_integer(j)) {
        json_int_t v = json_integer_value(j);
        if (v < 0 || v > 0xFFFF)
            return false;
        *out = (uint16_t)v;
        return true;
    }
    if (json_is_string(j)) {
        const char *s = json_string_value(j);
        unsigned v = 0;
        size_t n = strlen(s);
        if (n != 6 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
            return false;
        for (size_t i = 2; i < n; i++) {
            int d = isdigit((unsigned char)s[i]) ? s[i] - '0'
                    : (s[i] >= 'a' && s[i] <= 'f') ? s[i] - 'a' + 10
                    : (s[i] >= 'A' && s[i] <= 'F') ? s[i] - 'A' + 10
                                                   : -1;
            if (d < 0)
                return false;
            v = v * 16 + (unsigned)d;
        }
        *out = (uint16_t)v;
        return true;
    }
    return false;
}

struct table {
    const char *what; /* "cipher suite" */
    const char *(*name_of)(uint16_t);
    int (*code_of)(const char *, uint16_t *);
};

static const struct table t_suites = {"cipher suite", td_profile_suite_name, td_profile_suite_code};
static const struct table t_groups = {"group", td_profile_group_name, td_profile_group_code};
static const struct table t_sigalgs = {"signature algorithm", td_profile_sigalg_name, td_profile_sigalg_code};
static const struct table t_versions = {"protocol version", td_profile_version_name, td_profile_version_code};

static const char *compression_name(uint16_t code) { return code == 0 ? "null" : code == 1 ? "deflate" : NULL; }
static int compression_code(const char *name, uint16_t *code)
{
    if (strcmp(name, "null") == 0)
        *code = 0;
    else if (strcmp(name, "deflate") == 0)
        *code = 1;
    else
        return -1;
    return 0;
}
static const struct table t_compression = {"compression method", compression_name, compression_code};

/* One list element: "NAME", or {"code": "0x0035", "name": "NAME"} where both
 * must agree with the table. Versions and compression take names only. */
static td_err get_entry(struct ctx *c, const json_t *e, const char *path, const struct table *t, bool objects,
                        uint16_t *out)
{
    if (json_is_string(e)) {
        if (t->code_of(json_string_value(e), out) != 0)
            return fail(c, path, "unknown %s name \"%s\"", t->what, json_string_value(e));
        return TD_ERR_OK;
    }
    if (objects && json_is_object(e)) {
        static const char *const keys[] = {"code", "name"};
        json_t *jc = json_object_get(e, "code"), *jn = json_object_get(e, "name");
        const char *known;
        char sub[256];
        td_err ret = check_keys(c, e, path, keys, 2);
        if (ret != TD_ERR_OK)
            return ret;
        snprintf(sub, sizeof(sub), "%s.code", path);
        if (jc == NULL || !parse_code(jc, out))
            return fail(c, jc ? sub : path, "needs \"code\" as \"0xHHHH\"");
        known = t->name_of(*out);
        if (known == NULL)
            return fail(c, sub, "unknown %s code 0x%04X", t->what, *out);
        snprintf(sub, sizeof(sub), "%s.name", path);
        if (jn == NULL || !json_is_string(jn))
            return fail(c, jn ? sub : path, "needs \"name\" (IANA name, here \"%s\")", known);
        if (strcmp(json_string_value(jn), known) != 0)
            return fail(c, sub, "name \"%s\" does not match code 0x%04X (%s)", json_string_value(jn), *out, known);
        return TD_ERR_OK;
    }
    return fail(c, path, "expected a %s name%s, found %s", t->what, objects ? " or {code, name}" : "", type_name(e));
}

static td_err get_list(struct ctx *c, const json_t *v, const char *path, const struct table *t, bool objects,
                       struct td_u16_list *out)
{
    size_t n;
    if (!json_is_array(v))
        return fail(c, path, "expected an array or \"unknown\", found %s", type_name(v));
    n = json_array_size(v);
    if (n == 0)
        return fail(c, path, "empty list (use \"unknown\" if the list is not known)");
    if (n > TD_PROFILE_MAX_LIST)
        return fail(c, path, "more than %d entries", TD_PROFILE_MAX_LIST);
    out->v = td_calloc(n, sizeof(uint16_t));
    if (out->v == NULL)
        return TD_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        char sub[200];
        uint16_t code;
        td_err ret;
        snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
        ret = get_entry(c, json_array_get(v, i), sub, t, objects, &code);
        if (ret != TD_ERR_OK)
            return ret;
        for (size_t k = 0; k < out->n; k++) {
            if (out->v[k] == code)
                return fail(c, sub, "duplicate %s %s", t->what, t->name_of(code));
        }
        out->v[out->n++] = code;
    }
    return TD_ERR_OK;
}

static td_err get_mask(struct ctx *c, const json_t *v, const char *path, const struct named_bit *bits, size_t nbits,
                       const char *what, unsigned *out)
{
    size_t n;
    if (!json_is_array(v))
        return fail(c, path, "expected an array or \"unknown\", found %s", type_name(v));
    n = json_array_size(v);
    if (n == 0)
        return fail(c, path, "empty list (use \"unknown\" if the list is not known)");
    *out = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(v, i);
        char sub[200];
        unsigned bit = 0;
        snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
        if (!json_is_string(e))
            return fail(c, sub, "expected a %s name, found %s", what, type_name(e));
        for (size_t k = 0; k < nbits && bit == 0; k++) {
            if (strcmp(bits[k].name, json_string_value(e)) == 0)
                bit = bits[k].bit;
        }
        if (bit == 0)
            return fail(c, sub, "unknown %s \"%s\"", what, json_string_value(e));
        if (*out & bit)
            return fail(c, sub, "duplicate %s \"%s\"", what, json_string_value(e));
        *out |= bit;
    }
    return TD_ERR_OK;
}

static bool is_list_kind(enum kind k)
{
    switch (k) {
    case K_VERSIONS:
    case K_SUITES:
    case K_GROUPS:
    case K_SIGALGS:
    case K_COMPRESSION:
    case K_LEVELS:
    case K_FORMATS:
    case K_KEYTYPES:
    case K_KEYFORMATS:
        return true;
    default:
        return false;
    }
}

/* ------------------------------------------------------------------------ */
/* one fact */

static td_err set_unknown(struct td_profile *p, enum td_pfield f)
{
    /* The defaults set in profile_new() already are the unknown values. */
    p->facts[f].known = false;
    p->facts[f].coverage = TD_COV_NONE;
    return TD_ERR_OK;
}

static int *int_slot(struct td_profile *p, enum td_pfield f)
{
    switch (f) {
    case TD_PF_CA_MAX_BYTES:
        return &p->ca_max_bytes;
    case TD_PF_CN_MAX_LENGTH:
        return &p->cn_max_length;
    case TD_PF_CHAIN_MAX_BYTES:
        return &p->chain_max_bytes;
    case TD_PF_CHAIN_MAX_CERTS:
        return &p->chain_max_certs;
    case TD_PF_MAX_RECORD_BYTES:
        return &p->max_record_bytes;
    case TD_PF_CERTS_PER_FILE:
        return &p->certs_per_file;
    case TD_PF_CERT_FILE_MAX_BYTES:
        return &p->cert_file_max_bytes;
    case TD_PF_RSA_MIN_BITS:
        return &p->rsa_min_bits;
    case TD_PF_RSA_MAX_BITS:
        return &p->rsa_max_bits;
    case TD_PF_DHE_MIN_BITS:
        return &p->dhe_min_bits;
    case TD_PF_DHE_MAX_BITS:
        return &p->dhe_max_bits;
    case TD_PF_DEFAULT_LEVEL:
        return &p->default_level;
    case TD_PF_MAX_FRAGMENT_LENGTH:
        return &p->max_fragment_length;
    default:
        return NULL;
    }
}

static enum td_ext_mode *ext_slot(struct td_profile *p, enum td_pfield f)
{
    switch (f) {
    case TD_PF_SNI:
        return &p->sni;
    case TD_PF_ALPN:
        return &p->alpn;
    case TD_PF_EMS:
        return &p->ems;
    case TD_PF_ETM:
        return &p->etm;
    case TD_PF_RENEG_INFO:
        return &p->reneg_info;
    case TD_PF_SESSION_TICKET:
        return &p->session_ticket;
    case TD_PF_STATUS_REQUEST:
        return &p->status_request;
    default:
        return NULL;
    }
}

static enum td_tri *tri_slot(struct td_profile *p, enum td_pfield f)
{
    switch (f) {
    case TD_PF_CA_ROOT_ONLY:
        return &p->ca_root_only;
    case TD_PF_CA_ALWAYS_REQUIRED:
        return &p->ca_always_required;
    case TD_PF_CN_ONLY_NAME_CHECK:
        return &p->cn_only_name_check;
    case TD_PF_CLIENT_KEY_ENCRYPTED:
        return &p->client_key_encrypted;
    case TD_PF_CLIENT_CERT_X509V3:
        return &p->client_cert_x509v3;
    default:
        return NULL;
    }
}

static struct td_u16_list *list_slot(struct td_profile *p, enum td_pfield f)
{
    switch (f) {
    case TD_PF_VERSIONS:
        return &p->versions;
    case TD_PF_SUITES:
        return &p->suites;
    case TD_PF_GROUPS:
        return &p->groups;
    case TD_PF_SIGALGS:
        return &p->sigalgs;
    case TD_PF_COMPRESSION:
        return &p->compression;
    default:
        return NULL;
    }
}

static unsigned *mask_slot(struct td_profile *p, enum td_pfield f)
{
    switch (f) {
    case TD_PF_LEVELS:
        return &p->levels;
    case TD_PF_CA_FORMATS:
        return &p->ca_formats;
    case TD_PF_SERVER_KEY_TYPES:
        return &p->server_key_types;
    case TD_PF_CLIENT_KEY_TYPES:
        return &p->client_key_types;
    case TD_PF_CLIENT_KEY_FORMATS:
        return &p->client_key_formats;
    default:
        return NULL;
    }
}

static int fail_of_field(enum td_pfield f)
{
    for (int i = 0; i < TD_PFAIL_COUNT; i++) {
        if (fails[i].field == f)
            return i;
    }
    return -1;
}

static td_err parse_value(struct ctx *c, enum td_pfield f, const json_t *v, const char *path)
{
    struct td_profile *p = c->p;
    const struct field_desc *d = &fields[f];

    switch (d->kind) {
    case K_VERSIONS:
        return get_list(c, v, path, &t_versions, false, list_slot(p, f));
    case K_SUITES:
        return get_list(c, v, path, &t_suites, true, list_slot(p, f));
    case K_GROUPS:
        return get_list(c, v, path, &t_groups, true, list_slot(p, f));
    case K_SIGALGS:
        return get_list(c, v, path, &t_sigalgs, true, list_slot(p, f));
    case K_COMPRESSION:
        return get_list(c, v, path, &t_compression, false, list_slot(p, f));
    case K_EXT: {
        int i;
        if (!json_is_string(v))
            return fail(c, path, "expected one of sends, never, configurable-default-off, configurable-default-on, "
                                 "configurable, unknown; found %s", type_name(v));
        i = name_index(ext_names, TD_ARRAY_LEN(ext_names), json_string_value(v));
        if (i <= 0)
            return fail(c, path, "\"%s\" is not one of sends, never, configurable-default-off, "
                                 "configurable-default-on, configurable, unknown", json_string_value(v));
        *ext_slot(p, f) = (enum td_ext_mode)i;
        return TD_ERR_OK;
    }
    case K_MFL: {
        int n;
        if (json_is_string(v) && strcmp(json_string_value(v), "none") == 0) {
            p->max_fragment_length = 0;
            return TD_ERR_OK;
        }
        if (!json_is_integer(v))
            return fail(c, path, "expected \"none\", 512, 1024, 2048, 4096 or \"unknown\", found %s", type_name(v));
        n = (int)(json_integer_value(v) >= 0 && json_integer_value(v) <= 4096 ? json_integer_value(v) : -1);
        if (n != 512 && n != 1024 && n != 2048 && n != 4096)
            return fail(c, path, "%lld is not a max_fragment_length (512, 1024, 2048, 4096)",
                        (long long)json_integer_value(v));
        p->max_fragment_length = n;
        return TD_ERR_OK;
    }
    case K_LEVELS: {
        size_t n;
        if (!json_is_array(v))
            return fail(c, path, "expected an array of levels 0..3 or \"unknown\", found %s", type_name(v));
        n = json_array_size(v);
        if (n == 0)
            return fail(c, path, "empty list (use \"unknown\" if the levels are not known)");
        for (size_t i = 0; i < n; i++) {
            char sub[200];
            int lvl;
            td_err ret;
            snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
            ret = get_int(c, json_array_get(v, i), sub, 0, 3, &lvl);
            if (ret != TD_ERR_OK)
                return ret;
            if (p->levels & (1u << lvl))
                return fail(c, sub, "duplicate level %d", lvl);
            p->levels |= 1u << lvl;
        }
        return TD_ERR_OK;
    }
    case K_LEVEL:
        return get_int(c, v, path, 0, 3, &p->default_level);
    case K_BOOL:
        if (!json_is_boolean(v))
            return fail(c, path, "expected true, false or \"unknown\", found %s", type_name(v));
        *tri_slot(p, f) = json_is_true(v) ? TD_TRI_YES : TD_TRI_NO;
        return TD_ERR_OK;
    case K_INT:
        return get_int(c, v, path, 0, INT_MAX / 2, int_slot(p, f));
    case K_FORMATS:
        return get_mask(c, v, path, fmt_bits, TD_ARRAY_LEN(fmt_bits), "format", mask_slot(p, f));
    case K_KEYTYPES:
        return get_mask(c, v, path, keytype_bits, TD_ARRAY_LEN(keytype_bits), "key type", mask_slot(p, f));
    case K_KEYFORMATS:
        return get_mask(c, v, path, keyfmt_bits, TD_ARRAY_LEN(keyfmt_bits), "key format", mask_slot(p, f));
    case K_TEXT: {
        int fc = fail_of_field(f);
        if (fc < 0)
            return TD_ERR_INTERNAL;
        return get_string(c, v, path, &p->reports[fc]);
    }
    default:
        return TD_ERR_INTERNAL;
    }
}

static td_err parse_fact(struct ctx *c, enum td_pfield f, const json_t *group, const char *group_source)
{
    const struct field_desc *d = &fields[f];
    struct td_profile_fact *fact = &c->p->facts[f];
    json_t *obj = json_object_get(group, d->key), *v, *js, *jc, *jn, *jf, *ja;
    char path[128];
    td_err ret;

    snprintf(path, sizeof(path), "%s.%s", d->group, d->key);
    if (obj == NULL)
        return fail(c, d->group, "missing field \"%s\" (write {\"value\": \"unknown\", \"source\": ...} if it is "
                                 "not known)", d->key);
    td_lineindex_find(&c->ix, path, &fact->line, &(int){0});
    if (!json_is_object(obj))
        return fail(c, path, "expected an object {\"value\": ..., \"source\": ...}, found %s", type_name(obj));
    ret = check_keys(c, obj, path, fact_keys, TD_ARRAY_LEN(fact_keys));
    if (ret != TD_ERR_OK)
        return ret;

    js = json_object_get(obj, "source");
    if (js != NULL) {
        char sub[160];
        snprintf(sub, sizeof(sub), "%s.source", path);
        if (!json_is_string(js) || json_string_length(js) == 0)
            return fail(c, sub, "source must be a non-empty string");
        fact->source = td_strdup(json_string_value(js));
    } else if (group_source != NULL) {
        fact->source = td_strdup(group_source);
    } else {
        return fail(c, path, "missing source (give \"source\" here or for the whole \"%s\" group)", d->group);
    }
    if (fact->source == NULL)
        return TD_ERR_NOMEM;

    jn = json_object_get(obj, "note");
    if (jn != NULL) {
        if (!json_is_string(jn) || json_string_length(jn) == 0) {
            char sub[160];
            snprintf(sub, sizeof(sub), "%s.note", path);
            return fail(c, sub, "note must be a non-empty string");
        }
        fact->note = td_strdup(json_string_value(jn));
        if (fact->note == NULL)
            return TD_ERR_NOMEM;
    }
    jf = json_object_get(obj, "confidence");
    if (jf != NULL) {
        char sub[160];
        int i = json_is_string(jf) ? name_index(conf_names, TD_ARRAY_LEN(conf_names), json_string_value(jf)) : -1;
        snprintf(sub, sizeof(sub), "%s.confidence", path);
        if (i <= 0)
            return fail(c, sub, "confidence must be \"strong\", \"medium\" or \"weak\"");
        fact->confidence = (enum td_confidence)i;
    }

    v = json_object_get(obj, "value");
    jc = json_object_get(obj, "coverage");
    ja = json_object_get(obj, "advisory");
    if (ja != NULL) {
        char sub[160];
        snprintf(sub, sizeof(sub), "%s.advisory", path);
        if (!json_is_boolean(ja))
            return fail(c, sub, "advisory must be true or false");
        if (d->kind != K_INT)
            return fail(c, sub, "advisory applies to numeric limits only");
        if (v != NULL && is_unknown(v) && json_is_true(ja))
            return fail(c, sub, "advisory given for an unknown value");
        fact->advisory = json_is_true(ja);
    }
    if (v == NULL)
        return fail(c, path, "missing \"value\"");
    {
        char vpath[160];
        char cpath[160];
        snprintf(vpath, sizeof(vpath), "%s.value", path);
        snprintf(cpath, sizeof(cpath), "%s.coverage", path);
        if (is_unknown(v)) {
            if (jc != NULL)
                return fail(c, cpath, "coverage given for an unknown value");
            return set_unknown(c->p, f);
        }
        if (is_list_kind(d->kind)) {
            int i;
            if (jc == NULL)
                return fail(c, path, "missing \"coverage\" (exact, complete or partial) for a list");
            i = json_is_string(jc) ? name_index(cov_names, TD_ARRAY_LEN(cov_names), json_string_value(jc)) : -1;
            if (i <= 0)
                return fail(c, cpath, "coverage must be \"exact\", \"complete\" or \"partial\"");
            fact->coverage = (enum td_coverage)i;
        } else if (jc != NULL) {
            return fail(c, cpath, "coverage applies to lists only");
        }
        ret = parse_value(c, f, v, vpath);
        if (ret != TD_ERR_OK)
            return ret;
    }
    fact->known = true;
    return TD_ERR_OK;
}

/* ------------------------------------------------------------------------ */
/* whole profile */

static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!(islower(ch) || isdigit(ch) || ch == '-' || ch == '.' || ch == '_'))
            return false;
    }
    return true;
}

static struct td_profile *profile_new(void)
{
    struct td_profile *p = td_calloc(1, sizeof(*p));
    if (p == NULL)
        return NULL;
    p->max_fragment_length = TD_UNKNOWN;
    p->default_level = TD_UNKNOWN;
    p->ca_max_bytes = p->cn_max_length = p->chain_max_bytes = p->chain_max_certs = TD_UNKNOWN;
    p->max_record_bytes = p->certs_per_file = p->cert_file_max_bytes = TD_UNKNOWN;
    p->rsa_min_bits = p->rsa_max_bits = p->dhe_min_bits = p->dhe_max_bits = TD_UNKNOWN;
    return p;
}

static td_err parse_identity(struct ctx *c, const json_t *root)
{
    struct td_profile *p = c->p;
    static const struct {
        const char *key;
        size_t off;
    } strs[] = {
        {"display_name", offsetof(struct td_profile, display_name)},
        {"vendor", offsetof(struct td_profile, vendor)},
        {"modem", offsetof(struct td_profile, modem)},
        {"firmware_notes", offsetof(struct td_profile, firmware_notes)},
        {"identity_source", offsetof(struct td_profile, identity_source)},
    };
    json_t *jv = json_object_get(root, "schema_version"), *jn, *ja;
    td_err ret;

    if (jv == NULL)
        return fail(c, "", "missing field \"schema_version\" (1)");
    if (!json_is_integer(jv) || json_integer_value(jv) != 1)
        return fail(c, "schema_version", "unsupported schema_version (this tlsdiag reads 1)");

    jn = json_object_get(root, "name");
    if (jn == NULL)
        return fail(c, "", "missing field \"name\"");
    ret = get_string(c, jn, "name", &p->name);
    if (ret != TD_ERR_OK)
        return ret;
    if (!valid_name(p->name))
        return fail(c, "name", "\"%s\" is not a valid name (lowercase letters, digits, '-', '.', '_'; at most 64)",
                    p->name);

    ja = json_object_get(root, "aliases");
    if (ja == NULL)
        return fail(c, "", "missing field \"aliases\" (use [] for none)");
    if (!json_is_array(ja))
        return fail(c, "aliases", "expected an array of names, found %s", type_name(ja));
    if (json_array_size(ja) > TD_PROFILE_MAX_ALIASES)
        return fail(c, "aliases", "more than %d aliases", TD_PROFILE_MAX_ALIASES);
    p->aliases = td_calloc(json_array_size(ja) + 1, sizeof(char *));
    if (p->aliases == NULL)
        return TD_ERR_NOMEM;
    for (size_t i = 0; i < json_array_size(ja); i++) {
        char sub[64];
        snprintf(sub, sizeof(sub), "aliases[%zu]", i);
        ret = get_string(c, json_array_get(ja, i), sub, &p->aliases[p->n_aliases]);
        if (ret != TD_ERR_OK)
            return ret;
        p->n_aliases++;
        if (!valid_name(p->aliases[i]))
            return fail(c, sub, "\"%s\" is not a valid name (lowercase letters, digits, '-', '.', '_')",
                        p->aliases[i]);
        if (strcmp(p->aliases[i], p->name) == 0)
            return fail(c, sub, "alias repeats the name");
        for (size_t k = 0; k < i; k++) {
            if (strcmp(p->aliases[k], p->aliases[i]) == 0)
                return fail(c, sub, "duplicate alias \"%s\"", p->aliases[i]);
        }
    }

    for (size_t i = 0; i < TD_ARRAY_LEN(strs); i++) {
        json_t *j = json_object_get(root, strs[i].key);
        if (j == NULL)
            return fail(c, "", "missing field \"%s\"", strs[i].key);
        ret = get_string(c, j, strs[i].key, (char **)((char *)p + strs[i].off));
        if (ret != TD_ERR_OK)
            return ret;
    }
    return TD_ERR_OK;
}

static td_err parse_root(struct ctx *c, const json_t *root)
{
    td_err ret;
    const char *gsrc[TD_ARRAY_LEN(groups)] = {0};

    if (!json_is_object(root))
        return fail(c, "", "a profile is a JSON object, found %s", type_name(root));
    ret = check_keys(c, root, "", top_keys, TD_ARRAY_LEN(top_keys));
    if (ret != TD_ERR_OK)
        return ret;
    ret = parse_identity(c, root);
    if (ret != TD_ERR_OK)
        return ret;

    /* groups: allowed keys are "source" and their fields */
    for (size_t g = 0; g < TD_ARRAY_LEN(groups); g++) {
        const char *allowed[TD_PF_COUNT + 1];
        size_t na = 0;
        json_t *grp = json_object_get(root, groups[g]), *js;
        if (grp == NULL)
            return fail(c, "", "missing field \"%s\"", groups[g]);
        if (!json_is_object(grp))
            return fail(c, groups[g], "expected an object, found %s", type_name(grp));
        allowed[na++] = "source";
        for (int f = 0; f < TD_PF_COUNT; f++) {
            if (strcmp(fields[f].group, groups[g]) == 0)
                allowed[na++] = fields[f].key;
        }
        ret = check_keys(c, grp, groups[g], allowed, na);
        if (ret != TD_ERR_OK)
            return ret;
        js = json_object_get(grp, "source");
        if (js != NULL) {
            char sub[64];
            snprintf(sub, sizeof(sub), "%s.source", groups[g]);
            if (!json_is_string(js) || json_string_length(js) == 0)
                return fail(c, sub, "source must be a non-empty string");
            gsrc[g] = json_string_value(js);
        }
    }
    for (int f = 0; f < TD_PF_COUNT; f++) {
        size_t g = 0;
        while (g < TD_ARRAY_LEN(groups) && strcmp(groups[g], fields[f].group) != 0)
            g++;
        ret = parse_fact(c, (enum td_pfield)f, json_object_get(root, fields[f].group), gsrc[g]);
        if (ret != TD_ERR_OK)
            return ret;
    }

    /* cross-field rules */
    if (c->p->facts[TD_PF_DEFAULT_LEVEL].known && c->p->facts[TD_PF_LEVELS].known &&
        !(c->p->levels & (1u << c->p->default_level)))
        return fail(c, "validation.default_level", "default level %d is not in levels_supported",
                    c->p->default_level);
    return TD_ERR_OK;
}

td_err td_profile_load_text(const char *text, size_t len, const char *origin, struct td_profile **out,
                            struct td_profile_error *err)
{
    struct td_profile_error local;
    struct ctx c;
    json_error_t jerr;
    json_t *root = NULL;
    td_err ret = TD_ERR_OK;

    *out = NULL;
    if (err == NULL)
        err = &local;
    if (origin == NULL)
        origin = "profile";
    err_clear(err, origin);
    memset(&c, 0, sizeof(c));
    c.origin = origin;
    c.err = err;
    if (len > TD_PROFILE_MAX_BYTES) {
        snprintf(err->msg, sizeof(err->msg), "larger than the %d-byte limit for a profile", TD_PROFILE_MAX_BYTES);
        return TD_ERR_TOOBIG;
    }
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        err->line = jerr.line > 0 ? jerr.line : 0;
        err->column = jerr.column > 0 ? jerr.column : 0;
        snprintf(err->msg, sizeof(err->msg), "JSON syntax error: %s", jerr.text);
        return TD_ERR_INPUT;
    }
    if (td_lineindex_build(&c.ix, text, len) != 0)
        ENSURE(0, TD_ERR_NOMEM);
    c.p = profile_new();
    ENSURE(c.p != NULL, TD_ERR_NOMEM);
    c.p->origin = td_strdup(origin);
    ENSURE(c.p->origin != NULL, TD_ERR_NOMEM);
    TRY(parse_root(&c, root));
    *out = c.p;
    c.p = NULL;
out:
    if (ret == TD_ERR_NOMEM && err->msg[0] == '\0')
        snprintf(err->msg, sizeof(err->msg), "out of memory");
    td_profile_free(c.p);
    td_lineindex_free(&c.ix);
    json_decref(root);
    return ret;
}

td_err td_profile_load_file(const char *path, struct td_profile **out, struct td_profile_error *err)
{
    struct td_writer w;
    struct td_profile_error local;
    char msg[300];
    td_err ret;

    *out = NULL;
    if (err == NULL)
        err = &local;
    td_wr_init(&w, TD_PROFILE_MAX_BYTES);
    ret = td_file_read(path, &w, msg, sizeof(msg));
    if (ret != TD_ERR_OK) {
        err_clear(err, path);
        /* td_file_read's message already names the path */
        copy_str(err->msg, sizeof(err->msg), strncmp(msg, path, strlen(path)) == 0 && msg[strlen(path)] == ':'
                                                     ? msg + strlen(path) + 2
                                                     : msg);
        td_wr_free(&w);
        return ret;
    }
    ret = td_profile_load_text(w.len > 0 ? (const char *)w.buf : "", w.len, path, out, err);
    td_wr_free(&w);
    return ret;
}

size_t td_profile_builtin_count(void) { return td_embed_profiles_count; }

td_err td_profile_load_builtin_at(size_t i, struct td_profile **out, struct td_profile_error *err)
{
    char origin[300];
    *out = NULL;
    if (i >= td_embed_profiles_count) {
        if (err != NULL) {
            err_clear(err, "builtin");
            snprintf(err->msg, sizeof(err->msg), "no built-in profile #%zu", i);
        }
        return TD_ERR_NOTFOUND;
    }
    snprintf(origin, sizeof(origin), "builtin:%s", td_embed_profiles[i].name);
    return td_profile_load_text((const char *)td_embed_profiles[i].data, td_embed_profiles[i].len, origin, out, err);
}

bool td_profile_matches(const struct td_profile *p, const char *name)
{
    if (strcasecmp(p->name, name) == 0)
        return true;
    for (size_t i = 0; i < p->n_aliases; i++) {
        if (strcasecmp(p->aliases[i], name) == 0)
            return true;
    }
    return false;
}

td_err td_profile_load_builtin(const char *name, struct td_profile **out, struct td_profile_error *err)
{
    *out = NULL;
    for (size_t i = 0; i < td_embed_profiles_count; i++) {
        struct td_profile *p;
        td_err ret = td_profile_load_builtin_at(i, &p, err);
        if (ret != TD_ERR_OK)
            return ret;
        if (td_profile_matches(p, name)) {
            *out = p;
            return TD_ERR_OK;
        }
        td_profile_free(p);
    }
    if (err != NULL) {
        err_clear(err, "");
        snprintf(err->msg, sizeof(err->msg), "no built-in device profile named \"%.120s\" (see 'tlsdiag devices')",
                 name);
    }
    return TD_ERR_NOTFOUND;
}

void td_profile_free(struct td_profile *p)
{
    if (p == NULL)
        return;
    td_free(p->name);
    for (size_t i = 0; i < p->n_aliases; i++)
        td_free(p->aliases[i]);
    td_free(p->aliases);
    td_free(p->display_name);
    td_free(p->vendor);
    td_free(p->modem);
    td_free(p->firmware_notes);
    td_free(p->identity_source);
    td_free(p->origin);
    td_free(p->versions.v);
    td_free(p->suites.v);
    td_free(p->groups.v);
    td_free(p->sigalgs.v);
    td_free(p->compression.v);
    for (int i = 0; i < TD_PFAIL_COUNT; i++)
        td_free(p->reports[i]);
    for (int f = 0; f < TD_PF_COUNT; f++) {
        td_free((char *)p->facts[f].source);
        td_free((char *)p->facts[f].note);
    }
    td_free(p);
}

/* ------------------------------------------------------------------------ */
/* queries */

const struct td_profile_fact *td_profile_fact(const struct td_profile *p, enum td_pfield f)
{
    return (unsigned)f < TD_PF_COUNT ? &p->facts[f] : NULL;
}

bool td_profile_field_settled(const struct td_profile *p, enum td_pfield f)
{
    const struct td_profile_fact *fact = td_profile_fact(p, f);
    if (fact == NULL || !fact->known)
        return false;
    return !is_list_kind(fields[f].kind) || fact->coverage == TD_COV_EXACT || fact->coverage == TD_COV_COMPLETE;
}

static bool list_has(const struct td_u16_list *l, uint16_t v)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i] == v)
            return true;
    }
    return false;
}

bool td_profile_offers_version(const struct td_profile *p, uint16_t version) { return list_has(&p->versions, version); }
bool td_profile_offers_suite(const struct td_profile *p, uint16_t suite) { return list_has(&p->suites, suite); }

const char *td_profile_reports(const struct td_profile *p, enum td_pfail c)
{
    return (unsigned)c < TD_PFAIL_COUNT ? p->reports[c] : NULL;
}

size_t td_profile_unknown_fields(const struct td_profile *p, enum td_pfail c, enum td_pfield *out, size_t cap)
{
    size_t n = 0;
    if ((unsigned)c >= TD_PFAIL_COUNT)
        return 0;
    for (size_t i = 0; i < TD_ARRAY_LEN(fail_deps[c]) && fail_deps[c][i] != TD_PF_COUNT; i++) {
        enum td_pfield f = fail_deps[c][i];
        if (!td_profile_field_settled(p, f)) {
            if (n < cap)
                out[n] = f;
            n++;
        }
    }
    if (!p->facts[fails[c].field].known) {
        if (n < cap)
            out[n] = fails[c].field;
        n++;
    }
    return n;
}

size_t td_profile_unknown_text(const struct td_profile *p, enum td_pfail c, char *buf, size_t cap)
{
    enum td_pfield deps[TD_PF_COUNT];
    size_t n = td_profile_unknown_fields(p, c, deps, TD_PF_COUNT), used = 0;

    if (cap == 0)
        return n;
    buf[0] = '\0';
    for (size_t i = 0; i < n && i < TD_PF_COUNT; i++) {
        const struct td_profile_fact *f = &p->facts[deps[i]];
        int w = snprintf(buf + used, cap - used, "%s%s (%s)", i ? ", " : "", fields[deps[i]].path,
                         f->known ? td_coverage_name(f->coverage) : "unknown");
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
    }
    return n;
}
