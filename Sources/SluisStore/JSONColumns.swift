import Foundation
import SQLKit

/// Rows of other tables as JSON columns of one query, in SQL both databases run: PostgreSQL's
/// `json_agg` and `json_build_object`, SQLite's `json_group_array` and `json_object` (SQLite
/// 3.44+ for `ORDER BY` inside the aggregate). For reads where a statement per table would cost
/// more than the query: on PostgreSQL each statement is a round trip (docs/performance.md,
/// "PostgreSQL and a second instance"). An array is read as text, `[]` when no row matches.
struct JSONColumns {
    let postgres: Bool

    init(_ sql: any SQLDatabase) { postgres = sql.dialect.name == "postgresql" }

    /// An object of `table`'s columns, each under its own name (a record's `CodingKeys`), and
    /// `nested` arrays (`array(…)`) under theirs — embedded as JSON, not as text.
    func object(_ columns: [String], of table: String, nested: [(key: String, array: SQLQueryString)] = []) -> SQLQueryString {
        var pairs = columns.map { SQLQueryString("'\($0)', \(table).\($0)") }
        for (key, array) in nested { pairs.append(postgres ? "'\(unsafeRaw: key)', \(array)" : "'\(unsafeRaw: key)', json(\(array))") }
        return "\(unsafeRaw: postgres ? "json_build_object" : "json_object")(\(pairs.joined(separator: ", ")))"
    }

    /// A scalar subquery: `value` of each row of `from` that matches `condition`, in `order`, as
    /// a JSON array.
    func array(_ value: SQLQueryString, from: String, where condition: SQLQueryString, order: String) -> SQLQueryString {
        postgres
            ? "(SELECT COALESCE(json_agg(\(value) ORDER BY \(unsafeRaw: order)), '[]'::json) FROM \(unsafeRaw: from) WHERE \(condition))"
            : "(SELECT json_group_array(\(value) ORDER BY \(unsafeRaw: order)) FROM \(unsafeRaw: from) WHERE \(condition))"
    }

    /// An array as a column of the outermost select: text on both databases.
    func column(_ array: SQLQueryString, as name: String) -> SQLQueryString {
        postgres ? "\(array)::text AS \(unsafeRaw: name)" : "\(array) AS \(unsafeRaw: name)"
    }

    /// Decodes an array column as records of `table`. A value that does not fit is
    /// `StoreError.unreadable` naming the table and column, never the value.
    static func decode<R: Decodable>(_ type: R.Type, _ text: String, table: String) throws -> [R] {
        do {
            return try JSONDecoder().decode([R].self, from: Data(text.utf8))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoredRows.unreadable(error, table: table, columns: [:], inArray: true)
        }
    }
}
