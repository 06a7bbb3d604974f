/* CertificateRequest (RFC 5246 7.4.4, RFC 4346 7.4.4, RFC 8446 4.3.2) and
 * ServerHelloDone (RFC 5246 7.4.5). */
#ifndef TD_WIRE_CERTREQ_H
#define TD_WIRE_CERTREQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/reader.h"
#include "core/writer.h"
#include "wire/ext.h"

struct td_certreq {
    uint16_t version;
    struct td_bytes cert_types;  /* <= 1.2: ClientCertificateType, 1-byte entries */
    struct td_bytes sigalgs;     /* 1.2: supported_signature_algorithms; 1.3: from the extension */
    struct td_bytes authorities; /* <= 1.2: DistinguishedName list body */
    size_t authority_count;
    struct td_bytes context; /* 1.3: certificate_request_context */
    struct td_exts ext;      /* 1.3 */
};

TD_MUST_USE td_err td_certreq_decode(struct td_reader *body, uint16_t version, struct td_certreq *out);
/* DistinguishedName i (DER) of a <= 1.2 request; false past the end. */
bool td_certreq_authority_at(const struct td_certreq *c, size_t i, struct td_bytes *out);
/* ServerHelloDone: struct { } ServerHelloDone; the body must be empty. */
TD_MUST_USE td_err td_shd_decode(struct td_reader *body);

#endif
