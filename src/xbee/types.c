/* Frame layouts of every XBee Cellular frame type documented in
 * ../shared/research/devices.md ("XBee Cellular API frames", "Frame
 * layouts"; offsets within frame data, byte 0 = frame type). One table row
 * per type; decoding and encoding both walk these rows (frame.c). Types not
 * listed here (e.g. 0x47-0x4F, 0xC4, 0xC5, 0xC7-0xCB: not in devices.md)
 * decode as unknown and are shown raw. */
#include <strings.h>

#include "xbee/frame.h"

#define F(key, label, opt, kind, table, dflt)                                                                          \
    {                                                                                                                  \
        key, label, opt, TD_XB_K_##kind, table, dflt                                                                   \
    }
#define FRAME_ID F("frame_id", "frame ID", "frame-id", FRAME_ID, NULL, "1")
#define TYPE(code, name, verb, source, req, fields)                                                                    \
    {                                                                                                                  \
        code, name, verb, source, req, fields, TD_ARRAY_LEN(fields)                                                    \
    }

/* 0x08 / 0x09: type, frame ID, AT command (2 ASCII), parameter (optional;
 * omitted = query). [xbee-c] atcmd.h; Digi 90001506 r_frame_0x09. */
static const struct td_xb_field_spec at_req[] = {
    FRAME_ID,
    F("command", "AT command", "command", ATCMD, NULL, NULL),
    F("parameter", "parameter", "param", DATA, NULL, ""),
};

/* 0x88: type, frame ID, AT command (2), status, data (omitted when setting).
 * XBee 3 UG p.252; [xbee-c] atcmd.h; [xbee-py] ATCommandStatus. */
static const struct td_xb_field_spec at_resp[] = {
    FRAME_ID,
    F("command", "AT command", "command", ATCMD, NULL, NULL),
    F("status", "command status", "status", U8, &td_xb_at_status, "0"),
    F("data", "command data", "param", DATA, NULL, ""),
};

/* 0x8A: type, status. Digi 90002258 r_frame_0x8a_cell. */
static const struct td_xb_field_spec modem_status[] = {
    F("status", "modem status", "status", U8, &td_xb_modem_status, NULL),
};

/* 0x20: type, frame ID (0 = no 0x89), dest IPv4 (4), dest port (2), source
 * port (2), protocol (0 UDP, 1 TCP, 4 SSL/TLS -> AT$0), TX options (bit 1 =
 * 0x02 close socket after TX), payload (<= 1500, UDP <= 512).
 * XBee3 UG p.215; [xbee-c] ipv4.h; [xbee-py] network.py. */
static const struct td_xb_field_spec tx_ipv4[] = {
    FRAME_ID,
    F("dest_addr", "destination address", "ip", IPV4, NULL, NULL),
    F("dest_port", "destination port", "port", PORT, NULL, NULL),
    F("src_port", "source port", "src-port", PORT, NULL, "0"),
    F("protocol", "protocol", "protocol", U8, &td_xb_protocol, NULL),
    F("tx_options", "transmit options", "options", TXOPT, NULL, "0"),
    F("payload", "payload", "data", DATA, NULL, ""),
};

/* 0x23: as 0x20 "with the protocol field replaced with a TLS Profile field"
 * (zero-indexed AT$<num>). XBee 3 UG p.250; XBee3 UG p.217, p.147. */
static const struct td_xb_field_spec tx_tls[] = {
    FRAME_ID,
    F("dest_addr", "destination address", "ip", IPV4, NULL, NULL),
    F("dest_port", "destination port", "port", PORT, NULL, NULL),
    F("src_port", "source port", "src-port", PORT, NULL, "0"),
    F("tls_profile", "TLS profile", "profile", PROFILE, NULL, "0"),
    F("tx_options", "transmit options", "options", TXOPT, NULL, "0"),
    F("payload", "payload", "data", DATA, NULL, ""),
};

/* 0x89: type, frame ID, status. Digi 90002258 r_frame_0x89_cell. */
static const struct td_xb_field_spec tx_status[] = {
    FRAME_ID,
    F("status", "delivery status", "status", U8, &td_xb_tx_status, NULL),
};

/* 0xB0: type, source (remote) IPv4, dest (local) port, source (remote) port,
 * protocol, status (reserved), payload. No frame ID. [xbee-c] ipv4.h
 * xbee_frame_receive_ipv4_t; [xbee-py] RXIPv4Packet. */
static const struct td_xb_field_spec rx_ipv4[] = {
    F("src_addr", "source address", "ip", IPV4, NULL, NULL),
    F("dest_port", "destination (local) port", "local-port", PORT, NULL, "0"),
    F("src_port", "source (remote) port", "port", PORT, NULL, NULL),
    F("protocol", "protocol", "protocol", U8, &td_xb_protocol, "1"),
    F("status", "status (reserved)", "status", U8, NULL, "0"),
    F("payload", "payload", "data", DATA, NULL, ""),
};

/* 0x40: type, frame ID, protocol (0 UDP, 1 TCP, 4 SSL over TCP). [xbee-c]
 * socket_frames.h (XBee Cellular firmware x15 or later). */
static const struct td_xb_field_spec sock_create[] = {
    FRAME_ID,
    F("protocol", "protocol", "protocol", U8, &td_xb_protocol, NULL),
};

/* 0xC0: type, frame ID, socket ID (0xFF on error), status. Digi 90001541
 * r_frame_socket_0xc0; XBee 3 UG p.267. */
static const struct td_xb_field_spec sock_create_resp[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, "0"),
    F("status", "status", "status", U8, &td_xb_sock_create_status, NULL),
};

/* 0x41: type, frame ID, socket ID, option ID, option data (empty = query).
 * XBee 3 UG p.268. */
static const struct td_xb_field_spec sock_option[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
    F("option_id", "option ID", "option", U8, &td_xb_sock_option_id, "0"),
    F("option_data", "option data", "value", DATA, NULL, ""),
};

/* 0xC1: type, frame ID, socket ID, option ID, status, option data (query
 * only). XBee 3 UG p.269. */
static const struct td_xb_field_spec sock_option_resp[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
    F("option_id", "option ID", "option", U8, &td_xb_sock_option_id, "0"),
    F("status", "status", "status", U8, &td_xb_sock_option_status, NULL),
    F("option_data", "option data", "value", DATA, NULL, ""),
};

/* 0x42: type, frame ID, socket ID, dest port (2), address type (0 = 4-byte
 * IPv4, 1 = string, the XBee does DNS), dest address (variable).
 * [xbee-c] socket_frames.h; Digi example XBee 3 UG p.167. */
static const struct td_xb_field_spec sock_connect[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
    F("dest_port", "destination port", "port", PORT, NULL, NULL),
    F("addr_type", "address type", "addr-type", U8, &td_xb_sock_addr_type, "auto"),
    F("dest_addr", "destination address", "addr", ADDR, NULL, NULL),
};

/* 0xC2: type, frame ID, socket ID, status. XBee 3 UG p.271. */
static const struct td_xb_field_spec sock_connect_resp[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
    F("status", "status", "status", U8, &td_xb_sock_connect_status, NULL),
};

/* 0x43: type, frame ID, socket ID (0xFF = all). [xbee-c]. */
static const struct td_xb_field_spec sock_close[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
};

/* 0xC3: type, frame ID, socket ID, status. [xbee-c]. */
static const struct td_xb_field_spec sock_close_resp[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
    F("status", "status", "status", U8, &td_xb_sock_status, NULL),
};

/* 0x44: type, frame ID, socket ID, TX options (reserved, 0), payload.
 * [xbee-c]; [xbee-py]. */
static const struct td_xb_field_spec sock_send[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
    F("tx_options", "transmit options (reserved)", "options", U8, NULL, "0"),
    F("payload", "payload", "data", DATA, NULL, ""),
};

/* 0x45: type, frame ID, socket ID, dest IPv4 (4), dest port (2), options
 * (0), payload. [xbee-c]. */
static const struct td_xb_field_spec sock_sendto[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
    F("dest_addr", "destination address", "ip", IPV4, NULL, NULL),
    F("dest_port", "destination port", "port", PORT, NULL, NULL),
    F("tx_options", "transmit options (reserved)", "options", U8, NULL, "0"),
    F("payload", "payload", "data", DATA, NULL, ""),
};

/* 0x46: type, frame ID, socket ID, local port (2). [xbee-c]. */
static const struct td_xb_field_spec sock_bind[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
    F("local_port", "local port", "port", PORT, NULL, NULL),
};

/* 0xC6: type, frame ID, socket ID, status. XBee 3 UG p.277; [xbee-c]. */
static const struct td_xb_field_spec sock_listen_resp[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
    F("status", "status", "status", U8, &td_xb_sock_listen_status, NULL),
};

/* 0xCC: type, listening socket ID, new client socket ID, remote IPv4 (4),
 * remote port (2). [xbee-c]. */
static const struct td_xb_field_spec sock_new_client[] = {
    F("socket_id", "listening socket ID", "socket", SOCKET, NULL, NULL),
    F("client_socket_id", "client socket ID", "client-socket", SOCKET, NULL, NULL),
    F("remote_addr", "remote address", "ip", IPV4, NULL, NULL),
    F("remote_port", "remote port", "port", PORT, NULL, NULL),
};

/* 0xCD: type, frame ID, socket ID, status (reserved 0), payload. [xbee-c];
 * [xbee-py]. */
static const struct td_xb_field_spec sock_receive[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
    F("status", "status (reserved)", "status", U8, NULL, "0"),
    F("payload", "payload", "data", DATA, NULL, ""),
};

/* 0xCE: type, frame ID, socket ID, source IPv4 (4), source port (2),
 * status (0), payload. [xbee-c]. */
static const struct td_xb_field_spec sock_receive_from[] = {
    FRAME_ID,
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
    F("src_addr", "source address", "ip", IPV4, NULL, NULL),
    F("src_port", "source port", "port", PORT, NULL, NULL),
    F("status", "status (reserved)", "status", U8, NULL, "0"),
    F("payload", "payload", "data", DATA, NULL, ""),
};

/* 0xCF: type, socket ID, status. XBee 3 UG p.281; [xbee-py] SocketState. */
static const struct td_xb_field_spec sock_state[] = {
    F("socket_id", "socket ID", "socket", SOCKET, NULL, NULL),
    F("status", "socket state", "status", U8, &td_xb_sock_state, NULL),
};

const struct td_xb_type td_xb_types[] = {
    TYPE(0x08, "AT Command", "at", "[xbee-c] atcmd.h; Digi 90001506 r_frame_0x09", true, at_req),
    TYPE(0x09, "AT Command - Queue Parameter Value", "at-queue", "[xbee-c] atcmd.h; Digi 90001506 r_frame_0x09", true,
         at_req),
    TYPE(0x20, "Transmit Request: IPv4", "tx-ipv4", "XBee3 UG p.215; [xbee-c] ipv4.h; [xbee-py] network.py", true,
         tx_ipv4),
    TYPE(0x23, "Tx Request with TLS Profile", "tx-tls", "XBee 3 UG p.250; XBee3 UG p.217, p.147", true, tx_tls),
    TYPE(0x40, "Socket Create", "socket-create", "[xbee-c] socket_frames.h", true, sock_create),
    TYPE(0x41, "Socket Option Request", "socket-option", "XBee 3 UG p.268", true, sock_option),
    TYPE(0x42, "Socket Connect", "socket-connect", "[xbee-c] socket_frames.h; XBee 3 UG p.167", true, sock_connect),
    TYPE(0x43, "Socket Close", "socket-close", "[xbee-c] socket_frames.h", true, sock_close),
    TYPE(0x44, "Socket Send", "socket-send", "[xbee-c] socket_frames.h; [xbee-py] socket.py", true, sock_send),
    TYPE(0x45, "Socket SendTo (IPv4)", "socket-sendto", "[xbee-c] socket_frames.h", true, sock_sendto),
    TYPE(0x46, "Socket Bind/Listen", "socket-bind", "[xbee-c] socket_frames.h", true, sock_bind),
    TYPE(0x88, "AT Command Response", "at-response", "XBee 3 UG p.252; [xbee-c] atcmd.h", false, at_resp),
    TYPE(0x89, "Transmit (TX) Status", "tx-status", "Digi 90002258 r_frame_0x89_cell; [xbee-c] tx_status.h", false,
         tx_status),
    TYPE(0x8A, "Modem Status", "modem-status", "Digi 90002258 r_frame_0x8a_cell", false, modem_status),
    TYPE(0xB0, "Receive (RX) Packet: IPv4", "rx-ipv4", "[xbee-c] ipv4.h; [xbee-py] RXIPv4Packet", false, rx_ipv4),
    TYPE(0xC0, "Socket Create Response", "socket-create-response", "Digi 90001541 r_frame_socket_0xc0; XBee 3 UG p.267",
         false, sock_create_resp),
    TYPE(0xC1, "Socket Option Response", "socket-option-response", "XBee 3 UG p.269", false, sock_option_resp),
    TYPE(0xC2, "Socket Connect Response", "socket-connect-response", "XBee 3 UG p.271", false, sock_connect_resp),
    TYPE(0xC3, "Socket Close Response", "socket-close-response", "[xbee-c] socket_frames.h", false, sock_close_resp),
    TYPE(0xC6, "Socket Listen Response", "socket-listen-response", "XBee 3 UG p.277; [xbee-c]", false,
         sock_listen_resp),
    TYPE(0xCC, "Socket New IPv4 Client", "socket-new-client", "[xbee-c] socket_frames.h", false, sock_new_client),
    TYPE(0xCD, "Socket Receive", "socket-receive", "[xbee-c] socket_frames.h; [xbee-py] socket.py", false,
         sock_receive),
    TYPE(0xCE, "Socket Receive From", "socket-receive-from", "[xbee-c] socket_frames.h", false, sock_receive_from),
    TYPE(0xCF, "Socket Status", "socket-status", "XBee 3 UG p.281; [xbee-py] SocketState", false, sock_state),
};
const size_t td_xb_types_count = TD_ARRAY_LEN(td_xb_types);

/* A type byte devices.md does not document: everything after it is data. */
static const struct td_xb_field_spec raw_fields[] = {
    F("data", "frame data", "data", DATA, NULL, ""),
};

void td_xb_type_raw(uint8_t type, struct td_xb_type *out)
{
    *out = (struct td_xb_type){.type = type,
                               .name = "frame type not in devices.md",
                               .verb = "raw",
                               .source = "not in devices.md",
                               .request = true,
                               .fields = raw_fields,
                               .nfields = TD_ARRAY_LEN(raw_fields)};
}

const struct td_xb_type *td_xb_type_by_code(uint8_t type)
{
    for (size_t i = 0; i < td_xb_types_count; i++) {
        if (td_xb_types[i].type == type)
            return &td_xb_types[i];
    }
    return NULL;
}

const struct td_xb_type *td_xb_type_by_verb(const char *verb)
{
    if (verb[0] == '0' && (verb[1] == 'x' || verb[1] == 'X')) {
        unsigned long v = 0;
        return td_xb_parse_number(verb, 0xFF, &v) ? td_xb_type_by_code((uint8_t)v) : NULL;
    }
    for (size_t i = 0; i < td_xb_types_count; i++) {
        if (strcasecmp(td_xb_types[i].verb, verb) == 0)
            return &td_xb_types[i];
    }
    return NULL;
}
