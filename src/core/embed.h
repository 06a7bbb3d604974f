/* Data files compiled into the binary (cmake/embed.cmake): device profiles
 * (profiles/NAME.json) and the explain knowledge base (data/explain/). Each
 * group NAME provides td_embed_NAME[] and td_embed_NAME_count. */
#ifndef TD_CORE_EMBED_H
#define TD_CORE_EMBED_H

#include <stddef.h>

struct td_embed_file {
    const char *name;           /* path relative to the group's folder */
    const unsigned char *data;  /* NUL-terminated for convenience */
    size_t len;                 /* without the NUL */
};

extern const struct td_embed_file td_embed_profiles[];
extern const size_t td_embed_profiles_count;
extern const struct td_embed_file td_embed_explain[];
extern const size_t td_embed_explain_count;

#endif
