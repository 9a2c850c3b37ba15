import COpenSSL

/// AES-256-GCM with a 12-byte nonce and a 16-byte tag, over OpenSSL's EVP interface with the
/// cipher fetched once. For data Sluis keeps encrypted itself (e.g. identities at rest) and
/// for measuring raw cipher speed against `openssl speed`.
public enum AESGCM {
    public static let keySize = 32, nonceSize = 12, tagSize = 16

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Encrypts `input` into `output` (same length) and returns the tag. `output` is
    /// preallocated by the caller: allocating per call costs more than the cipher (docs/performance.md).
    public static func seal(
        key: SecureBytes, nonce: [UInt8], aad: [UInt8] = [], input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer
    ) throws(CryptoError) -> [UInt8] {
        guard key.count == keySize, nonce.count == nonceSize, output.count >= input.count else {
            throw CryptoError(operation: "AES-256-GCM: wrong key, nonce or buffer size", openSSLReasons: [])
        }
        let cipher = try Ciphers.shared.require(Ciphers.shared.aes256gcm, "AES-256-GCM")
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.drain("AES-256-GCM") }
        defer { EVP_CIPHER_CTX_free(context) }
        var tag = [UInt8](repeating: 0, count: tagSize)
        var length: Int32 = 0
        let ok = key.withUnsafeBytes { keyBytes -> Bool in
            guard EVP_EncryptInit_ex2(context, cipher, keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), nonce, nil) == 1
            else { return false }
            if !aad.isEmpty, EVP_EncryptUpdate(context, nil, &length, aad, Int32(aad.count)) != 1 { return false }
            var offset = 0
            // EVP lengths are int: feed large inputs in chunks.
            while offset < input.count {
                let chunk = min(input.count - offset, 1 << 30)
                guard EVP_EncryptUpdate(context, output.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), &length,
                                        input.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), Int32(chunk)) == 1
                else { return false }
                offset += Int(length)
            }
            var finalLength: Int32 = 0
            return EVP_EncryptFinal_ex(context, nil, &finalLength) == 1
                && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagSize), &tag) == 1
        }
        guard ok else { throw CryptoError.drain("AES-256-GCM encryption") }
        return tag
    }

    /// Decrypts into `output` and checks the tag; on a tag mismatch `output` is wiped and an
    /// error thrown, so unauthenticated plaintext is never returned.
    public static func open(
        key: SecureBytes, nonce: [UInt8], aad: [UInt8] = [], tag: [UInt8], input: UnsafeRawBufferPointer,
        output: UnsafeMutableRawBufferPointer
    ) throws(CryptoError) {
        guard key.count == keySize, nonce.count == nonceSize, tag.count == tagSize, output.count >= input.count else {
            throw CryptoError(operation: "AES-256-GCM: wrong key, nonce, tag or buffer size", openSSLReasons: [])
        }
        let cipher = try Ciphers.shared.require(Ciphers.shared.aes256gcm, "AES-256-GCM")
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.drain("AES-256-GCM") }
        defer { EVP_CIPHER_CTX_free(context) }
        var expected = tag
        var length: Int32 = 0
        let ok = key.withUnsafeBytes { keyBytes -> Bool in
            guard EVP_DecryptInit_ex2(context, cipher, keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), nonce, nil) == 1
            else { return false }
            if !aad.isEmpty, EVP_DecryptUpdate(context, nil, &length, aad, Int32(aad.count)) != 1 { return false }
            var offset = 0
            while offset < input.count {
                let chunk = min(input.count - offset, 1 << 30)
                guard EVP_DecryptUpdate(context, output.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), &length,
                                        input.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), Int32(chunk)) == 1
                else { return false }
                offset += Int(length)
            }
            var finalLength: Int32 = 0
            return EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagSize), &expected) == 1
                && EVP_DecryptFinal_ex(context, nil, &finalLength) == 1
        }
        guard ok else {
            if input.count > 0 { OPENSSL_cleanse(output.baseAddress, input.count) }
            ERR_clear_error()
            throw CryptoError(operation: "AES-256-GCM: the tag does not match (altered or wrong key)", openSSLReasons: [])
        }
    }
}
