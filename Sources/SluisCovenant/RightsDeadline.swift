/// The deadline of a rights request (AVG art. 12 lid 3): "onverwijld en in ieder geval binnen
/// een maand na ontvangst", extendable once "met nog eens twee maanden" with the reasons told
/// to the requester within the first month. A month counts as in Verordening (EEG, Euratom)
/// nr. 1182/71 art. 3 lid 2 sub c: it ends on the day of the later month with the receipt's
/// date (a day the month lacks: its last day); art. 3 lid 4: a period ending on a Saturday,
/// Sunday or general holiday ends on the next working day (`WorkingDays`).
public struct RightsDeadline: Sendable, Equatable {
    public let receivedOn: CalendarDate
    public let extended: Bool

    public init(receivedOn: CalendarDate, extended: Bool) {
        self.receivedOn = receivedOn
        self.extended = extended
    }

    /// The last day to answer: one month after receipt, three when extended.
    public var dueOn: CalendarDate {
        var day = receivedOn.adding(months: extended ? 3 : 1)
        while !WorkingDays.isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// Calendar days from `today` to the due day: 0 on the due day, negative when overdue.
    public func daysLeft(today: CalendarDate) -> Int { dueOn.dayNumber - today.dayNumber }

    /// Whether an undecided request is past its due day on `today`.
    public func isOverdue(today: CalendarDate, status: RightsRequestStatus) -> Bool {
        !status.isDecided && today > dueOn
    }

    /// Whether an extension may still be given on `today`: once, within the first month (art. 12 lid 3).
    public func mayExtend(today: CalendarDate) -> Bool {
        !extended && today <= RightsDeadline(receivedOn: receivedOn, extended: false).dueOn
    }
}
