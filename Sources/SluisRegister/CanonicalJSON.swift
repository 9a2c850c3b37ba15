/// The register's own canonical JSON: the bytes that are hashed into the Merkle tree and covered
/// by signed checkpoints (docs/register.md, "Canonical form"). It is deliberately not the
/// JSON writer that pretty-prints CLI and API answers (`SluisCovenant.JSONWriter`): a change
/// there must never change a hash here. Its rules:
///
/// - one object; members in the order of their keys compared as UTF-16 code units (RFC 8785
///   §3.2.3), each key once — the writer checks every key against the one before and stops the
///   program on a key out of order (a programming error: the keys are constants of this module,
///   and the golden vectors cover each);
/// - no white space anywhere;
/// - values are strings, arrays of strings, or integers — no floats, no booleans, no null:
///   an absent value is left out, an empty list is written `[]`;
/// - integers in shortest decimal form, `-` only for negatives, no `+`, no leading zero
///   (the RFC 8785 §3.2.2.3 form for integers up to 2^53);
/// - strings in UTF-8 as they are, escaping only `"` → `\"`, `\` → `\\` and U+0000–U+001F:
///   `\n`, `\r`, `\t`, and — by `Escaping` — `\b` and `\f` (RFC 8785 §3.2.2.2) or `\u0008` and
///   `\u000c` (format version 1); every other control character as `\u00xx`, lowercase hex.
///   Nothing else is escaped: not `/`, not U+007F, not non-ASCII.
public struct CanonicalJSON {
    /// How U+0008 and U+000C are written: the one way the two register formats differ in bytes.
    public enum Escaping: Sendable {
        /// Register entry format 1 and the art. 30 activities' content hash: `\u0008`, `\u000c`.
        case version1
        /// RFC 8785 (JSON Canonicalization Scheme) §3.2.2.2: `\b`, `\f`.
        case rfc8785
    }

    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var lastKey: String?
    private let escaping: Escaping

    public init(escaping: Escaping) {
        self.escaping = escaping
        bytes.reserveCapacity(1024)
    }

    /// A string member; nothing at all when `value` is nil (absent values are left out).
    public mutating func string(_ key: String, _ value: String?) {
        guard let value else { return }
        member(key)
        append(string: value)
    }

    /// An array of strings, `[]` when empty.
    public mutating func strings(_ key: String, _ values: [String]) {
        member(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(string: value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func integer(_ key: String, _ value: Int64) {
        member(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// The finished object's bytes.
    public consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func member(_ key: String) {
        if let lastKey {
            // UTF-8 byte order is code point order, which is UTF-16 order for every key below
            // U+E000 — the register's keys are ASCII.
            precondition(lastKey.utf8.lexicographicallyPrecedes(key.utf8), "canonical JSON: key \(key) after \(lastKey)")
            bytes.append(UInt8(ascii: ","))
        }
        lastKey = key
        append(string: key)
        bytes.append(UInt8(ascii: ":"))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func append(string text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most text needs no escape at all: then its UTF-8 is copied as one run.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: text.utf8)
        } else {
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): escaped(byte)
                case 0x0A: escaped(UInt8(ascii: "n"))
                case 0x0D: escaped(UInt8(ascii: "r"))
                case 0x09: escaped(UInt8(ascii: "t"))
                case 0x08 where escaping == .rfc8785: escaped(UInt8(ascii: "b"))
                case 0x0C where escaping == .rfc8785: escaped(UInt8(ascii: "f"))
                case 0..<0x20:
                    escaped(UInt8(ascii: "u"))
                    bytes.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0x0F)]])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escaped(_ letter: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(letter)
    }
}
