public import Foundation
import SluisCrypto

/// W3C trace context (`traceparent: 00-<trace id>-<parent id>-<flags>`): taken from the
/// request when one comes in, so that an action can be followed across systems; made fresh
/// otherwise.
public struct TraceContext: Sendable, Equatable {
    public let traceID: String
    /// Our own span in the trace.
    public let spanID: String
    /// The caller's span (the incoming `parent-id`), nil when the trace started here.
    public var parentSpanID: String?
    /// The trace-flags we propagate: the sampled (01) and random trace-id (02) bits; the other
    /// bits are reserved and sent as zero (Trace Context Level 2 §3.2.2.5).
    public var flags: UInt8

    /// The sampled flag: the caller (or we) may have recorded this trace.
    public static let sampled: UInt8 = 0x01
    /// The random trace-id flag: the trace id's right-most 7 bytes are random.
    public static let random: UInt8 = 0x02

    public init(traceID: String, spanID: String, parentSpanID: String? = nil, flags: UInt8 = TraceContext.sampled) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.flags = flags & (Self.sampled | Self.random)
    }

    /// A new trace with a new span: random ids, and recorded (the register keeps every action).
    public static func fresh() throws -> TraceContext {
        TraceContext(traceID: Hex.encode(try Random.bytes(16)), spanID: Hex.encode(try Random.bytes(8)), flags: sampled | random)
    }

    /// Continues the trace of a `traceparent` header with a new span of our own, the caller's
    /// flags carried; nil when the header is not valid (then the caller starts a fresh trace).
    public static func continuing(traceparent: String) throws -> TraceContext? {
        guard let parent = Traceparent(traceparent) else { return nil }
        return TraceContext(traceID: parent.traceID, spanID: Hex.encode(try Random.bytes(8)), parentSpanID: parent.parentID, flags: parent.flags)
    }

    /// Our `traceparent` for what we send on: always version 00, our span as the parent.
    public var traceparent: String {
        let hex = Array("0123456789abcdef")
        return "00-\(traceID)-\(spanID)-\(hex[Int(flags >> 4)])\(hex[Int(flags & 0x0f)])"
    }
}

/// A parsed `traceparent` header (W3C Trace Context §3.2): `version-trace-id-parent-id-flags`,
/// all lowercase hex (`HEXDIGLC`).
public struct Traceparent: Sendable, Equatable {
    public let version: UInt8
    public let traceID: String
    public let parentID: String
    public let flags: UInt8

    /// Parses per §3.2 and its rules for "Versioning of traceparent": version ff is invalid; version 00 is
    /// exactly 55 characters; a higher version is read as 00 from its first 55 characters when
    /// they are valid and are the whole value or are followed by `-` and more (fields a future
    /// version adds). All-zero trace-id or parent-id, uppercase or other non-hex: nil.
    public init?(_ value: String) {
        let bytes = Array(value.utf8)
        guard bytes.count >= 55, bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-"),
              let version = Self.hex(bytes[0..<2]), version != 0xff,
              version == 0 ? bytes.count == 55 : (bytes.count == 55 || (bytes[55] == UInt8(ascii: "-") && bytes.count > 56)),
              Self.hex(bytes[3..<35]) != nil, Self.hex(bytes[36..<52]) != nil, let flags = Self.hex(bytes[53..<55])
        else { return nil }
        let traceID = String(decoding: bytes[3..<35], as: UTF8.self)
        let parentID = String(decoding: bytes[36..<52], as: UTF8.self)
        guard traceID.contains(where: { $0 != "0" }), parentID.contains(where: { $0 != "0" }) else { return nil }
        self.version = version
        self.traceID = traceID
        self.parentID = parentID
        self.flags = flags
    }

    /// The value of lowercase hex digits (the last byte's worth), or nil on any other character.
    static func hex(_ digits: ArraySlice<UInt8>) -> UInt8? {
        var value: UInt8 = 0
        for digit in digits {
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | nibble
        }
        return value
    }
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
