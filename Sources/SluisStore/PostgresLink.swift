import Logging
import NIOCore
import PostgresKit
import SQLKit
import Synchronization

/// The store's PostgreSQL connection that outlives a database restart: when the server closed
/// the connection (stopped, restarted, failed over), the next statement outside a transaction
/// opens a new one, so the gateway recovers without being restarted (issue 14 item 3,
/// docs/reliability.md). While the server is away each statement fails at once with the
/// driver's error (`DatabaseFailure`: 503), bounded by the connect timeout (10 s).
///
/// Never inside a transaction: from `pin()` to `unpin()` statements go to the connection the
/// transaction began on, and fail if it is gone — a statement of a half-done transaction must
/// not run, autocommitted, on a new connection (fail closed: all of it or none).
final class PostgresLink: SQLDatabase, @unchecked Sendable {
    private struct State {
        var connection: PostgresConnection
        var sql: any SQLDatabase
        /// Open transactions; no reconnect while > 0.
        var pinned = 0
        /// The reconnect in progress, shared by all who find the connection closed.
        var reconnecting: Task<Void, any Error>?
        /// Prepared-read slots that failed on this connection: run unprepared here from then on.
        /// postgres-nio (1.33) keeps a failed prepare's error for the connection's life, so one
        /// lock timeout while preparing would otherwise fail that read until a restart (a
        /// review's finding; docs/reliability.md). A new connection prepares again.
        var unprepared: Set<Int> = []
    }

    private let state: Mutex<State>
    private let connect: @Sendable () async throws -> PostgresConnection
    let logger: Logger

    /// `connect` opens a connection and prepares its session (e.g. the search path); it throws
    /// `StoreError.database` when the server cannot be reached.
    static func open(logger: Logger, connect: @escaping @Sendable () async throws -> PostgresConnection) async throws -> PostgresLink {
        PostgresLink(first: try await connect(), logger: logger, connect: connect)
    }

    private init(first: PostgresConnection, logger: Logger, connect: @escaping @Sendable () async throws -> PostgresConnection) {
        state = Mutex(State(connection: first, sql: first.sql(queryLogLevel: nil)))
        self.connect = connect
        self.logger = logger
    }

    var eventLoop: any EventLoop { state.withLock { $0.connection.eventLoop } }
    var dialect: any SQLDialect { PostgresDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        // A hot read runs as a named prepared statement (`PreparedReads`) when it qualifies.
        if let read = query as? PreparedReads.Read {
            let connection = try await currentConnection()
            let skip = state.withLock { $0.connection === connection ? $0.unprepared : [] }
            if try await PreparedReads.run(read, database: self, on: connection, logger: logger, skipping: skip, failed: { slot in
                self.state.withLock { if $0.connection === connection { _ = $0.unprepared.insert(slot) } }
            }, onRow) { return }
        }
        try await current().execute(sql: query, onRow)
    }

    /// Begins a transaction's span: reconnects first if the connection is gone, then holds it.
    func pin() async throws {
        _ = try await current()
        state.withLock { $0.pinned += 1 }
    }

    func unpin() { state.withLock { $0.pinned -= 1 } }

    func close() async throws {
        let connection = state.withLock { $0.connection }
        if !connection.isClosed { try await connection.close() }
    }

    /// The open connection, or a new one when the server closed it and no transaction is open.
    private func current() async throws -> any SQLDatabase { try await open().sql }

    private func currentConnection() async throws -> PostgresConnection { try await open().connection }

    private func open() async throws -> (connection: PostgresConnection, sql: any SQLDatabase) {
        while true {
            let (sql, task): ((connection: PostgresConnection, sql: any SQLDatabase)?, Task<Void, any Error>?) = try state.withLock { state in
                if !state.connection.isClosed { return ((state.connection, state.sql), nil) }
                // Closed inside a transaction: fail now. postgres-nio (1.33) writes a statement to
                // a closed channel without failing it, so sending it would wait for ever (a
                // statement in flight when the server goes away does fail). The server rolled
                // the transaction back; the next transaction reconnects.
                if state.pinned > 0 { throw StoreError.database("PostgreSQL closed the connection inside a transaction (rolled back)") }
                if let running = state.reconnecting { return (nil, running) }
                let task = Task { try await self.replace() }
                state.reconnecting = task
                return (nil, task)
            }
            if let sql { return sql }
            try await task!.value
        }
    }

    private func replace() async throws {
        defer { state.withLock { $0.reconnecting = nil } }
        let fresh = try await connect()
        state.withLock { state in
            state.connection = fresh
            state.unprepared = []
            state.sql = fresh.sql(queryLogLevel: nil)
        }
        logger.notice("sluis.store: reconnected to PostgreSQL")
    }
}
