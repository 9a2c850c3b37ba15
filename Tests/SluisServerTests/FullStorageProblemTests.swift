import Foundation
import HTTPTypes
import SQLKit
import Testing
@testable import SluisGateway
@testable import SluisServer
@testable import SluisStore

/// Issue 14 item 3 (docs/reliability.md): a full disk refuses with a 503 that says the storage
/// is full, whether the register's append or another statement met it. The full disk is real
/// SQLite's SQLITE_FULL, reached with `PRAGMA max_page_count` (the file may not grow).
@Suite struct FullStorageProblemTests {
    /// The error SQLite raises when its file may not grow any more.
    static func fullStorageError() async throws -> any Error {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-full-\(UUID().uuidString).sqlite").path
        let connection = try await StoreConnection.open(.sqlite(path: path))
        defer {
            Task { try? await connection.close(); for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        }
        try await connection.sql.raw("CREATE TABLE filler (b BLOB)").run()
        let pages = try #require(try await connection.sql.raw("PRAGMA page_count").first()?.decode(column: "page_count", as: Int.self))
        try await connection.sql.raw(SQLQueryString("PRAGMA max_page_count = \(unsafeRaw: String(pages + 2))")).run()
        for _ in 0..<100 {
            do {
                try await connection.sql.raw("INSERT INTO filler VALUES (zeroblob(4096))").run()
            } catch {
                return error
            }
        }
        Issue.record("SQLite never reported a full database")
        throw CancellationError()
    }

    @Test("issue 14 item 3: SQLITE_FULL is a database failure marked as full storage")
    func sqliteFullIsStorageFull() async throws {
        let failure = try #require(DatabaseFailure(try await Self.fullStorageError()))
        #expect(failure.storageFull)
    }

    @Test("issue 14 item 3: a register that cannot be written for a full disk answers 503 saying the storage is full")
    func registerOnAFullDiskSaysSo() async throws {
        let cause = try await Self.fullStorageError()
        let problem = Problem.from(GatewayError.unavailable(.registerUnavailable, "the processing register cannot be written; nothing was disclosed",
                                                            cause: cause))
        #expect(problem.status == .serviceUnavailable && problem.code == GatewayError.Code.registerUnavailable.rawValue)
        #expect(problem.detail.contains("storage is full"))
        let direct = Problem.from(cause)
        #expect(direct.status == .serviceUnavailable && direct.code == Problem.Code.databaseUnavailable.rawValue)
        #expect(direct.detail.contains("storage is full"))
    }
}
