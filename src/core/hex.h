/* Hex text in and out. Accepted input forms, freely mixed:
 *   "7E 00 15"   "7e0015"   "0x7E,0x00"   "7E:00:15"   with newlines/tabs
 * Raw binary input is recognised by td_hex_is_text() returning false. */
#ifndef TD_CORE_HEX_H
#define TD_CORE_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "core/writer.h"

/* The value of one hex digit ('0'-'9', 'a'-'f', 'A'-'F'), or -1 for any
 * other character: the one digit table for every hex reader. */
int td_hex_digit(int c);

/* True if every byte is a hex digit, a separator (space, tab, CR, LF, ',',
 * ':', ';', '-') or part of a "0x" prefix: the input is hex text, not binary. */
bool td_hex_is_text(const uint8_t *p, size_t n);

/* Length of the leading part of p that reads as hex text: the offset of
 * the first byte that made td_hex_is_text() false (n if none). */
size_t td_hex_text_len(const uint8_t *p, size_t n);

/* Parses hex text, appending bytes to out. Errors name the offset of the bad
 * character in the text (odd digit count, stray character). */
TD_MUST_USE td_err td_hex_parse(const char *text, size_t n, struct td_writer *out, struct td_diag *diag);

/* "7E 00 15" into buf (always NUL-terminated; truncated to fit cap). */
void td_hex_format(const uint8_t *p, size_t n, const char *sep, bool upper, char *buf, size_t cap);

/* Classic dump: offset, 16 hex bytes, printable ASCII, to f, each line
 * prefixed with indent. */
void td_hex_dump(FILE *f, const uint8_t *p, size_t n, const char *indent);

/* Printable rendering of bytes: non-printables as '.', into buf. */
void td_printable(const uint8_t *p, size_t n, char *buf, size_t cap);

#endif
