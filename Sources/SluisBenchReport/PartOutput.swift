import Foundation

// Reading a benchmark part's standard output (`sluis-bench all`): its Markdown table rows and
// the figures in their cells.

/// The cells of the first Markdown table row whose first cell starts with `label` and that has
/// at least `columns` cells (the crypto part's in-process and end-to-end tables share labels).
public func row(_ output: String, _ label: String, columns: Int = 0) -> [String]? {
    for line in output.split(separator: "\n") where line.hasPrefix("| ") {
        let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if cells.first?.hasPrefix(label) == true, cells.count >= columns { return cells }
    }
    return nil
}

/// The first number in `text` ("23,013 (782 commits)" → 23013; "10.6 ms" → 10.6).
public func number(_ text: String?) -> Double? {
    guard let text else { return nil }
    let digits = text.drop { !$0.isNumber }.prefix { $0.isNumber || $0 == "." || $0 == "," }
    return Double(digits.replacingOccurrences(of: ",", with: ""))
}

/// The Markdown tables (and their one-line captions) of a part's output.
public func tables(_ output: String) -> String {
    output.split(separator: "\n", omittingEmptySubsequences: false)
        .filter { $0.hasPrefix("|") || $0.hasSuffix(":") || $0.hasPrefix("(") }
        .joined(separator: "\n")
}
