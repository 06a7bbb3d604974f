/* tlsio/fetch: key shares, certificate description, SHA-256, and a fetch
 * from a closed port (an observation, not an error). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tlsio/fetch.h"

static void test_keyshares(void **state)
{
    static const struct {
        uint16_t group;
        td_err want;
        size_t len;
        uint8_t first, last; /* 0xFF: any */
    } cases[] = {
        {0x001d, TD_ERR_OK, 32, 0xFF, 0xFF},   /* X25519 */
        {0x001e, TD_ERR_OK, 56, 0xFF, 0xFF},   /* X448 */
        {0x0017, TD_ERR_OK, 65, 0x04, 0xFF},   /* P-256, uncompressed */
        {0x0018, TD_ERR_OK, 97, 0x04, 0xFF},   /* P-384 */
        {0x0019, TD_ERR_OK, 133, 0x04, 0xFF},  /* P-521 */
        {0x0100, TD_ERR_OK, 256, 0x00, 0x02},  /* ffdhe2048: Y = 2, padded */
        {0x0104, TD_ERR_OK, 1024, 0x00, 0x02}, /* ffdhe8192 */
        {0x11ec, TD_ERR_UNSUPPORTED, 0, 0, 0}, /* a hybrid we cannot make */
        {0x0000, TD_ERR_UNSUPPORTED, 0, 0, 0},
        {0x0A0A, TD_ERR_UNSUPPORTED, 0, 0, 0}, /* GREASE */
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const uint8_t *p = NULL, *again = NULL;
        size_t len = 0, len2 = 0;
        td_err e = td_tls_keyshare(cases[i].group, &p, &len);
        assert_int_equal(e, cases[i].want);
        if (e != TD_ERR_OK)
            continue;
        assert_int_equal(len, cases[i].len);
        if (cases[i].first != 0xFF)
            assert_int_equal(p[0], cases[i].first);
        if (cases[i].last != 0xFF)
            assert_int_equal(p[len - 1], cases[i].last);
        /* made once, then reused */
        assert_int_equal(td_tls_keyshare(cases[i].group, &again, &len2), TD_ERR_OK);
        assert_ptr_equal(p, again);
        assert_int_equal(len, len2);
    }
}

static void test_sha256(void **state)
{
    static const uint8_t want[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                                     0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                                     0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    uint8_t out[32];
    (void)state;
    td_tls_sha256((const uint8_t *)"abc", 3, out);
    assert_memory_equal(out, want, 32);
}

/* A self-signed P-256 certificate made here, as DER. */
static unsigned char *make_cert(int *len)
{
    EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    X509 *x = X509_new();
    X509_NAME *n;
    unsigned char *der = NULL;
    X509V3_CTX ctx;
    X509_EXTENSION *ext;

    assert_non_null(pk);
    assert_non_null(x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, pk);
    n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"fetch.test", -1, -1, 0);
    X509_set_issuer_name(x, n);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, "DNS:fetch.test,IP:192.0.2.1");
    assert_non_null(ext);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    assert_true(X509_sign(x, pk, EVP_sha256()) > 0);
    *len = i2d_X509(x, &der);
    X509_free(x);
    EVP_PKEY_free(pk);
    return der;
}

static void test_describe_der(void **state)
{
    struct td_tls_cert c;
    int len = 0;
    unsigned char *der = make_cert(&len);
    uint8_t fp[32];
    (void)state;

    memset(&c, 0, sizeof(c));
    assert_int_equal(td_tls_describe_der(der, (size_t)len, &c), TD_ERR_OK);
    assert_non_null(strstr(c.subject, "fetch.test"));
    assert_string_equal(c.subject, c.issuer);
    assert_string_equal(c.sans, "DNS:fetch.test, IP:192.0.2.1");
    assert_string_equal(c.key_type, "EC");
    assert_int_equal(c.key_bits, 256);
    assert_string_equal(c.curve, "prime256v1");
    assert_string_equal(c.sig_alg, "ecdsa-with-SHA256");
    assert_true(c.self_signed);
    assert_int_equal(strlen(c.not_before), 20);
    td_tls_sha256(der, (size_t)len, fp);
    assert_memory_equal(c.leaf_sha256, fp, 32);
    /* negatives: cut short, garbage, empty */
    for (size_t cut = 0; cut < (size_t)len; cut += 37) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, der, cut);
        assert_int_equal(td_tls_describe_der(copy, cut, &c), TD_ERR_BADVALUE);
        free(copy);
    }
    assert_int_equal(td_tls_describe_der((const uint8_t *)"\x30\x03\x02\x01\x00", 5, &c), TD_ERR_BADVALUE);
    OPENSSL_free(der);
}

static void test_fetch_closed_port(void **state)
{
    struct sockaddr_in sin;
    socklen_t sl = sizeof(sin);
    struct td_addr a;
    struct td_tls_fetch req;
    struct td_tls_cert out;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    (void)state;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
    close(fd); /* nothing listens there now */
    memset(&a, 0, sizeof(a));
    memcpy(&a.sa, &sin, sizeof(sin));
    a.len = sizeof(sin);
    memset(&req, 0, sizeof(req));
    req.addr = &a;
    td_net_limits_default(&req.lim);
    req.sni = "fetch.test";
    assert_int_equal(td_tls_fetch_cert(&req, &out), TD_ERR_OK);
    assert_false(out.ok);
    assert_string_equal(out.error, "connection refused");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyshares),
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_describe_der),
        cmocka_unit_test(test_fetch_closed_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
