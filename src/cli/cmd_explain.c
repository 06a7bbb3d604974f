/* tlsdiag explain CODE|NAME|LOG-LINE: what it means and what to do next.
 * Thin: parse flags, read the input, call explain/ and print. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmds.h"
#include "cli/exitcodes.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/writer.h"
#include "explain/kb.h"
#include "explain/match.h"
#include "explain/render.h"
#include "report/json.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: tlsdiag explain [--from SOURCE] [--device NAME] [--json] CODE|NAME|LOG-LINE...\n"
               "       tlsdiag explain [--from SOURCE] [--json] -      (read the text from stdin)\n"
               "       tlsdiag explain --list [--json]\n\n"
               "Says what an error code, TLS alert, library error or server log line means, the likely\n"
               "causes (most likely first), which side to look at, and the tlsdiag command that settles it.\n\n"
               "Input: a code in any usual form (0x85, 85, -0x7780, -30592, AH02645, X509_V_ERR_CERT_HAS_EXPIRED,\n"
               "40, handshake_failure), a name (\"no shared cipher\"), or a pasted log line or error output:\n"
               "every known code and message inside it is explained. Several words are joined with spaces.\n\n"
               "Options:\n"
               "  --from SOURCE   only this source (e.g. xbee-tx-status, tls-alert, mbedtls; see --list)\n"
               "  --device NAME   device profile filled into suggested commands (default: the source's)\n"
               "  --list          list the knowledge-base sources\n"
               "  --json          JSON output (schema in docs/explain.md)\n"
               "  -h, --help      this help\n\n"
               "Exit codes: 0 explained, 1 nothing matched, 2 usage or input error, 3 internal failure.\n");
}

/* Joins argv[first..] with spaces, or reads stdin for "-". */
static int read_input(int argc, char **argv, int first, struct td_writer *w)
{
    char errmsg[256];
    if (argc - first == 1 && strcmp(argv[first], "-") == 0) {
        if (td_file_read("-", w, errmsg, sizeof(errmsg)) != TD_ERR_OK) {
            fprintf(stderr, "tlsdiag explain: %s\n", errmsg);
            return TD_EXIT_USAGE;
        }
        return TD_EXIT_OK;
    }
    for (int i = first; i < argc; i++) {
        if ((i > first && td_wr_u8(w, ' ') != TD_ERR_OK) || td_wr_str(w, argv[i]) != TD_ERR_OK) {
            fprintf(stderr, "tlsdiag explain: input longer than %u bytes\n", TD_EX_MAX_INPUT);
            return TD_EXIT_USAGE;
        }
    }
    return TD_EXIT_OK;
}

/* "--from X", "--from=X" or "-f X": true if a names this option; *val is
 * its value (NULL if missing). *i advances past a separate value. */
static bool option_value(const char *a, const char *lng, const char *shrt, int argc, char **argv, int *i,
                         const char **val)
{
    size_t n = strlen(lng);
    *val = NULL;
    if (strncmp(a, lng, n) == 0 && a[n] == '=') {
        *val = a[n + 1] ? a + n + 1 : NULL;
        return true;
    }
    if (strcmp(a, lng) != 0 && strcmp(a, shrt) != 0)
        return false;
    if (*i + 1 < argc) {
        *i += 1;
        *val = argv[*i];
    }
    return true;
}

/* Only white space (or NULs, which are read as spaces): nothing to look up. */
static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\0' && !isspace((unsigned char)s[i]))
            return false;
    }
    return true;
}

static int missing_value(const char *opt)
{
    fprintf(stderr, "tlsdiag explain: %s needs a value (see tlsdiag explain --help)\n", opt);
    return TD_EXIT_USAGE;
}

int td_cmd_explain(int argc, char **argv)
{
    const char *from = NULL, *device = NULL;
    int json = 0, list = 0, first, rc = TD_EXIT_OK;
    struct td_ex_kb kb;
    struct td_ex_result *res = NULL;
    struct td_writer in;
    char err[512];
    char *text = NULL;
    td_err e;

    /* Hand-rolled instead of getopt: a negative code such as -0x7780 or
     * -30592 is an argument, not a cluster of short options. */
    for (first = 1; first < argc; first++) {
        const char *a = argv[first];
        const char *val = NULL;
        if (strcmp(a, "--") == 0) {
            first++;
            break;
        }
        if (a[0] != '-' || a[1] == '\0' || isdigit((unsigned char)a[1]))
            break; /* "-" (stdin), codes and text start here */
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return TD_EXIT_OK;
        }
        if (strcmp(a, "--json") == 0) {
            json = 1;
            continue;
        }
        if (strcmp(a, "--list") == 0) {
            list = 1;
            continue;
        }
        if (option_value(a, "--from", "-f", argc, argv, &first, &val)) {
            if (val == NULL)
                return missing_value("--from");
            from = val;
            continue;
        }
        if (option_value(a, "--device", "-d", argc, argv, &first, &val)) {
            if (val == NULL)
                return missing_value("--device");
            device = val;
            continue;
        }
        fprintf(stderr, "tlsdiag explain: unknown option '%s' (see tlsdiag explain --help)\n", a);
        return TD_EXIT_USAGE;
    }
    if (list && first < argc) {
        fprintf(stderr, "tlsdiag explain: --list takes no CODE or text ('%s' given)\n", argv[first]);
        return TD_EXIT_USAGE;
    }
    if (!list && first >= argc) {
        fprintf(stderr, "tlsdiag explain: missing CODE, NAME or LOG-LINE (see tlsdiag explain --help)\n");
        return TD_EXIT_USAGE;
    }

    td_ex_kb_init(&kb);
    td_wr_init(&in, TD_EX_MAX_INPUT);
    if (td_ex_kb_load_builtin(&kb, err, sizeof(err)) != TD_ERR_OK) {
        fprintf(stderr, "tlsdiag explain: knowledge base: %s\n", err);
        rc = TD_EXIT_RUNTIME;
        goto out;
    }
    if (list) {
        if (json) {
            json_t *j = td_ex_sources_json(&kb);
            rc = j != NULL && td_json_print(stdout, j, 0) == 0 ? TD_EXIT_OK : TD_EXIT_RUNTIME;
            json_decref(j);
        } else {
            td_ex_print_sources(stdout, &kb);
        }
        goto out;
    }
    if (from != NULL && td_ex_kb_source(&kb, from) == NULL) {
        fprintf(stderr, "tlsdiag explain: unknown source '%s' for --from; sources:", from);
        for (size_t i = 0; i < kb.nsrc; i++)
            fprintf(stderr, " %s", kb.src[i].id);
        fputc('\n', stderr);
        rc = TD_EXIT_USAGE;
        goto out;
    }
    rc = read_input(argc, argv, first, &in);
    if (rc != TD_EXIT_OK)
        goto out;
    text = td_calloc(1, in.len + 1);
    res = td_calloc(1, sizeof(*res));
    if (text == NULL || res == NULL) {
        fprintf(stderr, "tlsdiag explain: out of memory\n");
        rc = TD_EXIT_RUNTIME;
        goto out;
    }
    if (in.len > 0)
        memcpy(text, in.buf, in.len);
    if (blank(text, in.len)) {
        fprintf(stderr, "tlsdiag explain: %s is empty: nothing to explain\n",
                first + 1 == argc && strcmp(argv[first], "-") == 0 ? "stdin" : "the text given");
        rc = TD_EXIT_USAGE;
        goto out;
    }
    e = td_ex_lookup(&kb, text, in.len, from, res);
    if (e != TD_ERR_OK) {
        fprintf(stderr, "tlsdiag explain: cannot match the input: %s\n", td_err_str(e));
        rc = TD_EXIT_RUNTIME;
        goto out;
    }
    for (size_t i = 0; i < in.len; i++)
        if (text[i] == '\0')
            text[i] = ' ';
    if (json) {
        json_t *j = td_ex_result_json(text, from, res, device);
        if (j == NULL || td_json_print(stdout, j, 0) != 0)
            rc = TD_EXIT_RUNTIME;
        json_decref(j);
    } else if (res->n > 0) {
        td_ex_print_text(stdout, text, res, device);
    } else {
        td_ex_print_nomatch(stdout, text, from, &kb);
    }
    if (rc == TD_EXIT_OK && res->n == 0)
        rc = TD_EXIT_FINDINGS;
out:
    td_free(text);
    td_free(res);
    td_wr_free(&in);
    td_ex_kb_free(&kb);
    return rc;
}
