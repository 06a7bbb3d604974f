/* Look-ups over the const registry tables (registry.h). No allocation, no
 * globals that change: every function is a pure read of const data. */
#include "registry/registry.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "registry/suites_gen.h"
#include "registry/tables.h"

/* ---- versions -------------------------------------------------------------- */

bool td_reg_version_is_dtls(uint16_t v)
{
    return v == TD_VER_DTLS10 || v == TD_VER_DTLS12 || v == TD_VER_DTLS13;
}

uint16_t td_reg_version_tls_equiv(uint16_t v)
{
    switch (v) {
    case TD_VER_DTLS10:
        return TD_VER_TLS11; /* RFC 4347 §1: DTLS 1.0 is based on TLS 1.1 */
    case TD_VER_DTLS12:
        return TD_VER_TLS12; /* RFC 6347 §1 */
    case TD_VER_DTLS13:
        return TD_VER_TLS13; /* RFC 9147 §1 */
    case TD_VER_SSL2:
    case TD_VER_SSL3:
    case TD_VER_TLS10:
    case TD_VER_TLS11:
    case TD_VER_TLS12:
    case TD_VER_TLS13:
        return v;
    default:
        return 0;
    }
}

/* Rank by age; SSLv2's marker 0x0002 sorts below SSLv3 numerically anyway. */
static int version_rank(uint16_t v)
{
    uint16_t t = td_reg_version_tls_equiv(v);
    return t == 0 ? -1 : (int)t;
}

int td_reg_version_cmp(uint16_t a, uint16_t b)
{
    int ra = version_rank(a), rb = version_rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (a == b)
        return 0;
    /* Same rank: a TLS version and its DTLS twin (TLS first), or two
     * unknown values (by number), so the order is total and antisymmetric. */
    if (td_reg_version_is_dtls(a) != td_reg_version_is_dtls(b))
        return td_reg_version_is_dtls(a) ? 1 : -1;
    return a < b ? -1 : 1;
}

bool td_reg_is_grease(uint16_t v)
{
    /* RFC 8701 §2: 0x0A0A, 0x1A1A, ... 0xFAFA: both bytes equal, low nibble A. */
    return (v & 0x0F0Fu) == 0x0A0Au && (v >> 8) == (v & 0xFFu);
}

/* ---- enum names ------------------------------------------------------------ */

#define TD_NAME_STR(n, s) s,
static const char *const kx_names[] = {TD_KX_LIST(TD_NAME_STR)};
static const char *const auth_names[] = {TD_AUTH_LIST(TD_NAME_STR)};
static const char *const cipher_names[] = {TD_CIPHER_LIST(TD_NAME_STR)};
static const char *const mac_names[] = {TD_MAC_LIST(TD_NAME_STR)};
static const char *const prf_names[] = {TD_PRF_LIST(TD_NAME_STR)};
#undef TD_NAME_STR

const char *td_reg_kx_name(enum td_kx k)
{
    return (unsigned)k < TD_KX__COUNT ? kx_names[k] : "?";
}

const char *td_reg_auth_name(enum td_auth a)
{
    return (unsigned)a < TD_AUTH__COUNT ? auth_names[a] : "?";
}

const char *td_reg_cipher_name(enum td_cipher c)
{
    return (unsigned)c < TD_CIPHER__COUNT ? cipher_names[c] : "?";
}

const char *td_reg_mac_name(enum td_mac m)
{
    return (unsigned)m < TD_MAC__COUNT ? mac_names[m] : "?";
}

const char *td_reg_prf_name(enum td_prf p)
{
    return (unsigned)p < TD_PRF__COUNT ? prf_names[p] : "?";
}

/* ---- name matching --------------------------------------------------------- */

/* Separators that users type differently: "tls1_2", "TLS 1.2", "P-256". */
static bool is_sep(char c)
{
    return c == ' ' || c == '_' || c == '-' || c == '.';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive comparison ignoring separators: "tls12" == "TLS 1.2". */
static bool loose_eq(const char *a, const char *b)
{
    for (;;) {
        while (*a && is_sep(*a))
            a++;
        while (*b && is_sep(*b))
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        if (lower(*a) != lower(*b))
            return false;
        a++;
        b++;
    }
}

/* ---- cipher suites --------------------------------------------------------- */

size_t td_reg_suite_count(void)
{
    return td_reg_suites_len;
}

const struct td_suite *td_reg_suite_at(size_t i)
{
    return i < td_reg_suites_len ? &td_reg_suites[i] : NULL;
}

const struct td_suite *td_reg_suite_find(uint16_t code)
{
    size_t lo = 0, hi = td_reg_suites_len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint16_t c = td_reg_suites[mid].code;
        if (c == code)
            return &td_reg_suites[mid];
        if (c < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct td_suite *td_reg_suite_find_name(const char *name)
{
    if (name == NULL || *name == '\0')
        return NULL;
    /* "SSL_RSA_WITH_RC4_128_MD5" (SSLv3 and Java spelling) -> "TLS_..." */
    bool ssl_prefix = strncasecmp(name, "SSL_", 4) == 0;
    for (size_t i = 0; i < td_reg_suites_len; i++) {
        const char *n = td_reg_suites[i].name;
        if (strcasecmp(n, name) == 0)
            return &td_reg_suites[i];
        if (ssl_prefix && strcasecmp(n + 4, name + 4) == 0)
            return &td_reg_suites[i];
    }
    return NULL;
}

bool td_reg_suite_valid_in(const struct td_suite *s, uint16_t v)
{
    if (s == NULL)
        return false;
    uint16_t t = td_reg_version_tls_equiv(v);
    /* SSLv2 CLIENT-HELLO carries 3-byte cipher specs, not TLS suites. */
    if (t == 0 || t == TD_VER_SSL2)
        return false;
    /* Never-negotiable entries (TLS_NULL_WITH_NULL_NULL) have min 0. */
    if (s->min_version == 0 || t < s->min_version || t > s->max_version)
        return false;
    /* IANA DTLS-OK = N: RC4 and other stream ciphers cannot run over DTLS
     * (RFC 6347 §4.1.2.2). */
    if (td_reg_version_is_dtls(v) && !(s->flags & TD_SUITE_DTLS_OK))
        return false;
    return true;
}

bool td_reg_suite_code_valid_in(uint16_t code, uint16_t v)
{
    return td_reg_suite_valid_in(td_reg_suite_find(code), v);
}

enum td_strength td_reg_suite_strength(const struct td_suite *s, const char **why)
{
    const char *w = NULL;
    enum td_strength st = TD_STRENGTH_OK;

    if (s == NULL || (s->flags & TD_SUITE_SCSV)) {
        st = TD_STRENGTH_OK;
    } else if (s->cipher == TD_CIPHER_NULL) {
        st = TD_STRENGTH_INSECURE;
        w = "no encryption (NULL cipher)";
    } else if (s->auth == TD_AUTH_ANON || s->auth == TD_AUTH_NULL) {
        st = TD_STRENGTH_INSECURE;
        w = "no server authentication (anonymous)";
    } else if (s->flags & TD_SUITE_EXPORT) {
        st = TD_STRENGTH_INSECURE;
        w = "export grade";
    } else {
        switch (s->cipher) {
        case TD_CIPHER_RC4_40:
        case TD_CIPHER_RC4_128:
            st = TD_STRENGTH_INSECURE;
            w = "RC4 (prohibited by RFC 7465)";
            break;
        case TD_CIPHER_RC2_CBC_40:
        case TD_CIPHER_DES40_CBC:
        case TD_CIPHER_DES_CBC_40:
        case TD_CIPHER_DES_CBC:
            st = TD_STRENGTH_INSECURE;
            w = "DES or a 40-bit cipher";
            break;
        case TD_CIPHER_3DES_EDE_CBC:
        case TD_CIPHER_IDEA_CBC:
        case TD_CIPHER_GOST28147_CNT_IMIT:
        case TD_CIPHER_MAGMA_CTR_OMAC:
        case TD_CIPHER_MAGMA_MGM_L:
        case TD_CIPHER_MAGMA_MGM_S:
            st = TD_STRENGTH_WEAK;
            w = "64-bit block cipher (SWEET32)";
            break;
        default:
            if (s->mac == TD_MAC_MD5) {
                st = TD_STRENGTH_WEAK;
                w = "HMAC-MD5";
            }
            break;
        }
    }
    if (why != NULL)
        *why = w;
    return st;
}

const char *td_reg_strength_name(enum td_strength st)
{
    static const char *const n[] = {"ok", "weak", "insecure"};
    return (size_t)st < sizeof(n) / sizeof(n[0]) ? n[st] : "?";
}

const char *td_reg_suite_name(uint16_t code, char *buf)
{
    const struct td_suite *s = td_reg_suite_find(code);
    if (s != NULL)
        return s->name;
    if (td_reg_is_grease(code))
        snprintf(buf, TD_REG_NAMEBUF, "GREASE (0x%04X)", (unsigned)code);
    else
        snprintf(buf, TD_REG_NAMEBUF, "unknown (0x%04X)", (unsigned)code);
    return buf;
}

/* ---- the other tables ------------------------------------------------------ */

static const struct td_reg_table_desc *table(enum td_reg_table t)
{
    return (unsigned)t < TD_REG__COUNT ? &td_reg_tables[t] : NULL;
}

const char *td_reg_table_name(enum td_reg_table t)
{
    const struct td_reg_table_desc *d = table(t);
    return d ? d->name : "?";
}

size_t td_reg_count(enum td_reg_table t)
{
    const struct td_reg_table_desc *d = table(t);
    return d ? d->count : 0;
}

const struct td_reg_entry *td_reg_at(enum td_reg_table t, size_t i)
{
    const struct td_reg_table_desc *d = table(t);
    return (d && i < d->count) ? &d->entries[i] : NULL;
}

const struct td_reg_entry *td_reg_find(enum td_reg_table t, uint16_t code)
{
    const struct td_reg_table_desc *d = table(t);
    if (d == NULL)
        return NULL;
    size_t lo = 0, hi = d->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint16_t c = d->entries[mid].code;
        if (c == code)
            return &d->entries[mid];
        if (c < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct td_reg_entry *td_reg_find_name(enum td_reg_table t, const char *name)
{
    const struct td_reg_table_desc *d = table(t);
    if (d == NULL || name == NULL || *name == '\0')
        return NULL;
    /* Exact (case-insensitive) matches first, so that a loose match can
     * never shadow a real name. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < d->count; i++) {
            const struct td_reg_entry *e = &d->entries[i];
            const char *cands[] = {e->name, e->alias[0], e->alias[1], e->alias[2]};
            for (size_t k = 0; k < sizeof(cands) / sizeof(cands[0]); k++) {
                if (cands[k] == NULL)
                    continue;
                if (pass == 0 ? strcasecmp(cands[k], name) == 0 : loose_eq(cands[k], name))
                    return e;
            }
        }
    }
    return NULL;
}

const char *td_reg_name(enum td_reg_table t, uint16_t code, char *buf)
{
    const struct td_reg_entry *e = td_reg_find(t, code);
    if (e != NULL)
        return e->name;
    const struct td_reg_table_desc *d = table(t);
    unsigned width = d ? d->width : 2;
    /* RFC 8701 GREASE shows up in versions, extensions, groups and
     * signature schemes; label it rather than calling it unknown. */
    if (width == 2 && td_reg_is_grease(code))
        snprintf(buf, TD_REG_NAMEBUF, "GREASE (0x%04X)", (unsigned)code);
    else if (t == TD_REG_VERSION && (code >> 8) == 0x7F)
        /* TLS 1.3 drafts used 0x7F00 | draft number (RFC 8446 §4.2.1 note). */
        snprintf(buf, TD_REG_NAMEBUF, "TLS 1.3 draft %u", (unsigned)(code & 0xFFu));
    else if (width == 1 && code <= 0xFF)
        snprintf(buf, TD_REG_NAMEBUF, "unknown (0x%02X)", (unsigned)code);
    else
        snprintf(buf, TD_REG_NAMEBUF, "unknown (0x%04X)", (unsigned)code);
    return buf;
}
