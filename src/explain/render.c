/* Rendering explain results (text for people, JSON for tools). */
#include "explain/render.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "report/term.h"

#define WRAP 96u

/* Prints text wrapped at WRAP columns, continuation lines indented by
 * `indent` spaces (the first line is assumed to be at `col` already). */
static void wrap(FILE *f, const char *text, size_t col, size_t indent)
{
    const char *p = text;
    while (*p) {
        size_t word = strcspn(p, " ");
        if (col > indent && col + 1 + word > WRAP) {
            fprintf(f, "\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, word, f);
        col += word;
        p += word;
        while (*p == ' ')
            p++;
    }
    fputc('\n', f);
}

static const char *device_for(const struct td_ex_entry *e, const char *device)
{
    return device != NULL ? device : e->src->device;
}

/* The user's input as quoted back: cut to fit (with "..."), and control
 * bytes as spaces so untrusted input cannot send terminal escapes. */
static void shown_input(const char *in, char *out, size_t cap)
{
    size_t n = strlen(in);
    if (n < cap) {
        memcpy(out, in, n + 1);
    } else {
        memcpy(out, in, cap - 4);
        memcpy(out + cap - 4, "...", 4);
    }
    for (char *c = out; *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f)
            *c = ' ';
}

void td_ex_print_text(FILE *f, const char *input, const struct td_ex_result *res, const char *device)
{
    struct td_style st = td_style_for(f);
    char shown[72];

    shown_input(input, shown, sizeof(shown));
    if (res->n > 1)
        fprintf(f, "%d matches for \"%s\", best first:\n", (int)res->n, shown);
    for (size_t i = 0; i < res->n; i++) {
        const struct td_ex_match *m = &res->m[i];
        const struct td_ex_entry *e = m->e;
        bool placeholder = false;
        if (i > 0 || res->n > 1)
            fputc('\n', f);
        fprintf(f, "%s%s%s %s%s%s: %s%s%s\n", st.bold, e->src->title, st.reset, st.cyan, e->key, st.reset, st.bold,
                e->summary, st.reset);
        if (strcmp(e->summary, e->name) != 0) {
            fprintf(f, "  %-11s", "Name:");
            wrap(f, e->name, 13, 13);
        }
        fprintf(f, "  %-11s%s \"%s\" (%s)\n", "Matched:", td_ex_how_name(m->how), m->text, m->note);
        fprintf(f, "  %-11s", "Meaning:");
        wrap(f, e->meaning, 13, 13);
        if (e->causes.n > 0) {
            fprintf(f, "  Likely causes, most likely first:\n");
            for (size_t c = 0; c < e->causes.n; c++) {
                fprintf(f, "    %zu. ", c + 1);
                wrap(f, e->causes.v[c], 7, 7);
            }
        }
        fprintf(f, "  %-11s", "Look at:");
        for (size_t s = 0; s < e->sides.n; s++)
            fprintf(f, "%s%s", s ? ", " : "", e->sides.v[s]);
        fputc('\n', f);
        for (size_t c = 0; c < e->commands.n; c++) {
            char cmd[600];
            td_ex_fill_command(e->commands.v[c], res, device_for(e, device), cmd, sizeof(cmd));
            fprintf(f, "  %-11s%s%s%s\n", c == 0 ? "Settle it:" : "", st.green, cmd, st.reset);
            if (strstr(cmd, "--device DEVICE") != NULL)
                placeholder = true;
        }
        if (placeholder)
            fprintf(f, "  %-11s%s(DEVICE: a profile name from 'tlsdiag devices', or pass --device NAME)%s\n", "",
                    st.dim, st.reset);
        fprintf(f, "  %-11s%s", "Source:", st.dim);
        wrap(f, e->ref, 13, 13);
        fputs(st.reset, f);
    }
}

static json_t *list_json(const struct td_ex_list *l)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < l->n; i++)
        json_array_append_new(a, json_string(l->v[i]));
    return a;
}

/* The input is untrusted bytes; JSON strings must be UTF-8. Invalid input
 * is kept readable with every byte outside printable ASCII as '?'. */
static json_t *text_json(const char *s)
{
    json_t *j = json_string(s);
    char *copy;
    size_t n;
    if (j != NULL)
        return j;
    n = strlen(s);
    copy = td_malloc(n + 1);
    if (copy == NULL)
        return json_null();
    for (size_t i = 0; i < n; i++)
        copy[i] = (s[i] >= 0x20 && s[i] < 0x7f) || s[i] == '\n' || s[i] == '\t' ? s[i] : '?';
    copy[n] = '\0';
    j = json_string(copy);
    td_free(copy);
    return j != NULL ? j : json_null();
}

json_t *td_ex_result_json(const char *input, const char *from, const struct td_ex_result *res, const char *device)
{
    json_t *root = json_object(), *arr = json_array();

    if (root == NULL || arr == NULL) {
        json_decref(root);
        json_decref(arr);
        return NULL;
    }
    json_object_set_new(root, "input", text_json(input));
    json_object_set_new(root, "from", from != NULL ? json_string(from) : json_null());
    if (res->host[0] != '\0')
        json_object_set_new(root, "target",
                            json_pack("{s:s,s:s}", "host", res->host, "port", res->port[0] ? res->port : "443"));
    else
        json_object_set_new(root, "target", json_null());
    for (size_t i = 0; i < res->n; i++) {
        const struct td_ex_match *m = &res->m[i];
        const struct td_ex_entry *e = m->e;
        json_t *o = json_object(), *cmds = json_array();
        for (size_t c = 0; cmds != NULL && c < e->commands.n; c++) {
            char cmd[600];
            td_ex_fill_command(e->commands.v[c], res, device_for(e, device), cmd, sizeof(cmd));
            json_array_append_new(cmds, json_string(cmd));
        }
        json_object_set_new(o, "source", json_string(e->src->id));
        json_object_set_new(o, "source_title", json_string(e->src->title));
        json_object_set_new(o, "code", json_string(e->key));
        json_object_set_new(o, "value", e->numeric ? json_integer(e->value) : json_null());
        json_object_set_new(o, "name", json_string(e->name));
        json_object_set_new(o, "summary", json_string(e->summary));
        json_object_set_new(o, "meaning", json_string(e->meaning));
        json_object_set_new(o, "causes", list_json(&e->causes));
        json_object_set_new(o, "sides", list_json(&e->sides));
        json_object_set_new(o, "commands", cmds);
        json_object_set_new(o, "aliases", list_json(&e->aliases));
        json_object_set_new(o, "ref", json_string(e->ref));
        json_object_set_new(o, "match",
                            json_pack("{s:s,s:s,s:s,s:i,s:I}", "how", td_ex_how_name(m->how), "text", m->text, "note",
                                      m->note, "score", m->score, "offset", (json_int_t)m->at));
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "matches", arr);
    return root;
}

void td_ex_print_sources(FILE *f, const struct td_ex_kb *kb)
{
    fprintf(f, "%-22s %7s %5s  %s\n", "SOURCE", "ENTRIES", "RADIX", "TITLE");
    for (size_t i = 0; i < kb->nsrc; i++) {
        const struct td_ex_source *s = &kb->src[i];
        fprintf(f, "%-22s %7zu %5s  %s\n", s->id, s->nentries, s->radix == TD_EX_RADIX_HEX ? "hex" : "dec", s->title);
    }
}

json_t *td_ex_sources_json(const struct td_ex_kb *kb)
{
    json_t *root = json_object(), *arr = json_array();
    if (root == NULL || arr == NULL) {
        json_decref(root);
        json_decref(arr);
        return NULL;
    }
    for (size_t i = 0; i < kb->nsrc; i++) {
        const struct td_ex_source *s = &kb->src[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(s->id));
        json_object_set_new(o, "title", json_string(s->title));
        json_object_set_new(o, "file", json_string(s->file));
        json_object_set_new(o, "entries", json_integer((json_int_t)s->nentries));
        json_object_set_new(o, "radix", json_string(s->radix == TD_EX_RADIX_HEX ? "hex" : "dec"));
        json_object_set_new(o, "ref", s->ref != NULL ? json_string(s->ref) : json_null());
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "sources", arr);
    return root;
}

void td_ex_print_nomatch(FILE *f, const char *input, const char *from, const struct td_ex_kb *kb)
{
    char shown[72];
    shown_input(input, shown, sizeof(shown));
    fprintf(f, "Nothing known matches \"%s\"%s%s.\n", shown, from != NULL ? " in source " : "",
            from != NULL ? from : "");
    fprintf(f, "Try a code in another form (0x85, -0x7780, AH02645), or restrict to one source with --from:\n  ");
    for (size_t i = 0; i < kb->nsrc; i++)
        fprintf(f, "%s%s", i ? " " : "", kb->src[i].id);
    fprintf(f, "\n(tlsdiag explain --list shows what each source covers)\n");
}
