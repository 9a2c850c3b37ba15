import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisCrypto
@testable import SluisGateway
@testable import SluisServer
import SluisCovenant
import SluisRegister
import SluisStore

/// What a newcomer missed (issue 9, item 7): a beheerder disables, enables and resets a
/// delegate and ends its sessions and tokens; a notice is acknowledged; the mailbox pages.
@Suite("Delegates, notices and mailbox paging", .serialized)
struct DelegateManagementTests {
    @Test("Art. 10.2: the beheerder disables a delegate (its token stops at once, login fails like wrong credentials), enables, resets both factors, ends tokens; another party's beheerder gets 404",
          arguments: ServerFixture.databases)
    func beheerderManagesOwnDelegates(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let beheer = try await client.login(fixture, "beheer")
            let other = try await client.login(fixture, "beheer-other")
            let zco = try await client.login(fixture, "zco")
            let system = jsonObject(try await client.call(.post, "/v1/tokens", token: zco).body)["token"] as? String ?? ""
            let id = try #require(try await fixture.gateway.store.delegate(username: "zco")).id
            #expect(try await client.call(.post, "/v1/delegates/\(id)/disable", token: other).status == .notFound)
            let disabled = try await client.call(.post, "/v1/delegates/\(id)/disable", token: beheer)
            #expect(disabled.status == .ok && jsonObject(disabled.body)["disabledAt"] != nil, "\(disabled.body)")
            #expect(try await client.call(.get, "/v1/me", token: zco).status == .unauthorized)
            #expect(try await client.call(.get, "/v1/me", token: system).status == .unauthorized, "a system token ends with its delegate")
            let secret = fixture.secrets["zco"]!
            let refused = try await client.call(.post, "/v1/sessions",
                                                json: #"{"username":"zco","password":"\#(secret.password)","code":"\#(try fixture.totp("zco", offsetSteps: 1))"}"#)
            #expect(refused.status == .unauthorized)
            #expect(try await client.call(.post, "/v1/delegates/\(id)/enable", token: beheer).status == .ok)
            // A reset: a new password and a new TOTP secret, shown once; the old password no longer works.
            let reset = try await client.call(.post, "/v1/delegates/\(id)/password", token: beheer, json: #"{"password":"een-nieuw-wachtwoord-7"}"#)
            #expect(reset.status == .ok, "\(reset.body)")
            let uri = try #require(jsonObject(reset.body)["totpProvisioningUri"] as? String)
            let newSecret = try #require(URLComponents(string: uri)?.queryItems?.first { $0.name == "secret" }?.value)
            let code = try TOTP(secret: SecureBytes(try #require(Base32.decode(newSecret)))).code(at: Int64(Date().timeIntervalSince1970))
            #expect(try await client.call(.post, "/v1/sessions",
                                          json: #"{"username":"zco","password":"\#(secret.password)","code":"\#(code)"}"#).status == .unauthorized)
            let fresh = try await client.call(.post, "/v1/sessions", json: #"{"username":"zco","password":"een-nieuw-wachtwoord-7","code":"\#(code)"}"#)
            #expect(fresh.status == .created, "\(fresh.body)")
            let token = jsonObject(fresh.body)["token"] as? String ?? ""
            #expect(try await client.call(.delete, "/v1/delegates/\(id)/sessions", token: beheer).status == .noContent)
            #expect(try await client.call(.get, "/v1/me", token: token).status == .unauthorized)
            // A beheerder does not disable itself.
            let selfID = try #require(try await fixture.gateway.store.delegate(username: "beheer")).id
            #expect(try await client.call(.post, "/v1/delegates/\(selfID)/disable", token: beheer).status == .conflict)
        }
    }

    @Test("Art. 7.3: the operator makes a party's first beheerder once (also under two concurrent requests), who can log in; a party with a beheerder, an unknown party and a bad username are refused",
          arguments: ServerFixture.databases)
    func operatorMakesTheFirstBeheerderOnce(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let gateway = fixture.gateway
            let trace = try TraceContext.fresh()
            // Two at once for the CJG, which has no beheerder in the fixture: exactly one is made.
            // Two gateway instances on one database, as several share one PostgreSQL.
            let other = try await GatewayRuntime.open(fixture.configuration, now: fixture.clock.now, passwordHasher: ServerFixture.hasher)
            @Sendable func attempt(_ username: String, on gateway: Gateway) async -> Result<(DelegateRecord, password: String, provisioningURI: String), any Error> {
                do { return .success(try await gateway.createFirstBeheerder(party: "cjg-rijnmond", username: username, operatorName: "test", trace: trace)) }
                catch { return .failure(error) }
            }
            async let first = attempt("beheer-cjg-a", on: gateway)
            async let second = attempt("beheer-cjg-b", on: other.gateway)
            let results = await [first, second]
            await other.close()
            let made = results.compactMap { try? $0.get() }
            #expect(made.count == 1)
            for case .failure(let error) in results { #expect((error as? GatewayError)?.code == .beheerderExists, "\(error)") }
            let (record, password, uri) = try #require(made.first)
            #expect(record.role == .beheerder && record.party == "cjg-rijnmond" && password.count >= 12)
            let secret = try #require(URLComponents(string: uri)?.queryItems?.first { $0.name == "secret" }?.value)
            let code = try TOTP(secret: SecureBytes(try #require(Base32.decode(secret)))).code(at: Int64(fixture.clock.now().timeIntervalSince1970))
            let login = try await client.call(.post, "/v1/sessions", json: #"{"username":"\#(record.username)","password":"\#(password)","code":"\#(code)"}"#)
            #expect(login.status == .created, "\(login.body)")
            // The beheerder then makes the party's delegates through the API (the authority table).
            let token = jsonObject(login.body)["token"] as? String ?? ""
            let jvk = try await client.call(.post, "/v1/delegates", token: token,
                                            json: #"{"username":"jvk-nieuw","role":"jeugdverpleegkundige","password":"een-lang-wachtwoord-1"}"#)
            #expect(jvk.status == .created, "\(jvk.body)")
            await #expect(throws: GatewayError.self) {
                _ = try await gateway.createFirstBeheerder(party: "sovogo", username: "beheer-twee", operatorName: "test", trace: trace)
            }
            do {
                _ = try await gateway.createFirstBeheerder(party: "geen-partij", username: "beheer-x", operatorName: "test", trace: trace)
                Issue.record("an unknown party got a beheerder")
            } catch let error as GatewayError { #expect(error.code == .partyNotFound) }
            // Once its only beheerder is disabled, a party may get a first beheerder again (art. 7.3: it must be able to act).
            let horizonBeheer = try #require(try await gateway.store.delegate(username: "beheer-other"))
            try await gateway.store.setDisabled(delegate: horizonBeheer.id, at: "2026-11-30T10:00:00.000Z")
            do {
                _ = try await gateway.createFirstBeheerder(party: "horizon", username: "Naam Met Spatie", operatorName: "test", trace: trace)
                Issue.record("a username with capitals and spaces (likely a person's name) passed")
            } catch let error as GatewayError { #expect(error.code == .invalidInput) }
            let again = try await gateway.createFirstBeheerder(party: "horizon", username: "beheer-horizon-2", operatorName: "test", trace: trace)
            #expect(again.0.party == "horizon")
            let audit = try await gateway.store.audit(limit: 50).filter { $0.detail.hasPrefix("first-beheerder") }
            #expect(audit.count == 2 && audit.allSatisfy { $0.delegate == nil && $0.outcome == "done" })
        }
    }

    @Test("Art. 11.5: the addressed role acknowledges a revocation notice; the mailbox pages with a cursor", arguments: ServerFixture.databases)
    func noticesAreAcknowledgedAndTheMailboxPages(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let swv = try await client.login(fixture, "swv")
            let lpa = try await client.login(fixture, "lpa")
            let created = try await client.call(.post, "/v1/cases", token: zco, json: DisclosureFlowTests.newCase)
            let ref = try #require(jsonObject(created.body)["id"] as? String)
            _ = try await client.call(.post, "/v1/cases/\(ref)/informing", token: zco, json: #"{"informedAt":"2026-11-01","method":"brief"}"#)
            _ = try await client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"facts":{"healthData":"gegeven"}}"#)
            let consent = try await client.call(.post, "/v1/cases/\(ref)/consents", token: zco,
                                                json: #"{"recipients":["swv"],"fields":["healthData"],"givers":[{"giver":"parent","answer":"given","answeredOn":"2026-11-01","evidence":"formulier"},{"giver":"pupil","answer":"given","answeredOn":"2026-11-01","evidence":"formulier"}]}"#)
            let consentID = try #require(jsonObject(consent.body)["id"] as? String)
            var ids: [String] = []
            for fields in [#"["absence"]"#, #"["lastSchool"]"#, #"["healthData"]"#] {
                let disclosed = try await client.call(.post, "/v1/disclosures", token: zco, json: """
                    {"caseId":"\(ref)","recipient":"swv-go","forum":"casusoverleg","purpose":"3.1.d","fields":\(fields)}
                    """)
                #expect(disclosed.status == .created, "\(disclosed.body)")
                ids.append(jsonObject(disclosed.body)["disclosureId"] as? String ?? "")
            }
            let first = jsonObject(try await client.call(.get, "/v1/mailbox?limit=2", token: swv).body)
            let cursor = try #require(first["next"] as? String)
            let second = jsonObject(try await client.call(.get, "/v1/mailbox?limit=2&before=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                                          token: swv).body)
            let seen = ((first["disclosures"] as? [[String: Any]] ?? []) + (second["disclosures"] as? [[String: Any]] ?? [])).compactMap { $0["id"] as? String }
            #expect(Set(seen) == Set(ids) && seen.count == 3 && second["next"] == nil)
            #expect(try await client.call(.get, "/v1/mailbox?limit=0", token: swv).status == .badRequest)

            #expect(try await client.call(.post, "/v1/consents/\(consentID)/revoke", token: zco).status == .ok)
            let notice = try #require((jsonObject(try await client.call(.get, "/v1/mailbox", token: swv).body)["notices"] as? [[String: Any]])?.first)
            let noticeID = try #require(notice["id"] as? String)
            #expect(notice["disclosures"] as? [String] == [ids[2]] && notice["acknowledgedAt"] == nil)
            #expect(try await client.call(.post, "/v1/notices/\(noticeID)/acknowledge", token: lpa).status == .notFound)
            let acknowledged = try await client.call(.post, "/v1/notices/\(noticeID)/acknowledge", token: swv)
            #expect(acknowledged.status == .ok && jsonObject(acknowledged.body)["acknowledgedAt"] != nil, "\(acknowledged.body)")
        }
    }
}
