/* Micro-benchmark of the wire codec and the hello builder (not run by
 * ctest). Build the project first, then from the repository root:
 *   cc -O2 -Isrc -Ibuild/gen bench/wire_bench.c build/libtdlib.a \
 *      $(pkg-config --libs jansson) -lssl -lcrypto -lpcap -o build/wire_bench && build/wire_bench
 * It reads real vectors from tests/vectors/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hello/hello.h"
#include "wire/transcript.h"

static uint8_t *load(const char *name, size_t *n)
{
    static uint8_t bufs[4][65536];
    static int k;
    char path[256];
    FILE *f;
    uint8_t *b = bufs[k++ % 4];

    snprintf(path, sizeof(path), "tests/vectors/%s", name);
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "wire_bench: %s: cannot open (run from the repository root)\n", path);
        exit(2);
    }
    *n = fread(b, 1, sizeof(bufs[0]), f);
    fclose(f);
    return b;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void fixed_random(void *arg, uint8_t *b, size_t n)
{
    (void)arg;
    memset(b, 7, n);
}

int main(void)
{
    static struct td_client_hello ch;
    static struct td_server_hello sh;
    size_t chn, shn, fln;
    uint8_t *chb = load("gnutls_tls12.ch", &chn);
    uint8_t *shb = load("ossl_tls13.sh", &shn);
    uint8_t *flb = load("ossl_tls12_ecdhe.s2c", &fln);
    const int n = 1000000, m = 20000, h = 200000;
    uint16_t suites[128], versions[] = {0x0304, 0x0303}, groups[] = {0x001d, 0x0017};
    struct td_flight *fl = malloc(sizeof(*fl));
    struct td_writer w;
    double t0, t1;

    if (fl == NULL)
        return 3;
    t0 = now();
    for (int i = 0; i < n; i++) {
        struct td_reader r, b;
        uint8_t type;
        td_rd_init(&r, chb, chn, 0, NULL);
        if (td_hs_parse(&r, &type, &b) != TD_ERR_OK || td_ch_decode(&b, &ch) != TD_ERR_OK)
            return 1;
    }
    t1 = now();
    printf("ClientHello decode (%zu bytes, %zu extensions): %.0f ns\n", chn, ch.ext.count, (t1 - t0) / n * 1e9);
    t0 = now();
    for (int i = 0; i < n; i++) {
        struct td_reader r, b;
        uint8_t type;
        td_rd_init(&r, shb, shn, 0, NULL);
        if (td_hs_parse(&r, &type, &b) != TD_ERR_OK || td_sh_decode(&b, &sh) != TD_ERR_OK)
            return 1;
    }
    t1 = now();
    printf("ServerHello decode (%zu bytes): %.0f ns\n", shn, (t1 - t0) / n * 1e9);
    t0 = now();
    for (int i = 0; i < m; i++) {
        struct td_transcript t;
        td_transcript_init(&t);
        td_flight_init(fl, &t, TD_DIR_S2C);
        if (td_flight_feed(fl, flb, fln, 0) != TD_ERR_OK)
            return 1;
        td_flight_free(fl);
        td_transcript_free(&t);
    }
    t1 = now();
    printf("flight reader over a TLS 1.2 server flight (%zu bytes): %.2f us, %.0f MB/s\n", fln, (t1 - t0) / m * 1e6,
           (double)fln * m / (t1 - t0) / 1e6);
    for (int i = 0; i < 128; i++)
        suites[i] = (uint16_t)(0xc000 + i);
    {
        struct td_hello_spec s = {.record = true,
                                  .versions = versions,
                                  .n_versions = 2,
                                  .suites = suites,
                                  .n_suites = 128,
                                  .sni = "device.example.com",
                                  .groups = groups,
                                  .n_groups = 2,
                                  .ems = true,
                                  .random = fixed_random};
        td_wr_init(&w, TD_HELLO_CAP);
        t0 = now();
        for (int i = 0; i < h; i++) {
            td_wr_reset(&w);
            if (td_hello_build(&s, &w, NULL) != TD_ERR_OK)
                return 1;
        }
        t1 = now();
        printf("hello build, 128 suites + SNI (%zu bytes): %.0f ns\n", w.len, (t1 - t0) / h * 1e9);
        td_wr_free(&w);
    }
    free(fl);
    return 0;
}
