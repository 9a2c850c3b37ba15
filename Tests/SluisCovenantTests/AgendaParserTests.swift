import Foundation
import SluisCorpus
import Testing
@testable import SluisCovenant

/// Invalid agendas (`../shared/contract/agenda.md`: "exit 2 with a message naming the offending
/// key"): each is refused with the key's path, and the message never repeats the value.
@Suite("Agenda contract: invalid documents")
struct AgendaParserTests {
    static let valid = """
        {"meeting": "2026-12-10", "purpose": "3.1.d",
         "participants": [{"kind": "swv"}, {"kind": "gemeente", "role": "leerplicht"}],
         "items": [
          {"ref": "1", "caseType": "verzuim",
           "pupil": {"age": 14, "duoMelding": false, "informed": true, "caseStatus": "open"},
           "contributions": [
            {"sender": {"kind": "swv"}, "fields": {"name": "NAAMTEKST", "summary": "Samenvatting"}},
            {"sender": {"kind": "jgz"}, "fields": {"healthData": "Gezondheid"},
             "consents": [{"givenBy": ["parent"], "recipients": ["swv"], "fields": ["healthData"], "question": null, "revoked": false}]}
           ]},
          {"ref": "2", "caseType": "ontheffing",
           "pupil": {"age": 9, "duoMelding": true, "informed": true, "caseStatus": "open"},
           "contributions": [{"sender": {"kind": "swv"}, "fields": {"progress": "Voortgang"}}]}
         ]}
        """

    struct Case: Sendable, CustomTestStringConvertible {
        var old: String
        var new: String
        var key: String
        /// A value that must not appear in the message.
        var secret: String?
        var testDescription: String { key.isEmpty ? "the document" : key }
    }

    static let cases: [Case] = [
        Case(old: #""purpose": "3.1.d","#, new: #""purpose": "3.1.d", "extra": 1,"#, key: "extra"),
        Case(old: #""meeting": "2026-12-10", "#, new: "", key: "meeting"),
        Case(old: #""meeting": "2026-12-10""#, new: #""meeting": "2026-13-45""#, key: "meeting", secret: "2026-13-45"),
        Case(old: #""purpose": "3.1.d""#, new: #""purpose": 3"#, key: "purpose"),
        Case(old: #""participants": [{"kind": "swv"}, {"kind": "gemeente", "role": "leerplicht"}]"#, new: #""participants": []"#, key: "participants"),
        Case(old: #"[{"kind": "swv"}, {"#, new: #"[{"kind": "school"}, {"#, key: "participants[0].kind"),
        Case(old: #"[{"kind": "swv"}, {"#, new: #"[{"kind": "swv", "role": "leerplicht"}, {"#, key: "participants[0].role"),
        Case(old: #""role": "leerplicht"}]"#, new: #""role": "leerplicht", "id": "Jan Jansen"}]"#, key: "participants[1].id", secret: "Jansen"),
        Case(old: #""role": "leerplicht"}]"#, new: #""role": "leerplicht", "joined": "yes"}]"#, key: "participants[1].joined"),
        Case(old: #""items": ["#, new: #""items": {"#, key: ""),
        Case(old: #""ref": "2""#, new: #""ref": "1""#, key: "items[1].ref"),
        Case(old: #""ref": "1""#, new: #""ref": "Jan""#, key: "items[0].ref", secret: "Jan"),
        Case(old: #""ref": "1", "caseType": "verzuim","#, new: #""ref": "1","#, key: "items[0].caseType"),
        Case(old: #""ref": "1", "caseType": "verzuim""#, new: #""ref": "1", "caseType": "verzuim", "note": "x""#, key: "items[0].note"),
        Case(old: #""age": 14, "#, new: #""age": 14, "caseType": "verzuim", "#, key: "items[0].pupil.caseType"),
        Case(old: #""age": 14,"#, new: #""age": "14","#, key: "items[0].pupil.age"),
        Case(old: #""age": 14,"#, new: #""age": 14, "age": 15,"#, key: "items[0].pupil.age"),
        Case(old: #""age": 9, "duoMelding": true, "#, new: #""age": 9, "#, key: "items[1].pupil.duoMelding"),
        Case(old: #""age": 9, "duoMelding": true, "informed": true, "caseStatus": "open""#,
             new: #""age": 9, "duoMelding": true, "informed": true, "caseStatus": "gesloten""#, key: "items[1].pupil.caseStatus"),
        Case(old: #""contributions": [{"sender": {"kind": "swv"}, "fields": {"progress": "Voortgang"}}]"#, new: #""contributions": []"#,
             key: "items[1].contributions"),
        Case(old: #"{"sender": {"kind": "swv"}, "fields": {"name""#, new: #"{"sender": {"kind": "kernteam"}, "fields": {"name""#,
             key: "items[0].contributions[0].sender.kind"),
        Case(old: #""fields": {"name": "NAAMTEKST", "#, new: #""fields": {"name": 12, "#, key: "items[0].contributions[0].fields.name"),
        Case(old: #""fields": {"name": "NAAMTEKST", "#, new: #""fields": {"name": "", "#, key: "items[0].contributions[0].fields.name"),
        Case(old: #""fields": {"name": "NAAMTEKST", "#, new: #""fields": {"name": "NAAMTEKST", "name": "NAAMTEKST", "#,
             key: "items[0].contributions[0].fields.name", secret: "NAAMTEKST"),
        Case(old: #""fields": {"name": "NAAMTEKST", "summary": "Samenvatting"}"#, new: #""fields": {}"#,
             key: "items[0].contributions[0].fields"),
        Case(old: #""fields": {"name": "NAAMTEKST", "summary": "Samenvatting"}"#, new: #""fields": ["name"]"#,
             key: "items[0].contributions[0].fields"),
        Case(old: #""summary": "Samenvatting""#, new: #""summary": "\#(String(repeating: "a", count: 2049))""#,
             key: "items[0].contributions[0].fields.summary"),
        // An attacker's findings: a NUL in a text, a name-looking key, a BSN or date as a professional's name or as the list number.
        Case(old: #""summary": "Samenvatting""#, new: #""summary": "Samen\u0000vatting""#, key: "items[0].contributions[0].fields.summary"),
        Case(old: #""summary": "Samenvatting""#, new: #""Jan Jansen": "Samenvatting""#, key: "items[0].contributions[0].fields.[a key]", secret: "Jansen"),
        Case(old: #""summary": "Samenvatting""#, new: #""summary": "Samenvatting", "procesbewaker": "J. de Vries 111222333""#,
             key: "items[0].contributions[0].fields.procesbewaker", secret: "111222333"),
        Case(old: #""ref": "1""#, new: #""ref": "2013-05-01""#, key: "items[0].ref", secret: "2013-05-01"),
        Case(old: #""question": null, "revoked": false"#, new: #""question": null"#, key: "items[0].contributions[1].consents[0].revoked"),
        Case(old: #""givenBy": ["parent"]"#, new: #""givenBy": ["grootouder"]"#, key: "items[0].contributions[1].consents[0].givenBy[0]"),
        Case(old: #""fields": {"healthData": "Gezondheid"}"#, new: #""fields": {"healthData": "Gezondheid"}, "conflictOfDuties": true"#,
             key: "items[0].contributions[1].conflictOfDuties"),
    ]

    @Test("Contract: an invalid agenda is an error naming the offending key, never echoing its value", arguments: cases)
    func agendaContract_invalidDocument_namesTheKey(_ bad: Case) throws {
        #expect(Self.valid.contains(bad.old), "fixture text not found")
        _ = try AgendaParser.parse(Self.valid)
        let text = Self.valid.replacingOccurrences(of: bad.old, with: bad.new)
        do {
            _ = try AgendaParser.parse(text)
            Issue.record("accepted: \(bad.key)")
        } catch {
            #expect(error.key == bad.key, "\(error.description)")
            if let secret = bad.secret { #expect(!error.description.contains(secret)) }
        }
    }

    @Test("Contract: a document larger than the limit, or not JSON, is an error of the document itself")
    func agendaContract_invalidDocument_tooLargeOrNotJSON() throws {
        #expect(throws: RequestError.self) { try AgendaParser.parse(Data(repeating: 0x20, count: AgendaParser.Limits.bodyBytes + 1)) }
        do { _ = try AgendaParser.parse("{\"meeting\": ") } catch { #expect(error.key.isEmpty) }
    }

    @Test("Contract: the request's JSON reads back to the same agenda, over generated agendas")
    func agendaContract_requestJSONRoundTrips() throws {
        var generator = AgendaGenerator(seed: 11)
        for _ in 0..<100 {
            let agenda = generator.next()
            #expect(try AgendaParser.parse(agenda.json()) == agenda)
            #expect(try AgendaParser.parse(agenda.json(pretty: false)) == agenda)
        }
    }
}
