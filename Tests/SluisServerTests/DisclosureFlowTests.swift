import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisCrypto
@testable import SluisGateway
@testable import SluisRegister
@testable import SluisServer
import SluisStore

/// The API end to end: who asks → may this go → only the released fields → sealed → on the
/// register → in the recipient's mailbox.
@Suite("Disclosure flows over HTTP", .serialized)
struct DisclosureFlowTests {
    static let newCase = #"""
        {"name":"Testnaam Geheim","birthDate":"2012-05-06","bsn":"123456782","facts":{"absence":"verzuim sinds oktober","lastSchool":"RGO"},
         "caseType":"verzuim","parties":["swv-go","gemeente-goeree-overflakkee","cjg-rijnmond"]}
        """#

    func createInformedCase(_ client: some TestClientProtocol, _ token: String) async throws -> String {
        let created = try await client.call(.post, "/v1/cases", token: token, json: Self.newCase)
        #expect(created.status == .created, "\(created.body)")
        let id = jsonObject(created.body)["id"] as? String ?? ""
        let informed = try await client.call(.post, "/v1/cases/\(id)/informing", token: token, json: #"{"informedAt":"2026-11-01","method":"brief"}"#)
        #expect(informed.status == .created)
        return id
    }

    @Test("Art. 12.1, 5.4, 4.3: a permitted disclosure is sealed, registered with a proof, and fetched by the recipient only", arguments: ServerFixture.databases)
    func permittedDisclosure(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zc = try await client.login(fixture, "zco")
            let lpa = try await client.login(fixture, "lpa")
            let swv = try await client.login(fixture, "swv")
            let caseID = try await createInformedCase(client, zc)
            let disclosed = try await client.call(.post, "/v1/disclosures", token: zc, json: """
                {"caseId":"\(caseID)","recipient":"gemeente-goeree-overflakkee","forum":"casusoverleg","purpose":"3.1.a","fields":["name","absence"]}
                """, headers: [HTTPField.Name("traceparent")!: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"])
            #expect(disclosed.status == .created, "\(disclosed.body)")
            #expect(disclosed.headers[HTTPField.Name("traceparent")!]?.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-") == true)
            let receipt = jsonObject(disclosed.body)
            #expect(receipt["released"] as? [String] == ["absence"])
            #expect((receipt["withheld"] as? [[String: Any]])?.first?["rule"] as? String == "leerplicht-before-duo")
            let register = try #require(receipt["register"] as? [String: Any])
            // The inclusion proof in the receipt verifies against the checkpoint in the receipt.
            let hasher = try SHA256Hasher()
            let checkpoint = try Checkpoint.verify(try #require(register["checkpoint"] as? String), verifier: fixture.gateway.register.signerVerifier())
            let proof = (register["inclusionProof"] as? [String] ?? []).compactMap(Hex.decode)
            #expect(MerkleTree.verifyInclusion(index: Int64(register["index"] as! Int), size: checkpoint.size,
                                               leafHash: try #require(Hex.decode(register["leafHash"] as! String)), proof: proof,
                                               root: checkpoint.root, hasher))
            // Into the recipient's mailbox; the bundle opens with the recipient's key and names no name.
            let mailbox = jsonObject(try await client.call(.get, "/v1/mailbox", token: lpa).body)
            let item = try #require((mailbox["disclosures"] as? [[String: Any]])?.first)
            let id = try #require(item["id"] as? String)
            let other = try await client.call(.get, "/v1/mailbox/\(id)/bundle", token: swv)
            #expect(other.status == .notFound, "another party is not told the item exists")
            // RFC 9110 §9.3.2: HEAD tells the length but moves no data — no fetch on the register, not marked fetched.
            let head = try await client.call(.head, "/v1/mailbox/\(id)/bundle", token: lpa)
            #expect(head.status == .ok && head.body.isEmpty && Int(head.headers[.contentLength] ?? "") ?? 0 > 0, "\(head.headers)")
            #expect(try await fixture.gateway.store.disclosure(id)?.fetchedAt == nil)
            let fetched = try await client.execute(uri: "/v1/mailbox/\(id)/bundle", method: .get, headers: [.authorization: "Bearer \(lpa)"]) { $0 }
            #expect(fetched.status == .ok && head.headers[.contentLength] == String(fetched.body.readableBytes))
            let credentials = try fixture.gateway.credentials.credentials("gemeente-goeree-overflakkee")
            let opened = try SealedBundle.open(Array(buffer: fetched.body), recipient: credentials.certificate, key: credentials.key,
                                               trust: fixture.gateway.trust, expectedSigner: try fixture.gateway.credentials.certificate("sovogo"))
            let content = String(decoding: opened.plaintext.bytes, as: UTF8.self)
            #expect(content.contains("verzuim sinds oktober"))
            #expect(!content.contains("Testnaam") && !content.contains("123456782"), "identity withheld before a DUO melding")
            let acknowledged = try await client.call(.post, "/v1/mailbox/\(id)/acknowledge", token: lpa)
            #expect(acknowledged.status == .ok)
            // Disclose, fetch and acknowledge are all on the register, and the register verifies.
            let operations = try await fixture.gateway.register.list(.init(limit: 100)).entries.map(\.operation)
            #expect(operations == ["disclose", "fetch", "acknowledge"])
            #expect(try await fixture.gateway.register.verifyAll().problem == nil)
        }
    }

    @Test("A denied disclosure leaves a refusal on the register and nothing in any mailbox", arguments: ServerFixture.databases)
    func deniedDisclosure(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zc = try await client.login(fixture, "zco")
            let swv = try await client.login(fixture, "swv")
            let caseID = try await createInformedCase(client, zc)
            let refused = try await client.call(.post, "/v1/disclosures", token: zc, json: """
                {"caseId":"\(caseID)","recipient":"swv-go","forum":"casusoverleg","purpose":"marketing","fields":["name","absence"]}
                """)
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.contentType] == "application/problem+json")
            let problem = jsonObject(refused.body)
            #expect(problem["title"] as? String == "Verstrekking geweigerd door het convenant")
            #expect(problem["article"] as? String == "convenant art. 3.1; art. 3.3")
            #expect((problem["answer"] as? [String: Any])?["decision"] as? String == "deny")
            let entries = try await fixture.gateway.register.list(.init(limit: 10)).entries
            #expect(entries.map(\.operation) == ["refuse"] && entries[0].decision == "deny" && entries[0].bundleDigest == nil)
            #expect(problem["registerIndex"] as? Int == 0)
            let mailbox = jsonObject(try await client.call(.get, "/v1/mailbox", token: swv).body)
            #expect((mailbox["disclosures"] as? [Any])?.isEmpty == true)
            #expect(try await fixture.gateway.store.mailbox(party: "swv-go", role: nil, limit: 10).isEmpty)
        }
    }

    @Test("Art. 6.1 sub d, 11.5: a revoked consent blocks the next disclosure and notifies earlier recipients", arguments: ServerFixture.databases)
    func revokedConsent(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zc = try await client.login(fixture, "zco")
            let jvk = try await client.login(fixture, "jvk")
            let swv = try await client.login(fixture, "swv")
            _ = try await createInformedCase(client, zc)
            // The CJG, on its own reference for the case, records what it knows itself (art. 3.4 sub c)
            // and holds a consent of parent and pupil (age 14: both) to share it with the SWV.
            let caseID = try await client.newestCaseRef(jvk)
            #expect(try await client.call(.patch, "/v1/cases/\(caseID)", token: jvk, json: #"{"facts":{"absence":"ziek gemeld, volgens JGZ"}}"#).status == .ok)
            let consent = try await client.call(.post, "/v1/cases/\(caseID)/consents", token: jvk, json: """
                {"recipients":["swv"],"fields":["absence","healthData"],"givers":[{"giver":"parent","answer":"given","answeredOn":"2026-11-01","evidence":"dossier JGZ 2026-11-20"},{"giver":"pupil","answer":"given","answeredOn":"2026-11-01","evidence":"dossier JGZ 2026-11-20"}]}
                """)
            #expect(consent.status == .created, "\(consent.body)")
            let consentID = try #require(jsonObject(consent.body)["id"] as? String)
            let request = """
                {"caseId":"\(caseID)","recipient":"swv-go","forum":"casusoverleg","purpose":"3.1.d","fields":["absence"]}
                """
            let first = try await client.call(.post, "/v1/disclosures", token: jvk, json: request)
            #expect(first.status == .created, "\(first.body)")
            let firstID = try #require(jsonObject(first.body)["disclosureId"] as? String)
            // Only the holder's party revokes.
            let wrongParty = try await client.call(.post, "/v1/consents/\(consentID)/revoke", token: zc)
            #expect(wrongParty.status == .forbidden)
            let revoked = try await client.call(.post, "/v1/consents/\(consentID)/revoke", token: jvk)
            #expect(revoked.status == .ok, "\(revoked.body)")
            #expect(jsonObject(revoked.body)["notified"] as? [String] == ["swv-go"])
            let second = try await client.call(.post, "/v1/disclosures", token: jvk, json: request)
            #expect(second.status == .forbidden)
            #expect((jsonObject(second.body)["answer"] as? [String: Any]).flatMap { ($0["withheld"] as? [[String: Any]])?.first?["rule"] as? String } == "consent-revoked")
            let mailbox = jsonObject(try await client.call(.get, "/v1/mailbox", token: swv).body)
            let notice = try #require((mailbox["notices"] as? [[String: Any]])?.first)
            // The notice names the SWV's own mailbox item, not the CJG's consent id (shared with other recipients).
            #expect(notice["kind"] as? String == "consent-revoked" && notice["disclosures"] as? [String] == [firstID] && notice["consentId"] == nil)
            #expect(notice["article"] as? String == "convenant art. 11.5")
            let history = jsonArray(try await client.call(.get, "/v1/cases/\(caseID)/consents", token: jvk).body)
            #expect(history.count == 1 && history[0]["revokedAt"] != nil)
            let operations = try await fixture.gateway.register.list(.init(limit: 10)).entries.map(\.operation)
            #expect(operations == ["disclose", "consent-revoked", "consent-revoked-notice", "refuse"])
        }
    }

    @Test("POST /v1/decisions answers the contract and logs the question; an invalid request is a 400 naming the key")
    func dryRun() async throws {
        try await ServerFixture.with { fixture, client in
            let zc = try await client.login(fixture, "zco")
            let body = try String(contentsOf: ServerFixture.packageRoot.appendingPathComponent("docs/examples/contract-example.json"), encoding: .utf8)
            let answer = try await client.call(.post, "/v1/decisions", token: zc, json: body)
            #expect(answer.status == .ok)
            let expected = try String(contentsOf: ServerFixture.packageRoot.appendingPathComponent("docs/examples/contract-example.answer.json"), encoding: .utf8)
            #expect(jsonObject(answer.body) as NSDictionary == jsonObject(expected) as NSDictionary, "the CLI and the API give the same answer")
            let invalid = try await client.call(.post, "/v1/decisions", token: zc, json: #"{"sender":{"kind":"politie"}}"#)
            #expect(invalid.status == .badRequest)
            #expect(jsonObject(invalid.body)["field"] as? String == "sender.kind")
            let entries = try await fixture.gateway.register.list(.init(limit: 10)).entries
            #expect(entries.map(\.operation) == ["question"] && entries[0].activity == "beslissingsvraag")
        }
    }
}
