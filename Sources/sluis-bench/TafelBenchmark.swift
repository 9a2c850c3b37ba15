import Foundation
import SluisCovenant
import SluisCrypto
import SluisGateway
import SluisRegister
import SluisStore

// The thuiszitterstafel through the gateway and its store: `sluis-bench tafel [--pupils N]
// [--runs R] [--policies DIR]` (defaults 40 pupils, 5 runs). A fresh SQLite file with the
// covenant's parties and three more at the table — two CJG organisations and a gemeente, each
// with a certificate of the development CA — so that six participants get a view (issue 11:
// "an agenda of 40 pupils and 6 participants"). Each pupil: a school case with identity and
// facts, informed, registered with the kernteam (a disclosure to the SWV), the leerplicht's own
// fact, on the list with the SWV's description and progress. Then per run, an agenda of all of
// them is composed (not timed), previewed (snapshot, document, engine, hiding, register entry)
// and sent (snapshot again, views, six CMS bundles, 240 register entries and the deliveries in
// one commit that reads the snapshot once more). Target: preview + send under 1 s.

func runTafelBenchmark(_ arguments: [String]) async throws {
    var pupils = 40, runs = 5
    var policies = ProcessInfo.processInfo.environment["SLUIS_POLICIES"] ?? "Policies"
    var iterator = arguments.makeIterator()
    while let option = iterator.next() {
        guard let value = iterator.next() else { throw UsageError(option) }
        switch option {
        case "--pupils": pupils = try Options.number(value, option)
        case "--runs": runs = try Options.number(value, option)
        case "--policies": policies = value
        default: throw UsageError(option)
        }
    }
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-bench-tafel-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let policy = try PolicyLoader.load(try PolicySources.read(directory: policies))
    let keys = KeyDirectory(work.appendingPathComponent("keys").path)
    _ = try DevelopmentKeys.ensure(keys, policy: policy)
    let extra = [PartyRecord(id: "cjg-bench-twee", kind: .jgz, name: "CJG (benchmark) twee", status: .active),
                 PartyRecord(id: "cjg-bench-drie", kind: .jgz, name: "CJG (benchmark) drie", status: .active),
                 PartyRecord(id: "gemeente-bench", kind: .gemeente, name: "Gemeente (benchmark)", status: .active)]
    let authority = try keys.loadCA()
    for party in extra { _ = try keys.issue(party: party.id, kind: party.kind.rawValue, by: authority) }
    let location = DatabaseLocation.sqlite(path: work.appendingPathComponent("sluis.sqlite").path)
    let register = try await RegisterStore.open(location, signer: try CheckpointSigner(name: KeyDirectory.registerKeyName, key: keys.registerKey()))
    let store = try await GatewayStore.open(location)
    let gateway = try await Gateway(policy: policy, policyHash: "bench", store: store, register: register, keys: keys,
                                    passwordThreads: 1, passwordHasher: PasswordHasher(logN: 10, r: 8, p: 1))
    for party in extra { try await store.upsert(party: party, created: RegisterTime.format(Date())) }
    let school = try await benchLogin(gateway, party: "sovogo")
    let swv = try await benchLogin(gateway, party: "swv-go", role: .swvSecretaris, username: "bench-swv")
    let lpa = try await benchLogin(gateway, party: "gemeente-goeree-overflakkee", role: .leerplichtambtenaar, username: "bench-lpa")
    let trace = try TraceContext.fresh()
    func decoded<T: Decodable>(_ type: T.Type, _ json: String) throws -> T { try JSONDecoder().decode(type, from: Data(json.utf8)) }

    let setupStart = now()
    for number in 1...pupils {
        let created = try await gateway.createCase(decoded(NewCase.self, """
            {"name":"Benchmarkleerling \(number)","birthDate":"2012-05-06","caseType":"verzuim","phase":"casusoverleg",
             "facts":{"absence":"verzuim sinds oktober (\(number))","lastSchool":"RGO"},"parties":["swv-go","gemeente-goeree-overflakkee"]}
            """), by: school, trace: trace)
        _ = try await gateway.recordInforming(caseRef: created.id, informedAt: "2026-11-01", method: "brief", by: school, trace: trace)
        _ = try await gateway.disclose(decoded(DisclosureInput.self, """
            {"caseId":"\(created.id)","recipient":"swv-go","forum":"thuiszitterstafel","purpose":"3.1.a","fields":["name","birthDate","absence"]}
            """), by: school, trace: trace)
        guard let id = try await store.caseID(ref: created.id, party: "sovogo"), let swvRef = try await store.ref(caseID: id, party: "swv-go"),
              let lpaRef = try await store.ref(caseID: id, party: "gemeente-goeree-overflakkee/leerplicht") else { throw UsageError("case \(number)") }
        _ = try await gateway.updateCase(lpaRef, decoded(CaseUpdate.self, #"{"facts":{"masInterventions":"gesprek gevoerd (\#(number))"}}"#),
                                         by: lpa, trace: trace)
        _ = try await gateway.registerOnTafel(decoded(TafelRegistrationInput.self, """
            {"caseId":"\(swvRef)","caseType":"verzuim","summary":"Thuiszittend sinds de herfst (\(number))","progress":"Kernteam zoekt een plek (\(number))"}
            """), by: swv, trace: trace)
    }
    let setup = now() - setupStart

    let meeting = CalendarDate.amsterdam(Date()).adding(days: 7)
    var previews: [UInt64] = [], sends: [UInt64] = [], totals: [UInt64] = []
    var receipt: TafelSendReceipt?
    var previewBytes = 0
    var entriesPerSend: Int64 = 0
    for _ in 0..<(runs + 1) {  // the first run warms up and is not counted
        let agenda = try await gateway.composeAgenda(decoded(TafelAgendaInput.self, #"{"meeting":"\#(meeting)"}"#), by: swv, trace: trace)
        let t0 = now()
        let preview = try await gateway.previewTafel(agenda.id, by: swv, trace: trace)
        let t1 = now()
        let before = await register.size
        receipt = try await gateway.sendTafel(agenda.id, ifMatch: "\"\(preview.tag)\"", by: swv, trace: trace)
        let t2 = now()
        entriesPerSend = await register.size - before
        previewBytes = preview.json.utf8.count
        previews.append(t1 - t0)
        sends.append(t2 - t1)
        totals.append(t2 - t0)
    }
    await gateway.access.close()
    try await store.close()
    try await register.close()
    func median(_ samples: [UInt64]) -> String { medianMilliseconds(samples, decimals: 0) }
    let participants = (receipt?.deliveries.count ?? 0) + (receipt?.notSent.count ?? 0)
    print("""
        sluis-bench — thuiszitterstafel through the gateway's store (SQLite), \(pupils) pupils × \(participants) participants, median of \(runs) runs
        setup (cases, informing, aanmelding, facts, list): \(String(format: "%.1f s", Double(setup) / 1e9)); preview \(previewBytes) bytes; \
        per send \(receipt?.deliveries.count ?? 0) bundles, \(entriesPerSend) register entries
        | measure | median |
        | --- | --- |
        | preview (snapshot, document, engine, hide, register entry) | \(median(previews)) |
        | send (snapshot, views, seal, register, deliveries, one commit) | \(median(sends)) |
        | preview + send | \(median(totals)) |
        """)
}
