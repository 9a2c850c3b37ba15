import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisGateway
@testable import SluisServer

/// Strict purpose binding per phase (art. 3.4 sub a–b), end to end: the case's phase is part of
/// every decision the gateway asks, and a phase change lists per recipient what it received for
/// a purpose the new phase no longer serves.
@Suite("Purpose binding per phase over HTTP (art. 3.4)", .serialized)
struct PhaseReassessmentTests {
    @Test("Art. 3.4 sub b: a phase change lists, per recipient, what it received for a purpose the new phase does not serve",
          arguments: ServerFixture.databases)
    func art3_4b_phaseChangeListsWhatIsNoLongerCovered(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            func disclose(_ recipient: String, _ purpose: String) async throws -> String {
                let answer = try await client.call(.post, "/v1/disclosures", token: zco, json: """
                    {"caseId":"\(ref)","recipient":"\(recipient)","forum":"casusoverleg","purpose":"\(purpose)","fields":["absence"]}
                    """)
                #expect(answer.status == .created, "\(answer.body)")
                return jsonObject(answer.body)["id"] as? String ?? ""
            }
            // Intake serves 3.1.a but not 3.1.b (Policies/purposes.yaml); move to casusoverleg first.
            let toCasusoverleg = try await client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"phase":"casusoverleg"}"#)
            #expect(toCasusoverleg.status == .ok, "\(toCasusoverleg.body)")
            let nothingYet = try #require(jsonObject(toCasusoverleg.body)["reassessment"] as? [String: Any])
            #expect((nothingYet["recipients"] as? [Any])?.isEmpty == true)
            _ = try await disclose("gemeente-goeree-overflakkee", "3.1.a")
            _ = try await disclose("swv-go", "3.1.b")
            // Afschaling serves 3.1.b and 3.1.g only: the leerplicht's 3.1.a disclosure is listed, the SWV's is not.
            let moved = try await client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"phase":"afschaling"}"#)
            #expect(moved.status == .ok, "\(moved.body)")
            let reassessment = try #require(jsonObject(moved.body)["reassessment"] as? [String: Any])
            #expect(reassessment["article"] as? String == "convenant art. 3.4 sub b")
            #expect(reassessment["purposes"] as? [String] == ["3.1.b", "3.1.g"])
            let recipients = try #require(reassessment["recipients"] as? [[String: Any]])
            #expect(recipients.map { $0["party"] as? String } == ["gemeente-goeree-overflakkee"])
            #expect(recipients.first?["role"] as? String == "leerplicht")
            let items = try #require(recipients.first?["disclosures"] as? [[String: Any]])
            #expect(items.map { $0["purpose"] as? String } == ["3.1.a"])
            #expect(items.first?["released"] as? [String] == ["absence"])
            let listed = String(decoding: try JSONSerialization.data(withJSONObject: reassessment), as: UTF8.self)
            #expect(!listed.contains("verzuim sinds oktober") && !listed.contains("Testnaam"), "the list carries metadata, never content")
            // A case view without a phase change carries no reassessment.
            #expect(jsonObject(try await client.call(.get, "/v1/cases/\(ref)", token: zco).body)["reassessment"] == nil)
        }
    }

    @Test("Art. 3.4 sub a: the case's phase is part of the gateway's decision — a purpose outside it is refused and registered",
          arguments: ServerFixture.databases)
    func art3_4a_gatewayDecidesWithTheCasesPhase(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            #expect(try await client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"phase":"afschaling"}"#).status == .ok)
            let refused = try await client.call(.post, "/v1/disclosures", token: zco, json: """
                {"caseId":"\(ref)","recipient":"swv-go","forum":"casusoverleg","purpose":"3.1.a","fields":["absence"]}
                """)
            #expect(refused.status == .forbidden, "\(refused.body)")
            #expect(refused.body.contains("purpose-not-for-phase"))
            let allowed = try await client.call(.post, "/v1/disclosures", token: zco, json: """
                {"caseId":"\(ref)","recipient":"swv-go","forum":"casusoverleg","purpose":"3.1.b","fields":["absence"]}
                """)
            #expect(allowed.status == .created, "\(allowed.body)")
        }
    }
}
