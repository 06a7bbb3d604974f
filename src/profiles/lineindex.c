#include "profiles/lineindex.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"

struct frame {
    bool array;
    bool expect_key; /* objects: the next string is a key */
    size_t base;     /* path length of the container itself */
    int index;       /* arrays: index of the current element */
};

struct scan {
    struct td_lineindex *ix;
    char path[TD_LINEINDEX_MAX_PATH];
    size_t plen;
    bool overflow; /* path too long: stop indexing below this point */
    int oom;
};

static void add(struct scan *s, int line, int col)
{
    struct td_lineindex *ix = s->ix;
    if (s->overflow || s->oom || ix->n >= TD_LINEINDEX_MAX_ENTRIES)
        return;
    if (ix->n == ix->alloc) {
        size_t na = ix->alloc ? ix->alloc * 2 : 64;
        struct td_lineindex_entry *nv = td_reallocarray(ix->v, na, sizeof(*nv));
        if (nv == NULL) {
            s->oom = 1;
            return;
        }
        ix->v = nv;
        ix->alloc = na;
    }
    ix->v[ix->n].path = td_strndup(s->path, s->plen);
    if (ix->v[ix->n].path == NULL) {
        s->oom = 1;
        return;
    }
    ix->v[ix->n].line = line;
    ix->v[ix->n].column = col;
    ix->n++;
}

/* Sets the path to base + suffix; marks overflow if it does not fit. */
static void set_path(struct scan *s, size_t base, const char *sep, const char *p, size_t n)
{
    size_t sl = strlen(sep);
    s->plen = base;
    s->overflow = false;
    if (base + sl + n + 1 > sizeof(s->path)) {
        s->overflow = true;
        return;
    }
    memcpy(s->path + base, sep, sl);
    memcpy(s->path + base + sl, p, n);
    s->plen = base + sl + n;
    s->path[s->plen] = '\0';
}

/* The index of the closing quote of the JSON string whose body starts at i
 * (or of the line end / text end where an unterminated one stops); a
 * backslash escapes the next character. col follows i. */
static size_t string_end(const char *text, size_t len, size_t i, int *col)
{
    while (i < len && text[i] != '"' && text[i] != '\n') {
        if (text[i] == '\\' && i + 1 < len && text[i + 1] != '\n') {
            i++;
            (*col)++;
        }
        i++;
        (*col)++;
    }
    return i;
}

int td_lineindex_build(struct td_lineindex *ix, const char *text, size_t len)
{
    struct frame st[TD_LINEINDEX_MAX_DEPTH];
    int depth = 0; /* frames in use */
    int skipped = 0; /* containers opened beyond the depth cap */
    struct scan s;
    int line = 1, col = 1;
    size_t i = 0;

    memset(&s, 0, sizeof(s));
    s.ix = ix;
    while (i < len) {
        char c = text[i];
        int tline = line, tcol = col;
        struct frame *top = depth > 0 && skipped == 0 ? &st[depth - 1] : NULL;

        if (c == '\n') {
            line++;
            col = 1;
            i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == ':') {
            col++;
            i++;
            continue;
        }
        if (c == ',') {
            if (top != NULL) {
                if (top->array)
                    top->index++;
                else
                    top->expect_key = true;
            }
            col++;
            i++;
            continue;
        }
        if (c == '}' || c == ']') {
            if (skipped > 0)
                skipped--;
            else if (depth > 0)
                depth--;
            if (depth > 0 && skipped == 0)
                s.plen = st[depth - 1].base;
            col++;
            i++;
            continue;
        }
        /* a key, or the start of a value */
        if (top != NULL && !top->array && top->expect_key && c == '"') {
            size_t start = ++i;
            col++;
            i = string_end(text, len, i, &col);
            set_path(&s, top->base, top->base > 0 ? "." : "", text + start, i - start);
            add(&s, tline, tcol);
            top->expect_key = false;
            if (i < len && text[i] == '"') {
                i++;
                col++;
            }
            continue;
        }
        if (top != NULL && top->array) {
            char idx[24];
            int n = snprintf(idx, sizeof(idx), "[%d]", top->index);
            set_path(&s, top->base, "", idx, n > 0 ? (size_t)n : 0);
            add(&s, tline, tcol);
        }
        if (c == '{' || c == '[') {
            if (depth < TD_LINEINDEX_MAX_DEPTH && skipped == 0 && !s.overflow) {
                st[depth].array = c == '[';
                st[depth].expect_key = c == '{';
                st[depth].base = s.plen;
                st[depth].index = 0;
                depth++;
            } else {
                skipped++;
            }
            col++;
            i++;
            continue;
        }
        if (c == '"') {
            i++;
            col++;
            i = string_end(text, len, i, &col);
            if (i < len && text[i] == '"') {
                i++;
                col++;
            }
            continue;
        }
        /* number or literal: up to the next delimiter */
        while (i < len && strchr(",]} \t\r\n:", text[i]) == NULL) {
            i++;
            col++;
        }
        if (i < len && text[i] == ':') /* stray ':' in malformed text */
            continue;
        if (tline == line && tcol == col) { /* nothing consumed: skip one byte */
            i++;
            col++;
        }
    }
    return s.oom ? -1 : 0;
}

void td_lineindex_find(const struct td_lineindex *ix, const char *path, int *line, int *column)
{
    char buf[TD_LINEINDEX_MAX_PATH];
    size_t n = strlen(path);

    *line = 0;
    *column = 0;
    if (n >= sizeof(buf))
        n = sizeof(buf) - 1;
    memcpy(buf, path, n);
    buf[n] = '\0';
    for (;;) {
        for (size_t i = 0; i < ix->n; i++) {
            if (strcmp(ix->v[i].path, buf) == 0) {
                *line = ix->v[i].line;
                *column = ix->v[i].column;
                return;
            }
        }
        /* strip the last component: ".key" or "[i]" */
        size_t k = strlen(buf);
        if (k == 0)
            return;
        while (k > 0 && buf[k - 1] != '.' && buf[k - 1] != '[')
            k--;
        if (k == 0)
            return;
        buf[k - 1] = '\0';
    }
}

void td_lineindex_free(struct td_lineindex *ix)
{
    if (ix == NULL)
        return;
    for (size_t i = 0; i < ix->n; i++)
        td_free(ix->v[i].path);
    td_free(ix->v);
    ix->v = NULL;
    ix->n = ix->alloc = 0;
}
