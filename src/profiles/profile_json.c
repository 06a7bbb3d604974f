#include "profiles/profile_json.h"

#include <stdio.h>
#include <string.h>

#include "profiles/names.h"

static json_t *code_list(const struct td_u16_list *l, const char *(*name_of)(uint16_t), int objects)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < l->n; i++) {
        const char *name = name_of(l->v[i]);
        if (objects) {
            char hex[8];
            snprintf(hex, sizeof(hex), "0x%04X", l->v[i]);
            json_array_append_new(a, json_pack("{s:s, s:s}", "code", hex, "name", name ? name : "?"));
        } else {
            json_array_append_new(a, json_string(name ? name : "?"));
        }
    }
    return a;
}

static const char *compression_name(uint16_t c) { return c == 0 ? "null" : c == 1 ? "deflate" : NULL; }

struct bitname {
    unsigned bit;
    const char *name;
};

static json_t *mask_list(unsigned mask, const struct bitname *t, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++) {
        if (mask & t[i].bit)
            json_array_append_new(a, json_string(t[i].name));
    }
    return a;
}

static const struct bitname fmt_names[] = {{TD_FMT_PEM, "pem"}, {TD_FMT_DER, "der"}};
static const struct bitname key_names[] = {
    {TD_KEY_RSA, "rsa"},
    {TD_KEY_ECDSA, "ecdsa"},
    {TD_KEY_ECDSA_P256, "ecdsa-secp256r1"},
    {TD_KEY_ECDSA_P384, "ecdsa-secp384r1"},
    {TD_KEY_ECDSA_P521, "ecdsa-secp521r1"},
    {TD_KEY_ED25519, "ed25519"},
};
static const struct bitname keyfmt_names[] = {
    {TD_KEYFMT_PKCS1_PEM, "pkcs1-pem"},
    {TD_KEYFMT_PKCS8_PEM, "pkcs8-pem"},
    {TD_KEYFMT_SEC1_PEM, "sec1-pem"},
    {TD_KEYFMT_DER, "der"},
};

static json_t *tri(enum td_tri t) { return t == TD_TRI_YES ? json_true() : json_false(); }

json_t *td_profile_value_json(const struct td_profile *p, enum td_pfield f)
{
    if (!p->facts[f].known)
        return json_string("unknown");
    switch (f) {
    case TD_PF_VERSIONS:
        return code_list(&p->versions, td_profile_version_name, 0);
    case TD_PF_SUITES:
        return code_list(&p->suites, td_profile_suite_name, 1);
    case TD_PF_GROUPS:
        return code_list(&p->groups, td_profile_group_name, 1);
    case TD_PF_SIGALGS:
        return code_list(&p->sigalgs, td_profile_sigalg_name, 1);
    case TD_PF_COMPRESSION:
        return code_list(&p->compression, compression_name, 0);
    case TD_PF_SNI:
        return json_string(td_ext_mode_name(p->sni));
    case TD_PF_ALPN:
        return json_string(td_ext_mode_name(p->alpn));
    case TD_PF_EMS:
        return json_string(td_ext_mode_name(p->ems));
    case TD_PF_ETM:
        return json_string(td_ext_mode_name(p->etm));
    case TD_PF_RENEG_INFO:
        return json_string(td_ext_mode_name(p->reneg_info));
    case TD_PF_SESSION_TICKET:
        return json_string(td_ext_mode_name(p->session_ticket));
    case TD_PF_STATUS_REQUEST:
        return json_string(td_ext_mode_name(p->status_request));
    case TD_PF_MAX_FRAGMENT_LENGTH:
        return p->max_fragment_length == 0 ? json_string("none") : json_integer(p->max_fragment_length);
    case TD_PF_LEVELS: {
        json_t *a = json_array();
        for (int l = 0; a != NULL && l <= 3; l++) {
            if (p->levels & (1u << l))
                json_array_append_new(a, json_integer(l));
        }
        return a;
    }
    case TD_PF_DEFAULT_LEVEL:
        return json_integer(p->default_level);
    case TD_PF_CA_ROOT_ONLY:
        return tri(p->ca_root_only);
    case TD_PF_CA_ALWAYS_REQUIRED:
        return tri(p->ca_always_required);
    case TD_PF_CN_ONLY_NAME_CHECK:
        return tri(p->cn_only_name_check);
    case TD_PF_CLIENT_KEY_ENCRYPTED:
        return tri(p->client_key_encrypted);
    case TD_PF_CLIENT_CERT_X509V3:
        return tri(p->client_cert_x509v3);
    case TD_PF_CA_FORMATS:
        return mask_list(p->ca_formats, fmt_names, sizeof(fmt_names) / sizeof(fmt_names[0]));
    case TD_PF_SERVER_KEY_TYPES:
        return mask_list(p->server_key_types, key_names, sizeof(key_names) / sizeof(key_names[0]));
    case TD_PF_CLIENT_KEY_TYPES:
        return mask_list(p->client_key_types, key_names, sizeof(key_names) / sizeof(key_names[0]));
    case TD_PF_CLIENT_KEY_FORMATS:
        return mask_list(p->client_key_formats, keyfmt_names, sizeof(keyfmt_names) / sizeof(keyfmt_names[0]));
    case TD_PF_CA_MAX_BYTES:
        return json_integer(p->ca_max_bytes);
    case TD_PF_CN_MAX_LENGTH:
        return json_integer(p->cn_max_length);
    case TD_PF_CHAIN_MAX_BYTES:
        return json_integer(p->chain_max_bytes);
    case TD_PF_CHAIN_MAX_CERTS:
        return json_integer(p->chain_max_certs);
    case TD_PF_MAX_RECORD_BYTES:
        return json_integer(p->max_record_bytes);
    case TD_PF_CERTS_PER_FILE:
        return json_integer(p->certs_per_file);
    case TD_PF_CERT_FILE_MAX_BYTES:
        return json_integer(p->cert_file_max_bytes);
    case TD_PF_RSA_MIN_BITS:
        return json_integer(p->rsa_min_bits);
    case TD_PF_RSA_MAX_BITS:
        return json_integer(p->rsa_max_bits);
    case TD_PF_DHE_MIN_BITS:
        return json_integer(p->dhe_min_bits);
    case TD_PF_DHE_MAX_BITS:
        return json_integer(p->dhe_max_bits);
    default:
        break;
    }
    for (int c = 0; c < TD_PFAIL_COUNT; c++) {
        if (td_profile_fail_field((enum td_pfail)c) == f)
            return json_string(p->reports[c] ? p->reports[c] : "unknown");
    }
    return json_string("unknown");
}

json_t *td_profile_to_json(const struct td_profile *p)
{
    json_t *root = json_object(), *aliases = json_array();
    static const char *const groups[] = {"offers", "validation", "limits", "errors"};

    if (root == NULL || aliases == NULL) {
        json_decref(root);
        json_decref(aliases);
        return NULL;
    }
    for (size_t i = 0; i < p->n_aliases; i++)
        json_array_append_new(aliases, json_string(p->aliases[i]));
    json_object_set_new(root, "schema_version", json_integer(1));
    json_object_set_new(root, "name", json_string(p->name));
    json_object_set_new(root, "aliases", aliases);
    json_object_set_new(root, "display_name", json_string(p->display_name));
    json_object_set_new(root, "vendor", json_string(p->vendor));
    json_object_set_new(root, "modem", json_string(p->modem));
    json_object_set_new(root, "firmware_notes", json_string(p->firmware_notes));
    json_object_set_new(root, "identity_source", json_string(p->identity_source));
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        json_t *grp = json_object();
        const char *prefix = groups[g];
        size_t plen = strlen(prefix);
        for (int f = 0; grp != NULL && f < TD_PF_COUNT; f++) {
            const char *path = td_profile_field_path((enum td_pfield)f);
            const struct td_profile_fact *fact = &p->facts[f];
            json_t *o;
            if (strncmp(path, prefix, plen) != 0 || path[plen] != '.')
                continue;
            o = json_object();
            json_object_set_new(o, "value", td_profile_value_json(p, (enum td_pfield)f));
            if (fact->known && fact->coverage != TD_COV_NONE)
                json_object_set_new(o, "coverage", json_string(td_coverage_name(fact->coverage)));
            json_object_set_new(o, "source", json_string(fact->source ? fact->source : "unknown"));
            if (fact->confidence != TD_CONF_UNSTATED)
                json_object_set_new(o, "confidence", json_string(td_confidence_name(fact->confidence)));
            if (fact->note != NULL)
                json_object_set_new(o, "note", json_string(fact->note));
            if (fact->advisory)
                json_object_set_new(o, "advisory", json_true());
            json_object_set_new(grp, path + plen + 1, o);
        }
        json_object_set_new(root, groups[g], grp);
    }
    return root;
}
