import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisGateway
@testable import SluisRegister
@testable import SluisServer
@testable import SluisStore

/// The FG's register view as Logboek Dataverwerkingen records over HTTP (issue 9 item 5;
/// art. 15.2–15.3): the same records as `sluis register export --format ldv`, only for the FG,
/// only of its own party, and the request itself on the register like the FG's other views.
@Suite("Logboek Dataverwerkingen over HTTP", .serialized)
struct RegisterLDVHTTPTests {
    /// `rounds` disclosures by sovogo's case worker to the SWV, and as many by horizon's (each
    /// logs in once: a TOTP code is accepted once).
    func twoSchoolsDisclose(_ client: some TestClientProtocol, _ fixture: ServerFixture, rounds: Int = 1) async throws {
        for username in ["zco", "zco-other"] {
            let token = try await client.login(fixture, username)
            for _ in 0..<rounds {
                let caseID = try await DisclosureFlowTests().createInformedCase(client, token)
                let disclosed = try await client.call(.post, "/v1/disclosures", token: token, json: """
                    {"caseId":"\(caseID)","recipient":"swv-go","forum":"thuiszitterstafel","purpose":"3.1.d","fields":["absence"]}
                    """)
                #expect(disclosed.status == .created, "\(disclosed.body)")
            }
        }
    }

    /// The records of a response body, one JSON object a line.
    func records(_ body: String) -> [[String: Any]] {
        body.split(separator: "\n").map { jsonObject(String($0)) }
    }

    func registerIndex(_ record: [String: Any]) -> Int? {
        let attributes = record["attributes"] as? [[String: Any]] ?? []
        return (attributes.first { $0["key"] as? String == "dpl.sluis.register_index" }?["value"] as? String).flatMap { Int($0) }
    }

    @Test("Art. 15.2: the FG gets its own party's entries as LDV records — the CLI export's records, byte for byte",
          arguments: ServerFixture.databases)
    func fgGetsItsRecords(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            try await twoSchoolsDisclose(client, fixture)
            let fg = try await client.login(fixture, "fg-own")
            let answer = try await client.call(.get, "/v1/register/ldv", token: fg)
            #expect(answer.status == .ok, "\(answer.body)")
            #expect(answer.headers[.contentType] == "application/x-ndjson")
            #expect(answer.headers[API.link] == nil, "one page: no next link")
            // What `sluis register export --format ldv` writes for the same entries (one mapping).
            let own = try await fixture.gateway.register.list(.init(party: "sovogo", limit: 100)).entries
            #expect(!own.isEmpty)
            #expect(answer.body == RegisterExport.render(own, as: .ldv))
            let lines = records(answer.body)
            #expect(lines.count == own.count)
            #expect(lines.allSatisfy { ($0["trace_id"] as? String)?.count == 32 && $0["name"] as? String == "disclose" })
        }
    }

    @Test("Art. 15.3: records of other parties never appear — each FG sees only entries its own party sent or received",
          arguments: ServerFixture.databases)
    func otherPartiesNeverAppear(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            try await twoSchoolsDisclose(client, fixture)
            let all = try await fixture.gateway.register.list(.init(limit: 100)).entries
            for (username, party) in [("fg-own", "sovogo"), ("fg-other", "horizon")] {
                let token = try await client.login(fixture, username)
                let answer = try await client.call(.get, "/v1/register/ldv", token: token)
                #expect(answer.status == .ok)
                let indices = records(answer.body).compactMap(registerIndex)
                #expect(!indices.isEmpty, "\(username) sees its own party's disclosure")
                for index in indices {
                    let entry = try #require(all.first { $0.index == index })
                    #expect(entry.sender == party || entry.recipient == party, "\(username) saw entry \(index) of \(entry.sender ?? "?")")
                }
                let otherSchool = party == "sovogo" ? "horizon" : "sovogo"
                #expect(!answer.body.contains("party/\(otherSchool)"), "no record names the other school")
            }
        }
    }

    @Test("Authority table: export-register-ldv is the FG's only — another role gets 403 with the article, without a token 401")
    func otherRolesAreForbidden() async throws {
        try await ServerFixture.with { fixture, client in
            for username in ["zco", "swv", "beheer", "lpa"] {
                let token = try await client.login(fixture, username)
                let answer = try await client.call(.get, "/v1/register/ldv", token: token)
                #expect(answer.status == .forbidden, "\(username)")
                #expect(jsonObject(answer.body)["article"] as? String == AuthorityTable.rule(.exportRegisterLDV).article)
            }
            #expect(try await client.call(.get, "/v1/register/ldv").status == .unauthorized)
            #expect(try await fixture.gateway.register.list(.init(limit: 100)).entries.isEmpty, "a refused request reads and writes no entry")
        }
    }

    @Test("Art. 15.2: the request is itself on the register as the FG's inspection, with its filter and view; the next page is an RFC 8288 link")
    func requestIsRegisteredAndPaged() async throws {
        try await ServerFixture.with { fixture, client in
            try await twoSchoolsDisclose(client, fixture, rounds: 2)  // two permitted disclosures by sovogo: two pages of one
            let fg = try await client.login(fixture, "fg-own")
            let first = try await client.call(.get, "/v1/register/ldv?limit=1&decision=permit", token: fg)
            #expect(first.status == .ok)
            #expect(records(first.body).count == 1)
            let link = try #require(first.headers[API.link])
            let next = try #require(link.firstMatch(of: /^<([^>]*)>; rel="next"$/)?.1)
            #expect(next.hasPrefix("/v1/register/ldv?") && next.contains("decision=permit") && next.contains("limit=1") && next.contains("after="))
            let delegate = try #require(try await fixture.gateway.store.delegate(username: "fg-own"))
            let inspection = try #require(try await fixture.gateway.register.list(.init(limit: 100)).entries.last)
            #expect(inspection.operation == "inspect" && inspection.actor == delegate.id)
            #expect(inspection.activity == "fg-inzage-register")
            #expect(inspection.basis.last?.contains("partij=sovogo") == true)
            #expect(inspection.basis.last?.hasSuffix("weergave: ldv; getoond: 1") == true, "\(inspection.basis)")
            let second = try await client.call(.get, String(next), token: fg)
            #expect(second.status == .ok)
            #expect(records(second.body).compactMap(registerIndex) != records(first.body).compactMap(registerIndex))
        }
    }
}
