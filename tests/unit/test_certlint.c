/* certlint/: the built-in limits table (every known value has a source,
 * unknowns stay unknown), and the rules driven by a limits struct filled the
 * way a device profile would fill it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "certlint/certlint.h"
#include "certlint/limits.h"
#include "x509/x509.h"

static void load(const char *name, struct td_x509_file *f)
{
    char path[512], err[512];
    snprintf(path, sizeof(path), "fuzz/corpus/certload/%s", name);
    if (td_x509_load_file(path, f, err, sizeof(err)) != TD_ERR_OK)
        fail_msg("%s", err);
}

static bool has(const struct td_findings *l, const char *id, enum td_severity sev)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].id, id) == 0 && l->v[i].severity == sev)
            return true;
    return false;
}

static bool has_id(const struct td_findings *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].id, id) == 0)
            return true;
    return false;
}

static void test_builtin_table(void **state)
{
    static const char *const required[] = {
        "generic", "xbee3-cellular-ltem", "sara-r4", "sara-r5", "nrf91", "esp-at", "bg96", "sim7000"};
    (void)state;
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        assert_non_null(td_cert_limits_builtin(required[i]));
    assert_null(td_cert_limits_builtin("no-such-device"));
    assert_ptr_equal(td_cert_limits_builtin("xbee"), td_cert_limits_builtin("xbee3-cellular-ltem"));
    /* every known limit cites its source; unknowns have none */
    for (size_t i = 0; i < td_cert_limits_builtin_count(); i++) {
        const struct td_cert_limits *l = td_cert_limits_builtin_at(i);
        const struct td_lim *lims[] = {&l->cn_max,    &l->file_max,     &l->certs_per_file,
                                       &l->chain_max, &l->rsa_min_bits, &l->rsa_max_bits};
        const struct td_fact *facts[] = {&l->ca_root_only, &l->key_pkcs1_only,    &l->encrypted_key, &l->rsa,
                                         &l->ec,           &l->cn_only_name_check};
        for (size_t k = 0; k < sizeof(lims) / sizeof(lims[0]); k++)
            assert_true((lims[k]->value < 0) == (lims[k]->source == NULL));
        for (size_t k = 0; k < sizeof(facts) / sizeof(facts[0]); k++)
            assert_true((facts[k]->v == TD_K_UNKNOWN) == (facts[k]->source == NULL));
        assert_true((l->ncurves < 0) == (l->curves_source == NULL));
    }
    {
        const struct td_cert_limits *x = td_cert_limits_builtin("xbee3-cellular-ltem");
        const struct td_cert_limits *g = td_cert_limits_builtin("generic");
        const char *unk[32];
        assert_int_equal(x->cn_max.value, 31);
        assert_int_equal(x->certs_per_file.value, 1);
        assert_int_equal(x->ca_root_only.v, TD_K_YES);
        assert_int_equal(x->key_pkcs1_only.v, TD_K_YES);
        assert_int_equal(x->encrypted_key.v, TD_K_NO);
        assert_true(x->file_max.value < 0); /* not found in devices.md */
        assert_int_equal(td_cert_limits_builtin("nrf91")->chain_max.value, 4096);
        /* generic knows nothing */
        assert_int_equal(td_cert_limits_unknown(g, unk, 32), 13);
    }
}

/* A profile fills the same struct. */
static void test_profile_filled_limits(void **state)
{
    struct td_cert_limits lim;
    struct td_x509_file bundle;
    struct td_certlint_file lf;
    struct td_certlint_opts o = {0};
    (void)state;

    td_cert_limits_init_unknown(&lim, "my-device", "a device from a profile");
    load("bundle-leaf-root.pem", &bundle);
    lf.file = &bundle;
    lf.role = TD_ROLE_CERT;
    o.lim = &lim;
    o.at = 1700000000;

    /* unknown limits: notes, never errors */
    td_findings_init(&lf.findings);
    td_certlint_run(&lf, 1, &o);
    assert_true(has(&lf.findings, "cert.multiple-certs", TD_SEV_INFO));
    assert_true(td_findings_worst(&lf.findings) < TD_SEV_ERROR);
    td_findings_free(&lf.findings);

    /* known limits: errors with the profile's source */
    lim.certs_per_file.value = 1;
    lim.certs_per_file.source = "profile: one certificate per file";
    lim.cn_max.value = 5;
    lim.cn_max.source = "profile: CN max 5";
    lim.ec.v = TD_K_NO;
    lim.ec.source = "profile: RSA only";
    lim.chain_max.value = 100;
    lim.chain_max.source = "profile: 100-byte chain";
    lim.file_max.value = 200;
    lim.file_max.soft = true;
    lim.file_max.source = "profile: 200 bytes advised";
    td_findings_init(&lf.findings);
    td_certlint_run(&lf, 1, &o);
    assert_true(has(&lf.findings, "cert.multiple-certs", TD_SEV_ERROR));
    assert_true(has(&lf.findings, "cert.cn-too-long", TD_SEV_ERROR));
    assert_true(has(&lf.findings, "cert.key-unsupported", TD_SEV_ERROR));
    assert_true(has(&lf.findings, "cert.chain-too-large", TD_SEV_ERROR));
    assert_true(has(&lf.findings, "cert.file-too-large", TD_SEV_WARN));
    for (size_t i = 0; i < lf.findings.n; i++)
        if (strcmp(lf.findings.v[i].id, "cert.multiple-certs") == 0)
            assert_string_equal(lf.findings.v[i].source, "profile: one certificate per file");
    td_findings_free(&lf.findings);

    /* dates: the same file before its notBefore */
    lim = *td_cert_limits_builtin("generic");
    o.at = 1000000000; /* 2001 */
    td_findings_init(&lf.findings);
    td_certlint_run(&lf, 1, &o);
    assert_true(has(&lf.findings, "cert.not-yet-valid", TD_SEV_ERROR));
    assert_false(has_id(&lf.findings, "cert.expired"));
    td_findings_free(&lf.findings);
    td_x509_file_free(&bundle);
}

static void test_key_rules(void **state)
{
    static const struct {
        const char *file;
        const char *device;
        const char *id; /* expected, or NULL for none of the key ids */
    } v[] = {
        {"key-rsa-pkcs8.pem", "xbee3-cellular-ltem", "cert.key-pkcs8"},
        {"key-rsa-pkcs1.pem", "xbee3-cellular-ltem", NULL},
        {"key-rsa-pkcs8.pem", "generic", NULL},
        {"key-rsa-legacy-encrypted.pem", "xbee3-cellular-ltem", "cert.key-encrypted"},
        {"key-ec-pkcs8-encrypted.pem", "xbee3-cellular-ltem", "cert.key-encrypted"},
        {"key-ec-pkcs8-encrypted.pem", "sara-r4", NULL},
        {"key-ec-sec1.pem", "xbee3-cellular-ltem", "cert.key-unsupported"},
        {"key-ec-sec1.pem", "nrf91", NULL},
    };
    static const char *const key_ids[] = {"cert.key-pkcs8", "cert.key-encrypted", "cert.key-unsupported"};
    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        struct td_x509_file f;
        struct td_certlint_file lf;
        struct td_certlint_opts o = {0};
        load(v[i].file, &f);
        lf.file = &f;
        lf.role = TD_ROLE_KEY;
        o.lim = td_cert_limits_builtin(v[i].device);
        td_findings_init(&lf.findings);
        td_certlint_run(&lf, 1, &o);
        if (v[i].id != NULL) {
            assert_true(has_id(&lf.findings, v[i].id));
        } else {
            for (size_t k = 0; k < sizeof(key_ids) / sizeof(key_ids[0]); k++)
                assert_false(has_id(&lf.findings, key_ids[k]));
        }
        td_findings_free(&lf.findings);
        td_x509_file_free(&f);
    }
}

static void test_ids_listed(void **state)
{
    size_t n = 0;
    (void)state;
    for (const char *const *p = td_certlint_ids; *p != NULL; p++, n++)
        assert_true(strncmp(*p, "cert.", 5) == 0);
    assert_true(n >= 15);
}

/* Every rule id is documented in docs/findings.md under "## cert" and in
 * docs/cert.md. */
static void test_ids_documented(void **state)
{
    static const char *const docs[] = {"docs/findings.md", "docs/cert.md"};
    (void)state;
    for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
        FILE *f = fopen(docs[d], "rb");
        char *text, *section;
        long n;
        assert_non_null(f);
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        n = ftell(f);
        assert_true(n > 0);
        assert_int_equal(fseek(f, 0, SEEK_SET), 0);
        text = calloc(1, (size_t)n + 1);
        assert_non_null(text);
        assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
        fclose(f);
        section = d == 0 ? strstr(text, "## cert") : text;
        assert_non_null(section);
        for (const char *const *p = td_certlint_ids; *p != NULL; p++) {
            char quoted[64];
            snprintf(quoted, sizeof(quoted), "`%s`", *p);
            if (strstr(section, quoted) == NULL)
                fail_msg("%s: %s is not documented", docs[d], *p);
        }
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_table),
        cmocka_unit_test(test_profile_filled_limits),
        cmocka_unit_test(test_key_rules),
        cmocka_unit_test(test_ids_listed),
        cmocka_unit_test(test_ids_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
