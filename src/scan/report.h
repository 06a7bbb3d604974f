/* Rendering a target's scan: JSON (schema in docs/scan-json.md, key order
 * stable) and grouped text (colour only on a tty). */
#ifndef TD_SCAN_REPORT_H
#define TD_SCAN_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "scan/target.h"

#define TD_SCAN_SCHEMA "tlsdiag.scan/1"

/* A new JSON object for the result (never NULL unless out of memory). */
json_t *td_scan_json(const struct td_scan_target_result *r);

/* Grouped, readable text to f. */
void td_scan_text(FILE *f, const struct td_scan_target_result *r);

#endif
