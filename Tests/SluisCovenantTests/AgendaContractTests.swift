import Foundation
import Testing
@testable import SluisCovenant

/// The agenda contract (`../shared/contract/agenda.md`; Bijlage 3.3; protocol ch. 5): its
/// example, and each interpretation docs/agenda.md names.
@Suite("Agenda contract")
struct AgendaContractTests {
    static let preview = AgendaPreview(engine: engine)

    /// References that say whose they are, so a test can see which participant got which.
    static func references(_ participant: AgendaParty, _ ref: String) -> String { "ref-\(participant.label)-\(ref)" }

    static func examplePath() -> String {
        URL(fileURLWithPath: policiesDirectory).deletingLastPathComponent()
            .appendingPathComponent("docs/examples/agenda-example.json").path
    }

    static func answer(_ json: String) throws -> AgendaAnswer {
        try preview.preview(try AgendaParser.parse(json), reference: references)
    }

    /// The one item of `participant`'s view.
    static func item(_ answer: AgendaAnswer, _ participant: AgendaParty) throws -> AgendaViewItem {
        let view = try #require(answer.views.first { $0.participant == participant })
        return try #require(view.items.first)
    }

    static func shown(_ item: AgendaViewItem) -> [String] { item.fields.map(\.name) }
    static func withheld(_ item: AgendaViewItem) -> [String] { item.withheld.map { "\($0.field):\($0.citation.rule)" } }

    /// An agenda of one item (ref 1, informed, open, purpose 3.1.d) with these participants and
    /// contributions given as JSON.
    static func agenda(participants: String, caseType: String = "absoluut-verzuim", age: Int = 14, duo: Bool = false,
                       itemPurpose: String? = nil, contributions: String) -> String {
        let purpose = itemPurpose.map { #""purpose": "\#($0)","# } ?? ""
        return """
            {"meeting": "2026-12-10", "purpose": "3.1.d", "participants": [\(participants)],
             "items": [{"ref": "1", \(purpose) "caseType": "\(caseType)",
                        "pupil": {"age": \(age), "duoMelding": \(duo), "informed": true, "caseStatus": "open"},
                        "contributions": [\(contributions)]}]}
            """
    }

    /// The error an invalid agenda is refused with (nil when it is accepted).
    static func refusal(_ json: String) -> RequestError? {
        do {
            _ = try AgendaParser.parse(json)
            return nil
        } catch {
            return error
        }
    }

    static let swvParty = AgendaParty(swv), jgzParty = AgendaParty(jgz)
    static let leerplichtParty = AgendaParty(leerplicht), schoolParty = AgendaParty(school)

    @Test("Contract example: the SWV and the CJG see the pupil by name; the leerplichtambtenaar without a DUO melding under its own reference (protocol 5.4); the school board, no participant of the table, nothing (Bijlage 3.3)")
    func agendaContract_example_eachParticipantSeesWhatTheEngineReleases() throws {
        let answer = try Self.answer(try String(contentsOfFile: Self.examplePath(), encoding: .utf8))
        #expect(answer.views.map(\.participant) == [Self.swvParty, Self.jgzParty, Self.leerplichtParty, Self.schoolParty])

        // The SWV: its own contribution whole; the CJG's health data with the consent of both (fn 28, age 14).
        let atSwv = try Self.item(answer, Self.swvParty)
        #expect(atSwv.identity == .identified && atSwv.reference == nil)
        #expect(Self.shown(atSwv) == ["name", "birthDate", "summary", "progress", "procesbewaker", "healthData"])
        #expect(atSwv.withheld.isEmpty)

        // The CJG: the SWV's column of the table asks only that the parents are told (ch. 5).
        let atJgz = try Self.item(answer, Self.jgzParty)
        #expect(atJgz.identity == .identified && atJgz.reference == nil)
        #expect(Self.shown(atJgz) == ["name", "birthDate", "summary", "progress", "procesbewaker", "healthData"])

        // The leerplichtambtenaar: no name before the DUO melding; the health data's consent is not for him.
        let atLeerplicht = try Self.item(answer, Self.leerplichtParty)
        #expect(atLeerplicht.identity == .pseudonymised)
        #expect(atLeerplicht.reference == "ref-gemeente/leerplicht-1")
        #expect(Self.shown(atLeerplicht) == ["summary", "progress", "procesbewaker"])
        #expect(Self.withheld(atLeerplicht) == ["name:leerplicht-before-duo", "birthDate:leerplicht-before-duo",
                                                "healthData:special-category-needs-consent"])
        let name = try #require(atLeerplicht.withheld.first)
        #expect(name.sender == Self.swvParty && name.citation.article == "verzuimprotocol 5.4")
        #expect(atLeerplicht.withheld.last?.sender == Self.jgzParty)

        // The school board: not a participant of the thuiszitterstafel (Bijlage 3.3 sub 1).
        let atSchool = try Self.item(answer, Self.schoolParty)
        #expect(atSchool.identity == .pseudonymised && atSchool.reference == "ref-schoolbestuur-1")
        #expect(Self.shown(atSchool) == ["procesbewaker"])
        #expect(Self.withheld(atSchool) == ["name", "birthDate", "summary", "progress", "healthData"].map { "\($0):forum-not-participant" })
    }

    @Test("Contract example: the answer's JSON has the contract's keys in the contract's order")
    func agendaContract_example_jsonShape() throws {
        let text = try Self.answer(try String(contentsOfFile: Self.examplePath(), encoding: .utf8)).json()
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let views = try #require(object["views"] as? [[String: Any]])
        #expect(Set(object.keys) == ["views"] && views.count == 4)
        let leerplichtView = views[2]
        #expect(leerplichtView["participant"] as? [String: String] == ["kind": "gemeente", "role": "leerplicht"])
        let item = try #require((leerplichtView["items"] as? [[String: Any]])?.first)
        #expect(Set(item.keys) == ["ref", "identity", "reference", "fields", "withheld"])
        #expect(item["ref"] as? String == "1" && item["identity"] as? String == "pseudonymised")
        let withheld = try #require((item["withheld"] as? [[String: Any]])?.first)
        #expect(Set(withheld.keys) == ["field", "sender", "rule", "article", "reason"])
        let leerplichtText = String(text[text.range(of: #""kind": "gemeente""#)!.lowerBound...])
        let order = [#""ref""#, #""identity""#, #""reference""#, #""fields""#, #""withheld""#, #""field""#, #""sender""#,
                     #""rule""#, #""article""#, #""reason""#].map { leerplichtText.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        // Identified items carry no reference (contract: "otherwise the item shows reference").
        #expect((views[0]["items"] as? [[String: Any]])?.first?["reference"] == nil)
    }

    @Test("Own contribution: the same kind and, for the gemeente, the same role — no role is leerplicht, jeugd-en-gezin is another organisation")
    func agendaContract_ownContributionIsSameKindAndGemeenteRole() throws {
        let answer = try Self.answer(Self.agenda(
            participants: #"{"kind": "gemeente", "role": "leerplicht"}, {"kind": "gemeente", "role": "jeugd-en-gezin"}"#,
            contributions: #"{"sender": {"kind": "gemeente"}, "fields": {"name": "Naam (test)", "absence": "Verzuim (test)"}}"#))
        // Its own: whole, the name too although there is no DUO melding (protocol 5.4 binds what it receives from others).
        let own = try Self.item(answer, Self.leerplichtParty)
        #expect(Self.shown(own) == ["name", "absence"] && own.withheld.isEmpty && own.identity == .identified)
        // Jeugd en gezin is no participant of the thuiszitterstafel: the engine denies (Bijlage 3.3 sub 1).
        let other = try Self.item(answer, AgendaParty(jeugdEnGezin))
        #expect(other.fields.isEmpty)
        #expect(Self.withheld(other) == ["name:forum-not-participant", "absence:forum-not-participant"])
    }

    @Test("Own contribution: two organisations of one kind are told apart by id; another school board's contribution is not its own")
    func agendaContract_ownContributionNeedsTheSameId() throws {
        let answer = try Self.answer(Self.agenda(
            participants: #"{"kind": "schoolbestuur", "id": "school-a"}, {"kind": "schoolbestuur", "id": "school-b"}"#,
            contributions: #"{"sender": {"kind": "schoolbestuur", "id": "school-a"}, "fields": {"lastSchool": "School (test)"}}"#))
        #expect(Self.shown(try Self.item(answer, AgendaParty(school, id: "school-a"))) == ["lastSchool"])
        let other = try Self.item(answer, AgendaParty(school, id: "school-b"))
        #expect(other.fields.isEmpty && Self.withheld(other) == ["lastSchool:forum-not-participant"])
        #expect(answer.json().contains(#""id": "school-b""#))
    }

    @Test("Bijlage 3.3 sub 2: procesbewaker and registeredBy, professionals' names, are shown to every participant, even where the engine denies the rest")
    func bijlage3_3_procesbewakerAndRegisteredByShownToEveryParticipant() throws {
        let answer = try Self.answer(Self.agenda(
            participants: #"{"kind": "jgz"}, {"kind": "schoolbestuur"}, {"kind": "derde"}"#,
            contributions: #"{"sender": {"kind": "swv"}, "fields": {"registeredBy": "Kernteam (test)", "name": "Naam (test)", "procesbewaker": "Procesbewaker (test)"}}"#))
        for view in answer.views {
            let item = try #require(view.items.first)
            #expect(item.fields.filter { $0.name != "name" } == [AgendaField(name: "registeredBy", text: "Kernteam (test)"),
                                                               AgendaField(name: "procesbewaker", text: "Procesbewaker (test)")])
            #expect(!item.withheld.contains { $0.field == "registeredBy" || $0.field == "procesbewaker" })
        }
        #expect(Self.withheld(try Self.item(answer, AgendaParty(derde))) == ["name:third-party-recipient"])
    }

    @Test("Contract: summary and progress are decided as supportFacts (art. 5.1 sub g) and keep their own names in the view")
    func agendaContract_summaryAndProgressAreDecidedAsSupportFacts() throws {
        // Closed case (art. 5.5): every field withheld, under the agenda's own names.
        let closed = Self.agenda(participants: #"{"kind": "jgz"}"#,
                                 contributions: #"{"sender": {"kind": "swv"}, "fields": {"summary": "Samenvatting (test)", "progress": "Voortgang (test)"}}"#)
            .replacingOccurrences(of: #""caseStatus": "open""#, with: #""caseStatus": "closed""#)
        #expect(Self.withheld(try Self.item(try Self.answer(closed), Self.jgzParty)) == ["summary:case-closed", "progress:case-closed"])
        // Health data from the SWV to the CJG is withheld (fn 20) while supportFacts goes.
        let open = try Self.answer(Self.agenda(participants: #"{"kind": "jgz"}"#,
            contributions: #"{"sender": {"kind": "swv"}, "fields": {"summary": "Samenvatting (test)", "healthData": "Gezondheid (test)", "progress": "Voortgang (test)"}}"#))
        let item = try Self.item(open, Self.jgzParty)
        #expect(Self.shown(item) == ["summary", "progress"])
        #expect(Self.withheld(item) == ["healthData:swv-health-only-to-school"])
        let direct = engine.evaluate(request(from: swv, to: jgz, in: .thuiszitterstafel, purpose: "3.1.d",
                                             fields: ["supportFacts"], duo: false, caseType: "absoluut-verzuim"))
        #expect(direct.released == ["supportFacts"])
    }

    @Test("Contract: identified only when the participant may see the name; a birth date alone leaves the pupil pseudonymised, with a reference")
    func agendaContract_identifiedOnlyWhenTheNameIsShown() throws {
        var calls: [String] = []
        let request = try AgendaParser.parse(Self.agenda(participants: #"{"kind": "jgz"}, {"kind": "swv"}"#,
            contributions: #"{"sender": {"kind": "swv"}, "fields": {"birthDate": "2012-05-01", "summary": "Samenvatting (test)"}}"#))
        let answer = try Self.preview.preview(request) { participant, ref in
            calls.append(participant.label)
            return Self.references(participant, ref)
        }
        let item = try Self.item(answer, Self.jgzParty)
        #expect(Self.shown(item) == ["birthDate", "summary"])
        #expect(item.identity == .pseudonymised && item.reference == "ref-jgz-1")
        // The provider is asked only for pupils a participant sees pseudonymised.
        #expect(calls == ["jgz", "swv"])
    }

    @Test("Contract: a deny lists every field of the contribution in withheld, each with the engine's first reason")
    func agendaContract_denyListsEveryFieldOfTheContribution() throws {
        let answer = try Self.answer(Self.agenda(participants: #"{"kind": "jgz"}"#, age: 19,
            contributions: #"{"sender": {"kind": "swv"}, "fields": {"name": "Naam (test)", "summary": "Samenvatting (test)", "absence": "Verzuim (test)"}}"#))
        let item = try Self.item(answer, Self.jgzParty)
        #expect(item.fields.isEmpty)
        #expect(Self.withheld(item) == ["name", "summary", "absence"].map { "\($0):pupil-out-of-scope" })
        #expect(item.withheld.allSatisfy { $0.sender == Self.swvParty && $0.citation.article.contains("1.11") })
    }

    @Test("Contract: references are the participant's own — a provider that gives one value twice, or none, makes no answer (fail closed)")
    func agendaContract_referenceIsNeverSharedAcrossParticipants() throws {
        let request = try AgendaParser.parse(Self.agenda(participants: #"{"kind": "gemeente"}, {"kind": "schoolbestuur"}"#,
            contributions: #"{"sender": {"kind": "swv"}, "fields": {"name": "Naam (test)"}}"#))
        #expect(throws: AgendaPreview.ReferenceError.self) { try Self.preview.preview(request) { _, ref in "ps-\(ref)" } }
        #expect(throws: AgendaPreview.ReferenceError.self) { try Self.preview.preview(request) { _, _ in "" } }
        let answer = try Self.preview.preview(request, reference: Self.references)
        #expect(answer.views.compactMap { $0.items.first?.reference } == ["ref-gemeente/leerplicht-1", "ref-schoolbestuur-1"])
    }

    @Test("Interpretation: an item's own purpose overrides the agenda's (contract: 'the item's purpose'); art. 3.1")
    func agendaContract_itemPurposeOverridesTheAgendas() throws {
        let answer = try Self.answer(Self.agenda(participants: #"{"kind": "jgz"}"#, itemPurpose: "marketing",
            contributions: #"{"sender": {"kind": "swv"}, "fields": {"summary": "Samenvatting (test)"}}"#))
        #expect(Self.withheld(try Self.item(answer, Self.jgzParty)) == ["summary:purpose-not-in-covenant"])
    }

    @Test("Interpretation: the item's ref is the SWV's list number, shown in every view; anything that could be a name or a birth date is refused")
    func agendaContract_itemRefIsTheSWVsListNumber() throws {
        for ref in ["1", "14.2", "2026-14", "2026/14", "9999"] {
            let json = Self.agenda(participants: #"{"kind": "jgz"}"#, contributions: #"{"sender": {"kind": "swv"}, "fields": {"summary": "x"}}"#)
                .replacingOccurrences(of: #""ref": "1""#, with: #""ref": "\#(ref)""#)
            let answer = try Self.answer(json)
            #expect(answer.views[0].items[0].ref == ref)
        }
        for ref in ["Jan", "L-12", "1-", "-1", "1--2", "1 2", "12345678901234567", "01-05-2012 Jansen", "2013-05-01", "111.222.333", "111222333",
                    "12345", "1.2-3"] {
            let json = Self.agenda(participants: #"{"kind": "jgz"}"#, contributions: #"{"sender": {"kind": "swv"}, "fields": {"summary": "x"}}"#)
                .replacingOccurrences(of: #""ref": "1""#, with: #""ref": "\#(ref)""#)
            let error = Self.refusal(json)
            #expect(error?.key == "items[0].ref")
            #expect(error.map { !$0.description.contains(ref) } == true)
        }
    }

    @Test("Interpretation: one sender per field of an item — the view's fields are a map, so a second text for a field is an error")
    func agendaContract_oneSenderPerFieldOfAnItem() throws {
        let json = Self.agenda(participants: #"{"kind": "jgz"}"#, contributions: """
            {"sender": {"kind": "swv"}, "fields": {"name": "Naam (test)"}},
            {"sender": {"kind": "gemeente"}, "fields": {"absence": "Verzuim (test)", "name": "Naam (test)"}}
            """)
        #expect(throws: RequestError(key: "items[0].contributions[1].fields.name",
                                     problem: "also given by items[0].contributions[0] (one sender per field of an item)")) {
            try AgendaParser.parse(json)
        }
    }

    @Test("Interpretation: a field name outside the agenda's vocabulary is an error, not a withheld field (it would be echoed to every participant); art. 5.1")
    func agendaContract_unknownFieldNameIsAnError() throws {
        let json = Self.agenda(participants: #"{"kind": "jgz"}"#,
                               contributions: #"{"sender": {"kind": "swv"}, "fields": {"religion": "x"}}"#)
        let error = try #require(Self.refusal(json))
        #expect(error.key == "items[0].contributions[0].fields.religion")
        #expect(error.problem.hasPrefix("unknown field (allowed here: summary, progress, procesbewaker, registeredBy, decisions, actions, name,"))
    }

    @Test("Art. 5.1: an agenda built in code with a field name outside the vocabulary (the parser refuses one) has it withheld by the engine, never shown; a pupil's own caseType gives way to the item's")
    func agendaContract_unknownFieldBuiltInCodeIsWithheld() throws {
        let pupil = PupilFacts(age: 14, duoMelding: true, informed: true, caseType: "wacht-op-behandeling")
        let item = AgendaItem(ref: "1", caseType: "ontheffing", pupil: pupil, contributions: [
            AgendaContribution(sender: Self.swvParty, fields: [AgendaField(name: "religion", text: "Geloof (test)"),
                                                               AgendaField(name: "name", text: "Naam (test)")]),
        ])
        let request = AgendaRequest(meeting: CalendarDate(year: 2026, month: 12, day: 10)!, purpose: "3.1.d",
                                    participants: [Self.jgzParty], items: [item])
        let viewItem = try Self.item(try Self.preview.preview(request, reference: Self.references), Self.jgzParty)
        // ontheffing: the SWV's cell asks only informing; wacht-op-behandeling would ask consent (ch. 5).
        #expect(Self.shown(viewItem) == ["name"])
        #expect(Self.withheld(viewItem) == ["religion:field-not-in-covenant"])
    }

    @Test("Interpretation: each organisation takes part once — the same kind, gemeente role (none = leerplicht) and id twice is an error")
    func agendaContract_participantsAreDistinctOrganisations() throws {
        let json = Self.agenda(participants: #"{"kind": "gemeente", "role": "leerplicht"}, {"kind": "jgz"}, {"kind": "gemeente"}"#,
                               contributions: #"{"sender": {"kind": "swv"}, "fields": {"summary": "x"}}"#)
        let error = try #require(Self.refusal(json))
        #expect(error.key == "participants[2]")
        #expect(error.problem.hasPrefix("the same participant as participants[0]"))
    }
}
