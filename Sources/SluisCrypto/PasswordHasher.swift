import COpenSSL

/// Password hashing with scrypt from OpenSSL (EVP_PBE_scrypt). Default parameters follow the
/// OWASP recommendation: N = 2^17, r = 8, p = 1 (128 MiB, about a quarter second here), a
/// 16-byte random salt and a 32-byte hash, stored as a PHC string
/// `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (base64 without padding). Verification reads the
/// parameters from the string, within bounds, and compares in constant time.
public struct PasswordHasher: Sendable {
    public var logN: Int
    public var r: Int
    public var p: Int

    public static let recommended = PasswordHasher(logN: 17, r: 8, p: 1)

    public init(logN: Int, r: Int, p: Int) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// Bounds on parameters read from a stored hash, so a tampered row cannot make a login
    /// allocate gigabytes or spin for minutes.
    static let maxLogN = 20, maxR = 16, maxP = 4

    public func hash(_ password: SecureBytes) throws(CryptoError) -> String {
        let salt = try Random.bytes(16)
        let derived = try Self.derive(password, salt: salt, logN: logN, r: r, p: p)
        return "$scrypt$ln=\(logN),r=\(r),p=\(p)$\(Base64.encode(salt))$\(Base64.encode(derived.bytes))"
    }

    /// True when `password` matches `stored`; false for a wrong password or an unreadable hash.
    public static func verify(_ password: SecureBytes, against stored: String) throws(CryptoError) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" else { return false }
        var parameters: [String: Int] = [:]
        for item in parts[2].split(separator: ",") {
            let pair = item.split(separator: "=")
            guard pair.count == 2, let value = Int(pair[1]) else { return false }
            parameters[String(pair[0])] = value
        }
        guard let logN = parameters["ln"], let r = parameters["r"], let p = parameters["p"],
              (10...maxLogN).contains(logN), (1...maxR).contains(r), (1...maxP).contains(p),
              let salt = Base64.decode(String(parts[3])), let expected = Base64.decode(String(parts[4])),
              salt.count >= 16, expected.count == 32
        else { return false }
        let derived = try derive(password, salt: salt, logN: logN, r: r, p: p)
        return derived.withUnsafeBytes { derivedBytes in
            expected.withUnsafeBytes { ConstantTime.equal(derivedBytes, $0) }
        }
    }

    static func derive(_ password: SecureBytes, salt: [UInt8], logN: Int, r: Int, p: Int) throws(CryptoError) -> SecureBytes {
        let output = SecureBytes(count: 32)
        let n = UInt64(1) << UInt64(logN)
        // Memory scrypt needs: 128·r·N bytes for V plus 128·r·p for B, with headroom.
        let maxMemory = UInt64(128 * r) * (n + UInt64(p) + 2) + 1 << 20
        let ok = password.withUnsafeBytes { pass in
            output.withUnsafeMutableBytes { out in
                EVP_PBE_scrypt(pass.baseAddress?.assumingMemoryBound(to: CChar.self), pass.count, salt, salt.count,
                               n, UInt64(r), UInt64(p), maxMemory,
                               out.baseAddress?.assumingMemoryBound(to: UInt8.self), out.count) == 1
            }
        }
        guard ok else { throw CryptoError.drain("scrypt") }
        return output
    }
}

/// Standard base64 without padding (PHC strings).
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<(chunk.count + 1) { output.append(alphabet[(value >> (18 - 6 * position)) & 63]) }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer = 0, bits = 0
        for character in text.utf8 where character != UInt8(ascii: "=") {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = buffer << 6 | value
            bits += 6
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
            buffer &= (1 << bits) - 1
        }
        return output
    }
}
