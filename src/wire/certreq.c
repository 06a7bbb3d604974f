/* CertificateRequest and ServerHelloDone. */
#include "wire/certreq.h"

#include <string.h>

/* RFC 5246 7.4.4 (TLS 1.2):
 *   struct {
 *       ClientCertificateType certificate_types<1..2^8-1>;
 *       SignatureAndHashAlgorithm supported_signature_algorithms<2^16-1>;
 *       DistinguishedName certificate_authorities<0..2^16-1>;
 *   } CertificateRequest;
 *   opaque DistinguishedName<1..2^16-1>;
 * RFC 4346 7.4.4 (TLS 1.1 and earlier): no supported_signature_algorithms.
 * RFC 8446 4.3.2 (TLS 1.3):
 *   struct {
 *       opaque certificate_request_context<0..2^8-1>;
 *       Extension extensions<2..2^16-1>;
 *   } CertificateRequest;
 *   "The "signature_algorithms" extension MUST be specified" */
td_err td_certreq_decode(struct td_reader *b, uint16_t version, struct td_certreq *out)
{
    td_err ret;
    struct td_reader v, dn;

    memset(out, 0, sizeof(*out));
    out->version = version;
    if (version >= TD_V_TLS13) {
        TRY(td_rd_vec(b, 1, 0, 0xff, &v, "certificate_request_context"));
        out->context = td_rd_rest(&v);
        TRY(td_exts_parse(b, TD_MSG_CR13, &out->ext));
        if (!td_exts_has(&out->ext, TD_EXT_SIGNATURE_ALGORITHMS)) {
            ret = td_diag_setf(b->diag, TD_ERR_BADVALUE, out->ext.block.off, "extensions",
                               "no signature_algorithms (RFC 8446 4.3.2)");
            goto out;
        }
        out->sigalgs = out->ext.sigalgs;
        TRY(td_rd_end(b, "CertificateRequest"));
        goto out;
    }
    TRY(td_rd_vec(b, 1, 1, 0xff, &v, "certificate_types"));
    out->cert_types = td_rd_rest(&v);
    if (version >= TD_V_TLS12) {
        TRY(td_rd_vec(b, 2, 2, 0xfffe, &v, "supported_signature_algorithms"));
        if (v.len % 2 != 0) {
            ret = td_diag_setf(b->diag, TD_ERR_LENGTH, v.base - 2, "supported_signature_algorithms", "odd length %zu",
                               v.len);
            goto out;
        }
        out->sigalgs = td_rd_rest(&v);
    }
    TRY(td_rd_vec(b, 2, 0, 0xffff, &v, "certificate_authorities"));
    out->authorities.p = v.buf;
    out->authorities.len = v.len;
    out->authorities.off = v.base;
    while (!td_rd_empty(&v)) {
        TRY(td_rd_vec(&v, 2, 1, 0xffff, &dn, "DistinguishedName"));
        out->authority_count++;
    }
    TRY(td_rd_end(b, "CertificateRequest"));
out:
    return ret;
}

bool td_certreq_authority_at(const struct td_certreq *c, size_t i, struct td_bytes *out)
{
    struct td_reader r, dn;
    td_rd_init(&r, c->authorities.p, c->authorities.len, c->authorities.off, NULL);
    for (size_t k = 0; !td_rd_empty(&r); k++) {
        if (td_rd_vec(&r, 2, 1, 0xffff, &dn, NULL) != TD_ERR_OK)
            return false;
        if (k == i) {
            *out = td_rd_rest(&dn);
            return true;
        }
    }
    return false;
}

/* RFC 5246 7.4.5: struct { } ServerHelloDone; */
td_err td_shd_decode(struct td_reader *body)
{
    return td_rd_end(body, "ServerHelloDone");
}
