/* EncryptedExtensions (RFC 8446 4.3.1): the TLS 1.3 server's extensions
 * that are not needed to set up keys (server_name ack, ALPN,
 * max_fragment_length, record_size_limit, supported_groups, early_data). It
 * is always encrypted, so it is decoded from a decrypted transcript or by a
 * peer that holds the keys (the future `listen`). */
#ifndef TD_WIRE_EE_H
#define TD_WIRE_EE_H

#include "core/reader.h"
#include "core/writer.h"
#include "wire/ext.h"

TD_MUST_USE td_err td_ee_decode(struct td_reader *body, struct td_exts *out);
/* Encodes the handshake message (header + body) from ext.list raw entries. */
TD_MUST_USE td_err td_ee_encode(struct td_writer *w, const struct td_exts *ext);

#endif
