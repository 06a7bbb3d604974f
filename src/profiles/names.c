/* Supported groups, signature schemes and versions by IANA code. Names are
 * the IANA registry spellings ("TLS Supported Groups", "TLS SignatureScheme");
 * the TLS 1.2 hash/signature pairs the SignatureScheme registry leaves
 * unnamed (SHA-224, DSA, MD5) use the spelling OpenSSL gives them. */
#include <string.h>

#include "profiles/names.h"

static const struct td_pname groups[] = {
    {0x0001, "sect163k1"}, {0x0002, "sect163r1"}, {0x0003, "sect163r2"},   {0x0004, "sect193r1"},
    {0x0005, "sect193r2"}, {0x0006, "sect233k1"}, {0x0007, "sect233r1"},   {0x0008, "sect239k1"},
    {0x0009, "sect283k1"}, {0x000A, "sect283r1"}, {0x000B, "sect409k1"},   {0x000C, "sect409r1"},
    {0x000D, "sect571k1"}, {0x000E, "sect571r1"}, {0x000F, "secp160k1"},   {0x0010, "secp160r1"},
    {0x0011, "secp160r2"}, {0x0012, "secp192k1"}, {0x0013, "secp192r1"},   {0x0014, "secp224k1"},
    {0x0015, "secp224r1"}, {0x0016, "secp256k1"}, {0x0017, "secp256r1"},   {0x0018, "secp384r1"},
    {0x0019, "secp521r1"}, {0x001A, "brainpoolP256r1"}, {0x001B, "brainpoolP384r1"},
    {0x001C, "brainpoolP512r1"}, {0x001D, "x25519"}, {0x001E, "x448"},     {0x001F, "brainpoolP256r1tls13"},
    {0x0020, "brainpoolP384r1tls13"}, {0x0021, "brainpoolP512r1tls13"},    {0x0100, "ffdhe2048"},
    {0x0101, "ffdhe3072"}, {0x0102, "ffdhe4096"}, {0x0103, "ffdhe6144"},   {0x0104, "ffdhe8192"},
    {0x11EC, "X25519MLKEM768"},
};

static const struct td_pname sigalgs[] = {
    {0x0101, "rsa_pkcs1_md5"},       {0x0102, "dsa_md5"},
    {0x0103, "ecdsa_md5"},           {0x0201, "rsa_pkcs1_sha1"},
    {0x0202, "dsa_sha1"},            {0x0203, "ecdsa_sha1"},
    {0x0301, "rsa_pkcs1_sha224"},    {0x0302, "dsa_sha224"},
    {0x0303, "ecdsa_sha224"},        {0x0401, "rsa_pkcs1_sha256"},
    {0x0402, "dsa_sha256"},          {0x0403, "ecdsa_secp256r1_sha256"},
    {0x0501, "rsa_pkcs1_sha384"},    {0x0502, "dsa_sha384"},
    {0x0503, "ecdsa_secp384r1_sha384"}, {0x0601, "rsa_pkcs1_sha512"},
    {0x0602, "dsa_sha512"},          {0x0603, "ecdsa_secp521r1_sha512"},
    {0x0804, "rsa_pss_rsae_sha256"}, {0x0805, "rsa_pss_rsae_sha384"},
    {0x0806, "rsa_pss_rsae_sha512"}, {0x0807, "ed25519"},
    {0x0808, "ed448"},               {0x0809, "rsa_pss_pss_sha256"},
    {0x080A, "rsa_pss_pss_sha384"},  {0x080B, "rsa_pss_pss_sha512"},
    {0x081A, "ecdsa_brainpoolP256r1tls13_sha256"}, {0x081B, "ecdsa_brainpoolP384r1tls13_sha384"},
    {0x081C, "ecdsa_brainpoolP512r1tls13_sha512"},
};

static const struct td_pname versions[] = {
    {0x0300, "SSL3.0"}, {0x0301, "TLS1.0"},  {0x0302, "TLS1.1"},  {0x0303, "TLS1.2"},
    {0x0304, "TLS1.3"}, {0xFEFF, "DTLS1.0"}, {0xFEFD, "DTLS1.2"}, {0xFEFC, "DTLS1.3"},
};

static const char *by_code(const struct td_pname *t, size_t n, uint16_t code)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i].code == code)
            return t[i].name;
    }
    return NULL;
}

static int by_name(const struct td_pname *t, size_t n, const char *name, uint16_t *code)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(t[i].name, name) == 0) {
            *code = t[i].code;
            return 0;
        }
    }
    return -1;
}

#define N(t) (sizeof(t) / sizeof((t)[0]))

const char *td_profile_suite_name(uint16_t code)
{
    return by_code(td_profile_suite_names, td_profile_suite_names_count, code);
}
const char *td_profile_group_name(uint16_t code) { return by_code(groups, N(groups), code); }
const char *td_profile_sigalg_name(uint16_t code) { return by_code(sigalgs, N(sigalgs), code); }
const char *td_profile_version_name(uint16_t code) { return by_code(versions, N(versions), code); }

int td_profile_suite_code(const char *name, uint16_t *code)
{
    return by_name(td_profile_suite_names, td_profile_suite_names_count, name, code);
}
int td_profile_group_code(const char *name, uint16_t *code) { return by_name(groups, N(groups), name, code); }
int td_profile_sigalg_code(const char *name, uint16_t *code) { return by_name(sigalgs, N(sigalgs), name, code); }
int td_profile_version_code(const char *name, uint16_t *code) { return by_name(versions, N(versions), name, code); }
