/* tlsdiag cert lint|show|verify: thin argument parsing over x509/ and
 * certlint/ (docs/cert.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certlint/certlint.h"
#include "certlint/limits.h"
#include "certlint/report.h"
#include "cli/cmds.h"
#include "cli/exitcodes.h"
#include "core/mem.h"
#include "report/findings.h"
#include "report/json.h"
#include "x509/verify.h"
#include "x509/x509.h"

#define MAX_FILES 32

static void usage(FILE *f)
{
    fprintf(f, "usage: tlsdiag cert lint FILE... [--device NAME | --device-file FILE] [--key KEY] [--ca CAFILE]\n"
               "                         [--host NAME_OR_IP] [--at TIME] [--json]\n"
               "       tlsdiag cert show FILE... [--json]\n"
               "       tlsdiag cert verify --chain SERVER_CHAIN --ca CA_FILE --host NAME_OR_IP --level 0..3\n"
               "                           [--at TIME] [--name-check standard|cn-only]\n"
               "                           [--device NAME | --device-file FILE] [--json]\n"
               "       tlsdiag cert devices [NAME | --device-file FILE] [--json]\n\n"
               "lint     checks certificate and key files for upload to a device: one certificate per file,\n"
               "         self-signed root as CA, PKCS#1 unencrypted key, key matches certificate, CN length,\n"
               "         IP-vs-DNS names, dates, SHA-1/MD5, key types and sizes, PEM layout, file size\n"
               "show     prints what each file holds (block offsets and lines, names, keys, dates)\n"
               "verify   what a device at validation level 0..3 accepts, and the first step that fails:\n"
               "         0 nothing checked; 1 the chain leads to the CA file; 2 also the name (CN/SAN);\n"
               "         3 also the dates, against --at (the device's clock)\n"
               "devices  the certificate limits each device profile gives (all built-in profiles, or one)\n\n"
               "--device NAME       a built-in device profile, by name or alias, case-insensitive\n"
               "                    ('tlsdiag devices' lists them); without it: generic, no device limits\n"
               "--device-file FILE  your own device profile (schema: docs/profiles.md)\n"
               "TIME: now, YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ, YYYYMMDDHHMMSSZ or @EPOCH\n"
               "Exit: 0 clean/pass, 1 error findings/verification fails, 2 usage or input error\n");
}

static int fail_usage(const char *sub, const char *msg)
{
    fprintf(stderr, "tlsdiag cert%s%s: %s (run 'tlsdiag cert --help')\n", sub != NULL ? " " : "",
            sub != NULL ? sub : "", msg);
    return TD_EXIT_USAGE;
}

/* --device / --device-file through the device profiles; 0 or an exit code. */
static int device_limits(const char *sub, const char *name, const char *path, struct td_cert_limits *lim,
                         struct td_profile **owner)
{
    char err[1200];
    td_err ret = td_cert_limits_load(name, path, lim, owner, err, sizeof(err));
    if (ret == TD_ERR_OK)
        return 0;
    fprintf(stderr, "tlsdiag cert %s: %s\n", sub, err);
    return ret == TD_ERR_NOMEM || ret == TD_ERR_INTERNAL ? TD_EXIT_RUNTIME : TD_EXIT_USAGE;
}

static int load_or_fail(const char *sub, const char *path, struct td_x509_file *f)
{
    char err[600];
    if (td_x509_load_file(path, f, err, sizeof(err)) != TD_ERR_OK) {
        fprintf(stderr, "tlsdiag cert %s: %s\n", sub, err);
        return -1;
    }
    return 0;
}

enum { OPT_DEVICE = 1000, OPT_DEVICE_FILE, OPT_KEY, OPT_CA, OPT_HOST, OPT_AT, OPT_JSON, OPT_CHAIN, OPT_LEVEL, OPT_NAMECHECK, OPT_HELP };

static const struct option long_opts[] = {
    {"device", required_argument, NULL, OPT_DEVICE},
    {"device-file", required_argument, NULL, OPT_DEVICE_FILE},
    {"key", required_argument, NULL, OPT_KEY},
    {"ca", required_argument, NULL, OPT_CA},
    {"host", required_argument, NULL, OPT_HOST},
    {"at", required_argument, NULL, OPT_AT},
    {"json", no_argument, NULL, OPT_JSON},
    {"chain", required_argument, NULL, OPT_CHAIN},
    {"level", required_argument, NULL, OPT_LEVEL},
    {"name-check", required_argument, NULL, OPT_NAMECHECK},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

struct args {
    const char *device, *device_file, *key, *ca, *host, *at, *chain, *level, *namecheck;
    bool json, help;
    const char *files[MAX_FILES];
    size_t nfiles;
};

static int parse_args(const char *sub, int argc, char **argv, struct args *a)
{
    int c;
    memset(a, 0, sizeof(*a));
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_DEVICE:
            a->device = optarg;
            break;
        case OPT_DEVICE_FILE:
            a->device_file = optarg;
            break;
        case OPT_KEY:
            a->key = optarg;
            break;
        case OPT_CA:
            a->ca = optarg;
            break;
        case OPT_HOST:
            a->host = optarg;
            break;
        case OPT_AT:
            a->at = optarg;
            break;
        case OPT_JSON:
            a->json = true;
            break;
        case OPT_CHAIN:
            a->chain = optarg;
            break;
        case OPT_LEVEL:
            a->level = optarg;
            break;
        case OPT_NAMECHECK:
            a->namecheck = optarg;
            break;
        case 'h':
        case OPT_HELP:
            a->help = true;
            break;
        default: {
            char msg[200];
            snprintf(msg, sizeof(msg), "unknown or incomplete option '%s'",
                     optind > 0 && optind <= argc ? argv[optind - 1] : "?");
            return fail_usage(sub, msg);
        }
        }
    }
    while (optind < argc) {
        if (a->nfiles >= MAX_FILES)
            return fail_usage(sub, "too many files");
        a->files[a->nfiles++] = argv[optind++];
    }
    return 0;
}

static int parse_at(const char *sub, const char *s, time_t *out)
{
    time_t now = time(NULL);
    if (s == NULL) {
        *out = now;
        return 0;
    }
    if (td_x509_time_parse(s, now, out) != TD_ERR_OK) {
        char msg[200];
        snprintf(msg, sizeof(msg), "--at '%s': not a time (now, YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ, @EPOCH)", s);
        fail_usage(sub, msg);
        return -1;
    }
    return 0;
}

/* ---- lint --------------------------------------------------------------- */

static int cmd_lint(int argc, char **argv)
{
    struct args a;
    struct td_x509_file *files = NULL; /* ~120 KB each: on the heap */
    struct td_certlint_file lf[MAX_FILES + 2];
    struct td_certlint_opts o;
    struct td_cert_limits limits, *lim = &limits;
    struct td_profile *profile = NULL;
    size_t n = 0, errors = 0, warnings = 0, infos = 0;
    const char *unknown[32];
    size_t nunknown;
    int rc, ret = TD_EXIT_OK;
    char at[32];

    rc = parse_args("lint", argc, argv, &a);
    if (rc != 0)
        return rc;
    if (a.help) {
        usage(stdout);
        return TD_EXIT_OK;
    }
    if (a.nfiles == 0 && a.key == NULL && a.ca == NULL)
        return fail_usage("lint", "no file given");
    if (a.chain != NULL || a.level != NULL)
        return fail_usage("lint", "--chain and --level belong to 'cert verify'");
    memset(&o, 0, sizeof(o));
    if (parse_at("lint", a.at, &o.at) != 0)
        return TD_EXIT_USAGE;
    rc = device_limits("lint", a.device, a.device_file, lim, &profile);
    if (rc != 0)
        return rc;
    o.lim = lim;
    o.host = a.host;
    files = td_calloc(MAX_FILES + 2, sizeof(*files));
    if (files == NULL) {
        fprintf(stderr, "tlsdiag cert lint: out of memory\n");
        td_profile_free(profile);
        return TD_EXIT_RUNTIME;
    }

    for (size_t i = 0; i < a.nfiles + 2; i++) {
        const char *path = i < a.nfiles ? a.files[i] : i == a.nfiles ? a.key : a.ca;
        enum td_cert_role role = i < a.nfiles ? TD_ROLE_CERT : i == a.nfiles ? TD_ROLE_KEY : TD_ROLE_CA;
        if (path == NULL)
            continue;
        if (load_or_fail("lint", path, &files[n]) != 0) {
            td_x509_file_free(&files[n]);
            ret = TD_EXIT_USAGE;
            goto out;
        }
        if (files[n].ncerts == 0 && files[n].nkeys == 0) {
            fprintf(stderr, "tlsdiag cert lint: %s: holds no certificate or private key (found '%s')\n", path,
                    files[n].nobj > 0 ? files[n].objs[0].label : "nothing");
            td_x509_file_free(&files[n]);
            ret = TD_EXIT_USAGE;
            goto out;
        }
        lf[n].file = &files[n];
        lf[n].role = role;
        td_findings_init(&lf[n].findings);
        n++;
    }
    td_certlint_run(lf, n, &o);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < lf[i].findings.n; k++) {
            enum td_severity s = lf[i].findings.v[k].severity;
            if (s == TD_SEV_ERROR)
                errors++;
            else if (s == TD_SEV_WARN)
                warnings++;
            else
                infos++;
        }
    }
    nunknown = td_cert_limits_unknown(lim, unknown, TD_ARRAY_LEN(unknown));
    td_x509_time_format(o.at, at, sizeof(at));
    if (a.json) {
        json_t *root = json_object(), *arr = json_array(), *sum = json_object(), *unk = json_array();
        json_object_set_new(root, "command", json_string("cert lint"));
        json_object_set_new(root, "device", td_cert_limits_json(lim));
        json_object_set_new(root, "host", a.host != NULL ? json_string(a.host) : json_null());
        json_object_set_new(root, "at", json_string(at));
        for (size_t i = 0; i < n; i++) {
            json_t *fo = td_cert_file_json(lf[i].file);
            json_object_set_new(fo, "role", json_string(td_cert_role_name(lf[i].role)));
            json_object_set_new(fo, "findings", td_report_findings_json(&lf[i].findings));
            json_array_append_new(arr, fo);
        }
        json_object_set_new(root, "files", arr);
        for (size_t i = 0; i < nunknown; i++)
            json_array_append_new(unk, json_string(unknown[i]));
        json_object_set_new(root, "unknown_limits", unk);
        json_object_set_new(sum, "errors", json_integer((json_int_t)errors));
        json_object_set_new(sum, "warnings", json_integer((json_int_t)warnings));
        json_object_set_new(sum, "info", json_integer((json_int_t)infos));
        json_object_set_new(root, "summary", sum);
        td_json_print(stdout, root, 0);
        json_decref(root);
    } else {
        printf("device: %s (%s); clock %s%s%s\n", lim->name, lim->title, at, a.host != NULL ? "; host " : "",
               a.host != NULL ? a.host : "");
        for (size_t i = 0; i < n; i++) {
            const struct td_x509_file *f = lf[i].file;
            printf("\n%s (%s file: %s, %zu bytes, %zu certificate%s, %zu key%s)\n", f->path,
                   td_cert_role_name(lf[i].role), f->pem ? "PEM" : "DER", f->size, f->ncerts, f->ncerts == 1 ? "" : "s",
                   f->nkeys, f->nkeys == 1 ? "" : "s");
            if (lf[i].findings.n == 0)
                printf("  no findings\n");
            else
                td_report_findings_text(stdout, &lf[i].findings);
        }
        if (nunknown > 0) {
            printf("\nunknown for %s, so not checked:", lim->name);
            for (size_t i = 0; i < nunknown; i++)
                printf("%s %s", i ? ";" : "", unknown[i]);
            printf("\n");
        }
        printf("\n%zu error%s, %zu warning%s, %zu note%s\n", errors, errors == 1 ? "" : "s", warnings,
               warnings == 1 ? "" : "s", infos, infos == 1 ? "" : "s");
    }
    ret = errors > 0 ? TD_EXIT_FINDINGS : TD_EXIT_OK;
out:
    for (size_t i = 0; i < n; i++) {
        td_findings_free(&lf[i].findings);
        td_x509_file_free(&files[i]);
    }
    td_free(files);
    td_profile_free(profile);
    return ret;
}

/* ---- show --------------------------------------------------------------- */

static int cmd_show(int argc, char **argv)
{
    struct args a;
    int rc;
    json_t *arr = NULL;

    rc = parse_args("show", argc, argv, &a);
    if (rc != 0)
        return rc;
    if (a.help) {
        usage(stdout);
        return TD_EXIT_OK;
    }
    if (a.nfiles == 0)
        return fail_usage("show", "no file given");
    if (a.json)
        arr = json_array();
    for (size_t i = 0; i < a.nfiles; i++) {
        struct td_x509_file f;
        if (load_or_fail("show", a.files[i], &f) != 0) {
            td_x509_file_free(&f);
            if (arr != NULL) {
                td_json_print(stdout, arr, 0);
                json_decref(arr);
            }
            return TD_EXIT_USAGE;
        }
        if (arr != NULL)
            json_array_append_new(arr, td_cert_file_json(&f));
        else
            td_cert_file_text(stdout, &f);
        td_x509_file_free(&f);
    }
    if (arr != NULL) {
        json_t *root = json_object();
        json_object_set_new(root, "command", json_string("cert show"));
        json_object_set_new(root, "files", arr);
        td_json_print(stdout, root, 0);
        json_decref(root);
    }
    return TD_EXIT_OK;
}

/* ---- verify --------------------------------------------------------------- */

static size_t collect_der(const struct td_x509_file *f, struct td_der *out, size_t cap)
{
    size_t n = 0;
    for (const struct td_x509_obj *ob; n < cap && (ob = td_x509_cert_at(f, n)) != NULL; n++) {
        out[n].p = ob->der;
        out[n].len = ob->der_len;
    }
    return n;
}

static int cmd_verify(int argc, char **argv)
{
    struct args a;
    struct td_x509_file *files; /* ~120 KB each: on the heap */
    struct td_der cd[TD_VERIFY_MAX_CHAIN], ad[TD_VERIFY_MAX_CHAIN];
    struct td_verify_req req;
    struct td_verify_result res;
    int rc, ret;
    char *end = NULL;
    long level;

    rc = parse_args("verify", argc, argv, &a);
    if (rc != 0)
        return rc;
    if (a.help) {
        usage(stdout);
        return TD_EXIT_OK;
    }
    if (a.chain == NULL)
        return fail_usage("verify", "--chain SERVER_CHAIN is required");
    if (a.level == NULL)
        return fail_usage("verify", "--level 0..3 is required");
    level = strtol(a.level, &end, 10);
    if (end == a.level || *end != '\0' || level < 0 || level > 3)
        return fail_usage("verify", "--level must be 0, 1, 2 or 3");
    if (level >= 1 && a.ca == NULL)
        return fail_usage("verify", "--ca CA_FILE is required at level 1 and above");
    if (level >= 2 && a.host == NULL)
        return fail_usage("verify", "--host NAME_OR_IP is required at level 2 and above");
    if (a.nfiles > 0)
        return fail_usage("verify", "unexpected argument (use --chain FILE)");
    memset(&req, 0, sizeof(req));
    req.level = (int)level;
    req.host = a.host;
    if (parse_at("verify", a.at, &req.at) != 0)
        return TD_EXIT_USAGE;
    if (a.namecheck != NULL && strcmp(a.namecheck, "standard") != 0 && strcmp(a.namecheck, "cn-only") != 0)
        return fail_usage("verify", "--name-check must be 'standard' or 'cn-only'");
    if (a.device != NULL || a.device_file != NULL) {
        /* the device's documented name check; --name-check overrides it */
        struct td_cert_limits lim;
        struct td_profile *profile = NULL;
        rc = device_limits("verify", a.device, a.device_file, &lim, &profile);
        if (rc != 0)
            return rc;
        req.policy = lim.cn_only_name_check.v == TD_K_YES ? TD_NAME_CN_ONLY : TD_NAME_STANDARD;
        td_profile_free(profile);
    }
    if (a.namecheck != NULL)
        req.policy = strcmp(a.namecheck, "cn-only") == 0 ? TD_NAME_CN_ONLY : TD_NAME_STANDARD;
    files = td_calloc(2, sizeof(*files));
    if (files == NULL) {
        fprintf(stderr, "tlsdiag cert verify: out of memory\n");
        return TD_EXIT_RUNTIME;
    }
    if (load_or_fail("verify", a.chain, &files[0]) != 0 ||
        (a.ca != NULL && load_or_fail("verify", a.ca, &files[1]) != 0)) {
        ret = TD_EXIT_USAGE;
        goto out;
    }
    if (files[0].ncerts == 0 || (a.ca != NULL && files[1].ncerts == 0)) {
        fprintf(stderr, "tlsdiag cert verify: %s: holds no certificate\n", files[0].ncerts == 0 ? a.chain : a.ca);
        ret = TD_EXIT_USAGE;
        goto out;
    }
    req.chain = cd;
    req.nchain = collect_der(&files[0], cd, TD_VERIFY_MAX_CHAIN);
    req.cas = ad;
    req.nca = a.ca != NULL ? collect_der(&files[1], ad, TD_VERIFY_MAX_CHAIN) : 0;
    if (td_x509_verify(&req, &res) != TD_ERR_OK) {
        fprintf(stderr, "tlsdiag cert verify: %s\n", res.reason);
        ret = TD_EXIT_USAGE;
    } else {
        if (a.json) {
            json_t *root = td_verify_json(&req, &res);
            json_t *jfiles = json_object();
            json_object_set_new(jfiles, "chain", json_string(a.chain));
            json_object_set_new(jfiles, "ca", a.ca != NULL ? json_string(a.ca) : json_null());
            json_object_set_new(root, "files", jfiles);
            td_json_print(stdout, root, 0);
            json_decref(root);
        } else {
            td_verify_text(stdout, &req, &res);
        }
        ret = res.pass ? TD_EXIT_OK : TD_EXIT_FINDINGS;
    }
out:
    td_x509_file_free(&files[0]);
    td_x509_file_free(&files[1]);
    td_free(files);
    return ret;
}

/* The certificate limits of every built-in profile (after the generic
 * baseline), or of one (NAME or --device-file), as the lint applies them. */
static int cmd_devices(int argc, char **argv)
{
    struct args a;
    struct td_cert_limits lim;
    struct td_profile *p = NULL;
    struct td_profile_error e;
    json_t *arr = NULL;
    int rc = parse_args("devices", argc, argv, &a);

    if (rc != 0)
        return rc;
    if (a.help) {
        usage(stdout);
        return TD_EXIT_OK;
    }
    if (a.nfiles + (a.device != NULL) + (a.device_file != NULL) > 1)
        return fail_usage("devices", "give one device: NAME, --device NAME or --device-file FILE");
    if (a.nfiles == 1 || a.device != NULL || a.device_file != NULL) {
        rc = device_limits("devices", a.nfiles == 1 ? a.files[0] : a.device, a.device_file, &lim, &p);
        if (rc != 0)
            return rc;
        if (a.json) {
            json_t *o = td_cert_limits_json(&lim);
            td_json_print(stdout, o, 0);
            json_decref(o);
        } else {
            td_cert_limits_text(stdout, &lim);
        }
        td_profile_free(p);
        return TD_EXIT_OK;
    }
    if (a.json)
        arr = json_array();
    td_cert_limits_generic(&lim);
    for (size_t i = 0;; i++) {
        if (arr != NULL) {
            json_array_append_new(arr, td_cert_limits_json(&lim));
        } else {
            if (i > 0)
                printf("\n");
            td_cert_limits_text(stdout, &lim);
        }
        td_profile_free(p);
        p = NULL;
        if (i >= td_profile_builtin_count())
            break;
        if (td_profile_load_builtin_at(i, &p, &e) != TD_ERR_OK) {
            char buf[900];
            td_profile_error_format(&e, buf, sizeof(buf));
            fprintf(stderr, "tlsdiag cert devices: %s\n", buf);
            if (arr != NULL) {
                td_json_print(stdout, arr, 0);
                json_decref(arr);
            }
            return TD_EXIT_RUNTIME;
        }
        td_cert_limits_from_profile(p, &lim);
    }
    if (arr != NULL) {
        td_json_print(stdout, arr, 0);
        json_decref(arr);
    }
    return TD_EXIT_OK;
}

int td_cmd_cert(int argc, char **argv)
{
    const char *sub;

    if (argc < 2)
        return fail_usage(NULL, "missing subcommand (lint, show, verify, devices)");
    sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
        usage(stdout);
        return TD_EXIT_OK;
    }
    if (strcmp(sub, "lint") == 0)
        return cmd_lint(argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return cmd_show(argc - 1, argv + 1);
    if (strcmp(sub, "verify") == 0)
        return cmd_verify(argc - 1, argv + 1);
    if (strcmp(sub, "devices") == 0)
        return cmd_devices(argc - 1, argv + 1);
    {
        char msg[200];
        snprintf(msg, sizeof(msg), "unknown subcommand '%s' (lint, show, verify, devices)", sub);
        return fail_usage(NULL, msg);
    }
}
