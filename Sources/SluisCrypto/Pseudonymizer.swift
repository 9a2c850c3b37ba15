import FoundationEssentials

/// Recipient-specific pseudonyms for pupils (art. 14.3; protocol 5.4, Bijlage 3.1):
/// `HMAC-SHA-256(key_v, "sluis/pseudonym/v1" ‖ 0 ‖ recipient ‖ 0 ‖ pupil key)`, shown as
/// `ps<v>-` and 32 base32 characters (160 bits). The same pupil gets unrelated pseudonyms at
/// different recipients; without the key nobody can link them or compute one. HMAC is one-way:
/// only the gateway maps a pseudonym back, by looking it up in its own table.
public final class Pseudonymizer: Sendable {
    public static let domainTag = "sluis/pseudonym/v1"
    /// The recipient name under which the register records pupils (never a BSN or a name).
    public static let registerRecipient = "sluis-register"

    /// One version of the pseudonym key; versions allow rotation (docs/crypto.md).
    public struct Key: Sendable {
        public let version: Int
        public let secret: SecureBytes

        public init(version: Int, secret: SecureBytes) {
            self.version = version
            self.secret = secret
        }
    }

    private let macs: [Int: KeyedHMAC]
    public let currentVersion: Int
    /// Every key version held, ascending (a pseudonym made under an older one can be recomputed).
    public var versions: [Int] { macs.keys.sorted() }

    /// `keys` must hold at least one key with at least 32 bytes; the highest version is current.
    /// Throws `KeyError` (none, or one too short) or `CryptoError` (OpenSSL's HMAC).
    public init(keys: [Key]) throws {
        guard let current = keys.map(\.version).max() else { throw KeyError.missing("pseudonym key") }
        var macs: [Int: KeyedHMAC] = [:]
        for key in keys {
            guard key.secret.count >= 32 else { throw KeyError.tooShort("pseudonym key v\(key.version)", minimum: 32, actual: key.secret.count) }
            macs[key.version] = try KeyedHMAC(key: key.secret, digest: .sha256)
        }
        self.macs = macs
        currentVersion = current
    }

    /// The pseudonym of `pupilKey` at `recipient` (a party id), under the current key or `version`.
    /// Throws `KeyError.missing` for a version without a key, `CryptoError` when OpenSSL fails.
    public func pseudonym(of pupilKey: String, for recipient: String, version: Int? = nil) throws -> String {
        let version = version ?? currentVersion
        guard let mac = macs[version] else { throw KeyError.missing("pseudonym key v\(version)") }
        let digest = try mac.authenticate([Array(Self.domainTag.utf8), [0], Array(recipient.utf8), [0], Array(pupilKey.utf8)])
        return "ps\(version)-" + Base32.encode(digest.prefix(20))
    }

    /// The version a pseudonym was made with, from its prefix.
    public static func version(of pseudonym: String) -> Int? {
        guard pseudonym.hasPrefix("ps"), let dash = pseudonym.firstIndex(of: "-") else { return nil }
        return Int(pseudonym[pseudonym.index(pseudonym.startIndex, offsetBy: 2)..<dash])
    }
}

/// RFC 4648 base32, lowercase, without padding: pseudonyms and TOTP secrets.
public enum Base32 {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes upper- or lowercase base32, ignoring padding and spaces; nil on other characters.
    public static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer = 0, bits = 0
        for character in text.lowercased().utf8 where character != UInt8(ascii: "=") && character != UInt8(ascii: " ") {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = buffer << 5 | value
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
            buffer &= (1 << bits) - 1
        }
        return output
    }
}
