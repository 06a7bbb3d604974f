/* Fuzz: the flight reader over a byte stream fed in input-chosen pieces,
 * both directions, then the JSON and ladder renderings. Must never fail except on its
 * own caps, never crash, never leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/transcript.h"
#include "wire/transcript.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_transcript t;
    struct td_flight *fl = malloc(sizeof(*fl));
    size_t piece = size > 0 ? (size_t)(data[0] % 29) + 1 : 1;
    size_t fed = 0;
    json_t *j;

    if (fl == NULL)
        return 0;
    td_transcript_init(&t);
    td_flight_init(fl, &t, size > 1 && (data[1] & 1) ? TD_DIR_C2S : TD_DIR_S2C);
    while (fed < size) {
        size_t n = size - fed < piece ? size - fed : piece;
        td_err e = td_flight_feed(fl, data + fed, n, fed);
        if (e != TD_ERR_OK && e != TD_ERR_TOOBIG)
            abort();
        fed += n;
    }
    if (td_flight_finish(fl, fed) != TD_ERR_OK && t.count < TD_TRANSCRIPT_MAX_EVENTS)
        abort();
    {
        struct td_server_hello *sh = malloc(sizeof(*sh));
        struct td_certificate c;
        struct td_ske s;
        td_err e1 = sh != NULL ? td_flight_server_hello(fl, sh, NULL) : TD_ERR_NOMEM;
        td_err e2 = td_flight_certificate(fl, &c, NULL);
        td_err e3 = td_flight_ske(fl, TD_KEX_ECDHE, &s, NULL);
        struct td_certreq cr;
        if (td_flight_certreq(fl, &cr, NULL) == TD_ERR_OK) {
            /* every CA name it counted can be walked */
            struct td_bytes dn;
            size_t k = 0;
            while (td_certreq_authority_at(&cr, k, &dn))
                k++;
            if (k != cr.authority_count)
                abort();
        }
        /* a ServerHello that was summarised as decoded re-parses cleanly */
        const struct td_event *last = NULL;
        for (size_t i = 0; i < t.count; i++)
            if (t.ev[i].dir == fl->dir && t.ev[i].kind == TD_EV_HANDSHAKE && t.ev[i].hs_type == TD_HS_SERVER_HELLO &&
                !t.ev[i].sslv2 && !t.ev[i].data_truncated)
                last = &t.ev[i];
        if (last != NULL && last->sum.decoded && e1 != TD_ERR_OK)
            abort();
        (void)e2;
        (void)e3;
        free(sh);
    }
    j = td_transcript_json(&t, TD_TJSON_BYTES);
    json_decref(j);
    {
        /* the ladder check draws, with a mark and a line cap from the input */
        FILE *f = fopen("/dev/null", "w");
        struct td_ladder_opts o = {.client = "device",
                                   .mark = size > 2 ? data[2] : 0,
                                   .has_mark = true,
                                   .max_lines = size > 3 ? data[3] % 8 : 0,
                                   .flags = TD_LADDER_RECORDS};
        if (f != NULL) {
            td_transcript_ladder(f, &t, &o);
            fclose(f);
        }
    }
    td_flight_free(fl);
    td_transcript_free(&t);
    free(fl);
    return 0;
}
