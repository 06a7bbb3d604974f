/* Name <-> code tables the profile loader validates against: cipher suites
 * (generated from the IANA CSV), supported groups, signature schemes and
 * protocol versions. Const data; lookups are linear (tables are small). */
#ifndef TD_PROFILES_NAMES_H
#define TD_PROFILES_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct td_pname {
    uint16_t code;
    const char *name;
};

extern const struct td_pname td_profile_suite_names[];
extern const size_t td_profile_suite_names_count;

/* NULL if the code is not in the table. */
const char *td_profile_suite_name(uint16_t code);
const char *td_profile_group_name(uint16_t code);
const char *td_profile_sigalg_name(uint16_t code);
/* "TLS1.2" for 0x0303, "DTLS1.2" for 0xFEFD ... */
const char *td_profile_version_name(uint16_t code);

/* Case-sensitive exact name lookups (IANA spelling); 0 on success, -1 if the
 * name is not in the table. */
int td_profile_suite_code(const char *name, uint16_t *code);
int td_profile_group_code(const char *name, uint16_t *code);
int td_profile_sigalg_code(const char *name, uint16_t *code);
int td_profile_version_code(const char *name, uint16_t *code);

#endif
