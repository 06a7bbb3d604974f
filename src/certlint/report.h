/* Rendering loaded certificate files and verification results as text and
 * JSON (schemas in docs/cert.md). */
#ifndef TD_CERTLINT_REPORT_H
#define TD_CERTLINT_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "x509/verify.h"
#include "x509/x509.h"

/* {index, kind, label, offset, end, line, end_line, der_size, certificate|key} */
json_t *td_cert_obj_json(const struct td_x509_file *f, const struct td_x509_obj *o);
/* {path, format, size, pem_quirks:[{quirk, line}], objects:[...]} */
json_t *td_cert_file_json(const struct td_x509_file *f);
/* A readable description, one object after the other. */
void td_cert_file_text(FILE *out, const struct td_x509_file *f);

/* {level, host, at, pass, failed_step, reason, steps:[...], name:{...}} */
json_t *td_verify_json(const struct td_verify_req *req, const struct td_verify_result *res);
void td_verify_text(FILE *out, const struct td_verify_req *req, const struct td_verify_result *res);

#endif
