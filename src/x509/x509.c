/* Loading certificate and key files (PEM, DER, bundles) and describing each
 * object the way `openssl x509 -text` would, as plain data. */
#include "x509/x509.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/file.h"
#include "core/mem.h"
#include "core/writer.h"

const char *td_key_syntax_name(enum td_key_syntax s)
{
    switch (s) {
    case TD_KEY_PKCS1:
        return "pkcs1";
    case TD_KEY_PKCS8:
        return "pkcs8";
    case TD_KEY_PKCS8_ENCRYPTED:
        return "pkcs8-encrypted";
    case TD_KEY_LEGACY_ENCRYPTED:
        return "legacy-encrypted";
    case TD_KEY_SEC1:
        return "sec1";
    case TD_KEY_OTHER_SYNTAX:
        return "other";
    default:
        return "unknown";
    }
}

const char *td_key_syntax_title(enum td_key_syntax s)
{
    switch (s) {
    case TD_KEY_PKCS1:
        return "PKCS#1 (BEGIN RSA PRIVATE KEY)";
    case TD_KEY_PKCS8:
        return "PKCS#8 (BEGIN PRIVATE KEY)";
    case TD_KEY_PKCS8_ENCRYPTED:
        return "encrypted PKCS#8 (BEGIN ENCRYPTED PRIVATE KEY)";
    case TD_KEY_LEGACY_ENCRYPTED:
        return "legacy encrypted PEM (Proc-Type: 4,ENCRYPTED)";
    case TD_KEY_SEC1:
        return "SEC1 (BEGIN EC PRIVATE KEY)";
    case TD_KEY_OTHER_SYNTAX:
        return "other key syntax";
    default:
        return "unknown";
    }
}

/* ---- small helpers ---------------------------------------------------- */

/* A printable copy: control bytes and NULs become '?', so a CN with an
 * embedded NUL cannot hide its tail from the report. */
static char *printable_dup(const unsigned char *p, int n)
{
    char *s;
    if (n < 0)
        return NULL;
    s = td_malloc((size_t)n + 1);
    if (s == NULL)
        return NULL;
    for (int i = 0; i < n; i++)
        s[i] = (p[i] < 0x20 || p[i] == 0x7f) ? '?' : (char)p[i];
    s[n] = '\0';
    return s;
}

static void hexify(const unsigned char *p, size_t n, char *out, size_t cap, const char *sep)
{
    static const char hx[] = "0123456789ABCDEF";
    size_t o = 0, sl = strlen(sep);
    if (cap == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && sl > 0) {
            if (o + sl >= cap)
                break;
            memcpy(out + o, sep, sl);
            o += sl;
        }
        if (o + 2 >= cap)
            break;
        out[o++] = hx[p[i] >> 4];
        out[o++] = hx[p[i] & 15];
    }
    out[o] = '\0';
}

static char *name_oneline(const X509_NAME *nm)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *data = NULL, *s = NULL;
    long len;

    if (b == NULL)
        return NULL;
    if (X509_NAME_print_ex(b, nm, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) < 0) {
        BIO_free(b);
        return NULL;
    }
    len = BIO_get_mem_data(b, &data);
    if (len >= 0)
        s = printable_dup((const unsigned char *)data, (int)len);
    BIO_free(b);
    return s;
}

td_err td_x509_dn_oneline(const uint8_t *der, size_t len, char *buf, size_t cap)
{
    const unsigned char *p = der;
    X509_NAME *nm;
    char *s;

    if (cap > 0)
        buf[0] = '\0';
    if (len == 0 || len > LONG_MAX)
        return TD_ERR_BADVALUE;
    nm = d2i_X509_NAME(NULL, &p, (long)len);
    if (nm == NULL || p != der + len) {
        X509_NAME_free(nm);
        ERR_clear_error();
        return TD_ERR_BADVALUE;
    }
    s = name_oneline(nm);
    X509_NAME_free(nm);
    if (s == NULL)
        return TD_ERR_NOMEM;
    snprintf(buf, cap, "%s", s);
    td_free(s);
    return TD_ERR_OK;
}

static void pubkey_info(EVP_PKEY *pk, struct td_pubkey_info *ki)
{
    unsigned char *spki = NULL;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    int len;
    size_t glen = 0;
    const char *t;

    switch (EVP_PKEY_get_base_id(pk)) {
    case EVP_PKEY_RSA:
        t = "RSA";
        break;
    case EVP_PKEY_RSA_PSS:
        t = "RSA-PSS";
        break;
    case EVP_PKEY_EC:
        t = "EC";
        break;
    case EVP_PKEY_ED25519:
        t = "Ed25519";
        break;
    case EVP_PKEY_ED448:
        t = "Ed448";
        break;
    case EVP_PKEY_DSA:
        t = "DSA";
        break;
    default:
        t = "unknown";
        break;
    }
    snprintf(ki->type, sizeof(ki->type), "%s", t);
    ki->bits = EVP_PKEY_get_bits(pk);
    ki->curve[0] = '\0';
    if (strcmp(t, "EC") == 0 && EVP_PKEY_get_group_name(pk, ki->curve, sizeof(ki->curve), &glen) != 1)
        ki->curve[0] = '\0';
    len = i2d_PUBKEY(pk, &spki);
    if (len > 0 && EVP_Digest(spki, (size_t)len, md, &mdlen, EVP_sha256(), NULL) == 1) {
        hexify(md, mdlen, ki->spki_sha256, sizeof(ki->spki_sha256), "");
        for (char *c = ki->spki_sha256; *c != '\0'; c++)
            if (*c >= 'A' && *c <= 'F')
                *c = (char)(*c - 'A' + 'a');
    }
    OPENSSL_free(spki);
    ERR_clear_error();
}

static time_t asn1_time(const ASN1_TIME *t)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
        return (time_t)0;
    return timegm(&tm);
}

static void add_name(char **arr, size_t *n, char *s)
{
    if (s == NULL)
        return;
    if (*n >= TD_X509_MAX_NAMES) {
        td_free(s);
        return;
    }
    arr[(*n)++] = s;
}

static void format_ip(const ASN1_OCTET_STRING *o, char *buf, size_t cap)
{
    const unsigned char *d = ASN1_STRING_get0_data(o);
    int n = ASN1_STRING_length(o);
    if (n == 4) {
        if (inet_ntop(AF_INET, d, buf, (socklen_t)cap) == NULL)
            snprintf(buf, cap, "?");
    } else if (n == 16) {
        if (inet_ntop(AF_INET6, d, buf, (socklen_t)cap) == NULL)
            snprintf(buf, cap, "?");
    } else {
        snprintf(buf, cap, "(%d-byte address)", n);
    }
}

static void cert_info(X509 *x, struct td_cert_info *ci)
{
    const X509_NAME *subj = X509_get_subject_name(x), *iss = X509_get_issuer_name(x);
    GENERAL_NAMES *gens;
    EVP_PKEY *pk;
    int idx = -1, signid, mdnid = NID_undef, pknid = NID_undef;
    uint32_t exflags;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    const ASN1_INTEGER *serial;

    ci->subject = name_oneline(subj);
    ci->issuer = name_oneline(iss);
    while ((idx = X509_NAME_get_index_by_NID(subj, NID_commonName, idx)) >= 0) {
        const ASN1_STRING *str = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, idx));
        unsigned char *utf = NULL;
        int n = ASN1_STRING_to_UTF8(&utf, str);
        if (n >= 0)
            add_name(ci->cn, &ci->ncn, printable_dup(utf, n));
        OPENSSL_free(utf);
    }
    gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    for (int i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        if (g->type == GEN_DNS) {
            add_name(ci->dns, &ci->ndns,
                     printable_dup(ASN1_STRING_get0_data(g->d.dNSName), ASN1_STRING_length(g->d.dNSName)));
        } else if (g->type == GEN_IPADD) {
            char ip[64];
            format_ip(g->d.iPAddress, ip, sizeof(ip));
            add_name(ci->ip, &ci->nip, td_strdup(ip));
        }
    }
    GENERAL_NAMES_free(gens);

    ci->self_issued = X509_NAME_cmp(subj, iss) == 0;
    ci->self_signed = X509_self_signed(x, 1) == 1;
    ci->is_ca = X509_check_ca(x) > 0;
    exflags = X509_get_extension_flags(x);
    ci->bc_present = (exflags & EXFLAG_BCONS) != 0;
    ci->bc_ca = (exflags & EXFLAG_CA) != 0;
    ci->pathlen = X509_get_pathlen(x);
    ci->ku_present = (exflags & EXFLAG_KUSAGE) != 0;
    ci->ku_cert_sign = ci->ku_present && (X509_get_key_usage(x) & KU_KEY_CERT_SIGN) != 0;

    pk = X509_get0_pubkey(x);
    if (pk != NULL)
        pubkey_info(pk, &ci->key);
    else
        snprintf(ci->key.type, sizeof(ci->key.type), "unknown");

    signid = X509_get_signature_nid(x);
    snprintf(ci->sig_alg, sizeof(ci->sig_alg), "%s", signid != NID_undef ? OBJ_nid2ln(signid) : "unknown");
    if (OBJ_find_sigid_algs(signid, &mdnid, &pknid) == 1 && mdnid != NID_undef)
        snprintf(ci->sig_hash, sizeof(ci->sig_hash), "%s", OBJ_nid2sn(mdnid));
    else if (signid == NID_rsassaPss)
        snprintf(ci->sig_hash, sizeof(ci->sig_hash), "PSS");

    ci->not_before = asn1_time(X509_get0_notBefore(x));
    ci->not_after = asn1_time(X509_get0_notAfter(x));
    serial = X509_get0_serialNumber(x);
    if (serial != NULL) {
        int n = ASN1_STRING_length(serial);
        hexify(ASN1_STRING_get0_data(serial), n > 0 ? (size_t)n : 0, ci->serial, sizeof(ci->serial), "");
    }
    ci->version = (int)X509_get_version(x) + 1;
    for (int i = 0; i < X509_get_ext_count(x) && ci->next < TD_X509_MAX_EXTS; i++) {
        X509_EXTENSION *e = X509_get_ext(x, i);
        ASN1_OBJECT *o = X509_EXTENSION_get_object(e);
        int nid = OBJ_obj2nid(o);
        char nm[80], full[84];
        if (nid != NID_undef)
            snprintf(nm, sizeof(nm), "%s", OBJ_nid2sn(nid));
        else if (OBJ_obj2txt(nm, sizeof(nm), o, 1) <= 0)
            snprintf(nm, sizeof(nm), "?");
        snprintf(full, sizeof(full), "%s%s", X509_EXTENSION_get_critical(e) ? "!" : "", nm);
        ci->exts[ci->next] = td_strdup(full);
        if (ci->exts[ci->next] != NULL)
            ci->next++;
    }
    if (X509_digest(x, EVP_sha256(), md, &mdlen) == 1)
        hexify(md, mdlen, ci->sha256, sizeof(ci->sha256), ":");
    ERR_clear_error();
}

void td_x509_cert_info_free(struct td_cert_info *ci)
{
    td_free(ci->subject);
    td_free(ci->issuer);
    for (size_t i = 0; i < ci->ncn; i++)
        td_free(ci->cn[i]);
    for (size_t i = 0; i < ci->ndns; i++)
        td_free(ci->dns[i]);
    for (size_t i = 0; i < ci->nip; i++)
        td_free(ci->ip[i]);
    for (size_t i = 0; i < ci->next; i++)
        td_free(ci->exts[i]);
    memset(ci, 0, sizeof(*ci));
}

void td_x509_file_free(struct td_x509_file *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->nobj; i++)
        if (f->objs[i].kind == TD_X509_CERT)
            td_x509_cert_info_free(&f->objs[i].cert);
    td_pem_scan_free(&f->pem_scan);
    td_free(f->raw);
    td_free(f->path);
    memset(f, 0, sizeof(*f));
}

/* ---- parsing one object ----------------------------------------------- */

/* Parses exactly [der, der+len) as a certificate. */
static td_err parse_cert(const uint8_t *der, size_t len, struct td_cert_info *ci, char *why, size_t whycap)
{
    const unsigned char *q = der;
    X509 *x;

    if (len > (size_t)0x7fffffff) {
        snprintf(why, whycap, "too large");
        return TD_ERR_TOOBIG;
    }
    ERR_clear_error();
    x = d2i_X509(NULL, &q, (long)len);
    if (x == NULL) {
        td_ossl_errors(why, whycap, NULL);
        return TD_ERR_BADVALUE;
    }
    if (q != der + len) {
        snprintf(why, whycap, "%zu bytes after the end of the certificate's DER", (size_t)(der + len - q));
        X509_free(x);
        return TD_ERR_TRAILING;
    }
    cert_info(x, ci);
    X509_free(x);
    return TD_ERR_OK;
}

td_err td_x509_cert_describe(const uint8_t *der, size_t len, struct td_cert_info *out, char *why, size_t whycap)
{
    memset(out, 0, sizeof(*out));
    return parse_cert(der, len, out, why, whycap);
}

static int no_passphrase(char *buf, size_t size, size_t *len, const OSSL_PARAM params[], void *arg)
{
    (void)buf;
    (void)size;
    (void)params;
    (void)arg;
    *len = 0;
    return 0; /* never prompt: an encrypted key is reported, not decrypted */
}

/* Decodes a DER private key of the given structure ("PrivateKeyInfo",
 * "type-specific") and key type (NULL = any). */
static EVP_PKEY *decode_key(const uint8_t *der, size_t len, const char *structure, const char *keytype)
{
    EVP_PKEY *pk = NULL;
    OSSL_DECODER_CTX *dctx;
    const unsigned char *q = der;
    size_t left = len;

    dctx = OSSL_DECODER_CTX_new_for_pkey(&pk, "DER", structure, keytype, EVP_PKEY_KEYPAIR, NULL, NULL);
    if (dctx == NULL)
        return NULL;
    OSSL_DECODER_CTX_set_passphrase_cb(dctx, no_passphrase, NULL);
    if (OSSL_DECODER_from_data(dctx, &q, &left) != 1 || left != 0) {
        EVP_PKEY_free(pk);
        pk = NULL;
    }
    OSSL_DECODER_CTX_free(dctx);
    return pk;
}

static bool is_encrypted_pkcs8(const uint8_t *der, size_t len)
{
    const unsigned char *q = der;
    X509_SIG *sig;
    bool ok;

    if (len > (size_t)0x7fffffff)
        return false;
    sig = d2i_X509_SIG(NULL, &q, (long)len);
    ok = sig != NULL && q == der + len;
    X509_SIG_free(sig);
    ERR_clear_error();
    return ok;
}

/* The DER decoders accept more than their structure name says, so the
 * syntax is decided by a strict parse of the outer ASN.1 first. */
static bool is_pkcs8(const uint8_t *der, size_t len)
{
    const unsigned char *q = der;
    PKCS8_PRIV_KEY_INFO *p8;
    bool ok;

    if (len > (size_t)0x7fffffff)
        return false;
    p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &q, (long)len);
    ok = p8 != NULL && q == der + len;
    PKCS8_PRIV_KEY_INFO_free(p8);
    ERR_clear_error();
    return ok;
}

static td_err parse_key(const uint8_t *der, size_t len, enum td_key_syntax syn, const char *keytype,
                        struct td_key_info *ki, char *why, size_t whycap)
{
    EVP_PKEY *pk;
    const char *structure = syn == TD_KEY_PKCS8 ? "PrivateKeyInfo" : "type-specific";

    ki->syntax = syn;
    ERR_clear_error();
    pk = decode_key(der, len, structure, keytype);
    if (pk == NULL) {
        td_ossl_errors(why, whycap, NULL);
        return TD_ERR_BADVALUE;
    }
    pubkey_info(pk, &ki->key);
    EVP_PKEY_free(pk);
    return TD_ERR_OK;
}

/* A DER file: a certificate (or several concatenated), or a key in any of
 * the DER key syntaxes. */
static td_err classify_der(struct td_x509_file *f, const uint8_t *p, size_t n, char *why, size_t whycap)
{
    size_t pos = 0;
    struct td_x509_obj *o;
    EVP_PKEY *pk;

    /* one or more certificates back to back */
    while (pos < n && f->nobj < TD_X509_MAX_OBJS) {
        const unsigned char *q = p + pos;
        X509 *x;
        size_t used;
        if (n - pos > (size_t)0x7fffffff)
            break;
        ERR_clear_error();
        x = d2i_X509(NULL, &q, (long)(n - pos));
        if (x == NULL)
            break;
        used = (size_t)(q - (p + pos));
        o = &f->objs[f->nobj];
        memset(o, 0, sizeof(*o));
        o->kind = TD_X509_CERT;
        o->index = f->nobj;
        snprintf(o->label, sizeof(o->label), "DER");
        o->offset = pos;
        o->end = pos + used;
        o->der = p + pos;
        o->der_len = used;
        cert_info(x, &o->cert);
        X509_free(x);
        f->nobj++;
        f->ncerts++;
        pos += used;
    }
    if (f->ncerts > 0) {
        if (pos != n) {
            snprintf(why, whycap, "byte %zu: %zu bytes after the last certificate are not a certificate", pos, n - pos);
            return TD_ERR_TRAILING;
        }
        return TD_ERR_OK;
    }
    o = &f->objs[0];
    memset(o, 0, sizeof(*o));
    o->kind = TD_X509_KEY;
    snprintf(o->label, sizeof(o->label), "DER");
    o->end = n;
    o->der = p;
    o->der_len = n;
    o->key.der = true;
    if (is_encrypted_pkcs8(p, n)) {
        o->key.syntax = TD_KEY_PKCS8_ENCRYPTED;
        o->key.encrypted = true;
        snprintf(o->key.key.type, sizeof(o->key.key.type), "unknown");
    } else if (is_pkcs8(p, n) && (pk = decode_key(p, n, "PrivateKeyInfo", NULL)) != NULL) {
        o->key.syntax = TD_KEY_PKCS8;
        pubkey_info(pk, &o->key.key);
        EVP_PKEY_free(pk);
    } else if (!is_pkcs8(p, n) && (pk = decode_key(p, n, "type-specific", "RSA")) != NULL) {
        o->key.syntax = TD_KEY_PKCS1;
        pubkey_info(pk, &o->key.key);
        EVP_PKEY_free(pk);
    } else if (!is_pkcs8(p, n) && (pk = decode_key(p, n, "type-specific", "EC")) != NULL) {
        o->key.syntax = TD_KEY_SEC1;
        pubkey_info(pk, &o->key.key);
        EVP_PKEY_free(pk);
    } else {
        ERR_clear_error();
        snprintf(why, whycap,
                 "binary data that is neither a DER certificate nor a DER private key "
                 "(PKCS#1, PKCS#8, encrypted PKCS#8, SEC1)");
        return TD_ERR_BADVALUE;
    }
    ERR_clear_error();
    f->nobj = 1;
    f->nkeys = 1;
    return TD_ERR_OK;
}

static td_err classify_block(struct td_x509_obj *o, const struct td_pem_block *b, char *why, size_t whycap)
{
    const char *l = b->label;

    if (strcmp(l, "CERTIFICATE") == 0 || strcmp(l, "X509 CERTIFICATE") == 0) {
        o->kind = TD_X509_CERT;
        return parse_cert(b->der, b->der_len, &o->cert, why, whycap);
    }
    if (strcmp(l, "RSA PRIVATE KEY") == 0 || strcmp(l, "EC PRIVATE KEY") == 0 || strcmp(l, "DSA PRIVATE KEY") == 0) {
        bool rsa = l[0] == 'R', ec = l[0] == 'E';
        o->kind = TD_X509_KEY;
        if (b->proc_encrypted) {
            /* RFC 1421 legacy encryption: the body is ciphertext */
            o->key.syntax = TD_KEY_LEGACY_ENCRYPTED;
            o->key.encrypted = true;
            snprintf(o->key.key.type, sizeof(o->key.key.type), "%s", rsa ? "RSA" : ec ? "EC" : "DSA");
            return TD_ERR_OK;
        }
        if (!rsa && !ec) {
            o->key.syntax = TD_KEY_OTHER_SYNTAX;
            snprintf(o->key.key.type, sizeof(o->key.key.type), "DSA");
            return TD_ERR_OK;
        }
        return parse_key(b->der, b->der_len, rsa ? TD_KEY_PKCS1 : TD_KEY_SEC1, rsa ? "RSA" : "EC", &o->key, why,
                         whycap);
    }
    if (strcmp(l, "PRIVATE KEY") == 0) {
        o->kind = TD_X509_KEY;
        return parse_key(b->der, b->der_len, TD_KEY_PKCS8, NULL, &o->key, why, whycap);
    }
    if (strcmp(l, "ENCRYPTED PRIVATE KEY") == 0) {
        o->kind = TD_X509_KEY;
        o->key.syntax = TD_KEY_PKCS8_ENCRYPTED;
        o->key.encrypted = true;
        snprintf(o->key.key.type, sizeof(o->key.key.type), "unknown");
        if (!is_encrypted_pkcs8(b->der, b->der_len)) {
            snprintf(why, whycap, "not a valid EncryptedPrivateKeyInfo");
            return TD_ERR_BADVALUE;
        }
        return TD_ERR_OK;
    }
    o->kind = TD_X509_OTHER;
    return TD_ERR_OK;
}

td_err td_x509_load(const uint8_t *p, size_t n, const char *name, struct td_x509_file *f, char *errmsg, size_t errcap)
{
    td_err ret = TD_ERR_OK;
    char why[256];
    struct td_diag diag;

    memset(f, 0, sizeof(*f));
    why[0] = '\0';
    f->path = td_strdup(name != NULL ? name : "(memory)");
    f->size = n;
    f->raw = td_malloc(n > 0 ? n : 1);
    if (f->path == NULL || f->raw == NULL) {
        snprintf(errmsg, errcap, "%s: out of memory", name);
        return TD_ERR_NOMEM;
    }
    if (n > 0)
        memcpy(f->raw, p, n);
    if (n == 0) {
        snprintf(errmsg, errcap, "%s: empty file", f->path);
        return TD_ERR_INPUT;
    }
    if (td_pem_looks_like(f->raw, n)) {
        f->pem = true;
        td_diag_init(&diag);
        ret = td_pem_scan(f->raw, n, &f->pem_scan, &diag);
        if (ret != TD_ERR_OK) {
            snprintf(errmsg, errcap, "%s: %s", f->path, diag.detail[0] != '\0' ? diag.detail : td_err_str(ret));
            return ret;
        }
        for (size_t i = 0; i < f->pem_scan.nblocks; i++) {
            const struct td_pem_block *b = &f->pem_scan.blocks[i];
            struct td_x509_obj *o = &f->objs[f->nobj];
            memset(o, 0, sizeof(*o));
            o->index = i;
            snprintf(o->label, sizeof(o->label), "%s", b->label);
            o->offset = b->offset;
            o->end = b->end;
            o->line = b->line;
            o->end_line = b->end_line;
            o->der = b->der;
            o->der_len = b->der_len;
            ret = classify_block(o, b, why, sizeof(why));
            f->nobj++;
            if (ret != TD_ERR_OK) {
                snprintf(errmsg, errcap, "%s: block %zu ('%s' at line %zu): not a valid %s: %s", f->path, i + 1,
                         b->label, b->line, o->kind == TD_X509_CERT ? "certificate" : "private key", why);
                return ret;
            }
            if (o->kind == TD_X509_CERT)
                f->ncerts++;
            else if (o->kind == TD_X509_KEY)
                f->nkeys++;
        }
        return TD_ERR_OK;
    }
    if (f->raw[0] != 0x30) {
        snprintf(errmsg, errcap, "%s: neither PEM (no '-----BEGIN' line) nor DER (does not start with 0x30)", f->path);
        return TD_ERR_INPUT;
    }
    ret = classify_der(f, f->raw, n, why, sizeof(why));
    if (ret != TD_ERR_OK) {
        snprintf(errmsg, errcap, "%s: %s", f->path, why);
        return ret;
    }
    return TD_ERR_OK;
}

td_err td_x509_load_file(const char *path, struct td_x509_file *f, char *errmsg, size_t errcap)
{
    struct td_writer w;
    td_err ret;

    memset(f, 0, sizeof(*f));
    td_wr_init(&w, TD_X509_MAX_FILE);
    ret = td_file_read(path, &w, errmsg, errcap);
    if (ret == TD_ERR_OK)
        ret = td_x509_load(w.buf != NULL ? w.buf : (const uint8_t *)"", w.len, path, f, errmsg, errcap);
    td_wr_free(&w);
    return ret;
}

const struct td_x509_obj *td_x509_cert_at(const struct td_x509_file *f, size_t i)
{
    for (size_t k = 0; k < f->nobj; k++) {
        if (f->objs[k].kind != TD_X509_CERT)
            continue;
        if (i == 0)
            return &f->objs[k];
        i--;
    }
    return NULL;
}

const struct td_x509_obj *td_x509_first_key(const struct td_x509_file *f)
{
    for (size_t k = 0; k < f->nobj; k++)
        if (f->objs[k].kind == TD_X509_KEY)
            return &f->objs[k];
    return NULL;
}

int td_x509_key_matches(const struct td_x509_obj *cert, const struct td_x509_obj *key)
{
    if (cert == NULL || key == NULL || key->key.encrypted || key->key.key.spki_sha256[0] == '\0' ||
        cert->cert.key.spki_sha256[0] == '\0')
        return -1;
    return strcmp(cert->cert.key.spki_sha256, key->key.key.spki_sha256) == 0 ? 1 : 0;
}

bool td_x509_is_ip(const char *s)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* One list per name kind, "none" when empty (see x509.h). */
void td_x509_names_line(const struct td_cert_info *ci, char *buf, size_t cap)
{
    size_t o = 0;
    int w;
#define APPEND(...)                                                                                                    \
    do {                                                                                                               \
        if (o < cap) {                                                                                                 \
            w = snprintf(buf + o, cap - o, __VA_ARGS__);                                                               \
            if (w > 0)                                                                                                 \
                o += (size_t)w;                                                                                        \
        }                                                                                                              \
    } while (0)
    buf[0] = '\0';
    APPEND("CN: ");
    if (ci->ncn == 0)
        APPEND("none");
    for (size_t i = 0; i < ci->ncn; i++)
        APPEND("%s%s", i ? ", " : "", ci->cn[i]);
    APPEND("; SAN DNS: ");
    if (ci->ndns == 0)
        APPEND("none");
    for (size_t i = 0; i < ci->ndns; i++)
        APPEND("%s%s", i ? ", " : "", ci->dns[i]);
    APPEND("; SAN IP: ");
    if (ci->nip == 0)
        APPEND("none");
    for (size_t i = 0; i < ci->nip; i++)
        APPEND("%s%s", i ? ", " : "", ci->ip[i]);
#undef APPEND
}

void td_x509_time_format(time_t t, char *buf, size_t cap)
{
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, cap, "(invalid time)");
}

/* Reads exactly n digits at s[*i]. */
static bool digits(const char *s, size_t *i, int n, int *out)
{
    int v = 0;
    for (int k = 0; k < n; k++) {
        char c = s[*i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
        (*i)++;
    }
    *out = v;
    return true;
}

td_err td_x509_time_parse(const char *s, time_t now, time_t *out)
{
    struct tm tm;
    size_t i = 0;
    int y, mo, d, h = 0, mi = 0, se = 0;
    time_t t;

    if (strcmp(s, "now") == 0) {
        *out = now;
        return TD_ERR_OK;
    }
    if (s[0] == '@') {
        long long v = 0;
        if (s[1] == '\0')
            return TD_ERR_BADVALUE;
        for (i = 1; s[i] != '\0'; i++) {
            if (s[i] < '0' || s[i] > '9' || v > 100000000000LL)
                return TD_ERR_BADVALUE;
            v = v * 10 + (s[i] - '0');
        }
        *out = (time_t)v;
        return TD_ERR_OK;
    }
    if (!digits(s, &i, 4, &y))
        return TD_ERR_BADVALUE;
    if (s[i] == '-') {
        i++;
        if (!digits(s, &i, 2, &mo) || s[i++] != '-' || !digits(s, &i, 2, &d))
            return TD_ERR_BADVALUE;
        if (s[i] == 'T' || s[i] == ' ') {
            i++;
            if (!digits(s, &i, 2, &h) || s[i++] != ':' || !digits(s, &i, 2, &mi))
                return TD_ERR_BADVALUE;
            if (s[i] == ':') {
                i++;
                if (!digits(s, &i, 2, &se))
                    return TD_ERR_BADVALUE;
            }
            if (s[i] == 'Z')
                i++;
        }
    } else {
        if (!digits(s, &i, 2, &mo) || !digits(s, &i, 2, &d) || !digits(s, &i, 2, &h) || !digits(s, &i, 2, &mi) ||
            !digits(s, &i, 2, &se) || s[i++] != 'Z')
            return TD_ERR_BADVALUE;
    }
    if (s[i] != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return TD_ERR_BADVALUE;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    t = timegm(&tm);
    if (t == (time_t)-1)
        return TD_ERR_BADVALUE;
    *out = t;
    return TD_ERR_OK;
}
