/* tlsio client against the embedded demo server (both real OpenSSL, on
 * 127.0.0.1): the seed's mismatch, the fix, SNI, raw capture, errors. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tlsio/server.h"
#include "tlsio/client.h"

static int connect_local(uint16_t port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
    return fd;
}

static const uint16_t xbee_suites[] = {0x0035, 0x003d};

/* One handshake; returns once the server has finished with the connection
 * too, so its log line is there. */
static void run(struct td_demo_server *srv, const struct td_tls_client_cfg *cfg, struct td_tls_result *r)
{
    size_t before = td_demo_server_served(srv);
    int fd = connect_local(td_demo_server_port(srv));
    td_tls_result_init(r);
    assert_int_equal(td_tls_client_handshake(fd, cfg, r), TD_ERR_OK);
    close(fd);
    for (int i = 0; i < 500 && td_demo_server_served(srv) == before; i++)
        usleep(10000);
    assert_true(td_demo_server_served(srv) > before);
}

static void test_names(void **state)
{
    (void)state;
    uint16_t all[512];
    size_t n = td_tls_ossl_suites(all, 512);
    bool aes256 = false, tls13 = false;
    assert_true(n > 50);
    for (size_t i = 0; i < n; i++) {
        aes256 = aes256 || all[i] == 0x0035;
        tls13 = tls13 || (all[i] >> 8) == 0x13;
    }
    assert_true(aes256);
    assert_false(tls13);
    assert_int_equal(td_tls_ossl_suites(all, 3), 3);
    char buf[32];
    assert_string_equal(td_tls_alert_name(40, buf, sizeof(buf)), "handshake failure");
    assert_string_equal(td_tls_alert_name(250, buf, sizeof(buf)), "alert 250");
}

static void test_seed_mismatch_then_fix(void **state)
{
    struct td_demo_server *srv = NULL;
    char err[256], log[8192];
    struct td_tls_client_cfg cfg = {.suites = xbee_suites, .nsuites = 2, .min_version = 0x0303,
                                    .max_version = 0x0303, .no_session_ticket = true, .timeout_ms = 5000};
    struct td_tls_result r;

    (void)state;
    assert_int_equal(td_demo_server_start(NULL, &srv, err, sizeof(err)), TD_ERR_OK);

    /* The XBee's suites against the seed's server: the server refuses. */
    run(srv, &cfg, &r);
    assert_int_equal(r.end, TD_TLS_END_ALERT_RECEIVED);
    assert_int_equal(r.alert_received, 40);
    assert_true(r.sent.len > 50);
    assert_int_equal(r.sent.buf[0], 0x16); /* a handshake record: the ClientHello */
    assert_int_equal(r.recv.buf[0], 0x15); /* an alert record */
    assert_int_equal(r.nchain, 0);
    assert_true(strlen(r.error) > 0);
    td_tls_result_free(&r);
    assert_true(td_demo_server_take_log(srv, log, sizeof(log)) >= 1);
    assert_non_null(strstr(log, "no shared cipher"));

    /* The fix: AES256-SHA added; the same client now completes. */
    assert_int_equal(td_demo_server_set_ciphers(srv, TD_DEMO_SEED_CIPHERS ":AES256-SHA"), TD_ERR_OK);
    run(srv, &cfg, &r);
    assert_int_equal(r.end, TD_TLS_END_COMPLETED);
    assert_int_equal(r.suite, 0x0035);
    assert_int_equal(r.version, 0x0303);
    assert_int_equal(r.nchain, 1);
    assert_true(r.chain_len[0] > 500);
    assert_int_equal(r.recv.buf[0], 0x16);
    td_tls_result_free(&r);
    td_demo_server_take_log(srv, log, sizeof(log));
    assert_non_null(strstr(log, "AES256-SHA"));
    assert_non_null(strstr(log, "SNI not provided"));

    /* An ECDHE client negotiates with the original list and sees the DH/ECDH key. */
    static const uint16_t dhe[] = {0x009f};
    struct td_tls_client_cfg c2 = cfg;
    c2.suites = dhe;
    c2.nsuites = 1;
    c2.sni = "device.example";
    run(srv, &c2, &r);
    assert_int_equal(r.end, TD_TLS_END_COMPLETED);
    assert_int_equal(r.suite, 0x009f);
    assert_int_equal(r.tmp_key_bits, 2048);
    td_tls_result_free(&r);
    td_demo_server_take_log(srv, log, sizeof(log));
    assert_non_null(strstr(log, "SNI device.example"));

    /* A TLS 1.3-only client: the TLS 1.2-only server refuses the version. */
    static const uint16_t t13[] = {0x1301};
    struct td_tls_client_cfg c3 = {.suites = t13, .nsuites = 1, .min_version = 0x0304, .max_version = 0x0304,
                                   .timeout_ms = 5000};
    run(srv, &c3, &r);
    assert_int_equal(r.end, TD_TLS_END_ALERT_RECEIVED);
    assert_int_equal(r.alert_received, 70); /* protocol_version */
    td_tls_result_free(&r);

    /* Only suites OpenSSL does not know: nothing is sent. */
    static const uint16_t none[] = {0xff77};
    struct td_tls_client_cfg c4 = cfg;
    c4.suites = none;
    c4.nsuites = 1;
    run(srv, &c4, &r);
    assert_int_equal(r.end, TD_TLS_END_LOCAL);
    assert_int_equal(r.nunmapped, 1);
    assert_int_equal(r.sent.len, 0);
    td_tls_result_free(&r);

    td_demo_server_stop(srv);
}

static void test_timeout_and_close(void **state)
{
    /* A listener that never answers: the deadline ends the attempt. */
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int l = socket(AF_INET, SOCK_STREAM, 0), fd, afd;
    struct td_tls_client_cfg cfg = {.suites = xbee_suites, .nsuites = 2, .timeout_ms = 300};
    struct td_tls_result r;

    (void)state;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(l, 4), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&sa, &len), 0);
    fd = connect_local(ntohs(sa.sin_port));
    td_tls_result_init(&r);
    assert_int_equal(td_tls_client_handshake(fd, &cfg, &r), TD_ERR_OK);
    assert_int_equal(r.end, TD_TLS_END_TIMEOUT);
    assert_true(r.elapsed_ms >= 250);
    td_tls_result_free(&r);
    close(fd);
    close(accept(l, NULL, NULL)); /* the first, stale connection */

    /* A server that accepts and closes at once: FIN. */
    fd = connect_local(ntohs(sa.sin_port));
    afd = accept(l, NULL, NULL);
    close(afd);
    td_tls_result_init(&r);
    assert_int_equal(td_tls_client_handshake(fd, &cfg, &r), TD_ERR_OK);
    assert_true(r.end == TD_TLS_END_CLOSED || r.end == TD_TLS_END_RESET);
    td_tls_result_free(&r);
    close(fd);
    close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_seed_mismatch_then_fix),
        cmocka_unit_test(test_timeout_and_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
