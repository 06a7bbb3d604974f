/* Rendering decoded XBee frames: human text and JSON (schema in
 * docs/xbee.md). Shared by `tlsdiag xbee decode` and `tlsdiag demo`. */
#ifndef TD_CLI_XBEE_OUT_H
#define TD_CLI_XBEE_OUT_H

#include <jansson.h>
#include <stdio.h>

#include "report/term.h"
#include "xbee/advice.h"
#include "xbee/frame.h"

void td_xbo_frame_text(FILE *f, const struct td_xb_frame *fr, const struct td_xb_advice *adv,
                       const struct td_style *st);
void td_xbo_skip_text(FILE *f, const struct td_xb_skip *sk, const struct td_style *st);

json_t *td_xbo_frame_json(const struct td_xb_frame *fr, const struct td_xb_advice *adv);
json_t *td_xbo_skip_json(const struct td_xb_skip *sk);

/* The one-line error for a failed frame: "frame 2 at byte 17: checksum
 * mismatch at byte 41 (checksum): expected 0x5B, found 0x5C". */
void td_xbo_error_line(char *buf, size_t cap, unsigned frame, size_t frame_off, const struct td_diag *d);

#endif
