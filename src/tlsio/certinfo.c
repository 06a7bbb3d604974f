/* Certificate facts for the rules (see certinfo.h). */
#include "tlsio/certinfo.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static void time_text(const ASN1_TIME *t, char *buf, size_t cap)
{
    struct tm tm;
    buf[0] = '\0';
    if (t != NULL && ASN1_TIME_to_tm(t, &tm) == 1)
        strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static void name_text(X509_NAME *n, char *buf, size_t cap)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *data = NULL;
    long len;

    buf[0] = '\0';
    if (b == NULL)
        return;
    if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        len = BIO_get_mem_data(b, &data);
        if (len > 0)
            snprintf(buf, cap, "%.*s", (int)len, data);
    }
    BIO_free(b);
}

static bool is_ipv4(const char *s)
{
    int dots = 0;
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++) {
        if (*s == '.')
            dots++;
        else if (*s < '0' || *s > '9')
            return false;
    }
    return dots == 3;
}

static void sans(X509 *x, char *buf, size_t cap)
{
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    size_t used = 0;

    buf[0] = '\0';
    for (int i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        char one[300] = "";
        int w;
        if (g->type == GEN_DNS) {
            snprintf(one, sizeof(one), "DNS:%.*s", ASN1_STRING_length(g->d.dNSName),
                     (const char *)ASN1_STRING_get0_data(g->d.dNSName));
        } else if (g->type == GEN_IPADD) {
            const unsigned char *p = ASN1_STRING_get0_data(g->d.iPAddress);
            if (ASN1_STRING_length(g->d.iPAddress) == 4)
                snprintf(one, sizeof(one), "IP:%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
            else
                snprintf(one, sizeof(one), "IP:(IPv6)");
        } else {
            continue;
        }
        w = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", one);
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
    }
    GENERAL_NAMES_free(gens);
}

td_err td_certinfo_read(const uint8_t *der, size_t len, struct td_certinfo *out)
{
    const unsigned char *p = der;
    X509 *x;
    EVP_PKEY *pk;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    int idx;

    memset(out, 0, sizeof(*out));
    x = d2i_X509(NULL, &p, (long)len);
    if (x == NULL) {
        ERR_clear_error();
        return TD_ERR_INPUT;
    }
    name_text(X509_get_subject_name(x), out->subject, sizeof(out->subject));
    name_text(X509_get_issuer_name(x), out->issuer, sizeof(out->issuer));
    idx = X509_NAME_get_index_by_NID(X509_get_subject_name(x), NID_commonName, -1);
    if (idx >= 0) {
        const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(X509_get_subject_name(x), idx));
        out->has_cn = true;
        out->cn_len = (size_t)ASN1_STRING_length(s);
        snprintf(out->cn, sizeof(out->cn), "%.*s", ASN1_STRING_length(s), (const char *)ASN1_STRING_get0_data(s));
        out->cn_is_ip = is_ipv4(out->cn) || strchr(out->cn, ':') != NULL;
    }
    sans(x, out->san, sizeof(out->san));
    pk = X509_get0_pubkey(x);
    if (pk != NULL) {
        const char *t = EVP_PKEY_get0_type_name(pk);
        char group[32] = "";
        size_t glen = 0;
        snprintf(out->key_type, sizeof(out->key_type), "%s", t != NULL ? t : "?");
        out->key_bits = EVP_PKEY_get_bits(pk);
        if (EVP_PKEY_get_group_name(pk, group, sizeof(group), &glen) == 1)
            snprintf(out->curve, sizeof(out->curve), "%s", group);
        out->self_signed = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0 &&
                           X509_verify(x, pk) == 1;
    }
    time_text(X509_get0_notBefore(x), out->not_before, sizeof(out->not_before));
    time_text(X509_get0_notAfter(x), out->not_after, sizeof(out->not_after));
    if (X509_digest(x, EVP_sha256(), md, &mdlen) == 1) {
        size_t used = 0;
        for (unsigned i = 0; i < mdlen && used + 4 < sizeof(out->sha256); i++) {
            int w = snprintf(out->sha256 + used, sizeof(out->sha256) - used, "%s%02X", i ? ":" : "", md[i]);
            if (w < 0)
                break;
            used += (size_t)w;
        }
    }
    X509_free(x);
    ERR_clear_error();
    return TD_ERR_OK;
}
