public import SluisRegister
public import SluisStore

/// What a subject query of the register asks (issue 12 item 8): one pupil — by the caller's own
/// case reference (the regisseur) or by register pseudonym (the FG) — a period, a page.
public struct SubjectQueryInput: Sendable, Equatable {
    /// The caller's own case reference: the regisseur of the case meeting.
    public var caseRef: String?
    /// A register pseudonym (`ps<v>-` and 32 base32 letters): the FG, who knows no case.
    public var subject: String?
    /// RFC 3339 date or date-time: inclusive lower and exclusive upper bound on the entry time.
    public var from: String?, to: String?
    /// The `next` of the previous page.
    public var after: Int64?
    /// The `through` of the first page, carried by the next-page link (`SubjectQuery.through`).
    public var through: Int64?
    /// 1…1000, default 100.
    public var limit: Int?

    public init(caseRef: String? = nil, subject: String? = nil, from: String? = nil, to: String? = nil, after: Int64? = nil,
                through: Int64? = nil, limit: Int? = nil) {
        self.through = through
        self.caseRef = caseRef
        self.subject = subject
        self.from = from
        self.to = to
        self.after = after
        self.limit = limit
    }
}

extension Gateway {
    /// One page of the register's entries about one pupil, oldest first, as Logboek
    /// Dataverwerkingen records (one JSON object a line, `RegisterExport`'s LDV mapping; the
    /// field names are LDV's: `dpl.core.data_subject_id` is the pseudonym), and the `after` of
    /// the next page (nil: last page). Every other pupil is filtered out by the query.
    ///
    /// - `caseRef`: the regisseur of the case meeting (`query-register-case`: the party that
    ///   brought the case in or the forum's convener; art. 13.1 sub a, Bijlage 3 paragraaf 3)
    ///   reads every entry about the pupil of its case, under every pseudonym key version — what
    ///   the inzage report lists. Registered as `subject-query` under `inzage-betrokkene`.
    /// - `subject`: the FG (`query-register-subject`; art. 15.2–15.3) reads its own party's
    ///   entries about that pseudonym, as in its other views. Registered as an `inspect`.
    ///
    /// Exactly one of the two (else 400 naming `case`); `from`/`to` RFC 3339 and `subject` a
    /// pseudonym, else 400 naming the parameter, never its value; `limit` 1…1000. Paging is a
    /// snapshot: the first page fixes `through` (the newest entry then) and every next page
    /// keeps it, so the query entries the paging adds are not paged through themselves.
    public func subjectRecords(_ input: SubjectQueryInput, by principal: Principal,
                               trace: TraceContext) async throws -> (records: String, next: Int64?, through: Int64, count: Int) {
        guard (input.caseRef == nil) != (input.subject == nil) else {
            throw GatewayError.invalid(field: "case", problem: "exactly one of case (your case reference) or subject (a register pseudonym)")
        }
        let limit = input.limit ?? 100
        guard (1...RegisterFilter.maxLimit).contains(limit) else { throw GatewayError.invalid(field: "limit", problem: "1 to \(RegisterFilter.maxLimit)") }
        let filter = RegisterFilter(from: input.from, to: input.to, subject: input.subject, after: input.after, limit: limit)
        var query = SubjectQuery(subjects: [], from: input.from, to: input.to, after: input.after, through: input.through, limit: limit)
        let pseudonym: String
        let activityID: String
        let operation: String
        if let ref = input.caseRef {
            let access = try await caseAccess(ref, .queryRegisterCase, principal, trace: trace)
            try checkVocabulary(filter)
            query.subjects = try registerSubjects(access.record)
            pseudonym = try registerSubject(access.record)
            (activityID, operation) = (ProcessingActivities.inzage, "subject-query")
        } else {
            try await authorize(.queryRegisterSubject, principal, subject: "register", trace: trace)
            try checkVocabulary(filter)
            pseudonym = input.subject!
            query.subjects = [pseudonym]
            query.party = principal.party
            (activityID, operation) = (ProcessingActivities.inspection, "inspect")
        }
        (query.from, query.to) = (Self.registerInstant(input.from), Self.registerInstant(input.to))
        if query.through == nil { query.through = try await register.lastIndex() }
        let page = try await register.entries(about: query)
        let activity = activity(activityID)
        var summary = RegisterFilter(from: input.from, to: input.to, after: input.after, limit: limit).summary
        if query.party != nil { summary += ";partij=\(principal.party)" }
        _ = try await registerEntry(RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: operation, sender: operation == "inspect" ? nil : principal.party, actor: principal.delegateID, decision: "none",
            basis: [input.caseRef == nil ? "6(1)(c); AVG art. 39; convenant art. 15.2" : "6(1)(c) AVG; AVG art. 15; convenant art. 13.1 sub a",
                    "weergave: betrokkene; filter: \(summary); getoond: \(page.entries.count)"],
            policyHash: policyHash, subject: pseudonym, parentSpanID: trace.parentSpanID))
        return (RegisterExport.render(page.entries, as: .ldv), page.next, query.through!, page.entries.count)
    }
}
