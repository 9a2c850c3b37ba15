import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
import SluisRegister
import SluisStore

/// Takes the W3C `traceparent` of a request (or starts a trace), returns ours on the response
/// with the caller's trace-flags (Trace Context §3.2), turns every error into problem+json, and
/// logs one line per request: method, route template, status, duration and trace id — never the
/// path's values, the query or the body, which may carry personal data.
public struct TraceMiddleware: RouterMiddleware {
    public typealias Context = SluisRequestContext
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    static let traceparent = HTTPField.Name("traceparent")!

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[Self.traceparent], let trace = try? TraceContext.continuing(traceparent: header) {
            context.trace = trace
        }
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            Self.logCause(of: problem, logger: logger, trace: context.trace)
            response = problem.response(trace: context.trace.traceID)
        }
        response.headers[Self.traceparent] = context.trace.traceparent
        // Answers carry personal data: no cache keeps them unless a route says otherwise (the
        // stylesheet), and no browser guesses another type than the one sent (a review finding:
        // the inzage report had neither).
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        response.headers[PageFrameMiddleware.contentTypeOptions] = "nosniff"
        // Every answer — a JSON 404 for a path no route knows too — sits in no frame and sends no
        // referrer; a page, the inzage report and the stylesheet set their own policy first (an
        // attacker's finding: unknown paths carried none).
        if response.headers[PageFrameMiddleware.csp] == nil { response.headers[PageFrameMiddleware.csp] = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'" }
        if response.headers[PageFrameMiddleware.referrerPolicy] == nil { response.headers[PageFrameMiddleware.referrerPolicy] = "no-referrer" }
        // A HEAD answer has GET's header fields and no content, errors included (RFC 9110 §9.3.2).
        if request.method == .head { response = response.createHeadResponse() }
        let elapsed = ContinuousClock.now - start
        logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "route": "\(context.endpointPath ?? "-")", "status": "\(response.status.code)",
            "ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
            "trace_id": "\(context.trace.traceID)",
        ])
        return response
    }

    /// The operator sees the cause of a problem, matched to the client's complaint by `instance`;
    /// the answer never carries it (RFC 9457 §3.1.5, docs/errors.md).
    static func logCause(of problem: Problem, logger: Logger, trace: TraceContext) {
        guard let cause = problem.cause else { return }
        logger.error("request failed", metadata: [
            "code": "\(problem.code)", "instance": "\(problem.instance)", "trace_id": "\(trace.traceID)",
            "error_type": "\(type(of: cause))", "cause": "\(Self.operatorDescription(of: cause))",
        ])
    }

    /// What the operator's log says about an underlying error: a database driver's error as
    /// `DatabaseFailure` words it (no values, no query), anything else by its description —
    /// Sluis's own errors (`CryptoError`, `KeyError`, `StoreError`, …) never carry personal data.
    static func operatorDescription(of cause: any Error) -> String {
        return DatabaseFailure(cause)?.description ?? String(describing: cause)
    }
}
