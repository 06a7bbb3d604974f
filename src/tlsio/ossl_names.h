/* OpenSSL's names for cipher suites, read from the linked libssl at run
 * time, never hand-typed: the map is built once (lazily, thread-safe) from
 * an SSL_CTX with "ALL:COMPLEMENTOFALL:@SECLEVEL=0" plus every TLS 1.3
 * ciphersuite, in the default library context and, when the legacy provider
 * can be loaded, in a private library context with it (SEED, and whatever
 * else the build has there); then SSL_CIPHER_find() is asked for every IANA
 * code, which names suites libssl has compiled in but cannot use here. What
 * libssl does not know has no OpenSSL name: callers fall back to the IANA
 * name (registry/registry.h). */
#ifndef TD_TLSIO_OSSL_NAMES_H
#define TD_TLSIO_OSSL_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* OpenSSL name of the suite ("ECDHE-RSA-AES128-GCM-SHA256",
 * "TLS_AES_128_GCM_SHA256"), or NULL if the linked libssl does not know it.
 * Known is not the same as usable: see td_ossl_suite_usable(). */
const char *td_ossl_suite_name(uint16_t code);

/* True if the linked libssl can actually offer/negotiate the suite (it is
 * in the "ALL:COMPLEMENTOFALL:@SECLEVEL=0" list of the default or legacy
 * library context). Suites that are not need a hand-built ClientHello. */
bool td_ossl_suite_usable(uint16_t code);

/* Code for an OpenSSL suite name, case-insensitive; false if unknown. */
bool td_ossl_suite_code(const char *ossl_name, uint16_t *code);

/* Resolves anything a user may type for a suite to its code:
 *   - an IANA name (case-insensitive, "SSL_" accepted for "TLS_"),
 *   - an OpenSSL name (case-insensitive),
 *   - a hex code: "0xC02F", "C02F" is NOT accepted (ambiguous), "0xC0,0x2F".
 * IANA names win over OpenSSL names (TLS 1.3 names are identical in both).
 * TD_ERR_NOTFOUND when nothing matches, TD_ERR_INPUT for NULL/empty. */
TD_MUST_USE td_err td_ossl_suite_resolve(const char *name, uint16_t *code);

/* How many distinct suites the linked libssl knows (for reports and tests);
 * td_ossl_suite_at(i) gives them in code order (code and OpenSSL name),
 * false past the end. */
size_t td_ossl_suite_count(void);
bool td_ossl_suite_at(size_t i, uint16_t *code, const char **ossl_name);

/* True if the legacy provider could be loaded when the map was built. */
bool td_ossl_legacy_loaded(void);

#endif
