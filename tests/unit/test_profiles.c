/* profiles/: built-in device profiles, the loader/validator, error positions,
 * facts checked against research/devices.md, truncation sweep, round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/embed.h"
#include "profiles/lineindex.h"
#include "profiles/names.h"
#include "profiles/profile.h"
#include "profiles/profile_json.h"

static struct td_profile *load(const char *name)
{
    struct td_profile *p = NULL;
    struct td_profile_error e;
    td_err ret = td_profile_load_builtin(name, &p, &e);
    if (ret != TD_ERR_OK) {
        char buf[900];
        td_profile_error_format(&e, buf, sizeof(buf));
        fail_msg("loading %s: %s", name, buf);
    }
    return p;
}

static const struct td_embed_file *embedded(const char *file)
{
    for (size_t i = 0; i < td_embed_profiles_count; i++) {
        if (strcmp(td_embed_profiles[i].name, file) == 0)
            return &td_embed_profiles[i];
    }
    fail_msg("no embedded %s", file);
    return NULL;
}

/* ---- every built-in profile ------------------------------------------- */

static void test_builtins_load(void **state)
{
    static const char *const required[] = {"xbee3-cellular-ltem", "sara-r4",      "sara-r5",      "sara-u2",
                                           "nrf91",               "esp-at",       "esp32-mbedtls", "quectel-bg96",
                                           "quectel-bg95",        "simcom-sim7000"};
    struct td_profile *all[64];
    size_t n = td_profile_builtin_count();
    (void)state;

    assert_true(n >= TD_ARRAY_LEN(required));
    assert_true(n <= TD_ARRAY_LEN(all));
    for (size_t i = 0; i < n; i++) {
        struct td_profile_error e;
        char want[128];
        td_err ret = td_profile_load_builtin_at(i, &all[i], &e);
        if (ret != TD_ERR_OK) {
            char buf[900];
            td_profile_error_format(&e, buf, sizeof(buf));
            fail_msg("%s", buf);
        }
        /* the file is NAME.json */
        snprintf(want, sizeof(want), "%s.json", all[i]->name);
        assert_string_equal(td_embed_profiles[i].name, want);
        /* every fact has a source and a line; unknown lists carry no coverage */
        for (int f = 0; f < TD_PF_COUNT; f++) {
            const struct td_profile_fact *fact = td_profile_fact(all[i], (enum td_pfield)f);
            assert_non_null(fact->source);
            assert_true(strlen(fact->source) > 0);
            assert_true(fact->line > 0);
            if (!fact->known)
                assert_int_equal(fact->coverage, TD_COV_NONE);
            /* built-in facts cite the research notes, a document, or say what they are derived from */
            if (strstr(fact->source, "devices.md") == NULL && strstr(fact->source, "clienthellos.md") == NULL &&
                strstr(fact->source, "http") == NULL && strncmp(fact->source, "derived", 7) != 0 &&
                strncmp(fact->source, "no DHE suite", 12) != 0)
                fail_msg("%s %s: source cites nothing: %s", all[i]->name,
                         td_profile_field_path((enum td_pfield)f), fact->source);
            /* an exact ClientHello order can only come from an observed hello */
            if (fact->known && fact->coverage == TD_COV_EXACT)
                assert_non_null(strstr(fact->source, "clienthellos.md"));
        }
    }
    for (size_t r = 0; r < TD_ARRAY_LEN(required); r++) {
        size_t hits = 0;
        for (size_t i = 0; i < n; i++)
            hits += strcmp(all[i]->name, required[r]) == 0;
        assert_int_equal(hits, 1);
    }
    /* no name or alias is claimed by two profiles */
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < n; k++) {
            if (i == k)
                continue;
            assert_false(td_profile_matches(all[k], all[i]->name));
            for (size_t a = 0; a < all[i]->n_aliases; a++)
                assert_false(td_profile_matches(all[k], all[i]->aliases[a]));
        }
    }
    for (size_t i = 0; i < n; i++)
        td_profile_free(all[i]);
}

static void test_lookup(void **state)
{
    static const struct {
        const char *query, *name;
    } cases[] = {
        {"xbee3-cellular-ltem", "xbee3-cellular-ltem"}, {"XBee3-LTEM", "xbee3-cellular-ltem"},
        {"SARA-R410M", "sara-r4"},                       {"bg96", "quectel-bg96"},
        {"nRF9160", "nrf91"},                            {"ESP32", "esp32-mbedtls"},
        {"sara-u201", "sara-u2"},                        {"SIM7000G", "simcom-sim7000"},
    };
    struct td_profile *p;
    struct td_profile_error e;
    (void)state;

    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        p = load(cases[i].query);
        assert_string_equal(p->name, cases[i].name);
        td_profile_free(p);
    }
    assert_int_equal(td_profile_load_builtin("no-such-modem", &p, &e), TD_ERR_NOTFOUND);
    assert_null(p);
    assert_non_null(strstr(e.msg, "no-such-modem"));
    assert_int_equal(td_profile_load_builtin("", &p, &e), TD_ERR_NOTFOUND);
    assert_int_equal(td_profile_load_builtin_at(td_profile_builtin_count(), &p, &e), TD_ERR_NOTFOUND);
}

/* ---- facts from devices.md, per profile ---------------------------------- */

static void test_xbee3_facts(void **state)
{
    struct td_profile *p = load("xbee3-cellular-ltem");
    enum td_pfield dep[TD_PF_COUNT];
    size_t n;
    (void)state;

    assert_string_equal(p->modem, "u-blox SARA-R410M-02B");
    /* Digi support: "It does support TLS_RSA_WITH_AES_256_CBC_SHA and _SHA256" */
    assert_true(td_profile_offers_suite(p, 0x0035));
    assert_true(td_profile_offers_suite(p, 0x003D));
    /* ... and none of the seed server's ECDHE/DHE suites */
    static const uint16_t seed_server[] = {0xC030, 0xC02F, 0x009F, 0x009E, 0xC028, 0xC014, 0x006B, 0x0039};
    for (size_t i = 0; i < TD_ARRAY_LEN(seed_server); i++)
        assert_false(td_profile_offers_suite(p, seed_server[i]));
    /* the full list is not known */
    assert_int_equal(td_profile_fact(p, TD_PF_SUITES)->coverage, TD_COV_PARTIAL);
    assert_false(td_profile_field_settled(p, TD_PF_SUITES));
    assert_true(td_profile_offers_version(p, 0x0303));
    assert_int_equal(p->sni, TD_EXT_NEVER);
    assert_int_equal(p->cn_max_length, 31);
    assert_int_equal(p->default_level, 0);
    assert_int_equal(p->ca_root_only, TD_TRI_YES);
    assert_int_equal(p->certs_per_file, 1);
    assert_int_equal(p->client_key_formats, TD_KEYFMT_PKCS1_PEM);
    assert_int_equal(p->client_key_encrypted, TD_TRI_NO);
    assert_int_equal(p->client_cert_x509v3, TD_TRI_NO);
    /* hostname checking is not found for the XBee; its limits are stated ones, not advisory */
    assert_int_equal(p->cn_only_name_check, TD_TRI_UNKNOWN);
    assert_false(td_profile_fact(p, TD_PF_CN_ONLY_NAME_CHECK)->known);
    assert_false(td_profile_fact(p, TD_PF_CN_MAX_LENGTH)->advisory);
    /* PKCS#1 only and RSA only, as complete lists (the certificate lint relies on that) */
    assert_int_equal(td_profile_fact(p, TD_PF_CLIENT_KEY_FORMATS)->coverage, TD_COV_COMPLETE);
    assert_int_equal(p->server_key_types, TD_KEY_RSA);
    assert_int_equal(td_profile_fact(p, TD_PF_SERVER_KEY_TYPES)->coverage, TD_COV_COMPLETE);
    assert_non_null(strstr(td_profile_reports(p, TD_PFAIL_NO_COMMON_SUITE), "0x85"));
    assert_non_null(strstr(td_profile_reports(p, TD_PFAIL_TLS_CONFIG_INVALID), "0x86"));
    /* unknowns stay unknown */
    assert_null(td_profile_reports(p, TD_PFAIL_CERT_UNTRUSTED));
    assert_null(td_profile_reports(p, TD_PFAIL_SNI_REQUIRED));
    assert_false(td_profile_fact(p, TD_PF_GROUPS)->known);
    assert_int_equal(p->groups.n, 0);
    assert_int_equal(p->max_fragment_length, TD_UNKNOWN);
    assert_int_equal(p->chain_max_bytes, TD_UNKNOWN);
    assert_int_equal(p->rsa_max_bits, TD_UNKNOWN);
    assert_int_equal(p->ems, TD_EXT_UNKNOWN);
    /* a "no common suite" verdict rests on the partial suite list and unknown groups */
    n = td_profile_unknown_fields(p, TD_PFAIL_NO_COMMON_SUITE, dep, TD_PF_COUNT);
    assert_int_equal(n, 2);
    assert_int_equal(dep[0], TD_PF_SUITES);
    assert_int_equal(dep[1], TD_PF_GROUPS);
    /* CN too long: the limit is known, what the device shows is not */
    n = td_profile_unknown_fields(p, TD_PFAIL_CN_TOO_LONG, dep, TD_PF_COUNT);
    assert_int_equal(n, 1);
    assert_int_equal(dep[0], TD_PF_ERR_CN_TOO_LONG);
    {
        char text[300];
        assert_int_equal(td_profile_unknown_text(p, TD_PFAIL_NO_COMMON_SUITE, text, sizeof(text)), 2);
        assert_string_equal(text, "offers.cipher_suites (partial), offers.groups (unknown)");
        assert_int_equal(td_profile_unknown_text(p, TD_PFAIL_CERT_UNTRUSTED, text, sizeof(text)), 2);
        assert_string_equal(text, "validation.levels_supported (partial), errors.cert_untrusted (unknown)");
    }
    /* SNI: settled (never) and the report is unknown */
    n = td_profile_unknown_fields(p, TD_PFAIL_SNI_REQUIRED, dep, 0);
    assert_int_equal(n, 1);
    td_profile_free(p);
}

static void test_ublox_facts(void **state)
{
    struct td_profile *p;
    (void)state;

    p = load("sara-r4");
    assert_int_equal(p->levels, 0xF);
    assert_int_equal(p->default_level, 0);
    assert_int_equal(p->suites.n, 15); /* legacy op_code 2 values 1-15 (manual R09) */
    assert_true(td_profile_offers_suite(p, 0x000A));
    assert_true(td_profile_offers_suite(p, 0x00B7));
    assert_false(td_profile_offers_suite(p, 0xC02F));
    assert_int_equal(p->sni, TD_EXT_UNKNOWN); /* contradictory sources: stays unknown */
    assert_int_equal(p->cn_max_length, 31);
    assert_false(td_profile_offers_version(p, 0x0304));
    td_profile_free(p);

    p = load("sara-r5");
    assert_int_equal(p->default_level, 1); /* root CA checking by default */
    assert_int_equal(p->sni, TD_EXT_CONF_DEFAULT_OFF);
    assert_int_equal(p->cn_max_length, TD_UNKNOWN);
    td_profile_free(p);

    p = load("sara-u2");
    assert_int_equal(p->sni, TD_EXT_NEVER);
    assert_int_equal(p->ca_formats, TD_FMT_PEM | TD_FMT_DER);
    assert_int_equal(p->ca_max_bytes, 8192);
    assert_int_equal(p->default_level, 0);
    td_profile_free(p);
}

static void test_nrf91_facts(void **state)
{
    struct td_profile *p = load("nrf91");
    (void)state;

    assert_int_equal(p->versions.n, 1);
    assert_int_equal(p->versions.v[0], 0x0303);
    assert_int_equal(p->suites.n, 15);
    assert_int_equal(td_profile_fact(p, TD_PF_SUITES)->coverage, TD_COV_COMPLETE);
    assert_true(td_profile_field_settled(p, TD_PF_SUITES));
    assert_true(td_profile_offers_suite(p, 0xC02F));
    assert_true(td_profile_offers_suite(p, 0xC0A8));
    /* no RSA key exchange */
    assert_false(td_profile_offers_suite(p, 0x002F));
    assert_false(td_profile_offers_suite(p, 0x0035));
    assert_int_equal(p->ca_always_required, TD_TRI_YES);
    assert_int_equal(p->chain_max_bytes, 4096);
    assert_int_equal(p->max_record_bytes, 2048);
    assert_int_equal(p->default_level, TD_UNKNOWN);
    /* observed sig_algs order (DTLS capture) */
    assert_int_equal(p->sigalgs.n, 10);
    assert_int_equal(p->sigalgs.v[0], 0x0603);
    assert_int_equal(p->sigalgs.v[9], 0x0201);
    td_profile_free(p);
}

static void test_quectel_simcom_facts(void **state)
{
    struct td_profile *p;
    (void)state;

    p = load("quectel-bg96");
    assert_int_equal(p->suites.n, 13);
    assert_int_equal(td_profile_fact(p, TD_PF_SUITES)->coverage, TD_COV_COMPLETE);
    assert_true(td_profile_offers_suite(p, 0xC02F));
    assert_false(td_profile_offers_suite(p, 0xC030));
    assert_false(td_profile_offers_suite(p, 0xC02B)); /* no ECDHE_ECDSA at all */
    assert_int_equal(p->server_key_types, TD_KEY_RSA);
    assert_true(td_profile_offers_version(p, 0x0300));
    assert_int_equal(p->default_level, 0);
    td_profile_free(p);

    p = load("quectel-bg95");
    assert_int_equal(p->suites.n, 32);
    assert_true(td_profile_offers_suite(p, 0xC02B));
    assert_false(td_profile_offers_suite(p, 0xC030));
    td_profile_free(p);

    p = load("simcom-sim7000");
    assert_int_equal(td_profile_fact(p, TD_PF_SUITES)->coverage, TD_COV_PARTIAL);
    assert_int_equal(td_profile_fact(p, TD_PF_SUITES)->confidence, TD_CONF_WEAK);
    assert_false(td_profile_offers_suite(p, 0xCC13)); /* not IANA-assigned */
    assert_true(td_profile_offers_suite(p, 0xC030));
    assert_int_equal(p->cert_file_max_bytes, 10240);
    assert_int_equal(p->levels, 0);
    assert_false(td_profile_fact(p, TD_PF_LEVELS)->known);
    td_profile_free(p);
}

static void test_esp_facts(void **state)
{
    struct td_profile *p;
    (void)state;

    p = load("esp-at");
    assert_false(td_profile_fact(p, TD_PF_SUITES)->known);
    assert_int_equal(p->suites.n, 0);
    assert_int_equal(p->sni, TD_EXT_CONFIGURABLE);
    assert_int_equal(p->alpn, TD_EXT_CONFIGURABLE);
    assert_int_equal(p->default_level, TD_UNKNOWN);
    assert_int_equal(p->max_record_bytes, 16384);
    td_profile_free(p);

    p = load("esp32-mbedtls");
    assert_int_equal(p->suites.n, 49);
    assert_int_equal(td_profile_fact(p, TD_PF_SUITES)->coverage, TD_COV_EXACT);
    assert_int_equal(p->suites.v[0], 0xC02C);
    assert_int_equal(p->suites.v[48], 0x00FF);
    assert_false(td_profile_offers_suite(p, 0x000A)); /* no 3DES */
    assert_int_equal(p->sni, TD_EXT_SENDS);
    assert_int_equal(p->default_level, 2);
    td_profile_free(p);
}

/* ---- malformed profiles: the error names line and field ----------------- */

static char *replace_once(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    size_t n = strlen(text), fl = strlen(from), tl = strlen(to);
    char *out;
    if (at == NULL)
        fail_msg("marker not found: %s", from);
    out = malloc(n - fl + tl + 1);
    assert_non_null(out);
    memcpy(out, text, (size_t)(at - text));
    memcpy(out + (at - text), to, tl);
    memcpy(out + (at - text) + tl, at + fl, n - (size_t)(at - text) - fl + 1);
    return out;
}

static int line_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    int line = 1;
    if (at == NULL)
        fail_msg("needle not found: %s", needle);
    for (const char *q = text; q < at; q++)
        line += *q == '\n';
    return line;
}

/* Facts the certificate lint uses: the CN-only name check and advisory sizes. */
static void test_cert_lint_facts(void **state)
{
    static const struct {
        const char *name;
        enum td_tri cn_only;
        int file_max;  /* TD_UNKNOWN if not known */
        bool advisory; /* of file_max */
    } v[] = {
        {"sara-r4", TD_TRI_YES, 8192, true},       {"sara-r5", TD_TRI_UNKNOWN, 8192, true},
        {"sara-u2", TD_TRI_UNKNOWN, 8192, false},  {"quectel-bg96", TD_TRI_YES, 10240, true},
        {"quectel-bg95", TD_TRI_YES, TD_UNKNOWN, false}, {"esp-at", TD_TRI_YES, TD_UNKNOWN, false},
        {"esp32-mbedtls", TD_TRI_UNKNOWN, TD_UNKNOWN, false}, {"nrf91", TD_TRI_UNKNOWN, TD_UNKNOWN, false},
        {"simcom-sim7000", TD_TRI_UNKNOWN, 10240, false},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(v); i++) {
        struct td_profile *p = load(v[i].name);
        const struct td_profile_fact *cn = td_profile_fact(p, TD_PF_CN_ONLY_NAME_CHECK);
        const struct td_profile_fact *fm = td_profile_fact(p, TD_PF_CERT_FILE_MAX_BYTES);
        assert_int_equal(p->cn_only_name_check, v[i].cn_only);
        assert_int_equal(cn->known, v[i].cn_only != TD_TRI_UNKNOWN);
        assert_non_null(cn->source);
        assert_int_equal(p->cert_file_max_bytes, v[i].file_max);
        assert_int_equal(fm->advisory, v[i].advisory);
        if (v[i].cn_only == TD_TRI_YES) /* the sources quote the CN wording */
            assert_true(strstr(cn->source, "ommon") != NULL || strstr(cn->source, "CN") != NULL);
        td_profile_free(p);
    }
}

static void test_malformed(void **state)
{
    static const struct {
        const char *what, *from, *to;
        const char *line_at; /* text on the line the error must name (in the mutated text) */
        const char *field;   /* expected JSON path ("" = syntax error) */
        const char *msg;     /* expected part of the message */
    } cases[] = {
        {"syntax: missing comma", "\"aliases\": [\"xbee3-ltem\", \"xbee3-nbiot\"",
         "\"aliases\": [\"xbee3-ltem\" \"xbee3-nbiot\"", "\"aliases\"", "", "JSON syntax error"},
        {"syntax: duplicate key", "\"vendor\": \"Digi International\",",
         "\"vendor\": \"Digi International\", \"vendor\": \"x\",", "\"vendor\"", "", "duplicate"},
        {"wrong type", "\"value\": 31,", "\"value\": \"thirty-one\",", "thirty-one", "limits.cn_max_length.value",
         "expected an integer"},
        {"unknown field", "\"offers\": {", "\"offers\": {\n    \"colour\": \"blue\",", "colour", "offers.colour",
         "unknown field"},
        {"unknown fact key", "\"value\": 31,", "\"value\": 31, \"sauce\": 1,", "sauce", "limits.cn_max_length.sauce",
         "unknown field"},
        {"suite name does not match code", "{\"code\": \"0x0035\", \"name\": \"TLS_RSA_WITH_AES_256_CBC_SHA\"}",
         "{\"code\": \"0x0035\", \"name\": \"TLS_RSA_WITH_AES_257_CBC_SHA\"}", "AES_257",
         "offers.cipher_suites.value[0].name", "does not match"},
        {"unknown suite name", "{\"code\": \"0x0035\", \"name\": \"TLS_RSA_WITH_AES_256_CBC_SHA\"}",
         "\"TLS_RSA_WITH_AES_512_CBC_SHA\"", "AES_512", "offers.cipher_suites.value[0]",
         "unknown cipher suite name"},
        {"unknown suite code", "{\"code\": \"0x003D\", \"name\": \"TLS_RSA_WITH_AES_256_CBC_SHA256\"}",
         "{\"code\": \"0xFEFE\", \"name\": \"TLS_RSA_WITH_AES_256_CBC_SHA256\"}", "0xFEFE",
         "offers.cipher_suites.value[1].code", "unknown cipher suite code 0xFEFE"},
        {"duplicate suite", "{\"code\": \"0x003D\", \"name\": \"TLS_RSA_WITH_AES_256_CBC_SHA256\"}",
         "\"TLS_RSA_WITH_AES_256_CBC_SHA\"", "        \"TLS_RSA_WITH_AES_256_CBC_SHA\"",
         "offers.cipher_suites.value[1]", "duplicate"},
        {"missing source", "\"value\": 31,\n      \"source\"", "\"value\": 31,\n      \"nosource\"", "nosource",
         "limits.cn_max_length.nosource", "unknown field"},
        {"missing source (removed)",
         "\"status_request\": {\"value\": \"unknown\", \"source\": \"devices.md: not found\"}",
         "\"status_request\": {\"value\": \"unknown\"}", "status_request", "offers.status_request",
         "missing source"},
        {"missing field", ",\n    \"status_request\": {\"value\": \"unknown\", \"source\": \"devices.md: not found\"}", "",
         "\"offers\": {", "offers", "missing field \"status_request\""},
        {"bad enum", "\"value\": \"never\",", "\"value\": \"sometimes\",", "sometimes", "offers.sni.value",
         "is not one of"},
        {"coverage missing", "\"coverage\": \"partial\",\n      \"source\": \"devices.md a.3: Digi support",
         "\"source\": \"devices.md a.3: Digi support", "\"cipher_suites\": {", "offers.cipher_suites",
         "missing \"coverage\""},
        {"level out of range", "\"value\": [0, 1],", "\"value\": [0, 4],", "[0, 4]",
         "validation.levels_supported.value[1]", "out of range"},
        {"default level not supported", "\"value\": 0,\n      \"source\": \"devices.md a.2",
         "\"value\": 2,\n      \"source\": \"devices.md a.2", "\"default_level\"", "validation.default_level",
         "not in levels_supported"},
        {"bad name", "\"name\": \"xbee3-cellular-ltem\"", "\"name\": \"XBee3 LTE-M\"", "XBee3 LTE-M", "name",
         "not a valid name"},
        {"schema version", "\"schema_version\": 1", "\"schema_version\": 2", "schema_version", "schema_version",
         "unsupported"},
        {"empty list", "\"value\": [\"rsa\"],\n      \"coverage\": \"complete\",\n      \"source\": \"inference",
         "\"value\": [],\n      \"coverage\": \"complete\",\n      \"source\": \"inference", "\"value\": []",
         "limits.server_key_types.value", "empty list"},
        {"unknown with coverage", "\"groups\": {\"value\": \"unknown\",",
         "\"groups\": {\"value\": \"unknown\", \"coverage\": \"exact\",", "\"groups\"", "offers.groups.coverage",
         "coverage given for an unknown value"},
        {"advisory not a boolean", "\"value\": 31,\n      \"source\": \"devices.md a.1",
         "\"value\": 31,\n      \"advisory\": \"yes\",\n      \"source\": \"devices.md a.1", "\"advisory\"",
         "limits.cn_max_length.advisory", "advisory must be true or false"},
        {"advisory on a yes/no fact", "\"value\": true,\n      \"source\": \"devices.md a.2: https://www.easymanua.ls/digi/xbee3/manual?p=100 (\\\"This must",
         "\"value\": true,\n      \"advisory\": true,\n      \"source\": \"devices.md a.2: https://www.easymanua.ls/digi/xbee3/manual?p=100 (\\\"This must",
         "\"advisory\"", "validation.ca_root_only.advisory", "numeric limits only"},
        {"advisory on an unknown value", "\"cert_file_max_bytes\": {\"value\": \"unknown\",",
         "\"cert_file_max_bytes\": {\"advisory\": true, \"value\": \"unknown\",", "\"cert_file_max_bytes\"",
         "limits.cert_file_max_bytes.advisory", "advisory given for an unknown value"},
        {"not an object", "\"compression\": {\"value\": \"unknown\", \"source\": \"devices.md: not covered\"}",
         "\"compression\": \"unknown\"", "\"compression\"", "offers.compression", "expected an object"},
    };
    const struct td_embed_file *f = embedded("xbee3-cellular-ltem.json");
    (void)state;

    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        char *text = replace_once((const char *)f->data, cases[i].from, cases[i].to);
        struct td_profile *p = (struct td_profile *)1;
        struct td_profile_error e;
        char buf[900];
        td_err ret = td_profile_load_text(text, strlen(text), "t.json", &p, &e);

        td_profile_error_format(&e, buf, sizeof(buf));
        if (ret != TD_ERR_INPUT || e.line != line_of(text, cases[i].line_at) ||
            strcmp(e.field, cases[i].field) != 0 || strstr(e.msg, cases[i].msg) == NULL)
            fail_msg("case '%s': got ret %d, \"%s\"; want line %d, field '%s', message with '%s'", cases[i].what,
                     ret, buf, line_of(text, cases[i].line_at), cases[i].field, cases[i].msg);
        assert_null(p);
        assert_string_equal(e.file, "t.json");
        /* the formatted line names file, line and field */
        assert_non_null(strstr(buf, "t.json:"));
        if (cases[i].field[0] != '\0')
            assert_non_null(strstr(buf, cases[i].field));
        free(text);
    }
}

static void test_not_a_profile(void **state)
{
    static const char *const texts[] = {"", "[]", "null", "{}", "42", "\"x\"", "{\"schema_version\": 1}"};
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(texts); i++) {
        struct td_profile *p;
        struct td_profile_error e;
        assert_int_equal(td_profile_load_text(texts[i], strlen(texts[i]), "x", &p, &e), TD_ERR_INPUT);
        assert_null(p);
        assert_true(strlen(e.msg) > 0);
    }
}

/* ---- truncation sweep: every cut fails cleanly -------------------------- */

static void sweep(const char *file)
{
    const struct td_embed_file *f = embedded(file);
    const char *end = strrchr((const char *)f->data, '}');
    size_t full = (size_t)(end - (const char *)f->data) + 1;

    for (size_t len = 0; len <= f->len; len++) {
        char *buf = malloc(len ? len : 1); /* exact size: ASan sees any over-read */
        struct td_profile *p;
        struct td_profile_error e;
        td_err ret;
        assert_non_null(buf);
        memcpy(buf, f->data, len);
        ret = td_profile_load_text(buf, len, file, &p, &e);
        if (len < full) {
            if (ret == TD_ERR_OK)
                fail_msg("%s cut at %zu loaded", file, len);
            assert_null(p);
            assert_true(strlen(e.msg) > 0);
        } else {
            assert_int_equal(ret, TD_ERR_OK);
            td_profile_free(p);
        }
        free(buf);
    }
}

static void test_truncation_sweep(void **state)
{
    (void)state;
    sweep("xbee3-cellular-ltem.json");
    sweep("quectel-bg96.json");
}

/* ---- JSON output loads back as the same profile --------------------------- */

static void test_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < td_profile_builtin_count(); i++) {
        struct td_profile *p, *q;
        struct td_profile_error e;
        json_t *a, *b;
        char *text;
        assert_int_equal(td_profile_load_builtin_at(i, &p, &e), TD_ERR_OK);
        a = td_profile_to_json(p);
        assert_non_null(a);
        text = json_dumps(a, JSON_PRESERVE_ORDER | JSON_INDENT(2));
        assert_non_null(text);
        if (td_profile_load_text(text, strlen(text), "roundtrip", &q, &e) != TD_ERR_OK) {
            char buf[900];
            td_profile_error_format(&e, buf, sizeof(buf));
            fail_msg("%s: %s", p->name, buf);
        }
        b = td_profile_to_json(q);
        assert_true(json_equal(a, b));
        json_decref(a);
        json_decref(b);
        free(text);
        td_profile_free(p);
        td_profile_free(q);
    }
}

/* ---- pieces ----------------------------------------------------------------- */

static void test_lineindex(void **state)
{
    static const char text[] = "{\n  \"a\": {\n    \"b\": [1,\n      {\"c\": 2}]\n  },\n  \"d\": \"x\\\"y\"\n}\n";
    struct td_lineindex ix = {0};
    int line, col;
    (void)state;

    assert_int_equal(td_lineindex_build(&ix, text, strlen(text)), 0);
    td_lineindex_find(&ix, "a", &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 3);
    td_lineindex_find(&ix, "a.b", &line, &col);
    assert_int_equal(line, 3);
    td_lineindex_find(&ix, "a.b[1].c", &line, &col);
    assert_int_equal(line, 4);
    td_lineindex_find(&ix, "a.b[1].zzz", &line, &col); /* falls back to the parent */
    assert_int_equal(line, 4);
    td_lineindex_find(&ix, "d", &line, &col);
    assert_int_equal(line, 6);
    td_lineindex_find(&ix, "nope", &line, &col);
    assert_int_equal(line, 0);
    td_lineindex_free(&ix);

    /* garbage never hangs or crashes */
    static const char junk[] = "}}]]{{[[\"\\:,::,\"tru\0e]";
    assert_int_equal(td_lineindex_build(&ix, junk, sizeof(junk) - 1), 0);
    td_lineindex_free(&ix);
}

static void test_names(void **state)
{
    uint16_t c;
    (void)state;
    assert_string_equal(td_profile_suite_name(0x0035), "TLS_RSA_WITH_AES_256_CBC_SHA");
    assert_null(td_profile_suite_name(0xCC13));
    assert_int_equal(td_profile_suite_code("TLS_AES_128_GCM_SHA256", &c), 0);
    assert_int_equal(c, 0x1301);
    assert_int_equal(td_profile_suite_code("AES256-SHA", &c), -1); /* OpenSSL names are not IANA names */
    assert_string_equal(td_profile_group_name(0x001D), "x25519");
    assert_string_equal(td_profile_sigalg_name(0x0804), "rsa_pss_rsae_sha256");
    assert_int_equal(td_profile_version_code("DTLS1.2", &c), 0);
    assert_int_equal(c, 0xFEFD);
    assert_string_equal(td_profile_field_path(TD_PF_SUITES), "offers.cipher_suites");
    assert_string_equal(td_profile_fail_key(TD_PFAIL_NO_COMMON_SUITE), "no_common_suite");
    assert_int_equal(td_profile_fail_field(TD_PFAIL_CN_TOO_LONG), TD_PF_ERR_CN_TOO_LONG);
    assert_string_equal(td_ext_mode_name(TD_EXT_CONF_DEFAULT_OFF), "configurable-default-off");
}

static void test_error_format_and_file(void **state)
{
    struct td_profile_error e;
    struct td_profile *p;
    char buf[900];
    (void)state;

    memset(&e, 0, sizeof(e));
    snprintf(e.file, sizeof(e.file), "my.json");
    e.line = 12;
    e.column = 7;
    snprintf(e.field, sizeof(e.field), "limits.cn_max_length.value");
    snprintf(e.msg, sizeof(e.msg), "expected an integer");
    td_profile_error_format(&e, buf, sizeof(buf));
    assert_string_equal(buf, "my.json:12:7: field limits.cn_max_length.value: expected an integer");
    e.field[0] = '\0';
    e.column = 0;
    td_profile_error_format(&e, buf, sizeof(buf));
    assert_string_equal(buf, "my.json:12: expected an integer");

    assert_int_equal(td_profile_load_file("/nonexistent/dir/p.json", &p, &e), TD_ERR_IO);
    assert_null(p);
    td_profile_error_format(&e, buf, sizeof(buf));
    assert_non_null(strstr(buf, "/nonexistent/dir/p.json"));
    assert_non_null(strstr(buf, "cannot open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtins_load),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_xbee3_facts),
        cmocka_unit_test(test_ublox_facts),
        cmocka_unit_test(test_nrf91_facts),
        cmocka_unit_test(test_quectel_simcom_facts),
        cmocka_unit_test(test_esp_facts),
        cmocka_unit_test(test_cert_lint_facts),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_not_a_profile),
        cmocka_unit_test(test_truncation_sweep),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_lineindex),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_error_format_and_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
