/* Certificate (RFC 5246 7.4.2; RFC 8446 4.4.2): decoded as views into the
 * DER certificates, no allocation. Entries are walked with td_cert_at. */
#ifndef TD_WIRE_CERTIFICATE_H
#define TD_WIRE_CERTIFICATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/reader.h"
#include "core/writer.h"

struct td_certificate {
    bool tls13;
    struct td_bytes context; /* TLS 1.3 certificate_request_context */
    struct td_bytes list;    /* body of certificate_list */
    size_t count;
    size_t total_der; /* sum of the DER lengths (the "chain size") */
};

struct td_cert_entry {
    struct td_bytes der;        /* ASN.1Cert / cert_data */
    struct td_bytes extensions; /* TLS 1.3 per-entry extensions block body */
};

/* tls13 selects the TLS 1.3 form. */
TD_MUST_USE td_err td_cert_decode(struct td_reader *body, bool tls13, struct td_certificate *out);
/* Entry i (0 = the leaf); false past the end. */
bool td_cert_at(const struct td_certificate *c, size_t i, struct td_cert_entry *out);
/* Encodes a TLS <= 1.2 Certificate message (header + body). */
TD_MUST_USE td_err td_cert_encode(struct td_writer *w, const struct td_bytes *ders, size_t n);

#endif
