import Foundation
import Testing
@testable import SluisCovenant

/// Art. 6.1 sub e: without consent, a professional may still disclose when convinced that a
/// conflict of duties (or good care) demands it — with a written justification. In the engine
/// that is the request's `conflictOfDuties` key; it stands in for consent and for nothing else.
@Suite("Conflict of duties (art. 6.1 sub e)")
struct ConflictOfDutiesTests {
    func invoking(_ base: DecisionRequest) -> DecisionRequest {
        var request = base
        request.conflictOfDuties = true
        return request
    }

    @Test("Art. 6.1 sub e: the CJG's health data goes to the school without consent only under a conflict of duties, on AVG 6(1)(d) and 9(2)(c)")
    func art6_1e_conflictOfDutiesStandsInForConsent() {
        let plain = request(from: jgz, to: school, fields: ["healthData", "absence"])
        let refused = engine.evaluate(plain)
        #expect(refused.decision == .deny)
        let answer = engine.evaluate(invoking(plain))
        #expect(answer.decision == .permit)
        #expect(answer.released == ["healthData", "absence"])
        #expect(answer.overridden == ["healthData", "absence"], "the CJG shares on consent alone (art. 4.4): both rest on the conflict")
        #expect(refused.overridden.isEmpty)
        #expect(answer.basis.contains(covenant.conflictOfDuties.basis))
        #expect(answer.basis.contains(covenant.conflictOfDuties.specialBasis))
        #expect(answer.basis.map(\.gdpr).contains("6(1)(d)") && answer.basis.map(\.gdpr).contains("9(2)(c)"))
        #expect(!answer.basis.contains(covenant.specialCategoryBasis), "no consent, so not AVG 9(2)(a)")
        #expect(answer.basis.allSatisfy { !$0.article.isEmpty })
    }

    @Test("Art. 6.1 sub e: with valid consent the conflict of duties changes nothing — the basis stays consent")
    func art6_1e_withConsentNothingIsOverridden() {
        let consented = request(from: jgz, to: school, fields: ["healthData"], consents: [consent(to: [.schoolbestuur], fields: [.healthData])])
        #expect(engine.evaluate(invoking(consented)) == engine.evaluate(consented))
    }

    @Test("Art. 6.1 sub e: the answer names exactly the fields released only because of the conflict — consent still carries the fields it covers")
    func art6_1e_overriddenNamesOnlyTheFieldsConsentDidNotCover() {
        let partly = request(from: jgz, to: school, fields: ["absence", "healthData"], consents: [consent(to: [.schoolbestuur], fields: [.absence])])
        #expect(engine.evaluate(partly).released == ["absence"])
        let answer = engine.evaluate(invoking(partly))
        #expect(answer.released == ["absence", "healthData"])
        #expect(answer.overridden == ["healthData"])
        #expect(answer.basis.contains(covenant.conflictOfDuties.specialBasis))
    }

    @Test("Art. 6.1 sub e stands in for consent only: fn 23, art. 7.2, art. 14 and art. 3 still hold")
    func art6_1e_overridesNoOtherRule() {
        let cases: [(DecisionRequest, String)] = [
            (request(from: school, to: swv, fields: ["bsn"]), "bsn-not-to-swv"),
            (request(from: jgz, to: derde, fields: ["absence"]), "third-party-recipient"),
            (request(from: jgz, to: school, purpose: "handhaving", fields: ["absence"]), "purpose-not-in-covenant"),
            (request(from: school, to: jgz, in: .verzuimoverleg, fields: ["name"]), "verzuimoverleg-anonymous"),
            (request(from: school, to: leerplicht, fields: ["name"], duo: false), "leerplicht-before-duo"),
        ]
        for (base, rule) in cases {
            let answer = engine.evaluate(invoking(base))
            #expect(answer.withheld.map(\.citation.rule).contains(rule) || answer.reasons.map(\.rule).contains(rule), "\(rule)")
        }
    }

    @Test("Art. 6.1 sub d, e (interpretation): a revoked consent does not block a justified conflict of duties — a vital interest weighs on its own")
    func art6_1e_interpretation_overridesRevokedConsent() {
        let revoked = request(from: jgz, to: school, fields: ["healthData"],
                              consents: [consent(to: [.schoolbestuur], fields: [.healthData], revoked: true)])
        #expect(engine.evaluate(revoked).withheld.first?.citation.rule == "consent-revoked")
        #expect(engine.evaluate(invoking(revoked)).released == ["healthData"])
    }

    @Test("Contract: conflictOfDuties is an optional boolean; written back only when true")
    func contract_conflictOfDutiesKey() throws {
        let invoked = invoking(request(from: jgz, to: school, fields: ["absence"]))
        #expect(try RequestParser.parse(invoked.json()).conflictOfDuties)
        #expect(!(try RequestParser.parse(request().json()).conflictOfDuties))
        #expect(!request().json().contains("conflictOfDuties"))
        let bad = request().json().replacingOccurrences(of: "\"consents\"", with: "\"conflictOfDuties\": \"ja\", \"consents\"")
        do { _ = try RequestParser.parse(bad); Issue.record("a string is not a boolean") } catch { #expect(error.key == "conflictOfDuties") }
    }
}
