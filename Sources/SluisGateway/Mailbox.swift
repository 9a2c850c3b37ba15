import Foundation
import SluisCovenant
import SluisCrypto
import SluisRegister
import SluisStore

public struct MailboxItem: Sendable, Codable, Equatable {
    public var id: String
    public var caseId: String
    public var sender: String
    public var forum: String
    public var purpose: String
    public var released: [String]
    public var bundleDigest: String
    public var registerIndex: Int64
    public var created: String
    public var fetchedAt: String?
    public var acknowledgedAt: String?
}

public struct NoticeView: Sendable, Codable, Equatable {
    public var id: String
    public var caseId: String
    public var kind: String
    public var consentId: String?
    public var created: String
    public var article: String
}

public struct Mailbox: Sendable, Codable, Equatable {
    public var disclosures: [MailboxItem]
    public var notices: [NoticeView]
}

extension Gateway {
    func requireCaseworker(_ principal: Principal, _ what: String, trace: TraceContext) async throws {
        guard principal.role.worksOnCases else {
            await access.denied(principal, "\(what): role \(principal.role.rawValue)", trace: trace)
            throw GatewayError.forbidden("the \(principal.role.rawValue) does not receive case data", article: "convenant art. 7.3")
        }
    }

    /// What was disclosed to the principal's party, and the notices for it (art. 10: a pull
    /// from a secure environment).
    public func mailbox(by principal: Principal, trace: TraceContext) async throws -> Mailbox {
        try await requireCaseworker(principal, "mailbox", trace: trace)
        let items = try await store.mailbox(party: principal.party, limit: 500).map { record in
            MailboxItem(id: record.id, caseId: record.caseID, sender: record.sender, forum: record.forum, purpose: record.purpose,
                        released: record.released, bundleDigest: record.bundleDigest, registerIndex: record.registerIndex,
                        created: record.created, fetchedAt: record.fetchedAt, acknowledgedAt: record.acknowledgedAt)
        }
        let notices = try await store.notices(party: principal.party, limit: 500).map { notice in
            NoticeView(id: notice.id, caseId: notice.caseID, kind: notice.kind, consentId: notice.consentID, created: notice.created,
                       article: "convenant art. 11.5")
        }
        return Mailbox(disclosures: items, notices: notices)
    }

    func mailboxItem(_ id: String, by principal: Principal, trace: TraceContext) async throws -> DisclosureRecord {
        try await requireCaseworker(principal, "mailbox item \(id)", trace: trace)
        guard let record = try await store.disclosure(id) else { throw GatewayError.notFound("disclosure \(id)") }
        guard record.recipient == principal.party else {
            await access.denied(principal, "mailbox item \(id): addressed to another party", trace: trace)
            throw GatewayError.forbidden("this bundle is addressed to another party", article: "convenant art. 7.3")
        }
        return record
    }

    /// The sealed bundle (CMS, DER). Fetching is processing: it goes on the register.
    public func fetch(_ id: String, by principal: Principal, trace: TraceContext) async throws -> [UInt8] {
        let record = try await mailboxItem(id, by: principal, trace: trace)
        try await logMailbox(record, operation: "fetch", principal: principal, trace: trace)
        if record.fetchedAt == nil { try await store.markFetched(disclosure: id, at: time) }
        guard let bundle = Data(base64Encoded: record.bundle) else { throw GatewayError.unavailable("the stored bundle is damaged") }
        return Array(bundle)
    }

    public func acknowledge(_ id: String, by principal: Principal, trace: TraceContext) async throws -> MailboxItem {
        let record = try await mailboxItem(id, by: principal, trace: trace)
        try await logMailbox(record, operation: "acknowledge", principal: principal, trace: trace)
        try await store.markAcknowledged(disclosure: id, at: time)
        return MailboxItem(id: record.id, caseId: record.caseID, sender: record.sender, forum: record.forum, purpose: record.purpose,
                           released: record.released, bundleDigest: record.bundleDigest, registerIndex: record.registerIndex,
                           created: record.created, fetchedAt: record.fetchedAt ?? time, acknowledgedAt: time)
    }

    func logMailbox(_ record: DisclosureRecord, operation: String, principal: Principal, trace: TraceContext) async throws {
        guard let caseRecord = try await store.case(record.caseID) else { throw GatewayError.notFound("case of disclosure \(record.id)") }
        let forum = Forum(rawValue: record.forum) ?? .direct
        let activity = activity(ProcessingActivities.disclosureID(forum))
        _ = try await registerEntry(RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: operation, sender: record.sender, actor: principal.delegateID, recipient: record.recipient, forum: record.forum,
            purpose: record.purpose, decision: "none", released: record.released, basis: ["register entry \(record.registerIndex)"],
            policyHash: policyHash, subject: try pseudonyms.pseudonym(of: caseRecord.pupilKey, for: Pseudonymizer.registerRecipient),
            bundleDigest: record.bundleDigest))
    }

    /// The FG's view of the register (art. 15.2): the entries in which its own party sent or
    /// received — not case contents. Interpretation: each party's FG supervises its own party
    /// (art. 15.3); the whole register is for `sluis register` on the gateway host.
    public func registerEntries(_ filter: RegisterFilter, by principal: Principal, trace: TraceContext) async throws -> (entries: [RegisterEntry], next: Int64?) {
        guard principal.role == .fg else {
            await access.denied(principal, "register: role \(principal.role.rawValue)", trace: trace)
            throw GatewayError.forbidden("only the FG inspects the register", article: "convenant art. 15.2")
        }
        var scoped = filter
        scoped.party = principal.party
        scoped.limit = min(max(1, filter.limit), RegisterFilter.maxLimit)
        let page = try await register.list(scoped)
        let activity = activity(ProcessingActivities.inspection)
        _ = try await registerEntry(RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: "inspect", actor: principal.delegateID, decision: "none",
            basis: ["6(1)(c); AVG art. 39; convenant art. 15.2", "filter: \(scoped.summary); getoond: \(page.entries.count)"],
            policyHash: policyHash))
        return page
    }
}
