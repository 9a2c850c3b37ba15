import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisCovenant
@testable import SluisGateway
@testable import SluisServer

/// One JSON edge (issue 9, item 6): every body goes through Hummingbird's request decoder, which
/// for Sluis is the strict parser — a key given twice or a key the body does not have is a 400
/// naming the key, at any depth, before any use case runs.
@Suite("Strict JSON at the edge", .serialized)
struct StrictJSONTests {
    /// Every endpoint that takes a JSON body, with a body that is otherwise acceptable plus one
    /// unknown key; `who` logs in first (nil: the public login route).
    static func endpoints(caseRef: String) -> [(method: HTTPRequest.Method, path: String, who: String?, body: String)] {
        [
            (.post, "/v1/sessions", nil, #"{"username":"zco","password":"x","code":"123456","extra":1}"#),
            (.post, "/v1/delegates", "beheer", #"{"username":"nieuw","role":"fg","password":"een-lang-wachtwoord-1","extra":true}"#),
            (.post, "/v1/accessions", "beheer-gem", #"{"party":"jeugdhulp-nieuw","name":"Nieuw","extra":null}"#),
            (.post, "/v1/accessions/onbekend/signed-form", "beheer-gem",
             #"{"formReference":"F-1","signedOn":"2026-11-01","extra":"x"}"#),
            (.post, "/v1/cases", "zco", #"{"name":"A","birthDate":"2012-05-06","extra":"x"}"#),
            (.patch, "/v1/cases/\(caseRef)", "zco", #"{"phase":"intake","extra":"gesloten"}"#),
            (.post, "/v1/cases/\(caseRef)/informing", "zco", #"{"informedAt":"2026-11-01","method":"brief","extra":[]}"#),
            (.post, "/v1/cases/\(caseRef)/consents", "zco",
             #"{"recipients":["gemeente"],"fields":["absence"],"givers":[],"extra":{}}"#),
            (.post, "/v1/cases/\(caseRef)/sot-questions", "zco", #"{"question":"Hoe ondersteunen we de terugkeer naar school?","extra":1}"#),
            (.post, "/v1/cases/\(caseRef)/cjg-feedback", "jvk", #"{"recipient":"sovogo","conversationOn":"2026-11-20","extra":1}"#),
            (.post, "/v1/cases/\(caseRef)/sot-questions/onbekend/notes", "zco", #"{"text":"notitie","extra":1}"#),
            (.post, "/v1/consents/onbekend/answers", "zco", #"{"giver":"pupil","answer":"given","answeredOn":"2026-11-01","evidence":"f","extra":1}"#),
            (.post, "/v1/disclosures", "zco",
             #"{"caseId":"\#(caseRef)","recipient":"swv-go","forum":"casusoverleg","purpose":"x","fields":["absence"],"extra":1}"#),
        ]
    }

    @Test("An unknown key is refused on every endpoint with a JSON body, naming the key", arguments: ServerFixture.databases)
    func unknownKeyIsRefusedOnEveryEndpoint(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            var tokens: [String: String] = [:]
            for who in ["zco", "beheer", "beheer-gem", "jvk"] { tokens[who] = try await client.login(fixture, who) }
            let created = try await client.call(.post, "/v1/cases", token: tokens["zco"], json: DisclosureFlowTests.newCase)
            let ref = try #require(jsonObject(created.body)["id"] as? String)
            for endpoint in Self.endpoints(caseRef: ref) {
                let answer = try await client.call(endpoint.method, endpoint.path, token: endpoint.who.flatMap { tokens[$0] }, json: endpoint.body)
                #expect(answer.status == .badRequest, "\(endpoint.method) \(endpoint.path): \(answer.body)")
                #expect(jsonObject(answer.body)["field"] as? String == "extra", "\(endpoint.method) \(endpoint.path): \(answer.body)")
                #expect((jsonObject(answer.body)["detail"] as? String)?.contains("unknown key") == true, "\(answer.body)")
            }
            // Nothing happened: no second case, the phase unchanged.
            let cases = try await client.call(.get, "/v1/cases", token: tokens["zco"])
            #expect((try JSONSerialization.jsonObject(with: Data(cases.body.utf8)) as? [Any])?.count == 1, "\(cases.body)")
        }
    }

    @Test("A JSON body labelled text/plain or as a form is refused with 415 naming the type, and nothing is done (RFC 9110 §15.5.16)",
          arguments: ServerFixture.databases)
    func bodyOfAnotherMediaTypeIsRefused(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/json", "", "application/json; charset=latin1"] {
                let answer = try await client.execute(uri: "/v1/cases", method: .post,
                                                      headers: [.authorization: "Bearer \(zco)", .contentType: type],
                                                      body: ByteBuffer(string: DisclosureFlowTests.newCase)) { ($0.status, String(buffer: $0.body)) }
                #expect(answer.0 == .unsupportedMediaType, "\(type): \(answer.1)")
                #expect(jsonObject(answer.1)["code"] as? String == "sluis:unsupported-media-type", "\(answer.1)")
                #expect((jsonObject(answer.1)["detail"] as? String)?.contains("'\(type)'") == true, "\(answer.1)")
            }
            // None of them made a case; the same body as JSON (with a charset, or as +json) does.
            #expect(jsonArray(try await client.call(.get, "/v1/cases", token: zco).body).isEmpty)
            for type in ["application/json; charset=utf-8", "Application/JSON"] {
                let made = try await client.execute(uri: "/v1/cases", method: .post, headers: [.authorization: "Bearer \(zco)", .contentType: type],
                                                    body: ByteBuffer(string: DisclosureFlowTests.newCase)) { $0.status }
                #expect(made == .created, "\(type)")
            }
        }
    }

    @Test("An owner smuggled into a new case, or a status into an update, is refused — not silently dropped", arguments: ServerFixture.databases)
    func smuggledKeysAreRefused(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let owner = try await client.call(.post, "/v1/cases", token: zco, json: #"{"name":"A","birthDate":"2012-05-06","owner":"horizon"}"#)
            #expect(owner.status == .badRequest && jsonObject(owner.body)["field"] as? String == "owner", "\(owner.body)")
            let created = try await client.call(.post, "/v1/cases", token: zco, json: DisclosureFlowTests.newCase)
            let ref = try #require(jsonObject(created.body)["id"] as? String)
            let status = try await client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"status":"closed"}"#)
            #expect(status.status == .badRequest && jsonObject(status.body)["field"] as? String == "status", "\(status.body)")
        }
    }

    @Test("An unknown key inside a nested object or a map is named by its path", arguments: ServerFixture.databases)
    func nestedUnknownKeyIsNamedByItsPath(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let created = try await client.call(.post, "/v1/cases", token: zco, json: DisclosureFlowTests.newCase)
            let ref = try #require(jsonObject(created.body)["id"] as? String)
            let patch = try await client.call(.patch, "/v1/cases/\(ref)", token: zco,
                                              json: #"{"duoMelding":{"date":"2026-11-02","reference":"VL-1","extra":"x"}}"#)
            #expect(patch.status == .badRequest && jsonObject(patch.body)["field"] as? String == "duoMelding.extra", "\(patch.body)")
            let post = try await client.call(.post, "/v1/cases", token: zco,
                                             json: #"{"name":"A","birthDate":"2012-05-06","duoMelding":{"date":"2026-11-02","reference":"VL-1","by":"x"}}"#)
            #expect(post.status == .badRequest && jsonObject(post.body)["field"] as? String == "duoMelding.by", "\(post.body)")
            // A fact's name is data (a map): the gateway checks it against the covenant's fields, not the shape.
            let facts = try await client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"facts":{"absence":"x"}}"#)
            #expect(facts.status == .ok, "\(facts.body)")
        }
    }

    @Test("The strict check: first unknown key in document order at any depth, duplicates before unknown keys, syntax fail-closed")
    func strictCheckUnit() throws {
        let shape = NewCase.jsonShape
        func refusal(_ text: String) -> StrictJSON.Refusal? {
            do throws(StrictJSON.Refusal) { try StrictJSON.check(Array(text.utf8), against: shape); return nil } catch { return error }
        }
        #expect(refusal(#"{"name":"A","birthDate":"2012-05-06"}"#) == nil)
        #expect(refusal(#"{"name":"A","b":1,"c":2}"#) == .unknownKey("b"))
        #expect(refusal(#"{"duoMelding":{"date":"x","reference":"y","z":1}}"#) == .unknownKey("duoMelding.z"))
        #expect(refusal(#"{"name":"A","name":"B","x":1}"#) == .duplicateKey("name"))
        #expect(refusal(#"{"facts":{"anything":"goes"},"parties":["a"]}"#) == nil)
        #expect(refusal(#"{"\u006eame":"A","n\u0061me2":1}"#) == .unknownKey("name2"), "keys compared after escapes")
        if case .syntax = refusal(#"{"name":"A"} x"#) {} else { Issue.record("trailing content must be refused") }
        let list = JSONShape.list(DuoMeldingInput.jsonShape)
        do throws(StrictJSON.Refusal) {
            try StrictJSON.check(Array(#"[{"date":"x","reference":"y"},{"date":"x","q":1}]"#.utf8), against: list)
            Issue.record("unknown key in a list element")
        } catch { #expect(error == .unknownKey("[1].q")) }
    }

    /// The OpenAPI document's request schemas say the same: exactly these keys, no others.
    @Test("Each request schema of the OpenAPI document lists exactly the keys its type accepts, with additionalProperties false")
    func openAPIRequestSchemasAreClosed() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8)) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let types: [(String, JSONShape)] = [
            ("Login", API.Login.jsonShape), ("NewDelegate", API.NewDelegate.jsonShape), ("NewCase", NewCase.jsonShape),
            ("CaseUpdate", CaseUpdate.jsonShape), ("Informing", API.Informing.jsonShape), ("NewConsent", NewConsent.jsonShape),
            ("DisclosureRequest", DisclosureInput.jsonShape), ("AccessionProposal", AccessionProposal.jsonShape),
            ("SignedForm", SignedForm.jsonShape), ("DuoMelding", DuoMeldingInput.jsonShape), ("GiverAnswer", GiverAnswerInput.jsonShape),
            ("NewSotQuestion", NewSotQuestion.jsonShape), ("NewSotNote", NewSotNote.jsonShape), ("CjgFeedback", CjgFeedbackInput.jsonShape),
        ]
        for (name, shape) in types {
            let schema = try #require(schemas[name] as? [String: Any], "\(name)")
            #expect(schema["additionalProperties"] as? Bool == false, "\(name)")
            guard case .keys(let keys) = shape else { Issue.record("\(name) is not an object shape"); continue }
            #expect(Set(keys.keys) == Set((schema["properties"] as? [String: Any] ?? [:]).keys), "\(name)")
        }
    }

    @Test("Answers go out through Hummingbird's response encoder (the context's SluisResponseEncoder): keys sorted, slashes unescaped, application/json with its length")
    func responseEncoder() async throws {
        try await ServerFixture.with { fixture, client in
            let beheer = try await client.login(fixture, "beheer")
            let created = try await client.call(.post, "/v1/delegates", token: beheer,
                                                json: #"{"username":"encoder-test","role":"fg","password":"een-lang-wachtwoord-1"}"#)
            #expect(created.status == .created)
            #expect(created.headers[.contentType] == "application/json")
            #expect(created.headers[.contentLength] == String(created.body.utf8.count))
            #expect(created.body.contains("otpauth://totp/") && !created.body.contains(#"\/"#), "slashes unescaped")
            // The keys in the order they stand in the bytes: sorted, as the encoder writes them.
            let keys = created.body.matches(of: try Regex(#""([A-Za-z]+)":"#)).map { String(created.body[$0.range].dropFirst().dropLast(2)) }
            #expect(keys == ["id", "party", "role", "totpProvisioningUri", "username"], "\(keys)")
            let me = try await client.call(.get, "/v1/me", token: beheer)
            let meKeys = me.body.matches(of: try Regex(#""([A-Za-z]+)":"#)).map { String(me.body[$0.range].dropFirst().dropLast(2)) }
            #expect(meKeys == meKeys.sorted() && meKeys.count == 6, "\(me.body)")
        }
    }
}
