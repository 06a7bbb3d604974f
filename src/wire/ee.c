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
    size_t hs;
    TRY(td_hs_open(w, TD_HS_ENCRYPTED_EXTENSIONS, &hs));
    TRY(td_exts_put_all(w, ext));
    ret = td_hs_close(w, hs);
out:
    return ret;
}
