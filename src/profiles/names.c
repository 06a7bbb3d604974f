/* Profile names for codes, on top of registry/ (the one copy of the IANA
 * tables). Protocol versions have the profile schema's own spelling
 * ("TLS1.2"), so they keep a small table here. Names written into a profile
 * as {code, name} must be the registry's canonical name exactly; a bare name
 * string may be any spelling the registry accepts ("P-256", case-insensitive)
 * and is shown in canonical form afterwards. */
#include <string.h>

#include "profiles/names.h"
#include "registry/registry.h"

static const struct td_pname versions[] = {
    {0x0300, "SSL3.0"}, {0x0301, "TLS1.0"},  {0x0302, "TLS1.1"},  {0x0303, "TLS1.2"},
    {0x0304, "TLS1.3"}, {0xFEFF, "DTLS1.0"}, {0xFEFD, "DTLS1.2"}, {0xFEFC, "DTLS1.3"},
};

const char *td_profile_suite_name(uint16_t code)
{
    const struct td_suite *s = td_reg_suite_find(code);
    return s != NULL ? s->name : NULL;
}

const char *td_profile_group_name(uint16_t code)
{
    const struct td_reg_entry *e = td_reg_find(TD_REG_GROUP, code);
    return e != NULL ? e->name : NULL;
}

const char *td_profile_sigalg_name(uint16_t code)
{
    const struct td_reg_entry *e = td_reg_find(TD_REG_SIGSCHEME, code);
    return e != NULL ? e->name : NULL;
}

const char *td_profile_version_name(uint16_t code)
{
    for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
        if (versions[i].code == code)
            return versions[i].name;
    }
    return NULL;
}

int td_profile_suite_code(const char *name, uint16_t *code)
{
    const struct td_suite *s = td_reg_suite_find_name(name);
    if (s == NULL)
        return -1;
    *code = s->code;
    return 0;
}

int td_profile_group_code(const char *name, uint16_t *code)
{
    const struct td_reg_entry *e = td_reg_find_name(TD_REG_GROUP, name);
    if (e == NULL)
        return -1;
    *code = e->code;
    return 0;
}

int td_profile_sigalg_code(const char *name, uint16_t *code)
{
    const struct td_reg_entry *e = td_reg_find_name(TD_REG_SIGSCHEME, name);
    if (e == NULL)
        return -1;
    *code = e->code;
    return 0;
}

int td_profile_version_code(const char *name, uint16_t *code)
{
    for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
        if (strcmp(versions[i].name, name) == 0) {
            *code = versions[i].code;
            return 0;
        }
    }
    return -1;
}
