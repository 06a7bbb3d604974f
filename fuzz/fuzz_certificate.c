/* Fuzz: Certificate in both forms (TLS <= 1.2 and 1.3), walking entries;
 * CertificateRequest in every version; EncryptedExtensions; the 1.3
 * per-entry extension block. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/certificate.h"
#include "wire/certreq.h"
#include "wire/ee.h"
#include "wire/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_reader r, body;
    uint8_t type = 0;
    bool whole;
    struct td_certreq *cr = malloc(sizeof(*cr));
    struct td_exts *ex = malloc(sizeof(*ex));

    if (cr == NULL || ex == NULL)
        goto out;
    td_rd_init(&r, data, size, 0, NULL);
    if (td_hs_parse(&r, &type, &body) != TD_ERR_OK)
        goto out;
    whole = td_rd_empty(&r); /* the input is exactly one message */
    for (int tls13 = 0; tls13 < 2; tls13++) {
        struct td_reader b = body;
        struct td_certificate c;
        struct td_cert_entry e;
        size_t n = 0, total = 0;
        if (td_cert_decode(&b, tls13 != 0, &c) != TD_ERR_OK)
            continue;
        for (; td_cert_at(&c, n, &e); n++) {
            total += e.der.len;
        }
        if (n != c.count || total != c.total_der)
            abort();
    }
    for (uint16_t v = TD_V_TLS11; v <= TD_V_TLS13; v++) {
        struct td_reader b = body;
        struct td_bytes dn;
        if (td_certreq_decode(&b, v, cr) == TD_ERR_OK)
            for (size_t i = 0; td_certreq_authority_at(cr, i, &dn); i++)
                ;
    }
    {
        struct td_reader b = body;
        td_err e = td_exts_parse(&b, TD_MSG_CT13, ex);
        (void)e;
        b = body;
        if (td_ee_decode(&b, ex) == TD_ERR_OK) {
            struct td_writer w;
            td_wr_init(&w, 1 << 20);
            /* re-encoding gives back the message */
            if (td_ee_encode(&w, ex) != TD_ERR_OK ||
                (whole && type == TD_HS_ENCRYPTED_EXTENSIONS && (w.len != size || memcmp(w.buf, data, size) != 0)))
                abort();
            td_wr_free(&w);
        }
    }
out:
    free(cr);
    free(ex);
    return 0;
}
