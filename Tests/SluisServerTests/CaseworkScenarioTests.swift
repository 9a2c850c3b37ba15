import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import SluisCovenant
@testable import SluisGateway
import SluisRegister
import SluisStore

/// One pupil's way through the casework (issue 10 item 8; docs/casework.md, "One pupil's way
/// through the casework"): from the first absence, through the anonymous verzuimoverleg and the
/// DUO melding, to a SOT question with consent and its revocation — over real HTTP on the real
/// gateway, checking at every step exactly what each party could see and what the register holds.
@Suite("Casework scenario: one pupil's way", .serialized)
struct CaseworkScenarioTests {
    typealias S = CaseworkScenario

    @Test("Issue 10: one pupil from first absence through the verzuimoverleg (Bijlage 3.1) and the DUO melding (protocol 5.4–5.5, Lpw art. 21a) to a SOT question with consent (Bijlage 3.2, art. 6.1, 11.5) — at every step what each party sees",
          arguments: ServerFixture.databases)
    func issue10_onePupilsWay_protocol5_4to5_5_4_bijlage3_1and3_2_art6_1_11_5(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let s = try await CaseworkScenario(fixture, client)
            let baseline = try await nobodySeesAnythingYet(s)
            try await firstAbsence(s, baseline)
            let lists = try await verzuimoverleg(s, baseline)
            try await moreAbsence(s, baseline, lists)
            let refs = try await duoMelding(s, baseline)
            try await linkVerzuimoverleg(s, baseline, refs)
            let (consent, question) = try await sot(s, baseline, refs)
            try await revocation(s, baseline, refs, consent: consent, question: question)
            try await nothingPersonalOnTheRegisterOrInTheLogs(s)
        }
    }

    /// Which doors open for whom (docs/authorization.md): the school's zorgcoördinator has its
    /// absence views; the leerplichtambtenaar and the jeugdverpleegkundige the lists shared with
    /// them; every case worker its cases and mailbox; the FG and the beheerder none of these.
    static let openDoors: [String: Set<String>] = {
        let caseWorker: Set<String> = ["/v1/cases", "/v1/mailbox"]
        let school = caseWorker.union(["/v1/absence/signals", "/v1/verzuimoverleg/candidates", "/v1/verzuimoverleg/lists"])
        let recipient = caseWorker.union(["/v1/verzuimoverleg/shared"])
        return ["zco": school, "zco-other": school, "lpa": recipient, "jvk": recipient,
                "jeg": caseWorker, "arts": caseWorker, "swv": caseWorker, "jhv": caseWorker, "fg-own": [], "beheer": []]
    }()

    /// Before anything: every door is open or closed as the authority table says, and nothing is
    /// behind any of them. Parties outside the case keep exactly this view to the end.
    func nobodySeesAnythingYet(_ s: S) async throws -> [String: [String: String]] {
        let baseline = try await s.lookAll()
        for username in S.everyone {
            for door in S.doors {
                let seen = baseline[username]![door]!
                let open = Self.openDoors[username]!.contains(door)
                #expect(seen.hasPrefix(open ? "200 " : "403 "), "\(username) \(door): \(seen)")
                let behind = try? JSONSerialization.jsonObject(with: Data(seen.dropFirst(4).utf8))
                let empty = (behind as? [Any])?.isEmpty ?? (behind as? [String: Any])?.values.allSatisfy { ($0 as? [Any])?.isEmpty ?? true } ?? false
                #expect(!open || empty, "\(username) \(door): \(seen)")
            }
        }
        #expect(try await s.registered().isEmpty)
        return baseline
    }

    /// Parties whose view must not have changed since `baseline`.
    func unchanged(_ s: S, _ baseline: [String: [String: String]], except changed: Set<String>) async throws {
        for username in S.everyone where !changed.contains(username) {
            let look = try await s.look(username)
            #expect(look == baseline[username]!, "\(username) sees something new: \(S.doors.filter { look[$0] != baseline[username]![$0] }.map { "\($0): \(look[$0]!.prefix(400))" })")
        }
    }

    // MARK: (a) First absence

    /// The school's absence registrations as its administration exports them.
    static func export(_ rows: [(CalendarDate, String, String)]) -> String {
        "pupil,date,kind,hours,unit\n" + rows.map { day, kind, hours in
            "\(S.schoolKey),\(day),\(kind),\(hours),\(hours.isEmpty ? "" : "lesuur")\n"
        }.joined()
    }

    /// 5 lesuren ongeoorloofd and one late arrival in the last four weeks.
    static func firstExport(_ s: S) -> [(CalendarDate, String, String)] {
        [(s.start.adding(days: -17), "ongeoorloofd", "2"), (s.start.adding(days: -10), "ongeoorloofd", "3"), (s.start.adding(days: -4), "te-laat", "")]
    }

    /// Contract absence.md; verzuimprotocol 5.4, 5.4.1: the import is the school's own
    /// processing (one register entry, no disclosure); beginning absence puts the pupil on the
    /// school's own verzuimoverleg list; no signal is due yet. Nobody else sees anything.
    func firstAbsence(_ s: S, _ baseline: [String: [String: String]]) async throws {
        let imported = try await s.upload(Self.export(Self.firstExport(s)))
        #expect(imported.status == .created, "\(imported.body)")
        let receipt = jsonObject(imported.body)
        #expect(receipt["registrations"] as? Int == 3 && receipt["pupils"] as? Int == 1 && receipt["replaced"] as? Int == 0)
        #expect(s.holdsNothingPersonal(imported.body), "counts only, no pupil key")
        #expect((jsonObject(try await s.get("zco", "/v1/absence/signals").body)["signals"] as? [Any])?.isEmpty == true, "below every threshold")
        let candidates = jsonObject(try await s.get("zco", "/v1/verzuimoverleg/candidates").body)["pupils"] as? [[String: Any]] ?? []
        #expect(candidates.count == 1 && candidates.first?["pupil"] as? String == S.schoolKey)
        let counts = candidates.first?["counts"] as? [String: Any] ?? [:]
        #expect(counts["unauthorisedHours"] as? Double == 5 && counts["authorisedHours"] as? Double == 0 && counts["hourUnit"] as? String == "lesuur")
        #expect(counts["lateArrivals"] as? Int == 1 && counts["sickReports"] as? Int == 0)
        #expect(try await s.registered().map(\.what) == ["import verzuimregistratie-inlezen"])
        try await unchanged(s, baseline, except: ["zco"])
    }

    // MARK: (b) The verzuimoverleg

    /// The recipients' own ids for the list.
    struct Lists { let lpa: String, jvk: String }

    /// Bijlage 3.1 sub 1 and 4; protocol 5.4, 5.4.1: the school shares its list with the
    /// leerplichtambtenaar and the jeugdverpleegkundige — counts only, each pupil under a
    /// reference of the recipient's own; each recipient's notes stay its own; no other party,
    /// and no other delegate of the school, the CJG or the gemeente, sees the list.
    func verzuimoverleg(_ s: S, _ baseline: [String: [String: String]]) async throws -> Lists {
        let shared = try await s.post("zco", "/v1/verzuimoverleg/lists", ["meetingDate": s.start.description, "recipients": [S.gemeente, S.cjg]])
        #expect(shared.status == .created, "\(shared.body)")
        let schoolList = jsonObject(shared.body)
        #expect((schoolList["pupils"] as? [[String: Any]])?.compactMap { $0["pupil"] as? String } == [S.schoolKey], "the school sees its own key")
        #expect((schoolList["sharedWith"] as? [[String: Any]])?.compactMap { $0["recipient"] as? String } == [S.cjg, S.gemeente])
        let entries = try await s.registered()
        #expect(entries.map(\.what) == ["disclose verstrekking-verzuimoverleg", "disclose verstrekking-verzuimoverleg"])
        #expect(entries.map { "\($0.recipient ?? "")/\($0.recipientRole ?? "")" } == ["\(S.gemeente)/leerplicht", "\(S.cjg)/"])
        #expect(entries.allSatisfy { $0.subject == nil && $0.released == ["absence"] }, "about a list, not a pupil")

        var references: [String: String] = [:], ids: [String: String] = [:]
        for username in ["lpa", "jvk"] {
            let index = jsonArray(try await s.get(username, "/v1/verzuimoverleg/shared").body)
            let id = try #require(index.first?["id"] as? String)
            #expect(index.count == 1 && id != schoolList["id"] as? String, "\(username): a list id of its own")
            let read = try await s.get(username, "/v1/verzuimoverleg/shared/\(id)")
            #expect(s.holdsNothingPersonal(read.body), "\(username) sees no key, name or birth date")
            let pupils = jsonObject(read.body)["pupils"] as? [[String: Any]] ?? []
            #expect(pupils.count == 1 && Set(pupils.first?.keys.map { $0 } ?? []) == ["reference", "counts", "notes"], "\(username): \(read.body)")
            #expect((pupils.first?["counts"] as? [String: Any])?["unauthorisedHours"] as? Double == 5)
            references[username] = try #require(pupils.first?["reference"] as? String)
            ids[username] = id
        }
        #expect(references["lpa"] != references["jvk"], "two recipients cannot link their references")

        // Each writes a note on its own reference; neither reads or writes the other's.
        let notes = Self.verzuimoverlegNotes
        for username in ["lpa", "jvk"] {
            let other = username == "lpa" ? "jvk" : "lpa"
            let noted = try await s.post(username, "/v1/verzuimoverleg/references/\(references[username]!)/notes", ["text": notes[username]!])
            #expect(noted.status == .created, "\(noted.body)")
            #expect(try await s.post(username, "/v1/verzuimoverleg/references/\(references[other]!)/notes", ["text": "poging"]).status == .notFound)
        }
        for username in ["lpa", "jvk"] {
            let pupil = (jsonObject(try await s.get(username, "/v1/verzuimoverleg/shared/\(ids[username]!)").body)["pupils"] as? [[String: Any]])?.first
            #expect((pupil?["notes"] as? [[String: Any]])?.compactMap { $0["text"] as? String } == [notes[username]!], "\(username) reads its own note only")
        }
        let own = try await s.get("zco", "/v1/verzuimoverleg/lists/\(schoolList["id"] as? String ?? "")")
        #expect(notes.values.allSatisfy { !own.body.contains($0) }, "the recipients' notes stay with them")
        #expect(try await s.registered().isEmpty, "notes are the recipients' own memory, not a disclosure")

        // Nobody else: 403 for every other role, 404 for another school's list handle.
        for username in ["arts", "jeg", "swv", "jhv", "zco-other", "fg-own", "beheer"] {
            #expect(try await s.get(username, "/v1/verzuimoverleg/shared/\(ids["lpa"]!)").status == .forbidden, "\(username)")
        }
        #expect(try await s.get("zco-other", "/v1/verzuimoverleg/lists/\(schoolList["id"] as? String ?? "")").status == .notFound)
        #expect(try await s.post("arts", "/v1/verzuimoverleg/references/\(references["jvk"]!)/notes", ["text": "x"]).status == .forbidden,
                "Bijlage 3.1 names the jeugdverpleegkundige, not the jeugdarts")
        try await unchanged(s, baseline, except: ["zco", "lpa", "jvk"])
        for username in ["lpa", "jvk"] {
            let look = try await s.look(username)
            #expect(look["/v1/cases"] == baseline[username]!["/v1/cases"] && look["/v1/mailbox"] == baseline[username]!["/v1/mailbox"])
        }
        return Lists(lpa: ids["lpa"]!, jvk: ids["jvk"]!)
    }

    // MARK: (c) More absence

    /// Contract absence.md; Bijlage 4; Lpw art. 21a: two weeks on, the school's next export
    /// (replacing the first's period) reaches 16 lesuren in four weeks — a relatief-verzuim
    /// signal, due on the 5th working day; the pupil leaves the verzuimoverleg's list (Bijlage
    /// 3.1: "nog niet aan de wettelijke vereisten"). The recipients' lists do not change.
    func moreAbsence(_ s: S, _ baseline: [String: [String: String]], _ lists: Lists) async throws {
        let before = try await s.lookAll()
        try await s.advance(to: s.start.adding(days: 14))
        let since = s.start.adding(days: 8)
        let imported = try await s.upload(Self.export(Self.secondExport(s)))
        #expect(imported.status == .created, "\(imported.body)")
        #expect(jsonObject(imported.body)["registrations"] as? Int == 5 && jsonObject(imported.body)["replaced"] as? Int == 3)
        let signals = jsonObject(try await s.get("zco", "/v1/absence/signals").body)["signals"] as? [[String: Any]] ?? []
        let due = WorkingDays.workingDay(5, after: since)
        #expect(signals.count == 1, "\(signals)")
        #expect(signals.first?["pupil"] as? String == S.schoolKey && signals.first?["signal"] as? String == "relatief-verzuim")
        #expect(signals.first?["since"] as? String == since.description && signals.first?["due"] as? String == due.description)
        #expect(signals.first?["overdue"] as? Bool == (s.today > due) && signals.first?["action"] as? String == "melding bij DUO")
        #expect(signals.first?["source"] as? String == "verzuimprotocol Bijlage 4; Lpw art. 21a")
        #expect((jsonObject(try await s.get("zco", "/v1/verzuimoverleg/candidates").body)["pupils"] as? [Any])?.isEmpty == true,
                "at the statutory threshold the school reports instead")
        #expect(try await s.registered().map(\.what) == ["import verzuimregistratie-inlezen"])
        for username in S.everyone where username != "zco" {
            #expect(try await s.look(username) == before[username]!, "\(username) sees something new")
        }
        #expect(try await s.get("lpa", "/v1/verzuimoverleg/shared/\(lists.lpa)").status == .ok)
        try await unchanged(s, baseline, except: ["zco", "lpa", "jvk"])
    }

    /// The first export, and 11 lesuren more: 16 within 25 days.
    static func secondExport(_ s: S) -> [(CalendarDate, String, String)] {
        firstExport(s) + [(s.start.adding(days: 3), "ongeoorloofd", "5"), (s.start.adding(days: 8), "ongeoorloofd", "6")]
    }

    // MARK: (d) The DUO melding

    /// Each party's own reference for the pupil's case.
    struct Refs { let school: String, lpa: String, cjg: String, swv: String, jeg: String }
    static let meldingsnummer = "DUO-2026-SC-0001"
    /// The school's own description of the absence (art. 5.1 sub d, in general words).
    static let absenceFact = "Ongeoorloofd verzuim: 16 lesuren in vier weken; daarna vier ziekmeldingen"

    /// Lpw art. 21a; protocol 5.4, 5.5.2; art. 4.3: the school brings the pupil in and records
    /// the melding that answers the signal. The signal is done; the leerplichtambtenaar sees the
    /// identity, decided by the engine and on the register; the CJG's, SWV's and jeugd en
    /// gezin's views change only in that a melding exists; the leerplichtambtenaar sets the
    /// status the school then sees.
    func duoMelding(_ s: S, _ baseline: [String: [String: String]]) async throws -> Refs {
        let created = try await s.post("zco", "/v1/cases", [
            "name": S.name, "birthDate": s.birthDate.description, "bsn": S.bsn, "caseType": "verzuim", "facts": ["absence": Self.absenceFact],
            "parties": [S.swv, S.gemeente, "\(S.gemeente)/jeugd-en-gezin", S.cjg],
        ])
        #expect(created.status == .created, "\(created.body)")
        let school = try #require(jsonObject(created.body)["id"] as? String)
        #expect((jsonObject(created.body)["identity"] as? [String: Any])?["name"] as? String == S.name, "the school brought the pupil in")
        #expect(try await s.registered().isEmpty, "bringing a pupil in is the school's own processing, nothing is disclosed yet")
        let refs = Refs(school: school, lpa: try await s.caseRef("lpa"), cjg: try await s.caseRef("jvk"), swv: try await s.caseRef("swv"),
                        jeg: try await s.caseRef("jeg"))
        #expect(Set([refs.school, refs.lpa, refs.cjg, refs.swv, refs.jeg]).count == 5, "a reference of each party's own")
        #expect(try await s.caseRef("arts") == refs.cjg, "the jeugdarts is of the same CJG")
        let before = try await s.lookAll()
        for username in ["lpa", "jvk", "arts", "swv", "jeg"] {
            #expect(s.holdsNothingPersonal(before[username]!.values.joined()), "\(username) before the melding")
        }

        let signal = ["pupil": S.schoolKey, "signal": "relatief-verzuim", "since": s.start.adding(days: 8).description]
        let recorded = try await s.post("zco", "/v1/cases/\(school)/duo-meldingen",
                                        ["date": s.today.description, "kind": "relatief-verzuim", "reference": Self.meldingsnummer, "signal": signal])
        #expect(recorded.status == .created, "\(recorded.body)")
        let melding = jsonObject(recorded.body)["melding"] as? [String: Any] ?? [:]
        let meldingID = try #require(melding["id"] as? String)
        #expect(melding["status"] as? String == "received" && (melding["signal"] as? [String: String])?["since"] == signal["since"])
        let decision = jsonObject(recorded.body)["reidentification"] as? [String: Any] ?? [:]
        #expect(decision["decision"] as? String == "permit" && decision["recipient"] as? String == S.gemeente)
        #expect(decision["released"] as? [String] == ["name", "birthDate", "bsn", "absence"])
        let entries = try await s.registered()
        #expect(entries.map(\.what) == ["re-identify verstrekking-duo-melding"])
        #expect(entries.first?.recipient == S.gemeente && entries.first?.recipientRole == "leerplicht" && entries.first?.purpose == "3.1.a")
        #expect(entries.first?.subject != nil && entries.first?.decision == "permit", "the pupil under the register's pseudonym")
        #expect((jsonObject(try await s.get("zco", "/v1/absence/signals").body)["signals"] as? [Any])?.isEmpty == true, "the signal is done")

        // The leerplichtambtenaar: identity, shown not supplied, and the melding under DUO's number.
        let lpaView = try await s.caseView("lpa", refs.lpa)
        #expect(lpaView["identity"] as? [String: String] == ["name": S.name, "birthDate": s.birthDate.description, "bsn": S.bsn])
        #expect((lpaView["provenance"] as? [[String: Any]])?.contains { $0["field"] as? String == "name" && $0["suppliedBy"] as? String == S.school } == true)
        #expect(lpaView["duoMeldingReference"] as? String == Self.meldingsnummer)
        #expect((lpaView["duoMeldingen"] as? [[String: Any]])?.map { $0["status"] as? String } == ["received"])
        #expect((lpaView["duoMeldingen"] as? [[String: Any]])?.first?["signal"] == nil, "the school's signal stays with the school")
        #expect(!(try await s.look("lpa")).values.joined().contains(S.schoolKey))

        // The CJG, the SWV and jeugd en gezin: only that a melding exists, when and by whom.
        let after = try await s.lookAll()
        for (username, ref) in [("jvk", refs.cjg), ("arts", refs.cjg), ("swv", refs.swv), ("jeg", refs.jeg)] {
            #expect(try S.withoutMeldingState(after[username]!) == S.withoutMeldingState(before[username]!), "\(username): nothing else changed")
            let view = try await s.caseView(username, ref)
            #expect(view["duoMelding"] as? Bool == true && view["duoMeldingBy"] as? String == S.school && view["duoMeldingReference"] == nil)
            #expect(view["identity"] == nil && view["duoMeldingen"] == nil && s.holdsNothingPersonal(after[username]!.values.joined()), "\(username)")
            #expect(try await s.get(username, "/v1/cases/\(ref)/duo-meldingen").status == .forbidden)
        }

        // Protocol 5.5.2: the leerplichtambtenaar starts his investigation; the school sees it.
        let started = try await s.patch("lpa", "/v1/cases/\(refs.lpa)/duo-meldingen/\(meldingID)", ["status": "in-behandeling"])
        #expect(started.status == .ok, "\(started.body)")
        let seen = jsonArray(try await s.get("zco", "/v1/cases/\(school)/duo-meldingen").body)
        #expect(seen.map { $0["status"] as? String } == ["in-behandeling"] && seen.first?["inBehandelingAt"] is String)
        // Protocol 5.5.2; Bijlage 3.1 sub 3: the school informs the parents after the melding.
        #expect(try await s.post("zco", "/v1/cases/\(school)/informing", ["informedAt": s.today.description, "method": "brief"]).status == .created)
        #expect(try await s.registered().isEmpty, "feedback and informing are no disclosures")

        let candidates = jsonObject(try await s.get("zco", "/v1/verzuimoverleg/candidates").body)["pupils"] as? [[String: Any]] ?? []
        // Protocol 5.4.1: anonymous only "zolang er nog geen DUO-melding is gemaakt" — the answered
        // signal no longer keeps the pupil off; the open melding does.
        #expect(candidates.isEmpty, "a reported pupil is discussed by name, not anonymously")
        try await unchanged(s, baseline, except: ["zco", "lpa", "jvk", "arts", "swv", "jeg"])
        return refs
    }

    // MARK: (e) The leerplichtambtenaar links the anonymous discussion

    /// The verzuimoverleg's recipients' own notes on their references (Bijlage 3.1 sub 4).
    static let verzuimoverlegNotes = ["lpa": "Mentor belt ouders; terug in het volgende overleg", "jvk": "Geen aanleiding de ouders te benaderen"]

    /// Protocol 5.4, Bijlage 3.1 (issue 10 item 3): after the melding only the leerplichtambtenaar
    /// links his own earlier anonymous discussion to the case — his meetings' counts and his own
    /// note appear in his case view, one `link` entry on the register; the jeugdverpleegkundige
    /// cannot link, and nobody else's view changes.
    func linkVerzuimoverleg(_ s: CaseworkScenario, _ baseline: [String: [String: String]], _ refs: Refs) async throws {
        let before = try await s.lookAll()
        #expect(try await s.post("jvk", "/v1/cases/\(refs.cjg)/verzuimoverleg-link").status == .forbidden, "the CJG lifts anonymity only with consent")
        let linked = try await s.post("lpa", "/v1/cases/\(refs.lpa)/verzuimoverleg-link")
        #expect(linked.status == .created, "\(linked.body)")
        #expect(try await s.post("lpa", "/v1/cases/\(refs.lpa)/verzuimoverleg-link").status == .ok, "linking again changes nothing")
        let discussion = try await s.caseView("lpa", refs.lpa)["verzuimoverleg"] as? [String: Any]
        #expect((discussion?["notes"] as? [[String: Any]])?.compactMap { $0["text"] as? String } == [Self.verzuimoverlegNotes["lpa"]!])
        let entries = try await s.registered()
        #expect(entries.map(\.operation) == ["link"] && entries.first?.activity == ProcessingActivities.verzuimoverlegLink, "\(entries.map(\.operation))")
        for username in ["zco", "jvk", "arts", "swv", "jeg"] {
            let view = try await s.get(username, "/v1/cases").body
            #expect(!view.contains(Self.verzuimoverlegNotes["lpa"]!) && !view.contains(Self.verzuimoverlegNotes["jvk"]!), "\(username)")
        }
        let after = try await s.lookAll()
        #expect(after.filter { $0.key != "lpa" } == before.filter { $0.key != "lpa" }, "only the leerplichtambtenaar's view changes")
        try await unchanged(s, baseline, except: ["zco", "lpa", "jvk", "arts", "swv", "jeg"])
    }

    // MARK: (f) Worrying sick leave and the SOT

    /// The sick days: four sick reports, each a school day with a school day between them.
    static func sickDays(after day: CalendarDate) -> [CalendarDate] {
        var days = [WorkingDays.workingDay(1, after: day)]
        while days.count < 4 { days.append(WorkingDays.workingDay(2, after: days.last!)) }
        return days
    }

    static let questionA = "Welke ondersteuning helpt de leerling bij het zorgwekkende ziekteverzuim en de terugkeer naar school?"
    static let questionB = "Is er naast de begeleiding op school hulp thuis nodig voor het gezin?"
    static let sotNote = "Besproken: aangepast rooster voor acht weken; de jeugdverpleegkundige nodigt ouders en leerling uit."

    /// A SOT disclosure of the school's absence fact on `question`.
    func sotDisclosure(_ s: S, _ refs: Refs, to recipient: String, question: String) async throws -> S.Answer {
        try await s.post("zco", "/v1/disclosures", ["caseId": refs.school, "recipient": recipient, "forum": "sot", "purpose": "3.1.d",
                                                    "fields": ["absence"], "sotQuestion": question])
    }

    static func withheldRule(_ answer: S.Answer) -> String? {
        ((jsonObject(answer.body)["answer"] as? [String: Any])?["withheld"] as? [[String: Any]])?.first?["rule"] as? String
    }

    /// Protocol 5.5.4 (worrying sick leave: to the CJG and the SOT with consent, not to DUO);
    /// Bijlage 3.2 sub 1, 3–4 (a question is a thing with its own consent; notes for members);
    /// fn 28 (at 13: parent and pupil); the CJG's content-free feedback (5.5.4 procedure CJG sub 4).
    /// Answers the consent's id and the question it is bound to.
    func sot(_ s: S, _ baseline: [String: [String: String]], _ refs: Refs) async throws -> (consent: String, question: String) {
        let sick = Self.sickDays(after: s.today)
        try await s.advance(to: sick.last!)
        let imported = try await s.upload(Self.export(Self.secondExport(s) + sick.map { ($0, "ziek", "") }))
        #expect(imported.status == .created && jsonObject(imported.body)["replaced"] as? Int == 5, "\(imported.body)")
        let signals = jsonObject(try await s.get("zco", "/v1/absence/signals").body)["signals"] as? [[String: Any]] ?? []
        #expect(signals.map { $0["signal"] as? String } == ["zorgwekkend-ziekteverzuim"] && signals.first?["since"] as? String == sick.last!.description)
        #expect(signals.first?["due"] as? String == nil && signals.first?["action"] as? String == "melding bij CJG en SOT, met toestemming van ouders (niet bij DUO)")
        #expect(try await s.registered().map(\.what) == ["import verzuimregistratie-inlezen"])

        // The school asks the SOT a clearly described question; its members see it, leerplicht not.
        let asked = try await s.post("zco", "/v1/cases/\(refs.school)/sot-questions", ["question": Self.questionA])
        let questionA = try #require(jsonObject(asked.body)["id"] as? String, "\(asked.body)")
        #expect(try await s.registered().map(\.what) == ["sot-question verstrekking-sot"])
        for (username, ref) in [("swv", refs.swv), ("jvk", refs.cjg), ("jeg", refs.jeg)] {
            #expect(jsonArray(try await s.get(username, "/v1/cases/\(ref)/sot-questions").body).compactMap { $0["id"] as? String } == [questionA])
        }
        #expect(try await s.get("lpa", "/v1/cases/\(refs.lpa)/sot-questions").status == .forbidden, "the leerplichtambtenaar is no SOT member")

        // Consent per giver, held by the school: the parent first — at 13 the pupil must consent too.
        let consented = try await s.post("zco", "/v1/cases/\(refs.school)/consents", [
            "recipients": ["jgz", "swv"], "fields": ["absence"], "sotQuestion": questionA,
            "givers": [["giver": "parent", "answer": "given", "answeredOn": s.today.description, "evidence": "toestemmingsformulier SOT, ouder"]],
        ])
        let consent = jsonObject(consented.body)
        let consentID = try #require(consent["id"] as? String, "\(consented.body)")
        #expect(consent["state"] as? String == "pending" && consent["missing"] as? [String] == ["pupil"])
        let early = try await sotDisclosure(s, refs, to: S.cjg, question: questionA)
        #expect(early.status == .forbidden && Self.withheldRule(early) == "consent-wrong-giver", "\(early.body)")
        #expect(try await s.registered().map(\.what) == ["refuse verstrekking-sot"], "a refusal is on the register too")
        let answered = try await s.post("zco", "/v1/consents/\(consentID)/answers",
                                        ["giver": "pupil", "answer": "given", "answeredOn": s.today.description, "evidence": "toestemmingsformulier SOT, leerling"])
        #expect(answered.status == .created && jsonObject(answered.body)["state"] as? String == "given", "\(answered.body)")
        for recipient in [S.cjg, S.swv] {
            let disclosed = try await sotDisclosure(s, refs, to: recipient, question: questionA)
            #expect(disclosed.status == .created, "\(recipient): \(disclosed.body)")
        }
        let disclosures = try await s.registered()
        #expect(disclosures.map(\.what) == ["disclose verstrekking-sot", "disclose verstrekking-sot"])
        #expect(disclosures.allSatisfy { $0.consentReference == consentID && $0.released == ["absence"] })

        // The CJG's mailbox: the disclosure names the question; the bundle holds the absence fact only.
        let item = try #require(try await s.mailbox("jvk").disclosures.first)
        #expect(item["forum"] as? String == "sot" && item["sotQuestion"] as? String == questionA && item["caseId"] as? String == refs.cjg)
        let bundle = try await s.openBundle("jvk", party: S.cjg, item: try #require(item["id"] as? String), sender: S.school)
        #expect(bundle["fields"] as? [String: String] == ["absence": Self.absenceFact] && bundle["sotQuestion"] as? String == questionA)
        #expect(s.holdsNothingPersonal(try S.json(bundle)), "only the field asked for: no name, birth date or key")
        #expect(try await s.registered().map(\.what) == ["fetch verstrekking-sot"])
        #expect(try await s.mailbox("lpa").disclosures.isEmpty, "nothing of the SOT reaches the leerplichtambtenaar")

        // A second question needs consent of its own.
        let askedB = try await s.post("zco", "/v1/cases/\(refs.school)/sot-questions", ["question": Self.questionB])
        let questionB = try #require(jsonObject(askedB.body)["id"] as? String, "\(askedB.body)")
        let forB = try await sotDisclosure(s, refs, to: S.cjg, question: questionB)
        #expect(forB.status == .forbidden && Self.withheldRule(forB) == "sot-question-consent", "\(forB.body)")
        #expect(try await s.registered().map(\.what) == ["sot-question verstrekking-sot", "refuse verstrekking-sot"])

        // Notes on a question with consent, read by the school that holds it and the members it names only.
        #expect(try await s.post("zco", "/v1/cases/\(refs.school)/sot-questions/\(questionA)/notes", ["text": Self.sotNote]).status == .created)
        let onB = try await s.post("zco", "/v1/cases/\(refs.school)/sot-questions/\(questionB)/notes", ["text": "zonder toestemming"])
        #expect(onB.status == .conflict && jsonObject(onB.body)["code"] as? String == "sluis:sot-consent-missing")
        for (username, ref) in [("zco", refs.school), ("swv", refs.swv), ("jvk", refs.cjg), ("arts", refs.cjg)] {
            let notes = try await s.get(username, "/v1/cases/\(ref)/sot-questions/\(questionA)/notes")
            #expect(jsonArray(notes.body).compactMap { $0["text"] as? String } == [Self.sotNote], "\(username): \(notes.body)")
        }
        // Jeugd en gezin is a SOT member, but the consent names only the JGZ and the SWV (Bijlage 3.2 sub 4).
        let byJeg = try await s.get("jeg", "/v1/cases/\(refs.jeg)/sot-questions/\(questionA)/notes")
        #expect(byJeg.status == .conflict && jsonObject(byJeg.body)["code"] as? String == "sluis:sot-consent-missing", "\(byJeg.body)")
        #expect(try await s.get("lpa", "/v1/cases/\(refs.lpa)/sot-questions/\(questionA)/notes").status == .forbidden)
        for username in ["zco-other", "jhv"] {
            #expect(try await s.get(username, "/v1/cases/\(refs.school)/sot-questions/\(questionA)/notes").status == .notFound, "\(username)")
        }
        #expect(try await s.registered().map(\.what) == ["sot-note verstrekking-sot"] + Array(repeating: "sot-notes-read verstrekking-sot", count: 4))

        // The CJG tells the school only that a conversation took place (protocol 5.5.4 procedure CJG sub 4).
        let feedback = try await s.post("jvk", "/v1/cases/\(refs.cjg)/cjg-feedback", ["recipient": S.school, "conversationOn": s.today.description])
        #expect(feedback.status == .created && jsonObject(feedback.body)["released"] as? [String] == ["conversationHeld"], "\(feedback.body)")
        let feedbackEntries = try await s.registered()
        #expect(feedbackEntries.map(\.what) == ["disclose verstrekking-cjg-terugkoppeling"] && feedbackEntries.first?.consentReference == nil)
        let told = try #require(try await s.mailbox("zco").disclosures.first)
        #expect(told["forum"] as? String == "cjg-terugkoppeling" && told["released"] as? [String] == ["conversationHeld"])
        let message = try await s.openBundle("zco", party: S.school, item: try #require(told["id"] as? String), sender: S.cjg)
        #expect(message["fields"] as? [String: String] == ["conversationHeld": s.today.description])
        #expect((message["message"] as? String)?.contains("geen toestemming") == true)
        let content = try S.json(message)
        #expect(!content.contains(Self.absenceFact) && s.holdsNothingPersonal(content), "nothing of the conversation")
        #expect(try await s.registered().map(\.what) == ["fetch verstrekking-cjg-terugkoppeling"])
        try await unchanged(s, baseline, except: ["zco", "lpa", "jvk", "arts", "swv", "jeg"])
        return (consentID, questionA)
    }

    // MARK: (g) Revocation

    /// Art. 6.1 sub d, 11.5; fn 26: the parents withdraw; the school (the holder) revokes; every
    /// recipient is told and the holder sees per recipient whether the notice reached it and was
    /// acknowledged; nothing more goes on the consent, what went before stays lawful.
    func revocation(_ s: S, _ baseline: [String: [String: String]], _ refs: Refs, consent consentID: String, question: String) async throws {
        let revoked = try await s.post("zco", "/v1/consents/\(consentID)/revoke")
        #expect(revoked.status == .ok && jsonObject(revoked.body)["notified"] as? [String] == [S.cjg, S.swv], "\(revoked.body)")
        #expect(try await s.registered().map(\.what) == ["consent-revoked verstrekking-direct", "consent-revoked-notice verstrekking-direct",
                                                         "consent-revoked-notice verstrekking-direct"])
        func reach() async throws -> [String: [String: Any]] {
            let view = jsonObject(try await s.get("zco", "/v1/consents/\(consentID)").body)
            return Dictionary(uniqueKeysWithValues: (view["revocationReach"] as? [[String: Any]] ?? []).map { ($0["party"] as? String ?? "", $0) })
        }
        var reached = try await reach()
        #expect(Set(reached.keys) == [S.cjg, S.swv] && reached.values.allSatisfy { $0["notifiedAt"] is String && $0["acknowledgedAt"] == nil })
        // Each recipient's notice names its own mailbox items, never the holder's consent id.
        for username in ["jvk", "swv"] {
            let box = try await s.mailbox(username)
            #expect(box.notices.count == 1 && box.notices.first?["kind"] as? String == "consent-revoked", "\(username)")
            #expect(box.notices.first?["disclosures"] as? [String] == box.disclosures.filter { $0["forum"] as? String == "sot" }.compactMap { $0["id"] as? String })
            #expect(box.notices.first?["consentId"] == nil)
        }
        let notice = try #require(try await s.mailbox("swv").notices.first?["id"] as? String)
        #expect(try await s.post("swv", "/v1/notices/\(notice)/acknowledge").status == .ok)
        reached = try await reach()
        #expect(reached[S.swv]?["acknowledgedAt"] is String && reached[S.cjg]?["acknowledgedAt"] == nil, "the SWV acknowledged, the CJG not yet")
        #expect(try await s.get("jvk", "/v1/consents/\(consentID)").status == .forbidden, "only the holder sees the reach")
        #expect(try await s.get("zco-other", "/v1/consents/\(consentID)").status == .notFound)
        #expect(try await s.registered().isEmpty, "an acknowledgement is kept with the notice, not on the register")

        // Nothing more on this consent: no disclosure, no note on its question.
        let after = try await sotDisclosure(s, refs, to: S.cjg, question: question)
        #expect(after.status == .forbidden && Self.withheldRule(after) == "consent-revoked", "\(after.body)")
        #expect(jsonObject(after.body)["article"] as? String == "convenant art. 6.1 sub d; art. 11.5")
        let note = try await s.post("zco", "/v1/cases/\(refs.school)/sot-questions/\(question)/notes", ["text": "na de intrekking"])
        #expect(note.status == .conflict && jsonObject(note.body)["code"] as? String == "sluis:sot-consent-missing")
        #expect(try await s.registered().map(\.what) == ["refuse verstrekking-sot"])
        try await unchanged(s, baseline, except: ["zco", "lpa", "jvk", "arts", "swv", "jeg"])
    }

    // MARK: At the end

    /// Art. 15: the register is whole and verifies, holds no personal data (checked entry by
    /// entry as the steps went); and no personal data reached the logs.
    func nothingPersonalOnTheRegisterOrInTheLogs(_ s: S) async throws {
        #expect(try await s.fixture.gateway.register.verifyAll().problem == nil)
        #expect(s.holdsNothingPersonal(s.fixture.logs.all.joined(separator: "\n")))
    }
}

extension RegisterEntry {
    /// "operation activity": what the register holds of an entry, for a scenario's step.
    var what: String { "\(operation) \(activity)" }
}
