import Foundation
import Testing
@testable import SluisCovenant

/// Strict purpose binding per phase of a case (art. 3.4 sub a). Which purposes a phase serves is
/// policy data and our reading of Bijlage 3.2/3.3 sub 5 (`Policies/purposes.yaml`).
@Suite("Purpose binding per phase (art. 3.4)")
struct PhaseBindingTests {
    @Test("Art. 3.4 sub a: a purpose the case's phase does not serve is a deny, citing art. 3.4")
    func art3_4a_purposeOutsidePhaseIsDenied() {
        let answer = engine.evaluate(request(purpose: "3.1.f", phase: "intake"))
        #expect(answer.decision == .deny)
        #expect(answer.reasonRules == ["purpose-not-for-phase"])
        #expect(answer.reasons.first?.article.contains("3.4 sub a") == true)
        #expect(answer.released.isEmpty)
    }

    @Test("Art. 3.4 sub a: a purpose the phase serves is judged as without a phase")
    func art3_4a_purposeInPhaseChangesNothing() {
        for phase in covenant.phases {
            for purpose in phase.purposes {
                let withPhase = engine.evaluate(request(purpose: purpose, phase: phase.id))
                let without = engine.evaluate(request(purpose: purpose))
                #expect(withPhase == without, "phase \(phase.id), purpose \(purpose)")
            }
        }
    }

    @Test("Art. 3.4 (interpretation): afschaling serves only 3.1.b and 3.1.g — the dossier is being closed")
    func art3_4_interpretation_afschalingServesOnlyReturnAndHandOver() {
        let afschaling = covenant.phases.first { $0.id == "afschaling" }
        #expect(afschaling?.purposes == ["3.1.b", "3.1.g"])
        #expect(engine.evaluate(request(purpose: "3.1.a", phase: "afschaling")).reasonRules == ["purpose-not-for-phase"])
        #expect(engine.evaluate(request(purpose: "3.1.b", phase: "afschaling")).decision == .permit)
    }

    @Test("Art. 3.4 sub a: a phase the covenant does not know is a deny, not a silent pass")
    func art3_4a_unknownPhaseIsDenied() {
        let answer = engine.evaluate(request(phase: "nazorg"))
        #expect(answer.decision == .deny)
        #expect(answer.reasonRules == ["phase-not-in-covenant"])
    }

    @Test("Lpw art. 21a (interpretation): the DUO melding, a legal duty, is not bound to the case's phase")
    func lpw21a_duoMeldingIsNotPhaseBound() {
        let inPhase = engine.evaluate(request(from: school, to: leerplicht, in: .duoMelding, purpose: "3.1.f",
                                              fields: ["name", "absence"], phase: "intake"))
        let without = engine.evaluate(request(from: school, to: leerplicht, in: .duoMelding, purpose: "3.1.f",
                                              fields: ["name", "absence"]))
        #expect(inPhase == without)
        #expect(!inPhase.reasonRules.contains("purpose-not-for-phase"))
    }

    @Test("Contract: pupil.phase is optional; given, it is parsed, written back and must be a string")
    func contract_phaseKeyRoundTrips() throws {
        let parsed = try RequestParser.parse(request(phase: "triage").json())
        #expect(parsed.pupil.phase == "triage")
        #expect(try RequestParser.parse(request().json()).pupil.phase == nil)
        let bad = request().json().replacingOccurrences(of: "\"caseStatus\"", with: "\"phase\": 3, \"caseStatus\"")
        #expect(throws: RequestError.self) { try RequestParser.parse(bad) }
        do { _ = try RequestParser.parse(bad) } catch { #expect(error.key == "pupil.phase") }
    }

    @Test("Policy lint: a phase naming a purpose outside art. 3.1 is a policy error, with the file")
    func policy_phaseWithUnknownPurposeIsRefused() {
        let sources = shippedSources(replacing: "purposes: [\"3.1.b\", \"3.1.g\"]", with: "purposes: [\"3.1.b\", \"3.1.z\"]",
                                     in: "purposes.yaml")
        #expect(throws: (any Error).self) { try PolicyLoader.load(sources) }
    }
}
