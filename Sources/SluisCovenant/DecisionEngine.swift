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
    private let identityFields: FieldSet
    private let specialFields: FieldSet
    private let requiredGiversByAge: [ConsentGiverSet?]  // index = age, 0...maxAge
    private let bases: [BasisRule]

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
        identityFields = FieldSet(policy.fields.filter { $0.category == .identity }.map(\.field))
        specialFields = FieldSet(policy.fields.filter { $0.category == .special }.map(\.field))
        requiredGiversByAge = (0...Self.maxAge).map { policy.consent.requiredGivers(age: $0) }
        bases = policy.bases
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
        if pupil.age < policy.scope.fromAge || pupil.age > policy.scope.toAge {
            blocking.append(cite(.pupilOutOfScope))
        }
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

        // 2. Consents the sender holds for this recipient (and SOT question): which fields
        //    they validly cover, and which they would cover but for the giver or a revocation.
        let consents = consentCoverage(request, forum: forum)

        // 3. Table row for the thuiszitterstafel (protocol ch. 5), looked up once.
        var tableRequirement: TableRequirement?
        if forum.identity == .table, let row = policy.table.row(for: pupil.caseType),
           let column = policy.table.column(for: sender) {
            tableRequirement = row.requirements[column]
        }
        let leerplichtWithoutDuo = !pupil.duoMelding && request.forum != .duoMelding
            && (Self.isLeerplicht(recipient) || (Self.isLeerplicht(sender) && forum.identity != .table))

        // 4. Field by field: the first rule that blocks a field withholds it. No rule looks
        //    at the other requested fields, so asking for more never changes these answers.
        var released: [String] = []
        var releasedSet = FieldSet()
        var withheld: [WithheldField] = []
        released.reserveCapacity(request.fields.count)
        forEachDistinctField(request.fields) { requested in
            if let citation = fieldRule(
                requested.field, request: request, forum: forum, consents: consents,
                hasPlainBasis: hasPlainBasis, tableRequirement: tableRequirement,
                leerplichtWithoutDuo: leerplichtWithoutDuo)
            {
                withheld.append(WithheldField(field: requested.name, citation: citation))
            } else {
                released.append(requested.name)
                releasedSet.insert(requested.field!)
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
        if releasedSet.mask & specialFields.mask != 0 { basis.append(policy.specialCategoryBasis) }

        let identified = releasedSet.mask & identityFields.mask != 0
        return DecisionAnswer(decision: .permit, identity: identified ? .identified : .pseudonymised,
                              released: released, withheld: withheld, basis: basis, reasons: [])
    }

    /// The rule that withholds one field, or nil when it may go.
    private func fieldRule(
        _ field: Field?, request: DecisionRequest, forum: ForumRule, consents: ConsentCoverage,
        hasPlainBasis: Bool, tableRequirement: TableRequirement?, leerplichtWithoutDuo: Bool
    ) -> RuleCitation? {
        guard let field else { return cite(.fieldNotInCovenant) }                 // art. 5.1
        let identity = identityFields.contains(field)
        // An anonymous forum names anonymity, not minimisation, as the reason (Bijlage 3.1 sub 4).
        if identity && forum.identity == .never { return cite(.verzuimoverlegAnonymous) }
        if !forum.fields.contains(field) {                                         // art. 7.2, Bijlage 3
            return fieldNotForForum[Self.forumIndex(forum.forum)]
        }
        if field == .bsn && request.recipient.kind == .swv { return cite(.bsnNotToSwv) }   // fn 23
        let special = specialFields.contains(field)
        if special && request.sender.kind == .swv && request.recipient.kind != .schoolbestuur {
            return cite(.swvHealthOnlyToSchool)                                    // fn 20
        }
        // Consent: special data (art. 4.2, 6.1), consent-only senders (art. 4.4, ch. 10),
        // and the SOT's consent per question (Bijlage 3.2 sub 4).
        if (special || !hasPlainBasis || forum.questionConsentRequired) && !consents.valid.contains(field) {
            if consents.wrongGiver.contains(field) { return cite(.consentWrongGiver) }
            if consents.revoked.contains(field) { return cite(.consentRevoked) }
            if forum.questionConsentRequired { return cite(.sotQuestionConsent) }
            return cite(special ? .specialCategoryNeedsConsent : .consentRequired)
        }
        guard identity else { return nil }
        // Identity: protocol 5.4 and the thuiszitterstafel table (protocol ch. 5).
        if leerplichtWithoutDuo { return cite(.leerplichtBeforeDuo) }
        if forum.identity == .table {
            switch tableRequirement {
            case nil: return cite(.thuiszitterstafelCaseTypeUnknown)
            case .notify: return nil
            case .consent:
                return consents.valid.contains(field) ? nil : cite(.thuiszitterstafelNeedsConsent)
            case .duo:
                return request.pupil.duoMelding ? nil : cite(.thuiszitterstafelNeedsDuo)
            case .duoOrConsent:
                return request.pupil.duoMelding || consents.valid.contains(field)
                    ? nil : cite(.thuiszitterstafelNeedsDuoOrConsent)
            }
        }
        return nil
    }

    struct ConsentCoverage {
        var valid = FieldSet()
        var wrongGiver = FieldSet()
        var revoked = FieldSet()
    }

    /// Consents count only for this recipient kind and, in the SOT, only for exactly this
    /// question (Bijlage 3.2 sub 4); elsewhere a question-bound consent counts only for its
    /// own question. Revoked consents count for nothing (art. 6.1 sub d, art. 11.5).
    private func consentCoverage(_ request: DecisionRequest, forum: ForumRule) -> ConsentCoverage {
        var coverage = ConsentCoverage()
        let age = request.pupil.age
        let required = age >= 0 && age <= Self.maxAge ? requiredGiversByAge[age] : nil
        for consent in request.consents where consent.recipients.contains(request.recipient.kind) {
            let questionMatches = forum.questionConsentRequired
                ? consent.question != nil && consent.question == request.question
                : consent.question == nil || consent.question == request.question
            guard questionMatches else { continue }
            if consent.revoked {
                coverage.revoked.formUnion(consent.fields)
            } else if let required, consent.givenBy.isSuperset(of: required) {
                coverage.valid.formUnion(consent.fields)
            } else {
                coverage.wrongGiver.formUnion(consent.fields)
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
