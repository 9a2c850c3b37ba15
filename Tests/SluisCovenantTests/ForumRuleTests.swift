import Testing
@testable import SluisCovenant

/// Who takes part in which forum and what may go there (Bijlage 3, art. 5.6, Lpw art. 21a).
@Suite("Forums of Bijlage 3")
struct ForumRuleTests {
    @Test("Bijlage 3.2 sub 1: the leerplichtambtenaar takes no part in the SOT")
    func bijlage3_2_leerplichtIsNotInTheSot() {
        let answer = engine.evaluate(request(from: school, to: leerplicht, in: .sot, question: "q1",
                                             consents: [consent(to: [.gemeente], fields: Field.allCases, question: "q1")]))
        #expect(answer.decision == .deny)
        #expect(answer.reasonRules.first == "forum-not-participant")
    }

    @Test("Bijlage 3.3 sub 1: a jeugdhulpaanbieder takes no part in the thuiszitterstafel")
    func bijlage3_3_jeugdhulpIsNotAtTheThuiszitterstafel() {
        let answer = engine.evaluate(request(from: swv, to: jeugdhulp, in: .thuiszitterstafel, caseType: "verzuim"))
        #expect(answer.reasonRules == ["forum-not-participant"])
    }

    @Test("Bijlage 3.1 sub 1: the SWV takes no part in the verzuimoverleg")
    func bijlage3_1_swvIsNotInTheVerzuimoverleg() {
        let answer = engine.evaluate(request(from: school, to: swv, in: .verzuimoverleg, fields: ["absence"]))
        #expect(answer.reasonRules.first == "forum-not-participant")
    }

    @Test("Bijlage 3.1 sub 4, 5.4.1: the verzuimoverleg is anonymous, even after a DUO melding")
    func bijlage3_1_verzuimoverlegIsAnonymous() {
        let answer = engine.evaluate(request(from: school, to: leerplicht, in: .verzuimoverleg,
                                             fields: ["name", "absence", "schoolInterventions"], duo: true))
        #expect(answer.released == ["absence", "schoolInterventions"])
        #expect(answer.rule(for: "name") == "verzuimoverleg-anonymous")
        #expect(answer.identity == .pseudonymised)
    }

    @Test("Bijlage 3.1 sub 4: only the absence picture goes in the verzuimoverleg")
    func bijlage3_1_verzuimoverlegMinimisesFields() {
        let answer = engine.evaluate(request(from: school, to: leerplicht, in: .verzuimoverleg,
                                             fields: ["familySituation", "absence"], duo: false))
        #expect(answer.rule(for: "familySituation") == "field-not-for-forum")
        #expect(answer.withheld.first?.citation.article.contains("Bijlage 3.1") == true)
    }

    @Test("Lpw art. 21a, art. 4.3: only the school reports through DUO, to the leerplichtambtenaar")
    func art4_3_duoMeldingOnlySchoolToLeerplicht() {
        let fromSwv = engine.evaluate(request(from: swv, to: leerplicht, in: .duoMelding))
        let toSwv = engine.evaluate(request(from: school, to: swv, in: .duoMelding))
        let toJeugdEnGezin = engine.evaluate(request(from: school, to: jeugdEnGezin, in: .duoMelding))
        #expect(fromSwv.reasonRules.first == "forum-not-participant")
        #expect(toSwv.reasonRules.first == "forum-not-participant")
        #expect(toJeugdEnGezin.reasonRules.first == "forum-not-participant")
    }

    @Test("Lpw art. 21a: the DUO melding carries identity before any melding exists; basis 6(1)(c)")
    func art4_3_duoMeldingCarriesIdentity() {
        let answer = engine.evaluate(request(from: school, to: leerplicht, in: .duoMelding,
                                             fields: ["name", "bsn", "absence", "familySituation"], duo: false))
        #expect(answer.released == ["name", "bsn", "absence"])
        #expect(answer.rule(for: "familySituation") == "field-not-for-forum")
        #expect(answer.identity == .identified)
        #expect(answer.basis == [LegalBasis(gdpr: "6(1)(c)", law: ["Leerplichtwet art. 21a"], article: "convenant art. 4.3")])
    }

    /// Issue 8: the DUO melding is a legal duty (Lpw art. 21a, convenant art. 4.3) that does not
    /// wait for informing; the school tells pupil and parents after it (verzuimprotocol 5.5.2:
    /// "School informeert leerling en ouders"; Bijlage 3.1 sub 3).
    @Test("Lpw art. 21a, protocol 5.5.2: the DUO melding does not wait for informing",
          arguments: [(9, false), (14, false), (14, true), (17, false)])
    func lpwArt21aDuoMeldingDoesNotWaitForInforming(age: Int, duo: Bool) {
        let answer = engine.evaluate(request(from: school, to: leerplicht, in: .duoMelding,
                                             fields: ["name", "birthDate", "bsn", "absence"], age: age,
                                             duo: duo, informed: false))
        #expect(answer.decision == .permit)
        #expect(answer.released == ["name", "birthDate", "bsn", "absence"])
        #expect(answer.identity == .identified)
        #expect(answer.basis.map(\.gdpr) == ["6(1)(c)"])
    }

    @Test("Lpw art. 21a: the DUO melding needs no informing, but every other rule still holds")
    func lpwArt21aDuoMeldingUninformedStillMinimisedAndScoped() {
        let answer = engine.evaluate(request(from: school, to: leerplicht, in: .duoMelding,
                                             fields: ["name", "familySituation"], duo: false, informed: false))
        #expect(answer.released == ["name"])
        #expect(answer.rule(for: "familySituation") == "field-not-for-forum")
        let closed = engine.evaluate(request(from: school, to: leerplicht, in: .duoMelding, fields: ["name"],
                                             duo: false, informed: false, status: .closed))
        #expect(closed.reasonRules == ["case-closed"])
        let fromSwv = engine.evaluate(request(from: swv, to: leerplicht, in: .duoMelding, fields: ["name"], informed: false))
        #expect(fromSwv.reasonRules.first == "forum-not-participant")
    }

    @Test("Art. 12.1: outside the DUO melding and the verzuimoverleg, informing still comes first",
          arguments: [Forum.casusoverleg, .direct, .thuiszitterstafel])
    func art12_1_otherForumsStillWaitForInforming(forum: Forum) {
        let answer = engine.evaluate(request(from: swv, to: jgz, in: forum, fields: ["absence"], informed: false,
                                             caseType: "verzuim"))
        #expect(answer.reasonRules == ["not-informed"])
    }

    @Test("Art. 5.6: agreed actions go directly between parties")
    func art5_6_directBetweenParties() {
        let answer = engine.evaluate(request(from: gemeente, to: school, in: .direct, fields: ["masInterventions"]))
        #expect(answer.released == ["masInterventions"])
    }

    @Test("Bijlage 3.3 sub 4: the thuiszitterstafel minutes carry name and birth date, not address or BSN")
    func bijlage3_3_thuiszitterstafelMinimisesIdentity() {
        let answer = engine.evaluate(request(from: swv, to: jgz, in: .thuiszitterstafel,
                                             fields: ["name", "birthDate", "address", "bsn"], caseType: "ontheffing"))
        #expect(answer.released == ["name", "birthDate"])
        #expect(answer.rule(for: "address") == "field-not-for-forum")
        #expect(answer.rule(for: "bsn") == "field-not-for-forum")
    }

    @Test("Bijlage 3.3 sub 5: the school brings a pupil in through the SWV's kernteam")
    func bijlage3_3_schoolReportsToSwv() {
        let toSwv = engine.evaluate(request(from: school, to: swv, in: .thuiszitterstafel, caseType: "deels-belastbaar"))
        let toJgz = engine.evaluate(request(from: school, to: jgz, in: .thuiszitterstafel, caseType: "deels-belastbaar"))
        #expect(toSwv.decision == .permit)
        #expect(toJgz.reasonRules == ["forum-not-participant"])
    }

    @Test("Bijlage 3.2 sub 4: discussing a pupil in the SOT needs a described question")
    func bijlage3_2_sotNeedsAQuestion() {
        let answer = engine.evaluate(request(from: school, to: swv, in: .sot, question: nil,
                                             consents: [consent(to: [.swv], fields: Field.allCases)]))
        #expect(answer.decision == .deny)
        #expect(answer.reasonRules == ["sot-question-missing"])
    }

    @Test("Bijlage 3.2 sub 4: SOT consent counts for exactly its own question")
    func bijlage3_2_sotConsentPerQuestion() {
        let fields = ["name", "absence"]
        let forQuestion = consent(to: [.swv], fields: [.name, .absence], question: "leesproblemen")
        let same = engine.evaluate(request(from: school, to: swv, in: .sot, fields: fields, question: "leesproblemen", consents: [forQuestion]))
        let other = engine.evaluate(request(from: school, to: swv, in: .sot, fields: fields, question: "gedrag", consents: [forQuestion]))
        let general = engine.evaluate(request(from: school, to: swv, in: .sot, fields: fields, question: "gedrag",
                                              consents: [consent(to: [.swv], fields: [.name, .absence])]))
        #expect(same.released == fields)
        #expect(same.identity == .identified)
        #expect(other.decision == .deny && other.reasonRules == ["sot-question-consent"])
        #expect(general.decision == .deny && general.reasonRules == ["sot-question-consent"])
    }

    @Test("Bijlage 3.2: a question-bound consent does not count outside its question")
    func bijlage3_2_questionBoundConsentStaysBound() {
        let bound = consent(to: [.swv], fields: [.healthData], question: "leesproblemen")
        let answer = engine.evaluate(request(from: school, to: swv, fields: ["healthData"], consents: [bound]))
        #expect(answer.rule(for: "healthData") == "special-category-needs-consent")
    }
}
