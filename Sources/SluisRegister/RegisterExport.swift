import SluisCovenant

/// The register's entries as CSV or JSON for the FG, with Logboek Dataverwerkingen column names.
public enum RegisterExport {
    public enum Format: String, CaseIterable, Sendable { case csv, json }

    static let columns = ["index", "time", "traceId", "spanId", "processingActivity", "processingActivityVersion", "operation",
                          "sender", "senderUser", "recipient", "forum", "purpose", "decision", "released", "withheld", "basis",
                          "consentReference", "policyHash", "subject", "bundleDigest"]

    public static func render(_ entries: [RegisterEntry], as format: Format) -> String {
        switch format {
        case .json:
            return "[" + entries.map { String(decoding: $0.canonicalJSON, as: UTF8.self) }.joined(separator: ",\n") + "]\n"
        case .csv:
            let rows = entries.map { e in
                [String(e.index), e.time, e.traceID, e.spanID, e.activity, e.activityVersion, e.operation, e.sender ?? "",
                 e.actor ?? "", e.recipient ?? "", e.forum ?? "", e.purpose ?? "", e.decision, e.released.joined(separator: " "),
                 e.withheld.joined(separator: " "), e.basis.joined(separator: " | "), e.consentReference ?? "", e.policyHash,
                 e.subject ?? "", e.bundleDigest ?? ""]
            }
            return ([columns] + rows).map { $0.map(CSV.field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        }
    }
}
