import Foundation
import SQLKit
import Synchronization
import Testing
@testable import SluisStore

/// Issue 14 item 3 (docs/reliability.md): PostgreSQL restarted under Sluis. The server closing
/// a connection is done here by `pg_terminate_backend` on that connection's own backend (what a
/// restart does to every connection), so that tests running beside it are not touched.
@Suite struct PostgresReconnectTests {

    /// Ends the server side of `connection`'s session from a second connection, and waits until
    /// the server has let it go.
    func terminate(_ connection: StoreConnection, at location: DatabaseLocation) async throws {
        let pid = try #require(try await connection.sql.raw("SELECT pg_backend_pid() AS pid").first()?.decode(column: "pid", as: Int32.self))
        let other = try await StoreConnection.open(location)
        defer { Task { try? await other.close() } }
        try await other.sql.raw("SELECT pg_terminate_backend(\(bind: pid))").run()
        for _ in 0..<200 {
            let left = try await other.sql.raw("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = \(bind: pid)").first()?
                .decode(column: "n", as: Int64.self)
            if left == 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("issue 14 item 3: after PostgreSQL closed its connection the register appends again without a restart of Sluis",
          .enabled(if: Backend.postgresURL != nil))
    func registerRecoversAfterTheServerClosedItsConnection() async throws {
        try await withFreshStore(.postgres) { store, location in
            _ = try await store.append(sampleEntry(0))
            try await terminate(store.connection, at: location)
            // The first statement may still meet the closed connection (a database failure,
            // 503 to a client); the next one reconnects.
            var failures = 0
            for n in 1...3 {
                do {
                    _ = try await store.append(sampleEntry(n))
                } catch {
                    #expect(DatabaseFailure(error) != nil, "a driver's error, answered as 503: \(error)")
                    failures += 1
                }
            }
            #expect(failures <= 1)
            let report = try await store.verifyAll()
            #expect(report.problem == nil && report.entries == Int64(4 - failures))
        }
    }
}

extension PostgresReconnectTests {
    @Test("issue 14 item 3: a backend ended inside a transaction fails the transaction's next statement at once (no hang, no autocommit on a new connection)",
          .enabled(if: Backend.postgresURL != nil))
    func backendEndedInsideATransactionFailsTheRest() async throws {
        try await withFreshStore(.postgres) { store, location in
            let connection = try await StoreConnection.open(location)
            defer { Task { try? await connection.close() } }
            try await connection.sql.raw("CREATE TABLE IF NOT EXISTS reconnect_probe (n integer)").run()
            let started = ContinuousClock.now
            let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
                let once = OnceFlag()
                Task {
                    do {
                        try await connection.transaction {
                            try await connection.sql.raw("INSERT INTO reconnect_probe VALUES (1)").run()
                            try await terminate(connection, at: location)
                            try await connection.sql.raw("INSERT INTO reconnect_probe VALUES (2)").run()
                        }
                        if once.take() { continuation.resume(returning: "committed") }
                    } catch {
                        if once.take() { continuation.resume(returning: "failed") }
                    }
                }
                Task {
                    try? await Task.sleep(for: .seconds(20))
                    if once.take() { continuation.resume(returning: "hung") }
                }
            }
            #expect(outcome == "failed", "after \(ContinuousClock.now - started)")
            // Nothing of the transaction is in the table; the connection serves again.
            let rows = try await connection.sql.raw("SELECT count(*) AS n FROM reconnect_probe").first()?.decode(column: "n", as: Int64.self)
            #expect(rows == 0)
            _ = store
        }
    }
}

/// True for the first caller only.
final class OnceFlag: Sendable {
    private let taken = Mutex(false)
    func take() -> Bool { taken.withLock { value in defer { value = true }; return !value } }
}
