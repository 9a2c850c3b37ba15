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
    private static let digits = Array("0123456789abcdef".utf8)

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
