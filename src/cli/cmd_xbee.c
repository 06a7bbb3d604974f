/* tlsdiag xbee decode|encode: Digi XBee Cellular API frames (engine in
 * src/xbee/, docs in docs/xbee.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmds.h"
#include "cli/exitcodes.h"
#include "cli/opts.h"
#include "cli/xbee_out.h"
#include "core/file.h"
#include "core/hex.h"
#include "core/mem.h"
#include "report/json.h"
#include "report/term.h"
#include "xbee/advice.h"
#include "xbee/frame.h"

#define INPUT_CAP (16u * 1024 * 1024)
/* --json holds the whole document in memory (about 5 KiB per frame), so a
 * 16 MiB input of tiny frames would take gigabytes: cap the frame count.
 * Text output is streamed and has no such cap. */
#define JSON_MAX_FRAMES 10000u

static void usage(FILE *f)
{
    fprintf(f, "usage: tlsdiag xbee decode [HEX...] [-f FILE|-] [--api 1|2] [--json]\n"
               "       tlsdiag xbee encode TYPE [--FIELD VALUE...] [--api 1|2] [--binary]\n"
               "       tlsdiag xbee types | tables\n\n"
               "decode: Digi XBee Cellular API frames given as hex arguments, a file or stdin (hex text or raw\n"
               "  binary, detected). API mode 1 or 2 (escaped) is auto-detected when unambiguous. Garbage between\n"
               "  frames is skipped and reported; length and checksum are verified. For TLS frames and codes\n"
               "  (0x23, 0x89 0x85/0x86/0x8B, ...) it prints the next command to run.\n"
               "  -f, --file FILE   read FILE ('-' = stdin)\n"
               "  --api 1|2         API mode (default: auto-detect)\n"
               "  --json            JSON output (schema: docs/xbee.md)\n\n"
               "encode: builds a frame from named fields and prints it as hex (API 1 unless --api 2).\n"
               "  TYPE is a name or a frame type byte:\n");
    for (size_t i = 0; i < td_xb_types_count; i++) {
        const struct td_xb_type *t = &td_xb_types[i];
        fprintf(f, "    %-24s 0x%02X %s:", t->verb, t->type, t->name);
        for (size_t k = 0; k < t->nfields; k++)
            fprintf(f, " %s--%s%s%s", t->fields[k].dflt != NULL ? "[" : "", t->fields[k].opt,
                    t->fields[k].kind == TD_XB_K_DATA ? "[-hex]" : "", t->fields[k].dflt != NULL ? "]" : "");
        fprintf(f, "\n");
    }
    fprintf(f, "    0xNN                     any other type byte: --data TEXT or --data-hex HEX is the rest\n"
               "  numbers are decimal or 0x hex; --protocol also takes udp, tcp, tls; --FIELD-hex takes hex bytes\n"
               "  --binary          write the raw frame bytes instead of hex text\n\n"
               "examples:\n"
               "  tlsdiag xbee decode 7E 00 15 23 C4 42 E6 72 AE 01 BB 00 00 00 00 74 65 73 74 5F 64 61 74 61 5B\n"
               "  tlsdiag xbee encode tx-tls --ip 66.230.114.174 --port 443 --profile 0 --data test_data "
               "--frame-id 0xC4\n"
               "  tlsdiag xbee encode at --command TL --api 2\n\n"
               "types: lists the frame types; tables: the frame layouts and code tables (Markdown)\n\n"
               "exit: 0 decoded/encoded, 2 usage or malformed input (one line naming the byte offset)\n");
}

/* The option string starts with ':' so a missing value is told apart. */
static int bad_option(const char *action, int c, int argc, char **argv)
{
    char verb[32];

    snprintf(verb, sizeof(verb), "xbee %s", action);
    return td_cli_bad_option(verb, c, argc, argv);
}

/* "--api 1" or "--api 2": the mode, or 0 after a one-line error. */
static int api_mode(const char *action, const char *val)
{
    if (strcmp(val, "1") != 0 && strcmp(val, "2") != 0) {
        fprintf(stderr, "tlsdiag xbee %s: --api must be 1 or 2, not '%s'\n", action, val);
        return 0;
    }
    return val[0] - '0';
}

/* ---- decode -------------------------------------------------------------- */

/* The "error" member of the decode JSON (docs/xbee.md); frame 0 = none. */
static json_t *error_json(unsigned frame, size_t frame_off, size_t offset, td_err code, const char *field,
                          const char *message)
{
    json_t *err = json_object();

    json_object_set_new(err, "frame", frame != 0 ? json_integer(frame) : json_null());
    json_object_set_new(err, "frame_offset", frame != 0 ? json_integer((json_int_t)frame_off) : json_null());
    json_object_set_new(err, "offset", json_integer((json_int_t)offset));
    json_object_set_new(err, "code", json_string(td_err_name(code)));
    json_object_set_new(err, "field", field != NULL ? json_string(field) : json_null());
    json_object_set_new(err, "message", json_string(message));
    return err;
}

/* *why_binary gets a note when text that began as hex was read as raw
 * binary because of a stray byte: without it "no frame found" baffles. */
static int read_input(int nargs, char **args, const char *file, struct td_writer *bytes, char *why_binary,
                      size_t whycap)
{
    struct td_writer raw;
    char err[256];
    struct td_diag d;
    int rc = TD_EXIT_OK;

    td_wr_init(&raw, INPUT_CAP);
    td_diag_init(&d);
    if (nargs > 0) {
        for (int i = 0; i < nargs; i++) {
            if ((i > 0 && td_wr_u8(&raw, ' ') != TD_ERR_OK) || td_wr_str(&raw, args[i]) != TD_ERR_OK) {
                fprintf(stderr, "tlsdiag xbee decode: hex arguments larger than %u bytes\n", INPUT_CAP);
                rc = TD_EXIT_USAGE;
                goto out;
            }
        }
        if (td_hex_parse((const char *)raw.buf, raw.len, bytes, &d) != TD_ERR_OK) {
            fprintf(stderr, "tlsdiag xbee decode: bad hex in the arguments at character %zu: %s\n", d.offset,
                    d.detail[0] != '\0' ? d.detail : td_err_str(d.code));
            rc = TD_EXIT_USAGE;
        }
        goto out;
    }
    if (file == NULL) {
        if (isatty(STDIN_FILENO)) {
            fprintf(stderr, "tlsdiag xbee decode: give frames as hex arguments, -f FILE, or on stdin "
                            "(see tlsdiag xbee --help)\n");
            rc = TD_EXIT_USAGE;
            goto out;
        }
        file = "-";
    }
    if (td_file_read(file, &raw, err, sizeof(err)) != TD_ERR_OK) {
        fprintf(stderr, "tlsdiag xbee decode: %s\n", err);
        rc = TD_EXIT_USAGE;
        goto out;
    }
    if (raw.len > 0 && td_hex_is_text(raw.buf, raw.len)) {
        if (td_hex_parse((const char *)raw.buf, raw.len, bytes, &d) != TD_ERR_OK) {
            fprintf(stderr, "tlsdiag xbee decode: %s: bad hex text at byte %zu: %s\n", file, d.offset,
                    d.detail[0] != '\0' ? d.detail : td_err_str(d.code));
            rc = TD_EXIT_USAGE;
        }
    } else if (raw.len > 0 && td_wr_bytes(bytes, raw.buf, raw.len) != TD_ERR_OK) {
        fprintf(stderr, "tlsdiag xbee decode: %s: out of memory\n", file);
        rc = TD_EXIT_RUNTIME;
    } else if (raw.len > 0) {
        size_t at = td_hex_text_len(raw.buf, raw.len);
        char shown[8];
        if (at > 0 && at < raw.len) {
            uint8_t b = raw.buf[at];
            if (b >= 0x20 && b < 0x7F)
                snprintf(shown, sizeof(shown), "'%c'", (char)b);
            else
                snprintf(shown, sizeof(shown), "0x%02X", b);
            snprintf(why_binary, whycap, " (read as raw binary: byte %zu (%s) is not hex text)", at, shown);
        }
    }
out:
    td_wr_free(&raw);
    return rc;
}

static int decode(int nargs, char **args, const char *file, int api, bool json)
{
    struct td_writer in;
    struct td_xb_frame *fr = NULL;
    struct td_xb_ctx *ctx = NULL;
    struct td_xb_advice *adv = NULL;
    struct td_xb_stream s;
    struct td_xb_skip sk;
    struct td_diag d;
    struct td_style st = td_style_for(stdout);
    json_t *root = NULL, *frames = NULL, *skipped = NULL;
    const char *why = NULL;
    int rc;
    td_err e;
    char line[512], why_binary[96] = "";

    td_wr_init(&in, INPUT_CAP);
    rc = read_input(nargs, args, file, &in, why_binary, sizeof(why_binary));
    if (rc != TD_EXIT_OK)
        goto out;
    fr = td_calloc(1, sizeof(*fr));
    ctx = td_calloc(1, sizeof(*ctx));
    adv = td_calloc(1, sizeof(*adv));
    if (fr == NULL || ctx == NULL || adv == NULL) {
        fprintf(stderr, "tlsdiag xbee decode: out of memory\n");
        rc = TD_EXIT_RUNTIME;
        goto out;
    }
    td_xb_ctx_init(ctx);
    if (api == 0) {
        api = td_xb_detect(in.buf, in.len, fr, &why);
        if (api == 0) {
            fprintf(stderr, "tlsdiag xbee decode: API mode is ambiguous (%s): pass --api 1 or --api 2\n", why);
            rc = TD_EXIT_USAGE;
            goto out;
        }
    }
    if (json) {
        root = json_object();
        frames = json_array();
        skipped = json_array();
        json_object_set_new(root, "api", json_integer(api));
        json_object_set_new(root, "api_source", json_string(why != NULL ? "auto" : "option"));
        json_object_set_new(root, "api_reason", why != NULL ? json_string(why) : json_null());
        json_object_set_new(root, "input_length", json_integer((json_int_t)in.len));
    } else if (why != NULL) {
        printf("%sAPI mode %d (auto-detected: %s)%s\n", st.dim, api, why, st.reset);
    }

    td_xb_stream_init(&s, in.buf, in.len, api);
    td_diag_init(&d);
    rc = TD_EXIT_OK;
    for (;;) {
        e = td_xb_next(&s, fr, &sk, &d);
        if (e == TD_ERR_OK && json && s.frames > JSON_MAX_FRAMES)
            e = td_diag_setf(&d, TD_ERR_TOOBIG, fr->off, "frame",
                             "more than %u frames: --json holds the whole document in memory; split the input or "
                             "use text output",
                             JSON_MAX_FRAMES);
        if (sk.len > 0) {
            if (json)
                json_array_append_new(skipped, td_xbo_skip_json(&sk));
            else
                td_xbo_skip_text(stdout, &sk, &st);
        }
        if (e == TD_ERR_NOTFOUND)
            break;
        if (e != TD_ERR_OK) {
            td_xbo_error_line(line, sizeof(line), fr->index, fr->off, &d);
            fflush(stdout);
            fprintf(stderr, "tlsdiag xbee decode: %s\n", line);
            if (json)
                json_object_set_new(root, "error", error_json(fr->index, fr->off, d.offset, d.code, d.field, line));
            rc = TD_EXIT_USAGE;
            break;
        }
        td_xb_ctx_note(ctx, fr);
        td_xb_advise(fr, ctx, adv);
        if (json) {
            json_array_append_new(frames, td_xbo_frame_json(fr, adv));
        } else {
            if (s.frames > 1)
                printf("\n");
            td_xbo_frame_text(stdout, fr, adv, &st);
        }
    }
    if (rc == TD_EXIT_OK && s.frames == 0) {
        snprintf(line, sizeof(line), "no XBee frame found: no 0x7E start delimiter in %zu byte%s of input%s", in.len,
                 in.len == 1 ? "" : "s", why_binary);
        fflush(stdout);
        fprintf(stderr, "tlsdiag xbee decode: %s\n", line);
        if (json)
            json_object_set_new(root, "error", error_json(0, 0, in.len, TD_ERR_NOTFOUND, NULL, line));
        rc = TD_EXIT_USAGE;
    }
    if (json) {
        if (json_object_get(root, "error") == NULL)
            json_object_set_new(root, "error", json_null());
        json_object_set_new(root, "frames", frames);
        json_object_set_new(root, "skipped", skipped);
        frames = skipped = NULL;
        /* keep the documented key order: error last */
        {
            json_t *err = json_incref(json_object_get(root, "error"));
            json_object_del(root, "error");
            json_object_set_new(root, "error", err);
        }
        td_json_print(stdout, root, 0);
    }
out:
    json_decref(frames);
    json_decref(skipped);
    json_decref(root);
    td_free(fr);
    td_free(ctx);
    td_free(adv);
    td_wr_free(&in);
    return rc;
}

/* ---- encode -------------------------------------------------------------- */

/* Every field option of every frame type, plus the -hex forms of the byte
 * fields; the engine rejects those that do not apply to the chosen type. */
static const char *const field_opts[] = {
    "frame-id", "ip",       "port",      "src-port",  "local-port", "protocol", "profile", "options",
    "data",     "data-hex", "command",   "param",     "param-hex",  "status",   "socket",  "client-socket",
    "option",   "value",    "value-hex", "addr-type", "addr",
};

static int encode(int argc, char **argv, int api_default)
{
    struct option opts[TD_ARRAY_LEN(field_opts) + 4];
    struct td_xb_value vals[64];
    size_t nvals = 0, n = 0;
    int api = api_default, binary = 0, c, rc = TD_EXIT_OK;
    const struct td_xb_type *t;
    struct td_xb_type raw;
    struct td_writer data, out;
    td_err e;
    char err[256];
    const char *tname;

    for (size_t i = 0; i < TD_ARRAY_LEN(field_opts); i++)
        opts[n++] = (struct option){field_opts[i], required_argument, NULL, 1000 + (int)i};
    opts[n++] = (struct option){"api", required_argument, NULL, 'a'};
    opts[n++] = (struct option){"binary", no_argument, NULL, 'b'};
    opts[n++] = (struct option){"help", no_argument, NULL, 'h'};
    opts[n] = (struct option){NULL, 0, NULL, 0};

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c >= 1000 && c < 1000 + (int)TD_ARRAY_LEN(field_opts)) {
            if (nvals >= TD_ARRAY_LEN(vals)) {
                fprintf(stderr, "tlsdiag xbee encode: more than %zu field options\n", TD_ARRAY_LEN(vals));
                return TD_EXIT_USAGE;
            }
            vals[nvals++] = (struct td_xb_value){field_opts[c - 1000], optarg};
            continue;
        }
        switch (c) {
        case 'a':
            api = api_mode("encode", optarg);
            if (api == 0)
                return TD_EXIT_USAGE;
            break;
        case 'b':
            binary = 1;
            break;
        case 'h':
            usage(stdout);
            return TD_EXIT_OK;
        default:
            return bad_option("encode", c, argc, argv);
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "tlsdiag xbee encode: give exactly one frame TYPE (see tlsdiag xbee --help)\n");
        return TD_EXIT_USAGE;
    }
    tname = argv[optind];
    t = td_xb_type_by_verb(tname);
    td_wr_init(&data, TD_XB_MAX_DATA);
    td_wr_init(&out, 2 * (TD_XB_MAX_DATA + 4));
    if (t == NULL) {
        /* a frame type byte that devices.md does not document: raw frame */
        unsigned long v = 0;
        if (tname[0] != '0' || (tname[1] != 'x' && tname[1] != 'X') || !td_xb_parse_number(tname, 0xFF, &v)) {
            fprintf(stderr, "tlsdiag xbee encode: unknown frame type '%s' (see tlsdiag xbee --help)\n", tname);
            rc = TD_EXIT_USAGE;
            goto out;
        }
        td_xb_type_raw((uint8_t)v, &raw);
        t = &raw;
    }
    e = td_xb_build(t, vals, nvals, &data, err, sizeof(err));
    if (e != TD_ERR_OK) {
        fprintf(stderr, "tlsdiag xbee encode: %s\n", err[0] != '\0' ? err : td_err_str(e));
        rc = TD_EXIT_USAGE;
        goto out;
    }
    if (td_xb_wrap(data.buf, data.len, api, &out) != TD_ERR_OK) {
        fprintf(stderr, "tlsdiag xbee encode: frame data of %zu bytes does not fit a frame\n", data.len);
        rc = TD_EXIT_USAGE;
        goto out;
    }
    if (binary) {
        if (fwrite(out.buf, 1, out.len, stdout) != out.len)
            rc = TD_EXIT_RUNTIME;
    } else {
        char *hex = td_malloc(out.len * 3 + 1);
        if (hex == NULL) {
            rc = TD_EXIT_RUNTIME;
            goto out;
        }
        td_hex_format(out.buf, out.len, " ", true, hex, out.len * 3 + 1);
        printf("%s\n", hex);
        td_free(hex);
    }
out:
    td_wr_free(&data);
    td_wr_free(&out);
    return rc;
}

static int types(void)
{
    for (size_t i = 0; i < td_xb_types_count; i++)
        printf("0x%02X  %-24s %s\n", td_xb_types[i].type, td_xb_types[i].verb, td_xb_types[i].name);
    return TD_EXIT_OK;
}

static const char *kind_text(enum td_xb_kind k)
{
    switch (k) {
    case TD_XB_K_FRAME_ID:
        return "1";
    case TD_XB_K_U8:
        return "1";
    case TD_XB_K_SOCKET:
        return "1, socket ID";
    case TD_XB_K_PROFILE:
        return "1, AT$n";
    case TD_XB_K_TXOPT:
        return "1, bit 1 (0x02) = close socket";
    case TD_XB_K_PORT:
        return "2, decimal";
    case TD_XB_K_IPV4:
        return "4, dotted quad";
    case TD_XB_K_ATCMD:
        return "2, ASCII";
    case TD_XB_K_DATA:
        return "rest, hex + text";
    case TD_XB_K_ADDR:
        return "rest, IPv4 (type 0) or string (type 1)";
    default:
        return "?";
    }
}

/* The frame layouts and code tables as Markdown: docs/xbee.md embeds this
 * output verbatim, and an e2e test checks that it is current. */
static int tables(void)
{
    printf("### Frame types\n\n");
    printf("| Type | Name | encode TYPE | Fields after the type byte: key (bytes) `--option` | Source |\n");
    printf("|---|---|---|---|---|\n");
    for (size_t i = 0; i < td_xb_types_count; i++) {
        const struct td_xb_type *t = &td_xb_types[i];
        printf("| 0x%02X | %s | `%s` |", t->type, t->name, t->verb);
        for (size_t k = 0; k < t->nfields; k++) {
            const struct td_xb_field_spec *sp = &t->fields[k];
            printf("%s `%s` (%s) `--%s%s`%s%s%s", k > 0 ? "," : "", sp->key, kind_text(sp->kind), sp->opt,
                   sp->kind == TD_XB_K_DATA ? "[-hex]" : "", sp->table != NULL ? " [" : "",
                   sp->table != NULL ? sp->table->id : "", sp->table != NULL ? "]" : "");
        }
        printf(" | %s |\n", t->source);
    }
    for (size_t i = 0; i < td_xb_tables_count; i++) {
        const struct td_xb_table *t = td_xb_tables[i];
        printf("\n### `%s`: %s\n\nSource: %s\n\n| Code | Meaning | Notes |\n|---|---|---|\n", t->id, t->title,
               t->source);
        for (size_t k = 0; k < t->count; k++)
            printf("| 0x%02X | %s | %s |\n", t->codes[k].code, t->codes[k].name,
                   t->codes[k].meaning != NULL ? t->codes[k].meaning : "");
    }
    return TD_EXIT_OK;
}

int td_cmd_xbee(int argc, char **argv)
{
    static const struct option opts[] = {
        {"file", required_argument, NULL, 'f'},
        {"api", required_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *file = NULL;
    int api = 0, c;
    bool json = false;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? TD_EXIT_USAGE : TD_EXIT_OK;
    }
    if (strcmp(argv[1], "encode") == 0)
        return encode(argc - 1, argv + 1, 1);
    if (strcmp(argv[1], "types") == 0)
        return types();
    if (strcmp(argv[1], "tables") == 0)
        return tables();
    if (strcmp(argv[1], "decode") != 0) {
        fprintf(stderr, "tlsdiag xbee: unknown action '%s' (decode, encode, types, tables)\n", argv[1]);
        return TD_EXIT_USAGE;
    }
    argc--;
    argv++;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            file = optarg;
            break;
        case 'a':
            api = api_mode("decode", optarg);
            if (api == 0)
                return TD_EXIT_USAGE;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            usage(stdout);
            return TD_EXIT_OK;
        default:
            return bad_option("decode", c, argc, argv);
        }
    }
    if (file != NULL && optind < argc) {
        fprintf(stderr, "tlsdiag xbee decode: give hex arguments or -f FILE, not both\n");
        return TD_EXIT_USAGE;
    }
    return decode(argc - optind, argv + optind, file, api, json);
}
