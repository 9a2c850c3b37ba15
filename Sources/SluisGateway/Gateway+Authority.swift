import SluisCovenant
import SluisRegister
import SluisStore
import Foundation

/// Where the use cases consult the authority table: one place that resolves how a delegate's
/// party stands to a case, consent or mailbox item, asks `AuthorityTable.decide`, audits every
/// refusal and throws the matching error (403 with the article, or 404 without an oracle).
extension Gateway {
    /// The forums a party kind convenes (Bijlage 3.3: the SWV convenes the thuiszitterstafel).
    static let conveners: [String: PartyKind] = [Forum.thuiszitterstafel.rawValue: .swv]

    /// A case as one party may act on it: the record, the party's own reference, its relations.
    struct CaseAccess {
        let record: CaseRecord
        let ref: String
        let relations: Set<GatewayRelation>
    }

    /// Consults the table for an action with the given relations; audits and throws unless allowed.
    /// `code`: the 403's code (`sluis:forbidden` unless the action has one of its own).
    func authorize(_ action: GatewayAction, _ principal: Principal, relations: Set<GatewayRelation> = [], subject: String,
                   trace: TraceContext, code: GatewayError.Code = .forbidden) async throws {
        switch AuthorityTable.decide(action, role: principal.role, partyKind: principal.partyKind, relations: relations) {
        case .allowed:
            return
        case .forbidden(let article):
            let subject = Self.auditable(subject)
            await access.denied(principal, "\(action.rawValue) \(subject): role \(principal.role.rawValue), relations \(relations.map(\.rawValue).sorted())",
                                trace: trace)
            throw GatewayError.forbidden(code, "\(AuthorityTable.rule(action).summary) (\(action.rawValue))", article: article)
        case .notFound:
            await access.denied(principal, "\(action.rawValue) \(Self.auditable(subject)): no relation", trace: trace)
            throw GatewayError.notFound(.notFound(subject: subject), subject.components(separatedBy: " ").first ?? "resource")
        }
    }

    /// A subject as the audit log may hold it (art. 15; privacy in our own house): its kind, and
    /// the id only when it has the shape of Sluis's ids (lowercase hex and '-', at most 64) —
    /// an id comes from the request path, where a caller may type anything, a name too.
    static func auditable(_ subject: String) -> String {
        let words = subject.split(separator: " ", maxSplits: 1)
        guard words.count == 2 else { return subject }
        let id = words[1]
        let isID = id.utf8.count <= 64 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || $0 == 45 }
        return isID ? subject : "\(words[0]) (not an id; not recorded)"
    }

    /// Resolves the principal's own case reference and checks `action` on that case. A
    /// reference of another party, or of a case the party does not take part in, is 404.
    func caseAccess(_ ref: String, _ action: GatewayAction, _ principal: Principal, trace: TraceContext,
                    extra: (CaseRecord) -> Set<GatewayRelation> = { _ in [] }) async throws -> CaseAccess {
        // The role first: an FG or beheerder learns nothing about which cases exist.
        try await authorizeRole(action, principal, subject: "case", trace: trace)
        // The case and its forums in one statement (the forums decide the convener relation).
        guard let found = try await store.case(ref: ref, party: principal.unit) else {
            try await authorize(action, principal, relations: [], subject: "case", trace: trace)
            throw GatewayError.notFound(.caseNotFound, "case")
        }
        return try await caseAccess(record: found.record, forums: found.forums, ref: ref, action, principal, trace: trace, extra: extra(found.record))
    }

    /// The same for a case known by its internal id (a consent's or mailbox item's case).
    func caseAccess(internal id: String, _ action: GatewayAction, _ principal: Principal, subject: String, trace: TraceContext,
                    extra: Set<GatewayRelation> = []) async throws -> CaseAccess {
        try await authorizeRole(action, principal, subject: subject, trace: trace)
        guard let record = try await store.case(id), let ref = try await store.ref(caseID: id, party: principal.unit) else {
            try await authorize(action, principal, relations: [], subject: subject, trace: trace)
            throw GatewayError.notFound(.notFound(subject: subject), subject)
        }
        return try await caseAccess(record: record, forums: try await store.forums(caseID: record.id), ref: ref, action, principal, trace: trace,
                                    extra: extra)
    }

    private func caseAccess(record: CaseRecord, forums: [Forum], ref: String, _ action: GatewayAction, _ principal: Principal, trace: TraceContext,
                            extra: Set<GatewayRelation>) async throws -> CaseAccess {
        var relations: Set<GatewayRelation> = [.participant]
        relations.formUnion(extra)
        if record.owner == principal.unit { relations.insert(.owner) }
        for forum in forums where Self.conveners[forum.rawValue] == principal.partyKind {
            relations.insert(.convener)
        }
        if isSotMember(principal) { relations.insert(.sotMember) }
        // Read only where the rule asks for it: the meldingen of the case.
        if case .participant(let anyOf) = AuthorityTable.rule(action).requirement, anyOf.contains(.reidentified),
           !reidentifiedFields(try await store.meldingen(caseID: record.id), for: principal).isEmpty {
            relations.insert(.reidentified)
        }
        try await authorize(action, principal, relations: relations, subject: "case", trace: trace)
        return CaseAccess(record: record, ref: ref, relations: relations)
    }

    /// Whether the delegate's party (and role) is among the SOT's participants (Bijlage 3.2
    /// sub 1, `Policies/forums.yaml`): with taking part in the case, a member of its SOT.
    func isSotMember(_ principal: Principal) -> Bool {
        let party = principal.role.partyRef(kind: principal.partyKind, joined: true)
        return policy.forumRule(.sot).participants.contains { $0.matches(party) }
    }

    /// The role part of a rule alone (before anything is looked up).
    func authorizeRole(_ action: GatewayAction, _ principal: Principal, subject: String, trace: TraceContext,
                       code: GatewayError.Code = .forbidden) async throws {
        let rule = AuthorityTable.rule(action)
        guard rule.roles.contains(principal.role), rule.partyKinds?.contains(principal.partyKind) ?? true else {
            try await authorize(action, principal, relations: [], subject: subject, trace: trace, code: code)
            return
        }
    }

    /// Records a change made on a case in the audit log (who, what; never personal data).
    func audited(_ principal: Principal, _ action: GatewayAction, caseID: String, _ detail: String = "", trace: TraceContext) async throws {
        try await access.audit("change", delegate: principal.delegateID, party: principal.party, outcome: "done",
                               detail: "\(action.rawValue) case \(caseID)" + (detail.isEmpty ? "" : ": \(detail)"), trace: trace)
    }
}
