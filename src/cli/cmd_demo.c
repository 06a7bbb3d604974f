/* Interim `tlsdiag demo` (issue 2): decodes the seed thread's frame and says
 * what the full demo will do once `tlsdiag check` exists (issue 5 replaces
 * this file). */
#include <stdio.h>
#include <string.h>

#include "cli/cmds.h"
#include "cli/exitcodes.h"
#include "cli/xbee_out.h"
#include "core/mem.h"
#include "report/term.h"
#include "xbee/advice.h"
#include "xbee/frame.h"

/* The frame the user posted (../shared/seed/forum-thread-xbee-tls-sni.txt),
 * and the TX Status 0x85 the XBee answered with (built here with the same
 * frame ID; the thread gives the status, not the bytes). */
static const uint8_t seed_frame[] = {0x7E, 0x00, 0x15, 0x23, 0xC4, 0x42, 0xE6, 0x72, 0xAE, 0x01, 0xBB, 0x00, 0x00,
                                     0x00, 0x00, 0x74, 0x65, 0x73, 0x74, 0x5F, 0x64, 0x61, 0x74, 0x61, 0x5B};
static const uint8_t status_frame[] = {0x7E, 0x00, 0x03, 0x89, 0xC4, 0x85, 0x2D};

static int show(const uint8_t *p, size_t n, struct td_xb_frame *fr, struct td_xb_ctx *ctx, struct td_xb_advice *adv,
                const struct td_style *st)
{
    struct td_xb_stream s;
    struct td_xb_skip sk;
    struct td_diag d;

    td_diag_init(&d);
    td_xb_stream_init(&s, p, n, 1);
    if (td_xb_next(&s, fr, &sk, &d) != TD_ERR_OK) {
        char line[300];
        td_xbo_error_line(line, sizeof(line), 1, 0, &d);
        fprintf(stderr, "tlsdiag demo: internal error: %s\n", line);
        return TD_EXIT_RUNTIME;
    }
    td_xb_ctx_note(ctx, fr);
    td_xb_advise(fr, ctx, adv);
    td_xbo_frame_text(stdout, fr, adv, st);
    return TD_EXIT_OK;
}

int td_cmd_demo(int argc, char **argv)
{
    struct td_style st = td_style_for(stdout);
    struct td_xb_frame *fr;
    struct td_xb_ctx *ctx;
    struct td_xb_advice *adv;
    int rc = TD_EXIT_RUNTIME;

    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: tlsdiag demo\n\nWalks through the seed story: an XBee3 Cellular LTE-M that gets TX Status "
               "0x85 from a TLS server.\n");
        return TD_EXIT_OK;
    }
    fr = td_calloc(1, sizeof(*fr));
    ctx = td_calloc(1, sizeof(*ctx));
    adv = td_calloc(1, sizeof(*adv));
    if (fr == NULL || ctx == NULL || adv == NULL)
        goto out;
    td_xb_ctx_init(ctx);

    printf("%stlsdiag demo (interim)%s\n\n"
           "A user's XBee3 Cellular LTE-M (a u-blox SARA-R410M-02B inside) sends this API frame to reach an\n"
           "HTTPS server, and always gets TX Status 0x85 \"Unknown error\" back (Digi forum thread 20463):\n\n"
           "  $ tlsdiag xbee decode 7E 00 15 23 C4 42 E6 72 AE 01 BB 00 00 00 00 74 65 73 74 5F 64 61 74 61 5B\n\n",
           st.bold, st.reset);
    rc = show(seed_frame, sizeof(seed_frame), fr, ctx, adv, &st);
    if (rc != TD_EXIT_OK)
        goto out;
    printf("\nSo: a TX Request with TLS profile 0 (AT$0) to 66.230.114.174:443, frame ID 0xC4, payload \"test_data\",\n"
           "checksum valid. The XBee answered with TX Status 0x85 (the thread gives the status, not the bytes; this\n"
           "is that status frame rebuilt with the request's frame ID 0xC4):\n\n"
           "  $ tlsdiag xbee decode 7E 00 03 89 C4 85 2D\n\n");
    rc = show(status_frame, sizeof(status_frame), fr, ctx, adv, &st);
    if (rc != TD_EXIT_OK)
        goto out;
    printf("\n%sWhat the full demo will do%s (once `tlsdiag check` exists):\n"
           "  1. start a local Apache-like TLS server on 127.0.0.1, misconfigured like the seed's: only ECDHE/DHE\n"
           "     suites, a default virtual host chosen without SNI;\n"
           "  2. diagnose it as the XBee would: `tlsdiag check 127.0.0.1:PORT --device %s` connects\n"
           "     with the XBee's suites and no SNI, shows where the handshake fails and that the device reports 0x85;\n"
           "  3. apply the fix it prints (e.g. an SSLCipherSuite line that adds TLS_RSA_WITH_AES_256_CBC_SHA);\n"
           "  4. re-run the check and show it passing.\n",
           st.bold, st.reset, TD_XB_DEVICE);
    rc = TD_EXIT_OK;
out:
    if (rc != TD_EXIT_OK && (fr == NULL || ctx == NULL || adv == NULL))
        fprintf(stderr, "tlsdiag demo: out of memory\n");
    td_free(fr);
    td_free(ctx);
    td_free(adv);
    return rc;
}
