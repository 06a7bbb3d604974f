/* `tlsdiag check`: connect to a server exactly as a device would and say
 * where and why the handshake fails, what the device would report, and
 * what to change.
 *
 * The steps (docs/check.md):
 *  1. the device's exact ClientHello (hello/ builder from the profile) on a
 *     fresh connection; the server's flight is followed with the wire flight
 *     reader into a transcript (the ladder diagram);
 *  2. the same handshake completed by OpenSSL configured as the device
 *     (tlsio/), wherever OpenSSL supports what was negotiated;
 *  3. the server's certificates evaluated as the device would (x509/, at the
 *     device's validation level with its CA file);
 *  4. a few extra probes for server facts the rules need (versions, suites,
 *     with and without SNI), only where the verdict depends on them;
 *  5. the rules (diag/rules.h) over all of it. */
#ifndef TD_CHECK_CHECK_H
#define TD_CHECK_CHECK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "diag/facts.h"
#include "diag/finding.h"
#include "profiles/profile.h"
#include "wire/transcript.h"

struct td_check_opts {
    const char *target;      /* HOST[:PORT], default port 443 */
    const char *device;      /* built-in profile name or alias */
    const char *device_file; /* or a profile file (wins over device) */
    const char *ca_file;     /* the device's CA file (PEM) */
    const char *client_cert, *client_key;
    const char *sni;         /* the device is configured to send this SNI */
    bool no_sni;             /* the device sends no SNI */
    int level;               /* validation level 0..3; -1: the device's default */
    int timeout_ms;          /* per connection; <= 0: 8000 */
    bool quiet_probes;       /* no progress lines on stderr */
};

#define TD_CHECK_MAX_NOTES 16
#define TD_CHECK_MAX_STRINGS 128

struct td_check_result {
    bool pass;
    char target[300];
    struct td_profile *profile;
    struct td_dx_input in;         /* the facts the rules saw */
    struct td_findings findings;
    struct td_transcript transcript;  /* step 1: the device's exact hello and the server's answer */
    struct td_transcript completion;  /* step 2: the OpenSSL handshake (empty if not run) */
    bool completion_run;
    bool completed;                   /* step 2 finished the handshake */
    char completion_note[512];
    size_t nnotes;                    /* assumptions made where the profile is silent */
    char *notes[TD_CHECK_MAX_NOTES];
    size_t nprobes;                   /* connections made */
    double elapsed_ms;
    size_t nstrings;                  /* strings the facts borrow */
    char *strings[TD_CHECK_MAX_STRINGS];
};

void td_check_result_init(struct td_check_result *r);
void td_check_result_free(struct td_check_result *r);

/* Runs the check. TD_ERR_USAGE / TD_ERR_INPUT / TD_ERR_NOTFOUND for bad
 * options, files or names (err says which, one line); the server's
 * behaviour is never an error: it is in r. */
TD_MUST_USE td_err td_check_run(const struct td_check_opts *o, struct td_check_result *r, char *err, size_t cap);

/* Output (docs/check.md, docs/check-json.md). */
void td_check_print_text(FILE *f, const struct td_check_result *r);
/* The verdict and the findings only (no ladder). */
void td_check_print_summary(FILE *f, const struct td_check_result *r);
json_t *td_check_json(const struct td_check_result *r);

/* Fills dev from a profile and the check options (exported for scan's
 * compatibility matrix and tests). Strings are borrowed from p, or kept in
 * r's string list when r is not NULL. */
void td_check_device_facts(const struct td_profile *p, const struct td_check_opts *o, struct td_dx_device *dev,
                           struct td_check_result *r);

#endif
