#include "core/writer.h"

#include <stdlib.h>
#include <string.h>

void td_wr_init(struct td_writer *w, size_t cap)
{
    memset(w, 0, sizeof(*w));
    w->cap = cap;
    w->owned = 1;
}

void td_wr_init_fixed(struct td_writer *w, uint8_t *mem, size_t n)
{
    memset(w, 0, sizeof(*w));
    w->buf = mem;
    w->alloc = n;
    w->cap = n;
}

void td_wr_free(struct td_writer *w)
{
    if (w == NULL)
        return;
    if (w->owned)
        free(w->buf);
    memset(w, 0, sizeof(*w));
}

void td_wr_reset(struct td_writer *w)
{
    w->len = 0;
    w->err = TD_ERR_OK;
}

static td_err reserve(struct td_writer *w, size_t n)
{
    size_t want;
    uint8_t *nb;

    if (w->err != TD_ERR_OK)
        return w->err;
    if (n > w->cap - w->len) {
        w->err = TD_ERR_TOOBIG;
        return w->err;
    }
    want = w->len + n;
    if (want <= w->alloc)
        return TD_ERR_OK;
    if (!w->owned) {
        w->err = TD_ERR_TOOBIG;
        return w->err;
    }
    size_t na = w->alloc != 0 ? w->alloc : 64;
    while (na < want)
        na = na > w->cap / 2 ? w->cap : na * 2;
    nb = realloc(w->buf, na);
    if (nb == NULL) {
        w->err = TD_ERR_NOMEM;
        return w->err;
    }
    w->buf = nb;
    w->alloc = na;
    return TD_ERR_OK;
}

static td_err put_be(struct td_writer *w, uint32_t v, unsigned n)
{
    td_err ret = reserve(w, n);
    if (ret != TD_ERR_OK)
        return ret;
    for (unsigned i = 0; i < n; i++)
        w->buf[w->len + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    w->len += n;
    return TD_ERR_OK;
}

td_err td_wr_u8(struct td_writer *w, uint8_t v) { return put_be(w, v, 1); }
td_err td_wr_u16(struct td_writer *w, uint16_t v) { return put_be(w, v, 2); }

td_err td_wr_u24(struct td_writer *w, uint32_t v)
{
    if (v > 0xFFFFFFu) {
        if (w->err == TD_ERR_OK)
            w->err = TD_ERR_BADVALUE;
        return w->err;
    }
    return put_be(w, v, 3);
}

td_err td_wr_u32(struct td_writer *w, uint32_t v) { return put_be(w, v, 4); }

td_err td_wr_bytes(struct td_writer *w, const void *p, size_t n)
{
    td_err ret = reserve(w, n);
    if (ret != TD_ERR_OK)
        return ret;
    if (n > 0)
        memcpy(w->buf + w->len, p, n);
    w->len += n;
    return TD_ERR_OK;
}

td_err td_wr_zeros(struct td_writer *w, size_t n)
{
    td_err ret = reserve(w, n);
    if (ret != TD_ERR_OK)
        return ret;
    if (n > 0)
        memset(w->buf + w->len, 0, n);
    w->len += n;
    return TD_ERR_OK;
}

td_err td_wr_str(struct td_writer *w, const char *s) { return td_wr_bytes(w, s, strlen(s)); }

td_err td_wr_open(struct td_writer *w, unsigned prefix, size_t *mark)
{
    if (prefix < 1 || prefix > 4) {
        if (w->err == TD_ERR_OK)
            w->err = TD_ERR_INTERNAL;
        return w->err;
    }
    *mark = w->len;
    return td_wr_zeros(w, prefix);
}

td_err td_wr_close(struct td_writer *w, size_t mark, unsigned prefix)
{
    size_t body;

    if (w->err != TD_ERR_OK)
        return w->err;
    if (prefix < 1 || prefix > 4 || mark + prefix > w->len) {
        w->err = TD_ERR_INTERNAL;
        return w->err;
    }
    body = w->len - mark - prefix;
    if (prefix < 4 && body >= ((size_t)1 << (8 * prefix))) {
        w->err = TD_ERR_TOOBIG;
        return w->err;
    }
    for (unsigned i = 0; i < prefix; i++)
        w->buf[mark + i] = (uint8_t)(body >> (8 * (prefix - 1 - i)));
    return TD_ERR_OK;
}

td_err td_wr_patch_u8(struct td_writer *w, size_t pos, uint8_t v)
{
    if (w->err != TD_ERR_OK)
        return w->err;
    if (pos >= w->len) {
        w->err = TD_ERR_INTERNAL;
        return w->err;
    }
    w->buf[pos] = v;
    return TD_ERR_OK;
}

td_err td_wr_patch_u16(struct td_writer *w, size_t pos, uint16_t v)
{
    if (w->err != TD_ERR_OK)
        return w->err;
    if (pos > w->len || w->len - pos < 2) {
        w->err = TD_ERR_INTERNAL;
        return w->err;
    }
    w->buf[pos] = (uint8_t)(v >> 8);
    w->buf[pos + 1] = (uint8_t)v;
    return TD_ERR_OK;
}
