import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
@testable import SluisGateway
@testable import SluisServer
@testable import SluisStore

/// Issue 9 item 6: every error a client can get carries a stable code (RFC 9457 §3.2
/// extension member `code`, docs/errors.md); operators see the underlying cause in the log,
/// matched by the problem's `instance`, and API answers never do.
@Suite("Error codes and operator causes (RFC 9457 §3.2, issue 9 item 6)")
struct ErrorCodeTests {
    static let root = ServerFixture.packageRoot

    /// Every `"sluis:…"` string literal in the sources.
    static func codesInSources() throws -> Set<String> {
        let sources = root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" } ?? []
        let pattern = try Regex(#""(sluis:[a-z0-9-]+)""#)
        var codes = Set<String>()
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) { codes.insert(String(text[match.range].dropFirst().dropLast())) }
        }
        return codes
    }

    /// The codes in the first column of docs/errors.md's table.
    static func codesInDocs() throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/errors.md"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("| `sluis:") else { return nil }
            return String(line.dropFirst(3).prefix { $0 != "`" })
        }
    }

    @Test("Every sluis: code in the source is in docs/errors.md and every documented code in the source, the runtime list and the OpenAPI Problem.code")
    func catalogue() throws {
        let sources = try Self.codesInSources()
        let documented = try Self.codesInDocs()
        #expect(Set(documented).count == documented.count, "a code documented twice")
        #expect(sources.subtracting(documented).isEmpty, "undocumented: \(sources.subtracting(documented).sorted())")
        #expect(Set(documented).subtracting(sources).isEmpty, "documented but not in the source: \(Set(documented).subtracting(sources).sorted())")
        #expect(Set(Problem.allCodes) == Set(documented), "a code built at run time that is not a literal, or the reverse")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8)) as? [String: Any])
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let problem = try #require(schemas?["Problem"] as? [String: Any])
        #expect((problem["required"] as? [String])?.contains("code") == true)
        let code = (problem["properties"] as? [String: Any])?["code"] as? [String: Any]
        #expect(code?["enum"] as? [String] == documented, "OpenAPI Problem.code lists the documented codes, in order")
    }

    @Test("Each kind of refusal answers with its code; every problem has a code from the list and a urn:uuid instance")
    func codesOnTheWire() async throws {
        try await ServerFixture.with { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let fg = try await client.login(fixture, "fg-own")
            let big = String(repeating: "x", count: 70 * 1024)
            let cases: [(HTTPRequest.Method, String, String?, String?, HTTPResponse.Status, String)] = [
                (.get, "/v1/bestaat-niet", zco, nil, .notFound, "sluis:route-not-found"),
                (.delete, "/v1/cases", zco, nil, .methodNotAllowed, "sluis:method-not-allowed"),
                (.get, "/v1/me", nil, nil, .unauthorized, "sluis:not-logged-in"),
                (.get, "/v1/me", "onbekend-token", nil, .unauthorized, "sluis:token-invalid"),
                (.post, "/v1/sessions", nil, #"{"username":"zco","password":"fout","code":"000000"}"#, .unauthorized, "sluis:login-failed"),
                (.post, "/v1/cases", zco, "{nope", .badRequest, "sluis:invalid-json"),
                (.post, "/v1/cases", zco, #"{"name":"A","name":"B","birthDate":"2012-01-01"}"#, .badRequest, "sluis:duplicate-key"),
                (.post, "/v1/cases", zco, #"{"name":"A","birthDate":"2012-01-01","extra":1}"#, .badRequest, "sluis:unknown-key"),
                (.post, "/v1/cases", zco, #"{"birthDate":"2012-01-01"}"#, .badRequest, "sluis:missing-key"),
                (.post, "/v1/cases", zco, #"{"name":7,"birthDate":"2012-01-01"}"#, .badRequest, "sluis:wrong-type"),
                (.post, "/v1/cases", zco, #"{"name":"A","birthDate":"2099-01-01"}"#, .badRequest, "sluis:invalid-input"),
                (.post, "/v1/cases", zco, #"{"name":"\#(big)","birthDate":"2012-01-01"}"#, .contentTooLarge, "sluis:body-too-large"),
                (.get, "/v1/cases/onbekend", zco, nil, .notFound, "sluis:case-not-found"),
                (.post, "/v1/consents/onbekend/revoke", zco, nil, .notFound, "sluis:consent-not-found"),
                (.post, "/v1/cases", fg, #"{"name":"A","birthDate":"2012-01-01"}"#, .forbidden, "sluis:forbidden"),
            ]
            for (method, path, token, body, status, code) in cases {
                let answer = try await client.call(method, path, token: token, json: body)
                let problem = jsonObject(answer.body)
                #expect(answer.status == status, "\(method) \(path): \(answer.status)")
                #expect(problem["code"] as? String == code, "\(method) \(path): \(answer.body.prefix(300))")
                #expect((problem["instance"] as? String)?.hasPrefix("urn:uuid:") == true)
                #expect(Problem.allCodes.contains(problem["code"] as? String ?? ""))
            }
        }
    }

    /// Words of the SQLite and PostgreSQL drivers that must never reach an answer.
    static let driverWords = ["SQLite", "sqlite", "PSQL", "PostgreSQL", "readonly", "read-only", "SQLSTATE", "25006", "transaction", "INSERT"]

    /// Makes `connection` refuse writes, as a disk gone read-only or a read-only replica would:
    /// SQLite's query_only pragma, PostgreSQL's read-only default transactions.
    static func refuseWrites(_ connection: StoreConnection) async throws {
        let statement = connection.kind == .sqlite ? "PRAGMA query_only = 1" : "SET default_transaction_read_only = on"
        // Every connection of a pooled store (PostgreSQL): the setting is a session's.
        for member in connection.members { try await member.raw(SQLQueryString(stringLiteral: statement)).run() }
    }

    /// The one error-level log line for `instance`, if any.
    static func operatorLine(_ fixture: ServerFixture, instance: String) -> String? {
        fixture.logs.all.first { $0.hasPrefix("error request failed") && $0.contains("instance=\(instance)") }
    }

    @Test("Art. 15: a register that cannot be written is a 503 sluis:register-unavailable without the driver's words; the log has the cause under the same instance",
          arguments: ServerFixture.databases)
    func registerFailure(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let question = try String(contentsOf: Self.root.appendingPathComponent("docs/examples/contract-example.json"), encoding: .utf8)
            #expect(try await client.call(.post, "/v1/decisions", token: zco, json: question).status == .ok, "the register takes entries")
            try await Self.refuseWrites(fixture.gateway.register.connection)
            let answer = try await client.call(.post, "/v1/decisions", token: zco, json: question)
            let problem = jsonObject(answer.body)
            #expect(answer.status == .serviceUnavailable)
            #expect(problem["code"] as? String == "sluis:register-unavailable")
            for word in Self.driverWords { #expect(!answer.body.contains(word), "'\(word)' in the answer: \(answer.body)") }
            let instance = try #require(problem["instance"] as? String)
            let line = try #require(Self.operatorLine(fixture, instance: instance), "no error line for \(instance)")
            #expect(line.contains("code=sluis:register-unavailable"))
            let cause = database == "sqlite" ? "cause=SQLite readOnly: attempt to write a readonly database" : "cause=PostgreSQL server: SQLSTATE 25006: cannot execute"
            #expect(line.contains(cause), "\(line)")
        }
    }

    @Test("A database that fails under any use case is a 503 sluis:database-unavailable without the driver's words; the log has the cause under the same instance",
          arguments: ServerFixture.databases)
    func databaseFailure(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            try await Self.refuseWrites(fixture.gateway.store.connection)
            // A login writes its session (and its attempt) to the gateway's store.
            let secret = try #require(fixture.secrets["zco"])
            let answer = try await client.call(.post, "/v1/sessions",
                                               json: #"{"username":"zco","password":"\#(secret.password)","code":"\#(try fixture.totp("zco"))"}"#)
            let problem = jsonObject(answer.body)
            #expect(answer.status == .serviceUnavailable, "\(answer.body)")
            #expect(problem["code"] as? String == "sluis:database-unavailable")
            for word in Self.driverWords + [secret.password] { #expect(!answer.body.contains(word), "'\(word)' in the answer: \(answer.body)") }
            let instance = try #require(problem["instance"] as? String)
            let line = try #require(Self.operatorLine(fixture, instance: instance), "no error line for \(instance)")
            #expect(line.contains(database == "sqlite" ? "cause=SQLite readOnly: attempt to write a readonly database" : "cause=PostgreSQL server: SQLSTATE 25006"),
                    "\(line)")
            #expect(!fixture.logs.all.contains { $0.contains(secret.password) }, "the password reached the log")
        }
    }
}
