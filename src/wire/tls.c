#include "wire/tls.h"

size_t td_list_count(struct td_bytes b, unsigned width)
{
    return width == 0 ? 0 : b.len / width;
}

uint32_t td_list_at(struct td_bytes b, unsigned width, size_t i)
{
    struct td_reader r;
    uint8_t u8 = 0;
    uint16_t u16 = 0;
    uint32_t u24 = 0;

    if (width == 0 || i >= b.len / width)
        return 0;
    td_rd_init(&r, b.p, b.len, b.off, NULL);
    if (td_rd_skip(&r, i * width, NULL) != TD_ERR_OK)
        return 0;
    switch (width) {
    case 1:
        return td_rd_u8(&r, &u8, NULL) == TD_ERR_OK ? u8 : 0;
    case 2:
        return td_rd_u16(&r, &u16, NULL) == TD_ERR_OK ? u16 : 0;
    case 3:
        return td_rd_u24(&r, &u24, NULL) == TD_ERR_OK ? u24 : 0;
    default:
        return 0;
    }
}

bool td_list_has(struct td_bytes b, unsigned width, uint32_t v)
{
    size_t n = td_list_count(b, width);
    for (size_t i = 0; i < n; i++)
        if (td_list_at(b, width, i) == v)
            return true;
    return false;
}

td_err td_list_read(struct td_reader *r, unsigned prefix, size_t min, size_t max, unsigned width, struct td_bytes *out,
                    const char *what)
{
    td_err ret;
    struct td_reader v;
    TRY(td_rd_vec(r, prefix, min, max, &v, what));
    if (td_rd_left(&v) % width != 0) {
        ret = td_diag_setf(r->diag, TD_ERR_LENGTH, v.base - prefix, what, "length %zu is not a multiple of %u",
                           td_rd_left(&v), width);
        goto out;
    }
    *out = td_rd_rest(&v);
out:
    return ret;
}
