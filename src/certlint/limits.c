/* Built-in device constraints for the certificate lint. Every known value
 * below is a fact from ../shared/research/devices.md with its source as
 * quoted there; everything else is unknown on purpose. */
#include "certlint/limits.h"

#include <stddef.h>
#include <string.h>

#include "core/err.h"

const char *td_known_name(enum td_known k)
{
    switch (k) {
    case TD_K_UNKNOWN:
        return "unknown";
    case TD_K_NO:
        return "no";
    case TD_K_YES:
        return "yes";
    default:
        return "unknown";
    }
}

#define UNKNOWN_LIM                                                                                                    \
    {                                                                                                                  \
        -1, false, NULL                                                                                                \
    }
#define UNKNOWN_FACT                                                                                                   \
    {                                                                                                                  \
        TD_K_UNKNOWN, NULL                                                                                             \
    }

void td_cert_limits_init_unknown(struct td_cert_limits *l, const char *name, const char *title)
{
    memset(l, 0, sizeof(*l));
    l->name = name;
    l->title = title;
    l->cn_max.value = l->file_max.value = l->certs_per_file.value = l->chain_max.value = -1;
    l->rsa_min_bits.value = l->rsa_max_bits.value = -1;
    l->ncurves = -1;
}

/* ---- sources (devices.md) ------------------------------------------- */

#define SRC_XBEE_P100                                                                                                  \
    "Digi XBee3 Cellular LTE-M Global user guide p.100, AT$0 ca_cert: 'This must be a single root CA certificate. "    \
    "The modules do not allow a non-self signed certificate to work, so intermediate CAs are not enough.' "            \
    "(https://www.easymanua.ls/digi/xbee3/manual?p=100; devices.md a.2)"
#define SRC_XBEE_ONECERT                                                                                               \
    "Digi XBee3 Cellular LTE-M Global user guide p.101: 'The XBee Smart Modem only supports certificate files that "   \
    "contain a single certificate in them.' (https://www.easymanua.ls/digi/xbee3/manual?p=101; devices.md a.2)"
#define SRC_XBEE_PKCS1                                                                                                 \
    "Digi XBee3 Cellular LTE-M Global user guide p.101: 'The RSA PKCS#1 format is the only common format across "      \
    "XBee Cellular device variants' (https://www.easymanua.ls/digi/xbee3/manual?p=101; devices.md a.2)"
#define SRC_XBEE_NOENC                                                                                                 \
    "Digi XBee3 Cellular LTE-M Global user guide p.101: 'Digi's implementation does not support encrypted keys' "      \
    "(https://www.easymanua.ls/digi/xbee3/manual?p=101; devices.md a.2)"
#define SRC_R410_CN                                                                                                    \
    "Digi XBee3 Cellular LTE-M Global user guide p.101: 'For SARA-R410 cellular components ... if the server "         \
    "certificate has a Common Name (CN) that is greater than 31 characters the SSL connection fails.' "                \
    "(https://www.easymanua.ls/digi/xbee3/manual?p=101; devices.md a.1, b.4)"
#define SRC_R410_RSA                                                                                                   \
    "inference in devices.md 2.1.1: the SARA-R4/N4 AT manual R09 cipher list (numbers 0-15, quoted in "                \
    "https://github.com/arduino-libraries/MKRNB/issues/106) holds only TLS_RSA_* and PSK suites, and Digi support "    \
    "names TLS_RSA_WITH_AES_256_CBC_SHA/_SHA256 for the XBee3 LTE-M "                                                  \
    "(https://forums.digi.com/t/how-to-tell-if-sni-is-causing-tls-to-not-work-with-lte-m-nb-iot/20463): a server "     \
    "certificate needs an RSA key"
#define SRC_UBLOX_KEYPW                                                                                                \
    "u-blox AT+USECPRF op_code 7 'private key password (max 128)' (devices.md b.1, via FactbirdHQ/ublox-cellular-rs "  \
    "types.rs)"
#define SRC_UBLOX_8K                                                                                                   \
    "ubxlib u_security_credential.h: 8 KiB is the 'smallest maximum length' of a certificate or key across u-blox "    \
    "modules (devices.md b.4); larger files may or may not be accepted"
#define SRC_R4_CN_CHECK                                                                                                \
    "SARA-R4 AT manual UBX-17003787 R16 p.237: level 2 'URL integrity check (the server certificate common name "      \
    "must match the server hostname)'; SAN handling not found (devices.md b.1, 2.1.4)"
#define SRC_NRF_CHAIN                                                                                                  \
    "Nordic engineer on DevZone quoting modem release notes: 'Maximum server certificate chain size has a limit of "   \
    "4kB.' "                                                                                                           \
    "(https://devzone.nordicsemi.com/f/nordic-q-a/114031/; devices.md e)"
#define SRC_NRF_SUITES "sdk-nrfxlib nrf_socket.h cipher list has ECDHE_ECDSA and ECDHE_RSA suites (devices.md e, 2.5)"
#define SRC_ESP_SUITES                                                                                                 \
    "ESP-IDF mbedTLS Kconfig defaults: RSA, ECDHE_RSA and ECDHE_ECDSA key exchanges enabled (devices.md 2.6, "         \
    "[idf-kconfig], not checked against the exact v5.4.4 tag ESP-AT builds against)"
#define SRC_ESP_CURVES                                                                                                 \
    "ESP-IDF mbedTLS Kconfig default curves secp192r1, secp224r1, secp256r1, secp384r1, secp521r1, secp192k1, "        \
    "secp224k1, secp256k1, bp256r1, bp384r1, bp512r1 (devices.md 2.6, [idf-kconfig], caveat: not checked against "     \
    "the exact tag)"
#define SRC_ESP_CN                                                                                                     \
    "ESP-AT AT+CIPSSLCCN: 'used to verify the Common Name in the certificate sent by the server' (espressif/esp-at "   \
    "TCP-IP_AT_Commands.rst; devices.md f)"
#define SRC_BG96_FILE                                                                                                  \
    "BG96 AT+QFUPL default <file_size> 10240 bytes (RAKWireless docs ATCELL+QFUPL; devices.md 2.3.4): a larger "       \
    "file needs an explicit size"
#define SRC_BG96_NOECDSA                                                                                               \
    "BG96 AT+QSSLCFG=? cipher list (RAKWireless docs; devices.md 2.0, 2.3.1): 'BG96 has no ECDHE_ECDSA suite at "      \
    "all (ECDSA server certificates cannot be negotiated)'"
#define SRC_BG96_RSA "BG96 AT+QSSLCFG=? cipher list: TLS_RSA_* and ECDHE_RSA suites (devices.md 2.3.1)"
#define SRC_BG96_CN                                                                                                    \
    "Quectel AT+QSSLCFG=\"checkhost\": 'Enable hostname validation feature (Subject CommonName(CN) matches the "       \
    "specified host name)' (sample code, weak; devices.md 2.0)"
#define SRC_SIM7000_SUITES                                                                                             \
    "SIM7000 AT+CSSLCFG \"ciphersuite\" list includes ECDHE_ECDSA and RSA suites (third-party sketch, weak; "          \
    "devices.md 2.4)"

static const struct td_cert_limits builtin[] = {
    {
        .name = "generic",
        .title = "generic TLS client (no device limits known)",
        .cn_max = UNKNOWN_LIM,
        .file_max = UNKNOWN_LIM,
        .certs_per_file = UNKNOWN_LIM,
        .chain_max = UNKNOWN_LIM,
        .ca_root_only = UNKNOWN_FACT,
        .key_pkcs1_only = UNKNOWN_FACT,
        .encrypted_key = UNKNOWN_FACT,
        .rsa = UNKNOWN_FACT,
        .ec = UNKNOWN_FACT,
        .rsa_min_bits = UNKNOWN_LIM,
        .rsa_max_bits = UNKNOWN_LIM,
        .ncurves = -1,
        .cn_only_name_check = UNKNOWN_FACT,
    },
    {
        .name = "xbee3-cellular-ltem",
        .title = "Digi XBee3 Cellular LTE-M/NB-IoT (u-blox SARA-R410M-02B)",
        .cn_max = {31, false, SRC_R410_CN},
        .file_max = UNKNOWN_LIM,
        .certs_per_file = {1, false, SRC_XBEE_ONECERT},
        .chain_max = UNKNOWN_LIM,
        .ca_root_only = {TD_K_YES, SRC_XBEE_P100},
        .key_pkcs1_only = {TD_K_YES, SRC_XBEE_PKCS1},
        .encrypted_key = {TD_K_NO, SRC_XBEE_NOENC},
        .rsa = {TD_K_YES, SRC_R410_RSA},
        .ec = {TD_K_NO, SRC_R410_RSA},
        .rsa_min_bits = UNKNOWN_LIM,
        .rsa_max_bits = UNKNOWN_LIM,
        .ncurves = -1,
        .cn_only_name_check = UNKNOWN_FACT, /* XBee hostname checking: not found (devices.md a.2) */
    },
    {
        .name = "sara-r4",
        .title = "u-blox SARA-R4 series (SARA-R410M, SARA-R412M)",
        .cn_max = {31, false, SRC_R410_CN},
        .file_max = {8192, true, SRC_UBLOX_8K},
        .certs_per_file = UNKNOWN_LIM,
        .chain_max = UNKNOWN_LIM,
        .ca_root_only = UNKNOWN_FACT,
        .key_pkcs1_only = UNKNOWN_FACT,
        .encrypted_key = {TD_K_YES, SRC_UBLOX_KEYPW},
        .rsa = UNKNOWN_FACT,
        .ec = UNKNOWN_FACT,
        .rsa_min_bits = UNKNOWN_LIM,
        .rsa_max_bits = UNKNOWN_LIM,
        .ncurves = -1,
        .cn_only_name_check = {TD_K_YES, SRC_R4_CN_CHECK},
    },
    {
        .name = "sara-r5",
        .title = "u-blox SARA-R5 series",
        .cn_max = UNKNOWN_LIM,
        .file_max = {8192, true, SRC_UBLOX_8K},
        .certs_per_file = UNKNOWN_LIM,
        .chain_max = UNKNOWN_LIM,
        .ca_root_only = UNKNOWN_FACT,
        .key_pkcs1_only = UNKNOWN_FACT,
        .encrypted_key = {TD_K_YES, SRC_UBLOX_KEYPW},
        .rsa = UNKNOWN_FACT,
        .ec = UNKNOWN_FACT,
        .rsa_min_bits = UNKNOWN_LIM,
        .rsa_max_bits = UNKNOWN_LIM,
        .ncurves = -1,
        .cn_only_name_check = UNKNOWN_FACT,
    },
    {
        .name = "nrf91",
        .title = "Nordic nRF9160 / nRF91x1 modem (offloaded TLS)",
        .cn_max = UNKNOWN_LIM,
        .file_max = UNKNOWN_LIM,
        .certs_per_file = UNKNOWN_LIM,
        .chain_max = {4096, false, SRC_NRF_CHAIN},
        .ca_root_only = UNKNOWN_FACT,
        .key_pkcs1_only = UNKNOWN_FACT,
        .encrypted_key = UNKNOWN_FACT,
        .rsa = {TD_K_YES, SRC_NRF_SUITES},
        .ec = {TD_K_YES, SRC_NRF_SUITES},
        .rsa_min_bits = UNKNOWN_LIM,
        .rsa_max_bits = UNKNOWN_LIM,
        .ncurves = -1,
        .cn_only_name_check = UNKNOWN_FACT,
    },
    {
        .name = "esp-at",
        .title = "Espressif ESP-AT (ESP32, mbedTLS)",
        .cn_max = UNKNOWN_LIM,
        .file_max = UNKNOWN_LIM,
        .certs_per_file = UNKNOWN_LIM,
        .chain_max = UNKNOWN_LIM,
        .ca_root_only = UNKNOWN_FACT,
        .key_pkcs1_only = UNKNOWN_FACT,
        .encrypted_key = UNKNOWN_FACT,
        .rsa = {TD_K_YES, SRC_ESP_SUITES},
        .ec = {TD_K_YES, SRC_ESP_SUITES},
        .rsa_min_bits = UNKNOWN_LIM,
        .rsa_max_bits = UNKNOWN_LIM,
        .curves = {"prime192v1", "secp224r1", "prime256v1", "secp384r1", "secp521r1", "secp192k1", "secp224k1",
                   "secp256k1", "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1"},
        .ncurves = 11,
        .curves_source = SRC_ESP_CURVES,
        .cn_only_name_check = {TD_K_YES, SRC_ESP_CN},
    },
    {
        .name = "bg96",
        .title = "Quectel BG96",
        .cn_max = UNKNOWN_LIM,
        .file_max = {10240, true, SRC_BG96_FILE},
        .certs_per_file = UNKNOWN_LIM,
        .chain_max = UNKNOWN_LIM,
        .ca_root_only = UNKNOWN_FACT,
        .key_pkcs1_only = UNKNOWN_FACT,
        .encrypted_key = UNKNOWN_FACT,
        .rsa = {TD_K_YES, SRC_BG96_RSA},
        .ec = {TD_K_NO, SRC_BG96_NOECDSA},
        .rsa_min_bits = UNKNOWN_LIM,
        .rsa_max_bits = UNKNOWN_LIM,
        .ncurves = -1,
        .cn_only_name_check = {TD_K_YES, SRC_BG96_CN},
    },
    {
        .name = "sim7000",
        .title = "SIMCom SIM7000 family",
        .cn_max = UNKNOWN_LIM,
        .file_max = UNKNOWN_LIM,
        .certs_per_file = UNKNOWN_LIM,
        .chain_max = UNKNOWN_LIM,
        .ca_root_only = UNKNOWN_FACT,
        .key_pkcs1_only = UNKNOWN_FACT,
        .encrypted_key = UNKNOWN_FACT,
        .rsa = {TD_K_YES, SRC_SIM7000_SUITES},
        .ec = {TD_K_YES, SRC_SIM7000_SUITES},
        .rsa_min_bits = UNKNOWN_LIM,
        .rsa_max_bits = UNKNOWN_LIM,
        .ncurves = -1,
        .cn_only_name_check = UNKNOWN_FACT,
    },
};

/* Aliases accepted by --device. */
static const struct {
    const char *alias, *name;
} aliases[] = {
    {"xbee", "xbee3-cellular-ltem"},
    {"xbee3", "xbee3-cellular-ltem"},
    {"sara-r410m", "sara-r4"},
    {"sara-r410m-02b", "xbee3-cellular-ltem"},
    {"esp32", "esp-at"},
    {"nrf9160", "nrf91"},
    {"sim7000g", "sim7000"},
};

const struct td_cert_limits *td_cert_limits_builtin(const char *name)
{
    for (size_t i = 0; i < TD_ARRAY_LEN(builtin); i++)
        if (strcmp(builtin[i].name, name) == 0)
            return &builtin[i];
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (strcmp(aliases[i].alias, name) == 0)
            return td_cert_limits_builtin(aliases[i].name);
    return NULL;
}

size_t td_cert_limits_builtin_count(void)
{
    return TD_ARRAY_LEN(builtin);
}

const struct td_cert_limits *td_cert_limits_builtin_at(size_t i)
{
    return i < TD_ARRAY_LEN(builtin) ? &builtin[i] : NULL;
}

/* ---- rendering -------------------------------------------------------- */

struct lim_desc {
    const char *key, *label;
    size_t off;
};

#define LIM(field, label)                                                                                              \
    {                                                                                                                  \
#field, label, offsetof(struct td_cert_limits, field)                                                          \
    }
static const struct lim_desc lims[] = {
    LIM(cn_max, "max CN length (characters)"),    LIM(file_max, "max file size (bytes)"),
    LIM(certs_per_file, "certificates per file"), LIM(chain_max, "max server chain (bytes, DER)"),
    LIM(rsa_min_bits, "min RSA key (bits)"),      LIM(rsa_max_bits, "max RSA key (bits)"),
};
static const struct lim_desc facts[] = {
    LIM(ca_root_only, "CA file must be a self-signed root"),
    LIM(key_pkcs1_only, "key must be PKCS#1 (BEGIN RSA PRIVATE KEY)"),
    LIM(encrypted_key, "password-protected key usable"),
    LIM(rsa, "RSA certificate keys usable"),
    LIM(ec, "ECDSA certificate keys usable"),
    LIM(cn_only_name_check, "name check compares the CN only"),
};
#undef LIM

size_t td_cert_limits_unknown(const struct td_cert_limits *l, const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < TD_ARRAY_LEN(lims); i++) {
        const struct td_lim *x = (const struct td_lim *)(const void *)((const char *)l + lims[i].off);
        if (x->value < 0 && n < cap)
            out[n++] = lims[i].label;
    }
    for (size_t i = 0; i < TD_ARRAY_LEN(facts); i++) {
        const struct td_fact *x = (const struct td_fact *)(const void *)((const char *)l + facts[i].off);
        if (x->v == TD_K_UNKNOWN && n < cap)
            out[n++] = facts[i].label;
    }
    if (l->ncurves < 0 && n < cap)
        out[n++] = "ECDSA curves usable";
    return n;
}

void td_cert_limits_text(FILE *f, const struct td_cert_limits *l)
{
    fprintf(f, "device: %s (%s)\n", l->name, l->title);
    for (size_t i = 0; i < TD_ARRAY_LEN(lims); i++) {
        const struct td_lim *x = (const struct td_lim *)(const void *)((const char *)l + lims[i].off);
        if (x->value < 0)
            fprintf(f, "  %-44s unknown\n", lims[i].label);
        else
            fprintf(f, "  %-44s %ld%s\n", lims[i].label, x->value, x->soft ? " (advisory)" : "");
    }
    for (size_t i = 0; i < TD_ARRAY_LEN(facts); i++) {
        const struct td_fact *x = (const struct td_fact *)(const void *)((const char *)l + facts[i].off);
        fprintf(f, "  %-44s %s\n", facts[i].label, td_known_name(x->v));
    }
    fprintf(f, "  %-44s ", "ECDSA curves usable");
    if (l->ncurves < 0)
        fprintf(f, "unknown");
    for (int i = 0; i < l->ncurves; i++)
        fprintf(f, "%s%s", i ? ", " : "", l->curves[i]);
    fprintf(f, "\n");
}

json_t *td_cert_limits_json(const struct td_cert_limits *l)
{
    json_t *o = json_object(), *m = json_object(), *curves;

    json_object_set_new(o, "name", json_string(l->name));
    json_object_set_new(o, "title", json_string(l->title));
    for (size_t i = 0; i < TD_ARRAY_LEN(lims); i++) {
        const struct td_lim *x = (const struct td_lim *)(const void *)((const char *)l + lims[i].off);
        json_t *e = json_object();
        json_object_set_new(e, "value", x->value < 0 ? json_null() : json_integer(x->value));
        json_object_set_new(e, "soft", json_boolean(x->soft));
        json_object_set_new(e, "source", x->source != NULL ? json_string(x->source) : json_null());
        json_object_set_new(m, lims[i].key, e);
    }
    for (size_t i = 0; i < TD_ARRAY_LEN(facts); i++) {
        const struct td_fact *x = (const struct td_fact *)(const void *)((const char *)l + facts[i].off);
        json_t *e = json_object();
        json_object_set_new(e, "value", json_string(td_known_name(x->v)));
        json_object_set_new(e, "source", x->source != NULL ? json_string(x->source) : json_null());
        json_object_set_new(m, facts[i].key, e);
    }
    curves = json_object();
    if (l->ncurves < 0) {
        json_object_set_new(curves, "value", json_null());
    } else {
        json_t *a = json_array();
        for (int i = 0; i < l->ncurves; i++)
            json_array_append_new(a, json_string(l->curves[i]));
        json_object_set_new(curves, "value", a);
    }
    json_object_set_new(curves, "source", l->curves_source != NULL ? json_string(l->curves_source) : json_null());
    json_object_set_new(m, "curves", curves);
    json_object_set_new(o, "limits", m);
    return o;
}
