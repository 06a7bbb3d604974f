/* Fuzz target: the device-profile loader (JSON syntax, the key->line index,
 * every schema rule) from arbitrary bytes. A profile that loads is also
 * rendered to JSON and queried, so the whole public surface runs. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profiles/profile.h"
#include "profiles/profile_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_profile *p = NULL;
    struct td_profile_error e;
    char msg[900];

    if (td_profile_load_text((const char *)data, size, "fuzz", &p, &e) != TD_ERR_OK) {
        td_profile_error_format(&e, msg, sizeof(msg));
        if (p != NULL)
            abort(); /* failure must not hand out a profile */
        return 0;
    }
    json_t *j = td_profile_to_json(p);
    char *text = j != NULL ? json_dumps(j, JSON_PRESERVE_ORDER) : NULL;
    struct td_profile *q = NULL;
    if (text != NULL) {
        /* what we print must load back */
        if (td_profile_load_text(text, strlen(text), "fuzz-roundtrip", &q, &e) != TD_ERR_OK)
            abort();
        td_profile_free(q);
    }
    free(text);
    json_decref(j);
    for (int c = 0; c < TD_PFAIL_COUNT; c++) {
        enum td_pfield out[TD_PF_COUNT];
        (void)td_profile_unknown_fields(p, (enum td_pfail)c, out, TD_PF_COUNT);
        (void)td_profile_reports(p, (enum td_pfail)c);
    }
    td_profile_free(p);
    return 0;
}
