import Foundation

/// Where the store lives: a SQLite file (the embedded default, `var/sluis.sqlite`) or a
/// PostgreSQL server for deployments with several gateway instances.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public static let defaultSQLitePath = "var/sluis.sqlite"

    /// `sqlite:PATH`, a plain path, or `postgres://user:password@host:port/database`.
    public init(_ text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StoreError.configuration("sqlite: needs a file path") }
            self = .sqlite(path: path)
        } else if text.contains("://") {
            throw StoreError.configuration("unknown database URL scheme (use sqlite:PATH or postgres://…)")
        } else {
            self = .sqlite(path: text)
        }
    }

    /// `--db`, else `$SLUIS_DATABASE_URL`, else the SQLite default.
    public static func resolve(_ option: String?) throws -> DatabaseLocation {
        try DatabaseLocation(option ?? ProcessInfo.processInfo.environment["SLUIS_DATABASE_URL"] ?? defaultSQLitePath)
    }

    /// Never shows a password.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://…"
        }
    }
}

/// Store failures. Descriptions name the operation and never carry row content.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case configuration(String)
    case database(String)
    case integrity(String)
    /// A stored row that does not fit its record: a value outside the column's vocabulary, of
    /// another type, or empty. Names the table and column, never the value.
    case unreadable(table: String, column: String?, problem: String)

    public var description: String {
        switch self {
        case .configuration(let what): "database configuration: \(what)"
        case .database(let what): "database: \(what)"
        case .integrity(let what): "register integrity: \(what)"
        case .unreadable(let table, let column, let problem): "database: table \(table)\(column.map { ", column \($0)" } ?? ""): \(problem)"
        }
    }
}
