import Foundation
public import Hummingbird
import SluisGateway

/// Refuses a query parameter given twice on the JSON API (`/v1/…`): which of two values counts is
/// no guess to make, as for a JSON key given twice (`StrictRequestDecoder`) — an attacker's finding:
/// `?format=html&format=pdf` answered with the first and `?limit=2&limit=500` echoed both. No
/// parameter of the API is a list (docs/openapi.json). A 400 naming the parameter.
public struct QueryStrictnessMiddleware: RouterMiddleware {
    public typealias Context = SluisRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasPrefix("/v1/") || request.uri.path == "/v1" {
            var seen = Set<Substring>()
            for (name, _) in request.uri.queryParameters where !seen.insert(name).inserted {
                throw GatewayError.invalid(field: String(name.prefix(64)), problem: "query parameter given twice: give it once")
            }
        }
        return try await next(request, context)
    }
}
