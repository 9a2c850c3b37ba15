import Foundation
import Testing
@testable import SluisCovenant

/// A date from `YYYY-MM-DD` in a test (the text is the test's own, so it is valid).
func day(_ text: String) -> CalendarDate {
    do { return try CalendarDate(text: text) } catch { fatalError("bad test date \(text)") }
}

/// Working days: Monday–Friday except the general holidays of the Algemene termijnenwet art. 3,
/// as `../shared/contract/absence.md` lists them; the deadlines of verzuimprotocol Bijlage 4.
@Suite("Working days (Algemene termijnenwet art. 3)")
struct WorkingDaysTests {
    @Test("Easter Sunday by the anonymous Gregorian computus, against published dates (earliest 22 March, latest 25 April)",
          arguments: [("2024-03-31", 2024), ("2025-04-20", 2025), ("2026-04-05", 2026), ("2027-03-28", 2027),
                      ("2019-04-21", 2019), ("2038-04-25", 2038), ("2008-03-23", 2008), ("2285-03-22", 2285),
                      ("1943-04-25", 1943), ("2000-04-23", 2000)])
    func easterSunday_computus_termijnenwetArt3(expected: String, year: Int) {
        #expect(WorkingDays.easterSunday(year: year) == day(expected))
    }

    @Test("The general holidays of 2026: New Year, Easter Monday, King's Day, 5 May, Ascension, Whit Monday, Christmas")
    func generalHolidays2026_termijnenwetArt3() {
        #expect(WorkingDays.generalHolidays(year: 2026).map(\.description) == [
            "2026-01-01", "2026-04-06", "2026-04-27", "2026-05-05", "2026-05-14", "2026-05-25", "2026-12-25", "2026-12-26",
        ])
    }

    @Test("King's Day is 26 April when 27 April is a Sunday (2025), else 27 April (2026, a Monday: no working day)")
    func kingsDay_movesToSaturdayWhenTheTwentySeventhIsSunday_termijnenwetArt3() {
        let holidays2025 = WorkingDays.generalHolidays(year: 2025)
        #expect(holidays2025.contains(day("2025-04-26")))
        #expect(!holidays2025.contains(day("2025-04-27")))
        #expect(day("2025-04-27").isoWeekday == 7)
        #expect(!WorkingDays.isWorkingDay(day("2026-04-27")))
        #expect(WorkingDays.isWorkingDay(day("2026-04-28")))
        #expect(WorkingDays.isWorkingDay(day("2025-04-28")))
    }

    @Test("Good Friday is a working day, Easter Monday is not (2026: 3 and 6 April)")
    func easter_goodFridayWorksEasterMondayDoesNot_termijnenwetArt3() {
        #expect(WorkingDays.isWorkingDay(day("2026-04-03")))
        #expect(!WorkingDays.isWorkingDay(day("2026-04-06")))
        #expect(WorkingDays.workingDay(1, after: day("2026-04-02")) == day("2026-04-03"))
        #expect(WorkingDays.workingDay(2, after: day("2026-04-02")) == day("2026-04-07"))
    }

    @Test("Contract example: since Wednesday 2026-05-13, the 5th working day after is 2026-05-21 (Ascension on the 14th)")
    func due_contractExample_skipsAscension_BijlageVier() {
        #expect(WorkingDays.workingDay(5, after: day("2026-05-13")) == day("2026-05-21"))
    }

    @Test("Christmas and New Year: from Wednesday 24 December 2025 the 1st working day is the 29th, the 5th is 5 January")
    func due_acrossChristmasAndNewYear_BijlageVier() {
        #expect(!WorkingDays.isWorkingDay(day("2025-12-25")))
        #expect(!WorkingDays.isWorkingDay(day("2025-12-26")))
        #expect(!WorkingDays.isWorkingDay(day("2026-01-01")))
        #expect(WorkingDays.isWorkingDay(day("2026-01-02")))
        #expect(WorkingDays.workingDay(1, after: day("2025-12-24")) == day("2025-12-29"))
        #expect(WorkingDays.workingDay(5, after: day("2025-12-24")) == day("2026-01-05"))
    }

    @Test("A due date crossing King's Day, 5 May and a weekend", arguments: [
        ("2026-04-24", "2026-05-04"),  // Fri: 27 April (King's Day) skipped
        ("2026-04-30", "2026-05-08"),  // Thu: 5 May skipped
        ("2026-05-22", "2026-06-01"),  // Fri: Whit Monday 25 May skipped
    ])
    func due_crossesHolidays_BijlageVier(since: String, due: String) {
        #expect(WorkingDays.workingDay(5, after: day(since)) == day(due))
    }

    @Test("Day numbers round-trip and weekdays agree with Foundation's Gregorian calendar")
    func dayNumbers_agreeWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        #expect(day("1970-01-01").dayNumber == 0)
        #expect(day("1970-01-01").isoWeekday == 4)
        for number in stride(from: -130_000, through: 200_000, by: 997) {  // 1614–2517: Foundation is Julian before 1582
            let date = CalendarDate(dayNumber: number)
            #expect(date.dayNumber == number)
            #expect(CalendarDate(year: date.year, month: date.month, day: date.day) == date)
            let instant = Date(timeIntervalSince1970: Double(number) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: instant)
            #expect([parts.year, parts.month, parts.day] == [date.year, date.month, date.day])
            #expect((parts.weekday! + 5) % 7 + 1 == date.isoWeekday)  // Foundation: 1 = Sunday
        }
    }
}
