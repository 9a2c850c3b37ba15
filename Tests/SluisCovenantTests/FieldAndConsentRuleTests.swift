import Testing
@testable import SluisCovenant

/// Field-level rules: the vocabulary, special data and consent (art. 5.1, 4.2, 6.1, 11.5, fn 28).
@Suite("Fields and consent")
struct FieldAndConsentRuleTests {
    @Test("Art. 5.1: a field outside the vocabulary is withheld, the rest still goes",
          arguments: ["religion", "phoneNumber", "Name", "grades"])
    func art5_1_unknownFieldIsWithheld(name: String) {
        let answer = engine.evaluate(request(fields: [name, "absence"]))
        #expect(answer.released == ["absence"])
        #expect(answer.rule(for: name) == "field-not-in-covenant")
        #expect(answer.withheld.first?.citation.article.contains("5.1") == true)
    }

    @Test("Art. 5.1 fn 23: the SWV never receives a BSN", arguments: [Forum.casusoverleg, .direct, .sot])
    func art5_1_fn23_bsnNeverToSwv(forum: Forum) {
        let answer = engine.evaluate(request(
            from: school, to: swv, in: forum, fields: ["bsn", "name"], question: "q",
            consents: [consent(to: [.swv], fields: Field.allCases, question: forum == .sot ? "q" : nil)]))
        #expect(answer.rule(for: "bsn") == "bsn-not-to-swv")
        #expect(answer.released == ["name"])
    }

    /// Issue 8: fn 23 is about the SWV's own processing ("Samenwerkingsverbanden mogen op dit
    /// moment nog geen BSN registeren"): what it may not register, it neither receives nor sends.
    @Test("Art. 5.1 sub b fn 23: the SWV sends no BSN either, to nobody, in no forum",
          arguments: [school, leerplicht, jeugdEnGezin, jgz, jeugdhulp], [Forum.casusoverleg, .direct])
    func art5_1_b_fn23_swvSendsNoBsn(recipient: PartyRef, forum: Forum) {
        let answer = engine.evaluate(request(
            from: swv, to: recipient, in: forum, fields: ["bsn", "absence"], duo: true,
            consents: [consent(to: PartyKind.allCases, fields: Field.allCases)]))
        #expect(answer.rule(for: "bsn") == "bsn-not-to-swv")
        #expect(answer.withheld.first?.citation.article.contains("voetnoot 23") == true)
        #expect(answer.released == ["absence"])
    }

    @Test("Art. 5.1 sub b fn 23: the SWV sends no BSN in the SOT either, even with consent for the question")
    func art5_1_b_fn23_swvSendsNoBsnInTheSot() {
        let answer = engine.evaluate(request(
            from: swv, to: school, in: .sot, fields: ["bsn", "name"], question: "q",
            consents: [consent(to: [.schoolbestuur], fields: Field.allCases, question: "q")]))
        #expect(answer.rule(for: "bsn") == "bsn-not-to-swv")
        #expect(answer.released == ["name"])
    }

    @Test("Art. 5.1 fn 23: between school and gemeente the BSN may go")
    func art5_1_fn23_bsnBetweenSchoolAndGemeente() {
        let answer = engine.evaluate(request(from: school, to: leerplicht, fields: ["bsn"], duo: true))
        #expect(answer.released == ["bsn"])
    }

    @Test("Art. 4.2 fn 20: the SWV gives health data only to the school, even with consent")
    func art4_2_fn20_swvHealthOnlyToSchool() {
        let full = [consent(to: PartyKind.allCases, fields: [.healthData])]
        let toJgz = engine.evaluate(request(from: swv, to: jgz, fields: ["healthData"], consents: full))
        let toSchool = engine.evaluate(request(from: swv, to: school, fields: ["healthData"], consents: full))
        #expect(toJgz.rule(for: "healthData") == "swv-health-only-to-school")
        #expect(toSchool.released == ["healthData"])
    }

    @Test("Art. 1.2, 4.2, 6.1 sub b: health data goes only with explicit consent, and then on 9(2)(a)")
    func art4_2_healthDataNeedsExplicitConsent() {
        let without = engine.evaluate(request(from: school, to: jgz, fields: ["healthData", "absence"]))
        #expect(without.rule(for: "healthData") == "special-category-needs-consent")
        #expect(without.released == ["absence"])
        let with = engine.evaluate(request(from: school, to: jgz, fields: ["healthData"],
                                           consents: [consent(to: [.jgz], fields: [.healthData])]))
        #expect(with.released == ["healthData"])
        #expect(with.basis.contains { $0.gdpr == "9(2)(a)" })
    }

    @Test("Art. 6.1: consent for another recipient or another field does not count")
    func art6_1_consentIsScoped() {
        let answer = engine.evaluate(request(from: school, to: jgz, fields: ["healthData"],
                                             consents: [consent(to: [.swv], fields: [.healthData]),
                                                        consent(to: [.jgz], fields: [.absence])]))
        #expect(answer.rule(for: "healthData") == "special-category-needs-consent")
    }

    @Test("Hoofdstuk 10 (WGBO): the CJG shares nothing without consent")
    func chapter10_jgzNeedsConsent() {
        let answer = engine.evaluate(request(from: jgz, to: school, fields: ["absence", "supportFacts"]))
        #expect(answer.decision == .deny)
        #expect(answer.reasonRules == ["consent-required"])
        #expect(answer.reasons.first?.article.contains("hoofdstuk 10") == true)
    }

    @Test("Hoofdstuk 10 and art. 6.1 sub b: the CJG shares exactly what the consent covers")
    func chapter10_jgzSharesWhatConsentCovers() {
        let answer = engine.evaluate(request(from: jgz, to: school, fields: ["absence", "supportFacts"],
                                             consents: [consent(to: [.schoolbestuur], fields: [.absence])]))
        #expect(answer.released == ["absence"])
        #expect(answer.rule(for: "supportFacts") == "consent-required")
        #expect(answer.basis.map(\.gdpr) == ["6(1)(a)"])
    }

    @Test("Art. 6.1 sub d, 11.5: after revocation nothing further goes")
    func art6_1_d_revokedConsentStopsDisclosure() {
        let revoked = consent(to: [.schoolbestuur], fields: [.absence], revoked: true)
        let answer = engine.evaluate(request(from: jgz, to: school, fields: ["absence"], consents: [revoked]))
        #expect(answer.decision == .deny)
        #expect(answer.rule(for: "absence") == "consent-revoked")
        #expect(answer.reasons.first?.article.contains("11.5") == true)
    }

    @Test("Art. 6.1: a new valid consent next to a revoked one counts")
    func art6_1_validConsentBesideRevokedOne() {
        let answer = engine.evaluate(request(from: jgz, to: school, fields: ["absence"], consents: [
            consent(to: [.schoolbestuur], fields: [.absence], revoked: true),
            consent(to: [.schoolbestuur], fields: [.absence]),
        ]))
        #expect(answer.released == ["absence"])
    }

    struct GiverCase: Sendable, CustomTestStringConvertible {
        let age: Int
        let givers: ConsentGiverSet
        let valid: Bool
        var testDescription: String { "age \(age), given by \(givers.givers.map(\.rawValue)) → \(valid ? "valid" : "not valid")" }
    }

    /// fn 28 at art. 13.1 and ch. 10: under 12 the parent, 12–15 parent and pupil, 16+ the pupil.
    @Test("Fn 28, hoofdstuk 10: who gives consent depends on age", arguments: [
        GiverCase(age: 11, givers: [.parent], valid: true), GiverCase(age: 11, givers: [.pupil], valid: false),
        GiverCase(age: 12, givers: [.parent, .pupil], valid: true), GiverCase(age: 14, givers: [.parent], valid: false),
        GiverCase(age: 15, givers: [.pupil], valid: false), GiverCase(age: 16, givers: [.pupil], valid: true),
        GiverCase(age: 16, givers: [.parent], valid: false), GiverCase(age: 17, givers: [.parent, .pupil], valid: true),
    ])
    func fn28_consentGiverDependsOnAge(_ example: GiverCase) {
        let answer = engine.evaluate(request(from: jgz, to: school, fields: ["absence"], age: example.age,
                                             consents: [consent(by: example.givers, to: [.schoolbestuur], fields: [.absence])]))
        if example.valid {
            #expect(answer.released == ["absence"])
        } else {
            #expect(answer.rule(for: "absence") == "consent-wrong-giver")
        }
    }

    /// Issue 8: fn 28 ("Tussen 12 en 16 jaar geldt dit recht voor betrokkene en wettelijk
    /// vertegenwoordiger allebei") and ch. 10: a parent's and a pupil's written consent, recorded
    /// separately, together are the consent of both. Consent facts combine per field across the
    /// non-revoked records of the same scope (this recipient kind, this SOT question or none).
    @Test("Fn 28, ch. 10: at 12–15 a parent's and a pupil's separate consents of the same scope together suffice",
          arguments: [12, 14, 15])
    func fn28_separateParentAndPupilConsentsCombine(age: Int) {
        let answer = engine.evaluate(request(from: jgz, to: school, fields: ["absence", "supportFacts"], age: age, consents: [
            consent(by: [.parent], to: [.schoolbestuur], fields: [.absence, .supportFacts]),
            consent(by: [.pupil], to: [.schoolbestuur, .swv], fields: [.absence]),
        ]))
        #expect(answer.released == ["absence"])
        #expect(answer.rule(for: "supportFacts") == "consent-wrong-giver", "only the parent consented to supportFacts")
    }

    @Test("Fn 28, Bijlage 3.2 sub 4: separate consents combine in the SOT when both are for this question")
    func fn28_separateConsentsCombineForTheSameSotQuestion() {
        let parent = consent(by: [.parent], to: [.swv], fields: [.absence, .name], question: "q1")
        let pupilSame = consent(by: [.pupil], to: [.swv], fields: [.absence, .name], question: "q1")
        let pupilOther = consent(by: [.pupil], to: [.swv], fields: [.absence, .name], question: "q2")
        let same = engine.evaluate(request(from: school, to: swv, in: .sot, fields: ["name", "absence"], question: "q1",
                                           age: 13, consents: [parent, pupilSame]))
        let other = engine.evaluate(request(from: school, to: swv, in: .sot, fields: ["name", "absence"], question: "q1",
                                            age: 13, consents: [parent, pupilOther]))
        #expect(same.released == ["name", "absence"])
        #expect(other.decision == .deny && other.reasonRules == ["consent-wrong-giver"])
    }

    @Test("Fn 28: consents of another scope do not combine — another recipient, another field, a revoked one")
    func fn28_onlyConsentsOfTheSameScopeCombine() {
        let parent = consent(by: [.parent], to: [.schoolbestuur], fields: [.absence])
        func released(_ other: ConsentFact) -> [String] {
            engine.evaluate(request(from: jgz, to: school, fields: ["absence"], age: 14, consents: [parent, other])).released
        }
        #expect(released(consent(by: [.pupil], to: [.swv], fields: [.absence])).isEmpty, "another recipient")
        #expect(released(consent(by: [.pupil], to: [.schoolbestuur], fields: [.supportFacts])).isEmpty, "another field")
        let revoked = engine.evaluate(request(from: jgz, to: school, fields: ["absence"], age: 14, consents: [
            parent, consent(by: [.pupil], to: [.schoolbestuur], fields: [.absence], revoked: true),
        ]))
        #expect(revoked.rule(for: "absence") == "consent-revoked", "the pupil's part was revoked (art. 11.5)")
        #expect(released(consent(by: [.pupil], to: [.schoolbestuur], fields: [.absence])) == ["absence"])
    }

    @Test("Fn 28: from 16 the pupil's own consent suffices, beside or without a parent's", arguments: [16, 17])
    func fn28_from16ThePupilConsents(age: Int) {
        let answer = engine.evaluate(request(from: jgz, to: school, fields: ["absence"], age: age, consents: [
            consent(by: [.parent], to: [.schoolbestuur], fields: [.absence]),
            consent(by: [.pupil], to: [.schoolbestuur], fields: [.absence]),
        ]))
        #expect(answer.released == ["absence"])
    }

    @Test("A repeated field name counts once")
    func repeatedFieldCountsOnce() {
        let answer = engine.evaluate(request(fields: ["absence", "absence", "x", "x"]))
        #expect(answer.released == ["absence"])
        #expect(answer.withheld.map(\.field) == ["x"])
    }
}
