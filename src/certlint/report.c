#include "certlint/report.h"

#include <string.h>

#include "report/term.h"

static json_t *str_array(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *pubkey_json(const struct td_pubkey_info *k)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(k->type));
    json_object_set_new(o, "bits", k->bits > 0 ? json_integer(k->bits) : json_null());
    json_object_set_new(o, "curve", k->curve[0] != '\0' ? json_string(k->curve) : json_null());
    json_object_set_new(o, "spki_sha256", k->spki_sha256[0] != '\0' ? json_string(k->spki_sha256) : json_null());
    return o;
}

static json_t *time_json(time_t t)
{
    char buf[32];
    td_x509_time_format(t, buf, sizeof(buf));
    return json_string(buf);
}

json_t *td_cert_obj_json(const struct td_x509_file *f, const struct td_x509_obj *ob)
{
    json_t *o = json_object();
    const char *kind = ob->kind == TD_X509_CERT ? "certificate" : ob->kind == TD_X509_KEY ? "private-key" : "other";

    json_object_set_new(o, "index", json_integer((json_int_t)ob->index + 1));
    json_object_set_new(o, "kind", json_string(kind));
    json_object_set_new(o, "label", json_string(ob->label));
    json_object_set_new(o, "offset", json_integer((json_int_t)ob->offset));
    json_object_set_new(o, "end", json_integer((json_int_t)ob->end));
    json_object_set_new(o, "line", f->pem ? json_integer((json_int_t)ob->line) : json_null());
    json_object_set_new(o, "end_line", f->pem ? json_integer((json_int_t)ob->end_line) : json_null());
    json_object_set_new(o, "der_size", json_integer((json_int_t)ob->der_len));
    if (ob->kind == TD_X509_CERT) {
        const struct td_cert_info *c = &ob->cert;
        json_t *ci = json_object(), *san = json_object();
        json_object_set_new(ci, "subject", json_string(c->subject != NULL ? c->subject : ""));
        json_object_set_new(ci, "issuer", json_string(c->issuer != NULL ? c->issuer : ""));
        json_object_set_new(ci, "cn", str_array(c->cn, c->ncn));
        json_object_set_new(san, "dns", str_array(c->dns, c->ndns));
        json_object_set_new(san, "ip", str_array(c->ip, c->nip));
        json_object_set_new(ci, "san", san);
        json_object_set_new(ci, "self_signed", json_boolean(c->self_signed));
        json_object_set_new(ci, "self_issued", json_boolean(c->self_issued));
        json_object_set_new(ci, "ca", json_boolean(c->is_ca));
        json_object_set_new(ci, "basic_constraints",
                            c->bc_present ? json_string(c->bc_ca ? "CA:TRUE" : "CA:FALSE") : json_null());
        json_object_set_new(ci, "path_len", c->pathlen >= 0 ? json_integer(c->pathlen) : json_null());
        json_object_set_new(ci, "key_cert_sign", c->ku_present ? json_boolean(c->ku_cert_sign) : json_null());
        json_object_set_new(ci, "key", pubkey_json(&c->key));
        json_object_set_new(ci, "signature_algorithm", json_string(c->sig_alg));
        json_object_set_new(ci, "signature_hash", c->sig_hash[0] != '\0' ? json_string(c->sig_hash) : json_null());
        json_object_set_new(ci, "not_before", time_json(c->not_before));
        json_object_set_new(ci, "not_after", time_json(c->not_after));
        json_object_set_new(ci, "serial", json_string(c->serial));
        json_object_set_new(ci, "version", json_integer(c->version));
        json_object_set_new(ci, "extensions", str_array(c->exts, c->next));
        json_object_set_new(ci, "sha256", json_string(c->sha256));
        json_object_set_new(o, "certificate", ci);
    } else if (ob->kind == TD_X509_KEY) {
        json_t *ki = json_object();
        json_object_set_new(ki, "format", json_string(td_key_syntax_name(ob->key.syntax)));
        json_object_set_new(ki, "format_title", json_string(td_key_syntax_title(ob->key.syntax)));
        json_object_set_new(ki, "der", json_boolean(ob->key.der));
        json_object_set_new(ki, "encrypted", json_boolean(ob->key.encrypted));
        json_object_set_new(ki, "key", pubkey_json(&ob->key.key));
        json_object_set_new(o, "key", ki);
    }
    return o;
}

json_t *td_cert_file_json(const struct td_x509_file *f)
{
    json_t *o = json_object(), *q = json_array(), *objs = json_array();

    json_object_set_new(o, "path", json_string(f->path));
    json_object_set_new(o, "format", json_string(f->pem ? "pem" : "der"));
    json_object_set_new(o, "size", json_integer((json_int_t)f->size));
    json_object_set_new(o, "certificates", json_integer((json_int_t)f->ncerts));
    json_object_set_new(o, "keys", json_integer((json_int_t)f->nkeys));
    for (unsigned i = 0; f->pem && i < TD_PEM_Q_COUNT; i++) {
        if (f->pem_scan.quirks & (1u << i)) {
            json_t *e = json_object();
            json_object_set_new(e, "quirk", json_string(td_pem_quirk_name(1u << i)));
            json_object_set_new(e, "line", json_integer((json_int_t)f->pem_scan.quirk_line[i]));
            json_array_append_new(q, e);
        }
    }
    json_object_set_new(o, "pem_quirks", q);
    for (size_t i = 0; i < f->nobj; i++)
        json_array_append_new(objs, td_cert_obj_json(f, &f->objs[i]));
    json_object_set_new(o, "objects", objs);
    return o;
}

static void print_list(FILE *out, const char *label, char *const *v, size_t n)
{
    fprintf(out, "    %-20s", label);
    if (n == 0)
        fprintf(out, "none");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? ", " : "", v[i]);
    fprintf(out, "\n");
}

static void key_text(FILE *out, const struct td_pubkey_info *k)
{
    fprintf(out, "%s", k->type);
    if (k->bits > 0)
        fprintf(out, " %d bits", k->bits);
    if (k->curve[0] != '\0')
        fprintf(out, " (%s)", k->curve);
}

void td_cert_file_text(FILE *out, const struct td_x509_file *f)
{
    struct td_style st = td_style_for(out);

    fprintf(out, "%s%s%s: %s, %zu bytes, %zu certificate%s, %zu key%s\n", st.bold, f->path, st.reset,
            f->pem ? "PEM" : "DER", f->size, f->ncerts, f->ncerts == 1 ? "" : "s", f->nkeys, f->nkeys == 1 ? "" : "s");
    for (unsigned i = 0; f->pem && i < TD_PEM_Q_COUNT; i++)
        if (f->pem_scan.quirks & (1u << i))
            fprintf(out, "  layout: %s (first at line %zu)\n", td_pem_quirk_name(1u << i), f->pem_scan.quirk_line[i]);
    for (size_t i = 0; i < f->nobj; i++) {
        const struct td_x509_obj *ob = &f->objs[i];
        char nb[32], na[32];
        if (f->pem)
            fprintf(out, "  [%zu] %s  lines %zu-%zu, bytes %zu-%zu, DER %zu bytes\n", i + 1, ob->label, ob->line,
                    ob->end_line, ob->offset, ob->end, ob->der_len);
        else
            fprintf(out, "  [%zu] DER  bytes %zu-%zu\n", i + 1, ob->offset, ob->end);
        if (ob->kind == TD_X509_CERT) {
            const struct td_cert_info *c = &ob->cert;
            fprintf(out, "    %-20s%s\n", "subject", c->subject);
            fprintf(out, "    %-20s%s\n", "issuer", c->issuer);
            print_list(out, "CN", c->cn, c->ncn);
            print_list(out, "SAN DNS", c->dns, c->ndns);
            print_list(out, "SAN IP", c->ip, c->nip);
            fprintf(out, "    %-20s%s%s\n", "role",
                    c->self_signed ? (c->is_ca ? "self-signed root CA" : "self-signed (not a CA)")
                                   : (c->is_ca ? "intermediate CA" : "end entity"),
                    c->bc_present ? (c->bc_ca ? " (basicConstraints CA:TRUE)" : " (basicConstraints CA:FALSE)") : "");
            fprintf(out, "    %-20s", "key");
            key_text(out, &c->key);
            fprintf(out, "\n    %-20s%s%s%s%s\n", "signature", c->sig_alg, c->sig_hash[0] ? " (" : "", c->sig_hash,
                    c->sig_hash[0] ? ")" : "");
            td_x509_time_format(c->not_before, nb, sizeof(nb));
            td_x509_time_format(c->not_after, na, sizeof(na));
            fprintf(out, "    %-20s%s .. %s\n", "validity", nb, na);
            fprintf(out, "    %-20s%s (v%d)\n", "serial", c->serial, c->version);
            print_list(out, "extensions", c->exts, c->next);
            fprintf(out, "    %-20s%s\n", "SHA-256", c->sha256);
        } else if (ob->kind == TD_X509_KEY) {
            fprintf(out, "    %-20s%s%s%s\n", "format", td_key_syntax_title(ob->key.syntax), ob->key.der ? ", DER" : "",
                    ob->key.encrypted ? ", encrypted" : "");
            fprintf(out, "    %-20s", "key");
            key_text(out, &ob->key.key);
            fprintf(out, "\n");
        } else {
            fprintf(out, "    not a certificate or private key\n");
        }
    }
}

static json_t *step_json(const char *name, const struct td_verify_step *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "step", json_string(name));
    json_object_set_new(o, "status", json_string(td_vstatus_name(s->status)));
    json_object_set_new(o, "detail", json_string(s->detail));
    return o;
}

static json_t *tri(int v)
{
    return v < 0 ? json_null() : json_boolean(v != 0);
}

json_t *td_verify_json(const struct td_verify_req *req, const struct td_verify_result *res)
{
    json_t *o = json_object(), *steps = json_array(), *name = json_object(), *chain = json_object();
    char at[32];

    td_x509_time_format(req->at, at, sizeof(at));
    json_object_set_new(o, "level", json_integer(req->level));
    json_object_set_new(o, "host", req->host != NULL ? json_string(req->host) : json_null());
    json_object_set_new(o, "at", json_string(at));
    json_object_set_new(o, "name_check", json_string(req->policy == TD_NAME_CN_ONLY ? "cn-only" : "standard"));
    json_object_set_new(o, "pass", json_boolean(res->pass));
    json_object_set_new(o, "failed_step", res->pass ? json_null() : json_string(td_vstep_name(res->failed)));
    json_object_set_new(o, "reason", json_string(res->reason));
    json_array_append_new(steps, step_json("chain", &res->chain));
    json_array_append_new(steps, step_json("name", &res->name));
    json_array_append_new(steps, step_json("dates", &res->dates));
    json_object_set_new(o, "steps", steps);
    json_object_set_new(chain, "certificates", json_integer((json_int_t)req->nchain));
    json_object_set_new(chain, "path_length", json_integer((json_int_t)res->path_len));
    json_object_set_new(chain, "openssl_error", res->ossl_code != 0 ? json_integer(res->ossl_code) : json_null());
    json_object_set_new(chain, "ca_not_self_signed", json_boolean(res->ca_not_self_signed));
    json_object_set_new(o, "chain", chain);
    json_object_set_new(name, "host_is_ip", json_boolean(res->host_is_ip));
    json_object_set_new(name, "standard", tri(res->std_match));
    json_object_set_new(name, "cn_only", tri(res->cn_only_match));
    json_object_set_new(name, "matched", res->matched[0] != '\0' ? json_string(res->matched) : json_null());
    json_object_set_new(o, "name", name);
    return o;
}

void td_verify_text(FILE *out, const struct td_verify_req *req, const struct td_verify_result *res)
{
    static const char *const what[] = {"level 0: no validation", "level 1: chain to the CA file",
                                       "level 2: chain + name", "level 3: chain + name + dates"};
    struct td_style st = td_style_for(out);
    const struct {
        const char *name;
        const struct td_verify_step *s;
    } steps[] = {{"chain", &res->chain}, {"name", &res->name}, {"dates", &res->dates}};

    fprintf(out, "%s%s%s (%s): %s%s%s\n", st.bold, what[req->level & 3], st.reset,
            req->host != NULL ? req->host : "no host", res->pass ? st.green : st.red, res->pass ? "PASS" : "FAIL",
            st.reset);
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        const char *col = steps[i].s->status == TD_VS_PASS   ? st.green
                          : steps[i].s->status == TD_VS_FAIL ? st.red
                                                             : st.dim;
        fprintf(out, "  %s%-7s%s %-5s  %s\n", col, td_vstatus_name(steps[i].s->status), st.reset, steps[i].name,
                steps[i].s->detail);
    }
    if (!res->pass)
        fprintf(out, "first failing step: %s\n  %s\n", td_vstep_name(res->failed), res->reason);
}
