public import SluisCovenant

/// A rights request of convenant art. 13 (AVG art. 15–21) as stored (migration 14): the kind
/// and who asked in the covenant's words, every text about a person sealed with the data key
/// (`*_cipher`: the requester's name and contact, the identity-check note, the extension's and
/// the decision's reasons), the dates of AVG art. 12 lid 3.
public struct RightsRequestRecord: Sendable, Equatable, Decodable {
    public var id: String, caseID: String
    /// The unit (party, or `party/role`) that received and handles it: the convener.
    public var handler: String
    public var kind: RightsRequestKind, requester: RightsRequester
    public var requesterCipher: String
    public var identityCheck: IdentityCheck, identityNoteCipher: String?
    /// `YYYY-MM-DD`; the due day as computed when recorded or extended (`RightsDeadline`).
    public var receivedOn: String, dueOn: String
    public var status: RightsRequestStatus
    public var extendedAt: String?, extensionCipher: String?
    public var decidedAt: String?, decisionCipher: String?
    /// A `RefusalGround`, or `avg-20-1-a` for portability on a basis other than consent (fn 30).
    public var refusalGround: String?
    public var deliveredAt: String?
    public var recordedBy: String, recordedAt: String

    public init(id: String, caseID: String, handler: String, kind: RightsRequestKind, requester: RightsRequester, requesterCipher: String,
                identityCheck: IdentityCheck, identityNoteCipher: String?, receivedOn: String, dueOn: String, status: RightsRequestStatus,
                recordedBy: String, recordedAt: String) {
        (self.id, self.caseID, self.handler, self.kind, self.requester, self.requesterCipher) = (id, caseID, handler, kind, requester, requesterCipher)
        (self.identityCheck, self.identityNoteCipher, self.receivedOn, self.dueOn, self.status) = (identityCheck, identityNoteCipher, receivedOn, dueOn, status)
        (self.recordedBy, self.recordedAt) = (recordedBy, recordedAt)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, caseID = "case_id", handler, kind, requester, requesterCipher = "requester_cipher", identityCheck = "identity_check"
        case identityNoteCipher = "identity_note_cipher", receivedOn = "received_on", dueOn = "due_on", status
        case extendedAt = "extended_at", extensionCipher = "extension_cipher", decidedAt = "decided_at", decisionCipher = "decision_cipher"
        case refusalGround = "refusal_ground", deliveredAt = "delivered_at", recordedBy = "recorded_by", recordedAt = "recorded_at"
        static let list = StoredRows.list(allCases)
    }
}

/// A case whose processing is restricted (AVG art. 18; convenant art. 13.1 sub b): no further
/// disclosure until lifted. One row per case; lifting deletes it (the register keeps both).
public struct RestrictionRecord: Sendable, Equatable, Decodable {
    public var caseID: String
    /// `beperking` (AVG art. 18 lid 1, a granted request) or `bezwaar` (art. 18 lid 1 sub d:
    /// while an objection is assessed).
    public var reason: String
    /// The request that set it: a case may be restricted under several requests at once, and
    /// each lifts only its own (AVG art. 18 lid 3; migration 16).
    public var requestID: String
    public var restrictedAt: String, restrictedBy: String

    public init(caseID: String, reason: String, requestID: String, restrictedAt: String, restrictedBy: String) {
        (self.caseID, self.reason, self.requestID, self.restrictedAt, self.restrictedBy) = (caseID, reason, requestID, restrictedAt, restrictedBy)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case caseID = "case_id", reason, requestID = "request_id", restrictedAt = "restricted_at", restrictedBy = "restricted_by"
        static let list = StoredRows.list(allCases)
    }
}
