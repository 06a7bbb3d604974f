/* wire/: records, reassemblers, messages and extensions; negative cases
 * beside the positive ones; encode->decode round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/hex.h"
#include "wire/certificate.h"
#include "wire/certreq.h"
#include "wire/clienthello.h"
#include "wire/ee.h"
#include "wire/record.h"
#include "wire/serverhello.h"
#include "wire/ske.h"
#include "wire_testutil.h"

/* Parses hex text into an exact-size heap buffer. */
static uint8_t *hex(const char *text, size_t *len)
{
    struct td_writer w;
    uint8_t *p;
    td_wr_init(&w, 1 << 16);
    assert_int_equal(td_hex_parse(text, strlen(text), &w, NULL), TD_ERR_OK);
    p = tu_dup(w.buf, w.len);
    *len = w.len;
    td_wr_free(&w);
    return p;
}

/* ---- records ---- */

static void test_record_table(void **state)
{
    static const struct {
        const char *hex;
        td_err want;
        unsigned type;
        size_t body;
    } cases[] = {
        {"16 03 01 00 02 aa bb", TD_ERR_OK, TD_CT_HANDSHAKE, 2},
        {"15 03 03 00 02 02 28", TD_ERR_OK, TD_CT_ALERT, 2},
        {"17 03 03 00 00", TD_ERR_OK, TD_CT_APPLICATION_DATA, 0}, /* empty app data is legal */
        {"16 03 01 00 00", TD_ERR_LENGTH, 0, 0},                  /* RFC 8446 5.1: no empty handshake */
        {"16 03 01 48 01", TD_ERR_LENGTH, 0, 0},                  /* 2^14 + 2048 + 1 */
        {"16 03 01 00 05 aa", TD_ERR_TRUNCATED, 0, 0},
        {"16 03", TD_ERR_TRUNCATED, 0, 0},
        {"", TD_ERR_TRUNCATED, 0, 0},
        {"48 54 54 50 2f", TD_ERR_BADVALUE, 0, 0}, /* "HTTP/" from a plaintext server */
        {"80 03 01 00 02", TD_ERR_OK, TD_CT_SSL2, 3},
        {"80 00", TD_ERR_LENGTH, 0, 0},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        size_t n;
        uint8_t *p = hex(cases[i].hex, &n);
        struct td_reader r;
        struct td_record rec;
        struct td_diag d;
        td_diag_init(&d);
        td_rd_init(&r, p, n, 0, &d);
        if (td_record_parse(&r, &rec) != cases[i].want)
            fail_msg("case %zu (%s): got %s", i, cases[i].hex, td_err_name(d.code));
        if (cases[i].want == TD_ERR_OK) {
            assert_int_equal(rec.type, cases[i].type);
            assert_int_equal(rec.body.len, cases[i].body);
        }
        free(p);
    }
}

/* Records split across reads, several per read, and a full buffer. */
static void test_recbuf(void **state)
{
    struct td_writer w;
    struct td_recbuf *rb = malloc(sizeof(*rb));
    struct td_record rec;
    static const uint8_t body[300] = {1};
    size_t got = 0, fed = 0;
    (void)state;

    td_wr_init(&w, 1 << 20);
    for (int i = 0; i < 40; i++)
        assert_int_equal(td_record_encode(&w, TD_CT_HANDSHAKE, TD_V_TLS12, body, sizeof(body)), TD_ERR_OK);
    assert_int_equal(td_record_encode(&w, TD_CT_APPLICATION_DATA, TD_V_TLS12, NULL, 0), TD_ERR_OK);
    td_recbuf_init(rb, 1000);
    /* feed in 7-byte pieces */
    while (fed < w.len) {
        size_t n = w.len - fed < 7 ? w.len - fed : 7;
        size_t took = td_recbuf_feed(rb, w.buf + fed, n);
        bool ready = true;
        fed += took;
        while (ready) {
            assert_int_equal(td_recbuf_next(rb, &rec, &ready, NULL), TD_ERR_OK);
            if (ready) {
                assert_int_equal(rec.body.off, 1000 + got * 305 + 5);
                got++;
            }
        }
    }
    assert_int_equal(got, 41);
    assert_int_equal(td_recbuf_pending(rb), 0);
    /* the whole stream at once: the buffer takes what fits, records drain, the rest follows */
    td_recbuf_init(rb, 0);
    got = 0;
    fed = 0;
    while (fed < w.len) {
        bool ready = true;
        fed += td_recbuf_feed(rb, w.buf + fed, w.len - fed);
        while (ready) {
            assert_int_equal(td_recbuf_next(rb, &rec, &ready, NULL), TD_ERR_OK);
            got += ready;
        }
    }
    assert_int_equal(got, 41);
    /* a bad header fails the stream for good */
    {
        static const uint8_t junk[] = {'G', 'E', 'T', ' ', '/'};
        struct td_diag d;
        bool ready;
        td_diag_init(&d);
        td_recbuf_init(rb, 0);
        assert_int_equal(td_recbuf_feed(rb, junk, sizeof(junk)), sizeof(junk));
        assert_int_equal(td_recbuf_next(rb, &rec, &ready, &d), TD_ERR_BADVALUE);
        assert_int_equal(d.offset, 0);
        assert_int_not_equal(td_recbuf_next(rb, &rec, &ready, NULL), TD_ERR_OK);
    }
    td_wr_free(&w);
    free(rb);
}

/* Handshake messages split across records, and several in one record. */
static void test_hsbuf(void **state)
{
    struct td_hsbuf hb;
    struct td_hsmsg m;
    bool ready;
    size_t n = 0;
    /* ServerHelloDone + a 6-byte message + start of a third */
    uint8_t *a = hex("0e000000 0b000002 aabb 0c00", &n);
    uint8_t *b;
    size_t bn;
    struct td_diag d;
    (void)state;

    td_hsbuf_init(&hb);
    assert_int_equal(td_hsbuf_feed(&hb, a, n), TD_ERR_OK);
    assert_int_equal(td_hsbuf_next(&hb, &m, &ready, NULL), TD_ERR_OK);
    assert_true(ready);
    assert_int_equal(m.type, TD_HS_SERVER_HELLO_DONE);
    assert_int_equal(m.body.len, 0);
    assert_int_equal(td_hsbuf_next(&hb, &m, &ready, NULL), TD_ERR_OK);
    assert_true(ready);
    assert_int_equal(m.type, TD_HS_CERTIFICATE);
    assert_int_equal(m.body.len, 2);
    assert_int_equal(m.whole.off, 4);
    assert_int_equal(td_hsbuf_next(&hb, &m, &ready, NULL), TD_ERR_OK);
    assert_false(ready);
    assert_int_equal(td_hsbuf_pending(&hb), 2);
    b = hex("0003 010203", &bn);
    assert_int_equal(td_hsbuf_feed(&hb, b, bn), TD_ERR_OK);
    assert_int_equal(td_hsbuf_next(&hb, &m, &ready, NULL), TD_ERR_OK);
    assert_true(ready);
    assert_int_equal(m.type, TD_HS_SERVER_KEY_EXCHANGE);
    assert_int_equal(m.body.len, 3);
    assert_int_equal(td_hsbuf_pending(&hb), 0);
    free(a);
    free(b);
    /* a message declaring more than the cap */
    a = hex("0b ffffff", &n);
    td_diag_init(&d);
    assert_int_equal(td_hsbuf_feed(&hb, a, n), TD_ERR_OK);
    assert_int_equal(td_hsbuf_next(&hb, &m, &ready, &d), TD_ERR_TOOBIG);
    free(a);
    td_hsbuf_free(&hb);
}

static void test_alert_ccs(void **state)
{
    size_t n = 0;
    uint8_t *p = hex("02 28", &n);
    struct td_reader r;
    struct td_alert a;
    (void)state;
    td_rd_init(&r, p, n, 0, NULL);
    assert_int_equal(td_alert_parse(&r, &a), TD_ERR_OK);
    assert_int_equal(a.level, TD_ALERT_FATAL);
    assert_int_equal(a.description, 40);
    free(p);
    p = hex("02", &n);
    td_rd_init(&r, p, n, 0, NULL);
    assert_int_equal(td_alert_parse(&r, &a), TD_ERR_TRUNCATED);
    free(p);
    p = hex("01", &n);
    td_rd_init(&r, p, n, 0, NULL);
    assert_int_equal(td_ccs_parse(&r), TD_ERR_OK);
    free(p);
    p = hex("02", &n);
    td_rd_init(&r, p, n, 0, NULL);
    assert_int_equal(td_ccs_parse(&r), TD_ERR_BADVALUE);
    free(p);
}

/* ---- ClientHello ---- */

/* A minimal TLS 1.2 ClientHello body with the given extensions block. */
static uint8_t *ch_with(const char *exts_hex, size_t *len)
{
    char buf[4096];
    snprintf(buf, sizeof(buf), "0303 %s 00 0002 c02f 0100 %s",
             "0001020304050607080910111213141516171819202122232425262728293031", exts_hex);
    return hex(buf, len);
}

static void test_ch_negatives(void **state)
{
    static const struct {
        const char *what;
        const char *exts;
        td_err want;
    } cases[] = {
        {"no extensions", "", TD_ERR_OK},
        {"empty extensions", "0000", TD_ERR_OK},
        {"ems", "0004 0017 0000", TD_ERR_OK},
        {"duplicate ems", "0008 0017 0000 0017 0000", TD_ERR_DUPLICATE},
        {"ems with a body", "0005 0017 0001 00", TD_ERR_TRAILING},
        {"ext length past block", "0004 0017 0001", TD_ERR_TRUNCATED},
        {"block length past body", "0006 0017 0000", TD_ERR_TRUNCATED},
        {"trailing after block", "0000 00", TD_ERR_TRAILING},
        {"odd groups", "0007 000a 0003 0001 00", TD_ERR_LENGTH},
        {"empty groups", "0006 000a 0002 0000", TD_ERR_LENGTH},
        {"sni", "000e 0000 000a 0008 00 0005 612e636f6d", TD_ERR_OK},
        {"sni empty list", "0006 0000 0002 0000", TD_ERR_LENGTH},
        {"sni two host_names", "0016 0000 0012 0010 00 0005 612e636f6d 00 0005 622e636f6d", TD_ERR_DUPLICATE},
        {"mfl 5", "0005 0001 0001 05", TD_ERR_BADVALUE},
        {"rsl 63", "0006 001c 0002 003f", TD_ERR_BADVALUE},
        {"alpn empty name", "0007 0010 0003 0001 00", TD_ERR_LENGTH},
        {"supported_versions odd", "0008 002b 0004 03 0304 03", TD_ERR_LENGTH},
        {"key_share dup group", "0014 0033 0010 000e 001d 0001 aa 001d 0001 bb 0017 0001 cc", TD_ERR_DUPLICATE},
        {"key_share empty key", "0008 0033 0004 0002 001d 0000", TD_ERR_TRUNCATED},
        {"status_request ocsp", "0009 0005 0005 01 0000 0000", TD_ERR_OK},
        {"status_request short", "0007 0005 0003 01 0000", TD_ERR_TRUNCATED},
        {"reneg info", "0005 ff01 0001 00", TD_ERR_OK},
        {"reneg info overrun", "0005 ff01 0001 05", TD_ERR_TRUNCATED},
        {"padding nonzero", "0006 0015 0002 0001", TD_ERR_OK},
        {"unknown kept raw", "0007 abcd 0003 010203", TD_ERR_OK},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        size_t n;
        uint8_t *p = ch_with(cases[i].exts, &n);
        struct td_client_hello ch;
        struct td_reader r;
        struct td_diag d;
        td_err got;
        td_diag_init(&d);
        td_rd_init(&r, p, n, 0, &d);
        got = td_ch_decode(&r, &ch);
        if (got != cases[i].want) {
            char msg[256];
            td_diag_format(&d, msg, sizeof(msg));
            fail_msg("%s: got %s (%s), want %s", cases[i].what, td_err_name(got), msg, td_err_name(cases[i].want));
        }
        if (got != TD_ERR_OK)
            assert_true(d.offset <= n);
        free(p);
    }
}

static void test_ch_typed_fields(void **state)
{
    size_t n = 0;
    uint8_t *p = ch_with("001b abcd 0003 010203 0015 0002 0001 0000 000a 0008 00 0005 612e636f6d", &n);
    struct td_client_hello ch;
    struct td_reader r;
    const struct td_ext_raw *x;
    (void)state;
    td_rd_init(&r, p, n, 0, NULL);
    assert_int_equal(td_ch_decode(&r, &ch), TD_ERR_OK);
    assert_int_equal(ch.ext.count, 3);
    x = td_exts_find(&ch.ext, 0xabcd);
    assert_non_null(x);
    assert_int_equal(x->data.len, 3);
    assert_false(td_ext_known(0xabcd));
    assert_true(ch.ext.padding_nonzero);
    assert_int_equal(ch.ext.padding_len, 2);
    assert_memory_equal(ch.ext.sni_host.p, "a.com", 5);
    free(p);
}

/* RFC 5246 E.2: an SSLv2-compatible hello offering TLS 1.0. */
static void test_ch_sslv2(void **state)
{
    static const struct {
        const char *hex;
        td_err want;
    } cases[] = {
        /* len 0x1f: type 1, version 0301, specs 6, sid 0, challenge 16 */
        {"801f 01 0301 0006 0000 0010 000035 010080 000102030405060708090a0b0c0d0e0f", TD_ERR_OK},
        {"801f 01 0301 0005 0000 0010 000035 010080 000102030405060708090a0b0c0d0e0f", TD_ERR_LENGTH},
        {"801f 01 0301 0006 0000 000f 000035 010080 000102030405060708090a0b0c0d0e0f", TD_ERR_LENGTH},
        {"801f 04 0301 0006 0000 0010 000035 010080 000102030405060708090a0b0c0d0e0f", TD_ERR_UNEXPECTED},
        {"8020 01 0301 0006 0000 0010 000035 010080 000102030405060708090a0b0c0d0e0f ff", TD_ERR_TRAILING},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        size_t n;
        uint8_t *p = hex(cases[i].hex, &n);
        struct td_client_hello ch;
        td_err got = td_ch_parse_any(p, n, NULL, &ch);
        if (got != cases[i].want)
            fail_msg("sslv2 case %zu: got %s", i, td_err_name(got));
        if (got == TD_ERR_OK) {
            assert_true(ch.sslv2);
            assert_int_equal(ch.legacy_version, TD_V_TLS10);
            assert_int_equal(td_ch_suite_count(&ch), 2);
            assert_int_equal(td_ch_suite_at(&ch, 0), 0x000035);
            assert_int_equal(td_ch_suite_at(&ch, 1), 0x010080);
            assert_true(td_ch_offers_suite(&ch, 0x0035));
            assert_int_equal(ch.random.len, 16);
            assert_int_equal(ch.ext.count, 0);
        }
        free(p);
    }
}

/* encode(decode(x)) == x for the real hellos. */
static void test_ch_roundtrip(void **state)
{
    static const char *const files[] = {"ossl_tls12_ecdhe.ch", "ossl_tls13.ch", "gnutls_tls12.ch", "nginx_tls12.ch",
                                        "ossl_tls11_ecdhe.ch"};
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(files); i++) {
        size_t n;
        uint8_t *p = tu_read_vector(files[i], &n);
        struct td_reader r, body;
        uint8_t type;
        struct td_client_hello ch;
        struct td_writer w;
        assert_non_null(p);
        td_rd_init(&r, p, n, 0, NULL);
        assert_int_equal(td_hs_parse(&r, &type, &body), TD_ERR_OK);
        assert_int_equal(td_ch_decode(&body, &ch), TD_ERR_OK);
        td_wr_init(&w, 1 << 16);
        assert_int_equal(td_ch_encode(&w, &ch), TD_ERR_OK);
        assert_int_equal(w.len, n);
        assert_memory_equal(w.buf, p, n);
        td_wr_free(&w);
        free(p);
    }
}

/* ---- ServerHello ---- */

static td_err sh_decode_hex(const char *h, struct td_server_hello *sh, uint8_t **keep)
{
    size_t n = 0;
    struct td_reader r;
    *keep = hex(h, &n);
    td_rd_init(&r, *keep, n, 0, NULL);
    return td_sh_decode(&r, sh);
}

#define RND "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define HRR_RND "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C"
#define DOWN12_RND "000102030405060708090a0b0c0d0e0f1011121314151617444F574E47524401"

static void test_sh_table(void **state)
{
    static const struct {
        const char *what;
        const char *hex;
        td_err want;
        uint16_t version;
        bool hrr, tls13;
        size_t not_allowed;
    } cases[] = {
        {"tls1.2 no ext", "0303" RND "00 c02f 00", TD_ERR_OK, TD_V_TLS12, false, false, 0},
        {"tls1.2 reneg+ems", "0303" RND "00 c02f 00 0009 ff01 0001 00 0017 0000", TD_ERR_OK, TD_V_TLS12, false, false,
         0},
        {"tls1.3", "0303" RND "00 1301 00 000e 002b 0002 0304 0033 0004 001d 0000", TD_ERR_LENGTH, 0, false, false, 0},
        {"tls1.3 ok", "0303" RND "00 1301 00 000f 002b 0002 0304 0033 0005 001d 0001 aa", TD_ERR_OK, TD_V_TLS13, false,
         true, 0},
        {"hrr", "0303" HRR_RND "00 1301 00 000c 002b 0002 0304 0033 0002 0018", TD_ERR_OK, TD_V_TLS13, true, true, 0},
        {"hrr without extensions", "0303" HRR_RND "00 1301 00", TD_ERR_TRUNCATED, 0, false, false, 0},
        {"tls1.2 with key_share (not allowed)", "0303" RND "00 c02f 00 0009 0033 0005 001d 0001 aa", TD_ERR_OK,
         TD_V_TLS12, false, false, 1},
        {"tls1.3 with ems (not allowed)", "0303" RND "00 1301 00 000a 002b 0002 0304 0017 0000", TD_ERR_OK, TD_V_TLS13,
         false, true, 1},
        {"duplicate ext", "0303" RND "00 c02f 00 0008 0017 0000 0017 0000", TD_ERR_DUPLICATE, 0, false, false, 0},
        {"session id 33", "0303" RND "21 c02f 00", TD_ERR_LENGTH, 0, false, false, 0},
        {"trailing", "0303" RND "00 c02f 00 0000 00", TD_ERR_TRAILING, 0, false, false, 0},
        {"server sni non-empty", "0303" RND "00 c02f 00 0005 0000 0001 00", TD_ERR_TRAILING, 0, false, false, 0},
        {"server alpn two names", "0303" RND "00 c02f 00 000b 0010 0007 0005 01 61 02 6832", TD_ERR_BADVALUE, 0, false,
         false, 0},
        {"short random", "0303 0001", TD_ERR_TRUNCATED, 0, false, false, 0},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        struct td_server_hello sh;
        uint8_t *keep;
        td_err got = sh_decode_hex(cases[i].hex, &sh, &keep);
        if (got != cases[i].want)
            fail_msg("%s: got %s", cases[i].what, td_err_name(got));
        if (got == TD_ERR_OK) {
            assert_int_equal(sh.version, cases[i].version);
            assert_int_equal(sh.hrr, cases[i].hrr);
            assert_int_equal(sh.tls13, cases[i].tls13);
            assert_int_equal(sh.ext.not_allowed, cases[i].not_allowed);
        }
        free(keep);
    }
}

static void test_sh_details(void **state)
{
    struct td_server_hello sh;
    uint8_t *keep;
    (void)state;
    assert_int_equal(sh_decode_hex("0303" HRR_RND "00 1302 00 000c 002b 0002 0304 0033 0002 0018", &sh, &keep),
                     TD_ERR_OK);
    assert_int_equal(sh.ext.ks_group, TD_GROUP_SECP384R1);
    assert_int_equal(sh.cipher_suite, 0x1302);
    free(keep);
    assert_int_equal(sh_decode_hex("0303" DOWN12_RND "00 c02f 00", &sh, &keep), TD_ERR_OK);
    assert_int_equal(sh.downgrade, 12);
    free(keep);
    assert_int_equal(sh_decode_hex("0303" RND "00 c02f 00 000a ff01 0001 00 000b 0001 00", &sh, &keep),
                     TD_ERR_LENGTH); /* ec_point_format_list<1..2^8-1> is empty */
    free(keep);
}

static void test_sh_roundtrip(void **state)
{
    static const char *const files[] = {"ossl_tls12_ecdhe.sh", "ossl_tls13.sh", "ossl_tls13_hrr.sh", "gnutls_tls12.sh",
                                        "nginx_tls12.sh"};
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(files); i++) {
        size_t n;
        uint8_t *p = tu_read_vector(files[i], &n);
        struct td_reader r, body;
        uint8_t type;
        struct td_server_hello sh;
        struct td_writer w;
        assert_non_null(p);
        td_rd_init(&r, p, n, 0, NULL);
        assert_int_equal(td_hs_parse(&r, &type, &body), TD_ERR_OK);
        assert_int_equal(td_sh_decode(&body, &sh), TD_ERR_OK);
        td_wr_init(&w, 1 << 16);
        assert_int_equal(td_sh_encode(&w, &sh), TD_ERR_OK);
        assert_int_equal(w.len, n);
        assert_memory_equal(w.buf, p, n);
        td_wr_free(&w);
        free(p);
    }
}

/* Build a ServerHello from extension encoders and read it back. */
static void test_sh_encode_from_parts(void **state)
{
    uint8_t rnd[32], key[32];
    struct td_writer ex, w;
    struct td_server_hello sh, back;
    struct td_reader r, body;
    uint8_t type;
    (void)state;
    memset(rnd, 0x11, sizeof(rnd));
    memset(key, 0x22, sizeof(key));
    td_wr_init(&ex, 1024);
    assert_int_equal(td_ext_put_selected_version(&ex, TD_V_TLS13), TD_ERR_OK);
    assert_int_equal(td_ext_put_server_key_share(&ex, (struct td_key_share){TD_GROUP_X25519, {key, sizeof(key), 0}}),
                     TD_ERR_OK);
    memset(&sh, 0, sizeof(sh));
    sh.legacy_version = TD_V_TLS12;
    sh.random = (struct td_bytes){rnd, 32, 0};
    sh.cipher_suite = 0x1301;
    sh.has_extensions = true;
    td_rd_init(&r, ex.buf, ex.len, 0, NULL);
    /* the extension list is a view over ex: wrap it in a length prefix to parse */
    {
        struct td_writer blk;
        size_t m;
        td_wr_init(&blk, 2048);
        assert_int_equal(td_wr_open(&blk, 2, &m), TD_ERR_OK);
        assert_int_equal(td_wr_bytes(&blk, ex.buf, ex.len), TD_ERR_OK);
        assert_int_equal(td_wr_close(&blk, m, 2), TD_ERR_OK);
        td_rd_init(&r, blk.buf, blk.len, 0, NULL);
        assert_int_equal(td_exts_parse(&r, TD_MSG_SH13, &sh.ext), TD_ERR_OK);
        td_wr_init(&w, 2048);
        assert_int_equal(td_sh_encode(&w, &sh), TD_ERR_OK);
        td_wr_free(&blk);
    }
    td_rd_init(&r, w.buf, w.len, 0, NULL);
    assert_int_equal(td_hs_parse(&r, &type, &body), TD_ERR_OK);
    assert_int_equal(type, TD_HS_SERVER_HELLO);
    assert_int_equal(td_sh_decode(&body, &back), TD_ERR_OK);
    assert_true(back.tls13);
    assert_int_equal(back.ext.ks_group, TD_GROUP_X25519);
    assert_int_equal(back.ext.ks_key.len, 32);
    td_wr_free(&w);
    td_wr_free(&ex);
}

/* A ServerHello judged against the ClientHello it answers, on real pairs
 * and on deliberately mismatched ones. */
static void *load_msg(const char *file, void *out, bool client)
{
    size_t n = 0;
    uint8_t *p = tu_read_vector(file, &n);
    struct td_reader r, body;
    uint8_t type;
    assert_non_null(p);
    td_rd_init(&r, p, n, 0, NULL);
    assert_int_equal(td_hs_parse(&r, &type, &body), TD_ERR_OK);
    if (client)
        assert_int_equal(td_ch_decode(&body, out), TD_ERR_OK);
    else
        assert_int_equal(td_sh_decode(&body, out), TD_ERR_OK);
    return p;
}

static void test_sh_check(void **state)
{
    static const struct {
        const char *ch, *sh;
        bool failed, suite, version;
        size_t unsolicited;
    } cases[] = {
        {"ossl_tls12_ecdhe.ch", "ossl_tls12_ecdhe.sh", false, false, false, 0},
        {"ossl_tls13.ch", "ossl_tls13.sh", false, false, false, 0},
        {"ossl_tls13_hrr.ch", "ossl_tls13_hrr.sh", false, false, false, 0},
        {"gnutls_tls12.ch", "gnutls_tls12.sh", false, false, false, 0},
        {"nginx_tls12.ch", "nginx_tls12.sh", false, false, false, 0},
        {"ossl_mfl512.ch", "ossl_mfl512.sh", false, false, false, 0},
        /* a DHE-only client answered with an ECDHE suite and EC extensions */
        {"ossl_tls12_dhe.ch", "ossl_tls12_ecdhe.sh", true, true, false, 1},
        /* a TLS 1.2-only client answered in TLS 1.3 */
        {"ossl_tls12_ecdhe.ch", "ossl_tls13.sh", true, true, true, 2},
        /* a client without max_fragment_length gets one */
        {"ossl_tls12_ecdhe.ch", "ossl_mfl512.sh", true, false, false, 1},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        struct td_client_hello *ch = malloc(sizeof(*ch));
        struct td_server_hello *sh = malloc(sizeof(*sh));
        struct td_sh_check c;
        void *p1 = load_msg(cases[i].ch, ch, true);
        void *p2 = load_msg(cases[i].sh, sh, false);
        td_sh_check(ch, sh, &c);
        if (td_sh_check_failed(&c) != cases[i].failed || c.suite_not_offered != cases[i].suite ||
            c.version_not_offered != cases[i].version || c.unsolicited != cases[i].unsolicited)
            fail_msg("%s vs %s: failed %d suite %d version %d unsolicited %zu (first %u)", cases[i].ch, cases[i].sh,
                     td_sh_check_failed(&c), c.suite_not_offered, c.version_not_offered, c.unsolicited,
                     c.first_unsolicited);
        free(p1);
        free(p2);
        free(ch);
        free(sh);
    }
}

/* ---- Certificate ---- */

static void test_cert_forms(void **state)
{
    static const struct {
        const char *hex;
        bool tls13;
        td_err want;
        size_t count;
    } cases[] = {
        {"000000", false, TD_ERR_OK, 0},
        {"000008 000002 3000 000000", false, TD_ERR_LENGTH, 0}, /* ASN.1Cert<1..> */
        {"00000a 000002 3000 000002 3000", false, TD_ERR_OK, 2},
        {"00000a 000002 3000 000003 3000", false, TD_ERR_TRUNCATED, 0},
        {"00000a 000002 3000 000002 3000 ff", false, TD_ERR_TRAILING, 0},
        {"00 000007 000002 3000 0000", true, TD_ERR_OK, 1},
        {"02 abcd 000007 000002 3000 0000", true, TD_ERR_OK, 1},
        {"00 000007 000002 3000 0001", true, TD_ERR_TRUNCATED, 0},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        size_t n;
        uint8_t *p = hex(cases[i].hex, &n);
        struct td_reader r;
        struct td_certificate c;
        td_err got;
        td_rd_init(&r, p, n, 0, NULL);
        got = td_cert_decode(&r, cases[i].tls13, &c);
        if (got != cases[i].want)
            fail_msg("cert case %zu: got %s", i, td_err_name(got));
        if (got == TD_ERR_OK)
            assert_int_equal(c.count, cases[i].count);
        free(p);
    }
}

static void test_cert_encode(void **state)
{
    uint8_t a[3] = {0x30, 0x01, 0x00}, b[2] = {0x30, 0x00};
    struct td_bytes ders[2] = {{a, 3, 0}, {b, 2, 0}};
    struct td_writer w;
    struct td_reader r, body;
    struct td_certificate c;
    struct td_cert_entry e;
    uint8_t type;
    (void)state;
    td_wr_init(&w, 1024);
    assert_int_equal(td_cert_encode(&w, ders, 2), TD_ERR_OK);
    td_rd_init(&r, w.buf, w.len, 0, NULL);
    assert_int_equal(td_hs_parse(&r, &type, &body), TD_ERR_OK);
    assert_int_equal(td_cert_decode(&body, false, &c), TD_ERR_OK);
    assert_int_equal(c.count, 2);
    assert_int_equal(c.total_der, 5);
    assert_true(td_cert_at(&c, 1, &e));
    assert_int_equal(e.der.len, 2);
    td_wr_free(&w);
}

/* ---- ServerKeyExchange ---- */

static void test_ske_kinds(void **state)
{
    static const struct {
        const char *what;
        const char *hex;
        uint16_t version;
        enum td_kex kex;
        td_err want;
    } cases[] = {
        {"ecdhe 1.2", "03 001d 02 aabb 0804 0002 0102", TD_V_TLS12, TD_KEX_ECDHE, TD_ERR_OK},
        {"ecdhe 1.0 (no sigalg)", "03 001d 02 aabb 0002 0102", TD_V_TLS10, TD_KEX_ECDHE, TD_ERR_OK},
        {"ecdhe 1.2 as 1.0", "03 001d 02 aabb 0804 0002 0102", TD_V_TLS10, TD_KEX_ECDHE, TD_ERR_TRUNCATED},
        {"explicit curve", "01 001d 02 aabb 0804 0002 0102", TD_V_TLS12, TD_KEX_ECDHE, TD_ERR_BADVALUE},
        {"empty point", "03 001d 00 0804 0000", TD_V_TLS12, TD_KEX_ECDHE, TD_ERR_LENGTH},
        {"ecdh_anon", "03 0017 01 04", TD_V_TLS12, TD_KEX_ECDH_ANON, TD_ERR_OK},
        {"dhe", "0002 00ff 0001 02 0001 05 0401 0000", TD_V_TLS12, TD_KEX_DHE, TD_ERR_OK},
        {"dh_anon", "0002 00ff 0001 02 0001 05", TD_V_TLS12, TD_KEX_DH_ANON, TD_ERR_OK},
        {"dhe empty g", "0002 00ff 0000 0001 05 0401 0000", TD_V_TLS12, TD_KEX_DHE, TD_ERR_LENGTH},
        {"psk hint", "0004 68696e74", TD_V_TLS12, TD_KEX_PSK, TD_ERR_OK},
        {"psk empty hint", "0000", TD_V_TLS12, TD_KEX_PSK, TD_ERR_OK},
        {"dhe_psk", "0000 0001 17 0001 02 0001 05", TD_V_TLS12, TD_KEX_DHE_PSK, TD_ERR_OK},
        {"ecdhe_psk", "0000 03 001d 01 09", TD_V_TLS12, TD_KEX_ECDHE_PSK, TD_ERR_OK},
        {"rsa export", "0002 c001 0001 03 0003 010203", TD_V_TLS10, TD_KEX_RSA_EXPORT, TD_ERR_OK},
        {"signature overrun", "03 001d 02 aabb 0804 0005 0102", TD_V_TLS12, TD_KEX_ECDHE, TD_ERR_TRUNCATED},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        size_t n;
        uint8_t *p = hex(cases[i].hex, &n);
        struct td_reader r;
        struct td_ske s;
        td_err got;
        td_rd_init(&r, p, n, 0, NULL);
        got = td_ske_decode(&r, cases[i].version, cases[i].kex, &s);
        if (got != cases[i].want)
            fail_msg("%s: got %s", cases[i].what, td_err_name(got));
        free(p);
    }
}

static void test_ske_fields(void **state)
{
    size_t n = 0;
    uint8_t *p = hex("0002 00ff 0001 02 0001 05 0401 0002 0102", &n);
    struct td_reader r;
    struct td_ske s;
    (void)state;
    td_rd_init(&r, p, n, 0, NULL);
    assert_int_equal(td_ske_decode(&r, TD_V_TLS12, TD_KEX_DHE, &s), TD_ERR_OK);
    assert_int_equal(s.dh_p_bits, 8);
    assert_int_equal(s.dh_g_bits, 2);
    assert_int_equal(s.dh_ys_bits, 3);
    assert_true(s.signed_);
    assert_true(s.has_sigalg);
    assert_int_equal(s.sigalg, 0x0401);
    assert_int_equal(s.params.len, 10);
    assert_int_equal(s.signature.len, 2);
    free(p);
    p = hex("0002 c001 0001 03 0003 010203", &n);
    td_rd_init(&r, p, n, 0, NULL);
    assert_int_equal(td_ske_decode(&r, TD_V_TLS10, TD_KEX_RSA_EXPORT, &s), TD_ERR_OK);
    assert_int_equal(s.rsa_modulus_bits, 16);
    assert_false(s.has_sigalg);
    free(p);
    p = hex("0004 68696e74", &n);
    td_rd_init(&r, p, n, 0, NULL);
    assert_int_equal(td_ske_decode(&r, TD_V_TLS12, TD_KEX_PSK, &s), TD_ERR_OK);
    assert_memory_equal(s.psk_hint.p, "hint", 4);
    assert_false(s.signed_);
    free(p);
}

static void test_ske_encode_roundtrip(void **state)
{
    uint8_t pt[65], sig[8], prime[256], g = 2, ys[256];
    struct td_writer w;
    struct td_reader r, body;
    struct td_ske s;
    uint8_t type;
    (void)state;
    memset(pt, 4, sizeof(pt));
    memset(sig, 9, sizeof(sig));
    memset(prime, 0xff, sizeof(prime));
    memset(ys, 0x01, sizeof(ys));
    td_wr_init(&w, 4096);
    assert_int_equal(td_ske_encode_ecdhe(&w, TD_V_TLS12, TD_GROUP_SECP256R1, (struct td_bytes){pt, 65, 0}, 0x0403,
                                         (struct td_bytes){sig, 8, 0}),
                     TD_ERR_OK);
    td_rd_init(&r, w.buf, w.len, 0, NULL);
    assert_int_equal(td_hs_parse(&r, &type, &body), TD_ERR_OK);
    assert_int_equal(td_ske_decode(&body, TD_V_TLS12, TD_KEX_ECDHE, &s), TD_ERR_OK);
    assert_int_equal(s.named_curve, TD_GROUP_SECP256R1);
    assert_int_equal(s.point.len, 65);
    assert_int_equal(s.sigalg, 0x0403);
    td_wr_reset(&w);
    assert_int_equal(td_ske_encode_dhe(&w, TD_V_TLS11, (struct td_bytes){prime, 256, 0}, (struct td_bytes){&g, 1, 0},
                                       (struct td_bytes){ys, 256, 0}, 0, (struct td_bytes){sig, 8, 0}),
                     TD_ERR_OK);
    td_rd_init(&r, w.buf, w.len, 0, NULL);
    assert_int_equal(td_hs_parse(&r, &type, &body), TD_ERR_OK);
    assert_int_equal(td_ske_decode(&body, TD_V_TLS11, TD_KEX_DHE, &s), TD_ERR_OK);
    assert_int_equal(s.dh_p_bits, 2048);
    assert_int_equal(s.dh_ys_bits, 2041);
    td_wr_free(&w);
}

/* ---- CertificateRequest / ServerHelloDone ---- */

static void test_certreq(void **state)
{
    static const struct {
        const char *what;
        const char *hex;
        uint16_t version;
        td_err want;
        size_t cas;
    } cases[] = {
        {"1.2", "02 0140 0004 0401 0403 0000", TD_V_TLS12, TD_ERR_OK, 0},
        {"1.2 with CA", "01 01 0002 0401 0007 0005 3003 310100", TD_V_TLS12, TD_ERR_OK, 1},
        {"1.1 (no sigalgs)", "01 01 0000", TD_V_TLS11, TD_ERR_OK, 0},
        {"1.1 with 1.2 layout", "01 01 0002 0401 0000", TD_V_TLS11, TD_ERR_TRUNCATED, 0},
        {"no types", "00 0002 0401 0000", TD_V_TLS12, TD_ERR_LENGTH, 0},
        {"empty DN", "01 01 0002 0401 0002 0000", TD_V_TLS12, TD_ERR_LENGTH, 0},
        {"1.3", "00 0008 000d 0004 0002 0804", TD_V_TLS13, TD_ERR_OK, 0},
        {"1.3 without sigalgs", "00 0004 0017 0000", TD_V_TLS13, TD_ERR_BADVALUE, 0},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        size_t n;
        uint8_t *p = hex(cases[i].hex, &n);
        struct td_reader r;
        struct td_certreq cr;
        td_err got;
        td_rd_init(&r, p, n, 0, NULL);
        got = td_certreq_decode(&r, cases[i].version, &cr);
        if (got != cases[i].want)
            fail_msg("%s: got %s", cases[i].what, td_err_name(got));
        if (got == TD_ERR_OK) {
            struct td_bytes dn;
            assert_int_equal(cr.authority_count, cases[i].cas);
            assert_int_equal(td_certreq_authority_at(&cr, 0, &dn), cases[i].cas > 0);
        }
        free(p);
    }
    {
        size_t n;
        uint8_t *p = hex("00", &n);
        struct td_reader r;
        td_rd_init(&r, p, 0, 0, NULL);
        assert_int_equal(td_shd_decode(&r), TD_ERR_OK);
        td_rd_init(&r, p, 1, 0, NULL);
        assert_int_equal(td_shd_decode(&r), TD_ERR_TRAILING);
        free(p);
    }
}

/* EncryptedExtensions: allowed set, round trip, trailing bytes. */
static void test_ee(void **state)
{
    static const struct {
        const char *hex;
        td_err want;
        size_t not_allowed;
    } cases[] = {
        {"0000", TD_ERR_OK, 0},
        {"000d 0000 0000 0010 0005 0003 026832", TD_ERR_OK, 0}, /* SNI ack + ALPN h2 */
        {"0008 0033 0004 001d 0000", TD_ERR_LENGTH, 0},       /* key_share with an empty key */
        {"0009 0033 0005 001d 0001 aa", TD_ERR_OK, 1},        /* key_share is not an EE extension */
        {"0004 0017 0000", TD_ERR_OK, 1},                     /* nor is EMS */
        {"0000 00", TD_ERR_TRAILING, 0},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        size_t n = 0;
        uint8_t *p = hex(cases[i].hex, &n);
        struct td_reader r;
        struct td_exts *e = malloc(sizeof(*e));
        td_err got;
        td_rd_init(&r, p, n, 0, NULL);
        got = td_ee_decode(&r, e);
        if (got != cases[i].want)
            fail_msg("ee case %zu: got %s", i, td_err_name(got));
        if (got == TD_ERR_OK) {
            struct td_writer w;
            assert_int_equal(e->not_allowed, cases[i].not_allowed);
            td_wr_init(&w, 4096);
            assert_int_equal(td_ee_encode(&w, e), TD_ERR_OK);
            assert_int_equal(w.len, n + 4);
            assert_memory_equal(w.buf + 4, p, n);
            td_wr_free(&w);
        }
        free(e);
        free(p);
    }
}

/* RFC 8446 4.2's table. */
static void test_ext_allowed(void **state)
{
    (void)state;
    assert_true(td_ext_allowed(TD_EXT_KEY_SHARE, TD_MSG_CH));
    assert_true(td_ext_allowed(TD_EXT_KEY_SHARE, TD_MSG_HRR));
    assert_false(td_ext_allowed(TD_EXT_KEY_SHARE, TD_MSG_SH12));
    assert_false(td_ext_allowed(TD_EXT_EXTENDED_MASTER_SECRET, TD_MSG_SH13));
    assert_true(td_ext_allowed(TD_EXT_EXTENDED_MASTER_SECRET, TD_MSG_SH12));
    assert_false(td_ext_allowed(TD_EXT_PADDING, TD_MSG_SH12));
    assert_true(td_ext_allowed(TD_EXT_COOKIE, TD_MSG_HRR));
    assert_true(td_ext_allowed(TD_EXT_SIGNATURE_ALGORITHMS, TD_MSG_CR13));
    assert_false(td_ext_allowed(TD_EXT_SUPPORTED_VERSIONS, TD_MSG_SH12));
    assert_true(td_ext_allowed(0xabcd, TD_MSG_SH13)); /* unknown: not judged */
    assert_true(td_ext_known(TD_EXT_RENEGOTIATION_INFO));
    assert_false(td_ext_known(TD_EXT_COOKIE)); /* kept raw */
    assert_true(td_is_grease(0x0a0a));
    assert_true(td_is_grease(0xfafa));
    assert_false(td_is_grease(0x0a1a));
}

/* More extensions than TD_EXT_MAX is TOOBIG, not an overflow. */
static void test_ext_cap(void **state)
{
    struct td_writer w;
    size_t m;
    struct td_reader r;
    struct td_exts *e = malloc(sizeof(*e));
    (void)state;
    td_wr_init(&w, 1 << 16);
    assert_int_equal(td_wr_open(&w, 2, &m), TD_ERR_OK);
    for (unsigned i = 0; i < TD_EXT_MAX + 1; i++)
        assert_int_equal(td_ext_put_empty(&w, (uint16_t)(0x1000 + i)), TD_ERR_OK);
    assert_int_equal(td_wr_close(&w, m, 2), TD_ERR_OK);
    td_rd_init(&r, w.buf, w.len, 0, NULL);
    assert_int_equal(td_exts_parse(&r, TD_MSG_CH, e), TD_ERR_TOOBIG);
    free(e);
    td_wr_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_table), cmocka_unit_test(test_recbuf),
        cmocka_unit_test(test_hsbuf),        cmocka_unit_test(test_alert_ccs),
        cmocka_unit_test(test_ch_negatives), cmocka_unit_test(test_ch_typed_fields),
        cmocka_unit_test(test_ch_sslv2),     cmocka_unit_test(test_ch_roundtrip),
        cmocka_unit_test(test_sh_table),     cmocka_unit_test(test_sh_details),
        cmocka_unit_test(test_sh_roundtrip), cmocka_unit_test(test_sh_encode_from_parts),
        cmocka_unit_test(test_sh_check),     cmocka_unit_test(test_cert_forms),
        cmocka_unit_test(test_cert_encode),  cmocka_unit_test(test_ske_kinds),
        cmocka_unit_test(test_ske_fields),   cmocka_unit_test(test_ske_encode_roundtrip),
        cmocka_unit_test(test_certreq),      cmocka_unit_test(test_ee),
        cmocka_unit_test(test_ext_allowed),  cmocka_unit_test(test_ext_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
