#include "core/hex.h"

#include <string.h>

int td_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool is_sep(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ':' || c == ';' || c == '-';
}

/* How far p reads as hex text; *digits counts the hex digits in that run. */
static size_t hex_text_run(const uint8_t *p, size_t n, size_t *digits)
{
    size_t i;

    *digits = 0;
    for (i = 0; i < n; i++) {
        int c = p[i];
        if (td_hex_digit(c) >= 0) {
            /* "0x" prefix: the 0 counts as a prefix, not a digit */
            if (c == '0' && i + 1 < n && (p[i + 1] == 'x' || p[i + 1] == 'X')) {
                i++;
                continue;
            }
            (*digits)++;
            continue;
        }
        if (!is_sep(c))
            break;
    }
    return i;
}

bool td_hex_is_text(const uint8_t *p, size_t n)
{
    size_t digits;
    return hex_text_run(p, n, &digits) == n && digits > 0;
}

size_t td_hex_text_len(const uint8_t *p, size_t n)
{
    size_t digits;
    return hex_text_run(p, n, &digits);
}

td_err td_hex_parse(const char *text, size_t n, struct td_writer *out, struct td_diag *diag)
{
    size_t i = 0;

    while (i < n) {
        int c = (unsigned char)text[i];
        if (is_sep(c)) {
            i++;
            continue;
        }
        size_t start = i;
        if (c == '0' && i + 1 < n && (text[i + 1] == 'x' || text[i + 1] == 'X'))
            i += 2;
        size_t digits_at = i;
        while (i < n && td_hex_digit((unsigned char)text[i]) >= 0)
            i++;
        size_t ndig = i - digits_at;
        if (i < n && !is_sep((unsigned char)text[i]))
            return td_diag_setf(diag, TD_ERR_INPUT, i, "hex text", "unexpected character '%c'",
                                (text[i] >= 0x20 && text[i] < 0x7f) ? text[i] : '?');
        if (ndig == 0)
            return td_diag_setf(diag, TD_ERR_INPUT, start, "hex text", "\"0x\" with no digits");
        if (ndig % 2 != 0)
            return td_diag_setf(diag, TD_ERR_INPUT, start, "hex text", "odd number of hex digits (%zu) in token",
                                ndig);
        for (size_t k = digits_at; k < i; k += 2) {
            uint8_t b = (uint8_t)(td_hex_digit((unsigned char)text[k]) << 4 | td_hex_digit((unsigned char)text[k + 1]));
            td_err ret = td_wr_u8(out, b);
            if (ret != TD_ERR_OK)
                return td_diag_set(diag, ret, k, "hex text");
        }
    }
    return TD_ERR_OK;
}

void td_hex_format(const uint8_t *p, size_t n, const char *sep, bool upper, char *buf, size_t cap)
{
    static const char lo[] = "0123456789abcdef";
    static const char up[] = "0123456789ABCDEF";
    const char *digits = upper ? up : lo;
    size_t seplen = sep != NULL ? strlen(sep) : 0;
    size_t pos = 0;

    if (cap == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        size_t need = (i > 0 ? seplen : 0) + 2;
        if (pos + need + 1 > cap)
            break;
        if (i > 0 && seplen > 0) {
            memcpy(buf + pos, sep, seplen);
            pos += seplen;
        }
        buf[pos++] = digits[p[i] >> 4];
        buf[pos++] = digits[p[i] & 15];
    }
    buf[pos] = '\0';
}

void td_printable(const uint8_t *p, size_t n, char *buf, size_t cap)
{
    size_t i;

    if (cap == 0)
        return;
    for (i = 0; i < n && i + 1 < cap; i++)
        buf[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.';
    buf[i] = '\0';
}

void td_hex_dump(FILE *f, const uint8_t *p, size_t n, const char *indent)
{
    for (size_t off = 0; off < n; off += 16) {
        size_t k = n - off < 16 ? n - off : 16;
        char hex[16 * 3 + 1];
        char asc[17];
        td_hex_format(p + off, k, " ", false, hex, sizeof(hex));
        td_printable(p + off, k, asc, sizeof(asc));
        fprintf(f, "%s%04zx  %-47s  %s\n", indent != NULL ? indent : "", off, hex, asc);
    }
}
