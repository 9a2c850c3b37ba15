import Testing
@testable import SluisCovenant

/// A consent recorded per giver (art. 6.1 sub b–c; fn 28 at art. 13.1; ch. 10): its state on a
/// day, age transitions, end dates, and how it becomes the engine's consent facts.
@Suite("Consent per giver")
struct ConsentStandingTests {
    static let birth = CalendarDate(year: 2011, month: 3, day: 4)!

    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    static func answer(_ giver: ConsentAnswerer, _ answer: ConsentAnswer = .given, on day: String = "2024-01-10") -> RecordedConsent.Answer {
        RecordedConsent.Answer(giver: giver, answer: answer, answeredOn: Self.day(day))
    }

    static func recorded(_ answers: [RecordedConsent.Answer], to recipients: [PartyKind] = [.swv], fields: [Field] = [.absence],
                         question: String? = nil, endsOn: String? = nil, revoked: Bool = false) -> RecordedConsent {
        RecordedConsent(answers: answers, recipients: PartyKindSet(recipients), fields: FieldSet(fields), question: question,
                        endsOn: endsOn.map(day), revoked: revoked)
    }

    func state(_ consent: RecordedConsent, on day: String) -> ConsentStanding {
        consent.standing(on: Self.day(day), birthDate: Self.birth, policy: covenant.consent)
    }

    @Test("Art. 6.1 sub b, interpretation: two parents disagreeing make the consent conflicting, and it counts for nothing")
    func art6_1b_interpretation_conflictingConsentCountsForNothing() {
        // Age 10 on 2021-06-01: a parent alone would suffice (fn 28).
        let conflicting = Self.recorded([Self.answer(.parent, on: "2021-05-01"), Self.answer(.otherParent, .refused, on: "2021-05-02")])
        #expect(state(conflicting, on: "2021-06-01").state == .conflicting)
        #expect(ConsentReading.facts([conflicting], on: Self.day("2021-06-01")).isEmpty)
        let answer = engine.evaluate(request(from: jgz, to: swv, fields: ["absence"], age: 10,
                                             consents: ConsentReading.facts([conflicting], on: Self.day("2021-06-01")).map(\.fact)))
        #expect(answer.released.isEmpty && answer.rule(for: "absence") == "consent-required")
        let refused = Self.recorded([Self.answer(.parent, .refused)])
        #expect(state(refused, on: "2024-02-01").state == .refused)
    }

    @Test("Art. 6.1 sub b, interpretation: a refusal on one consent takes its scope out of another consent of the sender, until it is revoked")
    func art6_1b_interpretation_refusalReachesOtherConsentsOfTheSameScope() {
        let day = Self.day("2021-06-01")   // age 10
        let given = Self.recorded([Self.answer(.parent, on: "2021-05-01")], to: [.swv, .jgz], fields: [.absence, .supportFacts])
        let refusal = Self.recorded([Self.answer(.otherParent, .refused, on: "2021-05-02")], to: [.swv], fields: [.absence])
        let facts = ConsentReading.facts([given, refusal], on: day).map(\.fact)
        func released(_ recipient: PartyRef, _ field: String) -> Bool {
            engine.evaluate(request(from: jgz, to: recipient, fields: [field], age: 10, consents: facts)).released == [field]
        }
        #expect(!released(swv, "absence"), "the refused scope")
        #expect(released(swv, "supportFacts") && released(jgz, "absence"), "outside the refused scope the consent still counts")
        var withdrawn = refusal
        withdrawn.revoked = true
        let after = ConsentReading.facts([given, withdrawn], on: day).map(\.fact)
        #expect(engine.evaluate(request(from: jgz, to: swv, fields: ["absence"], age: 10, consents: after)).released == ["absence"])
        // A refusal bound to one SOT question does not reach a consent for another question.
        let boundRefusal = Self.recorded([Self.answer(.otherParent, .refused)], question: "q-a")
        let forB = Self.recorded([Self.answer(.parent)], question: "q-b")
        #expect(ConsentReading.facts([forB, boundRefusal], on: day).count == 1)
    }

    @Test("Fn 28: a 12-year-old needs the pupil too — the parent's answer alone is pending until the pupil's is recorded")
    func fn28_twelveYearOldNeedsThePupilToo() {
        let parentOnly = Self.recorded([Self.answer(.parent, on: "2023-04-01")])   // 12
        let standing = state(parentOnly, on: "2023-05-01")
        #expect(standing.state == .pending && standing.missing == [.pupil])
        let both = Self.recorded([Self.answer(.parent, on: "2023-04-01"), Self.answer(.pupil, on: "2023-04-20")])
        #expect(state(both, on: "2023-05-01").state == .given)
        let facts = ConsentReading.facts([parentOnly], on: Self.day("2023-05-01")).map(\.fact)
        #expect(engine.evaluate(request(from: jgz, to: swv, fields: ["absence"], age: 12, consents: facts)).rule(for: "absence") == "consent-wrong-giver")
    }

    @Test("Fn 28: on the 12th birthday a parent's consent needs renewal, with that day; on the 16th a parents-only consent does")
    func fn28_birthdaysMakeConsentsNeedRenewal() {
        let atEleven = Self.recorded([Self.answer(.parent, on: "2022-06-01")])
        #expect(state(atEleven, on: "2023-03-03").state == .given, "the day before the 12th birthday")
        let twelve = state(atEleven, on: "2023-03-04")
        #expect(twelve.state == .needsRenewal && twelve.renewalSince == Self.day("2023-03-04") && twelve.renewalAge == 12 && twelve.missing == [.pupil])
        let atFifteen = Self.recorded([Self.answer(.parent, on: "2026-01-01"), Self.answer(.otherParent, on: "2026-01-02")])
        #expect(state(atFifteen, on: "2027-03-03").state == .pending, "15: parents alone never sufficed")
        let bothAtFifteen = Self.recorded([Self.answer(.parent, on: "2026-01-01"), Self.answer(.pupil, on: "2026-01-02")])
        #expect(state(bothAtFifteen, on: "2027-03-04").state == .given, "16: the pupil's own consent is among them")
        let parentsAtFour = Self.recorded([Self.answer(.legalRepresentative, on: "2015-06-01")])
        let sixteen = state(parentsAtFour, on: "2027-03-04")
        #expect(sixteen.state == .needsRenewal && sixteen.renewalSince == Self.day("2023-03-04"), "the first birthday it stopped sufficing")
    }

    @Test("Fn 28, interpretation: born on 29 February, a year older on 1 March of a common year; 12 and 16 fall on 29 February")
    func fn28_interpretation_leapDayBirthdays() {
        let leap = CalendarDate(year: 2012, month: 2, day: 29)!
        let consent = Self.recorded([Self.answer(.parent, on: "2023-01-01")])
        #expect(consent.standing(on: Self.day("2024-02-28"), birthDate: leap, policy: covenant.consent).state == .given)
        let twelve = consent.standing(on: Self.day("2024-02-29"), birthDate: leap, policy: covenant.consent)
        #expect(twelve.state == .needsRenewal && twelve.renewalSince == Self.day("2024-02-29"))
        #expect(leap.anniversary(11) == Self.day("2023-03-01") && leap.anniversary(16) == Self.day("2028-02-29"))
    }

    @Test("Art. 6.1, interpretation: a consent holds through its end date, lapses after it and counts for nothing; the notice is due 42 days before")
    func art6_1_interpretation_endDateLapsesAfterTheDay() throws {
        let consent = Self.recorded([Self.answer(.parent, on: "2021-05-01")], endsOn: "2021-07-31")
        let notice = try #require(covenant.consent.endNotice)
        #expect(notice.daysBefore == 42)
        #expect(!consent.endNoticeDue(on: Self.day("2021-06-18"), daysBefore: notice.daysBefore))
        #expect(consent.endNoticeDue(on: Self.day("2021-06-19"), daysBefore: notice.daysBefore), "42 days before 31 July")
        #expect(consent.endNoticeDue(on: Self.day("2021-07-31"), daysBefore: notice.daysBefore))
        #expect(state(consent, on: "2021-07-31").state == .given)
        #expect(state(consent, on: "2021-08-01").state == .lapsed)
        #expect(!consent.endNoticeDue(on: Self.day("2021-08-01"), daysBefore: notice.daysBefore))
        #expect(ConsentReading.facts([consent], on: Self.day("2021-08-01")).isEmpty)
        #expect(ConsentReading.facts([consent], on: Self.day("2021-07-31")).count == 1)
    }

    @Test("Fn 28: parents, other parent and legal representative are the engine's parent; a revoked consent stays a revoked fact (fn 26)")
    func fn28_giversMapToTheEngine() {
        #expect(ConsentAnswerer.allCases.filter { $0.engineGiver == .parent } == [.parent, .otherParent, .legalRepresentative])
        let revoked = Self.recorded([Self.answer(.pupil)], revoked: true)
        let facts = ConsentReading.facts([revoked], on: Self.day("2024-02-01"))
        #expect(facts.count == 1 && facts[0].fact.revoked && facts[0].fact.givenBy == [.pupil])
        #expect(state(revoked, on: "2024-02-01").state == .revoked)
    }

    @Test("Calendar arithmetic: days through the Julian day number, across months, leap days and years")
    func calendarArithmetic() {
        #expect(Self.day("2021-07-31").adding(days: -42) == Self.day("2021-06-19"))
        #expect(Self.day("2024-02-28").adding(days: 1) == Self.day("2024-02-29"))
        #expect(Self.day("2023-12-31").adding(days: 1) == Self.day("2024-01-01"))
        var date = Self.day("1999-12-25")
        for _ in 0..<1000 { date = date.adding(days: 1) }
        #expect(date == Self.day("2002-09-20"))
    }
}

/// Verzuimprotocol 5.5.4 as flows the engine decides: the school's report of worrying sick
/// leave to the CJG needs consent, and the CJG's feedback without consent says only that a
/// conversation took place.
@Suite("Protocol 5.5.4 flows")
struct SickLeaveFlowTests {
    @Test("Protocol 5.5.4: the school reports sick leave (absence) directly to the CJG only with consent of ouder/leerling by fn 28")
    func protocol5_5_4_sickLeaveReportToCjgNeedsConsent() {
        let forum = Forum.direct
        let without = engine.evaluate(request(from: school, to: jgz, in: forum, fields: ["absence", "lastSchool"], age: 14))
        #expect(without.rule(for: "absence") == "sick-leave-report-needs-consent" && without.released == ["lastSchool"])
        let parentOnly = engine.evaluate(request(from: school, to: jgz, in: forum, fields: ["absence"], age: 14,
                                                 consents: [consent(by: [.parent], to: [.jgz], fields: [.absence])]))
        #expect(parentOnly.rule(for: "absence") == "sick-leave-report-needs-consent")
        let both = engine.evaluate(request(from: school, to: jgz, in: forum, fields: ["absence"], age: 14,
                                           consents: [consent(by: [.parent, .pupil], to: [.jgz], fields: [.absence])]))
        #expect(both.released == ["absence"])
        // Interpretation: in the anonymous verzuimoverleg no consent is asked (Bijlage 3.1 sub 4), and in the
        // casusoverleg the school shares with all participants on art. 4.3: neither is the report of 5.5.4.
        for other in [Forum.verzuimoverleg, .casusoverleg] {
            #expect(engine.evaluate(request(from: school, to: jgz, in: other, fields: ["absence"], age: 14)).released == ["absence"], "\(other)")
        }
    }

    @Test("Protocol 5.5.4, Bijlage 3.2 sub 4: in the SOT the report needs consent for the question")
    func protocol5_5_4_sickLeaveReportInTheSotNeedsConsentPerQuestion() {
        let answer = engine.evaluate(request(from: school, to: jgz, in: .sot, fields: ["absence"], question: "q-a", age: 14,
                                             consents: [consent(to: [.jgz], fields: [.absence], question: "q-b")]))
        #expect(answer.rule(for: "absence") == "sot-question-consent")
    }

    @Test("Protocol 5.5.4 procedure CJG sub 4: the CJG tells the school, without consent, only that a conversation took place")
    func protocol5_5_4_cjgFeedbackCarriesOnlyThatAConversationTookPlace() {
        let answer = engine.evaluate(request(from: jgz, to: school, in: .cjgTerugkoppeling, purpose: "3.1.g",
                                             fields: ["conversationHeld", "healthData", "absence", "name"], age: 14))
        #expect(answer.released == ["conversationHeld"])
        #expect(Set(answer.withheld.map(\.citation.rule)) == ["field-not-for-forum"])
        #expect(answer.basis.map(\.article) == ["verzuimprotocol 5.5.4 procedure CJG sub 4; Bijlage 4"])
        // Only the CJG, only to a school board; and the field goes nowhere else.
        #expect(engine.evaluate(request(from: jgz, to: swv, in: .cjgTerugkoppeling, fields: ["conversationHeld"])).reasonRules
                    .contains("forum-not-participant"))
        #expect(engine.evaluate(request(from: school, to: jgz, in: .cjgTerugkoppeling, fields: ["conversationHeld"])).decision == .deny)
        #expect(engine.evaluate(request(from: jgz, to: school, in: .direct, fields: ["conversationHeld"],
                                        consents: [consent(to: [.schoolbestuur], fields: [.conversationHeld])]))
                    .rule(for: "conversationHeld") == "field-not-for-forum")
    }
}
