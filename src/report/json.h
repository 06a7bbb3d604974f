/* JSON output with a stable key order (insertion order). */
#ifndef TD_REPORT_JSON_H
#define TD_REPORT_JSON_H

#include <jansson.h>
#include <stdio.h>

/* Pretty (indent 2) or one line (lines != 0, for JSON Lines). Returns 0 on
 * success. Does not steal the reference. */
int td_json_print(FILE *f, const json_t *j, int lines);

#endif
