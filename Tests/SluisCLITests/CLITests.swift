import Foundation
import Testing

/// The `sluis` binary end to end: exit codes and output as the contract specifies.
@Suite("sluis command line")
struct CLITests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `sluis` built next to this test bundle.
    static let binary: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluis")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return packageRoot.appendingPathComponent(".build/debug/sluis")
    }()

    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                    in directory: URL = packageRoot, executable: URL = binary) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    /// Runs any tool on the PATH (openssl, curl, sh) and returns its status and standard output.
    static func tool(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    static let exampleFile = "docs/examples/contract-example.json"

    @Test("policy eval answers the contract example from a file, exit 0")
    func evalFromFile() throws {
        let result = try Self.run(["policy", "eval", "--request", Self.exampleFile])
        #expect(result.status == 0)
        let answer = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(answer["decision"] as? String == "permit")
        #expect(answer["identity"] as? String == "pseudonymised")
        #expect(answer["released"] as? [String] == ["absence"])
        #expect(result.stderr.isEmpty)
    }

    @Test("Each request in docs/examples gets exactly the answer documented beside it", arguments: [
        "contract-example", "sot-question", "third-party", "thuiszitterstafel-cjg",
        "duo-melding", "guardianship-to-leerplicht", "consents-combined",
    ])
    func documentedExamples(name: String) throws {
        let result = try Self.run(["policy", "eval", "--request", "docs/examples/\(name).json"])
        let expected = try String(contentsOf: Self.packageRoot.appendingPathComponent("docs/examples/\(name).answer.json"), encoding: .utf8)
        #expect(result.status == 0)
        #expect(result.stdout == expected)
    }

    @Test("policy eval reads standard input; a deny is an answer, exit 0")
    func evalDenyFromStdin() throws {
        let text = try String(contentsOf: Self.packageRoot.appendingPathComponent(Self.exampleFile), encoding: .utf8)
            .replacingOccurrences(of: "\"3.1.a\"", with: "\"werving\"")
        let result = try Self.run(["policy", "eval", "--compact"], stdin: text)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("{\"decision\":\"deny\""))
        #expect(result.stdout.contains("purpose-not-in-covenant"))
    }

    @Test("policy eval: a request that is not well-formed exits 2 and names the key on standard error",
          arguments: [("not json", ""), ("{\"sender\":{\"kind\":\"politie\"}}", "sender.kind"), ("{}", "sender"),
                      ("{\"pupil\":{\"age\":14,\"age\":15}}", "pupil.age")])
    func evalInvalidRequest(input: String, key: String) throws {
        let result = try Self.run(["policy", "eval"], stdin: input)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("invalid request: \(key)"))
    }

    @Test("policy eval: an unreadable request file exits 2")
    func evalMissingFile() throws {
        let result = try Self.run(["policy", "eval", "--request", "/nonexistent/request.json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot read"))
    }

    @Test("policy lint passes on Policies/ and prints the policy set's digest")
    func lintShippedPolicies() throws {
        let result = try Self.run(["policy", "lint"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("in orde"))
        #expect(result.stdout.range(of: #"sha256: [0-9a-f]{64}"#, options: .regularExpression) != nil)
    }

    @Test("policy lint on a broken directory exits 3 with file and line")
    func lintBrokenPolicies() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-lint-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.packageRoot.appendingPathComponent("Policies"), to: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fields = directory.appendingPathComponent("fields.yaml")
        let text = try String(contentsOf: fields, encoding: .utf8).replacingOccurrences(of: "category: special", with: "category: secret")
        try text.write(to: fields, atomically: true, encoding: .utf8)
        let result = try Self.run(["policy", "lint", directory.path])
        #expect(result.status == 3)
        #expect(result.stderr.range(of: #"fields\.yaml:\d+:\d+: fields\[11\]\.category: unknown category 'secret'"#,
                                    options: .regularExpression) != nil, "stderr: \(result.stderr)")
    }

    @Test("policy eval with a broken policy set exits 3, not 2")
    func evalWithBrokenPolicies() throws {
        let result = try Self.run(["policy", "eval", "--policies", "/nonexistent"], stdin: "{}")
        #expect(result.status == 3)
        #expect(result.stderr.contains("no policy directory"))
    }

    @Test("Contract: a key given twice is exit 2, naming the key, for every key of the example")
    func evalDuplicateKeyNamesTheKey() throws {
        let text = try String(contentsOf: Self.packageRoot.appendingPathComponent(Self.exampleFile), encoding: .utf8)
        for (old, new, key) in [
            (#""forum":     "casusoverleg","#, #""forum": "casusoverleg", "forum": "direct","#, "forum"),
            (#""revoked": false }"#, #""revoked": false, "revoked": true }"#, "consents[0].revoked"),
            (#""kind": "schoolbestuur" }"#, #""kind": "schoolbestuur", "kind": "swv" }"#, "sender.kind"),
        ] {
            #expect(text.contains(old))
            let result = try Self.run(["policy", "eval"], stdin: text.replacingOccurrences(of: old, with: new))
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("invalid request: \(key): "), "stderr: \(result.stderr)")
            #expect(result.stderr.contains("twice"))
        }
    }

    @Test("policy explain prints the rules in force in Dutch, with their articles")
    func explain() throws {
        let result = try Self.run(["policy", "explain"], environment: ["SLUIS_POLICIES": "Policies"])
        #expect(result.status == 0)
        for expected in ["## Grondslagen per verstrekker (art. 4)", "leerplicht-before-duo", "verzuimprotocol 5.4",
                         "convenant art. 5.1 sub b, voetnoot 23", "Thuiszitterstafel", "na DUO-melding of toestemming",
                         "guardianship-needs-consent", "verzuimprotocol 5.5.2", "Leerplichtwet art. 21a"] {
            #expect(result.stdout.contains(expected), "missing: \(expected)")
        }
    }
}
