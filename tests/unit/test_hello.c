/* hello/: the ClientHello builder, checked by decoding its output with
 * wire/, and the named mutators. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hello/hello.h"
#include "wire/clienthello.h"
#include "wire/record.h"
#include "wire_testutil.h"

static const uint16_t v12[] = {TD_V_TLS12};
static const uint16_t v13[] = {TD_V_TLS13, TD_V_TLS12};
static const uint16_t suites[] = {0xc02f, 0xc030, 0x009c, 0x0035};
static const uint16_t groups[] = {TD_GROUP_X25519, TD_GROUP_SECP256R1};
static const uint8_t pf[] = {0};
static const uint16_t sigalgs[] = {0x0804, 0x0403, 0x0401};
static const char *const alpn[] = {"h2", "http/1.1"};
static uint8_t x25519_pub[32];

static struct td_hello_spec base_spec(unsigned *ctr)
{
    struct td_hello_spec s;
    memset(&s, 0, sizeof(s));
    s.versions = v12;
    s.n_versions = 1;
    s.suites = suites;
    s.n_suites = TD_ARRAY_LEN(suites);
    s.random = tu_counter_random;
    s.random_arg = ctr;
    return s;
}

/* Builds, then decodes with td_ch_parse_any; *buf is kept for views. */
static td_err build_decode(const struct td_hello_spec *s, struct td_client_hello *ch, uint8_t **buf, size_t *len)
{
    struct td_writer w;
    struct td_diag d;
    td_err ret;

    td_diag_init(&d);
    td_wr_init(&w, TD_HELLO_CAP);
    ret = td_hello_build(s, &w, &d);
    if (ret != TD_ERR_OK) {
        td_wr_free(&w);
        return ret;
    }
    *buf = tu_dup(w.buf, w.len);
    *len = w.len;
    td_wr_free(&w);
    td_diag_init(&d);
    ret = td_ch_parse_any(*buf, *len, &d, ch);
    if (ret != TD_ERR_OK) {
        char msg[256];
        td_diag_format(&d, msg, sizeof(msg));
        print_error("decode: %s\n", msg);
    }
    return ret;
}

static void test_minimal_tls12(void **state)
{
    unsigned ctr = 0;
    struct td_hello_spec s = base_spec(&ctr);
    struct td_client_hello ch;
    uint8_t *buf;
    size_t len;
    (void)state;

    s.record = true;
    assert_int_equal(build_decode(&s, &ch, &buf, &len), TD_ERR_OK);
    /* record header: handshake, TLS 1.0 record version (the default) */
    assert_int_equal(buf[0], TD_CT_HANDSHAKE);
    assert_int_equal(buf[1] << 8 | buf[2], TD_V_TLS10);
    assert_int_equal(ch.legacy_version, TD_V_TLS12);
    assert_int_equal(td_ch_suite_count(&ch), 4);
    assert_int_equal(td_ch_suite_at(&ch, 0), 0xc02f);
    assert_int_equal(td_ch_suite_at(&ch, 3), 0x0035);
    /* injected randomness: the counter's first 32 bytes */
    assert_int_equal(td_list_at(ch.random, 1, 0), 0);
    assert_int_equal(td_list_at(ch.random, 1, 31), 31);
    assert_int_equal(ch.session_id.len, 0);
    assert_int_equal(ch.compression_methods.len, 1);
    assert_true(ch.has_extensions);
    assert_int_equal(ch.ext.count, 0);
    assert_null(ch.ext.sni_host.p);
    free(buf);
}

static void test_full_tls13(void **state)
{
    unsigned ctr = 100;
    struct td_hello_spec s = base_spec(&ctr);
    struct td_key_share ks = {TD_GROUP_X25519, {x25519_pub, sizeof(x25519_pub), 0}};
    struct td_client_hello ch;
    struct td_key_share got;
    struct td_bytes proto;
    uint8_t *buf;
    size_t len;
    (void)state;

    s.versions = v13;
    s.n_versions = 2;
    s.sni = "device.example.com";
    s.groups = groups;
    s.n_groups = 2;
    s.point_formats = pf;
    s.n_point_formats = 1;
    s.sigalgs = sigalgs;
    s.n_sigalgs = 3;
    s.alpn = alpn;
    s.n_alpn = 2;
    s.max_fragment_length = 2;
    s.ems = s.renegotiation_info = s.session_ticket = s.status_request = s.encrypt_then_mac = true;
    s.record_size_limit = 4096;
    s.key_shares = &ks;
    s.n_key_shares = 1;
    s.psk_dhe_ke = true;
    s.session_id_len = 32;
    s.scsv_renegotiation = true;
    s.scsv_fallback = true;
    assert_int_equal(build_decode(&s, &ch, &buf, &len), TD_ERR_OK);
    assert_int_equal(ch.legacy_version, TD_V_TLS12); /* RFC 8446 4.1.2 */
    assert_int_equal(td_ch_max_version(&ch), TD_V_TLS13);
    assert_int_equal(td_ch_suite_count(&ch), 6);
    assert_int_equal(td_ch_suite_at(&ch, 4), TD_SUITE_EMPTY_RENEGOTIATION_INFO_SCSV);
    assert_int_equal(td_ch_suite_at(&ch, 5), TD_SUITE_FALLBACK_SCSV);
    assert_int_equal(ch.session_id.len, 32);
    assert_int_equal(ch.ext.sni_host.len, strlen("device.example.com"));
    assert_memory_equal(ch.ext.sni_host.p, "device.example.com", ch.ext.sni_host.len);
    assert_int_equal(td_list_count(ch.ext.groups, 2), 2);
    assert_int_equal(td_list_at(ch.ext.sigalgs, 2, 2), 0x0401);
    assert_int_equal(ch.ext.alpn_count, 2);
    assert_true(td_exts_alpn_at(&ch.ext, 1, &proto));
    assert_memory_equal(proto.p, "http/1.1", 8);
    assert_int_equal(ch.ext.max_fragment_length, 2);
    assert_true(td_exts_has(&ch.ext, TD_EXT_EXTENDED_MASTER_SECRET));
    assert_true(td_exts_has(&ch.ext, TD_EXT_ENCRYPT_THEN_MAC));
    assert_true(td_exts_has(&ch.ext, TD_EXT_SESSION_TICKET));
    assert_true(td_exts_has(&ch.ext, TD_EXT_RENEGOTIATION_INFO));
    assert_int_equal(ch.ext.reneg_info.len, 0);
    assert_int_equal(ch.ext.status_type, 1);
    assert_int_equal(ch.ext.record_size_limit, 4096);
    assert_int_equal(ch.ext.key_share_count, 1);
    assert_true(td_exts_key_share_at(&ch.ext, 0, &got));
    assert_int_equal(got.group, TD_GROUP_X25519);
    assert_int_equal(got.key.len, 32);
    assert_true(td_exts_has(&ch.ext, TD_EXT_PSK_KEY_EXCHANGE_MODES));
    assert_int_equal(ch.ext.not_allowed, 0);
    free(buf);
}

/* Same spec, same injected randomness: the same bytes. */
static void test_deterministic(void **state)
{
    unsigned c1 = 7, c2 = 7;
    struct td_hello_spec s1 = base_spec(&c1), s2 = base_spec(&c2);
    struct td_writer w1, w2;
    (void)state;

    s1.sni = s2.sni = "a.example";
    s1.session_id_len = s2.session_id_len = 32;
    td_wr_init(&w1, TD_HELLO_CAP);
    td_wr_init(&w2, TD_HELLO_CAP);
    assert_int_equal(td_hello_build(&s1, &w1, NULL), TD_ERR_OK);
    assert_int_equal(td_hello_build(&s2, &w2, NULL), TD_ERR_OK);
    assert_int_equal(w1.len, w2.len);
    assert_memory_equal(w1.buf, w2.buf, w1.len);
    td_wr_free(&w1);
    td_wr_free(&w2);
}

/* RFC 6066 3: IP literals are not host names; the builder refuses them. */
static void test_sni_refusals(void **state)
{
    static const struct {
        const char *name;
        bool ok;
    } cases[] = {
        {"66.230.114.174", false}, {"127.1", false},         {"::1", false},      {"[2001:db8::1]", false},
        {"2001:db8::1", false},    {"example.com.", false},  {"", false},         {"has space.com", false},
        {"example.com", true},     {"xbee-1.example", true}, {"1.example", true}, {"localhost", true},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        unsigned ctr = 0;
        struct td_hello_spec s = base_spec(&ctr);
        struct td_writer w;
        struct td_diag d;
        td_diag_init(&d);
        s.sni = cases[i].name;
        td_wr_init(&w, TD_HELLO_CAP);
        if (cases[i].ok) {
            assert_int_equal(td_hello_build(&s, &w, &d), TD_ERR_OK);
        } else {
            assert_int_equal(td_hello_build(&s, &w, &d), TD_ERR_BADVALUE);
            assert_string_equal(d.field, "server_name");
        }
        td_wr_free(&w);
    }
    assert_true(td_hello_is_ip_literal("10.0.0.1"));
    assert_false(td_hello_is_ip_literal("10.0.0.1.example"));
}

static void test_spec_refusals(void **state)
{
    unsigned ctr = 0;
    struct td_hello_spec s;
    struct td_writer w;
    (void)state;

    td_wr_init(&w, TD_HELLO_CAP);
    s = base_spec(&ctr);
    s.n_suites = 0;
    assert_int_equal(td_hello_build(&s, &w, NULL), TD_ERR_USAGE);
    s = base_spec(&ctr);
    s.random = NULL;
    assert_int_equal(td_hello_build(&s, &w, NULL), TD_ERR_USAGE);
    s = base_spec(&ctr);
    s.max_fragment_length = 5;
    assert_int_equal(td_hello_build(&s, &w, NULL), TD_ERR_BADVALUE);
    s = base_spec(&ctr);
    s.record_size_limit = 63;
    assert_int_equal(td_hello_build(&s, &w, NULL), TD_ERR_BADVALUE);
    s = base_spec(&ctr);
    s.session_id_len = 33;
    assert_int_equal(td_hello_build(&s, &w, NULL), TD_ERR_USAGE);
    {
        static const char *const bad_alpn[] = {"h2", ""};
        struct td_key_share empty = {TD_GROUP_X25519, {NULL, 0, 0}};
        s = base_spec(&ctr);
        s.alpn = bad_alpn;
        s.n_alpn = 2;
        assert_int_equal(td_hello_build(&s, &w, NULL), TD_ERR_BADVALUE);
        s = base_spec(&ctr);
        s.key_shares = &empty;
        s.n_key_shares = 1;
        assert_int_equal(td_hello_build(&s, &w, NULL), TD_ERR_BADVALUE);
    }
    td_wr_free(&w);
}

/* Padding brings the handshake message to the target size (RFC 7685). */
static void test_padding(void **state)
{
    static const size_t targets[] = {512, 517, 1000};
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(targets); i++) {
        unsigned ctr = 0;
        struct td_hello_spec s = base_spec(&ctr);
        struct td_client_hello ch;
        uint8_t *buf;
        size_t len;
        s.sni = "example.com";
        s.pad_to = targets[i];
        assert_int_equal(build_decode(&s, &ch, &buf, &len), TD_ERR_OK);
        assert_int_equal(len, targets[i]); /* bare handshake message */
        assert_true(td_exts_has(&ch.ext, TD_EXT_PADDING));
        assert_false(ch.ext.padding_nonzero);
        free(buf);
    }
}

/* No extensions at all (SSLv3-era hello) and a legacy record version. */
static void test_no_extensions(void **state)
{
    static const uint16_t v3[] = {TD_V_SSL3};
    unsigned ctr = 0;
    struct td_hello_spec s = base_spec(&ctr);
    struct td_client_hello ch;
    uint8_t *buf;
    size_t len;
    (void)state;

    s.versions = v3;
    s.no_extensions = true;
    s.record = true;
    s.record_version = TD_V_SSL3;
    assert_int_equal(build_decode(&s, &ch, &buf, &len), TD_ERR_OK);
    assert_false(ch.has_extensions);
    assert_int_equal(ch.legacy_version, TD_V_SSL3);
    assert_int_equal(buf[2], 0x00);
    free(buf);
}

/* A hello over 2^14 bytes is split across records (RFC 8446 5.1). */
static void test_fragmented_record(void **state)
{
    unsigned ctr = 0;
    struct td_hello_spec s = base_spec(&ctr);
    struct td_writer w;
    struct td_reader r;
    struct td_record rec;
    struct td_hsbuf hb;
    struct td_hsmsg m;
    struct td_client_hello ch;
    struct td_reader body;
    bool ready = false;
    size_t records = 0;
    (void)state;

    s.record = true;
    s.pad_to = 20000;
    td_wr_init(&w, TD_HELLO_CAP);
    assert_int_equal(td_hello_build(&s, &w, NULL), TD_ERR_OK);
    td_hsbuf_init(&hb);
    td_rd_init(&r, w.buf, w.len, 0, NULL);
    while (!td_rd_empty(&r)) {
        assert_int_equal(td_record_parse(&r, &rec), TD_ERR_OK);
        assert_true(rec.body.len <= 16384);
        assert_int_equal(td_hsbuf_feed(&hb, rec.body.p, rec.body.len), TD_ERR_OK);
        records++;
    }
    assert_int_equal(records, 2);
    assert_int_equal(td_hsbuf_next(&hb, &m, &ready, NULL), TD_ERR_OK);
    assert_true(ready);
    assert_int_equal(m.whole.len, 20000);
    td_rd_init(&body, m.body.p, m.body.len, 4, NULL);
    assert_int_equal(td_ch_decode(&body, &ch), TD_ERR_OK);
    assert_true(ch.ext.padding_len > 19000);
    td_hsbuf_free(&hb);
    td_wr_free(&w);
}

/* Each mutator makes a hello the decoder rejects for the intended reason. */
static void test_mutators(void **state)
{
    static const struct {
        enum td_hello_mutation m;
        uint16_t arg;
        td_err want;
    } cases[] = {
        {TD_MUT_DUPLICATE_EXTENSION, TD_EXT_SERVER_NAME, TD_ERR_DUPLICATE},
        {TD_MUT_DUPLICATE_EXTENSION, TD_EXT_EXTENDED_MASTER_SECRET, TD_ERR_DUPLICATE},
        {TD_MUT_EXT_LENGTH_PLUS, TD_EXT_SUPPORTED_GROUPS, TD_ERR_TRAILING},
        {TD_MUT_SUITES_LENGTH_ODD, 0, TD_ERR_LENGTH},
        {TD_MUT_HS_LENGTH_PLUS, 0, TD_ERR_TRUNCATED},
        {TD_MUT_RECORD_LENGTH_PLUS, 0, TD_ERR_TRUNCATED},
        {TD_MUT_TRAILING_BYTE, 0, TD_ERR_TRAILING},
        {TD_MUT_EMPTY_COMPRESSION, 0, TD_ERR_LENGTH},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        unsigned ctr = 0;
        struct td_hello_spec s = base_spec(&ctr);
        struct td_writer w;
        struct td_client_hello ch;
        struct td_diag d;
        uint8_t *copy;
        td_err got;

        s.record = true;
        s.sni = "example.com";
        s.ems = true;
        s.groups = groups;
        s.n_groups = 2;
        td_wr_init(&w, TD_HELLO_CAP);
        assert_int_equal(td_hello_build(&s, &w, NULL), TD_ERR_OK);
        td_diag_init(&d);
        assert_int_equal(td_hello_mutate(&w, cases[i].m, cases[i].arg, &d), TD_ERR_OK);
        copy = tu_dup(w.buf, w.len);
        td_diag_init(&d);
        got = td_ch_parse_any(copy, w.len, &d, &ch);
        if (got != cases[i].want)
            fail_msg("%s: decoder said %s, expected %s", td_hello_mutation_name(cases[i].m), td_err_name(got),
                     td_err_name(cases[i].want));
        free(copy);
        td_wr_free(&w);
    }
}

static void test_mutator_missing_ext(void **state)
{
    unsigned ctr = 0;
    struct td_hello_spec s = base_spec(&ctr);
    struct td_writer w;
    (void)state;
    td_wr_init(&w, TD_HELLO_CAP);
    assert_int_equal(td_hello_build(&s, &w, NULL), TD_ERR_OK);
    assert_int_equal(td_hello_mutate(&w, TD_MUT_DUPLICATE_EXTENSION, TD_EXT_SERVER_NAME, NULL), TD_ERR_NOTFOUND);
    assert_int_equal(td_hello_mutate(&w, TD_MUT_RECORD_LENGTH_PLUS, 0, NULL), TD_ERR_USAGE);
    td_wr_free(&w);
}

/* SSLv2 CLIENT-HELLOs: a pure SSLv2 probe and a compatible hello. */
static void test_sslv2(void **state)
{
    static const uint32_t v2specs[] = {0x010080, 0x0700c0};
    static const uint16_t v2[] = {TD_V_SSL2};
    unsigned ctr = 0;
    struct td_hello_spec s = base_spec(&ctr);
    struct td_client_hello ch;
    uint8_t *buf;
    size_t len;
    (void)state;

    s.sslv2 = true;
    s.versions = v2;
    s.sslv2_specs = v2specs;
    s.n_sslv2_specs = 2;
    s.n_suites = 1;
    assert_int_equal(build_decode(&s, &ch, &buf, &len), TD_ERR_OK);
    assert_true(ch.sslv2);
    assert_int_equal(ch.legacy_version, TD_V_SSL2);
    assert_int_equal(td_ch_suite_count(&ch), 3);
    assert_int_equal(td_ch_suite_at(&ch, 0), 0x010080);
    assert_int_equal(td_ch_suite_at(&ch, 2), 0x00c02f);
    assert_int_equal(ch.random.len, 16);
    assert_int_equal(buf[0] & 0x80, 0x80);
    free(buf);
    /* compatible hello: version TLS 1.0, TLS suites only */
    s.versions = v12;
    s.legacy_version = TD_V_TLS10;
    s.n_sslv2_specs = 0;
    s.n_suites = 4;
    assert_int_equal(build_decode(&s, &ch, &buf, &len), TD_ERR_OK);
    assert_int_equal(ch.legacy_version, TD_V_TLS10);
    assert_true(td_ch_offers_suite(&ch, 0x0035));
    free(buf);
    /* SNI cannot be expressed */
    s.sni = "example.com";
    {
        struct td_writer w;
        td_wr_init(&w, TD_HELLO_CAP);
        assert_int_equal(td_hello_build(&s, &w, NULL), TD_ERR_USAGE);
        td_wr_free(&w);
    }
}

/* JA3 drops GREASE values (RFC 8701) and fails cleanly on a small buffer. */
static void test_ja3(void **state)
{
    static const uint16_t gsuites[] = {0x0a0a, 0xc02f, 0x0035};
    static const uint16_t ggroups[] = {0x1a1a, TD_GROUP_X25519};
    unsigned ctr = 0;
    struct td_hello_spec s = base_spec(&ctr);
    struct td_client_hello ch;
    uint8_t *buf;
    size_t len;
    char ja3[128];
    (void)state;

    s.suites = gsuites;
    s.n_suites = 3;
    s.groups = ggroups;
    s.n_groups = 2;
    s.point_formats = pf;
    s.n_point_formats = 1;
    s.ems = true;
    assert_int_equal(build_decode(&s, &ch, &buf, &len), TD_ERR_OK);
    assert_int_equal(td_ch_ja3(&ch, ja3, sizeof(ja3)), TD_ERR_OK);
    assert_string_equal(ja3, "771,49199-53,10-11-23,29,0");
    assert_int_equal(td_ch_ja3(&ch, ja3, 10), TD_ERR_TOOBIG);
    assert_string_equal(ja3, "");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_tls12), cmocka_unit_test(test_full_tls13),
        cmocka_unit_test(test_deterministic), cmocka_unit_test(test_sni_refusals),
        cmocka_unit_test(test_spec_refusals), cmocka_unit_test(test_padding),
        cmocka_unit_test(test_no_extensions), cmocka_unit_test(test_fragmented_record),
        cmocka_unit_test(test_mutators),      cmocka_unit_test(test_mutator_missing_ext),
        cmocka_unit_test(test_sslv2),         cmocka_unit_test(test_ja3),
    };
    for (size_t i = 0; i < sizeof(x25519_pub); i++)
        x25519_pub[i] = (uint8_t)(0x40 + i);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
