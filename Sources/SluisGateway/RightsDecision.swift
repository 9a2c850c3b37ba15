import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// The convener's decision on a request (convenant art. 13.2: discussed with the other
/// parties; a refusal "schriftelijk en duidelijk gemotiveerd", fn 31).
public struct RightsDecisionInput: Sendable, Codable {
    /// `granted`, `refused` or `partly-granted`.
    public var outcome: String
    /// The written reasons (sealed; 1–2000 bytes): what was done, or why not.
    public var reason: String
    /// For a refusal or a partial grant: a `RefusalGround` of UAVG art. 41 lid 1 sub a–j, or
    /// for portability `avg-20-1-a` (the processing does not rest on consent, fn 30).
    public var refusalGround: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case outcome, reason, refusalGround }
}

extension RightsDecisionInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

extension Gateway {
    /// The refusal ground of portability where the processing rests on no consent (fn 30).
    static let portabilityGround = "avg-20-1-a"

    /// Decides a request. What a grant does, by kind:
    /// - `wissing` (art. 13.1 sub c, art. 9; AVG art. 17): the case's personal data is destroyed
    ///   as retention destroys a case (`GatewayStore.destroy`, a tombstone left, the register
    ///   untouched but for the entry) — this request with it;
    /// - `beperking` (AVG art. 18): the case is restricted — no further disclosure until lifted;
    /// - `bezwaar` (AVG art. 21): the restriction of the assessment stays; refused, it is lifted;
    /// - `overdraagbaarheid` (AVG art. 20): only where a consent of the case counts (fn 30),
    ///   else 409 `portabilityNotConsentBased` — refuse it with ground `avg-20-1-a`;
    /// - `inzage`, `rectificatie`: recorded; the report and the corrections are their own acts.
    /// - Throws: 400 naming the field; 409 `rightsRequestDecided`, `portabilityNotConsentBased`.
    public func decideRightsRequest(_ id: String, _ input: RightsDecisionInput, by principal: Principal, trace: TraceContext) async throws -> RightsRequestView {
        let (request, access) = try await heldRightsRequest(id, by: principal, trace: trace)
        let outcomes: [RightsRequestStatus] = [.granted, .refused, .partlyGranted]
        guard let outcome = RightsRequestStatus(rawValue: input.outcome), outcomes.contains(outcome) else {
            throw GatewayError.invalid(field: "outcome", problem: "one of \(outcomes.map(\.rawValue).joined(separator: ", ")) (convenant art. 13.2)")
        }
        let reason = try Self.caseText(input.reason, field: "reason")
        let ground = try refusalGround(input.refusalGround, outcome: outcome, kind: request.kind)
        guard !request.status.isDecided else { throw Self.alreadyDecided(request) }
        // Erasure is whole-case here (docs/rights.md, interpretation): a partial grant would name a
        // refusal ground and still destroy everything (an attacker's finding). Grant or refuse it.
        if request.kind == .wissing, outcome == .partlyGranted {
            throw GatewayError.invalid(field: "outcome", problem: "an erasure destroys the whole case: grant it or refuse it with its ground; there is no partial erasure (convenant art. 13.1 sub c; docs/rights.md)")
        }
        // Granting an erasure ends the case for good, like closing it (art. 5.5, 9.2): the party
        // that brought it in decides it, not a forum's convener (an attacker's finding: the SWV
        // listed a school's pupil, then erased the school's case).
        if request.kind == .wissing, outcome != .refused, access.record.owner != principal.unit {
            throw GatewayError.forbidden(.forbidden, "an erasure destroys the case for every party: only the party that brought it in grants it (convenant art. 5.5, 9.2, 13.1 sub c)",
                                         article: "convenant art. 13.1 sub c; art. 5.5")
        }
        if request.kind == .overdraagbaarheid, outcome != .refused, try await portableConsents(caseID: request.caseID, holder: principal.unit).isEmpty {
            throw GatewayError.conflict(.portabilityNotConsentBased, Self.portabilityRefusal)
        }
        var changed = request
        changed.status = outcome
        changed.decidedAt = time
        changed.decisionCipher = try vault.seal(Array(reason.utf8), context: Self.rightsContext(id, "decision"))
        changed.refusalGround = ground
        let basis = [request.kind.article, "convenant art. 13.2: besluit \(outcome.rawValue)"] + (ground.map { [Self.refusalArticle($0)] } ?? [])
        if request.kind == .wissing, outcome != .refused {
            return try await erase(changed, access, principal, trace, basis: basis)
        }
        let record = access.record
        let participants = try await store.parties(ofCase: record.id)
        var entries = [try rightsEntry("rights-request-\(outcome.rawValue)", record, principal, trace, basis: basis)]
        // What the decision does to the restriction (AVG art. 18 lid 1 sub a and d, art. 21).
        let restrict = request.kind == .beperking && outcome != .refused
        let lift = request.kind == .bezwaar && outcome == .refused
        if restrict { entries.append(try restrictionEntry(restricted: true, reason: "beperking", record, principal, trace)) }
        if lift { entries.append(try restrictionEntry(restricted: false, reason: "bezwaar-afgewezen", record, principal, trace)) }
        let (decided, restriction, from, decidedAt) = (changed, RestrictionRecord(caseID: record.id, reason: request.kind.rawValue, requestID: id, restrictedAt: time,
                                                                 restrictedBy: principal.delegateID), request.status, time)
        _ = try await registerEntries(entries) { sql, _ in
            guard try await GatewayStore.update(rightsRequest: decided, from: from, on: sql) else {
                throw GatewayError.conflict(.rightsRequestDecided, "the request changed meanwhile; nothing was recorded")
            }
            if restrict { _ = try await Self.restrict(restriction, participants: participants, on: sql) }
            if lift { try await Self.lift(restrictionOf: restriction, participants: participants, at: decidedAt, on: sql) }
        }
        try await audited(principal, .handleRightsRequest, caseID: record.id, "rights request \(id) \(outcome.rawValue)", trace: trace)
        return try await rightsView(changed, ref: access.ref, handler: true)
    }

    /// The ground of a refusal or partial grant, checked: required for those, absent for a grant.
    func refusalGround(_ text: String?, outcome: RightsRequestStatus, kind: RightsRequestKind) throws -> String? {
        guard outcome != .granted else {
            guard text == nil else { throw GatewayError.invalid(field: "refusalGround", problem: "only for a refusal or a partial grant") }
            return nil
        }
        let grounds = RefusalGround.allCases.map(\.rawValue) + (kind == .overdraagbaarheid ? [Self.portabilityGround] : [])
        guard let text, grounds.contains(text) else {
            throw GatewayError.invalid(field: "refusalGround", problem: "one of \(grounds.joined(separator: ", ")) (UAVG art. 41 lid 1; convenant art. 13.2, fn 31)")
        }
        return text
    }

    /// A granted erasure (art. 13.1 sub c, art. 9.2 "zodra niet langer nodig"; AVG art. 17): the
    /// case is closed now, if open, and destroyed in the same transaction by retention's own
    /// code (`destroy`): every case-bound table, a tombstone (`wissing-op-verzoek` for a case it
    /// closes; a closed case keeps its own reason and day), one entry.
    func erase(_ decided: RightsRequestRecord, _ access: CaseAccess, _ principal: Principal, _ trace: TraceContext,
               basis: [String]) async throws -> RightsRequestView {
        var view = try await rightsView(decided, ref: access.ref, handler: true)
        let decision = try rightsEntry("rights-request-\(decided.status.rawValue)", access.record, principal, trace, basis: basis)
        do {
            _ = try await destroy(access.record, today: today, trace: trace,
                                  erasure: (reason: Self.erasureReason, by: principal.unit, entry: decision))
        } catch GatewayStore.DestructionRefusal.caseChanged {
            throw GatewayError.unavailable(.caseChanged, "the case changed while erasing; nothing was erased, try again")
        }
        try await store.truncateWriteAheadLog()
        // As retention scrubs the audit log: who did what and when stays, the case's id does not.
        try await self.access.audit("change", delegate: principal.delegateID, party: principal.party, outcome: "done",
                                    detail: "\(GatewayAction.handleRightsRequest.rawValue) case vernietigd (convenant art. 13.1 sub c)", trace: trace)
        (view.erased, view.restricted) = (true, false)
        return view
    }

    /// The tombstone's closure reason of a case erased on request (docs/rights.md).
    static let erasureReason = "wissing-op-verzoek"
}
