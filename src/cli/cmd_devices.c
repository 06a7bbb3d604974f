/* tlsdiag devices: list the built-in device profiles, show one with the
 * source of every fact, or validate and show a user's own profile file. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmds.h"
#include "cli/exitcodes.h"
#include "profiles/profile.h"
#include "profiles/profile_json.h"
#include "report/json.h"
#include "report/term.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: tlsdiag devices [--json]\n"
               "       tlsdiag devices show NAME [--json]\n"
               "       tlsdiag devices show --device-file FILE [--json]\n\n"
               "Lists the built-in device profiles, or shows one profile with the source of every\n"
               "fact (\"unknown\" where the fact is not known). --device-file validates a profile you\n"
               "wrote (schema: docs/profiles.md); an error names the line and the field.\n\n"
               "Options:\n"
               "  --json              JSON output (list: docs/profiles.md; show: the profile schema)\n"
               "  --device-file FILE  load FILE instead of a built-in profile ('-' = stdin)\n"
               "  -h, --help          this help\n\n"
               "Exit codes: 0 ok, 2 usage error, unknown device or invalid profile file, 3 internal error.\n");
}

static void print_error(const struct td_profile_error *e)
{
    char buf[900];
    td_profile_error_format(e, buf, sizeof(buf));
    fprintf(stderr, "tlsdiag devices: %s\n", buf);
}

/* "TLS1.0,TLS1.2" with "+" when only partly known, "?" when unknown. */
static void versions_text(const struct td_profile *p, char *buf, size_t cap)
{
    const struct td_profile_fact *f = td_profile_fact(p, TD_PF_VERSIONS);
    json_t *v;
    size_t n = 0;

    buf[0] = '\0';
    if (!f->known) {
        snprintf(buf, cap, "?");
        return;
    }
    v = td_profile_value_json(p, TD_PF_VERSIONS);
    for (size_t i = 0; v != NULL && i < json_array_size(v); i++) {
        int w = snprintf(buf + n, cap - n, "%s%s", i ? "," : "", json_string_value(json_array_get(v, i)));
        if (w < 0 || (size_t)w >= cap - n)
            break;
        n += (size_t)w;
    }
    json_decref(v);
    if (f->coverage == TD_COV_PARTIAL && n + 1 < cap)
        snprintf(buf + n, cap - n, "+");
}

static void suites_text(const struct td_profile *p, char *buf, size_t cap)
{
    const struct td_profile_fact *f = td_profile_fact(p, TD_PF_SUITES);
    if (!f->known)
        snprintf(buf, cap, "?");
    else
        snprintf(buf, cap, "%zu%s", p->suites.n, f->coverage == TD_COV_PARTIAL ? "+" : "");
}

static void level_text(const struct td_profile *p, char *buf, size_t cap)
{
    if (!td_profile_fact(p, TD_PF_DEFAULT_LEVEL)->known)
        snprintf(buf, cap, "?");
    else
        snprintf(buf, cap, "%d", p->default_level);
}

static int list_devices(int json)
{
    json_t *arr = json ? json_array() : NULL;
    struct td_style st = td_style_for(stdout);
    int rc = TD_EXIT_OK;

    if (!json)
        printf("%s%-20s %-46s %-28s %-7s %-25s %s%s\n", st.bold, "NAME", "DEVICE", "TLS VERSIONS", "SUITES", "SNI",
               "LEVEL", st.reset);
    for (size_t i = 0; i < td_profile_builtin_count(); i++) {
        struct td_profile *p;
        struct td_profile_error e;
        char ver[128], suites[32], level[8];
        if (td_profile_load_builtin_at(i, &p, &e) != TD_ERR_OK) {
            print_error(&e);
            rc = TD_EXIT_RUNTIME;
            continue;
        }
        versions_text(p, ver, sizeof(ver));
        suites_text(p, suites, sizeof(suites));
        level_text(p, level, sizeof(level));
        if (json) {
            json_t *o = json_object(), *al = json_array();
            for (size_t k = 0; k < p->n_aliases; k++)
                json_array_append_new(al, json_string(p->aliases[k]));
            json_object_set_new(o, "name", json_string(p->name));
            json_object_set_new(o, "aliases", al);
            json_object_set_new(o, "display_name", json_string(p->display_name));
            json_object_set_new(o, "vendor", json_string(p->vendor));
            json_object_set_new(o, "modem", json_string(p->modem));
            json_object_set_new(o, "tls_versions", td_profile_value_json(p, TD_PF_VERSIONS));
            json_object_set_new(o, "tls_versions_coverage",
                                json_string(td_coverage_name(td_profile_fact(p, TD_PF_VERSIONS)->coverage)));
            json_object_set_new(o, "cipher_suites_count", td_profile_fact(p, TD_PF_SUITES)->known
                                                              ? json_integer((json_int_t)p->suites.n)
                                                              : json_string("unknown"));
            json_object_set_new(o, "cipher_suites_coverage",
                                json_string(td_coverage_name(td_profile_fact(p, TD_PF_SUITES)->coverage)));
            json_object_set_new(o, "sni", td_profile_value_json(p, TD_PF_SNI));
            json_object_set_new(o, "default_level", td_profile_value_json(p, TD_PF_DEFAULT_LEVEL));
            {
                int known = 0;
                for (int f = 0; f < TD_PF_COUNT; f++)
                    known += td_profile_fact(p, (enum td_pfield)f)->known;
                json_object_set_new(o, "facts_known", json_integer(known));
                json_object_set_new(o, "facts_total", json_integer(TD_PF_COUNT));
            }
            json_array_append_new(arr, o);
        } else {
            printf("%-20s %-46s %-28s %-7s %-25s %s\n", p->name, p->display_name, ver, suites,
                   td_profile_fact(p, TD_PF_SNI)->known ? td_ext_mode_name(p->sni) : "unknown", level);
        }
        td_profile_free(p);
    }
    if (json) {
        json_t *root = json_pack("{s:i, s:o}", "schema_version", 1, "devices", arr);
        if (root == NULL || td_json_print(stdout, root, 0) != 0)
            rc = TD_EXIT_RUNTIME;
        json_decref(root);
    } else {
        printf("\n%s'+' = at least these (the full list is not known); '?' = unknown. LEVEL = default validation\n"
               "level (0 none, 1 root CA, 2 + hostname, 3 + dates). Details: tlsdiag devices show NAME%s\n",
               st.dim, st.reset);
    }
    return rc;
}

/* Prints one value (JSON form) on the current line, lists one per line. */
static void print_value(const json_t *v, const char *indent)
{
    if (json_is_string(v)) {
        printf("%s", json_string_value(v));
    } else if (json_is_integer(v)) {
        printf("%lld", (long long)json_integer_value(v));
    } else if (json_is_boolean(v)) {
        printf("%s", json_is_true(v) ? "yes" : "no");
    } else if (json_is_array(v)) {
        int objects = json_array_size(v) > 0 && json_is_object(json_array_get(v, 0));
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *e = json_array_get(v, i);
            if (objects)
                printf("\n%s%s %s", indent, json_string_value(json_object_get(e, "code")),
                       json_string_value(json_object_get(e, "name")));
            else if (json_is_integer(e))
                printf("%s%lld", i ? ", " : "", (long long)json_integer_value(e));
            else
                printf("%s%s", i ? ", " : "", json_string_value(e));
        }
    }
}

static void show_text(const struct td_profile *p)
{
    struct td_style st = td_style_for(stdout);
    static const char *const groups[] = {"offers", "validation", "limits", "errors"};
    static const char *const titles[] = {"What it offers", "How it validates the server",
                                         "Limits", "What it reports, per failure"};

    printf("%s%s%s  %s\n", st.bold, p->name, st.reset, p->display_name);
    if (p->n_aliases > 0) {
        printf("  aliases:  ");
        for (size_t i = 0; i < p->n_aliases; i++)
            printf("%s%s", i ? ", " : "", p->aliases[i]);
        printf("\n");
    }
    printf("  vendor:   %s\n  modem:    %s\n  firmware: %s\n  %ssource:   %s%s\n  profile:  %s\n", p->vendor,
           p->modem, p->firmware_notes, st.dim, p->identity_source, st.reset, p->origin);
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        size_t glen = strlen(groups[g]);
        printf("\n%s%s%s\n", st.bold, titles[g], st.reset);
        for (int f = 0; f < TD_PF_COUNT; f++) {
            const char *path = td_profile_field_path((enum td_pfield)f);
            const struct td_profile_fact *fact = td_profile_fact(p, (enum td_pfield)f);
            json_t *v;
            if (strncmp(path, groups[g], glen) != 0 || path[glen] != '.')
                continue;
            v = td_profile_value_json(p, (enum td_pfield)f);
            if (fact->known && json_is_array(v) && json_array_size(v) > 0 && json_is_object(json_array_get(v, 0)))
                printf("  %s", path + glen + 1);
            else
                printf("  %-24s ", path + glen + 1);
            if (!fact->known)
                printf("%sunknown%s", st.yellow, st.reset);
            else
                print_value(v, "      ");
            if (fact->known && fact->coverage != TD_COV_NONE)
                printf("%s%s(%s)%s", json_is_array(v) && json_array_size(v) > 0 &&
                                             json_is_object(json_array_get(v, 0))
                                         ? "\n      "
                                         : "  ",
                       st.dim, fact->coverage == TD_COV_PARTIAL ? "partial: at least these"
                               : fact->coverage == TD_COV_COMPLETE ? "complete; order not known"
                                                                  : "exact ClientHello order",
                       st.reset);
            if (fact->advisory)
                printf("  %s(advisory: a default or portable minimum, not a stated limit)%s", st.dim, st.reset);
            if (fact->confidence != TD_CONF_UNSTATED)
                printf("  %s[%s]%s", st.dim, td_confidence_name(fact->confidence), st.reset);
            printf("\n      %ssource: %s%s\n", st.dim, fact->source, st.reset);
            if (fact->note != NULL)
                printf("      %snote:   %s%s\n", st.dim, fact->note, st.reset);
            json_decref(v);
        }
    }
}

static int show(const char *name, const char *file, int json)
{
    struct td_profile *p = NULL;
    struct td_profile_error e;
    td_err ret;
    int rc = TD_EXIT_OK;

    ret = file != NULL ? td_profile_load_file(file, &p, &e) : td_profile_load_builtin(name, &p, &e);
    if (ret != TD_ERR_OK) {
        print_error(&e);
        return ret == TD_ERR_NOMEM || (file == NULL && ret != TD_ERR_NOTFOUND) ? TD_EXIT_RUNTIME : TD_EXIT_USAGE;
    }
    if (json) {
        json_t *j = td_profile_to_json(p);
        if (j == NULL || td_json_print(stdout, j, 0) != 0)
            rc = TD_EXIT_RUNTIME;
        json_decref(j);
    } else {
        show_text(p);
    }
    td_profile_free(p);
    return rc;
}

int td_cmd_devices(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"device-file", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *file = NULL;
    int json = 0, c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = 1;
            break;
        case 'f':
            file = optarg;
            break;
        case 'h':
            usage(stdout);
            return TD_EXIT_OK;
        default:
            if (optopt == 'f')
                fprintf(stderr, "tlsdiag devices: --device-file needs a FILE argument\n");
            else
                fprintf(stderr, "tlsdiag devices: unknown option '%s' (see tlsdiag devices --help)\n",
                        argv[optind - 1]);
            return TD_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        if (file != NULL)
            return show(NULL, file, json);
        return list_devices(json);
    }
    if (strcmp(argv[optind], "show") != 0 && strcmp(argv[optind], "list") != 0) {
        fprintf(stderr, "tlsdiag devices: unknown command '%s' (list, show NAME, show --device-file FILE)\n",
                argv[optind]);
        return TD_EXIT_USAGE;
    }
    if (strcmp(argv[optind], "list") == 0) {
        if (optind + 1 != argc || file != NULL) {
            fprintf(stderr, "tlsdiag devices list: takes no arguments\n");
            return TD_EXIT_USAGE;
        }
        return list_devices(json);
    }
    if (file != NULL && optind + 1 == argc)
        return show(NULL, file, json);
    if (file == NULL && optind + 2 == argc)
        return show(argv[optind + 1], NULL, json);
    fprintf(stderr, "tlsdiag devices show: give exactly one of NAME or --device-file FILE\n");
    return TD_EXIT_USAGE;
}
