#include "core/reader.h"

#include <string.h>

void td_rd_init(struct td_reader *r, const uint8_t *buf, size_t len, size_t base, struct td_diag *diag)
{
    r->buf = buf;
    r->len = buf != NULL ? len : 0;
    r->pos = 0;
    r->base = base;
    r->diag = diag;
}

td_err td_rd_fail(const struct td_reader *r, td_err e, const char *what)
{
    return td_diag_set(r->diag, e, td_rd_offset(r), what);
}

static td_err need(const struct td_reader *r, size_t n, const char *what)
{
    if (td_rd_left(r) < n)
        return td_diag_setf(r->diag, TD_ERR_TRUNCATED, td_rd_offset(r), what, "need %zu byte%s, %zu left", n,
                            n == 1 ? "" : "s", td_rd_left(r));
    return TD_ERR_OK;
}

static uint32_t be(const uint8_t *p, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

td_err td_rd_u8(struct td_reader *r, uint8_t *out, const char *what)
{
    td_err ret = need(r, 1, what);
    if (ret != TD_ERR_OK)
        return ret;
    *out = r->buf[r->pos++];
    return TD_ERR_OK;
}

td_err td_rd_peek_u8(const struct td_reader *r, uint8_t *out, const char *what)
{
    td_err ret = need(r, 1, what);
    if (ret != TD_ERR_OK)
        return ret;
    *out = r->buf[r->pos];
    return TD_ERR_OK;
}

/* One big-endian integer of n (2..4) bytes: the shared body of u16/u24/u32. */
static td_err rd_be(struct td_reader *r, size_t n, uint32_t *out, const char *what)
{
    td_err ret = need(r, n, what);
    if (ret != TD_ERR_OK)
        return ret;
    *out = be(r->buf + r->pos, n);
    r->pos += n;
    return TD_ERR_OK;
}

td_err td_rd_u16(struct td_reader *r, uint16_t *out, const char *what)
{
    uint32_t v = 0;
    td_err ret = rd_be(r, 2, &v, what);
    if (ret == TD_ERR_OK)
        *out = (uint16_t)v;
    return ret;
}

td_err td_rd_u24(struct td_reader *r, uint32_t *out, const char *what)
{
    return rd_be(r, 3, out, what);
}

td_err td_rd_u32(struct td_reader *r, uint32_t *out, const char *what)
{
    return rd_be(r, 4, out, what);
}

td_err td_rd_bytes(struct td_reader *r, size_t n, struct td_bytes *out, const char *what)
{
    td_err ret = need(r, n, what);
    if (ret != TD_ERR_OK)
        return ret;
    /* no NULL + 0 arithmetic for a reader over no buffer (UB in C) */
    out->p = r->buf != NULL ? r->buf + r->pos : NULL;
    out->len = n;
    out->off = td_rd_offset(r);
    r->pos += n;
    return TD_ERR_OK;
}

td_err td_rd_copy(struct td_reader *r, void *dst, size_t n, const char *what)
{
    td_err ret = need(r, n, what);
    if (ret != TD_ERR_OK)
        return ret;
    if (n > 0)
        memcpy(dst, r->buf + r->pos, n);
    r->pos += n;
    return TD_ERR_OK;
}

td_err td_rd_skip(struct td_reader *r, size_t n, const char *what)
{
    td_err ret = need(r, n, what);
    if (ret != TD_ERR_OK)
        return ret;
    r->pos += n;
    return TD_ERR_OK;
}

struct td_bytes td_rd_rest(struct td_reader *r)
{
    struct td_bytes b = {r->buf != NULL ? r->buf + r->pos : NULL, td_rd_left(r), td_rd_offset(r)};
    r->pos = r->len;
    return b;
}

td_err td_rd_sub(struct td_reader *r, size_t n, struct td_reader *sub, const char *what)
{
    td_err ret = need(r, n, what);
    if (ret != TD_ERR_OK)
        return ret;
    td_rd_init(sub, r->buf != NULL ? r->buf + r->pos : NULL, n, td_rd_offset(r), r->diag);
    r->pos += n;
    return TD_ERR_OK;
}

td_err td_rd_vec(struct td_reader *r, unsigned prefix, size_t min, size_t max, struct td_reader *sub,
                 const char *what)
{
    size_t start = td_rd_offset(r);
    uint32_t n = 0;
    td_err ret;

    if (prefix < 1 || prefix > 4)
        return td_diag_set(r->diag, TD_ERR_INTERNAL, start, what);
    ret = need(r, prefix, what);
    if (ret != TD_ERR_OK)
        return ret;
    n = be(r->buf + r->pos, prefix);
    if (n < min || n > max)
        return td_diag_setf(r->diag, TD_ERR_LENGTH, start, what, "length %u outside <%zu..%zu>", (unsigned)n, min,
                            max);
    r->pos += prefix;
    if (td_rd_left(r) < n) {
        size_t left = td_rd_left(r);
        r->pos -= prefix;
        return td_diag_setf(r->diag, TD_ERR_TRUNCATED, start, what, "length %u, %zu byte%s left", (unsigned)n,
                            left, left == 1 ? "" : "s");
    }
    td_rd_init(sub, r->buf + r->pos, n, td_rd_offset(r), r->diag);
    r->pos += n;
    return TD_ERR_OK;
}

td_err td_rd_end(const struct td_reader *sub, const char *what)
{
    if (!td_rd_empty(sub))
        return td_diag_setf(sub->diag, TD_ERR_TRAILING, td_rd_offset(sub), what, "%zu byte%s left over",
                            td_rd_left(sub), td_rd_left(sub) == 1 ? "" : "s");
    return TD_ERR_OK;
}
