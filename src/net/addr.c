#include "net/addr.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* EAI_NODATA / EAI_ADDRFAMILY are GNU extensions. */
#ifdef EAI_NODATA
#define EAI_NODATA_COMPAT EAI_NODATA
#else
#define EAI_NODATA_COMPAT EAI_NONAME
#endif

bool td_net_is_ip_literal(const char *s)
{
    struct in6_addr a6;
    struct in_addr a4;
    char buf[TD_NET_HOST_MAX];
    size_t n;

    if (s == NULL || *s == '\0')
        return false;
    n = strlen(s);
    if (s[0] == '[' && n >= 2 && s[n - 1] == ']' && n - 2 < sizeof(buf)) {
        memcpy(buf, s + 1, n - 2);
        buf[n - 2] = '\0';
        s = buf;
    }
    if (inet_pton(AF_INET, s, &a4) == 1 || inet_pton(AF_INET6, s, &a6) == 1)
        return true;
    /* A zone index ("fe80::1%eth0") is still a literal. */
    if (strchr(s, ':') != NULL && strchr(s, '%') != NULL)
        return true;
    return false;
}

static td_err parse_port(const char *p, uint16_t *out)
{
    char *end = NULL;
    long v;

    if (*p == '\0')
        return TD_ERR_INPUT;
    v = strtol(p, &end, 10);
    if (end == NULL || *end != '\0' || v < 1 || v > 65535)
        return TD_ERR_INPUT;
    *out = (uint16_t)v;
    return TD_ERR_OK;
}

td_err td_target_parse(const char *s, uint16_t default_port, struct td_target *t, char *msg, size_t cap)
{
    const char *host = s, *port = NULL;
    size_t hlen;

    memset(t, 0, sizeof(*t));
    t->port = default_port;
    if (s == NULL || *s == '\0') {
        snprintf(msg, cap, "empty target");
        return TD_ERR_INPUT;
    }
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (close == NULL) {
            snprintf(msg, cap, "target '%s': missing ']' after IPv6 address", s);
            return TD_ERR_INPUT;
        }
        host = s + 1;
        hlen = (size_t)(close - host);
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0') {
            snprintf(msg, cap, "target '%s': unexpected text after ']'", s);
            return TD_ERR_INPUT;
        }
    } else {
        const char *c1 = strchr(s, ':');
        if (c1 != NULL && strchr(c1 + 1, ':') == NULL) {
            hlen = (size_t)(c1 - s);
            port = c1 + 1;
        } else {
            hlen = strlen(s); /* no colon, or a bare IPv6 literal */
        }
    }
    if (hlen == 0 || hlen >= sizeof(t->host)) {
        snprintf(msg, cap, "target '%s': host name %s", s, hlen == 0 ? "is empty" : "is too long");
        return TD_ERR_INPUT;
    }
    memcpy(t->host, host, hlen);
    t->host[hlen] = '\0';
    if (port != NULL && parse_port(port, &t->port) != TD_ERR_OK) {
        snprintf(msg, cap, "target '%s': port '%s' is not a number from 1 to 65535", s, port);
        return TD_ERR_INPUT;
    }
    for (size_t i = 0; i < hlen; i++) {
        unsigned char ch = (unsigned char)t->host[i];
        if (ch <= ' ' || ch >= 0x7f || ch == '/' || ch == '[' || ch == ']') {
            snprintf(msg, cap, "target '%s': invalid character in host at position %zu", s, i + 1);
            return TD_ERR_INPUT;
        }
    }
    t->is_ip = td_net_is_ip_literal(t->host);
    if (!t->is_ip && strchr(t->host, ':') != NULL) {
        snprintf(msg, cap, "target '%s': not a valid IPv6 address", s);
        return TD_ERR_INPUT;
    }
    return TD_ERR_OK;
}

/* RFC 6761 6.4: names under "invalid." never resolve, and "name resolution
 * APIs and libraries SHOULD recognize them as special and SHOULD always return
 * immediately with a negative response" - so no query leaves the machine. */
static bool is_invalid_tld(const char *host)
{
    size_t n = strlen(host);

    if (n > 0 && host[n - 1] == '.')
        n--;
    if (n == 7)
        return strncasecmp(host, "invalid", 7) == 0;
    return n > 8 && strncasecmp(host + n - 8, ".invalid", 8) == 0;
}

td_err td_net_resolve(const struct td_target *t, int family, struct td_addrs *out, char *msg, size_t cap)
{
    struct addrinfo hints, *res = NULL;
    char port[8];
    int rc;

    memset(out, 0, sizeof(*out));
    if (!t->is_ip && is_invalid_tld(t->host)) {
        snprintf(msg, cap, "cannot resolve '%s': names under .invalid never resolve (RFC 6761)", t->host);
        return TD_ERR_NOTFOUND;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_ADDRCONFIG | (t->is_ip ? AI_NUMERICHOST : 0);
    snprintf(port, sizeof(port), "%u", (unsigned)t->port);
    rc = getaddrinfo(t->host, port, &hints, &res);
    if (rc == EAI_NONAME || rc == EAI_FAMILY || rc == EAI_NODATA_COMPAT) {
        /* AI_ADDRCONFIG hides ::1 on hosts whose only IPv6 address is
         * loopback; ask again without it. */
        hints.ai_flags &= ~AI_ADDRCONFIG;
        rc = getaddrinfo(t->host, port, &hints, &res);
    }
    if (rc != 0) {
        snprintf(msg, cap, "cannot resolve '%s': %s", t->host, gai_strerror(rc));
        return TD_ERR_NOTFOUND;
    }
    for (struct addrinfo *ai = res; ai != NULL && out->n < TD_NET_ADDRS_MAX; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof(out->a[0].sa))
            continue;
        memcpy(&out->a[out->n].sa, ai->ai_addr, ai->ai_addrlen);
        out->a[out->n].len = ai->ai_addrlen;
        out->n++;
    }
    freeaddrinfo(res);
    if (out->n == 0) {
        snprintf(msg, cap, "cannot resolve '%s': no usable address", t->host);
        return TD_ERR_NOTFOUND;
    }
    return TD_ERR_OK;
}

void td_addr_format(const struct td_addr *a, char *buf, size_t cap)
{
    char ip[INET6_ADDRSTRLEN];

    if (a->sa.ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&a->sa;
        if (inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip)) == NULL)
            ip[0] = '\0';
        snprintf(buf, cap, "[%s]:%u", ip, (unsigned)ntohs(s6->sin6_port));
    } else if (a->sa.ss_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)&a->sa;
        if (inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip)) == NULL)
            ip[0] = '\0';
        snprintf(buf, cap, "%s:%u", ip, (unsigned)ntohs(s4->sin_port));
    } else {
        snprintf(buf, cap, "(unknown address family %d)", (int)a->sa.ss_family);
    }
}
