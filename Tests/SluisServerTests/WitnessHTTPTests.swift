import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import Testing
@testable import SluisCrypto
@testable import SluisGateway
@testable import SluisRegister
@testable import SluisServer
@testable import SluisStore

/// The FG's witness over real HTTP (C2SP tlog-witness, tlog-cosignature): `sluis witness
/// serve`'s application on a real port, the gateway's witnessing asking it through
/// `HTTPWitnessTransport`, the register on a real SQLite file, the witness state in a real
/// directory. Issue 14 item 2: a register rewound by someone holding the database and the
/// log's own key is caught.
@Suite("C2SP tlog-witness over HTTP: the FG's witness and the gateway's quorum")
struct WitnessHTTPTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-witness-\(UUID().uuidString)")
    let logKey = try! CheckpointSigner(name: KeyDirectory.registerKeyName, key: PrivateKey.generateEd25519())
    let witnessKey = try! PrivateKey.generateEd25519()
    static let quiet = Logger(label: "witness-test", factory: { _ in SwiftLogNoOpLogHandler() })
    /// Every register a test opens, closed when its witness stops — also after a failed
    /// expectation (an SQLite connection dropped unclosed aborts the test process).
    let opened = OpenedRegisters()

    final class OpenedRegisters: @unchecked Sendable {
        private let lock = NSLock()
        private var stores: [RegisterStore] = []
        func add(_ store: RegisterStore) { lock.withLock { stores.append(store) } }
        func close(_ store: RegisterStore) async throws {
            lock.withLock { stores.removeAll { $0 === store } }
            try await store.close()
        }
        func closeAll() async {
            for store in lock.withLock({ defer { stores = [] }; return stores }) { try? await store.close() }
        }
    }

    func witness(_ name: String = "fg.example/witness", key: PrivateKey? = nil) throws -> Witness {
        try Witness(name: name, key: key ?? witnessKey, logs: [logKey.verifier])
    }

    func service(_ state: String = "state", name: String = "fg.example/witness") throws -> WitnessService {
        WitnessService(witness: try witness(name), state: try WitnessState(directory: directory.appendingPathComponent(state).path))
    }

    /// Runs `body` with the witness application listening on a real port (its base URL).
    func serving(_ service: WitnessService, _ body: @escaping @Sendable (String) async throws -> Void) async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let app = buildWitnessApplication(service, host: "127.0.0.1", port: 0, logger: Self.quiet)
        do {
            try await app.test(.live) { client in try await body("http://127.0.0.1:\(try #require(client.port))") }
        } catch {
            await opened.closeAll()
            throw error
        }
        await opened.closeAll()
    }

    /// A register on a real SQLite file, or — `database` "postgres" — in a PostgreSQL schema of
    /// this test's own (`SLUIS_TEST_POSTGRES_URL`); the same name opens the same register again.
    func register(_ file: String = "register.sqlite", database: String = "sqlite") async throws -> RegisterStore {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var location = DatabaseLocation.sqlite(path: directory.appendingPathComponent(file).path)
        if database == "postgres", let url = ServerFixture.postgresURL {
            let schema = "w_" + Hex.encode(Array(try SHA256.hash(Array((directory.lastPathComponent + file).utf8)).prefix(12)))
            location = .postgres(url: url + (url.contains("?") ? "&" : "?") + "schema=\(schema)")
        }
        let store = try await RegisterStore.open(location, signer: logKey)
        opened.add(store)
        return store
    }

    static func entry(_ n: Int, _ tag: String = "") -> RegisterEntry {
        RegisterEntry(time: "2026-11-30T10:00:\(String(format: "%02d", n % 60)).000Z", traceID: Hex.encode([UInt8](repeating: UInt8(n % 256), count: 16)),
                      spanID: Hex.encode([UInt8](repeating: 7, count: 8)), activity: "inzage-register\(tag)", activityVersion: "0123456789abcdef",
                      operation: "inspect", actor: "delegate-\(n)", decision: "none", basis: ["convenant art. 15.2"],
                      policyHash: String(repeating: "c", count: 64))
    }

    func append(_ register: RegisterStore, _ range: Range<Int>, _ tag: String = "") async throws {
        _ = try await register.append(batch: range.map { Self.entry($0, tag) })
    }

    /// What the insider does, holding the database and the log's signing key: drops the entries
    /// from `keep` on (with their tree nodes and checkpoints), sets the head back to the
    /// checkpoint at `keep`, and appends `count` other entries under the log's own key.
    func rewind(keepingFirst keep: Int64, thenAppend count: Int, database: String = "sqlite") async throws -> RegisterStore {
        let register = try await register(database: database)
        let sql = await register.sql
        try await sql.raw("DELETE FROM register_entries WHERE idx >= \(bind: keep)").run()
        try await sql.raw("DELETE FROM register_nodes WHERE (idx + 1) * (1 << level) > \(bind: keep)").run()
        try await sql.raw("DELETE FROM register_checkpoints WHERE size > \(bind: keep)").run()
        try await sql.raw("UPDATE register_head SET size = \(bind: keep), root = (SELECT root FROM register_checkpoints WHERE size = \(bind: keep)) WHERE id = 1").run()
        try await opened.close(register)
        let reopened = try await self.register(database: database)
        try await append(reopened, Int(keep)..<(Int(keep) + count), "-rewritten")
        return reopened
    }

    func witnessing(_ register: RegisterStore, _ urls: [String], names: [String]? = nil, quorum: Int? = nil) throws -> CheckpointWitnessing {
        let endpoints = zip(urls, names ?? ["fg.example/witness"]).map { url, name in
            WitnessEndpoint(url: url, key: Cosignature.Verifier(name: name, publicKey: try! witnessKey.rawPublicKey()))
        }
        return CheckpointWitnessing(witnesses: endpoints, quorum: quorum ?? endpoints.count, transport: HTTPWitnessTransport(), register: register)
    }

    @Test("Issue 14 item 2, tlog-witness §add-checkpoint: a register rewound at the same size by the holder of the database and the log key — the witness refuses (409, a fork), the gateway keeps publishing the last cosigned checkpoint",
          arguments: ServerFixture.databases)
    func rewoundSameSizeCaught(database: String) async throws {
        try await rewoundIsCaught(database: database, keep: 6, thenAppend: 4, expected: "another root hash")
    }

    @Test("Issue 14 item 2, tlog-witness §add-checkpoint, RFC 6962 §2.1.2: a register rewound and grown past the witness's size — the consistency proof fails (422), nothing is published",
          arguments: ServerFixture.databases)
    func rewoundLargerCaught(database: String) async throws {
        try await rewoundIsCaught(database: database, keep: 6, thenAppend: 9, expected: "(422)")
    }

    @Test("Issue 14 item 2, tlog-witness §add-checkpoint: a register rewound to fewer entries — the witness holds a larger size (409), nothing is published",
          arguments: ServerFixture.databases)
    func rewoundSmallerCaught(database: String) async throws {
        try await rewoundIsCaught(database: database, keep: 6, thenAppend: 2, expected: "beyond this checkpoint")
    }

    func rewoundIsCaught(database: String, keep: Int64, thenAppend count: Int, expected: String) async throws {
        let service = try service()
        try await serving(service) { url in
            let register = try await register(database: database)
            try await append(register, 0..<6)
            let first = try await witnessing(register, [url])
            #expect(try await first.round()?.quorumReached == true)
            try await append(register, 6..<10)
            #expect(try await first.round()?.quorumReached == true)
            let honest = try #require(try await first.published())
            #expect(try Checkpoint.parse(honest).size == 10)
            try await opened.close(register)

            let rewound = try await rewind(keepingFirst: keep, thenAppend: count, database: database)
            // The rewritten register verifies on its own: the insider re-signed everything with the log's key.
            #expect(try await RegisterVerifier.verify(rewound, verifier: logKey.verifier).problem == nil)
            // A restarted gateway knows nothing of the witness's size: it learns it from the 409 and is still refused.
            let gateway = try witnessing(rewound, [url])
            let round = try #require(try await gateway.round())
            #expect(round.quorumReached == false)
            #expect(round.cosigned.isEmpty)
            let refusal = try #require(round.refusals["fg.example/witness"])
            #expect(refusal.contains(expected), "\(refusal)")
            // Not published: the newest checkpoint with the quorum is the honest one's prefix (size 6) — not the rewritten head.
            let published = try #require(try await gateway.published())
            #expect(try Checkpoint.parse(published).size == 6)
            #expect(try await rewound.latestCheckpoint() != published)
            // The witness still holds the honest checkpoint of size 10 (on disk).
            let held = try #require(try WitnessState(directory: directory.appendingPathComponent("state").path).latest(KeyDirectory.registerKeyName))
            #expect(held.checkpoint == (try Checkpoint.parse(honest)))
            // The FG's saved cosigned checkpoint no longer fits (register verify --against).
            #expect(try await RegisterVerifier.verify(rewound, verifier: logKey.verifier, against: honest).problem != nil)
            try await opened.close(rewound)
        }
    }

    @Test("A damaged state file: every request for that log is 500 and cosigns nothing; the caller is not told the state's path (fail closed, the operator's log has it)")
    func damagedStateIsA500WithoutThePath() async throws {
        let stateDirectory = directory.appendingPathComponent("damaged")
        let service = try service("damaged")
        let register = try await register()
        try await append(register, 0..<3)
        let signed = try #require(try await register.latestCheckpoint())
        let first = await service.add(body: AddCheckpoint(oldSize: 0, proof: [], checkpoint: signed).text, now: 1)
        #expect(first.status == 200)
        for file in try FileManager.default.contentsOfDirectory(atPath: stateDirectory.path) where file.hasSuffix(".checkpoint") {
            try Data("junk".utf8).write(to: stateDirectory.appendingPathComponent(file))
        }
        let answer = await service.add(body: AddCheckpoint(oldSize: 3, proof: [], checkpoint: signed).text, now: 2)
        #expect(answer.status == 500)
        #expect(!answer.body.contains(stateDirectory.path) && !answer.body.contains(".checkpoint"), "\(answer.body)")
        #expect(answer.logDetail?.contains(".checkpoint") == true)
        try await opened.close(register)
    }

    @Test("tlog-witness §add-checkpoint: 409 with Content-Type text/x.tlog.size and the held size; the gateway resends from that size with the right proof")
    func conflictFlow() async throws {
        try await serving(try service()) { url in
            let register = try await register()
            try await append(register, 0..<5)
            #expect(try await witnessing(register, [url]).round()?.quorumReached == true)
            try await append(register, 5..<12)
            let signed = try #require(try await register.latestCheckpoint())
            let answer = try await HTTPWitnessTransport().post(url + "/add-checkpoint", body: AddCheckpoint(oldSize: 0, proof: [], checkpoint: signed).text)
            #expect(answer.status == 409)
            #expect(answer.contentType == "text/x.tlog.size")
            #expect(answer.body == "5\n")
            // A new gateway (sizes unknown) starts from 0, is told 5, and gets its cosignature.
            let round = try #require(try await witnessing(register, [url]).round())
            #expect(round.quorumReached && round.size == 12)
            try await opened.close(register)
        }
    }

    @Test("tlog-witness §add-checkpoint: status per refusal — bad proof 422, unknown log 404, forged log signature 403, malformed body 400, old beyond new 400")
    func refusalsOverHTTP() async throws {
        try await serving(try service()) { url in
            let post = { (body: String) in try await HTTPWitnessTransport().post(url + "/add-checkpoint", body: body) }
            let register = try await register()
            try await append(register, 0..<4)
            let four = try #require(try await register.latestCheckpoint())
            #expect(try await post(AddCheckpoint(oldSize: 0, proof: [], checkpoint: four).text).status == 200)
            try await append(register, 4..<9)
            let nine = try #require(try await register.latestCheckpoint())
            let badProof = AddCheckpoint(oldSize: 4, proof: [[UInt8](repeating: 9, count: 32), [UInt8](repeating: 8, count: 32)], checkpoint: nine)
            let bad = try await post(badProof.text)
            #expect(bad.status == 422)
            #expect(bad.body.contains("consistency proof does not verify"))
            let other = try CheckpointSigner(name: "other.example/log", key: PrivateKey.generateEd25519())
            #expect(try await post(AddCheckpoint(oldSize: 0, proof: [], checkpoint: try other.sign(Checkpoint(origin: "other.example/log", size: 1, root: [UInt8](repeating: 1, count: 32)))).text).status == 404)
            let impostor = try CheckpointSigner(name: KeyDirectory.registerKeyName, key: PrivateKey.generateEd25519())
            let forged = try await post(AddCheckpoint(oldSize: 4, proof: [], checkpoint: try impostor.sign(Checkpoint.parse(nine))).text)
            #expect(forged.status == 403)
            for malformed in ["", "old four\n\n" + nine, "old 4\n!!!\n\n" + nine, "old 4\n\nnot a checkpoint\n"] {
                #expect(try await post(malformed).status == 400, "\(malformed.prefix(20))")
            }
            #expect(try await post(AddCheckpoint(oldSize: 20, proof: [], checkpoint: nine).text).status == 400)
            // None of these moved the witness: the right proof from 4 still works.
            let proof = try await register.consistencyProof(old: 4, new: 9)
            #expect(try await post(AddCheckpoint(oldSize: 4, proof: proof, checkpoint: nine).text).status == 200)
            try await opened.close(register)
        }
    }

    @Test("tlog-witness §add-checkpoint: two add-checkpoint calls from the same old size at once — one is cosigned, the other gets 409 with the new size (no rollback)")
    func concurrentCalls() async throws {
        try await serving(try service()) { url in
            let register = try await register()
            try await append(register, 0..<3)
            let three = try #require(try await register.latestCheckpoint())
            #expect(try await HTTPWitnessTransport().post(url + "/add-checkpoint", body: AddCheckpoint(oldSize: 0, proof: [], checkpoint: three).text).status == 200)
            try await append(register, 3..<6)
            let six = try #require(try await register.latestCheckpoint())
            try await append(register, 6..<11)
            let eleven = try #require(try await register.latestCheckpoint())
            let toSix = AddCheckpoint(oldSize: 3, proof: try await register.consistencyProof(old: 3, new: 6), checkpoint: six).text
            let toEleven = AddCheckpoint(oldSize: 3, proof: try await register.consistencyProof(old: 3, new: 11), checkpoint: eleven).text
            async let a = HTTPWitnessTransport().post(url + "/add-checkpoint", body: toSix)
            async let b = HTTPWitnessTransport().post(url + "/add-checkpoint", body: toEleven)
            let answers = try await [a, b]
            #expect(answers.map { $0.status }.sorted() == [200, 409])
            let winner = answers[0].status == 200 ? 6 : 11
            #expect(answers.first { $0.status == 409 }?.body == "\(winner)\n")
            let held = try #require(try WitnessState(directory: directory.appendingPathComponent("state").path).latest(KeyDirectory.registerKeyName))
            #expect(held.checkpoint.size == Int64(winner))
            try await opened.close(register)
        }
    }

    @Test("tlog-witness §add-checkpoint (MUST persist before responding): a restarted witness keeps its checkpoint and refuses a rewind after the restart")
    func restartKeepsState() async throws {
        try await serving(try service()) { url in
            let register = try await register()
            try await append(register, 0..<3)
            try await append(register, 3..<8)
            #expect(try await witnessing(register, [url]).round()?.quorumReached == true)
            try await opened.close(register)
        }
        // A new witness process on the same state directory.
        try await serving(try service()) { url in
            let rewound = try await rewind(keepingFirst: 3, thenAppend: 5)
            let round = try #require(try await witnessing(rewound, [url]).round())
            #expect(round.quorumReached == false)
            #expect(round.refusals.values.first?.contains("another root hash") == true)
        }
    }

    @Test("Quorum: two witnesses, quorum 2 — published once both cosigned; with one unreachable the new checkpoint is not published and the last cosigned one stays; with quorum 1 it is")
    func quorum() async throws {
        try await serving(try service("state-a")) { first in
            try await serving(try service("state-b", name: "second.example/witness")) { second in
                let names = ["fg.example/witness", "second.example/witness"]
                let register = try await register()
                try await append(register, 0..<4)
                let both = try witnessing(register, [first, second], names: names)
                #expect(try await both.round()?.quorumReached == true)
                try await append(register, 4..<7)
                let oneDown = try witnessing(register, [first, "http://127.0.0.1:1"], names: names)
                let round = try #require(try await oneDown.round())
                #expect(round.cosigned == ["fg.example/witness"])
                // Said for the operator's log in words, not URLSession's error dump.
                #expect(round.refusals["second.example/witness"] == "unreachable at http://127.0.0.1:1/add-checkpoint: connection refused (is `sluis witness serve` running there?)")
                #expect(round.quorumReached == false)
                #expect(try Checkpoint.parse(try #require(try await oneDown.published())).size == 4)
                let quorumOne = try witnessing(register, [first, "http://127.0.0.1:1"], names: names, quorum: 1)
                #expect(try Checkpoint.parse(try #require(try await quorumOne.published())).size == 7)
            }
        }
    }

    @Test("Issue 14 item 2: the FG's integrity page and checkpoint download show the witnesses' cosignatures (name, time) of the newest cosigned checkpoint, verified against the configured keys")
    func fgPageShowsCosignatures() async throws {
        let witnessKey = self.witnessKey
        try await ServerFixture.with { fixture, client in
            let fg = try await client.pageLogin(fixture, "fg-own")
            let state = try WitnessState(directory: fixture.directory.appendingPathComponent("witness").path)
            let witness = try Witness(name: "fg.example/witness", key: witnessKey, logs: [fixture.gateway.register.signerVerifier()])
            let app = buildWitnessApplication(WitnessService(witness: witness, state: state), host: "127.0.0.1", port: 0, logger: Self.quiet)
            try await app.test(.live) { live in
                let url = "http://127.0.0.1:\(try #require(live.port))"
                let witnessing = CheckpointWitnessing(witnesses: [WitnessEndpoint(url: url, key: witness.verifier)], quorum: 1,
                                                      transport: HTTPWitnessTransport(), register: fixture.gateway.register)
                fixture.gateway.configureWitnessing(witnessing)
                _ = try await fixture.gateway.register.append(Self.entry(0))
                let round = try #require(try await witnessing.round())
                #expect(round.quorumReached, "\(round.refusals)")
                let download = try await client.page(.get, "/fg/integriteit/checkpoint.txt", session: fg)
                #expect(download.body.contains("\n— fg.example/witness "))
                let page = try await client.page(.get, "/fg/integriteit", session: fg)
                #expect(page.status == .ok)
                #expect(page.body.contains("Medeondertekend door getuigen"))
                #expect(page.body.contains("past bij het register van nu"))
                #expect(page.body.contains("<li>fg.example/witness — "))
                // A reader that names no witnesses (`sluis register checkpoint` without the
                // gateway's configuration) is refused, not handed an uncosigned checkpoint; quorum 0
                // chosen on purpose gives the newest; the witness named gives the published one.
                let register = fixture.gateway.register
                await #expect(throws: WitnessingFailure.self) {
                    _ = try await CheckpointWitnessing.publishedToReader(register, witnesses: [], quorum: 0, quorumChosen: false)
                }
                #expect(try await CheckpointWitnessing.publishedToReader(register, witnesses: [], quorum: 0, quorumChosen: true)
                        == (try await register.latestCheckpoint()))
                #expect(try await CheckpointWitnessing.publishedToReader(register, witnesses: [witness.verifier], quorum: 1, quorumChosen: false)?
                        .contains("\n— fg.example/witness ") == true)
                // The view itself is a new entry: its checkpoint waits for the next round.
                #expect(page.body.contains("wacht op medeondertekening"))
                // One download, named for what it gives: the published checkpoint, not the newest.
                #expect(page.body.contains("Het gepubliceerde checkpoint (1 regels, met de medeondertekeningen) downloaden"))
                #expect(!page.body.contains("Checkpoint downloaden om te bewaren"))
            }
        }
    }

    /// Not a test of speed (no timed assertion): a measurement for docs/performance.md, run by
    /// hand with SLUIS_MEASURE_WITNESS=ROUNDS. Per round: one commit of one entry, then every
    /// witness asked over HTTP on loopback (proof from the store, signature, fsync of the
    /// witness state, the cosignature verified and stored).
    @Test("Measurement (docs/performance.md): milliseconds per cosigned checkpoint with 1 and 2 witnesses",
          .enabled(if: ProcessInfo.processInfo.environment["SLUIS_MEASURE_WITNESS"] != nil))
    func measureCosigningCost() async throws {
        let rounds = Int(ProcessInfo.processInfo.environment["SLUIS_MEASURE_WITNESS"] ?? "") ?? 200
        for count in [1, 2] {
            let services = try (0..<count).map { try service("state-\(count)-\($0)", name: "w\($0).example/witness") }
            try await serving(services[0]) { first in
                try await serving(services.count > 1 ? services[1] : services[0]) { second in
                    let register = try await register("measure-\(count).sqlite")
                    let gateway = try witnessing(register, Array([first, second].prefix(count)), names: (0..<count).map { "w\($0).example/witness" })
                    try await append(register, 0..<1000)
                    _ = try await gateway.round()
                    var witnessing = Duration.zero, committing = Duration.zero
                    let clock = ContinuousClock()
                    for n in 0..<rounds {
                        committing += try await clock.measure { try await append(register, (1000 + n)..<(1001 + n)) }
                        var reached = false
                        witnessing += try await clock.measure { reached = try await gateway.round()?.quorumReached == true }
                        #expect(reached)
                    }
                    let ms = { (total: Duration) in Double(total.components.seconds) * 1000 + Double(total.components.attoseconds) / 1e15 }
                    print("witness measurement: \(count) witness(es), \(rounds) rounds: \(String(format: "%.2f", ms(witnessing) / Double(rounds))) ms per cosigned checkpoint; commit \(String(format: "%.2f", ms(committing) / Double(rounds))) ms")
                    try await opened.close(register)
                }
            }
        }
    }

    @Test("docs/configuration.md: SLUIS_WITNESSES takes URL=VKEY items (vkey type 0x04), the quorum defaults to all and may not exceed them; a log key (0x01), a missing URL or a witness named twice is refused by name; none configured is quorum 0")
    func witnessConfiguration() throws {
        let vkey = Cosignature.Verifier(name: "fg.example/witness", publicKey: try witnessKey.rawPublicKey()).text
        let other = Cosignature.Verifier(name: "fg2.example/witness", publicKey: try witnessKey.rawPublicKey()).text
        let two = try ServerConfiguration.load(file: nil, environment: ["SLUIS_WITNESSES": "http://a.example:8090=\(vkey), https://b.example/=\(other)"])
        #expect(two.witnesses.map(\.url) == ["http://a.example:8090", "https://b.example"])
        #expect(two.effectiveWitnessQuorum == 2)
        #expect(try ServerConfiguration.load(file: nil, environment: ["SLUIS_WITNESSES": "http://a.example=\(vkey)", "SLUIS_WITNESS_QUORUM": "0"]).effectiveWitnessQuorum == 0)
        #expect(try ServerConfiguration.load(file: nil, environment: [:]).effectiveWitnessQuorum == 0)
        for bad in [["SLUIS_WITNESSES": "http://a.example=\(logKey.verifier.text)"], ["SLUIS_WITNESSES": vkey],
                    ["SLUIS_WITNESSES": "http://a.example=\(vkey)", "SLUIS_WITNESS_QUORUM": "2"],
                    // One witness named twice: its one cosignature counts once, quorum 2 never comes.
                    ["SLUIS_WITNESSES": "http://a.example=\(vkey), http://b.example=\(vkey)"]] {
            #expect(throws: ServerConfiguration.Failure.self) { try ServerConfiguration.load(file: nil, environment: bad) }
        }
    }
}
