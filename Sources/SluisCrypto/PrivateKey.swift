import COpenSSL

/// A private key (EVP_PKEY), owned. Parties use EC P-256; RSA keys (e.g. from PKIoverheid)
/// are loaded the same way and get RSA-OAEP in bundles.
public final class PrivateKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }

    public enum Kind: String, Sendable {
        case ecP256 = "EC P-256"
        case ec = "EC"
        case rsa = "RSA"
        case ed25519 = "Ed25519"
        case other = "other"
    }

    /// A new EC key on NIST P-256 (prime256v1).
    public static func generateP256() throws(CryptoError) -> PrivateKey { try generateEC(curve: "P-256") }

    /// A new EC key on the named curve (OpenSSL's group name, e.g. `P-384`, `secp256k1`): for
    /// interoperability and refusal tests; parties use P-256.
    static func generateEC(curve: String) throws(CryptoError) -> PrivateKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { throw CryptoError.drain("EC key generation") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
              EVP_PKEY_CTX_set_group_name(context, curve) == 1,
              EVP_PKEY_generate(context, &key) == 1, let key
        else { throw CryptoError.drain("EC key generation") }
        return PrivateKey(owning: key)
    }

    /// A new RSA key (for interoperability tests with RSA-OAEP recipients).
    public static func generateRSA(bits: Int = 3072) throws(CryptoError) -> PrivateKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else { throw CryptoError.drain("RSA key generation") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
              EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) == 1,
              EVP_PKEY_generate(context, &key) == 1, let key
        else { throw CryptoError.drain("RSA key generation") }
        return PrivateKey(owning: key)
    }

    /// Loads a PEM private key (PKCS#8 or traditional). The PEM text is a secret: pass it as
    /// `SecureBytes`.
    public static func load(pem: SecureBytes) throws(CryptoError) -> PrivateKey {
        let bio = try pem.withUnsafeBytes { bytes throws(CryptoError) in try MemoryBIO(copying: bytes) }
        guard let key = bio.withPointer({ PEM_read_bio_PrivateKey($0, nil, nil, nil) }) else {
            throw CryptoError.drain("reading the PEM private key")
        }
        return PrivateKey(owning: key)
    }

    /// The key as unencrypted PKCS#8 PEM, in wiped memory. Stored with mode 0600 (docs/crypto.md).
    public func pem() throws(CryptoError) -> SecureBytes {
        let bio = try MemoryBIO()
        guard PEM_write_bio_PrivateKey(bio.pointer, pointer, nil, nil, 0, nil, nil) == 1 else {
            throw CryptoError.drain("writing the PEM private key")
        }
        return bio.secureBytes
    }

    public var kind: Kind { Self.kind(of: pointer) }

    static func kind(of key: OpaquePointer) -> Kind {
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            if EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1,
               ["prime256v1", "P-256"].contains(String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) {
                return .ecP256
            }
            return .ec
        case EVP_PKEY_RSA: return .rsa
        case EVP_PKEY_ED25519: return .ed25519
        default: return .other
        }
    }

    /// The dotted OID of an EC key's named curve (e.g. `1.2.840.10045.3.1.7` for P-256); nil for
    /// other keys and for curves given by explicit parameters (RFC 5480 §2.1.1: named curves only).
    static func curveOID(of key: OpaquePointer) -> String? {
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_EC else { return nil }
        var name = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1 else { ERR_clear_error(); return nil }
        let nid = OBJ_sn2nid(name) != NID_undef ? OBJ_sn2nid(name) : OBJ_ln2nid(name)
        guard nid != NID_undef, let object = OBJ_nid2obj(nid) else { ERR_clear_error(); return nil }
        var text = [CChar](repeating: 0, count: 64)
        let written = OBJ_obj2txt(&text, Int32(text.count), object, 1)
        guard written > 0, Int(written) < text.count else { return nil }
        return String(decoding: text.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    /// Whether `certificate` carries this key's public half.
    public func matches(_ certificate: Certificate) -> Bool {
        X509_check_private_key(certificate.pointer, pointer) == 1
    }
}
