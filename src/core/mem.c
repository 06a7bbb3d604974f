#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *td_malloc(size_t n) { return malloc(n != 0 ? n : 1); }

void *td_calloc(size_t count, size_t size)
{
    if (count == 0 || size == 0)
        return calloc(1, 1);
    return calloc(count, size);
}

void *td_reallocarray(void *p, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    return realloc(p, count * size != 0 ? count * size : 1);
}

char *td_strdup(const char *s) { return td_strndup(s, strlen(s)); }

char *td_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = malloc(len + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

void td_free(void *p) { free(p); }
