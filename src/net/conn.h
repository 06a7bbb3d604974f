/* TCP connections with deadlines. What the peer does (refuse, reset, close,
 * stay silent) is an observation returned as data, never a tool error: a
 * scan treats a RST after its ClientHello as an answer like any other.
 *
 * Deadlines (milliseconds, all > 0):
 *   connect_ms     from the start of connect() to the three-way handshake
 *   first_byte_ms  after a send, how long the peer has to start answering;
 *                  also the longest silence tolerated between reads
 *   total_ms       from the start of connect() to the end of the connection
 * A connection is opened through a gate (net/gate.h) that bounds the
 * concurrency per target, spaces connections by --delay and backs off after
 * resets; every open is counted. */
#ifndef TD_NET_CONN_H
#define TD_NET_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"

struct td_gate;

#define TD_NET_OBSERVATIONS(X)                                                  \
    X(OK, "ok")                                                                 \
    X(REFUSED, "connection refused")                                            \
    X(CONNECT_TIMEOUT, "connect timed out")                                     \
    X(UNREACHABLE, "network or host unreachable")                               \
    X(RESET, "connection reset by peer (RST)")                                  \
    X(CLOSED, "connection closed by peer (FIN)")                                \
    X(TIMEOUT, "peer silent until the deadline")                                \
    X(TOTAL_TIMEOUT, "total deadline reached")                                  \
    X(ERROR, "socket error")

enum td_net_obs {
#define TD_NET_OBS_ENUM(name, msg) TD_NET_##name,
    TD_NET_OBSERVATIONS(TD_NET_OBS_ENUM)
#undef TD_NET_OBS_ENUM
        TD_NET__COUNT
};

/* "RESET" / "connection reset by peer (RST)" */
const char *td_net_obs_name(enum td_net_obs o);
const char *td_net_obs_str(enum td_net_obs o);

struct td_net_limits {
    int connect_ms;
    int first_byte_ms;
    int total_ms;
};

/* Defaults: connect 5 s, first byte 5 s, total 15 s. */
void td_net_limits_default(struct td_net_limits *l);

struct td_conn {
    int fd;
    struct td_gate *gate; /* released on close; may be NULL */
    struct td_net_limits lim;
    int64_t t_start;      /* monotonic ms at connect() */
    int64_t t_connected;
    int64_t t_first_byte; /* 0 until the peer sent something */
    int64_t deadline;     /* t_start + total_ms */
    size_t bytes_in, bytes_out;
    int sys_errno;        /* errno behind the last non-OK observation */
    enum td_net_obs last; /* last observation */
};

/* Monotonic clock in milliseconds. */
int64_t td_net_now_ms(void);
void td_net_sleep_ms(int64_t ms);

/* Opens a TCP connection to a (through gate g, which may be NULL: then only
 * the deadlines apply). Returns TD_NET_OK with c->fd open, or the
 * observation (REFUSED, CONNECT_TIMEOUT, UNREACHABLE, RESET, ERROR) with the
 * connection already closed. Always pair with td_conn_close(). */
enum td_net_obs td_conn_open(struct td_conn *c, const struct td_addr *a, const struct td_net_limits *lim,
                             struct td_gate *g);

/* Sends all n bytes before the total deadline. */
enum td_net_obs td_conn_send_all(struct td_conn *c, const void *buf, size_t n);

/* Waits for bytes (first_byte_ms, bounded by the total deadline) and reads
 * at most cap of them into buf. OK with *got > 0, or CLOSED (FIN), RESET,
 * TIMEOUT, TOTAL_TIMEOUT, ERROR. */
enum td_net_obs td_conn_recv(struct td_conn *c, void *buf, size_t cap, size_t *got);

/* Half-closes: sends our FIN, keeps reading. A server that serves one
 * connection at a time then stops waiting for us as soon as it has
 * answered. */
void td_conn_shutdown_write(struct td_conn *c);

/* Closes (idempotent) and releases the gate slot, telling the gate whether
 * the connection ended in a reset so it can back off. */
void td_conn_close(struct td_conn *c);

#endif
