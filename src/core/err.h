/* One error list for all of tlsdiag (libuv UV_ERRNO_MAP, s2n ERR_ENTRY):
 * the enum, its name and its message come from the same line. */
#ifndef TD_CORE_ERR_H
#define TD_CORE_ERR_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define TD_MUST_USE __attribute__((warn_unused_result))
#define TD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TD_MUST_USE
#define TD_PRINTF(f, a)
#endif

#define TD_ERRORS(X)                                                            \
    X(OK, "success")                                                            \
    X(TRUNCATED, "truncated")                                                   \
    X(LENGTH, "length out of range")                                            \
    X(TRAILING, "unexpected trailing bytes")                                    \
    X(BADVALUE, "invalid value")                                                \
    X(DUPLICATE, "duplicate entry")                                             \
    X(UNEXPECTED, "unexpected message")                                         \
    X(CHECKSUM, "checksum mismatch")                                            \
    X(TOOBIG, "exceeds size cap")                                               \
    X(NOMEM, "out of memory")                                                   \
    X(USAGE, "usage error")                                                     \
    X(INPUT, "invalid input")                                                   \
    X(NOTFOUND, "not found")                                                    \
    X(UNSUPPORTED, "not supported")                                             \
    X(IO, "I/O error")                                                          \
    X(TIMEOUT, "timed out")                                                     \
    X(NET, "network error")                                                     \
    X(TLS, "TLS library error")                                                 \
    X(INTERNAL, "internal error")

typedef enum {
#define TD_ERR_ENUM(name, msg) TD_ERR_##name,
    TD_ERRORS(TD_ERR_ENUM)
#undef TD_ERR_ENUM
        TD_ERR__COUNT
} td_err;

/* "TRUNCATED" */
const char *td_err_name(td_err e);
/* "truncated" */
const char *td_err_str(td_err e);

/* Where a failure happened, for a one-line message such as
 * "ServerHello truncated at byte 41 (extensions length)".
 * The first failure wins: later ones do not overwrite it. */
struct td_diag {
    td_err code;
    size_t offset;      /* absolute byte offset of the failing field */
    const char *field;  /* what was being read, e.g. "extensions length" */
    const char *ctx;    /* what was being parsed, e.g. "ServerHello" */
    char detail[160];   /* optional free text, e.g. "expected 0x5B, found 0x5C" */
};

void td_diag_init(struct td_diag *d);
/* Records the failure if none is recorded yet; returns e so callers can
 * `return td_diag_set(...)`. d may be NULL. */
td_err td_diag_set(struct td_diag *d, td_err e, size_t offset, const char *field);
td_err td_diag_setf(struct td_diag *d, td_err e, size_t offset, const char *field, const char *fmt, ...)
    TD_PRINTF(5, 6);
/* Formats the diagnosis as one line into buf. */
void td_diag_format(const struct td_diag *d, char *buf, size_t cap);

/* Control flow (s2n GUARD / picotls Exit:). Functions using TRY/ENSURE have a
 * local `td_err ret` and an `out:` label. */
#define TRY(expr)                                                               \
    do {                                                                        \
        ret = (expr);                                                           \
        if (ret != TD_ERR_OK)                                                   \
            goto out;                                                           \
    } while (0)

#define ENSURE(cond, e)                                                         \
    do {                                                                        \
        if (!(cond)) {                                                          \
            ret = (e);                                                          \
            goto out;                                                           \
        }                                                                       \
    } while (0)

#define TD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
