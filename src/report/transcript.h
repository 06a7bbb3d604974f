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
#include <stdbool.h>
#include <stdint.h>
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

/* How a ladder is drawn; a zeroed struct (or NULL) gives the defaults. */
struct td_ladder_opts {
    const char *client; /* left-hand role, e.g. "device"; NULL: "client" */
    const char *server; /* right-hand role; NULL: "server" */
    size_t mark;        /* index of the event marked "<== fails here"; only
                           used when has_mark */
    bool has_mark;
    size_t max_lines; /* 0: no limit; else "... (N events in all)" after */
    uint64_t t0_us;   /* times are shown as ms since this instant of the
                         transcript's clock (check starts it at connect) */
    unsigned flags;   /* TD_LADDER_* */
};

/* A ladder diagram, one line per event:
 *   "      0.4 ms  device --> server  ClientHello: up to TLS 1.2, 2 suites, no SNI (69 bytes)"
 * Colour only on a tty: the marked event, alerts, malformed bytes, RST and
 * timeouts red; record headers and encrypted records dim. */
void td_transcript_ladder(FILE *f, const struct td_transcript *t, const struct td_ladder_opts *o);

/* One-line description of an event (no direction, no time), e.g.
 * "ServerHello: TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256". The ladder
 * and check's JSON ("what") both use it. */
void td_event_describe(const struct td_event *e, char *buf, size_t cap);

#endif
