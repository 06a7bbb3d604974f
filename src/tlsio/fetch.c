#include "tlsio/fetch.h"

#include <errno.h>
#include <pthread.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

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

static void name_to(X509_NAME *n, char *buf, size_t cap)
{
    BIO *b = BIO_new(BIO_s_mem());
    int len;
    buf[0] = '\0';
    if (b == NULL || n == NULL) {
        BIO_free(b);
        return;
    }
    X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253);
    len = BIO_read(b, buf, (int)cap - 1);
    buf[len > 0 ? len : 0] = '\0';
    BIO_free(b);
}

static void time_to(const ASN1_TIME *t, char *buf, size_t cap)
{
    struct tm tm;
    buf[0] = '\0';
    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
        return;
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void sans_to(X509 *x, char *buf, size_t cap)
{
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    size_t used = 0;
    buf[0] = '\0';
    if (gens == NULL)
        return;
    for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        char one[300] = "";
        if (g->type == GEN_DNS) {
            const ASN1_STRING *s = g->d.dNSName;
            snprintf(one, sizeof(one), "DNS:%.*s", ASN1_STRING_length(s), (const char *)ASN1_STRING_get0_data(s));
        } else if (g->type == GEN_IPADD) {
            const ASN1_OCTET_STRING *s = g->d.iPAddress;
            const unsigned char *p = ASN1_STRING_get0_data(s);
            if (ASN1_STRING_length(s) == 4) {
                snprintf(one, sizeof(one), "IP:%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
            } else if (ASN1_STRING_length(s) == 16) {
                size_t o = (size_t)snprintf(one, sizeof(one), "IP:");
                for (int k = 0; k < 16; k += 2)
                    o += (size_t)snprintf(one + o, sizeof(one) - o, "%s%x", k ? ":" : "", (p[k] << 8) | p[k + 1]);
            }
        } else if (g->type == GEN_EMAIL) {
            const ASN1_STRING *s = g->d.rfc822Name;
            snprintf(one, sizeof(one), "email:%.*s", ASN1_STRING_length(s), (const char *)ASN1_STRING_get0_data(s));
        } else if (g->type == GEN_URI) {
            const ASN1_STRING *s = g->d.uniformResourceIdentifier;
            snprintf(one, sizeof(one), "URI:%.*s", ASN1_STRING_length(s), (const char *)ASN1_STRING_get0_data(s));
        }
        if (one[0] == '\0')
            continue;
        int w = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", one);
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
    }
    GENERAL_NAMES_free(gens);
}

static void describe(X509 *x, struct td_tls_cert *out)
{
    EVP_PKEY *pk = X509_get0_pubkey(x);
    unsigned int mdlen = 0;
    int nid;

    name_to(X509_get_subject_name(x), out->subject, sizeof(out->subject));
    name_to(X509_get_issuer_name(x), out->issuer, sizeof(out->issuer));
    sans_to(x, out->sans, sizeof(out->sans));
    time_to(X509_get0_notBefore(x), out->not_before, sizeof(out->not_before));
    time_to(X509_get0_notAfter(x), out->not_after, sizeof(out->not_after));
    nid = X509_get_signature_nid(x);
    snprintf(out->sig_alg, sizeof(out->sig_alg), "%s", nid != NID_undef ? OBJ_nid2ln(nid) : "unknown");
    out->self_signed = X509_check_issued(x, x) == X509_V_OK;
    X509_digest(x, EVP_sha256(), out->leaf_sha256, &mdlen);
    if (pk != NULL) {
        int id = EVP_PKEY_get_base_id(pk);
        const char *t = id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS ? "RSA"
                        : id == EVP_PKEY_EC                          ? "EC"
                        : id == EVP_PKEY_ED25519                     ? "Ed25519"
                        : id == EVP_PKEY_ED448                       ? "Ed448"
                        : id == EVP_PKEY_DSA                         ? "DSA"
                                                                     : OBJ_nid2sn(id);
        snprintf(out->key_type, sizeof(out->key_type), "%s", t != NULL ? t : "unknown");
        out->key_bits = (unsigned)EVP_PKEY_get_bits(pk);
        if (id == EVP_PKEY_EC) {
            size_t glen = 0;
            if (EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, out->curve, sizeof(out->curve),
                                               &glen) != 1)
                out->curve[0] = '\0';
        }
    }
}

td_err td_tls_describe_der(const uint8_t *der, size_t len, struct td_tls_cert *out)
{
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    if (x == NULL) {
        ERR_clear_error();
        return TD_ERR_BADVALUE;
    }
    describe(x, out);
    X509_free(x);
    return TD_ERR_OK;
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

td_err td_tls_fetch_cert(const struct td_tls_fetch *req, struct td_tls_cert *out)
{
    SSL_CTX *ctx = NULL;
    SSL *ssl = NULL;
    struct td_conn c;
    enum td_net_obs o;
    td_err ret = TD_ERR_OK;
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
    (void)SSL_CTX_set_min_proto_version(ctx, 0);
    (void)SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
    ssl = SSL_new(ctx);
    if (ssl == NULL) {
        drain_errors(out->error, sizeof(out->error), "OpenSSL setup failed");
        ret = TD_ERR_TLS;
        goto out;
    }
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
    SSL_set_fd(ssl, c.fd);
    while ((rc = SSL_connect(ssl)) != 1) {
        if (!wait_io(&c, ssl, rc))
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
        } else if (rc == 1) {
            snprintf(out->error, sizeof(out->error), "handshake completed without a certificate");
        } else if (c.last == TD_NET_TIMEOUT) {
            snprintf(out->error, sizeof(out->error), "handshake timed out");
        } else {
            drain_errors(out->error, sizeof(out->error), "handshake failed");
        }
    }
    if (rc == 1)
        (void)SSL_shutdown(ssl);
    ERR_clear_error();
    td_conn_close(&c);
out:
    SSL_free(ssl);
    SSL_CTX_free(ctx);
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
