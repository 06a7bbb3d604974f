/* PEM scanner (RFC 7468 "textual encodings", RFC 1421 headers for legacy
 * encrypted keys). Strict about what decides meaning (labels, base64), lax
 * about layout, but records every layout quirk: the lint reports them because
 * embedded PEM parsers are often much less forgiving than OpenSSL. */
#include "x509/pem.h"

#include <string.h>

#include "core/mem.h"
#include "core/writer.h"

static const char *const quirk_names[TD_PEM_Q_COUNT] = {
    "bom",
    "crlf",
    "mixed-eol",
    "trailing-whitespace",
    "leading-whitespace",
    "text-outside-blocks",
    "long-line",
    "no-final-newline",
    "blank-line-in-body",
    "cr-only",
};

static const char *const quirk_whys[TD_PEM_Q_COUNT] = {
    "a UTF-8 byte order mark (EF BB BF) precedes -----BEGIN, so a parser that expects the file to start with "
    "'-----' does not find the block",
    "lines end in CR LF (Windows); a parser that splits on LF keeps the CR in every base64 line",
    "the file mixes LF and CR LF line endings",
    "spaces or tabs at the end of a line; a parser comparing '-----END CERTIFICATE-----' exactly or decoding "
    "base64 line by line fails",
    "spaces or tabs at the start of a line",
    "text outside the BEGIN/END blocks (for example 'Bag Attributes' or 'openssl x509 -text' output)",
    "base64 lines longer than 64 characters (RFC 7468 writers use 64); fixed line buffers may truncate them",
    "the last line has no newline",
    "an empty line inside a block body",
    "lines end in a bare CR",
};

static unsigned bit_index(unsigned bit)
{
    unsigned i = 0;
    while (i < TD_PEM_Q_COUNT && (1u << i) != bit)
        i++;
    return i;
}

const char *td_pem_quirk_name(unsigned bit)
{
    unsigned i = bit_index(bit);
    return i < TD_PEM_Q_COUNT ? quirk_names[i] : "unknown";
}

const char *td_pem_quirk_why(unsigned bit)
{
    unsigned i = bit_index(bit);
    return i < TD_PEM_Q_COUNT ? quirk_whys[i] : "unknown";
}

static const char begin_tag[] = "-----BEGIN ";
static const char end_tag[] = "-----END ";
static const char dashes[] = "-----";

bool td_pem_looks_like(const uint8_t *p, size_t n)
{
    size_t lim = n < 65536 ? n : 65536;
    size_t tl = sizeof(begin_tag) - 1;

    for (size_t i = 0; i + tl <= lim; i++)
        if (p[i] == '-' && memcmp(p + i, begin_tag, tl) == 0)
            return true;
    return false;
}

static int b64val(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

td_err td_base64_decode(const char *in, size_t n, uint8_t *out, size_t outcap, size_t *outlen, size_t *bad_index)
{
    uint32_t acc = 0;
    unsigned bits = 0, pad = 0;
    size_t o = 0;

    *outlen = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)in[i];
        int v;
        if (c == '=') {
            pad++;
            if (pad > 2) {
                *bad_index = i;
                return TD_ERR_BADVALUE;
            }
            continue;
        }
        v = b64val(c);
        if (v < 0 || pad > 0) { /* a non-alphabet byte, or data after padding */
            *bad_index = i;
            return TD_ERR_BADVALUE;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= outcap) {
                *bad_index = i;
                return TD_ERR_TOOBIG;
            }
            out[o++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    /* Total length must be a multiple of 4 with the padding: 2 or 4 leftover
     * bits must be zero and match the '=' count (RFC 4648 section 3.5). */
    if ((n % 4) != 0 || (bits == 4 && pad != 2) || (bits == 2 && pad != 1) || (bits == 0 && pad != 0) || bits == 6 ||
        acc != 0) {
        *bad_index = n;
        return TD_ERR_BADVALUE;
    }
    *outlen = o;
    return TD_ERR_OK;
}

void td_pem_scan_free(struct td_pem_scan *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nblocks; i++) {
        td_free(s->blocks[i].der);
        s->blocks[i].der = NULL;
    }
    s->nblocks = 0;
}

static void quirk(struct td_pem_scan *s, struct td_pem_block *b, unsigned bit, size_t line)
{
    unsigned i = bit_index(bit);
    s->quirks |= bit;
    if (i < TD_PEM_Q_COUNT && s->quirk_line[i] == 0)
        s->quirk_line[i] = line;
    if (b != NULL)
        b->quirks |= bit;
}

static bool starts_with(const uint8_t *p, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    return n >= l && memcmp(p, lit, l) == 0;
}

static bool ends_with(const uint8_t *p, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    return n >= l && memcmp(p + n - l, lit, l) == 0;
}

enum state { OUTSIDE, HEADERS, BODY };

td_err td_pem_scan(const uint8_t *p, size_t n, struct td_pem_scan *s, struct td_diag *diag)
{
    td_err ret = TD_ERR_OK;
    struct td_writer b64;
    enum state st = OUTSIDE;
    struct td_pem_block *cur = NULL;
    size_t pos = 0, line = 0;
    bool header_seen_blank = false;

    memset(s, 0, sizeof(*s));
    td_wr_init(&b64, (size_t)TD_PEM_MAX_BODY / 3 * 4 + 8);
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        quirk(s, NULL, TD_PEM_Q_BOM, 1);
        pos = 3;
    }
    if (n > 0 && p[n - 1] != '\n')
        quirk(s, NULL, TD_PEM_Q_NO_FINAL_EOL, 0); /* line fixed up below */

    while (pos < n) {
        size_t ls = pos, le, ts, te;
        /* a line ends at LF, or at a CR not followed by LF */
        while (pos < n && p[pos] != '\n' && !(p[pos] == '\r' && (pos + 1 >= n || p[pos + 1] != '\n')))
            pos++;
        le = pos;
        line++;
        if (pos < n) {
            if (p[pos] == '\r') {
                quirk(s, cur, TD_PEM_Q_CR_ONLY, line);
                pos++;
            } else {
                pos++; /* the LF */
                if (le > ls && p[le - 1] == '\r') {
                    le--;
                    s->crlf_lines++;
                    quirk(s, cur, TD_PEM_Q_CRLF, line);
                } else {
                    s->lf_lines++;
                }
            }
        }
        /* trim */
        ts = ls;
        te = le;
        while (te > ts && (p[te - 1] == ' ' || p[te - 1] == '\t'))
            te--;
        if (te < le && te > ts)
            quirk(s, cur, TD_PEM_Q_TRAILING_WS, line);
        while (ts < te && (p[ts] == ' ' || p[ts] == '\t'))
            ts++;
        if (ts > ls && ts < te)
            quirk(s, cur, TD_PEM_Q_LEADING_WS, line);

        if (st == OUTSIDE) {
            size_t bl = sizeof(begin_tag) - 1, dl = sizeof(dashes) - 1;
            if (starts_with(p + ts, te - ts, begin_tag) && te - ts >= bl + dl && ends_with(p + ts, te - ts, dashes)) {
                size_t llen = te - ts - bl - dl;
                if (s->nblocks >= TD_PEM_MAX_BLOCKS) {
                    ret = td_diag_setf(diag, TD_ERR_TOOBIG, ts, "BEGIN line", "line %zu: more than %d PEM blocks", line,
                                       TD_PEM_MAX_BLOCKS);
                    goto out;
                }
                if (llen == 0 || llen >= TD_PEM_MAX_LABEL) {
                    ret = td_diag_setf(diag, TD_ERR_BADVALUE, ts, "BEGIN line", "line %zu: PEM label %s", line,
                                       llen == 0 ? "is empty" : "is too long");
                    goto out;
                }
                cur = &s->blocks[s->nblocks];
                memset(cur, 0, sizeof(*cur));
                memcpy(cur->label, p + ts + bl, llen);
                cur->label[llen] = '\0';
                for (size_t i = 0; i < llen; i++) {
                    if (cur->label[i] < 0x20 || cur->label[i] > 0x7e) {
                        ret = td_diag_setf(diag, TD_ERR_BADVALUE, ts + bl + i, "BEGIN line",
                                           "line %zu: non-printable byte in PEM label", line);
                        goto out;
                    }
                }
                cur->offset = ts;
                cur->line = line;
                if (ts > ls)
                    cur->quirks |= TD_PEM_Q_LEADING_WS;
                s->nblocks++;
                td_wr_reset(&b64);
                header_seen_blank = false;
                st = HEADERS;
            } else if (te > ts) {
                quirk(s, NULL, TD_PEM_Q_OUTSIDE_TEXT, line);
            }
            continue;
        }

        if (starts_with(p + ts, te - ts, end_tag)) {
            size_t el = sizeof(end_tag) - 1, dl = sizeof(dashes) - 1, llen = strlen(cur->label);
            size_t outlen = 0, bad = 0;
            if (te - ts != el + llen + dl || memcmp(p + ts + el, cur->label, llen) != 0 ||
                !ends_with(p + ts, te - ts, dashes)) {
                ret = td_diag_setf(diag, TD_ERR_BADVALUE, ts, "END line",
                                   "line %zu: END line does not match '-----BEGIN %s-----' of line %zu", line,
                                   cur->label, cur->line);
                goto out;
            }
            if (b64.err != TD_ERR_OK) {
                ret = td_diag_setf(diag, TD_ERR_TOOBIG, cur->offset, "PEM body",
                                   "line %zu: PEM block larger than %u bytes", cur->line, TD_PEM_MAX_BODY);
                goto out;
            }
            cur->der = td_malloc(b64.len / 4 * 3 + 1);
            if (cur->der == NULL) {
                ret = td_diag_set(diag, TD_ERR_NOMEM, cur->offset, "PEM body");
                goto out;
            }
            ret = td_base64_decode((const char *)b64.buf, b64.len, cur->der, b64.len / 4 * 3 + 1, &outlen, &bad);
            if (ret != TD_ERR_OK) {
                ret = td_diag_setf(diag, TD_ERR_BADVALUE, ts, "PEM body",
                                   "lines %zu-%zu: base64 body of '%s' is malformed (bad length or padding)", cur->line,
                                   line, cur->label);
                goto out;
            }
            if (outlen == 0) {
                ret = td_diag_setf(diag, TD_ERR_TRUNCATED, ts, "PEM body", "lines %zu-%zu: '%s' block is empty",
                                   cur->line, line, cur->label);
                goto out;
            }
            cur->der_len = outlen;
            cur->end = pos;
            cur->end_line = line;
            cur = NULL;
            st = OUTSIDE;
            continue;
        }

        if (st == HEADERS) {
            /* RFC 1421 headers: "Name: value" lines, then one blank line */
            const uint8_t *colon = te > ts ? memchr(p + ts, ':', te - ts) : NULL;
            if (colon != NULL && !header_seen_blank) {
                cur->has_headers = true;
                if (starts_with(p + ts, te - ts, "Proc-Type:")) {
                    for (size_t i = ts; i + 9 <= te; i++)
                        if (memcmp(p + i, "ENCRYPTED", 9) == 0)
                            cur->proc_encrypted = true;
                }
                continue;
            }
            if (te == ts) {
                if (!cur->has_headers)
                    quirk(s, cur, TD_PEM_Q_BLANK_IN_BODY, line);
                header_seen_blank = true;
                st = BODY;
                continue;
            }
            st = BODY;
        }

        /* BODY line */
        if (te == ts) {
            quirk(s, cur, TD_PEM_Q_BLANK_IN_BODY, line);
            continue;
        }
        if (te - ts > 64)
            quirk(s, cur, TD_PEM_Q_LONG_LINE, line);
        for (size_t i = ts; i < te; i++) {
            if (b64val(p[i]) < 0 && p[i] != '=') {
                ret = td_diag_setf(diag, TD_ERR_BADVALUE, i, "PEM body",
                                   "line %zu column %zu: byte 0x%02X is not base64 (inside '%s' of line %zu)", line,
                                   i - ls + 1, p[i], cur->label, cur->line);
                goto out;
            }
        }
        if (td_wr_bytes(&b64, p + ts, te - ts) != TD_ERR_OK) {
            ret = td_diag_setf(diag, TD_ERR_TOOBIG, ts, "PEM body", "line %zu: PEM block larger than %u bytes",
                               cur->line, TD_PEM_MAX_BODY);
            goto out;
        }
    }
    s->lines = line;
    if (s->quirks & TD_PEM_Q_NO_FINAL_EOL)
        s->quirk_line[bit_index(TD_PEM_Q_NO_FINAL_EOL)] = line;
    if (s->crlf_lines > 0 && s->lf_lines > 0)
        quirk(s, NULL, TD_PEM_Q_MIXED_EOL, 1);
    if (st != OUTSIDE) {
        ret = td_diag_setf(diag, TD_ERR_TRUNCATED, n, "END line",
                           "'-----BEGIN %s-----' of line %zu has no END line (file truncated?)", cur->label, cur->line);
        goto out;
    }
    if (s->nblocks == 0) {
        ret = td_diag_setf(diag, TD_ERR_NOTFOUND, 0, "BEGIN line", "no '-----BEGIN ...-----' line");
        goto out;
    }
out:
    td_wr_free(&b64);
    return ret;
}
