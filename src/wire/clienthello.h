/* ClientHello: decode and encode (RFC 8446 4.1.2, RFC 5246 7.4.1.2), and
 * the SSLv2-compatible CLIENT-HELLO (RFC 5246 E.2, RFC 6101 E.1). */
#ifndef TD_WIRE_CLIENTHELLO_H
#define TD_WIRE_CLIENTHELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/reader.h"
#include "core/writer.h"
#include "wire/ext.h"

struct td_client_hello {
    bool sslv2;                          /* came as an SSLv2-compatible hello */
    uint16_t legacy_version;             /* client_version */
    struct td_bytes random;              /* 32 bytes; SSLv2: the challenge (16..32) */
    struct td_bytes session_id;          /* <0..32> */
    struct td_bytes cipher_suites;       /* entries of suite_width bytes */
    unsigned suite_width;                /* 2, or 3 for SSLv2 cipher specs */
    struct td_bytes compression_methods; /* empty for SSLv2 */
    bool has_extensions;                 /* an extensions vector was present (even empty) */
    struct td_exts ext;
};

/* Decodes a ClientHello body (after the handshake header). */
TD_MUST_USE td_err td_ch_decode(struct td_reader *body, struct td_client_hello *out);
/* Decodes an SSLv2 CLIENT-HELLO message (record body of a TD_CT_SSL2
 * record, starting with msg_type 1). Only the TLS-relevant fields are
 * set; ext is empty. */
TD_MUST_USE td_err td_ch_decode_sslv2(struct td_reader *body, struct td_client_hello *out);
/* Convenience for whole inputs: a TLS record holding a ClientHello, a bare
 * handshake message, or an SSLv2 record; detects which. The ClientHello
 * must be whole in the input (records split across reads go through
 * td_recbuf/td_hsbuf). d may be NULL; d->ctx is set. */
TD_MUST_USE td_err td_ch_parse_any(const uint8_t *p, size_t len, struct td_diag *d, struct td_client_hello *out);

size_t td_ch_suite_count(const struct td_client_hello *ch);
/* Suite i: a 16-bit TLS suite, or for SSLv2 the 24-bit cipher spec
 * (0x00XXXX is TLS suite XXXX). */
uint32_t td_ch_suite_at(const struct td_client_hello *ch, size_t i);
bool td_ch_offers_suite(const struct td_client_hello *ch, uint16_t suite);
/* Highest version offered: supported_versions if present (GREASE ignored),
 * else legacy_version. */
uint16_t td_ch_max_version(const struct td_client_hello *ch);

/* Encodes the handshake message (header + body) from the struct's views:
 * ext.list is written in order as raw entries, so decode→encode gives the
 * input back. Not for SSLv2 hellos. */
TD_MUST_USE td_err td_ch_encode(struct td_writer *w, const struct td_client_hello *ch);

/* The JA3 string of a hello (salesforce/ja3): "SSLVersion,Ciphers,
 * Extensions,EllipticCurves,EllipticCurvePointFormats", decimal values
 * joined by '-', GREASE (RFC 8701) removed. Hashing it (MD5) is the
 * caller's business: wire/ links no crypto. USAGE for an SSLv2 hello,
 * TOOBIG if cap is too small. */
TD_MUST_USE td_err td_ch_ja3(const struct td_client_hello *ch, char *buf, size_t cap);

/* Encodes an SSLv2 CLIENT-HELLO record (2-byte header, RFC 5246 E.2 /
 * RFC 6101 E.1): version (TD_V_SSL2 for a pure SSLv2 probe, or a TLS
 * version for a compatible hello), 3-byte cipher specs, no session id, and
 * a 16..32-byte challenge. */
TD_MUST_USE td_err td_ch_encode_sslv2(struct td_writer *w, uint16_t version, const uint32_t *specs, size_t n,
                                      const uint8_t *challenge, size_t challenge_len);

#endif
