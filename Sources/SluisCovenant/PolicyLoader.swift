import Foundation
import Yams

/// Turns `Policies/*.yaml` into a validated `CovenantPolicy`. Every file may hold any of the
/// sections below, each exactly once across the set. Unknown keys, rules without an article
/// and references to unknown fields, party kinds, roles, forums or rules are errors with file
/// and line; the loader reports all of them before it gives up.
public enum PolicyLoader {
    static let sections = [
        "covenant", "partyKinds", "parties", "accessions", "purposes", "phases", "fields",
        "bases", "specialCategoryBasis", "conflictOfDuties", "forums", "thuiszitterstafel", "consent", "fieldConsents", "scope",
        "retention", "rules",
    ]

    /// Reads and validates the policy directory.
    public static func load(directory: String) throws(PolicyLoadError) -> CovenantPolicy {
        try load(PolicySources.read(directory: directory))
    }

    public static func load(_ sources: PolicySources) throws(PolicyLoadError) -> CovenantPolicy {
        let sink = DiagnosticSink()
        var found: [String: YAMLNode] = [:]
        for file in sources.files {
            let root: Node?
            do {
                root = try Yams.compose(yaml: file.text)
            } catch let error as YamlError {
                sink.report(file.name, line: error.line, column: error.column, "not valid YAML: \(error.summary)")
                continue
            } catch {
                sink.report(file.name, line: nil, column: nil, "not valid YAML")
                continue
            }
            guard let root else { continue }  // an empty file holds no section
            let top = YAMLNode(node: root, file: file.name, path: "", sink: sink)
            guard let map = top.map(allowed: sections) else { continue }
            for section in sections {
                guard let node = map.node(section, required: false) else { continue }
                if let earlier = found[section] {
                    node.error("section '\(section)' is already defined in \(earlier.file)")
                } else {
                    found[section] = node
                }
            }
        }
        for section in sections where found[section] == nil {
            sink.report(sources.files.first?.name ?? "Policies", line: nil, column: nil,
                        "section '\(section)' is missing from the policy set")
        }
        let builder = PolicyBuilder(sink: sink, sections: found)
        let policy = builder.build()
        if !sink.items.isEmpty || policy == nil {
            throw PolicyLoadError(diagnostics: sink.items)
        }
        return policy!
    }
}

extension YamlError {
    /// Where libyaml stopped, when it says.
    var mark: Mark? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark
        case .duplicatedKeysInMapping(_, let context): return context.mark
        default: return nil
        }
    }
    var line: Int? { mark?.line }
    var column: Int? { mark?.column }

    var summary: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))"
        default: return "unreadable YAML"
        }
    }
}
