import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import SluisCovenant
@testable import SluisCrypto
@testable import SluisGateway
import SluisRegister
@testable import SluisServer
@testable import SluisStore

/// The harness of the thuiszitterstafel tests (issue 11 items 1–3; Bijlage 3.3): sessions,
/// made-up pupils brought in by the school, the list, agendas, previews and sends over HTTP,
/// and a participant opening its sealed bundle with the stock `openssl cms` command.
struct Tafel {
    let fixture: ServerFixture
    let client: any TestClientProtocol
    var tokens: [String: String] = [:]

    /// The participants of the thuiszitterstafel (Bijlage 3.3 sub 1): delegate → party.
    static let participants = [("swv", "swv-go"), ("arts", "cjg-rijnmond"), ("lpa", "gemeente-goeree-overflakkee")]

    init(_ fixture: ServerFixture, _ client: any TestClientProtocol, users: [String] = ["zco", "swv", "lpa", "arts", "jvk"]) async throws {
        self.fixture = fixture
        self.client = client
        for user in users { tokens[user] = try await client.login(fixture, user) }
    }

    /// A made-up pupil brought in by the school with the SWV, the gemeente and the CJG taking part,
    /// informed, and registered in writing with the SWV's kernteam (Bijlage 3.3 sub 5: the school's
    /// disclosure to the SWV at the thuiszitterstafel of name, birth date and absence).
    func schoolCase(name: String, caseType: String, phase: String = "casusoverleg", aanmelding: Bool = true) async throws -> String {
        let body = """
            {"name":"\(name)","birthDate":"2012-05-06","facts":{"absence":"Verzuim-\(name.split(separator: " ").last ?? "")","lastSchool":"RGO"},"caseType":"\(caseType)",
             "phase":"\(phase)","parties":["swv-go","gemeente-goeree-overflakkee","cjg-rijnmond"]}
            """
        let created = try await client.call(.post, "/v1/cases", token: tokens["zco"], json: body)
        #expect(created.status == .created, "\(created.body)")
        let ref = try #require(jsonObject(created.body)["id"] as? String)
        let informed = try await client.call(.post, "/v1/cases/\(ref)/informing", token: tokens["zco"], json: #"{"informedAt":"2026-11-01","method":"brief"}"#)
        #expect(informed.status == .created)
        if aanmelding {
            let registered = try await client.call(.post, "/v1/disclosures", token: tokens["zco"], json: """
                {"caseId":"\(ref)","recipient":"swv-go","forum":"thuiszitterstafel","purpose":"3.1.a","fields":["name","birthDate","absence"]}
                """)
            #expect(registered.status == .created, "\(registered.body)")
        }
        return ref
    }

    /// The CJG's jeugdarts records health data about the pupil as its own fact and, with
    /// `consentForSWV`, the parents' and the pupil's consent that it goes to the SWV (fn 28): the
    /// consent's id, nil without one.
    @discardableResult
    func cjgHealthData(_ schoolRef: String, _ text: String, consentForSWV: Bool) async throws -> String? {
        let arts = try await ref("arts", of: schoolRef)
        #expect(try await call("arts", .patch, "/v1/cases/\(arts)", #"{"facts":{"healthData":"\#(text)"}}"#).status == .ok)
        guard consentForSWV else { return nil }
        let consent = try await call("arts", .post, "/v1/cases/\(arts)/consents", """
            {"recipients":["swv"],"fields":["healthData"],"givers":[\(ServerFixture.given("parent")),\(ServerFixture.given("pupil"))]}
            """)
        #expect(consent.status == .created, "\(consent.body)")
        return try #require(jsonObject(consent.body)["id"] as? String)
    }

    /// The reference `user`'s unit has for the case the school knows as `schoolRef`.
    func ref(_ user: String, of schoolRef: String) async throws -> String {
        try #require(try await unitRef(user, of: schoolRef), "\(user) takes part in the case")
    }

    /// The same, nil when the user's unit takes no part in the case.
    func unitRef(_ user: String, of schoolRef: String) async throws -> String? {
        guard let id = try await fixture.gateway.store.caseID(ref: schoolRef, party: "sovogo"),
              let (_, role, party) = ServerFixture.delegates.first(where: { $0.0 == user }) else { return nil }
        let unit = party == "gemeente-goeree-overflakkee" ? party + "/" + (role == .leerplichtambtenaar ? "leerplicht" : "jeugd-en-gezin") : party
        return try await fixture.gateway.store.ref(caseID: id, party: unit)
    }

    func call(_ user: String, _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil,
              headers: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        try await client.call(method, path, token: tokens[user], json: body, headers: headers)
    }

    /// Puts the pupil on the list as `user`; the entry's id.
    func register(_ user: String, _ schoolRef: String, caseType: String, summary: String, progress: String? = nil) async throws -> String {
        let progressJSON = progress.map { #","progress":"\#($0)""# } ?? ""
        let answer = try await call(user, .post, "/v1/thuiszitterstafel/entries", """
            {"caseId":"\(try await ref(user, of: schoolRef))","caseType":"\(caseType)","summary":"\(summary)"\(progressJSON)}
            """)
        #expect(answer.status == .created, "\(user): \(answer.body)")
        return try #require(jsonObject(answer.body)["id"] as? String)
    }

    /// An agenda of the given entries (all on the list when nil) for a meeting today (so its
    /// minutes may be written: Bijlage 3.3 sub 4).
    func compose(_ entries: [String]? = nil, purpose: String? = nil) async throws -> [String: Any] {
        let meeting = CalendarDate.amsterdam(fixture.clock.now())
        var body = #"{"meeting":"\#(meeting)""#
        if let entries { body += #","entries":[\#(entries.map { "\"\($0)\"" }.joined(separator: ","))]"# }
        if let purpose { body += #","purpose":"\#(purpose)""# }
        let answer = try await call("swv", .post, "/v1/thuiszitterstafel/agendas", body + "}")
        #expect(answer.status == .created, "\(answer.body)")
        return jsonObject(answer.body)
    }

    /// The preview (agenda, or a minutes version) and its ETag.
    func preview(_ agenda: String, minutes version: Int? = nil) async throws -> (answer: [String: Any], etag: String) {
        let path = "/v1/thuiszitterstafel/agendas/\(agenda)" + (version.map { "/minutes/\($0)" } ?? "") + "/preview"
        let answer = try await call("swv", .get, path)
        #expect(answer.status == .ok, "\(answer.body)")
        return (jsonObject(answer.body), try #require(answer.headers[.eTag]))
    }

    /// Sends as previewed; the answer.
    func send(_ agenda: String, minutes version: Int? = nil, etag: String?) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        let path = "/v1/thuiszitterstafel/agendas/\(agenda)" + (version.map { "/minutes/\($0)" } ?? "") + "/send"
        return try await call("swv", .post, path, headers: etag.map { [.ifMatch: $0] } ?? [:])
    }

    /// Previews, then sends with the preview's ETag; the receipt.
    func previewAndSend(_ agenda: String, minutes version: Int? = nil) async throws -> [String: Any] {
        let etag = try await preview(agenda, minutes: version).etag
        let sent = try await send(agenda, minutes: version, etag: etag)
        #expect(sent.status == .created, "\(sent.body)")
        return jsonObject(sent.body)
    }

    /// The delegate's mailbox items of the thuiszitterstafel.
    func meetings(_ user: String) async throws -> [[String: Any]] {
        let mailbox = try await call(user, .get, "/v1/mailbox")
        #expect(mailbox.status == .ok, "\(mailbox.body)")
        return jsonObject(mailbox.body)["meetings"] as? [[String: Any]] ?? []
    }

    /// The agenda's document and full views as the gateway makes them now (the preview's function, nothing hidden).
    func built(_ agenda: String, minutes version: Int? = nil) async throws -> TafelBuilt {
        let principal = try await fixture.gateway.access.authenticate(token: tokens["swv"], trace: try TraceContext.fresh())
        let record = try #require(try await fixture.gateway.store.tafelAgenda(agenda, party: "swv-go"))
        return try await fixture.gateway.tafelViews(record, minutes: version, principal: principal)
    }

    /// The full views as JSON objects.
    func views(_ agenda: String, minutes version: Int? = nil) async throws -> [[String: Any]] {
        jsonObject(try await built(agenda, minutes: version).answer.json(pretty: false))["views"] as? [[String: Any]] ?? []
    }

    /// The delivery `id` as its addressee fetches it over HTTP and opens it with `openssl cms
    /// -decrypt` (the party's key and certificate) and `openssl cms -verify` (the covenant's CA):
    /// the plaintext.
    func openWithOpenSSL(_ user: String, delivery id: String, party: String) async throws -> String {
        let fetched = try await client.execute(uri: "/v1/mailbox/\(id)/bundle", method: .get, headers: [.authorization: "Bearer \(tokens[user]!)"]) { $0 }
        #expect(fetched.status == .ok)
        let directory = fixture.directory.appendingPathComponent("openssl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(Array(buffer: fetched.body)).write(to: directory.appendingPathComponent("bundle.p7m"))
        let keys = KeyDirectory(fixture.configuration.keys)
        let decrypted = try Self.openssl(["cms", "-decrypt", "-binary", "-inform", "DER", "-in", "bundle.p7m",
                                          "-recip", keys.certificateURL(party: party).path, "-inkey", keys.keyURL(party: party).path], in: directory)
        #expect(decrypted.status == 0, "openssl cms -decrypt as \(party): \(decrypted.stderr)")
        let verified = try Self.openssl(["cms", "-verify", "-binary", "-inform", "DER", "-CAfile", keys.caCertificateURL.path], in: directory,
                                        stdin: decrypted.stdout)
        #expect(verified.status == 0, "openssl cms -verify: \(verified.stderr)")
        return String(decoding: verified.stdout, as: UTF8.self)
    }

    /// Runs the openssl command in `directory`.
    static func openssl(_ arguments: [String], in directory: URL, stdin: Data? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = directory
        let (output, errors, input) = (Pipe(), Pipe(), Pipe())
        (process.standardOutput, process.standardError, process.standardInput) = (output, errors, input)
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, String(decoding: stderr, as: UTF8.self))
    }

    /// A view as the SWV's secretary may see it in the preview (`AgendaAnswer.hiding`), computed
    /// here from a participant's full view and the SWV's own: a text only where the SWV's own
    /// view has it for the same item and name, never another participant's reference.
    static func hidden(_ view: [String: Any], swv: [String: Any]) -> [String: Any] {
        var visible = Set<String>()
        for item in swv["items"] as? [[String: Any]] ?? [] {
            for (name, text) in item["fields"] as? [String: String] ?? [:] { visible.insert("\(item["ref"]!)|\(name)|\(text)") }
        }
        var hidden = view
        hidden["items"] = (view["items"] as? [[String: Any]] ?? []).map { item -> [String: Any] in
            var copy = item
            if item["reference"] != nil { copy["reference"] = AgendaAnswer.hiddenReference }
            copy["fields"] = (item["fields"] as? [String: String] ?? [:]).reduce(into: [String: String]()) { fields, field in
                fields[field.key] = visible.contains("\(item["ref"]!)|\(field.key)|\(field.value)") ? field.value : AgendaAnswer.hiddenText
            }
            return copy
        }
        return hidden
    }

    /// JSON values compared as JSON (key order and formatting aside).
    static func same(_ a: Any, _ b: Any) -> Bool {
        guard let left = try? JSONSerialization.data(withJSONObject: a, options: [.sortedKeys]),
              let right = try? JSONSerialization.data(withJSONObject: b, options: [.sortedKeys]) else { return false }
        return left == right
    }
}
