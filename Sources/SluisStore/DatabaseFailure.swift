import PostgresKit
import SQLiteKit

/// A database driver's error, described for the operator's log: what failed and the server's
/// own words, never the values involved. Like postgres-nio's `PSQLError`, whose description
/// hides everything, nothing of this reaches an API answer; unlike it, the operator does learn
/// the cause. From PostgreSQL: the error kind, SQLSTATE, and the primary message — except for
/// class 22 (data exceptions), whose messages quote the offending value — but never DETAIL
/// (where PostgreSQL quotes key values), HINT, the query or its bindings. From SQLite: the
/// result code and `sqlite3_errmsg`, which names tables and constraints, not values. Sluis's
/// own `StoreError` counts too.
public struct DatabaseFailure: Sendable, CustomStringConvertible {
    public let description: String

    /// Nil when `error` is not a database driver's error.
    public init?(_ error: any Error) {
        switch error {
        case let error as PSQLError:
            var parts = ["PostgreSQL \(error.code)"]
            if let state = error.serverInfo?[.sqlState] {
                parts.append("SQLSTATE \(state)")
                if !state.hasPrefix("22"), let message = error.serverInfo?[.message] { parts.append(message) }
            }
            description = parts.joined(separator: ": ")
        case let error as PostgresDecodingError:
            description = "PostgreSQL row decoding \(error.code): column \(error.columnName) as \(error.targetType)"
        case let error as SQLiteError:
            description = "SQLite \(error)"
        case let error as StoreError:
            // Sluis's own words about its store (no values by construction).
            description = error.description
        default:
            return nil
        }
    }
}
