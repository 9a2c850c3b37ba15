import Testing
@testable import SluisCovenant

/// Art. 4: every permit names its legal basis; without one nothing goes.
@Suite("Legal bases (art. 4)")
struct LegalBasisTests {
    @Test("Art. 4: without a legal basis nothing goes, even between participants of a forum")
    func art4_withoutLegalBasisNothingGoes() throws {
        // Narrow the SWV's public-task basis so that it no longer covers the casusoverleg.
        let sources = shippedSources(
            replacing: "  - id: swv-algemeen-belang\n    sender: swv\n    recipients: [gemeente, swv, schoolbestuur, jgz, jeugdhulpaanbieder]\n    forums: [sot, thuiszitterstafel, casusoverleg, direct]",
            with: "  - id: swv-algemeen-belang\n    sender: swv\n    recipients: [gemeente, swv, schoolbestuur, jgz, jeugdhulpaanbieder]\n    forums: [sot, thuiszitterstafel, direct]",
            in: "bases.yaml")
        let narrowed = DecisionEngine(policy: try PolicyLoader.load(sources))
        let answer = narrowed.evaluate(request(from: swv, to: jgz, in: .casusoverleg, fields: ["absence"]))
        #expect(answer.decision == .deny)
        #expect(answer.reasonRules == ["no-legal-basis"])
        #expect(answer.reasons.first?.article == "convenant art. 4")
        // The shipped set does cover it.
        #expect(engine.evaluate(request(from: swv, to: jgz, in: .casusoverleg, fields: ["absence"])).decision == .permit)
    }

    @Test("Art. 4.1: the gemeente on public task (Lpw art. 16, Jeugdwet 2.3); to school boards also Jeugdwet 2.7")
    func art4_1_gemeente() {
        let toSchool = engine.evaluate(request(from: gemeente, to: school, fields: ["masInterventions"]))
        #expect(toSchool.basis.map(\.article) == ["convenant art. 4.1", "convenant art. 4.1"])
        #expect(toSchool.basis.flatMap(\.law) == ["Leerplichtwet art. 16", "Jeugdwet art. 2.3", "Jeugdwet art. 2.7"])
        let toJgz = engine.evaluate(request(from: gemeente, to: jgz, fields: ["masInterventions"]))
        #expect(toJgz.basis == [LegalBasis(gdpr: "6(1)(e)", law: ["Leerplichtwet art. 16", "Jeugdwet art. 2.3"], article: "convenant art. 4.1")])
    }

    @Test("Art. 4.2: the SWV on public task; for its school boards on WPO 18a / WVO 17a as a legal obligation")
    func art4_2_swv() {
        let toSchool = engine.evaluate(request(from: swv, to: school, fields: ["schoolInterventions"]))
        #expect(toSchool.basis.map(\.gdpr) == ["6(1)(e)", "6(1)(c)"])
        #expect(toSchool.basis.last?.law.contains("WPO art. 18a lid 2, 6 en 13") == true)
        #expect(toSchool.basis.allSatisfy { $0.article == "convenant art. 4.2" })
    }

    @Test("Art. 4.3: the school board to the SWV on WPO 18a(13) / WVO 17a(14); to the care side on WPO 8(4) / WVO 17b(1)")
    func art4_3_schoolbestuur() {
        let toSwv = engine.evaluate(request(from: school, to: swv, fields: ["absence"]))
        #expect(toSwv.basis == [LegalBasis(gdpr: "6(1)(e)", law: ["WPO art. 18a lid 13", "WVO art. 17a lid 14"], article: "convenant art. 4.3")])
        let toJgz = engine.evaluate(request(from: school, to: jgz, fields: ["absence"]))
        #expect(toJgz.basis.contains(LegalBasis(gdpr: "6(1)(c)", law: ["WPO art. 8 lid 4", "WVO art. 17b lid 1"], article: "convenant art. 4.3")))
    }

    @Test("Art. 4.2, AVG 9(2)(a): released health data adds the explicit-consent ground")
    func art4_2_healthDataAddsNinetwoA() {
        let answer = engine.evaluate(request(from: school, to: jgz, fields: ["healthData", "absence"],
                                             consents: [consent(to: [.jgz], fields: [.healthData])]))
        #expect(answer.basis.last == covenant.specialCategoryBasis)
        let withoutHealth = engine.evaluate(request(from: school, to: jgz, fields: ["absence"],
                                                    consents: [consent(to: [.jgz], fields: [.healthData])]))
        #expect(!withoutHealth.basis.contains(covenant.specialCategoryBasis))
    }

    @Test("Art. 4.4 and 6.1 sub b: a consent-only basis is named only when a consented field goes")
    func art4_4_consentBasisOnlyWithConsentedField() {
        let answer = engine.evaluate(request(from: jeugdhulp, to: swv, fields: ["guardianship"],
                                             consents: [consent(to: [.swv], fields: [.guardianship])]))
        #expect(answer.basis == [LegalBasis(gdpr: "6(1)(a)", law: ["Jeugdwet art. 7.3.11"], article: "convenant art. 4.4; art. 6.1")])
    }
}
