import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisCrypto
@testable import SluisGateway
@testable import SluisServer
import SluisRegister
import SluisStore

/// Art. 18 and Bijlage 1: a jeugdhulpaanbieder becomes a party only after the parties agreed
/// and the signed form is recorded; before that it neither receives nor sends.
@Suite("Accession of a jeugdhulpaanbieder")
struct AccessionTests {
    @Test("Art. 18.1–18.3: propose → approvals of gemeente and SWV → signed form → active, with keys and a beheerder")
    func accessionFlow() async throws {
        try await ServerFixture.with { fixture, client in
            let gemeente = try await client.login(fixture, "beheer-gem")
            let swv = try await client.login(fixture, "beheer-swv")
            let school = try await client.login(fixture, "beheer")
            let zco = try await client.login(fixture, "zco")
            let proposed = try await client.call(.post, "/v1/accessions", token: gemeente, json: #"{"party":"jeugdhulp-test","name":"Jeugdhulp Test"}"#)
            #expect(proposed.status == .created, "\(proposed.body)")
            let id = try #require(jsonObject(proposed.body)["id"] as? String)
            #expect(jsonObject(proposed.body)["requiredApprovals"] as? [String] == ["gemeente-goeree-overflakkee", "swv-go"])
            // Only a gemeente proposes; a school's beheerder does not approve.
            #expect(try await client.call(.post, "/v1/accessions", token: school, json: #"{"party":"x-test","name":"X"}"#).status == .forbidden)
            #expect(try await client.call(.post, "/v1/accessions/\(id)/approve", token: school).status == .forbidden)

            // Before completion: a disclosure to it is refused (accession incomplete).
            let created = try await client.call(.post, "/v1/cases", token: zco, json: DisclosureFlowTests.newCase)
            let caseID = try #require(jsonObject(created.body)["id"] as? String)
            _ = try await client.call(.post, "/v1/cases/\(caseID)/informing", token: zco, json: #"{"informedAt":"2026-11-01","method":"brief"}"#)
            let disclosure = """
                {"caseId":"\(caseID)","recipient":"jeugdhulp-test","forum":"casusoverleg","purpose":"3.1.a","fields":["absence"]}
                """
            let early = try await client.call(.post, "/v1/disclosures", token: zco, json: disclosure)
            #expect(early.status == .forbidden)
            #expect((jsonObject(early.body)["answer"] as? [String: Any]).flatMap { ($0["reasons"] as? [[String: Any]])?.first?["rule"] as? String } == "accession-incomplete")

            let form = #"{"formReference":"toetredingsformulier 2026-11-25","signedOn":"2026-11-25"}"#
            // Art. 18.1: approvals first.
            let tooSoon = try await client.call(.post, "/v1/accessions/\(id)/signed-form", token: gemeente, json: form)
            #expect(tooSoon.status == .forbidden && jsonObject(tooSoon.body)["article"] as? String == "convenant art. 18.1")
            #expect(try await client.call(.post, "/v1/accessions/\(id)/approve", token: gemeente).status == .ok)
            #expect(try await client.call(.post, "/v1/accessions/\(id)/approve", token: gemeente).status == .conflict)
            #expect(try await client.call(.post, "/v1/accessions/\(id)/approve", token: swv).status == .ok)
            let done = try await client.call(.post, "/v1/accessions/\(id)/signed-form", token: gemeente, json: form)
            #expect(done.status == .ok, "\(done.body)")
            let result = jsonObject(done.body)
            #expect(result["status"] as? String == "active")
            // No credentials pass through the gemeente: the operator makes the new party's first beheerder.
            #expect(result["beheerderTotpProvisioningUri"] == nil && !done.body.contains("otpauth"))
            #expect((result["firstBeheerder"] as? String)?.contains("sluis delegates first-beheerder --party jeugdhulp-test") == true)
            #expect(try await fixture.gateway.store.delegates(party: "jeugdhulp-test").isEmpty)
            let (beheerder, _, _) = try await fixture.gateway.createFirstBeheerder(party: "jeugdhulp-test", username: "jht.beheer", operatorName: "test",
                                                                                   trace: try TraceContext.fresh())
            #expect(beheerder.party == "jeugdhulp-test")
            #expect(try fixture.gateway.keys.certificate(party: "jeugdhulp-test").commonName == "jeugdhulp-test")

            // Now it is a party: the disclosure goes, sealed for its new certificate.
            let later = try await client.call(.post, "/v1/disclosures", token: zco, json: disclosure)
            #expect(later.status == .created, "\(later.body)")
        }
    }
}
