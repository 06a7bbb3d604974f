/* XBee Cellular code tables as const data: delivery status (0x89), socket
 * statuses (0xC0, 0xC1, 0xC2, 0xC3, 0xC6, 0xCF), modem status (0x8A), AT
 * response status (0x88), ATCI values, protocols, socket options, address
 * types. Every code carries the meaning its source documents, and every
 * table names that source (sections of ../shared/research/devices.md:
 * "a.5 Error reporting" and "XBee Cellular API frames"). */
#ifndef TD_XBEE_TABLES_H
#define TD_XBEE_TABLES_H

#include <stddef.h>
#include <stdint.h>

struct td_xb_code {
    uint8_t code;
    const char *name;    /* short, e.g. "Unknown error" */
    const char *meaning; /* longer text from the source, or NULL */
};

struct td_xb_table {
    const char *id;     /* stable id, e.g. "tx_status" */
    const char *title;  /* e.g. "Transmit (TX) Status 0x89 delivery status" */
    const char *source; /* where the values come from */
    const struct td_xb_code *codes;
    size_t count;
};

extern const struct td_xb_table td_xb_tx_status;           /* 0x89 */
extern const struct td_xb_table td_xb_modem_status;        /* 0x8A */
extern const struct td_xb_table td_xb_at_status;           /* 0x88 */
extern const struct td_xb_table td_xb_atci;                /* ATCI response values */
extern const struct td_xb_table td_xb_protocol;            /* 0x20 / 0x40 / 0xB0 protocol */
extern const struct td_xb_table td_xb_sock_create_status;  /* 0xC0 */
extern const struct td_xb_table td_xb_sock_option_id;      /* 0x41 / 0xC1 option ID */
extern const struct td_xb_table td_xb_sock_option_status;  /* 0xC1 */
extern const struct td_xb_table td_xb_sock_addr_type;      /* 0x42 address type */
extern const struct td_xb_table td_xb_sock_connect_status; /* 0xC2 */
extern const struct td_xb_table td_xb_sock_status;         /* shared socket statuses (0xC3) */
extern const struct td_xb_table td_xb_sock_listen_status;  /* 0xC6 */
extern const struct td_xb_table td_xb_sock_state;          /* 0xCF */

/* Every table above, for docs and tests. */
extern const struct td_xb_table *const td_xb_tables[];
extern const size_t td_xb_tables_count;

/* The entry for code, or NULL if undocumented. */
const struct td_xb_code *td_xb_lookup(const struct td_xb_table *t, uint8_t code);

#endif
