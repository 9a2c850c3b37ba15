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
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try Self.decode(type, shape: strict.jsonShape, from: Array(buffer.readableBytesView))
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
