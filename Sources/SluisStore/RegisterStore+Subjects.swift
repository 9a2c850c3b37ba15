public import SluisRegister
import SQLKit

/// A query of the register about one pupil (convenant art. 13.1 sub a; issue 12 item 8): the
/// entries whose `subject` is one of the pupil's register pseudonyms — one per pseudonym key
/// version (docs/crypto.md: a rotated key leaves the older entries under the older pseudonym) —
/// in a period, oldest first, paged by entry index. Every other pupil is filtered out by the
/// query itself, not afterwards. Migration 15's index `(subject, idx)` serves it in order.
public struct SubjectQuery: Sendable, Equatable {
    /// The pupil's register pseudonyms (`ps<v>-…`); an empty list matches nothing.
    public var subjects: [String]
    /// Inclusive lower and exclusive upper bound on the entry time (RFC 3339 UTC text compares in order).
    public var from: String?
    public var to: String?
    /// Only entries after this index: the previous page's `next`.
    public var after: Int64?
    /// Only entries up to this index: the register's last index when the first page was read,
    /// carried from page to page, so that the entries the paging itself adds (each query is an
    /// entry about the pupil) do not feed it without end. Nil: no bound.
    public var through: Int64?
    /// Only entries in which this party sent or received (the FG's own party, art. 15.3); nil: all.
    public var party: String?
    /// At most this many entries a page, 1…`RegisterFilter.maxLimit`.
    public var limit: Int

    public init(subjects: [String], from: String? = nil, to: String? = nil, after: Int64? = nil, through: Int64? = nil, party: String? = nil,
                limit: Int = RegisterFilter.maxLimit) {
        self.subjects = subjects
        self.through = through
        self.from = from
        self.to = to
        self.after = after
        self.party = party
        self.limit = limit
    }
}

extension RegisterStore {
    /// One page of the entries about the pupil, oldest first, and the `after` of the next page
    /// (nil: this was the last). Throws the database's error.
    public func entries(about query: SubjectQuery) async throws -> (entries: [RegisterEntry], next: Int64?) {
        guard !query.subjects.isEmpty else { return ([], nil) }
        let limit = max(1, min(query.limit, RegisterFilter.maxLimit))
        var select = sql.select().column("body").from("register_entries").where("subject", .in, query.subjects)
        if let from = query.from { select = select.where("time", .greaterThanOrEqual, from) }
        if let to = query.to { select = select.where("time", .lessThan, to) }
        if let party = query.party { select = select.where { $0.where("sender", .equal, party).orWhere("recipient", .equal, party) } }
        if let after = query.after { select = select.where("idx", .greaterThan, after) }
        if let through = query.through { select = select.where("idx", .lessThanOrEqual, through) }
        let rows = try await select.orderBy("idx", .ascending).limit(limit + 1).all()
        let entries = try rows.prefix(limit).map { try RegisterEntry.decode(canonical: Array(try $0.decode(column: "body", as: String.self).utf8)) }
        return (entries, rows.count > limit ? entries.last?.index : nil)
    }

    /// The index of the newest committed entry (-1 for an empty register), as the database
    /// holds it — also when another gateway instance appended it.
    public func lastIndex() async throws -> Int64 {
        (try await sql.raw("SELECT size FROM register_head WHERE id = 1").first()?.decode(column: "size", as: Int64.self) ?? 0) - 1
    }

    /// Every entry about the pupil, oldest first, page after page (the inzage report).
    public func allEntries(about query: SubjectQuery) async throws -> [RegisterEntry] {
        var query = query
        var all: [RegisterEntry] = []
        while true {
            let page = try await entries(about: query)
            all += page.entries
            guard let next = page.next else { return all }
            query.after = next
        }
    }
}
