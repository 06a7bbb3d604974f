/* Matching user input against the explain knowledge base: a code in any
 * usual spelling ("0x85", "85", "-0x7780", "-30592", "AH02645",
 * "X509_V_ERR_CERT_HAS_EXPIRED", "handshake_failure"), a name, or a pasted
 * log line / error message in which every known code and message fragment is
 * found. Pure: text in, list of matches out; no I/O. */
#ifndef TD_EXPLAIN_MATCH_H
#define TD_EXPLAIN_MATCH_H

#include <stddef.h>

#include "core/err.h"
#include "explain/kb.h"

/* Caps: input text size, number of matches kept. */
#define TD_EX_MAX_INPUT (1024u * 1024u)
#define TD_EX_MAX_MATCHES 64u

enum td_ex_how {
    TD_EX_HOW_CODE,    /* the whole input is this entry's code */
    TD_EX_HOW_NAME,    /* the whole input is its name, summary or an alias */
    TD_EX_HOW_SYMBOL,  /* a code token (AH02645, MBEDTLS_ERR_..., 0A000410) found in the text */
    TD_EX_HOW_PATTERN, /* a known message fragment found in the text */
    TD_EX_HOW_CONTEXT, /* a number after a context word ("status 85", "alert number 40") */
    TD_EX_HOW_NUMBER,  /* a negative code found anywhere in the text (mbedTLS) */
};

struct td_ex_match {
    const struct td_ex_entry *e;
    int score; /* higher is better */
    enum td_ex_how how;
    char text[96]; /* what matched, as it appears in the input */
    char note[96]; /* how it was read, e.g. "read as hex 0x85" */
    size_t at;     /* offset in the input */
};

struct td_ex_result {
    struct td_ex_match m[TD_EX_MAX_MATCHES];
    size_t n;
    char host[256]; /* server host found in the input, "" if none */
    char port[8];   /* its port, "" if none */
};

const char *td_ex_how_name(enum td_ex_how how);

/* Finds every entry the input refers to, best first. from restricts to one
 * source id (NULL: all). Returns TD_ERR_TOOBIG for an input over the cap,
 * TD_ERR_NOTFOUND for an unknown `from`; zero matches is TD_ERR_OK with n 0. */
TD_MUST_USE td_err td_ex_lookup(const struct td_ex_kb *kb, const char *input, size_t len, const char *from,
                                struct td_ex_result *res);

/* Finds the server the text talks about ("(server example.com:443)",
 * "connect to 1.2.3.4:443", a bare "IP:PORT" not labelled as the client).
 * host/port are "" when nothing is found. */
void td_ex_find_target(const char *text, size_t len, char *host, size_t hostcap, char *port, size_t portcap);

/* Expands {target}, {host}, {device} in a command. device may be NULL. */
void td_ex_fill_command(const char *cmd, const struct td_ex_result *res, const char *device, char *out, size_t cap);

#endif
