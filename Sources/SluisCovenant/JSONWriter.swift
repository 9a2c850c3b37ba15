/// A small JSON writer that keeps keys in the order the contract shows them, so an answer
/// reads the same in the CLI, the HTTP API and the docs.
package struct JSONWriter {
    private var bytes: [UInt8] = []
    let pretty: Bool
    private var depth = 0
    private var needsComma = [false]

    package init(pretty: Bool) {
        self.pretty = pretty
        bytes.reserveCapacity(1024)
    }

    package var output: String { String(decoding: bytes, as: UTF8.self) }
    package var utf8Bytes: [UInt8] { bytes }

    private mutating func newline() {
        guard pretty else { return }
        bytes.append(0x0A)
        for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func key(_ key: String) {
        append(quoted: key)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
    }

    package mutating func beginObject(key: String? = nil) { open(UInt8(ascii: "{"), key: key) }
    package mutating func endObject() { close(UInt8(ascii: "}")) }
    package mutating func beginArray(key: String? = nil) { open(UInt8(ascii: "["), key: key) }
    package mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8, key: String?) {
        if depth > 0 || key != nil { separator(); newline() }
        if let key { self.key(key) }
        bytes.append(bracket)
        depth += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let hadItems = needsComma.removeLast()
        depth -= 1
        if hadItems { newline() }
        bytes.append(bracket)
    }

    package mutating func string(_ value: String?, key: String? = nil) {
        separator()
        newline()
        if let key { self.key(key) }
        if let value { append(quoted: value) } else { bytes.append(contentsOf: "null".utf8) }
    }

    package mutating func raw(_ literal: String, key: String) {
        separator()
        newline()
        self.key(key)
        bytes.append(contentsOf: literal.utf8)
    }

    /// Short lists of names stay on one line, as in the contract's examples.
    package mutating func strings(_ values: [String], key: String) {
        separator()
        newline()
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 {
                bytes.append(UInt8(ascii: ","))
                if pretty { bytes.append(0x20) }
            }
            append(quoted: value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func append(quoted text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
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
        if let phase = pupil.phase { writer.string(phase, key: "phase") }
        writer.endObject()
        writer.consents(consents)
        if conflictOfDuties { writer.raw("true", key: "conflictOfDuties") }
        writer.endObject()
        return writer.output
    }
}

extension JSONWriter {
    /// A party as the request named it; `id` is the agenda's organisation handle (AgendaParty).
    mutating func party(_ party: PartyRef, id: String? = nil, key: String?) {
        beginObject(key: key)
        string(party.kind.rawValue, key: "kind")
        if let role = party.role { string(role.rawValue, key: "role") }
        if !party.joined { raw("false", key: "joined") }
        if let id { string(id, key: "id") }
        endObject()
    }

    /// `"consents": [...]` as the decision contract writes them.
    mutating func consents(_ consents: [ConsentFact]) {
        beginArray(key: "consents")
        for consent in consents {
            beginObject()
            strings(consent.givenBy.givers.map(\.rawValue), key: "givenBy")
            strings(consent.recipients.kinds.map(\.rawValue), key: "recipients")
            strings(consent.fields.fields.map(\.rawValue), key: "fields")
            string(consent.question, key: "question")
            raw(String(consent.revoked), key: "revoked")
            endObject()
        }
        endArray()
    }
}
