import Foundation
import Testing

/// `sluis retention run` and `sluis statistics`: the operator's twins of the daily job in
/// `sluis serve` and of `GET /v1/statistics` (convenant art. 9.2, 9.3; docs/retention.md).
@Suite("sluis retention and statistics")
struct RetentionCLITests {
    @Test("Art. 9.2: retention run opens the gateway's database with its keys and prints counts only; --dry-run says what would go; a bad --today is a usage error; without keys it fails naming them")
    func art9_2_retentionRunForOperators() throws {
        try Self.withOperatorTask(["retention", "run"]) { database in
            let dry = try CLITests.run(["retention", "run", "--dry-run", "--today", "2027-12-31"], environment: database)
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout == """
                retention dry run on 2027-12-31: term 12 months (convenant art. 9.2)
                closed cases: 0, due: 0, would be destroyed: 0

                """)
            let run = try CLITests.run(["retention", "run"], environment: database)
            #expect(run.status == 0 && run.stdout.contains("destroyed: 0, destroyed meanwhile elsewhere: 0, failed: 0"), "\(run.stdout)\(run.stderr)")
            let bad = try CLITests.run(["retention", "run", "--today", "2027-02-30"], environment: database)
            #expect(bad.status == 64 && bad.stderr.contains("--today"), "\(bad.stderr)")
            // A real run does not look ahead: that would destroy before the term ended (an attacker's finding).
            let ahead = try CLITests.run(["retention", "run", "--today", "2999-01-01"], environment: database)
            #expect(ahead.status == 64 && ahead.stderr.contains("--dry-run") && ahead.stdout.isEmpty, "\(ahead.stderr)")
            #expect(try CLITests.run(["register", "verify"], environment: database).status == 0)
        }
    }

    @Test("Art. 9.3: statistics prints the anonymised counts as CSV (a header, x where suppressed) or JSON with the method named")
    func art9_3_statisticsForOperators() throws {
        try Self.withOperatorTask(["statistics"]) { database in
            let csv = try CLITests.run(["statistics", "--format", "csv"], environment: database)
            #expect(csv.status == 0 && csv.stdout == "kwartaal,casustype,uitkomst,duur,aantal\r\n", "\(csv.stdout)\(csv.stderr)")
            let json = try CLITests.run(["statistics"], environment: database)
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(object?["threshold"] as? Int == 5 && (object?["method"] as? String)?.contains("ook voor wie de methode kent") == true)
            #expect(try CLITests.run(["statistics", "--format", "xml"], environment: database).status == 64)
        }
    }

    /// An operator task on a gateway database: `arguments` fail without keys, naming `sluis keys
    /// init`; then the keys are made and `body` runs with the environment (keys and database).
    static func withOperatorTask(_ arguments: [String], _ body: ([String: String]) throws -> Void) throws {
        try KeysAndBundleCLITests.withKeys { keys in
            let database = ["SLUIS_KEYS": keys.path, "SLUIS_DATABASE_URL": "sqlite:" + keys.appendingPathComponent("db.sqlite").path]
            let missing = try CLITests.run(arguments, environment: database)
            #expect(missing.status == 1 && missing.stderr.contains("sluis keys init"), "\(missing.stderr)")
            #expect(try KeysAndBundleCLITests.sluis(["keys", "init"], keys: keys).status == 0)
            try body(database)
        }
    }
}
