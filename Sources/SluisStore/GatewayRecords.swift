public import SluisCovenant

/// Rows of the gateway's tables, as plain values, read with SQLKit's Codable row decoding
/// (`StoredRows`); each record's `CodingKeys` are its table's snake_case column names. Columns
/// with a closed vocabulary are typed; lists are join tables (`StoredLists`), left out of the
/// coding keys and filled in by the store. Personal data of pupils is only ever held encrypted
/// (`CaseRecord.dataCipher`); delegates are known by username, party and role.
public struct PartyRecord: Sendable, Equatable, Decodable {
    public var id: String, kind: PartyKind, name: String, status: PartyStatus

    public init(id: String, kind: PartyKind, name: String, status: PartyStatus) {
        self.id = id
        self.kind = kind
        self.name = name
        self.status = status
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, kind, name, status
        static let list = StoredRows.list(allCases)
    }
}

public struct DelegateRecord: Sendable, Equatable, Decodable {
    public var id: String, username: String, party: String, role: DelegateRole
    public var passwordHash: String
    /// The TOTP secret, encrypted with the data key (hex of nonce ‖ ciphertext ‖ tag).
    public var totpSecretCipher: String
    public var lastTOTPStep: Int64?
    public var failedAttempts: Int
    public var lockedUntil: String?
    /// Set when the party's beheerder disabled the delegate: no login, no token works.
    public var disabledAt: String?

    public init(id: String, username: String, party: String, role: DelegateRole, passwordHash: String, totpSecretCipher: String,
                lastTOTPStep: Int64? = nil, failedAttempts: Int = 0, lockedUntil: String? = nil, disabledAt: String? = nil) {
        self.disabledAt = disabledAt
        self.id = id
        self.username = username
        self.party = party
        self.role = role
        self.passwordHash = passwordHash
        self.totpSecretCipher = totpSecretCipher
        self.lastTOTPStep = lastTOTPStep
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, username, party, role, passwordHash = "password_hash", totpSecretCipher = "totp_secret", lastTOTPStep = "last_totp_step"
        case failedAttempts = "failed_attempts", lockedUntil = "locked_until", disabledAt = "disabled_at"
        static let list = StoredRows.list(allCases)
    }
}

public struct CaseRecord: Sendable, Equatable, Decodable {
    public var id: String
    /// The gateway's internal pupil key: input to the pseudonyms, never shown.
    public var pupilKey: String
    /// Identity and case facts, AES-256-GCM encrypted with the data key.
    public var dataCipher: String
    /// The party that registered the case (and brought the pupil's identity in).
    public var owner: String
    public var status: CaseStatus, closureReason: String?, closedAt: String?
    /// The delegate that closed the case (art. 5.5), nil while it is open.
    public var closedBy: String?
    public var phase: String, caseType: String?, duoMelding: Bool
    public var created: String
    /// The DUO melding (Lpw art. 21a): its date, DUO's reference and the school board that made it.
    public var duoMeldingDate: String?, duoMeldingReference: String?, duoMeldingParty: String?

    public init(id: String, pupilKey: String, dataCipher: String, owner: String, status: CaseStatus, closureReason: String?,
                closedAt: String?, phase: String, caseType: String?, duoMelding: Bool, created: String,
                duoMeldingDate: String? = nil, duoMeldingReference: String? = nil, duoMeldingParty: String? = nil, closedBy: String? = nil) {
        self.closedBy = closedBy
        self.duoMeldingDate = duoMeldingDate
        self.duoMeldingReference = duoMeldingReference
        self.duoMeldingParty = duoMeldingParty
        self.id = id
        self.pupilKey = pupilKey
        self.dataCipher = dataCipher
        self.owner = owner
        self.status = status
        self.closureReason = closureReason
        self.closedAt = closedAt
        self.phase = phase
        self.caseType = caseType
        self.duoMelding = duoMelding
        self.created = created
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, pupilKey = "pupil_key", dataCipher = "data_cipher", owner, status, closureReason = "closure_reason", closedAt = "closed_at"
        case phase, caseType = "case_type", duoMelding = "duo_melding", created, duoMeldingDate = "duo_melding_date"
        case duoMeldingReference = "duo_melding_reference", duoMeldingParty = "duo_melding_party", closedBy = "closed_by"
    }
}

public struct InformingRecord: Sendable, Equatable, Decodable {
    public var id: String, caseID: String, party: String, delegate: String, informedAt: String, method: InformingMethod, recorded: String

    public init(id: String, caseID: String, party: String, delegate: String, informedAt: String, method: InformingMethod, recorded: String) {
        self.id = id
        self.caseID = caseID
        self.party = party
        self.delegate = delegate
        self.informedAt = informedAt
        self.method = method
        self.recorded = recorded
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, caseID = "case_id", party, delegate, informedAt = "informed_at", method, recorded
        static let list = StoredRows.list(allCases)
    }
}

/// A consent as its holder recorded it (art. 6.1 sub c): the scope, and each giver's answer on
/// its own (`consent_answers`). What it amounts to on a day is derived, never stored.
public struct ConsentRecord: Sendable, Equatable, Decodable {
    public var id: String, caseID: String, holder: String
    /// In `consent_recipients` and `consent_fields`, in the order given.
    public var recipients: [PartyKind] = [], fields: [Field] = []
    /// The SOT question's id (Bijlage 3.2 sub 4). Consents from before migration 8 keep the
    /// free text they were bound to, which no question id equals: they count in no SOT.
    public var question: String?
    /// The last day the consent holds, as its giver set it (YYYY-MM-DD), or nil.
    public var endsOn: String?
    /// In `consent_answers`, in the order recorded.
    public var answers: [ConsentAnswerRecord] = []
    public var recordedBy: String, recordedAt: String
    public var revokedAt: String?, revokedBy: String?

    public init(id: String, caseID: String, holder: String, recipients: [PartyKind], fields: [Field], question: String?,
                endsOn: String? = nil, answers: [ConsentAnswerRecord] = [], recordedBy: String, recordedAt: String,
                revokedAt: String? = nil, revokedBy: String? = nil) {
        self.id = id
        self.caseID = caseID
        self.holder = holder
        self.recipients = recipients
        self.fields = fields
        self.question = question
        self.endsOn = endsOn
        self.answers = answers
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
    }

    /// The columns of `consents`; the lists and answers are tables of their own.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, caseID = "case_id", holder, question, endsOn = "ends_on", recordedBy = "recorded_by", recordedAt = "recorded_at"
        case revokedAt = "revoked_at", revokedBy = "revoked_by"
        static let list = StoredRows.list(allCases)
    }
}

/// One giver's answer to a consent (art. 6.1 sub b–c; fn 28): who, given or refused, on which
/// day, the reference to the written evidence, and which delegate recorded it when.
public struct ConsentAnswerRecord: Sendable, Equatable, Decodable {
    public var consentID: String
    public var giver: ConsentAnswerer, answer: ConsentAnswer
    /// YYYY-MM-DD, checked when written.
    public var answeredOn: String
    public var evidence: String
    public var recordedBy: String, recordedAt: String

    public init(consentID: String, giver: ConsentAnswerer, answer: ConsentAnswer, answeredOn: String, evidence: String, recordedBy: String,
                recordedAt: String) {
        self.consentID = consentID
        self.giver = giver
        self.answer = answer
        self.answeredOn = answeredOn
        self.evidence = evidence
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case consentID = "consent_id", giver, answer, answeredOn = "answered_on", evidence, recordedBy = "recorded_by", recordedAt = "recorded_at"
        static let list = StoredRows.list(allCases)
    }
}

/// A SOT support question (Bijlage 3.2 sub 4): asked by the school board, its text encrypted.
public struct SotQuestionRecord: Sendable, Equatable, Decodable {
    public var id: String, caseID: String, textCipher: String, askedBy: String, delegate: String, askedAt: String

    public init(id: String, caseID: String, textCipher: String, askedBy: String, delegate: String, askedAt: String) {
        self.id = id
        self.caseID = caseID
        self.textCipher = textCipher
        self.askedBy = askedBy
        self.delegate = delegate
        self.askedAt = askedAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, caseID = "case_id", textCipher = "text_cipher", askedBy = "asked_by", delegate, askedAt = "asked_at"
        static let list = StoredRows.list(allCases)
    }
}

/// A note of the SOT on one question (Bijlage 3.2 sub 4), its text encrypted.
public struct SotNoteRecord: Sendable, Equatable, Decodable {
    public var id: String, questionID: String, caseID: String, author: String, delegate: String, textCipher: String, created: String

    public init(id: String, questionID: String, caseID: String, author: String, delegate: String, textCipher: String, created: String) {
        self.id = id
        self.questionID = questionID
        self.caseID = caseID
        self.author = author
        self.delegate = delegate
        self.textCipher = textCipher
        self.created = created
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, questionID = "question_id", caseID = "case_id", author, delegate, textCipher = "text_cipher", created
        static let list = StoredRows.list(allCases)
    }
}

/// The written professional justification of a disclosure on a conflict of duties (convenant
/// art. 6.1 sub e), with that disclosure: its text encrypted (the data vault, bound to the
/// disclosure's id), by the delegate who wrote it. Never on the register.
public struct JustificationRecord: Sendable, Equatable, Decodable {
    public var disclosureID: String, textCipher: String, writtenBy: String, writtenAt: String

    public init(disclosureID: String, textCipher: String, writtenBy: String, writtenAt: String) {
        self.disclosureID = disclosureID
        self.textCipher = textCipher
        self.writtenBy = writtenBy
        self.writtenAt = writtenAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case disclosureID = "disclosure_id", textCipher = "text_cipher", writtenBy = "written_by", writtenAt = "written_at"
        static let list = StoredRows.list(allCases)
    }
}

public struct DisclosureRecord: Sendable, Equatable, Decodable {
    public var id: String, caseID: String, sender: String, recipient: String, forum: Forum, purpose: String
    /// In `disclosure_released` (in the engine's order: as requested) and `disclosure_consents`.
    public var released: [Field] = [], consents: [String] = []
    public var registerIndex: Int64
    /// The sealed bundle, base64 DER.
    public var bundle: String
    public var bundleDigest: String, created: String
    public var fetchedAt: String?, acknowledgedAt: String?
    /// At a gemeente: the role the disclosure is addressed to (`leerplicht`, `jeugd-en-gezin`).
    public var recipientRole: PartyRole?
    /// In the SOT: the id of the question it was about (Bijlage 3.2 sub 4).
    public var sotQuestion: String?

    public init(id: String, caseID: String, sender: String, recipient: String, forum: Forum, purpose: String, released: [Field],
                consents: [String], registerIndex: Int64, bundle: String, bundleDigest: String, created: String,
                fetchedAt: String? = nil, acknowledgedAt: String? = nil, recipientRole: PartyRole? = nil, sotQuestion: String? = nil) {
        self.recipientRole = recipientRole
        self.sotQuestion = sotQuestion
        self.id = id
        self.caseID = caseID
        self.sender = sender
        self.recipient = recipient
        self.forum = forum
        self.purpose = purpose
        self.released = released
        self.consents = consents
        self.registerIndex = registerIndex
        self.bundle = bundle
        self.bundleDigest = bundleDigest
        self.created = created
        self.fetchedAt = fetchedAt
        self.acknowledgedAt = acknowledgedAt
    }

    /// The columns of `disclosures`; the lists are join tables.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, caseID = "case_id", sender, recipient, forum, purpose, registerIndex = "register_index", bundle, bundleDigest = "bundle_digest"
        case created, fetchedAt = "fetched_at", acknowledgedAt = "acknowledged_at", recipientRole = "recipient_role", sotQuestion = "sot_question"
        static let list = StoredRows.list(allCases)
    }
}

public struct NoticeRecord: Sendable, Equatable, Decodable {
    public var id: String, party: String, caseID: String, kind: NoticeKind, consentID: String?, created: String, acknowledgedAt: String?
    /// At a gemeente: the role whose mailbox the notice is for.
    public var role: PartyRole?
    /// Set for notices that are given once (a consent's renewal or end): a second notice with
    /// the same key is not delivered.
    public var onceKey: String?
    /// The day the notice is about: the birthday from which a consent needs renewal, or its end date.
    public var due: String?
    /// What a rights notice is about: the rectified field, the overdue request, the restriction's reason.
    public var subject: String?

    public init(id: String, party: String, caseID: String, kind: NoticeKind, consentID: String?, created: String, acknowledgedAt: String? = nil,
                role: PartyRole? = nil, onceKey: String? = nil, due: String? = nil, subject: String? = nil) {
        self.subject = subject
        self.role = role
        self.onceKey = onceKey
        self.due = due
        self.id = id
        self.party = party
        self.caseID = caseID
        self.kind = kind
        self.consentID = consentID
        self.created = created
        self.acknowledgedAt = acknowledgedAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, party, caseID = "case_id", kind, consentID = "consent_id", created, acknowledgedAt = "acknowledged_at", role, onceKey = "once_key", due, subject
    }
}

public struct AuditRecord: Sendable, Equatable, Decodable {
    public var id: String, time: String, traceID: String, event: String, delegate: String?, party: String?, outcome: String, detail: String

    public init(id: String, time: String, traceID: String, event: String, delegate: String?, party: String?, outcome: String, detail: String) {
        self.id = id
        self.time = time
        self.traceID = traceID
        self.event = event
        self.delegate = delegate
        self.party = party
        self.outcome = outcome
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, time, traceID = "trace_id", event, delegate, party, outcome, detail }
}

/// A jeugdhulpaanbieder's accession (art. 18, Bijlage 1): proposed, approved by the parties,
/// the signed form recorded, then the party is active.
public struct AccessionRecord: Sendable, Equatable, Decodable {
    public var id: String, party: String, name: String, proposedBy: String, proposedAt: String, status: AccessionStatus
    public var formReference: String?, signedOn: String?, notifiedAt: String?
    /// The approving parties, from `accession_approvals`.
    public var approvals: [String] = []

    public init(id: String, party: String, name: String, proposedBy: String, proposedAt: String, status: AccessionStatus,
                formReference: String? = nil, signedOn: String? = nil, notifiedAt: String? = nil, approvals: [String] = []) {
        self.id = id
        self.party = party
        self.name = name
        self.proposedBy = proposedBy
        self.proposedAt = proposedAt
        self.status = status
        self.formReference = formReference
        self.signedOn = signedOn
        self.notifiedAt = notifiedAt
        self.approvals = approvals
    }

    /// The columns of `accessions`; the approvals are rows of `accession_approvals`.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, party, name, proposedBy = "proposed_by", proposedAt = "proposed_at", status, formReference = "form_reference"
        case signedOn = "signed_on", notifiedAt = "notified_at"
    }
}

/// A value a party supplied about a case (art. 3.4 sub c, art. 8.1): encrypted, with who
/// supplied it and when. Each party has its own value per field; none overwrites another's.
public struct FactRecord: Sendable, Equatable, Decodable {
    /// `field` is a field name of art. 5.1, checked when written (`Gateway.validate(_:)`) and kept
    /// as text: it is bound into the value's AES-GCM context, so a changed name does not decrypt.
    public var caseID: String, party: String, field: String, valueCipher: String, suppliedBy: String, suppliedAt: String

    public init(caseID: String, party: String, field: String, valueCipher: String, suppliedBy: String, suppliedAt: String) {
        self.caseID = caseID
        self.party = party
        self.field = field
        self.valueCipher = valueCipher
        self.suppliedBy = suppliedBy
        self.suppliedAt = suppliedAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case caseID = "case_id", party, field, valueCipher = "value_cipher", suppliedBy = "supplied_by", suppliedAt = "supplied_at"
        static let list = StoredRows.list(allCases)
    }
}

/// A bearer token's row: whose it is, its kind and when it expires (a hash of the token is the key).
public struct SessionRecord: Sendable, Equatable, Decodable {
    public var delegate: String, kind: SessionKind, expires: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case delegate, kind, expires
        static let list = StoredRows.list(allCases)
    }
}
