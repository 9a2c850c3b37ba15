public import Foundation

/// Pupil identity checked where it enters Sluis (case creation), before anything is stored or
/// decided on it: a burgerservicenummer that passes the eleven-test, and a birth date that is a
/// day of the calendar and gives an age within the covenant's scope. Pure: the caller passes
/// the moment, so the same input always gives the same answer.
///
/// Sources: convenant art. 5.1 sub a (birth date) and sub b (BSN); art. 1.11 and 1.13 (a
/// thuiszitter is of compulsory-school age, `scope` in Policies/rules.yaml); the eleven-test
/// of the BSN (Wet algemene bepalingen burgerservicenummer; "elfproef", Logius).
public enum PupilIdentityValidation {
    /// Whether `bsn` is a burgerservicenummer by form: see `checkBSN`.
    public static func isValidBSN(_ bsn: String) -> Bool {
        (try? checkBSN(bsn)) != nil
    }

    /// Checks a burgerservicenummer (convenant art. 5.1 sub b): exactly nine ASCII digits
    /// d1…d9 (no spaces or dots; a number of eight digits is written with a leading 0), not all
    /// zeros, and passing the eleven-test 9·d1 + 8·d2 + 7·d3 + 6·d4 + 5·d5 + 4·d6 + 3·d7 + 2·d8
    /// − 1·d9 ≡ 0 (mod 11).
    /// - Parameter field: the key to name in the error (`bsn`, or the caller's own path).
    /// - Throws: `PupilIdentityError` with `.notNineDigits`, `.allZeros` or `.failsElevenTest`.
    public static func checkBSN(_ bsn: String, field: String = "bsn") throws(PupilIdentityError) {
        let bytes = bsn.utf8
        guard bytes.count == 9, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw PupilIdentityError(field: field, problem: .notNineDigits)
        }
        var sum = 0
        var allZeros = true
        for (position, byte) in bytes.enumerated() {
            let digit = Int(byte - UInt8(ascii: "0"))
            if digit != 0 { allZeros = false }
            sum += position == 8 ? -digit : (9 - position) * digit
        }
        if allZeros { throw PupilIdentityError(field: field, problem: .allZeros) }
        guard sum % 11 == 0 else { throw PupilIdentityError(field: field, problem: .failsElevenTest) }
    }

    /// Parses a birth date (convenant art. 5.1 sub a) written as `YYYY-MM-DD` with ASCII digits:
    /// a day of the (proleptic) Gregorian calendar, year 0001 or later.
    /// - Throws: `PupilIdentityError` with `.notADate` (not of that form) or
    ///   `.notACalendarDate` (of that form, but no such day: 2011-02-29, 2012-04-31, month 13).
    public static func birthDate(_ text: String, field: String = "birthDate") throws(PupilIdentityError) -> CalendarDate {
        do {
            return try CalendarDate(text: text)
        } catch .notADate {
            throw PupilIdentityError(field: field, problem: .notADate)
        } catch {
            throw PupilIdentityError(field: field, problem: .notACalendarDate)
        }
    }

    /// The pupil's age in whole years at `instant`, counted on the calendar of Europe/Amsterdam
    /// (where the covenant applies): a year older on the birthday itself. Someone born on
    /// 29 February is a year older on 1 March of a year without that day (interpretation,
    /// docs/policy-format.md).
    /// - Throws: `PupilIdentityError` for a birth date that is not a calendar date, or one after
    ///   the Amsterdam date of `instant` (`.inTheFuture`).
    public static func age(birthDate text: String, at instant: Date, field: String = "birthDate") throws(PupilIdentityError) -> Int {
        let birth = try birthDate(text, field: field)
        let today = CalendarDate.amsterdam(instant)
        guard birth <= today else { throw PupilIdentityError(field: field, problem: .inTheFuture) }
        return birth.wholeYears(until: today)
    }

    /// Checks that an age fits the policy's scope of a thuiszitter (`scope` in
    /// Policies/rules.yaml: 5 to 17 years, convenant art. 1.11 and 1.13).
    /// - Throws: `PupilIdentityError` with `.outsideScope(age:fromAge:toAge:)`.
    public static func checkScope(age: Int, scope: ScopePolicy, field: String = "birthDate") throws(PupilIdentityError) {
        guard scope.contains(age: age) else {
            throw PupilIdentityError(field: field, problem: .outsideScope(age: age, fromAge: scope.fromAge, toAge: scope.toAge))
        }
    }

    /// `age(birthDate:at:)` and `checkScope(age:scope:)` in one: the age to put in a decision
    /// request, or the first problem with the birth date.
    public static func ageInScope(
        birthDate text: String, at instant: Date, scope: ScopePolicy, field: String = "birthDate"
    ) throws(PupilIdentityError) -> Int {
        let years = try Self.age(birthDate: text, at: instant, field: field)
        try checkScope(age: years, scope: scope, field: field)
        return years
    }
}

/// What is wrong with a piece of pupil identity: the key it was given under and the problem.
/// The description names both and never the value (it is personal data).
public struct PupilIdentityError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        /// A BSN that is not exactly nine ASCII digits.
        case notNineDigits
        /// A BSN of nine zeros: it passes the eleven-test but is no number.
        case allZeros
        /// A BSN of nine digits that fails the eleven-test.
        case failsElevenTest
        /// A date that is not written as YYYY-MM-DD with ASCII digits.
        case notADate
        /// A date written as YYYY-MM-DD that is no day of the Gregorian calendar.
        case notACalendarDate
        /// A birth date after the moment of the check.
        case inTheFuture
        /// An age outside the covenant's scope of a thuiszitter (art. 1.11, 1.13).
        case outsideScope(age: Int, fromAge: Int, toAge: Int)
    }

    /// The key in the caller's input: `bsn`, `birthDate`, or the path the caller passed.
    public var field: String
    public var problem: Problem

    public init(field: String, problem: Problem) {
        self.field = field
        self.problem = problem
    }

    public var description: String {
        let text = switch problem {
        case .notNineDigits: "expected exactly nine digits 0–9 (convenant art. 5.1 sub b)"
        case .allZeros: "nine zeros is not a burgerservicenummer"
        case .failsElevenTest: "not a burgerservicenummer: it fails the eleven-test"
        case .notADate: "expected a date as YYYY-MM-DD"
        case .notACalendarDate: "no such day in the calendar"
        case .inTheFuture: "lies after today"
        case .outsideScope(_, let from, let to):
            "the pupil is not \(from) to \(to) years old, so no thuiszitter (convenant art. 1.11, 1.13)"
        }
        return "\(field): \(text)"
    }
}

/// A day of the (proleptic) Gregorian calendar, without time or zone: a birth date, or the
/// date of a moment in Europe/Amsterdam.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless the day exists: month 1–12, day within the month (29 February only in a leap
    /// year: divisible by 4, and not by 100 unless by 400), year 1–9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Self.days(inMonth: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static let amsterdamCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        return calendar
    }()

    /// The date it is in Europe/Amsterdam at `instant` (CET/CEST as the calendar says).
    public static func amsterdam(_ instant: Date) -> CalendarDate {
        amsterdamClock(instant).date
    }

    /// The date and the wall-clock hour and minute in Europe/Amsterdam at `instant`.
    public static func amsterdamClock(_ instant: Date) -> (date: CalendarDate, hour: Int, minute: Int) {
        let parts = amsterdamCalendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return (CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!, parts.hour!, parts.minute!)
    }

    /// Whole years from this date to `later`: one more on each anniversary; for 29 February,
    /// on 1 March of a common year.
    public func wholeYears(until later: CalendarDate) -> Int {
        let years = later.year - year
        return (later.month, later.day) < (month, day) ? years - 1 : years
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
