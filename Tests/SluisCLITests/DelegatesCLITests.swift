import Foundation
import Testing

/// `sluis delegates first-beheerder`: the operator's way to a party's first beheerder (art. 7.3;
/// docs/configuration.md).
@Suite("sluis delegates")
struct DelegatesCLITests {
    @Test("Art. 7.3: first-beheerder prints a password and a TOTP URI once; a second run for the same party exits 1 with sluis:beheerder-exists, an unknown party with party-not-found")
    func art7_3_firstBeheerderOnce() throws {
        try KeysAndBundleCLITests.withKeys { keys in
            let database = ["SLUIS_KEYS": keys.path, "SLUIS_DATABASE_URL": "sqlite:" + keys.appendingPathComponent("db.sqlite").path]
            #expect(try KeysAndBundleCLITests.sluis(["keys", "init"], keys: keys).status == 0)
            let made = try CLITests.run(["delegates", "first-beheerder", "--party", "swv-go", "--username", "beheer.swv"], environment: database)
            #expect(made.status == 0, "\(made.stderr)")
            #expect(made.stdout.contains("password (shown once): ") && made.stdout.contains("otpauth://totp/"), "\(made.stdout)")
            let again = try CLITests.run(["delegates", "first-beheerder", "--party", "swv-go", "--username", "beheer.swv2"], environment: database)
            #expect(again.status == 1 && again.stderr.contains("has a beheerder") && again.stdout.isEmpty, "\(again.stderr)")
            let unknown = try CLITests.run(["delegates", "first-beheerder", "--party", "geen-partij", "--username", "beheer.x"], environment: database)
            #expect(unknown.status == 1 && unknown.stderr.contains("not found: party geen-partij"), "\(unknown.stderr)")
        }
    }
}
