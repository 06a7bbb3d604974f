/* Fuzz: record framing, the record stream reassembler (fed in pieces whose
 * sizes come from the input) and the handshake reassembler. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_reader r;
    struct td_record rec;
    struct td_recbuf *rb = malloc(sizeof(*rb));
    struct td_hsbuf hb;
    size_t piece = size > 0 ? (size_t)(data[0] % 17) + 1 : 1;
    size_t fed = 0;

    /* one-shot parse of consecutive records */
    td_rd_init(&r, data, size, 0, NULL);
    while (td_record_parse(&r, &rec) == TD_ERR_OK)
        if (rec.body.len > TD_RECORD_MAX_BODY)
            abort();
    if (rb == NULL)
        return 0;
    td_recbuf_init(rb, 0);
    td_hsbuf_init(&hb);
    while (fed < size) {
        size_t n = size - fed < piece ? size - fed : piece;
        size_t took = td_recbuf_feed(rb, data + fed, n);
        bool ready = true;
        fed += took;
        while (ready) {
            if (td_recbuf_next(rb, &rec, &ready, NULL) != TD_ERR_OK)
                goto done;
            if (ready && rec.type == TD_CT_HANDSHAKE) {
                struct td_hsmsg m;
                bool more = true;
                if (td_hsbuf_feed(&hb, rec.body.p, rec.body.len) != TD_ERR_OK)
                    goto done;
                while (more) {
                    if (td_hsbuf_next(&hb, &m, &more, NULL) != TD_ERR_OK)
                        goto done;
                    if (more && m.whole.len != m.body.len + 4)
                        abort();
                }
            }
        }
        if (took == 0)
            break; /* cannot happen: a full buffer always holds a record or a bad header */
    }
done:
    td_hsbuf_free(&hb);
    free(rb);
    return 0;
}
