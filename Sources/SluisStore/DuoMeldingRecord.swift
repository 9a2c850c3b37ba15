public import SluisCovenant

/// A DUO melding as a school board recorded it (Lpw art. 21a), with the leerplichtambtenaar's
/// status and the decision that re-identified the pupil for the leerplicht (protocol 5.4).
public struct DuoMeldingRecord: Sendable, Equatable {
    public var id: String, caseID: String
    /// The school board's case unit that made the melding.
    public var party: String
    public var kind: String
    /// The day of the melding (YYYY-MM-DD) and DUO's meldingsnummer.
    public var date: String, reference: String
    /// `received`, `in-behandeling` or `afgesloten`.
    public var status: String
    public var recordedBy: String, receivedAt: String
    public var inBehandelingAt: String?, afgeslotenAt: String?
    /// The leerplicht unit that moved the status last.
    public var handledBy: String?
    /// The engine's decision on re-identification (`permit`, `deny`; `none` for a melding from
    /// before migration 7, never decided), the fields it released (`duo_melding_released`, in
    /// the engine's order) and its register entry.
    public var decision: String
    public var released: [Field]
    public var registerIndex: Int64?
    /// The absence signal it answers (contract absence.md), without the pupil key.
    public var signal: String?, signalSince: String?
    /// The school's own pupil key the melding names, encrypted (the gateway's vault, bound to the
    /// melding): what recomputes the leerplicht's verzuimoverleg reference (Bijlage 3.1). Nil
    /// when the school gave none (yet).
    public var pupilCipher: String?

    public init(id: String, caseID: String, party: String, kind: String, date: String, reference: String, status: String,
                recordedBy: String, receivedAt: String, inBehandelingAt: String? = nil, afgeslotenAt: String? = nil,
                handledBy: String? = nil, decision: String, released: [Field], registerIndex: Int64?,
                signal: String? = nil, signalSince: String? = nil, pupilCipher: String? = nil) {
        self.id = id
        self.caseID = caseID
        self.party = party
        self.kind = kind
        self.date = date
        self.reference = reference
        self.status = status
        self.recordedBy = recordedBy
        self.receivedAt = receivedAt
        self.inBehandelingAt = inBehandelingAt
        self.afgeslotenAt = afgeslotenAt
        self.handledBy = handledBy
        self.decision = decision
        self.released = released
        self.registerIndex = registerIndex
        self.signal = signal
        self.signalSince = signalSince
        self.pupilCipher = pupilCipher
    }
}

/// An absence signal a school answered with a DUO melding: keyed by the school's unit, its own
/// pupil key as a keyed hash (`pupil`, never the key itself), the signal and its `since`.
public struct AnsweredSignalRecord: Sendable, Equatable, Hashable {
    public var unit: String, pupil: String, signal: String, since: String
    public var meldingID: String, answeredAt: String

    public init(unit: String, pupil: String, signal: String, since: String, meldingID: String, answeredAt: String) {
        self.unit = unit
        self.pupil = pupil
        self.signal = signal
        self.since = since
        self.meldingID = meldingID
        self.answeredAt = answeredAt
    }
}
