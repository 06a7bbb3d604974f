/* Target: td_hex_is_text, td_hex_text_len and td_hex_parse (core/hex.c), the
 * parser behind every hex argument, file and stdin the CLI accepts.
 * Property: whatever parses, formatted back and parsed again, gives the same
 * bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/hex.h"
#include "core/writer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_writer w, w2;
    struct td_diag d;
    char *text;

    (void)td_hex_is_text(data, size);
    td_diag_init(&d);
    td_wr_init(&w, 1 << 16);
    if (td_hex_parse((const char *)data, size, &w, &d) == TD_ERR_OK && w.len > 0) {
        size_t cap = w.len * 3 + 1;
        text = malloc(cap);
        if (text == NULL)
            abort();
        td_hex_format(w.buf, w.len, " ", true, text, cap);
        td_wr_init(&w2, 1 << 16);
        td_diag_init(&d);
        if (td_hex_parse(text, strlen(text), &w2, &d) != TD_ERR_OK || w2.len != w.len ||
            memcmp(w.buf, w2.buf, w.len) != 0)
            abort();
        td_wr_free(&w2);
        free(text);
    } else if (d.code != TD_ERR_OK && d.offset > size) {
        abort(); /* an error offset must point into the input */
    }
    td_wr_free(&w);
    return 0;
}
