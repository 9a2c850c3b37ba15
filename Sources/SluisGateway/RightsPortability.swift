import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// The machine-readable export of AVG art. 20 (convenant art. 13.1 sub d): what the pupil and
/// parents provided on consent, as JSON.
public struct PortabilityExport: Sendable, Codable, Equatable {
    public struct Answer: Sendable, Codable, Equatable { public var giver: String, answer: String, answeredOn: String }
    public struct Consent: Sendable, Codable, Equatable {
        /// The party (and role) that holds it.
        public var holder: String
        public var fields: [String], recipients: [String]
        public var answers: [Answer]
        public var endsOn: String?
    }
    public struct Value: Sendable, Codable, Equatable { public var holder: String, field: String, value: String, suppliedAt: String }

    public var format: String
    public var generatedAt: String
    public var basis: String
    public var consents: [Consent]
    /// The values held under those consents: each holder's own, of the consented fields.
    public var data: [Value]
}

extension Gateway {
    static let portabilityRefusal = "portability applies only where the processing rests on consent: your party holds no consent in this case that was validly given and is "
        + "not revoked (another party's consent is that party's to export), so what your party holds rests on "
        + "AVG art. 6 lid 1 sub e (a task of public interest) or sub c (a legal obligation) (convenant art. 4, art. 13.1 sub d and fn 30; "
        + "AVG art. 20 lid 1 sub a): refuse the request with refusalGround avg-20-1-a"

    /// The consents of a case held by `holder` that count for portability: validly given as fn 28
    /// asks at the pupil's age (fn 30: "specifieke toestemming") — not revoked, refused,
    /// conflicting (a refusal beside a consent: an attacker's finding) or pending. *Interpretation*
    /// (docs/rights.md): one that lapsed or needs renewal still says what was provided on it.
    /// Only the holder's own: each party exports what it holds (an attacker's finding: the
    /// convener's export opened another party's health data).
    func portableConsents(caseID: String, holder: String) async throws -> [ConsentRecord] {
        guard let record = try await store.case(caseID) else { return [] }
        let (birthDate, day) = (try birthDay(record), today)
        return try await store.consents(caseID: caseID).filter { consent in
            guard consent.holder == holder else { return false }
            let state = Self.recorded(consent).standing(on: day, birthDate: birthDate, policy: policy.consent).state
            return [.given, .lapsed, .needsRenewal].contains(state)
        }
    }

    /// The export of a granted (or partly granted, or delivered) portability request: every
    /// counting consent and the values its holder holds of its fields, each opened from the vault.
    /// On the register as `portability-export` with the field names, never a value.
    /// - Throws: 409 `portabilityNotConsentBased` (with the basis), `rightsRequestWrongKind`, `rightsRequestDecided` (not granted).
    public func portabilityExport(_ requestID: String, by principal: Principal, trace: TraceContext) async throws -> PortabilityExport {
        let (request, access) = try await heldRightsRequest(requestID, by: principal, trace: trace)
        guard request.kind == .overdraagbaarheid else {
            throw GatewayError.conflict(.rightsRequestWrongKind, "this is a request for \(request.kind.rawValue): an export is made for a request for overdraagbaarheid (convenant art. 13.1 sub d)")
        }
        guard [.granted, .partlyGranted, .delivered].contains(request.status) else {
            throw GatewayError.conflict(.rightsRequestDecided, "an export is made for a granted request for portability; this one is \(request.status.rawValue) (convenant art. 13.1 sub d)")
        }
        let consents = try await portableConsents(caseID: request.caseID, holder: principal.unit)
        guard !consents.isEmpty else { throw GatewayError.conflict(.portabilityNotConsentBased, Self.portabilityRefusal) }
        var data: [PortabilityExport.Value] = []
        for holder in Set(consents.map(\.holder)).sorted() {
            let consented = Set(consents.filter { $0.holder == holder }.flatMap(\.fields).map(\.rawValue))
            let facts = try await store.facts(caseID: request.caseID, party: holder)
            for (field, held) in try ownValues(record: access.record, party: holder, facts: facts).sorted(by: { $0.key < $1.key }) where consented.contains(field) {
                data.append(.init(holder: holder, field: field, value: held.value, suppliedAt: held.at))
            }
        }
        let export = PortabilityExport(
            format: "sluis-portability/v1", generatedAt: time, basis: "AVG art. 20; convenant art. 13.1 sub d (fn 30)",
            consents: consents.map { consent in
                .init(holder: consent.holder, fields: consent.fields.map(\.rawValue), recipients: consent.recipients.map(\.rawValue),
                      answers: consent.answers.map { .init(giver: $0.giver.rawValue, answer: $0.answer.rawValue, answeredOn: $0.answeredOn) },
                      endsOn: consent.endsOn)
            },
            data: data)
        _ = try await registerEntry(try rightsEntry("portability-export", access.record, principal, trace,
                                                    basis: [RightsRequestKind.overdraagbaarheid.article], released: data.map(\.field)))
        try await audited(principal, .handleRightsRequest, caseID: request.caseID, "rights request \(requestID) export", trace: trace)
        return export
    }
}
