#include "diag/finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

TD_PRINTF(1, 0) static char *vfmt(const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    char *s;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    s = td_malloc((size_t)n + 1);
    if (s == NULL)
        return NULL;
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

void td_findings_init(struct td_findings *l) { memset(l, 0, sizeof(*l)); }

static void finding_free(struct td_finding *f)
{
    td_free(f->id);
    td_free(f->cause);
    td_free(f->evidence);
    td_free(f->source);
    for (size_t i = 0; i < f->nfix; i++) {
        td_free(f->fixes[i].label);
        td_free(f->fixes[i].text);
    }
}

void td_findings_free(struct td_findings *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        finding_free(&l->v[i]);
    td_free(l->v);
    memset(l, 0, sizeof(*l));
}

struct td_finding *td_findings_add(struct td_findings *l, const char *id, enum td_severity sev, const char *fmt, ...)
{
    struct td_finding *f;
    va_list ap;

    if (l->n >= TD_FINDINGS_CAP)
        return NULL;
    if (l->n == l->alloc) {
        size_t na = l->alloc != 0 ? l->alloc * 2 : 8;
        struct td_finding *nv = td_reallocarray(l->v, na, sizeof(*nv));
        if (nv == NULL)
            return NULL;
        l->v = nv;
        l->alloc = na;
    }
    f = &l->v[l->n];
    memset(f, 0, sizeof(*f));
    f->id = td_strdup(id);
    f->severity = sev;
    va_start(ap, fmt);
    f->cause = vfmt(fmt, ap);
    va_end(ap);
    if (f->id == NULL || f->cause == NULL) {
        finding_free(f);
        return NULL;
    }
    l->n++;
    return f;
}

/* Replaces *slot with the formatted text. */
TD_PRINTF(2, 0) static td_err set_text(char **slot, const char *fmt, va_list ap)
{
    char *s = vfmt(fmt, ap);

    if (s == NULL)
        return TD_ERR_NOMEM;
    td_free(*slot);
    *slot = s;
    return TD_ERR_OK;
}

td_err td_finding_evidence(struct td_finding *f, const char *fmt, ...)
{
    va_list ap;
    td_err ret;

    va_start(ap, fmt);
    ret = set_text(&f->evidence, fmt, ap);
    va_end(ap);
    return ret;
}

td_err td_finding_source(struct td_finding *f, const char *fmt, ...)
{
    va_list ap;
    td_err ret;

    va_start(ap, fmt);
    ret = set_text(&f->source, fmt, ap);
    va_end(ap);
    return ret;
}

td_err td_finding_fix(struct td_finding *f, const char *label, const char *fmt, ...)
{
    va_list ap;
    char *s, *l;

    if (f->nfix >= TD_FINDING_MAX_FIXES)
        return TD_ERR_TOOBIG;
    va_start(ap, fmt);
    s = vfmt(fmt, ap);
    va_end(ap);
    l = td_strdup(label);
    if (s == NULL || l == NULL) {
        td_free(s);
        td_free(l);
        return TD_ERR_NOMEM;
    }
    f->fixes[f->nfix].label = l;
    f->fixes[f->nfix].text = s;
    f->nfix++;
    return TD_ERR_OK;
}

int td_findings_worst(const struct td_findings *l)
{
    int worst = -1;
    for (size_t i = 0; i < l->n; i++)
        if ((int)l->v[i].severity > worst)
            worst = (int)l->v[i].severity;
    return worst;
}

const char *td_severity_name(enum td_severity s)
{
    switch (s) {
    case TD_SEV_INFO:
        return "info";
    case TD_SEV_WARN:
        return "warning";
    case TD_SEV_ERROR:
        return "error";
    default:
        return "unknown";
    }
}
