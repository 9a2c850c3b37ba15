import COpenSSL

/// Secret bytes (keys, plaintexts, passwords) in memory that is wiped with `OPENSSL_cleanse`
/// when the last reference goes. Swift arrays may be copied and freed without wiping; secrets
/// live here instead and are lent out only inside `withUnsafeBytes`.
public final class SecureBytes: @unchecked Sendable {
    private let buffer: UnsafeMutableRawBufferPointer

    public let count: Int

    public init(count: Int) {
        // At least one byte, so that an empty secret still has an address to wipe.
        buffer = .allocate(byteCount: max(count, 1), alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        self.count = count
    }

    /// Copies `bytes` in; the caller should wipe its own copy if it has one.
    public convenience init(_ bytes: some Collection<UInt8>) {
        self.init(count: bytes.count)
        UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes.count]).copyBytes(from: bytes)
    }

    /// Fresh random bytes from OpenSSL's CSPRNG.
    public static func random(count: Int) throws(CryptoError) -> SecureBytes {
        let secret = SecureBytes(count: count)
        let ok = secret.withUnsafeMutableBytes { pointer in
            pointer.isEmpty || RAND_bytes(pointer.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(pointer.count)) == 1
        }
        guard ok else { throw CryptoError.drain("random bytes") }
        return secret
    }

    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }

    public func withUnsafeMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]))
    }

    /// A copy as an ordinary array — only for data that is no longer secret (e.g. to return
    /// plaintext to a caller who asked for it).
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    deinit {
        OPENSSL_cleanse(buffer.baseAddress, buffer.count)
        buffer.deallocate()
    }
}

extension SecureBytes {
    /// The bytes as lowercase hex (for a key file), without a copy outside wiped memory.
    public func hexEncoded() -> SecureBytes {
        let result = SecureBytes(count: count * 2)
        withUnsafeBytes { input in
            result.withUnsafeMutableBytes { output in
                for (index, byte) in input.enumerated() {
                    output[2 * index] = Hex.digits[Int(byte >> 4)]
                    output[2 * index + 1] = Hex.digits[Int(byte & 0x0F)]
                }
            }
        }
        return result
    }

    /// Hex text (upper or lower case; white space around it ignored) decoded, without a copy
    /// outside wiped memory; nil when it is not hex.
    public func hexDecoded() -> SecureBytes? {
        withUnsafeBytes { text -> SecureBytes? in
            let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
            guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }),
                  (last - first + 1) % 2 == 0 else { return nil }
            let result = SecureBytes(count: (last - first + 1) / 2)
            let ok = result.withUnsafeMutableBytes { output in
                for index in 0..<output.count {
                    guard let high = Hex.value(ofDigit: text[first + 2 * index]), let low = Hex.value(ofDigit: text[first + 2 * index + 1])
                    else { return false }
                    output[index] = high << 4 | low
                }
                return true
            }
            return ok ? result : nil
        }
    }
}

/// OpenSSL's CSPRNG.
public enum Random {
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        guard buffer.count > 0 else { return }
        guard RAND_bytes(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) == 1 else {
            throw CryptoError.drain("random bytes")
        }
    }

    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        let ok = result.withUnsafeMutableBytes { pointer in
            pointer.isEmpty || RAND_bytes(pointer.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(pointer.count)) == 1
        }
        guard ok else { throw CryptoError.drain("random bytes") }
        return result
    }
}

/// Comparison whose time does not depend on where the inputs differ (CRYPTO_memcmp), for
/// MACs, password hashes and one-time codes.
public enum ConstantTime {
    public static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0)
    }

    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { left in b.withUnsafeBytes { right in equal(left, right) } }
    }
}
