public import Foundation

/// A request that is not well-formed (contract: exit 2, HTTP 400). The message names the key
/// and never echoes a value that could be personal data: only the key path, the expected
/// shape and, for enumerations, the allowed values.
public struct RequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the document: `sender.kind`, `fields[2]`, `consents[0].givenBy[1]`; empty for
    /// the document itself.
    public var key: String
    public var problem: String

    public var description: String { key.isEmpty ? problem : "\(key): \(problem)" }
}

/// Parses a decision request from JSON, strictly: unknown keys, wrong types and unknown
/// enumeration values are errors; an unknown purpose or field name is not (it gets an answer).
public enum RequestParser {
    /// Upper bounds that keep one request small (a request is facts about one pupil).
    public enum Limits {
        public static let bodyBytes = 64 * 1024
        public static let fields = 64
        public static let consents = 64
        public static let textBytes = 512
        public static let maxAge = 150
    }

    public static func parse(_ data: Data) throws(RequestError) -> DecisionRequest {
        try parse(document(data, limit: Limits.bodyBytes))
    }

    /// One JSON document of at most `limit` bytes, parsed strictly (`JSONParser`); a key given
    /// twice is an error naming its path. Shared with the agenda (`AgendaParser`).
    static func document(_ data: Data, limit: Int) throws(RequestError) -> JSONValue {
        if data.count > limit {
            throw RequestError(key: "", problem: "request is larger than \(limit) bytes")
        }
        do {
            return try JSONParser.parse(data.withUnsafeBytes { Array($0) })
        } catch {
            // Contract: a key given twice is an error naming the key (JSONDuplicateKeys).
            if let path = error.duplicatePath {
                throw RequestError(key: StrictJSON.display(path, in: nil), problem: "key given twice (a key may occur once in an object)")
            }
            throw RequestError(key: "", problem: JSONSyntaxError(offset: error.offset, problem: error.problem).description)
        }
    }

    public static func parse(_ text: String) throws(RequestError) -> DecisionRequest {
        try parse(Data(text.utf8))
    }

    static func parse(_ root: JSONValue) throws(RequestError) -> DecisionRequest {
        let top = try Object(root, path: "", allowed: [
            "sender", "recipient", "forum", "purpose", "fields", "question", "pupil", "consents", "conflictOfDuties",
        ])
        let sender = try party(top.required("sender"), path: "sender")
        let recipient = try party(top.required("recipient"), path: "recipient")
        let forum = try enumeration(top.required("forum"), Forum.self, path: "forum")
        let purpose = try text(top.required("purpose"), path: "purpose")
        let fields = try list(top.required("fields"), path: "fields", limit: Limits.fields) { value, path throws(RequestError) in
            RequestedField(try text(value, path: path))
        }
        let question = try optionalText(top.optional("question"), path: "question")
        let pupil = try pupilFacts(top.required("pupil"))
        let consents = try top.optional("consents").map { value throws(RequestError) in
            try list(value, path: "consents", limit: Limits.consents, consent)
        } ?? []
        let conflictOfDuties = try top.optional("conflictOfDuties").map { value throws(RequestError) in
            try bool(value, path: "conflictOfDuties")
        } ?? false
        return DecisionRequest(sender: sender, recipient: recipient, forum: forum, purpose: purpose,
                               fields: fields, question: question, pupil: pupil, consents: consents,
                               conflictOfDuties: conflictOfDuties)
    }

    static let partyKeys = ["kind", "role", "joined"]

    static func party(_ value: JSONValue, path: String) throws(RequestError) -> PartyRef {
        try party(Object(value, path: path, allowed: partyKeys), path: path)
    }

    /// A party from an object already checked for its keys (the agenda allows one more: `id`).
    static func party(_ object: Object, path: String) throws(RequestError) -> PartyRef {
        let kind = try enumeration(object.required("kind"), PartyKind.self, path: "\(path).kind")
        var role: PartyRole?
        if let roleValue = object.optional("role"), !roleValue.isNull {
            role = try enumeration(roleValue, PartyRole.self, path: "\(path).role")
            if kind != .gemeente {
                throw RequestError(key: "\(path).role", problem: "only kind 'gemeente' has a role")
            }
        }
        let joined = try object.optional("joined").map { value throws(RequestError) in
            try bool(value, path: "\(path).joined")
        } ?? true
        return PartyRef(kind: kind, role: role, joined: joined)
    }

    static let pupilKeys = ["age", "duoMelding", "informed", "caseStatus", "caseType", "phase"]

    /// The pupil at `path` with the keys `allowed` (the agenda's pupil has no `caseType`: its
    /// item carries it).
    static func pupilFacts(_ value: JSONValue, path: String = "pupil", allowed: [String] = pupilKeys)
        throws(RequestError) -> PupilFacts
    {
        let object = try Object(value, path: path, allowed: allowed)
        let age = try wholeNumber(object.required("age"), path: "\(path).age", range: 0...Limits.maxAge)
        let duo = try bool(object.required("duoMelding"), path: "\(path).duoMelding")
        let informed = try bool(object.required("informed"), path: "\(path).informed")
        let status = try enumeration(object.required("caseStatus"), CaseStatus.self, path: "\(path).caseStatus")
        let caseType = try optionalText(object.optional("caseType"), path: "\(path).caseType")
        let phase = try optionalText(object.optional("phase"), path: "\(path).phase")
        return PupilFacts(age: age, duoMelding: duo, informed: informed, caseStatus: status, caseType: caseType, phase: phase)
    }

    static func consent(_ value: JSONValue, path: String) throws(RequestError) -> ConsentFact {
        let object = try Object(value, path: path, allowed: ["givenBy", "recipients", "fields", "question", "revoked"])
        let givers = try list(object.required("givenBy"), path: "\(path).givenBy", limit: 2) { value, path throws(RequestError) in
            try enumeration(value, ConsentGiver.self, path: path)
        }
        if givers.isEmpty { throw RequestError(key: "\(path).givenBy", problem: "name at least one giver (pupil, parent)") }
        let recipients = try list(object.required("recipients"), path: "\(path).recipients", limit: 16) { value, path throws(RequestError) in
            try enumeration(value, PartyKind.self, path: path)
        }
        let fields = try list(object.required("fields"), path: "\(path).fields", limit: Limits.fields) { value, path throws(RequestError) in
            try enumeration(value, Field.self, path: path)
        }
        let question = try optionalText(object.optional("question"), path: "\(path).question")
        let revoked = try bool(object.required("revoked"), path: "\(path).revoked")
        return ConsentFact(givenBy: ConsentGiverSet(givers), recipients: PartyKindSet(recipients),
                           fields: FieldSet(fields), question: question, revoked: revoked)
    }

    // MARK: Typed readers, each naming its key on failure.

    struct Object {
        let members: [(key: String, value: JSONValue)]
        let path: String

        init(_ value: JSONValue, path: String, allowed: [String]) throws(RequestError) {
            guard case .object(let members) = value else {
                throw RequestError(key: path, problem: "expected an object, found \(value.typeName)")
            }
            if members.contains(where: { !allowed.contains($0.key) }) {
                // Report the first unknown key in name order, so the message is stable.
                let first = members.map(\.key).filter { !allowed.contains($0) }.min()!
                // Art. 15: a key that does not look like one of ours is not repeated (it may be a name).
                let shown = StrictJSON.shown(first)
                let name = path.isEmpty ? shown : "\(path).\(shown)"
                throw RequestError(key: name, problem: "unknown key (allowed here: \(allowed.joined(separator: ", ")))")
            }
            self.members = members
            self.path = path
        }

        func required(_ key: String) throws(RequestError) -> JSONValue {
            guard let value = optional(key) else {
                throw RequestError(key: path.isEmpty ? key : "\(path).\(key)", problem: "missing required key")
            }
            return value
        }

        func optional(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }
    }

    static func text(_ value: JSONValue, path: String, limit: Int = Limits.textBytes) throws(RequestError) -> String {
        guard case .string(let text) = value else {
            throw RequestError(key: path, problem: "expected a string, found \(value.typeName)")
        }
        if text.isEmpty { throw RequestError(key: path, problem: "must not be empty") }
        if text.utf8.count > limit {
            throw RequestError(key: path, problem: "longer than \(limit) bytes")
        }
        return text
    }

    static func optionalText(_ value: JSONValue?, path: String) throws(RequestError) -> String? {
        guard let value, !value.isNull else { return nil }
        return try text(value, path: path)
    }

    static func bool(_ value: JSONValue, path: String) throws(RequestError) -> Bool {
        guard case .bool(let flag) = value else {
            throw RequestError(key: path, problem: "expected true or false, found \(value.typeName)")
        }
        return flag
    }

    static func wholeNumber(_ value: JSONValue, path: String, range: ClosedRange<Int>) throws(RequestError) -> Int {
        guard case .number(let number) = value else {
            throw RequestError(key: path, problem: "expected a whole number, found \(value.typeName)")
        }
        guard number.rounded() == number, number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            throw RequestError(key: path, problem: "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(number)
    }

    static func enumeration<E: RawRepresentable & CaseIterable>(_ value: JSONValue, _ type: E.Type, path: String)
        throws(RequestError) -> E where E.RawValue == String
    {
        guard case .string(let text) = value else {
            throw RequestError(key: path, problem: "expected one of \(allowedValues(type)), found \(value.typeName)")
        }
        guard let result = E(rawValue: text) else {
            throw RequestError(key: path, problem: "unknown value (expected one of \(allowedValues(type)))")
        }
        return result
    }

    static func allowedValues<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> String where E.RawValue == String {
        E.allCases.map(\.rawValue).joined(separator: ", ")
    }

    static func list<T>(
        _ value: JSONValue, path: String, limit: Int, _ element: (JSONValue, String) throws(RequestError) -> T
    ) throws(RequestError) -> [T] {
        guard case .array(let items) = value else {
            throw RequestError(key: path, problem: "expected a list, found \(value.typeName)")
        }
        if items.count > limit { throw RequestError(key: path, problem: "more than \(limit) entries") }
        var result: [T] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            result.append(try element(item, "\(path)[\(index)]"))
        }
        return result
    }
}
