import Foundation
import SluisCovenant
import SluisCrypto
public import SluisRegister
public import SluisStore

public struct MailboxItem: Sendable, Codable, Equatable {
    public var id: String
    /// The receiving party's own reference for the case.
    public var caseId: String
    public var sender: String
    /// At a gemeente: the role it was addressed to.
    public var recipientRole: String?
    public var forum: String
    public var purpose: String
    public var released: [String]
    public var bundleDigest: String
    public var registerIndex: Int64
    public var created: String
    public var fetchedAt: String?
    public var acknowledgedAt: String?
    /// In the SOT: the id of the question it is about (Bijlage 3.2 sub 4).
    public var sotQuestion: String?
}

public struct NoticeView: Sendable, Codable, Equatable {
    public var acknowledgedAt: String?
    public var id: String
    /// The receiving party's own reference for the case.
    public var caseId: String
    /// `consent-revoked` (to a recipient, art. 11.5), `consent-needs-renewal` or
    /// `consent-ends-soon` (to the consent's holder).
    public var kind: String
    /// This party's own mailbox items the revoked consent covered (no id shared with another
    /// recipient: the holder's consent id stays with the holder).
    public var disclosures: [String]
    /// For the holder's notices only: its own consent.
    public var consentId: String?
    /// The day the notice is about: the birthday since which the consent needs renewal, or its end date.
    public var due: String?
    /// What to do, in Dutch, for the holder's notices.
    public var reason: String?
    public var created: String
    public var article: String
}

public struct Mailbox: Sendable, Codable, Equatable {
    public var disclosures: [MailboxItem]
    public var notices: [NoticeView]
    /// The thuiszitterstafel's agendas and minutes sent to the party (and role), newest first,
    /// with the first page (Bijlage 3.3 sub 4); each bundle is fetched like a disclosure's.
    public var meetings: [MeetingMailboxItem]
    /// The cursor for the next (older) page of disclosures, or nil at the end.
    public var next: String?
}

extension Gateway {
    /// The role a delegate receives for: at a gemeente leerplicht or jeugd-en-gezin (art. 7.3).
    func receivingRole(_ principal: Principal) -> PartyRole? { principal.partyRole }

    func item(_ record: DisclosureRecord, caseRef: String, fetchedAt: String? = nil, acknowledgedAt: String? = nil) -> MailboxItem {
        MailboxItem(id: record.id, caseId: caseRef, sender: record.sender, recipientRole: record.recipientRole?.rawValue, forum: record.forum.rawValue,
                    purpose: record.purpose, released: record.released.map(\.rawValue), bundleDigest: record.bundleDigest, registerIndex: record.registerIndex,
                    created: record.created, fetchedAt: fetchedAt ?? record.fetchedAt, acknowledgedAt: acknowledgedAt ?? record.acknowledgedAt,
                    sotQuestion: record.sotQuestion)
    }

    /// What was disclosed to the principal's party — at a gemeente, to the principal's role —
    /// and the notices for it (art. 10: a pull from a secure environment). Case references are
    /// the party's own.
    public static let mailboxPage = 100

    /// `limit`: 1–500 disclosures (default 100), newest first; `before`: the `next` cursor of
    /// the previous page. Notices come with the first page.
    public func mailbox(limit: Int = mailboxPage, before cursor: String? = nil, by principal: Principal, trace: TraceContext) async throws -> Mailbox {
        try await authorize(.readMailbox, principal, subject: "mailbox", trace: trace)
        guard (1...500).contains(limit) else { throw GatewayError.invalid(field: "limit", problem: "1–500") }
        var before: (created: String, id: String)?
        if let cursor {
            let parts = cursor.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].count <= 30, parts[1].count <= 64 else {
                throw GatewayError.invalid(field: "before", problem: "the next cursor of the previous page")
            }
            before = (parts[0], parts[1])
        }
        let role = receivingRole(principal)
        var refs: [String: String] = [:]
        func ref(_ caseID: String) async throws -> String {
            if let known = refs[caseID] { return known }
            let found = try await store.ref(caseID: caseID, party: principal.unit) ?? ""
            refs[caseID] = found
            return found
        }
        var items: [MailboxItem] = []
        let page = try await store.mailbox(party: principal.party, role: role, limit: limit + 1, before: before)
        for record in page.prefix(limit) {
            items.append(item(record, caseRef: try await ref(record.caseID)))
        }
        let next = page.count > limit ? page.prefix(limit).last.map { "\($0.created)|\($0.id)" } : nil
        var notices: [NoticeView] = []
        for notice in cursor == nil ? try await store.notices(party: principal.party, role: role, limit: 500) : [] {
            notices.append(try await view(notice, caseRef: try await ref(notice.caseID), for: principal))
        }
        let meetings = cursor == nil ? try await store.tafelDeliveries(recipient: principal.party, role: role, limit: Self.mailboxPage).map(Self.item) : []
        return Mailbox(disclosures: items, notices: notices, meetings: meetings, next: next)
    }

    /// A notice as its addressee sees it: its own case reference and its own mailbox items the
    /// revoked consent covered (never the holder's consent id).
    func view(_ notice: NoticeRecord, caseRef: String, for principal: Principal) async throws -> NoticeView {
        var view = NoticeView(acknowledgedAt: notice.acknowledgedAt, id: notice.id, caseId: caseRef, kind: notice.kind.rawValue, disclosures: [],
                              created: notice.created, article: "convenant art. 11.5")
        switch notice.kind {
        case .consentNeedsRenewal:
            (view.consentId, view.due, view.article) = (notice.consentID, notice.due, policy.consent.article)
            if let due = notice.due.flatMap(CalendarDate.init), let record = try await store.case(notice.caseID) {
                view.reason = renewalReason(since: due, age: try birthDay(record).wholeYears(until: due)).reason
            }
        case .consentEndsSoon:
            (view.consentId, view.due, view.article) = (notice.consentID, notice.due, policy.consent.endNotice?.article ?? policy.consent.article)
            view.reason = "De toestemming geldt tot en met \(notice.due ?? "?"); daarna telt zij niet meer. Vraag zo nodig opnieuw toestemming."
        case .consentRevoked:
            if let consent = notice.consentID {
                view.disclosures = try await store.disclosures(recipient: principal.party, role: notice.role, consent: consent)
            }
        case .rightsRequestOverdue, .caseRestricted, .caseRestrictionLifted, .dataRectified:
            (view.due, view.article, view.reason) = (notice.due, Self.rightsNoticeArticle(notice.kind), rightsNoticeReason(notice))
            if notice.kind == .dataRectified, let field = notice.subject.flatMap(Field.named) {
                view.disclosures = try await store.disclosures(caseID: notice.caseID)
                    .filter { $0.recipient == principal.party && $0.recipientRole == notice.role && $0.released.contains(field) }.map(\.id)
            }
        }
        return view
    }

    static func rightsNoticeArticle(_ kind: NoticeKind) -> String {
        switch kind {
        case .rightsRequestOverdue: "AVG art. 12 lid 3; convenant art. 13.2"
        case .dataRectified: "convenant art. 8.1; AVG art. 16, 19"
        default: "AVG art. 18, 19; convenant art. 13.1 sub b"
        }
    }

    /// What the addressee of a rights notice should do, in Dutch (names a field or a request id, never a value).
    func rightsNoticeReason(_ notice: NoticeRecord) -> String {
        let subject = notice.subject ?? "?"
        // The field by the covenant's word for it, not its key (a newcomer's finding).
        let field = Field.named(subject).map { "\(policy.fieldInfo($0).label) (\(subject))" } ?? subject
        switch notice.kind {
        case .rightsRequestOverdue:
            return "Het verzoek \(subject) had uiterlijk \(notice.due ?? "?") beantwoord moeten zijn en is nog niet beslist; de FG ziet dit ook."
        case .dataRectified:
            return "Het gegeven '\(field)' dat u ontving is bij de bron gecorrigeerd: corrigeer of verwijder uw kopie."
        case .caseRestricted:
            return "De verwerking in deze casus is beperkt (\(subject)): verstrek niets meer en verwerk alleen wat de AVG dan toestaat."
        default:
            return "De beperking van de verwerking in deze casus is opgeheven."
        }
    }

    /// Art. 11.5: the addressed party and role acknowledge a revocation notice.
    public func acknowledgeNotice(_ id: String, by principal: Principal, trace: TraceContext) async throws -> NoticeView {
        try await authorizeRole(.acknowledgeNotice, principal, subject: "notice", trace: trace)
        let notice = try await store.notice(id)
        let addressed = notice.map { $0.party == principal.party && $0.role == receivingRole(principal) } ?? false
        try await authorize(.acknowledgeNotice, principal, relations: addressed ? [.addressee] : [], subject: "notice \(id)", trace: trace)
        let record = notice!
        let acknowledged = record.acknowledgedAt ?? time
        if record.acknowledgedAt == nil { try await store.acknowledge(notice: id, at: acknowledged) }
        var acknowledgedRecord = record
        acknowledgedRecord.acknowledgedAt = acknowledged
        return try await view(acknowledgedRecord, caseRef: try await store.ref(caseID: record.caseID, party: principal.unit) ?? "", for: principal)
    }

    /// A mailbox item, if it is addressed to the principal's party and role; otherwise 404.
    func mailboxItem(_ id: String, _ action: GatewayAction, by principal: Principal, trace: TraceContext) async throws -> DisclosureRecord {
        try await authorizeRole(action, principal, subject: "disclosure", trace: trace)
        let record = try await store.disclosure(id)
        let addressed = record.map { $0.recipient == principal.party && $0.recipientRole == receivingRole(principal) } ?? false
        try await authorize(action, principal, relations: addressed ? [.addressee] : [], subject: "disclosure \(id)", trace: trace)
        return record!
    }

    /// The sealed bundle (CMS, DER). Fetching is processing: it goes on the register.
    public func fetch(_ id: String, by principal: Principal, trace: TraceContext) async throws -> [UInt8] {
        if let delivery = try await tafelMailboxItem(id, .fetchBundle, by: principal, trace: trace) {
            try await logMailbox(delivery, operation: "fetch", principal: principal, trace: trace)
            if delivery.fetchedAt == nil { try await store.markTafelDelivery(id, fetchedAt: time) }
            return try Self.bytes(delivery.bundle)
        }
        let record = try await mailboxItem(id, .fetchBundle, by: principal, trace: trace)
        try await logMailbox(record, operation: "fetch", principal: principal, trace: trace, refusingRestricted: true)
        if record.fetchedAt == nil { try await store.markFetched(disclosure: id, at: time) }
        guard let bundle = Data(base64Encoded: record.bundle) else { throw GatewayError.unavailable(.storedDataDamaged, "the stored bundle is damaged") }
        return Array(bundle)
    }

    /// The bundle's length in bytes, for a HEAD request (RFC 9110 §9.3.2): the same authority as
    /// a fetch, but no data moves, so it is neither a fetch on the register nor marks the bundle
    /// fetched.
    public func bundleLength(_ id: String, by principal: Principal, trace: TraceContext) async throws -> Int {
        if let delivery = try await tafelMailboxItem(id, .fetchBundle, by: principal, trace: trace) { return try Self.bytes(delivery.bundle).count }
        let record = try await mailboxItem(id, .fetchBundle, by: principal, trace: trace)
        guard let bundle = Data(base64Encoded: record.bundle) else { throw GatewayError.unavailable(.storedDataDamaged, "the stored bundle is damaged") }
        return bundle.count
    }

    /// Acknowledges a mailbox item: a disclosure's, or an agenda's or minutes' (`MeetingMailboxItem`).
    public func acknowledgeItem(_ id: String, by principal: Principal, trace: TraceContext) async throws -> AcknowledgedItem {
        if let delivery = try await tafelMailboxItem(id, .acknowledgeBundle, by: principal, trace: trace) {
            try await logMailbox(delivery, operation: "acknowledge", principal: principal, trace: trace)
            let acknowledged = time
            try await store.markTafelDelivery(id, acknowledgedAt: acknowledged)
            var item = Self.item(delivery)
            (item.fetchedAt, item.acknowledgedAt) = (delivery.fetchedAt ?? acknowledged, acknowledged)
            return .meeting(item)
        }
        return .disclosure(try await acknowledge(id, by: principal, trace: trace))
    }

    public func acknowledge(_ id: String, by principal: Principal, trace: TraceContext) async throws -> MailboxItem {
        let record = try await mailboxItem(id, .acknowledgeBundle, by: principal, trace: trace)
        try await logMailbox(record, operation: "acknowledge", principal: principal, trace: trace)
        let acknowledged = time
        try await store.markAcknowledged(disclosure: id, at: acknowledged)
        return item(record, caseRef: try await store.ref(caseID: record.caseID, party: principal.unit) ?? "",
                    fetchedAt: record.fetchedAt ?? acknowledged, acknowledgedAt: acknowledged)
    }

    /// The mailbox act on the register. `refusingRestricted`: a fetch moves the bundle to the
    /// recipient (art. 10: a pull), so on a restricted case it does not happen (AVG art. 18 lid 2;
    /// an attacker's finding: a bundle disclosed before the restriction was fetched after it) —
    /// checked inside the entry's commit; after the lift it can be fetched. A thuiszitterstafel
    /// view holds many pupils and is not held back for one (docs/rights.md).
    func logMailbox(_ record: DisclosureRecord, operation: String, principal: Principal, trace: TraceContext,
                    refusingRestricted: Bool = false) async throws {
        guard let caseRecord = try await store.case(record.caseID) else { throw GatewayError.notFound(.caseNotFound, "case of disclosure \(record.id)") }
        let activity = activity(ProcessingActivities.disclosureID(record.forum))
        let caseID = record.caseID
        _ = try await registerEntries([RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: operation, sender: record.sender, actor: principal.delegateID, recipient: record.recipient, forum: record.forum.rawValue,
            purpose: record.purpose, decision: "none", released: record.released.map(\.rawValue), basis: ["register entry \(record.registerIndex)"],
            policyHash: policyHash, subject: try pseudonyms.pseudonym(of: caseRecord.pupilKey, for: Pseudonymizer.registerRecipient),
            bundleDigest: record.bundleDigest, recipientRole: record.recipientRole?.rawValue, parentSpanID: trace.parentSpanID)]) { sql, _ in
            if refusingRestricted { try await Self.refuseIfRestricted(caseID, on: sql) }
        }
    }

    /// The FG's view of the register (art. 15.2): the entries in which its own party sent or
    /// received — not case contents. Interpretation: each party's FG supervises its own party
    /// (art. 15.3); the whole register is for `sluis register` on the gateway host.
    /// `reading` false (a HEAD): the same authority and checks, but nothing read and nothing
    /// registered — no view is shown (art. 15.2; RFC 9110 §9.3.2).
    public func registerEntries(_ filter: RegisterFilter, reading: Bool = true, by principal: Principal,
                                trace: TraceContext) async throws -> (entries: [RegisterEntry], next: Int64?) {
        try await inspectRegister(filter, .inspectRegister, view: nil, reading: reading, by: principal, trace: trace)
    }

    /// The same view as Logboek Dataverwerkingen records (LDV 1.0), one JSON object a line: the
    /// records `sluis register export --format ldv` writes (`RegisterExport`, one mapping,
    /// docs/register.md), for the FG of the party's own entries only (art. 15.2–15.3).
    /// `next`: the `after` for the following page, nil at the end.
    public func registerLDV(_ filter: RegisterFilter, by principal: Principal, trace: TraceContext) async throws -> (records: String, next: Int64?) {
        let page = try await inspectRegister(filter, .exportRegisterLDV, view: RegisterExport.Format.ldv.rawValue, by: principal, trace: trace)
        return (RegisterExport.render(page.entries, as: .ldv), page.next)
    }

    /// The filter's values go on the append-only register with the inspection, so they must be
    /// register vocabulary, never typed text (art. 15; a name typed as a "pseudonym" would stay
    /// for good): times as RFC 3339, a decision of the register's own, pseudonyms and activity
    /// ids as lowercase ASCII tokens. The problem names the parameter, never its value.
    /// Not only the characters: a pseudonym has the pseudonymizer's shape (`ps<version>-` and 32
    /// base32 letters) and an activity is one of the art. 30 register's — so no word a person
    /// typed, lowercase or not, reaches the register.
    func checkVocabulary(_ filter: RegisterFilter) throws {
        for (value, name) in [(filter.from, "from"), (filter.to, "to")] {
            if let value, Self.instant(value) == nil { throw GatewayError.invalid(field: name, problem: "an RFC 3339 date or date-time") }
        }
        if let subject = filter.subject, !Self.isPseudonym(subject) {
            throw GatewayError.invalid(field: "subject", problem: "a register pseudonym: ps<version>- and 32 letters a–z, 2–7")
        }
        if let activity = filter.activity, activities[activity] == nil {
            throw GatewayError.invalid(field: "activity", problem: "the id of a processing activity (sluis register activities)")
        }
        if let decision = filter.decision, !["permit", "deny", "none"].contains(decision) {
            throw GatewayError.invalid(field: "decision", problem: "permit, deny or none")
        }
    }

    /// A checked `from`/`to` as the register writes its times (UTC, milliseconds), so that text
    /// order is time order: `+01:00` or a bare day compares right against the stored times.
    static func registerInstant(_ text: String?) -> String? { text.flatMap(instant).map(RegisterTime.format) }

    static func isPseudonym(_ text: String) -> Bool {
        guard let version = Pseudonymizer.version(of: text), version >= 1, text.hasPrefix("ps\(version)-") else { return false }
        let letters = text.utf8.dropFirst("ps\(version)-".utf8.count)
        return letters.count == 32 && letters.allSatisfy { (97...122).contains($0) || (50...55).contains($0) }
    }

    /// One inspection of the register by an FG: authorized by `action`, scoped to the FG's own
    /// party, and itself an entry on the register (art. 15.2; the FG's reading is processing too).
    private func inspectRegister(_ filter: RegisterFilter, _ action: GatewayAction, view: String?, reading: Bool = true, by principal: Principal,
                                 trace: TraceContext) async throws -> (entries: [RegisterEntry], next: Int64?) {
        try await authorize(action, principal, subject: "register", trace: trace)
        try checkVocabulary(filter)
        // A party filter names a party of the covenant (signatory or acceded), never typed text.
        if let other = filter.counterparty, try await store.party(other) == nil {
            throw GatewayError.invalid(field: "counterparty", problem: "the id of a party of the covenant")
        }
        guard reading else { return ([], nil) }
        var scoped = filter
        (scoped.from, scoped.to) = (Self.registerInstant(filter.from), Self.registerInstant(filter.to))
        scoped.party = principal.party
        scoped.limit = min(max(1, filter.limit), RegisterFilter.maxLimit)
        let page = try await register.list(scoped)
        let shown = (view.map { "weergave: \($0); " } ?? "") + "getoond: \(page.entries.count)"
        _ = try await registerEntry(inspection(basis: ["6(1)(c); AVG art. 39; convenant art. 15.2", "filter: \(scoped.summary); \(shown)"],
                                               by: principal, trace: trace))
        return page
    }

    /// Puts one view of an FG on the register as an inspection (art. 15.2: the FG's reading is
    /// processing too): who, when, and `basis` — the articles and what was shown, never a value.
    func registerInspection(_ principal: Principal, basis: [String], trace: TraceContext) async throws {
        _ = try await registerEntry(inspection(basis: basis, by: principal, trace: trace))
    }

    /// An FG's reading as a register entry of its own (art. 15.2; AVG art. 39): under the
    /// inspection activity, by the FG's delegate, with what was read in `basis` — and, where the
    /// reading was about one pupil, its register pseudonym.
    func inspection(_ operation: String = "inspect", basis: [String], subject: String? = nil, by principal: Principal,
                    trace: TraceContext) -> RegisterEntry {
        let activity = activity(ProcessingActivities.inspection)
        return RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: operation, actor: principal.delegateID, decision: "none", basis: basis, policyHash: policyHash, subject: subject,
            parentSpanID: trace.parentSpanID)
    }
}

extension Gateway {
    /// The newest signed checkpoint, for the FG to save and check the register against later
    /// (`sluis register verify --against FILE`).
    public func checkpoint(by principal: Principal, trace: TraceContext) async throws -> String {
        try await authorize(.readCheckpoint, principal, subject: "checkpoint", trace: trace)
        guard let checkpoint = try await publishedCheckpoint() else {
            throw GatewayError.notFound(.checkpointNotFound, witnessing == nil ? "checkpoint (empty register)" : "checkpoint (none cosigned by the quorum of witnesses yet)")
        }
        return checkpoint
    }

    /// The parties of the covenant, for every delegate.
    public func parties(by principal: Principal, trace: TraceContext) async throws -> [PartyRecord] {
        try await authorize(.listParties, principal, subject: "parties", trace: trace)
        return try await store.parties()
    }
}
