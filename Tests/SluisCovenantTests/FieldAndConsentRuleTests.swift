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

    @Test("A repeated field name counts once")
    func repeatedFieldCountsOnce() {
        let answer = engine.evaluate(request(fields: ["absence", "absence", "x", "x"]))
        #expect(answer.released == ["absence"])
        #expect(answer.withheld.map(\.field) == ["x"])
    }
}
