import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisGateway
@testable import SluisServer

/// What HTTP clients may expect: a Bearer challenge on every 401 (RFC 9110 §11.6.1, RFC 6750 §3),
/// a problem `instance` that names the occurrence (RFC 9457 §3.1.5), HEAD beside every GET
/// (RFC 9110 §9.3.2), and every method an `Allow` header names answered (RFC 9110 §10.2.1).
@Suite("HTTP conformance")
struct HTTPConformanceTests {
    @Test("RFC 6750 §3: every 401 carries WWW-Authenticate: Bearer realm=\"sluis\", with error=\"invalid_token\" for a token sent but unknown or expired")
    func bearerChallenge() async throws {
        try await ServerFixture.with { fixture, client in
            let none = try await client.call(.get, "/v1/me")
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == #"Bearer realm="sluis""#, "no credentials, no error code (RFC 6750 §3.1)")
            let unknown = try await client.call(.get, "/v1/cases", token: "not-a-token-of-ours")
            #expect(unknown.status == .unauthorized)
            #expect(unknown.headers[.wwwAuthenticate] == #"Bearer realm="sluis", error="invalid_token""#)
            let login = try await client.call(.post, "/v1/sessions", json: #"{"username":"nobody","password":"x","code":"123456"}"#)
            #expect(login.status == .unauthorized)
            #expect(login.headers[.wwwAuthenticate] == #"Bearer realm="sluis""#)
            let basic = try await client.call(.post, "/v1/disclosures", json: "{}", headers: [.authorization: "Basic Zm9vOmJhcg=="])
            #expect(basic.status == .unauthorized && basic.headers[.wwwAuthenticate] == #"Bearer realm="sluis""#)
            let token = try await client.login(fixture, "zco")
            fixture.clock.advance(by: AccessControl.sessionLifetime + 60)
            let expired = try await client.call(.get, "/v1/me", token: token)
            #expect(expired.status == .unauthorized)
            #expect(expired.headers[.wwwAuthenticate] == #"Bearer realm="sluis", error="invalid_token""#)
        }
    }

    @Test("RFC 9457 §3.1.5: a problem's instance is a fresh urn:uuid of the occurrence, never a route template or a status name")
    func problemInstance() async throws {
        try await ServerFixture.with { fixture, client in
            let zco = try await client.login(fixture, "zco")
            var seen: Set<String> = []
            for (method, path) in [(HTTPRequest.Method.get, "/v1/cases/onbekend"), (.get, "/v1/cases/onbekend"), (.get, "/v1/bestaat-niet"),
                                   (.put, "/v1/cases/onbekend"), (.get, "/v1/me")] {
                let answer = try await client.call(method, path, token: path == "/v1/me" ? nil : zco)
                #expect(answer.headers[.contentType] == "application/problem+json", "\(method) \(path)")
                let problem = jsonObject(answer.body)
                let instance = try #require(problem["instance"] as? String, "\(method) \(path)")
                #expect(instance.hasPrefix("urn:uuid:") && UUID(uuidString: String(instance.dropFirst(9))) != nil, "\(instance)")
                #expect(instance == instance.lowercased() && !instance.contains("{"))
                #expect((problem["traceId"] as? String)?.count == 32)
                seen.insert(instance)
            }
            #expect(seen.count == 5, "each occurrence its own instance")
        }
    }

    @Test("RFC 9110 §9.3.2: HEAD answers like GET — status and header fields — without a body, errors included")
    func head() async throws {
        try await ServerFixture.with { fixture, client in
            let zco = try await client.login(fixture, "zco")
            for path in ["/health", "/openapi.json", "/v1/me", "/v1/cases", "/v1/cases/onbekend", "/v1/register/checkpoint"] {
                let get = try await client.call(.get, path, token: zco)
                let head = try await client.call(.head, path, token: zco)
                #expect(head.status == get.status, "\(path)")
                #expect(head.body.isEmpty, "\(path)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
                if get.status == .ok { #expect(head.headers[.contentLength] == String(get.body.utf8.count), "\(path)") }
            }
            let anonymous = try await client.call(.head, "/v1/me")
            #expect(anonymous.status == .unauthorized && anonymous.body.isEmpty && anonymous.headers[.wwwAuthenticate] != nil)
            let postOnly = try await client.call(.head, "/v1/disclosures", token: zco)
            #expect(postOnly.status == .methodNotAllowed && postOnly.body.isEmpty && postOnly.headers[.allow] == "POST")
        }
    }

    @Test("Every path and method of the OpenAPI document is routed (HEAD beside every GET), and Allow names exactly those")
    func everyAllowedMethodWorks() async throws {
        try await ServerFixture.with { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let document = jsonObject(OpenAPIDocument.text)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let verbs = ["get", "head", "post", "put", "patch", "delete"]
            for (template, operations) in paths.sorted(by: { $0.key < $1.key }) {
                let methods = Set(operations.keys.filter(verbs.contains))
                #expect(!methods.contains("get") || methods.contains("head"), "\(template): HEAD is documented beside GET")
                let path = template.split(separator: "/").map { $0.hasPrefix("{") ? "onbekend" : String($0) }.joined(separator: "/")
                let refused = try await client.call(.put, "/" + path, token: zco)
                #expect(refused.status == .methodNotAllowed, "\(template) has no PUT")
                let allow = Set((refused.headers[.allow] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
                #expect(allow == methods, "\(template): Allow lists what the document declares")
                for method in allow.sorted() where !(template == "/v1/sessions" && method == "delete") {
                    let answer = try await client.call(HTTPRequest.Method(method.uppercased())!, "/" + path, token: zco,
                                                       json: method == "post" || method == "patch" ? "{}" : nil)
                    #expect(answer.status != .methodNotAllowed, "\(method) \(template)")
                    if method == "head" {
                        let get = try await client.call(.get, "/" + path, token: zco)
                        #expect(answer.status == get.status, "HEAD \(template) as GET")
                    } else {
                        // The router's own 404 (no route) has the generic type; a handler's says what was not found.
                        let type = jsonObject(answer.body)["type"] as? String ?? ""
                        #expect(!(answer.status == .notFound && type.hasSuffix("/http")), "\(method.uppercased()) \(template) reaches a handler")
                    }
                }
            }
            #expect(try await client.call(.delete, "/v1/sessions", token: zco).status == .noContent)
        }
    }
}
