/* net/: target parsing, connections with deadlines (against sockets this
 * test owns on loopback), the gate and the pool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/addr.h"
#include "net/conn.h"
#include "net/gate.h"
#include "net/pool.h"

/* ---- target parsing ---------------------------------------------------- */

struct target_case {
    const char *in;
    int ok;
    const char *host;
    unsigned port;
    int is_ip;
};

static const struct target_case target_cases[] = {
    {"example.com", 1, "example.com", 443, 0},
    {"example.com:8883", 1, "example.com", 8883, 0},
    {"127.0.0.1", 1, "127.0.0.1", 443, 1},
    {"127.0.0.1:4433", 1, "127.0.0.1", 4433, 1},
    {"[::1]:8443", 1, "::1", 8443, 1},
    {"[::1]", 1, "::1", 443, 1},
    {"::1", 1, "::1", 443, 1},
    {"2001:db8::5", 1, "2001:db8::5", 443, 1},
    {"a.example:65535", 1, "a.example", 65535, 0},
    /* negatives */
    {"", 0, NULL, 0, 0},
    {"example.com:0", 0, NULL, 0, 0},
    {"example.com:65536", 0, NULL, 0, 0},
    {"example.com:", 0, NULL, 0, 0},
    {"example.com:44x", 0, NULL, 0, 0},
    {"[::1", 0, NULL, 0, 0},
    {"[::1]x", 0, NULL, 0, 0},
    {"[]:443", 0, NULL, 0, 0},
    {":443", 0, NULL, 0, 0},
    {"a b.example", 0, NULL, 0, 0},
    {"a/b", 0, NULL, 0, 0},
    {"zz::qq", 0, NULL, 0, 0},
};

static void test_target_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(target_cases) / sizeof(target_cases[0]); i++) {
        const struct target_case *tc = &target_cases[i];
        struct td_target t;
        char msg[256] = "";
        td_err e = td_target_parse(tc->in, 443, &t, msg, sizeof(msg));
        if (tc->ok) {
            if (e != TD_ERR_OK)
                fail_msg("case %zu '%s': %s", i, tc->in, msg);
            assert_string_equal(t.host, tc->host);
            assert_int_equal(t.port, tc->port);
            assert_int_equal(t.is_ip, tc->is_ip);
        } else {
            if (e == TD_ERR_OK)
                fail_msg("case %zu '%s' should fail", i, tc->in);
            assert_true(strlen(msg) > 0);
        }
    }
}

static void test_ip_literal(void **state)
{
    (void)state;
    assert_true(td_net_is_ip_literal("10.0.0.1"));
    assert_true(td_net_is_ip_literal("::1"));
    assert_true(td_net_is_ip_literal("[::1]"));
    assert_true(td_net_is_ip_literal("fe80::1%eth0"));
    assert_false(td_net_is_ip_literal("example.com"));
    assert_false(td_net_is_ip_literal("10.0.0.1.example"));
    assert_false(td_net_is_ip_literal(""));
    assert_false(td_net_is_ip_literal(NULL));
}

static void test_resolve(void **state)
{
    struct td_target t;
    struct td_addrs a;
    char msg[256], buf[64];
    (void)state;
    assert_int_equal(td_target_parse("127.0.0.1:8443", 443, &t, msg, sizeof(msg)), TD_ERR_OK);
    assert_int_equal(td_net_resolve(&t, AF_UNSPEC, &a, msg, sizeof(msg)), TD_ERR_OK);
    assert_true(a.n >= 1);
    td_addr_format(&a.a[0], buf, sizeof(buf));
    assert_string_equal(buf, "127.0.0.1:8443");
    assert_int_equal(td_target_parse("localhost", 443, &t, msg, sizeof(msg)), TD_ERR_OK);
    assert_int_equal(td_net_resolve(&t, AF_INET, &a, msg, sizeof(msg)), TD_ERR_OK);
    assert_true(a.n >= 1);
    /* .invalid never resolves (RFC 6761); the message names the host */
    assert_int_equal(td_target_parse("no-such-host.invalid", 443, &t, msg, sizeof(msg)), TD_ERR_OK);
    assert_int_equal(td_net_resolve(&t, AF_UNSPEC, &a, msg, sizeof(msg)), TD_ERR_NOTFOUND);
    assert_non_null(strstr(msg, "no-such-host.invalid"));
}

/* ---- connections ------------------------------------------------------- */

/* A listening socket on 127.0.0.1 with a kernel-chosen port. */
static int listen_any(struct td_addr *a, int backlog)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    assert_int_equal(listen(fd, backlog), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
    memset(a, 0, sizeof(*a));
    memcpy(&a->sa, &sin, sizeof(sin));
    a->len = sizeof(sin);
    return fd;
}

static struct td_net_limits quick(int connect_ms, int first_ms, int total_ms)
{
    struct td_net_limits l = {connect_ms, first_ms, total_ms};
    return l;
}

static void test_conn_refused(void **state)
{
    struct td_addr a;
    struct td_conn c;
    struct td_net_limits l = quick(1000, 1000, 2000);
    int lfd = listen_any(&a, 1);
    (void)state;
    close(lfd); /* the port is now closed */
    assert_int_equal(td_conn_open(&c, &a, &l, NULL), TD_NET_REFUSED);
    assert_int_equal(c.last, TD_NET_REFUSED);
    td_conn_close(&c);
    assert_string_equal(td_net_obs_name(TD_NET_REFUSED), "REFUSED");
}

static void test_conn_silent_first_byte_timeout(void **state)
{
    struct td_addr a;
    struct td_conn c;
    struct td_net_limits l = quick(1000, 200, 5000);
    uint8_t buf[16];
    size_t got = 99;
    int64_t t0;
    int lfd = listen_any(&a, 4); /* never accepts, never answers */
    (void)state;
    assert_int_equal(td_conn_open(&c, &a, &l, NULL), TD_NET_OK);
    assert_int_equal(td_conn_send_all(&c, "hello", 5), TD_NET_OK);
    t0 = td_net_now_ms();
    assert_int_equal(td_conn_recv(&c, buf, sizeof(buf), &got), TD_NET_TIMEOUT);
    assert_int_equal(got, 0);
    /* bounded: at least the deadline, not much more */
    assert_true(td_net_now_ms() - t0 >= 190);
    assert_true(td_net_now_ms() - t0 < 1500);
    td_conn_close(&c);
    close(lfd);
}

static void test_conn_total_deadline(void **state)
{
    struct td_addr a;
    struct td_conn c;
    struct td_net_limits l = quick(1000, 5000, 150);
    uint8_t buf[16];
    size_t got;
    int64_t t0 = td_net_now_ms();
    int lfd = listen_any(&a, 4);
    (void)state;
    assert_int_equal(td_conn_open(&c, &a, &l, NULL), TD_NET_OK);
    assert_int_equal(td_conn_recv(&c, buf, sizeof(buf), &got), TD_NET_TOTAL_TIMEOUT);
    assert_true(td_net_now_ms() - t0 < 1500);
    td_conn_close(&c);
    close(lfd);
}

/* Accepts the pending connection; how = 0 FIN, 1 RST, 2 send "hi" then FIN. */
static void serve_one(int lfd, int how)
{
    int fd = accept(lfd, NULL, NULL);
    assert_true(fd >= 0);
    if (how == 1) {
        struct linger lg = {1, 0};
        assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
    } else if (how == 2) {
        assert_int_equal(send(fd, "hi", 2, 0), 2);
    }
    close(fd);
}

static void test_conn_peer_behaviour(void **state)
{
    static const struct {
        int how;
        enum td_net_obs first, second;
        size_t got;
    } cases[] = {
        {0, TD_NET_CLOSED, TD_NET_CLOSED, 0},
        {1, TD_NET_RESET, TD_NET_RESET, 0},
        {2, TD_NET_OK, TD_NET_CLOSED, 2},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct td_addr a;
        struct td_conn c;
        struct td_net_limits l = quick(1000, 1000, 3000);
        uint8_t buf[16];
        size_t got = 0;
        int lfd = listen_any(&a, 4);
        assert_int_equal(td_conn_open(&c, &a, &l, NULL), TD_NET_OK);
        serve_one(lfd, cases[i].how);
        assert_int_equal(td_conn_recv(&c, buf, sizeof(buf), &got), cases[i].first);
        assert_int_equal(got, cases[i].got);
        if (cases[i].got == 2)
            assert_memory_equal(buf, "hi", 2);
        assert_int_equal(td_conn_recv(&c, buf, sizeof(buf), &got), cases[i].second);
        td_conn_close(&c);
        td_conn_close(&c); /* idempotent */
        close(lfd);
    }
}

static void test_conn_ipv6_refused(void **state)
{
    struct td_target t;
    struct td_addrs a;
    struct td_conn c;
    struct td_net_limits l = quick(1000, 1000, 2000);
    char msg[128];
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    (void)state;
    if (fd < 0)
        skip();
    close(fd);
    /* port 1 on ::1: nothing listens there on a test machine */
    assert_int_equal(td_target_parse("[::1]:1", 443, &t, msg, sizeof(msg)), TD_ERR_OK);
    if (td_net_resolve(&t, AF_INET6, &a, msg, sizeof(msg)) != TD_ERR_OK)
        skip();
    enum td_net_obs o = td_conn_open(&c, &a.a[0], &l, NULL);
    assert_true(o == TD_NET_REFUSED || o == TD_NET_UNREACHABLE);
    td_conn_close(&c);
}

/* ---- gate and pool ----------------------------------------------------- */

struct gate_job {
    struct td_gate *g;
    atomic_int *inside;
    atomic_int *peak;
};

static void gate_job_fn(void *arg)
{
    struct gate_job *j = arg;
    td_gate_acquire(j->g);
    int now = atomic_fetch_add(j->inside, 1) + 1;
    int p = atomic_load(j->peak);
    while (now > p && !atomic_compare_exchange_weak(j->peak, &p, now)) {
    }
    td_net_sleep_ms(15);
    atomic_fetch_sub(j->inside, 1);
    td_gate_release(j->g, false);
}

static void test_gate_bounds_concurrency(void **state)
{
    struct td_gate parent, g;
    struct gate_job jobs[24];
    struct td_job pj[24];
    atomic_int inside, peak;
    (void)state;
    atomic_init(&inside, 0);
    atomic_init(&peak, 0);
    td_gate_init(&parent, 8, 0, NULL);
    td_gate_init(&g, 3, 0, &parent);
    for (size_t i = 0; i < 24; i++) {
        jobs[i] = (struct gate_job){&g, &inside, &peak};
        pj[i] = (struct td_job){gate_job_fn, &jobs[i]};
    }
    td_pool_run(pj, 24, 10);
    assert_true(atomic_load(&peak) <= 3);
    assert_true(atomic_load(&peak) >= 2); /* and it did run in parallel */
    assert_int_equal(td_gate_opened(&g), 24);
    assert_int_equal(td_gate_opened(&parent), 24);
    assert_int_equal(g.active, 0);
    td_gate_free(&g);
    td_gate_free(&parent);
}

static void test_gate_delay_and_backoff(void **state)
{
    struct td_gate g;
    int64_t t0;
    (void)state;
    td_gate_init(&g, 8, 40, NULL);
    t0 = td_net_now_ms();
    for (int i = 0; i < 4; i++) {
        td_gate_acquire(&g);
        td_gate_release(&g, false);
    }
    /* 4 starts spaced by 40 ms: at least 3 gaps */
    assert_true(td_net_now_ms() - t0 >= 115);
    td_gate_free(&g);

    td_gate_init(&g, 8, 0, NULL);
    for (int i = 0; i < 2; i++) {
        td_gate_acquire(&g);
        td_gate_release(&g, true);
    }
    assert_int_equal(g.backoff_ms, 0); /* two resets are tolerated */
    td_gate_acquire(&g);
    td_gate_release(&g, true);
    assert_int_equal(g.backoff_ms, TD_GATE_BACKOFF_MIN_MS);
    td_gate_acquire(&g);
    td_gate_release(&g, true);
    assert_int_equal(g.backoff_ms, 2 * TD_GATE_BACKOFF_MIN_MS);
    t0 = td_net_now_ms();
    td_gate_acquire(&g); /* waits out the backoff */
    assert_true(td_net_now_ms() - t0 >= 2 * TD_GATE_BACKOFF_MIN_MS - 5);
    td_gate_release(&g, false);
    assert_int_equal(g.backoff_ms, 0);
    assert_int_equal(g.resets, 0);
    for (int i = 0; i < 40; i++) { /* capped */
        td_gate_acquire(&g);
        td_gate_release(&g, true);
        g.next_start = 0; /* do not actually wait in the test */
    }
    assert_int_equal(g.backoff_ms, TD_GATE_BACKOFF_MAX_MS);
    assert_int_equal(atomic_load(&g.reset_seen), 44);
    td_gate_free(&g);
}

static void refused_counts_toward_backoff(void **state)
{
    struct td_addr a;
    struct td_conn c;
    struct td_gate g;
    struct td_net_limits l = quick(1000, 1000, 2000);
    int lfd = listen_any(&a, 1);
    (void)state;
    close(lfd);
    td_gate_init(&g, 2, 0, NULL);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(td_conn_open(&c, &a, &l, &g), TD_NET_REFUSED);
        td_conn_close(&c);
    }
    assert_int_equal(td_gate_opened(&g), 3);
    assert_int_equal(atomic_load(&g.reset_seen), 3);
    assert_true(g.backoff_ms > 0);
    td_gate_free(&g);
}

static void count_fn(void *arg)
{
    atomic_fetch_add((atomic_int *)arg, 1);
}

static void test_pool_runs_all(void **state)
{
    static const int threads[] = {0, 1, 2, 7, 300};
    struct td_job jobs[100];
    atomic_int n;
    (void)state;
    for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
        atomic_init(&n, 0);
        for (size_t i = 0; i < 100; i++)
            jobs[i] = (struct td_job){count_fn, &n};
        td_pool_run(jobs, 100, threads[t]);
        assert_int_equal(atomic_load(&n), 100);
    }
    td_pool_run(jobs, 0, 4); /* nothing to do */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_parse),
        cmocka_unit_test(test_ip_literal),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_conn_refused),
        cmocka_unit_test(test_conn_silent_first_byte_timeout),
        cmocka_unit_test(test_conn_total_deadline),
        cmocka_unit_test(test_conn_peer_behaviour),
        cmocka_unit_test(test_conn_ipv6_refused),
        cmocka_unit_test(test_gate_bounds_concurrency),
        cmocka_unit_test(test_gate_delay_and_backoff),
        cmocka_unit_test(refused_counts_toward_backoff),
        cmocka_unit_test(test_pool_runs_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
