import Foundation
import SluisCovenant
import SluisCrypto
import SluisGateway
import SluisRegister
import SluisStore

// The inzage report on a big register: `sluis-bench inzage [--entries N] [--runs R]
// [--postgres URL] [--policies DIR]` (defaults 1,000,000 entries, 5 runs, SQLite). Twenty real
// school cases through the gateway (identity, facts, informing, two disclosures and a refusal
// each); then the register is filled to N entries in commits of 1,000 (`append(batch:)`: real
// entries, hashed into the tree under signed checkpoints) about 5,000 other pupils, with one
// entry about the measured pupil every 50,000. Timed: the report as HTML through the gateway
// (authorize, read the case, decrypt, query the register by the pupil's pseudonyms with
// migration 15's index, render, register the report in its own commit), a first subject-query
// page, and the PDF (headless Chromium). Target (issue 12): the report under 1 s. Last, verify
// proves the register is real.

func runInzageBenchmark(_ arguments: [String]) async throws {
    var entries = 1_000_000, runs = 5
    var postgres: String?
    var policies = ProcessInfo.processInfo.environment["SLUIS_POLICIES"] ?? "Policies"
    var iterator = arguments.makeIterator()
    while let option = iterator.next() {
        guard let value = iterator.next() else { throw UsageError(option) }
        switch option {
        case "--entries": entries = try Options.number(value, option)
        case "--runs": runs = try Options.number(value, option)
        case "--postgres": postgres = value
        case "--policies": policies = value
        default: throw UsageError(option)
        }
    }
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-bench-inzage-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let policy = try PolicyLoader.load(try PolicySources.read(directory: policies))
    let keys = KeyDirectory(work.appendingPathComponent("keys").path)
    _ = try DevelopmentKeys.ensure(keys, policy: policy)
    let location: DatabaseLocation = postgres.map { url in
        .postgres(url: url + (url.contains("?") ? "&" : "?") + "schema=bench_inzage_\(UInt32.random(in: 0...UInt32.max))")
    } ?? .sqlite(path: work.appendingPathComponent("sluis.sqlite").path)
    let register = try await RegisterStore.open(location, signer: try CheckpointSigner(name: KeyDirectory.registerKeyName, key: keys.registerKey()))
    let store = try await GatewayStore.open(location)
    let gateway = try await Gateway(policy: policy, policyHash: "bench", store: store, register: register, keys: keys,
                                    passwordThreads: 1, passwordHasher: PasswordHasher(logN: 10, r: 8, p: 1))
    let school = try await benchLogin(gateway, party: "sovogo")
    let trace = try TraceContext.fresh()

    var refs: [String] = []
    for number in 1...20 {
        let created = try await gateway.createCase(try JSONDecoder().decode(NewCase.self, from: Data("""
            {"name":"Benchmarkleerling \(number)","birthDate":"2012-05-06","caseType":"verzuim",
             "facts":{"absence":"verzuim sinds oktober (\(number))","lastSchool":"RGO"},"parties":["swv-go","gemeente-goeree-overflakkee"]}
            """.utf8)), by: school, trace: trace)
        _ = try await gateway.recordInforming(caseRef: created.id, informedAt: "2026-11-01", method: "brief", by: school, trace: trace)
        for (recipient, purpose) in [("gemeente-goeree-overflakkee", "3.1.a"), ("swv-go", "3.1.a"), ("swv-go", "marketing")] {
            _ = try? await gateway.disclose(try JSONDecoder().decode(DisclosureInput.self, from: Data("""
                {"caseId":"\(created.id)","recipient":"\(recipient)","forum":"casusoverleg","purpose":"\(purpose)","fields":["name","absence"]}
                """.utf8)), by: school, trace: trace)
        }
        refs.append(created.id)
    }
    let pupil = refs[0]
    let probe = try await gateway.inzage(pupil, format: "html", by: school, trace: trace)
    let subject = try requireBench(try await register.list(RegisterFilter(newestFirst: true, limit: 1)).entries.first?.subject, "the report's entry")

    // Fill to `entries` in commits of 1,000; one entry in 50,000 is about the measured pupil.
    let fillStart = now()
    var size = Int(await register.size)
    while size < entries {
        let count = min(1000, entries - size)
        _ = try await register.append(batch: (size..<(size + count)).map { n in
            var entry = benchEntry(n)
            if n % 50_000 == 0 { entry.subject = subject }
            return entry
        })
        size += count
    }
    let fillSeconds = Double(now() - fillStart) / 1e9

    var html: [UInt64] = [], pages: [UInt64] = []
    var listed = probe.entryIndexes.count, bytes = 0
    for _ in 0..<runs {
        let t0 = now()
        let document = try await gateway.inzage(pupil, format: "html", by: school, trace: trace)
        let t1 = now()
        _ = try await gateway.subjectRecords(SubjectQueryInput(caseRef: pupil, limit: 100), by: school, trace: trace)
        let t2 = now()
        html.append(t1 - t0)
        pages.append(t2 - t1)
        listed = document.entryIndexes.count
        bytes = document.bytes.count
    }
    let p0 = now()
    let pdf = try await gateway.inzage(pupil, format: "pdf", by: school, trace: trace)
    let pdfTime = now() - p0
    let verifyStart = now()
    let report = try await register.verifyAll()
    let verifySeconds = Double(now() - verifyStart) / 1e9
    await gateway.access.close()
    try await store.close()
    try await register.close()
    guard report.problem == nil else { throw CLIBenchFailure(description: "verify failed: \(report.problem!)") }
    func milliseconds(_ nanoseconds: UInt64) -> String { String(format: "%.0f ms", Double(nanoseconds) / 1e6) }
    func median(_ samples: [UInt64]) -> String { milliseconds(samples.sorted()[samples.count / 2]) }
    print("""
        sluis-bench — inzage on a register of \(report.entries) entries (\(postgres == nil ? "SQLite" : "PostgreSQL")), filled at \
        \(String(format: "%.0f", Double(entries) / fillSeconds)) entries/s; verify \(String(format: "%.1f s", verifySeconds)) (passed)
        the pupil: \(listed) register entries listed, HTML \(bytes) bytes, PDF \(pdf.bytes.count) bytes
        | measure | median of \(runs) | max |
        | --- | --- | --- |
        | inzage report as HTML (read, decrypt, register query, render, register entry) | \(median(html)) | \(milliseconds(html.max()!)) |
        | subject query, first page of 100 LDV records (with its register entry) | \(median(pages)) | \(milliseconds(pages.max()!)) |
        | inzage report as PDF (the above + headless Chromium), once | \(milliseconds(pdfTime)) | — |
        """)
}

/// The value, or a benchmark failure naming what was missing.
func requireBench<T>(_ value: T?, _ what: String = "value") throws -> T {
    guard let value else { throw CLIBenchFailure(description: "missing \(what)") }
    return value
}
