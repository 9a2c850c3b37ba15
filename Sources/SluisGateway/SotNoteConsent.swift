import Foundation
import SluisCovenant
import SluisStore
import Synchronization

/// The notes a read found inside its register transaction, handed out of the companion.
final class SotNotesRead: Sendable {
    private let value = Mutex<[SotNoteRecord]>([])
    func set(_ notes: [SotNoteRecord]) { value.withLock { $0 = notes } }
    var notes: [SotNoteRecord] { value.withLock { $0 } }
}

extension Gateway {
    /// Bijlage 3.2 sub 4: whether `principal` takes part in the SOT's discussion of `question`
    /// today — a consent bound to exactly that question counts today (state `given`) and either
    /// `principal` holds it (the school, which asks the question and asks the consent:
    /// "vooraf door school om toestemming gevraagd") or it names `principal`'s party kind among
    /// its recipients. *Interpretation:* a note is the SOT's discussion of the question, free
    /// text no field of art. 5.1 names, so the consent's fields are not checked here; they
    /// govern what a disclosure in the SOT carries (docs/casework.md, SOT).
    func sotNotesCovered(_ consents: [ConsentRecord], question: String, for principal: Principal, birthDate: CalendarDate) -> Bool {
        consents.contains {
            $0.question == question && ($0.holder == principal.unit || $0.recipients.contains(principal.partyKind))
                && Self.recorded($0).standing(on: today, birthDate: birthDate, policy: policy.consent).state == .given
        }
    }

    /// The consent check of a note on `facts` read inside the register transaction that records
    /// the note's writing or reading (`GatewayStore.sotNoteFacts`; art. 6.1 sub d): a revocation
    /// either committed first and this refuses, or commits after. Returns whether the consents
    /// cover `principal`. Errors: with `open`, `conflict(.caseClosed)` when the case closed
    /// meanwhile (art. 5.5).
    func sotNotesCovered(_ facts: (record: CaseRecord?, consents: [ConsentRecord]), question: String, for principal: Principal,
                         birthDate: CalendarDate, open: Bool) throws -> Bool {
        if open, facts.record?.status != .open { throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5)") }
        return sotNotesCovered(facts.consents, question: question, for: principal, birthDate: birthDate)
    }

    /// The refusal when no consent covers the member (Bijlage 3.2 sub 4).
    static var sotConsentMissing: GatewayError {
        GatewayError.conflict(.sotConsentMissing, "no consent on this question that counts today names your party kind as recipient; "
                                  + "the SOT discusses a pupil only with consent per question (Bijlage 3.2 sub 4)")
    }
}
