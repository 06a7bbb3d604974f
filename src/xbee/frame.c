/* XBee API framing: the resynchronising stream decoder, unescaping,
 * checksum, table-driven field decoding, auto-detection of the API mode, and
 * the encoder. Rules from ../shared/research/devices.md "Framing, API modes,
 * checksum" (Digi UG p.152-153, Digi 90001506 r_escaped_characters_in_frames,
 * [xbee-py] packets/base.py and models/atcomm.py). */
#include "xbee/frame.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/hex.h"

uint8_t td_xb_checksum(const uint8_t *data, size_t n)
{
    unsigned sum = 0;

    /* "Add all bytes of the packet, except the start delimiter 0x7E and the
     * length... Keep only the lowest 8 bits... Subtract this quantity from
     * 0xFF." (Digi UG p.153) */
    for (size_t i = 0; i < n; i++)
        sum += data[i];
    return (uint8_t)(0xFF - (sum & 0xFF));
}

static bool needs_escape(uint8_t b)
{
    return b == TD_XB_DELIM || b == TD_XB_ESC || b == TD_XB_XON || b == TD_XB_XOFF;
}

void td_xb_stream_init(struct td_xb_stream *s, const uint8_t *p, size_t len, int api)
{
    memset(s, 0, sizeof(*s));
    td_rd_init(&s->r, p, len, 0, NULL);
    s->api = api == 2 ? 2 : 1;
}

/* One logical (unescaped) byte from the cursor; *at gets the input offset
 * where it began. */
static td_err get_byte(int api, struct td_reader *c, uint8_t *out, size_t *at, size_t *escapes, const char *what,
                       struct td_diag *d)
{
    uint8_t b, e;
    td_err ret;

    *at = td_rd_offset(c);
    if (td_rd_empty(c))
        return td_diag_setf(d, TD_ERR_TRUNCATED, *at, what, "input ends at byte %zu", *at);
    ret = td_rd_u8(c, &b, what);
    if (ret != TD_ERR_OK)
        return td_diag_set(d, ret, *at, what);
    if (api != 2) {
        *out = b;
        return TD_ERR_OK;
    }
    /* In API 2 a 0x7E is always a start delimiter: a new frame began before
     * this one ended. XON/XOFF must always be escaped. */
    if (b == TD_XB_DELIM)
        return td_diag_setf(d, TD_ERR_TRUNCATED, *at, what, "new start delimiter 0x7E before the frame ended (API 2)");
    if (b == TD_XB_XON || b == TD_XB_XOFF)
        return td_diag_setf(d, TD_ERR_BADVALUE, *at, what, "unescaped 0x%02X (%s) inside an API 2 frame", b,
                            b == TD_XB_XON ? "XON" : "XOFF");
    if (b != TD_XB_ESC) {
        *out = b;
        return TD_ERR_OK;
    }
    if (td_rd_empty(c))
        return td_diag_setf(d, TD_ERR_TRUNCATED, *at, what, "escape byte 0x7D at the end of the input");
    ret = td_rd_u8(c, &b, what);
    if (ret != TD_ERR_OK)
        return td_diag_set(d, ret, *at, what);
    e = (uint8_t)(b ^ 0x20);
    if (!needs_escape(e))
        return td_diag_setf(d, TD_ERR_BADVALUE, *at, what,
                            "escape 0x7D 0x%02X unescapes to 0x%02X, not one of 0x7E 0x7D 0x11 0x13", b, e);
    (*escapes)++;
    *out = e;
    return TD_ERR_OK;
}

td_err td_xb_next(struct td_xb_stream *s, struct td_xb_frame *f, struct td_xb_skip *skip, struct td_diag *d)
{
    struct td_reader c, whole, garbage;
    size_t start, at = 0, end = s->r.base + s->r.len;
    uint8_t hi, lo, ck, want, b;
    td_err ret = TD_ERR_OK;

    skip->off = td_rd_offset(&s->r);
    skip->len = 0;
    skip->bytes = (struct td_bytes){NULL, 0, skip->off};
    if (s->failed)
        return td_diag_set(d, TD_ERR_UNEXPECTED, skip->off, "stream");
    garbage = s->r;
    /* Resynchronise: everything up to the next 0x7E is skipped garbage. */
    while (td_rd_peek_u8(&s->r, &b, NULL) == TD_ERR_OK && b != TD_XB_DELIM)
        TRY(td_rd_skip(&s->r, 1, NULL));
    start = td_rd_offset(&s->r);
    skip->len = start - skip->off;
    TRY(td_rd_bytes(&garbage, skip->len, &skip->bytes, "skipped bytes"));
    if (td_rd_empty(&s->r))
        return TD_ERR_NOTFOUND;

    f->index = ++s->frames;
    f->off = start;
    f->api = s->api;
    f->escapes = 0;
    f->nfields = 0;
    f->def = NULL;
    f->type = 0;
    whole = s->r; /* at the delimiter, for the raw view */
    c = s->r;
    TRY(td_rd_skip(&c, 1, "start delimiter"));
    TRY(get_byte(s->api, &c, &hi, &at, &f->escapes, "length", d));
    TRY(get_byte(s->api, &c, &lo, &at, &f->escapes, "length", d));
    f->length = (uint16_t)(hi << 8 | lo);
    ENSURE(f->length > 0,
           td_diag_setf(d, TD_ERR_LENGTH, start + 1, "length", "length 0: a frame needs at least its frame type byte"));
    for (size_t k = 0; k < f->length; k++) {
        ret = get_byte(s->api, &c, &f->buf[k], &at, &f->escapes, k == 0 ? "frame type" : "frame data", d);
        if (ret == TD_ERR_TRUNCATED && d != NULL && d->code == TD_ERR_TRUNCATED && d->offset == end)
            snprintf(d->detail, sizeof(d->detail), "length field says %u bytes of frame data, input ends after %zu",
                     (unsigned)f->length, k);
        if (ret != TD_ERR_OK)
            goto out;
        f->map[k] = (uint32_t)(at - start);
    }
    TRY(get_byte(s->api, &c, &ck, &at, &f->escapes, "checksum", d));
    f->map[f->length] = (uint32_t)(at - start);
    want = td_xb_checksum(f->buf, f->length);
    ENSURE(ck == want, td_diag_setf(d, TD_ERR_CHECKSUM, at, "checksum", "expected 0x%02X, found 0x%02X", want, ck));
    f->checksum = ck;
    f->type = f->buf[0];
    f->raw_len = td_rd_offset(&c) - start;
    TRY(td_rd_bytes(&whole, f->raw_len, &f->raw, "frame"));
    f->data.p = f->buf;
    f->data.len = f->length;
    f->data.off = start + f->map[0];
    s->r = c;
    TRY(td_xb_parse_fields(f, d));
out:
    if (ret != TD_ERR_OK)
        s->failed = true;
    return ret;
}

/* Absolute input offset of unescaped frame-data position i. */
static size_t abs_off(const struct td_xb_frame *f, size_t i)
{
    if (i > f->length)
        i = f->length;
    return f->off + f->map[i];
}

/* Integer values of a field view, read through the reader as well. */
static td_err view_u8(const struct td_bytes *b, uint8_t *out)
{
    struct td_reader r;
    td_rd_init(&r, b->p, b->len, b->off, NULL);
    return td_rd_u8(&r, out, NULL);
}

static td_err view_u16(const struct td_bytes *b, uint16_t *out)
{
    struct td_reader r;
    td_rd_init(&r, b->p, b->len, b->off, NULL);
    return td_rd_u16(&r, out, NULL);
}

td_err td_xb_parse_fields(struct td_xb_frame *f, struct td_diag *d)
{
    struct td_diag local;
    struct td_reader r;
    uint8_t type;
    td_err ret;

    td_diag_init(&local);
    td_rd_init(&r, f->buf, f->length, 0, &local);
    f->nfields = 0;
    TRY(td_rd_u8(&r, &type, "frame type"));
    f->type = type;
    f->def = td_xb_type_by_code(type);
    if (f->def == NULL)
        return TD_ERR_OK; /* unknown type: shown raw, not rejected */
    for (size_t i = 0; i < f->def->nfields && i < TD_XB_MAX_FIELDS; i++) {
        const struct td_xb_field_spec *sp = &f->def->fields[i];
        struct td_xb_field *fl = &f->fields[f->nfields];
        size_t pos = r.pos;
        uint8_t u8;
        uint16_t u16;

        memset(fl, 0, sizeof(*fl));
        fl->spec = sp;
        switch (sp->kind) {
        case TD_XB_K_FRAME_ID:
        case TD_XB_K_U8:
        case TD_XB_K_SOCKET:
        case TD_XB_K_PROFILE:
        case TD_XB_K_TXOPT:
            TRY(td_rd_bytes(&r, 1, &fl->bytes, sp->label));
            TRY(view_u8(&fl->bytes, &u8));
            fl->num = u8;
            if (sp->table != NULL)
                fl->code = td_xb_lookup(sp->table, u8);
            break;
        case TD_XB_K_PORT:
            TRY(td_rd_bytes(&r, 2, &fl->bytes, sp->label));
            TRY(view_u16(&fl->bytes, &u16));
            fl->num = u16;
            break;
        case TD_XB_K_IPV4:
            TRY(td_rd_bytes(&r, 4, &fl->bytes, sp->label));
            break;
        case TD_XB_K_ATCMD:
            TRY(td_rd_bytes(&r, 2, &fl->bytes, sp->label));
            break;
        case TD_XB_K_DATA:
            fl->bytes = td_rd_rest(&r);
            break;
        case TD_XB_K_ADDR: {
            /* address type is the previous field (0x42 layout) */
            uint32_t at = f->nfields > 0 ? f->fields[f->nfields - 1].num : 0;
            fl->bytes = td_rd_rest(&r);
            if (at == 0 && fl->bytes.len != 4) {
                ret = td_diag_setf(&local, TD_ERR_LENGTH, pos, sp->label,
                                   "address type 0 needs a 4-byte IPv4 address, found %zu bytes", fl->bytes.len);
                goto out;
            }
            if (at != 0 && fl->bytes.len == 0) {
                ret = td_diag_setf(&local, TD_ERR_LENGTH, pos, sp->label, "empty destination address");
                goto out;
            }
            break;
        }
        default:
            ret = td_diag_set(&local, TD_ERR_INTERNAL, pos, sp->label);
            goto out;
        }
        fl->off = abs_off(f, pos);
        fl->bytes.off = fl->off;
        f->nfields++;
    }
    TRY(td_rd_end(&r, "frame data"));
out:
    if (ret != TD_ERR_OK) {
        /* field errors are found in unescaped coordinates: map them back */
        td_diag_setf(d, local.code, abs_off(f, local.offset), local.field, "%s", local.detail);
        f->nfields = 0;
    }
    return ret;
}

const struct td_xb_field *td_xb_field(const struct td_xb_frame *f, const char *key)
{
    for (size_t i = 0; i < f->nfields; i++) {
        if (strcmp(f->fields[i].spec->key, key) == 0)
            return &f->fields[i];
    }
    return NULL;
}

struct trial {
    bool ok;
    unsigned frames;
    size_t escapes;
    size_t skipped;
    size_t err_off;
};

static struct trial try_mode(const uint8_t *p, size_t len, int api, struct td_xb_frame *f)
{
    struct td_xb_stream s;
    struct td_xb_skip skip;
    struct td_diag d;
    struct trial t = {false, 0, 0, 0, 0};
    td_err e;

    td_diag_init(&d);
    td_xb_stream_init(&s, p, len, api);
    for (e = td_xb_next(&s, f, &skip, &d); e == TD_ERR_OK; e = td_xb_next(&s, f, &skip, &d)) {
        t.frames++;
        t.escapes += f->escapes;
        t.skipped += skip.len;
    }
    t.ok = e == TD_ERR_NOTFOUND;
    if (t.ok)
        t.skipped += skip.len;
    t.err_off = t.ok ? len : d.offset;
    return t;
}

int td_xb_detect(const uint8_t *p, size_t len, struct td_xb_frame *scratch, const char **why)
{
    struct trial t1 = try_mode(p, len, 1, scratch);
    struct trial t2 = try_mode(p, len, 2, scratch);

    if (t1.ok && t2.ok) {
        if (t2.escapes == 0) {
            *why = "no escaped bytes: the frames read the same in API 1 and API 2";
            return 1;
        }
        /* Both read cleanly. API 2 consumes one more byte per escape, so
         * read as API 1 those bytes are left over as garbage (e.g. a frame
         * whose escaped checksum 7D 5D reads in API 1 as checksum 0x7D plus
         * a stray 0x5D): the reading that skips fewer bytes explains the
         * input better. */
        if (t2.skipped < t1.skipped) {
            *why = "decodes as escaped API 2 with fewer bytes left over than as API 1";
            return 2;
        }
        if (t1.skipped < t2.skipped) {
            *why = "decodes as API 1 with fewer bytes left over than as escaped API 2";
            return 1;
        }
        *why = "the input decodes cleanly both as API 1 and as escaped API 2";
        return 0;
    }
    if (t1.ok) {
        *why = "decodes only as API 1 (not escaped)";
        return 1;
    }
    if (t2.ok) {
        *why = "decodes only as API 2 (escaped)";
        return 2;
    }
    /* neither: report the mode that got further */
    if (t2.err_off > t1.err_off) {
        *why = "neither mode decodes cleanly; API 2 gets further";
        return 2;
    }
    *why = "neither mode decodes cleanly; API 1 gets further";
    return 1;
}

/* ---- encoding ---------------------------------------------------------- */

bool td_xb_parse_ipv4(const char *s, uint8_t out[4])
{
    const char *q = s;

    for (int i = 0; i < 4; i++) {
        unsigned v = 0;
        int digits = 0;
        while (*q >= '0' && *q <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(*q - '0');
            q++;
            digits++;
        }
        if (digits == 0 || digits > 3 || v > 255)
            return false;
        out[i] = (uint8_t)v;
        if (i < 3) {
            if (*q != '.')
                return false;
            q++;
        }
    }
    return *q == '\0';
}

/* Decimal digits, or "0x" and hex digits; nothing else (no sign, no
 * spaces, no octal: "010" is ten, as the help text promises). */
bool td_xb_parse_number(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    unsigned base = 10;
    size_t i = 0;

    if (s == NULL)
        return false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (s[i] == '\0')
        return false;
    for (; s[i] != '\0'; i++) {
        int d = base == 16 ? td_hex_digit((unsigned char)s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
        if (d < 0)
            return false;
        v = v * base + (unsigned long)d;
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

static const char *find_val(const struct td_xb_value *vals, size_t n, const char *opt)
{
    const char *v = NULL;

    for (size_t i = 0; i < n; i++) {
        if (strcmp(vals[i].opt, opt) == 0)
            v = vals[i].val; /* the last one wins, as with getopt */
    }
    return v;
}

static bool opt_applies(const struct td_xb_type *t, const char *opt)
{
    size_t n = strlen(opt);

    for (size_t i = 0; i < t->nfields; i++) {
        const struct td_xb_field_spec *sp = &t->fields[i];
        if (strcmp(sp->opt, opt) == 0)
            return true;
        if (sp->kind == TD_XB_K_DATA && n == strlen(sp->opt) + 4 && strncmp(opt, sp->opt, strlen(sp->opt)) == 0 &&
            strcmp(opt + strlen(sp->opt), "-hex") == 0)
            return true;
    }
    return false;
}

static bool parse_u8_value(const struct td_xb_field_spec *sp, const char *v, uint8_t *out)
{
    unsigned long n;

    if (td_xb_parse_number(v, 0xFF, &n)) {
        *out = (uint8_t)n;
        return true;
    }
    if (sp->table == &td_xb_protocol) {
        static const struct {
            const char *name;
            uint8_t code;
        } alias[] = {{"udp", 0}, {"tcp", 1}, {"tls", 4}, {"ssl", 4}};
        for (size_t i = 0; i < TD_ARRAY_LEN(alias); i++) {
            if (strcasecmp(v, alias[i].name) == 0) {
                *out = alias[i].code;
                return true;
            }
        }
    }
    return false;
}

#define BAD(...)                                                                                                       \
    do {                                                                                                               \
        snprintf(err, errcap, __VA_ARGS__);                                                                            \
        ret = TD_ERR_BADVALUE;                                                                                         \
        goto out;                                                                                                      \
    } while (0)

td_err td_xb_build(const struct td_xb_type *t, const struct td_xb_value *vals, size_t nvals, struct td_writer *data,
                   char *err, size_t errcap)
{
    td_err ret = TD_ERR_OK;
    const char *addr = find_val(vals, nvals, "addr");

    if (errcap > 0)
        err[0] = '\0';
    for (size_t i = 0; i < nvals; i++) {
        if (!opt_applies(t, vals[i].opt)) {
            snprintf(err, errcap, "--%s does not apply to %s (0x%02X %s)", vals[i].opt, t->verb, t->type, t->name);
            return TD_ERR_USAGE;
        }
    }
    TRY(td_wr_u8(data, t->type));
    for (size_t i = 0; i < t->nfields; i++) {
        const struct td_xb_field_spec *sp = &t->fields[i];
        const char *v = find_val(vals, nvals, sp->opt);
        char hexopt[32];
        const char *hv = NULL;
        unsigned long n;
        uint8_t u8, ip[4];

        if (sp->kind == TD_XB_K_DATA) {
            snprintf(hexopt, sizeof(hexopt), "%s-hex", sp->opt);
            hv = find_val(vals, nvals, hexopt);
            if (v != NULL && hv != NULL) {
                snprintf(err, errcap, "give either --%s or --%s, not both", sp->opt, hexopt);
                return TD_ERR_USAGE;
            }
        }
        if (v == NULL && hv == NULL) {
            if (sp->dflt == NULL) {
                snprintf(err, errcap, "%s needs --%s (%s)", t->verb, sp->opt, sp->label);
                return TD_ERR_USAGE;
            }
            v = sp->dflt;
        }
        switch (sp->kind) {
        case TD_XB_K_FRAME_ID:
        case TD_XB_K_U8:
        case TD_XB_K_SOCKET:
        case TD_XB_K_PROFILE:
        case TD_XB_K_TXOPT:
            if (strcmp(v, "auto") == 0 && sp->table == &td_xb_sock_addr_type) {
                /* address type follows the address: a dotted quad is sent
                 * as 4 binary bytes, anything else as a string */
                u8 = (uint8_t)(addr != NULL && td_xb_parse_ipv4(addr, ip) ? 0 : 1);
            } else if (!parse_u8_value(sp, v, &u8)) {
                BAD("--%s '%s': %s must be 0-255 (decimal or 0x hex)%s", sp->opt, v, sp->label,
                    sp->table == &td_xb_protocol ? ", or udp, tcp, tls" : "");
            }
            TRY(td_wr_u8(data, u8));
            break;
        case TD_XB_K_PORT:
            if (!td_xb_parse_number(v, 0xFFFF, &n))
                BAD("--%s '%s': %s must be 0-65535", sp->opt, v, sp->label);
            TRY(td_wr_u16(data, (uint16_t)n));
            break;
        case TD_XB_K_IPV4:
            if (!td_xb_parse_ipv4(v, ip))
                BAD("--%s '%s': %s must be a dotted quad such as 66.230.114.174", sp->opt, v, sp->label);
            TRY(td_wr_bytes(data, ip, 4));
            break;
        case TD_XB_K_ATCMD:
            if (strlen(v) != 2 || v[0] < 0x21 || v[0] > 0x7E || v[1] < 0x21 || v[1] > 0x7E)
                BAD("--%s '%s': an AT command is 2 printable characters, e.g. TL or $0", sp->opt, v);
            TRY(td_wr_bytes(data, v, 2));
            break;
        case TD_XB_K_DATA:
            if (hv != NULL) {
                struct td_diag hd;
                td_diag_init(&hd);
                if (td_hex_parse(hv, strlen(hv), data, &hd) != TD_ERR_OK) {
                    if (hd.code == TD_ERR_TOOBIG)
                        BAD("--%s: more than %u bytes of frame data", hexopt, TD_XB_MAX_DATA);
                    BAD("--%s: bad hex at character %zu: %s", hexopt, hd.offset, hd.detail);
                }
            } else {
                TRY(td_wr_str(data, v));
            }
            break;
        case TD_XB_K_ADDR: {
            /* the address type was written just before */
            uint8_t at = data->len > 0 && data->buf != NULL ? data->buf[data->len - 1] : 0;
            if (at == 0) {
                if (!td_xb_parse_ipv4(v, ip))
                    BAD("--%s '%s': address type 0 needs a dotted quad", sp->opt, v);
                TRY(td_wr_bytes(data, ip, 4));
            } else {
                if (*v == '\0')
                    BAD("--%s: empty destination address", sp->opt);
                TRY(td_wr_str(data, v));
            }
            break;
        }
        default:
            ret = TD_ERR_INTERNAL;
            goto out;
        }
    }
out:
    if (ret == TD_ERR_TOOBIG && errcap > 0 && err[0] == '\0')
        snprintf(err, errcap, "frame data longer than %u bytes", TD_XB_MAX_DATA);
    return ret;
}

static td_err put(struct td_writer *out, uint8_t b, int api)
{
    td_err ret = TD_ERR_OK;

    if (api == 2 && needs_escape(b)) {
        TRY(td_wr_u8(out, TD_XB_ESC));
        TRY(td_wr_u8(out, (uint8_t)(b ^ 0x20)));
    } else {
        TRY(td_wr_u8(out, b));
    }
out:
    return ret;
}

td_err td_xb_wrap(const uint8_t *data, size_t n, int api, struct td_writer *out)
{
    td_err ret = TD_ERR_OK;

    ENSURE(n > 0, TD_ERR_LENGTH);
    ENSURE(n <= TD_XB_MAX_DATA, TD_ERR_TOOBIG);
    ENSURE(api == 1 || api == 2, TD_ERR_BADVALUE);
    TRY(td_wr_u8(out, TD_XB_DELIM));
    TRY(put(out, (uint8_t)(n >> 8), api));
    TRY(put(out, (uint8_t)(n & 0xFF), api));
    for (size_t i = 0; i < n; i++)
        TRY(put(out, data[i], api));
    TRY(put(out, td_xb_checksum(data, n), api));
out:
    return ret;
}
