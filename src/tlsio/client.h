/* A full TLS handshake with OpenSSL, configured to emulate a device as
 * closely as OpenSSL allows: its exact cipher list (IANA codes mapped to
 * OpenSSL names at run time, @SECLEVEL=0 and the legacy provider when a
 * legacy suite needs them), its version range, SNI or none, its groups,
 * signature algorithms, max_fragment_length, and no session tickets when
 * the device sends none.
 *
 * OpenSSL talks to memory BIOs and this file pumps them to the socket, so
 * every byte really exchanged is recorded in both directions: the
 * transcript is built from those bytes, not from what OpenSSL reports.
 * Works on an already connected socket, with one deadline for the whole
 * handshake (non-blocking + poll). Certificates are NOT verified here: the
 * caller evaluates the chain as the device would (x509/). */
#ifndef TD_TLSIO_CLIENT_H
#define TD_TLSIO_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/writer.h"

#define TD_TLS_MAX_SUITES 256
#define TD_TLS_MAX_CHAIN 16
#define TD_TLS_CAPTURE_CAP (512u * 1024u) /* bytes kept per direction */

struct td_tls_client_cfg {
    const uint16_t *suites; /* IANA codes in the device's order; TLS 1.3 ones too */
    size_t nsuites;
    uint16_t min_version;   /* wire codes: 0x0301 TLS 1.0 .. 0x0304 TLS 1.3; 0 = library default */
    uint16_t max_version;
    const char *sni;        /* NULL: send no server_name (never an IP literal) */
    const uint16_t *groups; /* IANA NamedGroup codes; NULL/0: OpenSSL's default */
    size_t ngroups;
    const uint16_t *sigalgs; /* IANA SignatureScheme codes; NULL/0: default */
    size_t nsigalgs;
    uint8_t max_fragment_length; /* RFC 6066 code 1..4 (512..4096); 0: not sent */
    bool no_session_ticket;      /* the device sends no session_ticket extension */
    bool no_ems;                 /* no extended_master_secret */
    bool no_etm;                 /* no encrypt_then_mac */
    const char *client_cert_file; /* PEM; presented if the server asks */
    const char *client_key_file;
    int timeout_ms;              /* whole handshake; <= 0: 10000 */
};

/* How the attempt ended, from the client's point of view. */
enum td_tls_end {
    TD_TLS_END_COMPLETED = 0,  /* handshake finished */
    TD_TLS_END_ALERT_RECEIVED, /* the server sent a fatal alert */
    TD_TLS_END_ALERT_SENT,     /* OpenSSL (standing in for the device) aborted */
    TD_TLS_END_CLOSED,         /* the server closed the connection (FIN) */
    TD_TLS_END_RESET,          /* the server reset the connection */
    TD_TLS_END_TIMEOUT,        /* no answer before the deadline */
    TD_TLS_END_LOCAL,          /* OpenSSL refused to start (e.g. no usable suite) */
};

/* One read or write, in order: which direction, when, and where its bytes
 * are in `sent` / `recv`. Lets a caller rebuild the interleaved
 * transcript (wire/transcript.h) from the captured bytes. */
#define TD_TLS_MAX_CHUNKS 1024
struct td_tls_chunk {
    bool from_server;
    uint64_t t_us; /* microseconds since the handshake started */
    size_t off, len;
};

struct td_tls_result {
    enum td_tls_end end;
    uint16_t version;   /* negotiated, when known */
    uint16_t suite;     /* negotiated IANA code, when known */
    int alert_received; /* description code, -1 if none */
    int alert_sent;     /* description code, -1 if none */
    struct td_writer sent; /* raw bytes written to the socket, in order */
    struct td_writer recv; /* raw bytes read from the socket, in order */
    size_t nchain;      /* the server's chain as sent (leaf first), DER */
    uint8_t *chain[TD_TLS_MAX_CHAIN];
    size_t chain_len[TD_TLS_MAX_CHAIN];
    int tmp_key_bits;   /* DH/ECDH ephemeral key size the server chose, 0 if none */
    char tmp_key_name[32];
    bool client_cert_requested;
    char error[384];    /* OpenSSL's reasons, drained into one line; "" if none */
    size_t nunmapped;   /* configured suites OpenSSL cannot offer */
    uint16_t unmapped[TD_TLS_MAX_SUITES];
    double elapsed_ms;
    size_t nchunks;     /* past TD_TLS_MAX_CHUNKS the bytes are kept, the order is not */
    struct td_tls_chunk chunks[TD_TLS_MAX_CHUNKS];
    bool eof;           /* the server closed (FIN) */
};

void td_tls_result_init(struct td_tls_result *r);
void td_tls_result_free(struct td_tls_result *r);

/* Runs the handshake on the connected socket fd (left open; the caller owns
 * it). Returns TD_ERR_OK whenever the attempt was made, whatever its end
 * (see r->end); an error only when it could not be attempted (bad config,
 * allocation, OpenSSL setup), with r->error saying why. */
TD_MUST_USE td_err td_tls_client_handshake(int fd, const struct td_tls_client_cfg *cfg, struct td_tls_result *r);

/* Every TLS <= 1.2 suite this libssl can offer (legacy ones included when
 * the legacy provider loads), as IANA codes; returns how many (at most cap). */
size_t td_tls_ossl_suites(uint16_t *out, size_t cap);

/* "unexpected_message", ... for an alert description; "alert N" if unknown
 * (buf used then). */
const char *td_tls_alert_name(int desc, char *buf, size_t cap);

/* Drains OpenSSL's error queue into one line ("reason; reason"). */
void td_tls_drain_errors(char *buf, size_t cap);

#endif
