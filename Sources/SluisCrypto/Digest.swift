import COpenSSL

/// SHA-256 through OpenSSL's EVP interface. Identifies the policy set in force (the register
/// records its hash) and, later, bundle digests and the Merkle tree.
public enum SHA256 {
    public static let byteCount = 32

    public static func hash(_ bytes: some Sequence<UInt8>) throws(CryptoError) -> [UInt8] {
        let input = Array(bytes)
        var output = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let ok = input.withUnsafeBytes { inputBuffer in
            output.withUnsafeMutableBytes { outputBuffer in
                EVP_Digest(inputBuffer.baseAddress, inputBuffer.count,
                           outputBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self), &length,
                           EVP_sha256(), nil)
            }
        }
        guard ok == 1, length == UInt32(byteCount) else { throw CryptoError.drain("SHA-256") }
        return output
    }

    public static func hex(_ bytes: some Sequence<UInt8>) throws(CryptoError) -> String {
        try Hex.encode(hash(bytes))
    }
}

/// Lowercase hexadecimal, as fingerprints and digests are shown.
public enum Hex {
    static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var position = 0
            for byte in bytes {
                buffer[position] = digits[Int(byte >> 4)]
                buffer[position + 1] = digits[Int(byte & 0x0f)]
                position += 2
            }
            return position
        }
    }
}

extension Hex {
    /// The value of one hex digit (either case); nil for any other byte.
    static func value(ofDigit digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Lowercase or uppercase hex to bytes; nil for anything else.
    public static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(ofDigit: digits[index]), let low = value(ofDigit: digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
