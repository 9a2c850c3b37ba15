import Hummingbird
import NIOCore
import SluisRegister

/// The request context: Hummingbird's core storage plus the W3C trace context of this request.
public struct SluisRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `TraceMiddleware` from an incoming `traceparent`, or fresh.
    public var trace: TraceContext
    /// The connection, to read the client's TLS certificate when mutual TLS is on.
    public let channel: any Channel

    public init(source: Source) {
        coreContext = .init(source: source)
        channel = source.channel
        trace = (try? TraceContext.fresh()) ?? TraceContext(traceID: String(repeating: "0", count: 31) + "1", spanID: String(repeating: "0", count: 15) + "1")
    }

    /// JSON request bodies are small: facts about one pupil at most.
    public var maxUploadSize: Int { 64 * 1024 }
}
