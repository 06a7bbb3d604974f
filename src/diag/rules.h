/* The diagnosis rules of `check` (and later listen/pcap): pure functions
 * from facts (diag/facts.h) to findings (diag/finding.h). Each rule has a
 * stable id documented in docs/findings.md under "## check". Rules never do
 * I/O; the same facts always give the same findings. */
#ifndef TD_DIAG_RULES_H
#define TD_DIAG_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag/facts.h"
#include "diag/finding.h"

struct td_rule {
    const char *id;          /* "check.no-common-suite" */
    const char *report;      /* the profile's errors.* key it maps to; NULL: none */
    const char *summary;     /* one line, for docs and --help */
    void (*fn)(const struct td_dx_input *in, struct td_findings *out);
};

size_t td_diag_rule_count(void);
const struct td_rule *td_diag_rule_at(size_t i);

/* Runs every rule in order, appending to out. *pass: no finding of
 * severity error. Returns TD_ERR_NOMEM if a finding could not be stored. */
TD_MUST_USE td_err td_diag_run(const struct td_dx_input *in, struct td_findings *out, bool *pass);

/* Server configuration lines that keep the server's current TLS <= 1.2
 * suites (in order) and append `add`: one string per server software,
 * written into the caller's buffers. current may be empty (unknown): the
 * lines then say to append to the existing list. */
struct td_cipher_lines {
    char openssl[4096]; /* the bare cipher string */
    char apache[4200];  /* SSLCipherSuite ... */
    char nginx[4200];   /* ssl_ciphers '...'; */
    char haproxy[8400]; /* ssl-default-bind-ciphers ... (global) and bind ... ciphers ... */
};
void td_diag_cipher_lines(const uint16_t *current, size_t ncurrent, const uint16_t *add, size_t nadd,
                          struct td_cipher_lines *out);

/* The device suites a server with key type key_type ("RSA", "EC", NULL =
 * unknown) could add so that this device can connect: in the device's
 * order, only suites OpenSSL can serve, valid in a version both share.
 * Returns the count written to out (at most cap). */
size_t td_diag_suites_to_add(const struct td_dx_input *in, const char *key_type, uint16_t *out, size_t cap);

#endif
