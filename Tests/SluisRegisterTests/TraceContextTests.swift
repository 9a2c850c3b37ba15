import Testing
@testable import SluisRegister
import Foundation

/// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` examples of the
/// specification and of its test suite, its versioning rules, and the trace-flags carried.
@Suite("W3C trace context")
struct TraceContextTests {
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let parentID = "00f067aa0ba902b7"

    @Test("§3.2: the specification's version 00 examples parse; the caller's span becomes the parent")
    func version00() throws {
        let parsed = try #require(Traceparent("00-\(Self.traceID)-\(Self.parentID)-01"))
        #expect(parsed.version == 0 && parsed.traceID == Self.traceID && parsed.parentID == Self.parentID && parsed.flags == 1)
        let notSampled = try #require(Traceparent("00-\(Self.traceID)-\(Self.parentID)-00"))
        #expect(notSampled.flags == 0)
        let trace = try #require(try TraceContext.continuing(traceparent: "00-\(Self.traceID)-\(Self.parentID)-01"))
        #expect(trace.traceID == Self.traceID && trace.parentSpanID == Self.parentID)
        #expect(trace.spanID != Self.parentID && trace.spanID.count == 16)
        #expect(trace.traceparent == "00-\(Self.traceID)-\(trace.spanID)-01")
    }

    @Test("Trace-flags: sampled and random are carried as the caller sent them, reserved bits go out as zero")
    func flags() throws {
        for (incoming, outgoing) in [("00", "00"), ("01", "01"), ("02", "02"), ("03", "03"), ("ff", "03"), ("08", "00"), ("09", "01")] {
            let trace = try #require(try TraceContext.continuing(traceparent: "00-\(Self.traceID)-\(Self.parentID)-\(incoming)"))
            #expect(trace.traceparent.hasSuffix("-\(outgoing)"), "flags \(incoming)")
            #expect(trace.traceparent.count == 55)
        }
        let fresh = try TraceContext.fresh()
        #expect(fresh.parentSpanID == nil && fresh.flags == TraceContext.sampled | TraceContext.random)
        #expect(fresh.traceparent.count == 55 && fresh.traceparent.hasSuffix("-03"), "our own ids are random")
    }

    @Test("Versioning: a higher version is read as 00 from its first 55 characters and continues the trace")
    func higherVersion() throws {
        let base = "12345678901234567890123456789012-1234567890123456-01"
        for header in ["cc-\(base)", "cc-\(base)-what-the-future-will-be-like", "01-\(base)-x", "fe-\(base)"] {
            let parsed = try #require(Traceparent(header), "\(header)")
            #expect(parsed.traceID == "12345678901234567890123456789012" && parsed.parentID == "1234567890123456" && parsed.flags == 1)
            let trace = try #require(try TraceContext.continuing(traceparent: header))
            #expect(trace.traceparent.hasPrefix("00-12345678901234567890123456789012-") && trace.traceparent.hasSuffix("-01"))
        }
        let random = try #require(try TraceContext.continuing(traceparent: "cc-12345678901234567890123456789012-1234567890123456-02-more"))
        #expect(random.traceparent.hasSuffix("-02"))
        for header in ["cc-\(base).what-the-future-will-be-like", "cc-\(base)-", "cc-\(base)x"] {
            #expect(Traceparent(header) == nil, "\(header)")
        }
    }

    @Test("Invalid headers are refused: version ff, version 00 with more, zero ids, uppercase, wrong lengths and characters")
    func invalid() throws {
        let trace = "12345678901234567890123456789012", parent = "1234567890123456"
        let headers = [
            "ff-\(trace)-\(parent)-01",
            "00-\(trace)-\(parent)-01.", "00-\(trace)-\(parent)-01-what-the-future-will-be-like",
            ".0-\(trace)-\(parent)-01", "0.-\(trace)-\(parent)-01", "000-\(trace)-\(parent)-01", "0-\(trace)-\(parent)-01",
            "00-00000000000000000000000000000000-\(parent)-01", "00-\(trace)-0000000000000000-01",
            "00-.2345678901234567890123456789012-\(parent)-01", "00-1234567890123456789012345678901.-\(parent)-01",
            "00-123456789012345678901234567890123-\(parent)-01", "00-1234567890123456789012345678901-\(parent)-01",
            "00-\(trace)-.234567890123456-01", "00-\(trace)-123456789012345.-01",
            "00-\(trace)-12345678901234567-01", "00-\(trace)-123456789012345-01",
            "00-\(trace)-\(parent)-.0", "00-\(trace)-\(parent)-0.", "00-\(trace)-\(parent)-1", "00-\(trace)-\(parent)",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-\(Self.parentID)-01", "00-\(Self.traceID)-00F067AA0BA902B7-01",
            "00-\(Self.traceID)-\(Self.parentID)-0A", "CC-\(trace)-\(parent)-01",
            "00-\(trace)-\(parent)-01, 00-\(trace)-\(parent)-01", "", "garbage", "00_\(trace)_\(parent)_01",
        ]
        for header in headers {
            #expect(Traceparent(header) == nil, "\(header)")
            #expect(try TraceContext.continuing(traceparent: header) == nil, "\(header)")
        }
    }

    @Test("The caller's span on a register entry: canonical between operation and policyHash, absent when nil")
    func parentSpanOnEntries() throws {
        let without = CheckpointAndEntryTests.entry
        #expect(without.parentSpanID == nil)
        let text = String(decoding: without.canonicalJSON, as: UTF8.self)
        #expect(!text.contains("parentSpanId"), "older entries and their hashes stay as they were")
        var with = without
        with.parentSpanID = Self.parentID
        let expected = text.replacingOccurrences(of: #","policyHash":"#, with: #","parentSpanId":"00f067aa0ba902b7","policyHash":"#)
        #expect(String(decoding: with.canonicalJSON, as: UTF8.self) == expected)
        #expect(expected.contains(#""operation":"disclose","parentSpanId":"#))
        #expect(try RegisterEntry.decode(canonical: with.canonicalJSON) == with)
        #expect(try RegisterEntry.decode(canonical: without.canonicalJSON).parentSpanID == nil)
    }
}
