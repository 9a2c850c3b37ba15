/// The keys a JSON request body may hold, object by object. Swift's `JSONDecoder` ignores a
/// key it does not know (`{"name": …, "owner": "x"}` would decode as if `owner` were not
/// there), so the gateway states which keys each body has and refuses any other — at any depth —
/// naming it (`duoMelding.extra`).
public indirect enum JSONShape: Sendable {
    /// Any value: its type is the decoder's to check (a string, a number, a list of strings).
    case any
    /// An object with these keys and no others; each key's value has the shape given.
    case keys([String: JSONShape])
    /// A list whose elements have this shape.
    case list(JSONShape)
    /// An object whose keys are data (a map such as `facts`), with values of this shape.
    case map(JSONShape)

    /// An object with exactly the keys of a type's `CodingKeys` (declared `CaseIterable`, so the
    /// compiler keeps the list equal to the type's stored properties); `nested` gives the shape
    /// of the keys that hold objects or lists of objects, every other key holds `.any`.
    public static func object<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type, nested: [String: JSONShape] = [:]) -> JSONShape {
        let names = keys.allCases.map(\.stringValue)
        assert(Set(nested.keys).isSubset(of: names), "a nested shape for a key the type does not have")
        return .keys(Dictionary(uniqueKeysWithValues: names.map { ($0, nested[$0] ?? .any) }))
    }
}

/// A type the gateway decodes from a request body: it says which keys it accepts.
public protocol StrictJSONDecodable: Decodable {
    static var jsonShape: JSONShape { get }
}

/// The one check every JSON request body passes before a decoder sees it: a JSON document
/// (RFC 8259, strictly: `JSONParser`), no key given twice in one object, and no key the body's
/// shape does not list. Fail-closed: what is not known is refused.
public enum StrictJSON {
    public enum Refusal: Error, Sendable, Hashable {
        /// Not a JSON document (the offset and problem, never the text).
        case syntax(JSONSyntaxError)
        /// A key given twice in one object, by its path (`duoMelding.date`).
        case duplicateKey(String)
        /// A key the body's shape does not have, by its path (`duoMelding.extra`).
        case unknownKey(String)

        /// The path of the key at fault (nil for a syntax error).
        public var key: String? {
            switch self {
            case .syntax: nil
            case .duplicateKey(let key), .unknownKey(let key): key
            }
        }
    }

    /// Checks `bytes` against `shape`. A value of another type than the shape expects (a string
    /// where an object goes) is left to the decoder, which names what is expected.
    public static func check(_ bytes: [UInt8], against shape: JSONShape) throws(Refusal) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            if let path = error.duplicatePath { throw .duplicateKey(display(path, in: shape)) }
            throw .syntax(JSONSyntaxError(offset: error.offset, problem: error.problem))
        }
        var path: [JSONParser.PathComponent] = []
        if let unknown = firstUnknownKey(in: document, shape: shape, path: &path) { throw .unknownKey(display(unknown, in: shape)) }
    }

    /// A key path as an answer may repeat it (`duoMelding.extra`, `consents[0].revoked`). A key
    /// the shape lists is shown; any other key — unknown, or data such as a map's key — only when
    /// it looks like a key of ours (an ASCII identifier beginning with a small letter, at most
    /// 40 characters), else as `[a key]`: a caller may type anything into a key, a pupil's name or
    /// BSN too, and errors never repeat personal data (convenant art. 15).
    package static func display(_ components: [JSONParser.PathComponent], in shape: JSONShape?) -> String {
        var text = "", shape = shape
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
                if case .list(let inner) = shape { shape = inner } else { shape = nil }
            case .key(let key):
                var shown = shown(key)
                switch shape {
                case .keys(let known):
                    if let inner = known[key] { (shown, shape) = (key, inner) } else { shape = nil }
                case .map(let inner): shape = inner
                default: shape = nil
                }
                text += text.isEmpty ? shown : ".\(shown)"
            }
        }
        return text
    }

    /// `key` as an answer may repeat it: itself when it looks like one of ours, else `[a key]`.
    public static func shown(_ key: String) -> String { looksLikeAKeyOfOurs(key) ? key : "[a key]" }

    /// A dotted field path (`consents[0].giver`, `facts.absence`) as an answer may repeat it:
    /// every key through `shown`, indices kept. The last guard before an error leaves the
    /// gateway, whichever use case built the path (convenant art. 15).
    public static func shownPath(_ path: String) -> String {
        path.split(separator: ".", omittingEmptySubsequences: false).map { part -> String in
            var key = Substring(part), indices = ""
            while key.hasSuffix("]"), let open = key.lastIndex(of: "["), key[key.index(after: open)..<key.index(before: key.endIndex)].allSatisfy(\.isASCII),
                  Int(key[key.index(after: open)..<key.index(before: key.endIndex)]) != nil {
                indices = String(key[open...]) + indices
                key = key[..<open]
            }
            return (key.isEmpty && !indices.isEmpty ? "" : shown(String(key))) + indices
        }.joined(separator: ".")
    }

    /// An ASCII identifier beginning with a small letter, at most 40 characters and at most 4
    /// digits (a BSN or a date has more): what our keys look like.
    static func looksLikeAKeyOfOurs(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard let first = bytes.first, (97...122).contains(first), bytes.count <= 40, bytes.filter({ (48...57).contains($0) }).count <= 4 else {
            return false
        }
        return bytes.allSatisfy { (97...122).contains($0) || (65...90).contains($0) || (48...57).contains($0) || $0 == 95 }
    }

    /// The path of the first key, in document order, that `shape` does not list.
    static func firstUnknownKey(in value: JSONValue, shape: JSONShape, path: inout [JSONParser.PathComponent]) -> [JSONParser.PathComponent]? {
        switch (shape, value) {
        case (.keys(let known), .object(let members)):
            for member in members {
                path.append(.key(member.key))
                defer { path.removeLast() }
                guard let inner = known[member.key] else { return path }
                if let unknown = firstUnknownKey(in: member.value, shape: inner, path: &path) { return unknown }
            }
        case (.map(let inner), .object(let members)):
            for member in members {
                path.append(.key(member.key))
                defer { path.removeLast() }
                if let unknown = firstUnknownKey(in: member.value, shape: inner, path: &path) { return unknown }
            }
        case (.list(let inner), .array(let elements)):
            for (index, element) in elements.enumerated() {
                path.append(.index(index))
                defer { path.removeLast() }
                if let unknown = firstUnknownKey(in: element, shape: inner, path: &path) { return unknown }
            }
        default:
            break
        }
        return nil
    }
}
