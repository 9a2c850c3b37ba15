import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisRegister
@testable import SluisServer
import SluisStore
import SluisGateway

/// W3C Trace Context over HTTP: the specification's examples continue the trace (a higher
/// version too), invalid ones start a fresh one, the caller's flags come back, and the caller's
/// span is on every register entry the request made.
@Suite("Trace context over HTTP")
struct TraceContextHTTPTests {
    static let name = HTTPField.Name("traceparent")!
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let parentID = "00f067aa0ba902b7"

    /// Our traceparent's four fields, or nil when it is not a version 00 one.
    static func fields(_ headers: HTTPFields) -> [String]? {
        guard let value = headers[name], let parsed = Traceparent(value), value.hasPrefix("00-") else { return nil }
        return [String(value.prefix(2)), parsed.traceID, parsed.parentID, String(value.suffix(2))]
    }

    @Test("Version 00 and a higher version with extra fields continue the trace, with a span of our own and the caller's flags")
    func continued() async throws {
        try await ServerFixture.with { _, client in
            for (header, flags) in [("00-\(Self.traceID)-\(Self.parentID)-01", "01"), ("00-\(Self.traceID)-\(Self.parentID)-00", "00"),
                                    ("00-\(Self.traceID)-\(Self.parentID)-02", "02"), ("00-\(Self.traceID)-\(Self.parentID)-03", "03"),
                                    ("cc-\(Self.traceID)-\(Self.parentID)-01", "01"),
                                    ("cc-\(Self.traceID)-\(Self.parentID)-02-what-the-future-will-be-like", "02")] {
                let answer = try await client.call(.get, "/health", headers: [Self.name: header])
                let ours = try #require(Self.fields(answer.headers), "\(header)")
                #expect(ours[0] == "00" && ours[1] == Self.traceID && ours[2] != Self.parentID, "\(header)")
                #expect(ours[3] == flags, "\(header): the caller's flags, neither forced to sampled nor the random bit lost")
            }
        }
    }

    @Test("Invalid traceparents start a fresh trace: version ff, version 00 with more, zero ids, uppercase, a cut-off flag")
    func restarted() async throws {
        try await ServerFixture.with { _, client in
            for header in ["ff-\(Self.traceID)-\(Self.parentID)-01", "00-\(Self.traceID)-\(Self.parentID)-01-what-the-future-will-be-like",
                           "cc-\(Self.traceID)-\(Self.parentID)-01.what-the-future-will-be-like",
                           "00-00000000000000000000000000000000-\(Self.parentID)-01", "00-\(Self.traceID)-0000000000000000-01",
                           "00-\(Self.traceID.uppercased())-\(Self.parentID)-01", "00-\(Self.traceID)-\(Self.parentID)-1", "garbage"] {
                let answer = try await client.call(.get, "/health", headers: [Self.name: header])
                let ours = try #require(Self.fields(answer.headers), "\(header)")
                #expect(ours[1] != Self.traceID && ours[1] != String(repeating: "0", count: 32), "\(header)")
                #expect(ours[3] == "03", "\(header): a fresh trace of random ids, recorded")
            }
        }
    }

    @Test("The caller's span is recorded on the register entries of its request; none without a traceparent")
    func parentSpanOnTheRegister() async throws {
        try await ServerFixture.with { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let caseID = try await DisclosureFlowTests().createInformedCase(client, zco)
            let disclosed = try await client.call(.post, "/v1/disclosures", token: zco, json: """
                {"caseId":"\(caseID)","recipient":"gemeente-goeree-overflakkee","forum":"casusoverleg","purpose":"3.1.a","fields":["absence"]}
                """, headers: [Self.name: "cc-\(Self.traceID)-\(Self.parentID)-02-later"])
            #expect(disclosed.status == .created, "\(disclosed.body)")
            let ours = try #require(Self.fields(disclosed.headers))
            let entries = try await fixture.gateway.register.list(.init(limit: 100)).entries
            let disclose = try #require(entries.first { $0.operation == "disclose" })
            #expect(disclose.traceID == Self.traceID && disclose.spanID == ours[2] && disclose.parentSpanID == Self.parentID)
            #expect(String(decoding: disclose.canonicalJSON, as: UTF8.self).contains(#""parentSpanId":"00f067aa0ba902b7""#))
            #expect(entries.filter { $0.operation != "disclose" }.allSatisfy { $0.parentSpanID == nil }, "no traceparent, no parent span")
        }
    }
}
