import SluisCorpus
import Testing
@testable import SluisCovenant

/// Properties of the engine over many generated requests (seeded, so a failure reproduces).
@Suite("Properties over generated requests")
struct PropertyTests {
    static let count = 20_000

    static func corpus(seed: UInt64) -> [DecisionRequest] {
        RequestGenerator.corpus(seed: seed, count: count)
    }

    static func distinctNames(_ request: DecisionRequest) -> [String] {
        var seen: [String] = []
        for field in request.fields where !seen.contains(field.name) { seen.append(field.name) }
        return seen
    }

    @Test("Art. 5.1, 7.1: an answer never releases a field that was not requested, and accounts for every one that was")
    func releasedAreRequestedAndEveryFieldIsAccountedFor() {
        var permits = 0
        for request in Self.corpus(seed: 1) {
            let answer = engine.evaluate(request)
            let requested = Self.distinctNames(request)
            #expect(answer.released.allSatisfy(requested.contains))
            #expect(Set(answer.released).isDisjoint(with: answer.withheld.map(\.field)))
            #expect(Set(answer.released + answer.withheld.map(\.field)) == Set(requested))
            #expect(answer.released.count + answer.withheld.count == requested.count)
            if answer.decision == .permit { permits += 1 }
        }
        // The corpus must exercise both answers, or the property says little.
        #expect(permits > Self.count / 10 && permits < Self.count * 9 / 10)
    }

    @Test("Art. 6.1 sub d, 11.5: a revoked consent never releases more than no consent at all")
    func revokedConsentNeverReleasesMoreThanNone() {
        for var request in Self.corpus(seed: 2) where !request.consents.isEmpty {
            let index = request.consents.indices.first!
            var revoked = request
            revoked.consents[index].revoked = true
            var removed = request
            removed.consents.remove(at: index)
            let withRevoked = Set(engine.evaluate(revoked).released)
            let withoutIt = Set(engine.evaluate(removed).released)
            #expect(withRevoked.isSubset(of: withoutIt))
            // And revoking takes away, never adds.
            request.consents[index].revoked = false
            #expect(withRevoked.isSubset(of: Set(engine.evaluate(request).released)))
        }
    }

    @Test("Every withheld field and every deny reason cites a rule, an article and a reason")
    func everyWithholdingCitesAnArticle() {
        let articles = Set(covenant.rules.map(\.article) + covenant.fieldConsents.map(\.article))
        let fieldConsentRules = Set(covenant.fieldConsents.map(\.id))
        for request in Self.corpus(seed: 3) {
            let answer = engine.evaluate(request)
            for citation in answer.withheld.map(\.citation) + answer.reasons {
                #expect(RuleID(rawValue: citation.rule) != nil || fieldConsentRules.contains(citation.rule))
                #expect(!citation.article.isEmpty && !citation.reason.isEmpty)
                #expect(articles.contains { citation.article.hasPrefix($0) })
            }
            if answer.decision == .deny {
                #expect(!answer.reasons.isEmpty)
                #expect(answer.released.isEmpty && answer.basis.isEmpty)
            } else {
                #expect(answer.reasons.isEmpty)
                #expect(!answer.basis.isEmpty, "art. 4: a permit names its legal basis")
            }
        }
    }

    @Test("Asking for one more field never changes the answer for the others")
    func oneMoreFieldChangesNothingElse() {
        var generator = RequestGenerator(seed: 99)
        for request in Self.corpus(seed: 4) {
            var larger = request
            larger.fields.append(RequestedField(generator.fieldName()))
            let before = engine.evaluate(request), after = engine.evaluate(larger)
            for name in Self.distinctNames(request) {
                #expect(before.released.contains(name) == after.released.contains(name))
                let beforeRule = before.withheld.first { $0.field == name }?.citation
                let afterRule = after.withheld.first { $0.field == name }?.citation
                #expect(beforeRule == afterRule)
            }
        }
    }

    @Test("Identity: identified exactly when an identity field is released")
    func identityMatchesReleasedFields() {
        let identity = Set(covenant.fields.filter { $0.category == .identity }.map(\.field.rawValue))
        for request in Self.corpus(seed: 5) {
            let answer = engine.evaluate(request)
            #expect((answer.identity == .identified) == answer.released.contains(where: identity.contains))
        }
    }

    @Test("Art. 14: nothing ever goes to a third party; art. 5.5: nothing about a closed case")
    func thirdPartiesAndClosedCasesGetNothing() {
        for request in Self.corpus(seed: 6) where request.recipient.kind == .derde || request.pupil.caseStatus == .closed {
            #expect(engine.evaluate(request).decision == .deny)
        }
    }

    @Test("Special category: health data is never released without a valid consent naming it, or a justified conflict of duties (art. 6.1 sub e) that the basis names")
    func healthDataNeedsConsent() {
        for var request in Self.corpus(seed: 7) {
            request.consents.removeAll { $0.fields.contains(.healthData) && !$0.revoked }
            let answer = engine.evaluate(request)
            if request.conflictOfDuties {
                if answer.released.contains("healthData") { #expect(answer.basis.contains(covenant.conflictOfDuties.specialBasis)) }
            } else {
                #expect(!answer.released.contains("healthData"))
            }
        }
    }

    @Test("Art. 6.1 sub e: a conflict of duties only ever adds fields that consent would have covered, and the basis says so")
    func conflictOfDutiesOnlyReplacesConsent() {
        for var request in Self.corpus(seed: 8) {
            request.conflictOfDuties = false
            let plain = engine.evaluate(request)
            request.conflictOfDuties = true
            let invoked = engine.evaluate(request)
            #expect(Set(plain.released).isSubset(of: Set(invoked.released)))
            // The engine's consent rules, and every flow of the policy's fieldConsents.
            let consentRules: Set<String> = Set(["consent-required", "consent-revoked", "consent-wrong-giver", "special-category-needs-consent",
                                                 "sot-question-consent", "thuiszitterstafel-needs-consent", "thuiszitterstafel-needs-duo-or-consent",
                                                 "leerplicht-before-duo"] + covenant.fieldConsents.map(\.id))
            for field in Set(invoked.released).subtracting(plain.released) {
                let rule = plain.withheld.first { $0.field == field }?.citation.rule ?? ""
                #expect(consentRules.contains(rule), "\(field) was withheld by \(rule)")
            }
            #expect(invoked.released.count == plain.released.count || invoked.basis.contains(covenant.conflictOfDuties.basis))
            // Art. 6.1 sub e: `overridden` is exactly what the key added, in request order.
            #expect(invoked.overridden == invoked.released.filter { !plain.released.contains($0) })
            #expect(plain.overridden.isEmpty)
        }
    }

    @Test("The engine is deterministic and the request survives a JSON round trip")
    func deterministicAndRoundTrips() throws {
        for request in Self.corpus(seed: 8).prefix(2_000) {
            let parsed = try RequestParser.parse(request.json())
            #expect(parsed == request)
            #expect(engine.evaluate(parsed) == engine.evaluate(request))
        }
    }
}
