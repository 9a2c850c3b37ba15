/// Rows of the gateway's tables, as plain values. Personal data of pupils is only ever held
/// encrypted (`CaseRecord.dataCipher`); delegates are known by username, party and role.
public struct PartyRecord: Sendable, Equatable {
    public var id: String, kind: String, name: String, status: String

    public init(id: String, kind: String, name: String, status: String) {
        self.id = id
        self.kind = kind
        self.name = name
        self.status = status
    }
}

public struct DelegateRecord: Sendable, Equatable {
    public var id: String, username: String, party: String, role: String
    public var passwordHash: String
    /// The TOTP secret, encrypted with the data key (hex of nonce ‖ ciphertext ‖ tag).
    public var totpSecretCipher: String
    public var lastTOTPStep: Int64?
    public var failedAttempts: Int
    public var lockedUntil: String?
    /// Set when the party's beheerder disabled the delegate: no login, no token works.
    public var disabledAt: String?

    public init(id: String, username: String, party: String, role: String, passwordHash: String, totpSecretCipher: String,
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
}

public struct CaseRecord: Sendable, Equatable {
    public var id: String
    /// The gateway's internal pupil key: input to the pseudonyms, never shown.
    public var pupilKey: String
    /// Identity and case facts, AES-256-GCM encrypted with the data key.
    public var dataCipher: String
    /// The party that registered the case (and brought the pupil's identity in).
    public var owner: String
    public var status: String, closureReason: String?, closedAt: String?
    public var phase: String, caseType: String?, duoMelding: Bool
    public var created: String
    /// The DUO melding (Lpw art. 21a): its date, DUO's reference and the school board that made it.
    public var duoMeldingDate: String?, duoMeldingReference: String?, duoMeldingParty: String?

    public init(id: String, pupilKey: String, dataCipher: String, owner: String, status: String, closureReason: String?,
                closedAt: String?, phase: String, caseType: String?, duoMelding: Bool, created: String,
                duoMeldingDate: String? = nil, duoMeldingReference: String? = nil, duoMeldingParty: String? = nil) {
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
}

public struct InformingRecord: Sendable, Equatable {
    public var id: String, caseID: String, party: String, delegate: String, informedAt: String, method: String, recorded: String

    public init(id: String, caseID: String, party: String, delegate: String, informedAt: String, method: String, recorded: String) {
        self.id = id
        self.caseID = caseID
        self.party = party
        self.delegate = delegate
        self.informedAt = informedAt
        self.method = method
        self.recorded = recorded
    }
}

/// A consent as its holder recorded it (art. 6.1 sub c): the scope, and each giver's answer on
/// its own (`consent_answers`). What it amounts to on a day is derived, never stored.
public struct ConsentRecord: Sendable, Equatable {
    public var id: String, caseID: String, holder: String
    public var recipients: [String], fields: [String]
    /// The SOT question's id (Bijlage 3.2 sub 4). Consents from before migration 8 keep the
    /// free text they were bound to, which no question id equals: they count in no SOT.
    public var question: String?
    /// The last day the consent holds, as its giver set it (YYYY-MM-DD), or nil.
    public var endsOn: String?
    public var answers: [ConsentAnswerRecord]
    public var recordedBy: String, recordedAt: String
    public var revokedAt: String?, revokedBy: String?

    public init(id: String, caseID: String, holder: String, recipients: [String], fields: [String], question: String?,
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
}

/// One giver's answer to a consent (art. 6.1 sub b–c; fn 28): who (`parent`, `other-parent`,
/// `legal-representative`, `pupil`), `given` or `refused`, on which day, the reference to the
/// written evidence, and which delegate recorded it when.
public struct ConsentAnswerRecord: Sendable, Equatable {
    public var consentID: String, giver: String, answer: String, answeredOn: String, evidence: String
    public var recordedBy: String, recordedAt: String

    public init(consentID: String, giver: String, answer: String, answeredOn: String, evidence: String, recordedBy: String, recordedAt: String) {
        self.consentID = consentID
        self.giver = giver
        self.answer = answer
        self.answeredOn = answeredOn
        self.evidence = evidence
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// A SOT support question (Bijlage 3.2 sub 4): asked by the school board, its text encrypted.
public struct SotQuestionRecord: Sendable, Equatable {
    public var id: String, caseID: String, textCipher: String, askedBy: String, delegate: String, askedAt: String

    public init(id: String, caseID: String, textCipher: String, askedBy: String, delegate: String, askedAt: String) {
        self.id = id
        self.caseID = caseID
        self.textCipher = textCipher
        self.askedBy = askedBy
        self.delegate = delegate
        self.askedAt = askedAt
    }
}

/// A note of the SOT on one question (Bijlage 3.2 sub 4), its text encrypted.
public struct SotNoteRecord: Sendable, Equatable {
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
}

public struct DisclosureRecord: Sendable, Equatable {
    public var id: String, caseID: String, sender: String, recipient: String, forum: String, purpose: String
    public var released: [String], consents: [String]
    public var registerIndex: Int64
    /// The sealed bundle, base64 DER.
    public var bundle: String
    public var bundleDigest: String, created: String
    public var fetchedAt: String?, acknowledgedAt: String?
    /// At a gemeente: the role the disclosure is addressed to (`leerplicht`, `jeugd-en-gezin`).
    public var recipientRole: String?
    /// In the SOT: the id of the question it was about (Bijlage 3.2 sub 4).
    public var sotQuestion: String?

    public init(id: String, caseID: String, sender: String, recipient: String, forum: String, purpose: String, released: [String],
                consents: [String], registerIndex: Int64, bundle: String, bundleDigest: String, created: String,
                fetchedAt: String? = nil, acknowledgedAt: String? = nil, recipientRole: String? = nil, sotQuestion: String? = nil) {
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
}

public struct NoticeRecord: Sendable, Equatable {
    public var id: String, party: String, caseID: String, kind: String, consentID: String?, created: String, acknowledgedAt: String?
    /// At a gemeente: the role whose mailbox the notice is for.
    public var role: String?
    /// Set for notices that are given once (a consent's renewal or end): a second notice with
    /// the same key is not delivered.
    public var onceKey: String?
    /// The day the notice is about: the birthday from which a consent needs renewal, or its end date.
    public var due: String?

    public init(id: String, party: String, caseID: String, kind: String, consentID: String?, created: String, acknowledgedAt: String? = nil,
                role: String? = nil, onceKey: String? = nil, due: String? = nil) {
        self.role = role
        self.id = id
        self.party = party
        self.caseID = caseID
        self.kind = kind
        self.consentID = consentID
        self.created = created
        self.acknowledgedAt = acknowledgedAt
        self.onceKey = onceKey
        self.due = due
    }
}

public struct AuditRecord: Sendable, Equatable {
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
}

/// A jeugdhulpaanbieder's accession (art. 18, Bijlage 1): proposed, approved by the parties,
/// the signed form recorded, then the party is active.
public struct AccessionRecord: Sendable, Equatable {
    public var id: String, party: String, name: String, proposedBy: String, proposedAt: String, status: String
    public var formReference: String?, signedOn: String?, notifiedAt: String?
    public var approvals: [String]

    public init(id: String, party: String, name: String, proposedBy: String, proposedAt: String, status: String,
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
}

/// A value a party supplied about a case (art. 3.4 sub c, art. 8.1): encrypted, with who
/// supplied it and when. Each party has its own value per field; none overwrites another's.
public struct FactRecord: Sendable, Equatable {
    public var caseID: String, party: String, field: String, valueCipher: String, suppliedBy: String, suppliedAt: String

    public init(caseID: String, party: String, field: String, valueCipher: String, suppliedBy: String, suppliedAt: String) {
        self.caseID = caseID
        self.party = party
        self.field = field
        self.valueCipher = valueCipher
        self.suppliedBy = suppliedBy
        self.suppliedAt = suppliedAt
    }
}
