import Foundation
import Testing
@testable import SluisCovenant
@testable import SluisRegister

/// `register export --format ldv`: Logboek Dataverwerkingen records (Logius LDV 1.0, "Component:
/// Logboek" §Interface and "Component: Applicatie" §Gedrag), and the CSV columns beside them.
@Suite("Logboek Dataverwerkingen export")
struct LDVExportTests {
    static var incoming: RegisterEntry {
        var entry = CheckpointAndEntryTests.entry
        entry.parentSpanID = "00f067aa0ba902b7"
        entry.recipientRole = "leerplicht"
        return entry
    }

    static func record(_ entry: RegisterEntry) throws -> [String: Any] {
        let lines = RegisterExport.render([entry], as: .ldv).split(separator: "\n")
        #expect(lines.count == 1)
        return try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    }

    static func attributes(_ value: Any?) -> [String: String] {
        let pairs = (value as? [[String: String]]) ?? []
        return Dictionary(pairs.compactMap { pair in pair["key"].flatMap { key in pair["value"].map { (key, $0) } } }) { $1 }
    }

    @Test("LDV §Interface: trace and span id, name, status, start and end time, the processing activity as a URI per version, the data subject as the register pseudonym with its type")
    func interfaceFields() throws {
        let entry = Self.incoming
        let record = try Self.record(entry)
        #expect(record["trace_id"] as? String == entry.traceID && record["span_id"] as? String == entry.spanID)
        #expect(record["name"] as? String == "disclose")
        #expect(record["status_code"] as? String == "STATUS_CODE_OK")
        #expect(record["start_time"] as? String == entry.time && record["end_time"] as? String == entry.time)
        let attributes = Self.attributes(record["attributes"])
        let activity = try #require(attributes["dpl.core.processing_activity_id"])
        #expect(activity == "tag:sluis.goeree-overflakkee,2026:processing-activity/verstrekking-casusoverleg/0123456789abcdef")
        #expect(URL(string: activity)?.scheme == "tag", "a URI (RFC 3986), a tag URI (RFC 4151)")
        #expect(attributes["dpl.core.data_subject_id"] == entry.subject)
        #expect(attributes["dpl.core.data_subject_id_type"] == "tag:sluis.goeree-overflakkee,2026:pseudonym/sluis-register")
        #expect(attributes.keys.allSatisfy { $0.hasPrefix("dpl.") }, "§Interface: attributes in the dpl. namespace")
        #expect(Self.attributes((record["resource"] as? [String: Any])?["attributes"])["service.name"] == "sluis")
        // Another version of the activity is another URI.
        var later = entry
        later.activityVersion = "fedcba9876543210"
        #expect(Self.attributes(try Self.record(later)["attributes"])["dpl.core.processing_activity_id"] != activity)
    }

    @Test("LDV §Gedrag: the caller's span from W3C Trace Context is the foreign_operation, with the calling party as entity; absent when the trace started here")
    func foreignOperation() throws {
        let record = try Self.record(Self.incoming)
        let foreign = try #require(record["foreign_operation"] as? [String: String])
        #expect(foreign == ["trace_id": Self.incoming.traceID, "span_id": "00f067aa0ba902b7",
                            "entity": "tag:sluis.goeree-overflakkee,2026:party/sovogo"])
        #expect(record["parent_span_id"] == nil, "the caller's span is another party's, not one within Sluis")
        var fetch = Self.incoming
        fetch.operation = "fetch"
        fetch.decision = "none"
        let fetched = try Self.record(fetch)
        #expect((fetched["foreign_operation"] as? [String: String])?["entity"] == "tag:sluis.goeree-overflakkee,2026:party/gemeente-goeree-overflakkee",
                "the recipient collects: it is the caller")
        #expect(fetched["status_code"] as? String == "STATUS_CODE_UNSET")
        #expect(try Self.record(CheckpointAndEntryTests.entry)["foreign_operation"] == nil)
    }

    @Test("LDV §Gedrag: one record per data subject (0 or 1), and no identifying user data — the delegate id stays out")
    func oneSubjectNoUser() throws {
        var refusal = Self.incoming
        refusal.decision = "deny"
        refusal.subject = nil
        let text = RegisterExport.render([Self.incoming, refusal, CheckpointAndEntryTests.entry], as: .ldv)
        #expect(text.split(separator: "\n").count == 3, "one JSON object per line, one line per entry")
        #expect(!text.contains("delegate-7") && !text.contains("senderUser"))
        let record = try Self.record(refusal)
        #expect(record["status_code"] as? String == "STATUS_CODE_UNSET", "a refusal ran without a server error")
        let attributes = Self.attributes(record["attributes"])
        #expect(attributes["dpl.core.data_subject_id"] == nil && attributes["dpl.core.data_subject_id_type"] == nil)
        #expect(attributes["dpl.core.processing_activity_id"] != nil)
    }

    @Test("CSV export: recipientRole and parentSpanId columns")
    func csvColumns() throws {
        let csv = RegisterExport.render([Self.incoming], as: .csv)
        let rows = csv.components(separatedBy: "\r\n")
        let header = rows[0].split(separator: ",").map(String.init)
        let values = rows[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(header.count == values.count)
        let row = Dictionary(uniqueKeysWithValues: zip(header, values))
        #expect(row["parentSpanId"] == "00f067aa0ba902b7" && row["recipientRole"] == "leerplicht")
    }
}
