import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// A correction of one field a party supplied (convenant art. 8.1; AVG art. 16).
public struct RectificationInput: Sendable, Codable {
    /// A field of art. 5.1 the acting party supplied itself.
    public var field: String
    /// The correct value (sealed at rest, never on the register).
    public var value: String

    enum CodingKeys: String, CodingKey, CaseIterable { case field, value }
}

extension RectificationInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// What a rectification did: the field, and the parties (and roles) told of it.
public struct RectificationReceipt: Sendable, Codable, Equatable {
    public var request: String
    public var field: String
    /// Every recipient of a disclosure from this party that carried the field, every
    /// thuiszitterstafel participant whose view carried it, and the leerplichtambtenaar to whom
    /// a DUO melding released it (AVG art. 19).
    public var notified: [String]
}

extension Gateway {
    /// Corrects a field under a `rectificatie` request. Only the party that supplied the field
    /// corrects it (art. 8.1: "De Partij die persoonsgegevens … verstrekt blijft verantwoordelijk
    /// voor de juistheid"): its own fact, or the identity if it brought the pupil in. Every
    /// recipient of a disclosure from this party that carried the field, and every participant
    /// whose thuiszitterstafel view carried it, gets a `data-rectified` notice naming the field, and a register entry each (AVG art. 19) — all in one commit with
    /// the correction. - Throws: 400; 409 `rectificationNotSupplier`, `rightsRequestWrongKind`, `rightsRequestDecided`.
    public func rectify(_ requestID: String, _ input: RectificationInput, by principal: Principal, trace: TraceContext) async throws -> RectificationReceipt {
        let (request, access) = try await heldRightsRequest(requestID, by: principal, trace: trace, action: .rectifyData)
        // The wrong kind is said as such, not as "decided" (a newcomer's finding).
        guard request.kind == .rectificatie else {
            throw GatewayError.conflict(.rightsRequestWrongKind, "this is a request for \(request.kind.rawValue): corrections are made under a request for rectificatie (convenant art. 13.1 sub b)")
        }
        guard [.open, .extended, .granted, .partlyGranted].contains(request.status) else {
            throw GatewayError.conflict(.rightsRequestDecided, "corrections are made under an open or granted request for rectification; this one is \(request.status.rawValue) (convenant art. 13.1 sub b)")
        }
        let record = access.record
        // A closed case changes no more (art. 5.5), a correction neither (an attacker's finding).
        guard record.status == .open else { throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5): nothing in it changes any more") }
        let name = StrictJSON.shown(input.field)
        guard let field = Field.named(input.field) else { throw GatewayError.invalid(field: "field", problem: "\(name): not a field of art. 5.1") }
        let identity: Set<Field> = [.name, .birthDate, .address, .bsn]
        let supplied = identity.contains(field)
            ? record.owner == principal.unit
            : try await store.facts(caseID: record.id, party: principal.unit).contains { $0.field == field.rawValue }
        guard supplied else {
            throw GatewayError.conflict(.rectificationNotSupplier, "your party did not supply \(field.rawValue) in this case: only the party that supplied it corrects it (convenant art. 8.1)")
        }
        let (dataCipher, fact) = try corrected(field, value: input.value, record: record, principal: principal, identity: identity.contains(field))
        // AVG art. 19: every recipient of a disclosure from this party that carried the field.
        var reached: [(party: String, role: PartyRole?)] = []
        func reach(_ party: String, _ role: PartyRole?) {
            guard !(party == principal.party && role == principal.partyRole), !reached.contains(where: { $0.party == party && $0.role == role }) else { return }
            reached.append((party, role))
        }
        for disclosure in try await store.disclosures(caseID: record.id) where disclosure.sender == principal.party && disclosure.released.contains(field) {
            // At a gemeente the leerplicht and jeugd-en-gezin keep their own data (art. 7.3): only
            // the unit's own disclosures carried the value it corrects (an attacker's finding).
            if principal.partyRole != nil, try await senderUnit(of: disclosure) != principal.unit { continue }
            reach(disclosure.recipient, disclosure.recipientRole)
        }
        // And every participant whose thuiszitterstafel view carried the field about this pupil
        // (Bijlage 3.3 sub 4): the register names the field per recipient, not whose text it
        // was, so all of them are told — a notice too many, never one too few. And the
        // leerplichtambtenaar who sees the identity after a DUO melding the engine permitted
        // (protocol 5.4): it sees the corrected value from now on, so it is told, on the
        // register (an attacker's finding: the new address reached it with no entry and no notice).
        for entry in try await register.allEntries(about: SubjectQuery(subjects: try registerSubjects(record)))
        where entry.released.contains(field.rawValue) && entry.decision == DecisionAnswer.Decision.permit.rawValue
            && ((entry.operation == "disclose" && entry.forum == Forum.thuiszitterstafel.rawValue)
                || (entry.operation == "re-identify" && entry.sender == principal.party)) {
            if let recipient = entry.recipient { reach(recipient, entry.recipientRole.flatMap(PartyRole.init(rawValue:))) }
        }
        let basis = ["convenant art. 8.1; AVG art. 16", "gecorrigeerd: \(field.rawValue)"]
        var entries = [try rightsEntry("data-rectified", record, principal, trace, basis: basis)]
        for recipient in reached {
            entries.append(try rightsEntry("rectification-notice", record, principal, trace, basis: ["AVG art. 19; convenant art. 8.1", "gecorrigeerd: \(field.rawValue)"],
                                           recipientParty: recipient.party, recipientRole: recipient.role))
        }
        let (caseID, created, recipients) = (record.id, time, reached)
        _ = try await registerEntries(entries) { sql, _ in
            if let dataCipher { try await GatewayStore.update(caseData: dataCipher, of: caseID, on: sql) }
            if let fact { try await GatewayStore.put(fact: fact, on: sql) }
            try await Self.notify(recipients.map { CaseUnit.name(party: $0.party, role: $0.role) }, .dataRectified, caseID: caseID,
                                  subject: field.rawValue, at: created, on: sql)
        }
        try await audited(principal, .rectifyData, caseID: record.id, "rights request \(requestID): \(field.rawValue) rectified", trace: trace)
        return RectificationReceipt(request: requestID, field: field.rawValue, notified: reached.map { CaseUnit.name(party: $0.party, role: $0.role) })
    }

    /// The unit that sent a disclosure: its party, at a gemeente with the role of the delegate
    /// the register names as its actor; nil when that cannot be read.
    func senderUnit(of disclosure: DisclosureRecord) async throws -> String? {
        guard let (entry, _) = try await register.entry(disclosure.registerIndex), let actor = entry.actor,
              let delegate = try await store.delegate(id: actor), let party = try await store.party(disclosure.sender) else { return nil }
        return CaseUnit.name(party: disclosure.sender, role: delegate.role.partyRole(kind: party.kind))
    }

    /// The corrected value, checked as it would be where it first entered, sealed: the case's
    /// identity document (for an identity field) or the party's fact.
    private func corrected(_ field: Field, value: String, record: CaseRecord, principal: Principal, identity: Bool) throws -> (String?, FactRecord?) {
        guard identity else {
            let text = try Self.caseText(value, field: "value")
            return (nil, FactRecord(caseID: record.id, party: principal.unit, field: field.rawValue,
                                    valueCipher: try vault.seal(Array(text.utf8), context: factContext(record.id, principal.unit, field.rawValue)),
                                    suppliedBy: principal.delegateID, suppliedAt: time))
        }
        var data = try load(record)
        do {
            switch field {
            case .birthDate:
                _ = try PupilIdentityValidation.ageInScope(birthDate: value, at: now(), scope: policy.scope)
                data.birthDate = value
            case .bsn:
                try PupilIdentityValidation.checkBSN(value)
                data.bsn = value
            default:
                guard !value.isEmpty, value.utf8.count <= 300, Self.isPlainText(value) else {
                    throw GatewayError.invalid(field: "value", problem: "1–300 bytes of plain text with a letter (no control or format characters)")
                }
                if field == .name { data.name = value } else { data.address = value }
            }
        } catch let error as PupilIdentityError {
            throw GatewayError.invalid(field: "value", problem: String(error.description.dropFirst(error.field.count + 2)))
        }
        return (try seal(data, caseID: record.id), nil)
    }
}
