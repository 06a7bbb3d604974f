/* XBee Cellular code tables. Facts come only from
 * ../shared/research/devices.md (sections a.5 and "XBee Cellular API
 * frames"), which cites Digi's documentation and Digi's official libraries
 * ([xbee-py] digidotcom/xbee-python, [xbee-c] digidotcom/xbee_ansic_library).
 * A code absent from a table is shown as "undocumented", never guessed. */
#include "xbee/tables.h"

#define TABLE(var, id_, title_, source_)                                                                               \
    const struct td_xb_table var = {id_, title_, source_, var##_codes, TD_ARRAY_LEN(var##_codes)}

#include "core/err.h"

/* devices.md a.5: Digi doc 90002258 r_frame_0x89_cell, verbatim code list;
 * 0x89/0x8A/0xBB only in [xbee-py] TransmitStatus. */
static const struct td_xb_code td_xb_tx_status_codes[] = {
    {0x00, "Successful transmit", NULL},
    {0x20, "Connection not found", NULL},
    {0x21, "Failure to transmit to cell network", NULL},
    {0x22, "Not registered to cell network", NULL},
    {0x2C, "Invalid frame values (check the phone number)", NULL},
    {0x31, "Internal error", NULL},
    {0x32, "Resource error (retry operation later)",
     "No free socket, or too many pending TX requests on the socket (Digi: Socket limits in API mode)"},
    {0x74, "Message too long", "0x20 payload up to 1500 bytes, UDP up to 512 (XBee 3 Cellular LTE-M/NB-IoT UG p.256)"},
    {0x76, "Socket closed unexpectedly",
     "[xbee-py]: \"Attempt to create a client socket failed\"; [xbee-c]: \"Failure creating client socket\""},
    {0x78, "Invalid UDP port", NULL},
    {0x79, "Invalid TCP port", NULL},
    {0x7A, "Invalid host address", NULL},
    {0x7B, "Invalid data mode", "[xbee-py]: \"Protocol on an IPv4 transmission is invalid\""},
    {0x7C, "Invalid interface", "See User Data Relay - 0x2D"},
    {0x7D, "Interface not accepting frames", NULL},
    {0x7E, "A modem update is in progress", "Try again after the update is complete."},
    {0x80, "Connection refused", NULL},
    {0x81, "Socket connection lost", NULL},
    {0x82, "No server", NULL},
    {0x83, "Socket closed", NULL},
    {0x84, "Unknown server", NULL},
    {0x85, "Unknown error",
     "Seen when the TLS handshake fails: Digi support attributed it to a cipher-suite mismatch (devices.md a.3, Digi "
     "forum thread 20463); in the same thread (the seed) Digi support adds it \"could indicate that the server "
     "certificate file is incorrect\""},
    {0x86, "Invalid TLS configuration (missing file, and so forth)",
     "[xbee-py]: \"TLS Profile on a 0x23 API request does not exist, or one or more certificates is invalid\""},
    {0x87, "Socket not connected", NULL},
    {0x88, "Socket not bound", NULL},
    {0x89, "Socket inactivity timeout", "[xbee-py] only; not in Digi doc 90002258"},
    {0x8A, "PDP context deactivated by network", "[xbee-py] only; not in Digi doc 90002258"},
    {0x8B, "TLS Socket Authentication Error", NULL},
    {0xBB, "Key not authorized", "[xbee-py] only; not in Digi doc 90002258"},
};
TABLE(td_xb_tx_status, "tx_status", "Transmit (TX) Status 0x89 delivery status",
      "Digi 90002258 r_frame_0x89_cell.htm (devices.md a.5); 0x89, 0x8A, 0xBB from [xbee-py] TransmitStatus");

/* devices.md "Frame layouts", 0x8A: Digi 90002258 r_frame_0x8a_cell. */
static const struct td_xb_code td_xb_modem_status_codes[] = {
    {0x00, "Hardware reset or power up", NULL},
    {0x01, "Watchdog timer reset", NULL},
    {0x02, "Registered with cellular network", NULL},
    {0x03, "Unregistered with cellular network", NULL},
    {0x0E, "Remote Manager connected", NULL},
    {0x0F, "Remote Manager disconnected", NULL},
    {0x32, "BLE connect", NULL},
    {0x33, "BLE disconnect", NULL},
    {0x34, "Bandmask configuration failed", NULL},
    {0x35, "Cellular component update started", NULL},
    {0x36, "Cellular component update failed", NULL},
    {0x37, "Cellular component update completed", NULL},
    {0x38, "XBee firmware update started", NULL},
    {0x39, "XBee firmware update failed", NULL},
    {0x3A, "XBee firmware update applying", NULL},
};
TABLE(td_xb_modem_status, "modem_status", "Modem Status 0x8A status",
      "Digi 90002258 r_frame_0x8a_cell.htm (devices.md, XBee Cellular API frames)");

/* devices.md, 0x88: XBee 3 UG p.252; [xbee-c] masks the status with 0x0F;
 * [xbee-py] ATCommandStatus adds 0x04 and the secure-session codes. */
static const struct td_xb_code td_xb_at_status_codes[] = {
    {0x00, "OK", NULL},
    {0x01, "ERROR", NULL},
    {0x02, "Invalid command", NULL},
    {0x03, "Invalid parameter", NULL},
    {0x04, "TX failure", "[xbee-py] ATCommandStatus only"},
    {0x0B, "Secure session error", "[xbee-py] ATCommandStatus secure-session code"},
    {0x0C, "Secure session error", "[xbee-py] ATCommandStatus secure-session code"},
    {0x0D, "Secure session error", "[xbee-py] ATCommandStatus secure-session code"},
};
TABLE(td_xb_at_status, "at_status", "AT Command Response 0x88 status",
      "XBee 3 UG p.252 (https://easymanua.ls/digi/xbee-3/manual?p=252); [xbee-c] atcmd.h; [xbee-py] ATCommandStatus");

/* devices.md a.5: Digi 90002258 r_cmd_ci_cellular. */
static const struct td_xb_code td_xb_atci_codes[] = {
    {0x00, "Socket open", NULL},
    {0x01, "Tried to send but could not", NULL},
    {0x02, "Invalid parameters (bad IP/host)", NULL},
    {0x03, "TCP not supported on this cellular component", NULL},
    {0x10, "Not registered", NULL},
    {0x11, "Cellular component not identified yet", NULL},
    {0x12, "DNS query lookup failure", NULL},
    {0x13, "Socket leak", NULL},
    {0x20, "Bad handle", NULL},
    {0x21, "User closed", NULL},
    {0x22, "No network registration", NULL},
    {0x23, "No internet connection", NULL},
    {0x24, "No server - timed out on connection", NULL},
    {0x25, "Unknown server - DNS lookup failed", NULL},
    {0x26, "Connection refused", NULL},
    {0x27, "Connection lost", NULL},
    {0x28, "Unknown", NULL},
    {0x2F, "TLS Socket Authentication Error", NULL},
    {0xFF, "No known status", NULL},
};
TABLE(td_xb_atci, "atci", "ATCI Protocol/Connection Indication (Transparent mode, IP = 1 or 4)",
      "Digi 90002258 r_cmd_ci_cellular.htm (devices.md a.5)");

/* devices.md, 0x20 and 0x40: protocol 0 UDP, 1 TCP, 4 SSL/TLS. */
static const struct td_xb_code td_xb_protocol_codes[] = {
    {0x00, "UDP", NULL},
    {0x01, "TCP", NULL},
    {0x04, "SSL/TLS over TCP",
     "A 0x20 frame with protocol 4 uses TLS profile AT$0; a TLS socket takes its profile from Socket Option 0x00"},
};
TABLE(td_xb_protocol, "protocol", "IPv4 / socket protocol",
      "XBee3 UG p.215 (https://www.easymanua.ls/digi/xbee3-xb3m1/manual?p=215); [xbee-c] ipv4.h, socket_frames.h");

/* devices.md, 0xC0: Digi 90001541 r_frame_socket_0xc0; XBee 3 UG p.267. */
static const struct td_xb_code td_xb_sock_create_status_codes[] = {
    {0x00, "Successful open", NULL},  {0x22, "Not registered to cell network", NULL},
    {0x31, "Internal error", NULL},   {0x32, "Resource error: retry the operation later", NULL},
    {0x7B, "Invalid protocol", NULL}, {0x7E, "Modem update in process", NULL},
    {0x85, "Unknown error", NULL},    {0x86, "Invalid TLS configuration", NULL},
};
TABLE(td_xb_sock_create_status, "socket_create_status", "Socket Create Response 0xC0 status",
      "Digi 90001541 r_frame_socket_0xc0.htm; XBee 3 UG p.267 (devices.md, XBee Cellular API frames)");

/* devices.md, 0x41: option 0x00 = TLS profile, "$0 - $2", TLS sockets only. */
static const struct td_xb_code td_xb_sock_option_id_codes[] = {
    {0x00, "TLS profile", "Selects AT$0 - AT$2; valid only for TLS sockets (default 0x00)"},
};
TABLE(td_xb_sock_option_id, "socket_option_id", "Socket Option ID",
      "XBee 3 UG p.268 (https://www.easymanua.ls/digi/xbee-3/manual?p=268); [xbee-py] SocketOption");

/* devices.md, 0xC1: XBee 3 UG p.269. */
static const struct td_xb_code td_xb_sock_option_status_codes[] = {
    {0x00, "Success", NULL},
    {0x01, "Invalid parameters", NULL},
    {0x02, "Failed to retrieve option value", NULL},
    {0x20, "Bad socket ID", NULL},
};
TABLE(td_xb_sock_option_status, "socket_option_status", "Socket Option Response 0xC1 status",
      "XBee 3 UG p.269 (https://easymanua.ls/digi/xbee-3/manual?p=269)");

/* devices.md, 0x42: address type 0 = 4-byte IPv4, 1 = string. */
static const struct td_xb_code td_xb_sock_addr_type_codes[] = {
    {0x00, "IPv4 address (4 bytes)", NULL},
    {0x01, "String (hostname or dotted quad; the XBee does the DNS look-up)", NULL},
};
TABLE(td_xb_sock_addr_type, "socket_address_type", "Socket Connect 0x42 destination address type",
      "[xbee-c] socket_frames.h; Digi example XBee 3 UG p.167");

/* devices.md, 0xC2: XBee 3 UG p.271 (the table may continue past the
 * readable part). */
static const struct td_xb_code td_xb_sock_connect_status_codes[] = {
    {0x00, "Successfully started the connection process", "The result arrives later in a 0xCF Socket Status frame"},
    {0x01, "Invalid destination address type", NULL},
    {0x02, "Invalid parameter: address or port", NULL},
    {0x03, "Connection already in progress", NULL},
    {0x04, "Already connected", NULL},
    {0x05, "Unknown error", NULL},
    {0x20, "Invalid socket ID", NULL},
};
TABLE(td_xb_sock_connect_status, "socket_connect_status", "Socket Connect Response 0xC2 status",
      "XBee 3 UG p.271 (https://easymanua.ls/digi/xbee-3/manual?p=271)");

/* devices.md, "Shared socket status values in Digi libraries". */
static const struct td_xb_code td_xb_sock_status_codes[] = {
    {0x00, "Success", NULL},
    {0x01, "Invalid parameters", NULL},
    {0x02, "Failed to read", NULL},
    {0x03, "Connection in progress", NULL},
    {0x04, "Already connected, bound or listening", NULL},
    {0x05, "Unknown error", NULL},
    {0x20, "Bad socket ID", NULL},
    {0x22, "Not registered", NULL},
    {0x31, "Internal error", NULL},
    {0x32, "Resource error", NULL},
    {0x7B, "Invalid protocol", NULL},
    {0x7E, "Modem update in progress", "[xbee-py] SocketStatus"},
    {0x85, "Unknown error", "[xbee-py] SocketStatus"},
    {0x86, "Invalid TLS configuration", "[xbee-py] SocketStatus"},
};
TABLE(td_xb_sock_status, "socket_status", "Socket response status (shared values, e.g. 0xC3 Socket Close Response)",
      "[xbee-c] socket_frames.h; [xbee-py] SocketStatus (devices.md, XBee Cellular API frames)");

/* devices.md, 0xC6: XBee 3 UG p.277. */
static const struct td_xb_code td_xb_sock_listen_status_codes[] = {
    {0x00, "Success", NULL},
    {0x01, "Invalid port", NULL},
    {0x02, "Error", NULL},
    {0x03, "Already bound or listening", NULL},
    {0x20, "Invalid socket ID", NULL},
};
TABLE(td_xb_sock_listen_status, "socket_listen_status", "Socket Listen Response 0xC6 status",
      "XBee 3 UG p.277 (https://easymanua.ls/digi/xbee-3/manual?p=277); [xbee-c]");

/* devices.md, 0xCF: "All values other than 0x00 = Connected are fatal and
 * the Socket ID is closed and invalid after receipt". No TLS-specific code. */
static const struct td_xb_code td_xb_sock_state_codes[] = {
    {0x00, "Connected", NULL},
    {0x01, "Failed DNS lookup", NULL},
    {0x02, "Connection refused", NULL},
    {0x03, "Transport closed", NULL},
    {0x04, "Timed out", NULL},
    {0x05, "Internal error", NULL},
    {0x06, "Host unreachable", NULL},
    {0x07, "Connection lost", NULL},
    {0x08, "Unknown error", NULL},
    {0x09, "Unknown server", NULL},
    {0x0A, "Resource error", NULL},
    {0x0B, "Listener closed", "newer firmware / [xbee-py] SocketState"},
    {0x0C, "RST close by peer", "newer firmware / [xbee-py] SocketState"},
    {0x0D, "Closed due to inactivity timeout", "newer firmware / [xbee-py] SocketState"},
    {0x0E, "PDP context deactivated by network", "newer firmware / [xbee-py] SocketState"},
};
TABLE(td_xb_sock_state, "socket_state", "Socket Status 0xCF state",
      "XBee 3 UG p.281 (https://easymanua.ls/digi/xbee-3/manual?p=281); Digi wisun frame-0xcf; [xbee-py] SocketState");

const struct td_xb_table *const td_xb_tables[] = {
    &td_xb_tx_status,      &td_xb_modem_status,        &td_xb_at_status,      &td_xb_atci,
    &td_xb_protocol,       &td_xb_sock_create_status,  &td_xb_sock_option_id, &td_xb_sock_option_status,
    &td_xb_sock_addr_type, &td_xb_sock_connect_status, &td_xb_sock_status,    &td_xb_sock_listen_status,
    &td_xb_sock_state,
};
const size_t td_xb_tables_count = TD_ARRAY_LEN(td_xb_tables);

const struct td_xb_code *td_xb_lookup(const struct td_xb_table *t, uint8_t code)
{
    for (size_t i = 0; i < t->count; i++) {
        if (t->codes[i].code == code)
            return &t->codes[i];
    }
    return NULL;
}
