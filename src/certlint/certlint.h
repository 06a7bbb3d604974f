/* Lint certificate and key files for upload to a device (or for a server a
 * device talks to). Rules are pure functions of the loaded files, the
 * device's limits (certlint/limits.h) and the options; each produces
 * findings with a stable id (docs/findings.md, "## cert"), the evidence
 * (which block, which line), the device fact's source, and the openssl
 * command that fixes it. */
#ifndef TD_CERTLINT_CERTLINT_H
#define TD_CERTLINT_CERTLINT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "certlint/limits.h"
#include "diag/finding.h"
#include "x509/x509.h"

/* What a file is for. */
enum td_cert_role {
    TD_ROLE_CERT = 0, /* a certificate (and maybe its key) for a server or a client */
    TD_ROLE_KEY = 1,  /* --key: the private key that goes with the certificates */
    TD_ROLE_CA = 2,   /* --ca: the device's CA file (trust anchor) */
};
const char *td_cert_role_name(enum td_cert_role r); /* "certificate", "key", "ca" */

struct td_certlint_file {
    const struct td_x509_file *file;
    enum td_cert_role role;
    struct td_findings findings; /* filled by td_certlint_run (init/free by the caller) */
};

struct td_certlint_opts {
    const struct td_cert_limits *lim;
    const char *host; /* --host: the name or IP the device connects to, or NULL */
    time_t at;        /* the device's clock (now by default) */
};

/* Runs every rule over the files. */
void td_certlint_run(struct td_certlint_file *files, size_t n, const struct td_certlint_opts *o);

/* The rule ids, for docs and tests (NULL-terminated). */
extern const char *const td_certlint_ids[];

#endif
