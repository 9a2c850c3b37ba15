import Mustache

/// The inzage report as one self-contained HTML page in plain Dutch (convenant art. 13.1 sub a;
/// fn 27), rendered with swift-mustache: every `{{value}}` is HTML-escaped by the engine (`&`,
/// `<`, `>`, `"`, `'`), so no stored text can become markup. No script, no external resource:
/// the same page is printed to PDF (`InzagePDF`).
enum InzageHTML {
    static func render(_ report: InzageReport) -> String {
        func rows(_ list: [InzageReport.Row]) -> [[String: String]] { list.map(\.cells) }
        let consents: [[String: Any]] = report.consents.map { consent in
            var values: [String: Any] = [
                "holder": consent.holder, "fields": consent.fields, "recipients": consent.recipients, "recordedAt": consent.recordedAt,
                "answers": rows(consent.answers),
            ]
            values["question"] = consent.question
            values["endsOn"] = consent.endsOn
            values["revokedAt"] = consent.revokedAt
            return values
        }
        let context: [String: Any] = [
            "madeAt": report.madeAt, "madeBy": report.madeBy, "caseReference": report.caseReference,
            "pseudonyms": report.pseudonyms.joined(separator: ", "),
            "identity": rows(report.identity), "caseState": rows(report.caseState), "facts": rows(report.facts),
            "informing": rows(report.informing), "consents": consents, "meldingen": rows(report.meldingen),
            "sotQuestions": rows(report.sotQuestions), "tafel": rows(report.tafel), "disclosures": rows(report.disclosures),
            "entries": rows(report.entries), "entryCount": String(report.entries.count), "disclosureCount": String(report.disclosures.count),
        ]
        return template.render(context)
    }

    /// Parsed once; a template that does not parse is a programming error the first test shows.
    static let template: MustacheTemplate = {
        do { return try MustacheTemplate(string: InzageTemplate.text) } catch { fatalError("inzage template: \(error)") }
    }()
}
