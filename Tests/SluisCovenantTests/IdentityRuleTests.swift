import Testing
@testable import SluisCovenant

/// When identity may go: protocol 5.4 and the thuiszitterstafel table (protocol ch. 5).
@Suite("Identity and pseudonymity")
struct IdentityRuleTests {
    @Test("Verzuimprotocol 5.4: without a DUO melding the leerplichtambtenaar gets no person-level data")
    func protocol5_4_leerplichtBeforeDuo() {
        let before = engine.evaluate(request(from: school, to: leerplicht, fields: ["name", "bsn", "absence"], duo: false))
        #expect(before.released == ["absence"])
        #expect(before.identity == .pseudonymised)
        #expect(before.rule(for: "name") == "leerplicht-before-duo")
        #expect(before.rule(for: "bsn") == "leerplicht-before-duo")
        let after = engine.evaluate(request(from: school, to: leerplicht, fields: ["name", "bsn", "absence"], duo: true))
        #expect(after.released == ["name", "bsn", "absence"])
        #expect(after.identity == .identified)
    }

    @Test("Verzuimprotocol 5.4: nor does the leerplichtambtenaar pass person-level data on before a melding")
    func protocol5_4_leerplichtSendsNoIdentityBeforeDuo() {
        let answer = engine.evaluate(request(from: leerplicht, to: school, fields: ["name", "masInterventions"], duo: false))
        #expect(answer.released == ["masInterventions"])
        #expect(answer.rule(for: "name") == "leerplicht-before-duo")
    }

    @Test("Verzuimprotocol 5.4 concerns the leerplichtambtenaar, not Team Jeugd en Gezin")
    func protocol5_4_onlyTheLeerplichtRole() {
        let answer = engine.evaluate(request(from: school, to: jeugdEnGezin, fields: ["name"], duo: false))
        #expect(answer.released == ["name"])
    }

    @Test("Verzuimprotocol 5.4 applies at the thuiszitterstafel too: the SWV names no pupil to leerplicht before a melding")
    func protocol5_4_appliesAtTheThuiszitterstafel() {
        let answer = engine.evaluate(request(from: swv, to: leerplicht, in: .thuiszitterstafel, fields: ["name"],
                                             duo: false, caseType: "ontheffing"))
        #expect(answer.rule(for: "name") == "leerplicht-before-duo")
    }

    /// Our reading of the table (domain brief; docs/policy-format.md), restated here apart from
    /// the policy file so that an edit of the file that changes its meaning fails this test.
    static let table: [String: [String: String]] = [
        "deels-belastbaar": ["cjg": "notify", "swv": "notify", "leerplicht": "duo"],
        "ontheffing": ["cjg": "notify", "swv": "notify", "leerplicht": "notify"],
        "verzuim": ["cjg": "consent", "swv": "notify", "leerplicht": "duo-or-consent"],
        "absoluut-verzuim": ["cjg": "consent", "swv": "notify", "leerplicht": "duo"],
        "geen-passende-plek": ["cjg": "consent", "swv": "notify", "leerplicht": "duo-or-consent"],
        "wacht-op-behandeling": ["cjg": "consent", "swv": "consent", "leerplicht": "consent"],
    ]
    static let columns: [(String, PartyRef, PartyRef)] = [
        ("cjg", jgz, swv), ("swv", swv, jgz), ("leerplicht", leerplicht, swv),
    ]

    @Test("Protocol ch. 5, thuiszitterstafel table: each case type and participant, with and without DUO melding or consent",
          arguments: table.keys.sorted(), [0, 1, 2])
    func protocol5_thuiszitterstafelTable(caseType: String, columnIndex: Int) {
        let (column, sender, recipient) = Self.columns[columnIndex]
        let requirement = Self.table[caseType]![column]!
        let nameConsent = consent(to: [recipient.kind], fields: [.name, .absence])
        // The CJG always needs consent for what it shares (ch. 10), so it always holds one for absence.
        let base = sender.kind == .jgz ? [consent(to: [recipient.kind], fields: [.absence])] : []
        func named(duo: Bool, consents: [ConsentFact]) -> Bool {
            let answer = engine.evaluate(request(from: sender, to: recipient, in: .thuiszitterstafel,
                                                 fields: ["name", "absence"], duo: duo, caseType: caseType,
                                                 consents: base + consents))
            #expect(answer.released.contains("absence"), "the pupil is still discussed, anonymously")
            return answer.released.contains("name")
        }
        let plain = named(duo: false, consents: [])
        let withDuo = named(duo: true, consents: [])
        let withConsent = named(duo: false, consents: [nameConsent])
        let expected: (plain: Bool, duo: Bool, consent: Bool)
        if sender.kind == .jgz {
            expected = (false, false, true)  // ch. 10: the CJG names a pupil only with consent, in every cell
        } else {
            switch requirement {
            case "notify": expected = (true, true, true)
            case "consent": expected = (false, false, true)
            case "duo": expected = (false, true, false)
            default: expected = (false, true, true)  // duo-or-consent
            }
        }
        #expect(plain == expected.plain, "informed only")
        #expect(withDuo == expected.duo, "after a DUO melding")
        #expect(withConsent == expected.consent, "with consent")
    }

    @Test("Protocol ch. 5: the table's notify cell names the pupil once the parents were informed")
    func protocol5_notifySuffices() {
        let answer = engine.evaluate(request(from: swv, to: jgz, in: .thuiszitterstafel, fields: ["name"],
                                             duo: false, caseType: "verzuim"))
        #expect(answer.released == ["name"])
        #expect(answer.identity == .identified)
    }

    @Test("Protocol ch. 5: without a known case type the pupil is discussed anonymously", arguments: [nil, "relatief-verzuim", "onbekend"])
    func protocol5_unknownCaseTypeIsAnonymous(caseType: String?) {
        let answer = engine.evaluate(request(from: swv, to: jgz, in: .thuiszitterstafel, fields: ["name", "absence"],
                                             caseType: caseType))
        #expect(answer.rule(for: "name") == "thuiszitterstafel-case-type-unknown")
        #expect(answer.released == ["absence"])
    }

    @Test("Protocol ch. 5: the specific reason names the table cell",
          arguments: [("absoluut-verzuim", "thuiszitterstafel-needs-duo"), ("verzuim", "thuiszitterstafel-needs-duo-or-consent")])
    func protocol5_reasonNamesTheCell(caseType: String, rule: String) {
        let answer = engine.evaluate(request(from: leerplicht, to: swv, in: .thuiszitterstafel, fields: ["name"],
                                             duo: false, caseType: caseType))
        #expect(answer.rule(for: "name") == rule)
    }

    @Test("Protocol ch. 5: the CJG asks consent before naming a pupil in a verzuim case")
    func protocol5_cjgNeedsConsentForName() {
        let answer = engine.evaluate(request(from: jgz, to: swv, in: .thuiszitterstafel, fields: ["name"],
                                             duo: true, caseType: "verzuim"))
        #expect(answer.rule(for: "name") == "consent-required")
    }
}
