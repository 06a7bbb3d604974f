/* x509/: PEM block splitting with offsets and lines, layout quirks, strict
 * base64, truncation sweeps over real files (fuzz/corpus/certload), key
 * syntax detection, name checks and time parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/mem.h"
#include "x509/pem.h"
#include "x509/verify.h"
#include "x509/x509.h"

#define CORPUS "fuzz/corpus/certload/"

static uint8_t *slurp(const char *name, size_t *n)
{
    char path[512];
    FILE *f;
    uint8_t *buf;
    long len;

    snprintf(path, sizeof(path), "%s%s", CORPUS, name);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    len = ftell(f);
    assert_true(len > 0);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    buf = malloc((size_t)len);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return buf;
}

/* ---- base64 ------------------------------------------------------------ */

static void test_base64_table(void **state)
{
    static const struct {
        const char *in;
        td_err want;
        const char *out;
        size_t outlen;
    } v[] = {
        {"TWFu", TD_ERR_OK, "Man", 3},
        {"TWE=", TD_ERR_OK, "Ma", 2},
        {"TQ==", TD_ERR_OK, "M", 1},
        {"", TD_ERR_OK, "", 0},
        {"TQ=", TD_ERR_BADVALUE, NULL, 0},   /* length not a multiple of 4 */
        {"TQ===", TD_ERR_BADVALUE, NULL, 0}, /* too much padding */
        {"T=Q=", TD_ERR_BADVALUE, NULL, 0},  /* data after padding */
        {"TR==", TD_ERR_BADVALUE, NULL, 0},  /* non-zero leftover bits */
        {"TW!u", TD_ERR_BADVALUE, NULL, 0},  /* not base64 */
        {"TWFu TWFu", TD_ERR_BADVALUE, NULL, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        uint8_t out[16];
        size_t outlen = 99, bad = 0;
        td_err e = td_base64_decode(v[i].in, strlen(v[i].in), out, sizeof(out), &outlen, &bad);
        assert_int_equal(e, v[i].want);
        if (e == TD_ERR_OK) {
            assert_int_equal(outlen, v[i].outlen);
            assert_memory_equal(out, v[i].out, outlen);
        }
    }
}

/* ---- PEM splitting --------------------------------------------------------- */

static void test_pem_blocks_offsets(void **state)
{
    static const char text[] = "junk before\n"                 /* line 1 */
                               "-----BEGIN CERTIFICATE-----\n" /* line 2, offset 12 */
                               "TWFu\n"
                               "-----END CERTIFICATE-----\n"
                               "\n"
                               "-----BEGIN RSA PRIVATE KEY-----\n" /* line 6 */
                               "Proc-Type: 4,ENCRYPTED\n"
                               "DEK-Info: AES-256-CBC,00\n"
                               "\n"
                               "TWE=\n"
                               "-----END RSA PRIVATE KEY-----\n";
    struct td_pem_scan s;
    struct td_diag d;
    (void)state;

    td_diag_init(&d);
    assert_int_equal(td_pem_scan((const uint8_t *)text, strlen(text), &s, &d), TD_ERR_OK);
    assert_int_equal(s.nblocks, 2);
    assert_string_equal(s.blocks[0].label, "CERTIFICATE");
    assert_int_equal(s.blocks[0].offset, 12);
    assert_int_equal(s.blocks[0].line, 2);
    assert_int_equal(s.blocks[0].end_line, 4);
    assert_int_equal(s.blocks[0].end, 12 + 28 + 5 + 26);
    assert_int_equal(s.blocks[0].der_len, 3);
    assert_memory_equal(s.blocks[0].der, "Man", 3);
    assert_false(s.blocks[0].has_headers);
    assert_string_equal(s.blocks[1].label, "RSA PRIVATE KEY");
    assert_int_equal(s.blocks[1].line, 6);
    assert_true(s.blocks[1].has_headers);
    assert_true(s.blocks[1].proc_encrypted);
    assert_int_equal(s.blocks[1].der_len, 2);
    assert_true(s.quirks & TD_PEM_Q_OUTSIDE_TEXT);
    assert_int_equal(s.quirk_line[5], 1);
    assert_false(s.quirks & TD_PEM_Q_CRLF);
    td_pem_scan_free(&s);
}

static void test_pem_quirks(void **state)
{
    static const struct {
        const char *text;
        unsigned quirk;
        size_t line;
    } v[] = {
        {"\xEF\xBB\xBF-----BEGIN X-----\nTWFu\n-----END X-----\n", TD_PEM_Q_BOM, 1},
        {"-----BEGIN X-----\r\nTWFu\r\n-----END X-----\r\n", TD_PEM_Q_CRLF, 1},
        {"-----BEGIN X-----\nTWFu\r\n-----END X-----\n", TD_PEM_Q_MIXED_EOL, 1},
        {"-----BEGIN X-----\nTWFu  \n-----END X-----\n", TD_PEM_Q_TRAILING_WS, 2},
        {"-----BEGIN X-----\n  TWFu\n-----END X-----\n", TD_PEM_Q_LEADING_WS, 2},
        {"-----BEGIN X-----\nTWFu\n-----END X-----", TD_PEM_Q_NO_FINAL_EOL, 3},
        {"-----BEGIN X-----\nTWFu\n\nTWFu\n-----END X-----\n", TD_PEM_Q_BLANK_IN_BODY, 3},
        {"-----BEGIN X-----\rTWFu\r-----END X-----\r", TD_PEM_Q_CR_ONLY, 1},
        {"-----BEGIN X-----\n"
         "TWFuTWFuTWFuTWFuTWFuTWFuTWFuTWFuTWFuTWFuTWFuTWFuTWFuTWFuTWFuTWFuTWFu\n"
         "-----END X-----\n",
         TD_PEM_Q_LONG_LINE, 2},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        struct td_pem_scan s;
        struct td_diag d;
        unsigned idx = 0;
        td_diag_init(&d);
        assert_int_equal(td_pem_scan((const uint8_t *)v[i].text, strlen(v[i].text), &s, &d), TD_ERR_OK);
        assert_int_equal(s.nblocks, 1);
        assert_true(s.quirks & v[i].quirk);
        while ((1u << idx) != v[i].quirk)
            idx++;
        assert_int_equal(s.quirk_line[idx], v[i].line);
        assert_string_not_equal(td_pem_quirk_name(v[i].quirk), "unknown");
        td_pem_scan_free(&s);
    }
}

static void test_pem_errors(void **state)
{
    static const struct {
        const char *text;
        td_err want;
        const char *detail;
    } v[] = {
        {"no pem here\n", TD_ERR_NOTFOUND, "no '-----BEGIN"},
        {"-----BEGIN CERTIFICATE-----\nTWFu\n", TD_ERR_TRUNCATED, "no END line"},
        {"-----BEGIN CERTIFICATE-----\nTWFu\n-----END X509 CRL-----\n", TD_ERR_BADVALUE, "does not match"},
        {"-----BEGIN CERTIFICATE-----\nTW#u\n-----END CERTIFICATE-----\n", TD_ERR_BADVALUE, "line 2 column 3"},
        {"-----BEGIN CERTIFICATE-----\nTWF\n-----END CERTIFICATE-----\n", TD_ERR_BADVALUE, "padding"},
        {"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", TD_ERR_TRUNCATED, "empty"},
        {"----------\n-----BEGIN -----\n", TD_ERR_BADVALUE, "label is empty"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        struct td_pem_scan s;
        struct td_diag d;
        td_diag_init(&d);
        assert_int_equal(td_pem_scan((const uint8_t *)v[i].text, strlen(v[i].text), &s, &d), v[i].want);
        assert_non_null(strstr(d.detail, v[i].detail));
        td_pem_scan_free(&s);
    }
}

/* ---- loading real files ------------------------------------------------------ */

static const struct {
    const char *file;
    size_t certs, keys;
    bool pem;
    int key_syntax; /* -1 none */
    bool encrypted;
} corpus[] = {
    {"root-ec.pem", 1, 0, true, -1, false},
    {"leaf-ec-san.pem", 1, 0, true, -1, false},
    {"leaf-ec.der", 1, 0, false, -1, false},
    {"bundle-leaf-root.pem", 2, 0, true, -1, false},
    {"leaf-crlf.pem", 1, 0, true, -1, false},
    {"leaf-bom.pem", 1, 0, true, -1, false},
    {"leaf-text-ws.pem", 1, 0, true, -1, false},
    {"key-rsa-pkcs1.pem", 0, 1, true, TD_KEY_PKCS1, false},
    {"key-rsa-pkcs8.pem", 0, 1, true, TD_KEY_PKCS8, false},
    {"key-ec-pkcs8-encrypted.pem", 0, 1, true, TD_KEY_PKCS8_ENCRYPTED, true},
    {"key-rsa-legacy-encrypted.pem", 0, 1, true, TD_KEY_LEGACY_ENCRYPTED, true},
    {"key-ec-sec1.pem", 0, 1, true, TD_KEY_SEC1, false},
    {"key-rsa-pkcs1.der", 0, 1, false, TD_KEY_PKCS1, false},
    {"key-ec-pkcs8.der", 0, 1, false, TD_KEY_PKCS8, false},
    {"cert-and-key.pem", 1, 1, true, TD_KEY_SEC1, false},
};

static void test_load_corpus(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
        size_t n;
        uint8_t *buf = slurp(corpus[i].file, &n);
        struct td_x509_file f;
        char err[512] = "";
        td_err e = td_x509_load(buf, n, corpus[i].file, &f, err, sizeof(err));
        if (e != TD_ERR_OK)
            fail_msg("%s: %s", corpus[i].file, err);
        assert_int_equal(f.ncerts, corpus[i].certs);
        assert_int_equal(f.nkeys, corpus[i].keys);
        assert_int_equal(f.pem, corpus[i].pem);
        if (corpus[i].key_syntax >= 0) {
            const struct td_x509_obj *k = td_x509_first_key(&f);
            assert_non_null(k);
            assert_int_equal(k->key.syntax, corpus[i].key_syntax);
            assert_int_equal(k->key.encrypted, corpus[i].encrypted);
        }
        td_x509_file_free(&f);
        free(buf);
    }
}

static void test_cert_fields(void **state)
{
    size_t n;
    uint8_t *buf = slurp("bundle-leaf-root.pem", &n);
    struct td_x509_file f;
    char err[512];
    const struct td_x509_obj *leaf, *root;
    (void)state;

    assert_int_equal(td_x509_load(buf, n, "bundle", &f, err, sizeof(err)), TD_ERR_OK);
    leaf = td_x509_cert_at(&f, 0);
    root = td_x509_cert_at(&f, 1);
    assert_non_null(leaf);
    assert_non_null(root);
    assert_null(td_x509_cert_at(&f, 2));
    assert_int_equal(leaf->line, 1);
    assert_int_equal(root->line, leaf->end_line + 1);
    assert_int_equal(root->offset, leaf->end);
    assert_int_equal(leaf->cert.ncn, 1);
    assert_string_equal(leaf->cert.cn[0], "fuzz.example");
    assert_int_equal(leaf->cert.ndns, 1);
    assert_int_equal(leaf->cert.nip, 1);
    assert_string_equal(leaf->cert.ip[0], "192.0.2.1");
    assert_false(leaf->cert.is_ca);
    assert_false(leaf->cert.self_signed);
    assert_true(root->cert.is_ca);
    assert_true(root->cert.self_signed);
    assert_string_equal(leaf->cert.key.type, "EC");
    assert_string_equal(leaf->cert.key.curve, "prime256v1");
    assert_string_equal(leaf->cert.sig_hash, "SHA256");
    assert_int_equal(leaf->cert.version, 3);
    assert_int_equal(strlen(leaf->cert.sha256), 95);
    td_x509_file_free(&f);
    free(buf);
}

static void test_key_match(void **state)
{
    size_t n;
    uint8_t *buf = slurp("cert-and-key.pem", &n), *b2;
    struct td_x509_file f, g;
    char err[512];
    (void)state;

    assert_int_equal(td_x509_load(buf, n, "ck", &f, err, sizeof(err)), TD_ERR_OK);
    assert_int_equal(td_x509_key_matches(td_x509_cert_at(&f, 0), td_x509_first_key(&f)), 1);
    b2 = slurp("key-rsa-pkcs1.pem", &n);
    assert_int_equal(td_x509_load(b2, n, "k", &g, err, sizeof(err)), TD_ERR_OK);
    assert_int_equal(td_x509_key_matches(td_x509_cert_at(&f, 0), td_x509_first_key(&g)), 0);
    td_x509_file_free(&g);
    free(b2);
    b2 = slurp("key-ec-pkcs8-encrypted.pem", &n);
    assert_int_equal(td_x509_load(b2, n, "k", &g, err, sizeof(err)), TD_ERR_OK);
    assert_int_equal(td_x509_key_matches(td_x509_cert_at(&f, 0), td_x509_first_key(&g)), -1);
    td_x509_file_free(&g);
    free(b2);
    td_x509_file_free(&f);
    free(buf);
}

/* Every prefix of every real file, in an exact-size heap copy: fails cleanly
 * with a message, or (for a prefix that is still a whole file) loads. */
static void test_truncation_sweep(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
        size_t n;
        uint8_t *buf = slurp(corpus[i].file, &n);
        for (size_t cut = 0; cut < n; cut++) {
            uint8_t *p = malloc(cut > 0 ? cut : 1);
            struct td_x509_file f;
            char err[512];
            assert_non_null(p);
            memcpy(p, buf, cut);
            err[0] = '\0';
            if (td_x509_load(p, cut, "cut", &f, err, sizeof(err)) != TD_ERR_OK)
                assert_true(strncmp(err, "cut: ", 5) == 0);
            else
                assert_true(f.ncerts + f.nkeys <= corpus[i].certs + corpus[i].keys);
            td_x509_file_free(&f);
            free(p);
        }
        free(buf);
    }
}

/* ---- names, times ------------------------------------------------------------- */

static void test_cn_only_and_ip(void **state)
{
    char a[] = "Device.Example", b[] = "192.0.2.10";
    char *cn[] = {a, b};
    (void)state;
    assert_true(td_x509_cn_only_match(cn, 2, "device.example"));
    assert_true(td_x509_cn_only_match(cn, 2, "192.0.2.10"));
    assert_false(td_x509_cn_only_match(cn, 2, "x.device.example"));
    assert_false(td_x509_cn_only_match(cn, 0, "device.example"));
    assert_true(td_x509_is_ip("192.0.2.1"));
    assert_true(td_x509_is_ip("2001:db8::1"));
    assert_false(td_x509_is_ip("device.example"));
    assert_false(td_x509_is_ip("192.0.2"));
}

static void test_check_name(void **state)
{
    size_t n;
    uint8_t *buf = slurp("self-signed-ip-cn.pem", &n);
    struct td_x509_file f;
    char err[512];
    int std, cn;
    const struct td_x509_obj *c;
    (void)state;

    assert_int_equal(td_x509_load(buf, n, "ip", &f, err, sizeof(err)), TD_ERR_OK);
    c = td_x509_cert_at(&f, 0);
    assert_int_equal(td_x509_check_name(c->der, c->der_len, "192.0.2.10", &std, &cn), TD_ERR_OK);
    assert_int_equal(std, 0); /* an IP is matched only against IP SANs */
    assert_int_equal(cn, 1);  /* a CN-only checker accepts it */
    assert_int_equal(td_x509_check_name(c->der, 3, "x", &std, &cn), TD_ERR_BADVALUE);
    td_x509_file_free(&f);
    free(buf);
}

static void test_time_parse(void **state)
{
    static const struct {
        const char *in;
        td_err want;
        long long t;
    } v[] = {
        {"2020-01-01", TD_ERR_OK, 1577836800},
        {"2020-01-01T12:00:00Z", TD_ERR_OK, 1577880000},
        {"2020-01-01T12:00Z", TD_ERR_OK, 1577880000},
        {"20200101120000Z", TD_ERR_OK, 1577880000},
        {"@86400", TD_ERR_OK, 86400},
        {"now", TD_ERR_OK, 42},
        {"2020-13-01", TD_ERR_BADVALUE, 0},
        {"2020-01-01X", TD_ERR_BADVALUE, 0},
        {"yesterday", TD_ERR_BADVALUE, 0},
        {"@", TD_ERR_BADVALUE, 0},
        {"", TD_ERR_BADVALUE, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        time_t t = 0;
        assert_int_equal(td_x509_time_parse(v[i].in, 42, &t), v[i].want);
        if (v[i].want == TD_ERR_OK)
            assert_int_equal((long long)t, v[i].t);
    }
}

static void test_verify_input_errors(void **state)
{
    struct td_verify_req req;
    struct td_verify_result res;
    struct td_der bad = {(const uint8_t *)"\x30\x03\x02\x01\x00", 5};
    (void)state;

    memset(&req, 0, sizeof(req));
    req.level = 4;
    assert_int_equal(td_x509_verify(&req, &res), TD_ERR_INPUT);
    req.level = 1;
    assert_int_equal(td_x509_verify(&req, &res), TD_ERR_INPUT); /* no chain */
    req.chain = &bad;
    req.nchain = 1;
    assert_int_equal(td_x509_verify(&req, &res), TD_ERR_INPUT);
    assert_non_null(strstr(res.reason, "server chain certificate 1"));
    req.level = 2;
    assert_int_equal(td_x509_verify(&req, &res), TD_ERR_INPUT); /* no host */
}

/* The one-line name summary used by verify's explanation and certlint's
 * evidence: every kind listed, "none" for an empty one, cut at cap. */
static void test_names_line(void **state)
{
    struct td_cert_info ci;
    char buf[128], tiny[12];
    (void)state;

    memset(&ci, 0, sizeof(ci));
    td_x509_names_line(&ci, buf, sizeof(buf));
    assert_string_equal(buf, "CN: none; SAN DNS: none; SAN IP: none");
    ci.cn[0] = (char *)"192.0.2.10";
    ci.ncn = 1;
    ci.dns[0] = (char *)"a.example";
    ci.dns[1] = (char *)"b.example";
    ci.ndns = 2;
    td_x509_names_line(&ci, buf, sizeof(buf));
    assert_string_equal(buf, "CN: 192.0.2.10; SAN DNS: a.example, b.example; SAN IP: none");
    td_x509_names_line(&ci, tiny, sizeof(tiny));
    assert_string_equal(tiny, "CN: 192.0.2");
}

/* A CertificateRequest's CA name: DER Name -> one line; anything that is
 * not exactly one Name (a prefix, trailing bytes) is refused. */
static void test_dn_oneline(void **state)
{
    /* SEQUENCE { SET { SEQUENCE { OID 2.5.4.3 (CN), UTF8String "ab" } } } */
    static const uint8_t dn[] = {0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03,
                                 0x55, 0x04, 0x03, 0x0c, 0x02, 0x61, 0x62};
    uint8_t more[sizeof(dn) + 1];
    char buf[64];
    (void)state;
    assert_int_equal(td_x509_dn_oneline(dn, sizeof(dn), buf, sizeof(buf)), TD_ERR_OK);
    assert_string_equal(buf, "CN = ab");
    assert_int_equal(td_x509_dn_oneline(dn, sizeof(dn), buf, 4), TD_ERR_OK); /* cut, still terminated */
    assert_string_equal(buf, "CN ");
    for (size_t n = 0; n < sizeof(dn); n++) {
        assert_int_equal(td_x509_dn_oneline(dn, n, buf, sizeof(buf)), TD_ERR_BADVALUE);
        assert_string_equal(buf, "");
    }
    memcpy(more, dn, sizeof(dn));
    more[sizeof(dn)] = 0;
    assert_int_equal(td_x509_dn_oneline(more, sizeof(more), buf, sizeof(buf)), TD_ERR_BADVALUE);
    /* a control byte in the name is shown as '?', not passed through */
    memcpy(more, dn, sizeof(dn));
    more[13] = 0x07;
    assert_int_equal(td_x509_dn_oneline(more, sizeof(dn), buf, sizeof(buf)), TD_ERR_OK);
    assert_null(strchr(buf, 0x07));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64_table),   cmocka_unit_test(test_pem_blocks_offsets),
        cmocka_unit_test(test_pem_quirks),     cmocka_unit_test(test_pem_errors),
        cmocka_unit_test(test_load_corpus),    cmocka_unit_test(test_cert_fields),
        cmocka_unit_test(test_key_match),      cmocka_unit_test(test_truncation_sweep),
        cmocka_unit_test(test_cn_only_and_ip), cmocka_unit_test(test_check_name),
        cmocka_unit_test(test_time_parse),     cmocka_unit_test(test_verify_input_errors),
        cmocka_unit_test(test_names_line),     cmocka_unit_test(test_dn_oneline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
