/* EncryptedExtensions decode/encode. */
#include "wire/ee.h"

#include "wire/record.h"

/* RFC 8446 4.3.1:
 *   struct { Extension extensions<0..2^16-1>; } EncryptedExtensions;
 * Extensions are checked against the "EE" column of RFC 8446 4.2's table
 * (not_allowed counts the others, e.g. key_share, which "MUST NOT" be here). */
td_err td_ee_decode(struct td_reader *body, struct td_exts *out)
{
    td_err ret;
    TRY(td_exts_parse(body, TD_MSG_EE, out));
    ret = td_rd_end(body, "EncryptedExtensions");
out:
    return ret;
}

td_err td_ee_encode(struct td_writer *w, const struct td_exts *ext)
{
    td_err ret;
    size_t hs, v;
    TRY(td_hs_open(w, TD_HS_ENCRYPTED_EXTENSIONS, &hs));
    TRY(td_wr_open(w, 2, &v));
    for (size_t i = 0; i < ext->count; i++)
        TRY(td_ext_put_raw(w, ext->list[i].type, ext->list[i].data.p, ext->list[i].data.len));
    TRY(td_wr_close(w, v, 2));
    ret = td_hs_close(w, hs);
out:
    return ret;
}
