import Foundation
import HTTPTypes
public import Hummingbird
import SluisRegister

/// Answers 405 with an `Allow` header when a path exists but not with this method (the router
/// alone would say 404). The paths and methods come from the OpenAPI document, so the two
/// cannot drift apart; the document declares HEAD beside every GET (RFC 9110 §9.3.2), and the
/// router answers it (`buildRouter`), so every method `Allow` names works (RFC 9110 §10.2.1).
public struct MethodNotAllowedMiddleware: RouterMiddleware {
    public typealias Context = SluisRequestContext

    struct Route {
        let segments: [String]
        let methods: Set<String>

        func matches(_ path: [Substring]) -> Bool {
            segments.count == path.count && zip(segments, path).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }

    let routes: [Route]

    public init(openAPI: String) {
        let document = (try? JSONSerialization.jsonObject(with: Data(openAPI.utf8))) as? [String: Any]
        let paths = document?["paths"] as? [String: Any] ?? [:]
        routes = paths.compactMap { path, value in
            guard let operations = value as? [String: Any] else { return nil }
            let methods = Set(operations.keys.map { $0.uppercased() }.filter { ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].contains($0) })
            return Route(segments: path.split(separator: "/").map(String.init), methods: methods)
        }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path.split(separator: "/")
        if let route = routes.first(where: { $0.matches(path) }), !route.methods.contains(request.method.rawValue) {
            let problem = Problem(status: .methodNotAllowed, code: .methodNotAllowed, title: "Methode niet toegestaan",
                                  detail: "allowed here: \(route.methods.sorted().joined(separator: ", "))", type: Problem.typeBase + "methode")
            var response = problem.response(trace: context.trace.traceID)
            response.headers[.allow] = route.methods.sorted().joined(separator: ", ")
            return response
        }
        return try await next(request, context)
    }
}
