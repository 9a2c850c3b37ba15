import SluisCovenant

/// The register's entries for the FG: CSV or JSON (the canonical entries, docs/register.md), or
/// Logboek Dataverwerkingen records (`ldv`, see `LDVRecord`).
public enum RegisterExport {
    public enum Format: String, CaseIterable, Sendable { case csv, json, ldv }

    static let columns = ["index", "time", "traceId", "spanId", "parentSpanId", "processingActivity", "processingActivityVersion",
                          "operation", "sender", "senderUser", "recipient", "recipientRole", "forum", "purpose", "decision", "released",
                          "withheld", "basis", "consentReference", "policyHash", "subject", "bundleDigest", "conflictOfDuties",
                          "subjectCount"]

    public static func render(_ entries: [RegisterEntry], as format: Format) -> String {
        switch format {
        case .json:
            return "[" + entries.map { String(decoding: $0.canonicalJSON, as: UTF8.self) }.joined(separator: ",\n") + "]\n"
        case .ldv:
            return entries.map { LDVRecord($0).json + "\n" }.joined()
        case .csv:
            let rows = entries.map { e in
                [String(e.index), e.time, e.traceID, e.spanID, e.parentSpanID ?? "", e.activity, e.activityVersion, e.operation,
                 e.sender ?? "", e.actor ?? "", e.recipient ?? "", e.recipientRole ?? "", e.forum ?? "", e.purpose ?? "", e.decision,
                 e.released.joined(separator: " "), e.withheld.joined(separator: " "), e.basis.joined(separator: " | "),
                 e.consentReference ?? "", e.policyHash, e.subject ?? "", e.bundleDigest ?? "", e.conflictOfDuties.joined(separator: " "),
                 e.subjectCount.map(String.init) ?? ""]
            }
            return ([columns] + rows).map { $0.map(CSV.field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        }
    }
}

/// One register entry as a Logboek Dataverwerkingen log record (Logius, LDV 1.0: "Component:
/// Logboek" §Interface for the fields, "Component: Applicatie" §Gedrag for the rules), one JSON
/// object per line. docs/register.md maps it field by field. An entry is about at most one data
/// subject, so each record names 0 or 1 (§Gedrag: "een aparte logregel" per Betrokkene). No user
/// data: the acting delegate (`senderUser`) stays on the register and out of the record.
public struct LDVRecord: Sendable, Equatable {
    /// URIs (RFC 4151 tag URIs) under the register's authority.
    public static let authority = "tag:sluis.goeree-overflakkee,2026:"
    /// `dpl.core.data_subject_id_type`: the register pseudonym (`Pseudonymizer`, recipient `sluis-register`).
    public static let subjectType = authority + "pseudonym/sluis-register"

    public let entry: RegisterEntry
    public init(_ entry: RegisterEntry) { self.entry = entry }

    /// §Interface `dpl.core.processing_activity_id`: a URI per activity *version* in the art. 30 register.
    public static func activityURI(_ id: String, version: String) -> String { authority + "processing-activity/\(id)/\(version)" }

    /// §Interface `foreign_operation.entity`: the calling party — the recipient when it collects
    /// (`fetch`, `acknowledge`), else the sending party; the participant register when unknown.
    public var callerURI: String {
        let caller = ["fetch", "acknowledge"].contains(entry.operation) ? entry.recipient : entry.sender
        return Self.authority + "party" + (caller.map { "/\($0)" } ?? "")
    }

    /// §Interface `status_code`: a permitted disclosure is explicitly OK; refusals, questions and
    /// other actions ran without a server-side error: UNSET. (An entry is only written for an
    /// action that completed; a server error registers nothing — fail closed.)
    public var statusCode: String { entry.decision == "permit" ? "STATUS_CODE_OK" : "STATUS_CODE_UNSET" }

    public var json: String {
        var writer = JSONWriter(pretty: false)
        writer.beginObject()
        writer.string(entry.traceID, key: "trace_id")
        writer.string(entry.spanID, key: "span_id")
        if let parent = entry.parentSpanID {
            // §Gedrag: metadata received through W3C Trace Context MUST be recorded as foreign_operation.
            writer.beginObject(key: "foreign_operation")
            writer.string(entry.traceID, key: "trace_id")
            writer.string(parent, key: "span_id")
            writer.string(callerURI, key: "entity")
            writer.endObject()
        }
        writer.string(entry.operation, key: "name")
        writer.string(statusCode, key: "status_code")
        writer.string(entry.time, key: "start_time")
        writer.string(entry.time, key: "end_time")
        writer.beginObject(key: "resource")
        attributes(&writer, [("service.name", "sluis"), ("dpl.sluis.register_origin", Checkpoint.origin)])
        writer.endObject()
        var core = [("dpl.core.processing_activity_id", Self.activityURI(entry.activity, version: entry.activityVersion))]
        if let subject = entry.subject {
            core += [("dpl.core.data_subject_id", subject), ("dpl.core.data_subject_id_type", Self.subjectType)]
        }
        attributes(&writer, core + [("dpl.sluis.register_index", String(entry.index))])
        writer.endObject()
        return String(decoding: writer.utf8Bytes, as: UTF8.self)
    }

    /// §Interface `attributes`: a list of key-value pairs.
    private func attributes(_ writer: inout JSONWriter, _ pairs: [(String, String)]) {
        writer.beginArray(key: "attributes")
        for (key, value) in pairs {
            writer.beginObject()
            writer.string(key, key: "key")
            writer.string(value, key: "value")
            writer.endObject()
        }
        writer.endArray()
    }
}
