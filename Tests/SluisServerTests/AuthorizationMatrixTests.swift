import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisGateway
@testable import SluisServer

/// Every endpoint × every role × own party / other party → the expected status, generated from
/// the access rules below (art. 7.3, 15.2), not picked by hand.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    enum Relation: String { case own, other, none }

    struct Endpoint {
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        /// The expected status for a role of a party in a relation to the resource.
        let expect: (DelegateRole, Relation, String) -> HTTPResponse.Status
        let success: HTTPResponse.Status
    }

    /// Case workers of a party that takes part see and work on the case (art. 7.3).
    static func caseRule(_ success: HTTPResponse.Status) -> (DelegateRole, Relation, String) -> HTTPResponse.Status {
        { role, relation, _ in role.worksOnCases && relation == .own ? success : .forbidden }
    }

    @Test("Generated matrix: endpoints × roles × own/other party")
    func matrix() async throws {
        try await ServerFixture.with { fixture, client in
            var tokens: [String: String] = [:]
            for (username, _, _) in ServerFixture.delegates { tokens[username] = try await client.login(fixture, username) }
            // A case of the school, with SWV, gemeente and CJG taking part; horizon does not.
            let created = try await client.call(.post, "/v1/cases", token: tokens["zco"], json: DisclosureFlowTests.newCase)
            let caseID = try #require(jsonObject(created.body)["id"] as? String)
            _ = try await client.call(.post, "/v1/cases/\(caseID)/informing", token: tokens["zco"], json: #"{"informedAt":"2026-11-01","method":"brief"}"#)
            let disclosed = try await client.call(.post, "/v1/disclosures", token: tokens["zco"], json: """
                {"caseId":"\(caseID)","recipient":"gemeente-goeree-overflakkee","forum":"casusoverleg","purpose":"3.1.a","fields":["absence"]}
                """)
            let disclosureID = try #require(jsonObject(disclosed.body)["disclosureId"] as? String)
            let proposal = try await client.call(.post, "/v1/accessions", token: tokens["beheer-gem"], json: #"{"party":"matrix-vooraf","name":"Vooraf"}"#)
            let accessionID = try #require(jsonObject(proposal.body)["id"] as? String)
            let contract = try String(contentsOf: ServerFixture.packageRoot.appendingPathComponent("docs/examples/contract-example.json"), encoding: .utf8)

            let endpoints: [Endpoint] = [
                Endpoint(method: .get, path: "/v1/me", body: nil, expect: { _, _, _ in .ok }, success: .ok),
                Endpoint(method: .get, path: "/v1/parties", body: nil, expect: { _, _, _ in .ok }, success: .ok),
                Endpoint(method: .get, path: "/v1/cases", body: nil, expect: { role, _, _ in role.worksOnCases ? .ok : .forbidden }, success: .ok),
                Endpoint(method: .get, path: "/v1/cases/\(caseID)", body: nil, expect: Self.caseRule(.ok), success: .ok),
                Endpoint(method: .get, path: "/v1/cases/\(caseID)/consents", body: nil, expect: Self.caseRule(.ok), success: .ok),
                Endpoint(method: .post, path: "/v1/cases/\(caseID)/informing", body: #"{"informedAt":"2026-11-02","method":"gesprek"}"#,
                         expect: Self.caseRule(.created), success: .created),
                Endpoint(method: .get, path: "/v1/mailbox", body: nil, expect: { role, _, _ in role.worksOnCases ? .ok : .forbidden }, success: .ok),
                // The bundle went to the gemeente: "own" is the recipient party here.
                Endpoint(method: .get, path: "/v1/mailbox/\(disclosureID)/bundle", body: nil, expect: Self.caseRule(.ok), success: .ok),
                Endpoint(method: .post, path: "/v1/decisions", body: contract, expect: { _, _, _ in .ok }, success: .ok),
                Endpoint(method: .get, path: "/v1/register/entries", body: nil, expect: { role, _, _ in role == .fg ? .ok : .forbidden }, success: .ok),
                Endpoint(method: .get, path: "/v1/register/checkpoint", body: nil, expect: { role, _, _ in role == .fg ? .ok : .forbidden }, success: .ok),
                Endpoint(method: .get, path: "/v1/delegates", body: nil, expect: { role, _, _ in role == .beheerder ? .ok : .forbidden }, success: .ok),
                // Art. 18: every party sees accessions; the gemeente's beheerder proposes; gemeente and SWV approve.
                Endpoint(method: .get, path: "/v1/accessions", body: nil, expect: { _, _, _ in .ok }, success: .ok),
                Endpoint(method: .post, path: "/v1/accessions", body: #"{"party":"matrix-test","name":"Matrix"}"#,
                         expect: { role, _, party in role == .beheerder && party == "gemeente-goeree-overflakkee" ? .created : .forbidden },
                         success: .created),
                Endpoint(method: .post, path: "/v1/accessions/\(accessionID)/approve", body: nil,
                         expect: { role, _, party in
                             role == .beheerder && ["gemeente-goeree-overflakkee", "swv-go"].contains(party) ? .ok : .forbidden
                         }, success: .ok),
            ]
            var checked = 0
            for endpoint in endpoints {
                // Without a token: 401 everywhere.
                let anonymous = try await client.call(endpoint.method, endpoint.path, json: endpoint.body)
                #expect(anonymous.status == .unauthorized, "\(endpoint.method) \(endpoint.path) without a token")
                for (username, role, party) in ServerFixture.delegates {
                    let relation: Relation
                    if endpoint.path.contains("/bundle") {
                        relation = party == "gemeente-goeree-overflakkee" ? .own : .other
                    } else {
                        relation = ["sovogo", "swv-go", "gemeente-goeree-overflakkee", "cjg-rijnmond"].contains(party) ? .own : .other
                    }
                    let expected = endpoint.expect(role, relation, party)
                    let result = try await client.call(endpoint.method, endpoint.path, token: tokens[username], json: endpoint.body)
                    #expect(result.status == expected, "\(endpoint.method) \(endpoint.path) as \(role.rawValue) (\(relation.rawValue) party): \(result.body.prefix(200))")
                    if result.status == .forbidden { #expect(result.headers[.contentType] == "application/problem+json") }
                    checked += 1
                }
            }
            #expect(checked == endpoints.count * ServerFixture.delegates.count)
            // Every 403 was audited.
            let audit = try await fixture.gateway.store.audit(limit: 10_000)
            #expect(audit.filter { $0.event == "access" && $0.outcome == "denied" }.count >= 40)
        }
    }
}
