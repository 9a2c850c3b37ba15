import Foundation

/// The raw policy files, as read from a directory: kept so that the set can be hashed (the
/// register records which policy set was in force) and so that tests can load from memory.
public struct PolicySources: Sendable {
    public struct File: Sendable {
        /// Path as shown in diagnostics, e.g. `Policies/forums.yaml`.
        public var name: String
        public var text: String

        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    public var files: [File]

    public init(files: [File]) {
        self.files = files.sorted { $0.name < $1.name }
    }

    /// Reads every `*.yaml`/`*.yml` file of `directory` (not recursive), in name order.
    public static func read(directory: String) throws(PolicyLoadError) -> PolicySources {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PolicyLoadError(diagnostics: [PolicyDiagnostic(
                file: directory, line: nil, column: nil,
                message: "no policy directory here (pass --policies DIR or set SLUIS_POLICIES)")])
        }
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .sorted()
        } catch {
            throw PolicyLoadError(diagnostics: [PolicyDiagnostic(
                file: directory, line: nil, column: nil, message: "cannot list the directory")])
        }
        guard !names.isEmpty else {
            throw PolicyLoadError(diagnostics: [PolicyDiagnostic(
                file: directory, line: nil, column: nil, message: "no .yaml policy files found")])
        }
        var files: [File] = []
        var problems: [PolicyDiagnostic] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = manager.contents(atPath: path) else {
                problems.append(PolicyDiagnostic(file: path, line: nil, column: nil, message: "cannot read the file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append(PolicyDiagnostic(file: path, line: nil, column: nil, message: "not UTF-8 text"))
                continue
            }
            files.append(File(name: path, text: text))
        }
        if !problems.isEmpty { throw PolicyLoadError(diagnostics: problems) }
        return PolicySources(files: files)
    }
}
