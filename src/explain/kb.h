/* The explain knowledge base: what an error code, alert or log message means
 * and what to do next. It is data (the .txt files in data/explain/, one file per source,
 * compiled into the binary through core/embed.h), parsed here and validated
 * on load; a malformed file gives "FILE:LINE: what is wrong".
 *
 * File format (docs/explain.md has the full description):
 *
 *   # comment
 *   source: xbee-tx-status          <- header keys, before the first entry
 *   title: XBee Cellular TX Status (frame 0x89)
 *   ref: Digi 90002258 ...          <- default citation for every entry
 *   radix: hex                      <- how bare digits typed by a user are read
 *   priority: 10                    <- tie-break when several sources match
 *   context: TX Status              <- numbers after this text in a pasted line
 *   device: xbee3-cellular-ltem     <- fills {device} in commands
 *
 *   [0x85]                          <- an entry: a number or a symbolic code
 *   name: Unknown error
 *   summary: ...                    <- optional one-line gist (default: name)
 *   meaning: ...
 *   cause: ...                      <- repeatable, most likely first
 *   side: device, server            <- device|server|network|certificate|config
 *   command: tlsdiag check {target} --device {device}
 *   alias: ...                      <- other spellings (symbols, names)
 *   pattern: ...                    <- text fragments found in pasted lines
 *   ref: ...                        <- where this meaning comes from
 *
 * A line that starts with a space or tab continues the previous value. */
#ifndef TD_EXPLAIN_KB_H
#define TD_EXPLAIN_KB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Caps: a knowledge-base file, a line, the entries of one file, the values
 * of one repeatable key. Anything larger is a malformed file. */
#define TD_EX_MAX_FILE (1024u * 1024u)
#define TD_EX_MAX_LINE 4096u
#define TD_EX_MAX_ENTRIES 2000u
#define TD_EX_MAX_LIST 32u

enum td_ex_radix { TD_EX_RADIX_DEC = 10, TD_EX_RADIX_HEX = 16 };

struct td_ex_list {
    char **v;
    size_t n;
};

struct td_ex_source;

struct td_ex_entry {
    const struct td_ex_source *src;
    char *key;    /* as written in the header: "0x85", "-0x7780", "AH02645" */
    bool numeric; /* key is a number; value holds it */
    long long value;
    char *name;
    char *summary; /* never NULL after load (defaults to name) */
    char *meaning;
    char *ref; /* never NULL after load (defaults to the file's ref) */
    struct td_ex_list causes, sides, commands, aliases, patterns;
    unsigned line; /* line of the [key] header, for messages */
};

struct td_ex_context {
    char *text;
    int radix; /* how bare digits after it are read */
};

struct td_ex_source {
    char *id;   /* "xbee-tx-status" */
    char *file; /* "xbee-tx-status.txt" */
    char *title;
    char *ref;
    char *device; /* may be NULL */
    int radix;
    int priority;
    bool negative; /* codes are negative numbers (mbedTLS): match a dropped sign */
    struct td_ex_context *ctx;
    size_t nctx;
    struct td_ex_entry *entries;
    size_t nentries;
    size_t order; /* position in the knowledge base */
};

struct td_ex_kb {
    struct td_ex_source *src;
    size_t nsrc;
};

void td_ex_kb_init(struct td_ex_kb *kb);
void td_ex_kb_free(struct td_ex_kb *kb);

/* Parses one knowledge-base file and appends it as a source. On failure err
 * gets "data/explain/FILE:LINE: reason" and the KB is unchanged. */
TD_MUST_USE td_err td_ex_kb_add(struct td_ex_kb *kb, const char *file, const uint8_t *text, size_t len, char *err,
                                size_t errcap);

/* Loads every file compiled into the binary (td_embed_explain). */
TD_MUST_USE td_err td_ex_kb_load_builtin(struct td_ex_kb *kb, char *err, size_t errcap);

const struct td_ex_source *td_ex_kb_source(const struct td_ex_kb *kb, const char *id);

/* Parses a code as written in a KB header or typed by a user: "0x85",
 * "-0x7780", "-30592", "40". Returns false if it is not a number. */
bool td_ex_parse_number(const char *s, size_t len, long long *out, bool *explicit_hex);

#endif
