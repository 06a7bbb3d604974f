/* OpenSSL's error queue, drained into the one line the user sees (STYLE.md:
 * "OpenSSL calls are wrapped so their error queue is drained"). */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "x509/x509.h"

void td_ossl_errors(char *buf, size_t cap, const char *what)
{
    unsigned long e;
    size_t used = 0;
    int count = 0;

    if (cap == 0)
        return;
    buf[0] = '\0';
    if (what != NULL) {
        int w = snprintf(buf, cap, "%s", what);
        used = w > 0 ? (size_t)w : 0;
    }
    while ((e = ERR_get_error()) != 0) {
        const char *reason = ERR_reason_error_string(e);
        const char *lib = ERR_lib_error_string(e);
        int w;
        if (count >= 3 || used >= cap)
            continue; /* keep draining so the queue is empty for the next call */
        w = snprintf(buf + used, cap - used, "%s%s%s%s", count == 0 ? (used > 0 ? ": " : "") : "; ",
                     lib != NULL ? lib : "", lib != NULL ? ": " : "", reason != NULL ? reason : "unknown reason");
        if (w > 0)
            used += (size_t)w;
        count++;
    }
    if (count == 0 && used < cap)
        snprintf(buf + used, cap - used, "%s", used > 0 ? ": no detail from OpenSSL" : "no detail from OpenSSL");
}
