/* The device compatibility matrix of `scan` (issue 5 item 4): for every
 * built-in profile, would that device connect to a server with these
 * facts, and the one-line reason. The facts are what a scan learnt (the
 * server's versions, suites in its order, SNI behaviour, leaf certificate);
 * the verdict comes from the same rules as `check` (diag/rules.h), run on
 * the handshake the device would get, so the two never disagree. */
#ifndef TD_CHECK_COMPAT_H
#define TD_CHECK_COMPAT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "diag/facts.h"

struct td_compat_row {
    char device[64];   /* profile name */
    char display[128]; /* its display name */
    bool pass;
    bool unknown;      /* not judged: the profile lacks the device's suites or versions (pass is false) */
    bool uncertain;    /* the verdict rests on facts the profile marks unknown or partial */
    char id[48];       /* the deciding finding id, e.g. "check.no-common-suite" or "check.handshake-ok" */
    char reason[320];  /* one line */
};

/* srv: the server facts (versions_known/suites_known must be set for a
 * verdict on them; suites in the server's preference order; versions_known
 * YES with no versions: the server accepts none, every device fails). leaf: the
 * certificate sent without SNI (present=false if none seen). Writes up to
 * cap rows (one per built-in profile, in file order) and their count to *n.
 * TD_ERR_INPUT if a built-in profile fails to load (a build defect). */
TD_MUST_USE td_err td_check_compat(const struct td_dx_server *srv, const struct td_dx_cert *leaf,
                                   struct td_compat_row *rows, size_t cap, size_t *n);

/* One device against the same facts (used by td_check_compat; exposed for tests). */
void td_check_compat_one(const struct td_dx_device *dev, const struct td_dx_server *srv, const struct td_dx_cert *leaf,
                         struct td_compat_row *row);

#endif
