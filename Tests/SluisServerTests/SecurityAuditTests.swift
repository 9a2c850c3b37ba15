import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
@testable import SluisGateway
@testable import SluisServer
import SluisRegister
import SluisStore

/// Issue 14 item 5: path traversal in every path parameter, CSRF on every page form, session
/// fixation and TOTP replay across the API and the pages (docs/security.md). "Every" is a loop
/// over the router's own route table, so a route added later is covered without a new test.
@Suite("Security audit: traversal, CSRF, fixation, TOTP replay")
struct SecurityAuditTests {
    /// Every route the server answers, as the router holds it (`GET /v1/cases/{caseId}`).
    static func routes(_ fixture: ServerFixture) -> [(method: HTTPRequest.Method, path: String)] {
        let logger = Logger(label: "sluis-test-routes") { _ in SwiftLogNoOpLogHandler() }
        return buildRouter(gateway: fixture.gateway, logger: logger).routes
            .filter { $0.method != .head }
            .map { ($0.method, $0.path.description) }
    }

    /// The path's parameters (`{caseId}`), in order.
    static func parameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map(String.init)
    }

    /// `path` with `payload` in parameter `index` and a well-formed but unknown id in the others.
    static func uri(_ path: String, payload: String, at index: Int) -> String {
        var seen = -1
        return "/" + path.split(separator: "/").map { component -> String in
            guard component.hasPrefix("{") else { return String(component) }
            seen += 1
            return seen == index ? payload : "00000000-0000-0000-0000-000000000000"
        }.joined(separator: "/")
    }

    /// What an attacker puts in a path parameter to climb out of it: plain and percent-encoded
    /// dot segments (RFC 3986 §5.2.4), encoded slashes and backslashes, double encoding, overlong
    /// UTF-8 dots, NUL, and a file outside.
    static let traversals = [
        "..", ".", "%2e%2e", "%2E%2E", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%5c..%5cwindows%5cwin.ini", "%252e%252e%252fetc%252fpasswd", "%c0%ae%c0%ae%c0%af", "a%00b", "%00",
        "..%00", "....%2f%2f", "%2fetc%2fpasswd", "..;", "%2e%2e%3bjsessionid",
    ]

    /// Whether an answer could be a file outside: never a success, never a server error, and no
    /// byte of the usual targets.
    static func refusedSafely(_ status: HTTPResponse.Status, _ body: String) -> Bool {
        !(200..<300).contains(status.code) && status.code < 500 && !body.contains("root:") && !body.contains("[fonts]")
    }

    @Test("Issue 14 item 5: every path parameter of every API route, with every traversal payload, for five roles → refused (4xx), never a file, never a 5xx")
    func traversal_everyAPIPathParameter() async throws {
        try await ServerFixture.with { fixture, client in
            _ = try await AuthorityTests().setUp(fixture, client)
            var tokens: [String] = []
            fixture.clock.advance(by: 30)  // the set-up's logins spent this step's codes
            for username in ["zco", "beheer", "swv", "fg-own", "lpa"] { tokens.append(try await client.login(fixture, username)) }
            let routes = Self.routes(fixture).filter { $0.path.hasPrefix("/v1/") && !Self.parameters($0.path).isEmpty }
            #expect(routes.count >= 40, "the route table was read (\(routes.count) routes with parameters)")
            var tried = 0
            for route in routes {
                for index in Self.parameters(route.path).indices {
                    for payload in Self.traversals {
                        let uri = Self.uri(route.path, payload: payload, at: index)
                        for token in tokens {
                            let json = route.method == .get || route.method == .delete ? nil : "{}"
                            let answer = try await client.call(route.method, uri, token: token, json: json)
                            #expect(Self.refusedSafely(answer.status, answer.body), "\(route.method) \(uri): \(answer.status)")
                            tried += 1
                        }
                    }
                }
            }
            #expect(tried > 3000)
        }
    }

    @Test("Issue 14 item 5: every path parameter of every page route, GET and POST with a valid CSRF token → refused, never a file, never a 5xx")
    func traversal_everyPagePathParameter() async throws {
        try await ServerFixture.with { fixture, client in
            _ = try await AuthorityTests().setUp(fixture, client)
            let routes = Self.routes(fixture).filter { !$0.path.hasPrefix("/v1/") && !Self.parameters($0.path).isEmpty }
            #expect(routes.count >= 15, "the route table was read (\(routes.count) page routes with parameters)")
            for username in ["zco", "swv", "jvk", "fg-own"] {
                let session = try await client.pageLogin(fixture, username)
                let csrf = try #require(try await client.page(.get, "/start", session: session).csrf)
                for route in routes {
                    for index in Self.parameters(route.path).indices {
                        for payload in Self.traversals {
                            let uri = Self.uri(route.path, payload: payload, at: index)
                            let answer = try await client.page(route.method, uri, session: session,
                                                               form: route.method == .post ? [("csrf", csrf)] : nil)
                            // A page refuses with its error page (4xx) or sends the browser back to a page of ours (303).
                            let back = answer.status == .seeOther && answer.location?.hasPrefix("/") == true
                            #expect(back || Self.refusedSafely(answer.status, answer.body), "\(username) \(route.method) \(uri): \(answer.status)")
                        }
                    }
                }
            }
        }
    }

    @Test("Issue 14 item 5: paths that climb out of the router (raw and encoded dot segments, the stylesheet's folder) find no file")
    func traversal_wholePaths() async throws {
        try await ServerFixture.with { fixture, client in
            let zco = try await client.login(fixture, "zco")
            for uri in ["/../../../../etc/passwd", "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                        "/static/..%2f..%2fPackage.swift", "/static/sluis.css%00.txt", "/static/sluis.css/..", "/v1/../../etc/passwd",
                        "/v1/%2e%2e/%2e%2e/etc/passwd", "/openapi.json/../Package.swift", "/%2e%2e%2fopenapi.json"] {
                let answer = try await client.call(.get, uri, token: zco)
                #expect(Self.refusedSafely(answer.status, answer.body) && !answer.body.contains("PackageDescription"), "\(uri): \(answer.status)")
            }
        }
    }

    @Test("Issue 14 item 5: the uploaded file's name is never used — a traversal or NUL in it changes nothing on disk (RFC 7578 §4.2)")
    func traversal_uploadFileName() async throws {
        try await ServerFixture.with { fixture, client in
            _ = try await AuthorityTests().setUp(fixture, client)
            let session = try await client.pageLogin(fixture, "zco")
            let target = fixture.directory.appendingPathComponent("geplant.csv")
            for name in ["../../../../\(target.path)", "..%2f..%2fgeplant.csv", "geplant.csv\0.txt", "/etc/passwd", "..\\..\\geplant.csv"] {
                let csrf = try #require(try await client.page(.get, "/school/verzuim", session: session).csrf)
                let answer = try await client.pageUpload(SchoolPageTests.goodFile(today: SchoolPageTests.today(fixture)), session: session,
                                                         csrf: csrf, fileName: name)
                #expect(answer.status.code < 500, "\(answer.status)")
                #expect(!FileManager.default.fileExists(atPath: target.path))
            }
        }
    }

    @Test("OWASP synchronizer token, issue 14 item 5: every state-changing page form (every POST of the router) without, with a wrong, or with another session's CSRF token → 403, and nothing reaches the register")
    func csrf_everyPageForm() async throws {
        try await ServerFixture.with { fixture, client in
            _ = try await AuthorityTests().setUp(fixture, client)
            let forms = Self.routes(fixture).filter { $0.method == .post && !$0.path.hasPrefix("/v1/") && $0.path != "/v1/sessions" }
            #expect(forms.count >= 20, "the route table was read (\(forms.count) page forms)")
            let before = try await Self.newestEntry(fixture)
            let session = try await client.pageLogin(fixture, "zco")
            let foreign = try #require(try await client.page(.get, "/start", session: try await client.pageLogin(fixture, "swv")).csrf)
            for route in forms where route.path != "/inloggen" {
                let uri = Self.uri(route.path, payload: "00000000-0000-0000-0000-000000000001", at: -1)
                for csrf in [nil, String(repeating: "a", count: 64), foreign, ""] {
                    let form = (csrf.map { [("csrf", $0)] } ?? []) + [("reden", "x"), ("tekst", "x")]
                    let answer = try await client.page(.post, uri, session: session, form: form)
                    #expect(answer.status == .forbidden && answer.body.contains("Formulier verlopen of ongeldig"), "\(uri) csrf \(csrf ?? "none"): \(answer.status)")
                }
                if route.path == "/school/verzuim" {
                    let upload = try await client.pageUpload("pupil,date,kind,hours,unit\n", session: session, csrf: nil)
                    #expect(upload.status == .forbidden, "multipart without the token")
                }
            }
            // The login form has a token of its own, bound to its cookie (PageTests.loginCSRF).
            let login = try await client.page(.post, "/inloggen", form: [("csrf", foreign), ("gebruikersnaam", "zco"), ("wachtwoord", "x"), ("code", "1")])
            #expect(login.status.code >= 400 && login.cookie("sluis_sessie") == nil)
            #expect(try await Self.newestEntry(fixture) == before, "a refused form wrote to the register")
            // The session is still the delegate's: the refusals did not end it.
            #expect(try await client.page(.get, "/start", session: session).status == .ok)
        }
    }

    @Test("Session fixation (OWASP), art. 10.2: a session cookie set before login is not the one after it, opens nothing, and logout ends the new one")
    func sessionFixation_pages() async throws {
        try await ServerFixture.with { fixture, client in
            // An attacker plants a made-up cookie, and then one of a real session of its own.
            let attacker = try await client.pageLogin(fixture, "zco-other")
            for planted in ["vastgezet-door-aanvaller-0123456789abcdef", attacker] {
                fixture.clock.advance(by: 30)
                let form = try await client.page(.get, "/inloggen", session: planted)
                let nonce = try #require(form.cookie("sluis_inloggen"))
                let secret = fixture.secrets["zco"]!
                let answer = try await client.page(.post, "/inloggen", form: [("csrf", try #require(form.csrf)), ("gebruikersnaam", "zco"),
                                                                            ("wachtwoord", secret.password), ("code", try fixture.totp("zco"))],
                                                   headers: [.cookie: "sluis_inloggen=\(nonce); sluis_sessie=\(planted)"])
                #expect(answer.status == .seeOther)
                let session = try #require(answer.cookie("sluis_sessie"))
                #expect(session != planted && session != nonce, "the session id is made at login, never taken from the browser")
                #expect(try await client.page(.get, "/start", session: session).status == .ok)
                if planted != attacker {
                    #expect(try await client.page(.get, "/start", session: planted).status == .seeOther, "a made-up cookie opens nothing")
                }
                // Logout ends the session; its cookie then opens nothing.
                let out = try await client.submit("/start", to: "/uitloggen", session: session, form: [])
                #expect(out.status == .seeOther && out.cookie("sluis_sessie") == "")
                #expect(try await client.page(.get, "/start", session: session).status == .seeOther)
            }
        }
    }

    @Test("Session fixation, art. 10.2: a bearer token the client brings to the login is ignored; the session's token is the gateway's own")
    func sessionFixation_api() async throws {
        try await ServerFixture.with { fixture, client in
            let chosen = "vastgezet-door-aanvaller-0123456789abcdef0123456789abcdef"
            let secret = fixture.secrets["swv"]!
            let answer = try await client.call(.post, "/v1/sessions", token: chosen,
                                               json: ConcurrentLoginTests.login("swv", secret.password, try fixture.totp("swv")))
            #expect(answer.status == .created)
            let token = try #require(jsonObject(answer.body)["token"] as? String)
            #expect(token != chosen)
            #expect(try await client.call(.get, "/v1/me", token: chosen).status == .unauthorized)
            #expect(try await client.call(.get, "/v1/me", token: token).status == .ok)
        }
    }

    @Test("RFC 6238 §5.2, art. 10.2: one TOTP code opens one session across the API and the pages, also when eight page logins race with it")
    func totpReplay_acrossChannelsAndConcurrentPages() async throws {
        try await ServerFixture.with { fixture, client in
            // Used on the API, the code is spent for the pages too …
            let code = try fixture.totp("jvk")
            let secret = fixture.secrets["jvk"]!
            #expect(try await client.call(.post, "/v1/sessions", json: ConcurrentLoginTests.login("jvk", secret.password, code)).status == .created)
            #expect(try await Self.pageLogin(client, "jvk", secret.password, code).status == .unauthorized)
            // … and the other way round.
            fixture.clock.advance(by: 30)
            let next = try fixture.totp("jvk")
            #expect(try await Self.pageLogin(client, "jvk", secret.password, next).status == .seeOther)
            #expect(try await client.call(.post, "/v1/sessions", json: ConcurrentLoginTests.login("jvk", secret.password, next)).status == .unauthorized)
            // Eight page logins with one fresh code at once: one session.
            fixture.clock.advance(by: 30)
            let raced = try fixture.totp("jvk")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<8 { group.addTask { try await Self.pageLogin(client, "jvk", secret.password, raced).status } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            // The others are refused: 401 for a reused code, 429 once five reuses locked the
            // account (docs/security.md: a denial of service by someone who knows the password).
            #expect(statuses.filter { $0 == .seeOther }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { $0 == .seeOther || $0 == .unauthorized || $0 == .tooManyRequests }, "\(statuses)")
        }
    }

    /// The index of the register's newest entry.
    static func newestEntry(_ fixture: ServerFixture) async throws -> Int64? {
        try await fixture.gateway.register.list(RegisterFilter(newestFirst: true, limit: 1)).entries.first?.index
    }

    /// A page login as a browser makes it, with `code`.
    static func pageLogin(_ client: any TestClientProtocol, _ username: String, _ password: String, _ code: String) async throws -> PageAnswer {
        let form = try await client.page(.get, "/inloggen")
        return try await client.page(.post, "/inloggen", form: [("csrf", try #require(form.csrf)), ("gebruikersnaam", username),
                                                               ("wachtwoord", password), ("code", code)],
                                     headers: [.cookie: "sluis_inloggen=\(try #require(form.cookie("sluis_inloggen")))"])
    }
}
