#include "report/term.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool td_is_tty(FILE *f) { return isatty(fileno(f)) == 1; }

struct td_style td_style_for(FILE *f)
{
    static const struct td_style plain = {"", "", "", "", "", "", ""};
    static const struct td_style ansi = {"\033[1m", "\033[2m", "\033[31m", "\033[32m", "\033[33m", "\033[36m",
                                         "\033[0m"};
    const char *force = getenv("TLSDIAG_COLOR");

    if (force != NULL && strcmp(force, "always") == 0)
        return ansi;
    if (force != NULL && strcmp(force, "never") == 0)
        return plain;
    /* no-color.org: set and not empty */
    const char *nc = getenv("NO_COLOR");
    if (nc != NULL && nc[0] != '\0')
        return plain;
    return td_is_tty(f) ? ansi : plain;
}
