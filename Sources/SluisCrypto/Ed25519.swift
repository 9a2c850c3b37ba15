import COpenSSL

/// Ed25519 signatures (RFC 8032), for the register's signed checkpoints (C2SP signed-note).
extension PrivateKey {
    /// A new Ed25519 key.
    public static func generateEd25519() throws(CryptoError) -> PrivateKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "ED25519", nil) else { throw CryptoError.drain("Ed25519 key generation") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_generate(context, &key) == 1, let key else {
            throw CryptoError.drain("Ed25519 key generation")
        }
        return PrivateKey(owning: key)
    }

    /// The raw 32-byte public key of an Ed25519 key.
    public func rawPublicKey() throws(CryptoError) -> [UInt8] {
        var length = 0
        guard EVP_PKEY_get_raw_public_key(pointer, nil, &length) == 1 else { throw CryptoError.drain("public key") }
        var bytes = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_public_key(pointer, &bytes, &length) == 1 else { throw CryptoError.drain("public key") }
        return Array(bytes.prefix(length))
    }

    /// Signs `message` (Ed25519 signs the message itself, no separate digest): 64 bytes.
    /// Throws `KeyError.unusable` for a key of another kind, `CryptoError` when OpenSSL fails.
    public func signEd25519(_ message: [UInt8]) throws -> [UInt8] {
        guard kind == .ed25519 else { throw KeyError.unusable("Ed25519 signing with an \(kind.rawValue) key") }
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.drain("Ed25519 signing") }
        defer { EVP_MD_CTX_free(context) }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = signature.count
        guard EVP_DigestSignInit_ex(context, nil, nil, nil, nil, pointer, nil) == 1,
              EVP_DigestSign(context, &signature, &length, message, message.count) == 1, length == 64
        else { throw CryptoError.drain("Ed25519 signing") }
        return signature
    }
}

public enum Ed25519 {
    /// Whether `signature` is `publicKey`'s signature over `message`.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == 64, publicKey.count == 32,
              let key = EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, publicKey, publicKey.count)
        else { ERR_clear_error(); return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let ok = EVP_DigestVerifyInit_ex(context, nil, nil, nil, nil, key, nil) == 1
            && EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
        ERR_clear_error()
        return ok
    }
}

/// SHA-256 with the algorithm fetched once and one reusable context: for hashing millions of
/// small inputs (Merkle leaves and nodes). Not thread-safe: one per task.
public final class SHA256Hasher {
    private let digest: OpaquePointer
    private let context: OpaquePointer

    public init() throws(CryptoError) {
        guard let digest = EVP_MD_fetch(nil, "SHA2-256", nil) else { throw CryptoError.drain("fetching SHA-256") }
        guard let context = EVP_MD_CTX_new() else {
            EVP_MD_free(digest)
            throw CryptoError.drain("SHA-256 context")
        }
        self.digest = digest
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
        EVP_MD_free(digest)
    }

    /// SHA-256 of `prefix` (one byte) followed by the parts.
    public func hash(prefix: UInt8, _ parts: UnsafeRawBufferPointer...) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var byte = prefix
        var length: UInt32 = 0
        // With a fetched algorithm and a live context these calls fail only when memory runs out.
        let ok = EVP_DigestInit_ex2(context, digest, nil) == 1
            && EVP_DigestUpdate(context, &byte, 1) == 1
            && parts.allSatisfy { $0.count == 0 || EVP_DigestUpdate(context, $0.baseAddress, $0.count) == 1 }
            && EVP_DigestFinal_ex(context, &output, &length) == 1
        precondition(ok, "SHA-256 failed inside OpenSSL (out of memory)")
        return output
    }
}
