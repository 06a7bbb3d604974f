/* libFuzzer target for the XBee stream decoder (src/xbee/frame.c), in API
 * mode 1 and 2, with auto-detection and the advice built on each frame.
 * Property checked: every frame the decoder accepts is re-encoded by the
 * encoder to exactly the bytes it came from (escaping is canonical). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/writer.h"
#include "xbee/advice.h"
#include "xbee/frame.h"

static struct td_xb_frame frame;
static struct td_xb_ctx ctx;
static struct td_xb_advice adv;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const uint8_t *data, size_t size, int api)
{
    struct td_xb_stream s;
    struct td_xb_skip sk;
    struct td_diag d;
    size_t last_end = 0;

    td_diag_init(&d);
    td_xb_ctx_init(&ctx);
    td_xb_stream_init(&s, data, size, api);
    while (td_xb_next(&s, &frame, &sk, &d) == TD_ERR_OK) {
        struct td_writer w;
        if (sk.off != last_end || frame.off != sk.off + sk.len || frame.off + frame.raw_len > size)
            abort();
        last_end = frame.off + frame.raw_len;
        td_xb_ctx_note(&ctx, &frame);
        td_xb_advise(&frame, &ctx, &adv);
        td_wr_init(&w, 2 * (TD_XB_MAX_DATA + 4));
        if (td_xb_wrap(frame.data.p, frame.data.len, api, &w) != TD_ERR_OK || w.len != frame.raw.len ||
            memcmp(w.buf, frame.raw.p, w.len) != 0)
            abort();
        td_wr_free(&w);
    }
    if (d.code != TD_ERR_OK && d.offset > size)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *why = NULL;

    run(data, size, 1);
    run(data, size, 2);
    (void)td_xb_detect(data, size, &frame, &why);
    return 0;
}
