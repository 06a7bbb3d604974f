/* core/: reader, writer, hex, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/hex.h"
#include "core/reader.h"
#include "core/writer.h"

static void test_err_names(void **state)
{
    (void)state;
    assert_string_equal(td_err_name(TD_ERR_TRUNCATED), "TRUNCATED");
    assert_string_equal(td_err_str(TD_ERR_TRUNCATED), "truncated");
    assert_string_equal(td_err_name(TD_ERR__COUNT), "UNKNOWN");
    for (int e = 0; e < TD_ERR__COUNT; e++) {
        assert_non_null(td_err_name((td_err)e));
        assert_true(strlen(td_err_str((td_err)e)) > 0);
    }
}

static void test_reader_ints(void **state)
{
    static const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};
    struct td_reader r;
    uint8_t u8;
    uint16_t u16;
    uint32_t u24, u32;
    (void)state;

    td_rd_init(&r, in, sizeof(in), 0, NULL);
    assert_int_equal(td_rd_u8(&r, &u8, NULL), TD_ERR_OK);
    assert_int_equal(u8, 0x01);
    assert_int_equal(td_rd_u16(&r, &u16, NULL), TD_ERR_OK);
    assert_int_equal(u16, 0x0203);
    assert_int_equal(td_rd_u24(&r, &u24, NULL), TD_ERR_OK);
    assert_int_equal(u24, 0x040506);
    assert_int_equal(td_rd_u32(&r, &u32, NULL), TD_ERR_OK);
    assert_int_equal(u32, 0x0708090a);
    assert_true(td_rd_empty(&r));
    /* a short read is an error, never a zero, and the value is untouched */
    u8 = 0x77;
    assert_int_equal(td_rd_u8(&r, &u8, NULL), TD_ERR_TRUNCATED);
    assert_int_equal(u8, 0x77);
}

static void test_reader_diag_offset(void **state)
{
    /* a 2-byte prefix claiming 5 bytes with 3 present, at base offset 100 */
    static const uint8_t in[] = {0xAA, 0x00, 0x05, 0x01, 0x02, 0x03};
    struct td_diag d;
    struct td_reader r, sub;
    uint8_t u8;
    char msg[256];
    (void)state;

    td_diag_init(&d);
    d.ctx = "ServerHello";
    td_rd_init(&r, in, sizeof(in), 100, &d);
    assert_int_equal(td_rd_u8(&r, &u8, "type"), TD_ERR_OK);
    assert_int_equal(td_rd_vec(&r, 2, 0, 65535, &sub, "extensions length"), TD_ERR_TRUNCATED);
    assert_int_equal(d.code, TD_ERR_TRUNCATED);
    assert_int_equal(d.offset, 101);
    assert_string_equal(d.field, "extensions length");
    td_diag_format(&d, msg, sizeof(msg));
    assert_string_equal(msg, "ServerHello truncated at byte 101 (extensions length): length 5, 3 bytes left");
    /* the first failure wins */
    assert_int_equal(td_rd_skip(&r, 100, "later"), TD_ERR_TRUNCATED);
    assert_string_equal(d.field, "extensions length");
}

static void test_reader_vec_bounds(void **state)
{
    static const uint8_t in[] = {0x00, 0x01, 0xFF, 0x00, 0x00};
    struct td_diag d;
    struct td_reader r, sub;
    uint8_t b;
    (void)state;

    /* <2..2^16-2>: a 1-byte vector is out of range */
    td_diag_init(&d);
    td_rd_init(&r, in, sizeof(in), 0, &d);
    assert_int_equal(td_rd_vec(&r, 2, 2, 65534, &sub, "cipher_suites"), TD_ERR_LENGTH);
    assert_int_equal(d.offset, 0);

    /* in range, and the sub-reader must be used up exactly */
    td_diag_init(&d);
    td_rd_init(&r, in, sizeof(in), 0, &d);
    assert_int_equal(td_rd_vec(&r, 2, 1, 10, &sub, "v"), TD_ERR_OK);
    assert_int_equal(td_rd_left(&sub), 1);
    assert_int_equal(sub.base, 2);
    assert_int_equal(td_rd_end(&sub, "v"), TD_ERR_TRAILING);
    assert_int_equal(d.offset, 2);
    td_diag_init(&d);
    assert_int_equal(td_rd_u8(&sub, &b, NULL), TD_ERR_OK);
    assert_int_equal(b, 0xFF);
    assert_int_equal(td_rd_end(&sub, "v"), TD_ERR_OK);
    /* an empty vector */
    assert_int_equal(td_rd_vec(&r, 2, 0, 10, &sub, "empty"), TD_ERR_OK);
    assert_true(td_rd_empty(&sub));
    assert_true(td_rd_empty(&r));
}

/* A small "message": u8 type, u16-vector of u16 items (<2..2^16-2>), u24-vector
 * of opaque bytes; used for the truncation sweep. */
static td_err parse_msg(const uint8_t *p, size_t n, struct td_diag *d, unsigned *items)
{
    struct td_reader r, v, o;
    uint8_t type;
    uint16_t item;
    td_err ret;

    *items = 0;
    td_rd_init(&r, p, n, 0, d);
    TRY(td_rd_u8(&r, &type, "type"));
    TRY(td_rd_vec(&r, 2, 2, 65534, &v, "items"));
    ENSURE(td_rd_left(&v) % 2 == 0, td_rd_fail(&v, TD_ERR_LENGTH, "items"));
    while (!td_rd_empty(&v)) {
        TRY(td_rd_u16(&v, &item, "item"));
        (*items)++;
    }
    TRY(td_rd_end(&v, "items"));
    TRY(td_rd_vec(&r, 3, 0, 0xFFFFFF, &o, "opaque"));
    (void)td_rd_rest(&o);
    TRY(td_rd_end(&r, "message"));
out:
    return ret;
}

static void test_truncation_sweep(void **state)
{
    static const uint8_t msg[] = {0x16, 0x00, 0x04, 0x13, 0x01, 0x13, 0x02, 0x00, 0x00, 0x03, 0xAA, 0xBB, 0xCC};
    struct td_diag d;
    unsigned items;
    (void)state;

    td_diag_init(&d);
    assert_int_equal(parse_msg(msg, sizeof(msg), &d, &items), TD_ERR_OK);
    assert_int_equal(items, 2);
    for (size_t cut = 0; cut < sizeof(msg); cut++) {
        /* exact-size heap copy: ASan flags a one-byte over-read */
        uint8_t *copy = malloc(cut > 0 ? cut : 1);
        assert_non_null(copy);
        memcpy(copy, msg, cut);
        td_diag_init(&d);
        assert_int_equal(parse_msg(copy, cut, &d, &items), TD_ERR_TRUNCATED);
        assert_int_equal(d.code, TD_ERR_TRUNCATED);
        assert_true(d.offset <= cut);
        free(copy);
    }
}

static void test_writer_blocks(void **state)
{
    struct td_writer w;
    size_t m1, m2;
    static const uint8_t want[] = {0x01, 0x00, 0x00, 0x07, 0x03, 0x03, 0x00, 0x02, 0x13, 0x01, 0xFF};
    (void)state;

    td_wr_init(&w, 1024);
    assert_int_equal(td_wr_u8(&w, 1), TD_ERR_OK);
    assert_int_equal(td_wr_open(&w, 3, &m1), TD_ERR_OK);
    assert_int_equal(td_wr_u16(&w, 0x0303), TD_ERR_OK);
    assert_int_equal(td_wr_open(&w, 2, &m2), TD_ERR_OK);
    assert_int_equal(td_wr_u16(&w, 0x1301), TD_ERR_OK);
    assert_int_equal(td_wr_close(&w, m2, 2), TD_ERR_OK);
    assert_int_equal(td_wr_u8(&w, 0xFF), TD_ERR_OK);
    assert_int_equal(td_wr_close(&w, m1, 3), TD_ERR_OK);
    assert_int_equal(w.len, sizeof(want));
    assert_memory_equal(w.buf, want, sizeof(want));
    td_wr_free(&w);
    td_wr_free(NULL);
}

static void test_writer_caps(void **state)
{
    struct td_writer w;
    uint8_t mem[4];
    size_t m;
    uint8_t big[300];
    (void)state;

    /* the cap is hard and the error is sticky */
    td_wr_init(&w, 3);
    assert_int_equal(td_wr_u16(&w, 1), TD_ERR_OK);
    assert_int_equal(td_wr_u16(&w, 2), TD_ERR_TOOBIG);
    assert_int_equal(td_wr_u8(&w, 3), TD_ERR_TOOBIG);
    assert_int_equal(w.len, 2);
    td_wr_free(&w);

    td_wr_init_fixed(&w, mem, sizeof(mem));
    assert_int_equal(td_wr_u32(&w, 0xdeadbeef), TD_ERR_OK);
    assert_int_equal(td_wr_u8(&w, 0), TD_ERR_TOOBIG);
    td_wr_free(&w);

    /* a block longer than its prefix can say */
    memset(big, 0, sizeof(big));
    td_wr_init(&w, 4096);
    assert_int_equal(td_wr_open(&w, 1, &m), TD_ERR_OK);
    assert_int_equal(td_wr_bytes(&w, big, sizeof(big)), TD_ERR_OK);
    assert_int_equal(td_wr_close(&w, m, 1), TD_ERR_TOOBIG);
    td_wr_free(&w);

    td_wr_init(&w, 16);
    assert_int_equal(td_wr_u24(&w, 0x1000000), TD_ERR_BADVALUE);
    td_wr_free(&w);
}

struct hexcase {
    const char *text;
    const char *want; /* bytes as C string escapes; NULL = error */
    size_t wantlen;
    size_t erroff;
};

static void test_hex_parse(void **state)
{
    static const struct hexcase cases[] = {
        {"7E 00 15", "\x7e\x00\x15", 3, 0},
        {"7e0015", "\x7e\x00\x15", 3, 0},
        {"0x7E,0x00", "\x7e\x00", 2, 0},
        {"7E:00:15\n23", "\x7e\x00\x15\x23", 4, 0},
        {"  0X7e 0x00\r\n", "\x7e\x00", 2, 0},
        {"7E 0", NULL, 0, 3},
        {"7E 0G", NULL, 0, 4},
        {"7E 0x", NULL, 0, 3},
        {"zz", NULL, 0, 0},
    };
    (void)state;

    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        struct td_writer w;
        struct td_diag d;
        td_err ret;
        td_diag_init(&d);
        td_wr_init(&w, 64);
        ret = td_hex_parse(cases[i].text, strlen(cases[i].text), &w, &d);
        if (cases[i].want != NULL) {
            assert_int_equal(ret, TD_ERR_OK);
            assert_int_equal(w.len, cases[i].wantlen);
            assert_memory_equal(w.buf, cases[i].want, cases[i].wantlen);
        } else {
            assert_int_equal(ret, TD_ERR_INPUT);
            assert_int_equal(d.offset, cases[i].erroff);
        }
        td_wr_free(&w);
    }
}

static void test_hex_detect_and_format(void **state)
{
    static const uint8_t text[] = "7E 00 15 0x23";
    static const uint8_t bin[] = {0x7e, 0x00, 0x15, 0x23};
    char buf[32];
    (void)state;

    assert_true(td_hex_is_text(text, sizeof(text) - 1));
    assert_false(td_hex_is_text(bin, sizeof(bin)));
    assert_false(td_hex_is_text((const uint8_t *)"  \n", 3));
    assert_int_equal(td_hex_text_len(text, sizeof(text) - 1), sizeof(text) - 1);
    assert_int_equal(td_hex_text_len((const uint8_t *)"7E 00 x", 7), 6);
    assert_int_equal(td_hex_text_len((const uint8_t *)"7E\0 15", 6), 2);
    assert_int_equal(td_hex_text_len(bin, sizeof(bin)), 0);
    assert_int_equal(td_hex_text_len(bin, 0), 0);
    td_hex_format(bin, sizeof(bin), " ", true, buf, sizeof(buf));
    assert_string_equal(buf, "7E 00 15 23");
    td_hex_format(bin, sizeof(bin), "", false, buf, 5);
    assert_string_equal(buf, "7e00");
    td_printable((const uint8_t *)"ab\x01" "c", 4, buf, sizeof(buf));
    assert_string_equal(buf, "ab.c");
}

static void test_hex_digit(void **state)
{
    static const struct {
        int c;
        int want;
    } cases[] = {
        {'0', 0}, {'9', 9}, {'a', 10}, {'f', 15}, {'A', 10}, {'F', 15},
        /* negatives: neighbours of each range, separators, NUL, high bytes */
        {'/', -1}, {':', -1}, {'`', -1}, {'g', -1}, {'@', -1}, {'G', -1}, {'x', -1}, {' ', -1}, {'\0', -1},
        {0xFF, -1}, {-1, -1},
    };
    (void)state;

    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++)
        assert_int_equal(td_hex_digit(cases[i].c), cases[i].want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_names),       cmocka_unit_test(test_reader_ints),
        cmocka_unit_test(test_reader_diag_offset), cmocka_unit_test(test_reader_vec_bounds),
        cmocka_unit_test(test_truncation_sweep), cmocka_unit_test(test_writer_blocks),
        cmocka_unit_test(test_writer_caps),     cmocka_unit_test(test_hex_parse),
        cmocka_unit_test(test_hex_detect_and_format), cmocka_unit_test(test_hex_digit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
