public import SluisCovenant

/// A pupil on the SWV's thuiszitterstafel list (Bijlage 3.3; verzuimprotocol hoofdstuk 5): the
/// case, the SWV's list number, who put it on (a unit and its delegate), the procesbewaker (a
/// delegate), the very short description and the progress — each text encrypted with the data
/// vault and kept with the unit that wrote it — and, once it left, when, why and by whom.
public struct TafelEntryRecord: Sendable, Equatable, Decodable {
    public var id: String, caseID: String
    /// The SWV's list number: 1, 2, 3, … over the whole list, never reused.
    public var number: Int64
    /// The unit that put the pupil on the list, and its delegate.
    public var registeredBy: String, registeredDelegate: String, registeredAt: String
    /// The delegate appointed procesbewaker (Bijlage 3.3 sub 2), nil until appointed.
    public var procesbewaker: String?
    public var summaryCipher: String, summaryBy: String
    public var progressCipher: String?, progressBy: String?
    /// Afschaling (Bijlage 3.3 sub 5): when, the reason, the delegate; nil while on the list.
    public var leftAt: String?, leftReason: String?, leftBy: String?

    public init(id: String, caseID: String, number: Int64, registeredBy: String, registeredDelegate: String, registeredAt: String,
                procesbewaker: String? = nil, summaryCipher: String, summaryBy: String, progressCipher: String? = nil, progressBy: String? = nil,
                leftAt: String? = nil, leftReason: String? = nil, leftBy: String? = nil) {
        self.id = id
        self.caseID = caseID
        self.number = number
        self.registeredBy = registeredBy
        self.registeredDelegate = registeredDelegate
        self.registeredAt = registeredAt
        self.procesbewaker = procesbewaker
        self.summaryCipher = summaryCipher
        self.summaryBy = summaryBy
        self.progressCipher = progressCipher
        self.progressBy = progressBy
        self.leftAt = leftAt
        self.leftReason = leftReason
        self.leftBy = leftBy
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, caseID = "case_id", number, registeredBy = "registered_by", registeredDelegate = "registered_delegate"
        case registeredAt = "registered_at", procesbewaker, summaryCipher = "summary_cipher", summaryBy = "summary_by"
        case progressCipher = "progress_cipher", progressBy = "progress_by", leftAt = "left_at", leftReason = "left_reason", leftBy = "left_by"
        static let list = StoredRows.list(allCases)
    }
}

/// A thuiszitterstafel agenda the SWV composed (Bijlage 3.3 sub 1: "SWV GO maakt vooraf de
/// agenda"): its party, the meeting's day, the purpose of art. 3.1, who composed it, and when
/// it was sent (once).
public struct TafelAgendaRecord: Sendable, Equatable, Decodable {
    public var id: String, party: String, meetingDate: String, purpose: String
    public var composedBy: String, composedAt: String
    public var sentAt: String?, sentBy: String?

    public init(id: String, party: String, meetingDate: String, purpose: String, composedBy: String, composedAt: String,
                sentAt: String? = nil, sentBy: String? = nil) {
        self.id = id
        self.party = party
        self.meetingDate = meetingDate
        self.purpose = purpose
        self.composedBy = composedBy
        self.composedAt = composedAt
        self.sentAt = sentAt
        self.sentBy = sentBy
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, party, meetingDate = "meeting_date", purpose, composedBy = "composed_by", composedAt = "composed_at"
        case sentAt = "sent_at", sentBy = "sent_by"
        static let list = StoredRows.list(allCases)
    }
}

/// One pupil on an agenda: its place, the list entry and the entry's case.
public struct TafelAgendaItemRecord: Sendable, Equatable, Decodable {
    public var agendaID: String, position: Int, entryID: String, caseID: String

    public init(agendaID: String, position: Int, entryID: String, caseID: String) {
        self.agendaID = agendaID
        self.position = position
        self.entryID = entryID
        self.caseID = caseID
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case agendaID = "agenda_id", position, entryID = "entry_id", caseID = "case_id"
        static let list = StoredRows.list(allCases)
    }
}

/// One version of an agenda's minutes (Bijlage 3.3 sub 1 and 4): written, and sent once.
public struct TafelMinutesVersionRecord: Sendable, Equatable, Decodable {
    public var agendaID: String, version: Int, writtenBy: String, writtenAt: String
    public var sentAt: String?, sentBy: String?

    public init(agendaID: String, version: Int, writtenBy: String, writtenAt: String, sentAt: String? = nil, sentBy: String? = nil) {
        self.agendaID = agendaID
        self.version = version
        self.writtenBy = writtenBy
        self.writtenAt = writtenAt
        self.sentAt = sentAt
        self.sentBy = sentBy
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case agendaID = "agenda_id", version, writtenBy = "written_by", writtenAt = "written_at", sentAt = "sent_at", sentBy = "sent_by"
        static let list = StoredRows.list(allCases)
    }
}

/// The minutes of one version about one pupil: the decisions and the actions, encrypted.
public struct TafelMinutesRecord: Sendable, Equatable, Decodable {
    public var agendaID: String, version: Int, caseID: String
    public var decisionsCipher: String?, actionsCipher: String?

    public init(agendaID: String, version: Int, caseID: String, decisionsCipher: String?, actionsCipher: String?) {
        self.agendaID = agendaID
        self.version = version
        self.caseID = caseID
        self.decisionsCipher = decisionsCipher
        self.actionsCipher = actionsCipher
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case agendaID = "agenda_id", version, caseID = "case_id", decisionsCipher = "decisions_cipher", actionsCipher = "actions_cipher"
        static let list = StoredRows.list(allCases)
    }
}

/// What a delivery of the thuiszitterstafel carries.
public enum TafelDeliveryKind: String, CaseIterable, Sendable, Codable {
    case agenda, minutes
}

/// One participant's sealed view of an agenda or of one version of the minutes, in its mailbox
/// (Bijlage 3.3 sub 4: "beveiligd gemaild aan deelnemers"; art. 10: a pull from a secure
/// environment): the bundle, its digest, the first of its register entries (one per pupil),
/// and for a correction the delivery it replaces.
public struct TafelDeliveryRecord: Sendable, Equatable, Decodable {
    public var id: String, agendaID: String, kind: TafelDeliveryKind, version: Int
    /// The meeting's day and the purpose, as on the agenda; the sending party (the SWV).
    public var meetingDate: String, purpose: String, sender: String
    public var recipient: String, recipientRole: PartyRole?
    /// The delivery of the earlier version this one corrects (minutes only).
    public var corrects: String?
    public var registerIndex: Int64
    /// How many pupils the view holds.
    public var pupils: Int
    /// The sealed bundle, base64 DER ('' where a query leaves it out).
    public var bundle: String
    public var bundleDigest: String, created: String
    public var fetchedAt: String?, acknowledgedAt: String?

    public init(id: String, agendaID: String, kind: TafelDeliveryKind, version: Int, meetingDate: String, purpose: String, sender: String,
                recipient: String, recipientRole: PartyRole?, corrects: String?, registerIndex: Int64, pupils: Int, bundle: String,
                bundleDigest: String, created: String, fetchedAt: String? = nil, acknowledgedAt: String? = nil) {
        self.id = id
        self.agendaID = agendaID
        self.kind = kind
        self.version = version
        self.meetingDate = meetingDate
        self.purpose = purpose
        self.sender = sender
        self.recipient = recipient
        self.recipientRole = recipientRole
        self.corrects = corrects
        self.registerIndex = registerIndex
        self.pupils = pupils
        self.bundle = bundle
        self.bundleDigest = bundleDigest
        self.created = created
        self.fetchedAt = fetchedAt
        self.acknowledgedAt = acknowledgedAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, agendaID = "agenda_id", kind, version, meetingDate = "meeting_date", purpose, sender, recipient, recipientRole = "recipient_role", corrects, registerIndex = "register_index"
        case pupils, bundle, bundleDigest = "bundle_digest", created, fetchedAt = "fetched_at", acknowledgedAt = "acknowledged_at"
        static let list = StoredRows.list(allCases)
    }
}
