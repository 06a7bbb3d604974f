/* The transcript: an ordered list of what happened on one connection, in
 * both directions, with timestamps (DESIGN.md "One pipeline"). It is plain
 * data; report/transcript.h prints it as a ladder diagram or JSON. Live
 * probes, a listener and pcap files all produce it, so nothing here assumes
 * a live socket: times are supplied by the caller.
 *
 * The flight reader (td_flight) turns the bytes received in one direction
 * into events incrementally: feed it whatever read() returned.
 *
 * Peer misbehaviour (alerts, malformed bytes, a FIN mid-record) is recorded
 * as events; the functions here fail only for TD_ERR_NOMEM/TOOBIG on our
 * own caps. */
#ifndef TD_WIRE_TRANSCRIPT_H
#define TD_WIRE_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "wire/certificate.h"
#include "wire/certreq.h"
#include "wire/clienthello.h"
#include "wire/record.h"
#include "wire/serverhello.h"
#include "wire/ske.h"

#define TD_EV_KINDS(X)                                                                                                 \
    X(TCP_CONNECT, "tcp_connect")                                                                                      \
    X(TCP_FIN, "tcp_fin")                                                                                              \
    X(TCP_RST, "tcp_rst")                                                                                              \
    X(TIMEOUT, "timeout")                                                                                              \
    X(CLOSED_BY_US, "closed_by_us")                                                                                    \
    X(RECORD, "record")                                                                                                \
    X(HANDSHAKE, "handshake")                                                                                          \
    X(ALERT, "alert")                                                                                                  \
    X(CCS, "change_cipher_spec")                                                                                       \
    X(ENCRYPTED, "encrypted")                                                                                          \
    X(MALFORMED, "malformed")

enum td_ev_kind {
#define TD_EV_ENUM(n, s) TD_EV_##n,
    TD_EV_KINDS(TD_EV_ENUM)
#undef TD_EV_ENUM
        TD_EV__COUNT
};
const char *td_ev_kind_name(enum td_ev_kind k);

enum td_dir {
    TD_DIR_C2S, /* client -> server */
    TD_DIR_S2C, /* server -> client */
};
const char *td_dir_name(enum td_dir d); /* "c2s" / "s2c" */

/* What a decoded handshake message said, in a few numbers (the full
 * message is available by re-parsing the event's bytes). Fields not
 * relevant to the message type are 0. */
struct td_ev_summary {
    bool decoded;          /* the message parsed cleanly */
    uint16_t version;      /* CH: highest offered; SH: negotiated */
    uint16_t cipher_suite; /* SH: chosen */
    bool hrr;              /* SH was a HelloRetryRequest */
    bool sni;              /* CH: carried server_name */
    size_t count;          /* CH: suites offered; Certificate: certificates */
    size_t bytes;          /* Certificate: total DER bytes */
    uint16_t group;        /* SKE: named curve; HRR/SH: key_share group */
    unsigned bits;         /* SKE: DH p bits or RSA-export modulus bits */
    uint16_t sigalg;       /* SKE: signature scheme (TLS 1.2) */
};

/* One event. `data` is an owned copy of the bytes it covers, up to
 * TD_EVENT_DATA_CAP (then data_len < wire_len and data_truncated is set):
 *   RECORD      the 5-byte record header (the body shows up as the events
 *               that follow: handshake messages, alert, CCS, encrypted)
 *   HANDSHAKE   the whole message, header included (SSLv2: the record body)
 *   ALERT, CCS  the record body
 *   ENCRYPTED   the record body
 *   MALFORMED   the offending bytes from the failing record/message on
 *   TCP_*, TIMEOUT, CLOSED_BY_US: none */
struct td_event {
    enum td_ev_kind kind;
    enum td_dir dir;
    uint64_t t_us;     /* caller's clock, microseconds */
    size_t stream_off; /* offset in this direction's byte stream */
    uint8_t *data;
    size_t data_len;
    size_t wire_len; /* length on the wire before the cap */
    bool data_truncated;
    unsigned content_type;           /* RECORD / ENCRYPTED: TD_CT_* */
    uint16_t record_version;         /* RECORD */
    uint8_t hs_type;                 /* HANDSHAKE: HandshakeType (SSLv2: its msg type) */
    bool sslv2;                      /* HANDSHAKE/RECORD in SSLv2 framing */
    uint8_t alert_level, alert_desc; /* ALERT */
    struct td_ev_summary sum;        /* HANDSHAKE */
    struct td_diag diag;             /* MALFORMED: what was wrong and where (stream offsets) */
};

/* Caps: events per transcript, bytes per event, bytes per transcript.
 * Past TD_TRANSCRIPT_MAX_EVENTS adding fails with TOOBIG; past the byte
 * caps events are still added with their bytes cut (data_truncated). */
enum {
    TD_TRANSCRIPT_MAX_EVENTS = 4096,
    TD_EVENT_DATA_CAP = TD_HSBUF_CAP,
    TD_TRANSCRIPT_DATA_CAP = 4 * 1024 * 1024,
};

struct td_transcript {
    struct td_event *ev;
    size_t count;
    size_t alloc;
    size_t data_bytes; /* owned bytes held, <= TD_TRANSCRIPT_DATA_CAP */
};

void td_transcript_init(struct td_transcript *t);
void td_transcript_free(struct td_transcript *t);
/* Appends an event with a copy of data (may be NULL/0); *out (optional)
 * points at it until the next add. */
TD_MUST_USE td_err td_transcript_add(struct td_transcript *t, enum td_ev_kind kind, enum td_dir dir, uint64_t t_us,
                                     const uint8_t *data, size_t len, struct td_event **out);
/* Index of the first/last event matching kind (and hs_type for HANDSHAKE,
 * ignored otherwise) in direction dir; SIZE_MAX if none. */
size_t td_transcript_find(const struct td_transcript *t, enum td_dir dir, enum td_ev_kind kind, int hs_type);

/* ---- Flight reader ------------------------------------------------- */

/* What a flight reader has seen so far (bits of td_flight.seen). */
enum {
    TD_SEEN_CLIENT_HELLO = 1u << 0,
    TD_SEEN_SERVER_HELLO = 1u << 1,
    TD_SEEN_HRR = 1u << 2,
    TD_SEEN_CERTIFICATE = 1u << 3,
    TD_SEEN_SKE = 1u << 4,
    TD_SEEN_CERTREQ = 1u << 5,
    TD_SEEN_SHD = 1u << 6,
    TD_SEEN_ALERT = 1u << 7,
    TD_SEEN_CCS = 1u << 8,
    TD_SEEN_ENCRYPTED = 1u << 9,
    TD_SEEN_MALFORMED = 1u << 10,
    TD_SEEN_SSLV2 = 1u << 11,
    TD_SEEN_OTHER_HS = 1u << 12, /* any other handshake message */
    TD_SEEN_FATAL_ALERT = 1u << 13,
};

/* Maps a cipher suite to its key exchange, for decoding the SKE summary.
 * Return false if unknown (the reader then guesses ECDHE if the params
 * start with named_curve(3), else DHE). */
typedef bool (*td_kex_fn)(uint16_t suite, void *arg, enum td_kex *out);

struct td_flight {
    struct td_transcript *t;
    enum td_dir dir;
    struct td_recbuf rb;
    struct td_hsbuf hb;
    unsigned seen;
    bool failed;       /* malformed framing: later bytes are not parsed */
    bool ccs;          /* this side sent ChangeCipherSpec: later handshake records are encrypted */
    bool protected_hs; /* TLS 1.3 after ServerHello: handshake is encrypted */
    bool sslv2_hello;  /* an SSLv2 hello was seen: later SSLv2 records are opaque */
    uint16_t version;  /* negotiated (from ServerHello), 0 before */
    uint16_t suite;
    td_kex_fn kex_of;
    void *kex_arg;
    size_t garbage_ev; /* index of the framing-error event that collects later bytes */
};

/* After a framing error (bytes that are not TLS records, e.g. an HTTP
 * reply), the malformed event keeps collecting what follows, up to this
 * many bytes, so the report can show what the peer said. */
enum { TD_GARBAGE_CAP = 1024 };

/* t is shared by the flight readers of both directions. */
void td_flight_init(struct td_flight *fl, struct td_transcript *t, enum td_dir dir);
void td_flight_free(struct td_flight *fl);
/* Tells the reader the negotiated version/suite learnt from the other
 * direction (a client-direction reader in a listener learns it from the
 * server's reader). The server-direction reader sets its own. */
void td_flight_set_version(struct td_flight *fl, uint16_t version, uint16_t suite);
/* Feeds received bytes; appends events. Fails only on our own caps. */
TD_MUST_USE td_err td_flight_feed(struct td_flight *fl, const uint8_t *data, size_t len, uint64_t t_us);
/* The peer closed (or we stopped reading): a partial record or message
 * becomes a MALFORMED (truncated) event. Does not add the FIN itself. */
TD_MUST_USE td_err td_flight_finish(struct td_flight *fl, uint64_t t_us);

/* Re-parse the stored bytes of the first such message in fl's direction
 * (for the ServerHello: the last one, so after a HelloRetryRequest it is
 * the real ServerHello; sh.hrr tells if only the HRR came); views point
 * into the transcript. NOTFOUND if none was seen. */
TD_MUST_USE td_err td_flight_client_hello(const struct td_flight *fl, struct td_client_hello *out, struct td_diag *d);
TD_MUST_USE td_err td_flight_server_hello(const struct td_flight *fl, struct td_server_hello *out, struct td_diag *d);
TD_MUST_USE td_err td_flight_certificate(const struct td_flight *fl, struct td_certificate *out, struct td_diag *d);
TD_MUST_USE td_err td_flight_ske(const struct td_flight *fl, enum td_kex kex, struct td_ske *out, struct td_diag *d);
TD_MUST_USE td_err td_flight_certreq(const struct td_flight *fl, struct td_certreq *out, struct td_diag *d);
/* The first alert in fl's direction, if any. */
bool td_flight_alert(const struct td_flight *fl, struct td_alert *out);

/* A short name for a HandshakeType ("ServerHello"); "handshake" if unknown. */
const char *td_hs_type_name(uint8_t type);

#endif
