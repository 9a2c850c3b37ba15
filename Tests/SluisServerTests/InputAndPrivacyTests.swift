import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisGateway
@testable import SluisServer
import SluisStore

/// RFC 9457 errors, limits, trace context, logins and lockout, and no personal data in logs.
@Suite("Input, errors, logins and privacy")
struct InputAndPrivacyTests {
    @Test("No name, BSN or case fact reaches the application log, even for failing requests")
    func noPersonalDataInLogs() async throws {
        try await ServerFixture.with { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let created = try await client.call(.post, "/v1/cases", token: zco, json: DisclosureFlowTests.newCase)
            let caseID = jsonObject(created.body)["id"] as? String ?? ""
            _ = try await client.call(.post, "/v1/cases/\(caseID)/informing", token: zco, json: #"{"informedAt":"2026-11-01","method":"brief"}"#)
            _ = try await client.call(.post, "/v1/disclosures", token: zco, json: """
                {"caseId":"\(caseID)","recipient":"swv-go","forum":"casusoverleg","purpose":"3.1.a","fields":["name","bsn","absence"]}
                """)
            // Failing requests carrying personal data in path, body and headers.
            _ = try await client.call(.get, "/v1/cases/Testnaam%20Geheim", token: zco)
            _ = try await client.call(.post, "/v1/cases", token: zco, json: #"{"name":"Testnaam Geheim","birthDate":"morgen","bsn":"123456782"}"#)
            _ = try await client.call(.post, "/v1/sessions", json: #"{"username":"zco","password":"Testnaam Geheim","code":"000000"}"#)
            let logs = fixture.logs.all
            #expect(logs.count >= 6, "requests are logged")
            for secret in ["Testnaam", "Geheim", "123456782", "verzuim sinds oktober", "wachtwoord-"] {
                #expect(!logs.contains { $0.contains(secret) }, "'\(secret)' appeared in the log")
            }
            #expect(logs.contains { $0.contains("route=/v1/disclosures") && $0.contains("status=201") })
        }
    }

    @Test("Errors are problem+json with a Dutch title; bad JSON names the key; oversize bodies are refused")
    func problems() async throws {
        try await ServerFixture.with { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let missing = try await client.call(.post, "/v1/cases", token: zco, json: #"{"birthDate":"2012-01-01"}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.headers[.contentType] == "application/problem+json")
            let problem = jsonObject(missing.body)
            #expect(problem["title"] as? String == "Ongeldige invoer" && problem["field"] as? String == "name")
            #expect((problem["traceId"] as? String)?.count == 32)
            let wrongType = try await client.call(.post, "/v1/cases", token: zco, json: #"{"name":7,"birthDate":"2012-01-01"}"#)
            #expect(wrongType.status == .badRequest && jsonObject(wrongType.body)["field"] as? String == "name")
            let badDate = try await client.call(.post, "/v1/cases", token: zco, json: #"{"name":"A","birthDate":"2099-01-01"}"#)
            #expect(badDate.status == .badRequest && jsonObject(badDate.body)["field"] as? String == "birthDate")
            let notJSON = try await client.call(.post, "/v1/cases", token: zco, json: "{nope")
            #expect(notJSON.status == .badRequest)
            let big = String(repeating: "x", count: 70 * 1024)
            let oversize = try await client.call(.post, "/v1/cases", token: zco, json: #"{"name":"\#(big)","birthDate":"2012-01-01"}"#)
            #expect(oversize.status == .contentTooLarge)
            let unknown = try await client.call(.get, "/v1/cases/00000000-0000-0000-0000-000000000000", token: zco)
            #expect(unknown.status == .notFound && jsonObject(unknown.body)["title"] as? String == "Niet gevonden")
            let badField = try await client.call(.post, "/v1/cases", token: zco, json: #"{"name":"A","birthDate":"2012-01-01","facts":{"religie":"x"}}"#)
            #expect(badField.status == .badRequest && jsonObject(badField.body)["field"] as? String == "facts.religie")
        }
    }

    @Test("Art. 15: whatever field path a use case names in an error, a key that may be a name or a BSN leaves as [a key]; our keys and indices stay")
    func art15_errorFieldPathsNeverRepeatACallersKey() {
        let cases = [("facts.Jan de Vries", "facts.[a key]"), ("consents[0].giver", "consents[0].giver"), ("123456782", "[a key]"),
                     ("givers[12].evidence", "givers[12].evidence"), ("fields.absence", "fields.absence"), ("a.b[x].c", "a.[a key].c")]
        for (path, shown) in cases {
            let problem = Problem.from(GatewayError.invalid(field: path, problem: "test"))
            #expect(problem.field == shown && problem.detail == "\(shown): test", "\(shown)")
        }
    }

    @Test("traceparent: a valid one is continued, an invalid one replaced by a fresh trace")
    func traceContext() async throws {
        try await ServerFixture.with { fixture, client in
            let name = HTTPField.Name("traceparent")!
            let continued = try await client.call(.get, "/health", headers: [name: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"])
            #expect(continued.headers[name]?.hasPrefix("00-0af7651916cd43dd8448eb211c80319c-") == true)
            #expect(continued.headers[name] != "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "a span of our own")
            let invalid = try await client.call(.get, "/health", headers: [name: "garbage"])
            #expect(invalid.headers[name]?.count == 55)
        }
    }

    @Test("Art. 10.2: login needs password and a fresh TOTP code; a code is used once; five failures lock the account")
    func loginsAndLockout() async throws {
        try await ServerFixture.with { fixture, client in
            let secret = fixture.secrets["swv"]!
            let code = try fixture.totp("swv")
            let noCode = try await client.call(.post, "/v1/sessions", json: #"{"username":"swv","password":"\#(secret.password)","code":"000000"}"#)
            #expect(noCode.status == .unauthorized || code == "000000")
            let good = try await client.call(.post, "/v1/sessions", json: #"{"username":"swv","password":"\#(secret.password)","code":"\#(code)"}"#)
            #expect(good.status == .created)
            let replay = try await client.call(.post, "/v1/sessions", json: #"{"username":"swv","password":"\#(secret.password)","code":"\#(code)"}"#)
            #expect(replay.status == .unauthorized, "the same code twice")
            let unknownUser = try await client.call(.post, "/v1/sessions", json: #"{"username":"nobody","password":"x","code":"123456"}"#)
            #expect(unknownUser.status == .unauthorized)
            // An existing user with a wrong password gets the answer an unknown user gets (a
            // reused code is named only to whoever has the right password: reusedCodeSaysSo).
            let wrongPassword = try await client.call(.post, "/v1/sessions", json: #"{"username":"swv","password":"x","code":"123456"}"#)
            #expect(jsonObject(unknownUser.body)["detail"] as? String == jsonObject(wrongPassword.body)["detail"] as? String, "no user enumeration")
            for _ in 0..<5 {
                _ = try await client.call(.post, "/v1/sessions", json: #"{"username":"arts","password":"wrong-password-1","code":"123456"}"#)
            }
            let locked = try await client.call(.post, "/v1/sessions",
                                               json: #"{"username":"arts","password":"\#(fixture.secrets["arts"]!.password)","code":"\#(try fixture.totp("arts"))"}"#)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.retryAfter] != nil)
            let audit = try await fixture.gateway.store.audit(limit: 100)
            #expect(audit.filter { $0.event == "login" && $0.outcome == "denied" }.count >= 8)
            #expect(audit.contains { $0.event == "login" && $0.outcome == "granted" })
            #expect(!audit.contains { $0.detail.contains(secret.password) })
        }
    }

    @Test("The OpenAPI document is served and equals docs/openapi.json")
    func openAPI() async throws {
        try await ServerFixture.with { fixture, client in
            let served = try await client.call(.get, "/openapi.json")
            #expect(served.status == .ok)
            let docs = try String(contentsOf: ServerFixture.packageRoot.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
            #expect(served.body == docs)
            let document = jsonObject(served.body)
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = document["paths"] as? [String: Any] ?? [:]
            for path in ["/v1/sessions", "/v1/cases", "/v1/cases/{caseId}", "/v1/disclosures", "/v1/mailbox", "/v1/decisions",
                         "/v1/consents/{consentId}/revoke", "/v1/register/entries"] {
                #expect(paths[path] != nil, "\(path) is documented")
            }
        }
    }
}
