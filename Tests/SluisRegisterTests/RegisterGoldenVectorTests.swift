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
    /// A fixed entry in the current format (2).
    static let entry = RegisterEntry(
        index: 42, time: "2026-11-30T06:00:00.000Z", traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7",
        activity: "verstrekking-casusoverleg", activityVersion: "1", operation: "disclose", sender: "sovogo", actor: "d-1",
        recipient: "gemeente-goeree-overflakkee", forum: "casusoverleg", purpose: "3.1.a", decision: "permit",
        released: ["absence"], withheld: ["name", "birthDate"], basis: ["6(1)(e); Leerplichtwet art. 16; convenant art. 4.3"],
        consentReference: "c-1", policyHash: "ab", subject: "ps1-abc", bundleDigest: "cd", recipientRole: "leerplicht",
        parentSpanID: "b7ad6b7169203331")

    /// The same entry as written before the format was versioned (format 1).
    static var entryV1: RegisterEntry {
        var entry = Self.entry
        entry.formatVersion = .v1
        return entry
    }

    // Bytes and leaf hashes computed independently, with Python's json and hashlib:
    //   json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    //   hashlib.sha256(b"\x00" + body).hexdigest()

    /// Format 1: pinned before format 2 existed (commit 65683b9); entries on registers written then still hash to this.
    static let bytesV1 = #"{"basis":["6(1)(e); Leerplichtwet art. 16; convenant art. 4.3"],"bundleDigest":"cd","consentReference":"c-1","decision":"permit","forum":"casusoverleg","index":42,"operation":"disclose","parentSpanId":"b7ad6b7169203331","policyHash":"ab","processingActivity":"verstrekking-casusoverleg","processingActivityVersion":"1","purpose":"3.1.a","recipient":"gemeente-goeree-overflakkee","recipientRole":"leerplicht","released":["absence"],"sender":"sovogo","senderUser":"d-1","spanId":"00f067aa0ba902b7","subject":"ps1-abc","time":"2026-11-30T06:00:00.000Z","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","withheld":["name","birthDate"]}"#
    static let leafV1 = "9d70815128dd9ef6ec76c287f6fb04962511641f0c511cb6b66f46627c53dadd"

    /// Format 2: `"formatVersion":2` in its sorted place (after "decision", before "forum").
    static let bytesV2 = #"{"basis":["6(1)(e); Leerplichtwet art. 16; convenant art. 4.3"],"bundleDigest":"cd","consentReference":"c-1","decision":"permit","formatVersion":2,"forum":"casusoverleg","index":42,"operation":"disclose","parentSpanId":"b7ad6b7169203331","policyHash":"ab","processingActivity":"verstrekking-casusoverleg","processingActivityVersion":"1","purpose":"3.1.a","recipient":"gemeente-goeree-overflakkee","recipientRole":"leerplicht","released":["absence"],"sender":"sovogo","senderUser":"d-1","spanId":"00f067aa0ba902b7","subject":"ps1-abc","time":"2026-11-30T06:00:00.000Z","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","withheld":["name","birthDate"]}"#
    static let leafV2 = "e7043c4fa9fb074dcf2f765fef48cce7ac019b894f86f928bae03c5d8e5bb39d"

    /// Text with everything an escaping rule decides on: quote, backslash, U+0001, U+0008,
    /// U+000C, newline, CR, tab, slash, DEL, non-ASCII, U+2028.
    static let awkward = "\"quoted\" \\ back\u{1}slash \u{8}\u{C}\n\r\t / \u{7F} é ✓ \u{2028}"
    static let leafAwkwardV1 = "2108229f3b793eee0564f567e28ed705856a7cb3fea7ec6cfecc8bd37d212a8d"
    static let leafAwkwardV2 = "8feb07594993f6c4d85585c39dca12ca849fea30cba287f5cf77dd5728119e18"

    func leaf(_ body: [UInt8]) throws -> String { Hex.encode(MerkleTree.leafHash(body, try SHA256Hasher())) }

    @Test("RFC 6962 §2.1, format 2: the canonical bytes and the leaf hash of a fixed entry do not change")
    func canonicalBytesAndLeafHashV2() throws {
        #expect(RegisterEntry.FormatVersion.current == .v2, "new entries are written in format 2")
        let body = Self.entry.canonicalJSON
        #expect(String(decoding: body, as: UTF8.self) == Self.bytesV2)
        #expect(try leaf(body) == Self.leafV2)
        #expect(try RegisterEntry.decode(canonical: body) == Self.entry, "the bytes read back to the same entry, format 2")
    }

    @Test("RFC 6962 §2.1, format 1: an entry written before the format version still reads, re-encodes and hashes as before")
    func formatOneEntriesHashAsBefore() throws {
        let decoded = try RegisterEntry.decode(canonical: Array(Self.bytesV1.utf8))
        #expect(decoded.formatVersion == .v1, "no formatVersion key: format 1")
        #expect(decoded == Self.entryV1)
        #expect(String(decoding: decoded.canonicalJSON, as: UTF8.self) == Self.bytesV1, "re-encoded byte for byte")
        #expect(try leaf(decoded.canonicalJSON) == Self.leafV1)
    }

    @Test("Escaping, both formats: format 2 is RFC 8785 §3.2.2.2 (\\b, \\f); format 1 wrote \\u0008, \\u000c; nothing else differs")
    func escaping() throws {
        var v2 = Self.entry, v1 = Self.entryV1
        v2.basis = [Self.awkward]
        v1.basis = [Self.awkward]
        let common = (prefix: #"["\"quoted\" \\ back\u0001slash "#, suffix: #"\n\r\t / "# + "\u{7F} é ✓ \u{2028}\"]")
        let text2 = String(decoding: v2.canonicalJSON, as: UTF8.self), text1 = String(decoding: v1.canonicalJSON, as: UTF8.self)
        #expect(text2.contains(common.prefix + #"\b\f"# + common.suffix), "\(text2)")
        #expect(text1.contains(common.prefix + #"\u0008\u000c"# + common.suffix), "\(text1)")
        #expect(try leaf(v2.canonicalJSON) == Self.leafAwkwardV2)
        #expect(try leaf(v1.canonicalJSON) == Self.leafAwkwardV1)
        #expect(try RegisterEntry.decode(canonical: v2.canonicalJSON) == v2)
        #expect(try RegisterEntry.decode(canonical: v1.canonicalJSON) == v1)
    }

    /// With `"subjectCount":1500` (an absence import of 1,500 pupils), in its sorted place after "subject".
    static let bytesWithCount = #"{"basis":["6(1)(e); Leerplichtwet art. 16; convenant art. 4.3"],"bundleDigest":"cd","consentReference":"c-1","decision":"permit","formatVersion":2,"forum":"casusoverleg","index":42,"operation":"disclose","parentSpanId":"b7ad6b7169203331","policyHash":"ab","processingActivity":"verstrekking-casusoverleg","processingActivityVersion":"1","purpose":"3.1.a","recipient":"gemeente-goeree-overflakkee","recipientRole":"leerplicht","released":["absence"],"sender":"sovogo","senderUser":"d-1","spanId":"00f067aa0ba902b7","subject":"ps1-abc","subjectCount":1500,"time":"2026-11-30T06:00:00.000Z","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","withheld":["name","birthDate"]}"#
    static let leafWithCount = "2b868e75be2e02a3d0b37e0ee237536b9f1d0a580907861a883757363e5d3aa6"

    @Test("Art. 15, verzuimprotocol 5.3 (interpretation): the optional subjectCount is an integer key of its own; an entry without it hashes as before, one with it reads back; a count that is no count is refused")
    func art15_subjectCountIsAnOptionalKey() throws {
        #expect(Self.entry.subjectCount == nil && String(decoding: Self.entry.canonicalJSON, as: UTF8.self) == Self.bytesV2)
        var counted = Self.entry
        counted.subjectCount = 1500
        #expect(String(decoding: counted.canonicalJSON, as: UTF8.self) == Self.bytesWithCount)
        #expect(try leaf(counted.canonicalJSON) == Self.leafWithCount)
        #expect(try RegisterEntry.decode(canonical: counted.canonicalJSON) == counted)
        for member in [#""subjectCount":-1"#, #""subjectCount":2.5"#, #""subjectCount":"1500""#, #""subjectCount":9007199254740992"#] {
            let bytes = Array(Self.bytesWithCount.replacingOccurrences(of: #""subjectCount":1500"#, with: member).utf8)
            for checkCanonical in [true, false] {
                #expect(throws: RegisterEntry.DecodingError.self, "\(member)") {
                    try RegisterEntry.decode(canonical: bytes, checkCanonical: checkCanonical)
                }
            }
        }
    }

    @Test("decode(canonical:) refuses an unknown format version, naming it; an explicit 1 and a non-integer are refused too")
    func unknownFormatVersionsAreRefused() throws {
        let cases: [(String, String)] = [
            (#""formatVersion":3"#, "register entry format version 3 is not known (this Sluis reads formats 1 and 2)"),
            (#""formatVersion":1"#, "formatVersion 1 is written by leaving the key out"),
            (#""formatVersion":"2""#, "formatVersion is not an integer"),
            (#""formatVersion":2.5"#, "formatVersion is not an integer"),
        ]
        for (member, message) in cases {
            let bytes = Array(Self.bytesV2.replacingOccurrences(of: #""formatVersion":2"#, with: member).utf8)
            for checkCanonical in [true, false] {
                #expect {
                    try RegisterEntry.decode(canonical: bytes, checkCanonical: checkCanonical)
                } throws: { error in
                    (error as? RegisterEntry.DecodingError)?.description.contains(message) == true
                }
            }
        }
    }

    /// A disclosure on a conflict of duties (art. 6.1 sub e): the one entry that carries
    /// `conflictOfDuties`, in its sorted place between "bundleDigest" and "consentReference".
    static let marked = RegisterEntry(
        index: 43, time: "2026-11-30T07:00:00.000Z", traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7",
        activity: "verstrekking-casusoverleg", activityVersion: "1", operation: "disclose", sender: "cjg-rijnmond", actor: "d-2",
        recipient: "sovogo", forum: "casusoverleg", purpose: "3.1.d", decision: "permit", released: ["healthData", "absence"], withheld: [],
        basis: ["6(1)(d); conflict van plichten (beroepsgeheim, o.a. art. 7:457 BW, Jeugdwet art. 7.3.11); convenant art. 6.1 sub e; toelichting art. 4",
                "9(2)(c); AVG art. 9 lid 2 sub c; convenant art. 6.1 sub e; toelichting art. 4"],
        policyHash: "ab", subject: "ps1-abc", bundleDigest: "cd", conflictOfDuties: ["healthData", "absence"])
    // Computed independently with Python's json and hashlib, as above.
    static let bytesMarked = #"{"basis":["6(1)(d); conflict van plichten (beroepsgeheim, o.a. art. 7:457 BW, Jeugdwet art. 7.3.11); convenant art. 6.1 sub e; toelichting art. 4","9(2)(c); AVG art. 9 lid 2 sub c; convenant art. 6.1 sub e; toelichting art. 4"],"bundleDigest":"cd","conflictOfDuties":["healthData","absence"],"decision":"permit","formatVersion":2,"forum":"casusoverleg","index":43,"operation":"disclose","policyHash":"ab","processingActivity":"verstrekking-casusoverleg","processingActivityVersion":"1","purpose":"3.1.d","recipient":"sovogo","released":["healthData","absence"],"sender":"cjg-rijnmond","senderUser":"d-2","spanId":"00f067aa0ba902b7","subject":"ps1-abc","time":"2026-11-30T07:00:00.000Z","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","withheld":[]}"#
    static let leafMarked = "39b994ec37e729710edd9572268ab69082c9a3aaf56f51adefe63641ad9dc591"

    @Test("Art. 6.1 sub e, format 2: the conflict-of-duties mark has fixed bytes and leaf; an entry without it hashes exactly as before")
    func art6_1e_markedEntryBytesAndLeaf() throws {
        let body = Self.marked.canonicalJSON
        #expect(String(decoding: body, as: UTF8.self) == Self.bytesMarked)
        #expect(try leaf(body) == Self.leafMarked)
        #expect(try RegisterEntry.decode(canonical: body) == Self.marked)
        // Without the mark the key is absent (not `[]`): the fixed entry keeps its pinned leaf.
        #expect(Self.entry.conflictOfDuties.isEmpty && !String(decoding: Self.entry.canonicalJSON, as: UTF8.self).contains("conflictOfDuties"))
        #expect(try leaf(Self.entry.canonicalJSON) == Self.leafV2)
    }

    @Test("Art. 6.1 sub e: decode(canonical:) refuses an empty mark (not canonical) and a mark that is no list of names")
    func art6_1e_badMarksAreRefused() throws {
        let empty = Array(Self.bytesMarked.replacingOccurrences(of: #""conflictOfDuties":["healthData","absence"]"#, with: #""conflictOfDuties":[]"#).utf8)
        #expect(throws: RegisterEntry.DecodingError.self) { try RegisterEntry.decode(canonical: empty) }
        for value in ["true", #""healthData""#, "[1]"] {
            let bytes = Array(Self.bytesMarked.replacingOccurrences(of: #"["healthData","absence"],"decision""#, with: value + #","decision""#).utf8)
            #expect {
                try RegisterEntry.decode(canonical: bytes, checkCanonical: false)
            } throws: { error in
                (error as? RegisterEntry.DecodingError)?.description.contains("conflictOfDuties") == true
            }
        }
    }

    @Test("Art. 30 activity versions: the activity's canonical bytes and content hash do not change (Python's json and hashlib)")
    func activityVersion() throws {
        let activity = ProcessingActivity(
            id: "verstrekking-casusoverleg", name: "Verstrekking in het casusoverleg", purposes: ["3.1.a"], legalBases: ["6(1)(e)"],
            dataSubjects: ["leerlingen"], dataCategories: ["absence (art. 5.1 sub b)"], recipients: ["swv-go"],
            retention: "12 maanden (art. 9.2)", security: ["art. 10.2"], article: "convenant art. 15")
        #expect(activity.version == "37f1a3584c3c7ff5")
        #expect(String(decoding: activity.canonicalJSON(), as: UTF8.self) == #"{"article":"convenant art. 15","dataCategories":["absence (art. 5.1 sub b)"],"dataSubjects":["leerlingen"],"id":"verstrekking-casusoverleg","legalBases":["6(1)(e)"],"name":"Verstrekking in het casusoverleg","purposes":["3.1.a"],"recipients":["swv-go"],"retention":"12 maanden (art. 9.2)","security":["art. 10.2"],"version":"37f1a3584c3c7ff5"}"#)
    }

    @Test("The encoder's rules on a small object: integers, an empty list, an absent value left out, a non-ASCII key last")
    func encoderRules() {
        var json = CanonicalJSON(escaping: .rfc8785)
        json.integer("B", 0)
        json.strings("a", [])
        json.string("aa", "x")
        json.string("ab", nil)
        json.integer("b", -12)
        json.string("\u{E9}", "")
        #expect(String(decoding: json.finish(), as: UTF8.self) == #"{"B":0,"a":[],"aa":"x","b":-12,"é":""}"#)
    }
}
