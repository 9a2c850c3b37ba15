import Testing
@testable import SluisCovenant

/// Situations the source text itself describes, decided as it describes them.
@Suite("The covenant's own examples")
struct CovenantExampleTests {
    /// Bijlage 3.3 sub 4: "Indien de leerling in DUO wordt gemeld en wanneer het CJG toestemming
    /// heeft van ouders/jongere dan wordt de leerling met naam en geboortedatum besproken".
    @Test("Bijlage 3.3 sub 4: after a DUO melding and with the CJG's consent, name and birth date at the thuiszitterstafel")
    func bijlage3_3_nameAndBirthDateWithDuoAndConsent() {
        let cjg = engine.evaluate(request(from: jgz, to: swv, in: .thuiszitterstafel, fields: ["name", "birthDate", "absence"],
                                          duo: true, caseType: "absoluut-verzuim",
                                          consents: [consent(to: [.swv], fields: [.name, .birthDate, .absence])]))
        #expect(cjg.released == ["name", "birthDate", "absence"])
        let swvMinutes = engine.evaluate(request(from: swv, to: leerplicht, in: .thuiszitterstafel, fields: ["name", "birthDate", "absence"],
                                                 duo: true, caseType: "absoluut-verzuim"))
        #expect(swvMinutes.released == ["name", "birthDate", "absence"])
        #expect(swvMinutes.identity == .identified)
    }

    /// Protocol 5.4.1: "Zolang er nog geen DUO-melding is gemaakt door school wordt de leerling
    /// anoniem besproken met de leerplichtambtenaar."
    @Test("Protocol 5.4.1: before a DUO melding the pupil is discussed anonymously with leerplicht")
    func protocol5_4_1_anonymousBeforeDuo() {
        for forum in [Forum.verzuimoverleg, .casusoverleg, .thuiszitterstafel] {
            let answer = engine.evaluate(request(from: school, to: leerplicht, in: forum, fields: ["name", "absence"],
                                                 duo: false, caseType: "verzuim"))
            #expect(!answer.released.contains("name"), "forum \(forum.rawValue)")
        }
    }

    /// Bijlage 3.1 sub 5: "Indien nodig wordt bij leerplicht informatie opgevraagd, hiervoor moet
    /// eerst een DUO-melding zijn gedaan."
    @Test("Bijlage 3.1 sub 5: information from leerplicht about a pupil needs a DUO melding first")
    func bijlage3_1_leerplichtInformationAfterDuo() {
        let before = engine.evaluate(request(from: leerplicht, to: school, fields: ["name", "masInterventions"], duo: false))
        let after = engine.evaluate(request(from: leerplicht, to: school, fields: ["name", "masInterventions"], duo: true))
        #expect(before.released == ["masInterventions"])
        #expect(after.released == ["name", "masInterventions"])
    }

    /// Footnote 34 at Bijlage 3.1: "Wanneer de Jeugdverpleegkundige aanschuift om een leerling te
    /// bespreken is altijd toestemming van de ouders en/of de leerling nodig."
    @Test("Bijlage 3.1 fn 34: the jeugdverpleegkundige discusses a pupil in the verzuimoverleg only with consent")
    func bijlage3_1_fn34_jeugdverpleegkundigeNeedsConsent() {
        let without = engine.evaluate(request(from: jgz, to: school, in: .verzuimoverleg, fields: ["absence"], duo: false))
        #expect(without.decision == .deny)
        let with = engine.evaluate(request(from: jgz, to: school, in: .verzuimoverleg, fields: ["absence", "name"], duo: false,
                                           consents: [consent(to: [.schoolbestuur], fields: [.absence, .name])]))
        #expect(with.released == ["absence"], "anonymous even with consent: Bijlage 3.1 sub 4")
    }

    /// Bijlage 3.2 sub 4: "Voor een nieuwe hulpvraag moet opnieuw toestemming worden gevraagd."
    @Test("Bijlage 3.2 sub 4: a new support question needs new consent")
    func bijlage3_2_newQuestionNewConsent() {
        let old = consent(to: [.jgz], fields: [.absence], question: "vraag 1")
        let answer = engine.evaluate(request(from: school, to: jgz, in: .sot, fields: ["absence"], question: "vraag 2", consents: [old]))
        #expect(answer.decision == .deny)
        let renewed = engine.evaluate(request(from: school, to: jgz, in: .sot, fields: ["absence"], question: "vraag 2",
                                              consents: [old, consent(to: [.jgz], fields: [.absence], question: "vraag 2")]))
        #expect(renewed.released == ["absence"])
    }

    /// Footnote 23: "Tussen gemeente en school is uitwisseling van BSN wel mogelijk."
    @Test("Fn 23: the BSN goes between gemeente and school, both ways, after a DUO melding")
    func fn23_bsnBetweenGemeenteAndSchool() {
        #expect(engine.evaluate(request(from: leerplicht, to: school, fields: ["bsn"], duo: true)).released == ["bsn"])
        #expect(engine.evaluate(request(from: school, to: leerplicht, fields: ["bsn"], duo: true)).released == ["bsn"])
    }

    /// Art. 11.5 with fn 26: after revocation the recipient's consent lapses too; what went before stays lawful.
    @Test("Art. 11.5: a revoked consent blocks the next disclosure that the same consent allowed before")
    func art11_5_revocationBlocksTheNext() {
        var given = consent(to: [.schoolbestuur], fields: [.supportFacts])
        let before = engine.evaluate(request(from: jeugdhulp, to: school, fields: ["supportFacts"], consents: [given]))
        given.revoked = true
        let after = engine.evaluate(request(from: jeugdhulp, to: school, fields: ["supportFacts"], consents: [given]))
        #expect(before.released == ["supportFacts"])
        #expect(after.decision == .deny && after.reasonRules == ["consent-revoked"])
    }
}
