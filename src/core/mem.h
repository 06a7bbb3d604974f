/* Memory wrappers: overflow-checked sizes, and free(NULL) is fine. */
#ifndef TD_CORE_MEM_H
#define TD_CORE_MEM_H

#include <stddef.h>

void *td_malloc(size_t n);
void *td_calloc(size_t count, size_t size);
/* Resizes to count * size bytes; on failure returns NULL and p is untouched. */
void *td_reallocarray(void *p, size_t count, size_t size);
char *td_strdup(const char *s);
char *td_strndup(const char *s, size_t n);
void td_free(void *p);

#endif
