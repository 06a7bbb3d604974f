/* Fuzz: ClientHello decoding (record, bare message or SSLv2), with an
 * oracle: what decodes must re-encode to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/clienthello.h"
#include "wire/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_client_hello *ch = malloc(sizeof(*ch));
    struct td_diag d;
    struct td_reader r, body;
    uint8_t type = 0;

    if (ch == NULL)
        return 0;
    td_diag_init(&d);
    if (td_ch_parse_any(data, size, &d, ch) == TD_ERR_OK) {
        size_t n = td_ch_suite_count(ch);
        for (size_t i = 0; i < n; i++)
            (void)td_ch_suite_at(ch, i);
        (void)td_ch_max_version(ch);
    } else if (d.offset > size) {
        abort();
    }
    /* a bare handshake message: decode, re-encode, compare */
    td_rd_init(&r, data, size, 0, NULL);
    if (td_hs_parse(&r, &type, &body) == TD_ERR_OK && td_rd_empty(&r) && type == TD_HS_CLIENT_HELLO &&
        td_ch_decode(&body, ch) == TD_ERR_OK) {
        struct td_writer w;
        struct td_key_share ks;
        struct td_bytes proto;
        td_wr_init(&w, 1 << 20);
        if (td_ch_encode(&w, ch) != TD_ERR_OK || w.len != size || memcmp(w.buf, data, size) != 0)
            abort();
        td_wr_free(&w);
        for (size_t i = 0; td_exts_key_share_at(&ch->ext, i, &ks); i++)
            ;
        for (size_t i = 0; td_exts_alpn_at(&ch->ext, i, &proto); i++)
            ;
    }
    free(ch);
    return 0;
}
