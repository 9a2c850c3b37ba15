public import SluisCovenant

/// A small, seeded pseudo-random generator (SplitMix64): property runs are reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Generates decision requests over the whole contract vocabulary, including names and values
/// the covenant does not know, so that properties are checked where the rules meet. Shared by
/// the property tests and the benchmark, so both run over the same kind of corpus.
public struct RequestGenerator: Sendable {
    var random: SplitMix64

    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// `count` requests from `seed`: the same seed gives the same corpus on every machine.
    public static func corpus(seed: UInt64, count: Int) -> [DecisionRequest] {
        var generator = RequestGenerator(seed: seed)
        return (0..<count).map { _ in generator.next() }
    }

    static let extraFieldNames = ["religion", "phone", "grades", "Name", "email"]
    static let purposes = ["3.1.a", "3.1.b", "3.1.c", "3.1.d", "3.1.e", "3.1.f", "3.1.g", "3.2", "marketing"]
    static let caseTypes: [String?] = [nil, "deels-belastbaar", "ontheffing", "verzuim", "absoluut-verzuim",
                                       "geen-passende-plek", "wacht-op-behandeling", "relatief-verzuim"]
    static let phases = ["intake", "triage", "casusoverleg", "monitoring", "evaluatie", "afschaling", "onbekende-fase"]
    static let questions: [String?] = [nil, nil, "leesproblemen", "gedrag"]

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items.randomElement(using: &random)! }

    mutating func party() -> PartyRef {
        let kind = chance(5) ? PartyKind.derde : pick(PartyKind.allCases.filter { $0 != .derde })
        let role: PartyRole? = kind == .gemeente ? pick([nil, .leerplicht, .jeugdEnGezin]) : nil
        let joined = kind == .jeugdhulpaanbieder ? !chance(20) : true
        return PartyRef(kind: kind, role: role, joined: joined)
    }

    public mutating func fieldName() -> String {
        chance(8) ? pick(Self.extraFieldNames) : pick(Field.allCases).rawValue
    }

    mutating func consent(question: String?) -> ConsentFact {
        let givers: ConsentGiverSet = pick([[.parent], [.pupil], [.parent, .pupil]])
        let recipients = PartyKindSet((0..<Int.random(in: 1...3, using: &random)).map { _ in pick(PartyKind.allCases) })
        let fields = FieldSet((0..<Int.random(in: 1...5, using: &random)).map { _ in pick(Field.allCases) })
        return ConsentFact(givenBy: givers, recipients: recipients, fields: fields,
                           question: chance(70) ? question : pick(Self.questions), revoked: chance(20))
    }

    public mutating func next() -> DecisionRequest {
        let question = pick(Self.questions)
        let fields = (0..<Int.random(in: 0...7, using: &random)).map { _ in fieldName() }
        let consents = (0..<Int.random(in: 0...3, using: &random)).map { _ in consent(question: question) }
        let pupil = PupilFacts(
            age: chance(90) ? Int.random(in: 5...17, using: &random) : pick([0, 3, 4, 18, 19, 40]),
            duoMelding: chance(50), informed: chance(85), caseStatus: chance(92) ? .open : .closed,
            caseType: pick(Self.caseTypes), phase: chance(40) ? nil : pick(Self.phases))
        return DecisionRequest(
            sender: party(), recipient: party(), forum: pick(Forum.allCases),
            purpose: chance(92) ? pick(Array(Self.purposes.prefix(7))) : pick(Self.purposes),
            fields: fields.map(RequestedField.init), question: question, pupil: pupil, consents: consents,
            conflictOfDuties: chance(5))
    }
}
