import Foundation
import SluisCovenant
import SluisCrypto
import SluisRegister
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
    public var question: String?
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
}

extension Gateway {
    /// The decision request, built from what Sluis has stored — the same builder for a real
    /// disclosure and its dry run, so they can never disagree.
    func decisionRequest(_ input: DisclosureInput, record: CaseRecord, data: CaseData, sender: Principal,
                         recipient: PartyRecord, consents held: [ConsentRecord]) async throws -> DecisionRequest {
        guard let forum = Forum(rawValue: input.forum) else {
            throw GatewayError.invalid(field: "forum", problem: "one of \(Forum.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let recipientKind = PartyKind(rawValue: recipient.kind) else { throw GatewayError.invalid(field: "recipient", problem: "unknown kind") }
        var recipientRole: PartyRole?
        if let role = input.recipientRole {
            guard recipientKind == .gemeente, let parsed = PartyRole(rawValue: role) else {
                throw GatewayError.invalid(field: "recipientRole", problem: "only for a gemeente: leerplicht or jeugd-en-gezin")
            }
            recipientRole = parsed
        }
        guard !input.fields.isEmpty, input.fields.count <= RequestParser.Limits.fields,
              input.fields.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 }) else {
            throw GatewayError.invalid(field: "fields", problem: "1–\(RequestParser.Limits.fields) field names")
        }
        if let question = input.question, question.isEmpty || question.utf8.count > 500 {
            throw GatewayError.invalid(field: "question", problem: "1–500 bytes, or absent")
        }
        guard input.purpose.utf8.count <= 64 else { throw GatewayError.invalid(field: "purpose", problem: "at most 64 bytes") }
        let consents = held.map { consent in
            ConsentFact(givenBy: ConsentGiverSet(consent.givenBy.compactMap(ConsentGiver.init(rawValue:))),
                        recipients: PartyKindSet(consent.recipients.compactMap(PartyKind.init(rawValue:))),
                        fields: FieldSet(consent.fields.compactMap(Field.named)), question: consent.question, revoked: consent.revokedAt != nil)
        }
        let informed = !(try await store.informing(caseID: record.id)).isEmpty
        return DecisionRequest(
            sender: sender.role.partyRef(kind: sender.partyKind, joined: true),
            recipient: PartyRef(kind: recipientKind, role: recipientRole, joined: recipient.status == "active"),
            forum: forum, purpose: input.purpose, fields: input.fields.map(RequestedField.init), question: input.question,
            pupil: PupilFacts(age: Self.age(birthDate: data.birthDate, at: now()) ?? 0, duoMelding: record.duoMelding, informed: informed,
                              caseStatus: record.status == "open" ? .open : .closed, caseType: record.caseType),
            consents: consents)
    }

    /// Discloses case data to another party, or refuses with the covenant's reasons. Either way
    /// the outcome is on the register before anything is answered; a refusal delivers nothing.
    public func disclose(_ input: DisclosureInput, by principal: Principal, trace: TraceContext) async throws -> DisclosureReceipt {
        let record = try await caseForCaseworker(input.caseId, principal, trace: trace)
        guard let recipient = try await store.party(input.recipient) else { throw GatewayError.invalid(field: "recipient", problem: "not a party") }
        let data = try load(record)
        // The consents the sender holds: read once, for the decision and for the record of it.
        let held = try await store.consents(caseID: record.id).filter { $0.holder == principal.party }
        let request = try await decisionRequest(input, record: record, data: data, sender: principal, recipient: recipient, consents: held)
        let answer = engine.evaluate(request)
        let subject = try pseudonyms.pseudonym(of: record.pupilKey, for: Pseudonymizer.registerRecipient)
        let activity = activity(ProcessingActivities.disclosureID(request.forum))
        let consentIDs = supportingConsents(answer: answer, request: request, held: held)
        var entry = RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: answer.decision == .permit ? "disclose" : "refuse", sender: principal.party, actor: principal.delegateID,
            recipient: recipient.id, forum: request.forum.rawValue, purpose: request.purpose, decision: answer.decision.rawValue,
            released: answer.released, withheld: answer.withheld.map(\.field),
            basis: answer.basis.map { "\($0.gdpr); \($0.law.joined(separator: ", ")); \($0.article)" },
            consentReference: consentIDs.isEmpty ? nil : consentIDs.joined(separator: ","), policyHash: policyHash, subject: subject)

        guard answer.decision == .permit else {
            let receipt = try await registerEntry(entry)
            throw GatewayError.refused(answer, registerIndex: receipt.index)
        }

        // Only the released fields, identified or under the recipient's own pseudonym.
        let bundleBytes = try bundleContent(answer: answer, data: data, record: record, request: request, sender: principal, recipient: recipient)
        let sender = try credentials.credentials(principal.party)
        let recipientCertificate = try credentials.certificate(recipient.id)
        let bundle = try SealedBundle.seal(bundleBytes, signer: sender.certificate, key: sender.key, recipients: [recipientCertificate])
        let digest = try SHA256.hex(bundle)
        entry.bundleDigest = digest
        // The register entry and the mailbox delivery commit together, or neither does.
        let id = UUID().uuidString.lowercased()
        let (caseID, senderID, recipientID, forum, purpose, released, created) =
            (record.id, principal.party, recipient.id, request.forum.rawValue, request.purpose, answer.released, time)
        let encoded = Data(bundle).base64EncodedString()
        let receipt = try await registerEntry(entry) { sql, index in
            try await GatewayStore.add(party: recipientID, toCase: caseID, on: sql)
            try await GatewayStore.add(disclosure: DisclosureRecord(
                id: id, caseID: caseID, sender: senderID, recipient: recipientID, forum: forum, purpose: purpose, released: released,
                consents: consentIDs, registerIndex: index, bundle: encoded, bundleDigest: digest, created: created), on: sql)
        }
        return DisclosureReceipt(
            disclosureId: id, decision: answer.decision.rawValue, identity: answer.identity.rawValue, released: answer.released,
            withheld: answer.withheld.map { WithheldView(field: $0.field, rule: $0.citation.rule, article: $0.citation.article, reason: $0.citation.reason) },
            basis: answer.basis.map { BasisView(gdpr: $0.gdpr, law: $0.law, article: $0.article) }, reasons: [],
            bundleDigest: digest, register: try await proof(receipt))
    }

    func proof(_ receipt: RegisterStore.AppendReceipt) async throws -> RegisterProof {
        let proof = try await register.inclusionProof(index: receipt.index, size: receipt.treeSize)
        return RegisterProof(index: receipt.index, leafHash: Hex.encode(receipt.leafHash), treeSize: receipt.treeSize,
                             rootHash: Hex.encode(receipt.root), checkpoint: receipt.checkpoint, inclusionProof: proof.map { Hex.encode($0) })
    }

    /// The consents a permit rests on: valid ones of the sender for this recipient that cover a
    /// released field (recorded with the disclosure, so a revocation can notify its recipients).
    func supportingConsents(answer: DecisionAnswer, request: DecisionRequest, held: [ConsentRecord]) -> [String] {
        guard answer.decision == .permit else { return [] }
        return held.filter { consent in
            consent.revokedAt == nil && consent.recipients.contains(request.recipient.kind.rawValue)
                && consent.fields.contains(where: answer.released.contains)
                && (consent.question == nil || consent.question == request.question)
        }.map(\.id)
    }

    /// The bundle's content: JSON with the case reference (the recipient's pseudonym), the
    /// released fields and the decision's basis.
    func bundleContent(answer: DecisionAnswer, data: CaseData, record: CaseRecord, request: DecisionRequest, sender: Principal,
                       recipient: PartyRecord) throws -> [UInt8] {
        var fields: [String: String] = [:]
        for name in answer.released {
            if let field = Field.named(name), let value = data.value(of: field) { fields[name] = value }
        }
        let content = BundleContent(
            pseudonym: try pseudonyms.pseudonym(of: record.pupilKey, for: recipient.id), caseId: record.id, sender: sender.party,
            recipient: recipient.id, forum: request.forum.rawValue, purpose: request.purpose, identity: answer.identity.rawValue,
            fields: fields, basis: answer.basis.map { BasisView(gdpr: $0.gdpr, law: $0.law, article: $0.article) }, created: time)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return Array(try encoder.encode(content))
    }

    /// The dry run of the contract (`POST /v1/decisions`): an answer, and the question on the register.
    public func decide(_ body: [UInt8], by principal: Principal, trace: TraceContext) async throws -> DecisionAnswer {
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
            purpose: request.purpose, decision: answer.decision.rawValue, released: answer.released, withheld: answer.withheld.map(\.field),
            basis: answer.basis.map { "\($0.gdpr); \($0.law.joined(separator: ", ")); \($0.article)" }, policyHash: policyHash))
        return answer
    }
}

/// What a recipient finds inside a bundle.
struct BundleContent: Codable {
    var pseudonym: String
    var caseId: String
    var sender: String
    var recipient: String
    var forum: String
    var purpose: String
    var identity: String
    var fields: [String: String]
    var basis: [BasisView]
    var created: String
}
