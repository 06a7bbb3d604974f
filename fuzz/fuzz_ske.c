/* Fuzz: ServerKeyExchange under every key exchange kind and version. */
#include <stdint.h>
#include <stdlib.h>

#include "wire/record.h"
#include "wire/ske.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint16_t versions[] = {TD_V_SSL3, TD_V_TLS10, TD_V_TLS11, TD_V_TLS12};
    struct td_reader r, body;
    uint8_t type = 0;

    td_rd_init(&r, data, size, 0, NULL);
    if (td_hs_parse(&r, &type, &body) != TD_ERR_OK)
        return 0;
    for (int k = TD_KEX_ECDHE; k <= TD_KEX_ECDHE_PSK; k++) {
        for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
            struct td_reader b = body;
            struct td_ske s;
            if (td_ske_decode(&b, versions[v], (enum td_kex)k, &s) != TD_ERR_OK)
                continue;
            if (s.dh_p_bits > s.dh_p.len * 8 || s.params.len > size)
                abort();
        }
    }
    return 0;
}
