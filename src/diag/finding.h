/* A finding: what the pipeline concludes (DESIGN.md "one pipeline").
 * Stable id (documented in docs/findings.md), severity, a one-line cause,
 * the evidence, fixes (one per server software or tool), and the source of
 * any device fact it relies on. Findings own their strings. */
#ifndef TD_DIAG_FINDING_H
#define TD_DIAG_FINDING_H

#include <stddef.h>

#include "core/err.h"

enum td_severity {
    TD_SEV_INFO = 0,
    TD_SEV_WARN = 1,
    TD_SEV_ERROR = 2,
};

#define TD_FINDING_MAX_FIXES 8

struct td_fix {
    char *label; /* "apache", "nginx", "haproxy", "openssl", "device", ... */
    char *text;  /* the exact line(s) to use */
};

struct td_finding {
    char *id;       /* stable, e.g. "cert.multiple-certs"; see docs/findings.md */
    enum td_severity severity;
    char *cause;    /* one line */
    char *evidence; /* may span lines; NULL if none */
    char *source;   /* citation for a device fact, NULL if none */
    size_t nfix;
    struct td_fix fixes[TD_FINDING_MAX_FIXES];
};

/* A growable list of findings (cap: TD_FINDINGS_CAP entries). */
#define TD_FINDINGS_CAP 4096
struct td_findings {
    struct td_finding *v;
    size_t n;
    size_t alloc;
};

void td_findings_init(struct td_findings *l);
void td_findings_free(struct td_findings *l);

/* Appends a finding with a formatted cause; returns it (NULL on allocation
 * failure or when the cap is reached). */
struct td_finding *td_findings_add(struct td_findings *l, const char *id, enum td_severity sev, const char *fmt, ...)
    TD_PRINTF(4, 5);
/* Sets (replaces) the evidence / source text of f. */
TD_MUST_USE td_err td_finding_evidence(struct td_finding *f, const char *fmt, ...) TD_PRINTF(2, 3);
TD_MUST_USE td_err td_finding_source(struct td_finding *f, const char *fmt, ...) TD_PRINTF(2, 3);
/* Appends a fix. */
TD_MUST_USE td_err td_finding_fix(struct td_finding *f, const char *label, const char *fmt, ...) TD_PRINTF(3, 4);

/* Highest severity present, or -1 when the list is empty. */
int td_findings_worst(const struct td_findings *l);
const char *td_severity_name(enum td_severity s); /* "info", "warning", "error" */

#endif
