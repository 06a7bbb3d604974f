/* Device-emulating TLS client over memory BIOs (see client.h). */
#include "tlsio/client.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "core/mem.h"
#include "tlsio/ossl_names.h"

#define IO_CHUNK 16384

/* ---- names ------------------------------------------------------------ */

static pthread_once_t legacy_once = PTHREAD_ONCE_INIT;
static int legacy_loaded;
static void legacy_init(void);

/* In OpenSSL's own preference order (strongest first), which makes a
 * server without a preference of its own pick its best suite first. */
size_t td_tls_ossl_suites(uint16_t *out, size_t cap)
{
    SSL_CTX *ctx;
    STACK_OF(SSL_CIPHER) *sk;
    size_t n = 0;

    pthread_once(&legacy_once, legacy_init);
    ctx = SSL_CTX_new(TLS_method());
    if (ctx == NULL)
        return 0;
    if (SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0") == 1) {
        sk = SSL_CTX_get_ciphers(ctx);
        for (int i = 0; sk != NULL && i < sk_SSL_CIPHER_num(sk) && n < cap; i++) {
            uint16_t code = SSL_CIPHER_get_protocol_id(sk_SSL_CIPHER_value(sk, i));
            if ((code >> 8) != 0x13)
                out[n++] = code;
        }
    }
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return n;
}

/* Suites whose ciphers OpenSSL 3 keeps in the legacy provider. */
static int needs_legacy(const char *name)
{
    return strstr(name, "RC4") != NULL || strstr(name, "IDEA") != NULL || strstr(name, "SEED") != NULL ||
           (strstr(name, "DES-CBC-") != NULL && strstr(name, "DES-CBC3") == NULL);
}

/* Kept for the life of the process: OpenSSL's exit-time cleanup releases
 * its own references, these keep the providers reachable until then. */
static OSSL_PROVIDER *prov_default, *prov_legacy;

static void legacy_init(void)
{
    /* Loading any provider explicitly stops the implicit default one, so
     * load both. Failure just leaves legacy suites unavailable. */
    prov_default = OSSL_PROVIDER_load(NULL, "default");
    prov_legacy = OSSL_PROVIDER_load(NULL, "legacy");
    legacy_loaded = prov_default != NULL && prov_legacy != NULL;
    ERR_clear_error();
}

const char *td_tls_alert_name(int desc, char *buf, size_t cap)
{
    const char *s = SSL_alert_desc_string_long(desc);
    if (s == NULL || strcmp(s, "unknown") == 0) {
        snprintf(buf, cap, "alert %d", desc);
        return buf;
    }
    return s;
}

void td_tls_drain_errors(char *buf, size_t cap)
{
    unsigned long e;
    size_t used = 0;

    if (cap == 0)
        return;
    buf[0] = '\0';
    while ((e = ERR_get_error()) != 0) {
        const char *reason = ERR_reason_error_string(e);
        char tmp[64];
        int n;
        if (reason == NULL) {
            snprintf(tmp, sizeof(tmp), "error 0x%lx", e);
            reason = tmp;
        }
        if (used != 0 && strstr(buf, reason) != NULL)
            continue; /* OpenSSL often repeats a reason */
        n = snprintf(buf + used, cap - used, "%s%s", used != 0 ? "; " : "", reason);
        if (n < 0 || (size_t)n >= cap - used) {
            ERR_clear_error();
            break;
        }
        used += (size_t)n;
    }
}

/* IANA NamedGroup -> OpenSSL group name. */
static const struct {
    uint16_t code;
    const char *name;
} group_names[] = {
    {19, "prime192v1"}, {21, "secp224r1"},  {22, "secp256k1"},       {23, "P-256"},
    {24, "P-384"},      {25, "P-521"},      {26, "brainpoolP256r1"}, {27, "brainpoolP384r1"},
    {28, "brainpoolP512r1"}, {29, "X25519"}, {30, "X448"},           {256, "ffdhe2048"},
    {257, "ffdhe3072"}, {258, "ffdhe4096"}, {259, "ffdhe6144"},      {260, "ffdhe8192"},
};

/* IANA SignatureScheme -> OpenSSL sigalg name. */
static const struct {
    uint16_t code;
    const char *name;
} sigalg_names[] = {
    {0x0201, "RSA+SHA1"},          {0x0203, "ECDSA+SHA1"},          {0x0202, "DSA+SHA1"},
    {0x0301, "RSA+SHA224"},        {0x0303, "ECDSA+SHA224"},        {0x0402, "DSA+SHA256"},
    {0x0401, "rsa_pkcs1_sha256"},  {0x0501, "rsa_pkcs1_sha384"},    {0x0601, "rsa_pkcs1_sha512"},
    {0x0403, "ecdsa_secp256r1_sha256"}, {0x0503, "ecdsa_secp384r1_sha384"}, {0x0603, "ecdsa_secp521r1_sha512"},
    {0x0804, "rsa_pss_rsae_sha256"}, {0x0805, "rsa_pss_rsae_sha384"}, {0x0806, "rsa_pss_rsae_sha512"},
    {0x0807, "ed25519"},           {0x0808, "ed448"},               {0x0809, "rsa_pss_pss_sha256"},
    {0x080a, "rsa_pss_pss_sha384"}, {0x080b, "rsa_pss_pss_sha512"},
};

/* Appends "sep name" to a bounded list string; 0 on overflow. */
static int list_add(char *list, size_t cap, const char *name)
{
    size_t used = strlen(list);
    int n = snprintf(list + used, cap - used, "%s%s", used != 0 ? ":" : "", name);
    return n >= 0 && (size_t)n < cap - used;
}

/* ---- result ----------------------------------------------------------- */

void td_tls_result_init(struct td_tls_result *r)
{
    memset(r, 0, sizeof(*r));
    r->alert_received = -1;
    r->alert_sent = -1;
    td_wr_init(&r->sent, TD_TLS_CAPTURE_CAP);
    td_wr_init(&r->recv, TD_TLS_CAPTURE_CAP);
}

void td_tls_result_free(struct td_tls_result *r)
{
    if (r == NULL)
        return;
    td_wr_free(&r->sent);
    td_wr_free(&r->recv);
    for (size_t i = 0; i < r->nchain; i++)
        td_free(r->chain[i]);
    r->nchain = 0;
}

/* ---- handshake -------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void on_msg(int write_p, int version, int content_type, const void *buf, size_t len, SSL *ssl, void *arg)
{
    struct td_tls_result *r = arg;
    const unsigned char *p = buf;

    (void)version;
    (void)ssl;
    if (content_type == SSL3_RT_ALERT && len >= 2 && p[0] == 2) {
        if (write_p)
            r->alert_sent = r->alert_sent < 0 ? p[1] : r->alert_sent;
        else
            r->alert_received = r->alert_received < 0 ? p[1] : r->alert_received;
    } else if (content_type == SSL3_RT_HANDSHAKE && len >= 1 && !write_p && p[0] == SSL3_MT_CERTIFICATE_REQUEST) {
        r->client_cert_requested = true;
    }
}

static void chunk(struct td_tls_result *r, bool from_server, size_t off, size_t len, double t0)
{
    if (r->nchunks >= TD_TLS_MAX_CHUNKS || len == 0)
        return;
    r->chunks[r->nchunks++] = (struct td_tls_chunk){
        .from_server = from_server, .t_us = (uint64_t)((now_ms() - t0) * 1000.0), .off = off, .len = len};
}

/* Writes everything OpenSSL queued in wbio to the socket, recording it. */
static td_err flush_out(int fd, BIO *wbio, struct td_tls_result *r, double deadline, double t0)
{
    unsigned char buf[IO_CHUNK];
    int n;

    while ((n = BIO_read(wbio, buf, sizeof(buf))) > 0) {
        size_t off = 0;
        chunk(r, false, r->sent.len, (size_t)n, t0);
        if (td_wr_bytes(&r->sent, buf, (size_t)n) != TD_ERR_OK)
            return TD_ERR_TOOBIG;
        while (off < (size_t)n) {
            ssize_t w = send(fd, buf + off, (size_t)n - off, MSG_NOSIGNAL);
            if (w > 0) {
                off += (size_t)w;
                continue;
            }
            if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                struct pollfd pfd = {.fd = fd, .events = POLLOUT};
                double left = deadline - now_ms();
                if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
                    return TD_ERR_TIMEOUT;
                continue;
            }
            if (w < 0 && errno == EINTR)
                continue;
            return errno == ECONNRESET || errno == EPIPE ? TD_ERR_NET : TD_ERR_IO;
        }
    }
    return TD_ERR_OK;
}

/* Reads what the server sent into rbio. TD_ERR_OK with *eof set on FIN. */
static td_err fill_in(int fd, BIO *rbio, struct td_tls_result *r, double deadline, double t0, int *eof)
{
    unsigned char buf[IO_CHUNK];

    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        double left = deadline - now_ms();
        int pr;
        ssize_t n;

        if (left <= 0)
            return TD_ERR_TIMEOUT;
        pr = poll(&pfd, 1, (int)left + 1);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0)
            return TD_ERR_IO;
        if (pr == 0)
            return TD_ERR_TIMEOUT;
        n = recv(fd, buf, sizeof(buf), 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            continue;
        if (n < 0)
            return errno == ECONNRESET ? TD_ERR_NET : TD_ERR_IO;
        if (n == 0) {
            *eof = 1;
            r->eof = true;
            return TD_ERR_OK;
        }
        chunk(r, true, r->recv.len, (size_t)n, t0);
        if (td_wr_bytes(&r->recv, buf, (size_t)n) != TD_ERR_OK)
            return TD_ERR_TOOBIG;
        if (BIO_write(rbio, buf, (int)n) != (int)n)
            return TD_ERR_NOMEM;
        return TD_ERR_OK;
    }
}

/* Builds the context: the device's suites, versions, groups, sigalgs. */
static td_err make_ctx(const struct td_tls_client_cfg *cfg, struct td_tls_result *r, SSL_CTX **out)
{
    td_err ret = TD_ERR_OK;
    SSL_CTX *ctx = NULL;
    char list12[4096] = "", list13[512] = "", tmp[1024] = "";
    int legacy = 0;

    *out = NULL;
    for (size_t i = 0; i < cfg->nsuites; i++) {
        const char *name = td_ossl_suite_name(cfg->suites[i]);
        if (name == NULL) {
            if (r->nunmapped < TD_TLS_MAX_SUITES)
                r->unmapped[r->nunmapped++] = cfg->suites[i];
            continue;
        }
        legacy |= needs_legacy(name);
        if ((cfg->suites[i] >> 8) == 0x13)
            ENSURE(list_add(list13, sizeof(list13), name), TD_ERR_TOOBIG);
        else
            ENSURE(list_add(list12, sizeof(list12), name), TD_ERR_TOOBIG);
    }
    if (legacy) {
        pthread_once(&legacy_once, legacy_init);
        if (!legacy_loaded)
            snprintf(r->error, sizeof(r->error), "OpenSSL legacy provider unavailable: legacy suites not offered");
    }
    ctx = SSL_CTX_new(TLS_client_method());
    ENSURE(ctx != NULL, TD_ERR_TLS);
    /* A device's stack does not apply OpenSSL's security policy: emulate
     * it faithfully (SHA-1 signatures, small keys, legacy suites). */
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    if (cfg->min_version != 0)
        ENSURE(SSL_CTX_set_min_proto_version(ctx, cfg->min_version) == 1, TD_ERR_BADVALUE);
    if (cfg->max_version != 0)
        ENSURE(SSL_CTX_set_max_proto_version(ctx, cfg->max_version) == 1, TD_ERR_BADVALUE);
    if (list12[0] != '\0') {
        ENSURE(list_add(list12, sizeof(list12), "@SECLEVEL=0"), TD_ERR_TOOBIG);
        ENSURE(SSL_CTX_set_cipher_list(ctx, list12) == 1, TD_ERR_TLS);
    } else if (cfg->max_version == 0 || cfg->max_version >= TLS1_3_VERSION) {
        /* TLS 1.3 only: no TLS 1.2 suite to offer. */
        ENSURE(SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) == 1, TD_ERR_TLS);
    } else {
        snprintf(r->error, sizeof(r->error), "none of the device's suites is available in this OpenSSL");
        ret = TD_ERR_UNSUPPORTED;
        goto out;
    }
    ENSURE(SSL_CTX_set_ciphersuites(ctx, list13) == 1, TD_ERR_TLS);
    /* No TLS 1.3 suite: the device does not offer TLS 1.3 (and OpenSSL
     * refuses to send a hello whose top version has no suite). */
    if (list13[0] == '\0' && list12[0] != '\0' && (cfg->max_version == 0 || cfg->max_version >= TLS1_3_VERSION))
        ENSURE(SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) == 1, TD_ERR_TLS);
    if (cfg->ngroups != 0) {
        for (size_t i = 0; i < cfg->ngroups; i++)
            for (size_t k = 0; k < TD_ARRAY_LEN(group_names); k++)
                if (group_names[k].code == cfg->groups[i])
                    ENSURE(list_add(tmp, sizeof(tmp), group_names[k].name), TD_ERR_TOOBIG);
        if (tmp[0] != '\0' && SSL_CTX_set1_groups_list(ctx, tmp) != 1)
            ERR_clear_error(); /* keep OpenSSL's default rather than fail */
    }
    tmp[0] = '\0';
    if (cfg->nsigalgs != 0) {
        for (size_t i = 0; i < cfg->nsigalgs; i++)
            for (size_t k = 0; k < TD_ARRAY_LEN(sigalg_names); k++)
                if (sigalg_names[k].code == cfg->sigalgs[i])
                    ENSURE(list_add(tmp, sizeof(tmp), sigalg_names[k].name), TD_ERR_TOOBIG);
        if (tmp[0] != '\0' && SSL_CTX_set1_sigalgs_list(ctx, tmp) != 1)
            ERR_clear_error();
    }
    if (cfg->max_fragment_length >= 1 && cfg->max_fragment_length <= 4)
        ENSURE(SSL_CTX_set_tlsext_max_fragment_length(ctx, cfg->max_fragment_length) == 1, TD_ERR_TLS);
    if (cfg->no_session_ticket)
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    if (cfg->no_ems)
        SSL_CTX_set_options(ctx, SSL_OP_NO_EXTENDED_MASTER_SECRET);
    if (cfg->no_etm)
        SSL_CTX_set_options(ctx, SSL_OP_NO_ENCRYPT_THEN_MAC);
    if (cfg->client_cert_file != NULL) {
        if (SSL_CTX_use_certificate_chain_file(ctx, cfg->client_cert_file) != 1 ||
            SSL_CTX_use_PrivateKey_file(ctx, cfg->client_key_file != NULL ? cfg->client_key_file
                                                                           : cfg->client_cert_file,
                                        SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_check_private_key(ctx) != 1) {
            char why[256];
            td_tls_drain_errors(why, sizeof(why));
            snprintf(r->error, sizeof(r->error), "client certificate %s: %s", cfg->client_cert_file, why);
            ret = TD_ERR_INPUT;
            goto out;
        }
    }
    *out = ctx;
    ctx = NULL;
out:
    if (ret != TD_ERR_OK && r->error[0] == '\0')
        td_tls_drain_errors(r->error, sizeof(r->error));
    SSL_CTX_free(ctx);
    return ret;
}

static void collect(SSL *ssl, struct td_tls_result *r)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
    EVP_PKEY *tmp = NULL;

    if (c != NULL) {
        r->suite = SSL_CIPHER_get_protocol_id(c);
        r->version = (uint16_t)SSL_version(ssl);
    }
    for (int i = 0; chain != NULL && i < sk_X509_num(chain) && r->nchain < TD_TLS_MAX_CHAIN; i++) {
        unsigned char *der = NULL;
        int n = i2d_X509(sk_X509_value(chain, i), &der);
        if (n <= 0)
            continue;
        r->chain[r->nchain] = td_malloc((size_t)n);
        if (r->chain[r->nchain] == NULL) {
            OPENSSL_free(der);
            break;
        }
        memcpy(r->chain[r->nchain], der, (size_t)n);
        r->chain_len[r->nchain++] = (size_t)n;
        OPENSSL_free(der);
    }
    if (SSL_get_peer_tmp_key(ssl, &tmp) == 1 && tmp != NULL) {
        char group[32] = "";
        size_t glen = 0;
        r->tmp_key_bits = EVP_PKEY_get_bits(tmp);
        if (EVP_PKEY_get_group_name(tmp, group, sizeof(group), &glen) == 1)
            snprintf(r->tmp_key_name, sizeof(r->tmp_key_name), "%s", group);
        else
            snprintf(r->tmp_key_name, sizeof(r->tmp_key_name), "%s", EVP_PKEY_get0_type_name(tmp));
        EVP_PKEY_free(tmp);
    }
    ERR_clear_error();
}

td_err td_tls_client_handshake(int fd, const struct td_tls_client_cfg *cfg, struct td_tls_result *r)
{
    td_err ret = TD_ERR_OK;
    SSL_CTX *ctx = NULL;
    SSL *ssl = NULL;
    BIO *rbio = NULL, *wbio = NULL;
    double t0 = now_ms();
    double deadline = t0 + (cfg->timeout_ms > 0 ? cfg->timeout_ms : 10000);
    int eof = 0;

    ERR_clear_error();
    ret = make_ctx(cfg, r, &ctx);
    if (ret == TD_ERR_UNSUPPORTED) {
        r->end = TD_TLS_END_LOCAL;
        ret = TD_ERR_OK;
        goto out;
    }
    TRY(ret);
    ssl = SSL_new(ctx);
    ENSURE(ssl != NULL, TD_ERR_NOMEM);
    rbio = BIO_new(BIO_s_mem());
    wbio = BIO_new(BIO_s_mem());
    if (rbio == NULL || wbio == NULL) {
        BIO_free(rbio);
        BIO_free(wbio);
        ret = TD_ERR_NOMEM;
        goto out;
    }
    SSL_set_bio(ssl, rbio, wbio); /* ssl owns them now */
    SSL_set_msg_callback(ssl, on_msg);
    SSL_set_msg_callback_arg(ssl, r);
    if (cfg->sni != NULL)
        ENSURE(SSL_set_tlsext_host_name(ssl, cfg->sni) == 1, TD_ERR_BADVALUE);
    SSL_set_connect_state(ssl);

    for (;;) {
        int rc = SSL_do_handshake(ssl);
        int e = rc == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl, rc);
        td_err io = flush_out(fd, wbio, r, deadline, t0);

        if (rc == 1) {
            r->end = TD_TLS_END_COMPLETED;
            break;
        }
        if (e == SSL_ERROR_WANT_READ && io == TD_ERR_OK && !eof) {
            io = fill_in(fd, rbio, r, deadline, t0, &eof);
            if (io == TD_ERR_OK && !eof)
                continue;
        }
        /* The attempt is over: say how. */
        if (r->error[0] == '\0')
            td_tls_drain_errors(r->error, sizeof(r->error));
        if (r->alert_received >= 0)
            r->end = TD_TLS_END_ALERT_RECEIVED;
        else if (r->alert_sent >= 0)
            r->end = TD_TLS_END_ALERT_SENT;
        else if (io == TD_ERR_TIMEOUT)
            r->end = TD_TLS_END_TIMEOUT;
        else if (io == TD_ERR_NET)
            r->end = TD_TLS_END_RESET;
        else if (eof)
            r->end = TD_TLS_END_CLOSED;
        else if (r->sent.len == 0)
            r->end = TD_TLS_END_LOCAL;
        else
            r->end = TD_TLS_END_ALERT_SENT;
        if (r->error[0] == '\0') {
            const char *why = r->end == TD_TLS_END_TIMEOUT ? "no answer before the deadline"
                              : r->end == TD_TLS_END_RESET ? "connection reset by the server"
                              : r->end == TD_TLS_END_CLOSED ? "the server closed the connection"
                                                            : "handshake failed";
            snprintf(r->error, sizeof(r->error), "%s", why);
        }
        break;
    }
    collect(ssl, r);
out:
    r->elapsed_ms = now_ms() - t0;
    if (ret != TD_ERR_OK && r->error[0] == '\0')
        td_tls_drain_errors(r->error, sizeof(r->error));
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    return ret;
}
