/* Name <-> code lookups the profile loader validates against: cipher suites,
 * supported groups and signature schemes come from registry/ (IANA tables);
 * protocol versions use the profile schema's spelling ("TLS1.2"). */
#ifndef TD_PROFILES_NAMES_H
#define TD_PROFILES_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct td_pname {
    uint16_t code;
    const char *name;
};

/* NULL if the code is not in the table. */
const char *td_profile_suite_name(uint16_t code);
const char *td_profile_group_name(uint16_t code);
const char *td_profile_sigalg_name(uint16_t code);
/* "TLS1.2" for 0x0303, "DTLS1.2" for 0xFEFD ... */
const char *td_profile_version_name(uint16_t code);

/* Name lookups; 0 on success, -1 if the name is not known. Suites, groups and
 * signature schemes accept what the registry accepts (case-insensitive,
 * aliases); versions only the exact schema spelling. */
int td_profile_suite_code(const char *name, uint16_t *code);
int td_profile_group_code(const char *name, uint16_t *code);
int td_profile_sigalg_code(const char *name, uint16_t *code);
int td_profile_version_code(const char *name, uint16_t *code);

#endif
