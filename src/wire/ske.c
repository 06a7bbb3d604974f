/* ServerKeyExchange decode (and ECDHE/DHE encode for tests). */
#include "wire/ske.h"

#include <string.h>

#include "wire/record.h"

unsigned td_bignum_bits(struct td_bytes b)
{
    size_t n = b.len;
    for (size_t i = 0; i < n; i++) {
        uint32_t byte = td_list_at(b, 1, i);
        if (byte != 0) {
            unsigned bits = 0;
            while (byte != 0) {
                bits++;
                byte >>= 1;
            }
            return (unsigned)((n - i - 1) * 8) + bits;
        }
    }
    return 0;
}

/* RFC 8422 5.4:
 *   struct { ECParameters curve_params; ECPoint public; } ServerECDHParams;
 *   struct { ECCurveType curve_type; select (curve_type) { case named_curve: NamedCurve namedcurve; }; } ECParameters;
 *   struct { opaque point <1..2^8-1>; } ECPoint;
 * "explicit_prime(1)/explicit_char2(2) ... deprecated" -- only named_curve(3)
 * is decoded; the others are BADVALUE (RFC 8422 5.4: "MUST NOT" be used). */
static td_err parse_ecdh(struct td_reader *b, struct td_ske *out)
{
    td_err ret;
    struct td_reader v;
    TRY(td_rd_u8(b, &out->curve_type, "curve_type"));
    if (out->curve_type != 3) {
        ret = td_diag_setf(b->diag, TD_ERR_BADVALUE, td_rd_offset(b) - 1, "curve_type", "%u is not named_curve (3)",
                           out->curve_type);
        goto out;
    }
    TRY(td_rd_u16(b, &out->named_curve, "named_curve"));
    TRY(td_rd_vec(b, 1, 1, 0xff, &v, "ECPoint"));
    out->point = td_rd_rest(&v);
out:
    return ret;
}

/* RFC 5246 7.4.3:
 *   struct { opaque dh_p<1..2^16-1>; opaque dh_g<1..2^16-1>; opaque dh_Ys<1..2^16-1>; } ServerDHParams; */
static td_err parse_dh(struct td_reader *b, struct td_ske *out)
{
    td_err ret;
    struct td_reader v;
    TRY(td_rd_vec(b, 2, 1, 0xffff, &v, "dh_p"));
    out->dh_p = td_rd_rest(&v);
    TRY(td_rd_vec(b, 2, 1, 0xffff, &v, "dh_g"));
    out->dh_g = td_rd_rest(&v);
    TRY(td_rd_vec(b, 2, 1, 0xffff, &v, "dh_Ys"));
    out->dh_ys = td_rd_rest(&v);
    out->dh_p_bits = td_bignum_bits(out->dh_p);
    out->dh_g_bits = td_bignum_bits(out->dh_g);
    out->dh_ys_bits = td_bignum_bits(out->dh_ys);
out:
    return ret;
}

/* RFC 2246 7.4.3: struct { opaque rsa_modulus<1..2^16-1>; opaque rsa_exponent<1..2^16-1>; } ServerRSAParams; */
static td_err parse_rsa(struct td_reader *b, struct td_ske *out)
{
    td_err ret;
    struct td_reader v;
    TRY(td_rd_vec(b, 2, 1, 0xffff, &v, "rsa_modulus"));
    out->rsa_modulus = td_rd_rest(&v);
    TRY(td_rd_vec(b, 2, 1, 0xffff, &v, "rsa_exponent"));
    out->rsa_exponent = td_rd_rest(&v);
    out->rsa_modulus_bits = td_bignum_bits(out->rsa_modulus);
out:
    return ret;
}

/* RFC 5246 7.4.3:
 *   select (KeyExchangeAlgorithm) {
 *       case dh_anon: ServerDHParams params;
 *       case dhe_dss, dhe_rsa: ServerDHParams params; digitally-signed struct {...} signed_params;
 *       case rsa, dh_dss, dh_rsa: struct {} ;  (no message)
 *   } ServerKeyExchange;
 *   digitally-signed (4.7): struct { SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>; }
 *   -- the algorithm field only in TLS 1.2; TLS 1.0/1.1 (RFC 4346 7.4.3)
 *   and SSLv3 carry just the signature vector.
 * RFC 4279 2/3: psk / rsa_psk: opaque psk_identity_hint<0..2^16-1>;
 *   dhe_psk: hint then ServerDHParams. RFC 5489 2: ecdhe_psk: hint then ServerECDHParams.
 * RFC 8422 5.4: ServerECDHParams then Signature (ecdh_anon: none). */
td_err td_ske_decode(struct td_reader *b, uint16_t version, enum td_kex kex, struct td_ske *out)
{
    td_err ret;
    struct td_reader v;
    struct td_reader mark = *b; /* to take the signed params as a view */

    memset(out, 0, sizeof(*out));
    out->kex = kex;
    out->version = version;
    switch (kex) {
    case TD_KEX_PSK:
    case TD_KEX_DHE_PSK:
    case TD_KEX_ECDHE_PSK:
        TRY(td_rd_vec(b, 2, 0, 0xffff, &v, "psk_identity_hint"));
        out->psk_hint = td_rd_rest(&v);
        if (kex == TD_KEX_DHE_PSK)
            TRY(parse_dh(b, out));
        else if (kex == TD_KEX_ECDHE_PSK)
            TRY(parse_ecdh(b, out));
        break;
    case TD_KEX_ECDHE:
    case TD_KEX_ECDH_ANON:
        TRY(parse_ecdh(b, out));
        break;
    case TD_KEX_DHE:
    case TD_KEX_DH_ANON:
        TRY(parse_dh(b, out));
        break;
    case TD_KEX_RSA_EXPORT:
        TRY(parse_rsa(b, out));
        break;
    default:
        ret = td_rd_fail(b, TD_ERR_USAGE, "key exchange kind");
        goto out;
    }
    TRY(td_rd_bytes(&mark, b->pos - mark.pos, &out->params, "params"));
    if (kex == TD_KEX_ECDHE || kex == TD_KEX_DHE || kex == TD_KEX_RSA_EXPORT) {
        out->signed_ = true;
        if (version >= TD_V_TLS12) {
            out->has_sigalg = true;
            TRY(td_rd_u16(b, &out->sigalg, "signature algorithm"));
        }
        TRY(td_rd_vec(b, 2, 0, 0xffff, &v, "signature"));
        out->signature = td_rd_rest(&v);
    }
    TRY(td_rd_end(b, "ServerKeyExchange"));
out:
    return ret;
}

static td_err put_sig(struct td_writer *w, uint16_t version, uint16_t sigalg, struct td_bytes sig)
{
    td_err ret;
    size_t m;
    if (version >= TD_V_TLS12)
        TRY(td_wr_u16(w, sigalg));
    TRY(td_wr_open(w, 2, &m));
    TRY(td_wr_bytes(w, sig.p, sig.len));
    ret = td_wr_close(w, m, 2);
out:
    return ret;
}

td_err td_ske_encode_ecdhe(struct td_writer *w, uint16_t version, uint16_t curve, struct td_bytes point,
                           uint16_t sigalg, struct td_bytes signature)
{
    td_err ret;
    size_t hs, m;
    TRY(td_hs_open(w, TD_HS_SERVER_KEY_EXCHANGE, &hs));
    TRY(td_wr_u8(w, 3));
    TRY(td_wr_u16(w, curve));
    TRY(td_wr_open(w, 1, &m));
    TRY(td_wr_bytes(w, point.p, point.len));
    TRY(td_wr_close(w, m, 1));
    TRY(put_sig(w, version, sigalg, signature));
    ret = td_hs_close(w, hs);
out:
    return ret;
}

td_err td_ske_encode_dhe(struct td_writer *w, uint16_t version, struct td_bytes p, struct td_bytes g,
                         struct td_bytes ys, uint16_t sigalg, struct td_bytes signature)
{
    td_err ret;
    size_t hs, m;
    const struct td_bytes *parts[3] = {&p, &g, &ys};
    TRY(td_hs_open(w, TD_HS_SERVER_KEY_EXCHANGE, &hs));
    for (size_t i = 0; i < 3; i++) {
        TRY(td_wr_open(w, 2, &m));
        TRY(td_wr_bytes(w, parts[i]->p, parts[i]->len));
        TRY(td_wr_close(w, m, 2));
    }
    TRY(put_sig(w, version, sigalg, signature));
    ret = td_hs_close(w, hs);
out:
    return ret;
}
