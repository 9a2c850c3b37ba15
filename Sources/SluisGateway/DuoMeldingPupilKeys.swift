import Foundation
import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// The school's own pupil key on a DUO melding (issue 10 item 3): the one way back from the case
/// to the reference under which the leerplichtambtenaar discussed the pupil anonymously in the
/// verzuimoverleg (Bijlage 3.1). Given with the melding (`pupil`, or the answered signal's
/// pupil) or later, once; stored encrypted and bound to its melding; never shown to anyone.
extension Gateway {
    /// Binds a melding's encrypted pupil key to the melding and the board that made it.
    static func meldingPupilContext(melding id: String, unit: String) -> String { "duo-melding-pupil:\(id):\(unit)" }

    /// The distinct pupil keys the meldingen of a case name (decrypted, in memory only).
    func pupilKeys(_ meldingen: [DuoMeldingRecord]) throws -> Set<String> {
        Set(try meldingen.compactMap { melding in
            try melding.pupilCipher.map { cipher in
                try vault.open(cipher, context: Self.meldingPupilContext(melding: melding.id, unit: melding.party))
                    .withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            }
        })
    }

    /// One case, one pupil: refuses a key other than the one the case's meldingen name already.
    func checkSamePupil(_ pupil: String, as meldingen: [DuoMeldingRecord]) throws {
        guard try pupilKeys(meldingen).allSatisfy({ $0 == pupil }) else {
            throw GatewayError.conflict(.duoMeldingPupilKeyDiffers,
                                        "another melding of this case names another pupil key: one case, one pupil (Bijlage 3.1; the key links the verzuimoverleg)")
        }
    }

    /// `POST /v1/cases/{ref}/duo-meldingen/{id}/pupil`: the board that made a melding gives the
    /// pupil key it left out, so that the leerplichtambtenaar can link the verzuimoverleg. Once:
    /// the same key again changes nothing; another is refused (a wrong key would link another
    /// pupil's discussion). *Interpretation*: not a register entry — the key is the school's own
    /// and goes to nobody; the link that uses it is on the register.
    /// - Throws: 403/404 by the authority table (`record-duo-melding`), 400 for a key that is not
    ///   one, 404 for a melding not of this case, 409 when another board made it, the case is
    ///   closed, or another key is given already (here or on another melding of the case).
    public func giveDuoMeldingPupil(caseRef: String, melding id: String, _ input: DuoMeldingPupilInput, by principal: Principal,
                                    trace: TraceContext) async throws -> DuoMeldingView {
        let record = try await caseAccess(caseRef, .recordDuoMelding, principal, trace: trace).record
        guard Self.isPupilKey(input.pupil) else {
            throw GatewayError.invalid(field: "pupil", problem: "the school's own pupil key: 1–64 characters A–Z, a–z, 0–9, '-', '_', '.', '/' (no names)")
        }
        let meldingen = try await store.meldingen(caseID: record.id)
        guard let melding = meldingen.first(where: { $0.id == id }) else { throw GatewayError.notFound(.duoMeldingNotFound, "duo-melding") }
        guard melding.party == principal.unit else {
            throw GatewayError.conflict(.duoMeldingOtherBoard, "another school board made this melding (Leerplichtwet art. 21a)")
        }
        try checkSamePupil(input.pupil, as: meldingen)
        if melding.pupilCipher != nil { return DuoMeldingView(melding, showSignal: true) }
        // A melding that answered a signal names that signal's pupil (contract absence.md).
        if let hashed = try await store.answeredPupil(melding: id), let version = Pseudonymizer.version(of: hashed),
           try signalPupilKey(input.pupil, unit: principal.unit, version: version) != hashed {
            throw GatewayError.invalid(field: "pupil", problem: "not the pupil of the signal this melding answered")
        }
        let cipher = try vault.seal(Array(input.pupil.utf8), context: Self.meldingPupilContext(melding: id, unit: principal.unit))
        guard try await store.give(pupilCipher: cipher, melding: id, caseID: record.id, party: principal.unit) else {
            if try await store.case(record.id)?.status != .open { throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5)") }
            // Another request gave a key a moment earlier: the same one stands, another is refused.
            try checkSamePupil(input.pupil, as: try await store.meldingen(caseID: record.id))
            return try await meldingView(id)
        }
        try await audited(principal, .recordDuoMelding, caseID: record.id, "melding \(id): pupil key given", trace: trace)
        return try await meldingView(id)
    }

    /// A melding as the board that made it sees it.
    func meldingView(_ id: String) async throws -> DuoMeldingView {
        guard let stored = try await store.melding(id) else { throw GatewayError.notFound(.duoMeldingNotFound, "duo-melding") }
        return DuoMeldingView(stored, showSignal: true)
    }
}
