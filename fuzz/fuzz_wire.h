/* Helpers shared by the wire/ fuzz targets (header-only: each target is its
 * own executable): "the input is exactly one handshake message" and the
 * decode->encode oracle. */
#ifndef TD_FUZZ_WIRE_H
#define TD_FUZZ_WIRE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/writer.h"
#include "wire/record.h"

/* Opens the input as a handshake message; true only if it parsed and is
 * the whole input (then *body is its body). */
static inline bool fz_one_message(const uint8_t *data, size_t size, uint8_t *type, struct td_reader *body)
{
    struct td_reader r;
    td_rd_init(&r, data, size, 0, NULL);
    return td_hs_parse(&r, type, body) == TD_ERR_OK && td_rd_empty(&r);
}

/* The oracle: the encoder (its result enc, its output in w) gave back the
 * input byte for byte. Frees w. */
static inline bool fz_reencodes_to(struct td_writer *w, td_err enc, const uint8_t *data, size_t size)
{
    bool same = enc == TD_ERR_OK && w->len == size && (size == 0 || memcmp(w->buf, data, size) == 0);
    td_wr_free(w);
    return same;
}

#endif
