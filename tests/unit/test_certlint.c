/* certlint/: the limits taken from the device profiles (every known value
 * has the profile's source, unknowns stay unknown), and the rules driven by
 * them. */
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

/* Limits for --device NAME, through the profiles. */
struct dev {
    struct td_cert_limits lim;
    struct td_profile *p;
};

static void dev_load(const char *name, struct dev *d)
{
    char err[1200];
    if (td_cert_limits_load(name, NULL, &d->lim, &d->p, err, sizeof(err)) != TD_ERR_OK)
        fail_msg("%s: %s", name, err);
}

static void check_sources(const struct td_cert_limits *l)
{
    const struct td_lim *lims[] = {&l->cn_max,    &l->file_max,     &l->ca_file_max, &l->certs_per_file,
                                   &l->chain_max, &l->rsa_min_bits, &l->rsa_max_bits};
    const struct td_fact *facts[] = {&l->ca_root_only, &l->key_pkcs1_only, &l->encrypted_key,
                                     &l->rsa,          &l->ec,             &l->cn_only_name_check};
    for (size_t k = 0; k < sizeof(lims) / sizeof(lims[0]); k++)
        assert_true((lims[k]->value < 0) == (lims[k]->source == NULL));
    for (size_t k = 0; k < sizeof(facts) / sizeof(facts[0]); k++)
        assert_true((facts[k]->v == TD_K_UNKNOWN) == (facts[k]->source == NULL));
    assert_true((l->ncurves < 0) == (l->curves_source == NULL));
}

static void test_builtin_table(void **state)
{
    static const char *const required[] = {
        "generic", "xbee3-cellular-ltem", "sara-r4", "sara-r5", "nrf91", "esp-at", "bg96", "sim7000"};
    struct dev d, e;
    char err[1200];
    (void)state;
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        dev_load(required[i], &d);
        check_sources(&d.lim); /* every known limit cites its source; unknowns have none */
        td_profile_free(d.p);
    }
    assert_int_equal(td_cert_limits_load("no-such-device", NULL, &d.lim, &d.p, err, sizeof(err)), TD_ERR_NOTFOUND);
    assert_null(d.p);
    assert_non_null(strstr(err, "no-such-device"));
    assert_non_null(strstr(err, "xbee3-cellular-ltem")); /* the message lists the profiles */
    /* an alias, case-insensitive, gives the same device */
    dev_load("XBee3-LTEM", &d);
    dev_load("xbee3-cellular-ltem", &e);
    assert_string_equal(d.lim.name, e.lim.name);
    assert_int_equal(d.lim.cn_max.value, e.lim.cn_max.value);
    td_profile_free(d.p);
    td_profile_free(e.p);
    {
        struct dev x, n;
        struct td_cert_limits g;
        const char *unk[32];
        dev_load("xbee3-cellular-ltem", &x);
        assert_int_equal(x.lim.cn_max.value, 31);
        assert_int_equal(x.lim.certs_per_file.value, 1);
        assert_int_equal(x.lim.ca_root_only.v, TD_K_YES);
        assert_int_equal(x.lim.key_pkcs1_only.v, TD_K_YES);
        assert_int_equal(x.lim.encrypted_key.v, TD_K_NO);
        assert_true(x.lim.file_max.value < 0); /* not found in devices.md */
        dev_load("nrf91", &n);
        assert_int_equal(n.lim.chain_max.value, 4096);
        /* generic knows nothing */
        td_cert_limits_generic(&g);
        check_sources(&g);
        assert_int_equal(td_cert_limits_unknown(&g, unk, 32), 14);
        td_profile_free(x.p);
        td_profile_free(n.p);
    }
    /* both options at once: a usage error */
    assert_int_equal(td_cert_limits_load("nrf91", "p.json", &d.lim, &d.p, err, sizeof(err)), TD_ERR_USAGE);
}

static const struct td_finding *find(const struct td_findings *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].id, id) == 0)
            return &l->v[i];
    return NULL;
}

/* Runs the rules over one corpus file with limits l. */
static void lint1(const char *file, enum td_cert_role role, const struct td_cert_limits *l,
                  struct td_findings *out, struct td_x509_file *f)
{
    struct td_certlint_file lf;
    struct td_certlint_opts o = {0};
    load(file, f);
    lf.file = f;
    lf.role = role;
    o.lim = l;
    o.at = 1700000000;
    td_findings_init(&lf.findings);
    td_certlint_run(&lf, 1, &o);
    *out = lf.findings;
}

static bool is_label(const struct td_cert_limits *l, const char *label)
{
    const char *unk[32];
    size_t n = td_cert_limits_unknown(l, unk, 32);
    for (size_t i = 0; i < n; i++)
        if (strcmp(unk[i], label) == 0)
            return true;
    return false;
}

/* Every built-in profile: known values equal the profile's (with its source
 * string), unknowns stay unknown, and the rules that depend on an unknown
 * fact say the verdict depends on it. */
static void test_limits_from_every_profile(void **state)
{
    (void)state;
    assert_true(td_profile_builtin_count() >= 10);
    for (size_t i = 0; i < td_profile_builtin_count(); i++) {
        struct td_profile *p;
        struct td_profile_error e;
        struct td_cert_limits l;
        static const struct {
            enum td_pfield f;
            size_t off;
            const char *label;
        } ints[] = {
            {TD_PF_CN_MAX_LENGTH, offsetof(struct td_cert_limits, cn_max), "max CN length (characters)"},
            {TD_PF_CERT_FILE_MAX_BYTES, offsetof(struct td_cert_limits, file_max), "max file size (bytes)"},
            {TD_PF_CA_MAX_BYTES, offsetof(struct td_cert_limits, ca_file_max), "max CA file size (bytes)"},
            {TD_PF_CERTS_PER_FILE, offsetof(struct td_cert_limits, certs_per_file), "certificates per file"},
            {TD_PF_CHAIN_MAX_BYTES, offsetof(struct td_cert_limits, chain_max), "max server chain (bytes, DER)"},
            {TD_PF_RSA_MIN_BITS, offsetof(struct td_cert_limits, rsa_min_bits), "min RSA key (bits)"},
            {TD_PF_RSA_MAX_BITS, offsetof(struct td_cert_limits, rsa_max_bits), "max RSA key (bits)"},
        };
        static const struct {
            enum td_pfield f;
            size_t off;
        } tris[] = {
            {TD_PF_CA_ROOT_ONLY, offsetof(struct td_cert_limits, ca_root_only)},
            {TD_PF_CLIENT_KEY_ENCRYPTED, offsetof(struct td_cert_limits, encrypted_key)},
            {TD_PF_CN_ONLY_NAME_CHECK, offsetof(struct td_cert_limits, cn_only_name_check)},
        };
        struct td_findings fl;
        struct td_x509_file f;
        const struct td_finding *fd;

        assert_int_equal(td_profile_load_builtin_at(i, &p, &e), TD_ERR_OK);
        td_cert_limits_from_profile(p, &l);
        assert_string_equal(l.name, p->name);
        check_sources(&l);
        for (size_t k = 0; k < sizeof(ints) / sizeof(ints[0]); k++) {
            const struct td_profile_fact *pf = td_profile_fact(p, ints[k].f);
            const struct td_lim *m = (const struct td_lim *)(const void *)((const char *)&l + ints[k].off);
            int pv = ints[k].f == TD_PF_CN_MAX_LENGTH       ? p->cn_max_length
                     : ints[k].f == TD_PF_CERT_FILE_MAX_BYTES ? p->cert_file_max_bytes
                     : ints[k].f == TD_PF_CA_MAX_BYTES        ? p->ca_max_bytes
                     : ints[k].f == TD_PF_CERTS_PER_FILE      ? p->certs_per_file
                     : ints[k].f == TD_PF_CHAIN_MAX_BYTES     ? p->chain_max_bytes
                     : ints[k].f == TD_PF_RSA_MIN_BITS        ? p->rsa_min_bits
                                                              : p->rsa_max_bits;
            if (pf->known) {
                assert_int_equal(m->value, pv);
                assert_ptr_equal(m->source, pf->source);
                assert_int_equal(m->soft, pf->advisory);
                assert_false(is_label(&l, ints[k].label));
            } else {
                assert_true(m->value < 0);
                assert_true(is_label(&l, ints[k].label));
            }
        }
        for (size_t k = 0; k < sizeof(tris) / sizeof(tris[0]); k++) {
            const struct td_profile_fact *pf = td_profile_fact(p, tris[k].f);
            const struct td_fact *x = (const struct td_fact *)(const void *)((const char *)&l + tris[k].off);
            enum td_tri pv = tris[k].f == TD_PF_CA_ROOT_ONLY          ? p->ca_root_only
                             : tris[k].f == TD_PF_CLIENT_KEY_ENCRYPTED ? p->client_key_encrypted
                                                                       : p->cn_only_name_check;
            if (pf->known) {
                assert_int_equal(x->v, pv == TD_TRI_YES ? TD_K_YES : TD_K_NO);
                assert_ptr_equal(x->source, pf->source);
            } else {
                assert_int_equal(x->v, TD_K_UNKNOWN);
            }
        }
        /* key types: listed = usable; unlisted = unusable only in a complete list */
        {
            const struct td_profile_fact *pf = td_profile_fact(p, TD_PF_SERVER_KEY_TYPES);
            bool whole = pf->known && (pf->coverage == TD_COV_COMPLETE || pf->coverage == TD_COV_EXACT);
            unsigned ec = TD_KEY_ECDSA | TD_KEY_ECDSA_P256 | TD_KEY_ECDSA_P384 | TD_KEY_ECDSA_P521;
            if (!pf->known)
                assert_true(l.rsa.v == TD_K_UNKNOWN && l.ec.v == TD_K_UNKNOWN);
            else {
                assert_int_equal(l.rsa.v, (p->server_key_types & TD_KEY_RSA) ? TD_K_YES
                                          : whole                            ? TD_K_NO
                                                                             : TD_K_UNKNOWN);
                assert_int_equal(l.ec.v, (p->server_key_types & ec) ? TD_K_YES
                                         : whole                     ? TD_K_NO
                                                                     : TD_K_UNKNOWN);
            }
        }

        /* certificates per file: known -> error citing the profile; unknown -> a note saying so */
        lint1("bundle-leaf-root.pem", TD_ROLE_CERT, &l, &fl, &f);
        fd = find(&fl, "cert.multiple-certs");
        assert_non_null(fd);
        if (l.certs_per_file.value >= 0 && l.certs_per_file.value < 2) {
            assert_int_equal(fd->severity, TD_SEV_ERROR);
            assert_string_equal(fd->source, td_profile_fact(p, TD_PF_CERTS_PER_FILE)->source);
        } else if (l.certs_per_file.value < 0) {
            assert_int_equal(fd->severity, TD_SEV_INFO);
            assert_non_null(strstr(fd->cause, "unknown"));
        }
        td_findings_free(&fl);
        td_x509_file_free(&f);

        /* an ECDSA server certificate */
        lint1("leaf-ec-san.pem", TD_ROLE_CERT, &l, &fl, &f);
        fd = find(&fl, "cert.key-unsupported");
        if (l.ec.v == TD_K_UNKNOWN) {
            assert_non_null(fd);
            assert_int_equal(fd->severity, TD_SEV_INFO);
            assert_non_null(strstr(fd->cause, "unknown"));
        } else if (l.ec.v == TD_K_NO) {
            assert_non_null(fd);
            assert_int_equal(fd->severity, TD_SEV_ERROR);
            assert_string_equal(fd->source, td_profile_fact(p, TD_PF_SERVER_KEY_TYPES)->source);
        } else if (l.ncurves < 0) {
            assert_null(fd);
        }
        td_findings_free(&fl);
        td_x509_file_free(&f);

        /* an encrypted key */
        lint1("key-rsa-legacy-encrypted.pem", TD_ROLE_KEY, &l, &fl, &f);
        fd = find(&fl, "cert.key-encrypted");
        if (l.encrypted_key.v == TD_K_YES) {
            assert_null(fd);
        } else {
            assert_non_null(fd);
            assert_int_equal(fd->severity, l.encrypted_key.v == TD_K_NO ? TD_SEV_ERROR : TD_SEV_WARN);
            if (l.encrypted_key.v == TD_K_UNKNOWN)
                assert_non_null(strstr(fd->cause, "unknown"));
            else
                assert_string_equal(fd->source, td_profile_fact(p, TD_PF_CLIENT_KEY_ENCRYPTED)->source);
        }
        td_findings_free(&fl);
        td_x509_file_free(&f);
        td_profile_free(p);
    }
}

/* A user's profile: advisory numbers are soft, hard ones errors. */
static void test_profile_text_advisory(void **state)
{
    struct dev d;
    (void)state;
    dev_load("bg96", &d);
    assert_int_equal(d.lim.file_max.value, 10240);
    assert_true(d.lim.file_max.soft);
    assert_int_equal(d.lim.ec.v, TD_K_NO); /* complete list without ECDSA */
    assert_int_equal(d.lim.cn_only_name_check.v, TD_K_YES);
    td_profile_free(d.p);
    dev_load("sim7000", &d);
    assert_int_equal(d.lim.file_max.value, 10240);
    assert_false(d.lim.file_max.soft);
    td_profile_free(d.p);
    dev_load("esp-at", &d);
    assert_int_equal(d.lim.ec.v, TD_K_YES);
    assert_true(d.lim.ncurves < 0); /* the profile says certificate curves are not found */
    td_profile_free(d.p);
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
    td_cert_limits_generic(&lim);
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
        struct dev d;
        dev_load(v[i].device, &d);
        load(v[i].file, &f);
        lf.file = &f;
        lf.role = TD_ROLE_KEY;
        o.lim = &d.lim;
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
        td_profile_free(d.p);
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
        cmocka_unit_test(test_limits_from_every_profile),
        cmocka_unit_test(test_profile_text_advisory),
        cmocka_unit_test(test_key_rules),
        cmocka_unit_test(test_ids_listed),
        cmocka_unit_test(test_ids_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
