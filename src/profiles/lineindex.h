/* Key -> line index of a JSON text, so a semantic error found after parsing
 * ("offers.cipher_suites.value[2]: unknown cipher suite name") can name the
 * line it is on. jansson gives positions only for syntax errors. */
#ifndef TD_PROFILES_LINEINDEX_H
#define TD_PROFILES_LINEINDEX_H

#include <stddef.h>

struct td_lineindex_entry {
    char *path; /* "offers.sni", "aliases[1]" */
    int line, column;
};

struct td_lineindex {
    struct td_lineindex_entry *v;
    size_t n, alloc;
};

#define TD_LINEINDEX_MAX_DEPTH 32
#define TD_LINEINDEX_MAX_PATH 512
#define TD_LINEINDEX_MAX_ENTRIES 65536

/* Scans text (meant for text jansson already accepted, but safe on any
 * bytes): every object key and array element gets its path and position.
 * Deeper or longer paths than the caps are not indexed. Returns 0, or -1
 * when out of memory (the index then holds what was found so far). */
int td_lineindex_build(struct td_lineindex *ix, const char *text, size_t len);
/* Position of path, or of its nearest indexed parent; line 0 if none. */
void td_lineindex_find(const struct td_lineindex *ix, const char *path, int *line, int *column);
void td_lineindex_free(struct td_lineindex *ix);

#endif
