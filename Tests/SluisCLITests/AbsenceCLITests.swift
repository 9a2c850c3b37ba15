import Foundation
import Testing

/// `sluis absence evaluate FILE [--today YYYY-MM-DD]` end to end (`../shared/contract/absence.md`):
/// the document on standard output and exit 0, or every error on standard error and exit 2.
@Suite("sluis absence evaluate")
struct AbsenceCLITests {
    /// Runs `sluis absence evaluate` on a temporary file holding `text`, with more arguments.
    static func evaluate(_ text: String, _ arguments: [String] = []) throws -> CLITests.Result {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-absence-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try CLITests.run(["absence", "evaluate", url.path] + arguments)
    }

    static let example = """
        pupil,date,kind,hours,unit\r
        L-0042,2026-05-11,ongeoorloofd,8,lesuur\r
        L-0042,2026-05-13,ongeoorloofd,8,lesuur\r
        L-0007,2026-05-13,ziek,,\r

        """

    @Test("A good file: the signals document on standard output, nothing on standard error, exit 0 (Bijlage 4)")
    func evaluate_goodFile_exit0_BijlageVier() throws {
        let result = try Self.evaluate(Self.example, ["--today", "2026-05-22"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let document = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let signals = try #require(document["signals"] as? [[String: Any]])
        #expect(signals.count == 1)
        #expect(signals.first?["pupil"] as? String == "L-0042")
        #expect(signals.first?["signal"] as? String == "relatief-verzuim")
        #expect(signals.first?["since"] as? String == "2026-05-13")
        #expect(signals.first?["due"] as? String == "2026-05-21")
        #expect(signals.first?["overdue"] as? Bool == true)
        #expect(result.stdout.range(of: #""pupil"[^}]*"signal"[^}]*"since"[^}]*"due"[^}]*"overdue"[^}]*"action"[^}]*"source""#,
                                    options: .regularExpression) != nil)
    }

    @Test("Without --today the evaluation runs on today's date in Europe/Amsterdam")
    func evaluate_defaultToday_contract() throws {
        let result = try Self.evaluate("pupil,date,kind,hours,unit\nL-1,2020-03-02,luxe,6,klokuur\n")
        #expect(result.status == 0)
        #expect(result.stdout.contains(#""since": "2020-03-02""#))
        #expect(result.stdout.contains(#""overdue": true"#))
    }

    @Test("A bad file: every error on standard error, one per line, nothing on standard output, exit 2")
    func evaluate_badFile_exit2_contract() throws {
        let file = "pupil,date,kind,hours,unit\nJan Jansen,2026-05-11,ziek,,\nL-1,2026-05-11,ongeoorloofd,\"1,5\",klokuur\n"
        let result = try Self.evaluate(file, ["--today", "2026-05-22"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            line 2, column pupil: is not a pupil key (it contains a space or other white space; a name? use the school's pseudonymous key)
            line 3, column hours: "1,5" is not a number (use a dot)

            """)
        #expect(!result.stderr.contains("Jansen"))
    }

    @Test("A registration after --today is an error, exit 2")
    func evaluate_registrationAfterToday_exit2_contract() throws {
        let result = try Self.evaluate(Self.example, ["--today", "2026-05-12"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            line 3, column date: "2026-05-13" is after today (2026-05-12)
            line 4, column date: "2026-05-13" is after today (2026-05-12)

            """)
    }

    @Test("An unreadable file or a bad --today: a clear message, exit 2", arguments: [
        (["absence", "evaluate", "/nonexistent/absence.csv", "--today", "2026-05-22"], "cannot read /nonexistent/absence.csv"),
        (["absence", "evaluate", "/tmp", "--today", "2026-05-22"], "cannot read /tmp"),
        (["absence", "evaluate", "/nonexistent/absence.csv", "--today", "2026-02-30"], "--today: \"2026-02-30\" is not a date"),
        (["absence", "evaluate", "/nonexistent/absence.csv", "--today", "22-05-2026"], "--today: \"22-05-2026\" is not a date"),
    ])
    func evaluate_unreadableOrBadToday_exit2_contract(arguments: [String], message: String) throws {
        let result = try CLITests.run(arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }
}
