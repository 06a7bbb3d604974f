/* Fuzzes the certificate-file loader: PEM scanning (blocks, offsets, layout
 * quirks, base64), DER classification (certificates, every key syntax), the
 * per-object X.509/key description, then the lint rules and the level-3
 * verification over whatever loaded, so every path a user file can reach
 * runs. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "certlint/certlint.h"
#include "certlint/limits.h"
#include "x509/pem.h"
#include "x509/verify.h"
#include "x509/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct td_cert_limits limits;
    static bool have_limits;
    struct td_x509_file f;
    struct td_pem_scan scan;
    struct td_diag diag;
    char err[512];

    if (size > TD_X509_MAX_FILE)
        return 0;
    err[0] = '\0';
    td_diag_init(&diag);
    if (td_pem_scan(data, size, &scan, &diag) == TD_ERR_OK && scan.nblocks == 0)
        __builtin_trap(); /* success means at least one block */
    td_pem_scan_free(&scan);

    if (!have_limits) {
        /* the XBee profile's limits, loaded once (the profile stays alive: the limits point into it) */
        static struct td_profile *profile;
        char perr[1200];
        if (td_cert_limits_load("xbee3-cellular-ltem", NULL, &limits, &profile, perr, sizeof(perr)) != TD_ERR_OK)
            __builtin_trap();
        have_limits = true;
    }
    if (td_x509_load(data, size, "fuzz", &f, err, sizeof(err)) == TD_ERR_OK) {
        struct td_certlint_file lf = {.file = &f, .role = TD_ROLE_CERT};
        struct td_certlint_opts o = {.lim = &limits, .host = "192.0.2.1", .at = 1700000000};
        struct td_der d[TD_VERIFY_MAX_CHAIN];
        size_t n = 0;

        for (size_t i = 0; i < f.nobj; i++)
            if (f.objs[i].offset > f.objs[i].end || f.objs[i].end > size)
                __builtin_trap(); /* offsets stay inside the input */
        td_findings_init(&lf.findings);
        td_certlint_run(&lf, 1, &o);
        lf.role = TD_ROLE_CA;
        td_certlint_run(&lf, 1, &o);
        td_findings_free(&lf.findings);

        for (const struct td_x509_obj *ob; n < TD_VERIFY_MAX_CHAIN && (ob = td_x509_cert_at(&f, n)) != NULL; n++) {
            d[n].p = ob->der;
            d[n].len = ob->der_len;
        }
        if (n > 0) {
            struct td_verify_req req = {.chain = d,
                                        .nchain = n,
                                        .cas = d + n - 1,
                                        .nca = 1,
                                        .host = "fuzz.example",
                                        .level = 3,
                                        .at = 1700000000};
            struct td_verify_result res;
            if (td_x509_verify(&req, &res) != TD_ERR_OK && res.reason[0] == '\0')
                __builtin_trap(); /* an input error always says why */
        }
    } else if (err[0] == '\0') {
        __builtin_trap(); /* a failure always has its one-line message */
    }
    td_x509_file_free(&f);
    return 0;
}
