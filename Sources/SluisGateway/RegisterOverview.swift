import Foundation
import SluisCovenant
public import SluisRegister
import SluisStore

/// The FG's counts for the charts page: disclosures per ISO week per other party, refusals per
/// covenant rule (forum and purpose), over the FG's own party's entries (art. 15.2–15.3).
public struct RegisterChart: Sendable, Equatable {
    public struct Count: Sendable, Equatable {
        public let key: String
        public let count: Int
    }
    /// ISO 8601 week (`2026-W48`, Europe/Amsterdam days) → other party → disclosures, weeks in order.
    public let weeks: [(week: String, parties: [Count])]
    /// `forum · purpose` → refusals, most first.
    public let refusals: [Count]
    /// Entries counted; capped at `RegisterChart.maxEntries`, `capped` says when more were there.
    public let counted: Int
    public let capped: Bool

    public static let maxEntries = 20_000

    public static func == (lhs: RegisterChart, rhs: RegisterChart) -> Bool {
        lhs.refusals == rhs.refusals && lhs.counted == rhs.counted && lhs.weeks.map(\.week) == rhs.weeks.map(\.week)
            && lhs.weeks.map(\.parties) == rhs.weeks.map(\.parties)
    }
}

extension Gateway {
    /// The processing activities of the art. 30 AVG register (convenant art. 15.1), as the
    /// gateway generated them from the policy and records them on the register; for the select
    /// on the FG's register page (no view of data: the policy's own words).
    public var processingActivityList: [ProcessingActivity] { activities.values.sorted { $0.id < $1.id } }

    /// The art. 30 register for the FG (AVG art. 30, 39; convenant art. 15.1–15.2); the view is an
    /// inspection entry. - Throws: 403 for another role.
    public func processingRegister(reading: Bool = true, by principal: Principal, trace: TraceContext) async throws -> [ProcessingActivity] {
        try await authorize(.inspectRegister, principal, subject: "register", trace: trace)
        let list = processingActivityList
        if reading {
            try await registerInspection(principal, basis: ["AVG art. 30, art. 39; convenant art. 15.1–15.2",
                                                            "weergave: verwerkingsregister; getoond: \(list.count)"], trace: trace)
        }
        return list
    }

    /// Counts of the FG's own party's entries in `[from, to)` (days, YYYY-MM-DD or RFC 3339) for
    /// the charts; the view is an inspection entry. Disclosures are `disclose` entries with a
    /// permit, refusals `deny` entries of a disclosure activity.
    /// - Throws: 403 for another role; 400 naming `from`/`to` for a value that is no date.
    public func registerChart(from: String?, to: String?, reading: Bool = true, by principal: Principal,
                              trace: TraceContext) async throws -> RegisterChart? {
        try await authorize(.inspectRegister, principal, subject: "register", trace: trace)
        var filter = RegisterFilter(from: from, to: to)
        try checkVocabulary(filter)
        guard reading else { return nil }
        (filter.from, filter.to, filter.party, filter.limit) = (Self.registerInstant(from), Self.registerInstant(to), principal.party, RegisterFilter.maxLimit)
        var perWeek: [String: [String: Int]] = [:], refusals: [String: Int] = [:]
        var counted = 0, capped = false
        while true {
            let page = try await register.list(filter)
            for entry in page.entries {
                counted += 1
                let other = entry.sender == principal.party ? entry.recipient : entry.sender
                if entry.operation == "disclose", entry.decision == "permit", let other, let week = Self.isoWeek(entry.time) {
                    perWeek[week, default: [:]][other, default: 0] += 1
                } else if entry.decision == "deny", entry.activity.hasPrefix("verstrekking-") {
                    refusals[[entry.forum, entry.purpose].compactMap { $0 }.joined(separator: " · "), default: 0] += 1
                }
            }
            guard let next = page.next else { break }
            if counted >= RegisterChart.maxEntries { capped = true; break }
            filter.after = next
        }
        try await registerInspection(principal, basis: ["convenant art. 15.2; AVG art. 39", "weergave: grafieken; filter: \(filter.summary); geteld: \(counted)"],
                                     trace: trace)
        let weeks = perWeek.keys.sorted().map { week in
            (week: week, parties: perWeek[week]!.sorted { $0.key < $1.key }.map { RegisterChart.Count(key: $0.key, count: $0.value) })
        }
        let rules = refusals.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { RegisterChart.Count(key: $0.key, count: $0.value) }
        return RegisterChart(weeks: weeks, refusals: rules, counted: counted, capped: capped)
    }

    /// The ISO 8601 week of a register time, on the Amsterdam calendar day (the covenant's days).
    static func isoWeek(_ time: String) -> String? {
        guard let instant = instant(time) else { return nil }
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam") ?? .gmt
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: instant)
        guard let year = parts.yearForWeekOfYear, let week = parts.weekOfYear else { return nil }
        return String(format: "%04d-W%02d", year, week)
    }
}
