/* What a device at certificate-validation level 0..3 accepts.
 *
 * Levels as u-blox defines them for AT+USECPRF op_code 0 (devices.md b.1,
 * SARA-R4 AT manual UBX-17003787 R16 p.237): 0 no validation; 1 the chain
 * must lead to a trusted root from the CA file; 2 also the "URL integrity
 * check (the server certificate common name must match the server
 * hostname)"; 3 also the validity dates. The steps are evaluated in that
 * order and the first failing one is explained.
 *
 * Level 2 reports two verdicts: the standard one (subjectAltName first; for
 * a DNS name the CN only when there is no DNS SAN; an IP only against IP
 * SANs, as OpenSSL's X509_check_host/X509_check_ip do) and what a CN-only
 * checker -- the wording of the u-blox manual -- decides (case-insensitive
 * exact comparison of each CN with the name or IP the device uses).
 *
 * Input is DER only, so callers (check/, listen/) need no OpenSSL. */
#ifndef TD_X509_VERIFY_H
#define TD_X509_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/err.h"

enum td_vstep {
    TD_VSTEP_NONE = 0, /* nothing failed */
    TD_VSTEP_CHAIN = 1,
    TD_VSTEP_NAME = 2,
    TD_VSTEP_DATES = 3,
};
const char *td_vstep_name(enum td_vstep s); /* "none", "chain", "name", "dates" */

enum td_vstatus { TD_VS_SKIPPED = 0, TD_VS_PASS = 1, TD_VS_FAIL = 2 };
const char *td_vstatus_name(enum td_vstatus s); /* "skipped", "pass", "fail" */

/* Which name verdict decides level 2. */
enum td_name_policy {
    TD_NAME_STANDARD = 0, /* SAN first, CN fallback for DNS names (RFC 6125 / OpenSSL) */
    TD_NAME_CN_ONLY = 1,  /* the CN alone (u-blox manual wording) */
};

struct td_der {
    const uint8_t *p;
    size_t len;
};

#define TD_VERIFY_MAX_CHAIN 16

struct td_verify_req {
    const struct td_der *chain; /* the server's chain, leaf first */
    size_t nchain;
    const struct td_der *cas; /* the device's CA file (trust anchors) */
    size_t nca;
    const char *host; /* the name or IP the device connects to; NULL only if level < 2 */
    int level;        /* 0..3 */
    time_t at;        /* the device's clock (level 3) */
    enum td_name_policy policy;
};

struct td_verify_step {
    enum td_vstatus status;
    char detail[512];
};

struct td_verify_result {
    bool pass;
    enum td_vstep failed; /* first failing step */
    char reason[768];     /* one paragraph: why */
    struct td_verify_step chain, name, dates;
    /* chain step */
    int ossl_code; /* X509_V_ERR_* of the chain step, 0 if none */
    size_t ossl_depth;
    size_t path_len;         /* certificates in the verified path (incl. anchor) */
    bool ca_not_self_signed; /* the CA file's anchor is not a self-signed root */
    /* name step (filled whenever host is set, even below level 2) */
    bool host_is_ip;
    int std_match; /* 1 match, 0 no match, -1 not evaluated */
    int cn_only_match;
    char matched[256]; /* the name that matched (standard), or "" */
    /* dates step */
    size_t date_index; /* path position of the failing certificate (0 = leaf) */
    bool expired;      /* else not yet valid */
};

/* Evaluates req. Returns TD_ERR_OK when the evaluation ran (pass or fail is
 * in res); TD_ERR_INPUT with res->reason when the input is unusable (an
 * unparsable DER, no chain, no host at level >= 2, level out of range). */
TD_MUST_USE td_err td_x509_verify(const struct td_verify_req *req, struct td_verify_result *res);

/* The CN-only decision on its own: does any CN equal host (ASCII
 * case-insensitive)? Exposed for tests and for check/. */
bool td_x509_cn_only_match(char *const *cn, size_t ncn, const char *host);

/* Both name verdicts for one DER certificate (the level-2 logic alone):
 * *std and *cn_only get 1 (match) or 0. Returns TD_ERR_BADVALUE if the DER
 * does not parse. */
TD_MUST_USE td_err td_x509_check_name(const uint8_t *der, size_t len, const char *host, int *std, int *cn_only);

#endif
