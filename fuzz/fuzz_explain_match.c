/* libFuzzer target: the pasted-line matcher of `tlsdiag explain` (untrusted
 * text: log lines, error output, whole files piped to stdin). The first byte
 * picks an optional --from source so restricted lookups are covered too. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "explain/kb.h"
#include "explain/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct td_ex_kb *kb_once(void)
{
    static struct td_ex_kb kb;
    static int loaded;
    if (!loaded) {
        char err[256];
        td_ex_kb_init(&kb);
        if (td_ex_kb_load_builtin(&kb, err, sizeof(err)) != TD_ERR_OK)
            abort(); /* the shipped knowledge base must always load */
        loaded = 1;
    }
    return &kb;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_ex_kb *kb = kb_once();
    static struct td_ex_result res;
    const char *from = NULL;
    char cmd[600];

    if (size > 0 && data[0] < kb->nsrc) {
        from = kb->src[data[0]].id;
        data++;
        size--;
    }
    if (td_ex_lookup(kb, (const char *)data, size, from, &res) != TD_ERR_OK)
        return 0;
    for (size_t i = 0; i < res.n; i++) {
        if (res.m[i].e == NULL || res.m[i].e->commands.n == 0)
            abort();
        td_ex_fill_command(res.m[i].e->commands.v[0], &res, NULL, cmd, sizeof(cmd));
        if (strncmp(cmd, "tlsdiag ", 8) != 0)
            abort();
    }
    return 0;
}
