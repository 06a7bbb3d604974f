/* OpenSSL suite names read from the linked libssl (ossl_names.h).
 *
 * The map is built once: an SSL_CTX whose cipher list is
 * "ALL:COMPLEMENTOFALL:@SECLEVEL=0" and whose TLS 1.3 list holds every TLS 1.3
 * suite of the IANA registry (libssl ignores the ones it lacks), first in the
 * default library context, then in a private one with the legacy provider
 * because libssl drops suites whose algorithms its library context cannot
 * fetch. Those suites are "usable". Then every IANA code is asked of
 * SSL_CIPHER_find(), which also names suites libssl has compiled in but
 * cannot run here (3DES, RC4 when no provider offers them). Names are copied
 * into a fixed table, so nothing depends on libssl's storage afterwards. */
#include "tlsio/ossl_names.h"

#include "core/hex.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>

#include "registry/registry.h"

/* Caps: libssl 3.0 knows ~170 suites; names are < 50 characters. */
#define MAP_CAP 512
#define NAME_CAP 64

struct ossl_entry {
    uint16_t code;
    bool usable; /* in the cipher list of an SSL_CTX: libssl can negotiate it */
    char name[NAME_CAP];
};

static struct ossl_entry map[MAP_CAP];
static size_t map_len;
static bool legacy_loaded;
static CRYPTO_ONCE map_once = CRYPTO_ONCE_STATIC_INIT;

static void map_add(uint16_t code, const char *name, bool usable)
{
    if (name == NULL || strlen(name) >= NAME_CAP)
        return;
    for (size_t i = 0; i < map_len; i++) {
        if (map[i].code == code) {
            map[i].usable = map[i].usable || usable;
            return;
        }
    }
    if (map_len >= MAP_CAP)
        return;
    map[map_len].code = code;
    map[map_len].usable = usable;
    memcpy(map[map_len].name, name, strlen(name) + 1);
    map_len++;
}

/* "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:..." from the registry:
 * OpenSSL names TLS 1.3 suites by their IANA names. */
static void tls13_list(char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < td_reg_suite_count(); i++) {
        const struct td_suite *s = td_reg_suite_at(i);
        if (s->kx != TD_KX_TLS13)
            continue;
        size_t n = strlen(s->name);
        if (used + n + 2 > cap)
            break;
        if (used > 0)
            buf[used++] = ':';
        memcpy(buf + used, s->name, n + 1);
        used += n;
    }
}

static void add_from_ctx(OSSL_LIB_CTX *libctx)
{
    char tls13[1024];
    SSL_CTX *ctx = SSL_CTX_new_ex(libctx, NULL, TLS_method());
    if (ctx == NULL)
        return;
    SSL_CTX_set_security_level(ctx, 0);
    /* Either call may fail if the context lacks every algorithm; what did
     * get set is still listed. */
    (void)SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
    tls13_list(tls13, sizeof(tls13));
    if (tls13[0] != '\0')
        (void)SSL_CTX_set_ciphersuites(ctx, tls13);
    STACK_OF(SSL_CIPHER) *sk = SSL_CTX_get_ciphers(ctx);
    for (int i = 0; sk != NULL && i < sk_SSL_CIPHER_num(sk); i++) {
        const SSL_CIPHER *c = sk_SSL_CIPHER_value(sk, i);
        map_add(SSL_CIPHER_get_protocol_id(c), SSL_CIPHER_get_name(c), true);
    }
    SSL_CTX_free(ctx);
}

/* Names libssl has compiled in but cannot use here (e.g. 3DES or RC4 when its
 * provider lacks them): SSL_CIPHER_find() searches libssl's static table by
 * code, independent of what is enabled. Asked for every IANA code. */
static void add_known_names(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    SSL *ssl = ctx ? SSL_new(ctx) : NULL;
    for (size_t i = 0; ssl != NULL && i < td_reg_suite_count(); i++) {
        uint16_t code = td_reg_suite_at(i)->code;
        const unsigned char id[2] = {(unsigned char)(code >> 8), (unsigned char)(code & 0xFF)};
        const SSL_CIPHER *c = SSL_CIPHER_find(ssl, id);
        if (c != NULL && SSL_CIPHER_get_protocol_id(c) == code)
            map_add(code, SSL_CIPHER_get_name(c), false);
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
}

static int cmp_code(const void *a, const void *b)
{
    const struct ossl_entry *x = a, *y = b;
    return (x->code > y->code) - (x->code < y->code);
}

static void map_build(void)
{
    /* Provider loading failures land on the error queue; do not leave them
     * for an unrelated caller to report. */
    ERR_set_mark();
    add_from_ctx(NULL);

    OSSL_LIB_CTX *libctx = OSSL_LIB_CTX_new();
    if (libctx != NULL) {
        OSSL_PROVIDER *def = OSSL_PROVIDER_load(libctx, "default");
        OSSL_PROVIDER *leg = OSSL_PROVIDER_load(libctx, "legacy");
        legacy_loaded = leg != NULL;
        if (def != NULL && leg != NULL)
            add_from_ctx(libctx);
        if (leg != NULL)
            OSSL_PROVIDER_unload(leg);
        if (def != NULL)
            OSSL_PROVIDER_unload(def);
        OSSL_LIB_CTX_free(libctx);
    }
    add_known_names();
    ERR_pop_to_mark();
    qsort(map, map_len, sizeof(map[0]), cmp_code);
}

static void map_ensure(void)
{
    if (!CRYPTO_THREAD_run_once(&map_once, map_build))
        map_len = 0; /* cannot happen with the static initialiser; fail closed */
}

const char *td_ossl_suite_name(uint16_t code)
{
    map_ensure();
    size_t lo = 0, hi = map_len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (map[mid].code == code)
            return map[mid].name;
        if (map[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool td_ossl_suite_code(const char *ossl_name, uint16_t *code)
{
    if (ossl_name == NULL || *ossl_name == '\0')
        return false;
    map_ensure();
    for (size_t i = 0; i < map_len; i++) {
        if (strcasecmp(map[i].name, ossl_name) == 0) {
            if (code != NULL)
                *code = map[i].code;
            return true;
        }
    }
    return false;
}

/* "0x" then 1..max hex digits; advances *p. */
static bool parse_0x(const char **p, unsigned max_digits, unsigned *out)
{
    const char *s = *p;
    unsigned v = 0, n = 0;
    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return false;
    s += 2;
    while (td_hex_digit((unsigned char)*s) >= 0) {
        if (++n > max_digits)
            return false;
        v = v * 16u + (unsigned)td_hex_digit((unsigned char)*s);
        s++;
    }
    if (n == 0)
        return false;
    *out = v;
    *p = s;
    return true;
}

/* "0xC02F" or "0xC0,0x2F" (the IANA CSV spelling, spaces allowed after ','). */
static bool parse_hex_code(const char *s, uint16_t *code)
{
    unsigned hi, lo;
    if (!parse_0x(&s, 4, &hi))
        return false;
    if (*s == '\0') {
        *code = (uint16_t)hi;
        return true;
    }
    if (*s != ',' || hi > 0xFF)
        return false;
    s++;
    while (*s == ' ')
        s++;
    if (!parse_0x(&s, 2, &lo) || *s != '\0')
        return false;
    *code = (uint16_t)((hi << 8) | lo);
    return true;
}

td_err td_ossl_suite_resolve(const char *name, uint16_t *code)
{
    uint16_t c = 0;
    if (name == NULL || *name == '\0' || code == NULL)
        return TD_ERR_INPUT;
    const struct td_suite *s = td_reg_suite_find_name(name);
    if (s != NULL) {
        *code = s->code;
        return TD_ERR_OK;
    }
    if (td_ossl_suite_code(name, &c) || parse_hex_code(name, &c)) {
        *code = c;
        return TD_ERR_OK;
    }
    return TD_ERR_NOTFOUND;
}

size_t td_ossl_suite_count(void)
{
    map_ensure();
    return map_len;
}

bool td_ossl_suite_at(size_t i, uint16_t *code, const char **ossl_name)
{
    map_ensure();
    if (i >= map_len)
        return false;
    if (code != NULL)
        *code = map[i].code;
    if (ossl_name != NULL)
        *ossl_name = map[i].name;
    return true;
}

bool td_ossl_suite_usable(uint16_t code)
{
    map_ensure();
    for (size_t i = 0; i < map_len; i++)
        if (map[i].code == code)
            return map[i].usable;
    return false;
}

bool td_ossl_legacy_loaded(void)
{
    map_ensure();
    return legacy_loaded;
}
