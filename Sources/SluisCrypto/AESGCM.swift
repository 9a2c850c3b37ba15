import COpenSSL

/// AES-256-GCM with a 12-byte nonce and a 16-byte tag, over OpenSSL's EVP interface with the
/// cipher fetched once. For data Sluis keeps encrypted itself (e.g. identities at rest) and
/// for measuring raw cipher speed against `openssl speed`.
public enum AESGCM {
    public static let keySize = 32, nonceSize = 12, tagSize = 16

    /// Encrypts `input` into `output` (same length) and returns the 16-byte tag. `output` is
    /// preallocated by the caller: allocating per call costs more than the cipher (docs/performance.md).
    /// Throws `KeyError` for a key, nonce or output of the wrong size, `CryptoError` when OpenSSL fails.
    public static func seal(
        key: SecureBytes, nonce: [UInt8], aad: [UInt8] = [], input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer
    ) throws -> [UInt8] {
        try checkSizes(key: key, nonce: nonce, tag: nil, input: input, output: output)
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

    /// Decrypts into `output` and checks the tag; on a tag mismatch `output` is wiped and a
    /// `CryptoError` thrown, so unauthenticated plaintext is never returned. Throws `KeyError`
    /// for a key, nonce, tag or output of the wrong size.
    public static func open(
        key: SecureBytes, nonce: [UInt8], aad: [UInt8] = [], tag: [UInt8], input: UnsafeRawBufferPointer,
        output: UnsafeMutableRawBufferPointer
    ) throws {
        try checkSizes(key: key, nonce: nonce, tag: tag, input: input, output: output)
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

    /// The sizes AES-256-GCM needs, checked before OpenSSL is asked: a wrong size is the
    /// caller's error, not OpenSSL's.
    private static func checkSizes(
        key: SecureBytes, nonce: [UInt8], tag: [UInt8]?, input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer
    ) throws(KeyError) {
        guard key.count == keySize else { throw .wrongSize("AES-256-GCM key", expected: keySize, actual: key.count) }
        guard nonce.count == nonceSize else { throw .wrongSize("AES-256-GCM nonce", expected: nonceSize, actual: nonce.count) }
        if let tag, tag.count != tagSize { throw .wrongSize("AES-256-GCM tag", expected: tagSize, actual: tag.count) }
        guard output.count >= input.count else { throw .tooShort("AES-256-GCM output buffer", minimum: input.count, actual: output.count) }
    }
}
