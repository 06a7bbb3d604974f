/* tlsdiag check HOST[:PORT] --device NAME ...: thin CLI over check/. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "cli/cmds.h"
#include "cli/exitcodes.h"
#include "cli/opts.h"
#include "report/json.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tlsdiag check HOST[:PORT] --device NAME [options]\n\n"
            "Connects to HOST (port 443 by default) exactly as the device would: its versions, suites and\n"
            "extensions, no SNI if it sends none, its validation level and CA file. Says where the handshake\n"
            "fails, why, what the device would report (e.g. XBee TX Status 0x85), and what to change.\n\n"
            "options:\n"
            "  --device NAME         a built-in device profile (see 'tlsdiag devices')\n"
            "  --device-file FILE    your own profile (docs/profiles.md)\n"
            "  --ca FILE             the CA file the device uses (PEM)\n"
            "  --client-cert FILE    the client certificate the device presents (PEM)\n"
            "  --client-key FILE     its private key\n"
            "  --sni NAME            the device is configured to send this SNI\n"
            "  --no-sni              the device sends no SNI\n"
            "  --level N             validation level 0-3 (0 none, 1 chain, 2 +name, 3 +dates)\n"
            "  --timeout MS          per connection (default 8000)\n"
            "  --json                JSON output (docs/check-json.md)\n"
            "  -q, --quiet           no progress lines on stderr\n\n"
            "exit: 0 the device would connect, 1 it would not, 2 usage or input error, 3 runtime failure\n");
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

int td_cmd_check(int argc, char **argv)
{
    enum { O_DEVICE = 256, O_DEVICE_FILE, O_CA, O_CC, O_CK, O_SNI, O_NO_SNI, O_LEVEL, O_TIMEOUT, O_JSON };
    static const struct option longs[] = {
        {"device", required_argument, NULL, O_DEVICE},
        {"device-file", required_argument, NULL, O_DEVICE_FILE},
        {"ca", required_argument, NULL, O_CA},
        {"client-cert", required_argument, NULL, O_CC},
        {"client-key", required_argument, NULL, O_CK},
        {"sni", required_argument, NULL, O_SNI},
        {"no-sni", no_argument, NULL, O_NO_SNI},
        {"level", required_argument, NULL, O_LEVEL},
        {"timeout", required_argument, NULL, O_TIMEOUT},
        {"json", no_argument, NULL, O_JSON},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct td_check_opts o;
    struct td_check_result r;
    bool json = false;
    char err[768];
    int c, rc;
    td_err e;

    memset(&o, 0, sizeof(o));
    o.level = -1;
    optind = 0;
    opterr = 0; /* one line of our own below, not getopt's message plus the usage text */
    while ((c = getopt_long(argc, argv, ":qh", longs, NULL)) != -1) {
        switch (c) {
        case O_DEVICE: o.device = optarg; break;
        case O_DEVICE_FILE: o.device_file = optarg; break;
        case O_CA: o.ca_file = optarg; break;
        case O_CC: o.client_cert = optarg; break;
        case O_CK: o.client_key = optarg; break;
        case O_SNI: o.sni = optarg; break;
        case O_NO_SNI: o.no_sni = true; break;
        case O_LEVEL:
            if (parse_int(optarg, 0, 3, &o.level) != 0) {
                fprintf(stderr, "tlsdiag check: --level %s: must be 0, 1, 2 or 3\n", optarg);
                return TD_EXIT_USAGE;
            }
            break;
        case O_TIMEOUT:
            if (parse_int(optarg, 1, 600000, &o.timeout_ms) != 0) {
                fprintf(stderr, "tlsdiag check: --timeout %s: milliseconds, 1 to 600000\n", optarg);
                return TD_EXIT_USAGE;
            }
            break;
        case O_JSON: json = true; break;
        case 'q': o.quiet_probes = true; break;
        case 'h': usage(stdout); return TD_EXIT_OK;
        default:
            return td_cli_bad_option("check", c, argc, argv);
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "tlsdiag check: expected exactly one HOST[:PORT] (run 'tlsdiag check --help')\n");
        return TD_EXIT_USAGE;
    }
    o.target = argv[optind];
    if (o.device != NULL && o.device_file != NULL) {
        fprintf(stderr, "tlsdiag check: --device and --device-file exclude each other\n");
        return TD_EXIT_USAGE;
    }
    if (o.device == NULL && o.device_file == NULL) {
        fprintf(stderr, "tlsdiag check: --device NAME or --device-file FILE is required (see 'tlsdiag devices')\n");
        return TD_EXIT_USAGE;
    }
    td_check_result_init(&r);
    e = td_check_run(&o, &r, err, sizeof(err));
    if (e != TD_ERR_OK) {
        fprintf(stderr, "tlsdiag check: %s\n", err[0] != '\0' ? err : td_err_str(e));
        td_check_result_free(&r);
        return e == TD_ERR_USAGE || e == TD_ERR_INPUT || e == TD_ERR_NOTFOUND ? TD_EXIT_USAGE : TD_EXIT_RUNTIME;
    }
    if (json) {
        json_t *j = td_check_json(&r);
        rc = j != NULL && td_json_print(stdout, j, 0) == 0 ? 0 : -1;
        json_decref(j);
        if (rc != 0) {
            fprintf(stderr, "tlsdiag check: the JSON output could not be built or written\n");
            td_check_result_free(&r);
            return TD_EXIT_RUNTIME;
        }
    } else {
        td_check_print_text(stdout, &r);
    }
    rc = r.pass ? TD_EXIT_OK : TD_EXIT_FINDINGS;
    td_check_result_free(&r);
    return rc;
}
