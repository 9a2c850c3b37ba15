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
    /// PostgreSQL's reconnecting connection (nil on SQLite): transactions pin it.
    private let link: PostgresLink?
    private let closer: @Sendable () async throws -> Void

    private init(kind: Kind, sql: any SQLDatabase, link: PostgresLink? = nil, closer: @escaping @Sendable () async throws -> Void) {
        self.kind = kind
        self.sql = sql
        self.link = link
        self.closer = closer
    }

    public static func open(_ location: DatabaseLocation) async throws -> StoreConnection {
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
            // `?schema=NAME` keeps Sluis's tables in their own schema (created when missing).
            let schema = URLComponents(string: url)?.queryItems?.first(where: { $0.name == "schema" })?.value
            if let schema, schema.isEmpty || !schema.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }) {
                throw StoreError.configuration("schema names are lowercase letters, digits and _")
            }
            let core = configuration.coreConfiguration
            let logger = logger
            // Each (re)connection sets its session up the same way (PostgresLink reconnects
            // after a database restart).
            let sql = try await PostgresLink.open(logger: logger) {
                let connection: PostgresConnection
                do {
                    connection = try await PostgresConnection.connect(configuration: core, id: 1, logger: logger)
                } catch {
                    throw StoreError.database("cannot connect to PostgreSQL at \(location)")
                }
                guard let schema else { return connection }
                do {
                    let session = connection.sql(queryLogLevel: nil)
                    try await session.raw(SQLQueryString("CREATE SCHEMA IF NOT EXISTS \(ident: schema)")).run()
                    try await session.raw(SQLQueryString("SET search_path TO \(ident: schema)")).run()
                } catch {
                    try? await connection.close()
                    throw StoreError.database("cannot use schema \(schema)")
                }
                return connection
            }
            return StoreConnection(kind: .postgres, sql: sql, link: sql) { try await sql.close() }
        }
    }

    public func close() async throws { try await closer() }

    /// Runs `body` in a transaction; rolls back on any error. The SQLite transaction takes the
    /// write lock at once (IMMEDIATE), so two writers never interleave. On PostgreSQL the
    /// transaction holds its connection: if the server goes away mid-way, the rest fails
    /// rather than running on a new connection (`PostgresLink`).
    func transaction<R>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> R) async throws -> R {
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
