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

    /// Issue 8: protocol 5.4 is about the leerplichtambtenaar's own processing ("Zonder DUO
    /// melding kan de ambtenaar géén notities/gegevens op persoonsniveau verwerken"), and the
    /// sentence above the thuiszitterstafel table says the same of him there ("Voor de
    /// leerplichtambtenaar geldt dat zolang er nog geen DUO-melding is gemaakt door school, de
    /// leerling anoniem wordt besproken"): it holds whether he hears or tells.
    @Test("Verzuimprotocol 5.4 holds both ways at the thuiszitterstafel: leerplicht names no pupil before a melding either",
          arguments: table.keys.sorted())
    func protocol5_4_leerplichtBeforeDuoHoldsBothWaysAtTheThuiszitterstafel(caseType: String) {
        let cell = Self.table[caseType]!["leerplicht"]!
        for (sender, recipient) in [(leerplicht, swv), (leerplicht, jgz), (swv, leerplicht)] {
            let expected = Self.ruleBeforeDuo(sender: sender, leerplichtCell: cell)
            let before = engine.evaluate(request(from: sender, to: recipient, in: .thuiszitterstafel,
                                                 fields: ["name", "birthDate", "absence"], duo: false, caseType: caseType))
            #expect(before.rule(for: "name") == expected, "\(sender.kind) → \(recipient.kind)")
            #expect(before.rule(for: "birthDate") == expected, "\(sender.kind) → \(recipient.kind)")
            #expect(before.released == ["absence"], "still discussed, anonymously")
            let after = engine.evaluate(request(from: sender, to: recipient, in: .thuiszitterstafel,
                                                fields: ["name", "absence"], duo: true, caseType: caseType,
                                                consents: [consent(to: [recipient.kind], fields: [.name, .absence])]))
            #expect(after.released == ["name", "absence"], "after the melding (and consent where the table asks it)")
        }
    }

    /// The rule that withholds identity at the table before a melding: protocol 5.4, or — where
    /// the leerplichtambtenaar brings the pupil in and his own cell asks a melding — that cell
    /// (`protocol5_reasonNamesTheCell`).
    static func ruleBeforeDuo(sender: PartyRef, leerplichtCell: String) -> String {
        guard sender == leerplicht else { return "leerplicht-before-duo" }
        switch leerplichtCell {
        case "duo": return "thuiszitterstafel-needs-duo"
        case "duo-or-consent": return "thuiszitterstafel-needs-duo-or-consent"
        default: return "leerplicht-before-duo"
        }
    }

    /// Interpretation (issue 8): the table's leerplicht column says "Na DUO melding/Toestemming
    /// vragen" for some case types. Consent is a ground of its own (AVG 6(1)(a)) and the table
    /// names it, so there it takes the melding's place — for the leerplichtambtenaar's processing,
    /// so whether he brings the pupil in or hears about him. Elsewhere (and outside the table)
    /// only the melding lifts protocol 5.4.
    @Test("Interpretation, protocol 5.4 with the table: consent replaces the melding only where the leerplicht column asks consent, both ways",
          arguments: table.keys.sorted())
    func protocol5_4_interpretation_consentReplacesDuoOnlyWhereTheLeerplichtColumnAsksIt(caseType: String) {
        let cell = Self.table[caseType]!["leerplicht"]!
        let consentCounts = cell == "consent" || cell == "duo-or-consent"
        for (sender, recipient) in [(leerplicht, swv), (swv, leerplicht)] {
            let answer = engine.evaluate(request(from: sender, to: recipient, in: .thuiszitterstafel, fields: ["name"],
                                                 duo: false, caseType: caseType,
                                                 consents: [consent(to: [recipient.kind], fields: [.name])]))
            if consentCounts {
                #expect(answer.released == ["name"], "\(sender.kind) → \(recipient.kind)")
            } else {
                #expect(answer.rule(for: "name") == Self.ruleBeforeDuo(sender: sender, leerplichtCell: cell),
                        "\(sender.kind) → \(recipient.kind)")
            }
        }
    }

    @Test("Verzuimprotocol 5.4 outside the table: consent does not replace the melding, either way",
          arguments: [Forum.casusoverleg, .direct])
    func protocol5_4_consentDoesNotReplaceDuoOutsideTheTable(forum: Forum) {
        let toLeerplicht = engine.evaluate(request(from: school, to: leerplicht, in: forum, fields: ["name", "absence"], duo: false,
                                                   consents: [consent(to: [.gemeente], fields: [.name, .absence])]))
        let fromLeerplicht = engine.evaluate(request(from: leerplicht, to: school, in: forum, fields: ["name", "absence"], duo: false,
                                                     consents: [consent(to: [.schoolbestuur], fields: [.name, .absence])]))
        #expect(toLeerplicht.rule(for: "name") == "leerplicht-before-duo")
        #expect(fromLeerplicht.rule(for: "name") == "leerplicht-before-duo")
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
        } else if column == "leerplicht" && requirement == "notify" {
            // Protocol 5.4 holds both ways: the leerplichtambtenaar names no pupil before a DUO
            // melding; a notice to the parents is no ground to lift it (issue 8, interpretation).
            expected = (false, true, false)
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
