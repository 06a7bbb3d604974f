/* Embedded demo server (see server.h). One thread, one connection at a
 * time: the demo's client connects sequentially. */
#include "tlsio/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "core/mem.h"
#include "tlsio/client.h"

#define LOG_CAP 8192
#define IO_TIMEOUT_S 3

struct td_demo_server {
    int lfd;
    int stop_pipe[2];
    uint16_t port;
    pthread_t thread;
    bool running;
    pthread_mutex_t mu; /* guards ctx and log */
    SSL_CTX *ctx;
    char *cert_pem;
    char log[LOG_CAP];
    size_t loglen;
    size_t nlines;
    size_t served; /* guarded by mu */
};

static void logf_line(struct td_demo_server *s, const char *fmt, ...) TD_PRINTF(2, 3);
static void logf_line(struct td_demo_server *s, const char *fmt, ...)
{
    va_list ap;
    char line[512];
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    pthread_mutex_lock(&s->mu);
    if (s->loglen + strlen(line) + 2 < LOG_CAP) {
        int w = snprintf(s->log + s->loglen, LOG_CAP - s->loglen, "%s\n", line);
        if (w > 0)
            s->loglen += (size_t)w;
        s->nlines++;
    }
    pthread_mutex_unlock(&s->mu);
}

/* A self-signed RSA-2048 certificate, subject like the seed's (CN = an IP
 * address), no subjectAltName (as `openssl req -x509` made it). */
static td_err make_cert(EVP_PKEY **pkey_out, X509 **cert_out)
{
    td_err ret = TD_ERR_OK;
    EVP_PKEY *pkey = EVP_RSA_gen(2048);
    X509 *x = X509_new();
    X509_NAME *name;

    ENSURE(pkey != NULL && x != NULL, TD_ERR_TLS);
    ENSURE(X509_set_version(x, 2) == 1, TD_ERR_TLS);
    ENSURE(ASN1_INTEGER_set(X509_get_serialNumber(x), 0x7d5eed) == 1, TD_ERR_TLS);
    ENSURE(X509_gmtime_adj(X509_getm_notBefore(x), -3600) != NULL, TD_ERR_TLS);
    ENSURE(X509_gmtime_adj(X509_getm_notAfter(x), 365L * 24 * 3600) != NULL, TD_ERR_TLS);
    name = X509_get_subject_name(x);
    ENSURE(X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const unsigned char *)"US", -1, -1, 0) == 1,
           TD_ERR_TLS);
    ENSURE(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"tlsdiag demo", -1, -1, 0) ==
               1,
           TD_ERR_TLS);
    ENSURE(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"127.0.0.1", -1, -1, 0) == 1,
           TD_ERR_TLS);
    ENSURE(X509_set_issuer_name(x, name) == 1, TD_ERR_TLS);
    ENSURE(X509_set_pubkey(x, pkey) == 1, TD_ERR_TLS);
    ENSURE(X509_sign(x, pkey, EVP_sha256()) > 0, TD_ERR_TLS);
    *pkey_out = pkey;
    *cert_out = x;
    pkey = NULL;
    x = NULL;
out:
    EVP_PKEY_free(pkey);
    X509_free(x);
    return ret;
}

static char *pem_of(X509 *x)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *data = NULL, *copy = NULL;
    long n;

    if (b == NULL)
        return NULL;
    if (PEM_write_bio_X509(b, x) == 1) {
        n = BIO_get_mem_data(b, &data);
        if (n > 0)
            copy = td_strndup(data, (size_t)n);
    }
    BIO_free(b);
    return copy;
}

static void serve_one(struct td_demo_server *s, int fd, const char *peer)
{
    static const char reply[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                                "hello from the tlsdiag demo server\n";
    struct timeval tv = {.tv_sec = IO_TIMEOUT_S, .tv_usec = 0};
    SSL *ssl;
    char why[256];
    int rc;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    pthread_mutex_lock(&s->mu);
    ssl = SSL_new(s->ctx);
    pthread_mutex_unlock(&s->mu);
    if (ssl == NULL)
        return;
    SSL_set_fd(ssl, fd);
    rc = SSL_accept(ssl);
    if (rc != 1) {
        td_tls_drain_errors(why, sizeof(why));
        logf_line(s, "[ssl:info] [client %s] SSL handshake failed: %s", peer, why[0] != '\0' ? why : "peer closed");
    } else {
        char req[2048];
        const char *servername = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
        logf_line(s, "[ssl:info] [client %s] handshake done: %s %s, SNI %s", peer, SSL_get_version(ssl),
                  SSL_get_cipher_name(ssl), servername != NULL ? servername : "not provided");
        /* Answer a request if one comes; a handshake-only client just closes. */
        if (SSL_read(ssl, req, sizeof(req)) > 0 && SSL_write(ssl, reply, (int)sizeof(reply) - 1) > 0)
            SSL_shutdown(ssl);
    }
    ERR_clear_error();
    SSL_free(ssl);
}

static void *run(void *arg)
{
    struct td_demo_server *s = arg;

    for (;;) {
        struct pollfd pfd[2] = {{.fd = s->lfd, .events = POLLIN}, {.fd = s->stop_pipe[0], .events = POLLIN}};
        struct sockaddr_in peer;
        socklen_t plen = sizeof(peer);
        char addr[64];
        int fd;

        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pfd[1].revents != 0)
            break;
        if ((pfd[0].revents & POLLIN) == 0)
            continue;
        fd = accept(s->lfd, (struct sockaddr *)&peer, &plen);
        if (fd < 0)
            continue;
        if (inet_ntop(AF_INET, &peer.sin_addr, addr, sizeof(addr)) == NULL)
            snprintf(addr, sizeof(addr), "?");
        serve_one(s, fd, addr);
        close(fd);
        pthread_mutex_lock(&s->mu);
        s->served++;
        pthread_mutex_unlock(&s->mu);
    }
    OPENSSL_thread_stop();
    return NULL;
}

static td_err configure(SSL_CTX *ctx, const char *cipher_list)
{
    if (SSL_CTX_set_cipher_list(ctx, cipher_list) != 1)
        return TD_ERR_BADVALUE;
    return TD_ERR_OK;
}

td_err td_demo_server_start(const char *cipher_list, struct td_demo_server **out, char *err, size_t cap)
{
    td_err ret = TD_ERR_OK;
    struct td_demo_server *s = td_calloc(1, sizeof(*s));
    EVP_PKEY *pkey = NULL;
    X509 *cert = NULL;
    struct sockaddr_in sa;
    socklen_t salen = sizeof(sa);
    int one = 1;

    *out = NULL;
    err[0] = '\0';
    ENSURE(s != NULL, TD_ERR_NOMEM);
    s->lfd = -1;
    s->stop_pipe[0] = s->stop_pipe[1] = -1;
    pthread_mutex_init(&s->mu, NULL);
    TRY(make_cert(&pkey, &cert));
    s->cert_pem = pem_of(cert);
    ENSURE(s->cert_pem != NULL, TD_ERR_NOMEM);
    s->ctx = SSL_CTX_new(TLS_server_method());
    ENSURE(s->ctx != NULL, TD_ERR_TLS);
    /* Like the seed's Apache: SSLProtocol TLSv1.2, ECDHE/DHE RSA only,
     * secp256r1 and 2048-bit DH (nmap showed both). */
    ENSURE(SSL_CTX_set_min_proto_version(s->ctx, TLS1_2_VERSION) == 1, TD_ERR_TLS);
    ENSURE(SSL_CTX_set_max_proto_version(s->ctx, TLS1_2_VERSION) == 1, TD_ERR_TLS);
    ENSURE(SSL_CTX_set1_groups_list(s->ctx, "P-256") == 1, TD_ERR_TLS);
    ENSURE(SSL_CTX_set_dh_auto(s->ctx, 1) == 1, TD_ERR_TLS);
    SSL_CTX_set_options(s->ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
    TRY(configure(s->ctx, cipher_list != NULL ? cipher_list : TD_DEMO_SEED_CIPHERS));
    ENSURE(SSL_CTX_use_certificate(s->ctx, cert) == 1, TD_ERR_TLS);
    ENSURE(SSL_CTX_use_PrivateKey(s->ctx, pkey) == 1, TD_ERR_TLS);

    s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ENSURE(s->lfd >= 0, TD_ERR_IO);
    setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback only */
    sa.sin_port = 0;
    ENSURE(bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)) == 0, TD_ERR_IO);
    ENSURE(listen(s->lfd, 16) == 0, TD_ERR_IO);
    ENSURE(getsockname(s->lfd, (struct sockaddr *)&sa, &salen) == 0, TD_ERR_IO);
    s->port = ntohs(sa.sin_port);
    ENSURE(pipe(s->stop_pipe) == 0, TD_ERR_IO);
    ENSURE(pthread_create(&s->thread, NULL, run, s) == 0, TD_ERR_INTERNAL);
    s->running = true;
    *out = s;
    s = NULL;
out:
    if (ret != TD_ERR_OK) {
        char why[256];
        td_tls_drain_errors(why, sizeof(why));
        snprintf(err, cap, "demo server: %s%s%s", td_err_str(ret), why[0] != '\0' ? ": " : "", why);
    }
    EVP_PKEY_free(pkey);
    X509_free(cert);
    td_demo_server_stop(s);
    return ret;
}

uint16_t td_demo_server_port(const struct td_demo_server *s)
{
    return s->port;
}

const char *td_demo_server_cert_pem(const struct td_demo_server *s)
{
    return s->cert_pem;
}

td_err td_demo_server_set_ciphers(struct td_demo_server *s, const char *cipher_list)
{
    td_err ret;

    pthread_mutex_lock(&s->mu);
    ret = configure(s->ctx, cipher_list);
    pthread_mutex_unlock(&s->mu);
    ERR_clear_error();
    return ret;
}

size_t td_demo_server_take_log(struct td_demo_server *s, char *buf, size_t cap)
{
    size_t n;

    pthread_mutex_lock(&s->mu);
    snprintf(buf, cap, "%s", s->log);
    n = s->nlines;
    s->loglen = 0;
    s->log[0] = '\0';
    s->nlines = 0;
    pthread_mutex_unlock(&s->mu);
    return n;
}

size_t td_demo_server_served(struct td_demo_server *s)
{
    size_t n;
    pthread_mutex_lock(&s->mu);
    n = s->served;
    pthread_mutex_unlock(&s->mu);
    return n;
}

void td_demo_server_stop(struct td_demo_server *s)
{
    if (s == NULL)
        return;
    if (s->running) {
        ssize_t w = write(s->stop_pipe[1], "x", 1);
        (void)w;
        pthread_join(s->thread, NULL);
    }
    if (s->lfd >= 0)
        close(s->lfd);
    if (s->stop_pipe[0] >= 0)
        close(s->stop_pipe[0]);
    if (s->stop_pipe[1] >= 0)
        close(s->stop_pipe[1]);
    SSL_CTX_free(s->ctx);
    td_free(s->cert_pem);
    pthread_mutex_destroy(&s->mu);
    td_free(s);
}
