import Foundation
import Yams

/// A YAML node with the file it came from and a readable path ("forums[2].fields"), so every
/// complaint names file, line and key.
struct YAMLNode {
    let node: Node
    let file: String
    let path: String
    let sink: DiagnosticSink

    func error(_ message: String) {
        sink.report(file, line: node.mark?.line, column: node.mark?.column, "\(path): \(message)")
    }

    var line: Int? { node.mark?.line }

    /// A mapping whose keys must all be in `allowed`; unknown and duplicate keys are reported.
    func map(allowed: [String]) -> YAMLMap? {
        guard case .mapping(let mapping) = node else {
            error("expected a mapping with keys \(allowed.joined(separator: ", "))")
            return nil
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        var order: [String] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                YAMLNode(node: key, file: file, path: path, sink: sink).error("a key must be plain text")
                continue
            }
            let name = scalar.string
            let keyNode = YAMLNode(node: key, file: file, path: path, sink: sink)
            if entries[name] != nil {
                keyNode.error("duplicate key '\(name)'")
                continue
            }
            if !allowed.contains(name) {
                keyNode.error("unknown key '\(name)' (allowed: \(allowed.joined(separator: ", ")))")
                continue
            }
            entries[name] = (key, value)
            order.append(name)
        }
        return YAMLMap(owner: self, entries: entries)
    }

    func sequence() -> [YAMLNode]? {
        guard case .sequence(let items) = node else {
            error("expected a list")
            return nil
        }
        return items.enumerated().map { index, item in
            YAMLNode(node: item, file: file, path: "\(path)[\(index)]", sink: sink)
        }
    }

    func string() -> String? {
        guard case .scalar(let scalar) = node else {
            error("expected text")
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            error("must not be empty")
            return nil
        }
        return text
    }

    func bool() -> Bool? {
        guard case .scalar(let scalar) = node else {
            error("expected true or false")
            return nil
        }
        switch scalar.string {
        case "true": return true
        case "false": return false
        default:
            error("expected true or false, found '\(scalar.string)'")
            return nil
        }
    }

    func int() -> Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            error("expected a whole number")
            return nil
        }
        return value
    }

    func stringList() -> [String]? {
        guard let items = sequence() else { return nil }
        let strings = items.compactMap { $0.string() }
        return strings.count == items.count ? strings : nil
    }
}

/// A mapping whose keys were checked; required keys that are missing are reported on access.
struct YAMLMap {
    let owner: YAMLNode
    let entries: [String: (key: Node, value: Node)]

    func has(_ key: String) -> Bool { entries[key] != nil }

    func node(_ key: String, required: Bool = true) -> YAMLNode? {
        guard let entry = entries[key] else {
            if required { owner.error("missing required key '\(key)'") }
            return nil
        }
        let path = owner.path.isEmpty ? key : "\(owner.path).\(key)"
        return YAMLNode(node: entry.value, file: owner.file, path: path, sink: owner.sink)
    }

    func string(_ key: String, required: Bool = true) -> String? {
        node(key, required: required)?.string()
    }

    func bool(_ key: String, required: Bool = true) -> Bool? {
        node(key, required: required)?.bool()
    }

    func int(_ key: String, required: Bool = true) -> Int? {
        node(key, required: required)?.int()
    }

    func stringList(_ key: String, required: Bool = true) -> [String]? {
        node(key, required: required)?.stringList()
    }

    /// The `article` every rule must carry.
    func article() -> String? { string("article") }
}
