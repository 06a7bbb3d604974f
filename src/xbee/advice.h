/* Next steps for TLS-related XBee frames and codes: what a decoded frame
 * means for a TLS connection and the exact tlsdiag command to run next.
 * Facts from ../shared/research/devices.md (a.1-a.5, "XBee Cellular API
 * frames", 2.2); pure (no I/O). */
#ifndef TD_XBEE_ADVICE_H
#define TD_XBEE_ADVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xbee/frame.h"

/* The device profile the commands name (profiles/xbee3-cellular-ltem.json:
 * XBee3 Cellular LTE-M/NB-IoT, u-blox SARA-R410M-02B inside, devices.md a.1). */
#define TD_XB_DEVICE "xbee3-cellular-ltem"

/* What earlier request frames said, so a status frame can name the
 * destination: requests are matched to responses by frame ID. */
struct td_xb_ctx {
    bool seen[256];
    uint8_t type[256];
    uint8_t ip[256][4];
    uint16_t port[256];
    int profile[256];   /* TLS profile index, -1 if none */
    uint8_t proto[256]; /* protocol of a 0x40 Socket Create */
    /* sockets: which are TLS (0x40 protocol 4 answered by a 0xC0 success),
     * and where each was connected (0x42) */
    bool tls_socket[256];
    char sock_target[256][80];
};

void td_xb_ctx_init(struct td_xb_ctx *c);
/* Records a request frame (0x20, 0x23, 0x40, 0x42, ...) under its frame ID,
 * and which socket a 0xC0 Socket Create Response opened for which request. */
void td_xb_ctx_note(struct td_xb_ctx *c, const struct td_xb_frame *f);

#define TD_XB_MAX_STEPS 10

struct td_xb_step {
    char why[400]; /* what it means / the documented cause, with its source */
    char run[200]; /* the exact command to run, or "" */
};

struct td_xb_advice {
    size_t n;
    struct td_xb_step steps[TD_XB_MAX_STEPS];
};

/* Fills out with the next steps for f (ctx may be NULL). n = 0 when the
 * frame has nothing TLS-related to say. */
void td_xb_advise(const struct td_xb_frame *f, const struct td_xb_ctx *ctx, struct td_xb_advice *out);

/* The ATCI table entry for a 0x88 response to "ATCI", or NULL. */
const struct td_xb_code *td_xb_atci_value(const struct td_xb_frame *f);

/* A one-line note on a field's value (e.g. "0 = reuse an open socket or
 * open a new one"), or "" if none. */
void td_xb_field_note(const struct td_xb_frame *f, const struct td_xb_field *fl, char *buf, size_t cap);

#endif
