import COpenSSL

/// Time-based one-time passwords (RFC 6238) for the second factor the covenant requires
/// (art. 10.2: meer-factor authenticatie). Time is passed in, never read here.
public struct TOTP: Sendable {
    public enum Algorithm: String, Sendable { case sha1 = "SHA1", sha256 = "SHA256", sha512 = "SHA512" }

    public let secret: SecureBytes
    public let algorithm: Algorithm
    public let digits: Int
    public let period: Int64

    public init(secret: SecureBytes, algorithm: Algorithm = .sha1, digits: Int = 6, period: Int64 = 30) {
        self.secret = secret
        self.algorithm = algorithm
        self.digits = digits
        self.period = period
    }

    /// A new random 160-bit secret (RFC 4226 recommends at least 128 bits).
    public static func generateSecret() throws(CryptoError) -> SecureBytes { try SecureBytes.random(count: 20) }

    public func step(at unixTime: Int64) -> Int64 { unixTime >= 0 ? unixTime / period : (unixTime - period + 1) / period }

    /// The code for a time step (RFC 4226 dynamic truncation).
    public func code(forStep step: Int64) throws(CryptoError) -> String {
        var counter = [UInt8](repeating: 0, count: 8)
        for index in 0..<8 { counter[index] = UInt8(truncatingIfNeeded: UInt64(bitPattern: step) >> (56 - 8 * UInt64(index))) }
        let mac = try KeyedHMAC(key: secret, digest: KeyedHMAC.Digest(rawValue: algorithm.rawValue)!)
        let digest = try mac.authenticate([counter])
        let offset = Int(digest[digest.count - 1] & 0x0F)
        let binary = (UInt32(digest[offset] & 0x7F) << 24) | (UInt32(digest[offset + 1]) << 16)
            | (UInt32(digest[offset + 2]) << 8) | UInt32(digest[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    public func code(at unixTime: Int64) throws(CryptoError) -> String { try code(forStep: step(at: unixTime)) }

    /// Checks `code` at `unixTime`, allowing `window` steps of clock drift either way, and
    /// refusing any step at or before `lastAcceptedStep` (replay guard: a code is used once).
    /// Returns the accepted step, which the caller stores as the new `lastAcceptedStep`.
    public func verify(_ code: String, at unixTime: Int64, lastAcceptedStep: Int64?, window: Int64 = 1) throws(CryptoError) -> Int64? {
        guard code.count == digits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return nil }
        let current = step(at: unixTime)
        var accepted: Int64?
        // Compare every candidate in constant time, and do not stop at the first match.
        for candidate in (current - window)...(current + window) {
            let expected = try self.code(forStep: candidate)
            if ConstantTime.equal(Array(expected.utf8), Array(code.utf8)), accepted == nil { accepted = candidate }
        }
        guard let accepted else { return nil }
        if let lastAcceptedStep, accepted <= lastAcceptedStep { return nil }
        return accepted
    }

    /// The provisioning URI for authenticator apps (Key Uri Format).
    public func provisioningURI(issuer: String, account: String) -> String {
        let encode = { (text: String) in text.addingPercentEncodingForURI() }
        let secretText = secret.withUnsafeBytes { Base32.encode($0) }.uppercased()
        return "otpauth://totp/\(encode(issuer)):\(encode(account))?secret=\(secretText)&issuer=\(encode(issuer))"
            + "&algorithm=\(algorithm.rawValue)&digits=\(digits)&period=\(period)"
    }
}

extension String {
    func addingPercentEncodingForURI() -> String {
        var result = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + Hex.encode([byte]).uppercased()
            }
        }
        return result
    }
}
