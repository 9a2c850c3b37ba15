public import SQLKit

/// A leerplicht unit's link of one of its own verzuimoverleg references to a case, made after a
/// DUO melding (verzuimprotocol 5.4; Bijlage 3.1): the case, the unit, the reference, and the
/// register entry that records the link.
public struct VerzuimoverlegLinkRecord: Sendable, Equatable {
    public var caseID: String, holder: String, reference: String
    public var registerIndex: Int64
    public var linkedAt: String, linkedBy: String

    public init(caseID: String, holder: String, reference: String, registerIndex: Int64, linkedAt: String, linkedBy: String) {
        self.caseID = caseID
        self.holder = holder
        self.reference = reference
        self.registerIndex = registerIndex
        self.linkedAt = linkedAt
        self.linkedBy = linkedBy
    }
}

/// One row a holder received on a verzuimoverleg list, with the list it was on: the holder's
/// own id for the list, the school that made it, the meeting's day and window.
public struct VerzuimoverlegMeetingRecord: Sendable, Equatable {
    public var shareRef: String, school: String, meetingDate: String, asOf: String
    public var item: VerzuimoverlegItemRecord
}

/// The links of the anonymous verzuimoverleg to cases (issue 10 item 3): written inside the
/// register append of their entry, read for the linking unit's case view.
extension GatewayStore {
    /// Links those of `links` that are not linked yet, on `sql` — inside the register append of
    /// the link's entry: register transactions are serialized, so of two links at once the
    /// second finds the first's rows here. Returns the links written (empty: all were there).
    public static func link(_ links: [VerzuimoverlegLinkRecord], on sql: any SQLDatabase) async throws -> [VerzuimoverlegLinkRecord] {
        guard let first = links.first else { return [] }
        let present = Set(try await sql.raw("""
            SELECT reference FROM verzuimoverleg_links WHERE case_id = \(bind: first.caseID) AND holder = \(bind: first.holder)
            """).all().map { try $0.decode(column: "reference", as: String.self) })
        let added = links.filter { !present.contains($0.reference) }
        for link in added {
            try await sql.insert(into: "verzuimoverleg_links").columns("case_id", "holder", "reference", "register_index", "linked_at", "linked_by")
                .values(link.caseID, link.holder, link.reference, link.registerIndex, link.linkedAt, link.linkedBy).run()
        }
        return added
    }

    /// The references a holder linked to a case, oldest link first.
    public func verzuimoverlegLinks(caseID: String, holder: String) async throws -> [VerzuimoverlegLinkRecord] {
        try await sql.select().columns("case_id", "holder", "reference", "register_index", "linked_at", "linked_by").from("verzuimoverleg_links")
            .where("case_id", .equal, caseID).where("holder", .equal, holder).orderBy("linked_at").orderBy("reference").all().map { row in
                VerzuimoverlegLinkRecord(
                    caseID: try row.decode(column: "case_id", as: String.self), holder: try row.decode(column: "holder", as: String.self),
                    reference: try row.decode(column: "reference", as: String.self),
                    registerIndex: try row.decode(column: "register_index", as: Int64.self),
                    linkedAt: try row.decode(column: "linked_at", as: String.self), linkedBy: try row.decode(column: "linked_by", as: String.self))
            }
    }

    /// Which of `references` the holder has anything under: a row of a list shared with it, or a note.
    public func heldReferences(_ references: [String], holder: String) async throws -> Set<String> {
        guard !references.isEmpty else { return [] }
        return Set(try await sql.raw("""
            SELECT reference FROM verzuimoverleg_items WHERE holder = \(bind: holder) AND reference IN (\(binds: references))
            UNION SELECT reference FROM verzuimoverleg_notes WHERE holder = \(bind: holder) AND reference IN (\(binds: references))
            """).all().map { try $0.decode(column: "reference", as: String.self) })
    }

    /// The rows a holder received under `references`, each with its list, by meeting day.
    public func verzuimoverlegMeetings(holder: String, references: [String]) async throws -> [VerzuimoverlegMeetingRecord] {
        guard !references.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT s.ref AS share_ref, l.unit AS school, l.meeting_date, l.as_of, i.list_id, i.holder, i.position, i.reference,
                   i.unauthorised_millionths, i.authorised_millionths, i.hour_unit, i.late_arrivals, i.sick_reports
            FROM verzuimoverleg_items i
            JOIN verzuimoverleg_shares s ON s.list_id = i.list_id AND s.recipient = i.holder
            JOIN verzuimoverleg_lists l ON l.id = i.list_id
            WHERE i.holder = \(bind: holder) AND i.reference IN (\(binds: references))
            ORDER BY l.meeting_date, l.created, s.ref
            """).all().map { row in
            VerzuimoverlegMeetingRecord(
                shareRef: try row.decode(column: "share_ref", as: String.self), school: try row.decode(column: "school", as: String.self),
                meetingDate: try row.decode(column: "meeting_date", as: String.self), asOf: try row.decode(column: "as_of", as: String.self),
                item: try Self.item(row, withPupil: false))
        }
    }
}
