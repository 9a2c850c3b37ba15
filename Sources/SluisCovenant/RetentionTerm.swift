/// When a closed case's personal data is destroyed (convenant art. 9.2: "uiterlijk binnen een
/// jaar na het besluit tot sluiting"; `Policies/rules.yaml` `retention.destroyWithinMonths`).
/// *Interpretation* (docs/retention.md): at the end of the term, not at closure — on its last
/// day, the day before the closure day's anniversary. The year serves the pupil's and parents'
/// rights (art. 13: access to what was shared), complaints and the FG's supervision (art. 15.2);
/// closing is final (art. 5.5), so nothing is added to the case in that year.
public struct RetentionTerm: Sendable, Equatable {
    /// The term in calendar months (at most 12: art. 9.2, checked by the policy loader).
    public let months: Int

    public init(months: Int) { self.months = months }

    /// The day a case closed on `closedOn` is due: `closedOn` plus `months` calendar months, minus
    /// one day (2026-03-15 → 2027-03-14; 2026-02-28 + 12 months → 2027-02-27; a day the later
    /// month lacks becomes its last: 2026-01-31 + 1 month − 1 day → 2026-02-27).
    public func dueOn(closedOn: CalendarDate) -> CalendarDate {
        closedOn.adding(months: months).adding(days: -1)
    }

    /// Whether a case closed on `closedOn` is due on `today` (its due day or later).
    public func isDue(closedOn: CalendarDate, today: CalendarDate) -> Bool {
        dueOn(closedOn: closedOn) <= today
    }
}

extension CalendarDate {
    /// The same day `months` calendar months later (earlier when negative); a day the month
    /// lacks becomes the month's last day (31 January + 1 month = 28 or 29 February).
    public func adding(months: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) + months
        let (newYear, newMonth) = (index / 12, index % 12 + 1)
        return CalendarDate(year: newYear, month: newMonth, day: min(day, Self.days(inMonth: newMonth, year: newYear)))!
    }

    /// Whole calendar months from this day to `later` (0 when `later` is earlier).
    public func wholeMonths(until later: CalendarDate) -> Int {
        var months = max(0, (later.year - year) * 12 + later.month - month)
        while months > 0 && adding(months: months) > later { months -= 1 }
        return months
    }
}
