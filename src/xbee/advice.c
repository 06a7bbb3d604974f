/* Next steps for TLS-related frames and codes. Every device fact below is
 * from ../shared/research/devices.md, cited by section. */
#include "xbee/advice.h"

#include "core/hex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void td_xb_ctx_init(struct td_xb_ctx *c)
{
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < 256; i++)
        c->profile[i] = -1;
}

static void ipstr(const struct td_bytes *b, char *buf, size_t cap)
{
    if (b->len == 4)
        snprintf(buf, cap, "%u.%u.%u.%u", b->p[0], b->p[1], b->p[2], b->p[3]);
    else
        snprintf(buf, cap, "?");
}

void td_xb_ctx_note(struct td_xb_ctx *c, const struct td_xb_frame *f)
{
    const struct td_xb_field *id = td_xb_field(f, "frame_id");
    const struct td_xb_field *ip = td_xb_field(f, "dest_addr");
    const struct td_xb_field *port = td_xb_field(f, "dest_port");
    const struct td_xb_field *prof = td_xb_field(f, "tls_profile");
    const struct td_xb_field *proto = td_xb_field(f, "protocol");
    const struct td_xb_field *sock = td_xb_field(f, "socket_id");
    const struct td_xb_field *st = td_xb_field(f, "status");
    uint8_t k;

    if (f->def == NULL || id == NULL)
        return;
    if (f->type == 0xC0 && sock != NULL && st != NULL && st->num == 0 && id->num != 0) {
        k = (uint8_t)id->num;
        c->tls_socket[sock->num & 0xFF] = c->seen[k] && c->type[k] == 0x40 && c->proto[k] == 4;
        c->sock_target[sock->num & 0xFF][0] = '\0';
        return;
    }
    if (f->type == 0x42 && sock != NULL && port != NULL && ip != NULL) {
        const struct td_xb_field *at = td_xb_field(f, "addr_type");
        char host[64];
        if (at != NULL && at->num == 0 && ip->bytes.len == 4)
            ipstr(&ip->bytes, host, sizeof(host));
        else
            td_printable(ip->bytes.p, ip->bytes.len, host, sizeof(host));
        snprintf(c->sock_target[sock->num & 0xFF], sizeof(c->sock_target[0]), "%s:%u", host, (unsigned)port->num);
    }
    if (!f->def->request || id->num == 0)
        return;
    k = (uint8_t)id->num;
    c->seen[k] = true;
    c->type[k] = f->type;
    memset(c->ip[k], 0, 4);
    c->port[k] = 0;
    c->profile[k] = -1;
    c->proto[k] = proto != NULL ? (uint8_t)proto->num : 0;
    if (ip != NULL && ip->bytes.len == 4 && f->type != 0x42)
        memcpy(c->ip[k], ip->bytes.p, 4);
    if (port != NULL)
        c->port[k] = (uint16_t)port->num;
    if (prof != NULL)
        c->profile[k] = (int)prof->num;
    else if (proto != NULL && proto->num == 4 && f->type == 0x20)
        c->profile[k] = 0; /* 0x20 with protocol 4 uses $0 (devices.md a.2) */
}

static struct td_xb_step *add(struct td_xb_advice *a, const char *run, const char *fmt, ...) TD_PRINTF(3, 4);

static struct td_xb_step *add(struct td_xb_advice *a, const char *run, const char *fmt, ...)
{
    struct td_xb_step *s;
    va_list ap;

    if (a->n >= TD_XB_MAX_STEPS)
        return NULL;
    s = &a->steps[a->n++];
    va_start(ap, fmt);
    vsnprintf(s->why, sizeof(s->why), fmt, ap);
    va_end(ap);
    snprintf(s->run, sizeof(s->run), "%s", run != NULL ? run : "");
    return s;
}

static void check_line(char *buf, size_t cap, const char *target)
{
    snprintf(buf, cap, "tlsdiag check %s --device %s", target, TD_XB_DEVICE);
}

/* "66.230.114.174:443" from the request this status answers, else HOST:PORT. */
static void target_of(const struct td_xb_frame *f, const struct td_xb_ctx *ctx, char *buf, size_t cap, int *profile)
{
    const struct td_xb_field *id = td_xb_field(f, "frame_id");

    *profile = -1;
    snprintf(buf, cap, "HOST:PORT");
    if (ctx == NULL || id == NULL || id->num == 0 || !ctx->seen[id->num & 0xFF])
        return;
    *profile = ctx->profile[id->num & 0xFF];
    if (ctx->port[id->num & 0xFF] != 0 || memcmp(ctx->ip[id->num & 0xFF], "\0\0\0\0", 4) != 0) {
        const uint8_t *ip = ctx->ip[id->num & 0xFF];
        snprintf(buf, cap, "%u.%u.%u.%u:%u", ip[0], ip[1], ip[2], ip[3], ctx->port[id->num & 0xFF]);
    }
}

static void profile_step(struct td_xb_advice *a, int profile)
{
    char run[64];

    if (profile < 0)
        return;
    snprintf(run, sizeof(run), "tlsdiag xbee encode at --command '$%d'", profile);
    if (profile > 2) {
        add(a, NULL,
            "TLS profile %d is not documented: Digi lists only AT$0, AT$1 and AT$2 (devices.md \"ATTL and AT$0-$3\"); "
            "expect TX Status 0x86 Invalid TLS configuration",
            profile);
        return;
    }
    add(a, run,
        "TLS profile %d selects AT$%d (a 0x23 frame can select AT$0-AT$2): ca_cert;client_cert;client_key. An empty "
        "ca_cert (the default ';;') means the server certificate is not authenticated (devices.md a.2). Read the "
        "setting with this AT query frame",
        profile, profile);
}

/* The documented causes of 0x85 and what to run for each. */
static void causes_85(struct td_xb_advice *a, const char *target, int profile)
{
    char run[200];

    snprintf(run, sizeof(run), "tlsdiag scan %s", target);
    add(a, run,
        "cause 1, cipher-suite mismatch: Digi support traced a 0x85 to a server offering only ECDHE/DHE suites; the "
        "XBee3 LTE-M supports TLS_RSA_WITH_AES_256_CBC_SHA and _SHA256 (Digi forum thread 20463, devices.md a.3). "
        "List what the server offers");
    check_line(run, sizeof(run), target);
    add(a, run, "then connect exactly as the XBee would (no SNI, its suites) and see where the handshake fails");
    snprintf(run, sizeof(run), "tlsdiag cert lint FILE --device %s", TD_XB_DEVICE);
    add(a, run,
        "cause 2, certificate problems: Digi support: 0x85 \"could indicate that the server certificate file is "
        "incorrect\" (seed thread); a certificate file may hold only one certificate, the CA must be a single "
        "self-signed root, and a server certificate CN longer than 31 characters fails on the SARA-R410 "
        "(devices.md a.1, a.2). Lint the CA file named in AT$%s",
        profile >= 0 && profile <= 2 ? (const char *[]){"0", "1", "2"}[profile] : "n");
    snprintf(run, sizeof(run), "tlsdiag scan %s", target);
    add(a, run,
        "cause 3, no SNI: the XBee sends no Server Name Indication (\"SNI ... is not currently supported\", XBee 3 "
        "Cellular UG p.167, devices.md a.3), so a server with virtual hosts answers with its default host's "
        "configuration and certificate (devices.md 2.1.3); compare the scan's SNI truth table");
}

void td_xb_advise(const struct td_xb_frame *f, const struct td_xb_ctx *ctx, struct td_xb_advice *a)
{
    char target[96], run[200];
    int profile = -1;
    const struct td_xb_field *st = td_xb_field(f, "status");

    a->n = 0;
    if (f->def == NULL)
        return;
    switch (f->type) {
    case 0x20:
    case 0x23: {
        const struct td_xb_field *ip = td_xb_field(f, "dest_addr");
        const struct td_xb_field *port = td_xb_field(f, "dest_port");
        const struct td_xb_field *prof = td_xb_field(f, "tls_profile");
        const struct td_xb_field *proto = td_xb_field(f, "protocol");
        const struct td_xb_field *id = td_xb_field(f, "frame_id");
        char ips[20];

        if (ip == NULL || port == NULL)
            return; /* fields not decoded: nothing to advise on */
        if (f->type == 0x20 && (proto == NULL || proto->num != 4))
            return; /* plain UDP/TCP: nothing TLS-related */
        profile = prof != NULL ? (int)prof->num : 0;
        ipstr(&ip->bytes, ips, sizeof(ips));
        snprintf(target, sizeof(target), "%s:%u", ips, (unsigned)port->num);
        check_line(run, sizeof(run), target);
        add(a, run,
            "check how this server answers the XBee's TLS client: it sends no SNI (devices.md a.3), and its TLS "
            "stack is most likely the u-blox modem's (an inference, devices.md a.1)");
        if (f->type == 0x20)
            add(a, NULL, "protocol 4 (SSL/TLS) on a 0x20 frame always uses TLS profile AT$0 (devices.md a.2)");
        profile_step(a, profile);
        if (id != NULL && id->num == 0)
            add(a, NULL,
                "frame ID 0: the XBee sends no 0x89 TX Status, so a TLS failure (0x85) is never reported; use a "
                "non-zero frame ID");
        else if (id != NULL)
            add(a, NULL,
                "the result arrives as a 0x89 TX Status with frame ID 0x%02X; 0x85 means the TLS connection "
                "failed (see tlsdiag xbee decode on that frame)",
                (unsigned)id->num);
        return;
    }
    case 0x89:
        if (st == NULL || td_xb_field(f, "frame_id") == NULL)
            return;
        target_of(f, ctx, target, sizeof(target), &profile);
        if (st->num == 0x85) {
            if (strcmp(target, "HOST:PORT") == 0)
                add(a, NULL,
                    "0x85 Unknown error on a TLS transmission: the TLS connection was not established (decode the "
                    "request with frame ID 0x%02X together with this frame to name its destination)",
                    (unsigned)td_xb_field(f, "frame_id")->num);
            else
                add(a, NULL, "0x85 Unknown error on a TLS transmission: the TLS connection to %s was not established",
                    target);
            causes_85(a, target, profile);
        } else if (st->num == 0x86) {
            add(a, NULL,
                "0x86 Invalid TLS configuration: the TLS profile does not exist or a certificate file it names is "
                "missing or invalid ([xbee-py], devices.md a.5)");
            profile_step(a, profile >= 0 ? profile : 0);
            snprintf(run, sizeof(run), "tlsdiag cert lint FILE --device %s", TD_XB_DEVICE);
            add(a, run,
                "lint the certificate and key files named in the profile (single certificate per file, "
                "self-signed root CA, RSA PKCS#1 key, devices.md a.2)");
        } else if (st->num == 0x8B) {
            add(a, NULL, "0x8B TLS Socket Authentication Error: the certificate check failed (devices.md a.5)");
            snprintf(run, sizeof(run), "tlsdiag cert lint FILE --device %s", TD_XB_DEVICE);
            add(a, run, "lint the CA file named in the TLS profile against the device's rules");
            check_line(run, sizeof(run), target);
            add(a, run, "check the server's chain as the XBee validates it");
        }
        return;
    case 0xC0:
        if (st == NULL)
            return;
        if (st->num == 0x85 || st->num == 0x86) {
            add(a, NULL, "Socket Create failed with 0x%02X %s", (unsigned)st->num,
                st->code != NULL ? st->code->name : "");
            snprintf(run, sizeof(run), "tlsdiag cert lint FILE --device %s", TD_XB_DEVICE);
            add(a, run, "for a TLS socket, lint the files named in the TLS profile (devices.md a.2)");
        }
        return;
    case 0x40: {
        const struct td_xb_field *proto = td_xb_field(f, "protocol");
        if (proto != NULL && proto->num == 4)
            add(a, "tlsdiag xbee encode socket-option --socket ID --option 0 --value-hex 00",
                "TLS socket: choose its TLS profile (AT$0-AT$2) with a 0x41 Socket Option, option 0x00, before "
                "the 0x42 Socket Connect (XBee 3 UG p.268)");
        return;
    }
    case 0x42:
    case 0xCF: {
        const struct td_xb_field *sock = td_xb_field(f, "socket_id");
        uint8_t sk;
        if (ctx == NULL || sock == NULL || !ctx->tls_socket[sock->num & 0xFF])
            return;
        sk = (uint8_t)sock->num;
        if (f->type == 0xCF && (st == NULL || st->num == 0))
            return;
        snprintf(target, sizeof(target), "%s", ctx->sock_target[sk][0] != '\0' ? ctx->sock_target[sk] : "HOST:PORT");
        check_line(run, sizeof(run), target);
        if (f->type == 0x42)
            add(a, run,
                "socket 0x%02X is a TLS socket (created with protocol 4): check how this server answers the "
                "XBee's TLS client (no SNI, devices.md a.3)",
                (unsigned)sk);
        else
            add(a, run,
                "TLS socket 0x%02X closed: the 0xCF table has no TLS-specific code (devices.md), so a failed "
                "handshake shows up as a generic state; check the server as the XBee would",
                (unsigned)sk);
        return;
    }
    case 0x41:
    case 0xC1: {
        const struct td_xb_field *opt = td_xb_field(f, "option_id");
        const struct td_xb_field *val = td_xb_field(f, "option_data");
        if (opt != NULL && opt->num == 0 && val != NULL && val->bytes.len == 1)
            profile_step(a, val->bytes.p[0]);
        return;
    }
    case 0x88: {
        const struct td_xb_code *ci = td_xb_atci_value(f);
        if (ci != NULL && ci->code == 0x2F) {
            add(a, NULL, "ATCI 0x2F TLS Socket Authentication Error (devices.md a.5)");
            snprintf(run, sizeof(run), "tlsdiag cert lint FILE --device %s", TD_XB_DEVICE);
            add(a, run, "lint the CA file named in AT$0 (Transparent mode uses $0)");
            check_line(run, sizeof(run), "HOST:PORT");
            add(a, run, "check the server as the XBee sees it");
        }
        return;
    }
    default:
        return;
    }
}

const struct td_xb_code *td_xb_atci_value(const struct td_xb_frame *f)
{
    const struct td_xb_field *cmd = td_xb_field(f, "command");
    const struct td_xb_field *data = td_xb_field(f, "data");

    if (f->type != 0x88 || cmd == NULL || data == NULL || data->bytes.len != 1)
        return NULL;
    if (memcmp(cmd->bytes.p, "CI", 2) != 0)
        return NULL;
    return td_xb_lookup(&td_xb_atci, data->bytes.p[0]);
}

void td_xb_field_note(const struct td_xb_frame *f, const struct td_xb_field *fl, char *buf, size_t cap)
{
    buf[0] = '\0';
    switch (fl->spec->kind) {
    case TD_XB_K_FRAME_ID:
        if (f->def != NULL && f->def->request)
            snprintf(buf, cap, "%s",
                     fl->num == 0 ? "0: no response/status frame will be sent"
                                  : "the response carries the same frame ID");
        break;
    case TD_XB_K_PROFILE:
        snprintf(buf, cap, fl->num <= 2 ? "AT$%u" : "AT$%u: not documented (only $0-$2)", (unsigned)fl->num);
        break;
    case TD_XB_K_TXOPT:
        snprintf(buf, cap, "%s%s",
                 (fl->num & 0x02) != 0 ? "bit 1 set: close the socket after sending" : "leave the socket open",
                 (fl->num & ~0x02u) != 0 ? "; other bits are reserved and should be 0" : "");
        break;
    case TD_XB_K_SOCKET:
        /* 0x43: "0xFF = all"; 0xC0: "socket ID (0xFF on error)" (devices.md) */
        if (fl->num == 0xFF && f->type == 0x43)
            snprintf(buf, cap, "%s", "0xFF: close all sockets");
        else if (fl->num == 0xFF && f->type == 0xC0)
            snprintf(buf, cap, "%s", "0xFF: no socket was created");
        break;
    case TD_XB_K_U8:
        /* 0xCF: "All values other than 0x00 = Connected are fatal and the
         * Socket ID is closed and invalid after receipt" (XBee 3 UG p.281) */
        if (f->type == 0xCF && fl->num != 0 && strcmp(fl->spec->key, "status") == 0)
            snprintf(buf, cap, "%s", "fatal: the socket ID is closed and invalid from now on");
        break;
    case TD_XB_K_PORT:
        if (strcmp(fl->spec->key, "src_port") == 0 && f->def != NULL && f->def->request)
            snprintf(buf, cap, "%s",
                     fl->num == 0 ? "0: reuse an open socket to the destination or open a new one"
                                  : "must match an existing socket");
        break;
    case TD_XB_K_IPV4:
    case TD_XB_K_ATCMD:
    case TD_XB_K_DATA:
    case TD_XB_K_ADDR:
    default:
        break;
    }
}
