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
            throw Self.otherPupilKey
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
        let (hash, matches) = try casePupilHash(input.pupil, unit: principal.unit)
        switch try await store.give(pupilCipher: cipher, hash: hash, matches: matches, melding: id, caseID: record.id, party: principal.unit) {
        case .bound: break
        case .otherKey: throw Self.otherPupilKey
        case .otherCase: throw Self.pupilKeyOnOtherCase
        case nil:
            if try await store.case(record.id)?.status != .open { throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5)") }
            // Another request gave this melding the same key a moment earlier: it stands.
            return try await meldingView(id)
        }
        try await audited(principal, .recordDuoMelding, caseID: record.id, "melding \(id): pupil key given", trace: trace)
        return try await meldingView(id)
    }

    static let otherPupilKey = GatewayError.conflict(
        .duoMeldingPupilKeyDiffers, "another melding of this case names another pupil key: one case, one pupil (Bijlage 3.1; the key links the verzuimoverleg)")
    static let pupilKeyOnOtherCase = GatewayError.conflict(
        .duoMeldingPupilKeyOnOtherCase, "another case of this school board holds this pupil key: one pupil, one case (Bijlage 3.1; AVG art. 5(1)(d))")

    /// The keyed hash a case's pupil key is bound under (`case_pupil_keys`, migration 13): a
    /// pseudonym for the namespace `case-pupil:<unit>` (HMAC-SHA-256, never a plain hash: keys
    /// are short and guessable), and whether a stored hash — perhaps under an older key version —
    /// is of this key.
    func casePupilHash(_ pupil: String, unit: String) throws -> (String, @Sendable (String) throws -> Bool) {
        let pseudonyms = self.pseudonyms, namespace = "case-pupil:" + unit
        return (try pseudonyms.pseudonym(of: pupil, for: namespace), { stored in
            guard let version = Pseudonymizer.version(of: stored) else { return false }
            return try pseudonyms.pseudonym(of: pupil, for: namespace, version: version) == stored
        })
    }

    /// Binds the pupil keys stored before migration 13 to their cases, at gateway start (like
    /// `sealStoredEvidence`). The first key of a case (oldest melding first) is bound; a second
    /// key of the case, or a key already on another case, is left unbound and counted: those were
    /// wrong before. A case with two keys still cannot be linked (`duo-melding-pupil-key-differs`);
    /// *not done*: a key found on two cases is not yet refused at linking. Returns (bound, unbound).
    @discardableResult
    public func hashStoredPupilKeys() async throws -> (bound: Int, unbound: Int) {
        var (bound, unbound) = (0, 0)
        for melding in try await store.meldingenWithoutKeyHash() {
            guard let pupil = try pupilKeys([melding]).first else { continue }
            let (hash, matches) = try casePupilHash(pupil, unit: melding.party)
            if try await store.bind(pupilHash: hash, caseID: melding.caseID, party: melding.party, matches: matches) == .bound { bound += 1 } else { unbound += 1 }
        }
        return (bound, unbound)
    }

    /// A melding as the board that made it sees it.
    func meldingView(_ id: String) async throws -> DuoMeldingView {
        guard let stored = try await store.melding(id) else { throw GatewayError.notFound(.duoMeldingNotFound, "duo-melding") }
        return DuoMeldingView(stored, showSignal: true)
    }
}
