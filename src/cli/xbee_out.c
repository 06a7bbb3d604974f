#include "cli/xbee_out.h"

#include <stdlib.h>
#include <string.h>

#include "core/hex.h"
#include "core/mem.h"

/* The value of a field as text, e.g. "66.230.114.174", "443", "0xC4 (196)". */
static void value_text(const struct td_xb_field *fl, char *buf, size_t cap)
{
    switch (fl->spec->kind) {
    case TD_XB_K_FRAME_ID:
    case TD_XB_K_SOCKET:
    case TD_XB_K_U8:
    case TD_XB_K_TXOPT:
        snprintf(buf, cap, "0x%02X (%u)", (unsigned)fl->num, (unsigned)fl->num);
        break;
    case TD_XB_K_PROFILE:
    case TD_XB_K_PORT:
        snprintf(buf, cap, "%u", (unsigned)fl->num);
        break;
    case TD_XB_K_IPV4:
        snprintf(buf, cap, "%u.%u.%u.%u", fl->bytes.p[0], fl->bytes.p[1], fl->bytes.p[2], fl->bytes.p[3]);
        break;
    case TD_XB_K_ATCMD:
        td_printable(fl->bytes.p, fl->bytes.len, buf, cap);
        break;
    case TD_XB_K_DATA:
    default:
        td_printable(fl->bytes.p, fl->bytes.len, buf, cap);
        break;
    }
}

static bool addr_is_ipv4(const struct td_xb_frame *fr, const struct td_xb_field *fl)
{
    const struct td_xb_field *at = td_xb_field(fr, "addr_type");
    return fl->spec->kind == TD_XB_K_ADDR && at != NULL && at->num == 0 && fl->bytes.len == 4;
}

static void print_data(FILE *f, const struct td_bytes *b, const char *label, const struct td_style *st)
{
    char hex[16 * 3 + 1], text[40];

    if (b->len == 0) {
        fprintf(f, "  %-26s %s(empty)%s\n", label, st->dim, st->reset);
        return;
    }
    if (b->len <= 16) {
        td_hex_format(b->p, b->len, " ", false, hex, sizeof(hex));
        td_printable(b->p, b->len, text, sizeof(text));
        fprintf(f, "  %-26s %zu byte%s: %s  \"%s\"\n", label, b->len, b->len == 1 ? "" : "s", hex, text);
        return;
    }
    fprintf(f, "  %-26s %zu bytes:\n", label, b->len);
    td_hex_dump(f, b->p, b->len, "    ");
}

void td_xbo_frame_text(FILE *f, const struct td_xb_frame *fr, const struct td_xb_advice *adv, const struct td_style *st)
{
    char val[128], note[200];

    fprintf(f, "%sframe %u at byte %zu: 0x%02X %s%s\n", st->bold, fr->index, fr->off, fr->type,
            fr->def != NULL ? fr->def->name : "unknown frame type (not in devices.md): shown raw", st->reset);
    fprintf(f, "  API %d, length %u, checksum 0x%02X %sOK%s", fr->api, (unsigned)fr->length, fr->checksum, st->green,
            st->reset);
    if (fr->escapes > 0)
        fprintf(f, ", %zu escaped byte%s", fr->escapes, fr->escapes == 1 ? "" : "s");
    fprintf(f, "\n");
    if (fr->def == NULL) {
        struct td_bytes rest = {fr->data.p, fr->data.len, fr->data.off};
        print_data(f, &rest, "frame data (incl. type)", st);
    }
    for (size_t i = 0; i < fr->nfields; i++) {
        const struct td_xb_field *fl = &fr->fields[i];
        if (fl->spec->kind == TD_XB_K_DATA) {
            print_data(f, &fl->bytes, fl->spec->label, st);
            continue;
        }
        if (addr_is_ipv4(fr, fl))
            snprintf(val, sizeof(val), "%u.%u.%u.%u", fl->bytes.p[0], fl->bytes.p[1], fl->bytes.p[2], fl->bytes.p[3]);
        else
            value_text(fl, val, sizeof(val));
        fprintf(f, "  %-26s %s", fl->spec->label, val);
        if (fl->spec->table != NULL) {
            if (fl->code != NULL)
                fprintf(f, "  %s%s%s", fl->num != 0 && strstr(fl->spec->table->id, "stat") != NULL ? st->yellow : "",
                        fl->code->name, st->reset);
            else
                fprintf(f, "  %sundocumented value (not in %s)%s", st->yellow, fl->spec->table->title, st->reset);
        }
        td_xb_field_note(fr, fl, note, sizeof(note));
        if (note[0] != '\0')
            fprintf(f, "  %s(%s)%s", st->dim, note, st->reset);
        fprintf(f, "\n");
        if (fl->code != NULL && fl->code->meaning != NULL)
            fprintf(f, "  %-26s %s%s%s\n", "", st->dim, fl->code->meaning, st->reset);
    }
    {
        const struct td_xb_code *ci = td_xb_atci_value(fr);
        if (ci != NULL)
            fprintf(f, "  %-26s 0x%02X %s  %s[%s]%s\n", "ATCI value", ci->code, ci->name, st->dim, td_xb_atci.source,
                    st->reset);
    }
    if (adv != NULL && adv->n > 0) {
        fprintf(f, "  %snext steps:%s\n", st->bold, st->reset);
        for (size_t i = 0; i < adv->n; i++) {
            fprintf(f, "    - %s\n", adv->steps[i].why);
            if (adv->steps[i].run[0] != '\0')
                fprintf(f, "      %s$ %s%s\n", st->cyan, adv->steps[i].run, st->reset);
        }
    }
}

void td_xbo_skip_text(FILE *f, const struct td_xb_skip *sk, const struct td_style *st)
{
    char hex[3 * 16 + 4];

    if (sk->len == 0)
        return;
    td_hex_format(sk->bytes.p, sk->bytes.len < 16 ? sk->bytes.len : 16, " ", false, hex, sizeof(hex));
    fprintf(f, "%sskipped %zu byte%s at byte %zu (no 0x7E start delimiter): %s%s%s\n", st->yellow, sk->len,
            sk->len == 1 ? "" : "s", sk->off, hex, sk->len > 16 ? " ..." : "", st->reset);
}

static json_t *jhex(const struct td_bytes *b)
{
    size_t cap = b->len * 2 + 1;
    char *buf = td_malloc(cap);
    json_t *j;

    if (buf == NULL)
        return json_null();
    td_hex_format(b->p, b->len, "", false, buf, cap);
    j = json_string(buf);
    td_free(buf);
    return j;
}

static json_t *jtext(const struct td_bytes *b)
{
    char *buf = td_malloc(b->len + 1);
    json_t *j;

    if (buf == NULL)
        return json_null();
    td_printable(b->p, b->len, buf, b->len + 1);
    j = json_string(buf);
    td_free(buf);
    return j;
}

static json_t *code_json(const struct td_xb_table *t, const struct td_xb_code *c)
{
    json_t *o = json_object();

    json_object_set_new(o, "table", json_string(t->id));
    json_object_set_new(o, "documented", json_boolean(c != NULL));
    json_object_set_new(o, "name", c != NULL ? json_string(c->name) : json_null());
    json_object_set_new(o, "meaning", c != NULL && c->meaning != NULL ? json_string(c->meaning) : json_null());
    json_object_set_new(o, "source", json_string(t->source));
    return o;
}

json_t *td_xbo_frame_json(const struct td_xb_frame *fr, const struct td_xb_advice *adv)
{
    json_t *o = json_object();
    json_t *fields = json_array();
    json_t *steps = json_array();
    char buf[16], note[200], val[64];

    json_object_set_new(o, "index", json_integer(fr->index));
    json_object_set_new(o, "offset", json_integer((json_int_t)fr->off));
    json_object_set_new(o, "api", json_integer(fr->api));
    json_object_set_new(o, "length", json_integer(fr->length));
    json_object_set_new(o, "type", json_integer(fr->type));
    snprintf(buf, sizeof(buf), "0x%02X", fr->type);
    json_object_set_new(o, "type_hex", json_string(buf));
    json_object_set_new(o, "name", fr->def != NULL ? json_string(fr->def->name) : json_null());
    json_object_set_new(o, "known", json_boolean(fr->def != NULL));
    json_object_set_new(o, "direction",
                        fr->def == NULL ? json_null() : json_string(fr->def->request ? "to_xbee" : "from_xbee"));
    snprintf(buf, sizeof(buf), "0x%02X", fr->checksum);
    json_object_set_new(o, "checksum", json_string(buf));
    json_object_set_new(o, "checksum_ok", json_true());
    json_object_set_new(o, "escaped_bytes", json_integer((json_int_t)fr->escapes));
    json_object_set_new(o, "raw_hex", jhex(&fr->raw));
    json_object_set_new(o, "data_hex", jhex(&fr->data));
    for (size_t i = 0; i < fr->nfields; i++) {
        const struct td_xb_field *fl = &fr->fields[i];
        json_t *jf = json_object();
        json_object_set_new(jf, "key", json_string(fl->spec->key));
        json_object_set_new(jf, "label", json_string(fl->spec->label));
        json_object_set_new(jf, "offset", json_integer((json_int_t)fl->off));
        json_object_set_new(jf, "length", json_integer((json_int_t)fl->bytes.len));
        json_object_set_new(jf, "hex", jhex(&fl->bytes));
        switch (fl->spec->kind) {
        case TD_XB_K_FRAME_ID:
        case TD_XB_K_U8:
        case TD_XB_K_SOCKET:
        case TD_XB_K_PROFILE:
        case TD_XB_K_TXOPT:
        case TD_XB_K_PORT:
            json_object_set_new(jf, "value", json_integer(fl->num));
            break;
        case TD_XB_K_IPV4:
        case TD_XB_K_ATCMD:
            value_text(fl, val, sizeof(val));
            json_object_set_new(jf, "value", json_string(val));
            break;
        case TD_XB_K_ADDR:
            if (addr_is_ipv4(fr, fl)) {
                snprintf(val, sizeof(val), "%u.%u.%u.%u", fl->bytes.p[0], fl->bytes.p[1], fl->bytes.p[2],
                         fl->bytes.p[3]);
                json_object_set_new(jf, "value", json_string(val));
            } else {
                json_object_set_new(jf, "value", jtext(&fl->bytes));
            }
            break;
        case TD_XB_K_DATA:
        default:
            json_object_set_new(jf, "value", jtext(&fl->bytes));
            break;
        }
        json_object_set_new(jf, "code", fl->spec->table != NULL ? code_json(fl->spec->table, fl->code) : json_null());
        td_xb_field_note(fr, fl, note, sizeof(note));
        json_object_set_new(jf, "note", note[0] != '\0' ? json_string(note) : json_null());
        json_array_append_new(fields, jf);
    }
    json_object_set_new(o, "fields", fields);
    {
        const struct td_xb_code *ci = td_xb_atci_value(fr);
        json_object_set_new(o, "atci", ci != NULL ? code_json(&td_xb_atci, ci) : json_null());
    }
    for (size_t i = 0; adv != NULL && i < adv->n; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "why", json_string(adv->steps[i].why));
        json_object_set_new(s, "run", adv->steps[i].run[0] != '\0' ? json_string(adv->steps[i].run) : json_null());
        json_array_append_new(steps, s);
    }
    json_object_set_new(o, "next_steps", steps);
    return o;
}

json_t *td_xbo_skip_json(const struct td_xb_skip *sk)
{
    json_t *o = json_object();

    json_object_set_new(o, "offset", json_integer((json_int_t)sk->off));
    json_object_set_new(o, "length", json_integer((json_int_t)sk->len));
    json_object_set_new(o, "hex", jhex(&sk->bytes));
    return o;
}

void td_xbo_error_line(char *buf, size_t cap, unsigned frame, size_t frame_off, const struct td_diag *d)
{
    snprintf(buf, cap, "frame %u at byte %zu: %s at byte %zu%s%s%s%s%s", frame, frame_off, td_err_str(d->code),
             d->offset, d->field != NULL ? " (" : "", d->field != NULL ? d->field : "", d->field != NULL ? ")" : "",
             d->detail[0] != '\0' ? ": " : "", d->detail);
}
