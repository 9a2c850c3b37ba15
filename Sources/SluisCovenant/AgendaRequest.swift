/// One thuiszitterstafel agenda as the SWV's secretary composes it (Bijlage 3.3; protocol ch. 5;
/// `../shared/contract/agenda.md`): the meeting, the purpose, who takes part and, per pupil on
/// the list, what each sender contributes. Built by `AgendaParser` from JSON, or by the gateway
/// from what it stores; `AgendaPreview` turns it into one view per participant.
public struct AgendaRequest: Sendable, Hashable {
    /// The day of the meeting (`YYYY-MM-DD`).
    public var meeting: CalendarDate
    /// The purpose of art. 3.1 for every item that names none of its own; free text, as in the
    /// decision contract (anything outside art. 3.1 is a deny, not an error).
    public var purpose: String
    /// Distinct by kind, gemeente role and `id`.
    public var participants: [AgendaParty]
    /// Distinct by `ref`.
    public var items: [AgendaItem]

    public init(meeting: CalendarDate, purpose: String, participants: [AgendaParty], items: [AgendaItem]) {
        self.meeting = meeting
        self.purpose = purpose
        self.participants = participants
        self.items = items
    }
}

/// A participant or a sender: a party of the decision contract (kind, gemeente role, accession)
/// and, where two organisations of one kind take part (two school boards), the `id` that tells
/// them apart — a handle of the organisation, never of a person (an addition to the contract).
public struct AgendaParty: Sendable, Hashable {
    public var party: PartyRef
    public var id: String?

    public init(_ party: PartyRef, id: String? = nil) {
        self.party = party
        self.id = id
    }

    /// The same organisation: the same kind, for the gemeente the same role (no role means
    /// leerplicht, as in the decision contract), and the same `id` (both absent counts as the
    /// same). Whether a contribution is a participant's own rests on this (interpretation,
    /// docs/agenda.md; `agendaContract_ownContributionIsSameKindAndGemeenteRole`).
    public func isSameOrganisation(as other: AgendaParty) -> Bool {
        party.kind == other.party.kind && party.effectiveRole == other.party.effectiveRole && id == other.id
    }

    /// `kind`, `kind/role` for the gemeente, then `#id` when there is one: unique per
    /// participant of one agenda (for keyed references: `gemeente/leerplicht`, `schoolbestuur#a`).
    public var label: String {
        var text = party.kind.rawValue
        if let role = party.effectiveRole { text += "/\(role.rawValue)" }
        if let id { text += "#\(id)" }
        return text
    }
}

/// One pupil on the agenda (Bijlage 3.3 sub 4): the SWV's list number, the case type (a row of
/// the ch. 5 table), the pupil's facts and the contributions of the senders.
public struct AgendaItem: Sendable, Hashable {
    /// The SWV's own list number for the entry (digits with `.`, `-`, `/` between them); shown in
    /// every view, so it may not be a pupil identifier (docs/agenda.md).
    public var ref: String
    /// Overrides the agenda's purpose for this item (`agendaContract_itemPurposeOverridesTheAgendas`).
    public var purpose: String?
    /// A row of the thuiszitterstafel table (protocol ch. 5), free text as in the decision
    /// contract: an unknown type is answered (identity withheld), not refused.
    public var caseType: String
    /// The decision contract's pupil; its own `caseType` is not used (the item's is).
    public var pupil: PupilFacts
    public var contributions: [AgendaContribution]

    public init(ref: String, purpose: String? = nil, caseType: String, pupil: PupilFacts,
                contributions: [AgendaContribution]) {
        self.ref = ref
        self.purpose = purpose
        self.caseType = caseType
        self.pupil = pupil
        self.contributions = contributions
    }
}

/// What one sender brings in about one pupil, with the consents that sender holds.
public struct AgendaContribution: Sendable, Hashable {
    public var sender: AgendaParty
    /// In document order; a name occurs once per item.
    public var fields: [AgendaField]
    public var consents: [ConsentFact]

    public init(sender: AgendaParty, fields: [AgendaField], consents: [ConsentFact] = []) {
        self.sender = sender
        self.fields = fields
        self.consents = consents
    }
}

/// One field of a contribution: its name on the agenda and its text.
public struct AgendaField: Sendable, Hashable {
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// How the preview treats a field, by its name on the agenda.
    public enum Treatment: Sendable, Hashable {
        /// The engine decides it as this field of art. 5.1 (`summary` and `progress` as
        /// `supportFacts`, art. 5.1 sub g).
        case decided(Field)
        /// The name of a professional (`procesbewaker`, `registeredBy`): shown to every participant.
        case professional
    }

    /// The agenda's own names beside the decision contract's field names (contract agenda.md).
    /// `decisions` and `actions` are the minutes' (Bijlage 3.3 sub 1 and 4), written by the SWV
    /// as convener: what the table decided and who does what are the interventions it sets in
    /// (sub 2: "het inzetten van interventies"; sub 5: "interventies vanuit thuiszitterstafel
    /// bepalen"), so they are asked as `schoolInterventions` (art. 5.1 sub i: interventies van
    /// school en samenwerkingsverband) — an addition to the contract (docs/agenda.md).
    public static let agendaNames: [String: Treatment] = [
        "summary": .decided(.supportFacts), "progress": .decided(.supportFacts),
        "procesbewaker": .professional, "registeredBy": .professional,
        "decisions": .decided(.schoolInterventions), "actions": .decided(.schoolInterventions),
    ]

    /// Every name a contribution may use: the agenda's own, then art. 5.1's in vocabulary order.
    public static let allowedNames: [String] =
        ["summary", "progress", "procesbewaker", "registeredBy", "decisions", "actions"] + Field.allCases.map(\.rawValue)

    /// Nil for a name outside the agenda's vocabulary (an error in the request, see `AgendaParser`).
    public static func treatment(of name: String) -> Treatment? {
        agendaNames[name] ?? Field.named(name).map(Treatment.decided)
    }
}
