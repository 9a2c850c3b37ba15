import Foundation
import HTTPTypes
import Testing
import SluisCovenant
@testable import SluisServer

/// Findings of the review of the thuiszitterstafel (issue 11), each as the rule it broke.
@Suite("Thuiszitterstafel: review findings (Bijlage 3.3, art. 3.4, 5.5)")
struct ThuiszitterstafelReviewTests {
    /// A made-up pupil brought in by the school without a case type, the SWV, gemeente and CJG (or `parties`) taking part.
    static func untypedCase(_ t: Tafel, parties: [String] = ["swv-go", "gemeente-goeree-overflakkee", "cjg-rijnmond"]) async throws -> String {
        let list = parties.map { "\"\($0)\"" }.joined(separator: ",")
        let created = try await t.call("zco", .post, "/v1/cases", """
            {"name":"Testnaam Zonder","birthDate":"2012-05-06","facts":{"absence":"Verzuim-Zonder"},"parties":[\(list)]}
            """)
        #expect(created.status == .created, "\(created.body)")
        return try #require(jsonObject(created.body)["id"] as? String)
    }

    @Test("Hoofdstuk 5, found in review: a jeugdarts may not give a case its type by putting the pupil on the list (409 tafel-case-type-missing, the case stays untyped); once the school sets it, the jeugdarts registers",
          arguments: ServerFixture.databases)
    func hoofdstuk5_listingDoesNotTypeACaseWithoutAuthority(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await Self.untypedCase(t)
            let arts = try await t.ref("arts", of: school)
            let body = #"{"caseId":"\#(arts)","caseType":"ontheffing","summary":"Samenvatting-Arts"}"#
            let refused = try await t.call("arts", .post, "/v1/thuiszitterstafel/entries", body)
            #expect(refused.status == .conflict && jsonObject(refused.body)["code"] as? String == "sluis:tafel-case-type-missing", "\(refused.body)")
            #expect(jsonObject(try await t.call("zco", .get, "/v1/cases/\(school)").body)["caseType"] == nil, "still untyped")
            #expect(try await t.call("zco", .patch, "/v1/cases/\(school)", #"{"caseType":"ontheffing"}"#).status == .ok)
            #expect(try await t.call("arts", .post, "/v1/thuiszitterstafel/entries", body).status == .created)
        }
    }

    @Test("Art. 3.4 sub c, found in review: a text on the list is its writer's — another registrar cannot overwrite the description (409 tafel-text-of-another, the text stays); the progress may be written by whoever writes it first, then only by that one",
          arguments: ServerFixture.databases)
    func art3_4c_aTextOnTheListIsItsWritersOwn(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Tekst", caseType: "verzuim")
            let entry = try await t.register("lpa", school, caseType: "verzuim", summary: "Samenvatting-Leerplicht")
            let path = "/v1/thuiszitterstafel/entries/\(entry)"
            let overwrite = try await t.call("arts", .patch, path, #"{"summary":"Samenvatting-Arts"}"#)
            #expect(overwrite.status == .conflict && jsonObject(overwrite.body)["code"] as? String == "sluis:tafel-text-of-another", "\(overwrite.body)")
            let own = try await t.call("lpa", .get, "/v1/thuiszitterstafel/entries")
            #expect(own.body.contains("Samenvatting-Leerplicht") && !own.body.contains("Samenvatting-Arts"))
            #expect(try await t.call("swv", .patch, path, #"{"progress":"Voortgang-SWV"}"#).status == .ok)
            let second = try await t.call("lpa", .patch, path, #"{"progress":"Voortgang-Leerplicht"}"#)
            #expect(second.status == .conflict && jsonObject(second.body)["code"] as? String == "sluis:tafel-text-of-another", "\(second.body)")
            #expect(try await t.call("lpa", .patch, path, #"{"summary":"Samenvatting-Leerplicht-2"}"#).status == .ok, "the writer changes its own")
        }
    }

    @Test("Bijlage 3.3 sub 5, found in review: a pupil taken off the list after the preview is on no agenda sent — the preview's tag changes, the old one is refused (412), and the new views leave the pupil out",
          arguments: ServerFixture.databases)
    func bijlage3_3_sub5_offTheListIsOffTheAgenda(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            var entries: [String] = []
            for name in ["Testnaam Blijft", "Testnaam Weg"] {
                let school = try await t.schoolCase(name: name, caseType: "verzuim")
                entries.append(try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-\(name.split(separator: " ").last!)"))
            }
            let agenda = try #require(try await t.compose()["id"] as? String)
            let before = try await t.preview(agenda)
            #expect(try await t.call("swv", .post, "/v1/thuiszitterstafel/entries/\(entries[1])/afschaling", #"{"reason":"onderwijs"}"#).status == .ok)
            let after = try await t.preview(agenda)
            #expect(after.etag != before.etag)
            let stale = try await t.send(agenda, etag: before.etag)
            #expect(stale.status == .preconditionFailed, "\(stale.body)")
            let weak = try await t.send(agenda, etag: "W/" + after.etag)
            #expect(weak.status == .preconditionFailed, "a weak tag never matches (RFC 9110 §13.1.1): \(weak.body)")
            #expect(try await t.send(agenda, etag: after.etag).status == .created)
            let views = try await t.views(agenda)
            #expect(!views.isEmpty && views.allSatisfy { ($0["items"] as? [Any])?.count == 1 }, "only the pupil still on the list")
            for user in ["arts", "lpa"] {
                for meeting in try await t.meetings(user) { #expect(meeting["pupils"] as? Int == 1, "\(user): \(meeting)") }
            }
        }
    }

    @Test("Bijlage 3.3 sub 2, found in review: the procesbewaker works on the case — a delegate whose unit takes no part in it is refused, naming the field",
          arguments: ServerFixture.databases)
    func bijlage3_3_sub2_theProcesbewakerTakesPartInTheCase(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Bewaker", caseType: "verzuim")
            let entry = try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-Bewaker")
            // Move the CJG out of view: a case of another school with only the SWV.
            let other = try await Self.untypedCase(t, parties: ["swv-go"])
            #expect(try await t.call("zco", .patch, "/v1/cases/\(other)", #"{"caseType":"verzuim"}"#).status == .ok)
            let otherEntry = try await t.register("swv", other, caseType: "verzuim", summary: "Samenvatting-Ander")
            let refused = try await t.call("swv", .patch, "/v1/thuiszitterstafel/entries/\(otherEntry)", #"{"procesbewaker":"arts"}"#)
            #expect(refused.status == .badRequest && jsonObject(refused.body)["field"] as? String == "procesbewaker", "\(refused.body)")
            #expect(try await t.call("swv", .patch, "/v1/thuiszitterstafel/entries/\(entry)", #"{"procesbewaker":"arts"}"#).status == .ok)
        }
    }

    @Test("Bijlage 3.3 sub 4, found in review: minutes record what the meeting decided — not before the meeting's day (409 tafel-meeting-not-held)",
          arguments: [ServerFixture.databases[0]])
    func bijlage3_3_sub4_noMinutesBeforeTheMeeting(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Later", caseType: "verzuim")
            let entry = try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-Later")
            let meeting = CalendarDate.amsterdam(fixture.clock.now()).adding(days: 7)
            let agenda = try #require(jsonObject(try await t.call("swv", .post, "/v1/thuiszitterstafel/agendas", #"{"meeting":"\#(meeting)"}"#).body)["id"] as? String)
            let early = try await t.call("swv", .post, "/v1/thuiszitterstafel/agendas/\(agenda)/minutes", #"{"items":[{"entry":"\#(entry)","decisions":"Besluit"}]}"#)
            #expect(early.status == .conflict && jsonObject(early.body)["code"] as? String == "sluis:tafel-meeting-not-held", "\(early.body)")
        }
    }
}
