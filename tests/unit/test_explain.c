/* explain/: knowledge-base loading and validation, lookups per source,
 * ambiguity, pasted log lines, target extraction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/embed.h"
#include "explain/kb.h"
#include "explain/match.h"

static struct td_ex_kb kb;

static int setup(void **state)
{
    char err[512];
    (void)state;
    td_ex_kb_init(&kb);
    if (td_ex_kb_load_builtin(&kb, err, sizeof(err)) != TD_ERR_OK) {
        fprintf(stderr, "load: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    td_ex_kb_free(&kb);
    return 0;
}

static void lookup(const char *in, const char *from, struct td_ex_result *res)
{
    assert_int_equal(td_ex_lookup(&kb, in, strlen(in), from, res), TD_ERR_OK);
}

/* Index of (source, key) in the result, or -1. */
static int find(const struct td_ex_result *res, const char *src, const char *key)
{
    for (size_t i = 0; i < res->n; i++)
        if (strcmp(res->m[i].e->src->id, src) == 0 && strcmp(res->m[i].e->key, key) == 0)
            return (int)i;
    return -1;
}

/* --- the knowledge base ---------------------------------------------------- */

static void test_kb_loads_every_file(void **state)
{
    size_t txt = 0, total = 0;
    (void)state;
    for (size_t i = 0; i < td_embed_explain_count; i++) {
        size_t n = strlen(td_embed_explain[i].name);
        if (n > 4 && strcmp(td_embed_explain[i].name + n - 4, ".txt") == 0)
            txt++;
    }
    assert_int_equal(kb.nsrc, txt);
    assert_true(kb.nsrc >= 16);
    for (size_t i = 0; i < kb.nsrc; i++) {
        const struct td_ex_source *s = &kb.src[i];
        assert_non_null(s->title);
        assert_true(s->nentries > 0);
        total += s->nentries;
        for (size_t j = 0; j < s->nentries; j++) {
            const struct td_ex_entry *e = &s->entries[j];
            /* every entry states where its meaning comes from */
            assert_non_null(e->ref);
            assert_true(strlen(e->ref) > 10);
            assert_true(strlen(e->name) > 0 && strlen(e->meaning) > 0 && strlen(e->summary) > 0);
            assert_true(e->sides.n > 0);
            assert_true(e->commands.n > 0);
            for (size_t c = 0; c < e->commands.n; c++)
                assert_true(strncmp(e->commands.v[c], "tlsdiag ", 8) == 0);
            assert_ptr_equal(e->src, s);
        }
    }
    assert_true(total > 400);
}

static void test_kb_required_sources(void **state)
{
    static const char *const ids[] = {"xbee-tx-status",    "xbee-socket-status", "xbee-socket-state",
                                      "xbee-modem-status", "xbee-atci",          "ublox",
                                      "quectel",           "simcom-a76xx",       "esp-tls",
                                      "tls-alert",         "openssl-reason",     "x509-verify",
                                      "mbedtls",           "apache-mod-ssl",     "nginx"};
    (void)state;
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        assert_non_null(td_ex_kb_source(&kb, ids[i]));
    assert_null(td_ex_kb_source(&kb, "no-such-source"));
}

/* A source's default device names a built-in profile (profiles/NAME.json). */
static void test_kb_devices_are_profiles(void **state)
{
    (void)state;
    for (size_t i = 0; i < kb.nsrc; i++) {
        bool found = false;
        if (kb.src[i].device == NULL)
            continue;
        for (size_t p = 0; p < td_embed_profiles_count; p++) {
            const char *n = td_embed_profiles[p].name;
            size_t len = strlen(kb.src[i].device);
            if (n != NULL && strncmp(n, kb.src[i].device, len) == 0 && strcmp(n + len, ".json") == 0)
                found = true;
        }
        if (!found)
            fail_msg("source %s: device '%s' is not a built-in profile", kb.src[i].id, kb.src[i].device);
    }
}

/* Every alert of the IANA registry is there (RFC 8446, 5246, 6066, 7301, 7507, 4279). */
static void test_kb_all_alerts(void **state)
{
    static const int alerts[] = {0,  10, 20, 21, 22, 30, 40, 41,  42,  43,  44,  45,  46,  47,  48,  49,  50,
                                 51, 60, 70, 71, 80, 86, 90, 100, 109, 110, 111, 112, 113, 114, 115, 116, 120};
    const struct td_ex_source *s = td_ex_kb_source(&kb, "tls-alert");
    (void)state;
    assert_non_null(s);
    for (size_t i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++) {
        bool found = false;
        for (size_t j = 0; j < s->nentries; j++)
            if (s->entries[j].numeric && s->entries[j].value == alerts[i])
                found = true;
        assert_true(found);
    }
}

/* --- malformed knowledge-base text gives FILE:LINE ---------------------------- */

struct bad_kb {
    const char *text;
    const char *want; /* substring of the error */
};

#define HDR "source: t\ntitle: T\nref: R\nradix: hex\n"

static const struct bad_kb bad_kbs[] = {
    {"title: T\nradix: hex\n[1]\nname: n\n", "bad.txt:3: missing 'source:'"},
    {"source: t\nradix: hex\n[1]\n", "bad.txt:3: missing 'title:'"},
    {"source: t\ntitle: T\n[1]\n", "bad.txt:3: missing 'radix:'"},
    {"source: T!\n", "bad.txt:1: source id 'T!'"},
    {HDR "color: red\n", "bad.txt:5: unknown header key 'color'"},
    {HDR "radix: oct\n", "bad.txt:5: radix must be"},
    {HDR "[0x01]\nmeaning: m\nside: device\ncommand: tlsdiag scan {target}\n", "bad.txt:5: entry [0x01] has no 'name'"},
    {HDR "[0x01]\nname: n\nside: device\ncommand: tlsdiag scan {target}\n", "bad.txt:5: entry [0x01] has no 'meaning'"},
    {HDR "[0x01]\nname: n\nmeaning: m\ncommand: tlsdiag scan {target}\n", "bad.txt:5: entry [0x01] has no 'side'"},
    {HDR "[0x01]\nname: n\nmeaning: m\nside: device\n", "bad.txt:5: entry [0x01] has no 'command'"},
    {"source: t\ntitle: T\nradix: dec\n[1]\nname: n\nmeaning: m\nside: device\ncommand: tlsdiag scan {target}\n",
     "bad.txt:4: entry [1] has no 'ref'"},
    {HDR "[1]\nname: n\nside: moon\n", "bad.txt:7: unknown side 'moon'"},
    {HDR "[1]\nname: n\ncommand: openssl s_client\n", "bad.txt:7: command must start with 'tlsdiag '"},
    {HDR "[1]\nname: n\ncommand: tlsdiag check {hostport}\n", "bad.txt:7: unknown placeholder"},
    {HDR "[1]\nname: a\nname: b\n", "bad.txt:7: duplicate key 'name'"},
    {HDR "[1]\nname: n\nmeaning: m\nside: device\ncommand: tlsdiag scan {target}\n[1]\n", "duplicate entry [1]"},
    {HDR " continued\n", "bad.txt:5: continuation line without a value"},
    {HDR "[1]\npattern: ab\n", "bad.txt:6: pattern 'ab' is too short"},
    {HDR "[1]\nname: a\x01\n", "bad.txt:6: control byte 0x01"},
    {HDR "[1]\nname: caf\xc3\xa9\n", "bad.txt:6: non-ASCII byte 0xC3"},
    {HDR "[1]\nname n\n", "bad.txt:6: expected 'key: value'"},
    {HDR "[1]\nname:   \n", "bad.txt:6: empty value for 'name'"},
    {HDR "[a b]\n", "bad.txt:5: entry code 'a b' must not contain spaces"},
    {HDR "[1\n", "bad.txt:5: entry header must be [CODE]"},
    {HDR, "bad.txt:5: no entries"},
    {HDR "[1]\nwhat: x\n", "bad.txt:6: unknown entry key 'what'"},
};

static void test_kb_malformed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_kbs) / sizeof(bad_kbs[0]); i++) {
        struct td_ex_kb k;
        char err[512];
        td_ex_kb_init(&k);
        td_err ret =
            td_ex_kb_add(&k, "bad.txt", (const uint8_t *)bad_kbs[i].text, strlen(bad_kbs[i].text), err, sizeof(err));
        if (ret == TD_ERR_OK || strstr(err, bad_kbs[i].want) == NULL)
            fail_msg("case %zu: got ret %d '%s', want '%s'", i, (int)ret, err, bad_kbs[i].want);
        assert_true(strncmp(err, "data/explain/bad.txt:", 21) == 0);
        assert_int_equal(k.nsrc, 0);
        td_ex_kb_free(&k);
    }
}

static void test_kb_valid_minimal_and_defaults(void **state)
{
    static const char text[] = HDR "context: hex status\n\n# comment\n[0x2A]\nname: Answer\nmeaning: first\n"
                                   "  and continued\nside: device, server\ncommand: tlsdiag check {target}\n";
    struct td_ex_kb k;
    char err[256];
    (void)state;
    td_ex_kb_init(&k);
    assert_int_equal(td_ex_kb_add(&k, "ok.txt", (const uint8_t *)text, strlen(text), err, sizeof(err)), TD_ERR_OK);
    assert_int_equal(k.nsrc, 1);
    assert_int_equal(k.src[0].nentries, 1);
    assert_true(k.src[0].entries[0].numeric);
    assert_int_equal(k.src[0].entries[0].value, 0x2A);
    assert_string_equal(k.src[0].entries[0].meaning, "first and continued");
    assert_string_equal(k.src[0].entries[0].summary, "Answer"); /* defaults to name */
    assert_string_equal(k.src[0].entries[0].ref, "R");          /* defaults to the file's ref */
    assert_int_equal(k.src[0].entries[0].sides.n, 2);
    assert_int_equal(k.src[0].ctx[0].radix, TD_EX_RADIX_HEX);
    /* a second file with the same source id is refused */
    assert_int_equal(td_ex_kb_add(&k, "ok2.txt", (const uint8_t *)text, strlen(text), err, sizeof(err)), TD_ERR_INPUT);
    assert_non_null(strstr(err, "ok2.txt"));
    assert_non_null(strstr(err, "defined twice"));
    td_ex_kb_free(&k);
}

/* Every prefix of a real KB file loads or fails cleanly (ASan sees over-reads
 * because each prefix is an exact-size heap copy). */
static void test_kb_truncation_sweep(void **state)
{
    (void)state;
    for (size_t f = 0; f < td_embed_explain_count; f++) {
        const struct td_embed_file *file = &td_embed_explain[f];
        size_t step = file->len > 4000 ? 97 : 1;
        if (strcmp(file->name, "tls-alert.txt") != 0 && strcmp(file->name, "apache-mod-ssl.txt") != 0)
            continue;
        for (size_t n = 0; n <= file->len; n += step) {
            struct td_ex_kb k;
            char err[256];
            uint8_t *copy = malloc(n ? n : 1);
            assert_non_null(copy);
            memcpy(copy, file->data, n);
            td_ex_kb_init(&k);
            td_err ret = td_ex_kb_add(&k, file->name, copy, n, err, sizeof(err));
            if (ret != TD_ERR_OK)
                assert_non_null(strstr(err, file->name));
            td_ex_kb_free(&k);
            free(copy);
        }
    }
}

/* --- lookups per source ------------------------------------------------------------ */

struct hit {
    const char *input;
    const char *from;
    const char *src; /* expected source of the best match */
    const char *key; /* expected key of the best match */
};

static const struct hit hits[] = {
    /* XBee statuses: Digi writes them in hex, so bare digits are hex */
    {"0x85", "xbee-tx-status", "xbee-tx-status", "0x85"},
    {"85", NULL, "xbee-tx-status", "0x85"},
    {"0x86", NULL, "xbee-tx-status", "0x86"},
    {"8B", "xbee-tx-status", "xbee-tx-status", "0x8B"},
    {"0x7B", "xbee-socket-status", "xbee-socket-status", "0x7B"},
    {"0x0C", "xbee-socket-state", "xbee-socket-state", "0x0C"},
    {"0x02", "xbee-modem-status", "xbee-modem-status", "0x02"},
    {"0x2F", "xbee-atci", "xbee-atci", "0x2F"},
    {"always get a transmit status frame with delivery status 85 (Unknown error)", NULL, "xbee-tx-status", "0x85"},
    {"Socket Status 0x02", NULL, "xbee-socket-state", "0x02"},
    {"my XBee answered 0x86 again", NULL, "xbee-tx-status", "0x86"},
    {"ATCI = 0x2F", NULL, "xbee-atci", "0x2F"},
    /* modems */
    {"+QSSLOPEN: 0,566", NULL, "quectel", "566"},
    {"566", "quectel", "quectel", "566"},
    {"+HTTPACTION: 0,715,0", NULL, "simcom-a76xx", "715"},
    {"0x801A", NULL, "esp-tls", "0x801A"},
    {"ESP_ERR_ESP_TLS_SSL_HANDSHAKE_FAILED", NULL, "esp-tls", "0x801A"},
    {"Generic SSL/TLS handshake alert", NULL, "ublox", "ublox-generic-handshake-alert"},
    {"2", "ublox-validation-level", "ublox-validation-level", "2"},
    /* TLS alerts, by number and by name */
    {"40", NULL, "tls-alert", "40"},
    {"handshake_failure", NULL, "tls-alert", "40"},
    {"unrecognized name", NULL, "tls-alert", "112"},
    {"0x70", "tls-alert", "tls-alert", "112"},
    /* OpenSSL reasons and X509 verify codes */
    {"no shared cipher", NULL, "openssl-reason", "0A0000C1"},
    {"wrong version number", NULL, "openssl-reason", "0A00010B"},
    {"unsupported protocol", NULL, "openssl-reason", "0A000102"},
    {"tlsv1 unrecognized name", NULL, "openssl-reason", "0A000458"},
    {"sslv3 alert handshake failure", NULL, "openssl-reason", "0A000410"},
    {"certificate verify failed", NULL, "openssl-reason", "0A000086"},
    {"SSL_R_NO_SHARED_CIPHER", NULL, "openssl-reason", "0A0000C1"},
    {"X509_V_ERR_CERT_HAS_EXPIRED", NULL, "x509-verify", "10"},
    {"verify error:num=20:unable to get local issuer certificate", NULL, "x509-verify", "20"},
    {"Verify return code: 18 (self-signed certificate)", NULL, "x509-verify", "18"},
    {"62", "x509-verify", "x509-verify", "62"},
    /* mbedTLS: every spelling of one code */
    {"-0x7780", NULL, "mbedtls", "-0x7780"},
    {"-30592", NULL, "mbedtls", "-0x7780"},
    {"0x7780", "mbedtls", "mbedtls", "-0x7780"},
    {"MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE", NULL, "mbedtls", "-0x7780"},
    {"-0x2700", NULL, "mbedtls", "-0x2700"},
    {"MBEDTLS_ERR_X509_CERT_VERIFY_FAILED", NULL, "mbedtls", "-0x2700"},
    {"mbedtls_ssl_handshake returned -0x7280", NULL, "mbedtls", "-0x7280"},
    {"MBEDTLS_ERR_NET_CONN_RESET", NULL, "mbedtls", "-0x0050"},
    {"MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE", NULL, "mbedtls", "-0x6E00"},
    /* Apache and nginx */
    {"AH02645", NULL, "apache-mod-ssl", "AH02645"},
    {"ah02007", NULL, "apache-mod-ssl", "AH02007"},
    {"AH02008:", NULL, "apache-mod-ssl", "AH02008"},
    {"AH01998", NULL, "apache-mod-ssl", "AH01998"},
    {"AH02039", NULL, "apache-mod-ssl", "AH02039"},
    {"AH02261", NULL, "apache-mod-ssl", "AH02261"},
    {"AH01964", NULL, "apache-mod-ssl", "AH01964"},
    {"AH02043", NULL, "apache-mod-ssl", "AH02043"},
    {"AH01961", NULL, "apache-mod-ssl", "AH01961"},
    {"AH02032", NULL, "apache-mod-ssl", "AH02032"},
    {"peer closed connection in SSL handshake", NULL, "nginx", "nginx-peer-closed-in-handshake"},
    {"client sent no required SSL certificate while reading client request headers", NULL, "nginx",
     "nginx-no-required-cert"},
    {"2024/01/01 [info] 5#5: *1 handshake rejected while SSL handshaking, client: 127.0.0.1", NULL, "nginx",
     "nginx-handshake-rejected"},
};

static void test_lookup_per_source(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(hits) / sizeof(hits[0]); i++) {
        struct td_ex_result res;
        lookup(hits[i].input, hits[i].from, &res);
        if (res.n == 0)
            fail_msg("'%s': no match", hits[i].input);
        if (strcmp(res.m[0].e->src->id, hits[i].src) != 0 || strcmp(res.m[0].e->key, hits[i].key) != 0)
            fail_msg("'%s': best is %s %s, want %s %s", hits[i].input, res.m[0].e->src->id, res.m[0].e->key,
                     hits[i].src, hits[i].key);
        if (hits[i].from != NULL)
            for (size_t j = 0; j < res.n; j++)
                assert_string_equal(res.m[j].e->src->id, hits[i].from);
    }
}

static void test_every_source_answers(void **state)
{
    /* each source's first entry is found by its own key with --from */
    (void)state;
    for (size_t i = 0; i < kb.nsrc; i++) {
        const struct td_ex_entry *e = &kb.src[i].entries[0];
        struct td_ex_result res;
        lookup(e->key, kb.src[i].id, &res);
        assert_true(res.n >= 1);
        assert_true(find(&res, kb.src[i].id, e->key) >= 0);
    }
}

static void test_ambiguous_lists_all(void **state)
{
    struct td_ex_result res;
    (void)state;
    /* 85: XBee TX status 0x85 first, the socket status 0x85 as well */
    lookup("85", NULL, &res);
    assert_true(res.n >= 2);
    assert_int_equal(find(&res, "xbee-tx-status", "0x85"), 0);
    assert_true(find(&res, "xbee-socket-status", "0x85") > 0);
    /* 40: the alert first, other readings after it */
    lookup("40", NULL, &res);
    assert_true(res.n >= 2);
    assert_int_equal(find(&res, "tls-alert", "40"), 0);
    /* scores never increase down the list */
    for (size_t i = 1; i < res.n; i++)
        assert_true(res.m[i - 1].score >= res.m[i].score);
    /* 0x86 is both an XBee TX status and a socket status */
    lookup("0x86", NULL, &res);
    assert_true(find(&res, "xbee-tx-status", "0x86") >= 0);
    assert_true(find(&res, "xbee-socket-status", "0x86") >= 0);
}

static void test_no_match(void **state)
{
    struct td_ex_result res;
    (void)state;
    lookup("completely unrelated words", NULL, &res);
    assert_int_equal(res.n, 0);
    lookup("0x85", "tls-alert", &res);
    assert_int_equal(res.n, 0);
    lookup("", NULL, &res);
    assert_int_equal(res.n, 0);
    /* dates and pids are not negative codes */
    lookup("2019-05-22 pid 20187 tid 2965328944", NULL, &res);
    assert_int_equal(res.n, 0);
    assert_int_equal(td_ex_lookup(&kb, "1", 1, "nope", &res), TD_ERR_NOTFOUND);
}

static void test_input_cap(void **state)
{
    struct td_ex_result res;
    char *big = malloc(TD_EX_MAX_INPUT + 2);
    (void)state;
    assert_non_null(big);
    memset(big, 'a', TD_EX_MAX_INPUT + 1);
    big[TD_EX_MAX_INPUT + 1] = '\0';
    assert_int_equal(td_ex_lookup(&kb, big, TD_EX_MAX_INPUT + 1, NULL, &res), TD_ERR_TOOBIG);
    /* the positive beside it: exactly the cap is accepted */
    assert_int_equal(td_ex_lookup(&kb, big, TD_EX_MAX_INPUT, NULL, &res), TD_ERR_OK);
    assert_int_equal(res.n, 0);
    free(big);
}

/* Every prefix of real pasted lines, each an exact-size heap copy with no
 * NUL after it: the matcher and the target finder must stay inside len (ASan
 * sees a one-byte over-read), and the full line still finds its code. */
static void test_lookup_truncation_sweep(void **state)
{
    static const struct {
        const char *line;
        const char *src, *key;
    } lines[] = {
        {"[Wed May 22 01:59:17.610306 2019] [ssl:debug] [pid 20187:tid 2965328944] ssl_engine_kernel.c(2143): "
         "[client] AH02645: Server name not provided via TLS extension",
         "apache-mod-ssl", "AH02645"},
        {"mbedtls_ssl_handshake returned -0x7280", "mbedtls", "-0x7280"},
        {"verify error:num=20:unable to get local issuer certificate", "x509-verify", "20"},
        {"TX Status 0x85 connect to 66.230.114.174:443", "xbee-tx-status", "0x85"},
        {"+QSSLOPEN: 0,566", "quectel", "566"},
    };
    (void)state;

    for (size_t i = 0; i < TD_ARRAY_LEN(lines); i++) {
        size_t len = strlen(lines[i].line);
        for (size_t cut = 0; cut <= len; cut++) {
            struct td_ex_result res;
            char host[64], port[8];
            char *copy = malloc(cut > 0 ? cut : 1);
            assert_non_null(copy);
            memcpy(copy, lines[i].line, cut);
            assert_int_equal(td_ex_lookup(&kb, copy, cut, NULL, &res), TD_ERR_OK);
            assert_true(res.n <= TD_EX_MAX_MATCHES);
            for (size_t k = 0; k < res.n; k++)
                assert_true(res.m[k].at <= cut);
            if (cut == len)
                assert_true(find(&res, lines[i].src, lines[i].key) >= 0);
            td_ex_find_target(copy, cut, host, sizeof(host), port, sizeof(port));
            assert_true(strlen(host) < sizeof(host) && strlen(port) < sizeof(port));
            free(copy);
        }
    }
}

/* --- pasted log lines ------------------------------------------------------------------ */

static void test_seed_apache_lines(void **state)
{
    static const char l1[] = "[Wed May 22 01:59:17.610306 2019] [ssl:debug] [pid 20187:tid 2965328944] "
                             "ssl_engine_kernel.c(2143): [client] AH02645: Server name not provided via TLS "
                             "extension (using default/first virtual host)";
    static const char l2[] = "[Wed May 22 01:59:18.180208 2019] [ssl:debug] [pid 20187:tid 2965328944] "
                             "ssl_engine_io.c(1308): (70014)End of file found: [client] AH02007: SSL handshake "
                             "interrupted by system [Hint: Stop button pressed in browser?!]";
    struct td_ex_result res;
    (void)state;
    lookup(l1, NULL, &res);
    assert_int_equal(res.n, 1);
    assert_string_equal(res.m[0].e->key, "AH02645");
    assert_string_equal(res.m[0].e->summary, "client sent no SNI");
    assert_string_equal(res.host, "");
    lookup(l2, NULL, &res);
    assert_int_equal(res.n, 1);
    assert_string_equal(res.m[0].e->key, "AH02007");
    assert_string_equal(res.m[0].e->summary, "client closed during the handshake");
    assert_non_null(strstr(res.m[0].e->meaning, "rejects the server certificate or the negotiated parameters"));
    /* both lines pasted together: both explained */
    {
        char both[sizeof(l1) + sizeof(l2) + 1];
        snprintf(both, sizeof(both), "%s\n%s", l1, l2);
        lookup(both, NULL, &res);
        assert_int_equal(res.n, 2);
        assert_true(find(&res, "apache-mod-ssl", "AH02645") >= 0);
        assert_true(find(&res, "apache-mod-ssl", "AH02007") >= 0);
    }
}

static void test_log_lines_many_codes(void **state)
{
    struct td_ex_result res;
    (void)state;
    /* an OpenSSL client error line: the reason, its packed code and the alert number */
    lookup("40C7B2F7FF7F0000:error:0A000410:SSL routines::sslv3 alert handshake failure:"
           "../ssl/record/rec_layer_s3.c:1584:SSL alert number 40",
           NULL, &res);
    assert_int_equal(find(&res, "openssl-reason", "0A000410"), 0);
    assert_true(find(&res, "tls-alert", "40") > 0);
    /* an nginx line: nginx message and OpenSSL reason */
    lookup("2024/05/01 10:00:00 [info] 123#123: *5 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL "
           "routines::no shared cipher) while SSL handshaking, client: 127.0.0.1, server: 0.0.0.0:443",
           NULL, &res);
    assert_true(find(&res, "openssl-reason", "0A0000C1") >= 0);
    assert_true(find(&res, "nginx", "nginx-ssl-do-handshake-failed") >= 0);
    /* Apache's verify error carries an X509 code */
    lookup("AH02039: Certificate Verification: Error (10): certificate has expired", NULL, &res);
    assert_true(find(&res, "apache-mod-ssl", "AH02039") >= 0);
    assert_true(find(&res, "x509-verify", "10") >= 0);
}

static void test_target_extraction(void **state)
{
    struct td_ex_result res;
    char cmd[256];
    (void)state;
    lookup("[ssl:info] [client 203.0.113.9:51234] AH01964: Connection to child 74 established (server "
           "www.example.com:443)",
           NULL, &res);
    assert_string_equal(res.host, "www.example.com");
    assert_string_equal(res.port, "443");
    td_ex_fill_command("tlsdiag check {target} --device {device}", &res, "xbee3-cellular-ltem", cmd, sizeof(cmd));
    assert_string_equal(cmd, "tlsdiag check www.example.com:443 --device xbee3-cellular-ltem");
    /* the client's address is never taken for the server */
    lookup("AH02007 [client 203.0.113.9:51234]", NULL, &res);
    assert_string_equal(res.host, "");
    td_ex_fill_command("tlsdiag scan {target} {host}", &res, NULL, cmd, sizeof(cmd));
    assert_string_equal(cmd, "tlsdiag scan HOST:443 HOST");
    /* a bare address with port, and a host without port */
    lookup("connect to 66.230.114.174:443 gave status 0x85", NULL, &res);
    assert_string_equal(res.host, "66.230.114.174");
    assert_string_equal(res.port, "443");
    lookup("AH02008: SSL library error 1 in handshake (server localhost:4433)", NULL, &res);
    assert_string_equal(res.host, "localhost");
    assert_string_equal(res.port, "4433");
    lookup("AH02645 server example.org", NULL, &res);
    assert_string_equal(res.host, "example.org");
    assert_string_equal(res.port, "");
    td_ex_fill_command("tlsdiag check {target}", &res, NULL, cmd, sizeof(cmd));
    assert_string_equal(cmd, "tlsdiag check example.org:443");
    /* listen addresses and version numbers are not servers */
    lookup("server: 0.0.0.0:443 openssl 3.0.11", NULL, &res);
    assert_string_equal(res.host, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kb_loads_every_file),
        cmocka_unit_test(test_kb_required_sources),
        cmocka_unit_test(test_kb_all_alerts),
        cmocka_unit_test(test_kb_devices_are_profiles),
        cmocka_unit_test(test_kb_malformed),
        cmocka_unit_test(test_kb_valid_minimal_and_defaults),
        cmocka_unit_test(test_kb_truncation_sweep),
        cmocka_unit_test(test_lookup_per_source),
        cmocka_unit_test(test_every_source_answers),
        cmocka_unit_test(test_ambiguous_lists_all),
        cmocka_unit_test(test_no_match),
        cmocka_unit_test(test_input_cap),
        cmocka_unit_test(test_lookup_truncation_sweep),
        cmocka_unit_test(test_seed_apache_lines),
        cmocka_unit_test(test_log_lines_many_codes),
        cmocka_unit_test(test_target_extraction),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
