import Testing
@testable import SluisCovenant

/// Request-level rules: who may take part, for which purpose, about whom, and when.
@Suite("Parties, purposes, scope, closure and informing")
struct PartyAndPurposeRuleTests {
    @Test("Preamble/art. 1.5: a third party is no sender under the covenant")
    func preamble_thirdPartyCannotSend() {
        let answer = engine.evaluate(request(from: derde, to: leerplicht))
        #expect(answer.decision == .deny)
        #expect(answer.released.isEmpty)
        #expect(answer.reasonRules.contains("sender-not-a-party"))
    }

    @Test("Art. 14.1–14.2: nothing goes to a third party (Halt, RvdK, OM, Veilig Thuis)")
    func art14_1_thirdPartyRecipientIsDenied() {
        let answer = engine.evaluate(request(from: school, to: derde, fields: ["absence"]))
        #expect(answer.decision == .deny)
        #expect(answer.reasons.first?.rule == "third-party-recipient")
        #expect(answer.reasons.first?.article.contains("14.1") == true)
    }

    @Test("Art. 14.3: a third party never receives identity, whatever else is true")
    func art14_3_thirdPartyNeverGetsIdentity() {
        for forum in Forum.allCases {
            let answer = engine.evaluate(request(
                from: jgz, to: derde, in: forum, fields: ["name", "bsn", "address"], duo: true,
                consents: [consent(to: PartyKind.allCases, fields: Field.allCases)]))
            #expect(answer.identity == .pseudonymised)
            #expect(answer.released.isEmpty)
        }
    }

    @Test("Art. 18.1–18.3, Bijlage 1: a jeugdhulpaanbieder without completed accession neither sends nor receives")
    func art18_accessionIncompleteIsDenied() {
        let pending = PartyRef(kind: .jeugdhulpaanbieder, joined: false)
        let consents = [consent(to: PartyKind.allCases, fields: Field.allCases)]
        let sending = engine.evaluate(request(from: pending, to: school, consents: consents))
        let receiving = engine.evaluate(request(from: school, to: pending, fields: ["absence"]))
        #expect(sending.decision == .deny && sending.reasonRules == ["accession-incomplete"])
        #expect(receiving.decision == .deny && receiving.reasonRules == ["accession-incomplete"])
    }

    @Test("Art. 18 and 4.4: a jeugdhulpaanbieder that has acceded shares on consent, basis 6(1)(a)")
    func art4_4_joinedJeugdhulpaanbiederSharesOnConsent() {
        let answer = engine.evaluate(request(
            from: jeugdhulp, to: school, fields: ["guardianship", "supportFacts"],
            consents: [consent(to: [.schoolbestuur], fields: [.guardianship])]))
        #expect(answer.released == ["guardianship"])
        #expect(answer.rule(for: "supportFacts") == "consent-required")
        #expect(answer.basis.map(\.gdpr) == ["6(1)(a)"])
        #expect(answer.basis.first?.article.contains("4.4") == true)
    }

    @Test("Art. 3.1 and 3.3: a purpose outside 3.1 a–g is a deny, not an error", arguments: ["3.1.h", "3.2", "marketing", "3.1"])
    func art3_3_purposeOutsideCovenantIsDenied(purpose: String) {
        let answer = engine.evaluate(request(purpose: purpose))
        #expect(answer.decision == .deny)
        #expect(answer.reasonRules == ["purpose-not-in-covenant"])
        #expect(answer.withheld.count == 3)
    }

    @Test("Art. 3.1: each listed purpose a–g is accepted", arguments: ["a", "b", "c", "d", "e", "f", "g"])
    func art3_1_everyListedPurposeIsAccepted(letter: String) {
        #expect(engine.evaluate(request(purpose: "3.1.\(letter)")).decision == .permit)
    }

    @Test("Art. 1.11 and 1.13: only a young person of 5 to 17 is a thuiszitter", arguments: [0, 4, 18, 23, 150])
    func art1_11_pupilOutsideAgeScopeIsDenied(age: Int) {
        let answer = engine.evaluate(request(age: age, consents: []))
        #expect(answer.decision == .deny)
        #expect(answer.reasonRules.contains("pupil-out-of-scope"))
    }

    @Test("Art. 1.11: the age bounds 5 and 17 are inside", arguments: [5, 17])
    func art1_11_ageBoundsAreInside(age: Int) {
        #expect(engine.evaluate(request(age: age)).decision == .permit)
    }

    @Test("Art. 5.5 and 9.2: a closed case discloses nothing")
    func art5_5_closedCaseIsDenied() {
        let answer = engine.evaluate(request(status: .closed))
        #expect(answer.decision == .deny)
        #expect(answer.reasonRules == ["case-closed"])
    }

    @Test("Art. 12.1: nothing goes before the pupil/parents were informed")
    func art12_1_uninformedPupilIsDenied() {
        let answer = engine.evaluate(request(informed: false))
        #expect(answer.decision == .deny)
        #expect(answer.reasonRules == ["not-informed"])
    }

    @Test("Bijlage 3.1 sub 4: the anonymous verzuimoverleg needs no informing")
    func bijlage3_1_verzuimoverlegNeedsNoInforming() {
        let answer = engine.evaluate(request(
            from: school, to: leerplicht, in: .verzuimoverleg, fields: ["absence"], duo: false, informed: false))
        #expect(answer.decision == .permit)
        #expect(answer.released == ["absence"])
        #expect(answer.identity == .pseudonymised)
    }

    @Test("Art. 7.1: a request for no fields releases nothing")
    func art7_1_noFieldsRequestedIsDenied() {
        let answer = engine.evaluate(request(fields: []))
        #expect(answer.decision == .deny)
        #expect(answer.reasonRules == ["no-fields-requested"])
    }

    @Test("Every blocking rule is reported, each with its article")
    func everyBlockingRuleIsReported() {
        let answer = engine.evaluate(request(purpose: "x", age: 30, informed: false, status: .closed))
        #expect(Set(answer.reasonRules) == ["purpose-not-in-covenant", "pupil-out-of-scope", "case-closed", "not-informed"])
        #expect(answer.reasons.allSatisfy { !$0.article.isEmpty && !$0.reason.isEmpty })
    }
}
