import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import SluisCovenant
import Testing
@testable import SluisCrypto
@testable import SluisGateway
@testable import SluisServer
@testable import SluisStore
import SluisRegister

/// Issue 10 item 7, convenant art. 6.1 sub e: a professional may disclose without consent only
/// with a written professional justification; such a disclosure is marked on the register and
/// listed for the FG — over HTTP, on SQLite and PostgreSQL.
@Suite("Conflict of duties in the gateway (art. 6.1 sub e)", .serialized)
struct ConflictOfDutiesGatewayTests {
    /// A fictitious justification: two lines, CRLF between them.
    static let justification = "Zorgwekkende situatie thuis; ouders onbereikbaar na drie pogingen.\r\nAfweging volgens de KNMG-meldcode, besproken met de jeugdarts."

    struct Case {
        let zco, jvk, swv: String
        /// The case as the school and the CJG refer to it.
        let school, cjg: String
    }

    /// A school case the CJG takes part in, informed by the school; the CJG recorded health data
    /// and support facts of its own.
    static func setUp(_ fixture: ServerFixture, _ client: some TestClientProtocol) async throws -> Case {
        let zco = try await client.login(fixture, "zco"), jvk = try await client.login(fixture, "jvk"), swv = try await client.login(fixture, "swv")
        let created = try await client.call(.post, "/v1/cases", token: zco, json: DisclosureFlowTests.newCase)
        let school = try #require(jsonObject(created.body)["id"] as? String)
        #expect(try await client.call(.post, "/v1/cases/\(school)/informing", token: zco, json: #"{"informedAt":"2026-11-01","method":"brief"}"#).status == .created)
        let cjg = try await client.newestCaseRef(jvk)
        #expect(try await client.call(.patch, "/v1/cases/\(cjg)", token: jvk,
                                      json: #"{"facts":{"healthData":"JGZ-gegeven-gezondheid","supportFacts":"JGZ-gegeven-ondersteuning"}}"#).status == .ok)
        return Case(zco: zco, jvk: jvk, swv: swv, school: school, cjg: cjg)
    }

    /// A disclosure body; `justification` as a JSON string literal's content, nil for none.
    static func body(_ ref: String, to recipient: String = "sovogo", fields: String = #"["healthData","supportFacts"]"#,
                     justification: String? = Self.justification) -> String {
        let conflict = justification.map { text in
            #","conflictOfDuties":{"justification":"# + String(decoding: try! JSONEncoder().encode(text), as: UTF8.self) + "}"
        } ?? ""
        return #"{"caseId":"\#(ref)","recipient":"\#(recipient)","forum":"casusoverleg","purpose":"3.1.d","fields":\#(fields)\#(conflict)}"#
    }

    static func justificationRows(_ fixture: ServerFixture) async throws -> [JustificationRecord] {
        try await fixture.gateway.store.sql.raw("SELECT disclosure_id, text_cipher, written_by, written_at FROM disclosure_justifications").all()
            .map { try $0.decode(JustificationRecord.self, table: "disclosure_justifications") }
    }

    static func entries(_ fixture: ServerFixture) async throws -> [RegisterEntry] {
        try await fixture.gateway.register.list(.init(limit: 1000)).entries
    }

    @Test("Art. 6.1 sub e: without a justification a consent-less disclosure of consent fields is refused as before; with one it is released, marked and rests on AVG 6(1)(d), 9(2)(c)",
          arguments: ServerFixture.databases)
    func art6_1e_justificationReleasesAndMarks(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client)
            let refused = try await client.call(.post, "/v1/disclosures", token: c.jvk, json: Self.body(c.cjg, justification: nil))
            #expect(refused.status == .forbidden && jsonObject(refused.body)["code"] as? String == "sluis:disclosure-refused", "\(refused.body)")
            #expect(ConsentCaseworkTests.withheldRule(jsonObject(refused.body), "healthData") == "special-category-needs-consent")
            #expect(ConsentCaseworkTests.withheldRule(jsonObject(refused.body), "supportFacts") == "consent-required")
            #expect(try await Self.entries(fixture).last?.conflictOfDuties == [], "a refusal is not marked")

            let sent = try await client.call(.post, "/v1/disclosures", token: c.jvk, json: Self.body(c.cjg))
            #expect(sent.status == .created, "\(sent.body)")
            let receipt = jsonObject(sent.body)
            #expect(receipt["released"] as? [String] == ["healthData", "supportFacts"])
            let outcome = try #require(receipt["conflictOfDuties"] as? [String: Any])
            #expect(outcome["overridden"] as? [String] == ["healthData", "supportFacts"] && outcome["marked"] as? Bool == true)
            let gdpr = (receipt["basis"] as? [[String: Any]] ?? []).compactMap { $0["gdpr"] as? String }
            #expect(gdpr.contains("6(1)(d)") && gdpr.contains("9(2)(c)") && !gdpr.contains("9(2)(a)"), "\(gdpr)")

            // On the register: marked, and nothing of the justification anywhere on it.
            let index = try #require((receipt["register"] as? [String: Any])?["index"] as? Int)
            let entries = try await Self.entries(fixture)
            let entry = try #require(entries.first { $0.index == Int64(index) })
            #expect(entry.operation == "disclose" && entry.conflictOfDuties == ["healthData", "supportFacts"])
            #expect(entry.basis.contains { $0.hasPrefix("6(1)(d)") && $0.contains("art. 6.1 sub e") })
            for entry in entries {
                #expect(!String(decoding: entry.canonicalJSON, as: UTF8.self).contains("Zorgwekkende"), "entry \(entry.index)")
            }
            #expect(try await fixture.gateway.register.verifyAll().problem == nil)

            // Kept with the disclosure, encrypted: the raw row holds no plaintext, and opens only
            // with the data key under its own disclosure's id.
            let rows = try await Self.justificationRows(fixture)
            let row = try #require(rows.first)
            #expect(rows.count == 1 && row.disclosureID == receipt["disclosureId"] as? String)
            #expect(Hex.decode(row.textCipher) != nil && !row.textCipher.contains("Zorgwekkende"))
            #expect(!row.textCipher.contains(Hex.encode(Array("Zorgwekkende".utf8))))
            #expect(try fixture.gateway.open(row.textCipher, context: "conflict-of-duties:\(row.disclosureID)") == Self.justification)
            #expect(throws: GatewayError.self) { try fixture.gateway.open(row.textCipher, context: "conflict-of-duties:another-disclosure") }
            if case .sqlite(let path) = fixture.configuration.database {
                for file in [path, path + "-wal"] {
                    guard let bytes = FileManager.default.contents(atPath: file) else { continue }
                    #expect(bytes.range(of: Data("Zorgwekkende".utf8)) == nil, "plaintext in \(file)")
                }
            }

            // The recipient's bundle names the basis and the fields, never the justification.
            let item = try #require((jsonObject(try await client.call(.get, "/v1/mailbox", token: c.zco).body)["disclosures"] as? [[String: Any]])?.first)
            let text = try await fixture.openedBundle(client, disclosure: try #require(item["id"] as? String), token: c.zco, recipient: "sovogo",
                                                      sender: "cjg-rijnmond")
            let content = jsonObject(text)
            #expect(content["conflictOfDuties"] as? [String] == ["healthData", "supportFacts"])
            let bases = (content["basis"] as? [[String: Any]] ?? []).compactMap { $0["article"] as? String }
            #expect(bases.contains { $0.contains("art. 6.1 sub e") }, "\(bases)")
            #expect(!text.contains("Zorgwekkende") && !text.contains("KNMG"))
            #expect(!fixture.logs.all.contains { $0.contains("Zorgwekkende") || $0.contains("KNMG") }, "the justification is never logged")
        }
    }

    @Test("Art. 6.1 sub b, e: where consent suffices the conflict of duties carries nothing — the disclosure rests on consent, is not marked, and the justification is not kept",
          arguments: ServerFixture.databases)
    func art6_1e_interpretation_consentSufficesNothingMarked(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client)
            _ = try await ConsentCaseworkTests.consent(client, c.jvk, case: c.cjg, fields: #"["supportFacts"]"#,
                                                       givers: [ServerFixture.given("parent"), ServerFixture.given("pupil")])
            let sent = try await client.call(.post, "/v1/disclosures", token: c.jvk, json: Self.body(c.cjg, to: "swv-go", fields: #"["supportFacts"]"#))
            #expect(sent.status == .created, "\(sent.body)")
            let outcome = try #require(jsonObject(sent.body)["conflictOfDuties"] as? [String: Any])
            #expect(outcome["overridden"] as? [String] == [] && outcome["marked"] as? Bool == false)
            #expect((outcome["note"] as? String)?.contains("consent covered every released field") == true)
            let gdpr = (jsonObject(sent.body)["basis"] as? [[String: Any]] ?? []).compactMap { $0["gdpr"] as? String }
            #expect(!gdpr.contains("6(1)(d)"), "\(gdpr)")
            let entry = try #require(try await Self.entries(fixture).last { $0.operation == "disclose" })
            #expect(entry.conflictOfDuties.isEmpty && entry.consentReference != nil)
            #expect(try await Self.justificationRows(fixture).isEmpty)
            // Without the key the receipt says nothing about a conflict of duties.
            let plain = try await client.call(.post, "/v1/disclosures", token: c.jvk, json: Self.body(c.cjg, to: "swv-go", fields: #"["supportFacts"]"#,
                                                                                                       justification: nil))
            #expect(plain.status == .created && jsonObject(plain.body)["conflictOfDuties"] == nil)
        }
    }

    @Test("Art. 6.1 sub e, 15.2–15.3: the sending party's FG lists its conflicts of duties with the justification; the register filter finds the marks; every read is on the register",
          arguments: ServerFixture.databases)
    func art6_1e_interpretation_sendingPartysFgReadsTheJustification(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            try await fixture.makeDelegate("fg-cjg", .fg, "cjg-rijnmond")
            let c = try await Self.setUp(fixture, client)
            let fgCjg = try await client.login(fixture, "fg-cjg"), fgSchool = try await client.login(fixture, "fg-own")
            // The school's disclosure, the CJG's refusal without a justification, then its conflict of duties.
            #expect(try await client.call(.post, "/v1/disclosures", token: c.zco, json: """
                {"caseId":"\(c.school)","recipient":"swv-go","forum":"casusoverleg","purpose":"3.1.a","fields":["absence"]}
                """).status == .created)
            #expect(try await client.call(.post, "/v1/disclosures", token: c.jvk, json: Self.body(c.cjg, justification: nil)).status == .forbidden)
            let sent = try await client.call(.post, "/v1/disclosures", token: c.jvk, json: Self.body(c.cjg))
            #expect(sent.status == .created, "\(sent.body)")
            let receipt = jsonObject(sent.body)
            let index = try #require((receipt["register"] as? [String: Any])?["index"] as? Int)

            let review = try await client.call(.get, "/v1/register/conflict-of-duties", token: fgCjg)
            #expect(review.status == .ok, "\(review.body)")
            let listed = try #require((jsonObject(review.body)["disclosures"] as? [[String: Any]]))
            #expect(listed.count == 1)
            let item = try #require(listed.first)
            #expect(item["disclosureId"] as? String == receipt["disclosureId"] as? String && item["registerIndex"] as? Int == index)
            #expect(item["sender"] as? String == "cjg-rijnmond" && item["recipient"] as? String == "sovogo" && (item["time"] as? String)?.isEmpty == false)
            #expect(item["overridden"] as? [String] == ["healthData", "supportFacts"] && item["released"] as? [String] == ["healthData", "supportFacts"])
            #expect(item["justification"] as? String == Self.justification)
            let jvkID = try await fixture.gateway.store.delegate(username: "jvk")?.id, fgID = try await fixture.gateway.store.delegate(username: "fg-cjg")?.id
            #expect(item["senderUser"] as? String == jvkID && jvkID != nil)

            // Each read is on the register first: the page, and the justification with its pupil's pseudonym.
            let entries = try await Self.entries(fixture)
            let read = try #require(entries.last { $0.operation == "read-justification" })
            let disclosed = try #require(entries.first { $0.index == Int64(index) })
            #expect(read.subject == disclosed.subject && read.subject != nil && read.activity == "fg-inzage-register")
            #expect(read.basis.contains("verantwoording bij register entry \(index)") && read.actor == fgID)
            #expect(entries.contains { $0.operation == "inspect" && $0.basis.contains { $0.contains("weergave: conflict-van-plichten; getoond: 1") } })
            #expect(!entries.contains { String(decoding: $0.canonicalJSON, as: UTF8.self).contains("Zorgwekkende") })

            // The register filter: only the marked entries of the FG's own party.
            let filtered = jsonObject(try await client.call(.get, "/v1/register/entries?conflictOfDuties=true", token: fgCjg).body)["entries"] as? [[String: Any]]
            #expect(filtered?.map { $0["index"] as? Int } == [index])
            #expect(filtered?.first?["conflictOfDuties"] as? [String] == ["healthData", "supportFacts"])
            let ldv = try await client.call(.get, "/v1/register/ldv?conflictOfDuties=true", token: fgCjg)
            #expect(ldv.status == .ok && ldv.body.split(separator: "\n").count == 1)
            let bad = try await client.call(.get, "/v1/register/entries?conflictOfDuties=false", token: fgCjg)
            #expect(bad.status == .badRequest && jsonObject(bad.body)["field"] as? String == "conflictOfDuties")
            let all = jsonObject(try await client.call(.get, "/v1/register/entries", token: fgCjg).body)["entries"] as? [[String: Any]] ?? []
            #expect(all.count > 1 && all.filter { $0["conflictOfDuties"] != nil }.count == 1)
            #expect(try await fixture.gateway.register.verifyAll().problem == nil)

            // The recipient's FG sees the mark on its register view, not the text: the review lists
            // its own party's conflicts of duties, and the school has none.
            let schoolView = jsonObject(try await client.call(.get, "/v1/register/entries?conflictOfDuties=true", token: fgSchool).body)["entries"] as? [[String: Any]]
            #expect(schoolView?.map { $0["index"] as? Int } == [index])
            #expect((jsonObject(try await client.call(.get, "/v1/register/conflict-of-duties", token: fgSchool).body)["disclosures"] as? [Any])?.isEmpty == true)
            // Nobody else reviews.
            for token in [c.zco, c.jvk, c.swv] {
                let denied = try await client.call(.get, "/v1/register/conflict-of-duties", token: token)
                #expect(denied.status == .forbidden && jsonObject(denied.body)["code"] as? String == "sluis:forbidden")
            }
            // Paged by register index.
            let after = jsonObject(try await client.call(.get, "/v1/register/conflict-of-duties?after=\(index)", token: fgCjg).body)
            #expect((after["disclosures"] as? [Any])?.isEmpty == true && after["next"] == nil)
        }
    }

    @Test("Art. 6.1 sub e, interpretation: only a professional bound by a secrecy of art. 6.1 invokes a conflict of duties — not the school's zorgcoördinator, the leerplichtambtenaar, the SWV or the FG (403 with its code)",
          arguments: ServerFixture.databases)
    func art6_1e_interpretation_onlyProfessionalsInvokeIt(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client)
            let lpa = try await client.login(fixture, "lpa"), fg = try await client.login(fixture, "fg-own"), arts = try await client.login(fixture, "arts")
            let size = try await fixture.gateway.register.verifyAll().entries
            let lpaRef = try await client.newestCaseRef(lpa), swvRef = try await client.newestCaseRef(c.swv)
            for (token, ref) in [(c.zco, c.school), (lpa, lpaRef), (c.swv, swvRef), (fg, c.school)] {
                let refused = try await client.call(.post, "/v1/disclosures", token: token, json: Self.body(ref, to: "cjg-rijnmond", fields: #"["absence"]"#))
                #expect(refused.status == .forbidden, "\(refused.body)")
                let problem = jsonObject(refused.body)
                #expect(problem["code"] as? String == "sluis:conflict-of-duties-not-professional")
                #expect((problem["article"] as? String)?.hasPrefix("convenant art. 6.1 sub e") == true)
                #expect(!refused.body.contains("Zorgwekkende"))
            }
            #expect(try await fixture.gateway.register.verifyAll().entries == size, "an authority refusal discloses nothing and registers nothing")
            // The jeugdarts may, as the jeugdverpleegkundige may.
            let byArts = try await client.call(.post, "/v1/disclosures", token: arts, json: Self.body(c.cjg, fields: #"["supportFacts"]"#))
            #expect(byArts.status == .created, "\(byArts.body)")
        }
    }

    @Test("Art. 6.1 sub e: the justification is written, plain text — empty, too short, too long, control or format characters are refused naming the key, nothing registered",
          arguments: ServerFixture.databases)
    func art6_1e_justificationIsPlainWrittenText(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client)
            let size = try await fixture.gateway.register.verifyAll().entries
            let padding = " Verdere afweging volgens de professionele standaard."
            let bad: [(String, String)] = [
                ("", "empty"), ("   \n  ", "empty"), ("Te kort, echt.", "too short"), ("   Te kort, echt.          ", "too short"),
                (String(repeating: "a", count: 4_001), "too long"),
                ("Bel\u{7}signaal" + padding, "plain text"), ("Omgekeerd \u{202E}tekst" + padding, "plain text"),
                ("Met\ttab" + padding, "plain text"), ("Los\rregeleinde" + padding, "plain text"), ("Regel\u{2028}scheiding" + padding, "plain text"),
                ("Nul\u{0}teken" + padding, "plain text"), (String(repeating: "1234567890 ", count: 3), "words"),
                // An attacker's finding: text that looks blank to the FG but is "letters" to Unicode.
                (String(repeating: "\u{3164}", count: 20), "plain text"), ("a" + String(repeating: "\u{2800}", count: 19) + padding, "plain text"),
                ("abc" + String(repeating: "\u{E0100}", count: 30) + padding, "plain text"),
                (String(repeating: "αβγδε ", count: 5), "words"),
            ]
            for (text, problem) in bad {
                let answer = try await client.call(.post, "/v1/disclosures", token: c.jvk, json: Self.body(c.cjg, justification: text))
                #expect(answer.status == .badRequest, "\(problem): \(answer.status)")
                let body = jsonObject(answer.body)
                #expect(body["code"] as? String == "sluis:invalid-input" && body["field"] as? String == "conflictOfDuties.justification", "\(problem)")
                #expect((body["detail"] as? String)?.contains(problem) == true, "\(problem): \(body["detail"] ?? "")")
                #expect(text.count < 8 || !answer.body.contains(String(text.prefix(8))), "the value is never echoed")
            }
            // The shape: the key required, no other key.
            let missing = try await client.call(.post, "/v1/disclosures", token: c.jvk,
                                                json: String(Self.body(c.cjg, justification: nil).dropLast()) + #","conflictOfDuties":{}}"#)
            #expect(missing.status == .badRequest && jsonObject(missing.body)["field"] as? String == "conflictOfDuties.justification", "\(missing.body)")
            let extra = Self.body(c.cjg).replacingOccurrences(of: #"{"justification":"#, with: #"{"urgent":true,"justification":"#)
            let unknown = try await client.call(.post, "/v1/disclosures", token: c.jvk, json: extra)
            #expect(unknown.status == .badRequest && jsonObject(unknown.body)["code"] as? String == "sluis:unknown-key", "\(unknown.body)")
            #expect(try await fixture.gateway.register.verifyAll().entries == size, "nothing was decided, so nothing is on the register")
            #expect(try await Self.justificationRows(fixture).isEmpty)
            // Exactly the bounds pass: 20 characters, and 4,000.
            for text in ["Twintig tekens lang.", "Afweging " + String(repeating: "x", count: 3_991)] {
                let sent = try await client.call(.post, "/v1/disclosures", token: c.jvk, json: Self.body(c.cjg, fields: #"["supportFacts"]"#, justification: text))
                #expect(sent.status == .created, "\(text.count) characters: \(sent.body.prefix(200))")
            }
        }
    }

    @Test("Art. 6.1 sub d, e: a revocation racing a disclosure that invokes a conflict of duties — the facts re-read in the commit decide whether it rests on consent (notified) or on the conflict (marked)",
          arguments: ServerFixture.databases)
    func art6_1e_decisionFactsReReadGuardsTheMark(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client)
            var outcomes: [String: Int] = [:]
            for round in 0..<16 {
                let consent = try await ConsentCaseworkTests.consent(client, c.jvk, case: c.cjg, fields: #"["supportFacts"]"#,
                                                                     givers: [ServerFixture.given("parent"), ServerFixture.given("pupil")])
                let consentID = try #require(consent["id"] as? String)
                async let disclosure = client.call(.post, "/v1/disclosures", token: c.jvk, json: Self.body(c.cjg, to: "swv-go", fields: #"["supportFacts"]"#))
                // The revocation starts 0–3 ms after the disclosure, so both orders occur.
                async let revocation = { () async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) in
                    try await Task.sleep(for: .milliseconds(round % 4))
                    return try await client.call(.post, "/v1/consents/\(consentID)/revoke", token: c.jvk)
                }()
                let (disclosed, revoked) = try await (disclosure, revocation)
                #expect(disclosed.status == .created && revoked.status == .ok, "\(disclosed.body) \(revoked.body)")
                let notified = jsonObject(revoked.body)["notified"] as? [String] ?? []
                let outcome = try #require(jsonObject(disclosed.body)["conflictOfDuties"] as? [String: Any])
                let marked = outcome["marked"] as? Bool == true
                let id = try #require(jsonObject(disclosed.body)["disclosureId"] as? String)
                let kept = try await Self.justificationRows(fixture).contains { $0.disclosureID == id }
                // Decided on the consent and committed before the revocation: its recipient is told,
                // and nothing is marked. Decided again after it: the conflict carried the field.
                #expect(marked == notified.isEmpty && kept == marked, "marked \(marked), notified \(notified), kept \(kept)")
                outcomes[marked ? "revoked first: marked" : "disclosed first: notified", default: 0] += 1
            }
            #expect(outcomes.values.reduce(0, +) == 16)
            #expect(try await fixture.gateway.register.verifyAll().problem == nil)
        }
    }
}
