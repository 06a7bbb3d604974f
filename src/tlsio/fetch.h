/* A full handshake through OpenSSL to fetch the server's certificate chain
 * (TLS 1.3 encrypts it, so a hand-built hello cannot see it), with the
 * deadlines and the connection gate of net/, and the leaf described in
 * plain data so callers never include OpenSSL headers. No validation is
 * done here: this is what the server sends, whatever it is. */
#ifndef TD_TLSIO_FETCH_H
#define TD_TLSIO_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "net/addr.h"
#include "net/conn.h"

struct td_gate;

struct td_tls_cert {
    bool ok;                 /* a chain was received */
    char error[160];         /* why not, in one line */
    uint16_t version;        /* protocol negotiated (wire value) */
    char subject[256];       /* OpenSSL one-line form, from x509/ */
    char issuer[256];
    char sans[512];          /* "DNS:a, DNS:b, IP:1.2.3.4" */
    char key_type[16];       /* "RSA", "EC", "Ed25519", "DSA", ... */
    unsigned key_bits;
    char curve[32];          /* EC keys: "prime256v1" */
    char sig_alg[64];        /* "sha256WithRSAEncryption" */
    char not_before[32];     /* "2026-01-01T00:00:00Z" */
    char not_after[32];
    bool self_signed;
    size_t chain_count;
    size_t chain_bytes;      /* sum of DER lengths as sent */
    uint8_t leaf_sha256[32];
    /* Client authentication: did the server send a CertificateRequest in
     * this handshake? Known once the server's flight was seen to its end
     * (TLS <= 1.2: ServerHelloDone; 1.3: the OpenSSL fetch got to our
     * Certificate). cas: the acceptable CA names it gave (may be none). */
    bool client_auth_known;
    bool client_auth;
    size_t client_ca_count;
    char client_cas[512];    /* "CN = Root A; CN = Root B", cut at the size */
};

/* Appends a DER Name (from a CertificateRequest) to c->client_cas in the
 * one-line form, "; "-separated, and counts it. */
void td_tls_client_ca_add(struct td_tls_cert *c, const uint8_t *der, size_t len);

struct td_tls_fetch {
    const struct td_addr *addr;
    struct td_net_limits lim;
    struct td_gate *gate;    /* may be NULL */
    const char *sni;         /* NULL: no server_name */
    bool half_close;         /* FIN right after the ClientHello; see fetch.c */
};

/* Connects, handshakes (TLS 1.0 .. 1.3, every suite OpenSSL can offer at
 * security level 0) and fills out. A server that refuses is not an error:
 * out->ok is false with the reason in out->error (OpenSSL's error queue
 * drained into it). Returns TD_ERR_TLS only when OpenSSL itself cannot be
 * set up. */
TD_MUST_USE td_err td_tls_fetch_cert(const struct td_tls_fetch *req, struct td_tls_cert *out);

/* Fills out's leaf fields from DER (also used for the certificate seen in a
 * hand-built probe). chain_count/chain_bytes are left alone. */
TD_MUST_USE td_err td_tls_describe_der(const uint8_t *der, size_t len, struct td_tls_cert *out);

/* A public key for a TLS 1.3 key_share (RFC 8446 4.2.8.2): X25519, X448,
 * P-256/384/521 (uncompressed point) and FFDHE2048..8192. One key pair per
 * group is made on first use and reused for the life of the process (a
 * probe never completes the handshake, so reuse changes no answer).
 * *out points at process-lifetime memory. UNSUPPORTED for other groups. */
TD_MUST_USE td_err td_tls_keyshare(uint16_t group, const uint8_t **out, size_t *len);

/* SHA-256 of n bytes (certificate fingerprints). */
void td_tls_sha256(const uint8_t *p, size_t n, uint8_t out[32]);

#endif
