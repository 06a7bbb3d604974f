/* The embedded demo server: an OpenSSL TLS server in a thread on
 * 127.0.0.1:<ephemeral>, with a freshly generated self-signed RSA-2048
 * certificate whose CN is an IP address (like the seed thread's
 * apache-selfsigned.crt), configured like the seed's Apache: TLS 1.2 only,
 * only the eight ECDHE/DHE RSA suites its nmap output listed. The cipher
 * list can be changed while it runs (to apply the fix). It keeps a short
 * log of what it saw, like Apache's error log. Loopback only. */
#ifndef TD_TLSIO_SERVER_H
#define TD_TLSIO_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* The seed's server, in OpenSSL names, in the nmap output's order. */
#define TD_DEMO_SEED_CIPHERS                                                                        \
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"            \
    "DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA:DHE-RSA-AES256-SHA256:" \
    "DHE-RSA-AES256-SHA"

struct td_demo_server;

/* Starts the server. cipher_list: an OpenSSL cipher string (NULL: the
 * seed's). On failure *out is NULL and err says why. */
TD_MUST_USE td_err td_demo_server_start(const char *cipher_list, struct td_demo_server **out, char *err, size_t cap);
uint16_t td_demo_server_port(const struct td_demo_server *s);
/* The certificate as PEM (what the user would upload as the CA file). */
const char *td_demo_server_cert_pem(const struct td_demo_server *s);
/* Replaces the cipher list for the next connections. */
TD_MUST_USE td_err td_demo_server_set_ciphers(struct td_demo_server *s, const char *cipher_list);
/* Moves the log lines written since the last call into buf (NUL-terminated,
 * truncated to cap). Returns the number of lines. */
size_t td_demo_server_take_log(struct td_demo_server *s, char *buf, size_t cap);
/* Connections accepted and fully handled so far. */
size_t td_demo_server_served(struct td_demo_server *s);
/* Stops the thread, closes the socket, frees everything. NULL is fine. */
void td_demo_server_stop(struct td_demo_server *s);

#endif
