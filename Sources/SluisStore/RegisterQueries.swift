public import SluisRegister
import SQLKit

/// Filters for the FG's inspection of the register (art. 15.2): period, party, pupil
/// pseudonym, decision, activity, the conflict-of-duties mark; paged by entry index and capped.
public struct RegisterFilter: Sendable, Equatable {
    /// Inclusive lower and exclusive upper bound on the entry time (RFC 3339 text compares in order).
    public var from: String?
    public var to: String?
    /// Sender or recipient.
    public var party: String?
    /// A second party, also sender or recipient: the entries between `party` and it (the FG's
    /// party filter, art. 15.2).
    public var counterparty: String?
    public var subject: String?
    public var decision: String?
    public var activity: String?
    /// Only entries marked as a disclosure on a conflict of duties (art. 6.1 sub e).
    public var conflictOfDuties: Bool
    /// Only entries after this index (the previous page's last index, oldest first).
    public var after: Int64?
    /// Only entries before this index (the previous page's last index, newest first).
    public var before: Int64?
    /// Newest entries first (`sluis register list`); oldest first otherwise (exports, the API).
    public var newestFirst: Bool
    public var limit: Int

    public static let maxLimit = 1000

    public init(from: String? = nil, to: String? = nil, party: String? = nil, subject: String? = nil, decision: String? = nil,
                activity: String? = nil, conflictOfDuties: Bool = false, after: Int64? = nil, before: Int64? = nil, newestFirst: Bool = false,
                limit: Int = 100) {
        self.conflictOfDuties = conflictOfDuties
        self.from = from
        self.to = to
        self.party = party
        self.subject = subject
        self.decision = decision
        self.activity = activity
        self.after = after
        self.before = before
        self.newestFirst = newestFirst
        self.limit = limit
    }

    /// The filter in words, for the inspection's own register entry (no personal data: a
    /// pseudonym at most).
    public var summary: String {
        var parts: [String] = []
        if let from { parts.append("van=\(from)") }
        if let to { parts.append("tot=\(to)") }
        if let party { parts.append("partij=\(party)") }
        if let counterparty { parts.append("tegenpartij=\(counterparty)") }
        if let subject { parts.append("pseudoniem=\(subject)") }
        if let decision { parts.append("besluit=\(decision)") }
        if let activity { parts.append("activiteit=\(activity)") }
        if conflictOfDuties { parts.append("conflict-van-plichten") }
        if let after { parts.append("na=\(after)") }
        if let before { parts.append("voor=\(before)") }
        if newestFirst { parts.append("nieuwste-eerst") }
        parts.append("max=\(limit)")
        return parts.joined(separator: ";")
    }
}

extension RegisterStore {
    /// One page of entries matching `filter`, and the index to continue from (nil: last page) —
    /// `after` it oldest first, `before` it newest first.
    public func list(_ filter: RegisterFilter) async throws -> (entries: [RegisterEntry], next: Int64?) {
        let limit = max(1, min(filter.limit, RegisterFilter.maxLimit))
        var query = sql.select().column("body").from("register_entries")
        if let from = filter.from { query = query.where("time", .greaterThanOrEqual, from) }
        if let to = filter.to { query = query.where("time", .lessThan, to) }
        if let party = filter.party { query = query.where { $0.where("sender", .equal, party).orWhere("recipient", .equal, party) } }
        if let other = filter.counterparty { query = query.where { $0.where("sender", .equal, other).orWhere("recipient", .equal, other) } }
        if let subject = filter.subject { query = query.where("subject", .equal, subject) }
        if let decision = filter.decision { query = query.where("decision", .equal, decision) }
        if let activity = filter.activity { query = query.where("activity", .equal, activity) }
        if filter.conflictOfDuties { query = query.where("conflict_of_duties", .isNot, SQLLiteral.null) }
        if let after = filter.after { query = query.where("idx", .greaterThan, after) }
        if let before = filter.before { query = query.where("idx", .lessThan, before) }
        let rows = try await query.orderBy("idx", filter.newestFirst ? .descending : .ascending).limit(limit + 1).all()
        let entries = try rows.prefix(limit).map { try RegisterEntry.decode(canonical: Array(try $0.decode(column: "body", as: String.self).utf8)) }
        return (entries, rows.count > limit ? entries.last?.index : nil)
    }

    /// The entries at `indexes` (those that exist), by index: one query.
    public func entries(_ indexes: [Int64]) async throws -> [Int64: RegisterEntry] {
        guard !indexes.isEmpty else { return [:] }
        var found: [Int64: RegisterEntry] = [:]
        for row in try await sql.select().column("body").from("register_entries").where("idx", .in, indexes).all() {
            let entry = try RegisterEntry.decode(canonical: Array(try row.decode(column: "body", as: String.self).utf8))
            found[entry.index] = entry
        }
        return found
    }

    /// Records the art. 30 activities in force; versions already stored are kept as they are.
    public func record(activities: [ProcessingActivity]) async throws {
        for activity in activities {
            let exists = try await sql.raw("""
                SELECT 1 AS found FROM processing_activities WHERE id = \(bind: activity.id) AND version = \(bind: activity.version)
                """).first()
            if exists == nil {
                try await sql.insert(into: "processing_activities").columns("id", "version", "body")
                    .values(activity.id, activity.version, String(decoding: activity.canonicalJSON(), as: UTF8.self)).run()
            }
        }
    }

    /// Every stored version of the activities, oldest content first.
    public func storedActivityVersions() async throws -> [(id: String, version: String)] {
        try await sql.raw("SELECT id, version FROM processing_activities ORDER BY id, version").all().map {
            (try $0.decode(column: "id", as: String.self), try $0.decode(column: "version", as: String.self))
        }
    }
}

extension RegisterEntry {
    /// The `conflict_of_duties` column: the mark's fields, space-separated, or NULL without one.
    var conflictOfDutiesColumn: String? { conflictOfDuties.isEmpty ? nil : conflictOfDuties.joined(separator: " ") }
}
