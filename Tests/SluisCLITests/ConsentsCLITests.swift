import Foundation
import Testing

/// `sluis consents sweep`: what `sluis serve` does every hour, once, for an operator (fn 28;
/// consent.endNotice; docs/casework.md).
@Suite("sluis consents")
struct ConsentsCLITests {
    @Test("Fn 28, consent.endNotice: consents sweep opens the gateway's database with its keys, delivers what is due and says so; without keys it fails naming them")
    func fn28_consentsSweepForOperators() throws {
        try RetentionCLITests.withOperatorTask(["consents", "sweep"]) { database in
            let swept = try CLITests.run(["consents", "sweep"], environment: database)
            #expect(swept.status == 0, "\(swept.stderr)")
            #expect(swept.stdout == "consents: 0, renewal notices: 0, end-date notices: 0\n")
        }
    }
}
