import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import SluisCovenant
@testable import SluisCrypto
@testable import SluisGateway
import SluisRegister
import SluisStore

/// The harness of the casework scenario (issue 10 item 8): one made-up pupil, every party's
/// sessions, what each party could see through the API at a moment, and what the register
/// gained since the last look. The steps themselves are in `CaseworkScenarioTests`.
final class CaseworkScenario {
    let fixture: ServerFixture
    let client: any TestClientProtocol

    /// The pupil as the school knows it: made up, no real person. The school's own pupil key
    /// (the absence file's `pupil`) and the identity the school brings in with the case.
    static let schoolKey = "VO-2741"
    static let name = "Testnaam Scenariokind"
    static let bsn = "123456782"
    /// 13 years old for the whole scenario (fn 28: parent and pupil consent), 14 in 150 days.
    let birthDate: CalendarDate
    /// The day the scenario starts (the gateway's today, Europe/Amsterdam).
    let start: CalendarDate

    static let school = "sovogo", gemeente = "gemeente-goeree-overflakkee", cjg = "cjg-rijnmond", swv = "swv-go"
    /// Every delegate that could look: the school's zorgcoördinator, FG and beheerder, another
    /// school's zorgcoördinator, the leerplichtambtenaar and the consulent jeugd en gezin, the
    /// jeugdverpleegkundige and the jeugdarts, the SWV and a jeugdhulpverlener of an acceded
    /// jeugdhulpaanbieder.
    static let everyone = ["zco", "fg-own", "beheer", "zco-other", "lpa", "jeg", "jvk", "arts", "swv", "jhv"]
    /// The parts of the API where a party finds what reached it: its cases (with its case views),
    /// its mailbox, the verzuimoverleg lists shared with it, and the school's own absence views.
    static let doors = ["/v1/cases", "/v1/mailbox", "/v1/verzuimoverleg/shared", "/v1/absence/signals",
                        "/v1/verzuimoverleg/candidates", "/v1/verzuimoverleg/lists"]

    private(set) var tokens: [String: String] = [:]
    /// The index of the last register entry looked at.
    private var registerSeen: Int64?

    init(_ fixture: ServerFixture, _ client: any TestClientProtocol) async throws {
        self.fixture = fixture
        self.client = client
        start = CalendarDate.amsterdam(fixture.clock.now())
        let birthday = start.adding(days: 150)
        birthDate = CalendarDate(year: birthday.year - 14, month: birthday.month, day: birthday.day)
            ?? CalendarDate(year: birthday.year - 14, month: 3, day: 1)!
        try await fixture.addJeugdhulpverlener()
        try await logIn()
    }

    var today: CalendarDate { CalendarDate.amsterdam(fixture.clock.now()) }

    /// Everyone logs in (again): after the clock moved on, the sessions of before have expired.
    func logIn() async throws {
        for username in Self.everyone { tokens[username] = try await client.login(fixture, username) }
    }

    /// Moves the gateway's clock on to `day` (at least one day) and logs everyone in again.
    func advance(to day: CalendarDate) async throws {
        let days = day.dayNumber - today.dayNumber
        #expect(days > 0)
        fixture.clock.advance(by: TimeInterval(days) * 86_400)
        try await logIn()
    }

    func token(_ username: String) -> String { tokens[username]! }

    // MARK: Calls

    typealias Answer = (status: HTTPResponse.Status, headers: HTTPFields, body: String)

    func get(_ username: String, _ path: String) async throws -> Answer {
        try await client.call(.get, path, token: token(username))
    }

    func post(_ username: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Answer {
        try await client.call(.post, path, token: token(username), json: try body.map(Self.json))
    }

    func patch(_ username: String, _ path: String, _ body: [String: Any]) async throws -> Answer {
        try await client.call(.patch, path, token: token(username), json: try Self.json(body))
    }

    static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    func upload(_ csv: String) async throws -> Answer {
        try await client.upload(csv, token: token("zco"))
    }

    // MARK: What each party sees

    /// What `username` finds behind every door: the status and the body, as text.
    func look(_ username: String) async throws -> [String: String] {
        var seen: [String: String] = [:]
        for door in Self.doors {
            let answer = try await get(username, door)
            var body = answer.body
            if answer.status != .ok {
                // A problem's instance and trace id are new on every request; its code is what it says.
                body = jsonObject(body)["code"] as? String ?? body
            } else if door == "/v1/verzuimoverleg/candidates" {
                // The window moves with the day; what the school sees is who is on its list.
                body = try Self.json(jsonObject(body)["pupils"] ?? [Any]())
            }
            seen[door] = "\(answer.status.code) \(body)"
        }
        return seen
    }

    /// Everyone's look.
    func lookAll() async throws -> [String: [String: String]] {
        var all: [String: [String: String]] = [:]
        for username in Self.everyone { all[username] = try await look(username) }
        return all
    }

    /// A look with the case views' "a DUO melding exists, when, by whom" left out — the one thing
    /// a melding changes for a participant other than the school and the leerplicht (protocol 5.4;
    /// Bijlage 3.3 sub 5).
    static func withoutMeldingState(_ look: [String: String]) throws -> [String: String] {
        var result = look
        guard let seen = look["/v1/cases"], let space = seen.firstIndex(of: " ") else { return result }
        let cases = jsonArray(String(seen[seen.index(after: space)...]))
            .map { $0.filter { !["duoMelding", "duoMeldingDate", "duoMeldingBy"].contains($0.key) } }
        result["/v1/cases"] = String(seen[..<space]) + " " + (try json(cases))
        return result
    }

    /// The personal data of the pupil that may show only where the source lets it: the name,
    /// birth date and BSN (art. 5.1 sub a–b), and the school's own pupil key.
    var personal: [String] { [Self.name, birthDate.description, Self.bsn, Self.schoolKey] }

    /// `text` holds none of the pupil's personal data.
    func holdsNothingPersonal(_ text: String) -> Bool {
        personal.allSatisfy { !text.contains($0) }
    }

    // MARK: The register (art. 15)

    /// The entries appended since the last call, oldest first.
    func newEntries() async throws -> [RegisterEntry] {
        let entries = try await fixture.gateway.register.list(RegisterFilter(after: registerSeen, limit: RegisterFilter.maxLimit)).entries
        if let last = entries.last { registerSeen = last.index }
        return entries
    }

    /// The entries appended since the last call, each checked to hold none of the pupil's
    /// personal data.
    func registered() async throws -> [RegisterEntry] {
        let entries = try await newEntries()
        for entry in entries {
            #expect(holdsNothingPersonal(String(decoding: entry.canonicalJSON, as: UTF8.self)), "register entry \(entry.index)")
        }
        return entries
    }

    // MARK: The case

    /// The newest case of `username`'s party, by that party's own reference.
    func caseRef(_ username: String) async throws -> String {
        try await client.newestCaseRef(token(username))
    }

    func caseView(_ username: String, _ ref: String) async throws -> [String: Any] {
        let answer = try await get(username, "/v1/cases/\(ref)")
        #expect(answer.status == .ok, "\(username): \(answer.body)")
        return jsonObject(answer.body)
    }

    /// The mailbox of `username`: its disclosures and its notices.
    func mailbox(_ username: String) async throws -> (disclosures: [[String: Any]], notices: [[String: Any]]) {
        let box = jsonObject(try await get(username, "/v1/mailbox").body)
        return (box["disclosures"] as? [[String: Any]] ?? [], box["notices"] as? [[String: Any]] ?? [])
    }

    /// A bundle in `username`'s mailbox, fetched and opened with its party's key, signed by `sender`.
    func openBundle(_ username: String, party: String, item: String, sender: String) async throws -> [String: Any] {
        let fetched = try await client.execute(uri: "/v1/mailbox/\(item)/bundle", method: .get,
                                               headers: [.authorization: "Bearer \(token(username))"]) { $0 }
        #expect(fetched.status == .ok)
        let credentials = try fixture.gateway.credentials.credentials(party)
        let opened = try SealedBundle.open(Array(buffer: fetched.body), recipient: credentials.certificate, key: credentials.key,
                                           trust: fixture.gateway.trust, expectedSigner: try fixture.gateway.credentials.certificate(sender))
        return jsonObject(String(decoding: opened.plaintext.bytes, as: UTF8.self))
    }
}
