/// Day arithmetic on `CalendarDate`, for the absence rules' windows and deadlines: a day number
/// that counts days, the ISO weekday, and parsing `YYYY-MM-DD`.
extension CalendarDate {
    /// What is wrong with a text that should be a date.
    public enum TextProblem: Error, Sendable, Hashable {
        /// Not written as `YYYY-MM-DD` with ASCII digits.
        case notADate
        /// Written as `YYYY-MM-DD`, but no such day (2026-02-30, month 13).
        case notACalendarDate
    }

    /// Parses `YYYY-MM-DD` (ISO 8601 calendar date, ASCII digits, year 0001–9999).
    /// - Throws: `TextProblem.notADate` or `.notACalendarDate`.
    public init(text: some StringProtocol) throws(TextProblem) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
        else { throw .notADate }
        guard let date = CalendarDate(year: year, month: month, day: day) else { throw .notACalendarDate }
        self = date
    }

    /// The day with this number: 0 is 1970-01-01, negative before (proleptic Gregorian;
    /// H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days). A number
    /// past 9999-12-31 gives year 10000 and later, which `description` still writes.
    public init(dayNumber: Int) {
        let shifted = dayNumber + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    }

    /// Days since 1970-01-01 (days_from_civil, the inverse of `init(dayNumber:)`).
    public var dayNumber: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    /// ISO 8601 weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    static func isoWeekday(dayNumber: Int) -> Int {
        ((dayNumber % 7) + 7 + 3) % 7 + 1
    }

    /// ISO 8601 weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int { Self.isoWeekday(dayNumber: dayNumber) }
}
