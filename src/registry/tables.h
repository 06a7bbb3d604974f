/* Internal: the hand-written registry tables (tables.c). Use the functions
 * of registry.h; registry.c and the unit test include this. */
#ifndef TD_REGISTRY_TABLES_H
#define TD_REGISTRY_TABLES_H

#include <stddef.h>

#include "registry/registry.h"

struct td_reg_table_desc {
    const char *name;                   /* "extension", "supported group" */
    const struct td_reg_entry *entries; /* sorted by code, unique */
    size_t count;
    unsigned width; /* code width on the wire: 1 or 2 bytes */
};

extern const struct td_reg_table_desc td_reg_tables[TD_REG__COUNT];

#endif
