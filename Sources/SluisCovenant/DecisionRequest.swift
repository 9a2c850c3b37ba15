/// The facts the gateway knows at the moment of a disclosure: one decision request of the
/// contract (`../shared/contract/decision.md`). Built by `RequestParser` from JSON, or by the
/// gateway from its store, so a dry run and a real disclosure ask the same question.
public struct DecisionRequest: Sendable, Hashable {
    public var sender: PartyRef
    public var recipient: PartyRef
    public var forum: Forum
    /// Free text: anything outside art. 3.1 is an answer (deny), not an error.
    public var purpose: String
    /// In request order; a name outside the vocabulary stays here and is withheld.
    public var fields: [RequestedField]
    /// The SOT support question (Bijlage 3.2) this disclosure is about.
    public var question: String?
    public var pupil: PupilFacts
    public var consents: [ConsentFact]
    /// The sender invokes a conflict of duties (art. 6.1 sub e) with a written professional
    /// justification, in place of consent it does not have. Optional key `conflictOfDuties`
    /// (default false); the gateway sets it only when the justification is recorded.
    public var conflictOfDuties: Bool

    public init(
        sender: PartyRef, recipient: PartyRef, forum: Forum, purpose: String,
        fields: [RequestedField], question: String? = nil, pupil: PupilFacts,
        consents: [ConsentFact] = [], conflictOfDuties: Bool = false
    ) {
        self.conflictOfDuties = conflictOfDuties
        self.sender = sender
        self.recipient = recipient
        self.forum = forum
        self.purpose = purpose
        self.fields = fields
        self.question = question
        self.pupil = pupil
        self.consents = consents
    }
}

/// A field name as requested, with its vocabulary entry when it has one.
public struct RequestedField: Sendable, Hashable {
    public var name: String
    public var field: Field?

    public init(_ name: String) {
        self.name = name
        self.field = Field.named(name)
    }

    public init(_ field: Field) {
        self.name = field.rawValue
        self.field = field
    }
}

/// What is known about the pupil and the case (contract `pupil`).
public struct PupilFacts: Sendable, Hashable {
    /// Whole years.
    public var age: Int
    /// A DUO melding has been made (protocol 5.4).
    public var duoMelding: Bool
    /// The pupil/parents were informed (art. 12.1).
    public var informed: Bool
    public var caseStatus: CaseStatus
    /// A row of the thuiszitterstafel table; free text, only looked up there.
    public var caseType: String?
    /// The case's phase (art. 3.4, Bijlage 3: `intake` … `afschaling`); nil when the request
    /// does not say (no purpose binding per phase is applied then). Free text, looked up in
    /// the policy's phases: an unknown phase is a deny (`phase-not-in-covenant`), not an error.
    public var phase: String?

    public init(
        age: Int, duoMelding: Bool, informed: Bool, caseStatus: CaseStatus = .open,
        caseType: String? = nil, phase: String? = nil
    ) {
        self.phase = phase
        self.age = age
        self.duoMelding = duoMelding
        self.informed = informed
        self.caseStatus = caseStatus
        self.caseType = caseType
    }
}

/// A consent the sender holds (art. 6.1): who gave it, for which recipient kinds and fields,
/// for which SOT question (nil: not question-bound), and whether it was revoked (art. 11.5).
public struct ConsentFact: Sendable, Hashable {
    public var givenBy: ConsentGiverSet
    public var recipients: PartyKindSet
    public var fields: FieldSet
    public var question: String?
    public var revoked: Bool

    public init(
        givenBy: ConsentGiverSet, recipients: PartyKindSet, fields: FieldSet,
        question: String? = nil, revoked: Bool = false
    ) {
        self.givenBy = givenBy
        self.recipients = recipients
        self.fields = fields
        self.question = question
        self.revoked = revoked
    }
}
