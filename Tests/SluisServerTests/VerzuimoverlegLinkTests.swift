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

/// Linking the anonymous verzuimoverleg to the case (issue 10 item 3, second half; verzuimprotocol
/// 5.4, 5.4.1; Bijlage 3.1): once the school made a DUO melding that names its pupil key, the
/// leerplichtambtenaar in the case links the meetings and notes under his own reference — on
/// the register, once, seen by him alone.
@Suite("Verzuimoverleg linked to the case", .serialized)
struct VerzuimoverlegLinkTests {
    typealias Answer = (status: HTTPResponse.Status, headers: HTTPFields, body: String)
    static let leerplicht = "gemeente-goeree-overflakkee/leerplicht"
    /// The school's own key of the pupil of the case: on the list (3 unauthorised hours).
    static let pupil = "P-0001"

    struct Setup {
        let parties: AuthorityTests.Parties
        let zco: String, lpa: String, jvk: String
        /// The leerplicht's and the jeugdverpleegkundige's own references for the pupil.
        let lpaReference: String, jvkReference: String
        let lpaNote: String, jvkNote: String
        var ref: (String) -> String { { parties.refs[$0]! } }
    }

    /// A school case with gemeente, SWV and CJG; the school's absence file; a list shared with
    /// both recipients; each writes a note on its own reference for the pupil.
    func setUp(_ fixture: ServerFixture, _ client: some TestClientProtocol) async throws -> Setup {
        let parties = try await AuthorityTests().setUp(fixture, client)
        let (zco, lpa, jvk) = (parties.zco, parties.lpa, parties.jvk)
        #expect(try await client.upload(VerzuimoverlegTests.file(fixture), token: zco).status == .created)
        let today = CalendarDate.amsterdam(fixture.clock.now())
        _ = try await VerzuimoverlegTests().share(client, zco, meeting: today, recipients: [VerzuimoverlegTests.gemeente, VerzuimoverlegTests.cjg])
        let lpaReference = try fixture.gateway.verzuimoverlegReference(school: "sovogo", pupil: Self.pupil, recipient: Self.leerplicht)
        let jvkReference = try fixture.gateway.verzuimoverlegReference(school: "sovogo", pupil: Self.pupil, recipient: VerzuimoverlegTests.cjg)
        let (lpaNote, jvkNote) = ("Mentor belt; terug in zes weken", "Geen zorgsignaal besproken")
        for (token, reference, text) in [(lpa, lpaReference, lpaNote), (jvk, jvkReference, jvkNote)] {
            let noted = try await client.call(.post, "/v1/verzuimoverleg/references/\(reference)/notes", token: token, json: #"{"text":"\#(text)"}"#)
            #expect(noted.status == .created, "\(noted.body)")
        }
        return Setup(parties: parties, zco: zco, lpa: lpa, jvk: jvk, lpaReference: lpaReference, jvkReference: jvkReference,
                     lpaNote: lpaNote, jvkNote: jvkNote)
    }

    func melding(_ client: some TestClientProtocol, _ s: Setup, reference: String, kind: String = "overig-verzuim", pupil: String? = pupil) async throws -> Answer {
        let key = pupil.map { #","pupil":"\#($0)""# } ?? ""
        return try await client.call(.post, "/v1/cases/\(s.ref("zco"))/duo-meldingen", token: s.zco,
                                     json: #"{"date":"2026-11-02","kind":"\#(kind)","reference":"\#(reference)"\#(key)}"#)
    }

    func link(_ client: some TestClientProtocol, _ token: String, _ ref: String) async throws -> Answer {
        try await client.call(.post, "/v1/cases/\(ref)/verzuimoverleg-link", token: token)
    }

    func links(_ fixture: ServerFixture) async throws -> [RegisterEntry] {
        try await fixture.gateway.register.list(.init(limit: 1000)).entries.filter { $0.operation == "link" }
    }

    @Test("Protocol 5.4, Bijlage 3.1: after the school's DUO melding the leerplichtambtenaar links his earlier anonymous discussion — his meetings' counts and his own notes in his case view, one register entry under the case's pseudonym",
          arguments: ServerFixture.databases)
    func protocol5_4_leerplichtLinksTheAnonymousDiscussionAfterTheMelding(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            let recorded = try await melding(client, s, reference: "DUO-LINK-1")
            #expect(recorded.status == .created, "\(recorded.body)")
            #expect((jsonObject(recorded.body)["melding"] as? [String: Any])?["pupilKeyGiven"] as? Bool == true)
            #expect(!recorded.body.contains(Self.pupil), "the key is never shown back")
            let size = await fixture.gateway.register.size
            let linked = try await link(client, s.lpa, s.ref("lpa"))
            #expect(linked.status == .created, "\(linked.body)")
            let receipt = jsonObject(linked.body)
            #expect(receipt["linked"] as? Bool == true)
            let discussion = try #require(receipt["verzuimoverleg"] as? [String: Any])
            #expect(discussion["references"] as? [String] == [s.lpaReference])
            let meetings = discussion["meetings"] as? [[String: Any]] ?? []
            #expect(meetings.count == 1 && meetings.first?["school"] as? String == "sovogo" && meetings.first?["reference"] as? String == s.lpaReference)
            #expect((meetings.first?["counts"] as? [String: Any])?["unauthorisedHours"] as? Double == 3)
            #expect((discussion["notes"] as? [[String: Any]])?.compactMap { $0["text"] as? String } == [s.lpaNote])
            #expect(!linked.body.contains(s.jvkNote) && !linked.body.contains(s.jvkReference), "the CJG's own reference and notes stay the CJG's")
            // On the register: one entry, the link, under the case's register pseudonym — no key, no reference.
            let entries = try await links(fixture)
            let entry = try #require(entries.first)
            #expect(entries.count == 1 && entry.index == size && (receipt["register"] as? [String: Any])?["index"] as? Int == Int(size))
            let reidentified = try await fixture.gateway.register.list(.init(limit: 1000)).entries.first { $0.operation == "re-identify" }
            #expect(entry.subject != nil && entry.subject == reidentified?.subject)
            #expect(entry.activity == "verzuimoverleg-koppelen" && entry.sender == "gemeente-goeree-overflakkee" && entry.recipient == nil)
            #expect(entry.forum == "verzuimoverleg" && entry.purpose == "3.1.a" && entry.decision == "none" && entry.released.isEmpty)
            let body = String(decoding: entry.canonicalJSON, as: UTF8.self)
            for secret in [Self.pupil, s.lpaReference, s.lpaNote] { #expect(!body.contains(secret)) }
            // The leerplicht's case view shows it; linking again writes nothing and answers the same.
            let view = jsonObject(try await client.call(.get, "/v1/cases/\(s.ref("lpa"))", token: s.lpa).body)
            #expect(NSDictionary(dictionary: view["verzuimoverleg"] as? [String: Any] ?? [:]).isEqual(to: discussion))
            let again = try await link(client, s.lpa, s.ref("lpa"))
            #expect(again.status == .ok && jsonObject(again.body)["linked"] as? Bool == false && jsonObject(again.body)["register"] == nil)
            #expect(try await links(fixture).count == 1)
            #expect(try await fixture.gateway.register.verifyAll().problem == nil)
        }
    }

    @Test("Bijlage 3.1, art. 7.3: nobody else's view changes — the school, the jeugdverpleegkundige and the SWV see no link and none of the leerplicht's notes",
          arguments: ServerFixture.databases)
    func bijlage3_1_theLinkIsTheLeerplichtsAlone(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            let viewers = [("zco", s.zco), ("jvk", s.jvk), ("swv", s.parties.swv)]
            #expect(try await melding(client, s, reference: "DUO-LINK-2").status == .created)
            var before: [String: String] = [:]
            for (name, token) in viewers { before[name] = try await client.call(.get, "/v1/cases/\(s.ref(name))", token: token).body }
            let schoolList = try await client.call(.get, "/v1/verzuimoverleg/lists", token: s.zco).body
            #expect(try await link(client, s.lpa, s.ref("lpa")).status == .created)
            for (name, token) in viewers {
                let after = try await client.call(.get, "/v1/cases/\(s.ref(name))", token: token).body
                #expect(after == before[name], "\(name)'s case view is as it was before the link")
                #expect(jsonObject(after)["verzuimoverleg"] == nil && !after.contains(s.lpaNote) && !after.contains(s.lpaReference), "\(name)")
            }
            #expect(try await client.call(.get, "/v1/verzuimoverleg/lists", token: s.zco).body == schoolList)
            // The jeugdverpleegkundige's own list still shows only its own note.
            let jvkList = try await VerzuimoverlegTests().newestList(client, s.jvk)
            let shown = try await client.call(.get, "/v1/verzuimoverleg/shared/\(jvkList)", token: s.jvk).body
            #expect(shown.contains(s.jvkNote) && !shown.contains(s.lpaNote))
        }
    }

    @Test("Protocol 5.4, Bijlage 3.1 (the DUO melding lifts the anonymity for leerplicht only; for the jeugdverpleegkundige only the parents' consent does): nobody else links — not the jeugdverpleegkundige, the school, the SWV, the consulent, another school",
          arguments: ServerFixture.databases)
    func bijlage3_1_onlyTheLeerplichtambtenaarLinks(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            #expect(try await melding(client, s, reference: "DUO-LINK-3").status == .created)
            let article = AuthorityTable.rule(.linkVerzuimoverleg).article
            for (name, token, ref) in [("jvk", s.jvk, s.ref("jvk")), ("zco", s.zco, s.ref("zco")), ("swv", s.parties.swv, s.ref("swv")),
                                       ("jeg", s.parties.jeg, s.ref("lpa")), ("zco-other", s.parties.other, s.ref("zco"))] {
                let refused = try await link(client, token, ref)
                #expect(refused.status == .forbidden && jsonObject(refused.body)["article"] as? String == article, "\(name): \(refused.body)")
            }
            #expect(try await links(fixture).isEmpty, "no refused attempt reached the register")
        }
    }

    @Test("Protocol 5.4 (zonder DUO melding géén notities op persoonsniveau): no link before a melding, nor after one whose re-identification the engine denied",
          arguments: ServerFixture.databases)
    func protocol5_4_noLinkWithoutAReidentifyingMelding(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            let before = try await link(client, s.lpa, s.ref("lpa"))
            #expect(before.status == .forbidden && jsonObject(before.body)["article"] as? String == AuthorityTable.rule(.linkVerzuimoverleg).article,
                    "\(before.body)")
            // The pupil, born 2012-05-06, turns 18: out of the covenant's scope (art. 1.11), the engine denies.
            fixture.clock.advance(by: 4 * 366 * 86_400)
            let zco = try await client.login(fixture, "zco"), lpa = try await client.login(fixture, "lpa")
            let denied = try await client.call(.post, "/v1/cases/\(s.ref("zco"))/duo-meldingen", token: zco,
                                               json: #"{"date":"2026-11-02","kind":"overig-verzuim","reference":"DUO-LATE","pupil":"\#(Self.pupil)"}"#)
            #expect((jsonObject(denied.body)["reidentification"] as? [String: Any])?["decision"] as? String == "deny", "\(denied.body)")
            #expect(try await link(client, lpa, s.ref("lpa")).status == .forbidden)
            #expect(try await links(fixture).isEmpty)
        }
    }

    @Test("Bijlage 3.1 (interpretation): a melding without the pupil key links nothing until the school gives it — once, the same key again changes nothing, another is refused; one case, one pupil",
          arguments: ServerFixture.databases)
    func bijlage3_1_theSchoolGivesThePupilKeyLater(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            let recorded = try await melding(client, s, reference: "DUO-LINK-4", kind: "te-laat", pupil: nil)
            let melding = try #require(jsonObject(recorded.body)["melding"] as? [String: Any])
            #expect(melding["pupilKeyGiven"] as? Bool == false)
            let id = try #require(melding["id"] as? String)
            let missing = try await link(client, s.lpa, s.ref("lpa"))
            #expect(missing.status == .conflict && jsonObject(missing.body)["code"] as? String == "sluis:duo-melding-pupil-key-missing", "\(missing.body)")
            let path = "/v1/cases/\(s.ref("zco"))/duo-meldingen/\(id)/pupil"
            // Only the board that made it gives it; a key is a key, and is not echoed.
            #expect(try await client.call(.post, "/v1/cases/\(s.ref("lpa"))/duo-meldingen/\(id)/pupil", token: s.lpa, json: #"{"pupil":"P-0001"}"#).status == .forbidden)
            let bad = try await client.call(.post, path, token: s.zco, json: #"{"pupil":"Jan de Vries"}"#)
            #expect(bad.status == .badRequest && jsonObject(bad.body)["field"] as? String == "pupil" && !bad.body.contains("Vries"))
            let given = try await client.call(.post, path, token: s.zco, json: #"{"pupil":"\#(Self.pupil)"}"#)
            #expect(given.status == .ok && jsonObject(given.body)["pupilKeyGiven"] as? Bool == true, "\(given.body)")
            #expect(try await client.call(.post, path, token: s.zco, json: #"{"pupil":"\#(Self.pupil)"}"#).status == .ok)
            let other = try await client.call(.post, path, token: s.zco, json: #"{"pupil":"P-0002"}"#)
            #expect(other.status == .conflict && jsonObject(other.body)["code"] as? String == "sluis:duo-melding-pupil-key-differs")
            // A second melding of the case that names another pupil is refused too, and leaves nothing.
            let second = try await self.melding(client, s, reference: "DUO-LINK-5", pupil: "P-0002")
            #expect(second.status == .conflict && jsonObject(second.body)["code"] as? String == "sluis:duo-melding-pupil-key-differs")
            #expect(try await link(client, s.lpa, s.ref("lpa")).status == .created)
        }
    }

    @Test("Contract absence.md, Bijlage 3.1: a melding that answered a signal names that signal's pupil — a key given later (a melding from before keys were kept) must be that pupil",
          arguments: ServerFixture.databases)
    func contractAbsence_keyGivenLaterIsTheAnsweredSignalsPupil(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            let signal = #"{"pupil":"\#(Self.pupil)","signal":"relatief-verzuim","since":"2026-10-20"}"#
            let recorded = try await client.call(.post, "/v1/cases/\(s.ref("zco"))/duo-meldingen", token: s.zco,
                                                 json: #"{"date":"2026-11-02","kind":"relatief-verzuim","reference":"DUO-SIG","signal":\#(signal)}"#)
            let melding = try #require(jsonObject(recorded.body)["melding"] as? [String: Any], "\(recorded.body)")
            #expect(melding["pupilKeyGiven"] as? Bool == true, "the signal's pupil is the melding's key")
            // As a melding recorded before migration 10 kept keys: the signal's keyed hash only.
            let id = try #require(melding["id"] as? String)
            try await fixture.gateway.store.sql.raw("UPDATE duo_meldingen SET pupil_cipher = NULL WHERE id = \(bind: id)").run()
            let path = "/v1/cases/\(s.ref("zco"))/duo-meldingen/\(id)/pupil"
            let wrong = try await client.call(.post, path, token: s.zco, json: #"{"pupil":"P-0002"}"#)
            #expect(wrong.status == .badRequest && jsonObject(wrong.body)["field"] as? String == "pupil" && !wrong.body.contains("P-0002"), "\(wrong.body)")
            #expect(try await client.call(.post, path, token: s.zco, json: #"{"pupil":"\#(Self.pupil)"}"#).status == .ok)
            #expect(try await link(client, s.lpa, s.ref("lpa")).status == .created)
        }
    }

    @Test("Bijlage 3.1: a pupil the leerplicht never discussed anonymously has nothing to link — refused, nothing on the register",
          arguments: ServerFixture.databases)
    func bijlage3_1_nothingToLinkForAPupilNotDiscussed(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            // P-0004 reached the DUO threshold and was never on a list.
            #expect(try await melding(client, s, reference: "DUO-LINK-6", kind: "relatief-verzuim", pupil: "P-0004").status == .created)
            let size = await fixture.gateway.register.size
            let refused = try await link(client, s.lpa, s.ref("lpa"))
            #expect(refused.status == .conflict && jsonObject(refused.body)["code"] as? String == "sluis:verzuimoverleg-nothing-to-link", "\(refused.body)")
            #expect(await fixture.gateway.register.size == size)
        }
    }

    @Test("Protocol 5.4: links racing each other are checked and written in one transaction — one links (201, one register entry), the others find it linked (200)",
          arguments: ServerFixture.databases)
    func protocol5_4_concurrentLinksMakeOneEntry(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            #expect(try await melding(client, s, reference: "DUO-LINK-7").status == .created)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<6 { group.addTask { try await link(client, s.lpa, s.ref("lpa")).status } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.filter { $0 == .ok }.count == 5, "\(statuses)")
            #expect(try await links(fixture).count == 1)
            #expect(try await fixture.gateway.store.verzuimoverlegLinks(caseID: try #require(try await fixture.gateway.store.caseID(
                ref: s.ref("zco"), party: "sovogo")), holder: Self.leerplicht).count == 1)
        }
    }

    /// The distinct pupil keys the meldingen of the school's case name, and the case's bound hashes.
    func keysOnCase(_ fixture: ServerFixture, _ s: Setup) async throws -> (keys: Int, hashes: Int) {
        let caseID = try #require(try await fixture.gateway.store.caseID(ref: s.ref("zco"), party: "sovogo"))
        let keys = try fixture.gateway.pupilKeys(try await fixture.gateway.store.meldingen(caseID: caseID)).count
        let hashes = try await fixture.gateway.store.sql.raw("SELECT COUNT(*) AS n FROM case_pupil_keys WHERE case_id = \(bind: caseID)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        return (keys, hashes)
    }

    @Test("Bijlage 3.1, AVG art. 5(1)(d): a school's pupil key belongs to one case of the school — on another case it is refused (with the melding, or given later), never echoed; a DUO meldingsnummer of the board is not reused on another of its cases",
          arguments: ServerFixture.databases)
    func bijlage3_1_avg5_1d_aPupilKeyBelongsToOneCaseOfTheSchool(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            #expect(try await melding(client, s, reference: "DUO-2026-0001", pupil: "P-0001").status == .created)
            let created = try await client.call(.post, "/v1/cases", token: s.zco, json: DisclosureFlowTests.newCase)
            let caseB = try #require(jsonObject(created.body)["id"] as? String, "\(created.body)")
            func meldingOnB(_ reference: String, _ key: String?) async throws -> Answer {
                let pupil = key.map { #","pupil":"\#($0)""# } ?? ""
                return try await client.call(.post, "/v1/cases/\(caseB)/duo-meldingen", token: s.zco,
                                             json: #"{"date":"2026-11-02","kind":"overig-verzuim","reference":"\#(reference)"\#(pupil)}"#)
            }
            let size = await fixture.gateway.register.size
            let sameKey = try await meldingOnB("DUO-2026-0002", "P-0001")
            #expect(sameKey.status == .conflict && jsonObject(sameKey.body)["code"] as? String == "sluis:duo-melding-pupil-key-on-other-case", "\(sameKey.body)")
            #expect(!sameKey.body.contains("P-0001"))
            let sameNumber = try await meldingOnB("DUO-2026-0001", "P-0009")
            #expect(sameNumber.status == .conflict && jsonObject(sameNumber.body)["code"] as? String == "sluis:duo-melding-number-taken", "\(sameNumber.body)")
            #expect(await fixture.gateway.register.size == size, "a refused melding leaves no register entry")
            // Without a key, then the key of case A given later: refused too, and B stays without key.
            let keyless = try await meldingOnB("DUO-2026-0003", nil)
            let id = try #require((jsonObject(keyless.body)["melding"] as? [String: Any])?["id"] as? String, "\(keyless.body)")
            let given = try await client.call(.post, "/v1/cases/\(caseB)/duo-meldingen/\(id)/pupil", token: s.zco, json: #"{"pupil":"P-0001"}"#)
            #expect(given.status == .conflict && jsonObject(given.body)["code"] as? String == "sluis:duo-melding-pupil-key-on-other-case", "\(given.body)")
            #expect(!given.body.contains("P-0001"))
            #expect(try await fixture.gateway.store.melding(id)?.pupilCipher == nil)
            // B's own pupil is accepted; A still links its own discussion.
            #expect(try await client.call(.post, "/v1/cases/\(caseB)/duo-meldingen/\(id)/pupil", token: s.zco, json: #"{"pupil":"P-0009"}"#).status == .ok)
            #expect(try await link(client, s.lpa, s.ref("lpa")).status == .created)
        }
    }

    @Test("Bijlage 3.1, AVG art. 5(1)(d): keys given at once to two meldingen of one case — exactly one is given, the others refused; the case holds one key",
          arguments: ServerFixture.databases)
    func bijlage3_1_avg5_1d_racingKeysOnOneCaseLeaveOneKey(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            var ids: [String] = []
            for n in 1...4 {
                let recorded = try await melding(client, s, reference: "DUO-RACE-\(n)", pupil: nil)
                ids.append(try #require((jsonObject(recorded.body)["melding"] as? [String: Any])?["id"] as? String, "\(recorded.body)"))
            }
            // P-0001 (discussed) against keys of other pupils, each on its own melding.
            let keys = [Self.pupil, "P-0003", "P-0004", "P-0005"]
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (id, key) in zip(ids, keys) {
                    group.addTask {
                        try await client.call(.post, "/v1/cases/\(s.ref("zco"))/duo-meldingen/\(id)/pupil", token: s.zco, json: #"{"pupil":"\#(key)"}"#).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .conflict }.count == 3, "\(statuses)")
            let held = try await keysOnCase(fixture, s)
            #expect(held.keys == 1 && held.hashes == 1, "one case, one key: \(held)")
        }
    }

    @Test("Bijlage 3.1 (migration 13): a key stored before its hash existed is bound to its case at gateway start, once; then another case of the school cannot take it",
          arguments: ServerFixture.databases)
    func bijlage3_1_keysStoredBeforeMigration13AreBoundAtStart(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await setUp(fixture, client)
            #expect(try await melding(client, s, reference: "DUO-OLD-1").status == .created)
            // As a key given before migration 13: no hash beside it.
            try await fixture.gateway.store.sql.raw("DELETE FROM case_pupil_keys").run()
            #expect(try await keysOnCase(fixture, s).hashes == 0)
            #expect(try await fixture.gateway.hashStoredPupilKeys() == (bound: 1, unbound: 0))
            #expect(try await fixture.gateway.hashStoredPupilKeys() == (bound: 0, unbound: 0))
            #expect(try await keysOnCase(fixture, s).hashes == 1)
            let created = try await client.call(.post, "/v1/cases", token: s.zco, json: DisclosureFlowTests.newCase)
            let caseB = try #require(jsonObject(created.body)["id"] as? String, "\(created.body)")
            let refused = try await client.call(.post, "/v1/cases/\(caseB)/duo-meldingen", token: s.zco,
                                                json: #"{"date":"2026-11-02","kind":"overig-verzuim","reference":"DUO-OLD-2","pupil":"\#(Self.pupil)"}"#)
            #expect(refused.status == .conflict && jsonObject(refused.body)["code"] as? String == "sluis:duo-melding-pupil-key-on-other-case", "\(refused.body)")
        }
    }
}
