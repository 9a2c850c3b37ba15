import Foundation
import HTTPTypes
import SluisCrypto
import SluisGateway

/// The page session's cookies (RFC 6265bis). The session cookie carries the gateway's own
/// session token — the one `POST /v1/sessions` would return — so lockout, replay, expiry and
/// logout are the gateway's. It is HttpOnly and SameSite=Strict; under TLS it is Secure and
/// `__Host-` prefixed (bound to this host, path /). The JSON API never reads it: the API takes
/// the token only from `Authorization: Bearer`, so a page session cannot be used cross-site.
struct PageCookies: Sendable {
    /// Over TLS: Secure, the `__Host-` prefix and HSTS.
    let secure: Bool

    var sessionName: String { secure ? "__Host-sluis_sessie" : "sluis_sessie" }
    /// Before login: the login form's own CSRF value (double submit; there is no session yet).
    var loginName: String { secure ? "__Host-sluis_inloggen" : "sluis_inloggen" }

    /// A cookie with the attributes every Sluis cookie has; `maxAge` 0 removes it.
    func cookie(_ name: String, _ value: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(max(0, maxAge)); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// The value of cookie `name` in the request's Cookie fields, if it is there once and looks
    /// like a token (base64url, at most 128 bytes); anything else counts as absent.
    static func value(_ name: String, in headers: HTTPFields) -> String? {
        var found: [String] = []
        for field in headers[values: .cookie] {
            for pair in field.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name { found.append(String(parts[1])) }
            }
        }
        guard found.count == 1, let value = found.first, !value.isEmpty, value.utf8.count <= 128,
              value.utf8.allSatisfy({ Base64URL.isLetter($0) }) else { return nil }
        return value
    }

    /// The CSRF token of a page session (OWASP: synchronizer token, bound to the session): a
    /// domain-separated SHA-256 of the session token. Only whoever holds the session token can
    /// compute it, and it differs from the token's stored hash, so a read of the store does not
    /// yield it.
    static func csrfToken(session: String) throws -> String {
        try SHA256.hex(Array("sluis-pagina-csrf-v1\u{0}".utf8) + Array(session.utf8))
    }

    /// A fresh random value for the login form's CSRF cookie and field.
    static func loginNonce() throws -> String { Base64URL.encode(try Random.bytes(32)) }

    /// Equal without an early exit on the first different byte.
    static func matches(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Base64URL {
    static func isLetter(_ byte: UInt8) -> Bool {
        (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte) || byte == 45 || byte == 95
    }
}
