/* registry/: the IANA tables, and tlsio/ossl_names: OpenSSL names from libssl. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <openssl/ssl.h>

#include "registry/registry.h"
#include "registry/suites_gen.h"
#include "registry/tables.h"
#include "tlsio/ossl_names.h"

/* ------------------------------------------------------------------------- */
/* The generated table is current: compare it with the CSV read now.        */

static char *read_csv(size_t *len)
{
    const char *root = getenv("TD_SOURCE_DIR");
    char path[4096];
    if (root == NULL)
        root = TD_SOURCE_DIR;
    snprintf(path, sizeof(path), "%s/data/iana-tls-cipher-suites.csv", root);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        if (n + 4096 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Minimal RFC 4180 reader: quoted fields may hold commas, quotes ("") and
 * newlines, as the IANA file's do. Reads one record's first `want` fields
 * into out[] (each NUL-terminated, truncated to cap); returns the position
 * after the record, or NULL at the end. */
static const char *csv_record(const char *p, char out[][128], size_t want, size_t cap)
{
    if (*p == '\0')
        return NULL;
    for (size_t i = 0; i < want; i++)
        out[i][0] = '\0';
    size_t field = 0;
    for (;;) {
        size_t k = 0;
        char tmp[512];
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0')
                    break;
                if (*p == '"' && p[1] == '"') {
                    if (k + 1 < sizeof(tmp))
                        tmp[k++] = '"';
                    p += 2;
                    continue;
                }
                if (*p == '"') {
                    p++;
                    break;
                }
                if (k + 1 < sizeof(tmp))
                    tmp[k++] = *p;
                p++;
            }
        }
        while (*p != '\0' && *p != ',' && *p != '\n' && *p != '\r') {
            if (k + 1 < sizeof(tmp))
                tmp[k++] = *p;
            p++;
        }
        tmp[k] = '\0';
        if (field < want) {
            size_t m = k < cap - 1 ? k : cap - 1;
            memcpy(out[field], tmp, m);
            out[field][m] = '\0';
        }
        field++;
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == '\r')
            p++;
        if (*p == '\n')
            p++;
        return p;
    }
}

/* "0xC0,0x2F" -> 0xC02F; ranges and wildcards -> -1. */
static long csv_code(const char *v)
{
    unsigned hi, lo;
    char *end;
    if (strncmp(v, "0x", 2) != 0)
        return -1;
    hi = (unsigned)strtoul(v + 2, &end, 16);
    if (end != v + 4 || strncmp(end, ",0x", 3) != 0)
        return -1;
    lo = (unsigned)strtoul(end + 3, &end, 16);
    if (*end != '\0' || end - v != 9)
        return -1;
    return (long)((hi << 8) | lo);
}

static uint32_t fnv1a32(const char *p, size_t n)
{
    uint32_t h = 0x811C9DC5u;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint8_t)p[i];
        h *= 0x01000193u;
    }
    return h;
}

static void test_generated_table_is_current(void **state)
{
    size_t len;
    char rec[5][128];
    size_t assigned = 0;
    (void)state;
    char *csv = read_csv(&len);

    /* Any byte changed in the CSV since generation shows up here. */
    if (fnv1a32(csv, len) != td_reg_suites_csv_fnv1a)
        fail_msg("data/iana-tls-cipher-suites.csv changed since src/registry/suites_gen.c was generated; "
                 "run /usr/bin/python3 scripts/gen-registry.py");

    /* And, independently of the generator, every assigned row of the CSV is
     * in the table with the same code and name, and nothing else is. */
    const char *p = csv_record(csv, rec, 5, sizeof(rec[0]));
    assert_non_null(p);
    assert_string_equal(rec[0], "Value");
    assert_string_equal(rec[1], "Description");
    while ((p = csv_record(p, rec, 5, sizeof(rec[0]))) != NULL) {
        long code = csv_code(rec[0]);
        if (code < 0 || strncmp(rec[1], "TLS_", 4) != 0)
            continue; /* Unassigned, Reserved, GREASE, private use */
        assigned++;
        const struct td_suite *s = td_reg_suite_find((uint16_t)code);
        if (s == NULL)
            fail_msg("CSV suite 0x%04lX %s missing from the table", code, rec[1]);
        assert_string_equal(s->name, rec[1]);
        assert_int_equal(!!(s->flags & TD_SUITE_DTLS_OK), strcmp(rec[2], "Y") == 0);
        assert_int_equal(!!(s->flags & TD_SUITE_RECOMMENDED), strcmp(rec[3], "Y") == 0);
    }
    assert_int_equal(assigned, td_reg_suite_count());
    free(csv);
}

/* ------------------------------------------------------------------------- */
/* Cipher suites                                                            */

static void test_suite_table_shape(void **state)
{
    (void)state;
    /* 352 assigned suites in the IANA registry as committed (2 SCSVs included). */
    assert_int_equal(td_reg_suite_count(), 352);
    assert_null(td_reg_suite_at(td_reg_suite_count()));
    size_t tls13_only = 0, rfc8446 = 0, in13 = 0, export = 0, scsv = 0, in_ssl3 = 0;
    for (size_t i = 0; i < td_reg_suite_count(); i++) {
        const struct td_suite *s = td_reg_suite_at(i);
        assert_non_null(s);
        if (i > 0)
            assert_true(td_reg_suite_at(i - 1)->code < s->code); /* sorted, unique */
        assert_ptr_equal(td_reg_suite_find(s->code), s);
        assert_ptr_equal(td_reg_suite_find_name(s->name), s);
        /* derived attributes agree with the name and with each other */
        if (s->cipher != TD_CIPHER_NULL && strstr(s->name, td_reg_cipher_name(s->cipher)) == NULL)
            fail_msg("%s: cipher %s not in the name", s->name, td_reg_cipher_name(s->cipher));
        assert_int_equal(!!(s->flags & TD_SUITE_AEAD), s->mac == TD_MAC_AEAD);
        assert_true(s->min_version <= s->max_version);
        if (s->cipher == TD_CIPHER_NULL)
            assert_int_equal(s->bits, 0);
        else
            assert_true(s->bits >= 40 && s->bits <= 256);
        if (s->flags & TD_SUITE_EXPORT) {
            assert_true(s->max_version <= TD_VER_TLS10);
            assert_true(s->bits <= 56);
            export ++;
        }
        if (s->kx == TD_KX_TLS13) {
            assert_int_equal(s->min_version, TD_VER_TLS13);
            assert_int_equal(s->auth, TD_AUTH_TLS13);
            tls13_only++;
            if (strstr(s->ref, "RFC8446") != NULL)
                rfc8446++;
        }
        if (s->flags & TD_SUITE_SCSV)
            scsv++;
        if (td_reg_suite_valid_in(s, TD_VER_TLS13))
            in13++;
        if (td_reg_suite_valid_in(s, TD_VER_SSL3))
            in_ssl3++;
        assert_non_null(s->ref);
    }
    assert_int_equal(rfc8446, 5);       /* TLS_AES_128_GCM_SHA256 .. TLS_AES_128_CCM_8_SHA256 */
    assert_int_equal(tls13_only, 15);   /* + AEGIS 2, SM4 2, integrity-only 2, GOST MGM 4 */
    assert_int_equal(in13, 15 + 2 + 4); /* + the 2 SCSVs and the 4 ECCPWD suites (RFC 8492) */
    assert_int_equal(export, 15);       /* 9 of SSL 3.0 + 6 KRB5 */
    assert_int_equal(scsv, 2);
    /* SSLv3: the RFC 6101 list minus NULL_WITH_NULL_NULL (27), KRB5 (14),
     * AES-SHA (12), PSK-SHA1 non-EC (15), SEED (6), Camellia-SHA (12), SCSVs (2) */
    assert_int_equal(in_ssl3, 27 + 14 + 12 + 15 + 6 + 12 + 2);
}

struct suite_case {
    uint16_t code;
    const char *iana;
    enum td_kx kx;
    enum td_auth auth;
    enum td_cipher cipher;
    enum td_mac mac;
    unsigned bits;
    uint16_t min, max;
    uint16_t flags_set, flags_clear;
    const char *ossl; /* NULL: must not have an OpenSSL name */
};

/* clang-format off */
static const struct suite_case suites[] = {
    {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", TD_KX_RSA, TD_AUTH_RSA, TD_CIPHER_AES_256_CBC, TD_MAC_SHA1, 256,
     TD_VER_SSL3, TD_VER_TLS12, TD_SUITE_CERT, TD_SUITE_PFS | TD_SUITE_AEAD, "AES256-SHA"},
    {0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", TD_KX_RSA, TD_AUTH_RSA, TD_CIPHER_AES_128_CBC, TD_MAC_SHA1, 128,
     TD_VER_SSL3, TD_VER_TLS12, TD_SUITE_CERT, TD_SUITE_PFS, "AES128-SHA"},
    {0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", TD_KX_RSA, TD_AUTH_RSA, TD_CIPHER_AES_256_CBC, TD_MAC_SHA256, 256,
     TD_VER_TLS12, TD_VER_TLS12, 0, TD_SUITE_AEAD, "AES256-SHA256"},
    {0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TD_KX_ECDHE, TD_AUTH_RSA, TD_CIPHER_AES_128_GCM, TD_MAC_AEAD,
     128, TD_VER_TLS12, TD_VER_TLS12, TD_SUITE_PFS | TD_SUITE_AEAD | TD_SUITE_RECOMMENDED, TD_SUITE_EXPORT,
     "ECDHE-RSA-AES128-GCM-SHA256"},
    {0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", TD_KX_ECDHE, TD_AUTH_RSA, TD_CIPHER_AES_128_CBC, TD_MAC_SHA1, 128,
     TD_VER_TLS10, TD_VER_TLS12, TD_SUITE_PFS, TD_SUITE_AEAD, "ECDHE-RSA-AES128-SHA"},
    {0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", TD_KX_ECDHE, TD_AUTH_ECDSA,
     TD_CIPHER_CHACHA20_POLY1305, TD_MAC_AEAD, 256, TD_VER_TLS12, TD_VER_TLS12, TD_SUITE_AEAD, 0,
     "ECDHE-ECDSA-CHACHA20-POLY1305"},
    {0x1301, "TLS_AES_128_GCM_SHA256", TD_KX_TLS13, TD_AUTH_TLS13, TD_CIPHER_AES_128_GCM, TD_MAC_AEAD, 128,
     TD_VER_TLS13, TD_VER_TLS13, TD_SUITE_AEAD | TD_SUITE_PFS, TD_SUITE_CERT, "TLS_AES_128_GCM_SHA256"},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256", TD_KX_TLS13, TD_AUTH_TLS13, TD_CIPHER_CHACHA20_POLY1305, TD_MAC_AEAD,
     256, TD_VER_TLS13, TD_VER_TLS13, TD_SUITE_AEAD, 0, "TLS_CHACHA20_POLY1305_SHA256"},
    {0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", TD_KX_DHE, TD_AUTH_RSA, TD_CIPHER_AES_256_GCM, TD_MAC_AEAD, 256,
     TD_VER_TLS12, TD_VER_TLS12, TD_SUITE_PFS, 0, "DHE-RSA-AES256-GCM-SHA384"},
    {0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA", TD_KX_PSK, TD_AUTH_PSK, TD_CIPHER_AES_128_CBC, TD_MAC_SHA1, 128,
     TD_VER_SSL3, TD_VER_TLS12, 0, TD_SUITE_CERT | TD_SUITE_PFS, "PSK-AES128-CBC-SHA"},
    {0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8", TD_KX_RSA, TD_AUTH_RSA, TD_CIPHER_AES_128_CCM_8, TD_MAC_AEAD, 128,
     TD_VER_TLS12, TD_VER_TLS12, TD_SUITE_AEAD, 0, "AES128-CCM8"},
    {0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", TD_KX_RSA, TD_AUTH_RSA, TD_CIPHER_CAMELLIA_128_CBC, TD_MAC_SHA1,
     128, TD_VER_SSL3, TD_VER_TLS12, 0, 0, "CAMELLIA128-SHA"},
    {0xC05C, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256", TD_KX_ECDHE, TD_AUTH_ECDSA, TD_CIPHER_ARIA_128_GCM,
     TD_MAC_AEAD, 128, TD_VER_TLS12, TD_VER_TLS12, TD_SUITE_AEAD, 0, "ECDHE-ECDSA-ARIA128-GCM-SHA256"},
    {0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", TD_KX_DHE, TD_AUTH_ANON, TD_CIPHER_AES_128_CBC, TD_MAC_SHA1, 128,
     TD_VER_SSL3, TD_VER_TLS12, TD_SUITE_PFS, TD_SUITE_CERT, "ADH-AES128-SHA"},
    /* OpenSSL 3 has no export, KRB5, static-ECDH or ECCPWD suites */
    {0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", TD_KX_RSA, TD_AUTH_RSA, TD_CIPHER_RC4_40, TD_MAC_MD5, 40,
     TD_VER_SSL3, TD_VER_TLS10, TD_SUITE_EXPORT, TD_SUITE_DTLS_OK, NULL},
    {0x0026, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA", TD_KX_KRB5, TD_AUTH_KRB5, TD_CIPHER_DES_CBC_40, TD_MAC_SHA1, 40,
     TD_VER_SSL3, TD_VER_TLS10, TD_SUITE_EXPORT, TD_SUITE_CERT, NULL},
    {0x0009, "TLS_RSA_WITH_DES_CBC_SHA", TD_KX_RSA, TD_AUTH_RSA, TD_CIPHER_DES_CBC, TD_MAC_SHA1, 56, TD_VER_SSL3,
     TD_VER_TLS11, 0, TD_SUITE_EXPORT, NULL},
    {0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256", TD_KX_ECDH, TD_AUTH_RSA, TD_CIPHER_AES_128_GCM, TD_MAC_AEAD,
     128, TD_VER_TLS12, TD_VER_TLS12, TD_SUITE_CERT, TD_SUITE_PFS, NULL},
    {0xC0B0, "TLS_ECCPWD_WITH_AES_128_GCM_SHA256", TD_KX_ECCPWD, TD_AUTH_ECCPWD, TD_CIPHER_AES_128_GCM, TD_MAC_AEAD,
     128, TD_VER_TLS12, TD_VER_TLS13, TD_SUITE_AEAD, TD_SUITE_CERT, NULL},
    {0xC0AA, "TLS_PSK_DHE_WITH_AES_128_CCM_8", TD_KX_DHE_PSK, TD_AUTH_PSK, TD_CIPHER_AES_128_CCM_8, TD_MAC_AEAD, 128,
     TD_VER_TLS12, TD_VER_TLS12, TD_SUITE_PFS, 0, "DHE-PSK-AES128-CCM8"},
    {0xC100, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC", TD_KX_GOST, TD_AUTH_GOST, TD_CIPHER_KUZNYECHIK_CTR_OMAC,
     TD_MAC_GOST, 256, TD_VER_TLS12, TD_VER_TLS12, TD_SUITE_CERT, TD_SUITE_PFS | TD_SUITE_AEAD,
     "GOST2012-KUZNYECHIK-KUZNYECHIKOMAC"},
    {0xC0B4, "TLS_SHA256_SHA256", TD_KX_TLS13, TD_AUTH_TLS13, TD_CIPHER_NULL, TD_MAC_SHA256, 0, TD_VER_TLS13,
     TD_VER_TLS13, 0, TD_SUITE_AEAD, NULL},
    {0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", TD_KX_NULL, TD_AUTH_NULL, TD_CIPHER_NULL, TD_MAC_NULL, 0,
     TD_VER_SSL3, TD_VER_TLS13, TD_SUITE_SCSV, TD_SUITE_CERT, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
    {0x5600, "TLS_FALLBACK_SCSV", TD_KX_NULL, TD_AUTH_NULL, TD_CIPHER_NULL, TD_MAC_NULL, 0, TD_VER_SSL3,
     TD_VER_TLS13, TD_SUITE_SCSV, 0, "TLS_FALLBACK_SCSV"},
};
/* clang-format on */

static void test_suite_lookups(void **state)
{
    char buf[TD_REG_NAMEBUF];
    (void)state;
    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
        const struct suite_case *c = &suites[i];
        const struct td_suite *s = td_reg_suite_find(c->code);
        if (s == NULL)
            fail_msg("0x%04X not found", c->code);
        assert_string_equal(s->name, c->iana);
        assert_int_equal(s->kx, c->kx);
        assert_int_equal(s->auth, c->auth);
        assert_int_equal(s->cipher, c->cipher);
        assert_int_equal(s->mac, c->mac);
        assert_int_equal(s->bits, c->bits);
        assert_int_equal(s->min_version, c->min);
        assert_int_equal(s->max_version, c->max);
        if ((s->flags & c->flags_set) != c->flags_set || (s->flags & c->flags_clear) != 0)
            fail_msg("%s: flags 0x%04X", s->name, s->flags);
        assert_ptr_equal(td_reg_suite_find_name(c->iana), s);
        assert_string_equal(td_reg_suite_name(c->code, buf), c->iana);

        /* OpenSSL names, both ways */
        const char *on = td_ossl_suite_name(c->code);
        if (c->ossl == NULL) {
            if (on != NULL)
                fail_msg("0x%04X: unexpected OpenSSL name %s", c->code, on);
            continue;
        }
        if (on == NULL)
            fail_msg("0x%04X: no OpenSSL name, want %s", c->code, c->ossl);
        assert_string_equal(on, c->ossl);
        uint16_t code = 0;
        assert_true(td_ossl_suite_code(c->ossl, &code));
        assert_int_equal(code, c->code);
        code = 0;
        assert_int_equal(td_ossl_suite_resolve(c->ossl, &code), TD_ERR_OK);
        assert_int_equal(code, c->code);
        code = 0;
        assert_int_equal(td_ossl_suite_resolve(c->iana, &code), TD_ERR_OK);
        assert_int_equal(code, c->code);
    }
    /* the suites OpenSSL 3 can always negotiate are usable, SCSVs never */
    assert_true(td_ossl_suite_usable(0x0035));
    assert_true(td_ossl_suite_usable(0xC02F));
    assert_true(td_ossl_suite_usable(0x1301));
    assert_false(td_ossl_suite_usable(0x00FF));
    assert_false(td_ossl_suite_usable(0x0003));
    if (td_ossl_legacy_loaded()) {
        /* SEED lives in the legacy provider only */
        assert_string_equal(td_ossl_suite_name(0x0096), "SEED-SHA");
        assert_true(td_ossl_suite_usable(0x0096));
    }
}

static void test_suite_names_case_and_unknown(void **state)
{
    char buf[TD_REG_NAMEBUF];
    uint16_t code = 0;
    (void)state;
    assert_int_equal(td_reg_suite_find_name("tls_rsa_with_aes_256_cbc_sha")->code, 0x0035);
    assert_int_equal(td_reg_suite_find_name("Tls_Ecdhe_Rsa_With_Aes_128_Gcm_Sha256")->code, 0xC02F);
    assert_int_equal(td_reg_suite_find_name("SSL_RSA_WITH_RC4_128_MD5")->code, 0x0004);
    assert_int_equal(td_reg_suite_find_name("ssl_rsa_with_3des_ede_cbc_sha")->code, 0x000A);
    assert_null(td_reg_suite_find_name("TLS_RSA_WITH_AES_256_CBC"));
    assert_null(td_reg_suite_find_name("RSA_WITH_AES_256_CBC_SHA"));
    assert_null(td_reg_suite_find_name("AES256-SHA")); /* OpenSSL name: tlsio layer */
    assert_null(td_reg_suite_find_name(""));
    assert_null(td_reg_suite_find_name(NULL));
    assert_null(td_reg_suite_find(0x0060));
    assert_null(td_reg_suite_find(0x0A0A));
    assert_null(td_reg_suite_find(0xFFFF));
    assert_string_equal(td_reg_suite_name(0x1234, buf), "unknown (0x1234)");
    assert_string_equal(td_reg_suite_name(0x0060, buf), "unknown (0x0060)");
    assert_string_equal(td_reg_suite_name(0x0A0A, buf), "GREASE (0x0A0A)");
    assert_string_equal(td_reg_suite_name(0xFAFA, buf), "GREASE (0xFAFA)");

    assert_true(td_ossl_suite_code("aes256-sha", &code));
    assert_int_equal(code, 0x0035);
    assert_true(td_ossl_suite_code("ECDHE-rsa-AES128-gcm-SHA256", &code));
    assert_int_equal(code, 0xC02F);
    assert_false(td_ossl_suite_code("AES256-SHA1", &code));
    assert_false(td_ossl_suite_code("TLS_RSA_WITH_AES_256_CBC_SHA", &code));
    assert_false(td_ossl_suite_code("", &code));

    /* anything a user may type */
    code = 0;
    assert_int_equal(td_ossl_suite_resolve("tls_aes_256_gcm_sha384", &code), TD_ERR_OK);
    assert_int_equal(code, 0x1302);
    assert_int_equal(td_ossl_suite_resolve("ecdhe-ecdsa-aes256-gcm-sha384", &code), TD_ERR_OK);
    assert_int_equal(code, 0xC02C);
    assert_int_equal(td_ossl_suite_resolve("0xC0,0x2F", &code), TD_ERR_OK);
    assert_int_equal(code, 0xC02F);
    assert_int_equal(td_ossl_suite_resolve("0xc0, 0x30", &code), TD_ERR_OK);
    assert_int_equal(code, 0xC030);
    assert_int_equal(td_ossl_suite_resolve("0x1301", &code), TD_ERR_OK);
    assert_int_equal(code, 0x1301);
    assert_int_equal(td_ossl_suite_resolve("0x9999", &code), TD_ERR_OK); /* unassigned codes may be probed */
    assert_int_equal(code, 0x9999);
    code = 0x4242;
    assert_int_equal(td_ossl_suite_resolve("nonsense", &code), TD_ERR_NOTFOUND);
    assert_int_equal(td_ossl_suite_resolve("C02F", &code), TD_ERR_NOTFOUND);
    assert_int_equal(td_ossl_suite_resolve("0x12345", &code), TD_ERR_NOTFOUND);
    assert_int_equal(td_ossl_suite_resolve("0xC0,0x2F0", &code), TD_ERR_NOTFOUND);
    assert_int_equal(td_ossl_suite_resolve("0x100,0x2F", &code), TD_ERR_NOTFOUND);
    assert_int_equal(td_ossl_suite_resolve("0x", &code), TD_ERR_NOTFOUND);
    assert_int_equal(td_ossl_suite_resolve("0xC0,", &code), TD_ERR_NOTFOUND);
    assert_int_equal(code, 0x4242); /* untouched on failure */
    assert_int_equal(td_ossl_suite_resolve("", &code), TD_ERR_INPUT);
    assert_int_equal(td_ossl_suite_resolve(NULL, &code), TD_ERR_INPUT);
}

/* Everything libssl names maps back to itself and (outside private-use
 * codes) to an IANA suite; cross-checked with SSL_CIPHER_find() directly. */
static void test_ossl_map_consistent(void **state)
{
    uint16_t code;
    const char *name;
    size_t n = td_ossl_suite_count();
    (void)state;
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    assert_non_null(ctx);
    SSL *ssl = SSL_new(ctx);
    assert_non_null(ssl);
    /* OpenSSL 3.0 knows well over 100 suites even without legacy ones */
    assert_true(n > 100 && n < 512);
    for (size_t i = 0; i < n; i++) {
        assert_true(td_ossl_suite_at(i, &code, &name));
        if (i > 0) {
            uint16_t prev;
            assert_true(td_ossl_suite_at(i - 1, &prev, NULL));
            assert_true(prev < code);
        }
        assert_string_equal(td_ossl_suite_name(code), name);
        uint16_t back = 0;
        assert_true(td_ossl_suite_code(name, &back));
        assert_int_equal(back, code);
        if (code < 0xFF00 && td_reg_suite_find(code) == NULL)
            fail_msg("OpenSSL suite %s (0x%04X) is not in the IANA table", name, code);
        const unsigned char id[2] = {(unsigned char)(code >> 8), (unsigned char)code};
        const SSL_CIPHER *c = SSL_CIPHER_find(ssl, id);
        assert_non_null(c);
        assert_string_equal(SSL_CIPHER_get_name(c), name);
    }
    assert_false(td_ossl_suite_at(n, &code, &name));
    SSL_free(ssl);
    SSL_CTX_free(ctx);
}

struct valid_case {
    uint16_t code, version;
    bool valid;
};

/* clang-format off */
static const struct valid_case valid_cases[] = {
    /* AEAD: TLS 1.2 only (RFC 5288 §4); DTLS 1.2 yes, DTLS 1.0 (= TLS 1.1) no */
    {0xC02F, TD_VER_TLS12, true},
    {0xC02F, TD_VER_TLS11, false},
    {0xC02F, TD_VER_TLS10, false},
    {0xC02F, TD_VER_SSL3, false},
    {0xC02F, TD_VER_TLS13, false},
    {0xC02F, TD_VER_DTLS12, true},
    {0xC02F, TD_VER_DTLS10, false},
    /* SHA-256 MAC: TLS 1.2 only (RFC 5246) */
    {0x003C, TD_VER_TLS12, true},
    {0x003C, TD_VER_TLS11, false},
    /* TLS 1.3 suites: TLS 1.3 only (RFC 8446) */
    {0x1301, TD_VER_TLS13, true},
    {0x1301, TD_VER_TLS12, false},
    {0x1301, TD_VER_DTLS13, true},
    {0x1301, TD_VER_DTLS12, false},
    {0x1305, TD_VER_TLS13, true},
    /* export: up to TLS 1.0 (RFC 4346 App. A.5) */
    {0x0003, TD_VER_SSL3, true},
    {0x0003, TD_VER_TLS10, true},
    {0x0003, TD_VER_TLS11, false},
    {0x0003, TD_VER_TLS12, false},
    {0x0014, TD_VER_TLS10, true},
    {0x0014, TD_VER_TLS11, false},
    /* IDEA and single DES: not in TLS 1.2 (RFC 5246 App. A.5, RFC 5469) */
    {0x0007, TD_VER_TLS11, true},
    {0x0007, TD_VER_TLS12, false},
    {0x0009, TD_VER_SSL3, true},
    {0x0009, TD_VER_TLS11, true},
    {0x0009, TD_VER_TLS12, false},
    {0x001E, TD_VER_TLS12, false},
    /* classic suites: SSLv3 .. TLS 1.2 */
    {0x0035, TD_VER_SSL3, true},
    {0x0035, TD_VER_TLS10, true},
    {0x0035, TD_VER_TLS12, true},
    {0x0035, TD_VER_TLS13, false},
    {0x0035, TD_VER_SSL2, false},
    {0x0035, TD_VER_DTLS12, true},
    {0x000A, TD_VER_TLS12, true},
    /* RC4: no DTLS (IANA DTLS-OK = N) */
    {0x0005, TD_VER_TLS12, true},
    {0x0005, TD_VER_DTLS12, false},
    /* ECC and SRP need hello extensions: not SSLv3 */
    {0xC013, TD_VER_SSL3, false},
    {0xC013, TD_VER_TLS10, true},
    {0xC01D, TD_VER_SSL3, false},
    {0xC01D, TD_VER_TLS11, true},
    /* never negotiated */
    {0x0000, TD_VER_TLS12, false},
    {0x0000, TD_VER_SSL3, false},
    /* SCSVs in any ClientHello */
    {0x00FF, TD_VER_SSL3, true},
    {0x00FF, TD_VER_TLS13, true},
    {0x5600, TD_VER_TLS12, true},
    /* GOST: 1.2 suites vs 1.3 suites */
    {0xC100, TD_VER_TLS12, true},
    {0xC100, TD_VER_TLS13, false},
    {0xC103, TD_VER_TLS13, true},
    {0xC103, TD_VER_TLS12, false},
    /* unknown versions and codes */
    {0x0035, 0x0305, false},
    {0x0035, 0x7F1C, false},
    {0x0035, 0x0000, false},
    {0x0060, TD_VER_TLS12, false},
    {0x0A0A, TD_VER_TLS13, false},
};
/* clang-format on */

static void test_suite_version_validity(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
        const struct valid_case *c = &valid_cases[i];
        if (td_reg_suite_code_valid_in(c->code, c->version) != c->valid)
            fail_msg("suite 0x%04X in version 0x%04X: expected %s", c->code, c->version,
                     c->valid ? "valid" : "invalid");
    }
    assert_false(td_reg_suite_valid_in(NULL, TD_VER_TLS12));
}

/* ------------------------------------------------------------------------- */
/* Versions, GREASE, enum names                                             */

static void test_versions_and_grease(void **state)
{
    char buf[TD_REG_NAMEBUF];
    (void)state;
    assert_true(td_reg_version_is_dtls(TD_VER_DTLS12));
    assert_false(td_reg_version_is_dtls(TD_VER_TLS12));
    assert_int_equal(td_reg_version_tls_equiv(TD_VER_DTLS10), TD_VER_TLS11);
    assert_int_equal(td_reg_version_tls_equiv(TD_VER_DTLS13), TD_VER_TLS13);
    assert_int_equal(td_reg_version_tls_equiv(TD_VER_TLS10), TD_VER_TLS10);
    assert_int_equal(td_reg_version_tls_equiv(0x0305), 0);
    assert_true(td_reg_version_cmp(TD_VER_SSL3, TD_VER_TLS10) < 0);
    assert_true(td_reg_version_cmp(TD_VER_TLS13, TD_VER_TLS12) > 0);
    assert_true(td_reg_version_cmp(TD_VER_DTLS12, TD_VER_TLS11) > 0); /* DTLS 1.2 is newer than TLS 1.1 */
    assert_true(td_reg_version_cmp(TD_VER_DTLS10, TD_VER_DTLS12) < 0);
    assert_true(td_reg_version_cmp(TD_VER_SSL2, TD_VER_SSL3) < 0);
    assert_true(td_reg_version_cmp(0x1234, TD_VER_SSL2) < 0);
    assert_int_equal(td_reg_version_cmp(TD_VER_TLS12, TD_VER_TLS12), 0);
    assert_true(td_reg_version_cmp(TD_VER_TLS12, TD_VER_DTLS12) < 0);
    assert_true(td_reg_version_cmp(TD_VER_DTLS12, TD_VER_TLS12) > 0);
    /* a total order: antisymmetric over known and unknown values */
    static const uint16_t vs[] = {TD_VER_SSL2,   TD_VER_SSL3,   TD_VER_TLS10,  TD_VER_TLS11, TD_VER_TLS12, TD_VER_TLS13,
                                  TD_VER_DTLS10, TD_VER_DTLS12, TD_VER_DTLS13, 0x0000,       0x1234,       0x7F1C};
    for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
        for (size_t j = 0; j < sizeof(vs) / sizeof(vs[0]); j++) {
            int ij = td_reg_version_cmp(vs[i], vs[j]), ji = td_reg_version_cmp(vs[j], vs[i]);
            if ((ij > 0) != (ji < 0) || (ij == 0) != (i == j))
                fail_msg("version_cmp(0x%04X, 0x%04X) not antisymmetric", vs[i], vs[j]);
        }
    }

    assert_string_equal(td_reg_version_name(0x0303, buf), "TLS 1.2");
    assert_string_equal(td_reg_version_name(0xFEFD, buf), "DTLS 1.2");
    assert_string_equal(td_reg_version_name(0x0002, buf), "SSL 2.0");
    assert_string_equal(td_reg_version_name(0x7F1C, buf), "TLS 1.3 draft 28");
    assert_string_equal(td_reg_version_name(0x0305, buf), "unknown (0x0305)");
    assert_string_equal(td_reg_version_name(0x5A5A, buf), "GREASE (0x5A5A)");
    const char *spellings[] = {"TLS 1.2", "tls 1.2", "TLSv1.2", "tls1_2", "tls12", "TLS1.2"};
    for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
        const struct td_reg_entry *e = td_reg_find_name(TD_REG_VERSION, spellings[i]);
        if (e == NULL || e->code != 0x0303)
            fail_msg("version spelling '%s' not resolved to 0x0303", spellings[i]);
    }
    assert_int_equal(td_reg_find_name(TD_REG_VERSION, "tls1")->code, 0x0301);
    assert_int_equal(td_reg_find_name(TD_REG_VERSION, "SSLv3")->code, 0x0300);
    assert_int_equal(td_reg_find_name(TD_REG_VERSION, "dtls1_2")->code, 0xFEFD);
    assert_null(td_reg_find_name(TD_REG_VERSION, "TLS 1.4"));
    assert_null(td_reg_find_name(TD_REG_VERSION, "tls"));

    unsigned grease = 0;
    for (unsigned v = 0; v <= 0xFFFF; v++)
        grease += td_reg_is_grease((uint16_t)v);
    assert_int_equal(grease, 16);
    assert_true(td_reg_is_grease(0x0A0A));
    assert_true(td_reg_is_grease(0xDADA));
    assert_false(td_reg_is_grease(0x0A1A));
    assert_false(td_reg_is_grease(0x0B0B));
    assert_false(td_reg_is_grease(0x0A0B));
}

static void test_enum_names(void **state)
{
    (void)state;
    assert_string_equal(td_reg_kx_name(TD_KX_ECDHE), "ECDHE");
    assert_string_equal(td_reg_kx_name(TD_KX_DHE_PSK), "DHE_PSK");
    assert_string_equal(td_reg_auth_name(TD_AUTH_ANON), "anon");
    assert_string_equal(td_reg_cipher_name(TD_CIPHER_3DES_EDE_CBC), "3DES_EDE_CBC");
    assert_string_equal(td_reg_cipher_name(TD_CIPHER_AES_128_CCM_8), "AES_128_CCM_8");
    assert_string_equal(td_reg_mac_name(TD_MAC_SHA1), "SHA");
    assert_string_equal(td_reg_mac_name(TD_MAC_AEAD), "AEAD");
    assert_string_equal(td_reg_prf_name(TD_PRF_SHA384), "SHA384");
    assert_string_equal(td_reg_kx_name(TD_KX__COUNT), "?");
    assert_string_equal(td_reg_auth_name(TD_AUTH__COUNT), "?");
    assert_string_equal(td_reg_cipher_name(TD_CIPHER__COUNT), "?");
    assert_string_equal(td_reg_mac_name(TD_MAC__COUNT), "?");
    assert_string_equal(td_reg_prf_name(TD_PRF__COUNT), "?");
    for (int i = 0; i < TD_CIPHER__COUNT; i++)
        assert_true(strlen(td_reg_cipher_name((enum td_cipher)i)) > 0);
    for (int i = 0; i < TD_KX__COUNT; i++)
        assert_true(strlen(td_reg_kx_name((enum td_kx)i)) > 0);
}

/* ------------------------------------------------------------------------- */
/* The hand-written tables                                                  */

static void test_tables_shape(void **state)
{
    (void)state;
    for (int t = 0; t < TD_REG__COUNT; t++) {
        size_t n = td_reg_count((enum td_reg_table)t);
        assert_true(n > 0);
        assert_string_not_equal(td_reg_table_name((enum td_reg_table)t), "?");
        assert_null(td_reg_at((enum td_reg_table)t, n));
        for (size_t i = 0; i < n; i++) {
            const struct td_reg_entry *e = td_reg_at((enum td_reg_table)t, i);
            assert_non_null(e->name);
            assert_non_null(e->ref);
            assert_non_null(e->text);
            assert_true(strlen(e->name) > 0 && strlen(e->ref) > 0);
            assert_true(strlen(e->text) < 100); /* one line */
            if (td_reg_tables[t].width == 1)
                assert_true(e->code <= 0xFF);
            if (i > 0 && td_reg_at((enum td_reg_table)t, i - 1)->code >= e->code)
                fail_msg("%s table not sorted/unique at %s", td_reg_table_name((enum td_reg_table)t), e->name);
            assert_ptr_equal(td_reg_find((enum td_reg_table)t, e->code), e);
            /* every name and alias resolves to its own entry (no shadowing) */
            assert_ptr_equal(td_reg_find_name((enum td_reg_table)t, e->name), e);
            for (size_t k = 0; k < 3; k++)
                if (e->alias[k] != NULL && td_reg_find_name((enum td_reg_table)t, e->alias[k]) != e)
                    fail_msg("alias %s of %s resolves elsewhere", e->alias[k], e->name);
        }
    }
    assert_int_equal(td_reg_count(TD_REG__COUNT), 0);
    assert_null(td_reg_at(TD_REG__COUNT, 0));
    assert_null(td_reg_find(TD_REG__COUNT, 0));
    assert_null(td_reg_find_name(TD_REG__COUNT, "x"));
    assert_string_equal(td_reg_table_name(TD_REG__COUNT), "?");
}

struct entry_case {
    enum td_reg_table table;
    uint16_t code;
    const char *name;    /* expected IANA name; NULL: not in the table */
    const char *lookup;  /* a spelling that must resolve to code (may be NULL) */
    uint16_t flags;      /* bits that must be set */
    const char *display; /* td_reg_name() for unknown codes */
};

/* clang-format off */
static const struct entry_case entries[] = {
    {TD_REG_CONTENT_TYPE, 22, "handshake", "HANDSHAKE", 0, NULL},
    {TD_REG_CONTENT_TYPE, 21, "alert", NULL, 0, NULL},
    {TD_REG_CONTENT_TYPE, 23, "application_data", "application data", 0, NULL},
    {TD_REG_CONTENT_TYPE, 26, "ack", NULL, TD_REGF_DTLS, NULL},
    {TD_REG_CONTENT_TYPE, 0x17 + 0x40, NULL, NULL, 0, "unknown (0x57)"},
    {TD_REG_HANDSHAKE, 1, "client_hello", "ClientHello", 0, NULL},
    {TD_REG_HANDSHAKE, 2, "server_hello", "ServerHello", 0, NULL},
    {TD_REG_HANDSHAKE, 14, "server_hello_done", "ServerHelloDone", 0, NULL},
    {TD_REG_HANDSHAKE, 254, "message_hash", NULL, 0, NULL},
    {TD_REG_HANDSHAKE, 7, NULL, NULL, 0, "unknown (0x07)"},
    {TD_REG_EXTENSION, 0, "server_name", "SNI", TD_REGF_EXT_TLS13, NULL},
    {TD_REG_EXTENSION, 1, "max_fragment_length", "MFL", TD_REGF_EXT_TLS13, NULL},
    {TD_REG_EXTENSION, 10, "supported_groups", "elliptic_curves", TD_REGF_EXT_TLS13, NULL},
    {TD_REG_EXTENSION, 13, "signature_algorithms", NULL, TD_REGF_EXT_TLS13, NULL},
    {TD_REG_EXTENSION, 16, "application_layer_protocol_negotiation", "alpn", TD_REGF_EXT_TLS13, NULL},
    {TD_REG_EXTENSION, 23, "extended_master_secret", "Extended_Master_Secret", 0, NULL},
    {TD_REG_EXTENSION, 28, "record_size_limit", NULL, TD_REGF_EXT_TLS13, NULL},
    {TD_REG_EXTENSION, 35, "session_ticket", "SessionTicket", 0, NULL},
    {TD_REG_EXTENSION, 43, "supported_versions", NULL, TD_REGF_EXT_TLS13, NULL},
    {TD_REG_EXTENSION, 51, "key_share", "key_share", TD_REGF_EXT_TLS13, NULL},
    {TD_REG_EXTENSION, 65281, "renegotiation_info", NULL, 0, NULL},
    {TD_REG_EXTENSION, 65037, "encrypted_client_hello", "ECH", 0, NULL},
    {TD_REG_EXTENSION, 13172, "next_protocol_negotiation", "NPN", TD_REGF_NOT_IANA, NULL},
    {TD_REG_EXTENSION, 0x1234, NULL, NULL, 0, "unknown (0x1234)"},
    {TD_REG_EXTENSION, 0x2A2A, NULL, NULL, 0, "GREASE (0x2A2A)"},
    {TD_REG_GROUP, 23, "secp256r1", "P-256", TD_REGF_GROUP_EC | TD_REGF_GROUP_TLS13, NULL},
    {TD_REG_GROUP, 23, "secp256r1", "prime256v1", 0, NULL},
    {TD_REG_GROUP, 23, "secp256r1", "p256", 0, NULL},
    {TD_REG_GROUP, 24, "secp384r1", "P-384", 0, NULL},
    {TD_REG_GROUP, 25, "secp521r1", "SECP521R1", 0, NULL},
    {TD_REG_GROUP, 29, "x25519", "X25519", TD_REGF_GROUP_EC | TD_REGF_GROUP_TLS13, NULL},
    {TD_REG_GROUP, 30, "x448", "X448", 0, NULL},
    {TD_REG_GROUP, 26, "brainpoolP256r1", "BRAINPOOLP256R1", TD_REGF_GROUP_EC, NULL},
    {TD_REG_GROUP, 19, "secp192r1", "P-192", TD_REGF_OBSOLETE, NULL},
    {TD_REG_GROUP, 256, "ffdhe2048", NULL, TD_REGF_GROUP_FFDHE | TD_REGF_GROUP_TLS13, NULL},
    {TD_REG_GROUP, 4588, "X25519MLKEM768", "x25519mlkem768", TD_REGF_GROUP_PQ, NULL},
    {TD_REG_GROUP, 4587, "SecP256r1MLKEM768", NULL, TD_REGF_GROUP_PQ, NULL},
    {TD_REG_GROUP, 0x7A7A, NULL, NULL, 0, "GREASE (0x7A7A)"},
    {TD_REG_GROUP, 0x0042, NULL, NULL, 0, "unknown (0x0042)"},
    {TD_REG_SIGSCHEME, 0x0401, "rsa_pkcs1_sha256", "RSA_PKCS1_SHA256", TD_REGF_SIG_TLS12 | TD_REGF_SIG_RSA, NULL},
    {TD_REG_SIGSCHEME, 0x0403, "ecdsa_secp256r1_sha256", "ecdsa_sha256",
     TD_REGF_SIG_TLS12 | TD_REGF_SIG_TLS13 | TD_REGF_SIG_ECDSA, NULL},
    {TD_REG_SIGSCHEME, 0x0804, "rsa_pss_rsae_sha256", NULL, TD_REGF_SIG_TLS13 | TD_REGF_SIG_RSA, NULL},
    {TD_REG_SIGSCHEME, 0x0807, "ed25519", "ED25519", TD_REGF_SIG_EDDSA, NULL},
    {TD_REG_SIGSCHEME, 0x0201, "rsa_pkcs1_sha1", NULL, TD_REGF_SIG_TLS12 | TD_REGF_OBSOLETE, NULL},
    {TD_REG_SIGSCHEME, 0x0202, "dsa_sha1", NULL, TD_REGF_SIG_DSA, NULL},
    {TD_REG_SIGSCHEME, 0x0101, "rsa_md5", NULL, TD_REGF_SIG_TLS12, NULL},
    {TD_REG_SIGSCHEME, 0x0303, "ecdsa_sha224", NULL, TD_REGF_SIG_ECDSA, NULL},
    {TD_REG_SIGSCHEME, 0x0104, NULL, NULL, 0, "unknown (0x0104)"},
    {TD_REG_EC_POINT_FORMAT, 0, "uncompressed", NULL, 0, NULL},
    {TD_REG_EC_POINT_FORMAT, 1, "ansiX962_compressed_prime", NULL, TD_REGF_OBSOLETE, NULL},
    {TD_REG_EC_POINT_FORMAT, 3, NULL, NULL, 0, "unknown (0x03)"},
    {TD_REG_COMPRESSION, 0, "null", "none", 0, NULL},
    {TD_REG_COMPRESSION, 1, "DEFLATE", "deflate", TD_REGF_OBSOLETE, NULL},
    {TD_REG_COMPRESSION, 2, NULL, NULL, 0, "unknown (0x02)"},
    {TD_REG_ALERT, 0, "close_notify", NULL, TD_REGF_ALERT_WARNING, NULL},
    {TD_REG_ALERT, 40, "handshake_failure", "HANDSHAKE_FAILURE", TD_REGF_ALERT_FATAL, NULL},
    {TD_REG_ALERT, 42, "bad_certificate", NULL, TD_REGF_ALERT_FATAL | TD_REGF_ALERT_WARNING, NULL},
    {TD_REG_ALERT, 48, "unknown_ca", NULL, TD_REGF_ALERT_FATAL, NULL},
    {TD_REG_ALERT, 70, "protocol_version", NULL, TD_REGF_ALERT_FATAL, NULL},
    {TD_REG_ALERT, 86, "inappropriate_fallback", NULL, TD_REGF_ALERT_FATAL, NULL},
    {TD_REG_ALERT, 112, "unrecognized_name", NULL, TD_REGF_ALERT_FATAL | TD_REGF_ALERT_WARNING, NULL},
    {TD_REG_ALERT, 120, "no_application_protocol", NULL, TD_REGF_ALERT_FATAL, NULL},
    {TD_REG_ALERT, 0x5B, NULL, NULL, 0, "unknown (0x5B)"},
    {TD_REG_ALERT, 300, NULL, NULL, 0, "unknown (0x012C)"},
    {TD_REG_ALERT_LEVEL, 1, "warning", NULL, 0, NULL},
    {TD_REG_ALERT_LEVEL, 2, "fatal", "FATAL", 0, NULL},
    {TD_REG_ALERT_LEVEL, 3, NULL, NULL, 0, "unknown (0x03)"},
    {TD_REG_MFL, 1, "2^9", "512", 0, NULL},
    {TD_REG_MFL, 4, "2^12", "4096", 0, NULL},
    {TD_REG_MFL, 5, NULL, NULL, 0, "unknown (0x05)"},
    {TD_REG_PSK_MODE, 1, "psk_dhe_ke", NULL, 0, NULL},
    {TD_REG_CERT_COMPRESSION, 2, "brotli", NULL, 0, NULL},
    {TD_REG_VERSION, 0x0304, "TLS 1.3", "tlsv1.3", 0, NULL},
    {TD_REG_VERSION, 0xFEFF, "DTLS 1.0", NULL, TD_REGF_DTLS, NULL},
};
/* clang-format on */

static void test_table_lookups(void **state)
{
    char buf[TD_REG_NAMEBUF];
    (void)state;
    for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
        const struct entry_case *c = &entries[i];
        const struct td_reg_entry *e = td_reg_find(c->table, c->code);
        const char *shown = td_reg_name(c->table, c->code, buf);
        if (c->name == NULL) {
            if (e != NULL)
                fail_msg("%s 0x%04X unexpectedly known as %s", td_reg_table_name(c->table), c->code, e->name);
            assert_string_equal(shown, c->display);
            continue;
        }
        if (e == NULL)
            fail_msg("%s %u not found", td_reg_table_name(c->table), c->code);
        assert_string_equal(e->name, c->name);
        assert_string_equal(shown, c->name);
        if ((e->flags & c->flags) != c->flags)
            fail_msg("%s: flags 0x%04X lack 0x%04X", e->name, e->flags, c->flags);
        if (c->lookup != NULL) {
            const struct td_reg_entry *f = td_reg_find_name(c->table, c->lookup);
            if (f != e)
                fail_msg("'%s' did not resolve to %s", c->lookup, c->name);
        }
    }
    /* negatives by name */
    assert_null(td_reg_find_name(TD_REG_GROUP, "P-999"));
    assert_null(td_reg_find_name(TD_REG_GROUP, "secp256"));
    assert_null(td_reg_find_name(TD_REG_GROUP, ""));
    assert_null(td_reg_find_name(TD_REG_GROUP, NULL));
    assert_null(td_reg_find_name(TD_REG_EXTENSION, "server"));
    assert_null(td_reg_find_name(TD_REG_ALERT, "handshake"));
    /* the signature-scheme flags say which are TLS 1.3-only / legacy */
    assert_false(td_reg_find(TD_REG_SIGSCHEME, 0x0201)->flags & TD_REGF_SIG_TLS13);
    assert_false(td_reg_find(TD_REG_SIGSCHEME, 0x0401)->flags & TD_REGF_SIG_TLS13);
    assert_false(td_reg_find(TD_REG_SIGSCHEME, 0x081A)->flags & TD_REGF_SIG_TLS12);
    assert_false(td_reg_find(TD_REG_GROUP, 26)->flags & TD_REGF_GROUP_TLS13);
    assert_false(td_reg_find(TD_REG_EXTENSION, 11)->flags & TD_REGF_EXT_TLS13);
    assert_false(td_reg_find(TD_REG_ALERT, 0)->flags & TD_REGF_ALERT_FATAL);
    /* the convenience wrappers are the generic look-up */
    assert_string_equal(td_reg_ext_name(0, buf), "server_name");
    assert_string_equal(td_reg_group_name(29, buf), "x25519");
    assert_string_equal(td_reg_sigscheme_name(0x0804, buf), "rsa_pss_rsae_sha256");
    assert_string_equal(td_reg_alert_name(40, buf), "handshake_failure");
    assert_string_equal(td_reg_handshake_name(11, buf), "certificate");
}

/* Strength from the suite's own parts; every assigned suite is classified. */
static void test_suite_strength(void **state)
{
    static const struct {
        uint16_t code;
        enum td_strength want;
        const char *why; /* a word of the reason, or NULL for OK */
    } cases[] = {
        {0xC02F, TD_STRENGTH_OK, NULL},         /* ECDHE_RSA AES_128_GCM */
        {0x002F, TD_STRENGTH_OK, NULL},         /* RSA AES_128_CBC_SHA: no PFS, still OK */
        {0x1301, TD_STRENGTH_OK, NULL},         /* TLS 1.3 */
        {0x000A, TD_STRENGTH_WEAK, "SWEET32"},  /* RSA 3DES_EDE_CBC_SHA */
        {0x0007, TD_STRENGTH_WEAK, "SWEET32"},  /* RSA IDEA_CBC_SHA */
        {0x0004, TD_STRENGTH_INSECURE, "RC4"},  /* RSA RC4_128_MD5 */
        {0x0005, TD_STRENGTH_INSECURE, "RC4"},  /* RSA RC4_128_SHA */
        {0x0009, TD_STRENGTH_INSECURE, "DES"},  /* RSA DES_CBC_SHA */
        {0x0003, TD_STRENGTH_INSECURE, "export"}, /* RSA_EXPORT RC4_40_MD5 */
        {0x0001, TD_STRENGTH_INSECURE, "NULL"}, /* RSA NULL_MD5 */
        {0x0000, TD_STRENGTH_INSECURE, "NULL"}, /* NULL_WITH_NULL_NULL */
        {0x0034, TD_STRENGTH_INSECURE, "anonymous"}, /* DH_anon AES_128_CBC_SHA */
        {0xC018, TD_STRENGTH_INSECURE, "anonymous"}, /* ECDH_anon AES_128_CBC_SHA */
    };
    const char *why;
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        const struct td_suite *s = td_reg_suite_find(cases[i].code);
        assert_non_null(s);
        why = "unset";
        if (td_reg_suite_strength(s, &why) != cases[i].want)
            fail_msg("0x%04X %s: %s, want %s", cases[i].code, s->name,
                     td_reg_strength_name(td_reg_suite_strength(s, NULL)), td_reg_strength_name(cases[i].want));
        if (cases[i].why == NULL)
            assert_null(why);
        else if (why == NULL || strstr(why, cases[i].why) == NULL)
            fail_msg("0x%04X: reason '%s' lacks '%s'", cases[i].code, why ? why : "(null)", cases[i].why);
    }
    /* total: every assigned suite gets a verdict, and a reason unless OK */
    for (size_t i = 0; i < td_reg_suite_count(); i++) {
        const struct td_suite *s = td_reg_suite_at(i);
        enum td_strength st = td_reg_suite_strength(s, &why);
        assert_true(st == TD_STRENGTH_OK || st == TD_STRENGTH_WEAK || st == TD_STRENGTH_INSECURE);
        assert_true((st == TD_STRENGTH_OK) == (why == NULL));
        /* no AEAD suite with a real cipher and authentication is below OK */
        if ((s->flags & TD_SUITE_AEAD) && s->auth != TD_AUTH_ANON && s->cipher != TD_CIPHER_NULL &&
            s->auth != TD_AUTH_NULL && s->cipher != TD_CIPHER_MAGMA_MGM_L && s->cipher != TD_CIPHER_MAGMA_MGM_S)
            assert_int_equal(st, TD_STRENGTH_OK);
    }
    assert_int_equal(td_reg_suite_strength(NULL, &why), TD_STRENGTH_OK);
    assert_null(why);
    assert_string_equal(td_reg_strength_name(TD_STRENGTH_INSECURE), "insecure");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_table_is_current),
        cmocka_unit_test(test_suite_table_shape),
        cmocka_unit_test(test_suite_lookups),
        cmocka_unit_test(test_suite_names_case_and_unknown),
        cmocka_unit_test(test_ossl_map_consistent),
        cmocka_unit_test(test_suite_version_validity),
        cmocka_unit_test(test_versions_and_grease),
        cmocka_unit_test(test_enum_names),
        cmocka_unit_test(test_tables_shape),
        cmocka_unit_test(test_table_lookups),
        cmocka_unit_test(test_suite_strength),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
