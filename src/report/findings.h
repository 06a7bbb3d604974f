/* Rendering findings: text (with colour on a tty) and JSON. */
#ifndef TD_REPORT_FINDINGS_H
#define TD_REPORT_FINDINGS_H

#include <jansson.h>
#include <stdio.h>

#include "diag/finding.h"

/* Text: "ERROR  cert.multiple-certs  cause" then indented evidence, fixes, source. */
void td_report_findings_text(FILE *f, const struct td_findings *l);
/* JSON array of {id, severity, cause, evidence, fixes:[{for, text}], source}. New reference. */
json_t *td_report_findings_json(const struct td_findings *l);

#endif
