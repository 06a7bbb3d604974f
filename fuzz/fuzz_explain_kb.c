/* libFuzzer target: the knowledge-base file parser (data/explain/ format).
 * Any bytes must either load or fail with a FILE:LINE message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "explain/kb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_ex_kb kb;
    char err[256];
    td_err ret;

    td_ex_kb_init(&kb);
    ret = td_ex_kb_add(&kb, "fuzz.txt", data, size, err, sizeof(err));
    if (ret == TD_ERR_INPUT && strncmp(err, "data/explain/fuzz.txt:", 22) != 0)
        abort();
    if (ret == TD_ERR_OK) {
        for (size_t i = 0; i < kb.src[0].nentries; i++)
            if (kb.src[0].entries[i].ref == NULL || kb.src[0].entries[i].summary == NULL)
                abort();
    }
    td_ex_kb_free(&kb);
    return 0;
}
