public import SQLKit

/// The verzuimoverleg's lists (Bijlage 3.1): made by a school board, shared per recipient unit,
/// each holder reading only its own rows; and the recipients' own notes per reference.
extension GatewayStore {
    /// Adds a list with the school's own rows, on `sql` (inside the register append of the
    /// first share, so no list exists that went to nobody).
    public static func add(verzuimoverlegList list: VerzuimoverlegListRecord, items: [VerzuimoverlegItemRecord],
                           on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "verzuimoverleg_lists").columns("id", "unit", "meeting_date", "as_of", "created", "created_by")
            .values(list.id, list.unit, list.meetingDate, list.asOf, list.created, list.createdBy).run()
        try await add(verzuimoverlegItems: items, on: sql)
    }

    /// Shares a list with one recipient: its rows under its own references, and the share, on
    /// `sql` (inside the register append that records this disclosure).
    public static func add(verzuimoverlegShare share: VerzuimoverlegShareRecord, items: [VerzuimoverlegItemRecord],
                           on sql: any SQLDatabase) async throws {
        try await add(verzuimoverlegItems: items, on: sql)
        try await sql.insert(into: "verzuimoverleg_shares").columns("list_id", "recipient", "ref", "register_index", "created")
            .values(share.listID, share.recipient, share.ref, share.registerIndex, share.created).run()
    }

    static func add(verzuimoverlegItems items: [VerzuimoverlegItemRecord], on sql: any SQLDatabase) async throws {
        for start in stride(from: 0, to: items.count, by: absenceChunk) {
            let values: [[any SQLExpression]] = items[start..<min(start + absenceChunk, items.count)].map { item in
                [SQLBind(item.listID), SQLBind(item.holder), SQLBind(item.position), SQLBind(item.reference), SQLBind(item.pupilCipher),
                 SQLBind(item.unauthorisedMillionths), SQLBind(item.authorisedMillionths), SQLBind(item.hourUnit), SQLBind(item.lateArrivals),
                 SQLBind(item.sickReports)]
            }
            try await sql.insert(into: "verzuimoverleg_items")
                .columns("list_id", "holder", "position", "reference", "pupil_cipher", "unauthorised_millionths", "authorised_millionths",
                         "hour_unit", "late_arrivals", "sick_reports")
                .rows(values).run()
        }
    }

    /// A school board's lists, newest first.
    public func verzuimoverlegLists(unit: String, limit: Int = 100) async throws -> [VerzuimoverlegListRecord] {
        try await listQuery().where("unit", .equal, unit).orderBy("created", .descending).orderBy("id").limit(limit).all().map(Self.list)
    }

    /// One list, only if it is the unit's own.
    public func verzuimoverlegList(_ id: String, unit: String) async throws -> VerzuimoverlegListRecord? {
        try await listQuery().where("id", .equal, id).where("unit", .equal, unit).first().map(Self.list)
    }

    /// A list by its id, whoever made it (for a recipient that holds a share of it).
    public func verzuimoverlegList(_ id: String) async throws -> VerzuimoverlegListRecord? {
        try await listQuery().where("id", .equal, id).first().map(Self.list)
    }

    nonisolated func listQuery() -> SQLSelectBuilder {
        sql.select().columns("id", "unit", "meeting_date", "as_of", "created", "created_by").from("verzuimoverleg_lists")
    }

    static func list(_ row: any SQLRow) throws -> VerzuimoverlegListRecord {
        VerzuimoverlegListRecord(
            id: try row.decode(column: "id", as: String.self), unit: try row.decode(column: "unit", as: String.self),
            meetingDate: try row.decode(column: "meeting_date", as: String.self), asOf: try row.decode(column: "as_of", as: String.self),
            created: try row.decode(column: "created", as: String.self), createdBy: try row.decode(column: "created_by", as: String.self))
    }

    /// The rows of a list that one holder sees, in position order.
    public func verzuimoverlegItems(list id: String, holder: String) async throws -> [VerzuimoverlegItemRecord] {
        try await sql.select()
            .columns("list_id", "holder", "position", "reference", "pupil_cipher", "unauthorised_millionths", "authorised_millionths",
                     "hour_unit", "late_arrivals", "sick_reports")
            .from("verzuimoverleg_items").where("list_id", .equal, id).where("holder", .equal, holder).orderBy("position").all()
            .map { try Self.item($0, withPupil: true) }
    }

    /// A row of `verzuimoverleg_items`; without `pupil_cipher` where a query does not select it.
    static func item(_ row: any SQLRow, withPupil: Bool) throws -> VerzuimoverlegItemRecord {
        VerzuimoverlegItemRecord(
            listID: try row.decode(column: "list_id", as: String.self), holder: try row.decode(column: "holder", as: String.self),
            position: try row.decode(column: "position", as: Int.self), reference: try row.decode(column: "reference", as: String?.self),
            pupilCipher: withPupil ? try row.decode(column: "pupil_cipher", as: String?.self) : nil,
            unauthorisedMillionths: try row.decode(column: "unauthorised_millionths", as: Int64.self),
            authorisedMillionths: try row.decode(column: "authorised_millionths", as: Int64.self),
            hourUnit: try row.decode(column: "hour_unit", as: String?.self), lateArrivals: try row.decode(column: "late_arrivals", as: Int.self),
            sickReports: try row.decode(column: "sick_reports", as: Int.self))
    }

    /// Who a list was shared with.
    public func verzuimoverlegShares(list id: String) async throws -> [VerzuimoverlegShareRecord] {
        try await shareQuery().where("list_id", .equal, id).orderBy("recipient").all().map(Self.share)
    }

    /// The lists shared with a recipient unit, newest first.
    public func verzuimoverlegShares(recipient: String, limit: Int = 100) async throws -> [VerzuimoverlegShareRecord] {
        try await shareQuery().where("recipient", .equal, recipient).orderBy("created", .descending).orderBy("ref").limit(limit).all()
            .map(Self.share)
    }

    /// A share by the recipient's own id for the list.
    public func verzuimoverlegShare(ref: String) async throws -> VerzuimoverlegShareRecord? {
        try await shareQuery().where("ref", .equal, ref).first().map(Self.share)
    }

    nonisolated func shareQuery() -> SQLSelectBuilder {
        sql.select().columns("list_id", "recipient", "ref", "register_index", "created").from("verzuimoverleg_shares")
    }

    static func share(_ row: any SQLRow) throws -> VerzuimoverlegShareRecord {
        VerzuimoverlegShareRecord(
            listID: try row.decode(column: "list_id", as: String.self), recipient: try row.decode(column: "recipient", as: String.self),
            ref: try row.decode(column: "ref", as: String.self), registerIndex: try row.decode(column: "register_index", as: Int64.self),
            created: try row.decode(column: "created", as: String.self))
    }

    /// Whether a reference is on a list shared with the holder (its notes' only handle).
    public func holds(reference: String, holder: String) async throws -> Bool {
        try await sql.select().column("list_id").from("verzuimoverleg_items").where("holder", .equal, holder)
            .where("reference", .equal, reference).limit(1).first() != nil
    }

    public func add(verzuimoverlegNote note: VerzuimoverlegNoteRecord) async throws {
        try await sql.insert(into: "verzuimoverleg_notes").columns("id", "holder", "reference", "text_cipher", "written_by", "written_at")
            .values(note.id, note.holder, note.reference, note.textCipher, note.writtenBy, note.writtenAt).run()
    }

    /// A holder's own notes on its references, oldest first.
    public func verzuimoverlegNotes(holder: String, references: [String]) async throws -> [VerzuimoverlegNoteRecord] {
        guard !references.isEmpty else { return [] }
        return try await sql.select().columns("id", "holder", "reference", "text_cipher", "written_by", "written_at").from("verzuimoverleg_notes")
            .where("holder", .equal, holder).where("reference", .in, references).orderBy("written_at").orderBy("id").all().map { row in
                VerzuimoverlegNoteRecord(
                    id: try row.decode(column: "id", as: String.self), holder: try row.decode(column: "holder", as: String.self),
                    reference: try row.decode(column: "reference", as: String.self), textCipher: try row.decode(column: "text_cipher", as: String.self),
                    writtenBy: try row.decode(column: "written_by", as: String.self), writtenAt: try row.decode(column: "written_at", as: String.self))
            }
    }
}
