/* diag rules over hand-built facts: each case is a scenario (a device, what
 * happened on the wire, the verification result, server facts) with the
 * finding ids that must appear and those that must not. Negatives sit
 * beside positives: the same scenario with the one fact that matters
 * flipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/file.h"
#include "diag/rules.h"

/* The seed: an XBee3 LTE-M (RSA key exchange only, TLS 1.2, no SNI) ... */
static void xbee(struct td_dx_input *in)
{
    td_dx_input_init(in);
    in->target = "192.0.2.10:443";
    in->host = "192.0.2.10";
    in->dev.name = "xbee3-cellular-ltem";
    in->dev.nversions = 1;
    in->dev.versions[0] = 0x0303;
    in->dev.nsuites = 2;
    in->dev.suites[0] = 0x0035;
    in->dev.suites[1] = 0x003d;
    in->dev.suites_source = "forum 20463";
    in->dev.sends_sni = TD_DX_NO;
    in->dev.level = 0;
    in->dev.level_note = "no CA file configured";
    in->dev.max_cn_len = 31;
    in->dev.max_cn_source = "XBee3 UG p.101";
    in->dev.nreports = 2;
    in->dev.reports[0] = (struct td_dx_report){"no_common_suite", "TX Status 0x85 (Unknown error)", "Digi 90002258",
                                               "depends on offers.cipher_suites, which the profile marks partial", true};
    in->dev.reports[1] = (struct td_dx_report){"cert_untrusted", NULL, "Digi forum", NULL, false};
}

/* ... against the seed's Apache: TLS 1.2, eight ECDHE/DHE RSA suites. */
static const uint16_t seed_suites[] = {0xc030, 0xc02f, 0x009f, 0x009e, 0xc028, 0xc014, 0x006b, 0x0039};

static void seed_server(struct td_dx_input *in)
{
    in->srv.versions_known = TD_DX_YES;
    in->srv.nversions = 1;
    in->srv.versions[0] = 0x0303;
    in->srv.suites_known = TD_DX_YES;
    in->srv.nsuites = TD_ARRAY_LEN(seed_suites);
    memcpy(in->srv.suites, seed_suites, sizeof(seed_suites));
    in->srv.key_type = "RSA";
    in->srv.key_bits = 2048;
    in->att.end = TD_DX_END_ALERT_RECEIVED;
    in->att.alert = 40;
}

/* A handshake that completed with AES256-SHA and a self-signed IP-as-CN cert. */
static void completed(struct td_dx_input *in)
{
    in->att.end = TD_DX_END_COMPLETED;
    in->att.alert = -1;
    in->att.server_hello = true;
    in->att.version = 0x0303;
    in->att.suite = 0x0035;
    in->att.cert.present = true;
    in->att.cert.ncerts = 1;
    in->att.cert.chain_bytes = 900;
    in->att.cert.subject = "CN=192.0.2.10";
    in->att.cert.cn = "192.0.2.10";
    in->att.cert.cn_len = 10;
    in->att.cert.cn_is_ip = true;
    in->att.cert.key_type = "RSA";
    in->att.cert.key_bits = 2048;
    in->att.cert.self_signed = true;
    in->att.cert.fingerprint = "AB:CD";
    in->ver.level = 0;
    in->ver.step = TD_DX_V_NONE;
}

static bool has(const struct td_findings *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].id, id) == 0)
            return true;
    return false;
}

static const struct td_finding *get(const struct td_findings *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].id, id) == 0)
            return &l->v[i];
    return NULL;
}

static const char *fix_for(const struct td_finding *f, const char *label)
{
    for (size_t i = 0; i < f->nfix; i++)
        if (strcmp(f->fixes[i].label, label) == 0)
            return f->fixes[i].text;
    return NULL;
}

struct scenario {
    const char *name;
    void (*setup)(struct td_dx_input *in);
    bool pass;
    const char *want[4];
    const char *not_want[4];
};

/* --- setups ------------------------------------------------------------- */

static void s_seed(struct td_dx_input *in)
{
    xbee(in);
    seed_server(in);
}
static void s_seed_fixed(struct td_dx_input *in)
{
    xbee(in);
    seed_server(in);
    in->srv.suites[in->srv.nsuites++] = 0x0035;
    completed(in);
}
static void s_seed_unenumerated(struct td_dx_input *in)
{
    xbee(in);
    in->att.end = TD_DX_END_ALERT_RECEIVED;
    in->att.alert = 40;
}
static void s_closed_unenumerated(struct td_dx_input *in)
{
    /* Same, but the server closed without an alert: no rule may claim a suite mismatch. */
    xbee(in);
    in->att.end = TD_DX_END_CLOSED;
}
static void s_tls13_only(struct td_dx_input *in)
{
    xbee(in);
    in->srv.versions_known = TD_DX_YES;
    in->srv.nversions = 1;
    in->srv.versions[0] = 0x0304;
    in->att.end = TD_DX_END_ALERT_RECEIVED;
    in->att.alert = 70;
}
static void s_tls12_and_13(struct td_dx_input *in)
{
    s_seed_fixed(in);
    in->srv.nversions = 2;
    in->srv.versions[1] = 0x0304;
}
static void s_ecdsa_only(struct td_dx_input *in)
{
    xbee(in);
    in->srv.versions_known = TD_DX_YES;
    in->srv.nversions = 1;
    in->srv.versions[0] = 0x0303;
    in->srv.suites_known = TD_DX_YES;
    in->srv.nsuites = 2;
    in->srv.suites[0] = 0xc02b;
    in->srv.suites[1] = 0xc00a;
    in->srv.key_type = "EC";
    in->srv.key_bits = 256;
    in->att.end = TD_DX_END_ALERT_RECEIVED;
    in->att.alert = 40;
}
static void s_sni_required(struct td_dx_input *in)
{
    xbee(in);
    in->host = "device.example";
    in->att.end = TD_DX_END_ALERT_RECEIVED;
    in->att.alert = 112;
    in->srv.probe_name = "device.example";
    in->srv.ok_without_sni = TD_DX_NO;
    in->srv.ok_with_sni = TD_DX_YES;
    in->srv.alert_without_sni = 112;
}
static void s_sni_device_sends(struct td_dx_input *in)
{
    s_sni_required(in);
    in->dev.sends_sni = TD_DX_YES;
    completed(in);
    in->att.sni_sent = "device.example";
}
static void s_sni_unknown(struct td_dx_input *in)
{
    s_sni_required(in);
    in->dev.sends_sni = TD_DX_UNKNOWN;
}
static void s_default_cert(struct td_dx_input *in)
{
    xbee(in);
    completed(in);
    in->dev.level = 1;
    in->dev.ca_file = "ca.pem";
    in->ver.level = 1;
    in->ver.step = TD_DX_V_UNTRUSTED;
    in->ver.explanation = "level 1: no path from CN=default to the CA file";
    in->srv.probe_name = "device.example";
    in->srv.cert_differs = TD_DX_YES;
    in->srv.cn_with_sni = "device.example";
    in->srv.cn_without_sni = "default";
}
static void s_same_cert(struct td_dx_input *in)
{
    s_default_cert(in);
    in->srv.cert_differs = TD_DX_NO;
    in->ver.step = TD_DX_V_NONE;
}
static void s_name_mismatch(struct td_dx_input *in)
{
    xbee(in);
    completed(in);
    in->host = "device.example";
    in->dev.level = 2;
    in->ver.level = 2;
    in->ver.step = TD_DX_V_NAME;
    in->ver.name_checked = "device.example";
}
static void s_expired(struct td_dx_input *in)
{
    xbee(in);
    completed(in);
    in->dev.level = 3;
    in->ver.level = 3;
    in->ver.step = TD_DX_V_EXPIRED;
}
static void s_not_yet(struct td_dx_input *in)
{
    s_expired(in);
    in->ver.step = TD_DX_V_NOT_YET_VALID;
}
static void s_level1_ok(struct td_dx_input *in)
{
    xbee(in);
    completed(in);
    in->dev.level = 1;
    in->dev.ca_file = "ca.pem";
    in->ver.level = 1;
}
static void s_long_cn(struct td_dx_input *in)
{
    xbee(in);
    completed(in);
    in->att.cert.cn = "a-very-long-host-name.device.example.com";
    in->att.cert.cn_len = strlen(in->att.cert.cn);
}
static void s_cn_31(struct td_dx_input *in)
{
    s_long_cn(in);
    in->att.cert.cn = "abcdefghijklmnopqrstuvwxyz01234"; /* exactly 31: accepted */
    in->att.cert.cn_len = 31;
}
static void s_cn_limit_unknown(struct td_dx_input *in)
{
    s_long_cn(in);
    in->dev.max_cn_len = -1;
}
static void s_chain_big(struct td_dx_input *in)
{
    xbee(in);
    completed(in);
    in->dev.max_chain_bytes = 4096;
    in->att.cert.chain_bytes = 5279;
    in->att.cert.ncerts = 3;
}
static void s_chain_ok(struct td_dx_input *in)
{
    s_chain_big(in);
    in->att.cert.chain_bytes = 4096;
}
static void s_rsa_too_big(struct td_dx_input *in)
{
    xbee(in);
    completed(in);
    in->dev.rsa_min_bits = 1024;
    in->dev.rsa_max_bits = 2048;
    in->att.cert.key_bits = 4096;
}
static void s_rsa_too_big_max_only(struct td_dx_input *in)
{
    s_rsa_too_big(in);
    in->dev.rsa_min_bits = -1; /* unknown */
}
static void s_dh_big(struct td_dx_input *in)
{
    xbee(in);
    completed(in);
    in->dev.dh_max_bits = 2048;
    in->att.dh_bits = 3072;
}
static void s_dh_small(struct td_dx_input *in)
{
    s_dh_big(in);
    in->dev.dh_min_bits = 2048;
    in->att.dh_bits = 1024;
}
static void s_dh_ok(struct td_dx_input *in)
{
    s_dh_small(in);
    in->att.dh_bits = 2048;
}
static void s_client_cert(struct td_dx_input *in)
{
    xbee(in);
    seed_server(in);
    in->srv.suites[in->srv.nsuites++] = 0x0035;
    in->att.server_hello = true;
    in->att.cert_request = true;
    in->att.alert = 116;
}
static void s_client_cert_given(struct td_dx_input *in)
{
    s_client_cert(in);
    in->dev.has_client_cert = true;
    completed(in);
    in->att.cert_request = true;
}
static void s_mfl_ignored(struct td_dx_input *in)
{
    xbee(in);
    completed(in);
    in->dev.mfl_code = 2;
    in->dev.needs_mfl = TD_DX_YES;
    in->att.mfl_sent = true;
    in->att.max_record_in = 16384;
}
static void s_mfl_honoured(struct td_dx_input *in)
{
    s_mfl_ignored(in);
    in->att.mfl_echoed = true;
}
static void s_mfl_unknown(struct td_dx_input *in)
{
    s_mfl_ignored(in);
    in->dev.needs_mfl = TD_DX_UNKNOWN;
}
static void s_tcp(struct td_dx_input *in)
{
    xbee(in);
    in->att.end = TD_DX_END_NO_TCP;
    in->att.tcp_error = "connection refused";
}
static void s_timeout(struct td_dx_input *in)
{
    xbee(in);
    in->att.end = TD_DX_END_TIMEOUT;
}
static void s_not_tls(struct td_dx_input *in)
{
    xbee(in);
    in->att.end = TD_DX_END_NOT_TLS;
    in->att.tls_error = "record invalid value at byte 0 (record type): 0x48 is not a TLS content type";
}
static void s_not_tls_after_sh(struct td_dx_input *in)
{
    s_seed_fixed(in);
    in->att.end = TD_DX_END_NOT_TLS;
}
static void s_level_unknown(struct td_dx_input *in)
{
    s_seed_fixed(in);
    in->dev.level = -1;
    in->ver.step = TD_DX_V_NONE;
}

static const struct scenario scenarios[] = {
    {"seed: no common suite", s_seed, false, {"check.no-common-suite"}, {"check.sni-required", "check.handshake-ok", "check.handshake-failed", "check.no-common-version"}},
    {"seed fixed: passes, level 0 warning", s_seed_fixed, true, {"check.handshake-ok", "check.no-validation"}, {"check.no-common-suite", "check.cn-too-long"}},
    {"handshake_failure alert, suites unknown", s_seed_unenumerated, false, {"check.no-common-suite"}, {"check.handshake-failed"}},
    {"FIN, suites unknown: no guess", s_closed_unenumerated, false, {"check.handshake-failed"}, {"check.no-common-suite"}},
    {"TLS 1.3-only server", s_tls13_only, false, {"check.no-common-version"}, {"check.no-common-suite", "check.handshake-failed"}},
    {"TLS 1.2 and 1.3 server", s_tls12_and_13, true, {"check.handshake-ok"}, {"check.no-common-version"}},
    {"ECDSA-only server, RSA-only device", s_ecdsa_only, false, {"check.key-unsupported"}, {"check.no-common-suite", "check.handshake-failed"}},
    {"SNI required", s_sni_required, false, {"check.sni-required"}, {"check.handshake-failed", "check.no-common-suite"}},
    {"SNI required, device sends SNI", s_sni_device_sends, true, {"check.handshake-ok"}, {"check.sni-required"}},
    {"SNI required, SNI behaviour unknown", s_sni_unknown, false, {"check.sni-required", "check.handshake-failed"}, {0}},
    {"default certificate without SNI", s_default_cert, false, {"check.sni-default-cert", "check.cert-untrusted"}, {"check.handshake-ok"}},
    {"same certificate with and without SNI", s_same_cert, true, {"check.cert-accepted"}, {"check.sni-default-cert"}},
    {"name mismatch at level 2", s_name_mismatch, false, {"check.cert-name-mismatch"}, {"check.handshake-ok"}},
    {"expired at level 3", s_expired, false, {"check.cert-expired"}, {"check.cert-not-yet-valid"}},
    {"not yet valid at level 3", s_not_yet, false, {"check.cert-not-yet-valid"}, {"check.cert-expired"}},
    {"level 1 passes", s_level1_ok, true, {"check.cert-accepted", "check.handshake-ok"}, {"check.no-validation"}},
    {"CN of 40 characters on a 31-limit device", s_long_cn, false, {"check.cn-too-long"}, {"check.handshake-ok"}},
    {"CN of exactly 31", s_cn_31, true, {"check.handshake-ok"}, {"check.cn-too-long"}},
    {"CN limit unknown", s_cn_limit_unknown, true, {"check.unknown-limits"}, {"check.cn-too-long"}},
    {"chain over 4 kB", s_chain_big, false, {"check.chain-too-large"}, {0}},
    {"chain of exactly 4 kB", s_chain_ok, true, {0}, {"check.chain-too-large"}},
    {"RSA 4096 on a <=2048 device", s_rsa_too_big, false, {"check.key-unsupported"}, {0}},
    {"RSA 4096, only a maximum known", s_rsa_too_big_max_only, false, {"check.key-unsupported"}, {0}},
    {"DH 3072 on a <=2048 device", s_dh_big, false, {"check.dh-too-large"}, {"check.dh-too-small"}},
    {"DH 1024 on a >=2048 device", s_dh_small, false, {"check.dh-too-small"}, {"check.dh-too-large"}},
    {"DH 2048 in range", s_dh_ok, true, {0}, {"check.dh-too-small", "check.dh-too-large"}},
    {"client certificate required", s_client_cert, false, {"check.client-cert-required"}, {"check.handshake-failed"}},
    {"client certificate configured", s_client_cert_given, true, {"check.handshake-ok"}, {"check.client-cert-required"}},
    {"max_fragment_length ignored", s_mfl_ignored, false, {"check.mfl-not-honoured"}, {"check.handshake-ok"}},
    {"max_fragment_length honoured", s_mfl_honoured, true, {"check.handshake-ok"}, {"check.mfl-not-honoured"}},
    {"max_fragment_length need unknown", s_mfl_unknown, true, {"check.mfl-not-honoured"}, {0}},
    {"TCP refused", s_tcp, false, {"check.tcp-failed"}, {"check.handshake-failed"}},
    {"silence", s_timeout, false, {"check.timeout"}, {"check.handshake-failed"}},
    {"an answer that is not TLS", s_not_tls, false, {"check.not-tls"}, {"check.handshake-failed", "check.handshake-ok", "check.no-common-suite"}},
    {"malformed after a good ServerHello", s_not_tls_after_sh, false, {"check.not-tls"}, {"check.handshake-ok", "check.handshake-failed"}},
    {"validation level unknown", s_level_unknown, true, {"check.level-unknown"}, {"check.no-validation"}},
};

static void test_scenarios(void **state)
{
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(scenarios); i++) {
        const struct scenario *sc = &scenarios[i];
        struct td_dx_input in;
        struct td_findings l;
        bool pass = !sc->pass;

        sc->setup(&in);
        td_findings_init(&l);
        assert_int_equal(td_diag_run(&in, &l, &pass), TD_ERR_OK);
        if (pass != sc->pass) {
            print_error("scenario '%s': pass=%d, want %d\n", sc->name, pass, sc->pass);
            for (size_t k = 0; k < l.n; k++)
                print_error("  %s %s\n", l.v[k].id, l.v[k].cause);
            fail();
        }
        for (size_t k = 0; k < 4 && sc->want[k] != NULL; k++)
            if (!has(&l, sc->want[k])) {
                print_error("scenario '%s': missing %s\n", sc->name, sc->want[k]);
                fail();
            }
        for (size_t k = 0; k < 4 && sc->not_want[k] != NULL; k++)
            if (has(&l, sc->not_want[k])) {
                print_error("scenario '%s': unexpected %s\n", sc->name, sc->not_want[k]);
                fail();
            }
        /* Every finding that is a failure says what the device reports. */
        for (size_t k = 0; k < l.n; k++)
            if (l.v[k].severity == TD_SEV_ERROR)
                assert_non_null(strstr(l.v[k].evidence, "the device would report: "));
        td_findings_free(&l);
    }
}

/* The seed's finding in detail: the suites to add and the exact lines. */
static void test_seed_fix_lines(void **state)
{
    struct td_dx_input in;
    struct td_findings l;
    bool pass;
    const struct td_finding *f;

    (void)state;
    s_seed(&in);
    td_findings_init(&l);
    assert_int_equal(td_diag_run(&in, &l, &pass), TD_ERR_OK);
    f = get(&l, "check.no-common-suite");
    assert_non_null(f);
    assert_non_null(strstr(f->cause, "TLS_RSA_WITH_AES_256_CBC_SHA (AES256-SHA)"));
    assert_non_null(strstr(f->cause, "TLS_RSA_WITH_AES_256_CBC_SHA256 (AES256-SHA256)"));
    assert_non_null(strstr(f->evidence, "the device would report: TX Status 0x85 (Unknown error)"));
    assert_non_null(strstr(f->evidence, "offers.cipher_suites, which the profile marks partial"));
    assert_string_equal(fix_for(f, "apache"),
                        "SSLCipherSuite ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:"
                        "DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-SHA384:"
                        "ECDHE-RSA-AES256-SHA:DHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA:AES256-SHA:AES256-SHA256");
    assert_non_null(strstr(fix_for(f, "nginx"), "ssl_ciphers 'ECDHE-RSA-AES256-GCM-SHA384:"));
    assert_non_null(strstr(fix_for(f, "nginx"), ":AES256-SHA:AES256-SHA256';"));
    assert_non_null(strstr(fix_for(f, "haproxy"), "ssl-default-bind-ciphers ECDHE-RSA-AES256-GCM-SHA384:"));
    assert_non_null(strstr(fix_for(f, "haproxy"), "ciphers ECDHE-RSA"));
    assert_string_equal(f->source, "forum 20463; Digi 90002258");
    assert_false(pass);
    td_findings_free(&l);
}

static void test_key_size_wording(void **state)
{
    struct td_dx_input in;
    struct td_findings l;
    bool pass;

    (void)state;
    s_rsa_too_big_max_only(&in);
    td_findings_init(&l);
    assert_int_equal(td_diag_run(&in, &l, &pass), TD_ERR_OK);
    assert_string_equal(get(&l, "check.key-unsupported")->cause,
                        "the server's RSA key has 4096 bits; the device accepts at most 2048");
    td_findings_free(&l);
}

static void test_version_fix(void **state)
{
    struct td_dx_input in;
    struct td_findings l;
    bool pass;
    const struct td_finding *f;

    (void)state;
    s_tls13_only(&in);
    td_findings_init(&l);
    assert_int_equal(td_diag_run(&in, &l, &pass), TD_ERR_OK);
    f = get(&l, "check.no-common-version");
    assert_non_null(f);
    assert_string_equal(fix_for(f, "apache"), "SSLProtocol -all +TLSv1.3 +TLSv1.2");
    assert_string_equal(fix_for(f, "nginx"), "ssl_protocols TLSv1.3 TLSv1.2;");
    assert_non_null(strstr(f->evidence, "protocol_version"));
    td_findings_free(&l);
}

static void test_cipher_lines(void **state)
{
    struct td_cipher_lines cl;
    static const uint16_t cur[] = {0x1301, 0xc02f}; /* a TLS 1.3 suite is configured elsewhere */
    static const uint16_t add[] = {0x0035, 0xc02f};  /* already present: not repeated */
    static const uint16_t nul[] = {0x0002}; /* NULL-SHA: refused at the default security level */

    (void)state;
    td_diag_cipher_lines(cur, 2, add, 2, &cl);
    assert_string_equal(cl.openssl, "ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA");
    td_diag_cipher_lines(NULL, 0, add, 1, &cl);
    assert_string_equal(cl.nginx, "ssl_ciphers '<your current list>:AES256-SHA';");
    td_diag_cipher_lines(cur, 2, nul, 1, &cl);
    assert_string_equal(cl.openssl, "ECDHE-RSA-AES128-GCM-SHA256:NULL-SHA:@SECLEVEL=0");
}

static void test_suites_to_add(void **state)
{
    struct td_dx_input in;
    uint16_t out[4];

    (void)state;
    xbee(&in);
    assert_int_equal(td_diag_suites_to_add(&in, "RSA", out, 4), 2);
    assert_int_equal(out[0], 0x0035);
    assert_int_equal(td_diag_suites_to_add(&in, "EC", out, 4), 0);
    assert_int_equal(td_diag_suites_to_add(&in, "RSA", out, 1), 1);
    /* A TLS 1.3-only server shares no version: nothing to add. */
    in.srv.versions_known = TD_DX_YES;
    in.srv.nversions = 1;
    in.srv.versions[0] = 0x0304;
    assert_int_equal(td_diag_suites_to_add(&in, "RSA", out, 4), 0);
    /* The strongest first: a device that lists RC4 and 3DES before AES
     * gets AES suggested first, then 3DES (weak), then RC4 (insecure). */
    xbee(&in);
    in.dev.nsuites = 3;
    in.dev.suites[0] = 0x0005; /* RSA RC4_128_SHA */
    in.dev.suites[1] = 0x000A; /* RSA 3DES_EDE_CBC_SHA */
    in.dev.suites[2] = 0x002F; /* RSA AES_128_CBC_SHA */
    assert_int_equal(td_diag_suites_to_add(&in, "RSA", out, 4), 3);
    assert_int_equal(out[0], 0x002F);
    assert_int_equal(out[1], 0x000A);
    assert_int_equal(out[2], 0x0005);
}

/* A suggestion of a weak suite says so. */
static void test_weak_suggestion_is_marked(void **state)
{
    struct td_dx_input in;
    struct td_findings l;
    bool pass = true, seen = false;

    (void)state;
    xbee(&in);
    seed_server(&in);
    in.dev.nsuites = 1;
    in.dev.suites[0] = 0x000A; /* only 3DES, as the SARA-R5 profile lists */
    td_findings_init(&l);
    assert_int_equal(td_diag_run(&in, &l, &pass), TD_ERR_OK);
    assert_false(pass);
    for (size_t i = 0; i < l.n; i++)
        if (strcmp(l.v[i].id, "check.no-common-suite") == 0) {
            seen = true;
            assert_non_null(strstr(l.v[i].cause, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
            assert_non_null(strstr(l.v[i].cause, "[weak: 64-bit block cipher (SWEET32)]"));
        }
    assert_true(seen);
    td_findings_free(&l);
}

static void test_rule_table(void **state)
{
    (void)state;
    assert_true(td_diag_rule_count() >= 14);
    for (size_t i = 0; i < td_diag_rule_count(); i++) {
        const struct td_rule *r = td_diag_rule_at(i);
        assert_non_null(r);
        assert_int_equal(strncmp(r->id, "check.", 6), 0);
        assert_non_null(r->fn);
    }
    assert_null(td_diag_rule_at(td_diag_rule_count()));
}

/* The text of a file of the source tree, NUL-terminated (core's reader;
 * the caller frees it). */
static char *slurp(const char *rel)
{
    char path[1024], why[256] = "over the 1 MiB test cap";
    struct td_writer w;
    char *text;

    snprintf(path, sizeof(path), "%s/%s", TD_SOURCE_DIR, rel);
    td_wr_init(&w, 1u << 20);
    if (td_file_read(path, &w, why, sizeof(why)) != TD_ERR_OK || td_wr_u8(&w, 0) != TD_ERR_OK)
        fail_msg("%s", why);
    text = calloc(1, w.len);
    assert_non_null(text);
    memcpy(text, w.buf, w.len);
    td_wr_free(&w);
    return text;
}

/* Every "check.x" id the code emits (string literals in the files that
 * emit them) is in docs/findings.md under "## check", and every id
 * documented there is emitted somewhere: ids cannot drift either way. */
static void test_ids_documented(void **state)
{
    static const char *const srcs[] = {"src/diag/rules.c", "src/check/compat.c"};
    char *doc = slurp("docs/findings.md");
    char *section = strstr(doc, "\n## check");
    char *code[2];
    size_t found = 0;
    (void)state;

    assert_non_null(section);
    for (size_t i = 0; i < 2; i++)
        code[i] = slurp(srcs[i]);
    /* code -> docs */
    for (size_t i = 0; i < 2; i++) {
        for (const char *p = code[i]; (p = strstr(p, "\"check.")) != NULL; p++) {
            char id[64], quoted[70];
            size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz0123456789.-");
            if (p[1 + n] != '"' || n == strlen("check.") || n >= sizeof(id))
                continue; /* a prefix such as "check." itself */
            memcpy(id, p + 1, n);
            id[n] = '\0';
            snprintf(quoted, sizeof(quoted), "`%s`", id);
            if (strstr(section, quoted) == NULL)
                fail_msg("%s emits %s, which docs/findings.md does not document", srcs[i], id);
            found++;
        }
    }
    assert_true(found >= 20);
    /* docs -> code */
    for (const char *p = section; (p = strstr(p, "`check.")) != NULL; p++) {
        char quoted[70];
        size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz0123456789.-");
        bool used = false;
        if (p[1 + n] != '`' || n + 3 > sizeof(quoted))
            continue;
        snprintf(quoted, sizeof(quoted), "\"%.*s\"", (int)n, p + 1);
        for (size_t i = 0; i < 2; i++)
            used = used || strstr(code[i], quoted) != NULL;
        if (!used)
            fail_msg("docs/findings.md documents %s, which no rule emits", quoted);
    }
    /* The rule table's ids are among them. */
    for (size_t i = 0; i < td_diag_rule_count(); i++) {
        char quoted[70];
        snprintf(quoted, sizeof(quoted), "`%s`", td_diag_rule_at(i)->id);
        if (strstr(section, quoted) == NULL)
            fail_msg("rule table id %s is not documented", td_diag_rule_at(i)->id);
    }
    for (size_t i = 0; i < 2; i++)
        free(code[i]);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenarios),   cmocka_unit_test(test_seed_fix_lines), cmocka_unit_test(test_version_fix),
        cmocka_unit_test(test_key_size_wording),
        cmocka_unit_test(test_cipher_lines), cmocka_unit_test(test_suites_to_add), cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_ids_documented), cmocka_unit_test(test_weak_suggestion_is_marked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
