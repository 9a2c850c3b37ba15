import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit

/// Several PostgreSQL connections behind one `SQLDatabase`: each statement goes to the member
/// with the fewest statements in flight. PostgresNIO runs one statement at a time on a
/// connection (no pipelining), so requests sharing one connection wait a network round trip per
/// statement in one queue — the PostgreSQL gateway's ceiling before this pool
/// (docs/performance.md, "PostgreSQL and a second instance").
///
/// Only for statements that stand alone (autocommit): a BEGIN, the statements after it and its
/// COMMIT may each land on another member, so transactions run on a `StoreConnection` of their
/// own (`GatewayStore.transaction`, `RegisterStore`), never here.
final class PooledDatabase: SQLDatabase {
    private let members: [any SQLDatabase]
    /// Statements in flight per member.
    private let load: NIOLockedValueBox<[Int]>

    /// - Parameter members: at least one connection; statements are spread over them.
    init(_ members: [any SQLDatabase]) {
        precondition(!members.isEmpty, "a pool of no connections")
        self.members = members
        load = NIOLockedValueBox(Array(repeating: 0, count: members.count))
    }

    var logger: Logger { members[0].logger }
    var eventLoop: any EventLoop { members[0].eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { members[0].version }
    var dialect: any SQLDialect { members[0].dialect }
    var queryLogLevel: Logger.Level? { members[0].queryLogLevel }

    private func take() -> Int {
        load.withLockedValue { load in
            let index = load.indices.min { load[$0] < load[$1] }!
            load[index] += 1
            return index
        }
    }

    private func give(_ index: Int) { load.withLockedValue { $0[index] -= 1 } }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        let index = take()
        return members[index].execute(sql: query, onRow).always { _ in self.give(index) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        let index = take()
        defer { give(index) }
        try await members[index].execute(sql: query, onRow)
    }
}
