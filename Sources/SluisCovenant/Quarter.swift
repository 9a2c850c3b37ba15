/// A calendar quarter, `2026-Q4`: the period the anonymised statistics count in (art. 9.3).
public struct Quarter: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    /// 1–4.
    public let number: Int

    public init(containing date: CalendarDate) {
        year = date.year
        number = (date.month - 1) / 3 + 1
    }

    /// Parses `YYYY-QN` (N 1–4); nil otherwise.
    public init?(text: String) {
        let parts = text.split(separator: "-Q", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), let number = Int(parts[1]), parts[1].count == 1,
              (1...9999).contains(year), (1...4).contains(number) else { return nil }
        self.year = year
        self.number = number
    }

    public var firstDay: CalendarDate { CalendarDate(year: year, month: number * 3 - 2, day: 1)! }
    public var lastDay: CalendarDate { next.firstDay.adding(days: -1) }
    public var next: Quarter { Quarter(containing: firstDay.adding(months: 3)) }

    public var description: String { "\(year)-Q\(number)" }

    public static func < (lhs: Quarter, rhs: Quarter) -> Bool { (lhs.year, lhs.number) < (rhs.year, rhs.number) }
}
