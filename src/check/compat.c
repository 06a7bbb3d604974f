/* Device compatibility from server facts (see compat.h). */
#include "check/compat.h"

#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "diag/rules.h"
#include "profiles/profile.h"
#include "registry/registry.h"

/* The suite the server would pick: the first of its own list (its
 * preference order) that the device offers in a version both speak. */
static uint16_t pick_suite(const struct td_dx_device *dev, const struct td_dx_server *srv, uint16_t version)
{
    for (size_t i = 0; i < srv->nsuites; i++)
        for (size_t k = 0; k < dev->nsuites; k++)
            if (srv->suites[i] == dev->suites[k] && td_reg_suite_code_valid_in(srv->suites[i], version))
                return srv->suites[i];
    return 0;
}

/* The best version both speak (TLS 1.2 preferred over 1.3 only if the
 * server has no TLS 1.3: the server picks the highest). */
static uint16_t pick_version(const struct td_dx_device *dev, const struct td_dx_server *srv)
{
    uint16_t best = 0;
    for (size_t i = 0; i < dev->nversions; i++)
        for (size_t k = 0; k < srv->nversions; k++)
            if (dev->versions[i] == srv->versions[k] && td_reg_version_cmp(dev->versions[i], best) > 0)
                best = dev->versions[i];
    return best;
}

static bool caveat_for(const struct td_dx_device *dev, const char *id)
{
    /* "check.no-common-suite" -> "no_common_suite" */
    char key[48];
    size_t n = 0;
    const struct td_dx_report *rep;

    if (strncmp(id, "check.", 6) != 0)
        return false;
    for (const char *p = id + 6; *p != '\0' && n + 1 < sizeof(key); p++)
        key[n++] = *p == '-' ? '_' : *p;
    key[n] = '\0';
    rep = td_dx_device_report(dev, key);
    return rep != NULL && rep->uncertain;
}

void td_check_compat_one(const struct td_dx_device *dev, const struct td_dx_server *srv, const struct td_dx_cert *leaf,
                         struct td_compat_row *row)
{
    struct td_dx_input in;
    struct td_findings l;
    bool pass = false;
    uint16_t v = 0, suite = 0;
    char b1[TD_REG_NAMEBUF], b2[TD_REG_NAMEBUF];

    memset(row, 0, sizeof(*row));
    if (dev->nsuites == 0 || dev->nversions == 0) {
        snprintf(row->device, sizeof(row->device), "%s", dev->name != NULL ? dev->name : "?");
        snprintf(row->display, sizeof(row->display), "%s", dev->display != NULL ? dev->display : "");
        snprintf(row->id, sizeof(row->id), "check.not-judged");
        snprintf(row->reason, sizeof(row->reason), "not judged: the profile does not list the device's %s",
                 dev->nsuites == 0 ? "cipher suites" : "protocol versions");
        row->unknown = row->uncertain = true;
        return;
    }
    if (srv->versions_known == TD_DX_YES && srv->nversions == 0) {
        snprintf(row->device, sizeof(row->device), "%s", dev->name != NULL ? dev->name : "?");
        snprintf(row->display, sizeof(row->display), "%s", dev->display != NULL ? dev->display : "");
        snprintf(row->id, sizeof(row->id), "check.handshake-failed");
        snprintf(row->reason, sizeof(row->reason),
                 "the server accepted no protocol version at all (no ServerHello to any hello of the scan)");
        return;
    }
    td_dx_input_init(&in);
    in.target = "the server";
    in.dev = *dev;
    in.srv = *srv;
    in.att.sni_sent = NULL;
    /* The handshake the device would get, from the server facts. */
    if (dev->sends_sni != TD_DX_YES && srv->ok_without_sni == TD_DX_NO) {
        in.att.end = TD_DX_END_ALERT_RECEIVED;
        in.att.alert = srv->alert_without_sni;
    } else if (srv->versions_known == TD_DX_YES && (v = pick_version(dev, srv)) == 0) {
        in.att.end = TD_DX_END_ALERT_RECEIVED;
        in.att.alert = 70; /* protocol_version */
    } else if (srv->suites_known == TD_DX_YES && v != 0 && (suite = pick_suite(dev, srv, v)) == 0 &&
               v != TD_VER_TLS13) {
        in.att.end = TD_DX_END_ALERT_RECEIVED;
        in.att.alert = 40; /* handshake_failure */
    } else {
        in.att.end = TD_DX_END_COMPLETED;
        in.att.server_hello = true;
        in.att.version = v;
        in.att.suite = suite;
        {
            const struct td_suite *st = td_reg_suite_find(suite);
            if (st != NULL && (st->kx == TD_KX_DHE || st->kx == TD_KX_DHE_PSK))
                in.att.dh_bits = srv->dh_bits;
        }
        if (leaf != NULL)
            in.att.cert = *leaf;
        in.ver.level = dev->level;
        /* Without the device's CA file only level 0 can be judged. */
        in.ver.step = dev->level == 0 ? TD_DX_V_NONE : TD_DX_V_NOT_DONE;
    }
    td_findings_init(&l);
    snprintf(row->device, sizeof(row->device), "%s", dev->name != NULL ? dev->name : "?");
    snprintf(row->display, sizeof(row->display), "%s", dev->display != NULL ? dev->display : "");
    if (td_diag_run(&in, &l, &pass) != TD_ERR_OK) {
        snprintf(row->reason, sizeof(row->reason), "could not be judged (out of memory)");
        td_findings_free(&l);
        return;
    }
    row->pass = pass;
    for (size_t i = 0; i < l.n; i++) {
        const struct td_finding *f = &l.v[i];
        if (pass ? strcmp(f->id, "check.handshake-ok") != 0 : f->severity != TD_SEV_ERROR)
            continue;
        snprintf(row->id, sizeof(row->id), "%s", f->id);
        if (pass && in.att.suite != 0)
            snprintf(row->reason, sizeof(row->reason), "connects: %s, %s", td_reg_version_name(in.att.version, b1),
                     td_reg_suite_name(in.att.suite, b2));
        else
            snprintf(row->reason, sizeof(row->reason), "%s", f->cause);
        row->uncertain = caveat_for(dev, f->id) || f->severity == TD_SEV_WARN;
        break;
    }
    if (row->id[0] == '\0') {
        snprintf(row->id, sizeof(row->id), "%s", pass ? "check.handshake-ok" : "check.handshake-failed");
        snprintf(row->reason, sizeof(row->reason), "%s", pass ? "connects" : "fails");
    }
    if (pass && dev->level < 0) {
        row->uncertain = true;
        snprintf(row->reason + strlen(row->reason), sizeof(row->reason) - strlen(row->reason),
                 "; certificate not judged (validation level unknown)");
    } else if (pass && dev->level > 0) {
        snprintf(row->reason + strlen(row->reason), sizeof(row->reason) - strlen(row->reason),
                 "; certificate not judged (level %d needs the device's CA file: use check --ca)", dev->level);
    }
    td_findings_free(&l);
}

td_err td_check_compat(const struct td_dx_server *srv, const struct td_dx_cert *leaf, struct td_compat_row *rows,
                       size_t cap, size_t *n)
{
    size_t count = td_profile_builtin_count();

    *n = 0;
    for (size_t i = 0; i < count && *n < cap; i++) {
        struct td_profile *p = NULL;
        struct td_profile_error e;
        struct td_dx_input tmp;

        if (td_profile_load_builtin_at(i, &p, &e) != TD_ERR_OK)
            return TD_ERR_INPUT;
        td_dx_input_init(&tmp);
        td_check_device_facts(p, NULL, &tmp.dev, NULL);
        td_check_compat_one(&tmp.dev, srv, leaf, &rows[(*n)++]);
        td_profile_free(p);
    }
    return TD_ERR_OK;
}
