/// A small JSON writer that keeps keys in the order the contract shows them, so an answer
/// reads the same in the CLI, the HTTP API and the docs.
struct JSONWriter {
    private(set) var output = ""
    let pretty: Bool
    private var depth = 0
    private var needsComma = [false]

    init(pretty: Bool) { self.pretty = pretty }

    private mutating func newline() {
        guard pretty else { return }
        output += "\n" + String(repeating: "  ", count: depth)
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { output += "," }
        needsComma[needsComma.count - 1] = true
    }

    mutating func beginObject(key: String? = nil) { open("{", key: key) }
    mutating func endObject() { close("}") }
    mutating func beginArray(key: String? = nil) { open("[", key: key) }
    mutating func endArray() { close("]") }

    private mutating func open(_ bracket: String, key: String?) {
        if depth > 0 || key != nil { separator(); newline() }
        if let key { output += Self.quoted(key) + (pretty ? ": " : ":") }
        output += bracket
        depth += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        let hadItems = needsComma.removeLast()
        depth -= 1
        if hadItems { newline() }
        output += bracket
    }

    mutating func string(_ value: String?, key: String? = nil) {
        separator()
        newline()
        if let key { output += Self.quoted(key) + (pretty ? ": " : ":") }
        output += value.map(Self.quoted) ?? "null"
    }

    mutating func raw(_ literal: String, key: String) {
        separator()
        newline()
        output += Self.quoted(key) + (pretty ? ": " : ":") + literal
    }

    mutating func strings(_ values: [String], key: String) {
        // Short lists of names stay on one line, as in the contract's examples.
        separator()
        newline()
        output += Self.quoted(key) + (pretty ? ": " : ":") + "["
        output += values.map(Self.quoted).joined(separator: pretty ? ", " : ",")
        output += "]"
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

extension DecisionAnswer {
    /// The answer as the contract's JSON, keys in contract order.
    public func json(pretty: Bool = true) -> String {
        var writer = JSONWriter(pretty: pretty)
        writer.beginObject()
        writer.string(decision.rawValue, key: "decision")
        writer.string(identity.rawValue, key: "identity")
        writer.strings(released, key: "released")
        writer.beginArray(key: "withheld")
        for item in withheld {
            writer.beginObject()
            writer.string(item.field, key: "field")
            writer.citation(item.citation)
            writer.endObject()
        }
        writer.endArray()
        writer.beginArray(key: "basis")
        for basis in self.basis {
            writer.beginObject()
            writer.string(basis.gdpr, key: "gdpr")
            writer.strings(basis.law, key: "law")
            writer.string(basis.article, key: "article")
            writer.endObject()
        }
        writer.endArray()
        writer.beginArray(key: "reasons")
        for reason in reasons {
            writer.beginObject()
            writer.citation(reason)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.output
    }
}

extension JSONWriter {
    mutating func citation(_ citation: RuleCitation) {
        string(citation.rule, key: "rule")
        string(citation.article, key: "article")
        string(citation.reason, key: "reason")
    }
}

extension DecisionRequest {
    /// The request as contract JSON (used for examples, corpora and the gateway's dry runs).
    public func json(pretty: Bool = true) -> String {
        var writer = JSONWriter(pretty: pretty)
        writer.beginObject()
        writer.party(sender, key: "sender")
        writer.party(recipient, key: "recipient")
        writer.string(forum.rawValue, key: "forum")
        writer.string(purpose, key: "purpose")
        writer.strings(fields.map(\.name), key: "fields")
        writer.string(question, key: "question")
        writer.beginObject(key: "pupil")
        writer.raw(String(pupil.age), key: "age")
        writer.raw(String(pupil.duoMelding), key: "duoMelding")
        writer.raw(String(pupil.informed), key: "informed")
        writer.string(pupil.caseStatus.rawValue, key: "caseStatus")
        if let caseType = pupil.caseType { writer.string(caseType, key: "caseType") }
        writer.endObject()
        writer.beginArray(key: "consents")
        for consent in consents {
            writer.beginObject()
            writer.strings(consent.givenBy.givers.map(\.rawValue), key: "givenBy")
            writer.strings(consent.recipients.kinds.map(\.rawValue), key: "recipients")
            writer.strings(consent.fields.fields.map(\.rawValue), key: "fields")
            writer.string(consent.question, key: "question")
            writer.raw(String(consent.revoked), key: "revoked")
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.output
    }
}

extension JSONWriter {
    mutating func party(_ party: PartyRef, key: String) {
        beginObject(key: key)
        string(party.kind.rawValue, key: "kind")
        if let role = party.role { string(role.rawValue, key: "role") }
        if !party.joined { raw("false", key: "joined") }
        endObject()
    }
}
