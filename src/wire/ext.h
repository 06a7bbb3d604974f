/* Extensions (RFC 8446 4.2, RFC 5246 7.4.1.4) decoded through a const
 * handler table keyed by type (s2n's s2n_extension_type): each known type
 * has a parser into typed fields below and the set of messages it may
 * appear in. Unknown types are kept raw. Every extension, known or not, is
 * also listed in wire order in `list` (for fingerprints and re-encoding).
 *
 *   struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
 *   Extension extensions<0..2^16-1>;   (ClientHello: <8..2^16-1> in TLS 1.3)
 *
 * Rules enforced while decoding:
 *  - duplicates: "There MUST NOT be more than one extension of the same
 *    type in a given extension block" (RFC 8446 4.2, RFC 5246 7.4.1.4):
 *    TD_ERR_DUPLICATE at the second one.
 *  - each known body is consumed exactly (TD_ERR_TRAILING otherwise).
 *  - an extension not allowed in the message it came in (RFC 8446 4.2's
 *    table, RFC 5246 7.4.1.4 "MUST NOT appear in the ServerHello unless the
 *    same type appeared in the corresponding ClientHello" is the caller's
 *    check) is NOT an error: it is counted in `not_allowed` so a diagnosis
 *    can report it as an observation about the peer.
 */
#ifndef TD_WIRE_EXT_H
#define TD_WIRE_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/reader.h"
#include "core/writer.h"
#include "wire/tls.h"

/* Which message an extension block belongs to (RFC 8446 4.2 table column). */
enum td_ext_msg {
    TD_MSG_CH,   /* ClientHello */
    TD_MSG_SH12, /* ServerHello, TLS <= 1.2 */
    TD_MSG_SH13, /* ServerHello, TLS 1.3 */
    TD_MSG_HRR,  /* HelloRetryRequest */
    TD_MSG_EE,   /* EncryptedExtensions */
    TD_MSG_CR13, /* CertificateRequest, TLS 1.3 */
    TD_MSG_CT13, /* CertificateEntry, TLS 1.3 */
};

/* A hard cap on extensions kept per block, so decoding needs no
 * allocation. Real ClientHellos carry fewer than 30. More is TOOBIG. */
enum { TD_EXT_MAX = 96 };

struct td_ext_raw {
    uint16_t type;
    struct td_bytes data;
};

struct td_exts {
    size_t count;
    struct td_ext_raw list[TD_EXT_MAX];
    struct td_bytes block; /* the whole extensions vector body */
    size_t not_allowed;    /* known types not allowed in this message */
    uint16_t first_not_allowed;

    /* typed fields; valid when td_exts_has(e, TYPE) */
    struct td_bytes sni_host;      /* first host_name; empty in a server's reply */
    size_t sni_names;              /* number of ServerName entries */
    struct td_bytes groups;        /* NamedGroup list, 2-byte entries */
    struct td_bytes point_formats; /* 1-byte entries */
    struct td_bytes sigalgs;       /* SignatureScheme list, 2-byte entries */
    struct td_bytes alpn;          /* ProtocolNameList body: u8-prefixed names */
    size_t alpn_count;
    struct td_bytes alpn_first;  /* first (the server's only) protocol */
    uint8_t max_fragment_length; /* 1..4: 2^9, 2^10, 2^11, 2^12 */
    struct td_bytes reneg_info;  /* renegotiated_connection */
    struct td_bytes ticket;      /* session ticket (may be empty) */
    uint8_t status_type;         /* 1 = ocsp; 0 in a server's empty reply */
    struct td_bytes versions;    /* client: supported_versions, 2-byte entries */
    uint16_t selected_version;   /* server: supported_versions selection */
    struct td_bytes key_shares;  /* client: KeyShareEntry list body */
    size_t key_share_count;
    uint16_t ks_group;      /* server: KeyShareEntry group; HRR: selected_group */
    struct td_bytes ks_key; /* server: key_exchange */
    size_t padding_len;
    bool padding_nonzero; /* RFC 7685 3: MUST be zero bytes */
    uint16_t record_size_limit;
};

/* Parses an extensions vector (with its 2-byte length) from r into e. */
TD_MUST_USE td_err td_exts_parse(struct td_reader *r, enum td_ext_msg msg, struct td_exts *e);
void td_exts_init(struct td_exts *e);
bool td_exts_has(const struct td_exts *e, uint16_t type);
/* The raw entry of type, or NULL. */
const struct td_ext_raw *td_exts_find(const struct td_exts *e, uint16_t type);
/* true if the table knows the type (has a typed parser). */
bool td_ext_known(uint16_t type);
/* true if type may appear in msg (unknown types: always true). */
bool td_ext_allowed(uint16_t type, enum td_ext_msg msg);
/* Recomputes not_allowed for msg (a ServerHello learns whether it is TLS
 * 1.3 only after reading supported_versions). */
void td_exts_recheck(struct td_exts *e, enum td_ext_msg msg);

/* Client key shares: iterate KeyShareEntry { NamedGroup group; opaque key_exchange<1..2^16-1>; } */
struct td_key_share {
    uint16_t group;
    struct td_bytes key;
};
/* Entry i of e->key_shares; false past the end. */
bool td_exts_key_share_at(const struct td_exts *e, size_t i, struct td_key_share *out);
/* ALPN protocol i of e->alpn; false past the end. */
bool td_exts_alpn_at(const struct td_exts *e, size_t i, struct td_bytes *out);

/* ---- Encoders: append one whole extension (type, length, body). ---- */
TD_MUST_USE td_err td_ext_put_raw(struct td_writer *w, uint16_t type, const uint8_t *data, size_t len);
TD_MUST_USE td_err td_ext_put_sni(struct td_writer *w, const char *host);
TD_MUST_USE td_err td_ext_put_u16_list(struct td_writer *w, uint16_t type, const uint16_t *v, size_t n);
TD_MUST_USE td_err td_ext_put_u8_list(struct td_writer *w, uint16_t type, const uint8_t *v, size_t n);
TD_MUST_USE td_err td_ext_put_alpn(struct td_writer *w, const char *const *protos, size_t n);
TD_MUST_USE td_err td_ext_put_max_fragment_length(struct td_writer *w, uint8_t code);
TD_MUST_USE td_err td_ext_put_empty(struct td_writer *w, uint16_t type);
TD_MUST_USE td_err td_ext_put_reneg_info(struct td_writer *w, const uint8_t *verify, size_t len);
TD_MUST_USE td_err td_ext_put_status_request_ocsp(struct td_writer *w);
/* client form: list of versions */
TD_MUST_USE td_err td_ext_put_supported_versions(struct td_writer *w, const uint16_t *v, size_t n);
/* server form: one version */
TD_MUST_USE td_err td_ext_put_selected_version(struct td_writer *w, uint16_t v);
TD_MUST_USE td_err td_ext_put_key_shares(struct td_writer *w, const struct td_key_share *ks, size_t n);
TD_MUST_USE td_err td_ext_put_server_key_share(struct td_writer *w, struct td_key_share ks);
TD_MUST_USE td_err td_ext_put_hrr_key_share(struct td_writer *w, uint16_t group);
TD_MUST_USE td_err td_ext_put_record_size_limit(struct td_writer *w, uint16_t limit);
TD_MUST_USE td_err td_ext_put_padding(struct td_writer *w, size_t n);

#endif
