import Foundation
import SQLKit
import Testing
@testable import SluisCrypto
@testable import SluisRegister
@testable import SluisStore

/// The register's entry formats on a real database (docs/register.md, "Canonical form and
/// format versions"): a register written before format 2 keeps verifying as it grows.
@Suite("Register entry formats in the store", .serialized)
struct FormatVersionStoreTests {
    @Test("Format 1 entries (no formatVersion) and format 2 entries in one register verify; each reads back in its own format",
          arguments: Backend.available)
    func mixedFormatsVerify(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            _ = try await store.append(batch: (0..<8).map { n in
                var entry = sampleEntry(n)
                entry.formatVersion = .v1
                return entry
            })
            _ = try await store.append(batch: (8..<16).map { sampleEntry($0) })
            #expect(try await RegisterVerifier.verify(store, verifier: testSigner.verifier).problem == nil)
            #expect(try await store.entry(3)?.entry.formatVersion == .v1)
            #expect(try await store.entry(12)?.entry.formatVersion == .v2)
            let bodies = try await store.connection.sql.raw("SELECT idx, body FROM register_entries ORDER BY idx").all()
                .map { try $0.decode(column: "body", as: String.self) }
            #expect(bodies.prefix(8).allSatisfy { !$0.contains("formatVersion") })
            #expect(bodies.suffix(8).allSatisfy { $0.contains(#""formatVersion":2,"#) })
        }
    }

    @Test("An entry stating a format this Sluis does not know fails verify, naming the entry and the version", arguments: Backend.available)
    func unknownFormatFailsVerify(backend: Backend) async throws {
        let outcome = try await tamper(backend) { sql in
            let body = try #require(try await sql.raw("SELECT body FROM register_entries WHERE idx = 12").first()).decode(column: "body", as: String.self)
            let newer = body.replacingOccurrences(of: #""formatVersion":2"#, with: #""formatVersion":3"#)
            let leaf = Hex.encode(MerkleTree.leafHash(Array(newer.utf8), try SHA256Hasher()))
            try await sql.raw("UPDATE register_entries SET body = \(bind: newer), leaf = \(bind: leaf) WHERE idx = 12").run()
        }
        #expect(outcome.alone?.hasPrefix("entry 12: its content is not a valid register entry (register entry format version 3 is not known") == true,
                "\(outcome.alone ?? "nil")")
    }
}
