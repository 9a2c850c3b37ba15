import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// One database connection behind SQLKit, so that the store's SQL is written once for both
/// SQLite and PostgreSQL. Transactions are plain BEGIN/COMMIT on this single connection.
public final class StoreConnection: Sendable {
    public enum Kind: Sendable { case sqlite, postgres }

    public let kind: Kind
    let sql: any SQLDatabase
    /// Each connection behind `sql`, for settings of a session (tests); one unless pooled.
    let members: [any SQLDatabase]
    /// Several connections behind `sql`: statements that stand alone only, no transaction.
    var pooled: Bool { members.count > 1 }
    /// PostgreSQL's reconnecting connection when not pooled (nil on SQLite): transactions pin it.
    private let link: PostgresLink?
    private let closer: @Sendable () async throws -> Void

    private init(kind: Kind, sql: any SQLDatabase, members: [any SQLDatabase]? = nil, link: PostgresLink? = nil,
                 closer: @escaping @Sendable () async throws -> Void) {
        self.kind = kind
        self.sql = sql
        self.members = members ?? [sql]
        self.link = link
        self.closer = closer
    }

    /// Opens one connection; with `pooled` on PostgreSQL several (`?connections=N`, default
    /// `defaultPoolSize`) behind one `SQLDatabase` for statements that stand alone — such a
    /// connection runs no transaction (`transaction` throws). SQLite always has one connection.
    public static func open(_ location: DatabaseLocation, pooled: Bool = false) async throws -> StoreConnection {
        var logger = Logger(label: "sluis.store")
        logger.logLevel = .warning
        switch location {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // The file holds the register and the gateway's tables: its owner only (0600), also
            // when an older version left it readable; SQLite gives the -wal and -shm files the
            // database file's permissions.
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            // Each connection gets a thread of its own: two connections on one file must not
            // wait for each other's locks on a shared pool (one would hold the only thread
            // that can commit what the other is waiting for).
            let threads = NIOThreadPool(numberOfThreads: 1)
            threads.start()
            let connection: SQLiteConnection
            do {
                connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threads, logger: logger,
                                                             on: MultiThreadedEventLoopGroup.singleton.any())
            } catch {
                try? await threads.shutdownGracefully()
                throw StoreError.database("cannot open the SQLite file \(path)")
            }
            let sql = connection.sql(queryLogLevel: nil)
            // WAL with FULL sync: a commit is on disk when it returns (an acknowledged entry
            // survives a crash); readers do not block the writer. secure_delete: what a delete
            // removes is overwritten with zeros in the file, not left in free space (art. 9.2:
            // destroyed means gone; docs/retention.md).
            do {
                for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=10000",
                               "PRAGMA foreign_keys=ON", "PRAGMA secure_delete=ON"] {
                    try await sql.raw(SQLQueryString(pragma)).run()
                }
            } catch {
                try? await connection.close()
                try? await threads.shutdownGracefully()
                throw StoreError.database("cannot use the SQLite file \(path) (not a database, or locked)")
            }
            return StoreConnection(kind: .sqlite, sql: sql) {
                try await connection.close()
                try await threads.shutdownGracefully()
            }
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw StoreError.configuration("cannot read the PostgreSQL URL \(location)")
            }
            let items = URLComponents(string: url)?.queryItems ?? []
            // `?schema=NAME` keeps Sluis's tables in their own schema (created when missing).
            let schema = items.first(where: { $0.name == "schema" })?.value
            if let schema {
                guard !schema.isEmpty, schema.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }) else {
                    throw StoreError.configuration("schema names are lowercase letters, digits and _")
                }
            }
            var count = 1
            if pooled {
                // `?connections=N` (1–64, default 4): the pool for statements that stand alone.
                let text = items.first(where: { $0.name == "connections" })?.value ?? String(Self.defaultPoolSize)
                guard let value = Int(text), (1...64).contains(value) else {
                    throw StoreError.configuration("connections is a number of PostgreSQL connections from 1 to 64")
                }
                count = value
            }
            // Every member reconnects after a database restart (PostgresLink), each setting its
            // session up the same way.
            let logger = logger
            var links: [PostgresLink] = []
            do {
                for id in 1...count {
                    links.append(try await PostgresLink.open(logger: logger) {
                        try await connect(configuration, schema: schema, id: id, logger: logger, location: location)
                    })
                }
            } catch {
                for link in links { try? await link.close() }
                throw error
            }
            let opened = links
            let members: [any SQLDatabase] = opened
            return StoreConnection(kind: .postgres, sql: count == 1 ? opened[0] : PooledDatabase(members), members: members,
                                   link: count == 1 ? opened[0] : nil) {
                for link in opened { try await link.close() }
            }
        }
    }

    /// Connections in a pooled PostgreSQL store (`open(_:pooled:)`) unless the URL names
    /// `connections`: a few statements in flight for two cores' worth of requests; not yet tuned
    /// by measurement (docs/performance.md, "PostgreSQL and a second instance").
    public static let defaultPoolSize = 4

    private static func connect(_ configuration: SQLPostgresConfiguration, schema: String?, id: Int, logger: Logger,
                                location: DatabaseLocation) async throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration.coreConfiguration, id: id, logger: logger)
        } catch {
            throw StoreError.database("cannot connect to PostgreSQL at \(location)")
        }
        guard let schema else { return connection }
        let sql = connection.sql(queryLogLevel: nil)
        do {
            try await sql.raw(SQLQueryString("CREATE SCHEMA IF NOT EXISTS \(ident: schema)")).run()
            try await sql.raw(SQLQueryString("SET search_path TO \(ident: schema)")).run()
        } catch {
            try? await connection.close()
            throw StoreError.database("cannot use schema \(schema)")
        }
        return connection
    }

    public func close() async throws { try await closer() }

    /// Runs `body` in a transaction; rolls back on any error. The SQLite transaction takes the
    /// write lock at once (IMMEDIATE), so two writers never interleave. On PostgreSQL the
    /// transaction holds its connection: if the server goes away mid-way, the rest fails
    /// rather than running on a new connection (`PostgresLink`).
    func transaction<R>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> R) async throws -> R {
        // On a pool BEGIN and COMMIT could reach different connections.
        guard !pooled else { throw StoreError.database("a transaction on pooled connections") }
        try await link?.pin()
        defer { link?.unpin() }
        try await sql.raw(kind == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
        do {
            let result = try await body()
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }
}
