/* Targets and addresses: "HOST[:PORT]" parsing, IP-literal detection and
 * name resolution (getaddrinfo). No OpenSSL here. */
#ifndef TD_NET_ADDR_H
#define TD_NET_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/err.h"

#define TD_NET_HOST_MAX 256
#define TD_NET_ADDRS_MAX 16 /* cap on the addresses kept from one resolution */

struct td_target {
    char host[TD_NET_HOST_MAX]; /* name or IP literal, without brackets */
    uint16_t port;
    bool is_ip; /* host is an IPv4 or IPv6 literal (never sent as SNI, RFC 6066 3) */
};

struct td_addr {
    struct sockaddr_storage sa;
    socklen_t len;
};

struct td_addrs {
    struct td_addr a[TD_NET_ADDRS_MAX];
    size_t n;
};

/* Parses "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 literal
 * ("::1"); default_port when none is given. On failure writes one line
 * naming what was wrong into msg. */
TD_MUST_USE td_err td_target_parse(const char *s, uint16_t default_port, struct td_target *t, char *msg,
                                   size_t cap);

/* True if s is an IPv4 or IPv6 literal (a name must never be one of these
 * when used as SNI). */
bool td_net_is_ip_literal(const char *s);

/* Resolves t (family AF_UNSPEC, AF_INET or AF_INET6) into out, in the
 * resolver's order. TD_ERR_NOTFOUND with the resolver's message in msg. */
TD_MUST_USE td_err td_net_resolve(const struct td_target *t, int family, struct td_addrs *out, char *msg,
                                  size_t cap);

/* "127.0.0.1:443" or "[::1]:443". */
void td_addr_format(const struct td_addr *a, char *buf, size_t cap);

#endif
