/* Scan candidates from the registry: for each version every IANA suite
 * that may be negotiated in it (SCSVs excluded), the ones the linked
 * OpenSSL knows first (real servers mostly run on such libraries, so those
 * form the first partition); ECDHE curves and TLS 1.3 groups. Built once;
 * read-only afterwards, shared by every target's scan. */
#ifndef TD_SCAN_CANDS_H
#define TD_SCAN_CANDS_H

#include "scan/engine.h"

struct td_scan_cand_store {
    uint16_t suites[TD_SV__COUNT][TD_SCAN_MAX_CAND];
    struct td_scan_cands c;
};

void td_scan_cands_build(struct td_scan_cand_store *st);

/* ECDHE / DHE / other, from the registry (for the group stage). */
enum td_kx_class td_scan_kx_class(uint16_t suite);

#endif
