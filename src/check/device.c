/* Device profile + check options -> the device facts the rules see. */
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "core/mem.h"

/* Keeps a formatted string alive as long as the result (or a static
 * fallback when there is no result to own it). */
static const char *keep(struct td_check_result *r, const char *s)
{
    char *copy;

    if (r == NULL || s == NULL || r->nstrings >= TD_CHECK_MAX_STRINGS)
        return NULL;
    copy = td_strdup(s);
    if (copy != NULL)
        r->strings[r->nstrings++] = copy;
    return copy;
}

static const char *src(const struct td_profile *p, enum td_pfield f)
{
    const struct td_profile_fact *fact = td_profile_fact(p, f);
    return fact != NULL ? fact->source : NULL;
}

/* Does the device accept a server key of type bit? Known and listed: yes;
 * known exact/complete and not listed: no; otherwise unknown. */
static enum td_dx_tri key_ok(const struct td_profile *p, unsigned bits)
{
    const struct td_profile_fact *f = td_profile_fact(p, TD_PF_SERVER_KEY_TYPES);
    if (f == NULL || !f->known)
        return TD_DX_UNKNOWN;
    if ((p->server_key_types & bits) != 0)
        return TD_DX_YES;
    return td_profile_field_settled(p, TD_PF_SERVER_KEY_TYPES) ? TD_DX_NO : TD_DX_UNKNOWN;
}

static int level_for(const struct td_profile *p, const struct td_check_opts *o, char *note, size_t cap)
{
    if (o->level >= 0) {
        snprintf(note, cap, "level %d as given with --level", o->level);
        return o->level;
    }
    if (o->ca_file == NULL) {
        if (p->default_level == TD_UNKNOWN) {
            snprintf(note, cap, "the device's default level is unknown");
            return TD_UNKNOWN;
        }
        snprintf(note, cap, "the device's default level%s", p->default_level == 0 ? " (no CA file configured)" : "");
        return p->default_level;
    }
    /* A CA file is configured: the lowest level that uses it, unless the
     * default already does. */
    if (p->default_level >= 1) {
        snprintf(note, cap, "the device's default level, with the CA file given");
        return p->default_level;
    }
    for (int l = 1; l <= 3; l++)
        if ((p->levels & (1u << l)) != 0) {
            snprintf(note, cap,
                     "level %d: the lowest level that uses a CA file%s; pass --level to check another", l,
                     td_profile_field_settled(p, TD_PF_LEVELS) ? "" : " (higher levels are not known for this device)");
            return l;
        }
    snprintf(note, cap, "level 1 assumed because a CA file is given (the device's levels are unknown)");
    return 1;
}

static void ca_rules(const struct td_profile *p, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    if (p->ca_root_only == TD_TRI_YES)
        n += (size_t)snprintf(buf + n, cap - n, "a single self-signed root CA certificate (intermediates are not enough)");
    if (p->certs_per_file == 1 && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, "%sone certificate per file", n ? "; " : "");
    if (p->ca_formats != 0 && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, "%sformat %s%s%s", n ? "; " : "",
                              (p->ca_formats & TD_FMT_PEM) ? "PEM" : "",
                              (p->ca_formats & TD_FMT_PEM) && (p->ca_formats & TD_FMT_DER) ? " or " : "",
                              (p->ca_formats & TD_FMT_DER) ? "DER" : "");
    if (p->ca_max_bytes > 0 && n < cap)
        snprintf(buf + n, cap - n, "%sat most %d bytes", n ? "; " : "", p->ca_max_bytes);
}

void td_check_device_facts(const struct td_profile *p, const struct td_check_opts *o, struct td_dx_device *dev,
                           struct td_check_result *r)
{
    char note[256], rules[512];

    dev->name = p->name;
    dev->display = p->display_name;
    dev->nversions = 0;
    for (size_t i = 0; i < p->versions.n && dev->nversions < TD_DX_MAX_VERSIONS; i++)
        dev->versions[dev->nversions++] = p->versions.v[i];
    dev->nsuites = 0;
    for (size_t i = 0; i < p->suites.n && dev->nsuites < TD_DX_MAX_SUITES; i++)
        dev->suites[dev->nsuites++] = p->suites.v[i];
    dev->suites_source = src(p, TD_PF_SUITES);

    switch (p->sni) {
    case TD_EXT_SENDS:
    case TD_EXT_CONF_DEFAULT_ON:
        dev->sends_sni = TD_DX_YES;
        break;
    case TD_EXT_NEVER:
    case TD_EXT_CONF_DEFAULT_OFF:
        dev->sends_sni = TD_DX_NO;
        break;
    default:
        dev->sends_sni = TD_DX_UNKNOWN;
        break;
    }
    if (o != NULL && o->no_sni)
        dev->sends_sni = TD_DX_NO;
    if (o != NULL && o->sni != NULL)
        dev->sends_sni = TD_DX_YES;
    dev->sni_source = src(p, TD_PF_SNI);

    if (o != NULL) {
        dev->level = level_for(p, o, note, sizeof(note));
        dev->level_note = keep(r, note);
        dev->ca_file = o->ca_file;
        dev->has_client_cert = o->client_cert != NULL;
    } else {
        dev->level = p->default_level;
    }
    dev->level_source = src(p, o != NULL && o->ca_file != NULL ? TD_PF_LEVELS : TD_PF_DEFAULT_LEVEL);
    ca_rules(p, rules, sizeof(rules));
    dev->ca_rules = rules[0] != '\0' ? keep(r, rules) : NULL;
    dev->ca_rules_source = src(p, TD_PF_CA_ROOT_ONLY);

    dev->max_cn_len = p->cn_max_length;
    dev->max_cn_source = src(p, TD_PF_CN_MAX_LENGTH);
    dev->max_chain_bytes = p->chain_max_bytes;
    dev->max_chain_source = src(p, TD_PF_CHAIN_MAX_BYTES);
    dev->rsa_ok = key_ok(p, TD_KEY_RSA);
    dev->ecdsa_ok = key_ok(p, TD_KEY_ECDSA | TD_KEY_ECDSA_P256 | TD_KEY_ECDSA_P384 | TD_KEY_ECDSA_P521);
    dev->rsa_min_bits = p->rsa_min_bits;
    dev->rsa_max_bits = p->rsa_max_bits;
    dev->keys_source = src(p, TD_PF_SERVER_KEY_TYPES);
    dev->dh_min_bits = p->dhe_min_bits;
    dev->dh_max_bits = p->dhe_max_bits;
    dev->dh_source = src(p, TD_PF_DHE_MAX_BITS);
    dev->mfl_code = 0;
    for (uint8_t c = 1; c <= 4; c++)
        if (p->max_fragment_length == (256 << c))
            dev->mfl_code = c;
    /* A device that asks for small records and cannot take bigger ones:
     * known when its record limit is known. */
    dev->needs_mfl = dev->mfl_code == 0              ? TD_DX_NO
                     : p->max_record_bytes == TD_UNKNOWN ? TD_DX_UNKNOWN
                     : p->max_record_bytes < 16384       ? TD_DX_YES
                                                         : TD_DX_NO;
    dev->mfl_source = src(p, TD_PF_MAX_FRAGMENT_LENGTH);

    dev->nreports = 0;
    for (int c = 0; c < TD_PFAIL_COUNT && dev->nreports < TD_DX_MAX_REPORTS; c++) {
        struct td_dx_report *rep = &dev->reports[dev->nreports++];
        enum td_pfield dep[TD_PF_COUNT];
        size_t n = td_profile_unknown_fields(p, (enum td_pfail)c, dep, TD_PF_COUNT);
        char cav[512];
        size_t used = 0;

        rep->key = td_profile_fail_key((enum td_pfail)c);
        rep->text = td_profile_reports(p, (enum td_pfail)c);
        rep->source = src(p, td_profile_fail_field((enum td_pfail)c));
        rep->caveat = NULL;
        rep->uncertain = false;
        cav[0] = '\0';
        for (size_t i = 0; i < n && i < TD_PF_COUNT; i++) {
            const struct td_profile_fact *fact = td_profile_fact(p, dep[i]);
            int w;
            if (dep[i] == td_profile_fail_field((enum td_pfail)c))
                continue; /* "the device would report: unknown" says it */
            w = snprintf(cav + used, sizeof(cav) - used, "%s%s (%s)", used ? ", " : "", td_profile_field_path(dep[i]),
                         fact != NULL && fact->known ? td_coverage_name(fact->coverage) : "unknown");
            if (w < 0 || (size_t)w >= sizeof(cav) - used)
                break;
            used += (size_t)w;
        }
        rep->uncertain = used != 0;
        if (used != 0) {
            char line[600];
            snprintf(line, sizeof(line), "this verdict depends on facts the profile marks unknown or partial: %s",
                     cav);
            rep->caveat = keep(r, line);
        }
    }
}
