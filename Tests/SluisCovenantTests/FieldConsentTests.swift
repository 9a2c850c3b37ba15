import Testing
@testable import SluisCovenant

/// Fields that need consent on one particular flow (`fieldConsents` in Policies/rules.yaml):
/// verzuimprotocol 5.5.2, "Na DUO melding … contactgegevens van betrokken professionals …
/// Er moet toestemming zijn van ouders en van de jongere vanaf 16 jaar".
@Suite("Consent per field on a flow")
struct FieldConsentTests {
    static let rule = "guardianship-needs-consent"

    @Test("Verzuimprotocol 5.5.2: the school gives the professionals' contact details to leerplicht only with consent",
          arguments: [Forum.casusoverleg, .direct])
    func protocol5_5_2_guardianshipToLeerplichtNeedsConsent(forum: Forum) throws {
        let answer = engine.evaluate(request(from: school, to: leerplicht, in: forum,
                                             fields: ["guardianship", "absence"], duo: true))
        #expect(answer.released == ["absence"])
        let withheld = try #require(answer.withheld.first)
        #expect(withheld.field == "guardianship")
        #expect(withheld.citation.rule == Self.rule)
        #expect(withheld.citation.article.contains("verzuimprotocol 5.5.2"))
        #expect(!withheld.citation.reason.isEmpty)
    }

    struct AgeCase: Sendable, CustomTestStringConvertible {
        let age: Int
        /// One consent record per entry: who signed it.
        let records: [ConsentGiverSet]
        let released: Bool
        var testDescription: String {
            "age \(age), records \(records.map { $0.givers.map(\.rawValue) }) → \(released ? "released" : "withheld")"
        }
    }

    /// Interpretation (issue 8): 5.5.2 asks the parents' consent, and the pupil's from 16; fn 28
    /// (ch. 10) adds the pupil's from 12. Both hold, so: under 12 a parent, from 12 parent and
    /// pupil. The two may sign separate records of the same scope (fn 28: consents combine).
    @Test("Interpretation, protocol 5.5.2 with fn 28: under 12 a parent, from 12 parent and pupil", arguments: [
        AgeCase(age: 9, records: [[.parent]], released: true),
        AgeCase(age: 11, records: [[.pupil]], released: false),
        AgeCase(age: 12, records: [[.parent]], released: false),
        AgeCase(age: 14, records: [[.parent, .pupil]], released: true),
        AgeCase(age: 14, records: [[.parent], [.pupil]], released: true),
        AgeCase(age: 15, records: [[.pupil]], released: false),
        AgeCase(age: 16, records: [[.pupil]], released: false),
        AgeCase(age: 16, records: [[.parent]], released: false),
        AgeCase(age: 16, records: [[.parent], [.pupil]], released: true),
        AgeCase(age: 17, records: [[.parent, .pupil]], released: true),
    ])
    func protocol5_5_2_interpretation_parentsAndPupilFrom12(_ example: AgeCase) {
        let consents = example.records.map { consent(by: $0, to: [.gemeente], fields: [.guardianship]) }
        let answer = engine.evaluate(request(from: school, to: leerplicht, fields: ["guardianship"], age: example.age,
                                             consents: consents))
        if example.released {
            #expect(answer.released == ["guardianship"])
        } else {
            #expect(answer.rule(for: "guardianship") == Self.rule)
        }
    }

    @Test("Protocol 5.5.2 with art. 6.1, 11.5: a revoked consent or one for another recipient does not count")
    func protocol5_5_2_onlyAValidConsentForLeerplichtCounts() {
        for consents in [
            [consent(to: [.gemeente], fields: [.guardianship], revoked: true)],
            [consent(to: [.swv, .schoolbestuur], fields: [.guardianship])],
            [consent(to: [.gemeente], fields: [.familySituation])],
        ] {
            let answer = engine.evaluate(request(from: school, to: leerplicht, fields: ["guardianship"], consents: consents))
            #expect(answer.decision == .deny)
            #expect(answer.reasonRules == [Self.rule])
        }
    }

    @Test("Protocol 5.5.2 binds this one flow: other senders and recipients are not asked for this consent")
    func protocol5_5_2_onlyTheSchoolToLeerplichtFlow() {
        for (sender, recipient) in [(school, jeugdEnGezin), (school, swv), (school, jgz), (leerplicht, school), (swv, leerplicht)] {
            let answer = engine.evaluate(request(from: sender, to: recipient, fields: ["guardianship"]))
            #expect(answer.released == ["guardianship"], "\(sender.kind.rawValue) → \(recipient.kind.rawValue)")
        }
    }

    @Test("The fieldConsents entries load with their articles and age bands")
    func fieldConsentsLoad() throws {
        let entry = try #require(covenant.fieldConsents.first { $0.id == Self.rule })
        #expect(entry.fields == FieldSet([.guardianship]))
        #expect(entry.article.contains("verzuimprotocol 5.5.2"))
        #expect(entry.consent.requiredGivers(age: 11) == [.parent])
        #expect(entry.consent.requiredGivers(age: 12) == [.parent, .pupil])
        #expect(entry.consent.requiredGivers(age: 17) == [.parent, .pupil])
    }

    @Test("policy explain shows the flow, its givers and its article")
    func explainShowsFieldConsents() {
        let text = PolicyExplainer.markdown(covenant)
        #expect(text.contains(Self.rule))
        #expect(text.contains("verzuimprotocol 5.5.2"))
        #expect(text.contains("schoolbestuur → gemeente/leerplicht"))
    }
}
