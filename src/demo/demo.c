/* The demo story (see demo.h). */
#include "demo/demo.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check.h"
#include "cli/exitcodes.h"
#include "tlsio/server.h"
#include "diag/rules.h"
#include "report/term.h"

#define DEVICE "xbee3-cellular-ltem"

static bool has_finding(const struct td_check_result *r, const char *id)
{
    for (size_t i = 0; i < r->findings.n; i++)
        if (strcmp(r->findings.v[i].id, id) == 0)
            return true;
    return false;
}

/* The server's log lines for the device's own connections (the exact
 * hello, and the OpenSSL completion when it ran); the probes that follow
 * are counted, not shown. Waits (bounded) until the server has handled
 * every connection the check made, so lines never spill into the next step. */
static void server_log(FILE *out, struct td_demo_server *srv, const struct td_check_result *r, size_t *expected)
{
    char log[8192];
    size_t n, show = r->completion_run ? 2 : 1;
    const char *line = log;

    *expected += r->nprobes;
    for (int i = 0; i < 200 && td_demo_server_served(srv) < *expected; i++)
        usleep(10000);
    n = td_demo_server_take_log(srv, log, sizeof(log));
    if (n == 0)
        return;
    fprintf(out, "\nThe server's log for the device's connection%s (like Apache's error log):\n", show > 1 ? "s" : "");
    for (size_t i = 0; i < show && i < n && *line != '\0'; i++) {
        const char *nl = strchr(line, '\n');
        size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
        fprintf(out, "  %.*s%s\n", (int)len, line,
                show > 1 && i == 0 ? "   (the exact hello: the tool stops after the server's first flight)" : "");
        line += len + (nl != NULL ? 1 : 0);
    }
    if (n > show)
        fprintf(out, "  (and %zu line%s for the check's other probes)\n", n - show, n - show == 1 ? "" : "s");
}

static int run_check(FILE *out, const char *target, const char *ca, int quiet, struct td_check_result *r)
{
    struct td_check_opts o;
    char err[512];

    memset(&o, 0, sizeof(o));
    o.target = target;
    o.device = DEVICE;
    o.ca_file = ca;
    o.level = -1;
    o.timeout_ms = 3000;
    o.quiet_probes = quiet != 0;
    td_check_result_init(r);
    if (td_check_run(&o, r, err, sizeof(err)) != TD_ERR_OK) {
        fprintf(out, "tlsdiag demo: the check could not run: %s\n", err);
        return -1;
    }
    return 0;
}

int td_demo_run(FILE *out, int quiet)
{
    struct td_style st = td_style_for(out);
    struct td_demo_server *srv = NULL;
    struct td_check_result r1, r2, r3;
    struct td_cipher_lines lines;
    char err[256], target[64], dir[] = "/tmp/tlsdiag-demo-XXXXXX", ca[128] = "";
    uint16_t add[4];
    size_t nadd;
    int rc = TD_EXIT_OK;
    size_t expected = 0;
    bool have_dir = false;
    FILE *f;

    td_check_result_init(&r1);
    td_check_result_init(&r2);
    td_check_result_init(&r3);
    if (td_demo_server_start(NULL, &srv, err, sizeof(err)) != TD_ERR_OK) {
        fprintf(stderr, "tlsdiag demo: %s\n", err);
        return TD_EXIT_RUNTIME;
    }
    snprintf(target, sizeof(target), "127.0.0.1:%u", td_demo_server_port(srv));

    fprintf(out,
            "A server configured like that thread's Apache is now running on %s:\n"
            "  TLS 1.2 only; only ECDHE/DHE RSA suites (the eight nmap listed); a fresh self-signed RSA-2048\n"
            "  certificate whose CN is an IP address (CN=127.0.0.1), like apache-selfsigned.crt.\n\n"
            "%s1. tlsdiag check %s --device %s%s\n\n",
            target, st.bold, target, DEVICE, st.reset);
    if (run_check(out, target, NULL, quiet, &r1) != 0) {
        rc = TD_EXIT_RUNTIME;
        goto out;
    }
    td_check_print_text(out, &r1);
    server_log(out, srv, &r1, &expected);
    if (r1.pass || !has_finding(&r1, "check.no-common-suite")) {
        fprintf(out, "\ntlsdiag demo: step 1 should have found no common cipher suite; it did not\n");
        rc = TD_EXIT_FINDINGS;
        goto out;
    }

    /* 2. Apply the fix the finding gives: keep the server's suites, add the device's. */
    nadd = td_diag_suites_to_add(&r1.in, r1.in.srv.key_type, add, TD_ARRAY_LEN(add));
    td_diag_cipher_lines(r1.in.srv.suites, r1.in.srv.nsuites, add, nadd, &lines);
    fprintf(out,
            "\n%s2. The fix, applied to the local server%s (the Apache line from the finding):\n  %s\n\n"
            "   tlsdiag check %s --device %s\n\n",
            st.bold, st.reset, lines.apache, target, DEVICE);
    if (nadd == 0 || td_demo_server_set_ciphers(srv, lines.openssl) != TD_ERR_OK) {
        fprintf(out, "tlsdiag demo: the fix could not be applied to the local server\n");
        rc = TD_EXIT_FINDINGS;
        goto out;
    }
    if (run_check(out, target, NULL, quiet, &r2) != 0) {
        rc = TD_EXIT_RUNTIME;
        goto out;
    }
    td_check_print_summary(out, &r2);
    server_log(out, srv, &r2, &expected);
    if (!r2.pass) {
        fprintf(out, "\ntlsdiag demo: step 2 should pass after the fix; it did not\n");
        rc = TD_EXIT_FINDINGS;
        goto out;
    }

    /* 3. The certificate question: the XBee authenticates only with a CA
     * file, and for a self-signed server that file is the certificate. */
    if (mkdtemp(dir) == NULL) {
        rc = TD_EXIT_RUNTIME;
        goto out;
    }
    have_dir = true;
    snprintf(ca, sizeof(ca), "%s/server-selfsigned.crt", dir);
    f = fopen(ca, "w");
    if (f == NULL || fputs(td_demo_server_cert_pem(srv), f) < 0) {
        if (f != NULL)
            fclose(f);
        rc = TD_EXIT_RUNTIME;
        goto out;
    }
    fclose(f);
    fprintf(out,
            "\n%s3. The certificate question%s: with AT$0 empty (\";;\") the XBee encrypts but does not authenticate\n"
            "   the server (level 0). To authenticate, upload the server's own certificate (it is self-signed: a\n"
            "   single self-signed root, one certificate per file) and name it in AT$0, e.g.\n"
            "   AT$0 server-selfsigned.crt;;\n\n"
            "   tlsdiag check %s --device %s --ca server-selfsigned.crt\n\n",
            st.bold, st.reset, target, DEVICE);
    if (run_check(out, target, ca, quiet, &r3) != 0) {
        rc = TD_EXIT_RUNTIME;
        goto out;
    }
    td_check_print_summary(out, &r3);
    server_log(out, srv, &r3, &expected);
    if (!r3.pass || !has_finding(&r3, "check.cert-accepted")) {
        fprintf(out, "\ntlsdiag demo: step 3 should accept the certificate with the CA file; it did not\n");
        rc = TD_EXIT_FINDINGS;
        goto out;
    }
    fprintf(out, "\n%sSummary%s: the 0x85 was a cipher-suite mismatch", st.bold, st.reset);
    if (r1.in.srv.ok_without_sni == TD_DX_YES)
        fprintf(out, ", not SNI: a client without SNI\ncompletes a handshake with this server, while the device's "
                     "hello was refused with\nhandshake_failure before any certificate was sent");
    fprintf(out, ".\nAdding TLS_RSA_WITH_AES_256_CBC_SHA (AES256-SHA) to the server fixes the handshake; the server is\n"
                 "then authenticated only if the XBee's CA file is the server's own self-signed certificate.\n"
                 "Whether the XBee also checks the name or the dates is not documented (its profile says unknown).\n");
out:
    td_check_result_free(&r1);
    td_check_result_free(&r2);
    td_check_result_free(&r3);
    td_demo_server_stop(srv);
    if (ca[0] != '\0')
        unlink(ca);
    if (have_dir)
        rmdir(dir);
    return rc;
}
