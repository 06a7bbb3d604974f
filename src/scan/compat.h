/* The device compatibility section of a scan report (issue 5 item 4):
 * the scan's facts handed to check/compat.h, one row per built-in
 * profile with pass/fail and a one-line reason. */
#ifndef TD_SCAN_COMPAT_H
#define TD_SCAN_COMPAT_H

#include <jansson.h>
#include <stdio.h>

#include "check/compat.h"
#include "scan/target.h"

/* The server facts a device would meet, from a finished scan. leaf's
 * strings point into r or into cn (caller storage, >= 256 bytes). */
void td_scan_compat_facts(const struct td_scan_target_result *r, struct td_dx_server *srv, struct td_dx_cert *leaf,
                          char *cn, size_t cncap);
/* JSON array of {device, display_name, verdict: "pass"/"fail"/"unknown", uncertain, id, reason}; null if not
 * scanned. */
json_t *td_scan_compat_json(const struct td_scan_target_result *r);
/* "Device compatibility" section. Nothing when the scan did not complete. */
void td_scan_compat_text(FILE *f, const struct td_scan_target_result *r);

#endif
