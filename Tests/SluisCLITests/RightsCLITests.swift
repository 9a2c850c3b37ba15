import Foundation
import Testing

/// `sluis rights`: the convener's AVG art. 12 lid 3 deadline offline, and the overdue sweep
/// `sluis serve` runs every hour (convenant art. 13.2; docs/rights.md).
@Suite("sluis rights")
struct RightsCLITests {
    @Test("AVG art. 12 lid 3: rights deadline prints the last day (Reg. 1182/71: the next working day) and the days left on a fixed day; overdue shows; a bad day is a usage error")
    func avg12_3_deadlineForTheConvener() throws {
        let due = try CLITests.run(["rights", "deadline", "2026-11-20", "--today", "2026-12-01"])
        #expect(due.status == 0 && due.stdout == "due: 2026-12-21, days left: 20\n", "\(due.stdout)\(due.stderr)")
        let extended = try CLITests.run(["rights", "deadline", "2026-11-20", "--extended", "--today", "2027-02-23"])
        #expect(extended.status == 0 && extended.stdout == "due: 2027-02-22, days left: -1 (overdue)\n", "\(extended.stdout)")
        #expect(try CLITests.run(["rights", "deadline", "2026-02-30"]).status == 64)
    }

    @Test("AVG art. 12 lid 3: rights overdue opens the gateway's database and prints counts only")
    func avg12_3_overdueSweepForOperators() throws {
        try RetentionCLITests.withOperatorTask(["rights", "overdue"]) { database in
            let run = try CLITests.run(["rights", "overdue", "--today", "2027-01-01"], environment: database)
            #expect(run.status == 0 && run.stdout == "undecided: 0, overdue: 0, notified now: 0\n", "\(run.stdout)\(run.stderr)")
        }
    }

    @Test("Art. 10.2, art. 13.1 sub a: rights inzage on the gateway host needs the delegate's password and a TOTP code like any login — a wrong one writes nothing, says only that the login failed, and no name reaches the output")
    func art10_2_inzageOnTheHostLogsInWithBothFactors() throws {
        try RetentionCLITests.withOperatorTask(["rights", "inzage", "--case", "x", "--as", "nobody", "--code", "000000", "--out", "/dev/null"]) { database in
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("inzage-\(UUID().uuidString).html")
            let refused = try CLITests.run(["rights", "inzage", "--case", "Jan de Vries", "--as", "nobody", "--code", "000000", "--out", out.path],
                                           stdin: "not-the-password\n", environment: database)
            #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "nothing written")
            #expect(!(refused.stdout + refused.stderr).contains("Jan de Vries") && !(refused.stdout + refused.stderr).contains("not-the-password"))
        }
    }
}
