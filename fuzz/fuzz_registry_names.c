/* Fuzzes the registry's user-text entry points: every table's name look-up
 * (exact and loose matching), suite names (IANA, "SSL_" prefix, OpenSSL,
 * hex codes) and the never-failing name formatting. Input: arbitrary bytes,
 * used as a NUL-terminated string, and its first two bytes as a code. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/registry.h"
#include "tlsio/ossl_names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char buf[TD_REG_NAMEBUF];
    uint16_t code = 0;
    if (size > 4096)
        return 0;
    char *s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';

    for (int t = 0; t < TD_REG__COUNT; t++) {
        const struct td_reg_entry *e = td_reg_find_name((enum td_reg_table)t, s);
        /* a hit must be findable by its code and be named consistently */
        if (e != NULL && td_reg_find((enum td_reg_table)t, e->code) != e)
            abort();
    }
    const struct td_suite *su = td_reg_suite_find_name(s);
    if (su != NULL && td_reg_suite_find(su->code) != su)
        abort();
    if (td_ossl_suite_resolve(s, &code) == TD_ERR_OK && su != NULL && code != su->code)
        abort();

    if (size >= 2) {
        uint16_t c = (uint16_t)((data[0] << 8) | data[1]);
        for (int t = 0; t < TD_REG__COUNT; t++) {
            const char *n = td_reg_name((enum td_reg_table)t, c, buf);
            /* either a table string or the formatted buffer, never cut off */
            if (n == NULL || (n == buf && strlen(buf) + 1 >= TD_REG_NAMEBUF))
                abort();
        }
        if (td_reg_suite_name(c, buf) == NULL)
            abort();
        (void)td_reg_suite_code_valid_in(c, (uint16_t)(size > 3 ? (data[2] << 8) | data[3] : 0x0303));
    }
    free(s);
    return 0;
}
