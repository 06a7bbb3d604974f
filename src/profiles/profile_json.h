/* A loaded profile as JSON in the profile schema itself (docs/profiles.md),
 * so `tlsdiag devices show NAME --json` output loads back as a profile file.
 * Every fact carries its resolved source; unknown values are "unknown". */
#ifndef TD_PROFILES_PROFILE_JSON_H
#define TD_PROFILES_PROFILE_JSON_H

#include <jansson.h>

#include "profiles/profile.h"

/* New reference, or NULL when out of memory. */
json_t *td_profile_to_json(const struct td_profile *p);
/* The value of one fact as JSON ("unknown" when not known). New reference. */
json_t *td_profile_value_json(const struct td_profile *p, enum td_pfield f);

#endif
