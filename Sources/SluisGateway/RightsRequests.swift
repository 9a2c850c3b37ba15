import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// A rights request as the convener records it (convenant art. 13.1; AVG art. 12 lid 3).
public struct RightsRequestInput: Sendable, Codable {
    /// The convener's own reference for the case.
    public var caseId: String
    /// `RightsRequestKind`: inzage, rectificatie, beperking, bezwaar, wissing, overdraagbaarheid.
    public var kind: String
    /// `RightsRequester`: pupil, parent, legal-representative (fn 28).
    public var requester: String
    /// Who asked, to answer them: 1–200 bytes of plain text, sealed at rest, never on the register.
    public var requesterName: String
    /// `IdentityCheck`: legitimatiebewijs, digid, persoonlijk-bekend, terugbelverificatie.
    public var identityCheck: String
    /// A note on the check (sealed), 1–2000 bytes.
    public var identityNote: String?
    /// The day the request was received, `YYYY-MM-DD`, not in the future: the deadline counts from it.
    public var receivedOn: String

    enum CodingKeys: String, CodingKey, CaseIterable { case caseId, kind, requester, requesterName, identityCheck, identityNote, receivedOn }
}

extension RightsRequestInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// A reasoned text about a request: an extension's reasons (AVG art. 12 lid 3), a lift's.
public struct RightsReasonInput: Sendable, Codable {
    public var reason: String
    enum CodingKeys: String, CodingKey, CaseIterable { case reason }
}

extension RightsReasonInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// A request as its handler sees it (with the requester's name), or the FG (without it, and
/// with the register pseudonym instead of a case reference: art. 15.2).
public struct RightsRequestView: Sendable, Codable, Equatable {
    public var id: String
    /// The viewer's own case reference; nil for the FG.
    public var caseId: String?
    /// The register pseudonym; only for the FG.
    public var subject: String?
    public var kind: String
    public var requester: String
    /// Only for the handler.
    public var requesterName: String?
    public var identityCheck: String
    public var receivedOn: String
    public var dueOn: String
    /// Calendar days to `dueOn` (negative: overdue); nil once decided.
    public var daysLeft: Int?
    /// Past `dueOn` and not decided: flagged to the FG (AVG art. 12 lid 3).
    public var overdue: Bool
    public var status: String
    public var extendedAt: String?
    public var decidedAt: String?
    /// Only for the handler: the written reasons of the extension and of the decision.
    public var extensionReason: String?
    public var decisionReason: String?
    public var refusalGround: String?
    public var refusalArticle: String?
    public var deliveredAt: String?
    /// The case admits no disclosure (AVG art. 18).
    public var restricted: Bool
    /// After a granted erasure: the case's personal data is destroyed (this request with it).
    public var erased: Bool?
    public var article: String
}

extension Gateway {
    static let rightsRequestPageSize = 500

    /// Records a rights request the convener received (art. 13.1–13.2; Bijlage 3 par. 3): who
    /// asked — allowed for the pupil's age on the day of receipt (fn 28) — how their identity
    /// was checked, the day received and the AVG's deadline. An objection restricts the case at
    /// once while it is assessed (AVG art. 18 lid 1 sub d). On the register with the case's
    /// pseudonym, never a name.
    /// - Throws: 400 naming the field; 409 `rightsRequesterNotEntitled` (fn 28); 404; 403.
    public func receiveRightsRequest(_ input: RightsRequestInput, by principal: Principal, trace: TraceContext) async throws -> RightsRequestView {
        let access = try await caseAccess(input.caseId, .handleRightsRequest, principal, trace: trace)
        let record = access.record
        guard let kind = RightsRequestKind(rawValue: input.kind) else {
            throw GatewayError.invalid(field: "kind", problem: "one of \(RightsRequestKind.allCases.map(\.rawValue).joined(separator: ", ")) (convenant art. 13.1)")
        }
        guard let requester = RightsRequester(rawValue: input.requester) else {
            throw GatewayError.invalid(field: "requester", problem: "one of \(RightsRequester.allCases.map(\.rawValue).joined(separator: ", ")) (fn 28)")
        }
        guard let check = IdentityCheck(rawValue: input.identityCheck) else {
            throw GatewayError.invalid(field: "identityCheck", problem: "one of \(IdentityCheck.allCases.map(\.rawValue).joined(separator: ", ")) (AVG art. 12 lid 6)")
        }
        guard !input.requesterName.isEmpty, input.requesterName.utf8.count <= 200, Self.isPlainText(input.requesterName) else {
            throw GatewayError.invalid(field: "requesterName", problem: "1–200 bytes of plain text with a letter (no control or format characters)")
        }
        let note = try input.identityNote.map { try Self.caseText($0, field: "identityNote") }
        // Recorded when it arrives: at most three months back — the longest AVG deadline — and
        // not before the pupil was born (an attacker backdated a parent's request past the 16th
        // birthday that ends the parent's right, fn 28).
        guard let received = try? CalendarDate(text: input.receivedOn), received <= today, received >= today.adding(months: -3),
              received >= (try birthDay(record)) else {
            throw GatewayError.invalid(field: "receivedOn", problem: "a day YYYY-MM-DD, not in the future and at most three months back (AVG art. 12 lid 3 counts from it)")
        }
        let age = try birthDay(record).wholeYears(until: received)
        guard RightsEligibility.mayAsk(requester, age: age) else {
            throw GatewayError.conflict(.rightsRequesterNotEntitled,
                                        "for this pupil's age on the day of receipt the rights of art. 13 are exercised by \(RightsEligibility.whoMayAsk(age: age)) (convenant art. 13.1, fn 28)")
        }
        let id = UUID().uuidString.lowercased()
        let deadline = RightsDeadline(receivedOn: received, extended: false)
        let stored = RightsRequestRecord(
            id: id, caseID: record.id, handler: principal.unit, kind: kind, requester: requester,
            requesterCipher: try vault.seal(Array(input.requesterName.utf8), context: Self.rightsContext(id, "requester")),
            identityCheck: check, identityNoteCipher: try note.map { try vault.seal(Array($0.utf8), context: Self.rightsContext(id, "identity-note")) },
            receivedOn: received.description, dueOn: deadline.dueOn.description, status: .open, recordedBy: principal.delegateID, recordedAt: time)
        var entries = [try rightsEntry("rights-request-received", record, principal, trace,
                                       basis: [kind.article, "AVG art. 12 lid 3: uiterlijk \(deadline.dueOn)", "verzoeker: \(requester.rawValue) (fn 28)"])]
        // AVG art. 18 lid 1 sub d: while an objection is assessed, the processing is restricted.
        let restriction = kind == .bezwaar
            ? RestrictionRecord(caseID: record.id, reason: RightsRequestKind.bezwaar.rawValue, requestID: id, restrictedAt: time, restrictedBy: principal.delegateID)
            : nil
        if restriction != nil { entries.append(try restrictionEntry(restricted: true, reason: "bezwaar", record, principal, trace)) }
        let participants = try await store.parties(ofCase: record.id)
        _ = try await registerEntries(entries) { sql, _ in
            try await GatewayStore.add(rightsRequest: stored, on: sql)
            if let restriction { _ = try await Self.restrict(restriction, participants: participants, on: sql) }
        }
        try await audited(principal, .handleRightsRequest, caseID: record.id, "rights request \(id) \(kind.rawValue)", trace: trace)
        return try await rightsView(stored, ref: access.ref, handler: true)
    }

    /// The requests about the cases the delegate's unit convenes (owner or forum convener),
    /// undecided ones first by deadline, then decided ones newest first, each with its deadline and days left (art. 13.2; AVG art. 12 lid 3).
    public func rightsRequests(by principal: Principal, trace: TraceContext) async throws -> [RightsRequestView] {
        try await authorize(.listRightsRequests, principal, subject: "rights requests", trace: trace)
        var views: [RightsRequestView] = []
        for request in try await store.rightsRequests(party: principal.unit, limit: Self.rightsRequestPageSize) {
            guard request.handler == principal.unit, let record = try await store.case(request.caseID), try await isConvener(record, principal),
                  let ref = try await store.ref(caseID: record.id, party: principal.unit) else { continue }
            views.append(try await rightsView(request, ref: ref, handler: true))
        }
        return views
    }

    /// The FG's view (art. 15.2–15.3; AVG art. 38 lid 4, 39): every request about a case its
    /// party takes part in, by register pseudonym, no name — the overdue ones flagged. The view
    /// is an inspection entry on the register, as the FG's other views are. `reading` false (a
    /// HEAD): the same authority, nothing read, nothing registered (RFC 9110 §9.3.2).
    public func rightsOversight(reading: Bool = true, by principal: Principal, trace: TraceContext) async throws -> [RightsRequestView] {
        try await authorize(.inspectRightsRequests, principal, subject: "rights requests", trace: trace)
        guard reading else { return [] }
        var views: [RightsRequestView] = []
        for request in try await store.rightsRequests(ofParty: principal.party, limit: Self.rightsRequestPageSize) {
            guard let record = try await store.case(request.caseID) else { continue }
            var view = try await rightsView(request, ref: nil, handler: false)
            view.subject = try registerSubject(record)
            views.append(view)
        }
        let activity = activity(ProcessingActivities.inspection)
        _ = try await registerEntry(RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version, operation: "inspect",
            sender: principal.party, actor: principal.delegateID, decision: "none",
            basis: ["weergave: rechtenverzoeken; getoond: \(views.count); te laat: \(views.filter(\.overdue).count)"], policyHash: policyHash,
            parentSpanID: trace.parentSpanID))
        return views
    }

    /// Extends the deadline once by two months, with the reasons the requester is told (AVG art.
    /// 12 lid 3), within the first month. - Throws: 409 `rightsExtensionNotAllowed`, `rightsRequestDecided`.
    public func extendRightsRequest(_ id: String, _ input: RightsReasonInput, by principal: Principal, trace: TraceContext) async throws -> RightsRequestView {
        let (request, access) = try await heldRightsRequest(id, by: principal, trace: trace)
        let reason = try Self.caseText(input.reason, field: "reason")
        // Extended once already is not "decided": say what holds (a newcomer's finding).
        if request.status == .extended {
            throw GatewayError.conflict(.rightsExtensionNotAllowed, "the deadline was extended already: once, by two months (AVG art. 12 lid 3)")
        }
        guard request.status == .open else { throw Self.alreadyDecided(request) }
        let received = try CalendarDate(text: request.receivedOn)
        guard RightsDeadline(receivedOn: received, extended: false).mayExtend(today: today) else {
            throw GatewayError.conflict(.rightsExtensionNotAllowed, "the deadline is extended once, by two months, within the first month after receipt (AVG art. 12 lid 3)")
        }
        var changed = request
        changed.status = .extended
        changed.dueOn = RightsDeadline(receivedOn: received, extended: true).dueOn.description
        changed.extendedAt = time
        changed.extensionCipher = try vault.seal(Array(reason.utf8), context: Self.rightsContext(id, "extension"))
        return try await commit(changed, from: .open, "rights-request-extended", access, principal, trace,
                                basis: ["AVG art. 12 lid 3: verlengd met twee maanden, met redenen aan de verzoeker; uiterlijk \(changed.dueOn)"])
    }

    /// Records that the answer was delivered to the requester (art. 13.2: in writing).
    public func deliverRightsRequest(_ id: String, by principal: Principal, trace: TraceContext) async throws -> RightsRequestView {
        let (request, access) = try await heldRightsRequest(id, by: principal, trace: trace)
        guard request.status.isDecided, request.status != .delivered else {
            throw GatewayError.conflict(.rightsRequestDecided, request.status == .delivered
                                        ? "the answer was delivered already" : "decide the request before delivering its answer (convenant art. 13.2)")
        }
        var changed = request
        changed.status = .delivered
        changed.deliveredAt = time
        return try await commit(changed, from: request.status, "rights-request-delivered", access, principal, trace,
                                basis: [request.kind.article, "convenant art. 13.2: schriftelijk aan de verzoeker"])
    }

    // MARK: Shared by the rights use cases

    /// A request and its case as a convener of the case may act on it; 404 for anyone else.
    func heldRightsRequest(_ id: String, by principal: Principal, trace: TraceContext,
                           action: GatewayAction = .handleRightsRequest) async throws -> (RightsRequestRecord, CaseAccess) {
        try await authorizeRole(action, principal, subject: "rights-request", trace: trace)
        guard let request = try await store.rightsRequest(id) else {
            throw GatewayError.notFound(.rightsRequestNotFound, "rights request")
        }
        let access = try await caseAccess(internal: request.caseID, action, principal, subject: "rights-request", trace: trace)
        // A request is handled by the convener that recorded it (art. 13.2: it takes the request up
        // with the others); another convener of the same case neither decides nor lifts it (an
        // attacker's finding: the SWV lifted the school's restriction). Not told it exists: 404.
        if action == .handleRightsRequest, request.handler != principal.unit {
            throw GatewayError.notFound(.rightsRequestNotFound, "rights request")
        }
        return (request, access)
    }

    /// Whether the delegate's unit is the case's convener: the party that brought it in, or the
    /// convener of a forum it is in (docs/rights.md: "de regisseur van het overleg").
    func isConvener(_ record: CaseRecord, _ principal: Principal) async throws -> Bool {
        if record.owner == principal.unit { return true }
        return try await store.forums(caseID: record.id).contains { Self.conveners[$0.rawValue] == principal.partyKind }
    }

    /// Writes a request's new state (conditional on `from`) with its register entry.
    func commit(_ changed: RightsRequestRecord, from expected: RightsRequestStatus, _ operation: String, _ access: CaseAccess, _ principal: Principal,
                _ trace: TraceContext, basis: [String]) async throws -> RightsRequestView {
        _ = try await registerEntry(try rightsEntry(operation, access.record, principal, trace, basis: basis)) { sql, _ in
            guard try await GatewayStore.update(rightsRequest: changed, from: expected, on: sql) else {
                throw GatewayError.conflict(.rightsRequestDecided, "the request changed meanwhile; nothing was recorded")
            }
        }
        try await audited(principal, .handleRightsRequest, caseID: access.record.id, "rights request \(changed.id) \(operation)", trace: trace)
        return try await rightsView(changed, ref: access.ref, handler: true)
    }

    static func alreadyDecided(_ request: RightsRequestRecord) -> GatewayError {
        .conflict(.rightsRequestDecided, "the request is \(request.status.rawValue) already (AVG art. 12 lid 3)")
    }

    /// A register entry of the rights activity about the case's pupil, by pseudonym.
    func rightsEntry(_ operation: String, _ record: CaseRecord, _ principal: Principal, _ trace: TraceContext, basis: [String],
                     recipientParty: String? = nil, recipientRole: PartyRole? = nil, released: [String] = []) throws -> RegisterEntry {
        let activity = activity(ProcessingActivities.rights)
        return RegisterEntry(
            time: time, traceID: trace.traceID, spanID: try TraceContext.fresh().spanID, activity: activity.id, activityVersion: activity.version,
            operation: operation, sender: principal.party, actor: principal.delegateID, recipient: recipientParty, decision: "none",
            released: released, basis: basis, policyHash: policyHash, subject: try registerSubject(record), recipientRole: recipientRole?.rawValue,
            parentSpanID: trace.parentSpanID)
    }

    static func rightsContext(_ id: String, _ part: String) -> String { "rights-request:\(id):\(part)" }

    func openSealed(_ cipher: String?, _ id: String, _ part: String) throws -> String? {
        try cipher.map { try vault.open($0, context: Self.rightsContext(id, part)).withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
    }

    func rightsView(_ request: RightsRequestRecord, ref: String?, handler: Bool) async throws -> RightsRequestView {
        let deadline = RightsDeadline(receivedOn: try CalendarDate(text: request.receivedOn), extended: request.extendedAt != nil)
        return RightsRequestView(
            id: request.id, caseId: ref, subject: nil, kind: request.kind.rawValue, requester: request.requester.rawValue,
            requesterName: handler ? try openSealed(request.requesterCipher, request.id, "requester") : nil,
            identityCheck: request.identityCheck.rawValue, receivedOn: request.receivedOn, dueOn: request.dueOn,
            daysLeft: request.status.isDecided ? nil : deadline.daysLeft(today: today),
            overdue: deadline.isOverdue(today: today, status: request.status), status: request.status.rawValue,
            extendedAt: request.extendedAt, decidedAt: request.decidedAt,
            extensionReason: handler ? try openSealed(request.extensionCipher, request.id, "extension") : nil,
            decisionReason: handler ? try openSealed(request.decisionCipher, request.id, "decision") : nil,
            refusalGround: request.refusalGround, refusalArticle: request.refusalGround.map(Self.refusalArticle),
            deliveredAt: request.deliveredAt, restricted: try await store.restriction(caseID: request.caseID) != nil, erased: nil,
            article: request.kind.article)
    }

    static func refusalArticle(_ ground: String) -> String {
        RefusalGround(rawValue: ground)?.article ?? (ground == portabilityGround ? "AVG art. 20 lid 1 sub a; convenant art. 13.1 sub d (fn 30)" : ground)
    }
}
