/// One problem found while loading `Policies/`: the file, the line and what is wrong.
public struct PolicyDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(message)"
    }
}

/// Loading failed. Lists every problem found, not only the first, so a reviewer can fix a
/// policy file in one pass.
public struct PolicyLoadError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [PolicyDiagnostic]

    public var description: String {
        let count = diagnostics.count
        let head = "policy set is invalid (\(count) problem\(count == 1 ? "" : "s")):"
        return ([head] + diagnostics.map { "  " + $0.description }).joined(separator: "\n")
    }
}

/// Collects diagnostics while the loader walks every file.
final class DiagnosticSink {
    private(set) var items: [PolicyDiagnostic] = []

    func report(_ file: String, line: Int?, column: Int?, _ message: String) {
        items.append(PolicyDiagnostic(file: file, line: line, column: column, message: message))
    }
}
