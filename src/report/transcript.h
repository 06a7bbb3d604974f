/* A transcript (wire/transcript.h) as JSON and as a text ladder diagram.
 *
 * JSON: an array of event objects, in order, keys always in this order:
 *   {"t_us", "dir" ("c2s"|"s2c"), "kind", "offset", "length", ...kind fields..., "hex"?}
 *   record:     "content_type", "version" ("0x0303"), "sslv2"
 *   handshake:  "type", "name", "sslv2", "decoded", and per type:
 *               ClientHello: "version" (highest offered), "suites", "sni" (bool)
 *               ServerHello: "version", "cipher_suite", "hrr", "group"
 *               Certificate: "certificates", "der_bytes"
 *               ServerKeyExchange: "group", "bits", "sigalg"
 *   alert:      "level", "description"
 *   encrypted:  "content_type"
 *   malformed:  "error" (e.g. "TRUNCATED"), "message" (one line)
 *   "hex": the stored bytes (only with TD_TJSON_BYTES), plus "hex_truncated".
 * Numbers that are TLS code points are strings "0x%04x". Documented in
 * docs/wire.md. */
#ifndef TD_REPORT_TRANSCRIPT_H
#define TD_REPORT_TRANSCRIPT_H

#include <jansson.h>
#include <stdio.h>

#include "wire/transcript.h"

enum {
    TD_TJSON_BYTES = 1, /* include each event's bytes as hex */
};

/* New reference; NULL on allocation failure. */
json_t *td_transcript_json(const struct td_transcript *t, unsigned flags);

enum {
    TD_LADDER_RECORDS = 1, /* also show each record header */
};

/* A ladder diagram: one line per event, client on the left, server on the
 * right, times relative to the first event. Colour only on a tty. */
void td_transcript_ladder(FILE *f, const struct td_transcript *t, unsigned flags);

/* One-line description of an event (no direction, no time), e.g.
 * "ServerHello TLS 1.2, suite 0xc02f". */
void td_event_describe(const struct td_event *e, char *buf, size_t cap);

#endif
