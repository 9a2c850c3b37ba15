import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import SluisCovenant
@testable import SluisGateway
@testable import SluisStore

/// The thuiszitterstafel list (issue 11 item 1; verzuimprotocol hoofdstuk 5; Bijlage 3.3): who
/// puts a pupil on it, one entry per case, the case type, afschaling and closure, concurrency.
@Suite("Thuiszitterstafel list (hoofdstuk 5, Bijlage 3.3)", .serialized)
struct ThuiszitterstafelListTests {
    static let everyone = ["zco", "zco-other", "lpa", "jeg", "jvk", "arts", "swv", "fg-own", "beheer"]

    @Test("Hoofdstuk 5, fn 7 (interpretation): only the SWV's kernteam (swv-secretaris), a leerplichtambtenaar and a jeugdarts put a pupil on the list — not the school itself, the jeugdverpleegkundige, the consulent, an FG or a beheerder",
          arguments: ServerFixture.databases)
    func hoofdstuk5_fn7_onlyKernteamLeerplichtambtenaarAndJeugdartsRegister(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client, users: Self.everyone)
            for (user, registers) in [("swv", true), ("lpa", true), ("arts", true), ("zco", false), ("zco-other", false), ("jvk", false),
                                      ("jeg", false), ("fg-own", false), ("beheer", false)] {
                let school = try await t.schoolCase(name: "Testnaam Lijst", caseType: "verzuim", aanmelding: false)
                let caseRef = try await t.unitRef(user, of: school) ?? school
                let answer = try await t.call(user, .post, "/v1/thuiszitterstafel/entries", #"{"caseId":"\#(caseRef)","caseType":"verzuim","summary":"kort"}"#)
                if registers {
                    #expect(answer.status == .created, "\(user): \(answer.body)")
                    #expect(jsonObject(answer.body)["registeredBy"] as? String == user && jsonObject(answer.body)["caseId"] as? String == caseRef)
                } else {
                    #expect(answer.status == .forbidden && jsonObject(answer.body)["code"] as? String == "sluis:forbidden", "\(user): \(answer.body)")
                }
            }
            // A registrar that takes no part in the case is not told it exists (art. 7.3).
            let created = try await t.call("zco", .post, "/v1/cases", #"{"name":"Testnaam Alleen","birthDate":"2012-05-06"}"#)
            let alone = try #require(jsonObject(created.body)["id"] as? String)
            let outside = try await t.call("lpa", .post, "/v1/thuiszitterstafel/entries", #"{"caseId":"\#(alone)","caseType":"verzuim","summary":"kort"}"#)
            #expect(outside.status == .notFound, "\(outside.body)")
            #expect(jsonArray(try await t.call("swv", .get, "/v1/thuiszitterstafel/entries").body).count == 3)
        }
    }

    @Test("Hoofdstuk 5: the list records the case's own case type — set on a case without one, refused when it differs; an unknown type is invalid",
          arguments: ServerFixture.databases)
    func hoofdstuk5_theListRecordsTheCasesOwnType(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let typed = try await t.schoolCase(name: "Testnaam Getypeerd", caseType: "verzuim", aanmelding: false)
            let swvRef = try await t.ref("swv", of: typed)
            let other = try await t.call("swv", .post, "/v1/thuiszitterstafel/entries", #"{"caseId":"\#(swvRef)","caseType":"ontheffing","summary":"kort"}"#)
            #expect(other.status == .conflict && jsonObject(other.body)["code"] as? String == "sluis:tafel-case-type-differs", "\(other.body)")
            let unknown = try await t.call("swv", .post, "/v1/thuiszitterstafel/entries", #"{"caseId":"\#(swvRef)","caseType":"onbekend","summary":"kort"}"#)
            #expect(unknown.status == .badRequest && jsonObject(unknown.body)["field"] as? String == "caseType")
            let untyped = try await t.call("zco", .post, "/v1/cases", #"{"name":"Testnaam Zonder","birthDate":"2012-05-06","parties":["swv-go"]}"#)
            let untypedRef = try #require(jsonObject(untyped.body)["id"] as? String)
            _ = try await t.register("swv", untypedRef, caseType: "wacht-op-behandeling", summary: "kort")
            #expect(jsonObject(try await t.call("zco", .get, "/v1/cases/\(untypedRef)").body)["caseType"] as? String == "wacht-op-behandeling")
            // It is at the thuiszitterstafel now: the SWV convenes it (Bijlage 3.3 sub 1).
            #expect((jsonObject(try await t.call("zco", .get, "/v1/cases/\(untypedRef)").body)["forums"] as? [String])?.contains("thuiszitterstafel") == true)
        }
    }

    @Test("Bijlage 3.3 sub 5 (afschaling): the SWV takes a pupil off the list when back in school or at work; once off, nothing changes it and no agenda takes it",
          arguments: ServerFixture.databases)
    func bijlage3_3_sub5_afschalingTakesThePupilOffTheList(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Terug", caseType: "verzuim", aanmelding: false)
            let entry = try await t.register("lpa", school, caseType: "verzuim", summary: "kort")
            let path = "/v1/thuiszitterstafel/entries/\(entry)/afschaling"
            #expect(try await t.call("lpa", .post, path, #"{"reason":"onderwijs"}"#).status == .forbidden, "the SWV holds the regie (sub 3)")
            let wrong = try await t.call("swv", .post, path, #"{"reason":"verhuisd"}"#)
            #expect(wrong.status == .badRequest && jsonObject(wrong.body)["field"] as? String == "reason")
            let off = try await t.call("swv", .post, path, #"{"reason":"arbeid"}"#)
            #expect(off.status == .ok && jsonObject(off.body)["leftReason"] as? String == "arbeid" && jsonObject(off.body)["leftAt"] != nil, "\(off.body)")
            #expect(jsonArray(try await t.call("swv", .get, "/v1/thuiszitterstafel/entries").body).isEmpty)
            for (user, method, target, body) in [("swv", HTTPRequest.Method.post, path, #"{"reason":"onderwijs"}"#),
                                                 ("lpa", .patch, "/v1/thuiszitterstafel/entries/\(entry)", #"{"progress":"verder"}"#)] {
                let again = try await t.call(user, method, target, body)
                #expect(again.status == .conflict && jsonObject(again.body)["code"] as? String == "sluis:tafel-not-listed", "\(again.body)")
            }
            let meeting = CalendarDate.amsterdam(fixture.clock.now()).adding(days: 7)
            let composed = try await t.call("swv", .post, "/v1/thuiszitterstafel/agendas", #"{"meeting":"\#(meeting)","entries":["\#(entry)"]}"#)
            #expect(composed.status == .badRequest && jsonObject(composed.body)["field"] as? String == "entries[0]", "\(composed.body)")
            // Back on the list when needed again: a new entry, a new number.
            let back = try await t.register("lpa", school, caseType: "verzuim", summary: "opnieuw")
            #expect(back != entry)
        }
    }

    @Test("Art. 5.5 (issue 11 item 4): closing the case takes the pupil off the list; its entry is no longer changed",
          arguments: ServerFixture.databases)
    func art5_5_closingTheCaseTakesThePupilOffTheList(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Gesloten", caseType: "verzuim", aanmelding: false)
            let entry = try await t.register("swv", school, caseType: "verzuim", summary: "kort")
            #expect(jsonArray(try await t.call("lpa", .get, "/v1/thuiszitterstafel/entries").body).count == 1)
            #expect(try await t.call("zco", .patch, "/v1/cases/\(school)", #"{"closureReason":"buiten-de-regio"}"#).status == .ok)
            for user in ["swv", "lpa"] {
                #expect(jsonArray(try await t.call(user, .get, "/v1/thuiszitterstafel/entries").body).isEmpty, "\(user)")
            }
            let changed = try await t.call("swv", .patch, "/v1/thuiszitterstafel/entries/\(entry)", #"{"procesbewaker":"jvk"}"#)
            #expect(changed.status == .conflict && jsonObject(changed.body)["code"] as? String == "sluis:tafel-not-listed", "\(changed.body)")
            let meeting = CalendarDate.amsterdam(fixture.clock.now()).adding(days: 7)
            #expect(try await t.call("swv", .post, "/v1/thuiszitterstafel/agendas", #"{"meeting":"\#(meeting)"}"#).status == .badRequest, "the list is empty")
            let again = try await t.call("swv", .post, "/v1/thuiszitterstafel/entries", #"{"caseId":"\#(try await t.ref("swv", of: school))","caseType":"verzuim","summary":"x"}"#)
            #expect(again.status == .conflict && jsonObject(again.body)["code"] as? String == "sluis:case-closed")
        }
    }

    @Test("Bijlage 3.3 sub 2: the procesbewaker is a case worker of a participant of the thuiszitterstafel, shown by username; the school's or an FG is refused",
          arguments: ServerFixture.databases)
    func bijlage3_3_sub2_procesbewakerIsAParticipantsCaseWorker(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Bewaakt", caseType: "verzuim", aanmelding: false)
            let entry = try await t.register("swv", school, caseType: "verzuim", summary: "kort")
            for username in ["zco", "fg-own", "beheer-swv", "niemand-bekend", "jeg"] {
                let refused = try await t.call("swv", .patch, "/v1/thuiszitterstafel/entries/\(entry)", #"{"procesbewaker":"\#(username)"}"#)
                #expect(refused.status == .badRequest && jsonObject(refused.body)["field"] as? String == "procesbewaker", "\(username): \(refused.body)")
            }
            for username in ["lpa", "arts", "swv"] {
                let appointed = try await t.call("swv", .patch, "/v1/thuiszitterstafel/entries/\(entry)", #"{"procesbewaker":"\#(username)"}"#)
                #expect(appointed.status == .ok && jsonObject(appointed.body)["procesbewaker"] as? String == username, "\(appointed.body)")
            }
            #expect(try await t.call("lpa", .patch, "/v1/thuiszitterstafel/entries/\(entry)", #"{"procesbewaker":"lpa"}"#).status == .forbidden)
        }
    }

    @Test("Bijlage 3.3, concurrency: two registrations of one pupil at once (two gateway instances) put it on the list once; two of different pupils get different numbers",
          arguments: ServerFixture.databases)
    func bijlage3_3_registrationIsOneCheckAndWrite(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let first = try await t.schoolCase(name: "Testnaam Tegelijk", caseType: "verzuim", aanmelding: false)
            let second = try await t.schoolCase(name: "Testnaam Ook", caseType: "verzuim", aanmelding: false)
            let (swvRef, lpaRef, swvOther) = (try await t.ref("swv", of: first), try await t.ref("lpa", of: first), try await t.ref("swv", of: second))
            try await fixture.withSecondInstance { other in
                async let a = client.call(.post, "/v1/thuiszitterstafel/entries", token: t.tokens["swv"],
                                          json: #"{"caseId":"\#(swvRef)","caseType":"verzuim","summary":"een"}"#)
                async let b = other.call(.post, "/v1/thuiszitterstafel/entries", token: t.tokens["lpa"],
                                         json: #"{"caseId":"\#(lpaRef)","caseType":"verzuim","summary":"twee"}"#)
                async let c = other.call(.post, "/v1/thuiszitterstafel/entries", token: t.tokens["swv"],
                                         json: #"{"caseId":"\#(swvOther)","caseType":"verzuim","summary":"drie"}"#)
                let statuses = [try await a.status, try await b.status]
                #expect(statuses.filter { $0 == .created }.count == 1 && statuses.filter { $0 == .conflict }.count == 1, "\(statuses)")
                #expect(try await c.status == .created)
            }
            let numbers = jsonArray(try await t.call("swv", .get, "/v1/thuiszitterstafel/entries").body).compactMap { $0["number"] as? Int }
            #expect(numbers.sorted() == [1, 2], "\(numbers)")
        }
    }
}
