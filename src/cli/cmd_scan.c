/* tlsdiag scan: argument parsing and the many-targets loop; the work is in
 * src/scan/. */
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/cmds.h"
#include "cli/exitcodes.h"
#include "cli/opts.h"
#include "core/mem.h"
#include "net/gate.h"
#include "net/pool.h"
#include "report/json.h"
#include "report/term.h"
#include "scan/cands.h"
#include "scan/report.h"
#include "scan/target.h"

#define MAX_TARGETS 1000000

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tlsdiag scan [OPTIONS] HOST[:PORT]...\n"
            "       tlsdiag scan [OPTIONS] -f FILE      (one target per line, '-' for stdin)\n\n"
            "Server capability scan: protocols (SSLv2 detection, SSLv3 .. TLS 1.3), every IANA cipher\n"
            "suite per version, the server's preference order, groups, DHE size, extensions that matter\n"
            "to small clients, certificates, and the SNI truth table (with the name, without SNI, with\n"
            "an unknown name: what differs).\n\n"
            "Options:\n"
            "  --json               JSON (docs/scan-json.md); one line per target when several\n"
            "  --sni NAME           the name to send as SNI (default: the target's host name)\n"
            "  --no-sni             scan only without SNI\n"
            "  --no-sni-table       scan only with the name (no no-SNI / unknown-name passes)\n"
            "  -f, --file FILE      read targets from FILE ('-' = stdin); '#' starts a comment\n"
            "  -j, --jobs N         targets scanned at once (default 4)\n"
            "  --shard K/N          scan only targets K, K+N, K+2N, ... (1-based) of the list\n"
            "  --max-conns N        concurrent connections to one target (default 8)\n"
            "  --delay MS           pause between connections to one target (default 0)\n"
            "  --timeout MS         how long the server has to answer (default 5000)\n"
            "  --connect-timeout MS TCP connect deadline (default 5000)\n"
            "  -p, --port N         port when a target has none (default 443)\n"
            "  -4, -6               IPv4 or IPv6 only\n"
            "  --no-certs --no-groups --no-extensions   skip those stages\n"
            "  --half-close auto|on|off  send our FIN right after each ClientHello (fast with\n"
            "                       one-at-a-time servers; auto: unless a hello it left unanswered\n"
            "                       is answered when closed normally, then the scan is rerun)\n"
            "  -q, --quiet          no progress on stderr\n"
            "  -h, --help\n\n"
            "Exit codes: 0 every target scanned, 2 usage or input error, 3 a target could not be\n"
            "scanned (unresolvable or unreachable; the report says which).\n");
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (s[0] == '\0' || end == NULL || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

struct targets {
    char **v;
    size_t n, alloc;
};

static int targets_add(struct targets *t, const char *s)
{
    if (t->n >= MAX_TARGETS)
        return -1;
    if (t->n == t->alloc) {
        size_t na = t->alloc ? t->alloc * 2 : 16;
        char **nv = td_reallocarray(t->v, na, sizeof(*nv));
        if (nv == NULL)
            return -1;
        t->v = nv;
        t->alloc = na;
    }
    t->v[t->n] = td_strdup(s);
    if (t->v[t->n] == NULL)
        return -1;
    t->n++;
    return 0;
}

static void targets_free(struct targets *t)
{
    for (size_t i = 0; i < t->n; i++)
        td_free(t->v[i]);
    td_free(t->v);
}

/* One target per line; blank lines and '#' comments skipped. */
static int read_targets(const char *path, struct targets *t)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int rc = 0;

    if (f == NULL) {
        fprintf(stderr, "tlsdiag scan: cannot open target file '%s'\n", path);
        return -1;
    }
    while ((n = getline(&line, &cap, f)) >= 0) {
        char *s = line, *e;
        lineno++;
        if ((e = strchr(s, '#')) != NULL)
            *e = '\0';
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        e = s + strlen(s);
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
            *--e = '\0';
        if (*s == '\0')
            continue;
        if (targets_add(t, s) != 0) {
            fprintf(stderr, "tlsdiag scan: %s line %zu: too many targets or out of memory\n", path, lineno);
            rc = -1;
            break;
        }
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

struct run {
    const struct td_scan_conf *conf;
    struct targets *targets;
    bool json, lines, progress;
    pthread_mutex_t out_mu;
    atomic_size_t done;
    atomic_int worst;
};

struct one {
    struct run *run;
    size_t idx;
};

static void progress_cb(void *ctx, const char *stage, size_t done, size_t total)
{
    const char *target = ctx;
    fprintf(stderr, "\r\033[K[%s] %s %zu/%zu", target, stage, done, total);
    fflush(stderr);
}

static void scan_one(void *arg)
{
    struct one *o = arg;
    struct run *run = o->run;
    struct td_scan_conf conf = *run->conf;
    struct td_scan_target_result *res = td_calloc(1, sizeof(*res));
    const char *input = run->targets->v[o->idx];
    int code;

    if (res == NULL) {
        atomic_store(&run->worst, TD_EXIT_RUNTIME);
        return;
    }
    if (run->progress && run->targets->n == 1) {
        conf.progress = progress_cb;
        conf.progress_ctx = (void *)input;
    }
    td_scan_target(&conf, input, res);
    code = res->status == TD_SCAN_OK ? TD_EXIT_OK : res->status == TD_SCAN_BAD_TARGET ? TD_EXIT_USAGE
                                                                                        : TD_EXIT_RUNTIME;
    pthread_mutex_lock(&run->out_mu);
    if (run->progress)
        fprintf(stderr, "\r\033[K");
    if (run->json) {
        json_t *j = td_scan_json(res);
        if (j == NULL || td_json_print(stdout, j, run->lines) != 0)
            code = TD_EXIT_RUNTIME;
        json_decref(j);
    } else {
        td_scan_text(stdout, res);
        if (run->targets->n > 1)
            fprintf(stdout, "\n");
        fflush(stdout);
    }
    size_t done = atomic_fetch_add(&run->done, 1) + 1;
    if (run->progress && run->targets->n > 1)
        fprintf(stderr, "[%zu/%zu] %s: %s, %lu connections, %.2f s\n", done, run->targets->n, input,
                td_scan_status_key(res->status), res->connections, (double)res->elapsed_ms / 1000.0);
    if (res->status != TD_SCAN_OK && (run->json || run->targets->n > 1))
        fprintf(stderr, "tlsdiag scan: %s: %s\n", input, res->error);
    else if (res->status == TD_SCAN_BAD_TARGET)
        fprintf(stderr, "tlsdiag scan: %s\n", res->error);
    pthread_mutex_unlock(&run->out_mu);
    /* exit code: worst of all targets (usage 2 beats runtime 3? no: report runtime) */
    int prev = atomic_load(&run->worst);
    while (code > prev && !atomic_compare_exchange_weak(&run->worst, &prev, code)) {
    }
    td_free(res);
}

int td_cmd_scan(int argc, char **argv)
{
    enum { O_JSON = 256, O_SNI, O_NO_SNI, O_NO_TABLE, O_SHARD, O_MAXC, O_DELAY, O_TIMEOUT, O_CTIMEOUT, O_NOCERT,
           O_NOGROUP, O_NOEXT, O_HALF };
    static const struct option longopts[] = {
        {"json", no_argument, NULL, O_JSON},
        {"sni", required_argument, NULL, O_SNI},
        {"no-sni", no_argument, NULL, O_NO_SNI},
        {"no-sni-table", no_argument, NULL, O_NO_TABLE},
        {"file", required_argument, NULL, 'f'},
        {"jobs", required_argument, NULL, 'j'},
        {"shard", required_argument, NULL, O_SHARD},
        {"max-conns", required_argument, NULL, O_MAXC},
        {"delay", required_argument, NULL, O_DELAY},
        {"timeout", required_argument, NULL, O_TIMEOUT},
        {"connect-timeout", required_argument, NULL, O_CTIMEOUT},
        {"port", required_argument, NULL, 'p'},
        {"no-certs", no_argument, NULL, O_NOCERT},
        {"no-groups", no_argument, NULL, O_NOGROUP},
        {"no-extensions", no_argument, NULL, O_NOEXT},
        {"half-close", required_argument, NULL, O_HALF},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct td_scan_conf conf;
    struct td_scan_cand_store *cands = NULL;
    struct targets all = {0}, mine = {0};
    struct run run;
    struct td_gate overall;
    const char *file = NULL;
    int jobs = 4, shard_k = 1, shard_n = 1, port = 443, c, rc = TD_EXIT_OK;
    bool json = false, quiet = false;

    memset(&conf, 0, sizeof(conf));
    td_scan_opts_default(&conf.opts);
    td_net_limits_default(&conf.lim);
    conf.per_host = 8;
    conf.family = AF_UNSPEC;
    conf.sni_table = true;

    optind = 0;
    opterr = 0; /* one line of our own for a bad option (td_cli_bad_option) */
    for (;;) {
        c = getopt_long(argc, argv, ":f:j:p:q46h", longopts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case O_JSON:
            json = true;
            break;
        case O_SNI:
            if (td_net_is_ip_literal(optarg) || optarg[0] == '\0') {
                fprintf(stderr, "tlsdiag scan: --sni '%s': an SNI must be a host name, not an IP address "
                                "(RFC 6066 3)\n", optarg);
                return TD_EXIT_USAGE;
            }
            conf.sni = optarg;
            break;
        case O_NO_SNI:
            conf.no_sni = true;
            break;
        case O_NO_TABLE:
            conf.sni_table = false;
            break;
        case 'f':
            file = optarg;
            break;
        case 'j':
            if (parse_int(optarg, 1, 256, &jobs) != 0) {
                fprintf(stderr, "tlsdiag scan: --jobs '%s': need a number from 1 to 256\n", optarg);
                return TD_EXIT_USAGE;
            }
            break;
        case O_SHARD: {
            const char *slash = strchr(optarg, '/');
            char kbuf[16];
            size_t kl = slash ? (size_t)(slash - optarg) : 0;
            if (slash == NULL || kl == 0 || kl >= sizeof(kbuf)) {
                fprintf(stderr, "tlsdiag scan: --shard '%s': expected K/N, e.g. 2/8\n", optarg);
                return TD_EXIT_USAGE;
            }
            memcpy(kbuf, optarg, kl);
            kbuf[kl] = '\0';
            if (parse_int(kbuf, 1, 1000000, &shard_k) != 0 || parse_int(slash + 1, 1, 1000000, &shard_n) != 0 ||
                shard_k > shard_n) {
                fprintf(stderr, "tlsdiag scan: --shard '%s': need 1 <= K <= N\n", optarg);
                return TD_EXIT_USAGE;
            }
            break;
        }
        case O_MAXC:
            if (parse_int(optarg, 1, 64, &conf.per_host) != 0) {
                fprintf(stderr, "tlsdiag scan: --max-conns '%s': need a number from 1 to 64\n", optarg);
                return TD_EXIT_USAGE;
            }
            break;
        case O_DELAY:
            if (parse_int(optarg, 0, 600000, &conf.delay_ms) != 0) {
                fprintf(stderr, "tlsdiag scan: --delay '%s': need milliseconds from 0 to 600000\n", optarg);
                return TD_EXIT_USAGE;
            }
            break;
        case O_TIMEOUT:
            if (parse_int(optarg, 1, 600000, &conf.lim.first_byte_ms) != 0) {
                fprintf(stderr, "tlsdiag scan: --timeout '%s': need milliseconds from 1 to 600000\n", optarg);
                return TD_EXIT_USAGE;
            }
            break;
        case O_CTIMEOUT:
            if (parse_int(optarg, 1, 600000, &conf.lim.connect_ms) != 0) {
                fprintf(stderr, "tlsdiag scan: --connect-timeout '%s': need milliseconds from 1 to 600000\n",
                        optarg);
                return TD_EXIT_USAGE;
            }
            break;
        case 'p':
            if (parse_int(optarg, 1, 65535, &port) != 0) {
                fprintf(stderr, "tlsdiag scan: --port '%s': need a number from 1 to 65535\n", optarg);
                return TD_EXIT_USAGE;
            }
            break;
        case O_NOCERT:
            conf.opts.certs = false;
            break;
        case O_NOGROUP:
            conf.opts.groups = false;
            break;
        case O_NOEXT:
            conf.opts.extensions = false;
            break;
        case O_HALF:
            if (strcmp(optarg, "auto") == 0)
                conf.half_close = TD_HALF_CLOSE_AUTO;
            else if (strcmp(optarg, "on") == 0)
                conf.half_close = TD_HALF_CLOSE_ON;
            else if (strcmp(optarg, "off") == 0)
                conf.half_close = TD_HALF_CLOSE_OFF;
            else {
                fprintf(stderr, "tlsdiag scan: --half-close '%s': expected auto, on or off\n", optarg);
                return TD_EXIT_USAGE;
            }
            break;
        case 'q':
            quiet = true;
            break;
        case '4':
            conf.family = AF_INET;
            break;
        case '6':
            conf.family = AF_INET6;
            break;
        case 'h':
            usage(stdout);
            return TD_EXIT_OK;
        default:
            return td_cli_bad_option("scan", c, argc, argv);
        }
    }
    if (conf.no_sni && conf.sni != NULL) {
        fprintf(stderr, "tlsdiag scan: --sni and --no-sni exclude each other\n");
        return TD_EXIT_USAGE;
    }
    /* the total budget of one connection: connect + a few answers */
    conf.lim.total_ms = conf.lim.connect_ms + 2 * conf.lim.first_byte_ms;
    conf.default_port = (uint16_t)port;

    for (int i = optind; i < argc; i++) {
        if (targets_add(&all, argv[i]) != 0) {
            fprintf(stderr, "tlsdiag scan: out of memory\n");
            rc = TD_EXIT_RUNTIME;
            goto out;
        }
    }
    if (file != NULL && read_targets(file, &all) != 0) {
        rc = TD_EXIT_USAGE;
        goto out;
    }
    if (all.n == 0) {
        fprintf(stderr, "tlsdiag scan: no target given (HOST[:PORT] or -f FILE; run 'tlsdiag scan --help')\n");
        rc = TD_EXIT_USAGE;
        goto out;
    }
    for (size_t i = 0; i < all.n; i++) {
        if (i % (size_t)shard_n != (size_t)(shard_k - 1))
            continue;
        if (targets_add(&mine, all.v[i]) != 0) {
            rc = TD_EXIT_RUNTIME;
            goto out;
        }
    }
    if (mine.n == 0)
        goto out; /* an empty shard is not an error */

    cands = td_calloc(1, sizeof(*cands));
    if (cands == NULL) {
        rc = TD_EXIT_RUNTIME;
        goto out;
    }
    td_scan_cands_build(cands);
    conf.cands = &cands->c;
    if ((size_t)jobs > mine.n)
        jobs = (int)mine.n;
    td_gate_init(&overall, jobs * conf.per_host, 0, NULL);
    conf.overall = &overall;

    memset(&run, 0, sizeof(run));
    run.conf = &conf;
    run.targets = &mine;
    run.json = json;
    run.lines = mine.n > 1 || file != NULL;
    run.progress = !quiet && td_is_tty(stderr);
    pthread_mutex_init(&run.out_mu, NULL);
    atomic_init(&run.done, 0);
    atomic_init(&run.worst, TD_EXIT_OK);
    {
        struct one *ones = td_calloc(mine.n, sizeof(*ones));
        struct td_job *jl = td_calloc(mine.n, sizeof(*jl));
        if (ones == NULL || jl == NULL) {
            td_free(ones);
            td_free(jl);
            rc = TD_EXIT_RUNTIME;
        } else {
            for (size_t i = 0; i < mine.n; i++) {
                ones[i] = (struct one){&run, i};
                jl[i] = (struct td_job){scan_one, &ones[i]};
            }
            td_pool_run(jl, mine.n, jobs);
            td_free(ones);
            td_free(jl);
            rc = atomic_load(&run.worst);
        }
    }
    pthread_mutex_destroy(&run.out_mu);
    td_gate_free(&overall);
out:
    td_free(cands);
    targets_free(&all);
    targets_free(&mine);
    return rc;
}
