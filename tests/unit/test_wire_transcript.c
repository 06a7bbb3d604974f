/* wire/transcript: events, the flight reader on odd peers, and the JSON /
 * ladder renderings of report/transcript. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/transcript.h"
#include "wire/transcript.h"
#include "wire_testutil.h"

/* Feeds hex as the server's bytes, finishes, returns the transcript. */
static void server_says(const char *h, struct td_transcript *t, struct td_flight *fl)
{
    size_t n = 0;
    uint8_t *p = tu_hex(h, &n);
    td_transcript_init(t);
    td_flight_init(fl, t, TD_DIR_S2C);
    assert_int_equal(td_flight_feed(fl, p, n, 10), TD_ERR_OK);
    assert_int_equal(td_flight_finish(fl, 20), TD_ERR_OK);
    free(p);
}

static size_t count(const struct td_transcript *t, enum td_ev_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < t->count; i++)
        n += t->ev[i].kind == k;
    return n;
}

static const struct td_event *first(const struct td_transcript *t, enum td_ev_kind k)
{
    size_t i = td_transcript_find(t, TD_DIR_S2C, k, -1);
    assert_true(i != SIZE_MAX);
    return &t->ev[i];
}

/* Odd servers: each is an observation, never a failure of the reader. */
static void test_odd_servers(void **state)
{
    static const struct {
        const char *what;
        const char *hex;
        unsigned seen;
        size_t malformed;
        td_err err; /* of the first malformed event */
    } cases[] = {
        {"plaintext HTTP", "485454502f312e3120343030", TD_SEEN_MALFORMED, 1, TD_ERR_BADVALUE},
        {"fatal alert", "15 0303 0002 0228", TD_SEEN_ALERT | TD_SEEN_FATAL_ALERT, 0, TD_ERR_OK},
        {"warning alert", "15 0303 0002 0170", TD_SEEN_ALERT, 0, TD_ERR_OK},
        {"alert cut short by FIN", "15 0303 0002 02", TD_SEEN_MALFORMED, 1, TD_ERR_TRUNCATED},
        {"odd-length alert record", "15 0303 0003 022800", TD_SEEN_ALERT | TD_SEEN_FATAL_ALERT | TD_SEEN_MALFORMED, 1,
         TD_ERR_TRUNCATED},
        {"bad CCS", "14 0303 0001 02", TD_SEEN_MALFORMED, 1, TD_ERR_BADVALUE},
        {"handshake message cut by FIN", "16 0303 0004 0b000010", TD_SEEN_MALFORMED, 1, TD_ERR_TRUNCATED},
        {"ServerHelloDone with a body", "16 0303 0005 0e00000100", TD_SEEN_SHD | TD_SEEN_MALFORMED, 1, TD_ERR_TRAILING},
        {"alert inside a fragmented message", "16 0303 0002 0b00 15 0303 0002 0228",
         TD_SEEN_ALERT | TD_SEEN_FATAL_ALERT | TD_SEEN_MALFORMED, 2, TD_ERR_UNEXPECTED},
        {"oversized record", "16 0303 ffff", TD_SEEN_MALFORMED, 1, TD_ERR_LENGTH},
        {"application data before handshake", "17 0303 0003 010203", TD_SEEN_ENCRYPTED, 0, TD_ERR_OK},
        {"unknown handshake type", "16 0303 0004 63000000", TD_SEEN_OTHER_HS, 0, TD_ERR_OK},
        {"plaintext alert after CCS", "14 0303 0001 01 15 0303 0002 0214",
         TD_SEEN_CCS | TD_SEEN_ALERT | TD_SEEN_FATAL_ALERT, 0, TD_ERR_OK},
        {"encrypted alert after CCS", "14 0303 0001 01 15 0303 0012 000102030405060708090a0b0c0d0e0f1011",
         TD_SEEN_CCS | TD_SEEN_ENCRYPTED, 0, TD_ERR_OK},
        {"top-bit garbage, not an SSLv2 hello", "8003 070000 414243", TD_SEEN_MALFORMED, 1, TD_ERR_BADVALUE},
        {"SSLv2 ERROR", "8003 000001", TD_SEEN_SSLV2, 0, TD_ERR_OK},
        {"top-bit garbage claiming 32767 bytes", "ffff", TD_SEEN_MALFORMED, 1, TD_ERR_LENGTH},
        {"short top-bit garbage", "8fff", TD_SEEN_MALFORMED, 1, TD_ERR_TRUNCATED},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        struct td_transcript t;
        struct td_flight fl;
        server_says(cases[i].hex, &t, &fl);
        if (fl.seen != cases[i].seen)
            fail_msg("%s: seen 0x%x, want 0x%x", cases[i].what, fl.seen, cases[i].seen);
        if (count(&t, TD_EV_MALFORMED) != cases[i].malformed)
            fail_msg("%s: %zu malformed events", cases[i].what, count(&t, TD_EV_MALFORMED));
        if (cases[i].malformed > 0)
            assert_int_equal(first(&t, TD_EV_MALFORMED)->diag.code, cases[i].err);
        td_flight_free(&fl);
        td_transcript_free(&t);
    }
}

/* After a fatal framing error, later bytes are not parsed (and not lost:
 * the malformed event holds what was buffered). */
static void test_garbage_stops_parsing(void **state)
{
    struct td_transcript t;
    struct td_flight fl;
    char desc[256];
    (void)state;
    server_says("474554202f 15 0303 0002 0228", &t, &fl);
    assert_int_equal(count(&t, TD_EV_ALERT), 0);
    assert_int_equal(first(&t, TD_EV_MALFORMED)->data_len, 12);
    td_event_describe(first(&t, TD_EV_MALFORMED), desc, sizeof(desc));
    assert_string_equal(desc, "malformed: record invalid value at byte 0 (record type): 0x47 is not a TLS content "
                              "type; the peer sent \"GET /......(\"");
    td_flight_free(&fl);
    td_transcript_free(&t);
}

/* An input longer than the record buffer whose header claims more than
 * fits: an error, never a spin (a 15-bit SSLv2 length could claim 32767). */
static void test_big_sslv2_claim(void **state)
{
    size_t n = 40000;
    uint8_t *p = calloc(1, n);
    struct td_transcript t;
    struct td_flight *fl = malloc(sizeof(*fl));
    (void)state;
    assert_non_null(p);
    assert_non_null(fl);
    p[0] = 0xff; /* SSLv2 header, length 0x7fff */
    p[1] = 0xff;
    td_transcript_init(&t);
    td_flight_init(fl, &t, TD_DIR_S2C);
    assert_int_equal(td_flight_feed(fl, p, n, 0), TD_ERR_OK);
    assert_true(fl->seen & TD_SEEN_MALFORMED);
    assert_int_equal(first(&t, TD_EV_MALFORMED)->diag.code, TD_ERR_LENGTH);
    td_flight_free(fl);
    td_transcript_free(&t);
    free(fl);
    free(p);
}

/* Bytes after a non-TLS record are kept with the malformed event. */
static void test_garbage_kept(void **state)
{
    struct td_transcript t;
    struct td_flight fl;
    const struct td_event *e;
    (void)state;
    server_says("8003 070000 414243", &t, &fl);
    e = first(&t, TD_EV_MALFORMED);
    assert_int_equal(e->data_len, 6);
    assert_int_equal(e->wire_len, 6);
    assert_memory_equal(e->data + 3, "ABC", 3);
    td_flight_free(&fl);
    td_transcript_free(&t);
}

static void test_alert_event_fields(void **state)
{
    struct td_transcript t;
    struct td_flight fl;
    struct td_alert a;
    const struct td_event *e;
    (void)state;
    server_says("15 0303 0002 0270", &t, &fl);
    e = first(&t, TD_EV_ALERT);
    assert_int_equal(e->alert_level, 2);
    assert_int_equal(e->alert_desc, 112);
    assert_int_equal(e->stream_off, 0);
    assert_int_equal(e->t_us, 10);
    assert_true(td_flight_alert(&fl, &a));
    assert_int_equal(a.description, 112);
    {
        char desc[128];
        json_t *j = td_transcript_json(&t, 0);
        td_event_describe(e, desc, sizeof(desc));
        assert_string_equal(desc, "Alert (fatal): unrecognized_name");
        assert_string_equal(json_string_value(json_object_get(json_array_get(j, 1), "description_name")),
                            "unrecognized_name");
        json_decref(j);
    }
    /* the record event came first, with the header bytes */
    assert_int_equal(t.ev[0].kind, TD_EV_RECORD);
    assert_int_equal(t.ev[0].data_len, 5);
    assert_int_equal(t.ev[0].wire_len, 7);
    td_flight_free(&fl);
    td_transcript_free(&t);
}

/* The last occurrence of needle in hay, or NULL. */
static const char *strrstr_(const char *hay, const char *needle)
{
    const char *last = NULL;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
        last = p;
    return last;
}

/* td_transcript_ladder's output as a heap string (free it). */
static char *ladder_text(const struct td_transcript *t, const struct td_ladder_opts *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    td_transcript_ladder(f, t, o);
    fclose(f);
    assert_non_null(buf);
    return buf;
}

/* Re-parsing the stored bytes of a real flight. */
static void test_reparse_real_flight(void **state)
{
    size_t n = 0;
    uint8_t *p = tu_read_vector("ossl_tls12_ecdhe.s2c", &n);
    struct td_transcript t;
    struct td_flight fl;
    struct td_server_hello sh;
    struct td_certificate c;
    struct td_ske ske;
    struct td_client_hello ch;
    (void)state;
    assert_non_null(p);
    td_transcript_init(&t);
    td_flight_init(&fl, &t, TD_DIR_S2C);
    assert_int_equal(td_transcript_add(&t, TD_EV_TCP_CONNECT, TD_DIR_C2S, 0, NULL, 0, NULL), TD_ERR_OK);
    assert_int_equal(td_flight_feed(&fl, p, n, 1500), TD_ERR_OK);
    assert_int_equal(td_transcript_add(&t, TD_EV_TCP_FIN, TD_DIR_S2C, 2500, NULL, 0, NULL), TD_ERR_OK);
    assert_int_equal(td_flight_server_hello(&fl, &sh, NULL), TD_ERR_OK);
    assert_int_equal(sh.cipher_suite, 0xc02f);
    assert_int_equal(td_flight_certificate(&fl, &c, NULL), TD_ERR_OK);
    assert_int_equal(c.count, 1);
    assert_int_equal(td_flight_ske(&fl, TD_KEX_ECDHE, &ske, NULL), TD_ERR_OK);
    assert_int_equal(ske.named_curve, TD_GROUP_X25519);
    assert_int_equal(td_flight_client_hello(&fl, &ch, NULL), TD_ERR_NOTFOUND);

    /* JSON: stable keys, one object per event */
    {
        json_t *j = td_transcript_json(&t, TD_TJSON_BYTES);
        char *s;
        json_t *ev;
        size_t idx = td_transcript_find(&t, TD_DIR_S2C, TD_EV_HANDSHAKE, TD_HS_SERVER_HELLO);
        assert_non_null(j);
        assert_int_equal(json_array_size(j), t.count);
        ev = json_array_get(j, idx);
        assert_string_equal(json_string_value(json_object_get(ev, "kind")), "handshake");
        assert_string_equal(json_string_value(json_object_get(ev, "name")), "ServerHello");
        assert_string_equal(json_string_value(json_object_get(ev, "cipher_suite")), "0xc02f");
        assert_string_equal(json_string_value(json_object_get(ev, "cipher_suite_name")),
                            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assert_string_equal(json_string_value(json_object_get(ev, "dir")), "s2c");
        assert_non_null(json_object_get(ev, "hex"));
        s = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
        assert_non_null(s);
        assert_true(strncmp(s, "{\"t_us\":1500,\"dir\":\"s2c\",\"kind\":\"handshake\",\"offset\":0,", 55) == 0);
        free(s);
        json_decref(j);
    }
    /* the ladder: defaults, then check's roles, failure mark and line cap */
    {
        size_t shi = td_transcript_find(&t, TD_DIR_S2C, TD_EV_HANDSHAKE, TD_HS_SERVER_HELLO);
        struct td_ladder_opts o = {.client = "device", .server = "srv", .mark = shi, .has_mark = true};
        char *buf = ladder_text(&t, NULL);
        assert_non_null(strstr(buf, "       0.0 ms  client --> server  TCP connected\n"));
        assert_non_null(strstr(buf, "       1.5 ms  client <-- server  ServerHello: TLS 1.2, "
                                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"));
        assert_non_null(strstr(buf, "client <-- server  Certificate: 1 certificate, 812 bytes\n"));
        assert_non_null(strstr(buf, "client <-- server  ServerKeyExchange: ECDHE x25519, signed with "
                                    "rsa_pss_rsae_sha256\n"));
        assert_non_null(strstr(buf, "       2.5 ms  client <-- server  TCP FIN: the server closed the connection\n"));
        assert_null(strstr(buf, "record:"));
        assert_null(strstr(buf, "fails here"));
        assert_null(strstr(buf, "\x1b["));
        free(buf);

        buf = ladder_text(&t, &o);
        assert_non_null(strstr(buf, "device <-- srv  ServerHello: TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256   "
                                    "<== fails here\n"));
        assert_ptr_equal(strstr(buf, "<== fails here"), strrstr_(buf, "<== fails here"));
        assert_null(strstr(buf, "client"));
        free(buf);

        o.has_mark = false;
        o.flags = TD_LADDER_RECORDS;
        o.t0_us = 1000;
        buf = ladder_text(&t, &o);
        assert_null(strstr(buf, "fails here"));
        assert_non_null(strstr(buf, "       0.5 ms  device <-- srv  record: type 22, TLS 1.2, "));
        assert_non_null(strstr(buf, "       0.0 ms  device --> srv  TCP connected\n")); /* before t0: clamped */
        free(buf);

        o.flags = 0;
        o.max_lines = 2;
        buf = ladder_text(&t, &o);
        assert_non_null(strstr(buf, "TCP connected\n"));
        assert_non_null(strstr(buf, "ServerHello"));
        assert_null(strstr(buf, "Certificate"));
        assert_non_null(strstr(buf, "  ... ("));
        free(buf);
    }
    td_flight_free(&fl);
    td_transcript_free(&t);
    free(p);
}

/* After a HelloRetryRequest the re-parsed ServerHello is the real one. */
static void test_server_hello_after_hrr(void **state)
{
    size_t n = 0;
    uint8_t *p = tu_read_vector("ossl_tls13_hrr.s2c", &n);
    struct td_transcript t;
    struct td_flight fl;
    struct td_server_hello *sh = malloc(sizeof(*sh));
    (void)state;
    assert_non_null(p);
    assert_non_null(sh);
    td_transcript_init(&t);
    td_flight_init(&fl, &t, TD_DIR_S2C);
    assert_int_equal(td_flight_feed(&fl, p, 100, 0), TD_ERR_OK); /* the HRR and a bit */
    assert_true(fl.seen & TD_SEEN_HRR);
    assert_int_equal(td_flight_server_hello(&fl, sh, NULL), TD_ERR_OK);
    assert_true(sh->hrr);
    assert_int_equal(td_flight_feed(&fl, p + 100, n - 100, 0), TD_ERR_OK);
    assert_int_equal(td_flight_server_hello(&fl, sh, NULL), TD_ERR_OK);
    assert_false(sh->hrr);
    assert_true(sh->tls13);
    assert_int_equal(sh->ext.ks_group, TD_GROUP_SECP384R1);
    td_flight_free(&fl);
    td_transcript_free(&t);
    free(sh);
    free(p);
}

/* The kex callback decides how the SKE summary is decoded. */
static bool kex_dhe(uint16_t suite, void *arg, enum td_kex *out)
{
    (void)arg;
    if (suite != 0x0039)
        return false;
    *out = TD_KEX_DHE;
    return true;
}

/* Says DH_anon for the same suite: the signature is then left over. */
static bool kex_anon(uint16_t suite, void *arg, enum td_kex *out)
{
    (void)arg;
    (void)suite;
    *out = TD_KEX_DH_ANON;
    return true;
}

/* The flight asks kex_of for the key exchange; without an answer it
 * guesses from the bytes (DHE here), so the negative case is what shows
 * the callback is consulted. */
static void test_kex_callback(void **state)
{
    static const struct {
        td_kex_fn fn;
        bool decoded;
    } cases[] = {{kex_dhe, true}, {NULL, true}, {kex_anon, false}};
    size_t n = 0;
    uint8_t *p = tu_read_vector("ossl_tls12_dhe.s2c", &n);
    (void)state;
    assert_non_null(p);
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        struct td_transcript t;
        struct td_flight fl;
        const struct td_event *e;
        size_t k;
        td_transcript_init(&t);
        td_flight_init(&fl, &t, TD_DIR_S2C);
        fl.kex_of = cases[i].fn;
        assert_int_equal(td_flight_feed(&fl, p, n, 0), TD_ERR_OK);
        k = td_transcript_find(&t, TD_DIR_S2C, TD_EV_HANDSHAKE, TD_HS_SERVER_KEY_EXCHANGE);
        assert_true(k != SIZE_MAX);
        e = &t.ev[k];
        assert_int_equal(e->sum.decoded, cases[i].decoded);
        if (cases[i].decoded) {
            assert_int_equal(e->sum.bits, 2048);
            assert_int_equal(e->sum.sigalg, 0x0804);
        }
        td_flight_free(&fl);
        td_transcript_free(&t);
    }
    free(p);
}

/* The transcript's caps: events past the cap fail, bytes past the cap are cut. */
static void test_caps(void **state)
{
    struct td_transcript t;
    struct td_event *e;
    uint8_t *big = calloc(1, TD_EVENT_DATA_CAP + 10);
    (void)state;
    assert_non_null(big);
    td_transcript_init(&t);
    assert_int_equal(td_transcript_add(&t, TD_EV_ENCRYPTED, TD_DIR_S2C, 0, big, TD_EVENT_DATA_CAP + 10, &e), TD_ERR_OK);
    assert_true(e->data_truncated);
    assert_int_equal(e->data_len, TD_EVENT_DATA_CAP);
    assert_int_equal(e->wire_len, TD_EVENT_DATA_CAP + 10);
    for (size_t i = 1; i < TD_TRANSCRIPT_MAX_EVENTS; i++)
        assert_int_equal(td_transcript_add(&t, TD_EV_ENCRYPTED, TD_DIR_S2C, 0, big, 1000, NULL), TD_ERR_OK);
    assert_true(t.data_bytes <= TD_TRANSCRIPT_DATA_CAP);
    assert_int_equal(td_transcript_add(&t, TD_EV_TCP_FIN, TD_DIR_S2C, 0, NULL, 0, NULL), TD_ERR_TOOBIG);
    td_transcript_free(&t);
    td_transcript_free(&t); /* idempotent */
    free(big);
    assert_string_equal(td_ev_kind_name(TD_EV_CLOSED_BY_US), "closed_by_us");
    assert_string_equal(td_ev_kind_name(TD_EV__COUNT), "unknown");
}

/* td_event_describe, the words of the ladder and of check's JSON, for each
 * kind of event (hand-made events: only the fields the kind uses). */
static void test_event_describe(void **state)
{
    static const struct {
        struct td_event e;
        const char *want;
    } cases[] = {
        {{.kind = TD_EV_TCP_CONNECT, .dir = TD_DIR_C2S}, "TCP connected"},
        {{.kind = TD_EV_TCP_FIN, .dir = TD_DIR_S2C}, "TCP FIN: the server closed the connection"},
        {{.kind = TD_EV_TCP_FIN, .dir = TD_DIR_C2S}, "TCP FIN: the client closed the connection"},
        {{.kind = TD_EV_TCP_RST, .dir = TD_DIR_S2C}, "TCP RST: the server reset the connection"},
        {{.kind = TD_EV_TIMEOUT, .dir = TD_DIR_S2C}, "silence until the deadline"},
        {{.kind = TD_EV_CLOSED_BY_US, .dir = TD_DIR_C2S}, "the tool closed the connection"},
        {{.kind = TD_EV_RECORD, .content_type = 22, .record_version = TD_V_TLS10, .wire_len = 5},
         "record: type 22, TLS 1.0, 5 bytes"},
        {{.kind = TD_EV_RECORD, .content_type = 22, .record_version = 0x0a0a, .wire_len = 5},
         "record: type 22, version 0x0a0a, 5 bytes"},
        {{.kind = TD_EV_ALERT, .alert_level = 2, .alert_desc = 40}, "Alert (fatal): handshake_failure"},
        {{.kind = TD_EV_ALERT, .alert_level = 1, .alert_desc = 112}, "Alert (warning): unrecognized_name"},
        {{.kind = TD_EV_ALERT, .alert_level = 7, .alert_desc = 40}, "Alert (level 7): handshake_failure"},
        {{.kind = TD_EV_CCS}, "ChangeCipherSpec"},
        {{.kind = TD_EV_ENCRYPTED, .content_type = 23, .wire_len = 40}, "encrypted record, 40 bytes"},
        {{.kind = TD_EV_HANDSHAKE,
          .hs_type = TD_HS_CLIENT_HELLO,
          .wire_len = 69,
          .sum = {.decoded = true, .version = TD_V_TLS12, .count = 2}},
         "ClientHello: up to TLS 1.2, 2 suites, no SNI (69 bytes)"},
        {{.kind = TD_EV_HANDSHAKE, .hs_type = TD_HS_CLIENT_HELLO, .wire_len = 9, .sum = {.decoded = false}},
         "ClientHello (9 bytes, not decoded)"},
        {{.kind = TD_EV_HANDSHAKE,
          .hs_type = TD_HS_SERVER_HELLO,
          .sum = {.decoded = true, .hrr = true, .group = TD_GROUP_SECP256R1}},
         "HelloRetryRequest: group secp256r1"},
        {{.kind = TD_EV_HANDSHAKE,
          .hs_type = TD_HS_SERVER_KEY_EXCHANGE,
          .sum = {.decoded = true, .bits = 1024, .sigalg = 0x0401}},
         "ServerKeyExchange: DHE 1024 bits, signed with rsa_pkcs1_sha256"},
        {{.kind = TD_EV_HANDSHAKE, .hs_type = TD_HS_SERVER_KEY_EXCHANGE, .sum = {.decoded = true}},
         "ServerKeyExchange"},
        {{.kind = TD_EV_HANDSHAKE, .hs_type = TD_HS_CERTIFICATE, .sum = {.decoded = true, .count = 2, .bytes = 1900}},
         "Certificate: 2 certificates, 1900 bytes"},
        {{.kind = TD_EV_HANDSHAKE, .hs_type = TD_HS_CERTIFICATE_REQUEST, .sum = {.decoded = true}},
         "CertificateRequest: the server asks for a client certificate"},
        {{.kind = TD_EV_HANDSHAKE, .hs_type = TD_HS_SERVER_HELLO_DONE, .wire_len = 4, .sum = {.decoded = true}},
         "ServerHelloDone (4 bytes)"},
        {{.kind = TD_EV_HANDSHAKE, .hs_type = TD_HS_SERVER_HELLO, .wire_len = 50, .sum = {.decoded = false}},
         "ServerHello (50 bytes, not decoded)"},
        /* a type the flight reader never decodes is just named */
        {{.kind = TD_EV_HANDSHAKE, .hs_type = 16, .wire_len = 262, .sum = {.decoded = false}},
         "ClientKeyExchange (262 bytes)"},
        {{.kind = TD_EV_HANDSHAKE, .hs_type = 4, .sslv2 = true, .sum = {.decoded = true, .version = TD_V_SSL2}},
         "SSLv2 SERVER-HELLO offering SSL 2.0"},
        {{.kind = TD_EV_HANDSHAKE, .hs_type = 1, .sslv2 = true, .sum = {.decoded = true, .version = 0x1234}},
         "SSLv2 CLIENT-HELLO"},
        {{.kind = TD_EV__COUNT}, "unknown"},
    };
    (void)state;
    for (size_t i = 0; i < TD_ARRAY_LEN(cases); i++) {
        char desc[300];
        td_event_describe(&cases[i].e, desc, sizeof(desc));
        if (strcmp(desc, cases[i].want) != 0)
            fail_msg("case %zu: \"%s\", want \"%s\"", i, desc, cases[i].want);
    }
}

/* An SSLv2 SERVER-HELLO (a server that still speaks SSL 2.0). */
static void test_sslv2_server_hello(void **state)
{
    struct td_transcript t;
    struct td_flight fl;
    const struct td_event *e;
    (void)state;
    /* len 0x13: type 4, hit 0, cert type 1, version 0002, cert len 2, specs 6, conn id 1 */
    server_says("8014 04 00 01 0002 0002 0006 0001 3000 010080 070040 aa", &t, &fl);
    e = first(&t, TD_EV_HANDSHAKE);
    assert_true(e->sslv2);
    assert_int_equal(e->hs_type, 4);
    assert_true(e->sum.decoded);
    assert_int_equal(e->sum.version, TD_V_SSL2);
    assert_int_equal(e->sum.count, 2);
    assert_true(fl.seen & TD_SEEN_SSLV2);
    td_flight_free(&fl);
    td_transcript_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_odd_servers),
        cmocka_unit_test(test_garbage_stops_parsing),
        cmocka_unit_test(test_garbage_kept),
        cmocka_unit_test(test_big_sslv2_claim),
        cmocka_unit_test(test_alert_event_fields),
        cmocka_unit_test(test_reparse_real_flight),
        cmocka_unit_test(test_kex_callback),
        cmocka_unit_test(test_server_hello_after_hrr),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_sslv2_server_hello),
        cmocka_unit_test(test_event_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
