import Foundation
import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// The FG's view of what its party's cases hold past a term the policy names (convenant art. 9.2,
/// art. 15.2–15.3): each case by its register pseudonym — the FG reads the register, not case
/// contents — with the term, since when it is past and why.
public struct RetentionReportView: Sendable, Codable, Equatable {
    /// The day judged on (`YYYY-MM-DD`, Europe/Amsterdam).
    public var today: String
    /// `retention.destroyWithinMonths` and its article.
    public var termMonths: Int
    public var article: String
    public var items: [Item]

    public struct Item: Sendable, Codable, Equatable {
        /// `closed-past-term`: closed, its term ended, not destroyed yet (art. 9.2).
        /// `open-past-scope`: open while the pupil is older than the covenant's scope (art. 1.11).
        public var kind: String
        /// The case's register pseudonym (`ps<v>-…`): its entries in `GET /v1/register/entries?subject=`.
        public var subject: String
        public var closureReason: String?
        public var closedOn: String?
        /// The last day of the term (`RetentionTerm`).
        public var dueOn: String?
        /// Whole days since `dueOn` (0 on the due day itself).
        public var daysPastDue: Int?
        public var why: String
        public var article: String
    }
}

extension Gateway {
    /// `GET /v1/retention`: for the FG, the cases its own party takes part in that are held past
    /// a term the policy names: closed cases due for destruction and not destroyed (art. 9.2 —
    /// empty after a retention run), and open cases of pupils older than `scope.toAge` (art. 1.11:
    /// no thuiszitter any more; a party closes them, art. 5.5, 9.1). The view is an inspection
    /// on the register, like the FG's other views.
    /// - Throws: 403 for any role but the FG (the authority table).
    public func retentionReport(by principal: Principal, trace: TraceContext) async throws -> RetentionReportView {
        try await authorize(.inspectRetention, principal, subject: "retention", trace: trace)
        let day = today
        let term = RetentionTerm(months: policy.retention.destroyWithinMonths)
        var items: [RetentionReportView.Item] = []
        for record in try await store.closedCases() {
            guard try await takesPart(principal.party, in: record) else { continue }
            let closedOn = try Self.amsterdamDay(record.closedAt, "closed_at")
            let due = term.dueOn(closedOn: closedOn)
            guard due <= day else { continue }
            items.append(.init(
                kind: "closed-past-term", subject: try registerSubject(record), closureReason: record.closureReason, closedOn: closedOn.description,
                dueOn: due.description, daysPastDue: day.dayNumber - due.dayNumber,
                why: "closed on \(closedOn), term \(term.months) months: due on \(due) and not destroyed yet (the retention job runs daily in sluis serve, "
                    + "and as sluis retention run)",
                article: policy.retention.destroyArticle))
        }
        for record in try await store.openCases() {
            guard try await takesPart(principal.party, in: record) else { continue }
            guard let birth = try? birthDay(record), birth.wholeYears(until: day) > policy.scope.toAge else { continue }
            items.append(.init(
                kind: "open-past-scope", subject: try registerSubject(record), closureReason: nil, closedOn: nil, dueOn: nil, daysPastDue: nil,
                why: "the pupil is older than \(policy.scope.toAge) (no thuiszitter any more) and the case is still open: close it (einde-leerplicht)",
                article: "\(policy.scope.article); convenant art. 9.1"))
        }
        try await registerInspection(principal, basis: ["6(1)(c); AVG art. 39; convenant art. 15.2; \(policy.retention.destroyArticle)",
                                                        "weergave: bewaartermijnen; getoond: \(items.count)"], trace: trace)
        return RetentionReportView(today: day.description, termMonths: term.months, article: policy.retention.destroyArticle, items: items)
    }

    /// Whether a unit of `party` (at a gemeente: either role) takes part in the case.
    func takesPart(_ party: String, in record: CaseRecord) async throws -> Bool {
        try await store.parties(ofCase: record.id).contains { CaseUnit.party(of: $0) == party }
    }

    /// The pupil's pseudonym on the register (never shown to a case worker; the FG's key to the register).
    func registerSubject(_ record: CaseRecord) throws -> String {
        try pseudonyms.pseudonym(of: record.pupilKey, for: Pseudonymizer.registerRecipient)
    }
}
