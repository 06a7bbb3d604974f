/* tlsdiag: why a constrained IoT device cannot complete a TLS connection,
 * and what to change so it can. Thin dispatch to one function per verb. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmds.h"
#include "cli/exitcodes.h"
#include "version.h"

struct verb {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct verb verbs[] = {
#define X(name, fn, summary) {#name, fn, summary},
#include "cli/verbs.def"
#undef X
};

static void usage(FILE *f)
{
    fprintf(f, "usage: tlsdiag VERB [OPTIONS] [ARGS]\n"
               "       tlsdiag VERB --help\n"
               "       tlsdiag --version\n\n"
               "Tells why a constrained IoT device (XBee Cellular, u-blox, Quectel, SIMCom, nRF91, ESP32)\n"
               "cannot complete a TLS connection to a server, and what to change so it can.\n\n"
               "Verbs:\n");
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        fprintf(f, "  %-9s %s\n", verbs[i].name, verbs[i].summary);
    fprintf(f, "\nExit codes:\n"
               "  0  success (decoded, passed, clean)\n"
               "  1  the tool worked and found a problem (a check failed, lint errors)\n"
               "  2  usage or input error (wrong flags, malformed input, unreadable file)\n"
               "  3  could not do the work (system or library failure)\n");
}

/* A verb's output that could not be written (disk full, closed file) is a
 * runtime failure, not success: checked once here for every verb. */
static int finish(int rc)
{
    int err;

    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    if (rc == TD_EXIT_USAGE)
        return rc; /* its one-line message is already out; keep it the only line */
    err = errno;
    fprintf(stderr, "tlsdiag: cannot write to standard output%s%s\n", err != 0 ? ": " : "",
            err != 0 ? strerror(err) : "");
    return rc == TD_EXIT_OK || rc == TD_EXIT_FINDINGS ? TD_EXIT_RUNTIME : rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return TD_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return finish(TD_EXIT_OK);
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("tlsdiag %s\n", TD_VERSION);
        return finish(TD_EXIT_OK);
    }
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        if (strcmp(argv[1], verbs[i].name) == 0)
            return finish(verbs[i].fn(argc - 1, argv + 1));
    }
    fprintf(stderr, "tlsdiag: unknown verb '%s' (run 'tlsdiag --help' for the list)\n", argv[1]);
    return TD_EXIT_USAGE;
}
