/* Certificate-file lint rules (see certlint.h and docs/cert.md). Each rule
 * reads the loaded files and the device limits and appends findings; a
 * limit that is unknown for the device never produces an error, only a
 * note that says it is unknown. */
#include "certlint/certlint.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "x509/verify.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation" /* bounded messages, truncation intended */
#endif

const char *const td_certlint_ids[] = {
    "cert.pem-formatting",
    "cert.file-too-large",
    "cert.multiple-certs",
    "cert.chain-too-large",
    "cert.expired",
    "cert.not-yet-valid",
    "cert.weak-signature",
    "cert.cn-too-long",
    "cert.ip-in-cn-no-san",
    "cert.name-kind-mismatch",
    "cert.name-mismatch",
    "cert.key-unsupported",
    "cert.key-weak",
    "cert.key-encrypted",
    "cert.key-pkcs8",
    "cert.key-mismatch",
    "cert.ca-not-self-signed",
    "cert.ca-is-intermediate",
    NULL,
};

const char *td_cert_role_name(enum td_cert_role r)
{
    switch (r) {
    case TD_ROLE_CERT:
        return "certificate";
    case TD_ROLE_KEY:
        return "key";
    case TD_ROLE_CA:
        return "ca";
    default:
        return "unknown";
    }
}

/* ---- finding helpers (messages are bounded; longer text is cut) ------- */

#define MSG 2048

static struct td_finding *add(struct td_findings *l, const char *id, enum td_severity sev, const char *source,
                              const char *fmt, ...) TD_PRINTF(5, 6);
static struct td_finding *add(struct td_findings *l, const char *id, enum td_severity sev, const char *source,
                              const char *fmt, ...)
{
    char buf[MSG];
    va_list ap;
    struct td_finding *f;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    f = td_findings_add(l, id, sev, "%s", buf);
    if (f != NULL && source != NULL && td_finding_source(f, "%s", source) != TD_ERR_OK)
        return f; /* out of memory: the finding stands without its source */
    return f;
}

static void evidence(struct td_finding *f, const char *fmt, ...) TD_PRINTF(2, 3);
static void evidence(struct td_finding *f, const char *fmt, ...)
{
    char buf[MSG * 2];
    va_list ap;

    if (f == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (td_finding_evidence(f, "%s", buf) != TD_ERR_OK)
        return;
}

static void fix(struct td_finding *f, const char *label, const char *fmt, ...) TD_PRINTF(3, 4);
static void fix(struct td_finding *f, const char *label, const char *fmt, ...)
{
    char buf[MSG];
    va_list ap;

    if (f == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (td_finding_fix(f, label, "%s", buf) != TD_ERR_OK)
        return;
}

/* "dir/server.pem" + "-pkcs1" + ".pem" -> "dir/server-pkcs1.pem" */
static void derive(const char *path, const char *suffix, const char *ext, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    size_t stem = (dot != NULL && (slash == NULL || dot > slash)) ? (size_t)(dot - path) : strlen(path);
    if (strcmp(path, "-") == 0) {
        snprintf(out, cap, "stdin%s%s", suffix, ext);
        return;
    }
    snprintf(out, cap, "%.*s%s%s", (int)stem, path, suffix, ext);
}

static const char *dev(const struct td_certlint_opts *o)
{
    return o->lim->name;
}

/* "certificate 2 (lines 21-40): CN=..., subject ..." */
static void describe_obj(const struct td_x509_file *f, const struct td_x509_obj *ob, char *buf, size_t cap)
{
    if (f->pem)
        snprintf(buf, cap, "block %zu '%s' (lines %zu-%zu, bytes %zu-%zu)", ob->index + 1, ob->label, ob->line,
                 ob->end_line, ob->offset, ob->end);
    else
        snprintf(buf, cap, "DER object %zu (bytes %zu-%zu)", ob->index + 1, ob->offset, ob->end);
}

static void cert_line(const struct td_x509_file *f, const struct td_x509_obj *ob, char *buf, size_t cap)
{
    char where[160];
    const struct td_cert_info *c = &ob->cert;
    describe_obj(f, ob, where, sizeof(where));
    snprintf(buf, cap, "%s: subject '%s', issuer '%s'%s%s", where, c->subject != NULL ? c->subject : "?",
             c->issuer != NULL ? c->issuer : "?", c->self_signed ? " (self-signed" : (c->is_ca ? " (CA" : ""),
             c->self_signed ? (c->is_ca ? " root CA)" : ")") : (c->is_ca ? ", not self-signed)" : ""));
}

/* sed command extracting one PEM block by its lines. */
static void sed_extract(const struct td_x509_file *f, const struct td_x509_obj *ob, const char *out, char *buf,
                        size_t cap)
{
    snprintf(buf, cap, "sed -n '%zu,%zup' %s > %s", ob->line, ob->end_line, f->path, out);
}

static bool ip_canon(const char *s, char *out, size_t cap)
{
    unsigned char b[16];
    if (inet_pton(AF_INET, s, b) == 1)
        return inet_ntop(AF_INET, b, out, (socklen_t)cap) != NULL;
    if (inet_pton(AF_INET6, s, b) == 1)
        return inet_ntop(AF_INET6, b, out, (socklen_t)cap) != NULL;
    return false;
}

static bool has_ip_san(const struct td_cert_info *c, const char *ip)
{
    char a[64], b[64];
    if (!ip_canon(ip, a, sizeof(a)))
        return false;
    for (size_t i = 0; i < c->nip; i++)
        if (ip_canon(c->ip[i], b, sizeof(b)) && strcmp(a, b) == 0)
            return true;
    return false;
}

/* The openssl line that makes a fresh self-signed certificate for name. */
static void regen_cmd(const char *keyspec, const char *cn, const char *san, char *buf, size_t cap)
{
    snprintf(buf, cap,
             "openssl req -x509 -newkey %s -nodes -sha256 -days 825 -keyout server.key -out server.crt "
             "-subj '/CN=%s' -addext 'subjectAltName=%s'\n"
             "openssl rsa -in server.key -traditional -out server-pkcs1.key   # if the device needs PKCS#1",
             keyspec, cn, san);
}

static int int_fact(const struct td_profile *p, enum td_pfield f)
{
    switch (f) {
    case TD_PF_CN_MAX_LENGTH:
        return p->cn_max_length;
    case TD_PF_CERTS_PER_FILE:
        return p->certs_per_file;
    default:
        return TD_UNKNOWN;
    }
}

/* The strictest value of an integer limit any built-in profile states, with
 * that profile's name and source: the hint given when the device's own
 * limit is unknown (device facts come from profiles, not from this file).
 * false if no profile states it. */
static bool strictest_limit(enum td_pfield fld, long *value, char *who, size_t whocap, char *src, size_t srccap)
{
    bool found = false;

    for (size_t i = 0; i < td_profile_builtin_count(); i++) {
        struct td_profile *p = NULL;
        struct td_profile_error e;
        if (td_profile_load_builtin_at(i, &p, &e) != TD_ERR_OK)
            continue;
        if (int_fact(p, fld) >= 0 && (!found || int_fact(p, fld) < *value)) {
            const char *fs = p->facts[fld].source;
            *value = int_fact(p, fld);
            snprintf(who, whocap, "%s", p->name);
            snprintf(src, srccap, "profile %s: %s", p->name, fs != NULL ? fs : "no source");
            found = true;
        }
        td_profile_free(p);
    }
    return found;
}

/* ---- file-level rules -------------------------------------------------- */

static void rule_pem(const struct td_x509_file *f, struct td_findings *l)
{
    char ev[MSG * 2], fixcmd[MSG], out[512];
    size_t o = 0;
    unsigned q = f->pem_scan.quirks;
    int w;
    struct td_finding *fd;
    const struct td_x509_obj *first = f->nobj > 0 ? &f->objs[0] : NULL;

    if (!f->pem || q == 0)
        return;
    ev[0] = '\0';
    for (unsigned i = 0; i < TD_PEM_Q_COUNT; i++) {
        unsigned bit = 1u << i;
        if (!(q & bit) || o >= sizeof(ev))
            continue;
        w = snprintf(ev + o, sizeof(ev) - o, "%s%s (first at line %zu): %s", o ? "\n" : "", td_pem_quirk_name(bit),
                     f->pem_scan.quirk_line[i], td_pem_quirk_why(bit));
        if (w > 0)
            o += (size_t)w;
    }
    if ((q & TD_PEM_Q_CRLF) && o < sizeof(ev)) {
        w = snprintf(ev + o, sizeof(ev) - o, "\n%zu lines end in CR LF, %zu in LF", f->pem_scan.crlf_lines,
                     f->pem_scan.lf_lines);
        if (w > 0)
            o += (size_t)w;
    }
    fd = add(l, "cert.pem-formatting", TD_SEV_WARN, NULL,
             "%s: PEM layout that naive embedded parsers may reject (%s%s%s%s%s)", f->path,
             (q & TD_PEM_Q_BOM) ? "BOM " : "", (q & (TD_PEM_Q_CRLF | TD_PEM_Q_CR_ONLY)) ? "CRLF " : "",
             (q & (TD_PEM_Q_TRAILING_WS | TD_PEM_Q_LEADING_WS | TD_PEM_Q_BLANK_IN_BODY)) ? "whitespace " : "",
             (q & TD_PEM_Q_OUTSIDE_TEXT) ? "text-outside-blocks " : "",
             (q & (TD_PEM_Q_LONG_LINE | TD_PEM_Q_NO_FINAL_EOL)) ? "line-layout" : "");
    evidence(fd, "%s", ev);
    derive(f->path, "-clean", ".pem", out, sizeof(out));
    if (first != NULL && first->kind == TD_X509_CERT && f->ncerts == 1 && f->nkeys == 0)
        snprintf(fixcmd, sizeof(fixcmd), "openssl x509 -in %s -out %s", f->path, out);
    else if (first != NULL && first->kind == TD_X509_KEY && first->key.syntax == TD_KEY_PKCS1 && f->nobj == 1)
        snprintf(fixcmd, sizeof(fixcmd), "openssl rsa -in %s -traditional -out %s", f->path, out);
    else if (first != NULL && first->kind == TD_X509_KEY && f->nobj == 1)
        snprintf(fixcmd, sizeof(fixcmd), "openssl pkey -in %s -out %s", f->path, out);
    else
        snprintf(fixcmd, sizeof(fixcmd),
                 "LC_ALL=C sed -e '1s/^\\xEF\\xBB\\xBF//' -e 's/\\r$//' -e 's/[ \\t]*$//' %s > %s", f->path, out);
    fix(fd, "openssl", "%s   # rewrites canonical PEM: LF endings, 64-column base64, no BOM or extra text", fixcmd);
    fix(fd, "shell", "LC_ALL=C sed -i -e '1s/^\\xEF\\xBB\\xBF//' -e 's/\\r$//' -e 's/[ \\t]*$//' %s", f->path);
}

static void rule_size(const struct td_x509_file *f, enum td_cert_role role, const struct td_certlint_opts *o,
                      struct td_findings *l)
{
    const struct td_lim *m = role == TD_ROLE_CA ? &o->lim->ca_file_max : &o->lim->file_max;
    struct td_finding *fd;
    char out[512];

    if (m->value < 0 || (long)f->size <= m->value)
        return;
    fd = add(l, "cert.file-too-large", m->soft ? TD_SEV_WARN : TD_SEV_ERROR, m->source,
             "%s: %zu bytes, more than the %ld bytes %s for a %s file on %s", f->path, f->size, m->value,
             m->soft ? "advised" : "allowed", role == TD_ROLE_CA ? "CA" : "certificate or key", dev(o));
    evidence(fd, "file size %zu bytes; %zu certificate(s), %zu key(s); limit %ld bytes%s", f->size, f->ncerts, f->nkeys,
             m->value, m->soft ? " (advisory)" : "");
    derive(f->path, "-min", ".pem", out, sizeof(out));
    if (f->ncerts >= 1) {
        fix(fd, "openssl", "openssl x509 -in %s -out %s   # first certificate only, no text", f->path, out);
        derive(f->path, "", ".der", out, sizeof(out));
        fix(fd, "openssl",
            "openssl x509 -in %s -outform DER -out %s   # DER is about 3/4 of the PEM size, if the "
            "device accepts DER",
            f->path, out);
    } else {
        fix(fd, "openssl", "openssl pkey -in %s -outform DER -out %s", f->path, out);
    }
}

static void rule_multi(const struct td_x509_file *f, enum td_cert_role role, const struct td_certlint_opts *o,
                       struct td_findings *l)
{
    const struct td_lim *m = &o->lim->certs_per_file;
    const struct td_fact *root = &o->lim->ca_root_only;
    struct td_finding *fd;
    char ev[MSG * 2], line[600], cmd[700], out[512], who[64], src[MSG];
    long hint = -1;
    size_t off = 0, k = 0;
    int w;
    const struct td_x509_obj *pick = NULL;

    if (f->ncerts <= 1)
        return;
    if (m->value >= 0 && (long)f->ncerts <= m->value)
        return;
    if (m->value >= 0)
        fd = add(l, "cert.multiple-certs", TD_SEV_ERROR, m->source, "%s holds %zu certificates; %s takes %ld per file",
                 f->path, f->ncerts, dev(o), m->value);
    else if (role == TD_ROLE_CA && root->v == TD_K_YES)
        fd = add(l, "cert.multiple-certs", TD_SEV_ERROR, root->source,
                 "%s holds %zu certificates; the CA file of %s must be a single self-signed root", f->path, f->ncerts,
                 dev(o));
    else if (strictest_limit(TD_PF_CERTS_PER_FILE, &hint, who, sizeof(who), src, sizeof(src)))
        fd = add(l, "cert.multiple-certs", TD_SEV_INFO, src,
                 "%s holds %zu certificates; whether %s accepts more than one per file is unknown (%s takes %ld)",
                 f->path, f->ncerts, dev(o), who, hint);
    else
        fd = add(l, "cert.multiple-certs", TD_SEV_INFO, NULL,
                 "%s holds %zu certificates; whether %s accepts more than one per file is unknown", f->path, f->ncerts,
                 dev(o));
    ev[0] = '\0';
    for (const struct td_x509_obj *ob; (ob = td_x509_cert_at(f, k)) != NULL; k++) {
        cert_line(f, ob, line, sizeof(line));
        if (off < sizeof(ev)) {
            w = snprintf(ev + off, sizeof(ev) - off, "%scertificate %zu: %s", off ? "\n" : "", k + 1, line);
            if (w > 0)
                off += (size_t)w;
        }
        if (role == TD_ROLE_CA ? (ob->cert.self_signed && pick == NULL) : pick == NULL)
            pick = ob;
    }
    evidence(fd, "%s", ev);
    if (pick == NULL)
        pick = td_x509_cert_at(f, 0);
    derive(f->path, role == TD_ROLE_CA ? "-root" : "-leaf", ".pem", out, sizeof(out));
    if (f->pem && pick != NULL) {
        sed_extract(f, pick, out, cmd, sizeof(cmd));
        fix(fd, "shell", "%s   # keep %s (certificate %zu only)", cmd,
            role == TD_ROLE_CA ? "the self-signed root" : "the server certificate", pick->index + 1);
    }
    fix(fd, "openssl", "openssl x509 -in %s -out %s   # keeps the first certificate only", f->path, out);
    if (role == TD_ROLE_CA && pick != NULL && !pick->cert.self_signed)
        fix(fd, "ca", "none of these is a self-signed root: get the root that issued '%s' from your CA",
            pick->cert.issuer != NULL ? pick->cert.issuer : "?");
}

static void rule_chain_size(const struct td_x509_file *f, const struct td_certlint_opts *o, struct td_findings *l)
{
    const struct td_lim *m = &o->lim->chain_max;
    size_t total = 0;
    struct td_finding *fd;

    if (m->value < 0 || f->ncerts == 0)
        return;
    for (size_t k = 0; td_x509_cert_at(f, k) != NULL; k++)
        total += td_x509_cert_at(f, k)->der_len;
    if ((long)total <= m->value)
        return;
    fd = add(l, "cert.chain-too-large", m->soft ? TD_SEV_WARN : TD_SEV_ERROR, m->source,
             "%s: %zu certificate(s) of %zu bytes (DER) as a server chain exceed the %ld bytes %s can take", f->path,
             f->ncerts, total, m->value, dev(o));
    evidence(fd, "DER sizes of the certificates add up to %zu bytes; limit %ld", total, m->value);
    fix(fd, "server",
        "send a shorter chain: leave out the root (the device already has it), use an ECDSA "
        "certificate (smaller keys and signatures), or a CA with a shorter chain");
}

/* ---- certificate rules --------------------------------------------------- */

static void rule_dates(const struct td_x509_file *f, const struct td_x509_obj *ob, const struct td_certlint_opts *o,
                       struct td_findings *l)
{
    const struct td_cert_info *c = &ob->cert;
    char at[32], nb[32], na[32], line[600];
    struct td_finding *fd = NULL;

    td_x509_time_format(o->at, at, sizeof(at));
    td_x509_time_format(c->not_before, nb, sizeof(nb));
    td_x509_time_format(c->not_after, na, sizeof(na));
    if (o->at > c->not_after)
        fd = add(l, "cert.expired", TD_SEV_ERROR, NULL, "%s: certificate %zu expired on %s (checked at %s)", f->path,
                 ob->index + 1, na, at);
    else if (o->at < c->not_before)
        fd = add(l, "cert.not-yet-valid", TD_SEV_ERROR, NULL,
                 "%s: certificate %zu is not valid before %s (checked at %s; is the device's clock right?)", f->path,
                 ob->index + 1, nb, at);
    if (fd == NULL)
        return;
    cert_line(f, ob, line, sizeof(line));
    evidence(fd, "%s\nnotBefore %s, notAfter %s, device clock %s", line, nb, na, at);
    if (c->self_signed)
        fix(fd, "openssl",
            "openssl req -x509 -key KEY.pem -sha256 -days 825 -subj '/CN=%s' -out %s   # new self-signed "
            "certificate, same key",
            c->ncn > 0 ? c->cn[0] : "NAME", f->path);
    else
        fix(fd, "openssl",
            "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -sha256 -days 825 -out %s   # reissue "
            "from the CA",
            f->path);
    if (o->at < c->not_before)
        fix(fd, "device",
            "set the device's clock (level 3 checks dates against it), or reissue with an earlier "
            "notBefore");
}

static void rule_weak_sig(const struct td_x509_file *f, const struct td_x509_obj *ob, struct td_findings *l)
{
    const struct td_cert_info *c = &ob->cert;
    bool md5 = strcasecmp(c->sig_hash, "MD5") == 0, sha1 = strcasecmp(c->sig_hash, "SHA1") == 0;
    struct td_finding *fd;
    char line[600];

    /* A self-signed trust anchor's own signature is never checked. */
    if ((!md5 && !sha1) || c->self_signed)
        return;
    fd = add(l, "cert.weak-signature", md5 ? TD_SEV_ERROR : TD_SEV_WARN, NULL,
             "%s: certificate %zu is signed with %s (%s); current TLS libraries reject %s signatures", f->path,
             ob->index + 1, c->sig_hash, c->sig_alg, md5 ? "MD5" : "SHA-1");
    cert_line(f, ob, line, sizeof(line));
    evidence(fd, "%s\nsignature algorithm %s", line, c->sig_alg);
    fix(fd, "openssl",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -sha256 -days 825 -out %s   # reissue with "
        "SHA-256",
        f->path);
}

static void rule_cn_len(const struct td_x509_file *f, const struct td_x509_obj *ob, const struct td_certlint_opts *o,
                        struct td_findings *l)
{
    const struct td_cert_info *c = &ob->cert;
    const struct td_lim *m = &o->lim->cn_max;
    struct td_finding *fd;
    char line[600], cmd[MSG], who[64], src[MSG];
    long hint = -1;
    bool have_hint = m->value < 0 && strictest_limit(TD_PF_CN_MAX_LENGTH, &hint, who, sizeof(who), src, sizeof(src));

    for (size_t i = 0; i < c->ncn; i++) {
        size_t len = strlen(c->cn[i]);
        if (m->value >= 0 && (long)len > m->value) {
            fd =
                add(l, "cert.cn-too-long", TD_SEV_ERROR, m->source,
                    "%s: the CN '%s' has %zu characters; %s fails above %ld", f->path, c->cn[i], len, dev(o), m->value);
        } else if (have_hint && (long)len > hint) {
            fd = add(l, "cert.cn-too-long", TD_SEV_INFO, src,
                     "%s: the CN '%s' has %zu characters; the CN limit of %s is unknown (%s fails above %ld)", f->path,
                     c->cn[i], len, dev(o), who, hint);
        } else {
            continue;
        }
        cert_line(f, ob, line, sizeof(line));
        evidence(fd, "%s\nCN length %zu", line, len);
        regen_cmd("rsa:2048", "SHORT.NAME", "DNS:SHORT.NAME", cmd, sizeof(cmd));
        fix(fd, "openssl", "%s   # with a host name of at most %ld characters (e.g. a CNAME) as the CN", cmd,
            m->value >= 0 ? m->value : hint);
    }
}

static void rule_ip_cn(const struct td_x509_file *f, const struct td_x509_obj *ob, const struct td_certlint_opts *o,
                       struct td_findings *l)
{
    const struct td_cert_info *c = &ob->cert;
    bool cn_only = o->lim->cn_only_name_check.v == TD_K_YES;
    struct td_finding *fd;
    char line[600], cmd[MSG], san[128], names[600];

    for (size_t i = 0; i < c->ncn; i++) {
        if (!td_x509_is_ip(c->cn[i]) || has_ip_san(c, c->cn[i]))
            continue;
        fd = add(l, "cert.ip-in-cn-no-san", cn_only ? TD_SEV_WARN : TD_SEV_ERROR,
                 cn_only ? o->lim->cn_only_name_check.source : NULL,
                 "%s: the CN is the IP address %s but no subjectAltName IP entry holds it: standard name checks "
                 "(RFC 2818/6125: an IP must be an iPAddress SAN; OpenSSL, curl, browsers) fail%s",
                 f->path, c->cn[i], cn_only ? "; a CN-only check (as documented for this device) passes" : "");
        td_x509_names_line(c, names, sizeof(names));
        cert_line(f, ob, line, sizeof(line));
        evidence(fd, "%s\n%s", line, names);
        snprintf(san, sizeof(san), "IP:%s", c->cn[i]);
        regen_cmd("rsa:2048", c->cn[i], san, cmd, sizeof(cmd));
        fix(fd, "openssl", "%s", cmd);
    }
}

static bool all_names_ip(const struct td_cert_info *c)
{
    if (c->ndns > 0)
        return false;
    for (size_t i = 0; i < c->ncn; i++)
        if (!td_x509_is_ip(c->cn[i]))
            return false;
    return c->ncn > 0 || c->nip > 0;
}

static bool any_ip_name(const struct td_cert_info *c)
{
    if (c->nip > 0)
        return true;
    for (size_t i = 0; i < c->ncn; i++)
        if (td_x509_is_ip(c->cn[i]))
            return true;
    return false;
}

static void rule_host(const struct td_x509_file *f, const struct td_x509_obj *ob, const struct td_certlint_opts *o,
                      struct td_findings *l)
{
    const struct td_cert_info *c = &ob->cert;
    const struct td_fact *cno = &o->lim->cn_only_name_check;
    int std = 0, cnonly = 0, decided;
    bool ip = td_x509_is_ip(o->host);
    struct td_finding *fd;
    char names[600], line[600], cmd[MSG], san[300];

    if (td_x509_check_name(ob->der, ob->der_len, o->host, &std, &cnonly) != TD_ERR_OK)
        return;
    decided = cno->v == TD_K_YES ? cnonly : std;
    td_x509_names_line(c, names, sizeof(names));
    cert_line(f, ob, line, sizeof(line));
    snprintf(san, sizeof(san), "%s:%s", ip ? "IP" : "DNS", o->host);
    regen_cmd("rsa:2048", o->host, san, cmd, sizeof(cmd));
    if (!decided) {
        if (ip && !any_ip_name(c)) {
            fd = add(l, "cert.name-kind-mismatch", TD_SEV_ERROR, NULL,
                     "%s: the device connects by IP address %s but the certificate names only DNS names", f->path,
                     o->host);
        } else if (!ip && all_names_ip(c)) {
            fd = add(l, "cert.name-kind-mismatch", TD_SEV_ERROR, NULL,
                     "%s: the device connects by host name %s but the certificate names only IP addresses", f->path,
                     o->host);
        } else if (ip && cnonly && !std) {
            return; /* the IP is the CN without an IP SAN: cert.ip-in-cn-no-san says it */
        } else {
            fd = add(l, "cert.name-mismatch", TD_SEV_ERROR, cno->v == TD_K_YES ? cno->source : NULL,
                     "%s: the certificate does not name %s (%s check)", f->path, o->host,
                     cno->v == TD_K_YES ? "CN-only" : "standard");
        }
        evidence(fd, "%s\n%s\nstandard check (SAN first): %s; CN-only check: %s", line, names, std ? "pass" : "fail",
                 cnonly ? "pass" : "fail");
        fix(fd, "openssl", "%s", cmd);
        fix(fd, "device", "or make the device connect to a name the certificate holds (%s)", names);
        return;
    }
    if (std != cnonly) {
        fd = add(l, "cert.name-mismatch", TD_SEV_INFO, cno->source,
                 "%s: %s matches by the %s check but not by the %s check; %s", f->path, o->host,
                 std ? "standard" : "CN-only", std ? "CN-only" : "standard",
                 cno->v == TD_K_YES ? "this device is documented to compare the CN"
                                    : "which one this device uses is unknown");
        evidence(fd, "%s\n%s", line, names);
        fix(fd, "openssl", "%s   # CN and SAN both hold the name", cmd);
    }
}

static void rule_cert_key(const struct td_x509_file *f, const struct td_x509_obj *ob, const struct td_certlint_opts *o,
                          struct td_findings *l)
{
    const struct td_pubkey_info *k = &ob->cert.key;
    const struct td_cert_limits *m = o->lim;
    struct td_finding *fd = NULL;
    char line[600], cmd[MSG];

    cert_line(f, ob, line, sizeof(line));
    if (strcmp(k->type, "RSA") == 0) {
        if (m->rsa.v == TD_K_NO)
            fd = add(l, "cert.key-unsupported", TD_SEV_ERROR, m->rsa.source, "%s: RSA key; %s cannot use RSA", f->path,
                     dev(o));
        else if (m->rsa_min_bits.value >= 0 && k->bits < m->rsa_min_bits.value)
            fd = add(l, "cert.key-unsupported", TD_SEV_ERROR, m->rsa_min_bits.source,
                     "%s: RSA-%d key; %s needs at least %ld bits", f->path, k->bits, dev(o), m->rsa_min_bits.value);
        else if (m->rsa_max_bits.value >= 0 && k->bits > m->rsa_max_bits.value)
            fd = add(l, "cert.key-unsupported", TD_SEV_ERROR, m->rsa_max_bits.source,
                     "%s: RSA-%d key; %s handles at most %ld bits", f->path, k->bits, dev(o), m->rsa_max_bits.value);
        else if (k->bits > 2048 && m->rsa_max_bits.value < 0)
            fd = add(l, "cert.key-unsupported", TD_SEV_INFO, NULL,
                     "%s: RSA-%d key; the largest RSA key %s handles is unknown (RSA-2048 is the common size)", f->path,
                     k->bits, dev(o));
        if (fd != NULL) {
            evidence(fd, "%s\npublic key RSA %d bits", line, k->bits);
            regen_cmd("rsa:2048", ob->cert.ncn > 0 ? ob->cert.cn[0] : "NAME",
                      ob->cert.ncn > 0 ? "DNS:NAME" : "DNS:NAME", cmd, sizeof(cmd));
            fix(fd, "openssl", "%s", cmd);
        }
        if (k->bits < 2048) {
            fd = add(l, "cert.key-weak", TD_SEV_WARN, NULL,
                     "%s: RSA-%d key: below 2048 bits, refused by current TLS libraries and CAs", f->path, k->bits);
            evidence(fd, "%s\npublic key RSA %d bits", line, k->bits);
            fix(fd, "openssl",
                "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out new.key && "
                "openssl rsa -in new.key -traditional -out new-pkcs1.key   # then reissue the certificate");
        }
        return;
    }
    if (strcmp(k->type, "EC") == 0) {
        bool curve_ok = true;
        if (m->ncurves >= 0) {
            curve_ok = false;
            for (int i = 0; i < m->ncurves; i++)
                if (strcmp(m->curves[i], k->curve) == 0)
                    curve_ok = true;
        }
        if (m->ec.v == TD_K_NO)
            fd = add(l, "cert.key-unsupported", TD_SEV_ERROR, m->ec.source,
                     "%s: ECDSA key (%s); %s cannot use an ECDSA certificate", f->path, k->curve, dev(o));
        else if (!curve_ok)
            fd = add(l, "cert.key-unsupported", TD_SEV_ERROR, m->curves_source,
                     "%s: ECDSA key on curve %s, which %s does not list", f->path, k->curve, dev(o));
        else if (m->ec.v == TD_K_UNKNOWN)
            fd = add(l, "cert.key-unsupported", TD_SEV_INFO, NULL,
                     "%s: ECDSA key (%s); whether %s can use ECDSA certificates is unknown", f->path, k->curve, dev(o));
        if (fd != NULL) {
            evidence(fd, "%s\npublic key EC %s (%d bits)", line, k->curve, k->bits);
            regen_cmd(m->ec.v == TD_K_NO ? "rsa:2048" : "ec -pkeyopt ec_paramgen_curve:P-256",
                      ob->cert.ncn > 0 ? ob->cert.cn[0] : "NAME", "DNS:NAME", cmd, sizeof(cmd));
            fix(fd, "openssl", "%s", cmd);
        }
        return;
    }
    fd = add(l, "cert.key-unsupported", m->rsa.v != TD_K_UNKNOWN || m->ec.v != TD_K_UNKNOWN ? TD_SEV_WARN : TD_SEV_INFO,
             NULL, "%s: %s key; constrained TLS stacks are documented for RSA and ECDSA only, %s support is unknown",
             f->path, k->type, dev(o));
    evidence(fd, "%s\npublic key %s", line, k->type);
    regen_cmd("rsa:2048", ob->cert.ncn > 0 ? ob->cert.cn[0] : "NAME", "DNS:NAME", cmd, sizeof(cmd));
    fix(fd, "openssl", "%s", cmd);
}

static void rule_ca(const struct td_x509_file *f, const struct td_x509_obj *ob, const struct td_certlint_opts *o,
                    struct td_findings *l)
{
    const struct td_cert_info *c = &ob->cert;
    const struct td_fact *root = &o->lim->ca_root_only;
    enum td_severity sev = root->v == TD_K_YES ? TD_SEV_ERROR : TD_SEV_WARN;
    struct td_finding *fd;
    char line[600];

    if (c->self_signed)
        return;
    if (c->is_ca)
        fd = add(l, "cert.ca-is-intermediate", sev, root->source,
                 "%s: certificate %zu is an intermediate CA (issued by '%s'), not a self-signed root%s", f->path,
                 ob->index + 1, c->issuer,
                 root->v == TD_K_YES
                     ? "; the device needs the root"
                     : "; verifiers without partial-chain support need the root (unknown for this device)");
    else
        fd = add(l, "cert.ca-not-self-signed", sev, root->source,
                 "%s: certificate %zu given as the CA is not a CA and not self-signed (issued by '%s')%s", f->path,
                 ob->index + 1, c->issuer, root->v == TD_K_YES ? "; the device needs a self-signed root" : "");
    cert_line(f, ob, line, sizeof(line));
    evidence(fd, "%s\nbasicConstraints %s, keyUsage keyCertSign %s, self-signed no", line,
             c->bc_present ? (c->bc_ca ? "CA:TRUE" : "CA:FALSE") : "absent",
             c->ku_present ? (c->ku_cert_sign ? "yes" : "no") : "absent");
    fix(fd, "ca",
        "put the self-signed root that issued it in the CA file instead: its subject is '%s'; check with "
        "'openssl x509 -in root.pem -noout -subject -issuer' (subject and issuer must be equal)",
        c->issuer);
    fix(fd, "openssl",
        "openssl s_client -connect HOST:443 -showcerts </dev/null   # the last certificate the server sends names "
        "the root in its issuer");
}

/* ---- key rules ---------------------------------------------------------- */

static void rule_key(const struct td_x509_file *f, const struct td_x509_obj *ob, const struct td_certlint_opts *o,
                     struct td_findings *l)
{
    const struct td_key_info *k = &ob->key;
    const struct td_cert_limits *m = o->lim;
    struct td_finding *fd;
    char where[200], out[512];
    bool rsa = strcmp(k->key.type, "RSA") == 0, unknown_type = strcmp(k->key.type, "unknown") == 0;

    describe_obj(f, ob, where, sizeof(where));
    derive(f->path, "-pkcs1", ".key", out, sizeof(out));
    if (k->encrypted && m->encrypted_key.v != TD_K_YES) {
        fd = add(l, "cert.key-encrypted", m->encrypted_key.v == TD_K_NO ? TD_SEV_ERROR : TD_SEV_WARN,
                 m->encrypted_key.source, "%s: the private key is encrypted (%s)%s", f->path,
                 td_key_syntax_title(k->syntax),
                 m->encrypted_key.v == TD_K_NO ? "; the device cannot use an encrypted key"
                                               : "; whether the device can use a password-protected key is unknown");
        evidence(fd, "%s: %s", where, td_key_syntax_title(k->syntax));
        if (rsa || unknown_type)
            fix(fd, "openssl",
                "openssl rsa -in %s -traditional -out %s   # asks for the pass phrase; writes an "
                "unencrypted PKCS#1 key (keep it safe)",
                f->path, out);
        if (!rsa) {
            derive(f->path, "-plain", ".key", out, sizeof(out));
            fix(fd, "openssl", "openssl ec -in %s -out %s   # EC keys: unencrypted SEC1", f->path, out);
        }
    }
    derive(f->path, "-pkcs1", ".key", out, sizeof(out));
    if (m->key_pkcs1_only.v == TD_K_YES && (k->syntax == TD_KEY_PKCS8 || k->syntax == TD_KEY_PKCS8_ENCRYPTED) &&
        (rsa || unknown_type)) {
        fd = add(l, "cert.key-pkcs8", TD_SEV_ERROR, m->key_pkcs1_only.source,
                 "%s: the key is %s; %s needs PKCS#1 ('BEGIN RSA PRIVATE KEY')", f->path,
                 td_key_syntax_title(k->syntax), dev(o));
        evidence(fd, "%s: %s%s", where, td_key_syntax_title(k->syntax), k->der ? " in DER" : "");
        fix(fd, "openssl", "openssl rsa -in %s%s -traditional -out %s", f->path, k->der ? " -inform DER" : "", out);
    }
    if (m->key_pkcs1_only.v == TD_K_YES && !rsa && !unknown_type) {
        fd = add(l, "cert.key-unsupported", TD_SEV_ERROR, m->key_pkcs1_only.source,
                 "%s: %s key; %s needs an RSA key in PKCS#1", f->path, k->key.type, dev(o));
        evidence(fd, "%s: %s %s", where, k->key.type, k->key.curve);
        fix(fd, "openssl",
            "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 | openssl rsa -traditional "
            "-out new-pkcs1.key   # then issue the certificate for this key");
    }
}

static void rule_mismatch(struct td_certlint_file *files, size_t n, size_t ki, const struct td_x509_obj *key)
{
    struct td_findings *l = &files[ki].findings;
    const struct td_x509_file *kf = files[ki].file;
    char ev[MSG * 2], line[600], where[200];
    size_t off = 0, candidates = 0;
    int w;
    struct td_finding *fd;
    const struct td_x509_obj *leaf = NULL;

    if (key->key.encrypted || key->key.key.spki_sha256[0] == '\0')
        return;
    ev[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const struct td_x509_obj *c;
        if (files[i].role != TD_ROLE_CERT)
            continue;
        /* a key in a certificate file goes with that file's certificate */
        if (files[ki].role == TD_ROLE_CERT && i != ki)
            continue;
        c = td_x509_cert_at(files[i].file, 0);
        if (c == NULL)
            continue;
        candidates++;
        if (td_x509_key_matches(c, key) == 1)
            return;
        leaf = c;
        cert_line(files[i].file, c, line, sizeof(line));
        if (off < sizeof(ev)) {
            w = snprintf(ev + off, sizeof(ev) - off, "%s%s: %s\n  public key SHA-256 %s", off ? "\n" : "",
                         files[i].file->path, line, c->cert.key.spki_sha256);
            if (w > 0)
                off += (size_t)w;
        }
    }
    if (candidates == 0)
        return;
    describe_obj(kf, key, where, sizeof(where));
    fd = add(l, "cert.key-mismatch", TD_SEV_ERROR, NULL,
             "%s: the private key does not belong to the certificate%s it is meant for", kf->path,
             candidates > 1 ? "s" : "");
    evidence(fd, "%s: %s %d-bit key, public key SHA-256 %s\n%s", where, key->key.key.type, key->key.key.bits,
             key->key.key.spki_sha256, ev);
    fix(fd, "openssl",
        "openssl x509 -in CERT.pem -noout -pubkey | openssl sha256; openssl pkey -in %s -pubout | "
        "openssl sha256   # the two digests must be equal",
        kf->path);
    fix(fd, "openssl",
        "use the key that was generated with the certificate's CSR, or issue a new certificate for "
        "this key: openssl req -new -key %s -subj '/CN=%s' -out server.csr",
        kf->path, leaf != NULL && leaf->cert.ncn > 0 ? leaf->cert.cn[0] : "NAME");
}

void td_certlint_run(struct td_certlint_file *files, size_t n, const struct td_certlint_opts *o)
{
    for (size_t i = 0; i < n; i++) {
        const struct td_x509_file *f = files[i].file;
        struct td_findings *l = &files[i].findings;
        enum td_cert_role role = files[i].role;

        rule_pem(f, l);
        rule_size(f, role, o, l);
        rule_multi(f, role, o, l);
        if (role == TD_ROLE_CERT)
            rule_chain_size(f, o, l);
        for (size_t k = 0; k < f->nobj; k++) {
            const struct td_x509_obj *ob = &f->objs[k];
            if (ob->kind == TD_X509_CERT) {
                rule_dates(f, ob, o, l);
                rule_weak_sig(f, ob, l);
                if (role == TD_ROLE_CA) {
                    rule_ca(f, ob, o, l);
                } else if (!ob->cert.is_ca || ob->cert.self_signed) {
                    /* the end-entity certificate (a self-signed one counts) */
                    if (ob != td_x509_cert_at(f, 0))
                        continue;
                    rule_cn_len(f, ob, o, l);
                    rule_ip_cn(f, ob, o, l);
                    if (o->host != NULL)
                        rule_host(f, ob, o, l);
                    rule_cert_key(f, ob, o, l);
                }
            } else if (ob->kind == TD_X509_KEY) {
                rule_key(f, ob, o, l);
                rule_mismatch(files, n, i, ob);
            }
        }
    }
}
