/* Helpers shared by the wire/hello unit tests (header-only: each test is
 * its own executable). Include it after <cmocka.h>: tu_hex asserts. */
#ifndef TD_TEST_WIRE_TESTUTIL_H
#define TD_TEST_WIRE_TESTUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hex.h"

/* Reads tests/vectors/<name> into an exact-size heap buffer (so ASan sees a
 * one-byte over-read). Returns NULL if missing. */
static inline uint8_t *tu_read_vector(const char *name, size_t *len)
{
    char path[1024];
    const char *src = getenv("TD_SOURCE_DIR");
    FILE *f;
    long n;
    uint8_t *buf;

    int k = snprintf(path, sizeof(path), "%s/tests/vectors/%s", src != NULL ? src : ".", name);
    if (k < 0 || (size_t)k >= sizeof(path))
        return NULL;
    f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* An exact-size heap copy of the first n bytes. */
static inline uint8_t *tu_dup(const uint8_t *p, size_t n)
{
    uint8_t *c = malloc(n > 0 ? n : 1);
    if (c != NULL && n > 0)
        memcpy(c, p, n);
    return c;
}

/* Hex text (td_hex_parse syntax) as an exact-size heap buffer; a bad
 * text fails the test. */
static inline uint8_t *tu_hex(const char *text, size_t *len)
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

/* A deterministic "random" source: bytes counting up from a seed. */
static inline void tu_counter_random(void *arg, uint8_t *buf, size_t n)
{
    unsigned *ctr = arg;
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)((*ctr)++);
}

#endif
