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
    /// The database's storage is full: SQLite's SQLITE_FULL (the disk or the file system refused
    /// to grow the file or its WAL), PostgreSQL's SQLSTATE 53100 disk_full. Nothing was
    /// written; it clears when space returns (docs/reliability.md).
    public private(set) var storageFull: Bool

    /// Nil when `error` is not a database driver's error.
    public init?(_ error: any Error) {
        storageFull = false
        switch error {
        case let error as PSQLError:
            var parts = ["PostgreSQL \(error.code)"]
            if let state = error.serverInfo?[.sqlState] {
                storageFull = state == "53100"
                parts.append("SQLSTATE \(state)")
                if !state.hasPrefix("22"), let message = error.serverInfo?[.message] { parts.append(message) }
            }
            description = parts.joined(separator: ": ")
        case let error as PostgresDecodingError:
            description = "PostgreSQL row decoding \(error.code): column \(error.columnName) as \(error.targetType)"
        case let error as SQLiteError:
            storageFull = error.reason == .full
            description = "SQLite \(error)"
        case let error as StoreError:
            // Sluis's own words about its store (no values by construction).
            description = error.description
        default:
            return nil
        }
    }
}
