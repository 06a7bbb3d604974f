/* The one writer (picotls ptls_buffer, curl dynbuf): appends big-endian
 * integers and bytes, back-patches length prefixes, and refuses to grow past
 * its cap. Errors are sticky: after the first failure every call returns the
 * same error and writes nothing, so a builder can check once at the end. */
#ifndef TD_CORE_WRITER_H
#define TD_CORE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct td_writer {
    uint8_t *buf;
    size_t len;
    size_t alloc;
    size_t cap;    /* hard upper bound on len */
    int owned;     /* buf is heap memory we may grow and must free */
    td_err err;    /* sticky */
};

/* A heap-backed writer that grows up to cap bytes. */
void td_wr_init(struct td_writer *w, size_t cap);
/* A writer over caller memory; never grows past n. */
void td_wr_init_fixed(struct td_writer *w, uint8_t *mem, size_t n);
void td_wr_free(struct td_writer *w);
/* Forgets the contents, keeps the memory. */
void td_wr_reset(struct td_writer *w);

TD_MUST_USE td_err td_wr_u8(struct td_writer *w, uint8_t v);
TD_MUST_USE td_err td_wr_u16(struct td_writer *w, uint16_t v);
TD_MUST_USE td_err td_wr_u24(struct td_writer *w, uint32_t v);
TD_MUST_USE td_err td_wr_u32(struct td_writer *w, uint32_t v);
TD_MUST_USE td_err td_wr_bytes(struct td_writer *w, const void *p, size_t n);
TD_MUST_USE td_err td_wr_zeros(struct td_writer *w, size_t n);
TD_MUST_USE td_err td_wr_str(struct td_writer *w, const char *s);

/* Length-prefixed blocks: td_wr_open() reserves a `prefix`-byte length and
 * returns its position in *mark; td_wr_close() writes the length of what was
 * appended since, failing with TD_ERR_TOOBIG if it does not fit the prefix. */
TD_MUST_USE td_err td_wr_open(struct td_writer *w, unsigned prefix, size_t *mark);
TD_MUST_USE td_err td_wr_close(struct td_writer *w, size_t mark, unsigned prefix);

/* Overwrites already-written bytes at pos (for named mutators). */
TD_MUST_USE td_err td_wr_patch_u8(struct td_writer *w, size_t pos, uint8_t v);
TD_MUST_USE td_err td_wr_patch_u16(struct td_writer *w, size_t pos, uint16_t v);

#endif
