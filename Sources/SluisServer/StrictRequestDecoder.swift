import Foundation
public import Hummingbird
import NIOCore
import SluisCovenant
import SluisGateway

/// Hummingbird's request decoder for Sluis (`SluisRequestContext.requestDecoder`): the one JSON
/// edge. Every body passes `StrictJSON` — a JSON document, no key given twice, no key its type
/// does not list, at any depth — before `JSONDecoder` sees it; each refusal is a 400 naming the
/// key (`duoMelding.extra`). Fail-closed: a body type that does not list its keys
/// (`StrictJSONDecodable`) is not decoded at all.
public struct StrictRequestDecoder: RequestDecoder {
    public init() {}

    /// A handler asked for a body type that does not say which keys it has: a programming error (500).
    struct UnlistedBodyType: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) is not StrictJSONDecodable: the request decoder does not decode it" }
    }

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        guard let strict = type as? any StrictJSONDecodable.Type else { throw UnlistedBodyType(name: String(describing: type)) }
        try Self.checkMediaType(request.headers[.contentType])
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try Self.decode(type, shape: strict.jsonShape, from: Array(buffer.readableBytesView))
    }

    /// A body labelled as something other than JSON is not read as JSON (RFC 9110 §15.5.16: 415):
    /// a `text/plain` or form body that happens to parse would be taken for what its sender did
    /// not say it was. `application/json` and `application/*+json` pass, with any parameters; a
    /// body without a Content-Type is read as JSON, as curl's users expect; a charset other than
    /// UTF-8 is refused (RFC 8259 §8.1).
    /// - Throws: `GatewayError.unsupportedMediaType` naming the type sent (at most 64 characters).
    static func checkMediaType(_ contentType: String?) throws {
        guard let contentType else { return }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let media = parts.first ?? ""
        // JSON is UTF-8 (RFC 8259 §8.1): a body that says it is in another charset is not ours to guess at.
        let charsets = parts.dropFirst().filter { $0.hasPrefix("charset=") }.map { $0.dropFirst(8).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        guard media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json")),
              charsets.allSatisfy({ $0 == "utf-8" || $0 == "utf8" }) else {
            throw GatewayError.unsupportedMediaType("a JSON body is sent as application/json in UTF-8, not '\(contentType.prefix(64))'")
        }
    }

    /// Checks `bytes` against `shape`, then decodes; every refusal is a 400 `Problem` with its
    /// code (`sluis:invalid-json`, `-duplicate-key`, `-unknown-key`, `-missing-key`, `-wrong-type`)
    /// and the field it is about.
    static func decode<T: Decodable>(_ type: T.Type, shape: JSONShape, from bytes: [UInt8]) throws -> T {
        guard !bytes.isEmpty else { throw refusal(.invalidJSON, field: "body", "a JSON object is required") }
        do throws(StrictJSON.Refusal) {
            try StrictJSON.check(bytes, against: shape)
        } catch {
            switch error {
            case .syntax(let syntax): throw refusal(.invalidJSON, field: "body", "not JSON: \(syntax.problem)")
            // Which of two values would count is no guess to make.
            case .duplicateKey(let key): throw refusal(.duplicateKey, field: key, "key given twice")
            case .unknownKey(let key): throw refusal(.unknownKey, field: key, "unknown key (see /openapi.json)")
            }
        }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            // Thrown as the problem itself: `Request.decode(as:)` would turn a DecodingError
            // into an HTTPError that no longer names the field.
            throw Problem.from(error, shape: shape)
        }
    }

    static func refusal(_ code: Problem.Code, field: String, _ problem: String) -> Problem {
        Problem(status: .badRequest, code: code, title: "Ongeldige invoer", detail: "\(field): \(problem)", type: Problem.typeBase + "ongeldige-invoer",
                field: field)
    }
}
