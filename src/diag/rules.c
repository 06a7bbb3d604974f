/* The check rules (see rules.h and docs/findings.md "## check"). */
#include "diag/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "registry/registry.h"
#include "tlsio/client.h"
#include "tlsio/ossl_names.h"

/* Alert descriptions the rules look at (RFC 8446 §6, RFC 6066 §3). */
enum {
    ALERT_HANDSHAKE_FAILURE = 40,
    ALERT_PROTOCOL_VERSION = 70,
    ALERT_INSUFFICIENT_SECURITY = 71,
    ALERT_UNRECOGNIZED_NAME = 112,
    ALERT_CERTIFICATE_REQUIRED = 116,
};

/* ---- small text builder ------------------------------------------------ */

struct sb {
    char b[4096];
    size_t n;
};

static void sb_add(struct sb *s, const char *fmt, ...) TD_PRINTF(2, 3);
static void sb_add(struct sb *s, const char *fmt, ...)
{
    va_list ap;
    int w;

    if (s->n >= sizeof(s->b) - 1)
        return;
    va_start(ap, fmt);
    w = vsnprintf(s->b + s->n, sizeof(s->b) - s->n, fmt, ap);
    va_end(ap);
    if (w < 0)
        return;
    s->n += (size_t)w;
    if (s->n >= sizeof(s->b))
        s->n = sizeof(s->b) - 1;
}

static const char *vname(uint16_t v, char *buf)
{
    return td_reg_version_name(v, buf);
}

static const char *alert_name(int a, char *buf)
{
    return td_reg_alert_name((uint16_t)a, buf);
}

/* "TLS_RSA_WITH_AES_256_CBC_SHA (AES256-SHA)" */
static void sb_suite(struct sb *s, uint16_t code)
{
    char buf[TD_REG_NAMEBUF];
    const char *o = td_ossl_suite_name(code);
    sb_add(s, "%s (%s)", td_reg_suite_name(code, buf), o != NULL ? o : "not in this OpenSSL");
}

static void sb_versions(struct sb *s, const uint16_t *v, size_t n)
{
    char buf[TD_REG_NAMEBUF];
    for (size_t i = 0; i < n; i++)
        sb_add(s, "%s%s", i != 0 ? ", " : "", vname(v[i], buf));
    if (n == 0)
        sb_add(s, "none");
}

const struct td_dx_report *td_dx_device_report(const struct td_dx_device *d, const char *key)
{
    for (size_t i = 0; key != NULL && i < d->nreports; i++)
        if (d->reports[i].key != NULL && strcmp(d->reports[i].key, key) == 0)
            return &d->reports[i];
    return NULL;
}

/* Adds the finding with the device's own report appended to the evidence
 * and the sources of the device facts used. */
static struct td_finding *emit(struct td_findings *out, const struct td_dx_input *in, const char *id,
                               enum td_severity sev, const char *key, const char *cause, struct sb *ev,
                               const char *fact_source)
{
    struct td_finding *f = td_findings_add(out, id, sev, "%s", cause);
    const struct td_dx_report *rep = td_dx_device_report(&in->dev, key);
    struct sb src = {.n = 0};

    if (f == NULL)
        return NULL;
    if (rep != NULL && rep->caveat != NULL && sev != TD_SEV_INFO)
        sb_add(ev, "%s%s", ev->n != 0 ? "\n" : "", rep->caveat);
    if (key != NULL && sev != TD_SEV_INFO)
        sb_add(ev, "%sthe device would report: %s", ev->n != 0 ? "\n" : "",
               rep != NULL && rep->text != NULL ? rep->text : "unknown (its profile does not say)");
    if (ev->n != 0 && td_finding_evidence(f, "%s", ev->b) != TD_ERR_OK)
        return NULL;
    if (fact_source != NULL)
        sb_add(&src, "%s", fact_source);
    if (rep != NULL && rep->source != NULL && (fact_source == NULL || strcmp(fact_source, rep->source) != 0))
        sb_add(&src, "%s%s", src.n != 0 ? "; " : "", rep->source);
    if (src.n != 0 && td_finding_source(f, "%s", src.b) != TD_ERR_OK)
        return NULL;
    return f;
}

static bool has_u16(const uint16_t *v, size_t n, uint16_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

static bool failed(const struct td_dx_input *in)
{
    return in->att.end != TD_DX_END_COMPLETED;
}

/* Versions both sides share (server side known only if probed). */
static size_t common_versions(const struct td_dx_input *in, uint16_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < in->dev.nversions; i++)
        if (in->srv.versions_known != TD_DX_YES || has_u16(in->srv.versions, in->srv.nversions, in->dev.versions[i]))
            out[n++] = in->dev.versions[i];
    return n;
}

static bool version_problem(const struct td_dx_input *in)
{
    uint16_t v[TD_DX_MAX_VERSIONS];
    if (in->srv.versions_known == TD_DX_YES && common_versions(in, v) == 0)
        return true;
    return failed(in) && !in->att.server_hello && in->att.alert == ALERT_PROTOCOL_VERSION;
}

/* The server's key type as far as anything saw it. */
static const char *server_key(const struct td_dx_input *in)
{
    if (in->att.cert.present && in->att.cert.key_type != NULL)
        return in->att.cert.key_type;
    return in->srv.key_type;
}

static bool suite_fits_key(const struct td_suite *s, const char *key)
{
    if (s->auth == TD_AUTH_TLS13)
        return true; /* any certificate type */
    if (key == NULL)
        return s->auth == TD_AUTH_RSA || s->auth == TD_AUTH_ECDSA;
    if (strcmp(key, "RSA") == 0 || strcmp(key, "RSA-PSS") == 0)
        return s->auth == TD_AUTH_RSA;
    if (strcmp(key, "EC") == 0)
        return s->auth == TD_AUTH_ECDSA;
    return false;
}

size_t td_diag_suites_to_add(const struct td_dx_input *in, const char *key_type, uint16_t *out, size_t cap)
{
    uint16_t v[TD_DX_MAX_VERSIONS];
    size_t nv = common_versions(in, v), n = 0;

    /* ok suites first, then weak, then insecure; the device's order within */
    for (int want = TD_STRENGTH_OK; want <= TD_STRENGTH_INSECURE; want++) {
        for (size_t i = 0; i < in->dev.nsuites && n < cap; i++) {
            const struct td_suite *s = td_reg_suite_find(in->dev.suites[i]);
            bool valid = false;
            if (s == NULL || (s->flags & TD_SUITE_SCSV) != 0 || (int)td_reg_suite_strength(s, NULL) != want)
                continue;
            for (size_t k = 0; k < nv; k++)
                valid = valid || td_reg_suite_valid_in(s, v[k]);
            if (valid && suite_fits_key(s, key_type))
                out[n++] = s->code;
        }
    }
    return n;
}

static bool is_tls13_suite(uint16_t code)
{
    return (code >> 8) == 0x13;
}

void td_diag_cipher_lines(const uint16_t *current, size_t ncurrent, const uint16_t *add, size_t nadd,
                          struct td_cipher_lines *out)
{
    struct sb s = {.n = 0};
    bool legacy = false, any = false;

    for (size_t i = 0; i < ncurrent; i++) {
        const char *o = td_ossl_suite_name(current[i]);
        if (o == NULL || is_tls13_suite(current[i]))
            continue;
        sb_add(&s, "%s%s", any ? ":" : "", o);
        any = true;
    }
    if (!any)
        sb_add(&s, "<your current list>");
    for (size_t i = 0; i < nadd; i++) {
        const char *o = td_ossl_suite_name(add[i]);
        if (o == NULL || has_u16(current, ncurrent, add[i]))
            continue;
        sb_add(&s, ":%s", o);
        legacy = legacy || strstr(o, "RC4") != NULL || strstr(o, "NULL") != NULL || strstr(o, "EXP") != NULL;
    }
    /* OpenSSL 3's default security level refuses these suites outright. */
    if (legacy)
        sb_add(&s, ":@SECLEVEL=0");
    snprintf(out->openssl, sizeof(out->openssl), "%s", s.b);
    snprintf(out->apache, sizeof(out->apache), "SSLCipherSuite %s", s.b);
    snprintf(out->nginx, sizeof(out->nginx), "ssl_ciphers '%s';", s.b);
    snprintf(out->haproxy, sizeof(out->haproxy),
             "ssl-default-bind-ciphers %s\n(or on the bind line: bind :443 ssl crt /path/to/cert.pem ciphers %s)", s.b,
             s.b);
}

/* ---- rules ------------------------------------------------------------- */

static void rule_tcp(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    if (in->att.end != TD_DX_END_NO_TCP)
        return;
    sb_add(&ev, "TCP connect to %s: %s", in->target, in->att.tcp_error != NULL ? in->att.tcp_error : "failed");
    struct td_finding *f = emit(out, in, "check.tcp-failed", TD_SEV_ERROR, "tcp_failed",
                                "no TCP connection: TLS never started", &ev, NULL);
    if (f != NULL && td_finding_fix(f, "server", "make sure the server listens on %s and that no firewall drops "
                                                 "the device's address",
                                    in->target) != TD_ERR_OK)
        return;
}

static void rule_not_emulated(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    if (in->att.end != TD_DX_END_NOT_EMULATED)
        return;
    sb_add(&ev, "%zu of the device's %zu suites are unknown to this OpenSSL; %s", in->att.nunemulated,
           in->dev.nsuites, in->att.tls_error != NULL ? in->att.tls_error : "");
    emit(out, in, "check.not-emulated", TD_SEV_WARN, NULL,
         "this OpenSSL cannot offer what the device offers, so the handshake was not completed", &ev, NULL);
}

static void rule_timeout(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    if (in->att.end != TD_DX_END_TIMEOUT)
        return;
    sb_add(&ev, "%s the server sent nothing more before the deadline",
           in->att.server_hello ? "after its first flight" : "after the ClientHello");
    emit(out, in, "check.timeout", TD_SEV_ERROR, "handshake_timeout", "the server went silent during the handshake",
         &ev, NULL);
}

static void rule_not_tls(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    struct td_finding *f;

    if (in->att.end != TD_DX_END_NOT_TLS)
        return;
    sb_add(&ev, "the server's answer to the device's ClientHello%s: %s",
           in->att.server_hello ? " (after its ServerHello)" : "",
           in->att.tls_error != NULL ? in->att.tls_error : "not TLS");
    f = emit(out, in, "check.not-tls", TD_SEV_ERROR, "handshake_failed",
             "the server did not answer in TLS: the port may serve plain HTTP or another protocol", &ev, NULL);
    if (f != NULL && td_finding_fix(f, "server",
                                    "point the device at the port where the server speaks TLS "
                                    "(e.g. 443, not 80), or enable TLS on %s",
                                    in->target) != TD_ERR_OK)
        return;
}

static void rule_version(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0}, fx = {.n = 0};
    char buf[TD_REG_NAMEBUF], abuf[TD_REG_NAMEBUF];
    uint16_t dev_max = 0;
    struct td_finding *f;

    if (!version_problem(in))
        return;
    sb_add(&ev, "the device offers: ");
    sb_versions(&ev, in->dev.versions, in->dev.nversions);
    if (in->srv.versions_known == TD_DX_YES) {
        sb_add(&ev, "\nthe server accepts: ");
        sb_versions(&ev, in->srv.versions, in->srv.nversions);
    }
    if (in->att.alert >= 0)
        sb_add(&ev, "\nthe server answered the device's ClientHello with alert %s", alert_name(in->att.alert, abuf));
    for (size_t i = 0; i < in->dev.nversions; i++)
        if (td_reg_version_cmp(in->dev.versions[i], dev_max) > 0)
            dev_max = in->dev.versions[i];
    f = emit(out, in, "check.no-common-version", TD_SEV_ERROR, "no_common_version",
             "no common protocol version: the server accepts none of the versions the device offers", &ev,
             in->dev.suites_source);
    if (f == NULL || dev_max == 0)
        return;
    /* Keep what the server has, add the device's best version. */
    sb_add(&fx, "SSLProtocol -all");
    for (size_t i = 0; i < in->srv.nversions; i++)
        sb_add(&fx, " +%s", td_reg_version_cmp(in->srv.versions[i], TD_VER_TLS13) == 0   ? "TLSv1.3"
                            : td_reg_version_cmp(in->srv.versions[i], TD_VER_TLS12) == 0 ? "TLSv1.2"
                            : td_reg_version_cmp(in->srv.versions[i], TD_VER_TLS11) == 0 ? "TLSv1.1"
                                                                                          : "TLSv1");
    sb_add(&fx, " +%s", dev_max == TD_VER_TLS12 ? "TLSv1.2" : dev_max == TD_VER_TLS11 ? "TLSv1.1" : "TLSv1");
    if (td_finding_fix(f, "apache", "%s", fx.b) != TD_ERR_OK)
        return;
    fx.n = 0;
    fx.b[0] = '\0';
    sb_add(&fx, "ssl_protocols");
    for (size_t i = 0; i < in->srv.nversions; i++)
        sb_add(&fx, " %s", vname(in->srv.versions[i], buf));
    sb_add(&fx, " %s;", vname(dev_max, buf));
    /* nginx spells them TLSv1.2; the registry says "TLS 1.2". */
    for (char *p = fx.b; (p = strstr(p, "TLS 1")) != NULL; p += 4)
        p[3] = 'v';
    if (td_finding_fix(f, "nginx", "%s", fx.b) != TD_ERR_OK)
        return;
    if (td_finding_fix(f, "haproxy", "ssl-default-bind-options ssl-min-ver %s",
                       dev_max == TD_VER_TLS12   ? "TLSv1.2"
                       : dev_max == TD_VER_TLS11 ? "TLSv1.1"
                                                 : "TLSv1.0") != TD_ERR_OK)
        return;
}

/* True when the key type alone rules the device out. */
static bool key_blocks(const struct td_dx_input *in)
{
    const char *key = server_key(in);
    uint16_t any[1];
    if (key == NULL)
        return false;
    if (strcmp(key, "RSA") == 0 && in->dev.rsa_ok == TD_DX_NO)
        return true;
    if (strcmp(key, "EC") == 0 && in->dev.ecdsa_ok == TD_DX_NO)
        return true;
    /* No suite of the device can use this key (e.g. RSA-only device, ECDSA-only server). */
    return failed(in) && !in->att.server_hello && td_diag_suites_to_add(in, key, any, 1) == 0 &&
           td_diag_suites_to_add(in, NULL, any, 1) != 0;
}

static void rule_suite(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0}, cause = {.n = 0};
    uint16_t add[4];
    size_t nadd;
    struct td_cipher_lines lines;
    struct td_finding *f;
    char abuf[TD_REG_NAMEBUF];
    bool no_common;

    if (version_problem(in) || key_blocks(in) || in->att.server_hello || in->dev.nsuites == 0)
        return;
    if (in->srv.suites_known == TD_DX_YES) {
        no_common = true;
        for (size_t i = 0; i < in->dev.nsuites; i++)
            no_common = no_common && !has_u16(in->srv.suites, in->srv.nsuites, in->dev.suites[i]);
    } else {
        no_common = failed(in) &&
                    (in->att.alert == ALERT_HANDSHAKE_FAILURE || in->att.alert == ALERT_INSUFFICIENT_SECURITY);
    }
    if (!no_common)
        return;
    nadd = td_diag_suites_to_add(in, server_key(in), add, TD_ARRAY_LEN(add));
    sb_add(&ev, "the device offers %zu suite%s:", in->dev.nsuites, in->dev.nsuites == 1 ? "" : "s");
    for (size_t i = 0; i < in->dev.nsuites && i < 12; i++) {
        sb_add(&ev, "\n  ");
        sb_suite(&ev, in->dev.suites[i]);
    }
    if (in->srv.suites_known == TD_DX_YES) {
        sb_add(&ev, "\nthe server accepts %zu suite%s, none of them:", in->srv.nsuites, in->srv.nsuites == 1 ? "" : "s");
        for (size_t i = 0; i < in->srv.nsuites && i < 24; i++) {
            sb_add(&ev, "\n  ");
            sb_suite(&ev, in->srv.suites[i]);
        }
    } else {
        sb_add(&ev, "\nthe server's suite list could not be enumerated; the verdict rests on its answer alone");
    }
    if (in->att.alert >= 0)
        sb_add(&ev, "\nthe server answered the device's ClientHello with alert %s", alert_name(in->att.alert, abuf));
    if (in->att.tls_error != NULL && in->att.tls_error[0] != '\0')
        sb_add(&ev, "\nOpenSSL: %s", in->att.tls_error);
    sb_add(&cause, "no common cipher suite: the server accepts none of the suites the device offers");
    if (nadd != 0) {
        sb_add(&cause, "; add ");
        for (size_t i = 0; i < nadd; i++) {
            const char *why = NULL;
            enum td_strength st = td_reg_suite_strength(td_reg_suite_find(add[i]), &why);
            sb_add(&cause, "%s", i == 0 ? "" : i + 1 == nadd ? " or " : ", ");
            sb_suite(&cause, add[i]);
            if (st != TD_STRENGTH_OK)
                sb_add(&cause, " [%s: %s]", td_reg_strength_name(st), why);
        }
    }
    f = emit(out, in, "check.no-common-suite", TD_SEV_ERROR, "no_common_suite", cause.b, &ev,
             in->dev.suites_source);
    if (f == NULL || nadd == 0)
        return;
    {
        size_t named = 0;
        for (size_t i = 0; i < nadd; i++)
            named += td_ossl_suite_name(add[i]) != NULL;
        if (named == 0) {
            char nb[TD_REG_NAMEBUF];
            if (td_finding_fix(f, "server", "enable %s in the server's TLS library (the OpenSSL linked here does "
                                            "not have it, so no configuration line can be given)",
                               td_reg_suite_name(add[0], nb)) != TD_ERR_OK)
                return;
            return;
        }
    }
    td_diag_cipher_lines(in->srv.suites_known == TD_DX_YES ? in->srv.suites : NULL,
                         in->srv.suites_known == TD_DX_YES ? in->srv.nsuites : 0, add, nadd, &lines);
    if (td_finding_fix(f, "apache", "%s", lines.apache) != TD_ERR_OK ||
        td_finding_fix(f, "nginx", "%s", lines.nginx) != TD_ERR_OK ||
        td_finding_fix(f, "haproxy", "%s", lines.haproxy) != TD_ERR_OK ||
        td_finding_fix(f, "openssl", "openssl s_server ... -cipher '%s'", lines.openssl) != TD_ERR_OK)
        return;
}

static void rule_key(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0}, cause = {.n = 0};
    const char *key = server_key(in);
    int bits = in->att.cert.present ? in->att.cert.key_bits : in->srv.key_bits;
    bool size_bad = false;
    struct td_finding *f;

    if (key == NULL)
        return;
    if (strcmp(key, "RSA") == 0 && bits > 0) {
        size_bad = (in->dev.rsa_max_bits > 0 && bits > in->dev.rsa_max_bits) ||
                   (in->dev.rsa_min_bits > 0 && bits < in->dev.rsa_min_bits);
    }
    if (!key_blocks(in) && !size_bad)
        return;
    sb_add(&ev, "the server's certificate key: %s %d bits", strcmp(key, "EC") == 0 ? "ECDSA" : key, bits);
    if (in->att.cert.present && in->att.cert.curve != NULL)
        sb_add(&ev, " (%s)", in->att.cert.curve);
    if (size_bad && in->dev.rsa_min_bits > 0 && in->dev.rsa_max_bits > 0)
        sb_add(&cause, "the server's RSA key has %d bits; the device accepts %d to %d", bits, in->dev.rsa_min_bits,
               in->dev.rsa_max_bits);
    else if (size_bad)
        sb_add(&cause, "the server's RSA key has %d bits; the device accepts %s %d", bits,
               in->dev.rsa_max_bits > 0 ? "at most" : "at least",
               in->dev.rsa_max_bits > 0 ? in->dev.rsa_max_bits : in->dev.rsa_min_bits);
    else if (strcmp(key, "EC") == 0)
        sb_add(&cause, "the server has only an ECDSA key, and every suite the device offers needs an RSA certificate");
    else if (strcmp(key, "RSA") == 0)
        sb_add(&cause, "the server has only an RSA key, and every suite the device offers needs an ECDSA certificate");
    else
        sb_add(&cause, "the server's %s key is not usable with any suite the device offers", key);
    sb_add(&ev, "\nthe device's suites by certificate type:");
    for (size_t i = 0; i < in->dev.nsuites && i < 12; i++) {
        const struct td_suite *s = td_reg_suite_find(in->dev.suites[i]);
        sb_add(&ev, "\n  ");
        sb_suite(&ev, in->dev.suites[i]);
        sb_add(&ev, ": %s", s != NULL ? td_reg_auth_name(s->auth) : "?");
    }
    f = emit(out, in, "check.key-unsupported", TD_SEV_ERROR, "key_unsupported", cause.b, &ev,
             in->dev.keys_source != NULL ? in->dev.keys_source : in->dev.suites_source);
    if (f == NULL)
        return;
    if (strcmp(key, "EC") == 0 && !size_bad) {
        if (td_finding_fix(f, "apache", "add an RSA certificate beside the ECDSA one (Apache serves both):\n"
                                        "SSLCertificateFile /path/to/rsa.crt\nSSLCertificateKeyFile /path/to/rsa.key") !=
                TD_ERR_OK ||
            td_finding_fix(f, "nginx", "add an RSA certificate beside the ECDSA one (nginx serves both):\n"
                                       "ssl_certificate /path/to/rsa.crt;\nssl_certificate_key /path/to/rsa.key;") !=
                TD_ERR_OK ||
            td_finding_fix(f, "haproxy", "load an RSA and an ECDSA certificate for the same name "
                                         "(crt /path/to/site.pem.rsa and site.pem.ecdsa, HAProxy picks per client)") !=
                TD_ERR_OK)
            return;
    } else if (td_finding_fix(f, "certificate", "issue the server certificate with a key the device accepts "
                                                "(RSA 2048 is the most widely supported)") != TD_ERR_OK) {
        return;
    }
}

static void rule_sni_required(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    char abuf[TD_REG_NAMEBUF];
    struct td_finding *f;
    enum td_severity sev = TD_SEV_ERROR;

    if (in->dev.sends_sni == TD_DX_YES || in->att.sni_sent != NULL)
        return;
    if (in->srv.ok_without_sni != TD_DX_NO || in->srv.ok_with_sni != TD_DX_YES)
        return;
    sb_add(&ev, "without SNI: the handshake fails");
    if (in->srv.alert_without_sni >= 0)
        sb_add(&ev, " (alert %s)", alert_name(in->srv.alert_without_sni, abuf));
    sb_add(&ev, "\nwith SNI \"%s\": the handshake completes", in->srv.probe_name != NULL ? in->srv.probe_name : "?");
    sb_add(&ev, "\nthe device sends %s", in->dev.sends_sni == TD_DX_NO ? "no server_name extension"
                                                                          : "a server_name extension or not (unknown)");
    if (in->dev.sends_sni == TD_DX_UNKNOWN) {
        sev = TD_SEV_WARN;
        sb_add(&ev, "\nthe verdict depends on whether the device sends SNI, which its profile marks unknown");
    }
    f = emit(out, in, "check.sni-required", sev, "sni_required",
             "the server requires SNI, and the device sends none", &ev, in->dev.sni_source);
    if (f == NULL)
        return;
    if (td_finding_fix(f, "nginx", "serve the device's site from the default server instead of rejecting:\n"
                                   "listen 443 ssl default_server;   (in the device's server block)\n"
                                   "and remove 'ssl_reject_handshake on;' from the catch-all block") != TD_ERR_OK ||
        td_finding_fix(f, "apache", "make the device's <VirtualHost> the first one for this address:port "
                                    "(Apache uses the first as the default without SNI), and keep "
                                    "'SSLStrictSNIVHostCheck off'") != TD_ERR_OK ||
        td_finding_fix(f, "haproxy", "put the device's certificate first on the bind line (or 'default-crt' on "
                                     "HAProxy >= 2.8): it is served when no SNI is sent") != TD_ERR_OK)
        return;
}

static void rule_sni_default_cert(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    struct td_finding *f;
    bool hurts = in->ver.step == TD_DX_V_UNTRUSTED || in->ver.step == TD_DX_V_NAME;

    if (in->dev.sends_sni == TD_DX_YES || in->att.sni_sent != NULL || in->srv.cert_differs != TD_DX_YES)
        return;
    sb_add(&ev, "without SNI the server sends CN=%s", in->srv.cn_without_sni != NULL ? in->srv.cn_without_sni : "(none)");
    sb_add(&ev, "\nwith SNI \"%s\" it sends CN=%s", in->srv.probe_name != NULL ? in->srv.probe_name : "?",
           in->srv.cn_with_sni != NULL ? in->srv.cn_with_sni : "(none)");
    if (in->dev.level == 0)
        sb_add(&ev, "\nthe device does not validate the certificate (level 0), so this does not stop it today");
    f = emit(out, in, "check.sni-default-cert", hurts ? TD_SEV_ERROR : TD_SEV_WARN, "cert_untrusted",
             "without SNI the server sends its default certificate, not the one for this name", &ev,
             in->dev.sni_source);
    if (f == NULL)
        return;
    if (td_finding_fix(f, "nginx", "make the device's server block the default: listen 443 ssl default_server;") !=
            TD_ERR_OK ||
        td_finding_fix(f, "apache", "make the device's <VirtualHost> the first one for this address:port") != TD_ERR_OK ||
        td_finding_fix(f, "haproxy", "put the device's certificate first on the bind line (or 'default-crt')") !=
            TD_ERR_OK)
        return;
}

static void describe_cert(struct sb *ev, const struct td_dx_input *in)
{
    const struct td_dx_cert *c = &in->att.cert;
    if (!c->present)
        return;
    sb_add(ev, "server certificate: %s", c->subject != NULL ? c->subject : "?");
    if (c->san != NULL)
        sb_add(ev, "\n  subjectAltName: %s", c->san);
    sb_add(ev, "\n  %s, %zu certificate%s in the chain (%zu bytes)", c->self_signed ? "self-signed" : "CA-issued",
           c->ncerts, c->ncerts == 1 ? "" : "s", c->chain_bytes);
    if (c->not_before != NULL && c->not_after != NULL)
        sb_add(ev, "\n  valid %s to %s", c->not_before, c->not_after);
}

static void device_ca_fix(struct td_finding *f, const struct td_dx_input *in)
{
    struct sb fx = {.n = 0};
    if (in->att.cert.self_signed)
        sb_add(&fx, "the server's certificate is self-signed: the CA file must be that certificate itself "
                    "(fingerprint SHA-256 %s)",
               in->att.cert.fingerprint != NULL ? in->att.cert.fingerprint : "?");
    else
        sb_add(&fx, "the CA file must be the self-signed root at the top of the server's chain");
    if (in->dev.ca_rules != NULL)
        sb_add(&fx, "\ndevice rules for that file: %s", in->dev.ca_rules);
    if (td_finding_fix(f, "device", "%s", fx.b) != TD_ERR_OK)
        return;
}

static void rule_untrusted(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    struct td_finding *f;

    if (in->ver.step != TD_DX_V_UNTRUSTED && in->ver.step != TD_DX_V_OTHER)
        return;
    sb_add(&ev, "validation level %d; CA file: %s\n", in->ver.level, in->dev.ca_file != NULL ? in->dev.ca_file : "none");
    if (in->ver.explanation != NULL)
        sb_add(&ev, "%s\n", in->ver.explanation);
    describe_cert(&ev, in);
    f = emit(out, in, "check.cert-untrusted", TD_SEV_ERROR, "cert_untrusted",
             "the device's CA file does not trust the server's certificate", &ev, in->dev.ca_rules_source);
    if (f != NULL)
        device_ca_fix(f, in);
}

/* An IPv4 dotted quad or anything with a colon (IPv6); the exact parse is
 * net/'s business, this only picks the wording. */
static bool looks_like_ip(const char *s)
{
    if (s == NULL || s[0] == '\0')
        return false;
    if (strchr(s, ':') != NULL)
        return true;
    return strspn(s, "0123456789.") == strlen(s);
}

static void rule_name(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0}, cause = {.n = 0};
    const struct td_dx_cert *c = &in->att.cert;
    const char *name = in->ver.name_checked != NULL ? in->ver.name_checked : in->host;
    bool name_is_ip = looks_like_ip(name);
    struct td_finding *f;

    if (in->ver.step != TD_DX_V_NAME)
        return;
    sb_add(&cause, "name mismatch at level %d: the certificate is for %s, the device checks %s", in->ver.level,
           c->cn != NULL ? c->cn : "(no CN)", name != NULL ? name : "?");
    if (c->cn_is_ip && !name_is_ip)
        sb_add(&cause, " (the CN is an IP address, the device connects by name)");
    else if (!c->cn_is_ip && name_is_ip)
        sb_add(&cause, " (the device connects by IP address, the CN is a name)");
    if (in->ver.explanation != NULL)
        sb_add(&ev, "%s\n", in->ver.explanation);
    describe_cert(&ev, in);
    f = emit(out, in, "check.cert-name-mismatch", TD_SEV_ERROR, "name_mismatch", cause.b, &ev, in->dev.level_source);
    if (f == NULL)
        return;
    if (td_finding_fix(f, "certificate", "reissue the certificate with CN=%s and subjectAltName=%s:%s "
                                         "(level 2 compares the CN with the host name the device is given)",
                       name != NULL ? name : "<name>", name_is_ip ? "IP" : "DNS", name != NULL ? name : "<name>") !=
            TD_ERR_OK ||
        td_finding_fix(f, "device", "give the device the exact name in the certificate (%s) as the host to "
                                    "connect to, or lower its validation level to 1",
                       c->cn != NULL ? c->cn : "its CN") != TD_ERR_OK)
        return;
}

static void rule_dates(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    struct td_finding *f;
    bool expired = in->ver.step == TD_DX_V_EXPIRED;

    if (!expired && in->ver.step != TD_DX_V_NOT_YET_VALID)
        return;
    if (in->ver.explanation != NULL)
        sb_add(&ev, "%s\n", in->ver.explanation);
    describe_cert(&ev, in);
    f = emit(out, in, expired ? "check.cert-expired" : "check.cert-not-yet-valid", TD_SEV_ERROR, "expired",
             expired ? "the server's certificate has expired (level 3 checks dates)"
                     : "the server's certificate is not valid yet (level 3 checks dates)",
             &ev, in->dev.level_source);
    if (f == NULL)
        return;
    if (td_finding_fix(f, "certificate", "%s", expired ? "renew the certificate"
                                                        : "reissue it with a notBefore in the past; also check the "
                                                          "device's clock (a modem without network time may be "
                                                          "years behind)") != TD_ERR_OK)
        return;
}

static void rule_cn_length(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0}, cause = {.n = 0};
    const struct td_dx_cert *c = &in->att.cert;
    struct td_finding *f;

    if (!c->present || c->cn == NULL || in->dev.max_cn_len < 0 || c->cn_len <= (size_t)in->dev.max_cn_len)
        return;
    sb_add(&cause, "the certificate's CN has %zu characters; the device fails on more than %d", c->cn_len,
           in->dev.max_cn_len);
    sb_add(&ev, "CN=%s (%zu characters)", c->cn, c->cn_len);
    f = emit(out, in, "check.cn-too-long", TD_SEV_ERROR, "cn_too_long", cause.b, &ev, in->dev.max_cn_source);
    if (f == NULL)
        return;
    if (td_finding_fix(f, "certificate", "reissue the server certificate with a CN of at most %d characters "
                                         "(keep the long name in subjectAltName)",
                       in->dev.max_cn_len) != TD_ERR_OK)
        return;
}

static void rule_chain_size(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0}, cause = {.n = 0};
    const struct td_dx_cert *c = &in->att.cert;
    struct td_finding *f;

    if (!c->present || in->dev.max_chain_bytes < 0 || (long)c->chain_bytes <= in->dev.max_chain_bytes)
        return;
    sb_add(&cause, "the server's chain is %zu bytes; the device accepts at most %ld", c->chain_bytes,
           in->dev.max_chain_bytes);
    sb_add(&ev, "%zu certificate%s, %zu bytes of DER", c->ncerts, c->ncerts == 1 ? "" : "s", c->chain_bytes);
    f = emit(out, in, "check.chain-too-large", TD_SEV_ERROR, "chain_too_large", cause.b, &ev, in->dev.max_chain_source);
    if (f == NULL)
        return;
    if (td_finding_fix(f, "server", "send a shorter chain: leave the root out of the chain file, use a CA with one "
                                    "intermediate, or an ECDSA certificate (much smaller than RSA)") != TD_ERR_OK)
        return;
}

static void rule_dh(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0}, cause = {.n = 0};
    int bits = in->att.dh_bits;
    bool big = in->dev.dh_max_bits > 0 && bits > in->dev.dh_max_bits;
    bool small = in->dev.dh_min_bits > 0 && bits < in->dev.dh_min_bits;
    struct td_finding *f;

    if (bits <= 0 || (!big && !small))
        return;
    sb_add(&cause, "the server's DHE group has %d bits; the device accepts %s %d", bits, big ? "at most" : "at least",
           big ? in->dev.dh_max_bits : in->dev.dh_min_bits);
    sb_add(&ev, "ServerKeyExchange: DH prime of %d bits", bits);
    f = emit(out, in, big ? "check.dh-too-large" : "check.dh-too-small", TD_SEV_ERROR, "key_unsupported", cause.b,
             &ev, in->dev.dh_source);
    if (f == NULL)
        return;
    int want = big ? in->dev.dh_max_bits : in->dev.dh_min_bits;
    if (td_finding_fix(f, "apache", "openssl dhparam -out dh%d.pem %d, then SSLOpenSSLConfCmd DHParameters dh%d.pem",
                       want, want, want) != TD_ERR_OK ||
        td_finding_fix(f, "nginx", "openssl dhparam -out dh%d.pem %d, then ssl_dhparam dh%d.pem;", want, want, want) !=
            TD_ERR_OK ||
        td_finding_fix(f, "haproxy", "tune.ssl.default-dh-param %d", want) != TD_ERR_OK)
        return;
}

static void rule_client_cert(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    char abuf[TD_REG_NAMEBUF];
    struct td_finding *f;

    if (!in->att.cert_request || in->dev.has_client_cert)
        return;
    if (!failed(in)) {
        sb_add(&ev, "CertificateRequest received; the device sent an empty Certificate and the server went on");
        emit(out, in, "check.client-cert-optional", TD_SEV_INFO, NULL,
             "the server asks for a client certificate but does not require one", &ev, NULL);
        return;
    }
    sb_add(&ev, "CertificateRequest received; the device has no client certificate configured");
    if (in->att.alert >= 0)
        sb_add(&ev, "\nthe server then sent alert %s", alert_name(in->att.alert, abuf));
    f = emit(out, in, "check.client-cert-required", TD_SEV_ERROR, "client_cert_required",
             "the server requires a client certificate that the device does not present", &ev, NULL);
    if (f == NULL)
        return;
    if (td_finding_fix(f, "device", "configure a client certificate and key on the device (rerun with "
                                    "--client-cert FILE --client-key FILE to test them)") != TD_ERR_OK ||
        td_finding_fix(f, "apache", "SSLVerifyClient optional   (if the device need not authenticate)") != TD_ERR_OK ||
        td_finding_fix(f, "nginx", "ssl_verify_client optional;   (if the device need not authenticate)") != TD_ERR_OK)
        return;
}

static void rule_mfl(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    struct td_finding *f;
    enum td_severity sev;

    if (in->dev.mfl_code == 0 || in->dev.needs_mfl == TD_DX_NO || !in->att.server_hello || in->att.mfl_echoed)
        return;
    sb_add(&ev, "the device asks for max_fragment_length %u bytes; the ServerHello does not echo it",
           256u << in->dev.mfl_code);
    if (in->att.max_record_in > 0)
        sb_add(&ev, "\nthe server sent records of up to %zu bytes", in->att.max_record_in);
    if (in->dev.needs_mfl == TD_DX_UNKNOWN) {
        sev = TD_SEV_WARN;
        sb_add(&ev, "\nwhether the device fails without it is unknown (its profile does not say)");
    } else {
        sev = TD_SEV_ERROR;
    }
    f = emit(out, in, "check.mfl-not-honoured", sev, "mfl_not_honoured",
             "the server ignores the device's max_fragment_length", &ev, in->dev.mfl_source);
    if (f == NULL)
        return;
    if (td_finding_fix(f, "server", "use a TLS library that honours RFC 6066 max_fragment_length (OpenSSL >= 1.1.1 "
                                    "does), or keep responses small; on the device, raise the receive buffer to "
                                    "16 KiB if it can") != TD_ERR_OK)
        return;
}

static void rule_validation(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    struct td_finding *f;
    const char *what;

    if (failed(in) || in->ver.step != TD_DX_V_NONE)
        return;
    if (in->dev.level == 0) {
        sb_add(&ev, "validation level 0%s%s: the device accepts any certificate", in->dev.level_note != NULL ? ": " : "",
               in->dev.level_note != NULL ? in->dev.level_note : "");
        if (in->att.cert.present) {
            sb_add(&ev, "\n");
            describe_cert(&ev, in);
        }
        f = emit(out, in, "check.no-validation", TD_SEV_WARN, NULL,
                 "the device does not authenticate the server: confidential but not authenticated", &ev,
                 in->dev.level_source);
        if (f != NULL)
            device_ca_fix(f, in);
        return;
    }
    if (in->dev.level < 0) {
        sb_add(&ev, "the device's validation level is unknown (its profile does not say); the certificate was not "
                    "judged");
        if (in->att.cert.present) {
            sb_add(&ev, "\n");
            describe_cert(&ev, in);
        }
        f = emit(out, in, "check.level-unknown", TD_SEV_WARN, NULL,
                 "whether the device accepts this certificate depends on its validation level, which is unknown",
                 &ev, in->dev.level_source);
        if (f != NULL)
            device_ca_fix(f, in);
        return;
    }
    what = in->dev.level == 1 ? "chain to the CA file" : in->dev.level == 2 ? "chain and name" : "chain, name and dates";
    sb_add(&ev, "validation level %d (%s) passed with CA file %s", in->dev.level, what,
           in->dev.ca_file != NULL ? in->dev.ca_file : "?");
    if (in->dev.level_note != NULL)
        sb_add(&ev, "\n%s", in->dev.level_note);
    emit(out, in, "check.cert-accepted", TD_SEV_INFO, NULL, "the device would accept the server's certificate",
         &ev, in->dev.level_source);
}

/* Facts the profile marks unknown that this server makes relevant. */
static void rule_unknowns(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    const struct td_dx_cert *c = &in->att.cert;

    if (!c->present)
        return;
    if (c->cn != NULL && in->dev.max_cn_len < 0)
        sb_add(&ev, "%sCN length %zu: the device's CN limit is unknown", ev.n ? "\n" : "", c->cn_len);
    if (in->dev.max_chain_bytes < 0)
        sb_add(&ev, "%schain of %zu bytes: the device's chain size limit is unknown", ev.n ? "\n" : "", c->chain_bytes);
    if (c->key_type != NULL && strcmp(c->key_type, "RSA") == 0 && in->dev.rsa_max_bits < 0)
        sb_add(&ev, "%sRSA %d bits: the device's RSA size limits are unknown", ev.n ? "\n" : "", c->key_bits);
    if (in->att.dh_bits > 0 && in->dev.dh_max_bits < 0)
        sb_add(&ev, "%sDHE %d bits: the device's DH size limits are unknown", ev.n ? "\n" : "", in->att.dh_bits);
    if (ev.n == 0)
        return;
    struct td_finding *f = td_findings_add(out, "check.unknown-limits", TD_SEV_INFO,
                                           "some limits of the device are unknown, so these were not judged");
    if (f != NULL && td_finding_evidence(f, "%s", ev.b) != TD_ERR_OK)
        return;
}

static void rule_failed_other(const struct td_dx_input *in, struct td_findings *out);

static void rule_ok(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    char vb[TD_REG_NAMEBUF];

    if (failed(in) || td_findings_worst(out) == TD_SEV_ERROR)
        return;
    sb_add(&ev, "%s, ", vname(in->att.version, vb));
    sb_suite(&ev, in->att.suite);
    if (in->att.ecdh_group != NULL)
        sb_add(&ev, ", key exchange %s", in->att.ecdh_group);
    else if (in->att.dh_bits > 0)
        sb_add(&ev, ", DHE %d bits", in->att.dh_bits);
    emit(out, in, "check.handshake-ok", TD_SEV_INFO, NULL, "the device completes the handshake", &ev, NULL);
}

static const struct td_rule rules[] = {
    {"check.tcp-failed", "tcp_failed", "no TCP connection", rule_tcp},
    {"check.not-emulated", NULL, "OpenSSL cannot offer the device's suites", rule_not_emulated},
    {"check.not-tls", "handshake_failed", "the server's answer is not TLS", rule_not_tls},
    {"check.no-common-version", "no_common_version", "no common protocol version", rule_version},
    {"check.key-unsupported", "key_unsupported", "server key type or size unsupported by the device", rule_key},
    {"check.no-common-suite", "no_common_suite", "no common cipher suite", rule_suite},
    {"check.sni-required", "sni_required", "the server requires SNI", rule_sni_required},
    {"check.sni-default-cert", "cert_untrusted", "another certificate without SNI", rule_sni_default_cert},
    {"check.client-cert-required", "client_cert_required", "client certificate required", rule_client_cert},
    {"check.dh-too-large", "key_unsupported", "DHE group size outside the device's range", rule_dh},
    {"check.mfl-not-honoured", "mfl_not_honoured", "max_fragment_length ignored", rule_mfl},
    {"check.cert-untrusted", "cert_untrusted", "CA file does not trust the certificate", rule_untrusted},
    {"check.cert-name-mismatch", "name_mismatch", "name mismatch at level 2", rule_name},
    {"check.cert-expired", "expired", "expired or not yet valid at level 3", rule_dates},
    {"check.cn-too-long", "cn_too_long", "CN longer than the device accepts", rule_cn_length},
    {"check.chain-too-large", "chain_too_large", "chain larger than the device accepts", rule_chain_size},
    {"check.timeout", "handshake_timeout", "the server went silent", rule_timeout},
    {"check.handshake-failed", "handshake_failed", "failure no other rule explains", rule_failed_other},
    {"check.no-validation", NULL, "validation level in effect and the CA file", rule_validation},
    {"check.unknown-limits", NULL, "limits the profile marks unknown", rule_unknowns},
    {"check.handshake-ok", NULL, "the handshake completes", rule_ok},
};

static void rule_failed_other(const struct td_dx_input *in, struct td_findings *out)
{
    struct sb ev = {.n = 0};
    char abuf[TD_REG_NAMEBUF];
    const char *how;

    if (!failed(in) || td_findings_worst(out) == TD_SEV_ERROR || in->att.end == TD_DX_END_NOT_EMULATED ||
        in->att.end == TD_DX_END_NOT_TLS)
        return;
    switch (in->att.end) {
    case TD_DX_END_ALERT_RECEIVED: how = "the server sent a fatal alert"; break;
    case TD_DX_END_ALERT_SENT: how = "the client side aborted"; break;
    case TD_DX_END_CLOSED: how = "the server closed the connection (FIN)"; break;
    case TD_DX_END_RESET: how = "the server reset the connection (RST)"; break;
    default: how = "the handshake did not complete"; break;
    }
    sb_add(&ev, "%s%s", how, in->att.server_hello ? " after its ServerHello" : " before any ServerHello");
    if (in->att.alert >= 0)
        sb_add(&ev, "\nalert: %s", alert_name(in->att.alert, abuf));
    if (in->att.tls_error != NULL && in->att.tls_error[0] != '\0')
        sb_add(&ev, "\nOpenSSL: %s", in->att.tls_error);
    emit(out, in, "check.handshake-failed", TD_SEV_ERROR, "handshake_failed",
         "the handshake failed, for a reason none of the rules recognises", &ev, NULL);
}

size_t td_diag_rule_count(void)
{
    return TD_ARRAY_LEN(rules);
}

const struct td_rule *td_diag_rule_at(size_t i)
{
    return i < TD_ARRAY_LEN(rules) ? &rules[i] : NULL;
}

td_err td_diag_run(const struct td_dx_input *in, struct td_findings *out, bool *pass)
{
    size_t before = out->n;

    for (size_t i = 0; i < TD_ARRAY_LEN(rules); i++)
        rules[i].fn(in, out);
    *pass = true;
    for (size_t i = before; i < out->n; i++)
        if (out->v[i].severity == TD_SEV_ERROR)
            *pass = false;
    return TD_ERR_OK;
}

void td_dx_input_init(struct td_dx_input *in)
{
    memset(in, 0, sizeof(*in));
    in->dev.sends_sni = TD_DX_UNKNOWN;
    in->dev.level = -1;
    in->dev.max_cn_len = -1;
    in->dev.max_chain_bytes = -1;
    in->dev.rsa_ok = TD_DX_UNKNOWN;
    in->dev.ecdsa_ok = TD_DX_UNKNOWN;
    in->dev.rsa_min_bits = -1;
    in->dev.rsa_max_bits = -1;
    in->dev.dh_min_bits = -1;
    in->dev.dh_max_bits = -1;
    in->dev.needs_mfl = TD_DX_UNKNOWN;
    in->att.alert = -1;
    in->ver.level = -1;
    in->ver.step = TD_DX_V_NOT_DONE;
    in->srv.versions_known = TD_DX_UNKNOWN;
    in->srv.suites_known = TD_DX_UNKNOWN;
    in->srv.ok_without_sni = TD_DX_UNKNOWN;
    in->srv.ok_with_sni = TD_DX_UNKNOWN;
    in->srv.alert_without_sni = -1;
    in->srv.cert_differs = TD_DX_UNKNOWN;
    in->srv.key_bits = 0;
}
