/* Matching input against the knowledge base (see match.h). The input is
 * untrusted text of any size up to TD_EX_MAX_INPUT: it is copied once into a
 * lower-cased, NUL-free buffer and only ever read through explicit lengths. */
#include "explain/match.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hex.h"
#include "core/mem.h"

/* Scores: a code typed alone beats a fragment found inside a longer text;
 * reading bare digits in the source's own radix beats the other radix. */
enum {
    SC_SYMBOL_EXACT = 100,
    SC_NAME = 95,
    SC_SYMBOL_TOKEN = 92,
    SC_NUM_RADIX = 90, /* explicit 0x or decimal in a decimal source */
    SC_NUM_BARE = 88,  /* bare digits read in the source's radix: ties broken by priority */
    SC_PATTERN = 80,   /* + up to 10 for longer fragments */
    SC_NUM_NEGTEXT = 78,
    SC_CONTEXT = 76,
    SC_NUM_SIGN = 60,  /* a negative code typed without its sign */
    SC_NUM_LOOSE = 55, /* a 0x number in a short text, without a context word */
    SC_NUM_CROSS = 50, /* bare digits read in the other radix */
};

#define CTX_WINDOW 32u    /* bytes after a context word searched for numbers */
#define MAX_CTX_HITS 256u /* context occurrences examined per lookup */
#define MAX_SYMBOL_LEN 80u
#define LOOSE_MAX_INPUT 512u /* 0x numbers without context only in a pasted line, not a whole log */

const char *td_ex_how_name(enum td_ex_how how)
{
    switch (how) {
    case TD_EX_HOW_CODE:
        return "code";
    case TD_EX_HOW_NAME:
        return "name";
    case TD_EX_HOW_SYMBOL:
        return "symbol";
    case TD_EX_HOW_PATTERN:
        return "pattern";
    case TD_EX_HOW_CONTEXT:
        return "context";
    case TD_EX_HOW_NUMBER:
        return "number";
    default:
        return "unknown";
    }
}

static void copy_text(char *dst, size_t cap, const char *src, size_t n)
{
    if (cap == 0)
        return;
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        dst[i] = isprint((unsigned char)src[i]) ? src[i] : ' ';
    dst[n] = '\0';
}

static void add_match(struct td_ex_result *res, const struct td_ex_entry *e, int score, enum td_ex_how how,
                      const char *text, size_t tlen, const char *note, size_t at)
{
    struct td_ex_match *slot = NULL;

    for (size_t i = 0; i < res->n; i++) {
        if (res->m[i].e == e) {
            if (res->m[i].score >= score)
                return;
            slot = &res->m[i];
            break;
        }
    }
    if (slot == NULL) {
        if (res->n < TD_EX_MAX_MATCHES) {
            slot = &res->m[res->n++];
        } else {
            /* full: replace the weakest if this one is better */
            size_t low = 0;
            for (size_t i = 1; i < res->n; i++)
                if (res->m[i].score < res->m[low].score)
                    low = i;
            if (res->m[low].score >= score)
                return;
            slot = &res->m[low];
        }
    }
    slot->e = e;
    slot->score = score;
    slot->how = how;
    slot->at = at;
    copy_text(slot->text, sizeof(slot->text), text, tlen);
    copy_text(slot->note, sizeof(slot->note), note, note != NULL ? strlen(note) : 0);
}

/* --- numbers ------------------------------------------------------------ */

struct num {
    bool explicit_hex; /* written with 0x */
    bool neg;
    bool has_dec; /* only decimal digits: readable as decimal */
    bool has_hex; /* readable as hex */
    long long dec, hex;
};

/* Parses "0x85", "-0x7780", "85", "-30592", "8B" (hex letters without 0x are
 * only read as hex). Returns false if tok is not a number. */
static bool parse_num(const char *tok, size_t len, struct num *n)
{
    size_t i = 0;
    memset(n, 0, sizeof(*n));
    if (len > 0 && tok[0] == '-') {
        n->neg = true;
        i = 1;
    }
    if (len >= i + 2 && tok[i] == '0' && (tok[i + 1] == 'x' || tok[i + 1] == 'X')) {
        long long v;
        if (!td_ex_parse_number(tok, len, &v, NULL))
            return false;
        n->explicit_hex = n->has_hex = true;
        n->hex = v;
        return true;
    }
    if (i >= len || len - i > 12)
        return false;
    n->has_dec = n->has_hex = true;
    for (size_t j = i; j < len; j++) {
        int d = td_hex_digit((unsigned char)tok[j]);
        if (d < 0)
            return false;
        if (d > 9)
            n->has_dec = false;
        n->hex = n->hex * 16 + d;
        if (n->has_dec)
            n->dec = n->dec * 10 + d;
    }
    if (n->neg) {
        n->hex = -n->hex;
        n->dec = -n->dec;
    }
    return true;
}

/* The score of entry e for number n when bare digits are read in `radix`;
 * 0 if it does not match. note explains the reading. */
static int num_score(const struct td_ex_entry *e, const struct num *n, int radix, char *note, size_t cap)
{
    const struct td_ex_source *s = e->src;
    if (!e->numeric)
        return 0;
    if (n->explicit_hex) {
        if (e->value == n->hex) {
            snprintf(note, cap, "hex %s0x%llX", n->neg ? "-" : "", (unsigned long long)llabs(n->hex));
            return SC_NUM_RADIX;
        }
        if (s->negative && !n->neg && e->value == -n->hex) {
            snprintf(note, cap, "hex 0x%llX taken as -0x%llX", (unsigned long long)n->hex, (unsigned long long)n->hex);
            return SC_NUM_SIGN;
        }
        return 0;
    }
    if (radix == TD_EX_RADIX_DEC && n->has_dec && e->value == n->dec) {
        snprintf(note, cap, "decimal %lld", n->dec);
        return n->neg ? SC_NUM_RADIX : SC_NUM_BARE;
    }
    if (radix == TD_EX_RADIX_HEX && n->has_hex && e->value == n->hex) {
        snprintf(note, cap, "read as hex: %s0x%llX", n->neg ? "-" : "", (unsigned long long)llabs(n->hex));
        return n->has_dec ? SC_NUM_BARE : SC_NUM_RADIX;
    }
    if (n->neg && n->has_dec && e->value == n->dec) {
        snprintf(note, cap, "decimal %lld = -0x%llX", n->dec, (unsigned long long)llabs(n->dec));
        return SC_NUM_RADIX;
    }
    if (s->negative && !n->neg && n->has_dec && e->value == -n->dec) {
        snprintf(note, cap, "decimal %lld taken as -%lld", n->dec, n->dec);
        return SC_NUM_SIGN;
    }
    if (radix == TD_EX_RADIX_HEX && n->has_dec && e->value == n->dec) {
        snprintf(note, cap, "read as decimal %lld = 0x%llX", n->dec, (unsigned long long)llabs(n->dec));
        return SC_NUM_CROSS;
    }
    if (radix == TD_EX_RADIX_DEC && n->has_hex && e->value == n->hex) {
        snprintf(note, cap, "read as hex 0x%llX = %lld", (unsigned long long)llabs(n->hex), n->hex);
        return SC_NUM_CROSS;
    }
    return 0;
}

static bool source_allowed(const struct td_ex_source *s, const char *from)
{
    return from == NULL || strcmp(s->id, from) == 0;
}

static void match_number(const struct td_ex_kb *kb, const char *from, const struct td_ex_source *only, const char *tok,
                         size_t len, int radix_override, int cap_score, enum td_ex_how how, size_t at,
                         struct td_ex_result *res)
{
    struct num n;
    if (!parse_num(tok, len, &n))
        return;
    for (size_t i = 0; i < kb->nsrc; i++) {
        const struct td_ex_source *s = &kb->src[i];
        if (!source_allowed(s, from) || (only != NULL && s != only))
            continue;
        for (size_t j = 0; j < s->nentries; j++) {
            char note[96];
            int sc = num_score(&s->entries[j], &n, radix_override ? radix_override : s->radix, note, sizeof(note));
            /* inside a text only the number's own reading counts: the
             * other radix would turn every "18" into 0x18 as well */
            if (sc == 0 || (cap_score > 0 && sc <= SC_NUM_CROSS))
                continue;
            /* found inside a text: the best reading scores cap_score,
             * a bare-hex reading one less, weaker readings keep theirs */
            if (cap_score > 0 && sc >= SC_NUM_RADIX)
                sc = cap_score;
            else if (cap_score > 0 && sc >= SC_NUM_BARE)
                sc = cap_score - 1;
            add_match(res, &s->entries[j], sc, how, tok, len, note, at);
        }
    }
}

/* --- names and symbols --------------------------------------------------- */

/* Lower-case, '_' and '-' as spaces, runs of spaces collapsed, outer quotes
 * and punctuation dropped: "Handshake_Failure" == "handshake failure". */
static void normalize(const char *s, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    bool space = true;
    while (len > 0 && strchr("\"'`.,;: ", s[len - 1]) != NULL)
        len--;
    while (len > 0 && strchr("\"'` ", s[0]) != NULL) {
        s++;
        len--;
    }
    for (size_t i = 0; i < len && o + 1 < cap; i++) {
        int c = (unsigned char)s[i];
        if (c == '_' || c == '-' || isspace(c)) {
            if (!space)
                out[o++] = ' ';
            space = true;
            continue;
        }
        out[o++] = (char)tolower(c);
        space = false;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
}

/* A string that can be looked for as a token in free text: it has an
 * underscore, or both letters and digits (AH02645, 0A000410). */
static bool code_like(const char *s)
{
    bool digit = false, alpha = false;
    size_t n = 0;
    for (; *s; s++, n++) {
        if (*s == '_')
            return n > 0 || s[1] != '\0';
        if (isdigit((unsigned char)*s))
            digit = true;
        else if (isalpha((unsigned char)*s))
            alpha = true;
        else
            return false;
    }
    return digit && alpha && n >= 4;
}

struct sym {
    const char *s;
    const struct td_ex_entry *e;
};

static int sym_cmp(const void *a, const void *b)
{
    return strcasecmp(((const struct sym *)a)->s, ((const struct sym *)b)->s);
}

static td_err build_symbols(const struct td_ex_kb *kb, const char *from, struct sym **out, size_t *nout)
{
    size_t n = 0, k = 0;
    struct sym *v;
    for (size_t i = 0; i < kb->nsrc; i++)
        for (size_t j = 0; j < kb->src[i].nentries; j++)
            n += 1 + kb->src[i].entries[j].aliases.n;
    v = td_calloc(n ? n : 1, sizeof(*v));
    if (v == NULL)
        return TD_ERR_NOMEM;
    for (size_t i = 0; i < kb->nsrc; i++) {
        if (!source_allowed(&kb->src[i], from))
            continue;
        for (size_t j = 0; j < kb->src[i].nentries; j++) {
            const struct td_ex_entry *e = &kb->src[i].entries[j];
            if (!e->numeric && code_like(e->key))
                v[k++] = (struct sym){e->key, e};
            for (size_t a = 0; a < e->aliases.n; a++)
                if (code_like(e->aliases.v[a]))
                    v[k++] = (struct sym){e->aliases.v[a], e};
        }
    }
    qsort(v, k, sizeof(*v), sym_cmp);
    *out = v;
    *nout = k;
    return TD_ERR_OK;
}

static bool is_tok(int c)
{
    return isalnum(c) || c == '_';
}

static void scan_symbols(const struct sym *syms, size_t nsyms, const char *text, size_t len, struct td_ex_result *res)
{
    size_t i = 0;
    while (i < len) {
        size_t st, n;
        char tok[MAX_SYMBOL_LEN + 1];
        if (!is_tok((unsigned char)text[i])) {
            i++;
            continue;
        }
        st = i;
        while (i < len && is_tok((unsigned char)text[i]))
            i++;
        n = i - st;
        if (n < 4 || n > MAX_SYMBOL_LEN)
            continue;
        memcpy(tok, text + st, n);
        tok[n] = '\0';
        if (!code_like(tok))
            continue;
        {
            struct sym key = {tok, NULL};
            const struct sym *hit = bsearch(&key, syms, nsyms, sizeof(*syms), sym_cmp);
            if (hit == NULL)
                continue;
            /* several entries may share a symbol: walk to the first */
            while (hit > syms && strcasecmp(hit[-1].s, tok) == 0)
                hit--;
            for (; hit < syms + nsyms && strcasecmp(hit->s, tok) == 0; hit++)
                add_match(res, hit->e, SC_SYMBOL_TOKEN, TD_EX_HOW_SYMBOL, text + st, n, "code in the text", st);
        }
    }
}

/* --- free text ------------------------------------------------------------ */

static const char *find_ci(const char *hay_lc, size_t from, const char *needle_lc)
{
    return strstr(hay_lc + from, needle_lc);
}

static void lower_into(const char *s, char *out, size_t cap)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
}

static void scan_patterns(const struct td_ex_kb *kb, const char *from, const char *orig, const char *lc,
                          struct td_ex_result *res)
{
    for (size_t i = 0; i < kb->nsrc; i++) {
        const struct td_ex_source *s = &kb->src[i];
        if (!source_allowed(s, from))
            continue;
        for (size_t j = 0; j < s->nentries; j++) {
            const struct td_ex_entry *e = &s->entries[j];
            for (size_t k = 0; k < e->patterns.n; k++) {
                char pat[TD_EX_MAX_LINE + 1];
                const char *hit;
                size_t plen;
                lower_into(e->patterns.v[k], pat, sizeof(pat));
                hit = find_ci(lc, 0, pat);
                if (hit == NULL)
                    continue;
                plen = strlen(pat);
                add_match(res, e, SC_PATTERN + (int)(plen > 40 ? 10 : plen / 4), TD_EX_HOW_PATTERN, orig + (hit - lc),
                          plen, "message text", (size_t)(hit - lc));
            }
        }
    }
}

static size_t num_token(const char *t, size_t len, size_t i)
{
    size_t st = i;
    if (i < len && t[i] == '-')
        i++;
    if (i + 1 < len && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X'))
        i += 2;
    while (i < len && isxdigit((unsigned char)t[i]))
        i++;
    return i - st;
}

static void scan_contexts(const struct td_ex_kb *kb, const char *from, const char *orig, const char *lc, size_t len,
                          struct td_ex_result *res)
{
    size_t hits = 0;
    for (size_t i = 0; i < kb->nsrc; i++) {
        const struct td_ex_source *s = &kb->src[i];
        if (!source_allowed(s, from))
            continue;
        for (size_t c = 0; c < s->nctx; c++) {
            char word[TD_EX_MAX_LINE + 1];
            size_t pos = 0;
            const char *hit;
            lower_into(s->ctx[c].text, word, sizeof(word));
            for (hit = find_ci(lc, pos, word); hits < MAX_CTX_HITS && hit != NULL; hit = find_ci(lc, pos, word)) {
                size_t st = (size_t)(hit - lc) + strlen(word);
                size_t end = st + CTX_WINDOW < len ? st + CTX_WINDOW : len;
                size_t j = st;
                hits++;
                pos = st;
                while (j < end) {
                    size_t n;
                    /* a number starts after a separator, not inside a word */
                    if ((j > 0 && is_tok((unsigned char)lc[j - 1])) ||
                        !(isxdigit((unsigned char)lc[j]) || lc[j] == '-')) {
                        j++;
                        continue;
                    }
                    n = num_token(lc, end, j);
                    if (n > 0 && (j + n >= len || !is_tok((unsigned char)lc[j + n]))) {
                        /* bare hex letters without a digit are words, not numbers */
                        bool digit = false;
                        for (size_t d = j; d < j + n; d++)
                            if (isdigit((unsigned char)lc[d]))
                                digit = true;
                        if (digit)
                            match_number(kb, from, s, orig + j, n, s->ctx[c].radix, SC_CONTEXT, TD_EX_HOW_CONTEXT, j,
                                         res);
                    }
                    j += n > 0 ? n : 1;
                }
                if (pos >= len)
                    break;
            }
        }
    }
}

/* Negative codes (mbedTLS "-0x7780", "-30592") are distinctive enough to be
 * looked for anywhere in a text, for sources whose codes are negative. */
static void scan_negatives(const struct td_ex_kb *kb, const char *from, const char *orig, const char *lc, size_t len,
                           struct td_ex_result *res)
{
    bool any = false;
    for (size_t i = 0; i < kb->nsrc; i++)
        if (kb->src[i].negative && source_allowed(&kb->src[i], from))
            any = true;
    if (!any)
        return;
    for (size_t i = 0; i + 1 < len; i++) {
        size_t n, digits;
        if (lc[i] != '-' || (i > 0 && (isalnum((unsigned char)lc[i - 1]) || lc[i - 1] == '-')))
            continue;
        n = num_token(lc, len, i);
        if (n < 3 || (i + n < len && is_tok((unsigned char)lc[i + n])))
            continue;
        digits = n - 1;
        if (lc[i + 1] == '0' && lc[i + 2] == 'x') {
            if (digits < 4)
                continue;
        } else {
            bool alldig = true;
            for (size_t d = i + 1; d < i + n; d++)
                if (!isdigit((unsigned char)lc[d]))
                    alldig = false;
            if (!alldig || digits < 3)
                continue;
        }
        for (size_t s = 0; s < kb->nsrc; s++)
            if (kb->src[s].negative)
                match_number(kb, from, &kb->src[s], orig + i, n, TD_EX_RADIX_DEC, SC_NUM_NEGTEXT, TD_EX_HOW_NUMBER, i,
                             res);
    }
}

/* In a short pasted line ("my XBee returned 0x85 again") an explicit 0x
 * number is looked up in the hex sources even without a context word; in a
 * whole log that would turn every address into a match. */
static void scan_loose_hex(const struct td_ex_kb *kb, const char *from, const char *orig, const char *lc, size_t len,
                           struct td_ex_result *res)
{
    if (len > LOOSE_MAX_INPUT)
        return;
    for (size_t i = 0; i + 2 < len; i++) {
        size_t n;
        if (lc[i] != '0' || lc[i + 1] != 'x' || (i > 0 && (is_tok((unsigned char)lc[i - 1]) || lc[i - 1] == '-')))
            continue;
        n = num_token(lc, len, i);
        if (n < 3 || (i + n < len && is_tok((unsigned char)lc[i + n])))
            continue;
        for (size_t s = 0; s < kb->nsrc; s++)
            if (kb->src[s].radix == TD_EX_RADIX_HEX)
                match_number(kb, from, &kb->src[s], orig + i, n, 0, SC_NUM_LOOSE, TD_EX_HOW_NUMBER, i, res);
    }
}

/* --- the server the text talks about ---------------------------------------- */

static bool host_char(int c)
{
    return isalnum(c) || c == '.' || c == '-';
}

/* Reads host[:port] at t[i]; returns false if it does not look like a server
 * name or IPv4 address worth filling into a command. */
static bool read_hostport(const char *t, size_t len, size_t i, char *host, size_t hostcap, char *port, size_t portcap)
{
    size_t st, hn, pn = 0, pst = 0;
    bool dot = false, alldig = true;
    int dots = 0;

    while (i < len && (t[i] == '"' || t[i] == '\'' || t[i] == ' ' || t[i] == '['))
        i++;
    st = i;
    while (i < len && host_char((unsigned char)t[i]))
        i++;
    hn = i - st;
    while (hn > 0 && t[st + hn - 1] == '.')
        hn--; /* sentence end */
    if (hn == 0 || hn >= hostcap)
        return false;
    for (size_t k = st; k < st + hn; k++) {
        if (t[k] == '.') {
            dot = true;
            dots++;
        } else if (!isdigit((unsigned char)t[k])) {
            alldig = false;
        }
    }
    if (!(dot || (hn == 9 && strncasecmp(t + st, "localhost", 9) == 0)))
        return false;
    if (alldig && dots != 3)
        return false; /* a version number or a timestamp, not an address */
    if (hn == 7 && strncmp(t + st, "0.0.0.0", 7) == 0)
        return false;
    if (!alldig && !isalpha((unsigned char)t[st + hn - 1]))
        return false; /* "file.c(1308" style */
    if (st + hn < len && t[st + hn] == ':') {
        pst = st + hn + 1;
        while (pst + pn < len && isdigit((unsigned char)t[pst + pn]) && pn < 6)
            pn++;
    }
    memcpy(host, t + st, hn);
    host[hn] = '\0';
    if (pn > 0 && pn < portcap) {
        long long v;
        if (td_ex_parse_number(t + pst, pn, &v, NULL) && v > 0 && v < 65536) {
            memcpy(port, t + pst, pn);
            port[pn] = '\0';
        }
    }
    return true;
}

void td_ex_find_target(const char *text, size_t len, char *host, size_t hostcap, char *port, size_t portcap)
{
    static const char *const markers[] = {"(server ",  "server: ",       "server ", "connect to ",
                                          "-connect ", "connecting to ", "host: ",  "upstream: \"https://",
                                          "https://"};
    size_t best = (size_t)-1;

    if (hostcap > 0)
        host[0] = '\0';
    if (portcap > 0)
        port[0] = '\0';
    if (hostcap < 2 || portcap < 2)
        return;
    /* a labelled server wins; the earliest label in the text */
    for (size_t m = 0; m < TD_ARRAY_LEN(markers); m++) {
        size_t ml = strlen(markers[m]);
        for (size_t i = 0; i + ml <= len && i < best; i++) {
            if (strncasecmp(text + i, markers[m], ml) != 0)
                continue;
            {
                char h[256], p[8] = "";
                if (read_hostport(text, len, i + ml, h, sizeof(h), p, sizeof(p)) && strlen(h) < hostcap &&
                    strlen(p) < portcap) {
                    memcpy(host, h, strlen(h) + 1);
                    memcpy(port, p, strlen(p) + 1);
                    best = i;
                }
            }
        }
    }
    if (host[0] != '\0')
        return;
    /* otherwise the first IPv4:PORT that is not the client's address */
    for (size_t i = 0; i < len; i++) {
        char h[256], p[8] = "";
        bool client = false;
        if (!isdigit((unsigned char)text[i]) || (i > 0 && (host_char((unsigned char)text[i - 1]))))
            continue;
        if (!read_hostport(text, len, i, h, sizeof(h), p, sizeof(p)) || p[0] == '\0')
            continue;
        for (size_t back = i > 12 ? i - 12 : 0; back + 6 <= i; back++)
            if (strncasecmp(text + back, "client", 6) == 0)
                client = true;
        if (client)
            continue;
        if (strlen(h) < hostcap && strlen(p) < portcap) {
            memcpy(host, h, strlen(h) + 1);
            memcpy(port, p, strlen(p) + 1);
        }
        return;
    }
}

void td_ex_fill_command(const char *cmd, const struct td_ex_result *res, const char *device, char *out, size_t cap)
{
    size_t o = 0;
    char target[300];
    const char *host = res != NULL && res->host[0] ? res->host : "HOST";

    if (cap == 0)
        return;
    snprintf(target, sizeof(target), "%s:%s", host, res != NULL && res->port[0] ? res->port : "443");
    if (device == NULL)
        device = "DEVICE";
    for (const char *c = cmd; *c && o + 1 < cap; c++) {
        const char *rep = NULL;
        size_t skip = 0;
        if (strncmp(c, "{target}", 8) == 0) {
            rep = target;
            skip = 8;
        } else if (strncmp(c, "{host}", 6) == 0) {
            rep = host;
            skip = 6;
        } else if (strncmp(c, "{device}", 8) == 0) {
            rep = device;
            skip = 8;
        }
        if (rep == NULL) {
            out[o++] = *c;
            continue;
        }
        for (; *rep && o + 1 < cap; rep++)
            out[o++] = *rep;
        c += skip - 1;
    }
    out[o] = '\0';
}

/* --- lookup ----------------------------------------------------------------- */

static int match_cmp(const void *a, const void *b)
{
    const struct td_ex_match *x = a, *y = b;
    if (x->score != y->score)
        return y->score - x->score;
    if (x->e->src->priority != y->e->src->priority)
        return x->e->src->priority - y->e->src->priority;
    if (x->e->src->order != y->e->src->order)
        return x->e->src->order < y->e->src->order ? -1 : 1;
    return x->e < y->e ? -1 : (x->e > y->e ? 1 : 0);
}

static void match_whole(const struct td_ex_kb *kb, const char *from, const char *orig, size_t len,
                        struct td_ex_result *res)
{
    char norm[512], other[512];
    bool single = true;

    if (len == 0 || len >= sizeof(norm))
        return;
    for (size_t i = 0; i < len; i++)
        if (isspace((unsigned char)orig[i]))
            single = false;
    normalize(orig, len, norm, sizeof(norm));
    if (norm[0] == '\0')
        return;
    if (single) {
        /* strip trailing punctuation ("AH02645:") before reading a code */
        size_t n = len;
        while (n > 0 && strchr(":,;.)", orig[n - 1]) != NULL)
            n--;
        match_number(kb, from, NULL, orig, n, 0, 0, TD_EX_HOW_CODE, 0, res);
    }
    for (size_t i = 0; i < kb->nsrc; i++) {
        const struct td_ex_source *s = &kb->src[i];
        if (!source_allowed(s, from))
            continue;
        for (size_t j = 0; j < s->nentries; j++) {
            const struct td_ex_entry *e = &s->entries[j];
            if (!e->numeric) {
                normalize(e->key, strlen(e->key), other, sizeof(other));
                if (strcmp(norm, other) == 0) {
                    add_match(res, e, SC_SYMBOL_EXACT, TD_EX_HOW_CODE, orig, len, "code", 0);
                    continue;
                }
            }
            for (size_t a = 0; a < e->aliases.n; a++) {
                normalize(e->aliases.v[a], strlen(e->aliases.v[a]), other, sizeof(other));
                if (strcmp(norm, other) == 0)
                    add_match(res, e, code_like(e->aliases.v[a]) ? SC_SYMBOL_EXACT : SC_NAME, TD_EX_HOW_NAME, orig, len,
                              "alias", 0);
            }
            normalize(e->name, strlen(e->name), other, sizeof(other));
            if (strcmp(norm, other) == 0)
                add_match(res, e, SC_NAME, TD_EX_HOW_NAME, orig, len, "name", 0);
            normalize(e->summary, strlen(e->summary), other, sizeof(other));
            if (strcmp(norm, other) == 0)
                add_match(res, e, SC_NAME, TD_EX_HOW_NAME, orig, len, "summary", 0);
        }
    }
}

td_err td_ex_lookup(const struct td_ex_kb *kb, const char *input, size_t len, const char *from,
                    struct td_ex_result *res)
{
    char *orig = NULL, *lc = NULL;
    struct sym *syms = NULL;
    size_t nsyms = 0, st = 0;
    td_err ret = TD_ERR_OK;

    memset(res, 0, sizeof(*res));
    ENSURE(len <= TD_EX_MAX_INPUT, TD_ERR_TOOBIG);
    ENSURE(from == NULL || td_ex_kb_source(kb, from) != NULL, TD_ERR_NOTFOUND);
    orig = td_malloc(len + 1);
    lc = td_malloc(len + 1);
    ENSURE(orig != NULL && lc != NULL, TD_ERR_NOMEM);
    for (size_t i = 0; i < len; i++) {
        char c = input[i] == '\0' ? ' ' : input[i];
        orig[i] = c;
        lc[i] = (char)tolower((unsigned char)c);
    }
    orig[len] = lc[len] = '\0';

    /* the whole input, trimmed, as one code or name */
    while (st < len && isspace((unsigned char)orig[st]))
        st++;
    {
        size_t end = len;
        while (end > st && isspace((unsigned char)orig[end - 1]))
            end--;
        match_whole(kb, from, orig + st, end - st, res);
    }
    /* and everything known inside it */
    TRY(build_symbols(kb, from, &syms, &nsyms));
    scan_symbols(syms, nsyms, orig, len, res);
    scan_patterns(kb, from, orig, lc, res);
    scan_contexts(kb, from, orig, lc, len, res);
    scan_negatives(kb, from, orig, lc, len, res);
    scan_loose_hex(kb, from, orig, lc, len, res);
    td_ex_find_target(orig, len, res->host, sizeof(res->host), res->port, sizeof(res->port));
    qsort(res->m, res->n, sizeof(res->m[0]), match_cmp);
out:
    td_free(syms);
    td_free(orig);
    td_free(lc);
    return ret;
}
