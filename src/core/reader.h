/* The one cursor for every read of untrusted bytes (s2n stuffer, picotls
 * ptls_decode*). A short read is TD_ERR_TRUNCATED, never a zero. Every error
 * is recorded with its absolute offset in the shared struct td_diag.
 *
 * Length-prefixed vectors are read as sub-readers that must be used up
 * exactly: td_rd_vec() opens one with the RFC's bounds, td_rd_end() closes it
 * and fails on leftover bytes. */
#ifndef TD_CORE_READER_H
#define TD_CORE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* A non-owning view into input bytes, with the absolute offset of p[0]. */
struct td_bytes {
    const uint8_t *p;
    size_t len;
    size_t off;
};

struct td_reader {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    size_t base;          /* absolute offset of buf[0] in the original input */
    struct td_diag *diag; /* shared with sub-readers; may be NULL */
};

/* diag may be NULL. base is the absolute offset of buf[0]. */
void td_rd_init(struct td_reader *r, const uint8_t *buf, size_t len, size_t base, struct td_diag *diag);

static inline size_t td_rd_left(const struct td_reader *r) { return r->len - r->pos; }
static inline size_t td_rd_offset(const struct td_reader *r) { return r->base + r->pos; }
static inline bool td_rd_empty(const struct td_reader *r) { return r->pos == r->len; }

/* `what` names the field for error messages; may be NULL. */
TD_MUST_USE td_err td_rd_u8(struct td_reader *r, uint8_t *out, const char *what);
TD_MUST_USE td_err td_rd_u16(struct td_reader *r, uint16_t *out, const char *what);
TD_MUST_USE td_err td_rd_u24(struct td_reader *r, uint32_t *out, const char *what);
TD_MUST_USE td_err td_rd_u32(struct td_reader *r, uint32_t *out, const char *what);
/* A view of the next n bytes. */
TD_MUST_USE td_err td_rd_bytes(struct td_reader *r, size_t n, struct td_bytes *out, const char *what);
/* Copies the next n bytes into dst. */
TD_MUST_USE td_err td_rd_copy(struct td_reader *r, void *dst, size_t n, const char *what);
TD_MUST_USE td_err td_rd_skip(struct td_reader *r, size_t n, const char *what);
/* Everything left, as a view. Never fails. */
struct td_bytes td_rd_rest(struct td_reader *r);
/* Peeks at the next byte without consuming it. */
TD_MUST_USE td_err td_rd_peek_u8(const struct td_reader *r, uint8_t *out, const char *what);

/* Opens a vector with a `prefix`-byte length (1, 2, 3 or 4) whose length must
 * lie in [min, max]: the RFC's <min..max>. sub covers exactly that many bytes. */
TD_MUST_USE td_err td_rd_vec(struct td_reader *r, unsigned prefix, size_t min, size_t max, struct td_reader *sub,
                             const char *what);
/* Opens a sub-reader over the next n bytes (a length already read). */
TD_MUST_USE td_err td_rd_sub(struct td_reader *r, size_t n, struct td_reader *sub, const char *what);
/* Closes a sub-reader: leftover bytes are TD_ERR_TRAILING. */
TD_MUST_USE td_err td_rd_end(const struct td_reader *sub, const char *what);

/* Records a semantic failure at the reader's current position. Returns e. */
td_err td_rd_fail(const struct td_reader *r, td_err e, const char *what);

#endif
