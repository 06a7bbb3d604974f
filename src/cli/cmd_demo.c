/* tlsdiag demo: the seed story. The XBee frames of the thread first (xbee/),
 * then the diagnosis on loopback (demo/). Thin: the work is in demo/demo.c. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cmds.h"
#include "cli/exitcodes.h"
#include "cli/opts.h"
#include "cli/xbee_out.h"
#include "core/mem.h"
#include "demo/demo.h"
#include "report/term.h"
#include "xbee/advice.h"
#include "xbee/frame.h"

/* The frame the user posted (../shared/seed/forum-thread-xbee-tls-sni.txt),
 * and the TX Status 0x85 the XBee answered with (the thread gives the
 * status, not the bytes: rebuilt with the request's frame ID). */
static const uint8_t seed_frame[] = {0x7E, 0x00, 0x15, 0x23, 0xC4, 0x42, 0xE6, 0x72, 0xAE, 0x01, 0xBB, 0x00, 0x00,
                                     0x00, 0x00, 0x74, 0x65, 0x73, 0x74, 0x5F, 0x64, 0x61, 0x74, 0x61, 0x5B};
static const uint8_t status_frame[] = {0x7E, 0x00, 0x03, 0x89, 0xC4, 0x85, 0x2D};

static void usage(FILE *f)
{
    fprintf(f, "usage: tlsdiag demo [-q]\n\n"
               "The seed story: an XBee3 Cellular LTE-M gets TX Status 0x85 from an HTTPS server. Decodes the\n"
               "thread's API frames, then starts a local TLS server configured like the thread's Apache (TLS 1.2,\n"
               "only ECDHE/DHE RSA suites, a self-signed certificate with an IP as CN) on 127.0.0.1, checks it as\n"
               "the XBee would connect, applies the fix to the local server and checks again, then answers the\n"
               "certificate question. Loopback only; everything is cleaned up on exit.\n\n"
               "  -q, --quiet   no progress lines on stderr\n\n"
               "exit: 0 the story ran as expected, 1 a step did not, 3 the local server could not start\n");
}

static int show(const uint8_t *p, size_t n, struct td_xb_frame *fr, struct td_xb_ctx *ctx, struct td_xb_advice *adv,
                const struct td_style *st)
{
    struct td_xb_stream s;
    struct td_xb_skip sk;
    struct td_diag d;

    td_diag_init(&d);
    td_xb_stream_init(&s, p, n, 1);
    if (td_xb_next(&s, fr, &sk, &d) != TD_ERR_OK)
        return -1;
    td_xb_ctx_note(ctx, fr);
    td_xb_advise(fr, ctx, adv);
    td_xbo_frame_text(stdout, fr, adv, st);
    return 0;
}

static int prologue(void)
{
    struct td_style st = td_style_for(stdout);
    struct td_xb_frame *fr = td_calloc(1, sizeof(*fr));
    struct td_xb_ctx *ctx = td_calloc(1, sizeof(*ctx));
    struct td_xb_advice *adv = td_calloc(1, sizeof(*adv));
    int rc = -1;

    if (fr == NULL || ctx == NULL || adv == NULL)
        goto out;
    td_xb_ctx_init(ctx);
    printf("%sThe story%s (Digi forum thread 20463): an XBee3 Cellular LTE-M (a u-blox SARA-R410M-02B inside)\n"
           "sends this API frame to reach an HTTPS server:\n\n"
           "  $ tlsdiag xbee decode 7E 00 15 23 C4 42 E6 72 AE 01 BB 00 00 00 00 74 65 73 74 5F 64 61 74 61 5B\n\n",
           st.bold, st.reset);
    if (show(seed_frame, sizeof(seed_frame), fr, ctx, adv, &st) != 0)
        goto out;
    printf("\nand always gets TX Status 0x85 \"Unknown error\" back:\n\n  $ tlsdiag xbee decode 7E 00 03 89 C4 85 2D\n\n");
    if (show(status_frame, sizeof(status_frame), fr, ctx, adv, &st) != 0)
        goto out;
    printf("\nWas it SNI? The cipher suites? The certificate? The thread spent days guessing.\n\n");
    rc = 0;
out:
    td_free(fr);
    td_free(ctx);
    td_free(adv);
    return rc;
}

int td_cmd_demo(int argc, char **argv)
{
    static const struct option longs[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, quiet = 0;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longs, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return TD_EXIT_OK;
        default:
            return td_cli_bad_option("demo", c, argc, argv);
        }
    }
    if (optind != argc) {
        fprintf(stderr, "tlsdiag demo: no arguments expected (run 'tlsdiag demo --help')\n");
        return TD_EXIT_USAGE;
    }
    if (prologue() != 0) {
        fprintf(stderr, "tlsdiag demo: the seed's frames could not be decoded\n");
        return TD_EXIT_RUNTIME;
    }
    fflush(stdout);
    return td_demo_run(stdout, quiet);
}
