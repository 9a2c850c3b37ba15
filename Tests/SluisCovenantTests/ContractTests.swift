import Foundation
import Testing
@testable import SluisCovenant

/// The decision contract (`../shared/contract/decision.md`): its example, and what is an
/// answer and what is an error.
@Suite("Decision contract")
struct ContractTests {
    static let example = """
        {
          "sender":    { "kind": "schoolbestuur" },
          "recipient": { "kind": "gemeente", "role": "leerplicht" },
          "forum":     "casusoverleg",
          "purpose":   "3.1.a",
          "fields":    ["name", "birthDate", "absence"],
          "question":  null,
          "pupil": {
            "age": 14,
            "duoMelding": false,
            "informed": true,
            "caseStatus": "open",
            "caseType": "relatief-verzuim"
          },
          "consents": [
            { "givenBy": ["parent", "pupil"], "recipients": ["swv", "gemeente"],
              "fields": ["healthData", "absence"], "question": null, "revoked": false }
          ]
        }
        """

    @Test("The contract's example: absence goes pseudonymised; name withheld by verzuimprotocol 5.4; basis art. 4.3")
    func contractExample() throws {
        let answer = engine.evaluate(try RequestParser.parse(Self.example))
        #expect(answer.decision == .permit)
        #expect(answer.identity == .pseudonymised)
        #expect(answer.released == ["absence"])
        #expect(answer.withheld.map(\.field) == ["name", "birthDate"])
        let name = try #require(answer.withheld.first)
        #expect(name.citation.rule == "leerplicht-before-duo")
        #expect(name.citation.article == "verzuimprotocol 5.4")
        #expect(name.citation.reason.hasPrefix("Zonder DUO-melding geen gegevens op persoonsniveau voor de leerplichtambtenaar"))
        #expect(answer.basis == [LegalBasis(gdpr: "6(1)(e)", law: ["Leerplichtwet art. 16"], article: "convenant art. 4.3")])
        #expect(answer.reasons.isEmpty)
    }

    @Test("The answer's JSON has the contract's keys in the contract's order")
    func answerJSONShape() throws {
        let text = engine.evaluate(try RequestParser.parse(Self.example)).json()
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["decision", "identity", "released", "withheld", "basis", "reasons"])
        let order = ["decision", "identity", "released", "withheld", "basis", "reasons"].map { text.range(of: "\"\($0)\"")!.lowerBound }
        #expect(order == order.sorted())
        let withheld = try #require(object["withheld"] as? [[String: String]])
        #expect(withheld.first.map { Set($0.keys) } == ["field", "rule", "article", "reason"])
    }

    @Test("Optional keys: role defaults to leerplicht, joined to true, question and consents to none")
    func optionalKeysHaveSafeDefaults() throws {
        let request = try RequestParser.parse("""
            {"sender":{"kind":"schoolbestuur"},"recipient":{"kind":"gemeente"},"forum":"casusoverleg",
             "purpose":"3.1.a","fields":["absence"],"pupil":{"age":9,"duoMelding":false,"informed":true,"caseStatus":"open"}}
            """)
        #expect(request.recipient.effectiveRole == .leerplicht)
        #expect(request.recipient.joined)
        #expect(request.question == nil && request.consents.isEmpty && request.pupil.caseType == nil)
    }

    struct BrokenRequest: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        let key: String
        var testDescription: String { name }
    }

    static func replacing(_ old: String, with new: String) -> String {
        precondition(example.contains(old), "fixture text not found")
        return example.replacingOccurrences(of: old, with: new)
    }

    /// The example without one top-level key.
    static func without(_ key: String) -> String {
        var object = try! JSONSerialization.jsonObject(with: Data(example.utf8)) as! [String: Any]
        object.removeValue(forKey: key)
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static let broken: [BrokenRequest] = [
        BrokenRequest(name: "not JSON", json: "{ sender: ", key: ""),
        BrokenRequest(name: "not an object", json: "[1, 2]", key: ""),
        BrokenRequest(name: "empty body", json: "", key: ""),
        BrokenRequest(name: "missing sender", json: without("sender"), key: "sender"),
        BrokenRequest(name: "missing recipient", json: without("recipient"), key: "recipient"),
        BrokenRequest(name: "missing forum", json: without("forum"), key: "forum"),
        BrokenRequest(name: "missing purpose", json: without("purpose"), key: "purpose"),
        BrokenRequest(name: "missing fields", json: without("fields"), key: "fields"),
        BrokenRequest(name: "missing pupil", json: without("pupil"), key: "pupil"),
        BrokenRequest(name: "unknown sender kind", json: replacing(#""kind": "schoolbestuur""#, with: #""kind": "school""#), key: "sender.kind"),
        BrokenRequest(name: "unknown role", json: replacing(#""role": "leerplicht""#, with: #""role": "rmc""#), key: "recipient.role"),
        BrokenRequest(name: "role on a kind without roles", json: replacing(#"{ "kind": "schoolbestuur" }"#, with: #"{ "kind": "swv", "role": "leerplicht" }"#), key: "sender.role"),
        BrokenRequest(name: "unknown forum", json: replacing(#""casusoverleg""#, with: #""koffietafel""#), key: "forum"),
        BrokenRequest(name: "fields not a list", json: replacing(#"["name", "birthDate", "absence"]"#, with: #""name""#), key: "fields"),
        BrokenRequest(name: "field not a string", json: replacing(#"["name", "birthDate", "absence"]"#, with: #"["name", 7]"#), key: "fields[1]"),
        BrokenRequest(name: "age as text", json: replacing(#""age": 14"#, with: #""age": "14""#), key: "pupil.age"),
        BrokenRequest(name: "age not whole", json: replacing(#""age": 14"#, with: #""age": 14.5"#), key: "pupil.age"),
        BrokenRequest(name: "age negative", json: replacing(#""age": 14"#, with: #""age": -1"#), key: "pupil.age"),
        BrokenRequest(name: "duoMelding as number", json: replacing(#""duoMelding": false"#, with: #""duoMelding": 0"#), key: "pupil.duoMelding"),
        BrokenRequest(name: "informed missing", json: replacing(#""informed": true,"#, with: ""), key: "pupil.informed"),
        BrokenRequest(name: "unknown case status", json: replacing(#""caseStatus": "open""#, with: #""caseStatus": "paused""#), key: "pupil.caseStatus"),
        BrokenRequest(name: "unknown top-level key", json: replacing(#""question":  null,"#, with: #""question": null, "bsn": "123456782","#), key: "bsn"),
        BrokenRequest(name: "unknown pupil key", json: replacing(#""age": 14,"#, with: #""age": 14, "name": "X","#), key: "pupil.name"),
        BrokenRequest(name: "consent giver unknown", json: replacing(#"["parent", "pupil"]"#, with: #"["parent", "teacher"]"#), key: "consents[0].givenBy[1]"),
        BrokenRequest(name: "consent recipient unknown", json: replacing(#"["swv", "gemeente"]"#, with: #"["swv", "politie"]"#), key: "consents[0].recipients[1]"),
        BrokenRequest(name: "consent field unknown", json: replacing(#"["healthData", "absence"]"#, with: #"["healthData", "diagnose"]"#), key: "consents[0].fields[1]"),
        BrokenRequest(name: "consent revoked missing", json: replacing(#", "revoked": false"#, with: ""), key: "consents[0].revoked"),
        BrokenRequest(name: "joined as text", json: replacing(#"{ "kind": "schoolbestuur" }"#, with: #"{ "kind": "jeugdhulpaanbieder", "joined": "yes" }"#), key: "sender.joined"),
        BrokenRequest(name: "question empty", json: replacing(#""question":  null"#, with: #""question": """#), key: "question"),
    ]

    @Test("A request that is not well-formed is an error that names the key", arguments: broken)
    func brokenRequestNamesTheKey(_ broken: BrokenRequest) {
        #expect {
            try RequestParser.parse(broken.json)
        } throws: { error in
            guard let error = error as? RequestError else { return false }
            return error.key == broken.key
        }
    }

    @Test("Error messages never echo the submitted value")
    func errorsDoNotEchoValues() {
        let secret = "Jansen-123456782"
        for json in [
            Self.replacing(#""kind": "schoolbestuur""#, with: #""kind": "\#(secret)""#),
            Self.replacing(#""question":  null,"#, with: #""question": null, "\#(secret)": 1,"#),
            Self.replacing(#""caseStatus": "open""#, with: #""caseStatus": "\#(secret)""#),
        ] {
            do {
                _ = try RequestParser.parse(json)
                Issue.record("expected an error")
            } catch {
                #expect(!error.description.contains("123456782") || error.key.contains(secret))
            }
        }
    }

    @Test("Limits: an oversized body, too many fields or an overlong string is refused")
    func limitsAreEnforced() {
        let many = (0..<65).map { "\"f\($0)\"" }.joined(separator: ",")
        #expect(throws: RequestError.self) { try RequestParser.parse(Self.replacing(#"["name", "birthDate", "absence"]"#, with: "[\(many)]")) }
        let long = String(repeating: "x", count: 600)
        #expect(throws: RequestError.self) { try RequestParser.parse(Self.replacing(#""3.1.a""#, with: "\"\(long)\"")) }
        #expect(throws: RequestError.self) { try RequestParser.parse(Data(count: RequestParser.Limits.bodyBytes + 1)) }
    }

    @Test("Well-formed requests for things the covenant does not allow get answers, not errors")
    func disallowedIsAnAnswer() throws {
        let unknownField = try RequestParser.parse(Self.replacing(#"["name", "birthDate", "absence"]"#, with: #"["absence", "religion"]"#))
        #expect(engine.evaluate(unknownField).rule(for: "religion") == "field-not-in-covenant")
        let purpose = try RequestParser.parse(Self.replacing(#""3.1.a""#, with: #""werving""#))
        #expect(engine.evaluate(purpose).decision == .deny)
    }
}
