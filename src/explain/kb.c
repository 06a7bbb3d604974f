/* Knowledge-base parser and validator (format in kb.h and docs/explain.md).
 * The files ship inside the binary, but they are still parsed as untrusted
 * text: every line goes through the reader, every list has a cap, and every
 * problem is reported as FILE:LINE. */
#include "explain/kb.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/hex.h"
#include "core/mem.h"
#include "core/reader.h"

#define KB_DIR "data/explain/"

/* The sides an entry may point at, so a typo in a data file is caught. */
static const char *const known_sides[] = {"device", "server", "network", "certificate", "config", "client"};

/* Placeholders a command may use; filled by the matcher. */
static const char *const known_placeholders[] = {"{target}", "{host}", "{device}"};

struct parser {
    const char *file;
    unsigned line;
    char *err;
    size_t errcap;
    struct td_ex_source *src;
    struct td_ex_entry *cur; /* entry being filled, NULL in the header */
    char **last;             /* value a continuation line appends to */
    bool header_done;
};

static td_err perr(struct parser *p, const char *fmt, ...) TD_PRINTF(2, 3);
static td_err perr(struct parser *p, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (p->err == NULL || p->errcap == 0)
        return TD_ERR_INPUT;
    n = snprintf(p->err, p->errcap, "%s%s:%u: ", KB_DIR, p->file, p->line);
    if (n >= 0 && (size_t)n < p->errcap) {
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->errcap - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return TD_ERR_INPUT;
}

static void list_free(struct td_ex_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        td_free(l->v[i]);
    td_free(l->v);
    l->v = NULL;
    l->n = 0;
}

static void entry_free(struct td_ex_entry *e)
{
    td_free(e->key);
    td_free(e->name);
    td_free(e->summary);
    td_free(e->meaning);
    td_free(e->ref);
    list_free(&e->causes);
    list_free(&e->sides);
    list_free(&e->commands);
    list_free(&e->aliases);
    list_free(&e->patterns);
}

static void source_free(struct td_ex_source *s)
{
    for (size_t i = 0; i < s->nentries; i++)
        entry_free(&s->entries[i]);
    td_free(s->entries);
    for (size_t i = 0; i < s->nctx; i++)
        td_free(s->ctx[i].text);
    td_free(s->ctx);
    td_free(s->id);
    td_free(s->file);
    td_free(s->title);
    td_free(s->ref);
    td_free(s->device);
    memset(s, 0, sizeof(*s));
}

void td_ex_kb_init(struct td_ex_kb *kb)
{
    kb->src = NULL;
    kb->nsrc = 0;
}

void td_ex_kb_free(struct td_ex_kb *kb)
{
    if (kb == NULL)
        return;
    for (size_t i = 0; i < kb->nsrc; i++)
        source_free(&kb->src[i]);
    td_free(kb->src);
    kb->src = NULL;
    kb->nsrc = 0;
}

bool td_ex_parse_number(const char *s, size_t len, long long *out, bool *explicit_hex)
{
    size_t i = 0;
    bool neg = false, hex = false;
    unsigned long long v = 0;

    if (len > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (len >= i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        hex = true;
        i += 2;
    }
    if (i >= len || len - i > (hex ? 12u : 15u))
        return false;
    for (; i < len; i++) {
        int c = (unsigned char)s[i];
        int d = hex ? td_hex_digit(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
        if (d < 0)
            return false;
        v = v * (hex ? 16u : 10u) + (unsigned)d;
    }
    *out = neg ? -(long long)v : (long long)v;
    if (explicit_hex != NULL)
        *explicit_hex = hex;
    return true;
}

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static char *trim(char *s)
{
    size_t n;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static td_err set_once(struct parser *p, char **slot, const char *key, const char *val)
{
    if (*slot != NULL)
        return perr(p, "duplicate key '%s'", key);
    *slot = td_strdup(val);
    if (*slot == NULL)
        return TD_ERR_NOMEM;
    p->last = slot;
    return TD_ERR_OK;
}

static td_err list_add(struct parser *p, struct td_ex_list *l, const char *key, const char *val)
{
    char **nv;
    if (l->n >= TD_EX_MAX_LIST)
        return perr(p, "too many '%s' values (at most %u)", key, TD_EX_MAX_LIST);
    nv = td_reallocarray(l->v, l->n + 1, sizeof(*nv));
    if (nv == NULL)
        return TD_ERR_NOMEM;
    l->v = nv;
    l->v[l->n] = td_strdup(val);
    if (l->v[l->n] == NULL)
        return TD_ERR_NOMEM;
    p->last = &l->v[l->n];
    l->n++;
    return TD_ERR_OK;
}

static td_err append_continuation(struct parser *p, const char *more)
{
    size_t a, b;
    char *n;
    if (p->last == NULL || *p->last == NULL)
        return perr(p, "continuation line without a value to continue");
    a = strlen(*p->last);
    b = strlen(more);
    if (a + b + 2 > TD_EX_MAX_LINE * 4)
        return perr(p, "value too long");
    n = td_malloc(a + b + 2);
    if (n == NULL)
        return TD_ERR_NOMEM;
    memcpy(n, *p->last, a);
    n[a] = ' ';
    memcpy(n + a + 1, more, b + 1);
    td_free(*p->last);
    *p->last = n;
    return TD_ERR_OK;
}

static td_err header_key(struct parser *p, const char *key, const char *val)
{
    struct td_ex_source *s = p->src;
    if (strcmp(key, "source") == 0) {
        for (const char *c = val; *c; c++)
            if (!(islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '-'))
                return perr(p, "source id '%s' may hold only a-z, 0-9 and '-'", val);
        return set_once(p, &s->id, key, val);
    }
    if (strcmp(key, "title") == 0)
        return set_once(p, &s->title, key, val);
    if (strcmp(key, "ref") == 0)
        return set_once(p, &s->ref, key, val);
    if (strcmp(key, "device") == 0)
        return set_once(p, &s->device, key, val);
    if (strcmp(key, "radix") == 0) {
        if (strcmp(val, "hex") == 0)
            s->radix = TD_EX_RADIX_HEX;
        else if (strcmp(val, "dec") == 0)
            s->radix = TD_EX_RADIX_DEC;
        else
            return perr(p, "radix must be 'hex' or 'dec', not '%s'", val);
        p->last = NULL;
        return TD_ERR_OK;
    }
    if (strcmp(key, "priority") == 0) {
        long long v;
        if (!td_ex_parse_number(val, strlen(val), &v, NULL) || v < 0 || v > 1000)
            return perr(p, "priority must be a number 0..1000, not '%s'", val);
        s->priority = (int)v;
        p->last = NULL;
        return TD_ERR_OK;
    }
    if (strcmp(key, "negative") == 0) {
        if (strcmp(val, "yes") != 0 && strcmp(val, "no") != 0)
            return perr(p, "negative must be 'yes' or 'no'");
        s->negative = strcmp(val, "yes") == 0;
        p->last = NULL;
        return TD_ERR_OK;
    }
    if (strcmp(key, "context") == 0) {
        /* "context: [dec|hex] TEXT": the radix prefix is optional */
        struct td_ex_context *nc;
        int radix = 0;
        if (strncmp(val, "dec ", 4) == 0 || strncmp(val, "hex ", 4) == 0) {
            radix = val[0] == 'd' ? TD_EX_RADIX_DEC : TD_EX_RADIX_HEX;
            val += 4;
        }
        if (*val == '\0')
            return perr(p, "empty context");
        if (s->nctx >= TD_EX_MAX_LIST)
            return perr(p, "too many 'context' values (at most %u)", TD_EX_MAX_LIST);
        nc = td_reallocarray(s->ctx, s->nctx + 1, sizeof(*nc));
        if (nc == NULL)
            return TD_ERR_NOMEM;
        s->ctx = nc;
        s->ctx[s->nctx].text = td_strdup(val);
        if (s->ctx[s->nctx].text == NULL)
            return TD_ERR_NOMEM;
        s->ctx[s->nctx].radix = radix;
        s->nctx++;
        p->last = NULL;
        return TD_ERR_OK;
    }
    return perr(p, "unknown header key '%s' (expected source, title, ref, radix, priority, context, device, negative)",
                key);
}

static td_err check_command(struct parser *p, const char *cmd)
{
    const char *c = cmd;
    if (strncmp(cmd, "tlsdiag ", 8) != 0)
        return perr(p, "command must start with 'tlsdiag ': '%s'", cmd);
    for (c = strchr(c, '{'); c != NULL; c = strchr(c, '{')) {
        bool ok = false;
        for (size_t i = 0; i < TD_ARRAY_LEN(known_placeholders); i++)
            if (strncmp(c, known_placeholders[i], strlen(known_placeholders[i])) == 0)
                ok = true;
        if (!ok)
            return perr(p, "unknown placeholder in command '%s' (known: {target} {host} {device})", cmd);
        c++;
    }
    return TD_ERR_OK;
}

static td_err entry_key(struct parser *p, const char *key, const char *val)
{
    struct td_ex_entry *e = p->cur;
    if (strcmp(key, "name") == 0)
        return set_once(p, &e->name, key, val);
    if (strcmp(key, "summary") == 0)
        return set_once(p, &e->summary, key, val);
    if (strcmp(key, "meaning") == 0)
        return set_once(p, &e->meaning, key, val);
    if (strcmp(key, "ref") == 0)
        return set_once(p, &e->ref, key, val);
    if (strcmp(key, "cause") == 0)
        return list_add(p, &e->causes, key, val);
    if (strcmp(key, "command") == 0) {
        td_err ret = check_command(p, val);
        return ret != TD_ERR_OK ? ret : list_add(p, &e->commands, key, val);
    }
    if (strcmp(key, "alias") == 0)
        return list_add(p, &e->aliases, key, val);
    if (strcmp(key, "pattern") == 0) {
        if (strlen(val) < 4)
            return perr(p, "pattern '%s' is too short to be specific (at least 4 characters)", val);
        return list_add(p, &e->patterns, key, val);
    }
    if (strcmp(key, "side") == 0) {
        /* comma-separated, each one of known_sides */
        char buf[256];
        char *tok, *rest;
        if (strlen(val) >= sizeof(buf))
            return perr(p, "side list too long");
        memcpy(buf, val, strlen(val) + 1);
        rest = buf;
        while (rest != NULL) {
            bool ok = false;
            tok = rest;
            rest = strchr(rest, ',');
            if (rest != NULL)
                *rest++ = '\0';
            tok = trim(tok);
            for (size_t i = 0; i < TD_ARRAY_LEN(known_sides); i++)
                if (strcmp(tok, known_sides[i]) == 0)
                    ok = true;
            if (!ok)
                return perr(p, "unknown side '%s' (known: device, server, network, certificate, config, client)", tok);
            td_err ret = list_add(p, &e->sides, key, tok);
            if (ret != TD_ERR_OK)
                return ret;
        }
        p->last = NULL;
        return TD_ERR_OK;
    }
    return perr(
        p, "unknown entry key '%s' (expected name, summary, meaning, cause, side, command, alias, pattern, ref)", key);
}

/* Checks a finished entry: what every entry must state. */
static td_err entry_finish(struct parser *p)
{
    struct td_ex_entry *e = p->cur;
    unsigned saved = p->line;
    td_err ret = TD_ERR_OK;

    if (e == NULL)
        return TD_ERR_OK;
    p->line = e->line;
    if (e->name == NULL)
        ret = perr(p, "entry [%s] has no 'name'", e->key);
    else if (e->meaning == NULL)
        ret = perr(p, "entry [%s] has no 'meaning'", e->key);
    else if (e->sides.n == 0)
        ret = perr(p, "entry [%s] has no 'side' (where to look)", e->key);
    else if (e->commands.n == 0)
        ret = perr(p, "entry [%s] has no 'command' (the tlsdiag command that settles it)", e->key);
    else if (e->ref == NULL && p->src->ref == NULL)
        ret = perr(p, "entry [%s] has no 'ref' and the file has none (every meaning needs a source)", e->key);
    p->line = saved;
    if (ret != TD_ERR_OK)
        return ret;
    if (e->summary == NULL) {
        e->summary = td_strdup(e->name);
        if (e->summary == NULL)
            return TD_ERR_NOMEM;
    }
    if (e->ref == NULL) {
        e->ref = td_strdup(p->src->ref);
        if (e->ref == NULL)
            return TD_ERR_NOMEM;
    }
    p->cur = NULL;
    return TD_ERR_OK;
}

static td_err header_finish(struct parser *p)
{
    struct td_ex_source *s = p->src;
    if (s->id == NULL)
        return perr(p, "missing 'source:' header before the first entry");
    if (s->title == NULL)
        return perr(p, "missing 'title:' header before the first entry");
    if (s->radix == 0)
        return perr(p, "missing 'radix:' header before the first entry");
    p->header_done = true;
    return TD_ERR_OK;
}

static td_err start_entry(struct parser *p, char *line)
{
    struct td_ex_source *s = p->src;
    struct td_ex_entry *ne, *e;
    size_t n = strlen(line);
    char *key;
    td_err ret;

    if (!p->header_done) {
        ret = header_finish(p);
        if (ret != TD_ERR_OK)
            return ret;
    }
    ret = entry_finish(p);
    if (ret != TD_ERR_OK)
        return ret;
    if (n < 3 || line[n - 1] != ']')
        return perr(p, "entry header must be [CODE]");
    line[n - 1] = '\0';
    key = trim(line + 1);
    if (*key == '\0' || strlen(key) > 80)
        return perr(p, "entry code must be 1..80 characters");
    for (const char *c = key; *c; c++)
        if (isspace((unsigned char)*c))
            return perr(p, "entry code '%s' must not contain spaces", key);
    if (s->nentries >= TD_EX_MAX_ENTRIES)
        return perr(p, "too many entries (at most %u)", TD_EX_MAX_ENTRIES);
    for (size_t i = 0; i < s->nentries; i++)
        if (strcmp(s->entries[i].key, key) == 0)
            return perr(p, "duplicate entry [%s] (first at line %u)", key, s->entries[i].line);
    ne = td_reallocarray(s->entries, s->nentries + 1, sizeof(*ne));
    if (ne == NULL)
        return TD_ERR_NOMEM;
    s->entries = ne;
    e = &s->entries[s->nentries];
    memset(e, 0, sizeof(*e));
    e->key = td_strdup(key);
    if (e->key == NULL)
        return TD_ERR_NOMEM;
    e->line = p->line;
    e->numeric = td_ex_parse_number(key, strlen(key), &e->value, NULL);
    s->nentries++;
    p->cur = e;
    p->last = NULL;
    return TD_ERR_OK;
}

static td_err parse_line(struct parser *p, char *line)
{
    char *colon, *key, *val;

    if (line[0] == '#' || is_blank(line)) {
        if (is_blank(line))
            p->last = NULL; /* a blank line ends continuations */
        return TD_ERR_OK;
    }
    if (line[0] == ' ' || line[0] == '\t')
        return append_continuation(p, trim(line));
    line = trim(line);
    if (line[0] == '[')
        return start_entry(p, line);
    colon = strchr(line, ':');
    if (colon == NULL)
        return perr(p, "expected 'key: value', '[CODE]' or a comment");
    *colon = '\0';
    key = trim(line);
    val = trim(colon + 1);
    if (*val == '\0')
        return perr(p, "empty value for '%s'", key);
    if (p->cur == NULL) {
        if (p->header_done)
            return perr(p, "key '%s' outside an entry", key);
        return header_key(p, key, val);
    }
    return entry_key(p, key, val);
}

td_err td_ex_kb_add(struct td_ex_kb *kb, const char *file, const uint8_t *text, size_t len, char *err, size_t errcap)
{
    struct parser p;
    struct td_ex_source src;
    struct td_reader r;
    struct td_ex_source *ns;
    char line[TD_EX_MAX_LINE + 1];
    td_err ret = TD_ERR_OK;

    memset(&p, 0, sizeof(p));
    memset(&src, 0, sizeof(src));
    p.file = file;
    p.err = err;
    p.errcap = errcap;
    p.src = &src;
    if (err != NULL && errcap > 0)
        err[0] = '\0';

    if (len > TD_EX_MAX_FILE) {
        ret = perr(&p, "file larger than %u bytes", TD_EX_MAX_FILE);
        goto out;
    }
    td_rd_init(&r, text, len, 0, NULL);
    while (!td_rd_empty(&r)) {
        size_t n = 0;
        uint8_t c = 0;
        p.line++;
        while (!td_rd_empty(&r)) {
            TRY(td_rd_u8(&r, &c, "line"));
            if (c == '\n')
                break;
            if (c == '\0' || (c < 0x20 && c != '\t' && c != '\r')) {
                ret = perr(&p, "control byte 0x%02X in text", c);
                goto out;
            }
            if (c >= 0x7f) {
                /* ASCII only: output stays valid UTF-8 JSON and plain on any terminal */
                ret = perr(&p, "non-ASCII byte 0x%02X (the knowledge base is ASCII)", c);
                goto out;
            }
            if (n >= TD_EX_MAX_LINE) {
                ret = perr(&p, "line longer than %u bytes", TD_EX_MAX_LINE);
                goto out;
            }
            line[n++] = (char)c;
        }
        line[n] = '\0';
        TRY(parse_line(&p, line));
    }
    p.line++;
    if (!p.header_done) {
        TRY(header_finish(&p));
    }
    TRY(entry_finish(&p));
    if (src.nentries == 0) {
        ret = perr(&p, "no entries");
        goto out;
    }
    if (td_ex_kb_source(kb, src.id) != NULL) {
        ret = perr(&p, "source '%s' is defined twice", src.id);
        goto out;
    }
    src.file = td_strdup(file);
    ENSURE(src.file != NULL, TD_ERR_NOMEM);
    ns = td_reallocarray(kb->src, kb->nsrc + 1, sizeof(*ns));
    ENSURE(ns != NULL, TD_ERR_NOMEM);
    kb->src = ns;
    src.order = kb->nsrc;
    kb->src[kb->nsrc++] = src;
    /* entries point back at their source, which has just moved */
    for (size_t i = 0; i < kb->nsrc; i++)
        for (size_t j = 0; j < kb->src[i].nentries; j++)
            kb->src[i].entries[j].src = &kb->src[i];
    return TD_ERR_OK;
out:
    if (ret == TD_ERR_NOMEM && err != NULL && errcap > 0 && err[0] == '\0')
        snprintf(err, errcap, "%s%s: out of memory", KB_DIR, file);
    source_free(&src);
    return ret;
}

td_err td_ex_kb_load_builtin(struct td_ex_kb *kb, char *err, size_t errcap)
{
    for (size_t i = 0; i < td_embed_explain_count; i++) {
        const struct td_embed_file *f = &td_embed_explain[i];
        size_t n = strlen(f->name);
        td_err ret;
        if (n < 4 || strcmp(f->name + n - 4, ".txt") != 0)
            continue; /* README or other notes in the folder */
        ret = td_ex_kb_add(kb, f->name, f->data, f->len, err, errcap);
        if (ret != TD_ERR_OK)
            return ret;
    }
    if (kb->nsrc == 0) {
        if (err != NULL && errcap > 0)
            snprintf(err, errcap, "%s: no knowledge-base files compiled in", KB_DIR);
        return TD_ERR_NOTFOUND;
    }
    return TD_ERR_OK;
}

const struct td_ex_source *td_ex_kb_source(const struct td_ex_kb *kb, const char *id)
{
    for (size_t i = 0; i < kb->nsrc; i++)
        if (kb->src[i].id != NULL && strcmp(kb->src[i].id, id) == 0)
            return &kb->src[i];
    return NULL;
}
