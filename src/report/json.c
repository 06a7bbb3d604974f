#include "report/json.h"

int td_json_print(FILE *f, const json_t *j, int lines)
{
    size_t flags = JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII | (lines ? JSON_COMPACT : JSON_INDENT(2));
    if (json_dumpf(j, f, flags) != 0)
        return -1;
    fputc('\n', f);
    return fflush(f) == 0 ? 0 : -1;
}
