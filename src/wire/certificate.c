/* Certificate message decode/encode. */
#include "wire/certificate.h"

#include <string.h>

#include "wire/record.h"

/* RFC 5246 7.4.2:
 *   opaque ASN.1Cert<1..2^24-1>;
 *   struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate;
 * RFC 8446 4.4.2:
 *   struct {
 *       select (certificate_type) { ... case X509: opaque cert_data<1..2^24-1>; };
 *       Extension extensions<0..2^16-1>;
 *   } CertificateEntry;
 *   struct {
 *       opaque certificate_request_context<0..2^8-1>;
 *       CertificateEntry certificate_list<0..2^24-1>;
 *   } Certificate; */
td_err td_cert_decode(struct td_reader *b, bool tls13, struct td_certificate *out)
{
    td_err ret;
    struct td_reader v, list, der;

    memset(out, 0, sizeof(*out));
    out->tls13 = tls13;
    if (tls13) {
        TRY(td_rd_vec(b, 1, 0, 0xff, &v, "certificate_request_context"));
        out->context = td_rd_rest(&v);
    }
    TRY(td_rd_vec(b, 3, 0, 0xffffff, &list, "certificate_list"));
    out->list.p = list.buf;
    out->list.len = list.len;
    out->list.off = list.base;
    while (!td_rd_empty(&list)) {
        TRY(td_rd_vec(&list, 3, 1, 0xffffff, &der, "certificate length"));
        out->total_der += der.len;
        if (tls13) {
            /* the per-entry extensions (status_request, SCT) are kept as a
             * view; td_exts_parse(..., TD_MSG_CT13, ...) decodes them */
            TRY(td_rd_vec(&list, 2, 0, 0xffff, &v, "certificate extensions"));
        }
        out->count++;
    }
    TRY(td_rd_end(b, "Certificate"));
out:
    return ret;
}

bool td_cert_at(const struct td_certificate *c, size_t i, struct td_cert_entry *out)
{
    struct td_reader r, der, ext;

    td_rd_init(&r, c->list.p, c->list.len, c->list.off, NULL);
    for (size_t k = 0; !td_rd_empty(&r); k++) {
        if (td_rd_vec(&r, 3, 1, 0xffffff, &der, NULL) != TD_ERR_OK)
            return false;
        if (c->tls13 && td_rd_vec(&r, 2, 0, 0xffff, &ext, NULL) != TD_ERR_OK)
            return false;
        if (k == i) {
            out->der = td_rd_rest(&der);
            memset(&out->extensions, 0, sizeof(out->extensions));
            if (c->tls13)
                out->extensions = td_rd_rest(&ext);
            return true;
        }
    }
    return false;
}

td_err td_cert_encode(struct td_writer *w, const struct td_bytes *ders, size_t n)
{
    td_err ret;
    size_t hs, list, one;
    TRY(td_hs_open(w, TD_HS_CERTIFICATE, &hs));
    TRY(td_wr_open(w, 3, &list));
    for (size_t i = 0; i < n; i++) {
        TRY(td_wr_open(w, 3, &one));
        TRY(td_wr_bytes(w, ders[i].p, ders[i].len));
        TRY(td_wr_close(w, one, 3));
    }
    TRY(td_wr_close(w, list, 3));
    ret = td_hs_close(w, hs);
out:
    return ret;
}
