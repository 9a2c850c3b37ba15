import Foundation
import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore
import SQLKit

/// How a lift is reasoned (AVG art. 18 lid 3: the requester is told before).
public enum RestrictionLiftReason: String, CaseIterable, Sendable {
    /// The accuracy was verified or the data rectified (AVG art. 18 lid 1 sub a).
    case juistheidVastgesteld = "juistheid-vastgesteld"
    /// The requester withdrew the request.
    case verzoekIngetrokken = "verzoek-ingetrokken"
    /// The objection was assessed and the party's grounds prevail (AVG art. 21 lid 1).
    case bezwaarAfgewezen = "bezwaar-afgewezen"
    /// The legal claim the data was kept for ended (AVG art. 18 lid 1 sub c).
    case rechtsvorderingBeeindigd = "rechtsvordering-beeindigd"
}

extension Gateway {
    /// Lifts a case's restriction, by a convener, with one of `RestrictionLiftReason` (AVG art.
    /// 18 lid 3); every participant is told (AVG art. 19) and the FG sees it on the register.
    /// - Throws: 400 `reason`; 409 `caseNotRestricted`.
    public func liftRestriction(_ requestID: String, _ input: RightsReasonInput, by principal: Principal, trace: TraceContext) async throws -> RightsRequestView {
        let (request, access) = try await heldRightsRequest(requestID, by: principal, trace: trace)
        guard let reason = RestrictionLiftReason(rawValue: input.reason) else {
            throw GatewayError.invalid(field: "reason", problem: "one of \(RestrictionLiftReason.allCases.map(\.rawValue).joined(separator: ", ")) (AVG art. 18 lid 1, 3)")
        }
        // Only the request that set a restriction lifts it, by its handler (an attacker's finding:
        // an unrelated request lifted an objection's restriction); another request's restriction
        // of the same case stays. An objection's holds while it is assessed (AVG art. 18 lid 1 sub d, lid 3).
        guard let current = try await store.restriction(caseID: request.caseID, requestID: request.id) else {
            throw GatewayError.conflict(.caseNotRestricted, try await store.restriction(caseID: request.caseID) == nil
                ? "the case is not restricted"
                : "this request set no restriction that still holds; the case's restriction was set under another request, and only that request lifts it (AVG art. 18 lid 3)")
        }
        guard request.kind != .bezwaar || request.status.isDecided else {
            throw GatewayError.conflict(.caseNotRestricted, "an objection's restriction holds while it is assessed: decide the objection first (AVG art. 18 lid 1 sub d)")
        }
        let (participants, liftedAt) = (try await store.parties(ofCase: request.caseID), time)
        _ = try await registerEntry(try restrictionEntry(restricted: false, reason: reason.rawValue, access.record, principal, trace)) { sql, _ in
            try await Self.lift(restrictionOf: current, participants: participants, at: liftedAt, on: sql)
        }
        try await audited(principal, .handleRightsRequest, caseID: request.caseID, "restriction lifted: \(reason.rawValue)", trace: trace)
        return try await rightsView(request, ref: access.ref, handler: true)
    }

    /// Refuses a disclosure path on a restricted case (AVG art. 18 lid 2): read inside the
    /// path's commit, which the register's head lock serializes with the restriction's own.
    static func refuseIfRestricted(_ caseID: String, on sql: any SQLDatabase) async throws {
        if try await GatewayStore.restriction(caseID: caseID, on: sql) != nil { throw restrictedError }
    }

    static let restrictedError = GatewayError.conflict(
        .caseRestricted, "the processing of this case is restricted (AVG art. 18; convenant art. 13.1 sub b): nothing is disclosed until the convener lifts it")

    /// Restricts a case under a request on `sql`; every participant is told when the case
    /// becomes restricted (AVG art. 19) — not again for a second request's restriction of a case
    /// restricted already. False when the request restricted it already.
    static func restrict(_ restriction: RestrictionRecord, participants: [String], on sql: any SQLDatabase) async throws -> Bool {
        let wasRestricted = try await GatewayStore.restriction(caseID: restriction.caseID, on: sql) != nil
        guard try await GatewayStore.add(restriction: restriction, on: sql) else { return false }
        if !wasRestricted {
            try await notify(participants, .caseRestricted, caseID: restriction.caseID, subject: restriction.reason, at: restriction.restrictedAt, on: sql)
        }
        return true
    }

    /// Lifts the request's own restriction on `sql`; every participant is told when no other
    /// request's restriction remains and the case may be disclosed again.
    static func lift(restrictionOf restriction: RestrictionRecord, participants: [String], at time: String, on sql: any SQLDatabase) async throws {
        guard try await GatewayStore.lift(restriction, on: sql),
              try await GatewayStore.restriction(caseID: restriction.caseID, on: sql) == nil else { return }
        try await notify(participants, .caseRestrictionLifted, caseID: restriction.caseID, subject: restriction.reason, at: time, on: sql)
    }

    static func notify(_ units: [String], _ kind: NoticeKind, caseID: String, subject: String, at created: String, on sql: any SQLDatabase) async throws {
        for unit in units {
            let parts = unit.split(separator: "/", maxSplits: 1).map(String.init)
            try await GatewayStore.add(notice: NoticeRecord(id: UUID().uuidString.lowercased(), party: parts[0], caseID: caseID, kind: kind, consentID: nil,
                                                            created: created, role: parts.count == 2 ? PartyRole(rawValue: parts[1]) : nil,
                                                            subject: subject), on: sql)
        }
    }

    /// The register entry of a restriction or its lift, with the reason in the covenant's words.
    func restrictionEntry(restricted: Bool, reason: String, _ record: CaseRecord, _ principal: Principal, _ trace: TraceContext) throws -> RegisterEntry {
        try rightsEntry(restricted ? "case-restricted" : "case-restriction-lifted", record, principal, trace,
                        basis: ["AVG art. 18\(restricted ? "" : " lid 3"), 19; convenant art. 13.1 sub b", "reden: \(reason)"])
    }
}
