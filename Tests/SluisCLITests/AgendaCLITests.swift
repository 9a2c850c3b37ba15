import Foundation
import Testing

/// `sluis agenda preview [--request FILE]` end to end (`../shared/contract/agenda.md`): one JSON
/// answer and exit 0, or exit 2 naming the offending key, as `sluis policy eval` does.
@Suite("sluis agenda preview")
struct AgendaCLITests {
    static let example = "docs/examples/agenda-example.json"

    static func views(_ result: CLITests.Result) throws -> [[String: Any]] {
        let answer = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try #require(answer["views"] as? [[String: Any]])
    }

    static func firstItem(_ view: [String: Any]) throws -> [String: Any] {
        try #require((view["items"] as? [[String: Any]])?.first)
    }

    @Test("Contract example from a file: exit 0, one view per participant; the leerplichtambtenaar gets a keyed reference and not the name (protocol 5.4)")
    func agendaPreview_contractExample_exit0_agendaContract() throws {
        let result = try CLITests.run(["agenda", "preview", "--request", Self.example])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let views = try Self.views(result)
        #expect(views.count == 4)
        let leerplicht = try Self.firstItem(views[2])
        #expect(leerplicht["identity"] as? String == "pseudonymised")
        let reference = try #require(leerplicht["reference"] as? String)
        #expect(reference.range(of: "^ps1-[a-z2-7]{32}$", options: .regularExpression) != nil)
        #expect((leerplicht["fields"] as? [String: String])?.keys.sorted() == ["procesbewaker", "progress", "summary"])
        #expect(try Self.firstItem(views[0])["reference"] == nil)
        // The name reaches neither the leerplichtambtenaar's view nor the school board's.
        for view in [views[2], views[3]] {
            let text = String(decoding: try JSONSerialization.data(withJSONObject: view), as: UTF8.self)
            #expect(!text.contains("Voorbeeldleerling"))
        }
    }

    @Test("References come from a key of the run alone: two runs differ, standard input answers as the file does, and no key directory is needed")
    func agendaPreview_referencesKeyedPerRun_agendaContract() throws {
        let text = try String(contentsOf: CLITests.packageRoot.appendingPathComponent(Self.example), encoding: .utf8)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-agenda-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let policies = CLITests.packageRoot.appendingPathComponent("Policies").path
        let first = try CLITests.run(["agenda", "preview", "--policies", policies], stdin: text, in: empty)
        let second = try CLITests.run(["agenda", "preview", "--request", Self.example])
        #expect(first.status == 0 && second.status == 0)
        let references = try [first, second].map { try Self.firstItem(Self.views($0)[2])["reference"] as? String }
        #expect(references[0] != nil && references[0] != references[1])
        // Apart from the references, the same answer.
        let strip = { (text: String) in text.replacingOccurrences(of: "ps1-[a-z2-7]{32}", with: "", options: .regularExpression) }
        #expect(strip(first.stdout) == strip(second.stdout))
    }

    @Test("An invalid agenda: exit 2, nothing on standard output, the offending key on standard error without its value")
    func agendaPreview_invalidDocument_exit2_namesTheKey_agendaContract() throws {
        let text = try String(contentsOf: CLITests.packageRoot.appendingPathComponent(Self.example), encoding: .utf8)
            .replacingOccurrences(of: #""age": 14"#, with: #""age": "veertien""#)
        let result = try CLITests.run(["agenda", "preview"], stdin: text)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "invalid request: items[0].pupil.age: expected a whole number, found a string\n")
        let missing = try CLITests.run(["agenda", "preview", "--request", "docs/examples/no-such-agenda.json"])
        #expect(missing.status == 2 && missing.stdout.isEmpty)
        #expect(missing.stderr.hasPrefix("invalid request: cannot read the file"))
    }

    @Test("--compact prints the same answer on one line")
    func agendaPreview_compact() throws {
        let result = try CLITests.run(["agenda", "preview", "--compact", "--request", Self.example])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(try Self.views(result).count == 4)
    }
}
