/* Hand-written IANA TLS registries ("Transport Layer Security (TLS)
 * Parameters" and "TLS ExtensionType Values"), each entry with the document
 * that defines it. Code points that are widely seen on the wire but not
 * IANA-registered carry TD_REGF_NOT_IANA and the draft or vendor that uses
 * them. Every table is sorted by code (tests/unit/test_registry.c checks).
 *
 * The cipher-suite table is generated instead: suites_gen.c. */
#include "registry/tables.h"

#include <stddef.h>

/* The tables are laid out one entry per line (or two), which clang-format
 * would explode into one field per line. */
/* clang-format off */
#define NI TD_REGF_NOT_IANA
#define OB TD_REGF_OBSOLETE
#define DT TD_REGF_DTLS

/* ---- ProtocolVersion ----------------------------------------------------- */
static const struct td_reg_entry versions[] = {
    {0x0002, OB, "SSL 2.0", {"SSLv2", "ssl2"}, "draft-hickman-netscape-ssl-00",
     "SSL 2.0; seen only as the version of an SSLv2-compatible ClientHello (prohibited, RFC 6176)"},
    {0x0300, OB, "SSL 3.0", {"SSLv3", "ssl3"}, "RFC 6101", "SSL 3.0 (prohibited, RFC 7568)"},
    {0x0301, OB, "TLS 1.0", {"TLSv1", "TLSv1.0", "tls1"}, "RFC 2246", "TLS 1.0 (deprecated, RFC 8996)"},
    {0x0302, OB, "TLS 1.1", {"TLSv1.1", "tls1_1"}, "RFC 4346", "TLS 1.1 (deprecated, RFC 8996)"},
    {0x0303, 0, "TLS 1.2", {"TLSv1.2", "tls1_2"}, "RFC 5246", "TLS 1.2"},
    {0x0304, 0, "TLS 1.3", {"TLSv1.3", "tls1_3"}, "RFC 8446", "TLS 1.3"},
    {0xFEFC, DT, "DTLS 1.3", {"DTLSv1.3", "dtls1_3"}, "RFC 9147", "DTLS 1.3 (based on TLS 1.3)"},
    {0xFEFD, DT, "DTLS 1.2", {"DTLSv1.2", "dtls1_2"}, "RFC 6347", "DTLS 1.2 (based on TLS 1.2)"},
    {0xFEFF, DT | OB, "DTLS 1.0", {"DTLSv1", "DTLSv1.0", "dtls1"}, "RFC 4347",
     "DTLS 1.0 (based on TLS 1.1; deprecated, RFC 8996)"},
};

/* ---- ContentType (RFC 8446 §5.1; IANA "TLS ContentType") ------------------- */
static const struct td_reg_entry content_types[] = {
    {20, 0, "change_cipher_spec", {NULL}, "RFC 5246", "switch to the negotiated keys (TLS 1.3: compatibility only)"},
    {21, 0, "alert", {NULL}, "RFC 5246", "alert message"},
    {22, 0, "handshake", {NULL}, "RFC 5246", "handshake message"},
    {23, 0, "application_data", {NULL}, "RFC 5246", "application data (TLS 1.3: every encrypted record)"},
    {24, 0, "heartbeat", {NULL}, "RFC 6520", "heartbeat request/response"},
    {25, DT, "tls12_cid", {NULL}, "RFC 9146", "DTLS 1.2 record with connection ID"},
    {26, DT, "ack", {NULL}, "RFC 9147", "DTLS 1.3 acknowledgement"},
};

/* ---- HandshakeType (RFC 8446 §4; IANA "TLS HandshakeType") ----------------- */
static const struct td_reg_entry handshakes[] = {
    {0, 0, "hello_request", {NULL}, "RFC 5246", "server asks the client to renegotiate (TLS 1.2 and earlier)"},
    {1, 0, "client_hello", {"ClientHello"}, "RFC 8446", "client's offer: versions, suites, extensions"},
    {2, 0, "server_hello", {"ServerHello"}, "RFC 8446", "server's choice of version, suite and extensions"},
    {3, DT, "hello_verify_request", {NULL}, "RFC 6347", "DTLS 1.0/1.2 cookie exchange"},
    {4, 0, "new_session_ticket", {"NewSessionTicket"}, "RFC 8446", "session ticket for resumption (RFC 5077 in TLS 1.2)"},
    {5, 0, "end_of_early_data", {NULL}, "RFC 8446", "end of 0-RTT data"},
    {6, OB, "hello_retry_request", {"HelloRetryRequest"}, "RFC 8446",
     "reserved: TLS 1.3 drafts' HelloRetryRequest; final TLS 1.3 sends a special ServerHello"},
    {8, 0, "encrypted_extensions", {"EncryptedExtensions"}, "RFC 8446", "TLS 1.3 server extensions, encrypted"},
    {9, DT, "request_connection_id", {NULL}, "RFC 9147", "DTLS 1.3: ask for more connection IDs"},
    {10, DT, "new_connection_id", {NULL}, "RFC 9147", "DTLS 1.3: new connection IDs"},
    {11, 0, "certificate", {"Certificate"}, "RFC 8446", "certificate chain"},
    {12, 0, "server_key_exchange", {"ServerKeyExchange"}, "RFC 5246", "server's (EC)DHE parameters, signed (TLS 1.2 and earlier)"},
    {13, 0, "certificate_request", {"CertificateRequest"}, "RFC 8446", "server asks for a client certificate"},
    {14, 0, "server_hello_done", {"ServerHelloDone"}, "RFC 5246", "end of the server's first flight (TLS 1.2 and earlier)"},
    {15, 0, "certificate_verify", {"CertificateVerify"}, "RFC 8446", "proof of possession of the certificate key"},
    {16, 0, "client_key_exchange", {"ClientKeyExchange"}, "RFC 5246", "client's key share (TLS 1.2 and earlier)"},
    {17, 0, "client_certificate_request", {NULL}, "RFC 9261", "exported authenticator request"},
    {20, 0, "finished", {"Finished"}, "RFC 8446", "MAC over the handshake transcript"},
    {21, OB, "certificate_url", {NULL}, "RFC 6066", "client certificate URLs (not used in TLS 1.3)"},
    {22, 0, "certificate_status", {"CertificateStatus"}, "RFC 6066", "stapled OCSP response (TLS 1.2 and earlier)"},
    {23, OB, "supplemental_data", {NULL}, "RFC 4680", "supplemental data (not used in TLS 1.3)"},
    {24, 0, "key_update", {"KeyUpdate"}, "RFC 8446", "TLS 1.3 traffic key update"},
    {25, 0, "compressed_certificate", {NULL}, "RFC 8879", "compressed Certificate message"},
    {26, 0, "ekt_key", {NULL}, "RFC 8870", "encrypted key transport for SRTP"},
    {67, NI | OB, "next_protocol", {"NextProtocol"}, "draft-agl-tls-nextprotoneg", "NPN: client's chosen protocol (superseded by ALPN)"},
    {254, 0, "message_hash", {NULL}, "RFC 8446", "synthetic transcript message after HelloRetryRequest"},
};

/* ---- ExtensionType (IANA "TLS ExtensionType Values"). TLS13 = listed for
 * TLS 1.3 messages (RFC 8446 §4.2 table, or the defining RFC). ------------- */
#define T13 TD_REGF_EXT_TLS13
static const struct td_reg_entry extensions[] = {
    {0, T13, "server_name", {"SNI"}, "RFC 6066", "host name the client wants (SNI)"},
    {1, T13, "max_fragment_length", {"MFL"}, "RFC 6066", "client asks for records of at most 512..4096 bytes"},
    {2, OB, "client_certificate_url", {NULL}, "RFC 6066", "client will send certificate URLs"},
    {3, 0, "trusted_ca_keys", {NULL}, "RFC 6066", "CA keys the client trusts"},
    {4, OB, "truncated_hmac", {NULL}, "RFC 6066", "80-bit HMAC (insecure; RFC 9325 says do not use)"},
    {5, T13, "status_request", {"OCSP"}, "RFC 6066", "client asks for a stapled OCSP response"},
    {6, 0, "user_mapping", {NULL}, "RFC 4681", "user mapping hints"},
    {7, 0, "client_authz", {NULL}, "RFC 5878", "authorization data formats (client)"},
    {8, 0, "server_authz", {NULL}, "RFC 5878", "authorization data formats (server)"},
    {9, 0, "cert_type", {NULL}, "RFC 6091", "OpenPGP certificate type"},
    {10, T13, "supported_groups", {"elliptic_curves", "groups"}, "RFC 8422, RFC 7919",
     "(EC)DHE groups the client supports (formerly elliptic_curves)"},
    {11, 0, "ec_point_formats", {NULL}, "RFC 8422", "EC point formats (TLS 1.2 and earlier)"},
    {12, 0, "srp", {NULL}, "RFC 5054", "SRP user name"},
    {13, T13, "signature_algorithms", {"sigalgs"}, "RFC 8446", "signature schemes the client accepts"},
    {14, T13, "use_srtp", {NULL}, "RFC 5764", "DTLS-SRTP protection profiles"},
    {15, T13, "heartbeat", {NULL}, "RFC 6520", "heartbeat mode"},
    {16, T13, "application_layer_protocol_negotiation", {"ALPN"}, "RFC 7301", "application protocols (h2, http/1.1, mqtt)"},
    {17, 0, "status_request_v2", {NULL}, "RFC 6961", "multiple OCSP responses (TLS 1.2)"},
    {18, T13, "signed_certificate_timestamp", {"SCT"}, "RFC 6962", "certificate transparency timestamps"},
    {19, T13, "client_certificate_type", {NULL}, "RFC 7250", "client certificate type (X.509 or raw public key)"},
    {20, T13, "server_certificate_type", {NULL}, "RFC 7250", "server certificate type (X.509 or raw public key)"},
    {21, T13, "padding", {NULL}, "RFC 7685", "ClientHello padding"},
    {22, 0, "encrypt_then_mac", {"ETM"}, "RFC 7366", "MAC over the ciphertext for CBC suites (TLS 1.2 and earlier)"},
    {23, 0, "extended_master_secret", {"extended_main_secret", "EMS"}, "RFC 7627",
     "session hash in the master secret (TLS 1.2 and earlier)"},
    {24, 0, "token_binding", {NULL}, "RFC 8472", "token binding negotiation"},
    {25, 0, "cached_info", {NULL}, "RFC 7924", "client has cached server certificate/CA list"},
    {26, 0, "tls_lts", {NULL}, "draft-gutmann-tls-lts", "TLS-LTS profile"},
    {27, T13, "compress_certificate", {NULL}, "RFC 8879", "certificate compression algorithms"},
    {28, T13, "record_size_limit", {NULL}, "RFC 8449", "largest record the peer will accept"},
    {29, T13, "pwd_protect", {NULL}, "RFC 8492", "protected password user name"},
    {30, T13, "pwd_clear", {NULL}, "RFC 8492", "clear-text password user name"},
    {31, T13, "password_salt", {NULL}, "RFC 8492", "password salt"},
    {32, T13, "ticket_pinning", {NULL}, "RFC 8672", "TLS server identity pinning"},
    {33, T13, "tls_cert_with_extern_psk", {NULL}, "RFC 8773", "certificate plus external PSK"},
    {34, T13, "delegated_credential", {NULL}, "RFC 9345", "delegated credentials"},
    {35, 0, "session_ticket", {"SessionTicket"}, "RFC 5077, RFC 8447", "session ticket (TLS 1.2 and earlier)"},
    {36, 0, "TLMSP", {NULL}, "ETSI TS 103 523-2", "TLMSP"},
    {37, 0, "TLMSP_proxying", {NULL}, "ETSI TS 103 523-2", "TLMSP proxying"},
    {38, 0, "TLMSP_delegate", {NULL}, "ETSI TS 103 523-2", "TLMSP delegate"},
    {39, T13, "supported_ekt_ciphers", {NULL}, "RFC 8870", "EKT ciphers for SRTP"},
    {40, OB, "key_share (draft)", {NULL}, "RFC 8446", "reserved: key_share of TLS 1.3 drafts before -23"},
    {41, T13, "pre_shared_key", {"PSK"}, "RFC 8446", "PSK identities / selected identity"},
    {42, T13, "early_data", {NULL}, "RFC 8446", "0-RTT data"},
    {43, T13, "supported_versions", {NULL}, "RFC 8446", "TLS versions offered / selected (TLS 1.3 negotiation)"},
    {44, T13, "cookie", {NULL}, "RFC 8446", "HelloRetryRequest cookie"},
    {45, T13, "psk_key_exchange_modes", {NULL}, "RFC 8446", "PSK modes the client supports"},
    {46, OB, "ticket_early_data_info (draft)", {NULL}, "RFC 8446", "reserved: used by TLS 1.3 drafts"},
    {47, T13, "certificate_authorities", {NULL}, "RFC 8446", "CA names the peer trusts"},
    {48, T13, "oid_filters", {NULL}, "RFC 8446", "certificate extension filters in CertificateRequest"},
    {49, T13, "post_handshake_auth", {NULL}, "RFC 8446", "client accepts post-handshake authentication"},
    {50, T13, "signature_algorithms_cert", {NULL}, "RFC 8446", "signature schemes accepted in certificates"},
    {51, T13, "key_share", {NULL}, "RFC 8446", "(EC)DHE/KEM key shares"},
    {52, T13, "transparency_info", {NULL}, "RFC 9162", "certificate transparency 2.0"},
    {53, OB, "connection_id (deprecated)", {NULL}, "RFC 9146", "pre-standard DTLS connection ID code point"},
    {54, T13, "connection_id", {NULL}, "RFC 9146", "DTLS connection ID"},
    {55, T13, "external_id_hash", {NULL}, "RFC 8844", "external identity hash (SRTP)"},
    {56, T13, "external_session_id", {NULL}, "RFC 8844", "external session ID (SRTP)"},
    {57, T13, "quic_transport_parameters", {NULL}, "RFC 9001", "QUIC transport parameters"},
    {58, T13, "ticket_request", {NULL}, "RFC 9149", "number of tickets the client wants"},
    {59, T13, "dnssec_chain", {NULL}, "RFC 9102", "DNSSEC authentication chain"},
    {13172, NI | OB, "next_protocol_negotiation", {"NPN"}, "draft-agl-tls-nextprotoneg",
     "NPN (superseded by ALPN)"},
    {17513, NI | T13, "application_settings", {"ALPS"}, "draft-vvv-tls-alps", "ALPS (Chrome), old code point"},
    {17613, NI | T13, "application_settings_new", {NULL}, "draft-vvv-tls-alps", "ALPS (Chrome), new code point"},
    {30031, NI | OB, "channel_id_old", {NULL}, "draft-balfanz-tls-channelid", "TLS Channel ID (old code point)"},
    {30032, NI | OB, "channel_id", {NULL}, "draft-balfanz-tls-channelid", "TLS Channel ID"},
    {64768, T13, "ech_outer_extensions", {NULL}, "draft-ietf-tls-esni", "ECH: extensions copied from the outer ClientHello"},
    {65037, T13, "encrypted_client_hello", {"ECH"}, "draft-ietf-tls-esni", "Encrypted Client Hello"},
    {65281, 0, "renegotiation_info", {"secure_renegotiation"}, "RFC 5746",
     "secure renegotiation binding (TLS 1.2 and earlier)"},
};
#undef T13

/* ---- NamedGroup (IANA "TLS Supported Groups") -------------------------------- */
#define EC TD_REGF_GROUP_EC
#define FF TD_REGF_GROUP_FFDHE
#define PQ TD_REGF_GROUP_PQ
#define G13 TD_REGF_GROUP_TLS13
/* RFC 8422 §5.1.1 deprecates every curve but secp256r1/384r1/521r1, x25519
 * and x448; RFC 8446 §4.2.7 drops them from TLS 1.3. */
#define DEPR (EC | OB)
static const struct td_reg_entry groups[] = {
    {1, DEPR, "sect163k1", {"K-163"}, "RFC 4492", "binary curve (deprecated)"},
    {2, DEPR, "sect163r1", {NULL}, "RFC 4492", "binary curve (deprecated)"},
    {3, DEPR, "sect163r2", {"B-163"}, "RFC 4492", "binary curve (deprecated)"},
    {4, DEPR, "sect193r1", {NULL}, "RFC 4492", "binary curve (deprecated)"},
    {5, DEPR, "sect193r2", {NULL}, "RFC 4492", "binary curve (deprecated)"},
    {6, DEPR, "sect233k1", {"K-233"}, "RFC 4492", "binary curve (deprecated)"},
    {7, DEPR, "sect233r1", {"B-233"}, "RFC 4492", "binary curve (deprecated)"},
    {8, DEPR, "sect239k1", {NULL}, "RFC 4492", "binary curve (deprecated)"},
    {9, DEPR, "sect283k1", {"K-283"}, "RFC 4492", "binary curve (deprecated)"},
    {10, DEPR, "sect283r1", {"B-283"}, "RFC 4492", "binary curve (deprecated)"},
    {11, DEPR, "sect409k1", {"K-409"}, "RFC 4492", "binary curve (deprecated)"},
    {12, DEPR, "sect409r1", {"B-409"}, "RFC 4492", "binary curve (deprecated)"},
    {13, DEPR, "sect571k1", {"K-571"}, "RFC 4492", "binary curve (deprecated)"},
    {14, DEPR, "sect571r1", {"B-571"}, "RFC 4492", "binary curve (deprecated)"},
    {15, DEPR, "secp160k1", {NULL}, "RFC 4492", "160-bit prime curve (deprecated)"},
    {16, DEPR, "secp160r1", {NULL}, "RFC 4492", "160-bit prime curve (deprecated)"},
    {17, DEPR, "secp160r2", {NULL}, "RFC 4492", "160-bit prime curve (deprecated)"},
    {18, DEPR, "secp192k1", {NULL}, "RFC 4492", "192-bit prime curve (deprecated)"},
    {19, DEPR, "secp192r1", {"P-192", "prime192v1"}, "RFC 4492", "NIST P-192 (deprecated)"},
    {20, DEPR, "secp224k1", {NULL}, "RFC 4492", "224-bit prime curve (deprecated)"},
    {21, DEPR, "secp224r1", {"P-224"}, "RFC 4492", "NIST P-224 (deprecated)"},
    {22, DEPR, "secp256k1", {NULL}, "RFC 4492", "Koblitz 256-bit curve (deprecated)"},
    {23, EC | G13, "secp256r1", {"P-256", "prime256v1"}, "RFC 8422, RFC 8446", "NIST P-256"},
    {24, EC | G13, "secp384r1", {"P-384"}, "RFC 8422, RFC 8446", "NIST P-384"},
    {25, EC | G13, "secp521r1", {"P-521"}, "RFC 8422, RFC 8446", "NIST P-521"},
    {26, EC, "brainpoolP256r1", {NULL}, "RFC 7027", "Brainpool 256 (TLS 1.2 and earlier)"},
    {27, EC, "brainpoolP384r1", {NULL}, "RFC 7027", "Brainpool 384 (TLS 1.2 and earlier)"},
    {28, EC, "brainpoolP512r1", {NULL}, "RFC 7027", "Brainpool 512 (TLS 1.2 and earlier)"},
    {29, EC | G13, "x25519", {"curve25519"}, "RFC 8422, RFC 8446", "Curve25519"},
    {30, EC | G13, "x448", {"curve448"}, "RFC 8422, RFC 8446", "Curve448"},
    {31, EC | G13, "brainpoolP256r1tls13", {NULL}, "RFC 8734", "Brainpool 256 for TLS 1.3"},
    {32, EC | G13, "brainpoolP384r1tls13", {NULL}, "RFC 8734", "Brainpool 384 for TLS 1.3"},
    {33, EC | G13, "brainpoolP512r1tls13", {NULL}, "RFC 8734", "Brainpool 512 for TLS 1.3"},
    {34, EC | G13, "GC256A", {NULL}, "RFC 9189", "GOST R 34.10-2012 256-bit curve A"},
    {35, EC | G13, "GC256B", {NULL}, "RFC 9189", "GOST R 34.10-2012 256-bit curve B"},
    {36, EC | G13, "GC256C", {NULL}, "RFC 9189", "GOST R 34.10-2012 256-bit curve C"},
    {37, EC | G13, "GC256D", {NULL}, "RFC 9189", "GOST R 34.10-2012 256-bit curve D"},
    {38, EC | G13, "GC512A", {NULL}, "RFC 9189", "GOST R 34.10-2012 512-bit curve A"},
    {39, EC | G13, "GC512B", {NULL}, "RFC 9189", "GOST R 34.10-2012 512-bit curve B"},
    {40, EC | G13, "GC512C", {NULL}, "RFC 9189", "GOST R 34.10-2012 512-bit curve C"},
    {41, EC | G13, "curveSM2", {"SM2"}, "RFC 8998", "SM2 curve"},
    {256, FF | G13, "ffdhe2048", {NULL}, "RFC 7919", "2048-bit finite-field DH group"},
    {257, FF | G13, "ffdhe3072", {NULL}, "RFC 7919", "3072-bit finite-field DH group"},
    {258, FF | G13, "ffdhe4096", {NULL}, "RFC 7919", "4096-bit finite-field DH group"},
    {259, FF | G13, "ffdhe6144", {NULL}, "RFC 7919", "6144-bit finite-field DH group"},
    {260, FF | G13, "ffdhe8192", {NULL}, "RFC 7919", "8192-bit finite-field DH group"},
    {512, PQ | G13, "MLKEM512", {"ML-KEM-512"}, "draft-connolly-tls-mlkem-key-agreement", "ML-KEM-512 (pure post-quantum)"},
    {513, PQ | G13, "MLKEM768", {"ML-KEM-768"}, "draft-connolly-tls-mlkem-key-agreement", "ML-KEM-768 (pure post-quantum)"},
    {514, PQ | G13, "MLKEM1024", {"ML-KEM-1024"}, "draft-connolly-tls-mlkem-key-agreement", "ML-KEM-1024 (pure post-quantum)"},
    {4587, PQ | G13, "SecP256r1MLKEM768", {"P256MLKEM768"}, "draft-ietf-tls-ecdhe-mlkem", "hybrid P-256 + ML-KEM-768"},
    {4588, PQ | G13, "X25519MLKEM768", {NULL}, "draft-ietf-tls-ecdhe-mlkem", "hybrid X25519 + ML-KEM-768"},
    {4589, PQ | G13, "SecP384r1MLKEM1024", {"P384MLKEM1024"}, "draft-ietf-tls-ecdhe-mlkem", "hybrid P-384 + ML-KEM-1024"},
    {25497, PQ | G13 | OB, "X25519Kyber768Draft00", {"x25519_kyber768"}, "draft-tls-westerbaan-xyber768d00",
     "pre-standard hybrid X25519 + Kyber768 (obsolete)"},
    {25498, PQ | G13 | OB, "SecP256r1Kyber768Draft00", {NULL}, "draft-kwiatkowski-tls-ecdhe-kyber",
     "pre-standard hybrid P-256 + Kyber768 (obsolete)"},
    {65281, EC | OB, "arbitrary_explicit_prime_curves", {NULL}, "RFC 8422", "explicit prime curve parameters (deprecated)"},
    {65282, EC | OB, "arbitrary_explicit_char2_curves", {NULL}, "RFC 8422", "explicit binary curve parameters (deprecated)"},
};
#undef EC
#undef FF
#undef PQ
#undef G13
#undef DEPR

/* ---- SignatureScheme (RFC 8446 §4.2.3; IANA "TLS SignatureScheme"), and the
 * RFC 5246 §7.4.1.4.1 (HashAlgorithm, SignatureAlgorithm) pairs that RFC 8446
 * left out: hash md5(1) sha1(2) sha224(3) sha256(4) sha384(5) sha512(6),
 * signature rsa(1) dsa(2) ecdsa(3). -------------------------------------------- */
#define S12 TD_REGF_SIG_TLS12
#define S13 TD_REGF_SIG_TLS13
#define RSA TD_REGF_SIG_RSA
#define DSA TD_REGF_SIG_DSA
#define ECD TD_REGF_SIG_ECDSA
#define EDD TD_REGF_SIG_EDDSA
#define OTH TD_REGF_SIG_OTHER
static const struct td_reg_entry sigschemes[] = {
    {0x0101, S12 | RSA | OB, "rsa_md5", {NULL}, "RFC 5246", "RSA PKCS#1 v1.5 with MD5 (legacy TLS 1.2 pair)"},
    {0x0102, S12 | DSA | OB, "dsa_md5", {NULL}, "RFC 5246", "DSA with MD5 (legacy TLS 1.2 pair)"},
    {0x0103, S12 | ECD | OB, "ecdsa_md5", {NULL}, "RFC 5246", "ECDSA with MD5 (legacy TLS 1.2 pair)"},
    {0x0201, S12 | RSA | OB, "rsa_pkcs1_sha1", {"rsa_sha1"}, "RFC 8446", "RSA PKCS#1 v1.5 with SHA-1 (legacy)"},
    {0x0202, S12 | DSA | OB, "dsa_sha1", {"dsa_sha1_RESERVED"}, "RFC 5246, RFC 8446", "DSA with SHA-1 (legacy)"},
    {0x0203, S12 | ECD | OB, "ecdsa_sha1", {NULL}, "RFC 8446", "ECDSA with SHA-1 (legacy)"},
    {0x0301, S12 | RSA | OB, "rsa_sha224", {NULL}, "RFC 5246", "RSA PKCS#1 v1.5 with SHA-224 (legacy TLS 1.2 pair)"},
    {0x0302, S12 | DSA | OB, "dsa_sha224", {NULL}, "RFC 5246", "DSA with SHA-224 (legacy TLS 1.2 pair)"},
    {0x0303, S12 | ECD | OB, "ecdsa_sha224", {NULL}, "RFC 5246", "ECDSA with SHA-224 (legacy TLS 1.2 pair)"},
    {0x0401, S12 | RSA, "rsa_pkcs1_sha256", {"rsa_sha256"}, "RFC 8446",
     "RSA PKCS#1 v1.5 with SHA-256 (TLS 1.3: certificates only)"},
    {0x0402, S12 | DSA | OB, "dsa_sha256", {"dsa_sha256_RESERVED"}, "RFC 5246, RFC 8446", "DSA with SHA-256 (legacy)"},
    {0x0403, S12 | S13 | ECD, "ecdsa_secp256r1_sha256", {"ecdsa_sha256"}, "RFC 8446", "ECDSA P-256 with SHA-256"},
    {0x0501, S12 | RSA, "rsa_pkcs1_sha384", {"rsa_sha384"}, "RFC 8446",
     "RSA PKCS#1 v1.5 with SHA-384 (TLS 1.3: certificates only)"},
    {0x0502, S12 | DSA | OB, "dsa_sha384", {"dsa_sha384_RESERVED"}, "RFC 5246, RFC 8446", "DSA with SHA-384 (legacy)"},
    {0x0503, S12 | S13 | ECD, "ecdsa_secp384r1_sha384", {"ecdsa_sha384"}, "RFC 8446", "ECDSA P-384 with SHA-384"},
    {0x0601, S12 | RSA, "rsa_pkcs1_sha512", {"rsa_sha512"}, "RFC 8446",
     "RSA PKCS#1 v1.5 with SHA-512 (TLS 1.3: certificates only)"},
    {0x0602, S12 | DSA | OB, "dsa_sha512", {"dsa_sha512_RESERVED"}, "RFC 5246, RFC 8446", "DSA with SHA-512 (legacy)"},
    {0x0603, S12 | S13 | ECD, "ecdsa_secp521r1_sha512", {"ecdsa_sha512"}, "RFC 8446", "ECDSA P-521 with SHA-512"},
    {0x0708, S13 | OTH, "sm2sig_sm3", {NULL}, "RFC 8998", "SM2 with SM3"},
    {0x0709, S13 | OTH, "gostr34102012_256a", {NULL}, "RFC 9367", "GOST R 34.10-2012 256-bit, curve A"},
    {0x070A, S13 | OTH, "gostr34102012_256b", {NULL}, "RFC 9367", "GOST R 34.10-2012 256-bit, curve B"},
    {0x070B, S13 | OTH, "gostr34102012_256c", {NULL}, "RFC 9367", "GOST R 34.10-2012 256-bit, curve C"},
    {0x070C, S13 | OTH, "gostr34102012_256d", {NULL}, "RFC 9367", "GOST R 34.10-2012 256-bit, curve D"},
    {0x070D, S13 | OTH, "gostr34102012_512a", {NULL}, "RFC 9367", "GOST R 34.10-2012 512-bit, curve A"},
    {0x070E, S13 | OTH, "gostr34102012_512b", {NULL}, "RFC 9367", "GOST R 34.10-2012 512-bit, curve B"},
    {0x070F, S13 | OTH, "gostr34102012_512c", {NULL}, "RFC 9367", "GOST R 34.10-2012 512-bit, curve C"},
    {0x0804, S12 | S13 | RSA, "rsa_pss_rsae_sha256", {NULL}, "RFC 8446", "RSA-PSS with SHA-256, rsaEncryption key"},
    {0x0805, S12 | S13 | RSA, "rsa_pss_rsae_sha384", {NULL}, "RFC 8446", "RSA-PSS with SHA-384, rsaEncryption key"},
    {0x0806, S12 | S13 | RSA, "rsa_pss_rsae_sha512", {NULL}, "RFC 8446", "RSA-PSS with SHA-512, rsaEncryption key"},
    {0x0807, S12 | S13 | EDD, "ed25519", {NULL}, "RFC 8446, RFC 8422", "EdDSA Ed25519"},
    {0x0808, S12 | S13 | EDD, "ed448", {NULL}, "RFC 8446, RFC 8422", "EdDSA Ed448"},
    {0x0809, S12 | S13 | RSA, "rsa_pss_pss_sha256", {NULL}, "RFC 8446", "RSA-PSS with SHA-256, RSASSA-PSS key"},
    {0x080A, S12 | S13 | RSA, "rsa_pss_pss_sha384", {NULL}, "RFC 8446", "RSA-PSS with SHA-384, RSASSA-PSS key"},
    {0x080B, S12 | S13 | RSA, "rsa_pss_pss_sha512", {NULL}, "RFC 8446", "RSA-PSS with SHA-512, RSASSA-PSS key"},
    {0x081A, S13 | ECD, "ecdsa_brainpoolP256r1tls13_sha256", {NULL}, "RFC 8734", "ECDSA Brainpool 256 with SHA-256"},
    {0x081B, S13 | ECD, "ecdsa_brainpoolP384r1tls13_sha384", {NULL}, "RFC 8734", "ECDSA Brainpool 384 with SHA-384"},
    {0x081C, S13 | ECD, "ecdsa_brainpoolP512r1tls13_sha512", {NULL}, "RFC 8734", "ECDSA Brainpool 512 with SHA-512"},
    {0x0840, S12 | OTH, "gostr34102012_256", {NULL}, "RFC 9189", "GOST R 34.10-2012 256-bit (TLS 1.2)"},
    {0x0841, S12 | OTH, "gostr34102012_512", {NULL}, "RFC 9189", "GOST R 34.10-2012 512-bit (TLS 1.2)"},
    {0x0904, S13 | OTH, "mldsa44", {"ML-DSA-44"}, "draft-ietf-tls-mldsa", "ML-DSA-44 (post-quantum)"},
    {0x0905, S13 | OTH, "mldsa65", {"ML-DSA-65"}, "draft-ietf-tls-mldsa", "ML-DSA-65 (post-quantum)"},
    {0x0906, S13 | OTH, "mldsa87", {"ML-DSA-87"}, "draft-ietf-tls-mldsa", "ML-DSA-87 (post-quantum)"},
};
#undef S12
#undef S13
#undef RSA
#undef DSA
#undef ECD
#undef EDD
#undef OTH

/* ---- ECPointFormat (RFC 8422 §5.1.2) ------------------------------------------- */
static const struct td_reg_entry point_formats[] = {
    {0, 0, "uncompressed", {NULL}, "RFC 8422", "uncompressed points (the only format RFC 8422 allows)"},
    {1, OB, "ansiX962_compressed_prime", {NULL}, "RFC 4492, RFC 8422", "compressed prime-curve points (deprecated)"},
    {2, OB, "ansiX962_compressed_char2", {NULL}, "RFC 4492, RFC 8422", "compressed binary-curve points (deprecated)"},
};

/* ---- CompressionMethod ---------------------------------------------------------- */
static const struct td_reg_entry compressions[] = {
    {0, 0, "null", {"none"}, "RFC 5246", "no compression"},
    {1, OB, "DEFLATE", {NULL}, "RFC 3749", "DEFLATE (CRIME attack; TLS 1.3 forbids compression, RFC 8446 §4.1.2)"},
    {64, OB, "LZS", {NULL}, "RFC 3943", "LZS compression"},
};

/* ---- AlertDescription (RFC 8446 §6, RFC 5246 §7.2; IANA "TLS Alerts").
 * Level hints: RFC 5246 §7.2.2 names the always-fatal ones; RFC 8446 §6
 * makes every alert but close_notify and user_canceled fatal in TLS 1.3. */
#define W TD_REGF_ALERT_WARNING
#define F TD_REGF_ALERT_FATAL
static const struct td_reg_entry alerts[] = {
    {0, W, "close_notify", {NULL}, "RFC 8446", "the peer is closing the connection normally"},
    {10, F, "unexpected_message", {NULL}, "RFC 8446", "a message arrived that was not allowed at that point"},
    {20, F, "bad_record_mac", {NULL}, "RFC 8446", "a record failed to decrypt or authenticate"},
    {21, F | OB, "decryption_failed", {"decryption_failed_RESERVED"}, "RFC 5246", "decryption failed (TLS 1.0 only)"},
    {22, F, "record_overflow", {NULL}, "RFC 8446", "a record was longer than allowed (check max_fragment_length)"},
    {30, F | OB, "decompression_failure", {"decompression_failure_RESERVED"}, "RFC 5246", "decompression failed"},
    {40, F, "handshake_failure", {NULL}, "RFC 8446",
     "no acceptable parameters: usually no common cipher suite, group or signature scheme"},
    {41, W | OB, "no_certificate", {"no_certificate_RESERVED"}, "RFC 5246", "SSL 3.0: the client has no certificate"},
    {42, W | F, "bad_certificate", {NULL}, "RFC 8446", "a certificate was corrupt or its signature did not verify"},
    {43, W | F, "unsupported_certificate", {NULL}, "RFC 8446", "a certificate was of an unsupported type"},
    {44, W | F, "certificate_revoked", {NULL}, "RFC 8446", "a certificate was revoked by its signer"},
    {45, W | F, "certificate_expired", {NULL}, "RFC 8446", "a certificate has expired or is not yet valid"},
    {46, W | F, "certificate_unknown", {NULL}, "RFC 8446", "a certificate was unacceptable for another reason"},
    {47, F, "illegal_parameter", {NULL}, "RFC 8446", "a handshake field was out of range or inconsistent"},
    {48, F, "unknown_ca", {NULL}, "RFC 8446", "the chain does not lead to a CA the peer trusts"},
    {49, F, "access_denied", {NULL}, "RFC 8446", "valid certificate, but access is not allowed"},
    {50, F, "decode_error", {NULL}, "RFC 8446", "a message could not be decoded (bad length or field)"},
    {51, F, "decrypt_error", {NULL}, "RFC 8446", "a handshake signature or Finished check failed"},
    {60, F | OB, "export_restriction", {"export_restriction_RESERVED"}, "RFC 5246", "export restriction (TLS 1.0 only)"},
    {70, F, "protocol_version", {NULL}, "RFC 8446", "the peer does not support the offered protocol version"},
    {71, F, "insufficient_security", {NULL}, "RFC 8446", "the peer requires stronger parameters than offered"},
    {80, F, "internal_error", {NULL}, "RFC 8446", "the peer hit an internal error unrelated to the protocol"},
    {86, F, "inappropriate_fallback", {NULL}, "RFC 7507", "TLS_FALLBACK_SCSV sent but the server supports a higher version"},
    {90, W, "user_canceled", {NULL}, "RFC 8446", "the peer's user cancelled the handshake"},
    {100, W | OB, "no_renegotiation", {"no_renegotiation_RESERVED"}, "RFC 5246", "renegotiation refused"},
    {109, F, "missing_extension", {NULL}, "RFC 8446", "a required extension was missing"},
    {110, F, "unsupported_extension", {NULL}, "RFC 8446", "an extension was sent that was not offered or allowed"},
    {111, W | F | OB, "certificate_unobtainable", {"certificate_unobtainable_RESERVED"}, "RFC 6066",
     "the certificate URL could not be fetched"},
    {112, W | F, "unrecognized_name", {NULL}, "RFC 6066", "the server has no host by the name sent in SNI"},
    {113, F, "bad_certificate_status_response", {NULL}, "RFC 6066, RFC 8446", "the stapled OCSP response was invalid"},
    {114, F | OB, "bad_certificate_hash_value", {"bad_certificate_hash_value_RESERVED"}, "RFC 6066",
     "certificate hash mismatch (certificate URLs)"},
    {115, F, "unknown_psk_identity", {NULL}, "RFC 4279, RFC 8446", "the server does not know the PSK identity"},
    {116, F, "certificate_required", {NULL}, "RFC 8446", "the server requires a client certificate"},
    {120, F, "no_application_protocol", {NULL}, "RFC 7301", "no common ALPN protocol"},
    {121, F, "ech_required", {NULL}, "draft-ietf-tls-esni", "the server requires Encrypted Client Hello"},
};
#undef W
#undef F

static const struct td_reg_entry alert_levels[] = {
    {1, 0, "warning", {NULL}, "RFC 5246", "warning (TLS 1.3: only close_notify and user_canceled)"},
    {2, 0, "fatal", {NULL}, "RFC 5246", "fatal: the connection is closed"},
};

/* ---- MaxFragmentLength (RFC 6066 §4) ------------------------------------------- */
static const struct td_reg_entry mfls[] = {
    {1, 0, "2^9", {"512"}, "RFC 6066", "records of at most 512 bytes"},
    {2, 0, "2^10", {"1024"}, "RFC 6066", "records of at most 1024 bytes"},
    {3, 0, "2^11", {"2048"}, "RFC 6066", "records of at most 2048 bytes"},
    {4, 0, "2^12", {"4096"}, "RFC 6066", "records of at most 4096 bytes"},
};

/* ---- PskKeyExchangeMode (RFC 8446 §4.2.9) -------------------------------------- */
static const struct td_reg_entry psk_modes[] = {
    {0, 0, "psk_ke", {NULL}, "RFC 8446", "PSK-only resumption (no forward secrecy)"},
    {1, 0, "psk_dhe_ke", {NULL}, "RFC 8446", "PSK with (EC)DHE"},
};

/* ---- CertificateCompressionAlgorithm (RFC 8879 §7.3) --------------------------- */
static const struct td_reg_entry cert_compressions[] = {
    {1, 0, "zlib", {NULL}, "RFC 8879", "zlib"},
    {2, 0, "brotli", {NULL}, "RFC 8879", "Brotli"},
    {3, 0, "zstd", {NULL}, "RFC 8879", "Zstandard"},
};

#define TABLE(label, arr, w) {label, arr, sizeof(arr) / sizeof((arr)[0]), w}
/* clang-format on */
const struct td_reg_table_desc td_reg_tables[TD_REG__COUNT] = {
    [TD_REG_VERSION] = TABLE("protocol version", versions, 2),
    [TD_REG_CONTENT_TYPE] = TABLE("content type", content_types, 1),
    [TD_REG_HANDSHAKE] = TABLE("handshake type", handshakes, 1),
    [TD_REG_EXTENSION] = TABLE("extension", extensions, 2),
    [TD_REG_GROUP] = TABLE("supported group", groups, 2),
    [TD_REG_SIGSCHEME] = TABLE("signature scheme", sigschemes, 2),
    [TD_REG_EC_POINT_FORMAT] = TABLE("EC point format", point_formats, 1),
    [TD_REG_COMPRESSION] = TABLE("compression method", compressions, 1),
    [TD_REG_ALERT] = TABLE("alert", alerts, 1),
    [TD_REG_ALERT_LEVEL] = TABLE("alert level", alert_levels, 1),
    [TD_REG_MFL] = TABLE("max fragment length", mfls, 1),
    [TD_REG_PSK_MODE] = TABLE("PSK key exchange mode", psk_modes, 1),
    [TD_REG_CERT_COMPRESSION] = TABLE("certificate compression algorithm", cert_compressions, 2),
};
