import Foundation
import SQLKit
import Testing
@testable import SluisCrypto
@testable import SluisRegister
@testable import SluisStore

/// A check that goes on from an earlier one that found nothing (the FG's integrity page, issue
/// 13: a view quick on a large register): it reads only what was added since, ends where a whole
/// check ends, and finds what is wrong in what it reads; an entry edited in place before the
/// earlier check is the whole check's to find (documented on the page and in docs/pages.md).
@Suite("Resumed register verification (convenant art. 15; RFC 9162)", .serialized)
struct ResumedVerificationTests {
    @Test("Convenant art. 15: a resumed check of the entries added since ends with the whole check's entries, checkpoints and root",
          arguments: Backend.available)
    func resumedEqualsWhole(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            for batch in 0..<3 { _ = try await store.append(batch: (0..<8).map { sampleEntry(batch * 8 + $0) }) }
            let earlier = try await RegisterVerifier.verify(store, verifier: testSigner.verifier)
            #expect(earlier.problem == nil && earlier.entries == 24)
            for batch in 3..<5 { _ = try await store.append(batch: (0..<8).map { sampleEntry(batch * 8 + $0) }) }
            let resumed = try await RegisterVerifier.verify(store, verifier: testSigner.verifier, resuming: earlier)
            let whole = try await RegisterVerifier.verify(store, verifier: testSigner.verifier)
            #expect(resumed.problem == nil)
            #expect(resumed.entries == whole.entries && resumed.checkpoints == whole.checkpoints && resumed.root == whole.root)
            #expect(resumed.frontier == whole.frontier)
            // Nothing added: still intact, nothing read beyond the head.
            #expect(try await RegisterVerifier.verify(store, verifier: testSigner.verifier, resuming: resumed).problem == nil)
        }
    }

    @Test("Convenant art. 15: a resumed check finds an entry edited after the earlier check, and a forged tail; an edit before it is the whole check's",
          arguments: Backend.available)
    func resumedFindsWhatItReads(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            for batch in 0..<2 { _ = try await store.append(batch: (0..<8).map { sampleEntry(batch * 8 + $0) }) }
            let earlier = try await RegisterVerifier.verify(store, verifier: testSigner.verifier)
            for batch in 2..<5 { _ = try await store.append(batch: (0..<8).map { sampleEntry(batch * 8 + $0) }) }
            let later = try await RegisterVerifier.verify(store, verifier: testSigner.verifier)
            let sql = await store.sql
            // Entry 17 lies after the earlier check (16 entries): a check resumed from there reads and names it.
            try await editEntry17(sql)
            #expect(try await RegisterVerifier.verify(store, verifier: testSigner.verifier, resuming: earlier).problem
                    == "the entries up to 24 do not hash to the signed checkpoint at size 24 — an entry at or before 23 was changed")
            // From a check that covered entry 17, only the whole check sees the edit.
            #expect(try await RegisterVerifier.verify(store, verifier: testSigner.verifier, resuming: later).problem == nil)
            #expect(try await RegisterVerifier.verify(store, verifier: testSigner.verifier).problem != nil)
            // A forged tail after the earlier check is named as by the whole check.
            try await forgeEntry(sql, sampleEntry(40), at: 40)
            try await recomputeTreeAndHead(sql)
            #expect(try await RegisterVerifier.verify(store, verifier: testSigner.verifier, resuming: later).problem
                    == "entry 40 stands beyond the newest signed checkpoint (size 40) — added outside a commit (forged)")
        }
    }
}
