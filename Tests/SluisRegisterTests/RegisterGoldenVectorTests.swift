import Foundation
import Testing
@testable import SluisCrypto
@testable import SluisRegister

/// The register's bytes pinned (issue 9, item 6): an entry's canonical JSON and its RFC 6962
/// leaf hash (SHA-256 of 0x00 ‖ bytes) for fixed content. Signed checkpoints cover these bytes:
/// a change of the encoding would make every existing register fail to verify, so it must be a
/// deliberate new format, never a side effect of a change elsewhere (e.g. the CLI's JSON output).
@Suite("Register golden vectors")
struct RegisterGoldenVectorTests {
    static let entry = RegisterEntry(
        index: 42, time: "2026-11-30T06:00:00.000Z", traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7",
        activity: "verstrekking-casusoverleg", activityVersion: "1", operation: "disclose", sender: "sovogo", actor: "d-1",
        recipient: "gemeente-goeree-overflakkee", forum: "casusoverleg", purpose: "3.1.a", decision: "permit",
        released: ["absence"], withheld: ["name", "birthDate"], basis: ["6(1)(e); Leerplichtwet art. 16; convenant art. 4.3"],
        consentReference: "c-1", policyHash: "ab", subject: "ps1-abc", bundleDigest: "cd", recipientRole: "leerplicht",
        parentSpanID: "b7ad6b7169203331")

    static let bytes = #"{"basis":["6(1)(e); Leerplichtwet art. 16; convenant art. 4.3"],"bundleDigest":"cd","consentReference":"c-1","decision":"permit","forum":"casusoverleg","index":42,"operation":"disclose","parentSpanId":"b7ad6b7169203331","policyHash":"ab","processingActivity":"verstrekking-casusoverleg","processingActivityVersion":"1","purpose":"3.1.a","recipient":"gemeente-goeree-overflakkee","recipientRole":"leerplicht","released":["absence"],"sender":"sovogo","senderUser":"d-1","spanId":"00f067aa0ba902b7","subject":"ps1-abc","time":"2026-11-30T06:00:00.000Z","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","withheld":["name","birthDate"]}"#
    static let leaf = "9d70815128dd9ef6ec76c287f6fb04962511641f0c511cb6b66f46627c53dadd"

    @Test("RFC 6962 §2.1: the canonical bytes and the leaf hash of a fixed entry do not change")
    func canonicalBytesAndLeafHash() throws {
        let body = Self.entry.canonicalJSON
        #expect(String(decoding: body, as: UTF8.self) == Self.bytes)
        #expect(Hex.encode(MerkleTree.leafHash(body, try SHA256Hasher())) == Self.leaf)
        #expect(try RegisterEntry.decode(canonical: body) == Self.entry, "the bytes read back to the same entry")
    }

    @Test("Text that needs escaping is encoded the same way every time (quote, backslash, control, non-ASCII)")
    func escaping() throws {
        var entry = Self.entry
        entry.basis = ["\"quoted\" \\ back\u{1}slash é ✓"]
        let text = String(decoding: entry.canonicalJSON, as: UTF8.self)
        #expect(text.contains(#"["\"quoted\" \\ back\u0001slash é ✓"]"#), "\(text)")
        #expect(try RegisterEntry.decode(canonical: entry.canonicalJSON) == entry)
    }
}
