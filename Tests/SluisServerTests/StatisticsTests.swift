import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisCovenant
@testable import SluisGateway
@testable import SluisServer
import SluisStore

/// Issue 11 item 6, convenant art. 9.3: anonymised counts per completed quarter, case type,
/// outcome and duration, for the SWV and the FG, with values under 5 suppressed (docs/statistics.md).
@Suite("Statistics (art. 9.3)", .serialized)
struct StatisticsTests {
    @Test("Art. 9.3: the SWV and the FG read a completed quarter as JSON and CSV — no published value 0–4, no column of open cases, the quarter left out named; a case worker cannot; a bad format is 400",
          arguments: ServerFixture.databases)
    func art9_3_statisticsOverHTTP(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let quarter = Quarter(containing: fixture.gateway.today).description
            // Of eleven cases of one type: five move out of the region, five finish compulsory
            // education, one stays open.
            for number in 0..<11 {
                let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
                guard number < 10 else { continue }
                let reason = number < 5 ? "buiten-de-regio" : "einde-leerplicht"
                #expect(try await client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"closureReason":"\#(reason)"}"#).status == .ok)
            }
            // One case destroyed already: counted from its tombstone, the same as before.
            fixture.clock.advance(by: 100 * 86_400)
            let swv = try await client.login(fixture, "swv"), fg = try await client.login(fixture, "fg-other")
            let before = try await client.call(.get, "/v1/statistics", token: swv)
            #expect(before.status == .ok && before.headers[.contentType] == "application/json", "\(before.body)")
            _ = try await fixture.gateway.runRetention(today: fixture.gateway.today.adding(months: 12))
            #expect(try await fixture.gateway.store.tombstones().count == 10)
            let answer = try await client.call(.get, "/v1/statistics?format=json", token: fg)
            #expect(answer.body == before.body, "destroying a case changes no published number")
            let quarters = try #require(jsonObject(answer.body)["quarters"] as? [[String: Any]])
            let table = try #require(quarters.first { $0["quarter"] as? String == quarter }, "\(answer.body.prefix(300))")
            let rows = try #require(table["rows"] as? [String]), columns = try #require(table["columns"] as? [[String: String]])
            let counts = try #require(table["counts"] as? [[Any]])
            #expect(rows.contains("verzuim") && !columns.isEmpty && counts.count == rows.count)
            #expect(!columns.contains { $0["outcome"] == "open" }, "only closures are counted, no stock of open cases")
            var published: [Int] = counts.joined().compactMap { $0 as? Int }
            for key in ["rowTotals", "columnTotals"] { published += (table[key] as? [Any] ?? []).compactMap { $0 as? Int } }
            published += [table["total"] as? Int].compactMap { $0 }
            #expect(published.allSatisfy { $0 >= 5 }, "\(published.filter { $0 < 5 })")
            #expect(counts.joined().contains { $0 is NSNull }, "the zeros and complements are hidden")
            let leftOut = try #require(jsonObject(answer.body)["leftOut"] as? [String: String])
            #expect(leftOut["quarter"] == Quarter(containing: fixture.gateway.today).description && leftOut["reason"]?.contains("lopende kwartaal") == true)
            #expect(!quarters.contains { $0["quarter"] as? String == leftOut["quarter"] })
            let csv = try await client.call(.get, "/v1/statistics?format=csv", token: swv)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.body.hasPrefix("kwartaal,casustype,uitkomst,duur,aantal\r\n") && csv.body.contains("\(quarter),verzuim,buiten-de-regio,0-3m,"))
            #expect(!csv.body.contains(",open,") && !csv.body.contains("Testnaam"))
            #expect(try await client.call(.get, "/v1/statistics", token: try await client.login(fixture, "zco")).status == .forbidden)
            let bad = try await client.call(.get, "/v1/statistics?format=xml", token: swv)
            #expect(bad.status == .badRequest && jsonObject(bad.body)["field"] as? String == "format")
        }
    }

    @Test("Art. 9.3, found in review: a completed quarter never changes — reading, then changing an open case's type and phase, closing another case today, erasing a closed case on request and running retention, then reading again gives every completed quarter byte for byte",
          arguments: ServerFixture.databases)
    func art9_3_aCompletedQuarterNeverChanges(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let opened = Quarter(containing: fixture.gateway.today).description
            var refs: [String] = []
            for _ in 0..<7 { refs.append(try await DisclosureFlowTests().createInformedCase(client, zco)) }
            for ref in refs.prefix(5) {
                #expect(try await client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"closureReason":"buiten-de-regio"}"#).status == .ok)
            }
            // A later quarter: the one the cases were opened in is complete, two of them still open.
            fixture.clock.advance(by: 100 * 86_400)
            let swv = try await client.login(fixture, "swv"), zcoLater = try await client.login(fixture, "zco")
            let json = try await client.call(.get, "/v1/statistics", token: swv), csv = try await client.call(.get, "/v1/statistics?format=csv", token: swv)
            let quarters = try #require(jsonObject(json.body)["quarters"] as? [[String: Any]])
            #expect(quarters.contains { $0["quarter"] as? String == opened }, "\(json.body.prefix(200))")
            // Everything a party can change: the type (to a health-related one) and the phase of an open case, closing the other, erasing a closed one.
            #expect(try await client.call(.patch, "/v1/cases/\(refs[5])", token: zcoLater, json: #"{"caseType":"wacht-op-behandeling"}"#).status == .ok)
            #expect(try await client.call(.patch, "/v1/cases/\(refs[5])", token: zcoLater, json: #"{"phase":"triage"}"#).status == .ok)
            #expect(try await client.call(.patch, "/v1/cases/\(refs[6])", token: zcoLater, json: #"{"caseType":"ontheffing","closureReason":"overleden"}"#).status == .ok)
            // Found in review: erasing a case closed in a completed quarter moved it to today's
            // quarter under `wissing-op-verzoek` (and brought that column into every quarter).
            let erasure = try #require(try await RightsTests.received(client, zcoLater, refs[0], "wissing",
                                                                       receivedOn: fixture.gateway.today.description)["id"] as? String)
            let erased = try await RightsTests.decide(client, zcoLater, erasure, #"{"outcome":"granted","reason":"Niet langer nodig (art. 9.2)."}"#)
            #expect(erased.status == .ok && erased.body["erased"] as? Bool == true, "\(erased.body)")
            #expect(try await client.call(.get, "/v1/statistics", token: swv).body == json.body, "an erasure changed a completed quarter")
            _ = try await fixture.gateway.runRetention(today: fixture.gateway.today.adding(months: 13))
            #expect(try await fixture.gateway.store.tombstones().count == 6)
            #expect(try await client.call(.get, "/v1/statistics", token: swv).body == json.body)
            #expect(try await client.call(.get, "/v1/statistics?format=csv", token: swv).body == csv.body)
        }
    }
}
