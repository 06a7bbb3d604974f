#include "scan/cands.h"

#include <string.h>

#include "registry/registry.h"
#include "scan/probe_net.h"
#include "tlsio/ossl_names.h"

enum td_kx_class td_scan_kx_class(uint16_t suite)
{
    const struct td_suite *s = td_reg_suite_find(suite);
    if (s == NULL)
        return TD_KXC_OTHER;
    switch (s->kx) {
    case TD_KX_ECDHE:
    case TD_KX_ECDHE_PSK:
        return TD_KXC_ECDHE;
    case TD_KX_DHE:
    case TD_KX_DHE_PSK:
        return TD_KXC_DHE;
    default:
        return TD_KXC_OTHER;
    }
}

static bool is_ec_group(uint16_t g)
{
    const struct td_reg_entry *e = td_reg_find(TD_REG_GROUP, g);
    return e != NULL && (e->flags & TD_REGF_GROUP_EC) != 0;
}

static uint16_t ec_groups[64];
static size_t n_ec_groups;

void td_scan_cands_build(struct td_scan_cand_store *st)
{
    memset(st, 0, sizeof(*st));
    for (int vi = TD_SV_SSL3; vi < TD_SV__COUNT; vi++) {
        uint16_t ver = td_scan_vi_version((enum td_scan_vi)vi);
        size_t n = 0, likely = 0;
        /* two passes: suites OpenSSL knows, then the rest */
        for (int pass = 0; pass < 2; pass++) {
            for (size_t i = 0; i < td_reg_suite_count() && n < TD_SCAN_MAX_CAND; i++) {
                const struct td_suite *s = td_reg_suite_at(i);
                bool known;
                if (s == NULL || (s->flags & TD_SUITE_SCSV) || td_reg_is_grease(s->code) ||
                    !td_reg_suite_valid_in(s, ver))
                    continue;
                known = td_ossl_suite_name(s->code) != NULL;
                if (known != (pass == 0))
                    continue;
                st->suites[vi][n++] = s->code;
                if (pass == 0)
                    likely++;
            }
        }
        st->c.suites[vi] = st->suites[vi];
        st->c.n[vi] = n;
        st->c.n_likely[vi] = likely;
    }
    /* TD_SCAN_MAX_GROUPS-sized, computed once; same for every caller */
    if (n_ec_groups == 0) {
        for (size_t i = 0; i < td_probe_n_groups12 && n_ec_groups < TD_ARRAY_LEN(ec_groups); i++)
            if (is_ec_group(td_probe_groups12[i]))
                ec_groups[n_ec_groups++] = td_probe_groups12[i];
    }
    st->c.ec_groups = ec_groups;
    st->c.n_ec_groups = n_ec_groups;
    st->c.tls13_groups = td_probe_groups13;
    st->c.n_tls13_groups = td_probe_n_groups13;
}
