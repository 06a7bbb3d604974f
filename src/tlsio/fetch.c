#include "tlsio/fetch.h"

#include <errno.h>
#include <pthread.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "x509/x509.h"

/* Drains OpenSSL's error queue into buf (the last, most specific reason
 * wins the space), so the user sees why, not just "handshake failed". */
static void drain_errors(char *buf, size_t cap, const char *prefix)
{
    unsigned long e, last = 0;
    while ((e = ERR_get_error()) != 0)
        last = e;
    if (last != 0) {
        int n = snprintf(buf, cap, "%s: ", prefix);
        if (n > 0 && (size_t)n < cap)
            ERR_error_string_n(last, buf + n, cap - (size_t)n);
    } else {
        snprintf(buf, cap, "%s", prefix);
    }
}

/* The leaf's facts come from x509/ (one description of certificates for
 * the whole tool); the fingerprint is of the DER as sent. */
static td_err describe_der(const uint8_t *der, size_t len, struct td_tls_cert *out)
{
    struct td_cert_info ci;
    char why[160];
    size_t used = 0;

    memset(&ci, 0, sizeof(ci));
    if (td_x509_cert_describe(der, len, &ci, why, sizeof(why)) != TD_ERR_OK) {
        td_x509_cert_info_free(&ci);
        return TD_ERR_BADVALUE;
    }
    snprintf(out->subject, sizeof(out->subject), "%s", ci.subject ? ci.subject : "");
    snprintf(out->issuer, sizeof(out->issuer), "%s", ci.issuer ? ci.issuer : "");
    out->sans[0] = '\0';
    for (size_t i = 0; i < ci.ndns + ci.nip; i++) {
        const char *kind = i < ci.ndns ? "DNS" : "IP";
        const char *v = i < ci.ndns ? ci.dns[i] : ci.ip[i - ci.ndns];
        int w = snprintf(out->sans + used, sizeof(out->sans) - used, "%s%s:%s", used ? ", " : "", kind, v);
        if (w < 0 || (size_t)w >= sizeof(out->sans) - used)
            break;
        used += (size_t)w;
    }
    snprintf(out->key_type, sizeof(out->key_type), "%s", ci.key.type);
    out->key_bits = ci.key.bits > 0 ? (unsigned)ci.key.bits : 0;
    snprintf(out->curve, sizeof(out->curve), "%s", ci.key.curve);
    snprintf(out->sig_alg, sizeof(out->sig_alg), "%s", ci.sig_alg);
    td_x509_time_format(ci.not_before, out->not_before, sizeof(out->not_before));
    td_x509_time_format(ci.not_after, out->not_after, sizeof(out->not_after));
    out->self_signed = ci.self_signed;
    td_tls_sha256(der, len, out->leaf_sha256);
    td_x509_cert_info_free(&ci);
    return TD_ERR_OK;
}

static void describe(X509 *x, struct td_tls_cert *out)
{
    unsigned char *der = NULL;
    int len = i2d_X509(x, &der);
    if (len > 0)
        (void)describe_der(der, (size_t)len, out);
    OPENSSL_free(der);
}

td_err td_tls_describe_der(const uint8_t *der, size_t len, struct td_tls_cert *out)
{
    return describe_der(der, len, out);
}

void td_tls_client_ca_add(struct td_tls_cert *c, const uint8_t *der, size_t len)
{
    char dn[256];
    size_t used = strlen(c->client_cas);

    c->client_ca_count++;
    if (td_x509_dn_oneline(der, len, dn, sizeof(dn)) != TD_ERR_OK)
        snprintf(dn, sizeof(dn), "(a name that is not DER, %zu bytes)", len);
    if (used + 1 < sizeof(c->client_cas))
        snprintf(c->client_cas + used, sizeof(c->client_cas) - used, "%s%s", used ? "; " : "", dn);
}

/* OpenSSL asks for our certificate: the server sent a CertificateRequest.
 * We have none to give (an empty Certificate goes out), but what it asked
 * for is a fact about the server. */
static int client_cert_cb(SSL *ssl, X509 **x509, EVP_PKEY **pkey)
{
    struct td_tls_cert *out = SSL_get_app_data(ssl);
    const STACK_OF(X509_NAME) *cas = SSL_get0_peer_CA_list(ssl);

    (void)x509;
    (void)pkey;
    if (out == NULL || out->client_auth)
        return 0;
    out->client_auth = true;
    out->client_auth_known = true;
    for (int i = 0; cas != NULL && i < sk_X509_NAME_num(cas); i++) {
        unsigned char *der = NULL;
        int len = i2d_X509_NAME(sk_X509_NAME_value(cas, i), &der);
        if (len > 0)
            td_tls_client_ca_add(out, der, (size_t)len);
        OPENSSL_free(der);
    }
    return 0;
}

/* Waits for the socket as OpenSSL asks, bounded by the connection's total
 * deadline. */
static bool wait_io(struct td_conn *c, SSL *ssl, int rc)
{
    int err = SSL_get_error(ssl, rc);
    struct pollfd pfd;
    int64_t left = c->deadline - td_net_now_ms();
    int budget = left > c->lim.first_byte_ms ? c->lim.first_byte_ms : (int)(left < 0 ? 0 : left);

    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
        return false;
    pfd.fd = c->fd;
    pfd.events = err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
    pfd.revents = 0;
    for (;;) {
        int n = poll(&pfd, 1, budget);
        if (n > 0)
            return true;
        if (n < 0 && errno == EINTR)
            continue;
        c->last = n == 0 ? TD_NET_TIMEOUT : TD_NET_ERROR;
        return false;
    }
}

/* What OpenSSL wrote goes to a memory BIO and is sent from here, so that
 * the connection can be half-closed right after the ClientHello: a server
 * that serves one connection at a time (openssl s_server) then sees our FIN
 * as soon as it has sent its flight and moves on, instead of waiting a round
 * trip for our Finished. Everything OpenSSL writes after that (Finished,
 * close_notify) is dropped; the chain is already in hand by then. */
static bool flush_out(struct td_conn *c, BIO *wb, bool half, bool *shut)
{
    char *p = NULL;
    long n = BIO_get_mem_data(wb, &p);
    bool ok = true;

    if (n > 0 && !*shut) {
        ok = td_conn_send_all(c, p, (size_t)n) == TD_NET_OK;
        if (ok && half) {
            td_conn_shutdown_write(c);
            *shut = true;
        }
    }
    (void)BIO_reset(wb);
    return ok;
}

static td_err fetch_once(const struct td_tls_fetch *req, bool half, struct td_tls_cert *out)
{
    SSL_CTX *ctx = NULL;
    SSL *ssl = NULL;
    BIO *rb = NULL, *wb = NULL;
    struct td_conn c;
    enum td_net_obs o;
    td_err ret = TD_ERR_OK;
    bool shut = false;
    int rc;

    memset(out, 0, sizeof(*out));
    ERR_clear_error();
    ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) {
        drain_errors(out->error, sizeof(out->error), "OpenSSL setup failed");
        return TD_ERR_TLS;
    }
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_client_cert_cb(ctx, client_cert_cb);
    (void)SSL_CTX_set_min_proto_version(ctx, 0);
    (void)SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
    ssl = SSL_new(ctx);
    if (ssl == NULL) {
        drain_errors(out->error, sizeof(out->error), "OpenSSL setup failed");
        ret = TD_ERR_TLS;
        goto out;
    }
    SSL_set_app_data(ssl, out);
    if (req->sni != NULL && SSL_set_tlsext_host_name(ssl, req->sni) != 1) {
        drain_errors(out->error, sizeof(out->error), "cannot set the server name");
        ret = TD_ERR_TLS;
        goto out;
    }
    o = td_conn_open(&c, req->addr, &req->lim, req->gate);
    if (o != TD_NET_OK) {
        snprintf(out->error, sizeof(out->error), "%s", td_net_obs_str(o));
        td_conn_close(&c);
        goto out;
    }
    rb = BIO_new_socket(c.fd, BIO_NOCLOSE);
    wb = BIO_new(BIO_s_mem());
    if (rb == NULL || wb == NULL) {
        BIO_free(rb);
        BIO_free(wb);
        drain_errors(out->error, sizeof(out->error), "OpenSSL setup failed");
        td_conn_close(&c);
        ret = TD_ERR_TLS;
        goto out;
    }
    SSL_set_bio(ssl, rb, wb); /* ssl owns both now */
    for (;;) {
        rc = SSL_connect(ssl);
        if (!flush_out(&c, wb, half, &shut)) {
            c.last = TD_NET_ERROR;
            if (rc == 1)
                rc = 0;
            break;
        }
        if (rc == 1 || !wait_io(&c, ssl, rc))
            break;
    }
    {
        STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
        if (chain != NULL && sk_X509_num(chain) > 0) {
            out->ok = true;
            out->version = (uint16_t)SSL_version(ssl);
            out->chain_count = (size_t)sk_X509_num(chain);
            for (int i = 0; i < sk_X509_num(chain); i++) {
                int len = i2d_X509(sk_X509_value(chain, i), NULL);
                if (len > 0)
                    out->chain_bytes += (size_t)len;
            }
            describe(sk_X509_value(chain, 0), out);
            /* a completed handshake without a request: none was made */
            if (rc == 1)
                out->client_auth_known = true;
        } else if (rc == 1) {
            snprintf(out->error, sizeof(out->error), "handshake completed without a certificate");
        } else if (c.last == TD_NET_TIMEOUT) {
            snprintf(out->error, sizeof(out->error), "handshake timed out");
        } else {
            drain_errors(out->error, sizeof(out->error), "handshake failed");
        }
    }
    if (rc == 1) {
        (void)SSL_shutdown(ssl);
        (void)flush_out(&c, wb, half, &shut);
    }
    ERR_clear_error();
    td_conn_close(&c);
out:
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    return ret;
}

td_err td_tls_fetch_cert(const struct td_tls_fetch *req, struct td_tls_cert *out)
{
    td_err ret = fetch_once(req, req->half_close, out);
    /* A server that needs a second flight from us (a HelloRetryRequest)
     * cannot be answered on a half-closed connection: ask again normally. */
    if (ret == TD_ERR_OK && req->half_close && !out->ok)
        ret = fetch_once(req, false, out);
    return ret;
}

void td_tls_sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
    unsigned int len = 0;
    if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1)
        memset(out, 0, 32);
}

/* ---- key shares ---------------------------------------------------------- */

struct ks_slot {
    uint16_t group;
    const char *alg;   /* EVP algorithm */
    const char *param; /* group name for EC/DH, NULL for X25519/X448 */
    uint8_t *pub;
    size_t len;
    bool tried;
};

static struct ks_slot ks_slots[] = {
    {0x001d, "X25519", NULL, NULL, 0, false},       {0x001e, "X448", NULL, NULL, 0, false},
    {0x0017, "EC", "P-256", NULL, 0, false},        {0x0018, "EC", "P-384", NULL, 0, false},
    {0x0019, "EC", "P-521", NULL, 0, false},        {0x0100, "DH", "ffdhe2048", NULL, 0, false},
    {0x0101, "DH", "ffdhe3072", NULL, 0, false},    {0x0102, "DH", "ffdhe4096", NULL, 0, false},
    {0x0103, "DH", "ffdhe6144", NULL, 0, false},    {0x0104, "DH", "ffdhe8192", NULL, 0, false},
};
static pthread_mutex_t ks_mu = PTHREAD_MUTEX_INITIALIZER;

static void ks_make(struct ks_slot *s)
{
    EVP_PKEY *pk = NULL;
    size_t n = 0;

    s->tried = true;
    if (strcmp(s->alg, "DH") == 0) {
        /* FFDHE (RFC 7919): Y = 2 = g^1, left-padded to the size of p
         * (RFC 8446 4.2.8.1). It is in range and in the prime-order
         * subgroup, so servers accept it, and it costs no 8192-bit key
         * generation; the handshake is never completed anyway. */
        size_t plen = (size_t)strtoul(s->param + 5, NULL, 10) / 8;
        s->pub = OPENSSL_zalloc(plen);
        if (s->pub != NULL) {
            s->pub[plen - 1] = 2;
            s->len = plen;
        }
        return;
    }
    if (s->param == NULL)
        pk = EVP_PKEY_Q_keygen(NULL, NULL, s->alg);
    else
        pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", s->param);
    if (pk == NULL) {
        ERR_clear_error();
        return;
    }
    n = EVP_PKEY_get1_encoded_public_key(pk, &s->pub);
    s->len = n;
    if (s->len == 0) {
        OPENSSL_free(s->pub);
        s->pub = NULL;
    }
    EVP_PKEY_free(pk);
    ERR_clear_error();
}

td_err td_tls_keyshare(uint16_t group, const uint8_t **out, size_t *len)
{
    td_err ret = TD_ERR_UNSUPPORTED;
    pthread_mutex_lock(&ks_mu);
    for (size_t i = 0; i < sizeof(ks_slots) / sizeof(ks_slots[0]); i++) {
        struct ks_slot *s = &ks_slots[i];
        if (s->group != group)
            continue;
        if (!s->tried)
            ks_make(s);
        if (s->pub != NULL) {
            *out = s->pub;
            *len = s->len;
            ret = TD_ERR_OK;
        }
        break;
    }
    pthread_mutex_unlock(&ks_mu);
    return ret;
}
