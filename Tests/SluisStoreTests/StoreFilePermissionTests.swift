import Foundation
import Testing
@testable import SluisStore

/// Privacy in our own house (art. 15; AVG art. 32): the SQLite file holds the register and the
/// gateway's tables — readable by its owner only.
@Suite("SQLite file permissions")
struct StoreFilePermissionTests {
    func permissions(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("AVG art. 32: a new SQLite file and its -wal and -shm files are 0600; an older file left 0644 is tightened on open")
    func avgArt32_sqliteFileIsOwnerOnly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-perm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fresh = directory.appendingPathComponent("fresh.sqlite").path
        let store = try await GatewayStore.open(.sqlite(path: fresh))
        for path in [fresh, fresh + "-wal", fresh + "-shm"] where FileManager.default.fileExists(atPath: path) {
            #expect(try permissions(path) == 0o600, "\(path)")
        }
        #expect(FileManager.default.fileExists(atPath: fresh + "-wal"), "WAL mode makes a -wal file, which must be checked too")
        try await store.close()
        let old = directory.appendingPathComponent("old.sqlite").path
        _ = FileManager.default.createFile(atPath: old, contents: nil, attributes: [.posixPermissions: 0o644])
        let reopened = try await GatewayStore.open(.sqlite(path: old))
        #expect(try permissions(old) == 0o600)
        try await reopened.close()
    }
}
