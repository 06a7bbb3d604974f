/* Reading whole input files with a cap; "-" is standard input. */
#ifndef TD_CORE_FILE_H
#define TD_CORE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/writer.h"

/* Appends the file's bytes to out (whose cap bounds the size). On failure
 * errmsg (if non-NULL) gets a one-line reason naming the path. */
TD_MUST_USE td_err td_file_read(const char *path, struct td_writer *out, char *errmsg, size_t errcap);

#endif
