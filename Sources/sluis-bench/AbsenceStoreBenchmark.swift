import Foundation
import SluisCorpus
import SluisCovenant
import SluisCrypto
import SluisGateway
import SluisRegister
import SluisStore

// The absence benchmark through the gateway and its store:
// `sluis-bench absence-store [--pupils N] [--runs R] [--seed S] [--policies DIR]`.
// One generated school year (AbsenceGenerator, the in-memory benchmark's file) imported by a
// school board's zorgcoördinator into a fresh SQLite file — parse, encrypt every pupil key,
// replace the period and write the register entry in one transaction — then its signals
// computed from what was stored (read, decrypt, evaluate, write the JSON). Target: import +
// signals under 2 s for 1,500 pupils (issue 10).

func runAbsenceStoreBenchmark(_ arguments: [String]) async throws {
    let options = try AbsenceBenchmarkOptions(arguments, runs: 5, takesPolicies: true)
    let (pupils, runs, seed) = options.values
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-bench-absence-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }

    // A gateway on a fresh SQLite file, its clock on the school year's last day.
    let sources = try PolicySources.read(directory: options.policies)
    let policy = try PolicyLoader.load(sources)
    let keys = KeyDirectory(work.appendingPathComponent("keys").path)
    _ = try DevelopmentKeys.ensure(keys, policy: policy)
    let location = DatabaseLocation.sqlite(path: work.appendingPathComponent("sluis.sqlite").path)
    let register = try await RegisterStore.open(location, signer: try CheckpointSigner(name: KeyDirectory.registerKeyName, key: keys.registerKey()))
    let store = try await GatewayStore.open(location)
    let schoolYear = 2025
    let lastDay = AbsenceGenerator.lastDay(ofSchoolYear: schoolYear)
    let noon = Calendar(identifier: .gregorian).date(from: DateComponents(timeZone: TimeZone(identifier: "UTC"), year: lastDay.year,
                                                                          month: lastDay.month, day: lastDay.day, hour: 10))!
    let cheap = PasswordHasher(logN: 10, r: 8, p: 1)
    let gateway = try await Gateway(policy: policy, policyHash: "bench", store: store, register: register, keys: keys, now: { noon },
                                    passwordThreads: 1, passwordHasher: cheap)
    let principal = try await benchLogin(gateway, party: "sovogo")
    let trace = try TraceContext.fresh()

    var generator = AbsenceGenerator(seed: seed)
    let file = generator.csv(pupils: pupils, schoolYear: schoolYear)
    var imports: [UInt64] = [], evaluations: [UInt64] = [], totals: [UInt64] = []
    var registrations = 0, signals = 0
    for _ in 0..<(runs + 1) {  // the first import fills an empty store; the runs after replace the year
        let t0 = now()
        let receipt = try await gateway.importAbsence(contentType: "text/csv", body: { file }, by: principal, trace: trace)
        let t1 = now()
        let answer = try await gateway.absenceSignals(today: lastDay.description, by: principal, trace: trace)
        let t2 = now()
        registrations = receipt.registrations
        signals = answer.components(separatedBy: "\"signal\"").count - 1
        imports.append(t1 - t0)
        evaluations.append(t2 - t1)
        totals.append(t2 - t0)
    }
    await gateway.access.close()
    try await store.close()
    try await register.close()
    func milliseconds(_ nanoseconds: UInt64) -> String { String(format: "%.0f ms", Double(nanoseconds) / 1e6) }
    func median(_ samples: [UInt64]) -> String {
        let sorted = samples.dropFirst().sorted()
        return milliseconds(sorted[sorted.count / 2])
    }
    print("""
        sluis-bench — absence through the gateway's store (SQLite), \(pupils) pupils, school year \(schoolYear)-\(schoolYear + 1) (seed \(seed))
        file: \(file.count) bytes, \(registrations) registrations; \(signals) signals; first import into an empty store, then median of \(runs) re-imports
        | measure | first | median |
        | --- | --- | --- |
        | import (parse, encrypt keys, replace the year, register entry, commit) | \(milliseconds(imports[0])) | \(median(imports)) |
        | signals (read, decrypt keys, evaluate, JSON) | \(milliseconds(evaluations[0])) | \(median(evaluations)) |
        | import + signals | \(milliseconds(totals[0])) | \(median(totals)) |
        """)
}

/// A delegate (by default a school board's zorgcoördinator), made and logged in with password
/// and TOTP as a person would.
func benchLogin(_ gateway: Gateway, party id: String, role: DelegateRole = .zorgcoordinator, username: String = "bench-zco") async throws -> Principal {
    guard let party = try await gateway.store.party(id) else { throw UsageError("party \(id)") }
    let password = SecureBytes(Array("benchmark-wachtwoord".utf8))
    let (_, uri) = try await gateway.access.createDelegate(username: username, party: party, role: role, password: password)
    guard let secret = URLComponents(string: uri)?.queryItems?.first(where: { $0.name == "secret" })?.value.flatMap(Base32.decode) else {
        throw UsageError("provisioning URI")
    }
    let trace = try TraceContext.fresh()
    let code = try TOTP(secret: SecureBytes(secret)).code(at: Int64(gateway.now().timeIntervalSince1970))
    let session = try await gateway.access.login(username: username, password: password, code: code, trace: trace)
    return try await gateway.access.authenticate(token: session.token, trace: trace)
}
