/* Output of `tlsdiag explain`: human text and JSON (schema in docs/explain.md). */
#ifndef TD_EXPLAIN_RENDER_H
#define TD_EXPLAIN_RENDER_H

#include <jansson.h>
#include <stdio.h>

#include "explain/kb.h"
#include "explain/match.h"

/* device: fills {device} when given (NULL: the source's own, else "DEVICE"). */
void td_ex_print_text(FILE *f, const char *input, const struct td_ex_result *res, const char *device);
/* New reference; NULL on allocation failure. */
json_t *td_ex_result_json(const char *input, const char *from, const struct td_ex_result *res, const char *device);

void td_ex_print_sources(FILE *f, const struct td_ex_kb *kb);
json_t *td_ex_sources_json(const struct td_ex_kb *kb);

/* One line: what to try when nothing matched. */
void td_ex_print_nomatch(FILE *f, const char *input, const char *from, const struct td_ex_kb *kb);

#endif
