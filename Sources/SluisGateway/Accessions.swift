import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

public struct AccessionProposal: Sendable, Codable {
    /// The new party's id (a–z, 0–9, '-').
    public var party: String
    public var name: String

    enum CodingKeys: String, CodingKey, CaseIterable { case party, name }
}

extension AccessionProposal: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

public struct SignedForm: Sendable, Codable {
    /// Where the signed Bijlage 1 form is kept (a reference, not the document).
    public var formReference: String
    /// The date on the form (YYYY-MM-DD).
    public var signedOn: String

    // No credentials of the new party's beheerder: the gemeente's beheerder would know them.
    // The operator makes that beheerder (`sluis delegates first-beheerder`), as for every party.
    enum CodingKeys: String, CodingKey, CaseIterable { case formReference, signedOn }
}

extension SignedForm: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

public struct AccessionView: Sendable, Codable, Equatable {
    public var id: String
    public var party: String
    public var name: String
    public var status: String
    public var approvals: [String]
    public var requiredApprovals: [String]
    public var formReference: String?
    public var signedOn: String?
    public var notifiedAt: String?
    /// Once active: how the new party gets its first beheerder (by the operator, so that no
    /// other party ever knows its credentials).
    public var firstBeheerder: String?
    public var article: String
}

extension Gateway {
    /// Interpretation of art. 18.1 ("partijen in het casusoverleg vooraf overeenstemming"): the
    /// parties present in every casusoverleg — the gemeente (which contracts the aanbieder,
    /// Bijlage 1) and the SWV — must each approve. Documented in docs/configuration.md.
    func requiredApprovers() async throws -> [String] {
        try await store.parties().filter { $0.status == .active && ($0.kind == .gemeente || $0.kind == .swv) }.map(\.id)
    }

    func view(_ record: AccessionRecord) async throws -> AccessionView {
        AccessionView(id: record.id, party: record.party, name: record.name, status: record.status.rawValue, approvals: record.approvals,
                      requiredApprovals: try await requiredApprovers(), formReference: record.formReference, signedOn: record.signedOn,
                      notifiedAt: record.notifiedAt,
                      firstBeheerder: record.status == .active ? "the operator runs: sluis delegates first-beheerder --party \(record.party) --username NAME" : nil,
                      article: "convenant art. 18; Bijlage 1")
    }

    /// Bijlage 1: the gemeente asks a contracted jeugdhulpaanbieder to accede.
    public func proposeAccession(_ input: AccessionProposal, by principal: Principal, trace: TraceContext) async throws -> AccessionView {
        try await authorize(.proposeAccession, principal, subject: "accession", trace: trace)
        guard input.party.utf8.count >= 3, input.party.utf8.count <= 64, !input.party.hasPrefix("-"),
              input.party.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == 45 })
        else { throw GatewayError.invalid(field: "party", problem: "3–64 characters a–z, 0–9 and '-'") }
        guard !input.name.isEmpty, input.name.unicodeScalars.count <= 200 else { throw GatewayError.invalid(field: "name", problem: "1–200 characters") }
        guard try await store.party(input.party) == nil else { throw GatewayError.conflict(.partyExists, "party \(input.party) exists already") }
        let record = AccessionRecord(id: UUID().uuidString.lowercased(), party: input.party, name: input.name, proposedBy: principal.delegateID,
                                     proposedAt: time, status: .proposed)
        try await store.add(accession: record)
        // Known, but not a party yet: it neither sends nor receives (art. 18).
        try await store.upsert(party: PartyRecord(id: input.party, kind: .jeugdhulpaanbieder, name: input.name, status: .proposed),
                               created: time)
        try await access.audit("accession", delegate: principal.delegateID, party: input.party, outcome: "done",
                               detail: "proposed (art. 18.1)", trace: trace)
        return try await view(record)
    }

    public func accessions(by principal: Principal, trace: TraceContext) async throws -> [AccessionView] {
        try await authorize(.listAccessions, principal, subject: "accessions", trace: trace)
        var views: [AccessionView] = []
        for record in try await store.accessions() { views.append(try await view(record)) }
        return views
    }

    /// Art. 18.1: each required party agrees beforehand.
    public func approveAccession(_ id: String, by principal: Principal, trace: TraceContext) async throws -> AccessionView {
        try await authorize(.approveAccession, principal, subject: "accession", trace: trace)
        guard let record = try await store.accession(id) else { throw GatewayError.notFound(.accessionNotFound, "accession \(id)") }
        guard record.status == .proposed else { throw GatewayError.conflict(.accessionNotProposed, "the accession is \(record.status.rawValue)") }
        guard try await store.approve(accession: id, party: principal.party, delegate: principal.delegateID, at: time) else {
            throw GatewayError.conflict(.accessionApprovedAlready, "your party approved already")
        }
        try await access.audit("accession", delegate: principal.delegateID, party: record.party, outcome: "done",
                               detail: "approved by \(principal.party) (art. 18.1)", trace: trace)
        return try await view(try await store.accession(id) ?? record)
    }

    /// Art. 18.2–18.3: the signed form is recorded (after all approvals), the party becomes
    /// active, gets its key and certificate, and the parties are informed.
    public func completeAccession(_ id: String, _ form: SignedForm, by principal: Principal, trace: TraceContext) async throws -> AccessionView {
        try await authorize(.completeAccession, principal, subject: "accession", trace: trace)
        guard let record = try await store.accession(id) else { throw GatewayError.notFound(.accessionNotFound, "accession \(id)") }
        guard record.status == .proposed else { throw GatewayError.conflict(.accessionNotProposed, "the accession is \(record.status.rawValue)") }
        let missing = try await requiredApprovers().filter { !record.approvals.contains($0) }
        guard missing.isEmpty else {
            throw GatewayError.forbidden(.accessionApprovalMissing, "approval still missing from \(missing.joined(separator: ", "))", article: "convenant art. 18.1")
        }
        guard !form.formReference.isEmpty, form.formReference.unicodeScalars.count <= 200 else {
            throw GatewayError.invalid(field: "formReference", problem: "1–200 characters")
        }
        guard form.signedOn.count == 10, form.signedOn <= String(time.prefix(10)), Self.age(birthDate: form.signedOn, at: now()) != nil else {
            throw GatewayError.invalid(field: "signedOn", problem: "a date as YYYY-MM-DD, not in the future")
        }
        // Key and certificate first: a party without them could not open what it receives.
        do {
            try keys.issue(party: record.party, kind: PartyKind.jeugdhulpaanbieder.rawValue, by: keys.loadCA(), replace: keys.hasParty(record.party))
        } catch {
            throw GatewayError.unavailable(.certificateUnavailable, "no certificate could be issued for \(record.party); with an external CA, place it in Keys/parties first",
                                           cause: error)
        }
        let party = PartyRecord(id: record.party, kind: .jeugdhulpaanbieder, name: record.name, status: .active)
        try await store.upsert(party: party, created: time)
        try await store.update(accession: id, status: .active, formReference: form.formReference, signedOn: form.signedOn, notifiedAt: time)
        try await access.audit("accession", delegate: principal.delegateID, party: record.party, outcome: "granted",
                               detail: "signed form recorded; parties informed (art. 18.3)", trace: trace)
        return try await view(try await store.accession(id) ?? record)
    }
}
