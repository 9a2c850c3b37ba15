import Foundation
import SluisCrypto

/// W3C trace context (`traceparent: 00-<trace id>-<parent id>-<flags>`): taken from the
/// request when one comes in, so that an action can be followed across systems; made fresh
/// otherwise.
public struct TraceContext: Sendable, Equatable {
    public let traceID: String
    public let spanID: String

    public init(traceID: String, spanID: String) {
        self.traceID = traceID
        self.spanID = spanID
    }

    /// A new trace with a new span.
    public static func fresh() throws -> TraceContext {
        TraceContext(traceID: Hex.encode(try Random.bytes(16)), spanID: Hex.encode(try Random.bytes(8)))
    }

    /// Continues the trace of a `traceparent` header with a new span of our own; nil when the
    /// header is not valid (then the caller starts a fresh trace).
    public static func continuing(traceparent: String) throws -> TraceContext? {
        let parts = traceparent.split(separator: "-")
        guard parts.count == 4, parts[0].count == 2, parts[0] != "ff", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isHexDigit) && $0 == $0.lowercased() }),
              parts[1] != String(repeating: "0", count: 32), parts[2] != String(repeating: "0", count: 16)
        else { return nil }
        return TraceContext(traceID: String(parts[1]), spanID: Hex.encode(try Random.bytes(8)))
    }

    public var traceparent: String { "00-\(traceID)-\(spanID)-01" }
}

/// Register times: RFC 3339, UTC, milliseconds — text that sorts in time order.
public enum RegisterTime {
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = milliseconds / 1000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds % 1000), 3))Z"
    }
}
