import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

public struct DisclosureInput: Sendable, Codable {
    public var caseId: String
    /// The receiving party's id.
    public var recipient: String
    /// For a gemeente recipient: `leerplicht` (default) or `jeugd-en-gezin`.
    public var recipientRole: String?
    public var forum: String
    public var purpose: String
    public var fields: [String]
    /// In the SOT: the id of the case's SOT question this disclosure is about (Bijlage 3.2 sub 4).
    public var sotQuestion: String?
    /// A conflict of duties with its written professional justification (art. 6.1 sub e): only
    /// a professional bound by a secrecy of art. 6.1 may give it (docs/authorization.md).
    public var conflictOfDuties: ConflictOfDutiesInput?

    enum CodingKeys: String, CodingKey, CaseIterable { case caseId, recipient, recipientRole, forum, purpose, fields, sotQuestion, conflictOfDuties }

    public init(caseId: String, recipient: String, recipientRole: String?, forum: String, purpose: String, fields: [String],
                sotQuestion: String? = nil, conflictOfDuties: ConflictOfDutiesInput? = nil) {
        (self.caseId, self.recipient, self.recipientRole, self.forum, self.purpose, self.fields) = (caseId, recipient, recipientRole, forum, purpose, fields)
        (self.sotQuestion, self.conflictOfDuties) = (sotQuestion, conflictOfDuties)
    }
}

extension DisclosureInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self, nested: ["conflictOfDuties": ConflictOfDutiesInput.jsonShape])
}

public struct RegisterProof: Sendable, Codable, Equatable {
    public var index: Int64
    public var leafHash: String
    public var treeSize: Int64
    public var rootHash: String
    public var checkpoint: String
    public var inclusionProof: [String]
}

public struct WithheldView: Sendable, Codable, Equatable {
    public var field: String, rule: String, article: String, reason: String
}

public struct BasisView: Sendable, Codable, Equatable {
    public var gdpr: String, law: [String], article: String
}

/// What the sender is told about a conflict of duties it invoked (art. 6.1 sub e).
public struct ConflictOfDutiesOutcome: Sendable, Codable, Equatable {
    /// The released fields that went only because of it (the register entry's mark); empty when
    /// consent covered every released field.
    public var overridden: [String]
    /// Whether the register entry is marked and the justification kept for the FG.
    public var marked: Bool
    public var note: String

    init(overridden: [String]) {
        self.overridden = overridden
        marked = !overridden.isEmpty
        note = overridden.isEmpty
            ? "consent covered every released field: the disclosure rests on consent, is not marked, and the justification was not kept (convenant art. 6.1 sub b, e)"
            : "released only because of the conflict of duties: marked on the register for the FG, the justification kept encrypted with the disclosure (convenant art. 6.1 sub e, art. 15.2)"
    }
}

public struct DisclosureReceipt: Sendable, Codable, Equatable {
    public var disclosureId: String?
    public var decision: String
    public var identity: String
    public var released: [String]
    public var withheld: [WithheldView]
    public var basis: [BasisView]
    public var reasons: [WithheldView]
    public var bundleDigest: String?
    public var register: RegisterProof
    /// Present when the sender invoked a conflict of duties.
    public var conflictOfDuties: ConflictOfDutiesOutcome?
}

/// Thrown inside a disclosure's commit when the facts its decision rested on changed since
/// they were read (a consent revoked, the case closed, …): the decision is taken again.
struct StaleDecisionFacts: CompanionRefusal {}

/// What a disclosure carries: the values the sender supplied itself, or the CJG's fixed,
/// content-free message that a conversation took place on a day (verzuimprotocol 5.5.4,
/// procedure CJG sub 4), which rests on no consent.
enum DisclosurePayload: Sendable, Equatable {
    case ownValues
    case conversationHeld(on: String)

    /// The fixed text a CJG feedback bundle carries beside the date; nothing of the conversation.
    var message: String? {
        guard case .conversationHeld(let day) = self else { return nil }
        return "Op \(day) heeft een gesprek plaatsgevonden met de jeugdarts of jeugdverpleegkundige van het CJG. Er is geen toestemming "
            + "gegeven voor overdracht van de inhoud van het gesprek (verzuimprotocol 5.5.4, procedure CJG sub 4)."
    }
}

extension Gateway {
    /// The sender's consents as the engine's facts today (`ConsentReading`: only the givers who
    /// gave; a refusal gives nothing and takes its scope out of the others; lapsed ones count
    /// for nothing), each with the index of the stored consent it comes from.
    func consentReading(_ consents: [ConsentRecord]) -> [(index: Int, fact: ConsentFact)] {
        ConsentReading.facts(consents.map(Self.recorded), on: today)
    }

    /// The decision request, built from what Sluis has stored — the same builder for a real
    /// disclosure and its dry run, so they can never disagree. `fields` are the requested
    /// fields the sender may speak for (it supplied them itself); `consents` the sender's
    /// consents as the engine reads them.
    func decisionRequest(_ input: DisclosureInput, facts: GatewayStore.DecisionFacts, data: CaseData, fields: [String], sender: Principal,
                         recipient: PartyRecord, consents: [ConsentFact]) throws -> DecisionRequest {
        // Art. 12.1: informed by the disclosing party, or by the party that holds casusregie
        // (the party that brought the case in).
        let informed = facts.informing.contains { $0.party == sender.unit || $0.party == facts.record.owner }
        return DecisionRequest(
            sender: sender.role.partyRef(kind: sender.partyKind, joined: true),
            recipient: try recipientRef(input, recipient),
            forum: try forum(input), purpose: input.purpose, fields: fields.map(RequestedField.init), question: input.sotQuestion,
            pupil: PupilFacts(age: Self.age(birthDate: data.birthDate, at: now()) ?? 0, duoMelding: facts.record.duoMelding, informed: informed,
                              caseStatus: facts.record.status, caseType: facts.record.caseType, phase: facts.record.phase),
            consents: consents, conflictOfDuties: input.conflictOfDuties != nil)
    }

    func forum(_ input: DisclosureInput) throws -> Forum {
        guard let forum = Forum(rawValue: input.forum) else {
            throw GatewayError.invalid(field: "forum", problem: "one of \(Forum.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return forum
    }

    func recipientRef(_ input: DisclosureInput, _ recipient: PartyRecord) throws -> PartyRef {
        let kind = recipient.kind
        var role: PartyRole?
        if let text = input.recipientRole {
            guard kind == .gemeente, let parsed = PartyRole(rawValue: text) else {
                throw GatewayError.invalid(field: "recipientRole", problem: "only for a gemeente: leerplicht or jeugd-en-gezin")
            }
            role = parsed
        }
        return PartyRef(kind: kind, role: role, joined: recipient.status == .active)
    }

    func validateShape(_ input: DisclosureInput) throws {
        _ = try forum(input)
        guard !input.fields.isEmpty, input.fields.count <= RequestParser.Limits.fields,
              input.fields.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 }) else {
            throw GatewayError.invalid(field: "fields", problem: "1–\(RequestParser.Limits.fields) field names")
        }
        if input.sotQuestion != nil && input.forum != Forum.sot.rawValue {
            throw GatewayError.invalid(field: "sotQuestion", problem: "only in the sot forum (Bijlage 3.2 sub 4)")
        }
        guard input.purpose.utf8.count <= 64 else { throw GatewayError.invalid(field: "purpose", problem: "at most 64 bytes") }
        if let conflict = input.conflictOfDuties { _ = try ProfessionalJustification.validated(conflict.justification) }
    }

    /// The engine's answer on the fields the sender supplied, with the requested fields it did
    /// not supply withheld by `not-supplied-by-sender` (art. 3.4 sub c, 11.4, 14.2).
    func answer(_ request: DecisionRequest, requested: [String], notSupplied: [String]) -> DecisionAnswer {
        let withheld = notSupplied.map { WithheldField(field: $0, citation: GatewayRules.notSuppliedBySender) }
        guard !request.fields.isEmpty else {
            return DecisionAnswer(decision: .deny, identity: .pseudonymised, released: [], withheld: withheld, basis: [],
                                  reasons: [GatewayRules.notSuppliedBySender])
        }
        var answer = engine.evaluate(request)
        // Withheld fields in the order they were asked for.
        let order = Dictionary(zip(requested, requested.indices), uniquingKeysWith: { first, _ in first })
        answer.withheld = (answer.withheld + withheld).enumerated()
            .sorted { (order[$0.element.field] ?? Int.max, $0.offset) < (order[$1.element.field] ?? Int.max, $1.offset) }.map(\.element)
        if answer.decision == .deny, !withheld.isEmpty, !answer.reasons.contains(GatewayRules.notSuppliedBySender) {
            answer.reasons.append(GatewayRules.notSuppliedBySender)
        }
        return answer
    }

    /// Discloses case data to another party, or refuses with the covenant's reasons. Either way
    /// the outcome is on the register before anything is answered; a refusal delivers nothing.
    /// The sender is always the party whose data goes: only values it supplied itself can go.
    public func disclose(_ input: DisclosureInput, by principal: Principal, trace: TraceContext) async throws -> DisclosureReceipt {
        // Art. 6.1 sub e: only a professional bound by a secrecy of art. 6.1 invokes a conflict of
        // duties — the role first (403), before anything about the case is looked up.
        let invokes = input.conflictOfDuties != nil
        if invokes {
            try await authorizeRole(.invokeConflictOfDuties, principal, subject: "case", trace: trace, code: .conflictOfDutiesNotProfessional)
        }
        let access = try await caseAccess(input.caseId, .disclose, principal, trace: trace)
        if invokes {
            try await authorize(.invokeConflictOfDuties, principal, relations: access.relations, subject: "case", trace: trace,
                                code: .conflictOfDutiesNotProfessional)
        }
        guard let recipient = try await store.party(input.recipient) else { throw GatewayError.invalid(field: "recipient", problem: "not a party") }
        guard recipient.id != principal.party else {
            await self.access.denied(principal, "disclose case \(access.record.id) to its own party", trace: trace)
            throw GatewayError.forbidden(.selfDisclosure, "a party does not disclose to itself; its delegates use what it holds for their task",
                                         article: "convenant art. 3.4 sub c; art. 7.3")
        }
        try validateShape(input)
        // The DUO melding is the school's legal report (Lpw art. 21a), recorded as an event that
        // unlocks identity only when it exists (verzuimprotocol 5.4): never an ordinary disclosure
        // that names its forum.
        guard try forum(input) != .duoMelding else {
            throw GatewayError.invalid(field: "forum", problem: "the DUO melding is recorded with POST /v1/cases/{caseId}/duo-meldingen, not disclosed (Lpw art. 21a; verzuimprotocol 5.4)")
        }
        guard input.forum != Forum.cjgTerugkoppeling.rawValue else {
            throw GatewayError.invalid(field: "forum", problem: "the CJG's feedback goes through POST /v1/cases/{caseId}/cjg-feedback (verzuimprotocol 5.5.4)")
        }
        if let question = input.sotQuestion {
            guard try await store.sotQuestion(question)?.caseID == access.record.id else {
                throw GatewayError.invalid(field: "sotQuestion", problem: "the id of a SOT question of this case (Bijlage 3.2 sub 4)")
            }
        }
        return try await decideAndDisclose(input, caseID: access.record.id, recipient: recipient, payload: .ownValues, principal: principal, trace: trace)
    }

    /// The facts are read, decided on, and read again inside the commit; when they changed
    /// meanwhile (e.g. a revocation won the race), the decision is taken again.
    func decideAndDisclose(_ input: DisclosureInput, caseID: String, recipient: PartyRecord, payload: DisclosurePayload, principal: Principal,
                           trace: TraceContext) async throws -> DisclosureReceipt {
        // The recipient's unit (party, and role at a gemeente), so that the one read of the facts
        // also brings its reference for the case; an invalid role is refused where the request
        // is built, as before (art. 7.3).
        let recipientUnit = (try? recipientRef(input, recipient)).map { CaseUnit.name(party: recipient.id, role: $0.effectiveRole) }
        for _ in 0..<5 {
            guard let read = try await store.decisionRead(caseID: caseID, sender: principal.unit, recipientUnit: recipientUnit) else {
                throw GatewayError.notFound(.caseNotFound, "case")
            }
            do {
                return try await disclose(input, read: read, readFor: recipientUnit, recipient: recipient, payload: payload, principal: principal, trace: trace)
            } catch is StaleDecisionFacts {
                continue
            }
        }
        throw GatewayError.unavailable(.caseChanged, "the case kept changing while disclosing; nothing was disclosed, try again")
    }

    private func disclose(_ input: DisclosureInput, read: GatewayStore.DecisionRead, readFor unit: String?, recipient: PartyRecord,
                          payload: DisclosurePayload, principal: Principal, trace: TraceContext) async throws -> DisclosureReceipt {
        let facts = read.facts
        let record = facts.record
        // AVG art. 18 lid 2: a restricted case discloses nothing (checked again in the commit).
        if facts.restricted { throw Self.restrictedError }
        let data = try load(record)
        let values: [String: (value: String, at: String)]
        let held: [ConsentRecord]
        switch payload {
        case .ownValues:
            values = try ownValues(record: record, data: data, party: principal.unit, facts: facts.facts)
            held = facts.consents
        case .conversationHeld(let day):
            // Written by the gateway, resting on no consent (protocol 5.5.4, procedure CJG sub 4).
            values = [Field.conversationHeld.rawValue: (day, time)]
            held = []
        }
        let notSupplied = input.fields.filter { Field.named($0) != nil && values[$0] == nil }
        let fields = input.fields.filter { !notSupplied.contains($0) }
        let reading = consentReading(held)
        let request = try decisionRequest(input, facts: facts, data: data, fields: fields, sender: principal, recipient: recipient,
                                          consents: reading.map(\.fact))
        let answer = answer(request, requested: input.fields, notSupplied: notSupplied)
        let subject = try pseudonyms.pseudonym(of: record.pupilKey, for: Pseudonymizer.registerRecipient)
        let activity = activity(ProcessingActivities.disclosureID(request.forum))
        let consentIDs = supportingConsents(answer: answer, request: request, held: held, reading: reading)
        let recipientRole = request.recipient.effectiveRole
        let recipientUnit = CaseUnit.name(party: recipient.id, role: request.recipient.effectiveRole)
        var entry = RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: answer.decision == .permit ? "disclose" : "refuse", sender: principal.party, actor: principal.delegateID,
            recipient: recipient.id, forum: request.forum.rawValue, purpose: registered(purpose: request.purpose), decision: answer.decision.rawValue,
            released: answer.released, withheld: registered(withheld: answer.withheld),
            basis: answer.basis.map { "\($0.gdpr); \($0.law.joined(separator: ", ")); \($0.article)" },
            consentReference: consentIDs.isEmpty ? nil : consentIDs.joined(separator: ","), policyHash: policyHash, subject: subject,
            recipientRole: recipientRole?.rawValue, parentSpanID: trace.parentSpanID, conflictOfDuties: answer.overridden)

        guard answer.decision == .permit else {
            let receipt = try await registerEntry(entry)
            throw GatewayError.refused(answer, registerIndex: receipt.index)
        }

        // The recipient's own reference for the case: the one it has (a reference, once recorded,
        // never changes), or a new one minted now and claimed in the commit (a concurrent
        // disclosure that minted another makes this stale).
        let knownRef = unit == recipientUnit ? read.recipientRef : try await store.ref(caseID: record.id, party: recipientUnit)
        let recipientRef = knownRef ?? UUID().uuidString.lowercased()
        // Only the released fields, identified or under the recipient's own pseudonym.
        var released: [String: String] = [:]
        for name in answer.released { if let value = values[name]?.value { released[name] = value } }
        let bundleBytes = try bundleContent(answer: answer, fields: released, record: record, caseRef: recipientRef, recipientUnit: recipientUnit,
                                            request: request, sender: principal, recipient: recipient, message: payload.message)
        let id = UUID().uuidString.lowercased()
        // Art. 6.1 sub e: the justification is kept (encrypted, with the disclosure, for the FG)
        // only when the conflict of duties carried a field; where consent sufficed it is not needed.
        let justification = try input.conflictOfDuties.flatMap { conflict -> JustificationRecord? in
            guard !answer.overridden.isEmpty else { return nil }
            let sealed = try vault.seal(Array(conflict.justification.utf8), context: ProfessionalJustification.context(disclosure: id))
            return JustificationRecord(disclosureID: id, textCipher: sealed, writtenBy: principal.delegateID, writtenAt: entry.time)
        }
        let sender = try credentials.credentials(principal.party)
        let recipientCertificate = try credentials.certificate(recipient.id)
        let bundle = try SealedBundle.seal(bundleBytes, signer: sender.certificate, key: sender.key, recipients: [recipientCertificate])
        let digest = try SHA256.hex(bundle)
        entry.bundleDigest = digest
        // The register entry and the mailbox delivery commit together, or neither does; inside
        // that commit the facts the decision rested on are read again (a check and the write it
        // guards in one transaction: a revocation racing this disclosure either commits first
        // and this is decided again, or commits after and notifies this recipient).
        let (caseID, senderID, recipientID, forum, purpose, releasedNames, created, senderParty) =
            (record.id, principal.party, recipient.id, request.forum, request.purpose, answer.released.compactMap(Field.named), time, principal.unit)
        let encoded = Data(bundle).base64EncodedString()
        let ownerUnit = record.owner
        let sotQuestion = request.question
        let receipt = try await registerEntry(entry) { sql, index in
            // One statement: the case row locked (PostgreSQL), its consents, informing, the
            // sender's facts and its restriction (AVG art. 18 lid 2, which the register's head
            // lock serializes with the restriction's own commit).
            guard let now = try await GatewayStore.decisionFacts(caseID: caseID, sender: senderParty, on: sql, lock: true) else {
                throw StaleDecisionFacts()
            }
            if now.restricted { throw Self.restrictedError }
            guard now == facts else { throw StaleDecisionFacts() }
            if knownRef == nil {
                guard try await GatewayStore.claim(ref: recipientRef, party: recipientUnit, toCase: caseID, on: sql) else { throw StaleDecisionFacts() }
            }
            // Only the party that brought the pupil in brings the case to a meeting (Bijlage 3.3
            // sub 5: the school registers it with the kernteam); another party's disclosure in a
            // forum does not make that forum's convener the case's convener.
            try await GatewayStore.add(disclosure: DisclosureRecord(
                id: id, caseID: caseID, sender: senderID, recipient: recipientID, forum: forum, purpose: purpose, released: releasedNames,
                consents: consentIDs, registerIndex: index, bundle: encoded, bundleDigest: digest, created: created,
                recipientRole: recipientRole, sotQuestion: sotQuestion), forumSince: senderParty == ownerUnit ? created : nil, on: sql)
            if let justification { try await GatewayStore.add(justification: justification, on: sql) }
        }
        return DisclosureReceipt(
            disclosureId: id, decision: answer.decision.rawValue, identity: answer.identity.rawValue, released: answer.released,
            withheld: answer.withheld.map { WithheldView(field: $0.field, rule: $0.citation.rule, article: $0.citation.article, reason: $0.citation.reason) },
            basis: answer.basis.map { BasisView(gdpr: $0.gdpr, law: $0.law, article: $0.article) }, reasons: [],
            bundleDigest: digest, register: try await proof(receipt),
            conflictOfDuties: input.conflictOfDuties.map { _ in ConflictOfDutiesOutcome(overridden: answer.overridden) })
    }

    /// What goes on the register of a requested purpose and field names: only the covenant's own
    /// vocabulary, never text a caller typed (which could carry a name into an append-only log).
    func registered(purpose: String) -> String {
        policy.purposes.contains { $0.id == purpose } ? purpose : "onbekend-doel"
    }

    func registered(withheld: [WithheldField]) -> [String] {
        withheld.map { Field.named($0.field) != nil ? $0.field : "onbekend-veld" }
    }

    func proof(_ receipt: RegisterStore.AppendReceipt) async throws -> RegisterProof {
        let proof = try await register.inclusionProof(index: receipt.index, size: receipt.treeSize)
        return RegisterProof(index: receipt.index, leafHash: Hex.encode(receipt.leafHash), treeSize: receipt.treeSize,
                             rootHash: Hex.encode(receipt.root), checkpoint: receipt.checkpoint, inclusionProof: proof.map { Hex.encode($0) })
    }

    /// The consents a permit rests on: those the engine read as counting (not revoked, not
    /// lapsed, no refusal) for this recipient and question that cover a released field
    /// (recorded with the disclosure, so a revocation can notify its recipients).
    func supportingConsents(answer: DecisionAnswer, request: DecisionRequest, held: [ConsentRecord],
                            reading: [(index: Int, fact: ConsentFact)]) -> [String] {
        guard answer.decision == .permit else { return [] }
        let released = FieldSet(answer.released.compactMap(Field.named))
        let perQuestion = policy.forumRule(request.forum).questionConsentRequired
        var ids: [String] = []
        for (index, fact) in reading where !fact.revoked && fact.recipients.contains(request.recipient.kind)
            && fact.fields.mask & released.mask != 0
            && (perQuestion ? fact.question != nil && fact.question == request.question : fact.question == nil || fact.question == request.question)
            && !ids.contains(held[index].id) {
            ids.append(held[index].id)
        }
        return ids
    }

    /// The bundle's content: JSON with the recipient's own case reference and pseudonym, the
    /// released fields and the decision's basis.
    func bundleContent(answer: DecisionAnswer, fields: [String: String], record: CaseRecord, caseRef: String, recipientUnit: String,
                       request: DecisionRequest, sender: Principal, recipient: PartyRecord, message: String? = nil) throws -> [UInt8] {
        let content = BundleContent(
            pseudonym: try pseudonyms.pseudonym(of: record.pupilKey, for: recipientUnit), caseId: caseRef, sender: sender.party,
            recipient: recipient.id, recipientRole: request.recipient.effectiveRole?.rawValue, forum: request.forum.rawValue,
            purpose: request.purpose, identity: answer.identity.rawValue,
            fields: fields, basis: answer.basis.map { BasisView(gdpr: $0.gdpr, law: $0.law, article: $0.article) }, created: time,
            sotQuestion: request.question, message: message, conflictOfDuties: answer.overridden.isEmpty ? nil : answer.overridden)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return Array(try encoder.encode(content))
    }

    /// The dry run of the contract (`POST /v1/decisions`): an answer, and the question on the register.
    public func decide(_ body: [UInt8], by principal: Principal, trace: TraceContext) async throws -> DecisionAnswer {
        try await authorize(.decide, principal, subject: "decision", trace: trace)
        let request: DecisionRequest
        do {
            request = try RequestParser.parse(Data(body))
        } catch {
            throw GatewayError.invalid(field: error.key.isEmpty ? "body" : error.key, problem: error.problem)
        }
        let answer = engine.evaluate(request)
        let activity = activity(ProcessingActivities.question)
        _ = try await registerEntry(RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: "question", sender: principal.party, actor: principal.delegateID, forum: request.forum.rawValue,
            purpose: registered(purpose: request.purpose), decision: answer.decision.rawValue, released: answer.released,
            withheld: registered(withheld: answer.withheld),
            basis: answer.basis.map { "\($0.gdpr); \($0.law.joined(separator: ", ")); \($0.article)" }, policyHash: policyHash,
            parentSpanID: trace.parentSpanID))
        return answer
    }
}

/// What a recipient finds inside a bundle.
struct BundleContent: Codable {
    var pseudonym: String
    /// The recipient's own reference for the case (no identifier shared with another party).
    var caseId: String
    var sender: String
    var recipient: String
    var recipientRole: String?
    var forum: String
    var purpose: String
    var identity: String
    var fields: [String: String]
    var basis: [BasisView]
    var created: String
    /// In the SOT: the id of the question it is about (Bijlage 3.2 sub 4).
    var sotQuestion: String?
    /// A fixed message the gateway wrote (the CJG's feedback, protocol 5.5.4), never a party's text.
    var message: String?
    /// The fields that went only because the sender invoked a conflict of duties (art. 6.1 sub
    /// e), beside its basis in `basis`; absent otherwise. The justification stays with the sender.
    var conflictOfDuties: [String]?
}
