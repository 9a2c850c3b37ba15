import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SluisBenchReport
import Testing

/// The plot `sluis-bench all` writes (docs/performance-all.svg; issue 14 item 1).
@Suite struct BarChartTests {
    /// Parses `text` as XML; returns the parser's error, nil when well-formed.
    func xmlError(_ text: String) -> (any Error)? {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse() ? nil : (parser.parserError ?? CocoaError(.coderInvalidValue))
    }

    @Test func issue14_plot_escapesTextAndIsWellFormedXML() throws {
        let chart = BarChart(
            title: "Sluis <vs> \"peers\" & 'co'",
            bars: [
                .init(label: "seal <100 KiB> & 10 recipients", value: 0.84, text: "0.84× \u{1}"),
                .init(label: "]]> --> <!-- <script>", value: 2.5, text: "2.50×"),
                .init(label: "not a number", value: .nan, text: "—"),
            ],
            reference: (1.0, "1.0 = <peer>"))
        let svg = chart.svg()
        #expect(xmlError(svg) == nil)
        #expect(svg.contains("seal &lt;100 KiB&gt; &amp; 10 recipients"))
        #expect(svg.contains("Sluis &lt;vs&gt; &quot;peers&quot; &amp; &apos;co&apos;"))
        #expect(!svg.contains("<script>"))
        #expect(!svg.contains("\u{1}"))
        #expect(svg.components(separatedBy: "<rect ").count - 1 == 1 + 3)  // background + one per bar
    }

    @Test func issue14_plot_unescapedTextWouldBreakTheXML() {
        // The check above can fail: the same text, not escaped, is not well-formed.
        #expect(xmlError("<svg xmlns=\"http://www.w3.org/2000/svg\"><text>seal <100 KiB> & 10</text></svg>") != nil)
    }

    @Test func issue14_plot_escapeCoversTheFiveEntities() {
        #expect(BarChart.escape("&<>\"'") == "&amp;&lt;&gt;&quot;&apos;")
        #expect(BarChart.escape("a\tb\nc") == "a\tb\nc")
    }
}

/// The section of docs/performance.md that `sluis-bench all` rewrites.
@Suite struct MarkedSectionTests {
    let section = MarkedSection(name: "sluis-bench all")

    @Test func issue14_section_replacesOnlyBetweenTheMarkers() throws {
        let document = "# Before\n\n<!-- sluis-bench all: begin -->\nold\n<!-- sluis-bench all: end -->\n\n## After\n"
        let result = try section.replace(in: document, with: "new table")
        #expect(result == "# Before\n\n<!-- sluis-bench all: begin -->\nnew table\n<!-- sluis-bench all: end -->\n\n## After\n")
        #expect(try section.replace(in: result, with: "new table") == result)
    }

    @Test func issue14_section_isAppendedWhenAbsent() throws {
        let result = try section.replace(in: "# Performance\n", with: "t")
        #expect(result == "# Performance\n\n<!-- sluis-bench all: begin -->\nt\n<!-- sluis-bench all: end -->\n")
    }

    @Test func issue14_section_brokenMarkersAreRefused() {
        #expect(throws: MarkedSection.Failure.self) {
            try section.replace(in: "<!-- sluis-bench all: begin -->\nno end\n", with: "t")
        }
        #expect(throws: MarkedSection.Failure.self) {
            try section.replace(in: "<!-- sluis-bench all: end -->\n<!-- sluis-bench all: begin -->\n", with: "t")
        }
    }
}
