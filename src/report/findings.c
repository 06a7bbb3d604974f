#include "report/findings.h"

#include <string.h>

#include "report/term.h"

static void print_indented(FILE *f, const char *indent, const char *text)
{
    const char *p = text;
    while (*p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
        fprintf(f, "%s%.*s\n", indent, (int)n, p);
        p += n;
        if (*p == '\n')
            p++;
    }
}

void td_report_findings_text(FILE *f, const struct td_findings *l)
{
    struct td_style st = td_style_for(f);

    for (size_t i = 0; i < l->n; i++) {
        const struct td_finding *x = &l->v[i];
        const char *col = x->severity == TD_SEV_ERROR ? st.red : x->severity == TD_SEV_WARN ? st.yellow : st.cyan;
        fprintf(f, "%s%-7s%s %s%s%s  %s\n", col, x->severity == TD_SEV_ERROR  ? "ERROR"
                                                 : x->severity == TD_SEV_WARN ? "WARNING"
                                                                              : "INFO",
                st.reset, st.bold, x->id, st.reset, x->cause);
        if (x->evidence != NULL) {
            fprintf(f, "        evidence:\n");
            print_indented(f, "          ", x->evidence);
        }
        for (size_t k = 0; k < x->nfix; k++) {
            fprintf(f, "        fix (%s):\n", x->fixes[k].label);
            print_indented(f, "          ", x->fixes[k].text);
        }
        if (x->source != NULL)
            fprintf(f, "        source: %s\n", x->source);
    }
}

json_t *td_report_findings_json(const struct td_findings *l)
{
    json_t *arr = json_array();

    if (arr == NULL)
        return NULL;
    for (size_t i = 0; i < l->n; i++) {
        const struct td_finding *x = &l->v[i];
        json_t *o = json_object();
        json_t *fixes = json_array();
        json_object_set_new(o, "id", json_string(x->id));
        json_object_set_new(o, "severity", json_string(td_severity_name(x->severity)));
        json_object_set_new(o, "cause", json_string(x->cause));
        json_object_set_new(o, "evidence", x->evidence != NULL ? json_string(x->evidence) : json_null());
        for (size_t k = 0; k < x->nfix; k++) {
            json_t *fx = json_object();
            json_object_set_new(fx, "for", json_string(x->fixes[k].label));
            json_object_set_new(fx, "text", json_string(x->fixes[k].text));
            json_array_append_new(fixes, fx);
        }
        json_object_set_new(o, "fixes", fixes);
        json_object_set_new(o, "source", x->source != NULL ? json_string(x->source) : json_null());
        json_array_append_new(arr, o);
    }
    return arr;
}
