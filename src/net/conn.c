#include "net/conn.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/gate.h"

static const char *const obs_names[] = {
#define TD_NET_OBS_NAME(name, msg) #name,
    TD_NET_OBSERVATIONS(TD_NET_OBS_NAME)
#undef TD_NET_OBS_NAME
};

static const char *const obs_msgs[] = {
#define TD_NET_OBS_MSG(name, msg) msg,
    TD_NET_OBSERVATIONS(TD_NET_OBS_MSG)
#undef TD_NET_OBS_MSG
};

const char *td_net_obs_name(enum td_net_obs o)
{
    return (unsigned)o < TD_NET__COUNT ? obs_names[o] : "UNKNOWN";
}

const char *td_net_obs_str(enum td_net_obs o)
{
    return (unsigned)o < TD_NET__COUNT ? obs_msgs[o] : "unknown observation";
}

void td_net_limits_default(struct td_net_limits *l)
{
    l->connect_ms = 5000;
    l->first_byte_ms = 5000;
    l->total_ms = 15000;
}

int64_t td_net_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void td_net_sleep_ms(int64_t ms)
{
    struct timespec ts;
    if (ms <= 0)
        return;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static enum td_net_obs obs_from_errno(int e)
{
    switch (e) {
    case ECONNREFUSED:
        return TD_NET_REFUSED;
    case ECONNRESET:
    case EPIPE:
        return TD_NET_RESET;
    case ENETUNREACH:
    case EHOSTUNREACH:
    case ENETDOWN:
    case EHOSTDOWN:
    case EADDRNOTAVAIL:
        return TD_NET_UNREACHABLE;
    case ETIMEDOUT:
        return TD_NET_CONNECT_TIMEOUT;
    default:
        return TD_NET_ERROR;
    }
}

static enum td_net_obs fail(struct td_conn *c, enum td_net_obs o, int e)
{
    c->last = o;
    c->sys_errno = e;
    return o;
}

/* Milliseconds poll() may wait: min(step, time to the total deadline). */
static int wait_budget(const struct td_conn *c, int step_ms, bool *total_limited)
{
    int64_t left = c->deadline - td_net_now_ms();
    *total_limited = false;
    if (left <= step_ms) {
        *total_limited = true;
        return left < 0 ? 0 : (int)left;
    }
    return step_ms;
}

enum td_net_obs td_conn_open(struct td_conn *c, const struct td_addr *a, const struct td_net_limits *lim,
                             struct td_gate *g)
{
    struct pollfd pfd;
    int fd, rc, soerr = 0, one = 1;
    socklen_t slen = sizeof(soerr);
    bool total_limited;

    memset(c, 0, sizeof(*c));
    c->fd = -1;
    c->lim = *lim;
    td_gate_acquire(g);
    c->gate = g;
    c->t_start = td_net_now_ms();
    c->deadline = c->t_start + lim->total_ms;

    fd = socket(a->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail(c, TD_NET_ERROR, errno);
    c->fd = fd;
    /* Small writes (a ClientHello) go out at once. */
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));

    rc = connect(fd, (const struct sockaddr *)&a->sa, a->len);
    if (rc != 0 && errno != EINPROGRESS)
        return fail(c, obs_from_errno(errno), errno);
    if (rc != 0) {
        int budget = wait_budget(c, lim->connect_ms, &total_limited);
        pfd.fd = fd;
        pfd.events = POLLOUT;
        pfd.revents = 0;
        do {
            rc = poll(&pfd, 1, budget);
        } while (rc < 0 && errno == EINTR);
        if (rc < 0)
            return fail(c, TD_NET_ERROR, errno);
        if (rc == 0)
            return fail(c, total_limited ? TD_NET_TOTAL_TIMEOUT : TD_NET_CONNECT_TIMEOUT, ETIMEDOUT);
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &slen) != 0)
            return fail(c, TD_NET_ERROR, errno);
        if (soerr != 0)
            return fail(c, obs_from_errno(soerr), soerr);
    }
    c->t_connected = td_net_now_ms();
    c->last = TD_NET_OK;
    return TD_NET_OK;
}

enum td_net_obs td_conn_send_all(struct td_conn *c, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    size_t off = 0;

    if (c->fd < 0)
        return c->last != TD_NET_OK ? c->last : fail(c, TD_NET_ERROR, EBADF);
    while (off < n) {
        ssize_t w = send(c->fd, p + off, n - off, MSG_NOSIGNAL);
        if (w > 0) {
            off += (size_t)w;
            c->bytes_out += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = {c->fd, POLLOUT, 0};
            bool total_limited;
            int budget = wait_budget(c, c->lim.first_byte_ms, &total_limited);
            int rc = poll(&pfd, 1, budget);
            if (rc < 0 && errno != EINTR)
                return fail(c, TD_NET_ERROR, errno);
            if (rc == 0)
                return fail(c, total_limited ? TD_NET_TOTAL_TIMEOUT : TD_NET_TIMEOUT, ETIMEDOUT);
            continue;
        }
        return fail(c, obs_from_errno(errno), errno);
    }
    return TD_NET_OK;
}

enum td_net_obs td_conn_recv(struct td_conn *c, void *buf, size_t cap, size_t *got)
{
    *got = 0;
    if (c->fd < 0)
        return c->last != TD_NET_OK ? c->last : fail(c, TD_NET_ERROR, EBADF);
    /* After a FIN or RST the kernel answers later reads with 0; keep
     * reporting what actually ended the connection. */
    if (c->last == TD_NET_CLOSED || c->last == TD_NET_RESET)
        return c->last;
    if (cap == 0)
        return TD_NET_OK;
    for (;;) {
        ssize_t r = recv(c->fd, buf, cap, 0);
        if (r > 0) {
            if (c->t_first_byte == 0)
                c->t_first_byte = td_net_now_ms();
            c->bytes_in += (size_t)r;
            *got = (size_t)r;
            c->last = TD_NET_OK;
            return TD_NET_OK;
        }
        if (r == 0)
            return fail(c, TD_NET_CLOSED, 0);
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            struct pollfd pfd = {c->fd, POLLIN, 0};
            bool total_limited;
            int budget = wait_budget(c, c->lim.first_byte_ms, &total_limited);
            int rc;
            do {
                rc = poll(&pfd, 1, budget);
            } while (rc < 0 && errno == EINTR);
            if (rc < 0)
                return fail(c, TD_NET_ERROR, errno);
            if (rc == 0)
                return fail(c, total_limited ? TD_NET_TOTAL_TIMEOUT : TD_NET_TIMEOUT, ETIMEDOUT);
            continue;
        }
        return fail(c, obs_from_errno(errno), errno);
    }
}

void td_conn_shutdown_write(struct td_conn *c)
{
    if (c->fd >= 0)
        (void)shutdown(c->fd, SHUT_WR);
}

void td_conn_close(struct td_conn *c)
{
    bool reset;

    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
    if (c->gate != NULL) {
        /* Only connection-level rejections count toward backoff (refused, or
         * reset before we sent a byte): a RST in answer to a ClientHello is
         * the server's way of saying no, not a sign of rate limiting. */
        reset = c->last == TD_NET_REFUSED || (c->last == TD_NET_RESET && c->bytes_out == 0);
        td_gate_release(c->gate, reset);
        c->gate = NULL;
    }
}
