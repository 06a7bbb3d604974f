/* The check result: init and free. */
#include <string.h>

#include "check/check.h"
#include "core/mem.h"

void td_check_result_init(struct td_check_result *r)
{
    memset(r, 0, sizeof(*r));
    td_findings_init(&r->findings);
    td_transcript_init(&r->transcript);
    td_transcript_init(&r->completion);
    td_dx_input_init(&r->in);
}

void td_check_result_free(struct td_check_result *r)
{
    if (r == NULL)
        return;
    td_findings_free(&r->findings);
    td_transcript_free(&r->transcript);
    td_transcript_free(&r->completion);
    td_profile_free(r->profile);
    for (size_t i = 0; i < r->nnotes; i++)
        td_free(r->notes[i]);
    for (size_t i = 0; i < r->nstrings; i++)
        td_free(r->strings[i]);
    memset(r, 0, sizeof(*r));
}

