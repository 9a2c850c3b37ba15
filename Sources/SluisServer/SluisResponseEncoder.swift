import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore

/// Hummingbird's response encoder for Sluis (`SluisRequestContext.responseEncoder`): the
/// outgoing half of the one JSON edge, as `StrictRequestDecoder` is the incoming half. Keys
/// sorted and slashes unescaped, so equal values give equal bytes (tests, schemathesis and
/// clients that hash answers rely on it); `Content-Type: application/json` as the OpenAPI
/// document declares; dates, should a body ever carry one, as ISO 8601 (Hummingbird's default).
public struct SluisResponseEncoder: ResponseEncoder {
    /// One encoder for every request: its settings never change after this, so sharing is safe.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    public init() {}

    /// `value` as a 200 `application/json` response; a handler sets another status on the result.
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let data = try Self.encoder.encode(value)
        // The two header fields Hummingbird's own JSON encoder sets.
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(data.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A handler's JSON answer, encoded when Hummingbird asks for the response — by the context's
/// `responseEncoder`, Hummingbird's `ResponseEncodable` path — with the status the handler chose
/// (`API.json(_:status:)`).
struct JSONAnswer<Value: Encodable>: ResponseEncodable {
    let value: Value

    func encode(to encoder: any Encoder) throws {
        // Through the encoder's own value path, so its strategies apply to `value` itself too.
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
