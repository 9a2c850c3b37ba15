import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisCrypto
@testable import SluisGateway
@testable import SluisRegister
@testable import SluisServer
@testable import SluisStore

/// The inzage report (convenant art. 13.1 sub a; fn 27) and the subject queries of the register
/// (issue 12 item 8), over HTTP, on a register with many pupils.
@Suite("Inzage and subject queries", .serialized)
struct InzageTests {
    /// Made-up pupils, each name and text unique and no prefix of another (fixed length).
    static let pupils = ["Zqxab", "Zqxcd", "Zqxef", "Zqxgh", "Zqxij", "Zqxkl", "Zqxmn", "Zqxop", "Zqxqr", "Zqxst"]

    struct Pupil { var name: String; var ref: String; var caseID: String; var pseudonym: String }

    /// Ten school cases (sovogo) with the SWV, the gemeente and the CJG taking part, each with its
    /// own facts, disclosures to the leerplicht and the SWV, one refusal, and fetches — a register
    /// of many pupils.
    /// Returns the zorgcoördinator's and the leerplichtambtenaar's tokens with the pupils.
    func manyPupils(_ fixture: ServerFixture, _ client: some TestClientProtocol) async throws -> (zco: String, lpa: String, pupils: [Pupil]) {
        let zco = try await client.login(fixture, "zco"), lpa = try await client.login(fixture, "lpa")
        var made: [Pupil] = []
        for (number, token) in Self.pupils.enumerated() {
            let created = try await client.call(.post, "/v1/cases", token: zco, json: """
                {"name":"Kind \(token)","birthDate":"2012-05-06","facts":{"absence":"verzuimtekst-\(token)"},"caseType":"verzuim",
                 "parties":["swv-go","gemeente-goeree-overflakkee","cjg-rijnmond"]}
                """)
            #expect(created.status == .created, "\(created.body)")
            let ref = try #require(jsonObject(created.body)["id"] as? String)
            _ = try await client.call(.post, "/v1/cases/\(ref)/informing", token: zco, json: #"{"informedAt":"2026-11-01","method":"brief"}"#)
            for (recipient, purpose) in [("gemeente-goeree-overflakkee", "3.1.a"), ("swv-go", "3.1.a"), ("swv-go", number % 3 == 0 ? "marketing" : "3.1.b")] {
                _ = try await client.call(.post, "/v1/disclosures", token: zco, json: """
                    {"caseId":"\(ref)","recipient":"\(recipient)","forum":"casusoverleg","purpose":"\(purpose)","fields":["name","absence"]}
                    """)
            }
            let caseID = try #require(try await fixture.gateway.store.caseID(ref: ref, party: "sovogo"))
            let record = try #require(try await fixture.gateway.store.case(caseID))
            // Independent of the code under test: the pseudonym computed here from the pupil key.
            let pseudonym = try fixture.gateway.pseudonyms.pseudonym(of: record.pupilKey, for: "sluis-register")
            made.append(Pupil(name: "Kind \(token)", ref: ref, caseID: caseID, pseudonym: pseudonym))
        }
        // The leerplicht fetches what it received: entries about the pupils by another party.
        let mailbox = jsonObject(try await client.call(.get, "/v1/mailbox?limit=100", token: lpa).body)
        for item in (mailbox["disclosures"] as? [[String: Any]] ?? []).prefix(4) {
            _ = try await client.call(.get, "/v1/mailbox/\(item["id"] as! String)/bundle", token: lpa)
        }
        return (zco, lpa, made)
    }

    /// Every register entry about `pupil`, by a full scan of the register with no filter but the
    /// page: the independent query the report is compared with.
    func scannedIndexes(_ fixture: ServerFixture, _ pupil: Pupil) async throws -> [Int64] {
        var indexes: [Int64] = [], after: Int64?
        repeat {
            let page = try await fixture.gateway.register.list(RegisterFilter(after: after, limit: 1000))
            indexes += page.entries.filter { $0.subject == pupil.pseudonym }.map(\.index)
            after = page.next
        } while after != nil
        return indexes
    }

    /// The register indexes a report's last table lists (`<tr><td>N</td>`: only that table starts a row with a number).
    static func listedIndexes(_ html: String) -> [Int64] {
        html.matches(of: /<tr><td>(\d+)<\/td>/).map { Int64($0.output.1)! }
    }

    /// An LDV record's attribute (a list of key/value pairs, as OpenTelemetry writes them).
    static func attribute(_ record: [String: Any], _ key: String) -> String? {
        (record["attributes"] as? [[String: Any]])?.first { $0["key"] as? String == key }?["value"] as? String
    }

    @Test("Art. 13.1 sub a, fn 27: the inzage report lists exactly the register's entries about the pupil and no other pupil's name, data, reference or pseudonym",
          arguments: ServerFixture.databases)
    func art13_1a_reportListsExactlyThePupilsEntries_onARegisterWithManyPupils(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (zco, _, pupils) = try await manyPupils(fixture, client)
            for pupil in [pupils[0], pupils[4], pupils[9]] {
                let expected = try await scannedIndexes(fixture, pupil)
                #expect(expected.count >= 3, "the pupil's disclosures and refusals are on the register")
                let answer = try await client.call(.get, "/v1/cases/\(pupil.ref)/inzage?format=html", token: zco)
                #expect(answer.status == .ok && answer.headers[.contentType] == "text/html; charset=utf-8")
                let html = answer.body
                #expect(Self.listedIndexes(html) == expected, "the report's entries equal the scan's")
                #expect(html.contains(pupil.name) && html.contains("verzuimtekst-\(pupil.name.dropFirst(5))") && html.contains(pupil.pseudonym))
                for other in pupils where other.ref != pupil.ref {
                    let token = other.name.dropFirst(5)
                    #expect(!html.contains(token), "no other pupil's name or text")
                    #expect(!html.contains(other.ref) && !html.contains(other.pseudonym) && !html.contains(other.caseID))
                }
            }
            // The reports are themselves on the register, about their pupil only: a second report
            // lists the first report's entry too.
            let again = try await client.call(.get, "/v1/cases/\(pupils[0].ref)/inzage", token: zco)
            let after = try await scannedIndexes(fixture, pupils[0])
            #expect(Self.listedIndexes(again.body) == Array(after.dropLast()))
            #expect(try await fixture.gateway.register.verifyAll().problem == nil)
        }
    }

    @Test("Art. 13.1 sub a: the report's generation and delivery is an entry inzage with the pupil's pseudonym and the SHA-256 of the bytes handed over; audited",
          arguments: ServerFixture.databases)
    func art13_1a_reportIsOnTheRegisterWithItsDigest(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (zco, _, pupils) = try await manyPupils(fixture, client)
            let pupil = pupils[2]
            let answer = try await client.execute(uri: "/v1/cases/\(pupil.ref)/inzage", method: .get, headers: [.authorization: "Bearer \(zco)"]) { $0 }
            let bytes = Array(buffer: answer.body)
            let entry = try #require(try await fixture.gateway.register.list(RegisterFilter(newestFirst: true, limit: 1)).entries.first)
            #expect(entry.operation == "inzage" && entry.activity == "inzage-betrokkene" && entry.sender == "sovogo" && entry.recipient == nil)
            let digest = try SHA256.hex(bytes)
            #expect(entry.subject == pupil.pseudonym && entry.bundleDigest == digest)
            #expect(entry.basis.contains { $0.hasPrefix("formaat: html; registerregels: ") })
            let audit = try await fixture.gateway.store.audit(limit: 1000)
            #expect(audit.contains { $0.detail.hasPrefix("inzage case \(pupil.caseID): html, register entry \(entry.index)") })
        }
    }

    @Test("Art. 13.1 sub a, Bijlage 3 §3 (interpretation): only the regisseur — the party that brought the case in or the forum's convener — makes the report; another participant 403, an outsider 404, the FG 403",
          arguments: ServerFixture.databases)
    func art13_1a_interpretation_onlyTheRegisseurMakesTheReport_notTheFG(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (zco, lpa, pupils) = try await manyPupils(fixture, client)
            let pupil = pupils[1]
            let lpaRef = try #require(try await fixture.gateway.store.ref(caseID: pupil.caseID, party: "gemeente-goeree-overflakkee/leerplicht"))
            #expect(try await client.call(.get, "/v1/cases/\(lpaRef)/inzage", token: lpa).status == .forbidden)
            #expect(try await client.call(.get, "/v1/cases/\(pupil.ref)/inzage", token: try await client.login(fixture, "zco-other")).status == .notFound)
            let fg = try await client.call(.get, "/v1/cases/\(pupil.ref)/inzage", token: try await client.login(fixture, "fg-own"))
            #expect(fg.status == .forbidden && (jsonObject(fg.body)["article"] as? String)?.contains("13.1 sub a") == true)
            let bad = try await client.call(.get, "/v1/cases/\(pupil.ref)/inzage?format=docx", token: zco)
            #expect(bad.status == .badRequest && jsonObject(bad.body)["field"] as? String == "format")
            // RFC 9110 §9.3.2: HEAD is checked like GET but makes and registers no report.
            let head = try await client.call(.head, "/v1/cases/\(pupil.ref)/inzage?format=pdf", token: zco)
            #expect(head.status == .ok && head.body.isEmpty && head.headers[.contentType] == "application/pdf")
            #expect(try await fixture.gateway.register.list(RegisterFilter(activity: "inzage-betrokkene")).entries.isEmpty, "nothing made, nothing registered")
        }
    }

    @Test("Art. 13.1 sub a: every stored text is escaped in the HTML — a fact that looks like markup stays text")
    func art13_1a_storedTextIsEscaped() async throws {
        try await ServerFixture.with { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let created = try await client.call(.post, "/v1/cases", token: zco, json: """
                {"name":"Kind Zqxyz","birthDate":"2012-05-06","facts":{"absence":"<script>alert(1)</script> & \\"zo\\""},"caseType":"verzuim"}
                """)
            let ref = try #require(jsonObject(created.body)["id"] as? String)
            let html = try await client.call(.get, "/v1/cases/\(ref)/inzage", token: zco).body
            #expect(!html.contains("<script>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;zo&quot;"))
        }
    }

    @Test("Art. 13.1 sub a: the PDF is printed by headless Chromium from the same page (CI installs chromium: .ci/setup)")
    func art13_1a_pdfIsPrintedByChromium() async throws {
        try await ServerFixture.with { fixture, client in
            let (zco, _, pupils) = try await manyPupils(fixture, client)
            let pupil = pupils[3]
            let answer = try await client.execute(uri: "/v1/cases/\(pupil.ref)/inzage?format=pdf", method: .get,
                                                  headers: [.authorization: "Bearer \(zco)"]) { $0 }
            #expect(answer.status == .ok && answer.headers[.contentType] == "application/pdf")
            let bytes = Array(buffer: answer.body)
            #expect(bytes.starts(with: Array("%PDF-".utf8)) && bytes.count > 10_000)
            let entry = try #require(try await fixture.gateway.register.list(RegisterFilter(newestFirst: true, limit: 1)).entries.first)
            let digest = try SHA256.hex(bytes)
            #expect(entry.basis.contains { $0.hasPrefix("formaat: pdf;") } && entry.bundleDigest == digest)
        }
    }

    @Test("Issue 12 item 8: the regisseur's subject query pages (Link rel=next) through exactly the pupil's entries as LDV records; the FG by pseudonym sees its own party's; each query is registered",
          arguments: ServerFixture.databases)
    func item8_subjectQueryPagesThroughExactlyThePupilsEntries(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (zco, _, pupils) = try await manyPupils(fixture, client)
            let pupil = pupils[5]
            let expected = try await scannedIndexes(fixture, pupil)
            var seen: [Int64] = [], uri: String? = "/v1/register/subjects?case=\(pupil.ref)&limit=2", pages = 0
            while let next = uri {
                let answer = try await client.call(.get, next, token: zco)
                #expect(answer.status == .ok && answer.headers[.contentType] == "application/x-ndjson", "\(answer.body)")
                let records = answer.body.split(separator: "\n").map { jsonObject(String($0)) }
                #expect(records.count <= 2)
                for record in records {
                    #expect(Self.attribute(record, "dpl.core.data_subject_id") == pupil.pseudonym, "no other pupil's record")
                    seen.append(try #require(Self.attribute(record, "dpl.sluis.register_index").flatMap { Int64($0) }))
                }
                uri = answer.headers[API.link].flatMap { $0.firstMatch(of: /<([^>]+)>; rel="next"/).map { String($0.output.1) } }
                pages += 1
            }
            // A snapshot: the pages' own entries (each query is an entry about the pupil) are not paged.
            #expect(seen == expected && pages >= 2 && pages == (expected.count + 1) / 2)
            // Each page is an entry about the pupil (subject-query), not about any other.
            let queries = try await fixture.gateway.register.list(RegisterFilter(activity: "inzage-betrokkene", limit: 100)).entries
            #expect(queries.count == pages && queries.allSatisfy { $0.operation == "subject-query" && $0.subject == pupil.pseudonym })
            // A period: nothing before the first entry's time.
            let empty = try await client.call(.get, "/v1/register/subjects?case=\(pupil.ref)&to=2000-01-01", token: zco)
            #expect(empty.status == .ok && empty.body.isEmpty)
            // The FG by pseudonym: its own party's entries about the pupil — the school sent every
            // one of them, the regisseur's queries included.
            let now = try await scannedIndexes(fixture, pupil)
            let fgOwn = try await client.login(fixture, "fg-own")
            let fg = try await client.call(.get, "/v1/register/subjects?subject=\(pupil.pseudonym)&limit=1000", token: fgOwn)
            let fgIndexes = fg.body.split(separator: "\n").map { Self.attribute(jsonObject(String($0)), "dpl.sluis.register_index").flatMap { Int64($0) } }
            #expect(fg.status == .ok && fgIndexes.compactMap { $0 } == now)
            let other = try await client.call(.get, "/v1/register/subjects?subject=\(pupil.pseudonym)", token: try await client.login(fixture, "fg-other"))
            #expect(other.status == .ok && other.body.isEmpty, "another party's FG sees none of them")
            // Exactly one of case or subject; a pseudonym's shape; the parameter named, never the value.
            for query in ["", "case=\(pupil.ref)&subject=\(pupil.pseudonym)"] {
                let bad = try await client.call(.get, "/v1/register/subjects?\(query)", token: zco)
                #expect(bad.status == .badRequest && jsonObject(bad.body)["field"] as? String == "case")
            }
            let typed = try await client.call(.get, "/v1/register/subjects?subject=Kind%20Zqxab", token: fgOwn)
            #expect(typed.status == .badRequest && jsonObject(typed.body)["field"] as? String == "subject" && !typed.body.contains("Zqxab"))
        }
    }

    @Test("Art. 13.2, art. 3.4 sub c, found in review: the report shows the contents its maker's party holds; of another party (the CJG's health data) only that it holds the field and that it answers for it; in plain Dutch (no ISO times, no codes)",
          arguments: ServerFixture.databases)
    func art13_2_interpretation_theReportShowsOnlyTheMakersOwnContents(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Inzage", caseType: "verzuim")
            try await t.cjgHealthData(school, "Gezondheid-Geheim", consentForSWV: false)
            let report = try await t.call("zco", .get, "/v1/cases/\(school)/inzage")
            #expect(report.status == .ok, "\(report.body)")
            #expect(!report.body.contains("Gezondheid-Geheim"), "another party's content")
            #expect(report.body.contains("Verzuim-Inzage"), "the school's own fact")
            #expect(report.body.contains("convenant art. 13.2"), "where the rest is asked")
            // Plain Dutch for a parent (a newcomer's finding): no ISO times, no operation codes.
            #expect(report.body.range(of: #"\d{4}-\d{2}-\d{2}T\d{2}"#, options: .regularExpression) == nil, "times in Dutch words")
            #expect(!report.body.contains(">disclose<") && !report.body.contains(">refuse<"))
        }
    }
}
