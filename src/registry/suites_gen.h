/* Internal: the generated cipher-suite table (suites_gen.c, written by
 * scripts/gen-registry.py). Use the functions of registry.h instead; this
 * header exists for registry.c and for the staleness test. */
#ifndef TD_REGISTRY_SUITES_GEN_H
#define TD_REGISTRY_SUITES_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "registry/registry.h"

/* Sorted by code, no duplicates (the generator guarantees both and
 * tests/unit/test_registry.c checks them). */
extern const struct td_suite td_reg_suites[];
extern const size_t td_reg_suites_len;
/* FNV-1a 32 of data/iana-tls-cipher-suites.csv as it was when generated. */
extern const uint32_t td_reg_suites_csv_fnv1a;

#endif
