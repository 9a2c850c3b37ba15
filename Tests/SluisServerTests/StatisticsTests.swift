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
    @Test("Art. 9.3: the SWV and the FG read a completed quarter as JSON and CSV — no published value 1–4, the lone open case hidden with complements; a case worker cannot; a bad format is 400",
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
            let row = try #require(rows.firstIndex(of: "verzuim"))
            let moved = try #require(columns.firstIndex { $0 == ["outcome": "buiten-de-regio", "duration": "0-3m"] })
            let ended = try #require(columns.firstIndex { $0 == ["outcome": "einde-leerplicht", "duration": "0-3m"] })
            let open = try #require(columns.firstIndex { $0 == ["outcome": "open", "duration": "lopend"] })
            #expect(counts[row][open] is NSNull, "the one still open is hidden")
            // Its complement: one of the two fives (and that column's total), since every other row is empty.
            #expect(Set([counts[row][moved] as? Int, counts[row][ended] as? Int]) == [5, nil], "\(counts[row])")
            #expect(table["rowTotals"].flatMap { ($0 as? [Any])?[row] as? Int } == 11)
            var published: [Int] = counts.joined().compactMap { $0 as? Int }
            for key in ["rowTotals", "columnTotals"] { published += (table[key] as? [Any] ?? []).compactMap { $0 as? Int } }
            published += [table["total"] as? Int].compactMap { $0 }
            #expect(published.allSatisfy { $0 == 0 || $0 >= 5 }, "\(published.filter { (1...4).contains($0) })")
            let hidden = counts.joined().filter { $0 is NSNull }.count + ((table["rowTotals"] as? [Any]) ?? []).filter { $0 is NSNull }.count
                + ((table["columnTotals"] as? [Any]) ?? []).filter { $0 is NSNull }.count + (table["total"] is NSNull ? 1 : 0)
            #expect(hidden >= 4, "the hidden 1 has complements: a lone hidden value would follow from its row total")
            let csv = try await client.call(.get, "/v1/statistics?format=csv", token: swv)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.body.hasPrefix("kwartaal,casustype,uitkomst,duur,aantal\r\n") && csv.body.contains("\(quarter),verzuim,open,lopend,x\r\n"))
            #expect(csv.body.contains("\(quarter),verzuim,totaal,totaal,11\r\n") && csv.body.contains("0-3m,5\r\n") && !csv.body.contains("Testnaam"))
            #expect(try await client.call(.get, "/v1/statistics", token: try await client.login(fixture, "zco")).status == .forbidden)
            let bad = try await client.call(.get, "/v1/statistics?format=xml", token: swv)
            #expect(bad.status == .badRequest && jsonObject(bad.body)["field"] as? String == "format")
        }
    }
}
