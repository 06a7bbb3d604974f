/* PEM text as a device's naive parser sees it (RFC 7468 textual encoding).
 *
 * A pure scanner: bytes in, blocks out, no OpenSSL. Besides decoding each
 * "-----BEGIN LABEL-----" ... "-----END LABEL-----" block it records where the
 * block sits (byte offset and line) and every formatting quirk that a strict
 * or naive embedded parser may trip on: a UTF-8 BOM, CRLF line endings,
 * trailing or leading whitespace, text outside the blocks, body lines longer
 * than 64 characters, a missing final newline. The lint turns those into
 * findings; the offsets let a fix say "lines 23-41 are the root". */
#ifndef TD_X509_PEM_H
#define TD_X509_PEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TD_PEM_MAX_BLOCKS 64       /* blocks per file */
#define TD_PEM_MAX_LABEL 48        /* "ENCRYPTED PRIVATE KEY" is 21 */
#define TD_PEM_MAX_BODY (1u << 20) /* decoded bytes per block */

/* Formatting quirks, as bit flags (a file's and a block's). */
enum {
    TD_PEM_Q_BOM = 1u << 0,           /* UTF-8 byte order mark before the first line */
    TD_PEM_Q_CRLF = 1u << 1,          /* lines end in CR LF */
    TD_PEM_Q_MIXED_EOL = 1u << 2,     /* both LF and CR LF line endings */
    TD_PEM_Q_TRAILING_WS = 1u << 3,   /* spaces or tabs at the end of a line */
    TD_PEM_Q_LEADING_WS = 1u << 4,    /* spaces or tabs before a BEGIN/END/body line */
    TD_PEM_Q_OUTSIDE_TEXT = 1u << 5,  /* non-blank text outside the blocks */
    TD_PEM_Q_LONG_LINE = 1u << 6,     /* a body line longer than 64 characters */
    TD_PEM_Q_NO_FINAL_EOL = 1u << 7,  /* the last line has no newline */
    TD_PEM_Q_BLANK_IN_BODY = 1u << 8, /* an empty line inside a block body */
    TD_PEM_Q_CR_ONLY = 1u << 9,       /* a lone CR (old Mac line ending) */
};
#define TD_PEM_Q_COUNT 10

/* Name of one quirk bit ("bom", "crlf", ...) and a sentence on why it matters. */
const char *td_pem_quirk_name(unsigned bit);
const char *td_pem_quirk_why(unsigned bit);

struct td_pem_block {
    char label[TD_PEM_MAX_LABEL]; /* "CERTIFICATE", "RSA PRIVATE KEY", ... */
    size_t offset;                /* byte offset of the BEGIN line's first character */
    size_t end;                   /* byte offset just past the END line (and its newline) */
    size_t line;                  /* 1-based line of BEGIN */
    size_t end_line;              /* 1-based line of END */
    bool has_headers;             /* RFC 1421 headers (Proc-Type, DEK-Info) */
    bool proc_encrypted;          /* "Proc-Type: 4,ENCRYPTED" */
    unsigned quirks;              /* TD_PEM_Q_* seen inside this block */
    uint8_t *der;                 /* decoded body (owned) */
    size_t der_len;
};

struct td_pem_scan {
    struct td_pem_block blocks[TD_PEM_MAX_BLOCKS];
    size_t nblocks;
    size_t lines;                      /* number of lines */
    unsigned quirks;                   /* TD_PEM_Q_* anywhere in the file */
    size_t quirk_line[TD_PEM_Q_COUNT]; /* first line where each quirk appears (0 = none) */
    size_t crlf_lines, lf_lines;
};

/* True if the bytes look like PEM text (a "-----BEGIN " line somewhere in
 * the first 64 KiB). */
bool td_pem_looks_like(const uint8_t *p, size_t n);

/* Scans p[0..n). On failure (no block, unterminated block, mismatched END
 * label, bad base64, too many blocks) returns the error and, in diag, the
 * byte offset plus a detail naming the line. Free with td_pem_scan_free even
 * on failure. */
TD_MUST_USE td_err td_pem_scan(const uint8_t *p, size_t n, struct td_pem_scan *out, struct td_diag *diag);
void td_pem_scan_free(struct td_pem_scan *s);

/* Strict base64 (RFC 4648, no whitespace): decodes into out (cap outcap),
 * sets *outlen. Used for body lines joined by the scanner. */
TD_MUST_USE td_err td_base64_decode(const char *in, size_t n, uint8_t *out, size_t outcap, size_t *outlen,
                                    size_t *bad_index);

#endif
