/// The register's own canonical JSON: the bytes that are hashed into the Merkle tree and covered
/// by signed checkpoints (docs/register.md, "Canonical form"). It is deliberately not the
/// JSON writer that pretty-prints CLI and API answers (`SluisCovenant.JSONWriter`): a change
/// there must never change a hash here. Its rules:
///
/// - one object; members sorted by key, comparing UTF-16 code units (RFC 8785 §3.2.3); each
///   key at most once (the members are a dictionary);
/// - no white space anywhere;
/// - values are strings, arrays of strings, or integers — no floats, no booleans, no null:
///   an absent value is left out, an empty list is written `[]`;
/// - integers in shortest decimal form, `-` only for negatives, no `+`, no leading zero
///   (the RFC 8785 §3.2.2.3 form for integers up to 2^53);
/// - strings in UTF-8 as they are, escaping only `"` → `\"`, `\` → `\\` and U+0000–U+001F:
///   `\n`, `\r`, `\t`, and — by `Escaping` — `\b` and `\f` (RFC 8785 §3.2.2.2) or `\u0008` and
///   `\u000c` (format version 1); every other control character as `\u00xx`, lowercase hex.
///   Nothing else is escaped: not `/`, not U+007F, not non-ASCII.
public enum CanonicalJSON {
    public enum Value: Sendable, Equatable {
        case string(String)
        case strings([String])
        case integer(Int64)
    }

    /// How U+0008 and U+000C are written: the one way the two register formats differ in bytes.
    public enum Escaping: Sendable {
        /// Register entry format 1 and the art. 30 activities' content hash: `\u0008`, `\u000c`.
        case version1
        /// RFC 8785 (JSON Canonicalization Scheme) §3.2.2.2: `\b`, `\f`.
        case rfc8785
    }

    /// The canonical encoding of one object with `members`.
    public static func encode(_ members: [String: Value], escaping: Escaping) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(1024)
        let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
        for (position, key) in keys.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            append(string: key, to: &bytes, escaping)
            bytes.append(UInt8(ascii: ":"))
            switch members[key]! {
            case .string(let text):
                append(string: text, to: &bytes, escaping)
            case .integer(let number):
                bytes.append(contentsOf: String(number).utf8)
            case .strings(let texts):
                bytes.append(UInt8(ascii: "["))
                for (index, text) in texts.enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    append(string: text, to: &bytes, escaping)
                }
                bytes.append(UInt8(ascii: "]"))
            }
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func append(string text: String, to bytes: inout [UInt8], _ escaping: Escaping) {
        func escaped(_ letter: UInt8) {
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(letter)
        }
        bytes.append(UInt8(ascii: "\""))
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
                bytes.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
