/* check/: device facts from real built-in profiles, and the compatibility
 * matrix over hand-built server facts (the seed, its fix, neighbours). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "check/check.h"
#include "check/compat.h"
#include "profiles/profile.h"

static const uint16_t seed_suites[] = {0xc030, 0xc02f, 0x009f, 0x009e, 0xc028, 0xc014, 0x006b, 0x0039};

static void seed(struct td_dx_server *s, struct td_dx_cert *leaf)
{
    struct td_dx_input in;
    td_dx_input_init(&in);
    *s = in.srv;
    s->versions_known = TD_DX_YES;
    s->nversions = 1;
    s->versions[0] = 0x0303;
    s->suites_known = TD_DX_YES;
    s->nsuites = TD_ARRAY_LEN(seed_suites);
    memcpy(s->suites, seed_suites, sizeof(seed_suites));
    s->ok_without_sni = TD_DX_YES;
    s->key_type = "RSA";
    s->key_bits = 2048;
    memset(leaf, 0, sizeof(*leaf));
    leaf->present = true;
    leaf->ncerts = 1;
    leaf->chain_bytes = 800;
    leaf->cn = "192.0.2.10";
    leaf->cn_len = 10;
    leaf->cn_is_ip = true;
    leaf->key_type = "RSA";
    leaf->key_bits = 2048;
    leaf->self_signed = true;
}

static const struct td_compat_row *row(const struct td_compat_row *rows, size_t n, const char *dev)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].device, dev) == 0)
            return &rows[i];
    return NULL;
}

static void test_device_facts_xbee(void **state)
{
    struct td_profile *p = NULL;
    struct td_profile_error e;
    struct td_check_opts o;
    struct td_check_result r;
    struct td_dx_device *d;
    const struct td_dx_report *rep;

    (void)state;
    assert_int_equal(td_profile_load_builtin("xbee3-cellular-ltem", &p, &e), TD_ERR_OK);
    td_check_result_init(&r);
    r.profile = p; /* freed with r */
    d = &r.in.dev;
    memset(&o, 0, sizeof(o));
    o.level = -1;
    td_check_device_facts(p, &o, d, &r);
    assert_int_equal(d->nsuites, 2);
    assert_int_equal(d->suites[0], 0x0035);
    assert_int_equal(d->sends_sni, TD_DX_NO);
    assert_int_equal(d->level, 0); /* default ";;": no CA file */
    assert_int_equal(d->max_cn_len, 31);
    assert_int_equal(d->rsa_ok, TD_DX_YES);
    /* No ECDSA: "no" when the profile's key-type list is complete, else unknown. */
    assert_int_equal(d->ecdsa_ok, td_profile_field_settled(p, TD_PF_SERVER_KEY_TYPES) ? TD_DX_NO : TD_DX_UNKNOWN);
    rep = td_dx_device_report(d, "no_common_suite");
    assert_non_null(rep);
    assert_string_equal(rep->text, "TX Status 0x85 (Unknown error)");
    assert_true(rep->uncertain);
    assert_non_null(strstr(rep->caveat, "offers.cipher_suites (partial)"));
    rep = td_dx_device_report(d, "sni_required");
    assert_non_null(rep);
    assert_null(rep->text); /* unknown in the profile */

    /* A CA file moves the XBee to the lowest level that uses one. */
    o.ca_file = "ca.pem";
    td_check_device_facts(p, &o, d, &r);
    assert_int_equal(d->level, 1);
    assert_non_null(strstr(d->level_note, "level 1"));
    /* --level and --sni win. */
    o.level = 3;
    o.sni = "device.example";
    td_check_device_facts(p, &o, d, &r);
    assert_int_equal(d->level, 3);
    assert_int_equal(d->sends_sni, TD_DX_YES);
    td_check_result_free(&r);
}

static void test_device_facts_nrf91(void **state)
{
    struct td_profile *p = NULL;
    struct td_profile_error e;
    struct td_dx_input in;

    (void)state;
    assert_int_equal(td_profile_load_builtin("nrf91", &p, &e), TD_ERR_OK);
    td_dx_input_init(&in);
    td_check_device_facts(p, NULL, &in.dev, NULL);
    assert_int_equal(in.dev.max_chain_bytes, 4096); /* "Maximum server certificate chain size has a limit of 4kB" */
    assert_true(in.dev.nsuites >= 10);
    td_profile_free(p);
}

static void test_compat_seed(void **state)
{
    struct td_dx_server s;
    struct td_dx_cert leaf;
    struct td_compat_row rows[32];
    size_t n = 0;
    const struct td_compat_row *x;

    (void)state;
    seed(&s, &leaf);
    assert_int_equal(td_check_compat(&s, &leaf, rows, 32, &n), TD_ERR_OK);
    assert_int_equal(n, td_profile_builtin_count());
    x = row(rows, n, "xbee3-cellular-ltem");
    assert_non_null(x);
    assert_false(x->pass);
    assert_string_equal(x->id, "check.no-common-suite");
    assert_non_null(strstr(x->reason, "TLS_RSA_WITH_AES_256_CBC_SHA"));
    assert_true(x->uncertain); /* the XBee's suite list is partial */
    /* nRF91 offers ECDHE-RSA suites: it connects to the seed's server. */
    x = row(rows, n, "nrf91");
    assert_non_null(x);
    assert_true(x->pass);
    assert_non_null(strstr(x->reason, "connects: TLS 1.2, TLS_ECDHE_RSA"));

    /* A profile without a suite list is not judged, never failed on a guess. */
    x = row(rows, n, "esp-at");
    assert_non_null(x);
    assert_true(x->unknown);
    assert_false(x->pass);
    assert_non_null(strstr(x->reason, "not judged"));

    /* The fix: AES256-SHA appended. */
    s.suites[s.nsuites++] = 0x0035;
    assert_int_equal(td_check_compat(&s, &leaf, rows, 32, &n), TD_ERR_OK);
    x = row(rows, n, "xbee3-cellular-ltem");
    assert_true(x->pass);
    assert_string_equal(x->id, "check.handshake-ok");
    assert_non_null(strstr(x->reason, "TLS_RSA_WITH_AES_256_CBC_SHA"));
}

static void test_compat_neighbours(void **state)
{
    struct td_dx_server s;
    struct td_dx_cert leaf;
    struct td_compat_row rows[32];
    size_t n = 0;
    const struct td_compat_row *x;

    (void)state;
    /* TLS 1.3 only: every TLS 1.2-only device fails on the version. */
    seed(&s, &leaf);
    s.versions[0] = 0x0304;
    s.nsuites = 0;
    assert_int_equal(td_check_compat(&s, &leaf, rows, 32, &n), TD_ERR_OK);
    x = row(rows, n, "xbee3-cellular-ltem");
    assert_false(x->pass);
    assert_string_equal(x->id, "check.no-common-version");

    /* SNI required: the XBee never sends SNI. */
    seed(&s, &leaf);
    s.suites[s.nsuites++] = 0x0035;
    s.ok_without_sni = TD_DX_NO;
    s.ok_with_sni = TD_DX_YES;
    s.probe_name = "device.example";
    s.alert_without_sni = 112;
    assert_int_equal(td_check_compat(&s, &leaf, rows, 32, &n), TD_ERR_OK);
    x = row(rows, n, "xbee3-cellular-ltem");
    assert_false(x->pass);
    assert_string_equal(x->id, "check.sni-required");

    /* A 40-character CN: the SARA-R410 inside the XBee fails on it. */
    seed(&s, &leaf);
    s.suites[s.nsuites++] = 0x0035;
    leaf.cn = "a-very-long-host-name.device.example.com";
    leaf.cn_len = strlen(leaf.cn);
    leaf.cn_is_ip = false;
    assert_int_equal(td_check_compat(&s, &leaf, rows, 32, &n), TD_ERR_OK);
    x = row(rows, n, "xbee3-cellular-ltem");
    assert_false(x->pass);
    assert_string_equal(x->id, "check.cn-too-long");
    leaf.cn_len = 31;
    assert_int_equal(td_check_compat(&s, &leaf, rows, 32, &n), TD_ERR_OK);
    assert_true(row(rows, n, "xbee3-cellular-ltem")->pass);

    /* Nothing known about the server: nobody fails on a guess. */
    memset(&s, 0, sizeof(s));
    s.versions_known = TD_DX_UNKNOWN;
    s.suites_known = TD_DX_UNKNOWN;
    s.ok_without_sni = TD_DX_UNKNOWN;
    s.ok_with_sni = TD_DX_UNKNOWN;
    s.cert_differs = TD_DX_UNKNOWN;
    s.alert_without_sni = -1;
    assert_int_equal(td_check_compat(&s, NULL, rows, 32, &n), TD_ERR_OK);
    for (size_t i = 0; i < n; i++)
        assert_true(rows[i].pass || rows[i].uncertain || rows[i].unknown);
}

/* A server that accepted no version at all (silent, resetting, not TLS):
 * every judged device fails, and says why - never "connects". */
static void test_compat_no_tls_at_all(void **state)
{
    struct td_dx_server s;
    struct td_dx_cert leaf;
    struct td_compat_row rows[32];
    size_t n = 0, failed = 0;

    (void)state;
    seed(&s, &leaf);
    s.nversions = 0;
    s.nsuites = 0;
    assert_int_equal(td_check_compat(&s, NULL, rows, 32, &n), TD_ERR_OK);
    assert_int_equal(n, td_profile_builtin_count());
    for (size_t i = 0; i < n; i++) {
        assert_false(rows[i].pass);
        if (rows[i].unknown)
            continue;
        assert_string_equal(rows[i].id, "check.handshake-failed");
        assert_non_null(strstr(rows[i].reason, "accepted no protocol version"));
        failed++;
    }
    assert_true(failed > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_facts_xbee),
        cmocka_unit_test(test_device_facts_nrf91),
        cmocka_unit_test(test_compat_seed),
        cmocka_unit_test(test_compat_neighbours),
        cmocka_unit_test(test_compat_no_tls_at_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
