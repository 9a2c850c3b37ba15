/// What is left of a case once its personal data is destroyed (convenant art. 9.2): that a case
/// of this type existed, when it was opened (the quarter) and closed (the day), why, how long it
/// ran (a bucket) and when it was destroyed. Its id is new: no case id, reference, pseudonym or
/// register index leads to it, so nothing links it to the pupil or the register's entries
/// (docs/retention.md). Read by the FG and counted by the statistics (art. 9.3).
public struct TombstoneRecord: Sendable, Equatable, Decodable {
    public var id: String
    /// A row of the thuiszitterstafel table, or nil when the case had none.
    public var caseType: String?
    /// One of `retention.closureReasons` (art. 5.5).
    public var closureReason: String
    /// `YYYY-QN`: the quarter the case was registered in.
    public var openedQuarter: String
    /// `YYYY-MM-DD` (Europe/Amsterdam).
    public var closedOn: String
    /// A `CaseDuration` bucket.
    public var duration: String
    /// `YYYY-MM-DD` (Europe/Amsterdam).
    public var destroyedOn: String

    public init(id: String, caseType: String?, closureReason: String, openedQuarter: String, closedOn: String, duration: String,
                destroyedOn: String) {
        self.id = id
        self.caseType = caseType
        self.closureReason = closureReason
        self.openedQuarter = openedQuarter
        self.closedOn = closedOn
        self.duration = duration
        self.destroyedOn = destroyedOn
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, caseType = "case_type", closureReason = "closure_reason", openedQuarter = "opened_quarter", closedOn = "closed_on"
        case duration, destroyedOn = "destroyed_on"
        static let list = StoredRows.list(allCases)
    }
}
