#include "cli/opts.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/exitcodes.h"

int td_cli_bad_option(const char *verb, int c, int argc, char **argv)
{
    const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
    const char *top = verb;
    size_t toplen = strcspn(verb, " ");

    if (c == ':')
        fprintf(stderr, "tlsdiag %s: option '%s' needs a value (run 'tlsdiag %.*s --help')\n", verb, arg,
                (int)toplen, top);
    else
        fprintf(stderr, "tlsdiag %s: unknown option '%s' (run 'tlsdiag %.*s --help')\n", verb,
                arg, (int)toplen, top);
    return TD_EXIT_USAGE;
}
