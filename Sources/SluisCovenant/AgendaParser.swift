public import Foundation

/// Parses a thuiszitterstafel agenda (`../shared/contract/agenda.md`) strictly, with the
/// decision request's readers: unknown keys, keys given twice, wrong types and unknown
/// enumeration values are errors naming the key path (`items[0].contributions[1].sender.kind`);
/// an unknown purpose or case type is not (it gets an answer). Never echoes a value.
public enum AgendaParser {
    /// Upper bounds: an agenda of a six-weekly meeting, with room to spare.
    public enum Limits {
        public static let bodyBytes = 4 * 1024 * 1024
        public static let participants = 16
        public static let items = 200
        public static let contributions = 16
        /// A "zeer korte casusbeschrijving" (Bijlage 3.3 sub 4) fits in 2 KiB.
        public static let fieldTextBytes = 2048
        public static let refCharacters = 9
        public static let idBytes = 64
    }

    public static func parse(_ data: Data) throws(RequestError) -> AgendaRequest {
        try parse(RequestParser.document(data, limit: Limits.bodyBytes))
    }

    public static func parse(_ text: String) throws(RequestError) -> AgendaRequest {
        try parse(Data(text.utf8))
    }

    typealias Object = RequestParser.Object

    static func parse(_ root: JSONValue) throws(RequestError) -> AgendaRequest {
        // A decision request given where an agenda belongs: say so rather than name its first key.
        if case .object(let members) = root, members.contains(where: { $0.key == "recipient" }), !members.contains(where: { $0.key == "items" }) {
            throw RequestError(key: "recipient", problem: "this looks like a decision request (contract decision.md): evaluate it with `sluis policy eval`; an agenda has meeting, purpose, participants and items")
        }
        let top = try Object(root, path: "", allowed: ["meeting", "purpose", "participants", "items"])
        let meeting = try date(top.required("meeting"), path: "meeting")
        let purpose = try RequestParser.text(top.required("purpose"), path: "purpose")
        let participants = try RequestParser.list(top.required("participants"), path: "participants",
                                                  limit: Limits.participants, party)
        if participants.isEmpty { throw RequestError(key: "participants", problem: "name at least one participant") }
        for (index, participant) in participants.enumerated() {
            if let first = participants[..<index].firstIndex(where: { $0.isSameOrganisation(as: participant) }) {
                throw RequestError(key: "participants[\(index)]", problem:
                    "the same participant as participants[\(first)] (kind, gemeente role and id); give each organisation once, with an id where two share a kind")
            }
        }
        let items = try RequestParser.list(top.required("items"), path: "items", limit: Limits.items, item)
        for (index, item) in items.enumerated() {
            if let first = items[..<index].firstIndex(where: { $0.ref == item.ref }) {
                throw RequestError(key: "items[\(index)].ref", problem: "given twice (also items[\(first)].ref)")
            }
        }
        return AgendaRequest(meeting: meeting, purpose: purpose, participants: participants, items: items)
    }

    static func date(_ value: JSONValue, path: String) throws(RequestError) -> CalendarDate {
        let text = try RequestParser.text(value, path: path)
        guard let date = try? CalendarDate(text: text) else {
            throw RequestError(key: path, problem: "expected a date YYYY-MM-DD (a day of the calendar)")
        }
        return date
    }

    /// A participant or sender: the decision contract's party, plus an optional `id`.
    static func party(_ value: JSONValue, path: String) throws(RequestError) -> AgendaParty {
        let object = try Object(value, path: path, allowed: RequestParser.partyKeys + ["id"])
        let party = try RequestParser.party(object, path: path)
        let id = try RequestParser.optionalText(object.optional("id"), path: "\(path).id")
        if let id, id.utf8.count > Limits.idBytes || !id.utf8.allSatisfy(isHandleByte) {
            throw RequestError(key: "\(path).id", problem:
                "expected an organisation's handle: at most \(Limits.idBytes) letters, digits, '.', '_' or '-' (never a person's name)")
        }
        return AgendaParty(party, id: id)
    }

    static func isHandleByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: false
        }
    }

    static func item(_ value: JSONValue, path: String) throws(RequestError) -> AgendaItem {
        let object = try Object(value, path: path, allowed: ["ref", "purpose", "caseType", "pupil", "contributions"])
        let ref = try listNumber(object.required("ref"), path: "\(path).ref")
        let purpose = try RequestParser.optionalText(object.optional("purpose"), path: "\(path).purpose")
        let caseType = try RequestParser.text(object.required("caseType"), path: "\(path).caseType")
        // The item carries the case type; a second one on the pupil could disagree with it.
        let pupil = try RequestParser.pupilFacts(object.required("pupil"), path: "\(path).pupil",
                                                 allowed: RequestParser.pupilKeys.filter { $0 != "caseType" })
        let contributions = try RequestParser.list(object.required("contributions"), path: "\(path).contributions",
                                                   limit: Limits.contributions, contribution)
        if contributions.isEmpty {
            throw RequestError(key: "\(path).contributions", problem: "name at least one contribution")
        }
        // One text per field of an item: a view shows a field once (contract: `fields` is a map).
        var seen: [String: Int] = [:]
        for (index, contribution) in contributions.enumerated() {
            for field in contribution.fields {
                if let first = seen[field.name] {
                    throw RequestError(key: "\(path).contributions[\(index)].fields.\(field.name)", problem:
                        "also given by \(path).contributions[\(first)] (one sender per field of an item)")
                }
                seen[field.name] = index
            }
        }
        return AgendaItem(ref: ref, purpose: purpose, caseType: caseType, pupil: pupil, contributions: contributions)
    }

    /// The SWV's list number: one or two groups of 1–4 digits, `.`, `-` or `/` between them
    /// (`14`, `14.2`, `2026-14`). Every participant sees it, so a name, a birth date (three groups)
    /// or a BSN (nine digits) written there would reach them all (interpretation,
    /// `agendaContract_itemRefIsTheSWVsListNumber`; an attacker's finding tightened it).
    static func listNumber(_ value: JSONValue, path: String) throws(RequestError) -> String {
        let text = try RequestParser.text(value, path: path)
        let separators = Array(text.unicodeScalars.filter { ".-/".unicodeScalars.contains($0) })
        let groups = separators.count == 1 ? text.split(separator: Character(separators[0]), omittingEmptySubsequences: false) : [Substring(text)]
        let valid = text.utf8.count <= Limits.refCharacters && separators.count <= 1
            && groups.allSatisfy { group in (1...4).contains(group.utf8.count) && group.utf8.allSatisfy { (48...57).contains($0) } }
        if !valid {
            throw RequestError(key: path, problem:
                "expected the SWV's list number: one or two groups of 1–4 digits with '.', '-' or '/' between them (never a name, date or BSN)")
        }
        return text
    }

    static func contribution(_ value: JSONValue, path: String) throws(RequestError) -> AgendaContribution {
        let object = try Object(value, path: path, allowed: ["sender", "fields", "consents"])
        let sender = try party(object.required("sender"), path: "\(path).sender")
        let fields = try fieldTexts(object.required("fields"), path: "\(path).fields")
        let consents = try object.optional("consents").map { value throws(RequestError) in
            try RequestParser.list(value, path: "\(path).consents", limit: RequestParser.Limits.consents, RequestParser.consent)
        } ?? []
        return AgendaContribution(sender: sender, fields: fields, consents: consents)
    }

    /// `fields`: field name → text, names from the agenda's vocabulary only (an unknown name
    /// would be echoed in every participant's `withheld`; interpretation,
    /// `agendaContract_unknownFieldNameIsAnError`).
    static func fieldTexts(_ value: JSONValue, path: String) throws(RequestError) -> [AgendaField] {
        guard case .object(let members) = value else {
            throw RequestError(key: path, problem: "expected an object (field name → text), found \(value.typeName)")
        }
        if members.isEmpty { throw RequestError(key: path, problem: "name at least one field") }
        var fields: [AgendaField] = []
        fields.reserveCapacity(members.count)
        for member in members {
            // Art. 15: a key that does not look like one of ours is not repeated (it may be a name).
            let key = "\(path).\(StrictJSON.shown(member.key))"
            guard AgendaField.treatment(of: member.key) != nil else {
                throw RequestError(key: key, problem: "unknown field (allowed here: \(AgendaField.allowedNames.joined(separator: ", ")))")
            }
            let text = try RequestParser.text(member.value, path: key, limit: Limits.fieldTextBytes)
            // Text a participant reads: no control or format characters (a NUL, a bidi override) but line breaks.
            if text.unicodeScalars.contains(where: { $0 != "\n" && $0 != "\t" && [.control, .format].contains($0.properties.generalCategory) }) {
                throw RequestError(key: key, problem: "plain text: no control or format characters (line breaks as \\n, tabs as \\t)")
            }
            // A professional's name goes to every participant whatever the engine decides: a
            // name and no more — one line, at most 80 characters, no digits (no BSN, no date).
            if AgendaField.treatment(of: member.key) == .professional,
               text.count > 80 || text.unicodeScalars.contains(where: { $0 == "\n" || $0.properties.numericType != nil }) {
                throw RequestError(key: key, problem: "a professional's name: one line, at most 80 characters, no digits")
            }
            fields.append(AgendaField(name: member.key, text: text))
        }
        return fields
    }
}
