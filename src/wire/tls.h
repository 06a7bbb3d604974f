/* Numeric TLS constants the codec itself needs. Names for display (suites,
 * groups, alerts, extensions) live in registry/; wire/ works with numbers
 * only so that it depends on nothing above core/. */
#ifndef TD_WIRE_TLS_H
#define TD_WIRE_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/reader.h"

/* ContentType, RFC 8446 5.1 / RFC 5246 6.2.1 */
enum {
    TD_CT_CHANGE_CIPHER_SPEC = 20,
    TD_CT_ALERT = 21,
    TD_CT_HANDSHAKE = 22,
    TD_CT_APPLICATION_DATA = 23,
    TD_CT_HEARTBEAT = 24, /* RFC 6520 */
    /* not on the wire: a record with an SSLv2 2-byte header (RFC 5246 E.2) */
    TD_CT_SSL2 = 0x100,
};

/* ProtocolVersion */
enum {
    TD_V_SSL2 = 0x0002,
    TD_V_SSL3 = 0x0300,
    TD_V_TLS10 = 0x0301,
    TD_V_TLS11 = 0x0302,
    TD_V_TLS12 = 0x0303,
    TD_V_TLS13 = 0x0304,
};

/* HandshakeType, RFC 8446 4 / RFC 5246 7.4 */
enum {
    TD_HS_HELLO_REQUEST = 0,
    TD_HS_CLIENT_HELLO = 1,
    TD_HS_SERVER_HELLO = 2,
    TD_HS_NEW_SESSION_TICKET = 4,
    TD_HS_END_OF_EARLY_DATA = 5,
    TD_HS_ENCRYPTED_EXTENSIONS = 8,
    TD_HS_CERTIFICATE = 11,
    TD_HS_SERVER_KEY_EXCHANGE = 12,
    TD_HS_CERTIFICATE_REQUEST = 13,
    TD_HS_SERVER_HELLO_DONE = 14,
    TD_HS_CERTIFICATE_VERIFY = 15,
    TD_HS_CLIENT_KEY_EXCHANGE = 16,
    TD_HS_FINISHED = 20,
    TD_HS_CERTIFICATE_STATUS = 22, /* RFC 6066 8 */
    TD_HS_KEY_UPDATE = 24,
    TD_HS_MESSAGE_HASH = 254,
};

/* ExtensionType (IANA TLS ExtensionType Values) */
enum {
    TD_EXT_SERVER_NAME = 0,             /* RFC 6066 3 */
    TD_EXT_MAX_FRAGMENT_LENGTH = 1,     /* RFC 6066 4 */
    TD_EXT_STATUS_REQUEST = 5,          /* RFC 6066 8 */
    TD_EXT_SUPPORTED_GROUPS = 10,       /* RFC 8422 5.1.1, RFC 8446 4.2.7 */
    TD_EXT_EC_POINT_FORMATS = 11,       /* RFC 8422 5.1.2 */
    TD_EXT_SIGNATURE_ALGORITHMS = 13,   /* RFC 5246 7.4.1.4.1, RFC 8446 4.2.3 */
    TD_EXT_ALPN = 16,                   /* RFC 7301 3.1 */
    TD_EXT_PADDING = 21,                /* RFC 7685 */
    TD_EXT_ENCRYPT_THEN_MAC = 22,       /* RFC 7366 */
    TD_EXT_EXTENDED_MASTER_SECRET = 23, /* RFC 7627 */
    TD_EXT_RECORD_SIZE_LIMIT = 28,      /* RFC 8449 */
    TD_EXT_SESSION_TICKET = 35,         /* RFC 5077 */
    TD_EXT_PRE_SHARED_KEY = 41,         /* RFC 8446 4.2.11 */
    TD_EXT_EARLY_DATA = 42,
    TD_EXT_SUPPORTED_VERSIONS = 43, /* RFC 8446 4.2.1 */
    TD_EXT_COOKIE = 44,
    TD_EXT_PSK_KEY_EXCHANGE_MODES = 45,
    TD_EXT_CERTIFICATE_AUTHORITIES = 47,
    TD_EXT_SIGNATURE_ALGORITHMS_CERT = 50,
    TD_EXT_KEY_SHARE = 51,              /* RFC 8446 4.2.8 */
    TD_EXT_RENEGOTIATION_INFO = 0xff01, /* RFC 5746 3.2 */
};

/* AlertLevel, RFC 5246 7.2 */
enum { TD_ALERT_WARNING = 1, TD_ALERT_FATAL = 2 };

/* Cipher suite values the codec treats specially. */
enum {
    TD_SUITE_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff, /* RFC 5746 3.3 */
    TD_SUITE_FALLBACK_SCSV = 0x5600,                 /* RFC 7507 */
};

/* A few NamedGroup values (RFC 8446 4.2.7) used by tests and key shares. */
enum {
    TD_GROUP_SECP256R1 = 0x0017,
    TD_GROUP_SECP384R1 = 0x0018,
    TD_GROUP_SECP521R1 = 0x0019,
    TD_GROUP_X25519 = 0x001d,
    TD_GROUP_X448 = 0x001e,
    TD_GROUP_FFDHE2048 = 0x0100,
};

/* Record and handshake limits. */
enum {
    TD_RECORD_HEADER_LEN = 5,
    /* TLSPlaintext.length <= 2^14 (RFC 8446 5.1); TLSCiphertext.length <=
     * 2^14 + 2048 (RFC 5246 6.2.3). We accept the larger bound for every
     * record type because we parse records before knowing if they are
     * protected, and many stacks pad up to it. */
    TD_RECORD_MAX_BODY = 16384 + 2048,
    TD_HS_HEADER_LEN = 4,
};

/* GREASE values (RFC 8701 2): 0x?A?A with both bytes equal. */
static inline bool td_is_grease(uint16_t v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* Lists decoded from the wire are kept as views; these read entry i of a
 * view of 1-, 2- or 3-byte big-endian entries. The decoder already checked
 * that len is a multiple of the width; out-of-range i returns 0. */
size_t td_list_count(struct td_bytes b, unsigned width);
uint32_t td_list_at(struct td_bytes b, unsigned width, size_t i);
/* true if v (of width bytes) is in the list */
bool td_list_has(struct td_bytes b, unsigned width, uint32_t v);

#endif
