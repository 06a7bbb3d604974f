#include "core/file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

td_err td_file_read(const char *path, struct td_writer *out, char *errmsg, size_t errcap)
{
    FILE *f;
    uint8_t chunk[8192];
    td_err ret = TD_ERR_OK;
    int is_stdin = strcmp(path, "-") == 0;

    f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        if (errmsg != NULL)
            snprintf(errmsg, errcap, "%s: cannot open: %s", path, strerror(errno));
        return TD_ERR_IO;
    }
    for (;;) {
        size_t n = fread(chunk, 1, sizeof(chunk), f);
        if (n > 0) {
            ret = td_wr_bytes(out, chunk, n);
            if (ret != TD_ERR_OK) {
                if (errmsg != NULL)
                    snprintf(errmsg, errcap, "%s: larger than the %zu-byte limit", is_stdin ? "stdin" : path,
                             out->cap);
                goto out;
            }
        }
        if (n < sizeof(chunk)) {
            if (ferror(f)) {
                if (errmsg != NULL)
                    snprintf(errmsg, errcap, "%s: read error: %s", is_stdin ? "stdin" : path, strerror(errno));
                ret = TD_ERR_IO;
            }
            break;
        }
    }
out:
    if (!is_stdin)
        fclose(f);
    return ret;
}
