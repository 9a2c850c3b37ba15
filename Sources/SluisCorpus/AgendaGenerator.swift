public import SluisCovenant

/// Generates thuiszitterstafel agendas (`../shared/contract/agenda.md`) from a seed, for the
/// agenda's property tests and the benchmark: many participants, pupils and contributions with
/// random consents, ages, case types, DUO meldingen, informing, case statuses and phases, and
/// senders that are sometimes a participant (its own contribution) and sometimes not.
///
/// Every field text is unique in the whole corpus and begins with a token `Tekst-NNNNNN-` of
/// fixed width, which appears nowhere else (not in a name, a reference, a rule or a reason):
/// a search for the token in a view finds the text, or a piece of it, only if it is there.
public struct AgendaGenerator: Sendable {
    var random: SplitMix64
    var texts = 0

    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// The token every generated text starts with: `Tekst-000042-`.
    public static func token(_ number: Int) -> String {
        let digits = String(number)
        return "Tekst-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + "-"
    }

    /// The token a generated text starts with (nil for a text not made here).
    public static func token(of text: String) -> String? {
        guard text.hasPrefix("Tekst-"), text.utf8.count >= 13 else { return nil }
        return String(text.prefix(13))
    }

    /// Organisations that may take part: one of each kind, two school boards and two youth-care
    /// providers (one whose accession is not complete) told apart by `id`, and a third party.
    public static let participantPool: [AgendaParty] = [
        AgendaParty(PartyRef(kind: .swv)),
        AgendaParty(PartyRef(kind: .jgz)),
        AgendaParty(PartyRef(kind: .gemeente, role: .leerplicht)),
        AgendaParty(PartyRef(kind: .gemeente, role: .jeugdEnGezin)),
        AgendaParty(PartyRef(kind: .schoolbestuur), id: "school-a"),
        AgendaParty(PartyRef(kind: .schoolbestuur), id: "school-b"),
        AgendaParty(PartyRef(kind: .jeugdhulpaanbieder), id: "jeugdhulp-a"),
        AgendaParty(PartyRef(kind: .jeugdhulpaanbieder, joined: false), id: "jeugdhulp-b"),
        AgendaParty(PartyRef(kind: .derde)),
    ]

    /// Senders that are no participant of a generated agenda unless drawn as one: the
    /// leerplichtambtenaar without a role (the same organisation as with `leerplicht`), a
    /// school board without an id, and the pool.
    static let senderPool: [AgendaParty] = participantPool + [
        AgendaParty(PartyRef(kind: .gemeente)),
        AgendaParty(PartyRef(kind: .schoolbestuur)),
    ]

    static let caseTypes = ["deels-belastbaar", "ontheffing", "verzuim", "absoluut-verzuim",
                            "geen-passende-plek", "wacht-op-behandeling", "relatief-verzuim"]
    static let purposes = ["3.1.a", "3.1.b", "3.1.c", "3.1.d", "3.1.e", "3.1.f", "3.1.g", "marketing"]
    static let phases = ["intake", "triage", "casusoverleg", "monitoring", "evaluatie", "afschaling", "onbekende-fase"]
    /// Identity and health fields come up often, so that consent and the table are exercised.
    static let likelyFields: [Field] = [.name, .birthDate, .healthData, .supportFacts, .absence]
    /// Tails that make a text need JSON escaping or be more than ASCII.
    static let tails = ["", "", " — voortgang \"goed\"", " é ü ß", "\nregel twee", "\t\\"]

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items.randomElement(using: &random)! }

    /// One agenda: `items` pupils, `participants` distinct organisations (at most the pool's
    /// nine), each pupil with a number of contributions in `contributions` (fewer when an
    /// item's field names run out: a name occurs once per item).
    public mutating func agenda(items: Int, participants: Int, contributions: ClosedRange<Int>) -> AgendaRequest {
        var pool = Self.participantPool
        pool.shuffle(using: &random)
        let chosen = Array(pool.prefix(min(participants, pool.count)))
        let generated = (0..<items).map { index in item(number: index + 1, participants: chosen, contributions: contributions) }
        return AgendaRequest(meeting: CalendarDate(year: 2026, month: 12, day: 10)!, purpose: pick(Array(Self.purposes.prefix(7))),
                             participants: chosen, items: generated)
    }

    /// A small agenda of random shape, for property runs.
    public mutating func next() -> AgendaRequest {
        agenda(items: Int.random(in: 1...6, using: &random), participants: Int.random(in: 1...8, using: &random),
               contributions: 1...4)
    }

    mutating func item(number: Int, participants: [AgendaParty], contributions: ClosedRange<Int>) -> AgendaItem {
        let pupil = PupilFacts(
            age: chance(92) ? Int.random(in: 5...17, using: &random) : pick([4, 18, 19]),
            duoMelding: chance(50), informed: chance(88), caseStatus: chance(95) ? .open : .closed,
            phase: chance(75) ? nil : pick(Self.phases))
        var unused = AgendaField.allowedNames
        var made: [AgendaContribution] = []
        for _ in 0..<Int.random(in: contributions, using: &random) where !unused.isEmpty {
            let sender = chance(65) ? pick(participants) : pick(Self.senderPool)
            var fields: [AgendaField] = []
            for _ in 0..<Int.random(in: 1...5, using: &random) where !unused.isEmpty {
                let name = chance(40) ? Self.likelyFields.map(\.rawValue).first(where: unused.contains) ?? pick(unused) : pick(unused)
                unused.removeAll { $0 == name }
                fields.append(AgendaField(name: name, text: nextText(name)))
            }
            made.append(AgendaContribution(sender: sender, fields: fields,
                                           consents: (0..<Int.random(in: 0...3, using: &random)).map { _ in consent() }))
        }
        return AgendaItem(ref: chance(80) ? String(number) : "2026-\(number)", purpose: chance(10) ? pick(Self.purposes) : nil,
                          caseType: pick(Self.caseTypes), pupil: pupil, contributions: made)
    }

    mutating func nextText(_ name: String) -> String {
        texts += 1
        // A professional's name is one line without digits (AgendaParser): its token in letters.
        if name == "procesbewaker" || name == "registeredBy" {
            let letters = String(Self.token(texts).map { $0.isNumber ? Character(UnicodeScalar(UInt8(ascii: "a") + UInt8(String($0))!)) : $0 })
            return letters + name + pick(["", " é ü ß"])
        }
        return Self.token(texts) + name + pick(Self.tails)
    }

    mutating func consent() -> ConsentFact {
        let givers: ConsentGiverSet = pick([[.parent], [.pupil], [.parent, .pupil], [.parent, .pupil]])
        let recipients = PartyKindSet((0..<Int.random(in: 1...3, using: &random)).map { _ in pick(PartyKind.allCases) })
        var fields = FieldSet((0..<Int.random(in: 1...4, using: &random)).map { _ in pick(Field.allCases) })
        if chance(50) { fields.formUnion(FieldSet([.name, .birthDate])) }
        return ConsentFact(givenBy: givers, recipients: recipients, fields: fields,
                           question: chance(90) ? nil : "leesproblemen", revoked: chance(15))
    }
}
