/* Extensions: the handler table, the typed parsers and the encoders. */
#include "wire/ext.h"

#include <string.h>

typedef td_err (*ext_parse_fn)(struct td_reader *body, enum td_ext_msg msg, struct td_exts *e);

#define M(x) (1u << (x))
#define SERVER_ANY (M(TD_MSG_SH12) | M(TD_MSG_SH13) | M(TD_MSG_HRR) | M(TD_MSG_EE))

static bool is_server_reply(enum td_ext_msg msg)
{
    return (M(msg) & SERVER_ANY) != 0;
}

/* RFC 6066 3:
 *   struct { NameType name_type; select (name_type) { case host_name: HostName; } name; } ServerName;
 *   enum { host_name(0), (255) } NameType;
 *   opaque HostName<1..2^16-1>;
 *   struct { ServerName server_name_list<1..2^16-1> } ServerNameList;
 * "A server that receives a client hello containing the "server_name"
 * extension ... the "extension_data" field of this extension SHALL be empty"
 * in its reply. */
static td_err parse_sni(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    td_err ret = TD_ERR_OK;
    struct td_reader list, name;
    uint8_t type = 0;

    if (is_server_reply(msg))
        return TD_ERR_OK; /* empty: the caller checks the body was consumed */
    TRY(td_rd_vec(b, 2, 1, 0xffff, &list, "server_name_list"));
    while (!td_rd_empty(&list)) {
        TRY(td_rd_u8(&list, &type, "server_name type"));
        /* RFC 6066 3: HostName<1..2^16-1>; other NameTypes have the same
         * shape in practice, and the RFC says "The ServerNameList MUST NOT
         * contain more than one name of the same name_type". */
        TRY(td_rd_vec(&list, 2, 1, 0xffff, &name, "server_name"));
        if (type == 0) {
            if (e->sni_host.p != NULL) {
                ret = td_rd_fail(&name, TD_ERR_DUPLICATE, "server_name host_name");
                goto out;
            }
            e->sni_host = td_rd_rest(&name);
        }
        e->sni_names++;
    }
out:
    return ret;
}

/* RFC 6066 4: enum { 2^9(1), 2^10(2), 2^11(3), 2^12(4), (255) } MaxFragmentLength;
 * "If a server receives a maximum fragment length negotiation request for
 * a value other than the allowed values, it MUST abort" */
static td_err parse_mfl(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    td_err ret;
    (void)msg;
    TRY(td_rd_u8(b, &e->max_fragment_length, "max_fragment_length"));
    if (e->max_fragment_length < 1 || e->max_fragment_length > 4)
        ret = td_diag_setf(b->diag, TD_ERR_BADVALUE, td_rd_offset(b) - 1, "max_fragment_length", "value %u not in 1..4",
                           e->max_fragment_length);
out:
    return ret;
}

/* RFC 6066 8:
 *   struct { CertificateStatusType status_type; select (status_type) {
 *       case ocsp: OCSPStatusRequest; } request; } CertificateStatusRequest;
 *   struct { ResponderID responder_id_list<0..2^16-1>; Extensions request_extensions; } OCSPStatusRequest;
 *   opaque ResponderID<1..2^16-1>;  opaque Extensions<0..2^16-1>;
 * Server reply in ServerHello (<= 1.2) is empty. RFC 8446 4.4.2.1: in a
 * TLS 1.3 CertificateEntry it is a CertificateStatus
 *   struct { CertificateStatusType status_type; opaque OCSPResponse<1..2^24-1>; } */
static td_err parse_status_request(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    td_err ret = TD_ERR_OK;
    struct td_reader ids, id, exts, resp;

    if (is_server_reply(msg))
        return TD_ERR_OK;
    TRY(td_rd_u8(b, &e->status_type, "status_type"));
    if (msg == TD_MSG_CT13) {
        TRY(td_rd_vec(b, 3, 1, 0xffffff, &resp, "OCSPResponse"));
        goto out;
    }
    if (e->status_type != 1) {
        (void)td_rd_rest(b); /* unknown type: opaque, keep raw */
        goto out;
    }
    TRY(td_rd_vec(b, 2, 0, 0xffff, &ids, "responder_id_list"));
    while (!td_rd_empty(&ids))
        TRY(td_rd_vec(&ids, 2, 1, 0xffff, &id, "ResponderID"));
    TRY(td_rd_vec(b, 2, 0, 0xffff, &exts, "request_extensions"));
out:
    return ret;
}

/* A vector of fixed-width entries: the length must be a multiple. */
static td_err parse_list(struct td_reader *b, unsigned prefix, size_t min, size_t max, unsigned width,
                         struct td_bytes *out, const char *what)
{
    td_err ret;
    struct td_reader v;
    TRY(td_rd_vec(b, prefix, min, max, &v, what));
    if (td_rd_left(&v) % width != 0) {
        ret = td_diag_setf(b->diag, TD_ERR_LENGTH, v.base - prefix, what, "length %zu is not a multiple of %u",
                           td_rd_left(&v), width);
        goto out;
    }
    *out = td_rd_rest(&v);
out:
    return ret;
}

/* RFC 8446 4.2.7: struct { NamedGroup named_group_list<2..2^16-1>; } NamedGroupList; */
static td_err parse_groups(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    (void)msg;
    return parse_list(b, 2, 2, 0xffff, 2, &e->groups, "named_group_list");
}

/* RFC 8422 5.1.2: struct { ECPointFormat ec_point_format_list<1..2^8-1> } ECPointFormatList; */
static td_err parse_point_formats(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    (void)msg;
    return parse_list(b, 1, 1, 0xff, 1, &e->point_formats, "ec_point_format_list");
}

/* RFC 8446 4.2.3: struct { SignatureScheme supported_signature_algorithms<2..2^16-2>; } */
static td_err parse_sigalgs(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    (void)msg;
    return parse_list(b, 2, 2, 0xfffe, 2, &e->sigalgs, "supported_signature_algorithms");
}

/* RFC 7301 3.1:
 *   opaque ProtocolName<1..2^8-1>;
 *   struct { ProtocolName protocol_name_list<2..2^16-1> } ProtocolNameList;
 * "The "extension_data" field of the [server's] extension ... MUST contain
 * exactly one "ProtocolName"." */
static td_err parse_alpn(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    td_err ret;
    struct td_reader list, name;
    TRY(td_rd_vec(b, 2, 2, 0xffff, &list, "protocol_name_list"));
    e->alpn.p = list.buf;
    e->alpn.len = list.len;
    e->alpn.off = list.base;
    while (!td_rd_empty(&list)) {
        TRY(td_rd_vec(&list, 1, 1, 0xff, &name, "ProtocolName"));
        if (e->alpn_count == 0)
            e->alpn_first = td_rd_rest(&name);
        e->alpn_count++;
    }
    if (is_server_reply(msg) && e->alpn_count != 1)
        ret = td_diag_setf(b->diag, TD_ERR_BADVALUE, e->alpn.off, "protocol_name_list",
                           "server selected %zu protocols, must be exactly one", e->alpn_count);
out:
    return ret;
}

/* RFC 7627 5.1, RFC 7366 2, RFC 8446 (early_data etc.): empty extension_data */
static td_err parse_empty(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    (void)b;
    (void)msg;
    (void)e;
    return TD_ERR_OK; /* leftover bytes are TRAILING in the caller */
}

/* RFC 5746 3.2: struct { opaque renegotiated_connection<0..255>; } RenegotiationInfo; */
static td_err parse_reneg(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    td_err ret;
    struct td_reader v;
    (void)msg;
    TRY(td_rd_vec(b, 1, 0, 255, &v, "renegotiated_connection"));
    e->reneg_info = td_rd_rest(&v);
out:
    return ret;
}

/* RFC 5077 3.2: the ticket is the whole extension_data (opaque, may be
 * empty); the server's reply is empty. */
static td_err parse_ticket(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    (void)msg;
    e->ticket = td_rd_rest(b);
    return TD_ERR_OK;
}

/* RFC 8446 4.2.1:
 *   struct { select (Handshake.msg_type) {
 *       case client_hello: ProtocolVersion versions<2..254>;
 *       case server_hello: (and HelloRetryRequest) ProtocolVersion selected_version; }; } SupportedVersions; */
static td_err parse_versions(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    if (msg == TD_MSG_CH)
        return parse_list(b, 1, 2, 254, 2, &e->versions, "supported_versions");
    return td_rd_u16(b, &e->selected_version, "selected_version");
}

/* RFC 8446 4.2.8:
 *   struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry;
 *   ClientHello:        KeyShareEntry client_shares<0..2^16-1>;
 *   HelloRetryRequest:  NamedGroup selected_group;
 *   ServerHello:        KeyShareEntry server_share;
 * "Clients MUST NOT offer multiple KeyShareEntry values for the same group." */
static td_err parse_key_share(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    td_err ret = TD_ERR_OK;
    struct td_reader list, key;
    uint16_t group = 0;

    if (msg == TD_MSG_HRR)
        return td_rd_u16(b, &e->ks_group, "selected_group");
    if (msg != TD_MSG_CH) {
        TRY(td_rd_u16(b, &e->ks_group, "key_share group"));
        TRY(td_rd_vec(b, 2, 1, 0xffff, &key, "key_exchange"));
        e->ks_key = td_rd_rest(&key);
        goto out;
    }
    TRY(td_rd_vec(b, 2, 0, 0xffff, &list, "client_shares"));
    e->key_shares.p = list.buf;
    e->key_shares.len = list.len;
    e->key_shares.off = list.base;
    while (!td_rd_empty(&list)) {
        struct td_key_share prev;
        TRY(td_rd_u16(&list, &group, "key_share group"));
        for (size_t i = 0; i < e->key_share_count; i++) {
            if (td_exts_key_share_at(e, i, &prev) && prev.group == group) {
                ret = td_diag_setf(b->diag, TD_ERR_DUPLICATE, td_rd_offset(&list) - 2, "key_share group",
                                   "group 0x%04x offered twice", group);
                goto out;
            }
        }
        TRY(td_rd_vec(&list, 2, 1, 0xffff, &key, "key_exchange"));
        e->key_share_count++;
    }
out:
    return ret;
}

/* RFC 7685 3: struct { opaque padding; } -- "The client MUST fill the
 * padding extension completely with zero bytes" */
static td_err parse_padding(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    struct td_bytes all = td_rd_rest(b);
    (void)msg;
    e->padding_len = all.len;
    for (size_t i = 0; i < all.len; i++)
        if (td_list_at(all, 1, i) != 0)
            e->padding_nonzero = true;
    return TD_ERR_OK;
}

/* RFC 8449 4: uint16 RecordSizeLimit; "Endpoints MUST NOT send a value
 * smaller than 64. An endpoint MUST treat receipt of a smaller value as a
 * fatal error" */
static td_err parse_rsl(struct td_reader *b, enum td_ext_msg msg, struct td_exts *e)
{
    td_err ret;
    (void)msg;
    TRY(td_rd_u16(b, &e->record_size_limit, "record_size_limit"));
    if (e->record_size_limit < 64)
        ret = td_diag_setf(b->diag, TD_ERR_BADVALUE, td_rd_offset(b) - 2, "record_size_limit",
                           "%u is below the minimum of 64", e->record_size_limit);
out:
    return ret;
}

struct ext_handler {
    uint16_t type;
    const char *name;
    unsigned allowed;   /* bits M(td_ext_msg) */
    ext_parse_fn parse; /* NULL: known for the allowed check, kept raw */
};

/* Where each extension may appear: RFC 8446 4.2 (CH, SH = SH13, HRR, EE,
 * CT, CR) plus the TLS <= 1.2 ServerHello (SH12) from each extension's own
 * RFC. */
static const struct ext_handler handlers[] = {
    {TD_EXT_SERVER_NAME, "server_name", M(TD_MSG_CH) | M(TD_MSG_SH12) | M(TD_MSG_EE), parse_sni},
    {TD_EXT_MAX_FRAGMENT_LENGTH, "max_fragment_length", M(TD_MSG_CH) | M(TD_MSG_SH12) | M(TD_MSG_EE), parse_mfl},
    {TD_EXT_STATUS_REQUEST, "status_request", M(TD_MSG_CH) | M(TD_MSG_SH12) | M(TD_MSG_CR13) | M(TD_MSG_CT13),
     parse_status_request},
    {TD_EXT_SUPPORTED_GROUPS, "supported_groups", M(TD_MSG_CH) | M(TD_MSG_EE), parse_groups},
    {TD_EXT_EC_POINT_FORMATS, "ec_point_formats", M(TD_MSG_CH) | M(TD_MSG_SH12), parse_point_formats},
    {TD_EXT_SIGNATURE_ALGORITHMS, "signature_algorithms", M(TD_MSG_CH) | M(TD_MSG_CR13), parse_sigalgs},
    {TD_EXT_ALPN, "application_layer_protocol_negotiation", M(TD_MSG_CH) | M(TD_MSG_SH12) | M(TD_MSG_EE), parse_alpn},
    {TD_EXT_PADDING, "padding", M(TD_MSG_CH), parse_padding},
    {TD_EXT_ENCRYPT_THEN_MAC, "encrypt_then_mac", M(TD_MSG_CH) | M(TD_MSG_SH12), parse_empty},
    {TD_EXT_EXTENDED_MASTER_SECRET, "extended_master_secret", M(TD_MSG_CH) | M(TD_MSG_SH12), parse_empty},
    {TD_EXT_RECORD_SIZE_LIMIT, "record_size_limit", M(TD_MSG_CH) | M(TD_MSG_SH12) | M(TD_MSG_EE), parse_rsl},
    {TD_EXT_SESSION_TICKET, "session_ticket", M(TD_MSG_CH) | M(TD_MSG_SH12), parse_ticket},
    {TD_EXT_PRE_SHARED_KEY, "pre_shared_key", M(TD_MSG_CH) | M(TD_MSG_SH13), NULL},
    {TD_EXT_EARLY_DATA, "early_data", M(TD_MSG_CH) | M(TD_MSG_EE), NULL},
    {TD_EXT_SUPPORTED_VERSIONS, "supported_versions", M(TD_MSG_CH) | M(TD_MSG_SH13) | M(TD_MSG_HRR), parse_versions},
    {TD_EXT_COOKIE, "cookie", M(TD_MSG_CH) | M(TD_MSG_HRR), NULL},
    {TD_EXT_PSK_KEY_EXCHANGE_MODES, "psk_key_exchange_modes", M(TD_MSG_CH), NULL},
    {TD_EXT_CERTIFICATE_AUTHORITIES, "certificate_authorities", M(TD_MSG_CH) | M(TD_MSG_CR13), NULL},
    {TD_EXT_SIGNATURE_ALGORITHMS_CERT, "signature_algorithms_cert", M(TD_MSG_CH) | M(TD_MSG_CR13), NULL},
    {TD_EXT_KEY_SHARE, "key_share", M(TD_MSG_CH) | M(TD_MSG_SH13) | M(TD_MSG_HRR), parse_key_share},
    {TD_EXT_RENEGOTIATION_INFO, "renegotiation_info", M(TD_MSG_CH) | M(TD_MSG_SH12), parse_reneg},
};

static const struct ext_handler *handler_for(uint16_t type)
{
    for (size_t i = 0; i < TD_ARRAY_LEN(handlers); i++)
        if (handlers[i].type == type)
            return &handlers[i];
    return NULL;
}

bool td_ext_known(uint16_t type)
{
    const struct ext_handler *h = handler_for(type);
    return h != NULL && h->parse != NULL;
}

bool td_ext_allowed(uint16_t type, enum td_ext_msg msg)
{
    const struct ext_handler *h = handler_for(type);
    return h == NULL || (h->allowed & M(msg)) != 0;
}

void td_exts_init(struct td_exts *e)
{
    memset(e, 0, sizeof(*e));
}

void td_exts_recheck(struct td_exts *e, enum td_ext_msg msg)
{
    e->not_allowed = 0;
    e->first_not_allowed = 0;
    for (size_t i = 0; i < e->count; i++) {
        if (!td_ext_allowed(e->list[i].type, msg)) {
            if (e->not_allowed == 0)
                e->first_not_allowed = e->list[i].type;
            e->not_allowed++;
        }
    }
}

/* RFC 8446 4.2 / RFC 5246 7.4.1.4:
 *   struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
 *   Extension extensions<0..2^16-1>; */
td_err td_exts_parse(struct td_reader *r, enum td_ext_msg msg, struct td_exts *e)
{
    td_err ret;
    struct td_reader block, body;
    uint16_t type = 0;

    td_exts_init(e);
    TRY(td_rd_vec(r, 2, 0, 0xffff, &block, "extensions length"));
    e->block.p = block.buf;
    e->block.len = block.len;
    e->block.off = block.base;
    while (!td_rd_empty(&block)) {
        const struct ext_handler *h;
        size_t at = td_rd_offset(&block);

        TRY(td_rd_u16(&block, &type, "extension type"));
        for (size_t i = 0; i < e->count; i++) {
            if (e->list[i].type == type) {
                ret = td_diag_setf(r->diag, TD_ERR_DUPLICATE, at, "extension type",
                                   "extension %u appears twice (RFC 8446 4.2)", type);
                goto out;
            }
        }
        if (e->count == TD_EXT_MAX) {
            ret = td_diag_setf(r->diag, TD_ERR_TOOBIG, at, "extension type", "more than %u extensions",
                               (unsigned)TD_EXT_MAX);
            goto out;
        }
        TRY(td_rd_vec(&block, 2, 0, 0xffff, &body, "extension length"));
        e->list[e->count].type = type;
        e->list[e->count].data.p = body.buf;
        e->list[e->count].data.len = body.len;
        e->list[e->count].data.off = body.base;
        e->count++;
        h = handler_for(type);
        if (h == NULL || h->parse == NULL)
            continue;
        TRY(h->parse(&body, msg, e));
        TRY(td_rd_end(&body, h->name));
    }
    td_exts_recheck(e, msg);
out:
    return ret;
}

bool td_exts_has(const struct td_exts *e, uint16_t type)
{
    return td_exts_find(e, type) != NULL;
}

const struct td_ext_raw *td_exts_find(const struct td_exts *e, uint16_t type)
{
    for (size_t i = 0; i < e->count; i++)
        if (e->list[i].type == type)
            return &e->list[i];
    return NULL;
}

bool td_exts_key_share_at(const struct td_exts *e, size_t i, struct td_key_share *out)
{
    struct td_reader r, key;
    td_rd_init(&r, e->key_shares.p, e->key_shares.len, e->key_shares.off, NULL);
    for (size_t k = 0; !td_rd_empty(&r); k++) {
        uint16_t group = 0;
        if (td_rd_u16(&r, &group, NULL) != TD_ERR_OK || td_rd_vec(&r, 2, 0, 0xffff, &key, NULL) != TD_ERR_OK)
            return false;
        if (k == i) {
            out->group = group;
            out->key = td_rd_rest(&key);
            return true;
        }
    }
    return false;
}

bool td_exts_alpn_at(const struct td_exts *e, size_t i, struct td_bytes *out)
{
    struct td_reader r, name;
    td_rd_init(&r, e->alpn.p, e->alpn.len, e->alpn.off, NULL);
    for (size_t k = 0; !td_rd_empty(&r); k++) {
        if (td_rd_vec(&r, 1, 0, 0xff, &name, NULL) != TD_ERR_OK)
            return false;
        if (k == i) {
            *out = td_rd_rest(&name);
            return true;
        }
    }
    return false;
}

/* ---- encoders ---- */

static td_err ext_open(struct td_writer *w, uint16_t type, size_t *mark)
{
    td_err ret;
    TRY(td_wr_u16(w, type));
    ret = td_wr_open(w, 2, mark);
out:
    return ret;
}

static td_err ext_close(struct td_writer *w, size_t mark)
{
    return td_wr_close(w, mark, 2);
}

td_err td_ext_put_raw(struct td_writer *w, uint16_t type, const uint8_t *data, size_t len)
{
    td_err ret;
    size_t m;
    TRY(ext_open(w, type, &m));
    TRY(td_wr_bytes(w, data, len));
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_sni(struct td_writer *w, const char *host)
{
    td_err ret;
    size_t m, list, name;
    TRY(ext_open(w, TD_EXT_SERVER_NAME, &m));
    TRY(td_wr_open(w, 2, &list));
    TRY(td_wr_u8(w, 0)); /* host_name */
    TRY(td_wr_open(w, 2, &name));
    TRY(td_wr_str(w, host));
    TRY(td_wr_close(w, name, 2));
    TRY(td_wr_close(w, list, 2));
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_u16_list(struct td_writer *w, uint16_t type, const uint16_t *v, size_t n)
{
    td_err ret;
    size_t m, list;
    TRY(ext_open(w, type, &m));
    TRY(td_wr_open(w, 2, &list));
    for (size_t i = 0; i < n; i++)
        TRY(td_wr_u16(w, v[i]));
    TRY(td_wr_close(w, list, 2));
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_u8_list(struct td_writer *w, uint16_t type, const uint8_t *v, size_t n)
{
    td_err ret;
    size_t m, list;
    TRY(ext_open(w, type, &m));
    TRY(td_wr_open(w, 1, &list));
    TRY(td_wr_bytes(w, v, n));
    TRY(td_wr_close(w, list, 1));
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_alpn(struct td_writer *w, const char *const *protos, size_t n)
{
    td_err ret;
    size_t m, list, name;
    TRY(ext_open(w, TD_EXT_ALPN, &m));
    TRY(td_wr_open(w, 2, &list));
    for (size_t i = 0; i < n; i++) {
        TRY(td_wr_open(w, 1, &name));
        TRY(td_wr_str(w, protos[i]));
        TRY(td_wr_close(w, name, 1));
    }
    TRY(td_wr_close(w, list, 2));
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_max_fragment_length(struct td_writer *w, uint8_t code)
{
    return td_ext_put_raw(w, TD_EXT_MAX_FRAGMENT_LENGTH, &code, 1);
}

td_err td_ext_put_empty(struct td_writer *w, uint16_t type)
{
    return td_ext_put_raw(w, type, NULL, 0);
}

td_err td_ext_put_reneg_info(struct td_writer *w, const uint8_t *verify, size_t len)
{
    td_err ret;
    size_t m, v;
    TRY(ext_open(w, TD_EXT_RENEGOTIATION_INFO, &m));
    TRY(td_wr_open(w, 1, &v));
    TRY(td_wr_bytes(w, verify, len));
    TRY(td_wr_close(w, v, 1));
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_status_request_ocsp(struct td_writer *w)
{
    td_err ret;
    size_t m;
    TRY(ext_open(w, TD_EXT_STATUS_REQUEST, &m));
    TRY(td_wr_u8(w, 1));  /* ocsp */
    TRY(td_wr_u16(w, 0)); /* responder_id_list */
    TRY(td_wr_u16(w, 0)); /* request_extensions */
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_supported_versions(struct td_writer *w, const uint16_t *v, size_t n)
{
    td_err ret;
    size_t m, list;
    TRY(ext_open(w, TD_EXT_SUPPORTED_VERSIONS, &m));
    TRY(td_wr_open(w, 1, &list));
    for (size_t i = 0; i < n; i++)
        TRY(td_wr_u16(w, v[i]));
    TRY(td_wr_close(w, list, 1));
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_selected_version(struct td_writer *w, uint16_t v)
{
    td_err ret;
    size_t m;
    TRY(ext_open(w, TD_EXT_SUPPORTED_VERSIONS, &m));
    TRY(td_wr_u16(w, v));
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_key_shares(struct td_writer *w, const struct td_key_share *ks, size_t n)
{
    td_err ret;
    size_t m, list, key;
    TRY(ext_open(w, TD_EXT_KEY_SHARE, &m));
    TRY(td_wr_open(w, 2, &list));
    for (size_t i = 0; i < n; i++) {
        TRY(td_wr_u16(w, ks[i].group));
        TRY(td_wr_open(w, 2, &key));
        TRY(td_wr_bytes(w, ks[i].key.p, ks[i].key.len));
        TRY(td_wr_close(w, key, 2));
    }
    TRY(td_wr_close(w, list, 2));
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_server_key_share(struct td_writer *w, struct td_key_share ks)
{
    td_err ret;
    size_t m, key;
    TRY(ext_open(w, TD_EXT_KEY_SHARE, &m));
    TRY(td_wr_u16(w, ks.group));
    TRY(td_wr_open(w, 2, &key));
    TRY(td_wr_bytes(w, ks.key.p, ks.key.len));
    TRY(td_wr_close(w, key, 2));
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_hrr_key_share(struct td_writer *w, uint16_t group)
{
    td_err ret;
    size_t m;
    TRY(ext_open(w, TD_EXT_KEY_SHARE, &m));
    TRY(td_wr_u16(w, group));
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_record_size_limit(struct td_writer *w, uint16_t limit)
{
    td_err ret;
    size_t m;
    TRY(ext_open(w, TD_EXT_RECORD_SIZE_LIMIT, &m));
    TRY(td_wr_u16(w, limit));
    ret = ext_close(w, m);
out:
    return ret;
}

td_err td_ext_put_padding(struct td_writer *w, size_t n)
{
    td_err ret;
    size_t m;
    TRY(ext_open(w, TD_EXT_PADDING, &m));
    TRY(td_wr_zeros(w, n));
    ret = ext_close(w, m);
out:
    return ret;
}
