import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import SluisCovenant
@testable import SluisGateway
@testable import SluisServer

/// Issue 14 item 5: no secret and no personal data in the server's log. The gateway's flows run
/// over HTTP with a log handler at trace level that keeps every line; none of the recognisable
/// values that went in — names, BSN, birth date, the school's pupil key, passwords, TOTP
/// secrets, bearer tokens, page session cookies, CSRF tokens, a requester's name — may come out.
@Suite("No secrets or personal data in the log")
struct SecretsInLogsTests {
    @Test("Art. 15, AVG art. 32, issue 14 item 5: login, absence import, verzuimoverleg, DUO melding, SOT consent and disclosure, revocation, a rights request and the inzage report, pages too — the trace-level log holds no name, BSN, password, TOTP secret or token")
    func art15_noSecretOrPersonalDataInTheTraceLog() async throws {
        try await ServerFixture.with { fixture, client in
            let steps = CaseworkScenarioTests()
            let s = try await CaseworkScenario(fixture, client)
            // The casework scenario of issue 10: absence imports, verzuimoverleg, DUO melding,
            // the SOT question with consent, a disclosure, the revocation.
            let baseline = try await steps.nobodySeesAnythingYet(s)
            try await steps.firstAbsence(s, baseline)
            let lists = try await steps.verzuimoverleg(s, baseline)
            try await steps.moreAbsence(s, baseline, lists)
            let refs = try await steps.duoMelding(s, baseline)
            try await steps.linkVerzuimoverleg(s, baseline, refs)
            let (consent, question) = try await steps.sot(s, baseline, refs)
            try await steps.revocation(s, baseline, refs, consent: consent, question: question)
            // A rights request by a parent (art. 13) and the inzage report (art. 13.1 sub a).
            let ref = try await s.caseRef("zco")
            let request = try await client.call(.post, "/v1/rights/requests", token: s.token("zco"), json: RightsTests.request(ref, "inzage"))
            #expect(request.status == .created, "\(request.status)")
            let inzage = try await client.call(.get, "/v1/cases/\(ref)/inzage?format=html", token: s.token("zco"))
            #expect(inzage.status == .ok && inzage.body.contains(CaseworkScenario.name), "the report holds what the log must not")
            // The pages: a login, a form with its token, a failed login with a password in it.
            let session = try await client.pageLogin(fixture, "zco")
            let csrf = try #require(try await client.page(.get, "/start", session: session).csrf)
            let failed = try await SecurityAuditTests.pageLogin(client, "zco", "Wachtwoord-Fout-Geheim-77", "123456")
            #expect(failed.status == .unauthorized)

            var secrets = s.personal + ["Ouder Verzoeker", "paspoort gezien", "Wachtwoord-Fout-Geheim-77", session, csrf]
            for (_, secret) in fixture.secrets { secrets += [secret.password, secret.totp] }
            for username in CaseworkScenario.everyone { secrets.append(s.token(username)) }
            let logs = fixture.logs.all
            #expect(logs.count > 100, "the flows were logged (\(logs.count) lines)")
            #expect(logs.contains { $0.contains("route=/v1/rights/requests") }, "the rights request was logged")
            let text = logs.joined(separator: "\n")
            for secret in secrets {
                #expect(!text.contains(secret), "a secret or personal value of \(secret.count) characters reached the log")
            }
        }
    }
}
