#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const err_names[] = {
#define TD_ERR_NAME(name, msg) #name,
    TD_ERRORS(TD_ERR_NAME)
#undef TD_ERR_NAME
};

static const char *const err_msgs[] = {
#define TD_ERR_MSG(name, msg) msg,
    TD_ERRORS(TD_ERR_MSG)
#undef TD_ERR_MSG
};

const char *td_err_name(td_err e)
{
    if ((unsigned)e >= TD_ERR__COUNT)
        return "UNKNOWN";
    return err_names[e];
}

const char *td_err_str(td_err e)
{
    if ((unsigned)e >= TD_ERR__COUNT)
        return "unknown error";
    return err_msgs[e];
}

void td_diag_init(struct td_diag *d)
{
    memset(d, 0, sizeof(*d));
}

td_err td_diag_set(struct td_diag *d, td_err e, size_t offset, const char *field)
{
    if (d == NULL || d->code != TD_ERR_OK || e == TD_ERR_OK)
        return e;
    d->code = e;
    d->offset = offset;
    d->field = field;
    d->detail[0] = '\0';
    return e;
}

td_err td_diag_setf(struct td_diag *d, td_err e, size_t offset, const char *field, const char *fmt, ...)
{
    va_list ap;

    if (d == NULL || d->code != TD_ERR_OK || e == TD_ERR_OK)
        return e;
    td_diag_set(d, e, offset, field);
    va_start(ap, fmt);
    vsnprintf(d->detail, sizeof(d->detail), fmt, ap);
    va_end(ap);
    return e;
}

void td_diag_format(const struct td_diag *d, char *buf, size_t cap)
{
    const char *ctx = d->ctx != NULL ? d->ctx : "input";

    if (cap == 0)
        return;
    if (d->code == TD_ERR_OK) {
        snprintf(buf, cap, "%s: no error", ctx);
        return;
    }
    snprintf(buf, cap, "%s %s at byte %zu%s%s%s%s%s", ctx, td_err_str(d->code), d->offset,
             d->field != NULL ? " (" : "", d->field != NULL ? d->field : "", d->field != NULL ? ")" : "",
             d->detail[0] != '\0' ? ": " : "", d->detail);
}
