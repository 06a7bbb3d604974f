/* ServerKeyExchange (RFC 5246 7.4.3, RFC 8422 5.4, RFC 4279 2/3, RFC 5489,
 * RFC 2246 7.4.3 for RSA export). Its shape depends on the key exchange of
 * the negotiated suite and on the version (the 2-byte SignatureAndHashAlgorithm
 * exists only in TLS 1.2), so both are inputs: the caller knows the suite. */
#ifndef TD_WIRE_SKE_H
#define TD_WIRE_SKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/reader.h"
#include "core/writer.h"

enum td_kex {
    TD_KEX_ECDHE,      /* ECDHE_RSA / ECDHE_ECDSA: ServerECDHParams + signature */
    TD_KEX_ECDH_ANON,  /* ECDH_anon: params, no signature */
    TD_KEX_DHE,        /* DHE_RSA / DHE_DSS: ServerDHParams + signature */
    TD_KEX_DH_ANON,    /* DH_anon: params, no signature */
    TD_KEX_RSA_EXPORT, /* RSA_EXPORT: ServerRSAParams + signature */
    TD_KEX_PSK,        /* PSK / RSA_PSK: psk_identity_hint only */
    TD_KEX_DHE_PSK,    /* hint + ServerDHParams */
    TD_KEX_ECDHE_PSK,  /* hint + ServerECDHParams */
};

struct td_ske {
    enum td_kex kex;
    uint16_t version;
    struct td_bytes psk_hint;
    /* ECDH: ECCurveType (3 = named_curve) and NamedCurve */
    uint8_t curve_type;
    uint16_t named_curve;
    struct td_bytes point; /* ECPoint */
    /* DH */
    struct td_bytes dh_p, dh_g, dh_ys;
    unsigned dh_p_bits, dh_g_bits, dh_ys_bits; /* significant bits */
    /* RSA export */
    struct td_bytes rsa_modulus, rsa_exponent;
    unsigned rsa_modulus_bits;
    /* the signed params and the signature */
    struct td_bytes params;
    bool signed_;    /* carries a signature */
    bool has_sigalg; /* TLS 1.2: SignatureAndHashAlgorithm present */
    uint16_t sigalg; /* SignatureScheme (hash << 8 | sig) */
    struct td_bytes signature;
};

TD_MUST_USE td_err td_ske_decode(struct td_reader *body, uint16_t version, enum td_kex kex, struct td_ske *out);
/* Significant bits of a big-endian unsigned integer (leading zeros skipped). */
unsigned td_bignum_bits(struct td_bytes b);
/* Encodes an ECDHE ServerKeyExchange (header + body) for tests: named
 * curve, point, then (TLS 1.2) sigalg and signature. */
TD_MUST_USE td_err td_ske_encode_ecdhe(struct td_writer *w, uint16_t version, uint16_t curve, struct td_bytes point,
                                       uint16_t sigalg, struct td_bytes signature);
TD_MUST_USE td_err td_ske_encode_dhe(struct td_writer *w, uint16_t version, struct td_bytes p, struct td_bytes g,
                                     struct td_bytes ys, uint16_t sigalg, struct td_bytes signature);

#endif
