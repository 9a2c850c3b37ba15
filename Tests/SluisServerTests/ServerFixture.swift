import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import SluisCovenant
@testable import SluisCrypto
@testable import SluisGateway
@testable import SluisServer
@testable import SluisStore

/// A gateway on a throwaway SQLite file and key directory, with delegates made for the test
/// (cheap scrypt parameters so that tests stay fast; production uses N = 2^17).
final class ServerFixture: @unchecked Sendable {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let directory: URL
    let configuration: ServerConfiguration
    let runtime: GatewayRuntime
    /// The gateway's clock: the real time plus an offset a test may advance (lockout tests).
    let clock = TestClock()
    var gateway: Gateway { runtime.gateway }
    let logs: CapturedLogs
    private(set) var secrets: [String: (password: String, totp: String)] = [:]

    /// Cheap scrypt for tests (production: N = 2^17, 128 MiB a check — which would also show as
    /// heap growth in the fuzz run's leak check when logins run beside it).
    static let hasher = PasswordHasher(logN: 10, r: 8, p: 1)

    /// Delegates: username → (role, party).
    static let delegates: [(String, DelegateRole, String)] = [
        ("lpa", .leerplichtambtenaar, "gemeente-goeree-overflakkee"),
        ("jeg", .consulentJeugdEnGezin, "gemeente-goeree-overflakkee"),
        ("zco", .zorgcoordinator, "sovogo"),
        ("zco-other", .zorgcoordinator, "horizon"),
        ("swv", .swvSecretaris, "swv-go"),
        ("jvk", .jeugdverpleegkundige, "cjg-rijnmond"),
        ("arts", .jeugdarts, "cjg-rijnmond"),
        ("fg-own", .fg, "sovogo"),
        ("fg-other", .fg, "horizon"),
        ("beheer", .beheerder, "sovogo"),
        ("beheer-other", .beheerder, "horizon"),
        ("beheer-gem", .beheerder, "gemeente-goeree-overflakkee"),
        ("beheer-swv", .beheerder, "swv-go"),
    ]

    /// The databases the gateway tests run on: SQLite always, PostgreSQL when
    /// `SLUIS_TEST_POSTGRES_URL` names a server (each fixture in a schema of its own).
    static let databases: [String] = ["sqlite"] + (postgresURL == nil ? [] : ["postgres"])
    /// Set and not empty (an empty value is unset, so the PostgreSQL variants are skipped, not failed).
    static var postgresURL: String? { ProcessInfo.processInfo.environment["SLUIS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }

    init(database: String = "sqlite") async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = ServerConfiguration()
        if database == "postgres", let url = Self.postgresURL {
            let schema = "g_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            configuration.database = .postgres(url: url + (url.contains("?") ? "&" : "?") + "schema=\(schema)")
        } else {
            configuration.database = .sqlite(path: directory.appendingPathComponent("sluis.sqlite").path)
        }
        configuration.keys = directory.appendingPathComponent("keys").path
        configuration.policies = Self.packageRoot.appendingPathComponent("Policies").path
        configuration.demo = false
        self.configuration = configuration
        // What `sluis keys init` makes: a production start (no demo) makes no key itself.
        _ = try DevelopmentKeys.ensure(KeyDirectory(configuration.keys),
                                       policy: try PolicyLoader.load(PolicySources.read(directory: configuration.policies)))
        runtime = try await GatewayRuntime.open(configuration, now: clock.now, passwordHasher: Self.hasher)
        logs = CapturedLogs()
        do {
            try await makeDelegates()
        } catch {
            await runtime.close()
            throw error
        }
    }

    private func makeDelegates() async throws {
        for (username, role, partyID) in Self.delegates {
            try await addDelegate(username, role: role, party: try #require(try await runtime.gateway.store.party(partyID)))
        }
    }

    /// One more delegate, for a test that needs a role at a party the list above does not have.
    func makeDelegate(_ username: String, _ role: DelegateRole, _ partyID: String) async throws {
        try await addDelegate(username, role: role, party: try #require(try await runtime.gateway.store.party(partyID)))
    }

    /// A delegate of `party` made for the test, afterwards logged in like the fixture's own
    /// (`client.login(fixture, username)`).
    func addDelegate(_ username: String, role: DelegateRole, party: PartyRecord) async throws {
        let password = "wachtwoord-\(username)-123"
        let (_, uri) = try await runtime.gateway.access.createDelegate(
            username: username, party: party, role: role, password: SecureBytes(Array(password.utf8)), hasher: Self.hasher)
        let secret = try #require(URLComponents(string: uri)?.queryItems?.first { $0.name == "secret" }?.value)
        secrets[username] = (password, secret)
    }

    /// "jhv", a jeugdhulpverlener of an acceded jeugdhulpaanbieder (art. 18; the accession itself
    /// is tested in AccessionTests).
    func addJeugdhulpverlener() async throws {
        let party = PartyRecord(id: "jeugdhulp-verzuim", kind: .jeugdhulpaanbieder, name: "Jeugdhulp", status: .active)
        try await gateway.store.upsert(party: party, created: "2026-11-30T00:00:00.000Z")
        try await addDelegate("jhv", role: .jeugdhulpverlener, party: party)
    }

    /// Runs `body` against a fresh fixture's router and closes the fixture afterwards, also
    /// when `body` fails (an unclosed database connection would abort the test process).
    static func with(database: String = "sqlite", _ body: @escaping @Sendable (ServerFixture, any TestClientProtocol) async throws -> Void) async throws {
        let fixture = try await ServerFixture(database: database)
        do {
            try await fixture.application.test(.router) { client in try await body(fixture, client) }
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    func close() async {
        await runtime.close()
        try? FileManager.default.removeItem(at: directory)
    }

    var application: some ApplicationProtocol { application(gateway) }

    func application(_ gateway: Gateway) -> some ApplicationProtocol {
        let logger = Logger(label: "sluis-test") { _ in CapturingLogHandler(logs: self.logs) }
        return Application(router: buildRouter(gateway: gateway, logger: logger), logger: logger)
    }

    /// Runs `body` with a client of a second gateway instance on the same database and clock
    /// (as several gateways share one PostgreSQL), closed afterwards.
    func withSecondInstance(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let second = try await GatewayRuntime.open(configuration, now: clock.now, passwordHasher: Self.hasher)
        do {
            try await application(second.gateway).test(.router) { client in try await body(client) }
        } catch {
            await second.close()
            throw error
        }
        await second.close()
    }

    func totp(_ username: String, offsetSteps: Int64 = 0) throws -> String {
        let secret = try #require(Base32.decode(secrets[username]!.totp))
        return try TOTP(secret: SecureBytes(secret)).code(at: Int64(clock.now().timeIntervalSince1970) + 30 * offsetSteps)
    }
}

/// The real time plus an offset that only grows.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0
    var now: @Sendable () -> Date { { [self] in lock.lock(); defer { lock.unlock() }; return Date().addingTimeInterval(offset) } }
    func advance(by seconds: TimeInterval) { lock.lock(); offset += seconds; lock.unlock() }
}

/// Everything logged during a test, to prove no personal data reaches the logs.
final class CapturedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

struct CapturingLogHandler: LogHandler {
    let logs: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let error = event.error.map { " error=\($0)" } ?? ""
        logs.append("\(event.level) \(event.message) \(all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))\(error)")
    }
}

extension TestClientProtocol {
    /// A JSON request; returns status, headers and the body as text.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            (response.status, response.headers, String(buffer: response.body))
        }
    }

    func login(_ fixture: ServerFixture, _ username: String) async throws -> String {
        let secret = fixture.secrets[username]!
        let result = try await call(.post, "/v1/sessions",
                                    json: #"{"username":"\#(username)","password":"\#(secret.password)","code":"\#(try fixture.totp(username))"}"#)
        #expect(result.status == .created, "login \(username): \(result.body)")
        let object = try JSONSerialization.jsonObject(with: Data(result.body.utf8)) as? [String: Any]
        return object?["token"] as? String ?? ""
    }
}

extension TestClientProtocol {
    /// The newest case the delegate's party takes part in, by that party's own reference.
    func newestCaseRef(_ token: String) async throws -> String {
        let cases = jsonArray(try await call(.get, "/v1/cases", token: token).body)
        return try #require(cases.first?["id"] as? String)
    }
}

extension ServerFixture {
    /// A disclosure's sealed bundle as its recipient fetches it over HTTP, opened with the
    /// recipient party's key and the sender's signature checked: the plaintext JSON.
    func openedBundle(_ client: some TestClientProtocol, disclosure id: String, token: String, recipient: String, sender: String) async throws -> String {
        let fetched = try await client.execute(uri: "/v1/mailbox/\(id)/bundle", method: .get, headers: [.authorization: "Bearer \(token)"]) { $0 }
        let credentials = try gateway.credentials.credentials(recipient)
        let opened = try SealedBundle.open(Array(buffer: fetched.body), recipient: credentials.certificate, key: credentials.key,
                                           trust: gateway.trust, expectedSigner: try gateway.credentials.certificate(sender))
        return String(decoding: opened.plaintext.bytes, as: UTF8.self)
    }

    /// One giver's answer as JSON, for consent bodies (art. 6.1 sub c: with its evidence).
    static func given(_ giver: String, answer: String = "given", on day: String = "2026-11-01", evidence: String = "formulier") -> String {
        #"{"giver":"\#(giver)","answer":"\#(answer)","answeredOn":"\#(day)","evidence":"\#(evidence)"}"#
    }
}

func jsonObject(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

func jsonArray(_ text: String) -> [[String: Any]] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? []
}
