import Logging
import PostgresKit
import SQLKit
import Synchronization

/// The hot reads of a disclosure as named prepared statements on PostgreSQL: parsed and
/// planned once per connection instead of on every execution — planning was two thirds of the
/// time PostgreSQL spent inside a disclosure's statements (docs/performance.md, "PostgreSQL and
/// a second instance"). A read opts in by being run as `PreparedReads.rows(_:on:)`; on SQLite,
/// and on PostgreSQL when a read does not qualify, it runs as an ordinary statement.
///
/// PostgresNIO's `PostgresPreparedStatement` names its SQL statically, per type: a read gets one
/// of a few slot types the first time it is run, and keeps it for the life of the process (its
/// text never changes). Failures are PostgresNIO's `PSQLError`, as for every other statement
/// (`DatabaseFailure`, the 503 of a lost connection).
enum PreparedReads {
    /// A read to prepare: `query` as written for both databases.
    struct Read: SQLExpression {
        let query: SQLQueryString
        func serialize(to serializer: inout SQLSerializer) { query.serialize(to: &serializer) }
    }

    /// The rows of `query`, prepared on PostgreSQL.
    static func rows(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> [any SQLRow] {
        let rows = Mutex<[any SQLRow]>([])
        try await sql.execute(sql: Read(query: query)) { row in rows.withLock { $0.append(row) } }
        return rows.withLock { $0 }
    }

    /// The texts given a slot so far, by slot index.
    private static let texts = Mutex<[String]>([])
    private static let slots: [any Slot.Type] = [Slot0.self, Slot1.self, Slot2.self, Slot3.self, Slot4.self, Slot5.self, Slot6.self, Slot7.self]

    static func text(_ slot: Int) -> String { texts.withLock { $0[slot] } }

    /// Runs `read` as a prepared statement on `connection`; false when it does not qualify (a
    /// bind that is not text, no slot left, or its slot in `skipping`): then nothing was sent.
    /// When it fails, `failed` is told its slot — the caller runs it unprepared on that
    /// connection from then on — and the error is thrown as any statement's.
    static func run(_ read: Read, database: any SQLDatabase, on connection: PostgresConnection, logger: Logger,
                    skipping: Set<Int> = [], failed: (Int) -> Void = { _ in },
                    _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws -> Bool {
        var serializer = SQLSerializer(database: database)
        read.serialize(to: &serializer)
        let text = serializer.sql
        var binds: [String] = []
        for bind in serializer.binds {
            guard let value = bind as? String else { return false }
            binds.append(value)
        }
        let slot: Int? = texts.withLock { texts in
            if let index = texts.firstIndex(of: text) { return index }
            guard texts.count < slots.count else { return nil }
            texts.append(text)
            return texts.count - 1
        }
        guard let slot, !skipping.contains(slot) else { return false }
        do {
            try await execute(slots[slot], binds: binds, on: connection, logger: logger, onRow)
        } catch {
            failed(slot)
            throw error
        }
        return true
    }

    private static func execute<S: Slot>(_: S.Type, binds: [String], on connection: PostgresConnection, logger: Logger,
                                         _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        for try await row in try await connection.execute(Statement<S>(binds: binds), logger: logger) { onRow(row.sql()) }
    }

    /// A prepared read in slot `S`: its text is the slot's.
    struct Statement<S: Slot>: PostgresPreparedStatement {
        typealias Row = PostgresRow
        static var name: String { "sluis_read_\(S.index)" }
        static var sql: String { PreparedReads.text(S.index) }
        let binds: [String]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: binds.count)
            for bind in binds { try bindings.append(bind) }
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    protocol Slot: Sendable { static var index: Int { get } }
    enum Slot0: Slot { static let index = 0 }
    enum Slot1: Slot { static let index = 1 }
    enum Slot2: Slot { static let index = 2 }
    enum Slot3: Slot { static let index = 3 }
    enum Slot4: Slot { static let index = 4 }
    enum Slot5: Slot { static let index = 5 }
    enum Slot6: Slot { static let index = 6 }
    enum Slot7: Slot { static let index = 7 }
}
