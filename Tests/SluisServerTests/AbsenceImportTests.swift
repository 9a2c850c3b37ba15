import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import SluisCovenant
@testable import SluisGateway
import SluisRegister
@testable import SluisServer
@testable import SluisStore

/// A school board's absence file into the running gateway, and the signals due on what it
/// stored (contract absence.md; verzuimprotocol 5.3–5.5, Bijlage 4).
@Suite("Absence import and signals over HTTP", .serialized)
struct AbsenceImportTests {
    /// Three pupils: 16 unauthorised hours in four weeks (relatief-verzuim), three late
    /// arrivals (te-laat-3), a day of luxury absence (luxe-verzuim). Dates in May 2026.
    static let file = """
        pupil,date,kind,hours,unit\r
        L-0001,2026-05-04,ongeoorloofd,6,lesuur\r
        L-0001,2026-05-06,ongeoorloofd,6,lesuur\r
        L-0001,2026-05-11,ongeoorloofd,4,lesuur\r
        L-0002,2026-05-04,te-laat,,\r
        L-0002,2026-05-05,te-laat,,\r
        L-0002,2026-05-12,te-laat,,\r
        L-0003,2026-05-07,luxe,5,klokuur\r
        L-0003,2026-05-13,ziek,,\r

        """
    static let pupils = ["L-0001", "L-0002", "L-0003"]

    /// The `sluis` command built beside the tests (`sluis absence evaluate`).
    static let sluis: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluis")
        return FileManager.default.isExecutableFile(atPath: beside.path) ? beside : ServerFixture.packageRoot.appendingPathComponent(".build/debug/sluis")
    }()

    @Test("Contract absence.md: the import is whole or nothing — one bad line stores nothing, and every error is listed as the contract words it",
          arguments: ServerFixture.databases)
    func contractImportIsWholeOrNothing(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let bad = """
                pupil,date,kind,hours,unit
                L-0001,2026-05-04,ongeoorloofd,6,lesuur
                L-0001,2026-05-06,ongeoorloofd,"1,5",lesuur
                L-0002,2026-05-04,te-laat,,
                L-0002,2026-02-30,absent,,
                L-0003,2999-01-01,luxe,5,klokuur

                """
            let refused = try await client.upload(bad, token: zco)
            #expect(refused.status == .unprocessableContent, "\(refused.body)")
            #expect(refused.headers[.contentType] == "application/problem+json")
            let errors = jsonObject(refused.body)["errors"] as? [String] ?? []
            // The same list, in the same words, as the parser (and so the CLI) gives.
            let expected: [String]
            do {
                _ = try AbsenceFile.parse(Array(bad.utf8), today: CalendarDate.amsterdam(fixture.clock.now()))
                expected = []
            } catch let refused as AbsenceFileErrors {
                expected = refused.errors.map(\.description)
            }
            #expect(errors == expected && errors.count == 4, "\(errors)")
            #expect(errors.first == #"line 3, column hours: "1,5" is not a number (use a dot)"#)
            #expect(try await fixture.gateway.store.absence(unit: "sovogo").isEmpty, "nothing was stored")
            #expect(try await fixture.gateway.register.list(.init(limit: 10)).entries.isEmpty, "nothing was imported, so nothing is registered")
            // A body that is no absence CSV at all is a 400, with the same list; a wrong media type a 415.
            let json = try await client.upload(#"{"pupil":"L-0001"}"#, token: zco)
            #expect(json.status == .badRequest && (jsonObject(json.body)["errors"] as? [String])?.first?.hasPrefix("line 1") == true, "\(json.body)")
            let typed = try await client.upload(Self.file, token: zco, contentType: "application/json")
            #expect(typed.status == .unsupportedMediaType, "\(typed.body)")
            // A good import after all that stores the whole file.
            let imported = try await client.upload(Self.file, token: zco)
            #expect(imported.status == .created, "\(imported.body)")
            let receipt = jsonObject(imported.body)
            #expect(receipt["registrations"] as? Int == 8 && receipt["pupils"] as? Int == 3 && receipt["replaced"] as? Int == 0)
            #expect(receipt["from"] as? String == "2026-05-04" && receipt["to"] as? String == "2026-05-13")
            #expect(try await fixture.gateway.store.absence(unit: "sovogo").count == 8)
        }
    }

    @Test("Interpretation (docs/casework.md): an import replaces the school's registrations within the file's date range in one transaction — re-importing a corrected export is idempotent",
          arguments: ServerFixture.databases)
    func interpretationReimportReplacesTheFilesPeriod(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let april = "pupil,date,kind,hours,unit\nL-0009,2026-04-01,geoorloofd,2,lesuur\n"
            #expect(try await client.upload(april, token: zco).status == .created)
            #expect(try await client.upload(Self.file, token: zco).status == .created)
            let signals = try await client.call(.get, "/v1/absence/signals?today=2026-06-01", token: zco)
            let again = try await client.upload(Self.file, token: zco)
            #expect(again.status == .created)
            #expect(jsonObject(again.body)["replaced"] as? Int == 8 && jsonObject(again.body)["registrations"] as? Int == 8)
            #expect(try await fixture.gateway.store.absence(unit: "sovogo").count == 9, "the same file twice: the same registrations, April untouched")
            #expect(try await client.call(.get, "/v1/absence/signals?today=2026-06-01", token: zco).body == signals.body)
            // A corrected export: the late arrival of 12 May was a mistake. The file's range is
            // 4–13 May, so the correction replaces it; April stays.
            let corrected = Self.file.replacingOccurrences(of: "L-0002,2026-05-12,te-laat,,\r\n", with: "")
            #expect(jsonObject(try await client.upload(corrected, token: zco).body)["replaced"] as? Int == 8)
            let after = jsonObject(try await client.call(.get, "/v1/absence/signals?today=2026-06-01", token: zco).body)
            #expect((after["signals"] as? [[String: Any]])?.contains { $0["signal"] as? String == "te-laat-3" } == false)
            #expect(try await fixture.gateway.store.absence(unit: "sovogo").count == 8)
            // A correction that drops the period's last day names the period: from and to.
            let withoutLastDay = corrected.replacingOccurrences(of: "L-0003,2026-05-13,ziek,,\r\n", with: "")
            let named = try await client.upload(withoutLastDay, token: zco, query: "?from=2026-05-01&to=2026-05-31")
            #expect(named.status == .created && jsonObject(named.body)["replaced"] as? Int == 7, "\(named.body)")
            #expect(try await fixture.gateway.store.absence(unit: "sovogo").count == 7)
            let outside = try await client.upload(april, token: zco, query: "?from=2026-05-01&to=2026-05-31")
            #expect(outside.status == .unprocessableContent, "\(outside.body)")
            // Every import is one register entry: a processing with no pupil key, not a disclosure.
            let entries = try await fixture.gateway.register.list(.init(limit: 100)).entries
            #expect(entries.count == 5 && entries.allSatisfy { $0.operation == "import" && $0.activity == ProcessingActivities.absenceImport })
        }
    }

    @Test("Contract absence.md: the signals endpoint answers the same bytes as `sluis absence evaluate` for the same file and day",
          arguments: ServerFixture.databases)
    func contractSignalsEqualTheCLI(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            #expect(try await client.upload(Self.file, token: zco).status == .created)
            let path = fixture.directory.appendingPathComponent("absence.csv")
            try Data(Self.file.utf8).write(to: path)
            for today in ["2026-05-14", "2026-06-01", "2026-11-30"] {
                let api = try await client.call(.get, "/v1/absence/signals?today=\(today)", token: zco)
                #expect(api.status == .ok && api.headers[.contentType] == "application/json")
                let cli = try Self.run([Self.sluis.path, "absence", "evaluate", path.path, "--today", today])
                #expect(cli.status == 0)
                #expect(api.body == cli.stdout, "today \(today)")
            }
            let signals = jsonObject(try await client.call(.get, "/v1/absence/signals?today=2026-05-14", token: zco).body)["signals"] as? [[String: Any]]
            #expect(signals?.map { $0["signal"] as? String } == ["relatief-verzuim", "te-laat-3", "luxe-verzuim"])
            #expect(try await client.call(.get, "/v1/absence/signals?today=2026-13-01", token: zco).status == .badRequest)
        }
    }

    @Test("Contract absence.md, issue 10 item 2: a signal the school's DUO melding answered is no longer listed; another board's melding answers nothing here",
          arguments: ServerFixture.databases)
    func contractAnsweredSignalsAreNotListed(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            #expect(try await client.upload(Self.file, token: zco).status == .created)
            let before = jsonObject(try await client.call(.get, "/v1/absence/signals?today=2026-06-01", token: zco).body)["signals"] as? [[String: Any]] ?? []
            #expect(before.map { $0["signal"] as? String } == ["relatief-verzuim", "te-laat-3", "luxe-verzuim"])
            // The other board answers "its" L-0001: keys are the school's own, so nothing changes here.
            let other = try await client.login(fixture, "zco-other")
            let signal = #"{"pupil":"L-0001","signal":"relatief-verzuim","since":"2026-05-11"}"#
            for (token, reference) in [(other, "DUO-H1"), (zco, "DUO-S1")] {
                let created = try await client.call(.post, "/v1/cases", token: token, json: DisclosureFlowTests.newCase)
                let ref = try #require(jsonObject(created.body)["id"] as? String, "\(created.body)")
                let melding = try await DuoMeldingTests().melding(client, token, ref, reference: reference, signal: signal)
                #expect(melding.status == .created, "\(melding.body)")
                let listed = jsonObject(try await client.call(.get, "/v1/absence/signals?today=2026-06-01", token: zco).body)["signals"] as? [[String: Any]] ?? []
                let expected = token == zco ? ["te-laat-3", "luxe-verzuim"] : ["relatief-verzuim", "te-laat-3", "luxe-verzuim"]
                #expect(listed.map { $0["signal"] as? String } == expected, "after \(reference)")
            }
        }
    }

    @Test("Contract absence.md: the register records the import with counts only — no pupil key anywhere in the register, nor in clear in the database",
          arguments: ServerFixture.databases)
    func contractRegisterHoldsNoPupilKey(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let imported = jsonObject(try await client.upload(Self.file, token: zco).body)
            let entries = try await fixture.gateway.register.list(.init(limit: 10)).entries
            let entry = try #require(entries.first)
            #expect(entries.count == 1 && entry.operation == "import" && entry.sender == "sovogo" && entry.recipient == nil)
            #expect(entry.decision == "none" && entry.subject == nil && entry.released.isEmpty)
            // Interpretation (docs/register.md): how many pupils, never which — tamper-evident for the FG.
            #expect(entry.subjectCount == 3)
            #expect((imported["register"] as? [String: Any])?["index"] as? Int == Int(entry.index))
            let stored = try #require(try await fixture.gateway.store.absenceImport(imported["importId"] as! String))
            #expect(stored.registrations == 8 && stored.pupils == 3 && stored.registerIndex == entry.index)
            let body = String(decoding: entry.canonicalJSON, as: UTF8.self)
            for pupil in Self.pupils { #expect(!body.contains(pupil)) }
            if case .sqlite(let path) = fixture.configuration.database {
                // The whole database, write-ahead log included: the keys are only there encrypted.
                var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                bytes += (try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data()
                for pupil in Self.pupils { #expect(bytes.range(of: Data(pupil.utf8)) == nil, "\(pupil) in the database file") }
            }
            #expect(!fixture.logs.all.joined().contains("L-000"), "no pupil key in the logs")
        }
    }

    @Test("Verzuimprotocol 5.3, 5.4: only a school board's zorgcoördinator imports or reads signals, and only its own board's — no other role, no other school",
          arguments: ServerFixture.databases)
    func protocol5_3OnlyTheSchoolsOwnZorgcoordinator(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            #expect(try await client.upload(Self.file, token: zco).status == .created)
            for username in ["lpa", "jeg", "swv", "jvk", "arts", "fg-own", "beheer"] {
                let token = try await client.login(fixture, username)
                let imported = try await client.upload(Self.file, token: token)
                #expect(imported.status == .forbidden && jsonObject(imported.body)["article"] as? String == "verzuimprotocol 5.3; convenant art. 15.1",
                        "\(username): \(imported.body)")
                #expect(try await client.call(.get, "/v1/absence/signals", token: token).status == .forbidden, "\(username)")
            }
            // Another school's zorgcoördinator sees its own board's (none) and changes only its own.
            let other = try await client.login(fixture, "zco-other")
            let seen = try await client.call(.get, "/v1/absence/signals?today=2026-06-01", token: other)
            #expect(seen.status == .ok && seen.body == AbsenceSignal.json([]) + "\n", "\(seen.body)")
            #expect(try await client.upload(Self.file.replacingOccurrences(of: "L-0001,2026-05-11,ongeoorloofd,4,lesuur\r\n", with: ""),
                                            token: other).status == .created)
            let (sovogo, horizon) = (try await fixture.gateway.store.absence(unit: "sovogo"), try await fixture.gateway.store.absence(unit: "horizon"))
            #expect(sovogo.count == 8 && horizon.count == 7)
            let own = jsonObject(try await client.call(.get, "/v1/absence/signals?today=2026-06-01", token: zco).body)["signals"] as? [[String: Any]]
            #expect(own?.first?["signal"] as? String == "relatief-verzuim")
            #expect(try await client.upload(Self.file, token: nil).status == .unauthorized)
        }
    }

    @Test("Contract absence.md: a file over the limit is refused with 413 before it is read whole", arguments: ServerFixture.databases)
    func contractOversizedFileIsRefused(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let line = "L-0001,2026-05-04,te-laat,,\n"
            let big = "pupil,date,kind,hours,unit\n" + String(repeating: line, count: Gateway.absenceFileLimit / line.utf8.count + 1)
            let refused = try await client.upload(big, token: zco)
            #expect(refused.status == .contentTooLarge && (jsonObject(refused.body)["detail"] as? String)?.contains("8 MiB") == true, "\(refused.body.prefix(300))")
            #expect(try await fixture.gateway.store.absence(unit: "sovogo").isEmpty)
        }
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

extension TestClientProtocol {
    /// Posts an absence file (`text/csv` unless told otherwise).
    func upload(_ csv: String, token: String?, query: String = "", contentType: String = "text/csv")
        async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        var headers: HTTPFields = [.contentType: contentType]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: "/v1/absence/imports" + query, method: .post, headers: headers, body: ByteBuffer(string: csv)) { response in
            (response.status, response.headers, String(buffer: response.body))
        }
    }
}
