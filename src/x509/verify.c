/* Validation levels 0..3 as a device applies them (see verify.h). */
#include "x509/verify.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "x509/x509.h"

/* Details are bounded one-paragraph messages; cutting an over-long subject
 * name short is intended, not a bug. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

const char *td_vstep_name(enum td_vstep s)
{
    switch (s) {
    case TD_VSTEP_NONE:
        return "none";
    case TD_VSTEP_CHAIN:
        return "chain";
    case TD_VSTEP_NAME:
        return "name";
    case TD_VSTEP_DATES:
        return "dates";
    default:
        return "unknown";
    }
}

const char *td_vstatus_name(enum td_vstatus s)
{
    switch (s) {
    case TD_VS_SKIPPED:
        return "skipped";
    case TD_VS_PASS:
        return "pass";
    case TD_VS_FAIL:
        return "fail";
    default:
        return "unknown";
    }
}

bool td_x509_cn_only_match(char *const *cn, size_t ncn, const char *host)
{
    if (host == NULL)
        return false;
    for (size_t i = 0; i < ncn; i++)
        if (cn[i] != NULL && strcasecmp(cn[i], host) == 0)
            return true;
    return false;
}

static X509 *parse(const struct td_der *d)
{
    const unsigned char *q = d->p;
    X509 *x;
    if (d->len == 0 || d->len > 0x7fffffffu)
        return NULL;
    x = d2i_X509(NULL, &q, (long)d->len);
    if (x != NULL && q != d->p + d->len) {
        X509_free(x);
        return NULL;
    }
    return x;
}

static void subject_of(X509 *x, char *buf, size_t cap)
{
    X509_NAME_oneline(X509_get_subject_name(x), buf, (int)cap);
}

static void issuer_of(X509 *x, char *buf, size_t cap)
{
    X509_NAME_oneline(X509_get_issuer_name(x), buf, (int)cap);
}

static void step_chain(const struct td_verify_req *req, X509 **chain, X509 **cas, struct td_verify_result *res,
                       STACK_OF(X509) * *path)
{
    X509_STORE *st = NULL;
    X509_STORE_CTX *ctx = NULL;
    STACK_OF(X509) *untrusted = NULL;
    char leafsub[256], leafiss[256], anchors[512];
    size_t ao = 0;
    int rc;

    anchors[0] = '\0';
    for (size_t i = 0; i < req->nca; i++) {
        char s[200];
        int w;
        subject_of(cas[i], s, sizeof(s));
        if (X509_self_signed(cas[i], 1) != 1)
            res->ca_not_self_signed = true;
        if (ao < sizeof(anchors)) {
            w = snprintf(anchors + ao, sizeof(anchors) - ao, "%s'%s'", i ? ", " : "", s);
            if (w > 0)
                ao += (size_t)w;
        }
    }
    subject_of(chain[0], leafsub, sizeof(leafsub));
    issuer_of(chain[0], leafiss, sizeof(leafiss));
    res->chain.status = TD_VS_FAIL;
    if (req->nca == 0) {
        snprintf(res->chain.detail, sizeof(res->chain.detail),
                 "no CA certificate: at level %d the device needs the CA file that issued the server's chain",
                 req->level);
        goto out;
    }
    st = X509_STORE_new();
    ctx = X509_STORE_CTX_new();
    untrusted = sk_X509_new_null();
    if (st == NULL || ctx == NULL || untrusted == NULL) {
        snprintf(res->chain.detail, sizeof(res->chain.detail), "out of memory");
        goto out;
    }
    for (size_t i = 0; i < req->nca; i++)
        if (X509_STORE_add_cert(st, cas[i]) != 1)
            ERR_clear_error(); /* a duplicate anchor is harmless */
    for (size_t i = 1; i < req->nchain; i++)
        if (!sk_X509_push(untrusted, chain[i])) {
            snprintf(res->chain.detail, sizeof(res->chain.detail), "out of memory");
            goto out;
        }
    /* Dates are level 3's business: the chain step ignores them. No
     * partial-chain flag: the anchor must be where the path ends, as for a
     * device that wants a self-signed root in its CA file. */
    X509_STORE_set_flags(st, X509_V_FLAG_NO_CHECK_TIME);
    if (X509_STORE_CTX_init(ctx, st, chain[0], untrusted) != 1) {
        td_ossl_errors(res->chain.detail, sizeof(res->chain.detail), "cannot start verification");
        goto out;
    }
    rc = X509_verify_cert(ctx);
    if (rc == 1) {
        *path = X509_STORE_CTX_get1_chain(ctx);
        res->path_len = *path != NULL ? (size_t)sk_X509_num(*path) : 0;
        res->chain.status = TD_VS_PASS;
        if (res->path_len <= 1)
            snprintf(res->chain.detail, sizeof(res->chain.detail),
                     "the server certificate '%s' is itself the trusted certificate of the CA file", leafsub);
        else
            snprintf(res->chain.detail, sizeof(res->chain.detail),
                     "the server certificate '%s' leads to the CA file's %s in %zu step%s", leafsub, anchors,
                     res->path_len - 1, res->path_len == 2 ? "" : "s");
        goto out;
    }
    res->ossl_code = X509_STORE_CTX_get_error(ctx);
    res->ossl_depth = (size_t)(X509_STORE_CTX_get_error_depth(ctx) < 0 ? 0 : X509_STORE_CTX_get_error_depth(ctx));
    {
        char at[256] = "";
        X509 *bad = X509_STORE_CTX_get_current_cert(ctx);
        if (bad != NULL)
            subject_of(bad, at, sizeof(at));
        snprintf(res->chain.detail, sizeof(res->chain.detail),
                 "the server certificate '%s' (issuer '%s') does not lead to the CA file (trusted: %s): %s "
                 "(OpenSSL verify error %d at depth %zu, '%s')%s",
                 leafsub, leafiss, anchors, X509_verify_cert_error_string(res->ossl_code), res->ossl_code,
                 res->ossl_depth, at,
                 res->ca_not_self_signed
                     ? "; the CA file's certificate is not a self-signed root (an intermediate?): a device that "
                       "needs a self-signed root in its CA file (XBee: 'intermediate CAs are not enough') cannot "
                       "complete the path"
                     : "");
    }
    ERR_clear_error();
out:
    sk_X509_free(untrusted);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(st);
}

static void step_name(const struct td_verify_req *req, X509 *leaf, const struct td_cert_info *ci,
                      struct td_verify_result *res)
{
    char names[400];
    const char *std_s, *cn_s;
    int decided;

    res->host_is_ip = td_x509_is_ip(req->host);
    if (res->host_is_ip) {
        res->std_match = X509_check_ip_asc(leaf, req->host, 0) == 1;
        if (res->std_match)
            snprintf(res->matched, sizeof(res->matched), "%s", req->host);
    } else {
        char *peer = NULL;
        res->std_match = X509_check_host(leaf, req->host, strlen(req->host), 0, &peer) == 1;
        if (peer != NULL)
            snprintf(res->matched, sizeof(res->matched), "%s", peer);
        OPENSSL_free(peer);
    }
    ERR_clear_error();
    res->cn_only_match = td_x509_cn_only_match(ci->cn, ci->ncn, req->host);
    td_x509_names_line(ci, names, sizeof(names));
    std_s = res->std_match ? "pass" : "fail";
    cn_s = res->cn_only_match ? "pass" : "fail";
    decided = req->policy == TD_NAME_CN_ONLY ? res->cn_only_match : res->std_match;
    if (req->level < 2) {
        res->name.status = TD_VS_SKIPPED;
        snprintf(res->name.detail, sizeof(res->name.detail),
                 "not checked at level %d (for information: %s %s; standard check: %s; CN-only check: %s)", req->level,
                 res->host_is_ip ? "IP" : "name", req->host, std_s, cn_s);
        return;
    }
    res->name.status = decided ? TD_VS_PASS : TD_VS_FAIL;
    snprintf(res->name.detail, sizeof(res->name.detail),
             "the device connects to %s %s; the certificate has %s. Standard check (subjectAltName first%s): %s. "
             "CN-only check (the u-blox manual's 'common name must match the server hostname'): %s.%s",
             res->host_is_ip ? "IP address" : "host name", req->host, names,
             res->host_is_ip ? "; an IP matches only an IP SAN" : ", CN only without DNS SANs", std_s, cn_s,
             res->std_match != res->cn_only_match
                 ? " The two disagree: the outcome depends on which check the device implements."
                 : "");
}

static void step_dates(const struct td_verify_req *req, STACK_OF(X509) * path, X509 *leaf, struct td_verify_result *res)
{
    int n = path != NULL ? sk_X509_num(path) : 1;
    char at[32];
    time_t t = req->at;

    td_x509_time_format(req->at, at, sizeof(at));
    res->dates.status = TD_VS_PASS;
    for (int i = 0; i < n; i++) {
        X509 *x = path != NULL ? sk_X509_value(path, i) : leaf;
        char sub[256], nb[32], na[32];
        struct tm tm;
        time_t tnb = 0, tna = 0;
        if (ASN1_TIME_to_tm(X509_get0_notBefore(x), &tm) == 1)
            tnb = timegm(&tm);
        if (ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm) == 1)
            tna = timegm(&tm);
        td_x509_time_format(tnb, nb, sizeof(nb));
        td_x509_time_format(tna, na, sizeof(na));
        subject_of(x, sub, sizeof(sub));
        if (X509_cmp_time(X509_get0_notBefore(x), &t) > 0) {
            res->dates.status = TD_VS_FAIL;
            res->date_index = (size_t)i;
            res->expired = false;
            snprintf(res->dates.detail, sizeof(res->dates.detail),
                     "certificate %d of the path '%s' is not yet valid at %s (the device's clock): notBefore %s", i,
                     sub, at, nb);
            break;
        }
        if (X509_cmp_time(X509_get0_notAfter(x), &t) < 0) {
            res->dates.status = TD_VS_FAIL;
            res->date_index = (size_t)i;
            res->expired = true;
            snprintf(res->dates.detail, sizeof(res->dates.detail),
                     "certificate %d of the path '%s' expired before %s (the device's clock): notAfter %s", i, sub, at,
                     na);
            break;
        }
    }
    ERR_clear_error();
    if (res->dates.status == TD_VS_PASS)
        snprintf(res->dates.detail, sizeof(res->dates.detail), "all %d certificate%s of the path valid at %s", n,
                 n == 1 ? "" : "s", at);
}

td_err td_x509_verify(const struct td_verify_req *req, struct td_verify_result *res)
{
    X509 *chain[TD_VERIFY_MAX_CHAIN] = {0}, *cas[TD_VERIFY_MAX_CHAIN] = {0};
    STACK_OF(X509) *path = NULL;
    struct td_cert_info leafinfo;
    td_err ret = TD_ERR_OK;
    char why[256];

    memset(res, 0, sizeof(*res));
    memset(&leafinfo, 0, sizeof(leafinfo));
    res->std_match = res->cn_only_match = -1;
    if (req->level < 0 || req->level > 3) {
        snprintf(res->reason, sizeof(res->reason), "level %d: must be 0, 1, 2 or 3", req->level);
        return TD_ERR_INPUT;
    }
    if (req->nchain == 0 || req->nchain > TD_VERIFY_MAX_CHAIN || req->nca > TD_VERIFY_MAX_CHAIN) {
        snprintf(res->reason, sizeof(res->reason), "%s",
                 req->nchain == 0 ? "the server chain holds no certificate" : "more than 16 certificates");
        return TD_ERR_INPUT;
    }
    if (req->level >= 2 && (req->host == NULL || req->host[0] == '\0')) {
        snprintf(res->reason, sizeof(res->reason), "level %d checks the name: a host name or IP is needed", req->level);
        return TD_ERR_INPUT;
    }
    ERR_clear_error();
    for (size_t i = 0; i < req->nchain; i++) {
        chain[i] = parse(&req->chain[i]);
        if (chain[i] == NULL) {
            td_ossl_errors(why, sizeof(why), NULL);
            snprintf(res->reason, sizeof(res->reason), "server chain certificate %zu: not a valid certificate: %s",
                     i + 1, why);
            ret = TD_ERR_INPUT;
            goto out;
        }
    }
    for (size_t i = 0; i < req->nca; i++) {
        cas[i] = parse(&req->cas[i]);
        if (cas[i] == NULL) {
            td_ossl_errors(why, sizeof(why), NULL);
            snprintf(res->reason, sizeof(res->reason), "CA certificate %zu: not a valid certificate: %s", i + 1, why);
            ret = TD_ERR_INPUT;
            goto out;
        }
    }
    if (td_x509_cert_describe(req->chain[0].p, req->chain[0].len, &leafinfo, why, sizeof(why)) != TD_ERR_OK) {
        snprintf(res->reason, sizeof(res->reason), "server certificate: %s", why);
        ret = TD_ERR_INPUT;
        goto out;
    }

    if (req->level >= 1) {
        step_chain(req, chain, cas, res, &path);
    } else {
        snprintf(res->chain.detail, sizeof(res->chain.detail), "level 0: the device accepts any certificate");
    }
    if (req->host != NULL && req->host[0] != '\0')
        step_name(req, chain[0], &leafinfo, res);
    else
        snprintf(res->name.detail, sizeof(res->name.detail), "no host given");
    if (req->level >= 3 && res->chain.status == TD_VS_PASS)
        step_dates(req, path, chain[0], res);
    else
        snprintf(res->dates.detail, sizeof(res->dates.detail), "%s",
                 req->level < 3 ? "dates are checked at level 3 only" : "not reached: the chain step failed");

    if (res->chain.status == TD_VS_FAIL) {
        res->failed = TD_VSTEP_CHAIN;
        snprintf(res->reason, sizeof(res->reason), "chain: %s", res->chain.detail);
    } else if (res->name.status == TD_VS_FAIL) {
        res->failed = TD_VSTEP_NAME;
        snprintf(res->reason, sizeof(res->reason), "name: %s", res->name.detail);
    } else if (res->dates.status == TD_VS_FAIL) {
        res->failed = TD_VSTEP_DATES;
        snprintf(res->reason, sizeof(res->reason), "dates: %s", res->dates.detail);
    } else {
        res->pass = true;
        snprintf(res->reason, sizeof(res->reason), "a device at level %d accepts this chain%s", req->level,
                 req->level == 0 ? " (level 0 accepts any certificate)" : "");
    }
out:
    td_x509_cert_info_free(&leafinfo);
    sk_X509_pop_free(path, X509_free);
    for (size_t i = 0; i < TD_VERIFY_MAX_CHAIN; i++) {
        X509_free(chain[i]);
        X509_free(cas[i]);
    }
    ERR_clear_error();
    return ret;
}

td_err td_x509_check_name(const uint8_t *der, size_t len, const char *host, int *std, int *cn_only)
{
    struct td_der d = {der, len};
    struct td_cert_info ci;
    char why[64];
    X509 *x = parse(&d);

    *std = *cn_only = 0;
    if (x == NULL) {
        ERR_clear_error();
        return TD_ERR_BADVALUE;
    }
    if (td_x509_is_ip(host))
        *std = X509_check_ip_asc(x, host, 0) == 1;
    else
        *std = X509_check_host(x, host, strlen(host), 0, NULL) == 1;
    X509_free(x);
    ERR_clear_error();
    if (td_x509_cert_describe(der, len, &ci, why, sizeof(why)) != TD_ERR_OK) {
        td_x509_cert_info_free(&ci);
        return TD_ERR_BADVALUE;
    }
    *cn_only = td_x509_cn_only_match(ci.cn, ci.ncn, host);
    td_x509_cert_info_free(&ci);
    return TD_ERR_OK;
}
