/* Digi XBee Cellular API frames: framing (API mode 1 and 2), checksum,
 * escaping, a resynchronising stream decoder, table-driven field layouts for
 * every frame type documented in ../shared/research/devices.md ("XBee
 * Cellular API frames"), and an encoder built from the same layouts.
 *
 * Frame on the wire (devices.md "Framing, API modes, checksum"):
 *   0x7E | length (2, MSB first, counts frame data only) | frame data | checksum
 *   frame data = frame type (1) + fields, multi-byte fields big-endian
 *   checksum   = 0xFF - (sum of frame data & 0xFF)
 * API mode 2 escapes 0x7E 0x7D 0x11 0x13 after the delimiter as 0x7D, b ^ 0x20;
 * the length counts unescaped bytes and the checksum covers unescaped data.
 *
 * Pure: no I/O, no allocation. A decoded frame holds its unescaped bytes in
 * its own buffer (callers allocate struct td_xb_frame, ~330 KiB, on the
 * heap); field views point into that buffer; every offset is absolute in
 * the original input. */
#ifndef TD_XBEE_FRAME_H
#define TD_XBEE_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/reader.h"
#include "core/writer.h"
#include "xbee/tables.h"

#define TD_XB_DELIM 0x7E
#define TD_XB_ESC 0x7D
#define TD_XB_XON 0x11
#define TD_XB_XOFF 0x13
#define TD_XB_MAX_DATA 65535u /* the 2-byte length field */
#define TD_XB_MAX_FIELDS 10

/* How a field's bytes are read, shown and encoded. */
enum td_xb_kind {
    TD_XB_K_FRAME_ID, /* u8; 0 = no status frame expected */
    TD_XB_K_U8,       /* u8, shown in hex, looked up in spec->table if any */
    TD_XB_K_SOCKET,   /* u8 socket ID */
    TD_XB_K_PROFILE,  /* u8 TLS profile index: AT$<n> */
    TD_XB_K_TXOPT,    /* u8 bit field: 0x02 = close socket after TX */
    TD_XB_K_PORT,     /* u16, decimal */
    TD_XB_K_IPV4,     /* 4 bytes, dotted quad */
    TD_XB_K_ATCMD,    /* 2 ASCII characters */
    TD_XB_K_DATA,     /* the rest of the frame: hex and printable text */
    TD_XB_K_ADDR,     /* the rest, read as the preceding address type says */
};

struct td_xb_field_spec {
    const char *key;   /* JSON key, e.g. "dest_addr" */
    const char *label; /* human label, e.g. "destination address" */
    const char *opt;   /* encode option name, e.g. "ip" (--ip) */
    enum td_xb_kind kind;
    const struct td_xb_table *table; /* code table for U8 fields, or NULL */
    const char *dflt;                /* encode default; NULL = required */
};

struct td_xb_type {
    uint8_t type;
    const char *name;   /* "Tx Request with TLS Profile" */
    const char *verb;   /* encode name, e.g. "tx-tls" */
    const char *source; /* where the layout comes from */
    bool request;       /* host -> XBee */
    const struct td_xb_field_spec *fields;
    size_t nfields;
};

extern const struct td_xb_type td_xb_types[];
extern const size_t td_xb_types_count;

const struct td_xb_type *td_xb_type_by_code(uint8_t type);
/* For encoding a type byte that has no layout: one field, "data" (--data
 * or --data-hex), the rest of the frame. Never used by the decoder, which
 * shows unknown types raw with def == NULL. */
void td_xb_type_raw(uint8_t type, struct td_xb_type *out);
/* By encode verb ("tx-tls") or by "0x23"; NULL if unknown. */
const struct td_xb_type *td_xb_type_by_verb(const char *verb);

struct td_xb_field {
    const struct td_xb_field_spec *spec;
    size_t off;                    /* absolute input offset of the first byte */
    struct td_bytes bytes;         /* unescaped bytes (view into the frame) */
    uint32_t num;                  /* numeric value for integer kinds */
    const struct td_xb_code *code; /* table entry, NULL if none/undocumented */
};

struct td_xb_frame {
    unsigned index;               /* 1-based position in the stream */
    size_t off;                   /* absolute offset of the 0x7E */
    size_t raw_len;               /* bytes consumed from the input, escapes included */
    int api;                      /* 1 or 2 */
    size_t escapes;               /* escaped bytes found (API 2) */
    uint16_t length;              /* the length field */
    uint8_t type;                 /* frame type (first byte of frame data) */
    uint8_t checksum;             /* as found (equal to the computed one) */
    const struct td_xb_type *def; /* NULL: unknown type, shown raw */
    struct td_bytes data;         /* unescaped frame data, type byte included */
    struct td_bytes raw;          /* the frame as it appeared in the input */
    struct td_xb_field fields[TD_XB_MAX_FIELDS];
    size_t nfields;
    /* storage: unescaped frame data, and the input offset of each byte */
    uint8_t buf[TD_XB_MAX_DATA];
    uint32_t map[TD_XB_MAX_DATA + 1]; /* map[i] - off; map[length] = checksum */
};

/* Garbage skipped while looking for a start delimiter. */
struct td_xb_skip {
    size_t off;
    size_t len;
    struct td_bytes bytes; /* the skipped bytes (a view; bytes.off == off, bytes.len == len) */
};

struct td_xb_stream {
    struct td_reader r; /* the cursor over the whole input */
    int api;            /* 1 or 2 */
    unsigned frames;
    bool failed;
};

uint8_t td_xb_checksum(const uint8_t *data, size_t n);

void td_xb_stream_init(struct td_xb_stream *s, const uint8_t *p, size_t len, int api);

/* Next frame. Returns TD_ERR_OK with *f filled, TD_ERR_NOTFOUND at the end of
 * the input, or the error (recorded in d with its absolute offset; d->ctx
 * is left alone). In both the OK and NOTFOUND cases *skip says which bytes
 * before were skipped (len 0 if none). After an error the stream stays
 * failed. */
TD_MUST_USE td_err td_xb_next(struct td_xb_stream *s, struct td_xb_frame *f, struct td_xb_skip *skip,
                              struct td_diag *d);

/* Decodes f->data into f->fields per the frame type's layout (done by
 * td_xb_next; exposed for tests). */
TD_MUST_USE td_err td_xb_parse_fields(struct td_xb_frame *f, struct td_diag *d);

/* Looks a decoded field up by JSON key; NULL if absent. */
const struct td_xb_field *td_xb_field(const struct td_xb_frame *f, const char *key);

/* API mode auto-detection over a whole input: decodes it in both modes
 * (scratch is working memory). Returns 1 or 2, or 0 if ambiguous (both
 * decode cleanly and differ). *why gets a short reason. */
int td_xb_detect(const uint8_t *p, size_t len, struct td_xb_frame *scratch, const char **why);

/* Encoding: named values (opt = value strings as typed on the command line). */
struct td_xb_value {
    const char *opt; /* "ip", "port", "data", "data-hex", ... */
    const char *val;
};

/* Builds the frame data (type + fields) for type t from vals; unknown or
 * inapplicable options, missing required ones and bad values are
 * TD_ERR_USAGE/TD_ERR_BADVALUE with err naming the option. */
TD_MUST_USE td_err td_xb_build(const struct td_xb_type *t, const struct td_xb_value *vals, size_t nvals,
                               struct td_writer *data, char *err, size_t errcap);
/* Wraps frame data into a complete frame for API mode api (1 or 2). */
TD_MUST_USE td_err td_xb_wrap(const uint8_t *data, size_t n, int api, struct td_writer *out);

/* A number as typed on the command line: decimal digits, or "0x" and hex
 * digits (no sign, spaces or octal), at most max. */
bool td_xb_parse_number(const char *s, unsigned long max, unsigned long *out);

/* "66.230.114.174" into out[4]; false if not a dotted quad. */
bool td_xb_parse_ipv4(const char *s, uint8_t out[4]);

#endif
