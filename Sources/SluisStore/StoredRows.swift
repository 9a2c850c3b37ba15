import SQLKit

/// Rows read as Codable models (SQLKit's `SQLRow.decode(model:)`), the columns named by each
/// record's snake_case `CodingKeys` (`case caseID = "case_id"`). Explicit keys, not a key
/// decoding strategy: SQLKit applies a strategy on every column access, which cost about 7 % of
/// the gateway's CPU time per disclosure (docs/performance.md). The queries a disclosure runs
/// are SQL text with binds, their select lists made from the same keys (`list`): SQLKit's query
/// builders spend more on quoting identifiers than SQLite spends on running the query.
enum StoredRows {
    /// The select list of a record's columns: `id, case_id, …`.
    static func list<Key: RawRepresentable<String>>(_ keys: [Key]) -> String {
        keys.map(\.rawValue).joined(separator: ", ")
    }

    /// What went wrong, naming the column but never the stored value (it may be personal data).
    /// `inArray`: the error is of a JSON array of records (`JSONColumns`), not of a row.
    static func unreadable(_ error: any Error, table: String, columns: [String: String], inArray: Bool = false) -> StoreError {
        // A row's column is the first key of the path (a driver may add keys of its own after
        // it); in an array of objects it is the last key that is not a position.
        func column(_ context: DecodingError.Context) -> (any CodingKey)? {
            inArray ? context.codingPath.last { $0.intValue == nil } : context.codingPath.first
        }
        let (key, problem): ((any CodingKey)?, String)
        switch error as? DecodingError {
        case .dataCorrupted(let context): (key, problem) = (column(context), "holds a value outside its vocabulary or format")
        case .typeMismatch(_, let context): (key, problem) = (column(context), "holds a value of another type")
        case .valueNotFound(_, let context): (key, problem) = (column(context), "is empty (NULL)")
        case .keyNotFound(let missing, _): (key, problem) = (missing, "is missing from the query")
        default: (key, problem) = (nil, "cannot be read")
        }
        return .unreadable(table: table, column: key.map { columns[$0.stringValue] ?? $0.stringValue }, problem: problem)
    }
}

extension SQLRow {
    /// This row as `R`, read from `table`. Throws `StoreError.unreadable` naming the table and
    /// column when a value does not fit — a status outside its vocabulary, say. `columns` names
    /// the real column of a key the query aliased (a join table read as `owner`, `value`).
    /// `prefix`: the columns are the keys with it in front (a join that reads several records).
    func decode<R: Decodable>(_ type: R.Type, table: String, columns: [String: String] = [:], prefix: String? = nil) throws -> R {
        do {
            return try prefix.map { try decode(model: R.self, prefix: $0) } ?? decode(model: R.self)
        } catch {
            throw StoredRows.unreadable(error, table: table, columns: columns)
        }
    }
}
