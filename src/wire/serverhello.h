/* ServerHello and HelloRetryRequest (RFC 8446 4.1.3, 4.1.4; RFC 5246
 * 7.4.1.3): decode and encode. Also the SSLv2 SERVER-HELLO (RFC 6101 E /
 * draft-hickman SSL 2.0), for detecting SSLv2 servers. */
#ifndef TD_WIRE_SERVERHELLO_H
#define TD_WIRE_SERVERHELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/reader.h"
#include "core/writer.h"
#include "wire/clienthello.h"
#include "wire/ext.h"

/* SHA-256("HelloRetryRequest"), RFC 8446 4.1.3 */
extern const uint8_t td_hrr_random[32];

struct td_server_hello {
    uint16_t legacy_version; /* server_version */
    uint16_t version;        /* negotiated: supported_versions if present, else legacy_version */
    bool tls13;              /* version == TLS 1.3 via supported_versions */
    bool hrr;                /* random == td_hrr_random */
    /* RFC 8446 4.1.3 downgrade sentinel in the last 8 bytes of random:
     * 12 = "DOWNGRD\1" (TLS 1.2 by a 1.3 server), 11 = "DOWNGRD\0". 0 none. */
    unsigned downgrade;
    struct td_bytes random;
    struct td_bytes session_id; /* legacy_session_id_echo <0..32> */
    uint16_t cipher_suite;
    uint8_t compression;
    bool has_extensions;
    struct td_exts ext;
};

/* Decodes a ServerHello body (after the handshake header). HRR is
 * recognised by its random and its extensions checked as TD_MSG_HRR. */
TD_MUST_USE td_err td_sh_decode(struct td_reader *body, struct td_server_hello *out);
/* Encodes the handshake message (header + body) from the struct: version
 * fields, random, session_id, suite, compression and ext.list raw entries. */
TD_MUST_USE td_err td_sh_encode(struct td_writer *w, const struct td_server_hello *sh);

/* A ServerHello (or HRR) judged against the ClientHello it answers. Each
 * flag is a protocol violation by the server that a client must treat as
 * fatal; the diagnosis turns them into findings ("an unoffered suite
 * chosen"). Pure: no allocation, no I/O. */
struct td_sh_check {
    bool suite_not_offered;       /* RFC 5246 7.4.1.3, RFC 8446 4.1.3 */
    bool suite_is_scsv;           /* the server "chose" a signalling value (RFC 5746 3.3, RFC 7507) */
    bool version_not_offered;     /* RFC 8446 4.2.1 / RFC 5246 E.1: above what the client offered */
    bool compression_not_offered; /* RFC 5246 7.4.1.3 */
    bool session_id_not_echoed;   /* RFC 8446 4.1.3: 1.3 must echo legacy_session_id */
    size_t unsolicited;           /* RFC 5246 7.4.1.4, RFC 8446 4.2: types the client did not send */
    uint16_t first_unsolicited;
    bool hrr_group_not_offered;    /* RFC 8446 4.1.4: selected_group not in supported_groups */
    bool hrr_group_already_shared; /* RFC 8446 4.1.4: the client already sent that share */
    bool key_share_not_offered;    /* RFC 8446 4.2.8: server share for a group the client did not share */
};
void td_sh_check(const struct td_client_hello *ch, const struct td_server_hello *sh, struct td_sh_check *out);
/* true if any flag of c is set */
bool td_sh_check_failed(const struct td_sh_check *c);

/* SSLv2 SERVER-HELLO (record body of a TD_CT_SSL2 record):
 *   char MSG-SERVER-HELLO(4); char SESSION-ID-HIT; char CERTIFICATE-TYPE;
 *   char SERVER-VERSION-MSB, -LSB; char CERTIFICATE-LENGTH-MSB, -LSB;
 *   char CIPHER-SPECS-LENGTH-MSB, -LSB; char CONNECTION-ID-LENGTH-MSB, -LSB;
 *   char CERTIFICATE-DATA[..]; char CIPHER-SPECS-DATA[..]; char CONNECTION-ID-DATA[..] */
struct td_sslv2_server_hello {
    uint8_t session_id_hit;
    uint8_t certificate_type;
    uint16_t version;
    struct td_bytes certificate;
    struct td_bytes cipher_specs; /* 3-byte entries */
    struct td_bytes connection_id;
};
TD_MUST_USE td_err td_sh_decode_sslv2(struct td_reader *body, struct td_sslv2_server_hello *out);

#endif
