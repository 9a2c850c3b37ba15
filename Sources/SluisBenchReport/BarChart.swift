/// A horizontal bar chart as a standalone SVG 1.1 document: one bar per measure, its value
/// written beside it, and an optional reference line (e.g. at 1.0 for ratios). Text is
/// XML-escaped; no library, no script, no external reference — so the file is safe to link
/// from the docs and small (about 300 bytes a bar).
///
/// Shapes: `bars` in the order drawn, values finite and ≥ 0 (others are drawn as 0 with their
/// text kept); widths in SVG user units (pixels).
public struct BarChart: Sendable {
    public struct Bar: Sendable {
        public let label: String
        public let value: Double
        /// The text beside the bar (e.g. "0.84×" or "23,013/s").
        public let text: String
        public init(label: String, value: Double, text: String) {
            self.label = label
            self.value = value
            self.text = text
        }
    }

    public let title: String
    public let bars: [Bar]
    /// Where to draw a dashed reference line, in the bars' unit, and its caption.
    public let reference: (value: Double, caption: String)?

    public init(title: String, bars: [Bar], reference: (value: Double, caption: String)? = nil) {
        self.title = title
        self.bars = bars
        self.reference = reference
    }

    static let labelWidth = 330.0, barArea = 360.0, textWidth = 110.0, rowHeight = 26.0, top = 40.0

    /// The SVG document (UTF-8 text, with its XML declaration).
    public func svg() -> String {
        let width = Self.labelWidth + Self.barArea + Self.textWidth
        let height = Self.top + Double(bars.count) * Self.rowHeight + 30
        let values = bars.map { $0.value.isFinite && $0.value > 0 ? $0.value : 0 }
        let largest = max(values.max() ?? 0, reference.map { $0.value * 1.1 } ?? 0, 1e-12)
        let scale = Self.barArea / largest
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="sans-serif" font-size="13">
            <title>\(Self.escape(title))</title>
            <rect width="100%" height="100%" fill="#ffffff"/>
            <text x="10" y="22" font-size="15" font-weight="bold">\(Self.escape(title))</text>

            """
        for (index, bar) in bars.enumerated() {
            let y = Self.top + Double(index) * Self.rowHeight
            let length = values[index] * scale
            out += "<text x=\"\(n(Self.labelWidth - 8))\" y=\"\(n(y + 15))\" text-anchor=\"end\">\(Self.escape(bar.label))</text>\n"
            out += "<rect x=\"\(n(Self.labelWidth))\" y=\"\(n(y + 3))\" width=\"\(n(length))\" height=\"\(n(Self.rowHeight - 8))\" fill=\"#2b6cb0\"/>\n"
            out += "<text x=\"\(n(Self.labelWidth + length + 6))\" y=\"\(n(y + 15))\">\(Self.escape(bar.text))</text>\n"
        }
        if let reference {
            let x = Self.labelWidth + reference.value * scale
            let bottom = Self.top + Double(bars.count) * Self.rowHeight
            out += "<line x1=\"\(n(x))\" y1=\"\(n(Self.top - 4))\" x2=\"\(n(x))\" y2=\"\(n(bottom))\" stroke=\"#c53030\" stroke-dasharray=\"4 3\"/>\n"
            out += "<text x=\"\(n(x))\" y=\"\(n(bottom + 16))\" text-anchor=\"middle\" fill=\"#c53030\">\(Self.escape(reference.caption))</text>\n"
        }
        return out + "</svg>\n"
    }

    /// XML character data and attribute values: the five predefined entities, and control
    /// characters other than tab and newline (not allowed in XML 1.0) replaced by U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate with one decimal, no exponent.
    private func n(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(abs(tenths % 10))"
    }
}
