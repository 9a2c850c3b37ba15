/// The thuiszitterstafel agenda preview (`../shared/contract/agenda.md`; Bijlage 3.3; protocol
/// ch. 5): one agenda in, one minimised view per participant out, every field decided by the
/// decision engine as `sluis policy eval` would decide it. Pure: no I/O, no clock; references
/// come from the caller.
///
/// For participant P, item I and a contribution from sender S:
/// - S is P's own organisation (`AgendaParty.isSameOrganisation`): the contribution is shown whole;
/// - `procesbewaker` and `registeredBy` (professionals' names) are shown to every participant;
/// - every other field is shown only if the engine, asked for {S → P, forum `thuiszitterstafel`,
///   I's purpose, I's pupil and case type, S's consents}, releases it (`summary` and `progress`
///   asked as `supportFacts`, art. 5.1 sub g) — an identity field only if that answer is also
///   `identified`; otherwise it is in `withheld` with the engine's rule, article and reason;
/// - I is `identified` for P only when P is shown the pupil's `name`; else it carries P's own
///   reference for the pupil.
public struct AgendaPreview: Sendable {
    public let engine: DecisionEngine

    public init(engine: DecisionEngine) { self.engine = engine }

    /// Gives participant P's reference for the pupil of item `ref` (the CLI: a keyed HMAC under a
    /// key of the run; the gateway: the case reference it stores for P). Called only for items
    /// P sees pseudonymised. It must not be computed from the ref or any text without a key.
    public typealias ReferenceProvider = (_ participant: AgendaParty, _ ref: String) throws -> String

    /// A reference the provider gave is empty or was given for another participant or item:
    /// nothing is answered (fail closed; a shared reference would link two views).
    public struct ReferenceError: Error, Sendable, Hashable, CustomStringConvertible {
        public var problem: String
        public var description: String { "agenda preview: \(problem)" }
    }

    /// The views, one per participant in request order, items in request order.
    /// - Throws: `ReferenceError` when a reference is empty or not unique to its (participant,
    ///   item); any error the provider throws, unchanged.
    public func preview(_ request: AgendaRequest, reference: ReferenceProvider) throws -> AgendaAnswer {
        var used = Set<String>()
        var views: [AgendaView] = []
        views.reserveCapacity(request.participants.count)
        for participant in request.participants {
            var items: [AgendaViewItem] = []
            items.reserveCapacity(request.items.count)
            for item in request.items {
                var viewItem = decide(item, for: participant, purpose: item.purpose ?? request.purpose)
                if viewItem.identity == .pseudonymised {
                    let given = try reference(participant, item.ref)
                    guard !given.isEmpty, used.insert(given).inserted else {
                        throw ReferenceError(problem: "the reference for item \(item.ref) at \(participant.label) is empty or already given to another participant or item")
                    }
                    viewItem.reference = given
                }
                items.append(viewItem)
            }
            views.append(AgendaView(participant: participant, items: items))
        }
        return AgendaAnswer(views: views)
    }

    /// One item for one participant, without its reference.
    func decide(_ item: AgendaItem, for participant: AgendaParty, purpose: String) -> AgendaViewItem {
        var shown: [AgendaField] = []
        var withheld: [AgendaWithheld] = []
        for contribution in item.contributions {
            if contribution.sender.isSameOrganisation(as: participant) {
                shown += contribution.fields
                continue
            }
            let answer = decision(on: contribution, about: item, to: participant, purpose: purpose)
            for field in contribution.fields {
                // procesbewaker, registeredBy: every participant.
                guard let asked = Self.engineName(of: field.name) else {
                    shown.append(field)
                    continue
                }
                let citation = if let answer { Self.withholding(asked, in: answer) } else { Optional(Self.unaccounted) }
                if let citation {
                    withheld.append(AgendaWithheld(field: field.name, sender: contribution.sender, citation: citation))
                } else {
                    shown.append(field)
                }
            }
        }
        let named = shown.contains { $0.name == Field.name.rawValue }
        return AgendaViewItem(ref: item.ref, identity: named ? .identified : .pseudonymised, reference: nil,
                              fields: shown, withheld: withheld)
    }

    /// The engine's answer for the fields of one contribution that it decides; nil when the
    /// contribution holds only professionals' names. The engine's fields do not look at each
    /// other, so one request per contribution answers each field as a request of its own would.
    /// Public so that the gateway names on the register the bases of exactly these answers.
    public func decision(on contribution: AgendaContribution, about item: AgendaItem, to participant: AgendaParty,
                  purpose: String) -> DecisionAnswer? {
        let fields = contribution.fields.compactMap { Self.engineName(of: $0.name).map(RequestedField.init) }
        if fields.isEmpty { return nil }
        var pupil = item.pupil
        pupil.caseType = item.caseType   // the item's, whatever the pupil says
        return engine.evaluate(DecisionRequest(
            sender: contribution.sender.party, recipient: participant.party, forum: .thuiszitterstafel,
            purpose: purpose, fields: fields, question: nil, pupil: pupil, consents: contribution.consents))
    }

    /// The name the engine is asked for: `supportFacts` for `summary` and `progress`, nil for
    /// the professionals' names, else the name itself — also one outside the vocabulary, which
    /// an agenda built in code may hold (the parser refuses it): the engine withholds it
    /// (`field-not-in-covenant`, art. 5.1) rather than the preview showing it.
    static func engineName(of name: String) -> String? {
        switch AgendaField.treatment(of: name) {
        case .decided(let field): field.rawValue
        case .professional: nil
        case nil: name
        }
    }

    /// Why the field the engine was asked as `name` is not shown under `answer`, or nil when it
    /// is: released, and for an identity field (contract: `name`, `birthDate`, `address`, `bsn`)
    /// only with an `identified` answer.
    static func withholding(_ name: String, in answer: DecisionAnswer) -> RuleCitation? {
        if let entry = answer.withheld.first(where: { $0.field == name }) { return entry.citation }
        let identifying = Field.named(name).map(identityFields.contains) ?? false
        if answer.released.contains(name) && (answer.identity == .identified || !identifying) { return nil }
        // Unreachable while the engine accounts for every field and is `identified` whenever an
        // identity field goes; kept so that a change there withholds rather than shows.
        return unaccounted
    }

    static let identityFields: Set<Field> = [.name, .birthDate, .address, .bsn]

    static let unaccounted = RuleCitation(
        rule: "agenda-not-released", article: "convenant art. 7.1; verzuimprotocol hoofdstuk 5",
        reason: "De beslissing geeft dit gegeven niet (met identiteit) vrij; het wordt niet getoond.")
}
