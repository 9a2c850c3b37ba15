import Foundation
import SQLKit
import SluisCovenant
import Testing
@testable import SluisStore

/// Issue 14 item 4, the outside review of the faster PostgreSQL path: prepared reads, the joined
/// token check (art. 10.2), the one-statement decision facts (art. 11.5: a revocation racing a
/// disclosure), each shown failing before its fix where it found one.
@Suite("PostgreSQL hot path: review findings (issue 14 item 4)", .serialized)
struct HotPathReviewTests {
    static let time = "2026-11-30T09:00:00.000Z"

    /// A PostgreSQL store whose pool is ONE connection (so every standalone read meets it).
    func withOneConnectionStore(_ body: (GatewayStore, DatabaseLocation) async throws -> Void) async throws {
        guard case .postgres(let url) = try freshLocation(.postgres) else { return }
        try await with(.postgres(url: url + "&connections=1"), body)
    }

    func withStore(_ backend: Backend, _ body: (GatewayStore, DatabaseLocation) async throws -> Void) async throws {
        try await with(try freshLocation(backend), body)
    }

    func with(_ location: DatabaseLocation, _ body: (GatewayStore, DatabaseLocation) async throws -> Void) async throws {
        let store = try await GatewayStore.open(location)
        do {
            try await body(store, location)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    func people(_ store: GatewayStore) async throws {
        try await store.upsert(party: PartyRecord(id: "sovogo", kind: .schoolbestuur, name: "So Vo Go", status: .active), created: Self.time)
        try await store.upsert(party: PartyRecord(id: "ggd", kind: .jgz, name: "GGD", status: .active), created: Self.time)
        try await store.create(delegate: DelegateRecord(id: "d-1", username: "anna", party: "sovogo", role: .zorgcoordinator, passwordHash: "x",
                                                        totpSecretCipher: "y"), created: Self.time)
        try await store.createSession(tokenHash: "hash-1", delegate: "d-1", kind: .session, expires: "2099-01-01T00:00:00.000Z")
    }

    // MARK: 3. Prepared statements

    /// PostgresNIO (1.33) remembers a failed preparation of a named statement for the life of
    /// the connection (PreparedStatementStateMachine: `.error` → `.returnError` on every later
    /// lookup). One transient failure at the first Parse (lock_timeout / statement_timeout while
    /// DDL holds a lock, a cancel) makes that read fail for ever on that connection; the
    /// connection stays open, so PostgresLink never reconnects.
    @Test("Issue 14 item 3, found in review: a transient failure while preparing the token read (a lock timeout) fails that request only — postgres-nio keeps the failed prepare, so the read runs unprepared on that connection from then on", .enabled(if: Backend.postgresURL != nil))
    func transientPrepareFailureIsNotPermanent() async throws {
        try await withOneConnectionStore { store, location in
            try await people(store)
            // The operator's lock_timeout (e.g. ALTER ROLE … SET lock_timeout), on the pool's one connection.
            try await store.connection.members[0].raw("SET lock_timeout = '300ms'").run()
            // A DDL (a migration of a second instance, VACUUM FULL, …) holds sessions for a moment.
            let other = try await StoreConnection.open(location)
            try await other.sql.raw("BEGIN").run()
            try await other.sql.raw("LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE").run()
            await #expect(throws: (any Error).self) { _ = try await store.sessionHolder(tokenHash: "hash-1") }
            // The old, unprepared read fails alike while the lock is held …
            await #expect(throws: (any Error).self) { _ = try await store.session(tokenHash: "hash-1") }
            try await other.sql.raw("COMMIT").run()
            try await other.close()
            // … and recovers at once when it is released.
            #expect(try await store.session(tokenHash: "hash-1") != nil, "unprepared read recovers")
            // The prepared one must recover too.
            var failures: [String] = []
            for _ in 0..<5 {
                do {
                    let holder = try await store.sessionHolder(tokenHash: "hash-1")
                    #expect(holder?.delegate.id == "d-1")
                } catch {
                    failures.append(String(reflecting: error))
                }
            }
            #expect(failures.isEmpty, "prepared token read still failing after the lock was released: \(failures.count)/5, first: \(failures.first ?? "")")
        }
    }

    @Test("Issue 14 item 3: after the server closed the connection the prepared reads prepare again and read current rows", .enabled(if: Backend.postgresURL != nil))
    func reconnectPreparesAgain() async throws {
        try await withOneConnectionStore { store, location in
            try await people(store)
            #expect(try await store.sessionHolder(tokenHash: "hash-1")?.party.id == "sovogo")
            let pid = try #require(try await store.sql.raw("SELECT pg_backend_pid() AS pid").first()?.decode(column: "pid", as: Int32.self))
            let other = try await StoreConnection.open(location)
            try await other.sql.raw("SELECT pg_terminate_backend(\(bind: pid))").run()
            try await Task.sleep(for: .milliseconds(300))
            try await other.close()
            var got: GatewayStore.SessionHolder?
            for _ in 0..<3 {
                if let holder = try? await store.sessionHolder(tokenHash: "hash-1") { got = holder; break }
            }
            #expect(got?.delegate.id == "d-1")
            try await store.sql.raw("UPDATE delegates SET disabled_at = \(bind: Self.time) WHERE id = 'd-1'").run()
            #expect(try await store.sessionHolder(tokenHash: "hash-1")?.delegate.disabledAt == Self.time)
            #expect(try await store.party("ggd")?.kind == .jgz)
        }
    }

    // MARK: 2. The token check

    @Test("Art. 10.2: the joined token read refuses as the three reads did — disabled, delegate removed or moved, party removed, unknown token", arguments: Backend.available)
    func tokenHolder(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await people(store)
            let holder = try #require(try await store.sessionHolder(tokenHash: "hash-1"))
            #expect(holder.session == (try await store.session(tokenHash: "hash-1")))
            #expect(holder.delegate == (try await store.delegate(id: "d-1")))
            #expect(holder.party == (try await store.party("sovogo")))
            #expect(try await store.sessionHolder(tokenHash: "hash-2") == nil)
            try await store.sql.raw("UPDATE delegates SET disabled_at = \(bind: Self.time) WHERE id = 'd-1'").run()
            #expect(try await store.sessionHolder(tokenHash: "hash-1")?.delegate.disabledAt == Self.time)
            try await store.sql.raw("UPDATE delegates SET disabled_at = NULL WHERE id = 'd-1'").run()
            #expect(try await store.sessionHolder(tokenHash: "hash-1")?.delegate.disabledAt == nil)
            try await store.setDisabled(delegate: "d-1", at: Self.time)
            #expect(try await store.sessionHolder(tokenHash: "hash-1") == nil, "setDisabled ends the sessions")
            try await store.sql.raw("UPDATE delegates SET disabled_at = NULL WHERE id = 'd-1'").run()
            try await store.createSession(tokenHash: "hash-1", delegate: "d-1", kind: .session, expires: "2099-01-01T00:00:00.000Z")
            try await store.sql.raw("UPDATE delegates SET party = 'ggd' WHERE id = 'd-1'").run()
            #expect(try await store.sessionHolder(tokenHash: "hash-1")?.party.id == "ggd")
            try await store.sql.raw("UPDATE delegates SET party = 'gone' WHERE id = 'd-1'").run()
            #expect(try await store.sessionHolder(tokenHash: "hash-1") == nil)
            try await store.sql.raw("UPDATE delegates SET party = 'sovogo' WHERE id = 'd-1'").run()
            try await store.sql.raw("DELETE FROM parties WHERE id = 'sovogo'").run()
            #expect(try await store.sessionHolder(tokenHash: "hash-1") == nil)
            try await store.upsert(party: PartyRecord(id: "sovogo", kind: .schoolbestuur, name: "So Vo Go", status: .active), created: Self.time)
            try await store.sql.raw("DELETE FROM delegates WHERE id = 'd-1'").run()
            #expect(try await store.sessionHolder(tokenHash: "hash-1") == nil)
        }
    }

    // MARK: 4. JSON aggregation

    static let nasty = ["quote \" back\\slash \u{2028}\u{2029} tab\t nl\n cr\r \u{1} \u{1F}", "emoji 👩‍👧‍👦 ß é 中文 \u{FEFF}", "{\"json\":[1,2]}",
                        "null", "123", "true", "'; DROP TABLE x; --", String(repeating: "é", count: 5000), "\u{7F}\u{80}\u{FFFD}", " "]

    @Test("Art. 11.5: special characters, NULLs and 600 consents read in one statement exactly as the one-table reads", arguments: Backend.available)
    func jsonFidelity(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.create(case: CaseRecord(id: "case-1", pupilKey: "k", dataCipher: "00", owner: "sovogo", status: .open, closureReason: nil,
                                                    closedAt: nil, phase: "intake", caseType: nil, duoMelding: false, created: Self.time), parties: ["ggd"])
            var n = 0
            for text in Self.nasty {
                for variant in 0..<2 {
                    n += 1
                    let id = "c-\(String(format: "%04d", n))"
                    try await store.add(consent: ConsentRecord(
                        id: id, caseID: "case-1", holder: "sovogo", recipients: variant == 0 ? [] : [.swv, .jgz], fields: variant == 0 ? [] : [.absence],
                        question: variant == 0 ? nil : text, endsOn: variant == 0 ? nil : "2027-01-01",
                        answers: variant == 0 ? [] : [ConsentAnswerRecord(consentID: id, giver: .parent, answer: .given, answeredOn: "2026-11-30",
                                                                          evidence: text, recordedBy: text, recordedAt: Self.time)],
                        recordedBy: text, recordedAt: Self.time, revokedAt: variant == 0 ? nil : text, revokedBy: variant == 0 ? nil : text))
                }
                try await store.add(informing: InformingRecord(id: "i-\(n)", caseID: "case-1", party: "sovogo", delegate: text, informedAt: text,
                                                               method: .gesprek, recorded: text))
                try await store.put(fact: FactRecord(caseID: "case-1", party: "sovogo", field: "f-\(n)", valueCipher: text, suppliedBy: text,
                                                     suppliedAt: text))
            }
            // Many consents.
            for m in 0..<600 {
                let id = "m-\(String(format: "%05d", m))"
                try await store.add(consent: ConsentRecord(id: id, caseID: "case-1", holder: "sovogo", recipients: [.swv, .gemeente, .jgz],
                                                           fields: [.name, .absence, .birthDate], question: nil,
                                                           answers: [ConsentAnswerRecord(consentID: id, giver: .parent, answer: .given, answeredOn: "2026-11-30",
                                                                                         evidence: "e\(m)", recordedBy: "d", recordedAt: Self.time),
                                                                     ConsentAnswerRecord(consentID: id, giver: .pupil, answer: .refused, answeredOn: "2026-11-30",
                                                                                         evidence: "e\(m)", recordedBy: "d", recordedAt: Self.time)],
                                                           recordedBy: "d", recordedAt: "2026-11-30T09:\(String(format: "%02d", m % 60)):00.000Z"))
            }
            let read = try #require(try await store.decisionRead(caseID: "case-1", sender: "sovogo", recipientUnit: "ggd"))
            let record = try #require(try await store.case("case-1"))
            let consents = try await GatewayStore.consents(caseID: "case-1", holder: "sovogo", on: store.sql)
            #expect(read.facts.record == record)
            #expect(read.facts.consents.count == consents.count)
            #expect(read.facts.consents == consents)
            for (a, b) in zip(read.facts.consents, consents) where a != b { Issue.record("first differing consent \(a.id)"); break }
            #expect(read.facts.informing == (try await store.informing(caseID: "case-1")))
            #expect(read.facts.facts == (try await store.facts(caseID: "case-1", party: "sovogo")))
            #expect(read.recipientRef == (try await store.ref(caseID: "case-1", party: "ggd")))
            // The locked re-read inside a transaction equals the unlocked read (else: livelock → 503).
            let locked = try await store.transaction { sql in try await GatewayStore.decisionFacts(caseID: "case-1", sender: "sovogo", on: sql, lock: true) }
            #expect(locked == read.facts)
        }
    }

    // MARK: 1. The locked re-read and the snapshot

    /// Informational: the one statement takes its snapshot before it waits for the case row.
    /// The commit's locked re-read of case-1, started while another transaction has run
    /// `statements` and not yet committed; that one commits half a second later.
    func lockedReread(_ store: GatewayStore, _ location: DatabaseLocation, while statements: [String]) async throws -> GatewayStore.DecisionFacts? {
        let other = try await StoreConnection.open(location)
        try await other.sql.raw("BEGIN").run()
        for statement in statements { try await other.sql.raw(SQLQueryString(statement)).run() }
        let reader = Task {
            try await store.transaction { sql in try await GatewayStore.decisionFacts(caseID: "case-1", sender: "sovogo", on: sql, lock: true) }
        }
        try await Task.sleep(for: .milliseconds(500))
        try await other.sql.raw("COMMIT").run()
        let facts = try await reader.value
        try await other.close()
        return facts
    }

    /// A transaction that locks the case row (without changing it) and changes a consent: the
    /// re-read that waited for the lock must see the change. A one-statement read with FOR UPDATE
    /// did not (its snapshot precedes the wait). Today every such writer also takes the
    /// register's head lock, so this was latent; the lock must order it by itself.
    @Test("Art. 11.5, found in review: a consent revoked by a transaction holding the case row lock is seen by the locked re-read — the row is locked in a statement of its own before the read", .enabled(if: Backend.postgresURL != nil))
    func lockedReadSeesWhatTheLockHolderCommitted() async throws {
        try await withStore(.postgres) { store, location in
            try await store.create(case: CaseRecord(id: "case-1", pupilKey: "k", dataCipher: "00", owner: "sovogo", status: .open, closureReason: nil,
                                                    closedAt: nil, phase: "intake", caseType: nil, duoMelding: false, created: Self.time), parties: [])
            try await store.add(consent: ConsentRecord(id: "c-1", caseID: "case-1", holder: "sovogo", recipients: [.swv], fields: [.absence], question: nil,
                                                       answers: [], recordedBy: "d", recordedAt: Self.time))
            let facts = try #require(try await lockedReread(store, location, while: [
                "SELECT id FROM cases WHERE id = 'case-1' FOR UPDATE",
                "UPDATE consents SET revoked_at = '2026-11-30T10:00:00.000Z', revoked_by = 'd' WHERE id = 'c-1'"]))
            #expect(facts.consents.first?.revokedAt != nil, "the locked re-read returned the consent as it was before the lock holder's commit")
        }
    }

    @Test("Art. 5.5: a case closed by a concurrent UPDATE while the locked re-read waits — the re-read sees the closed row", .enabled(if: Backend.postgresURL != nil))
    func lockedReadSeesAConcurrentClosure() async throws {
        try await withStore(.postgres) { store, location in
            try await store.create(case: CaseRecord(id: "case-1", pupilKey: "k", dataCipher: "00", owner: "sovogo", status: .open, closureReason: nil,
                                                    closedAt: nil, phase: "intake", caseType: nil, duoMelding: false, created: Self.time), parties: [])
            let before = try #require(try await store.decisionRead(caseID: "case-1", sender: "sovogo", recipientUnit: nil)).facts
            let now = try #require(try await lockedReread(store, location, while: [
                "UPDATE cases SET status = 'closed', closed_at = '2026-11-30T10:00:00.000Z', closure_reason = 'x' WHERE id = 'case-1'"]))
            #expect(now.record.status == .closed && now != before)
        }
    }
}
