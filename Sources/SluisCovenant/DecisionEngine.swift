/// The decision engine: a pure function from a decision request to an answer
/// (`../shared/contract/decision.md`, docs/decision-engine.md). The policy is compiled once
/// into bit masks and precomputed citations; `evaluate` does no I/O, reads no clock and
/// allocates only the answer's arrays. Deny by default: without a legal basis nothing goes.
public struct DecisionEngine: Sendable {
    public let policy: CovenantPolicy

    private let citations: [RuleCitation]          // by RuleID.index
    private let fieldNotForForum: [RuleCitation]   // by forum, with the forum's article
    private let forumRules: [ForumRule]            // by Forum order
    private let isParty: PartyKindSet
    private let purposeIDs: [String]
    /// Per phase id, the purposes it serves (art. 3.4 sub a).
    private let phasePurposes: [String: [String]]
    private let identityFields: FieldSet
    private let specialFields: FieldSet
    private let requiredGiversByAge: [ConsentGiverSet?]  // index = age, 0...maxAge
    private let bases: [BasisRule]
    private let fieldConsents: [FieldConsentRule]
    /// The thuiszitterstafel column of the leerplichtambtenaar (protocol ch. 5).
    private let leerplichtColumn: Int?

    static let maxAge = 150

    public init(policy: CovenantPolicy) {
        self.policy = policy
        citations = RuleID.allCases.map { policy.rule($0).citation }
        forumRules = Forum.allCases.map { policy.forumRule($0) }
        let rule = policy.rule(.fieldNotForForum)
        fieldNotForForum = forumRules.map {
            RuleCitation(rule: rule.id.rawValue, article: "\(rule.article); \($0.fieldsArticle)", reason: rule.reason)
        }
        isParty = PartyKindSet(policy.partyKinds.filter(\.isParty).map(\.kind))
        purposeIDs = policy.purposes.map(\.id)
        phasePurposes = Dictionary(policy.phases.map { ($0.id, $0.purposes) }, uniquingKeysWith: { first, _ in first })
        identityFields = FieldSet(policy.fields.filter { $0.category == .identity }.map(\.field))
        specialFields = FieldSet(policy.fields.filter { $0.category == .special }.map(\.field))
        requiredGiversByAge = (0...Self.maxAge).map { policy.consent.requiredGivers(age: $0) }
        bases = policy.bases
        fieldConsents = policy.fieldConsents
        leerplichtColumn = policy.table.column(for: PartyRef(kind: .gemeente, role: .leerplicht))
    }

    private func cite(_ id: RuleID) -> RuleCitation { citations[id.index] }

    private static func forumIndex(_ forum: Forum) -> Int {
        switch forum {
        case .verzuimoverleg: 0
        case .sot: 1
        case .thuiszitterstafel: 2
        case .casusoverleg: 3
        case .duoMelding: 4
        case .direct: 5
        case .cjgTerugkoppeling: 6
        }
    }

    private static func isLeerplicht(_ party: PartyRef) -> Bool {
        party.kind == .gemeente && party.effectiveRole == .leerplicht
    }

    public func evaluate(_ request: DecisionRequest) -> DecisionAnswer {
        let sender = request.sender, recipient = request.recipient, pupil = request.pupil
        let forum = forumRules[Self.forumIndex(request.forum)]

        // 1. Request-level rules: any of these blocks every field.
        var blocking: [RuleCitation] = []
        var partiesKnown = true
        if !isParty.contains(sender.kind) {
            blocking.append(cite(.senderNotAParty)); partiesKnown = false
        } else if !sender.joined {
            blocking.append(cite(.accessionIncomplete)); partiesKnown = false
        }
        if !isParty.contains(recipient.kind) {
            blocking.append(cite(.thirdPartyRecipient)); partiesKnown = false
        } else if !recipient.joined {
            if !blocking.contains(cite(.accessionIncomplete)) { blocking.append(cite(.accessionIncomplete)) }
            partiesKnown = false
        }
        if !purposeIDs.contains(request.purpose) { blocking.append(cite(.purposeNotInCovenant)) }
        // Art. 3.4 sub a: strict purpose binding per phase of the case. Not for the DUO melding,
        // a legal duty (Lpw art. 21a) outside the casusoverleg's phases (interpretation).
        if let phase = pupil.phase, request.forum != .duoMelding {
            if let served = phasePurposes[phase] {
                if purposeIDs.contains(request.purpose) && !served.contains(request.purpose) {
                    blocking.append(cite(.purposeNotForPhase))
                }
            } else {
                blocking.append(cite(.phaseNotInCovenant))
            }
        }
        if !policy.scope.contains(age: pupil.age) { blocking.append(cite(.pupilOutOfScope)) }
        if pupil.caseStatus == .closed { blocking.append(cite(.caseClosed)) }
        if forum.informingRequired && !pupil.informed { blocking.append(cite(.notInformed)) }

        var matchingBases: UInt64 = 0
        var hasPlainBasis = false
        if partiesKnown {
            if !forum.admits(sender: sender, recipient: recipient) {
                blocking.append(cite(.forumNotParticipant))
            }
            if forum.questionConsentRequired && request.question == nil {
                blocking.append(cite(.sotQuestionMissing))
            }
            for (index, basis) in bases.enumerated()
            where basis.applies(sender: sender, recipient: recipient, forum: request.forum) {
                matchingBases |= 1 << UInt64(index)
                if !basis.consentRequired { hasPlainBasis = true }
            }
            if matchingBases == 0 { blocking.append(cite(.noLegalBasis)) }
        }
        if request.fields.isEmpty { blocking.append(cite(.noFieldsRequested)) }

        if !blocking.isEmpty {
            var withheld: [WithheldField] = []
            withheld.reserveCapacity(request.fields.count)
            forEachDistinctField(request.fields) { requested in
                withheld.append(WithheldField(field: requested.name, citation: blocking[0]))
            }
            return DecisionAnswer(decision: .deny, identity: .pseudonymised, released: [],
                                  withheld: withheld, basis: [], reasons: blocking)
        }

        // 2. Consents the sender holds for this recipient (and SOT question), combined per
        //    field across records (fn 28): who gave them, and who revoked them.
        let consents = consentCoverage(request, forum: forum)

        // 3. What the fields are judged against, looked up once: the thuiszitterstafel row
        //    (protocol ch. 5), protocol 5.4 and the flows that ask consent for a field.
        var context = FieldContext(forum: forum, consents: consents, hasPlainBasis: hasPlainBasis, age: pupil.age)
        // Art. 6.1 sub e: a conflict of duties, justified in writing, stands in for consent —
        // for every rule that asks consent, and only for those.
        context.conflictOfDuties = request.conflictOfDuties
        let row = forum.identity == .table ? policy.table.row(for: pupil.caseType) : nil
        if let row, let column = policy.table.column(for: sender) {
            context.tableRequirement = row.requirements[column]
        }
        // Protocol 5.4 is about the leerplichtambtenaar's own processing: it holds whether he
        // receives or sends. Not in the DUO melding itself. At the thuiszitterstafel, consent
        // takes the melding's place where his column asks consent (interpretation).
        context.leerplichtWithoutDuo = !pupil.duoMelding && request.forum != .duoMelding
            && (Self.isLeerplicht(recipient) || Self.isLeerplicht(sender))
        if context.leerplichtWithoutDuo, let row, let leerplichtColumn {
            let cell = row.requirements[leerplichtColumn]
            context.consentReplacesDuo = cell == .consent || cell == .duoOrConsent
        }
        for (index, rule) in fieldConsents.enumerated()
        where rule.applies(sender: sender, recipient: recipient, forum: request.forum) {
            context.fieldConsentRules |= 1 << UInt64(index)
        }

        // 4. Field by field: the first rule that blocks a field withholds it. No rule looks
        //    at the other requested fields, so asking for more never changes these answers.
        var released: [String] = []
        var releasedSet = FieldSet()
        var withheld: [WithheldField] = []
        released.reserveCapacity(request.fields.count)
        var overridden = FieldSet()   // released only because of the conflict of duties
        var overriddenNames: [String] = []
        var withoutConflict = context
        withoutConflict.conflictOfDuties = false
        forEachDistinctField(request.fields) { requested in
            if let citation = fieldRule(requested.field, request: request, context: context) {
                withheld.append(WithheldField(field: requested.name, citation: citation))
            } else {
                released.append(requested.name)
                releasedSet.insert(requested.field!)
                if context.conflictOfDuties && fieldRule(requested.field, request: request, context: withoutConflict) != nil {
                    overridden.insert(requested.field!)
                    overriddenNames.append(requested.name)
                }
            }
        }

        if released.isEmpty {
            var reasons: [RuleCitation] = []
            for item in withheld where !reasons.contains(item.citation) { reasons.append(item.citation) }
            return DecisionAnswer(decision: .deny, identity: .pseudonymised, released: [],
                                  withheld: withheld, basis: [], reasons: reasons)
        }

        // 5. The bases the permit rests on: each matching basis that covers a released field.
        var basis: [LegalBasis] = []
        for (index, rule) in bases.enumerated() where matchingBases & (1 << UInt64(index)) != 0 {
            let covers = rule.consentRequired
                ? releasedSet.mask & consents.valid.mask != 0
                : true
            if covers && !basis.contains(rule.basis) { basis.append(rule.basis) }
        }
        if releasedSet.mask & specialFields.mask & ~overridden.mask != 0 { basis.append(policy.specialCategoryBasis) }
        if !overridden.isEmpty { basis.append(policy.conflictOfDuties.basis) }
        if overridden.mask & specialFields.mask != 0 { basis.append(policy.conflictOfDuties.specialBasis) }

        let identified = releasedSet.mask & identityFields.mask != 0
        return DecisionAnswer(decision: .permit, identity: identified ? .identified : .pseudonymised,
                              released: released, withheld: withheld, basis: basis, reasons: [], overridden: overriddenNames)
    }

    /// What every field of one request is judged against.
    struct FieldContext {
        var forum: ForumRule
        var consents: ConsentCoverage
        var hasPlainBasis: Bool
        var age: Int
        var tableRequirement: TableRequirement?
        var leerplichtWithoutDuo = false
        var consentReplacesDuo = false
        /// Bit i: `fieldConsents[i]` governs this sender, recipient and forum.
        var fieldConsentRules: UInt64 = 0
        /// Art. 6.1 sub e: consent is not needed where the sender invokes a conflict of duties.
        var conflictOfDuties = false

        /// Whether consent covers `field` here: a valid consent, or a conflict of duties.
        func consented(_ field: Field) -> Bool { conflictOfDuties || consents.valid.contains(field) }
    }

    /// The rule that withholds one field, or nil when it may go.
    private func fieldRule(_ field: Field?, request: DecisionRequest, context: FieldContext) -> RuleCitation? {
        guard let field else { return cite(.fieldNotInCovenant) }                 // art. 5.1
        let forum = context.forum, consents = context.consents
        let identity = identityFields.contains(field)
        // An anonymous forum names anonymity, not minimisation, as the reason (Bijlage 3.1 sub 4).
        if identity && forum.identity == .never { return cite(.verzuimoverlegAnonymous) }
        if !forum.fields.contains(field) {                                         // art. 7.2, Bijlage 3
            return fieldNotForForum[Self.forumIndex(forum.forum)]
        }
        // Fn 23: the SWV registers no BSN, so it neither receives nor sends one.
        if field == .bsn && (request.recipient.kind == .swv || request.sender.kind == .swv) {
            return cite(.bsnNotToSwv)
        }
        let special = specialFields.contains(field)
        if special && request.sender.kind == .swv && request.recipient.kind != .schoolbestuur {
            return cite(.swvHealthOnlyToSchool)                                    // fn 20
        }
        // Consent: special data (art. 4.2, 6.1), consent-only senders (art. 4.4, ch. 10),
        // and the SOT's consent per question (Bijlage 3.2 sub 4).
        if (special || !context.hasPlainBasis || forum.questionConsentRequired) && !context.consented(field) {
            switch consents.state(of: field, required: requiredGivers(age: context.age)) {
            case .wrongGiver: return cite(.consentWrongGiver)
            case .revoked: return cite(.consentRevoked)
            case .valid, .none: break
            }
            if forum.questionConsentRequired { return cite(.sotQuestionConsent) }
            return cite(special ? .specialCategoryNeedsConsent : .consentRequired)
        }
        // A field that needs consent on this flow, whatever the basis (fieldConsents;
        // verzuimprotocol 5.5.2), with the flow's own givers by age.
        var rules = context.conflictOfDuties ? 0 : context.fieldConsentRules
        while rules != 0 {
            let rule = fieldConsents[rules.trailingZeroBitCount]
            rules &= rules - 1
            if rule.fields.contains(field)
                && consents.state(of: field, required: rule.consent.requiredGivers(age: context.age)) != .valid {
                return rule.citation
            }
        }
        guard identity else { return nil }
        // Identity: protocol 5.4 and the thuiszitterstafel table (protocol ch. 5).
        if context.leerplichtWithoutDuo && !(context.consentReplacesDuo && context.consented(field)) {
            // Bringing a pupil in at the table, the leerplichtambtenaar's own cell names the
            // missing melding more precisely where it asks for one.
            let cellAsksMelding = context.tableRequirement == .duo || context.tableRequirement == .duoOrConsent
            if !(cellAsksMelding && Self.isLeerplicht(request.sender)) { return cite(.leerplichtBeforeDuo) }
        }
        if forum.identity == .table {
            switch context.tableRequirement {
            case nil: return cite(.thuiszitterstafelCaseTypeUnknown)
            case .notify: return nil
            case .consent:
                return context.consented(field) ? nil : cite(.thuiszitterstafelNeedsConsent)
            case .duo:
                return request.pupil.duoMelding ? nil : cite(.thuiszitterstafelNeedsDuo)
            case .duoOrConsent:
                return request.pupil.duoMelding || context.consented(field)
                    ? nil : cite(.thuiszitterstafelNeedsDuoOrConsent)
            }
        }
        return nil
    }

    private func requiredGivers(age: Int) -> ConsentGiverSet? {
        age >= 0 && age <= Self.maxAge ? requiredGiversByAge[age] : nil
    }

    /// The consents that match a request, combined per field: consent facts of the same scope
    /// add up (fn 28: a parent's and a pupil's separate written consents together are the
    /// consent of both). Four bits per field (`Field.index`) hold the givers.
    struct ConsentCoverage {
        /// Givers of the non-revoked matching consents, per field.
        var given: UInt64 = 0
        /// Givers of the revoked matching consents, per field: they count for nothing
        /// (art. 6.1 sub d, 11.5) but name the cause when they would have sufficed.
        var withdrawn: UInt64 = 0
        /// Fields validly covered for the age rule of fn 28 (ch. 10).
        var valid = FieldSet()

        static let bitsPerField = 4

        static func spread(_ givers: ConsentGiverSet, over fields: FieldSet) -> UInt64 {
            var result: UInt64 = 0
            var mask = fields.mask
            while mask != 0 {
                result |= UInt64(givers.mask) << UInt64(mask.trailingZeroBitCount * bitsPerField)
                mask &= mask - 1
            }
            return result
        }

        func givers(_ bits: UInt64, of field: Field) -> ConsentGiverSet {
            ConsentGiverSet(mask: UInt8(truncatingIfNeeded: bits >> UInt64(field.index * Self.bitsPerField)) & 0xF)
        }

        enum State { case valid, wrongGiver, revoked, none }

        /// Whether the consents cover one field for these required givers and, if not, why:
        /// a revocation when the revoked consents would have completed it, else a wrong giver
        /// when there is consent, else a revocation when only revoked consent exists.
        func state(of field: Field, required: ConsentGiverSet?) -> State {
            let givenBy = givers(given, of: field), revokedBy = givers(withdrawn, of: field)
            if let required {
                if givenBy.isSuperset(of: required) { return .valid }
                if !revokedBy.isEmpty && givenBy.union(revokedBy).isSuperset(of: required) { return .revoked }
            }
            if !givenBy.isEmpty { return .wrongGiver }
            return revokedBy.isEmpty ? .none : .revoked
        }
    }

    /// Consents count only for this recipient kind and, in the SOT, only for exactly this
    /// question (Bijlage 3.2 sub 4); elsewhere a question-bound consent counts only for its
    /// own question. Revoked consents count for nothing (art. 6.1 sub d, art. 11.5).
    private func consentCoverage(_ request: DecisionRequest, forum: ForumRule) -> ConsentCoverage {
        var coverage = ConsentCoverage()
        for consent in request.consents where consent.recipients.contains(request.recipient.kind) {
            let questionMatches = forum.questionConsentRequired
                ? consent.question != nil && consent.question == request.question
                : consent.question == nil || consent.question == request.question
            guard questionMatches else { continue }
            let bits = ConsentCoverage.spread(consent.givenBy, over: consent.fields)
            if consent.revoked { coverage.withdrawn |= bits } else { coverage.given |= bits }
        }
        if let required = requiredGivers(age: request.pupil.age) {
            for field in Field.allCases where coverage.givers(coverage.given, of: field).isSuperset(of: required) {
                coverage.valid.insert(field)
            }
        }
        return coverage
    }

    /// Visits each requested field once, in request order (a repeated name counts once).
    private func forEachDistinctField(_ fields: [RequestedField], _ body: (RequestedField) -> Void) {
        var seenKnown = FieldSet()
        for (index, requested) in fields.enumerated() {
            if let field = requested.field {
                if seenKnown.contains(field) { continue }
                seenKnown.insert(field)
            } else if fields[..<index].contains(where: { $0.name == requested.name }) {
                continue
            }
            body(requested)
        }
    }
}
