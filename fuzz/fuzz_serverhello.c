/* Fuzz: ServerHello / HelloRetryRequest (handshake message with header)
 * and the SSLv2 SERVER-HELLO; decode->encode must give the input back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/record.h"
#include "wire/serverhello.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_server_hello *sh = malloc(sizeof(*sh));
    struct td_sslv2_server_hello v2;
    struct td_reader r, body;
    uint8_t type = 0;

    if (sh == NULL)
        return 0;
    td_rd_init(&r, data, size, 0, NULL);
    if (td_hs_parse(&r, &type, &body) == TD_ERR_OK && td_rd_empty(&r) && td_sh_decode(&body, sh) == TD_ERR_OK &&
        type == TD_HS_SERVER_HELLO) {
        struct td_writer w;
        td_wr_init(&w, 1 << 20);
        if (td_sh_encode(&w, sh) != TD_ERR_OK || w.len != size || memcmp(w.buf, data, size) != 0)
            abort();
        if (sh->hrr && !sh->has_extensions)
            abort();
        td_wr_free(&w);
    }
    td_rd_init(&r, data, size, 0, NULL);
    if (td_sh_decode_sslv2(&r, &v2) == TD_ERR_OK && v2.cipher_specs.len % 3 != 0)
        abort();
    free(sh);
    return 0;
}
