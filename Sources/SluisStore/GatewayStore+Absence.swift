public import SQLKit

/// A school board's absence registrations (contract absence.md; verzuimprotocol 5.3): always
/// read and written for one unit, never across units.
extension GatewayStore {
    /// Rows per INSERT: 7 binds each, well below both databases' bind-parameter limits.
    static let absenceChunk = 500

    /// Replaces the unit's registrations dated `from`…`to` (inclusive, `YYYY-MM-DD`) by `rows`
    /// and records the import, on `sql` — inside the register append that records the import,
    /// so the replacement, the import row and the register entry commit together or not at all.
    /// - Returns: how many stored registrations the period held before (now replaced).
    public static func replaceAbsence(_ rows: [AbsenceRow], import record: AbsenceImportRecord, on sql: any SQLDatabase) async throws -> Int {
        var replaced = 0
        if let from = record.from, let to = record.to {
            let counted = try await sql.raw("""
                SELECT COUNT(*) AS n FROM absence_registrations WHERE unit = \(bind: record.unit) AND day >= \(bind: from) AND day <= \(bind: to)
                """).first()
            replaced = try counted?.decode(column: "n", as: Int.self) ?? 0
            try await sql.delete(from: "absence_registrations").where("unit", .equal, record.unit)
                .where("day", .greaterThanOrEqual, from).where("day", .lessThanOrEqual, to).run()
        }
        for start in stride(from: 0, to: rows.count, by: absenceChunk) {
            let values: [[any SQLExpression]] = rows[start..<min(start + absenceChunk, rows.count)].map { row in
                [SQLBind(row.unit), SQLBind(row.day), SQLBind(row.kind), SQLBind(row.hoursMillionths), SQLBind(row.hourUnit),
                 SQLBind(row.pupilCipher), SQLBind(record.id)]
            }
            try await sql.insert(into: "absence_registrations")
                .columns("unit", "day", "kind", "hours_millionths", "hour_unit", "pupil_cipher", "import_id").rows(values).run()
        }
        var stored = record
        stored.replaced = replaced
        try await sql.insert(into: "absence_imports")
            .columns("id", "unit", "delegate", "imported_at", "first_day", "last_day", "registrations", "pupils", "replaced", "register_index")
            .values(stored.id, stored.unit, stored.delegate, stored.importedAt, stored.from, stored.to, stored.registrations, stored.pupils,
                    stored.replaced, stored.registerIndex).run()
        return replaced
    }

    /// Every registration of one unit, by day.
    public func absence(unit: String) async throws -> [AbsenceRow] {
        try await sql.select().columns("unit", "day", "kind", "hours_millionths", "hour_unit", "pupil_cipher").from("absence_registrations")
            .where("unit", .equal, unit).orderBy("day").all().map { row in
                AbsenceRow(unit: try row.decode(column: "unit", as: String.self), day: try row.decode(column: "day", as: String.self),
                           kind: try row.decode(column: "kind", as: String.self),
                           hoursMillionths: try row.decode(column: "hours_millionths", as: Int64?.self),
                           hourUnit: try row.decode(column: "hour_unit", as: String?.self),
                           pupilCipher: try row.decode(column: "pupil_cipher", as: String.self))
            }
    }

    /// One import record.
    public func absenceImport(_ id: String) async throws -> AbsenceImportRecord? {
        try await sql.select()
            .columns("id", "unit", "delegate", "imported_at", "first_day", "last_day", "registrations", "pupils", "replaced", "register_index")
            .from("absence_imports").where("id", .equal, id).first()
            .map { row in
                AbsenceImportRecord(
                    id: try row.decode(column: "id", as: String.self), unit: try row.decode(column: "unit", as: String.self),
                    delegate: try row.decode(column: "delegate", as: String.self), importedAt: try row.decode(column: "imported_at", as: String.self),
                    from: try row.decode(column: "first_day", as: String?.self), to: try row.decode(column: "last_day", as: String?.self),
                    registrations: try row.decode(column: "registrations", as: Int.self), pupils: try row.decode(column: "pupils", as: Int.self),
                    replaced: try row.decode(column: "replaced", as: Int.self), registerIndex: try row.decode(column: "register_index", as: Int64.self))
            }
    }
}
