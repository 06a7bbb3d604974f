/* Records, alerts and ChangeCipherSpec (RFC 8446 5.1, RFC 5246 6.2, 7.1,
 * 7.2), and the two reassemblers that turn a byte stream into records and
 * records into handshake messages.
 *
 * Parsers are pure (views into the input). The reassemblers own a buffer
 * with a fixed cap, documented next to each. */
#ifndef TD_WIRE_RECORD_H
#define TD_WIRE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/reader.h"
#include "core/writer.h"
#include "wire/tls.h"

struct td_record {
    unsigned type;        /* TD_CT_*, or TD_CT_SSL2 for a 2-byte SSLv2 header */
    uint16_t version;     /* legacy_record_version; 0 for SSLv2 */
    size_t header_len;    /* 5, or 2 for SSLv2 */
    struct td_bytes body; /* the fragment */
};

/* Reads one record from r. Accepts an SSLv2 record header (first byte has
 * the top bit set, RFC 5246 E.2) as type TD_CT_SSL2. The 3-byte SSLv2
 * header (with padding) is not recognised: its first byte is ambiguous with
 * TLS content types, and no hello uses it. Fails with TRUNCATED if
 * r holds less than a whole record, LENGTH if the length exceeds
 * TD_RECORD_MAX_BODY (SSLv2 records too, though 15 bits allow more) or is zero for a handshake/alert/CCS record
 * (RFC 8446 5.1), BADVALUE for an unknown content type. */
TD_MUST_USE td_err td_record_parse(struct td_reader *r, struct td_record *out);
/* Appends a record header and body. */
TD_MUST_USE td_err td_record_encode(struct td_writer *w, uint8_t type, uint16_t version, const uint8_t *body,
                                    size_t len);
/* Opens a record (header with a back-patched length); close with
 * td_record_close(). */
TD_MUST_USE td_err td_record_open(struct td_writer *w, uint8_t type, uint16_t version, size_t *mark);
TD_MUST_USE td_err td_record_close(struct td_writer *w, size_t mark);

/* Alert, RFC 5246 7.2:  struct { AlertLevel level; AlertDescription description; } Alert; */
struct td_alert {
    uint8_t level;
    uint8_t description;
};
TD_MUST_USE td_err td_alert_parse(struct td_reader *r, struct td_alert *out);
TD_MUST_USE td_err td_alert_encode(struct td_writer *w, struct td_alert a);

/* ChangeCipherSpec, RFC 5246 7.1: struct { enum { change_cipher_spec(1), (255) } type; } */
TD_MUST_USE td_err td_ccs_parse(struct td_reader *r);

/* Handshake header, RFC 8446 4 / RFC 5246 7.4:
 *   struct { HandshakeType msg_type; uint24 length; select (msg_type) {...} body; } Handshake;
 * Opens `body` as a sub-reader over exactly `length` bytes. */
TD_MUST_USE td_err td_hs_parse(struct td_reader *r, uint8_t *type, struct td_reader *body);
TD_MUST_USE td_err td_hs_open(struct td_writer *w, uint8_t type, size_t *mark);
TD_MUST_USE td_err td_hs_close(struct td_writer *w, size_t mark);

/* ---- Record stream reassembler --------------------------------------
 * Accepts bytes as they arrive (a record may be split across reads, several
 * records may come in one read) and yields whole records. Holds at most one
 * maximal record: TD_RECBUF_CAP bytes, inline (no allocation).
 *
 *   td_recbuf_init(&rb, 0);
 *   while (read data) {
 *       size_t used = td_recbuf_feed(&rb, data, n);   // < n when full: feed the rest after draining
 *       bool ready;
 *       while ((ret = td_recbuf_next(&rb, &rec, &ready, &diag)) == TD_ERR_OK && ready) ...
 *   }
 */
enum { TD_RECBUF_CAP = TD_RECORD_HEADER_LEN + TD_RECORD_MAX_BODY };

struct td_recbuf {
    uint8_t buf[TD_RECBUF_CAP];
    size_t len;  /* bytes held */
    size_t head; /* bytes of buf already returned as records */
    size_t base; /* stream offset of buf[0] */
    bool failed; /* a malformed header was seen; stream is unusable */
};

/* base: stream offset of the first byte that will be fed (for messages). */
void td_recbuf_init(struct td_recbuf *rb, size_t base);
/* Copies as much of data as fits; returns the count taken. */
size_t td_recbuf_feed(struct td_recbuf *rb, const uint8_t *data, size_t len);
/* Yields the next whole record in *out (views valid until the next feed or
 * next call) and sets *ready. *ready = false with TD_ERR_OK means "need more
 * bytes". A malformed header is an error (recorded in d, offsets are stream
 * offsets); after it the stream stays failed. */
TD_MUST_USE td_err td_recbuf_next(struct td_recbuf *rb, struct td_record *out, bool *ready, struct td_diag *d);
/* Bytes held but not yet returned as records (a partial record at EOF). */
size_t td_recbuf_pending(const struct td_recbuf *rb);
/* Stream offset of the next byte not yet returned. */
size_t td_recbuf_offset(const struct td_recbuf *rb);
/* A view of the bytes held but not returned (for a "truncated at EOF" event). */
struct td_bytes td_recbuf_rest(const struct td_recbuf *rb);

/* ---- Handshake message reassembler ----------------------------------
 * Handshake messages may span records and one record may carry several
 * (RFC 8446 5.1, RFC 5246 6.2.1). Feed the bodies of handshake records in
 * order; whole messages come out. Memory: a heap buffer grown up to
 * TD_HSBUF_CAP bytes; a message declaring more is TD_ERR_TOOBIG (the
 * largest real handshake messages are certificate chains, a few KiB to
 * tens of KiB). */
enum { TD_HSBUF_CAP = 4 + 131072 };

struct td_hsmsg {
    uint8_t type;
    struct td_bytes body;  /* without the 4-byte header */
    struct td_bytes whole; /* header + body */
};

struct td_hsbuf {
    struct td_writer w;
    size_t head; /* bytes already returned */
    size_t base; /* offset of w.buf[0] in the handshake byte stream */
};

void td_hsbuf_init(struct td_hsbuf *hb);
void td_hsbuf_free(struct td_hsbuf *hb);
/* Appends a handshake record's body. TOOBIG/NOMEM on failure. */
TD_MUST_USE td_err td_hsbuf_feed(struct td_hsbuf *hb, const uint8_t *data, size_t len);
/* Yields the next whole message (views valid until the next feed/next).
 * *ready = false with TD_ERR_OK means a message is still incomplete. A
 * declared length above the cap is TD_ERR_TOOBIG. Offsets in d count bytes
 * of the handshake stream. */
TD_MUST_USE td_err td_hsbuf_next(struct td_hsbuf *hb, struct td_hsmsg *out, bool *ready, struct td_diag *d);
/* Bytes of an incomplete message held (RFC 8446 5.1: other record types must
 * not interleave while this is non-zero). */
size_t td_hsbuf_pending(const struct td_hsbuf *hb);

#endif
