import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisCovenant
@testable import SluisCrypto
@testable import SluisGateway
import SluisRegister
import SQLKit
@testable import SluisServer
@testable import SluisStore

/// The anonymous verzuimoverleg (verzuimprotocol 5.4.1; Bijlage 3.1): the school's filtered
/// list, shared without personal data with the leerplichtambtenaar and the
/// jeugdverpleegkundige, each pupil under a reference of that recipient's own; the recipients'
/// own notes.
@Suite("Verzuimoverleg over HTTP", .serialized)
struct VerzuimoverlegTests {
    static let gemeente = "gemeente-goeree-overflakkee", cjg = "cjg-rijnmond"
    /// The pupils the filter puts on the list; P-0004 (16 hours: a DUO melding is due), P-0005
    /// (authorised hours only) and P-0006 (luxury absence: always DUO) stay off it.
    static let listed = ["P-0001", "P-0002", "P-0003"]
    static let all = listed + ["P-0004", "P-0005", "P-0006"]

    /// Registrations of the last two weeks, counted back from the gateway's today.
    static func file(_ fixture: ServerFixture) -> String {
        let today = CalendarDate.amsterdam(fixture.clock.now())
        func day(_ back: Int) -> String { today.adding(days: -back).description }
        return """
            pupil,date,kind,hours,unit
            P-0001,\(day(3)),ongeoorloofd,3,lesuur
            P-0002,\(day(6)),te-laat,,
            P-0002,\(day(2)),te-laat,,
            P-0003,\(day(1)),ziek,,
            P-0004,\(day(5)),ongeoorloofd,8,lesuur
            P-0004,\(day(4)),ongeoorloofd,8,lesuur
            P-0005,\(day(3)),geoorloofd,4,lesuur
            P-0006,\(day(10)),luxe,5,lesuur

            """
    }

    struct Setup {
        let zco: String, lpa: String, jvk: String
        /// The school's list id, and each recipient's own id for it.
        let list: String, lpaList: String, jvkList: String
        let today: CalendarDate
    }

    /// The school imports and shares a list with both recipients.
    func setUp(_ fixture: ServerFixture, _ client: some TestClientProtocol, meetingIn days: Int = 0) async throws -> Setup {
        let zco = try await client.login(fixture, "zco"), lpa = try await client.login(fixture, "lpa"), jvk = try await client.login(fixture, "jvk")
        let imported = try await client.upload(Self.file(fixture), token: zco)
        #expect(imported.status == .created, "\(imported.body)")
        let today = CalendarDate.amsterdam(fixture.clock.now())
        let list = try await share(client, zco, meeting: today.adding(days: days), recipients: [Self.gemeente, Self.cjg])
        return Setup(zco: zco, lpa: lpa, jvk: jvk, list: list, lpaList: try await newestList(client, lpa), jvkList: try await newestList(client, jvk),
                     today: today)
    }

    func share(_ client: some TestClientProtocol, _ token: String, meeting: CalendarDate, recipients: [String], leaveOut: [String]? = nil) async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["meetingDate": meeting.description, "recipients": recipients,
                                                               "leaveOut": leaveOut ?? []])
        let shared = try await client.call(.post, "/v1/verzuimoverleg/lists", token: token, json: String(decoding: body, as: UTF8.self))
        #expect(shared.status == .created, "\(shared.body)")
        return try #require(jsonObject(shared.body)["id"] as? String)
    }

    func newestList(_ client: some TestClientProtocol, _ token: String) async throws -> String {
        try #require(jsonArray(try await client.call(.get, "/v1/verzuimoverleg/shared", token: token).body).first?["id"] as? String)
    }

    func pupils(_ client: some TestClientProtocol, _ token: String, _ list: String) async throws -> [[String: Any]] {
        let read = try await client.call(.get, "/v1/verzuimoverleg/shared/\(list)", token: token)
        #expect(read.status == .ok, "\(read.body)")
        return jsonObject(read.body)["pupils"] as? [[String: Any]] ?? []
    }

    @Test("Bijlage 3.1 sub 4: each recipient's list has no pupil key, name or birth date — counts under references of its own, unlinkable between recipients, stable across lists",
          arguments: ServerFixture.databases)
    func bijlage3_1_listsCarryNoPersonalDataAndReferencesOfTheRecipientsOwn(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            var references: [String: [String]] = [:]
            for (name, token, list) in [("lpa", s.lpa, s.lpaList), ("jvk", s.jvk, s.jvkList)] {
                let read = try await client.call(.get, "/v1/verzuimoverleg/shared/\(list)", token: token)
                for key in Self.all { #expect(!read.body.contains(key), "\(name) sees the school's key \(key)") }
                let document = jsonObject(read.body)
                #expect(document["school"] as? String == "sovogo" && document["windowFrom"] as? String == s.today.adding(days: -27).description)
                let pupils = document["pupils"] as? [[String: Any]] ?? []
                #expect(pupils.count == Self.listed.count)
                #expect(pupils.allSatisfy { Set($0.keys) == ["reference", "counts", "notes"] }, "only a reference, counts and notes")
                #expect(pupils.allSatisfy { Set(($0["counts"] as? [String: Any] ?? [:]).keys)
                    .isSubset(of: ["unauthorisedHours", "authorisedHours", "hourUnit", "lateArrivals", "sickReports"]) })
                for forbidden in ["name", "birthDate", "pupil", "bsn", "address", "caseId"] { #expect(!read.body.contains("\"\(forbidden)\"")) }
                let refs = pupils.compactMap { $0["reference"] as? String }
                #expect(refs == refs.sorted(), "ordered by the recipient's own reference, not by the school's key")
                references[name] = refs
            }
            #expect(Set(references["lpa"]!).isDisjoint(with: references["jvk"]!), "two recipients cannot link their references")
            // The counts are the filter's, the same for both.
            let lpaCounts = try await pupils(client, s.lpa, s.lpaList).map { $0["counts"] as? [String: Any] ?? [:] }
            #expect(lpaCounts.map { $0["unauthorisedHours"] as? Double ?? -1 }.sorted() == [0, 0, 3])
            #expect(lpaCounts.map { $0["lateArrivals"] as? Int ?? -1 }.sorted() == [0, 0, 2])
            #expect(lpaCounts.map { $0["sickReports"] as? Int ?? -1 }.sorted() == [0, 0, 1])
            // A list for the next meeting: the same pupils under the same references.
            _ = try await share(client, s.zco, meeting: s.today.adding(days: 42), recipients: [Self.gemeente, Self.cjg])
            let next = try await newestList(client, s.lpa)
            #expect(next != s.lpaList)
            #expect(try await pupils(client, s.lpa, next).compactMap { $0["reference"] as? String } == references["lpa"])
            // The school sees its own list with its own keys, and to whom it went.
            let own = jsonObject(try await client.call(.get, "/v1/verzuimoverleg/lists/\(s.list)", token: s.zco).body)
            #expect((own["pupils"] as? [[String: Any]])?.compactMap { $0["pupil"] as? String } == Self.listed)
            let shared = own["sharedWith"] as? [[String: Any]] ?? []
            #expect(shared.map { $0["recipient"] as? String } == [Self.cjg, Self.gemeente])
            #expect(shared.map { $0["recipientRole"] as? String } == [nil, "leerplicht"])
            // Each share is a disclosure on the register: no subject, no key, no reference.
            let entries = try await fixture.gateway.register.list(.init(limit: 100)).entries.filter { $0.forum == "verzuimoverleg" }
            #expect(entries.count == 4 && entries.allSatisfy {
                $0.operation == "disclose" && $0.decision == "permit" && $0.released == ["absence"] && $0.subject == nil && $0.sender == "sovogo"
                    && $0.subjectCount == Int64(Self.listed.count)
            })
            #expect(Set(entries.map { "\($0.recipient ?? "")/\($0.recipientRole ?? "")" }) == ["\(Self.gemeente)/leerplicht", "\(Self.cjg)/"])
            for entry in entries {
                let body = String(decoding: entry.canonicalJSON, as: UTF8.self)
                for secret in Self.all + references["lpa"]! + references["jvk"]! { #expect(!body.contains(secret)) }
            }
            // Another school's zorgcoördinator does not find the list.
            let other = try await client.login(fixture, "zco-other")
            #expect(try await client.call(.get, "/v1/verzuimoverleg/lists/\(s.list)", token: other).status == .notFound)
        }
    }

    @Test("Bijlage 3.1 sub 1: only the leerplichtambtenaar and the jeugdverpleegkundige read a list — not the jeugdarts, a jeugdhulpverlener, the SWV or another school",
          arguments: ServerFixture.databases)
    func bijlage3_1_onlyTheParticipantsReadAList(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            for username in ["arts", "swv", "jeg", "zco-other", "fg-own"] {
                let token = try await client.login(fixture, username)
                let read = try await client.call(.get, "/v1/verzuimoverleg/shared/\(s.lpaList)", token: token)
                #expect(read.status == .forbidden && jsonObject(read.body)["article"] as? String == "verzuimprotocol 5.4.1; Bijlage 3.1 sub 1 en 4",
                        "\(username): \(read.body)")
                #expect(try await client.call(.get, "/v1/verzuimoverleg/shared", token: token).status == .forbidden)
            }
            try await fixture.addJeugdhulpverlener()
            let jhv = try await client.login(fixture, "jhv")
            #expect(try await client.call(.get, "/v1/verzuimoverleg/shared/\(s.lpaList)", token: jhv).status == .forbidden)
            // One recipient's id for the list is no handle for the other.
            #expect(try await client.call(.get, "/v1/verzuimoverleg/shared/\(s.lpaList)", token: s.jvk).status == .notFound)
            #expect(try await client.call(.get, "/v1/verzuimoverleg/shared/\(s.list)", token: s.lpa).status == .notFound)
            // The school shares only with those two: not the SWV, not another school.
            for recipient in ["swv-go", "horizon"] {
                let body = #"{"meetingDate":"\#(s.today)","recipients":["\#(recipient)"]}"#
                let refused = try await client.call(.post, "/v1/verzuimoverleg/lists", token: s.zco, json: body)
                #expect(refused.status == .forbidden && jsonObject(refused.body)["article"] as? String == "verzuimprotocol 5.4.1; Bijlage 3.1 sub 1",
                        "\(recipient): \(refused.body)")
            }
            #expect(try await fixture.gateway.register.list(.init(limit: 100)).entries.filter { $0.forum == "verzuimoverleg" }.count == 2)
            #expect(try await client.call(.post, "/v1/verzuimoverleg/lists", token: s.lpa,
                                          json: #"{"meetingDate":"\#(s.today)","recipients":["cjg-rijnmond"]}"#).status == .forbidden)
        }
    }

    @Test("Verzuimprotocol 5.4, Bijlage 3.1 (interpretation): a recipient's notes stay with its own reference and its own unit, encrypted",
          arguments: ServerFixture.databases)
    func protocol5_4NotesArePrivateToTheirUnit(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            let lpaRef = try #require(try await pupils(client, s.lpa, s.lpaList).first?["reference"] as? String)
            let jvkRef = try #require(try await pupils(client, s.jvk, s.jvkList).first?["reference"] as? String)
            let text = "Mentor belt ouders; terug in het volgende overleg"
            let noted = try await client.call(.post, "/v1/verzuimoverleg/references/\(lpaRef)/notes", token: s.lpa, json: #"{"text":"\#(text)"}"#)
            #expect(noted.status == .created, "\(noted.body)")
            #expect(try await pupils(client, s.lpa, s.lpaList).first { $0["reference"] as? String == lpaRef }
                .flatMap { ($0["notes"] as? [[String: Any]])?.first?["text"] as? String } == text)
            // The jeugdverpleegkundige neither reads nor writes on the leerplicht's reference.
            #expect(try await client.call(.post, "/v1/verzuimoverleg/references/\(lpaRef)/notes", token: s.jvk,
                                          json: #"{"text":"poging"}"#).status == .notFound)
            #expect(try await pupils(client, s.jvk, s.jvkList).allSatisfy { ($0["notes"] as? [Any])?.isEmpty == true })
            #expect(try await client.call(.post, "/v1/verzuimoverleg/references/\(jvkRef)/notes", token: s.jvk,
                                          json: #"{"text":"eigen notitie"}"#).status == .created)
            // The jeugdarts of the same CJG may not write (Bijlage 3.1 names the jeugdverpleegkundige).
            let arts = try await client.login(fixture, "arts")
            #expect(try await client.call(.post, "/v1/verzuimoverleg/references/\(jvkRef)/notes", token: arts, json: #"{"text":"x"}"#).status == .forbidden)
            // A note is one line of plain text, of bounded length.
            for bad in [#"{"text":"regel\neen"}"#, #"{"text":"\u202Eomgekeerd"}"#, #"{"text":""}"#,
                        #"{"text":"\#(String(repeating: "a", count: Gateway.maxNoteLength + 1))"}"#] {
                #expect(try await client.call(.post, "/v1/verzuimoverleg/references/\(lpaRef)/notes", token: s.lpa, json: bad).status == .badRequest)
            }
            // The note follows the reference into the next list.
            _ = try await share(client, s.zco, meeting: s.today.adding(days: 42), recipients: [Self.gemeente])
            let next = try await pupils(client, s.lpa, try await newestList(client, s.lpa))
            #expect(next.first { $0["reference"] as? String == lpaRef }.flatMap { ($0["notes"] as? [Any])?.count } == 1)
            if case .sqlite(let path) = fixture.configuration.database {
                var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                bytes += (try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data()
                #expect(bytes.range(of: Data("Mentor belt ouders".utf8)) == nil, "the note is stored encrypted")
            }
        }
    }

    @Test("Verzuimprotocol 5.4.1: the school leaves pupils off after discussing them internally; a pupil not on the list is refused without echoing the key",
          arguments: ServerFixture.databases)
    func protocol5_4_1_theSchoolChoosesWhatToDiscuss(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco"), lpa = try await client.login(fixture, "lpa")
            // Nothing imported yet: nobody on the list, nothing shared.
            let today = CalendarDate.amsterdam(fixture.clock.now())
            let empty = try await client.call(.post, "/v1/verzuimoverleg/lists", token: zco, json: #"{"meetingDate":"\#(today)","recipients":["gemeente-goeree-overflakkee"]}"#)
            #expect(empty.status == .conflict, "\(empty.body)")
            #expect(try await client.upload(Self.file(fixture), token: zco).status == .created)
            let candidates = jsonObject(try await client.call(.get, "/v1/verzuimoverleg/candidates", token: zco).body)
            #expect((candidates["pupils"] as? [[String: Any]])?.compactMap { $0["pupil"] as? String } == Self.listed)
            let stray = try await client.call(.post, "/v1/verzuimoverleg/lists", token: zco,
                                              json: #"{"meetingDate":"\#(today)","recipients":["gemeente-goeree-overflakkee"],"leaveOut":["P-0004"]}"#)
            #expect(stray.status == .badRequest && jsonObject(stray.body)["field"] as? String == "leaveOut[0]" && !stray.body.contains("P-0004"))
            for body in [#"{"meetingDate":"\#(today.adding(days: -1))","recipients":["gemeente-goeree-overflakkee"]}"#,
                         #"{"meetingDate":"\#(today)","recipients":["gemeente-goeree-overflakkee","gemeente-goeree-overflakkee"]}"#,
                         #"{"meetingDate":"\#(today)","recipients":["geen-partij"]}"#, #"{"meetingDate":"\#(today)","recipients":[]}"#] {
                #expect(try await client.call(.post, "/v1/verzuimoverleg/lists", token: zco, json: body).status == .badRequest, "\(body)")
            }
            let list = try await share(client, zco, meeting: today.adding(days: 7), recipients: [Self.gemeente], leaveOut: ["P-0002"])
            let own = jsonObject(try await client.call(.get, "/v1/verzuimoverleg/lists/\(list)", token: zco).body)
            #expect((own["pupils"] as? [[String: Any]])?.compactMap { $0["pupil"] as? String } == ["P-0001", "P-0003"])
            #expect(try await pupils(client, lpa, try await newestList(client, lpa)).count == 2)
            #expect(jsonArray(try await client.call(.get, "/v1/verzuimoverleg/lists", token: zco).body).first?["pupils"] as? Int == 2)
        }
    }

    @Test("Bijlage 3.1 sub 1: a list shared with the gemeente and the CJG goes to both or to neither — a real constraint failure on the second share leaves no list, no share, no register entry",
          arguments: ServerFixture.databases)
    func bijlage3_1_shareToBothRecipientsIsAllOrNothing(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco"), lpa = try await client.login(fixture, "lpa"), jvk = try await client.login(fixture, "jvk")
            #expect(try await client.upload(Self.file(fixture), token: zco).status == .created)
            let today = CalendarDate.amsterdam(fixture.clock.now())
            let body = #"{"meetingDate":"\#(today)","recipients":["\#(Self.gemeente)","\#(Self.cjg)"]}"#
            // A real failure on the second recipient: both shares are of one list, and this index
            // lets a list be shared once only — the database refuses the CJG's share row.
            let sql = fixture.gateway.store.sql
            try await sql.raw("CREATE UNIQUE INDEX test_one_share_per_list ON verzuimoverleg_shares (list_id)").run()
            let size = await fixture.gateway.register.size
            let failed = try await client.call(.post, "/v1/verzuimoverleg/lists", token: zco, json: body)
            #expect(failed.status == .serviceUnavailable, "\(failed.body)")
            #expect(jsonObject(failed.body)["code"] as? String == "sluis:register-unavailable")
            // Nothing went anywhere: not to the gemeente either, and nothing is on the register.
            #expect(jsonArray(try await client.call(.get, "/v1/verzuimoverleg/lists", token: zco).body).isEmpty)
            #expect(jsonArray(try await client.call(.get, "/v1/verzuimoverleg/shared", token: lpa).body).isEmpty)
            #expect(jsonArray(try await client.call(.get, "/v1/verzuimoverleg/shared", token: jvk).body).isEmpty)
            for table in ["verzuimoverleg_lists", "verzuimoverleg_items", "verzuimoverleg_shares"] {
                let rows = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self)
                #expect(rows == 0, "\(table)")
            }
            #expect(await fixture.gateway.register.size == size)
            #expect(try await fixture.gateway.register.verifyAll().problem == nil)
            // Without the failure the same request reaches both, their disclosures in one commit.
            try await sql.raw("DROP INDEX test_one_share_per_list").run()
            let shared = try await client.call(.post, "/v1/verzuimoverleg/lists", token: zco, json: body)
            #expect(shared.status == .created, "\(shared.body)")
            let entries = try await fixture.gateway.register.list(.init(limit: 100)).entries.filter { $0.forum == "verzuimoverleg" }
            #expect(entries.count == 2 && Set(entries.map(\.index)) == [size, size + 1])
            #expect(try await fixture.gateway.register.checkpoints(after: size).map { $0.size } == [size + 2], "one commit signs both")
        }
    }

    @Test("Bijlage 3.1 (interpretation): the engine decides the verzuimoverleg's counts the same at every age in the covenant's scope")
    func bijlage3_1_theDecisionDoesNotDependOnAge() throws {
        let policy = try PolicyLoader.load(directory: ServerFixture.packageRoot.appendingPathComponent("Policies").path)
        let engine = DecisionEngine(policy: policy)
        let school = PartyRef(kind: .schoolbestuur)
        for recipient in [PartyRef(kind: .gemeente, role: .leerplicht), PartyRef(kind: .jgz)] {
            let asked = Gateway.verzuimoverlegRequest(sender: school, recipient: recipient)
            let answer = engine.evaluate(asked)
            #expect(Gateway.permitsCounts(answer), "\(answer.reasons)")
            for age in policy.scope.fromAge...policy.scope.toAge {
                var request = asked
                request.pupil.age = age
                #expect(engine.evaluate(request) == answer, "age \(age)")
            }
        }
    }
}
