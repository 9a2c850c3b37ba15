import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import SluisServer

/// The web pages as a browser uses them, over HTTP: the login form with its CSRF cookie, the
/// page session cookie, forms with the CSRF token read from the page.
struct PageAnswer {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: String

    /// The CSRF token of the first form on the page.
    var csrf: String? { PageAnswer.first(#"name="csrf" value="([^"]+)""#, in: body) }
    var location: String? { headers[.location] }

    /// The value a Set-Cookie of this answer gives `name` ("" when it removes it).
    func cookie(_ name: String) -> String? {
        headers[values: .setCookie].compactMap { field -> String? in
            guard field.hasPrefix(name + "=") else { return nil }
            return String(field.dropFirst(name.count + 1).prefix { $0 != ";" })
        }.first
    }

    static func first(_ pattern: String, in text: String) -> String? {
        guard let expression = try? NSRegularExpression(pattern: pattern),
              let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}

extension TestClientProtocol {
    /// A page request with the page session cookie (if any), a form body (if any).
    func page(_ method: HTTPRequest.Method, _ uri: String, session: String? = nil, cookieName: String = "sluis_sessie",
              form: [(String, String)]? = nil, headers extra: HTTPFields = [:]) async throws -> PageAnswer {
        var headers = extra
        if let session { headers[values: .cookie].append("\(cookieName)=\(session)") }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: Self.encode(form))
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body) {
            PageAnswer(status: $0.status, headers: $0.headers, body: String(buffer: $0.body))
        }
    }

    static func encode(_ form: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    /// Logs in on the login page as a browser does; returns the page session token. The clock
    /// first moves to a fresh TOTP step: one code opens one session (RFC 6238 §5.2).
    func pageLogin(_ fixture: ServerFixture, _ username: String) async throws -> String {
        fixture.clock.advance(by: 30)
        let form = try await page(.get, "/inloggen")
        let nonce = try #require(form.cookie("sluis_inloggen"))
        let secret = fixture.secrets[username]!
        let answer = try await page(.post, "/inloggen", form: [("csrf", try #require(form.csrf)), ("gebruikersnaam", username),
                                                            ("wachtwoord", secret.password), ("code", try fixture.totp(username))],
                                    headers: [.cookie: "sluis_inloggen=\(nonce)"])
        #expect(answer.status == .seeOther, "page login \(username): \(answer.body)")
        return try #require(answer.cookie("sluis_sessie"))
    }

    /// GETs a page and POSTs `form` with the CSRF token read from it (as the browser submits).
    func submit(_ pageURI: String, to action: String, session: String, form: [(String, String)]) async throws -> PageAnswer {
        let shown = try await page(.get, pageURI, session: session)
        return try await page(.post, action, session: session, form: [("csrf", try #require(shown.csrf, "no form on \(pageURI)"))] + form)
    }
}
