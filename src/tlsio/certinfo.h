/* The few facts about a DER certificate that the diagnosis rules need
 * (subject CN, key, names, dates, self-signed), read with OpenSSL. */
#ifndef TD_TLSIO_CERTINFO_H
#define TD_TLSIO_CERTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct td_certinfo {
    char subject[512];  /* one line, RFC 2253 style */
    char issuer[512];
    char cn[256];       /* "" if none */
    size_t cn_len;
    bool has_cn;
    bool cn_is_ip;
    char san[512];      /* "DNS:a, IP:1.2.3.4"; "" if none */
    char key_type[16];  /* "RSA", "EC", "ED25519", ... */
    int key_bits;
    char curve[32];     /* EC curve name or "" */
    bool self_signed;   /* issuer == subject and the signature verifies with its own key */
    char not_before[32], not_after[32]; /* "2026-11-27 21:00:00 UTC" */
    char sha256[128];    /* "AB:CD:..." */
};

/* Parses der; TD_ERR_INPUT if it is not a certificate. */
TD_MUST_USE td_err td_certinfo_read(const uint8_t *der, size_t len, struct td_certinfo *out);

#endif
