/* ServerHello / HelloRetryRequest decode and encode; SSLv2 SERVER-HELLO. */
#include "wire/serverhello.h"

#include <string.h>

#include "wire/record.h"

/* RFC 8446 4.1.3: "For reasons of backward compatibility with middleboxes
 * (see Appendix D.4), the HelloRetryRequest message uses the same structure
 * as the ServerHello, but with Random set to the special value of the
 * SHA-256 of "HelloRetryRequest"" */
const uint8_t td_hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

/* RFC 8446 4.1.3 downgrade protection: the last 8 bytes of a TLS 1.3
 * server's random when it negotiates TLS 1.2 / TLS 1.1 or below. */
static const uint8_t downgrade12[8] = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01};
static const uint8_t downgrade11[8] = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x00};

/* RFC 8446 4.1.3:
 *   struct {
 *       ProtocolVersion legacy_version = 0x0303;
 *       Random random;
 *       opaque legacy_session_id_echo<0..32>;
 *       CipherSuite cipher_suite;
 *       uint8 legacy_compression_method = 0;
 *       Extension extensions<6..2^16-1>;
 *   } ServerHello;
 * RFC 5246 7.4.1.3: the same shape with server_version, session_id,
 * compression_method and optional extensions<0..2^16-1>.
 * RFC 8446 4.2.1: "If the "supported_versions" extension in the
 * ServerHello contains a version not offered by the client or contains a
 * version prior to TLS 1.3, the client MUST abort" -- recorded here as
 * version/tls13; judging it against the offer is the caller's job. */
td_err td_sh_decode(struct td_reader *b, struct td_server_hello *out)
{
    td_err ret;
    struct td_reader v;
    struct td_reader rnd;
    struct td_bytes tail;

    memset(out, 0, sizeof(*out));
    TRY(td_rd_u16(b, &out->legacy_version, "server_version"));
    TRY(td_rd_bytes(b, 32, &out->random, "random"));
    out->hrr = memcmp(out->random.p, td_hrr_random, 32) == 0;
    td_rd_init(&rnd, out->random.p, out->random.len, out->random.off, NULL);
    TRY(td_rd_skip(&rnd, 24, "random"));
    TRY(td_rd_bytes(&rnd, 8, &tail, "random"));
    if (memcmp(tail.p, downgrade12, 8) == 0)
        out->downgrade = 12;
    else if (memcmp(tail.p, downgrade11, 8) == 0)
        out->downgrade = 11;
    TRY(td_rd_vec(b, 1, 0, 32, &v, "session_id"));
    out->session_id = td_rd_rest(&v);
    TRY(td_rd_u16(b, &out->cipher_suite, "cipher_suite"));
    TRY(td_rd_u8(b, &out->compression, "compression_method"));
    out->version = out->legacy_version;
    if (td_rd_empty(b)) {
        td_exts_init(&out->ext);
        if (out->hrr) /* RFC 8446 4.1.4: an HRR carries supported_versions */
            ret = td_rd_fail(b, TD_ERR_TRUNCATED, "HelloRetryRequest extensions");
        goto out;
    }
    out->has_extensions = true;
    TRY(td_exts_parse(b, out->hrr ? TD_MSG_HRR : TD_MSG_SH12, &out->ext));
    TRY(td_rd_end(b, "ServerHello"));
    if (td_exts_has(&out->ext, TD_EXT_SUPPORTED_VERSIONS)) {
        out->version = out->ext.selected_version;
        out->tls13 = out->version == TD_V_TLS13;
    }
    if (!out->hrr)
        td_exts_recheck(&out->ext, out->tls13 ? TD_MSG_SH13 : TD_MSG_SH12);
out:
    return ret;
}

td_err td_sh_encode(struct td_writer *w, const struct td_server_hello *sh)
{
    td_err ret;
    size_t hs, v;

    if (sh->random.len != 32)
        return TD_ERR_USAGE;
    TRY(td_hs_open(w, TD_HS_SERVER_HELLO, &hs));
    TRY(td_wr_u16(w, sh->legacy_version));
    TRY(td_wr_bytes(w, sh->random.p, 32));
    TRY(td_wr_open(w, 1, &v));
    TRY(td_wr_bytes(w, sh->session_id.p, sh->session_id.len));
    TRY(td_wr_close(w, v, 1));
    TRY(td_wr_u16(w, sh->cipher_suite));
    TRY(td_wr_u8(w, sh->compression));
    if (sh->has_extensions) {
        TRY(td_wr_open(w, 2, &v));
        for (size_t i = 0; i < sh->ext.count; i++)
            TRY(td_ext_put_raw(w, sh->ext.list[i].type, sh->ext.list[i].data.p, sh->ext.list[i].data.len));
        TRY(td_wr_close(w, v, 2));
    }
    ret = td_hs_close(w, hs);
out:
    return ret;
}

static bool client_versions_have(const struct td_client_hello *ch, uint16_t v)
{
    if (td_exts_has(&ch->ext, TD_EXT_SUPPORTED_VERSIONS))
        return td_list_has(ch->ext.versions, 2, v);
    /* RFC 5246 E.1: without the extension the client accepts anything up
     * to client_version (its floor is not on the wire) */
    return v <= ch->legacy_version;
}

static bool client_shared(const struct td_client_hello *ch, uint16_t group)
{
    struct td_key_share ks;
    for (size_t i = 0; td_exts_key_share_at(&ch->ext, i, &ks); i++)
        if (ks.group == group)
            return true;
    return false;
}

void td_sh_check(const struct td_client_hello *ch, const struct td_server_hello *sh, struct td_sh_check *out)
{
    memset(out, 0, sizeof(*out));
    out->suite_is_scsv =
        sh->cipher_suite == TD_SUITE_EMPTY_RENEGOTIATION_INFO_SCSV || sh->cipher_suite == TD_SUITE_FALLBACK_SCSV;
    out->suite_not_offered = !td_ch_offers_suite(ch, sh->cipher_suite);
    out->version_not_offered = !client_versions_have(ch, sh->version);
    out->compression_not_offered = !td_list_has(ch->compression_methods, 1, sh->compression);
    if (sh->tls13 || sh->hrr)
        out->session_id_not_echoed =
            sh->session_id.len != ch->session_id.len ||
            (sh->session_id.len > 0 && memcmp(sh->session_id.p, ch->session_id.p, sh->session_id.len) != 0);
    for (size_t i = 0; i < sh->ext.count; i++) {
        uint16_t t = sh->ext.list[i].type;
        /* RFC 5746 3.6: the SCSV solicits renegotiation_info like the extension */
        bool asked = td_exts_has(&ch->ext, t) ||
                     (t == TD_EXT_RENEGOTIATION_INFO && td_ch_offers_suite(ch, TD_SUITE_EMPTY_RENEGOTIATION_INFO_SCSV));
        /* RFC 8446 4.1.4: an HRR may carry a cookie the client never sent */
        if (!asked && !(sh->hrr && t == TD_EXT_COOKIE)) {
            if (out->unsolicited == 0)
                out->first_unsolicited = t;
            out->unsolicited++;
        }
    }
    if (sh->hrr && td_exts_has(&sh->ext, TD_EXT_KEY_SHARE)) {
        out->hrr_group_not_offered = !td_list_has(ch->ext.groups, 2, sh->ext.ks_group);
        out->hrr_group_already_shared = client_shared(ch, sh->ext.ks_group);
    } else if (sh->tls13 && td_exts_has(&sh->ext, TD_EXT_KEY_SHARE)) {
        out->key_share_not_offered = !client_shared(ch, sh->ext.ks_group);
    }
}

bool td_sh_check_failed(const struct td_sh_check *c)
{
    return c->suite_not_offered || c->suite_is_scsv || c->version_not_offered || c->compression_not_offered ||
           c->session_id_not_echoed || c->unsolicited > 0 || c->hrr_group_not_offered || c->hrr_group_already_shared ||
           c->key_share_not_offered;
}

/* SSL 2.0 (draft-hickman-netscape-ssl-00, "SERVER-HELLO (Phase 1; Sent in
 * the clear)"), after the 2-byte record header; see serverhello.h. */
td_err td_sh_decode_sslv2(struct td_reader *b, struct td_sslv2_server_hello *out)
{
    td_err ret;
    uint8_t type = 0;
    uint16_t cert = 0, specs = 0, cid = 0;

    memset(out, 0, sizeof(*out));
    TRY(td_rd_u8(b, &type, "SSLv2 msg_type"));
    if (type != 4) {
        ret = td_diag_setf(b->diag, TD_ERR_UNEXPECTED, td_rd_offset(b) - 1, "SSLv2 msg_type",
                           "type %u is not SERVER-HELLO (4)", type);
        goto out;
    }
    TRY(td_rd_u8(b, &out->session_id_hit, "session_id_hit"));
    TRY(td_rd_u8(b, &out->certificate_type, "certificate_type"));
    TRY(td_rd_u16(b, &out->version, "server_version"));
    TRY(td_rd_u16(b, &cert, "certificate_length"));
    TRY(td_rd_u16(b, &specs, "cipher_specs_length"));
    TRY(td_rd_u16(b, &cid, "connection_id_length"));
    if (specs % 3 != 0) {
        ret = td_diag_setf(b->diag, TD_ERR_LENGTH, td_rd_offset(b) - 4, "cipher_specs_length",
                           "%u is not a multiple of 3", specs);
        goto out;
    }
    TRY(td_rd_bytes(b, cert, &out->certificate, "certificate"));
    TRY(td_rd_bytes(b, specs, &out->cipher_specs, "cipher_specs"));
    TRY(td_rd_bytes(b, cid, &out->connection_id, "connection_id"));
    TRY(td_rd_end(b, "SSLv2 SERVER-HELLO"));
out:
    return ret;
}
