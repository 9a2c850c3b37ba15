import Foundation
import Testing
@testable import SluisCovenant

/// The strict JSON reader under the request parser, and the writer under the answers.
@Suite("JSON reading and writing")
struct JSONParserTests {
    static func parse(_ text: String) throws(JSONParser.Failure) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test("A key given twice is refused: which value would the engine see?")
    func duplicateKeysAreRefused() {
        #expect(throws: JSONParser.Failure.self) { try Self.parse(#"{"forum":"sot","forum":"direct"}"#) }
        let request = #"{"sender":{"kind":"schoolbestuur","kind":"derde"}}"#
        #expect { try RequestParser.parse(request) } throws: { ($0 as? RequestError)?.problem.contains("twice") == true }
    }

    struct Duplicate: Sendable, CustomTestStringConvertible {
        let json: String
        let path: String
        var testDescription: String { path }
    }

    static let duplicates: [Duplicate] = [
        Duplicate(json: #"{"forum":"sot","forum":"direct"}"#, path: "forum"),
        Duplicate(json: #"{"pupil":{"age":14,"informed":true,"age":15}}"#, path: "pupil.age"),
        Duplicate(json: #"{"consents":[{"revoked":false},{"fields":[],"revoked":true,"revoked":false}]}"#, path: "consents[1].revoked"),
        Duplicate(json: #"{"a":[[{"b":{"c":1,"c":2}}]]}"#, path: "a[0][0].b.c"),
        // The same key written with an escape is the same key (RFC 8259 compares decoded names).
        Duplicate(json: #"{"sender":{"kind":"swv","\u006bind":"derde"}}"#, path: "sender.kind"),
        // The first in document order: the outer repetition comes before the inner one.
        Duplicate(json: #"{"x":1,"x":{"y":1,"y":2}}"#, path: "x"),
    ]

    @Test("Contract: a key given twice, at any depth, is an error that names the key's path", arguments: duplicates)
    func duplicateKeyIsNamedByItsPath(_ example: Duplicate) throws {
        #expect(try JSONDuplicateKeys.firstDuplicate(in: Array(example.json.utf8)) == example.path)
        #expect {
            try RequestParser.parse(example.json)
        } throws: { error in
            guard let error = error as? RequestError else { return false }
            return error.key == example.path && error.problem.contains("twice")
        }
    }

    @Test("The duplicate-key check: the same key in sibling objects is fine; nothing repeated is nil")
    func noDuplicateIsNil() throws {
        let text = #"{"consents":[{"revoked":false},{"revoked":true}],"pupil":{"age":1},"age":2,"s":"\"k\":1,\"k\":2"}"#
        #expect(try JSONDuplicateKeys.firstDuplicate(in: Array(text.utf8)) == nil)
        let wide = "{" + (0..<2_000).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
        #expect(try JSONDuplicateKeys.firstDuplicate(in: Array(wide.utf8)) == nil)
        let late = "{" + (0..<2_000).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + ",\"k1999\":0}"
        #expect(try JSONDuplicateKeys.firstDuplicate(in: Array(late.utf8)) == "k1999")
    }

    @Test("The duplicate-key check fails closed: a document that is not JSON is an error, not 'no duplicates'",
          arguments: ["", "{", #"{"a":1,}"#, #"{"a":1} x"#, "[1 2]", String(repeating: "[", count: 100) + String(repeating: "]", count: 100)])
    func duplicateCheckFailsClosed(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONDuplicateKeys.firstDuplicate(in: Array(text.utf8)) }
    }

    @Test("Malformed documents are refused, each with a reason and an offset", arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "tru", "01", "1.", "-", "1e", "\"abc", "\"\\x\"",
        "\"\\ud800\"", "\"\\udc00x\"", "\"a\u{01}b\"", "{} {}", "nul", "[1 2]", "1e999",
    ])
    func malformedIsRefused(text: String) {
        #expect(throws: JSONParser.Failure.self) { try Self.parse(text) }
    }

    @Test("Invalid UTF-8 inside a string is refused")
    func invalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test("Nesting deeper than the limit is refused, not a stack overflow")
    func depthLimit() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try Self.parse(deep) }
        let fine = String(repeating: "[", count: 30) + String(repeating: "]", count: 30)
        #expect(throws: Never.self) { try Self.parse(fine) }
    }

    @Test("Escapes and numbers read as JSON defines them")
    func escapesAndNumbers() throws {
        guard case .array(let items) = try Self.parse(#"["a\"b\\c\/d\n\u00e9\ud83d\ude00", -0.5, 1e2, 0, true, false, null]"#) else {
            Issue.record("expected an array"); return
        }
        guard case .string(let text) = items[0] else { Issue.record("expected a string"); return }
        #expect(text == "a\"b\\c/d\né😀")
        guard case .number(let half) = items[1], case .number(let hundred) = items[2] else { Issue.record("numbers"); return }
        #expect(half == -0.5 && hundred == 100)
        guard case .bool(true) = items[4], case .bool(false) = items[5], case .null = items[6] else { Issue.record("literals"); return }
    }

    @Test("The writer escapes what JSON requires and Foundation reads it back")
    func writerEscapes() throws {
        let tricky = "quote \" backslash \\ newline \n tab \t bell \u{07} é 😀"
        let answer = DecisionAnswer(decision: .deny, identity: .pseudonymised, released: [tricky],
                                    withheld: [], basis: [], reasons: [RuleCitation(rule: tricky, article: "a", reason: "r")])
        for pretty in [true, false] {
            let object = try #require(JSONSerialization.jsonObject(with: Data(answer.json(pretty: pretty).utf8)) as? [String: Any])
            #expect((object["released"] as? [String]) == [tricky])
        }
    }
}
