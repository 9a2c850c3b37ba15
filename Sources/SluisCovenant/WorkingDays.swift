/// Working days as the absence deadlines count them: Monday to Friday, except the general
/// holidays of the Algemene termijnenwet art. 3 (lid 1). Saturday and Sunday are not working
/// days (art. 1); the holidays are New Year's Day, Easter Monday, Ascension Day, Whit Monday,
/// Christmas Day and Boxing Day, King's Day (27 April, or 26 April when the 27th is a Sunday)
/// and 5 May. Good Friday is not among them. School days are the same days
/// (`../shared/contract/absence.md`: school holidays are not known to Sluis).
///
/// Pure and total: any day number gives an answer; no calendar or time zone is consulted.
public enum WorkingDays {
    /// Easter Sunday of a Gregorian year, by the anonymous Gregorian computus (Meeus/Jones/
    /// Butcher, J. Meeus, *Astronomical Algorithms*, ch. 8), valid for every year from 1583.
    public static func easterSunday(year: Int) -> CalendarDate {
        let a = year % 19
        let b = year / 100, c = year % 100
        let d = b / 4, e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDate(year: year, month: month, day: day)!
    }

    /// The general holidays of a year (Algemene termijnenwet art. 3 lid 1), in date order.
    /// King's Day moves to 26 April when 27 April is a Sunday (Wet van 9 juli 2013, Stb. 2013,
    /// 285, amending art. 3).
    public static func generalHolidays(year: Int) -> [CalendarDate] {
        let easter = easterSunday(year: year).dayNumber
        let aprilTwentySeventh = CalendarDate(year: year, month: 4, day: 27)!
        let kingsDay = aprilTwentySeventh.isoWeekday == 7 ? aprilTwentySeventh.adding(days: -1) : aprilTwentySeventh
        let days = [
            CalendarDate(year: year, month: 1, day: 1)!,   // Nieuwjaarsdag
            CalendarDate(dayNumber: easter + 1),           // tweede Paasdag
            kingsDay,                                      // Koningsdag
            CalendarDate(year: year, month: 5, day: 5)!,   // 5 mei
            CalendarDate(dayNumber: easter + 39),          // Hemelvaartsdag
            CalendarDate(dayNumber: easter + 50),          // tweede Pinksterdag
            CalendarDate(year: year, month: 12, day: 25)!, // eerste Kerstdag
            CalendarDate(year: year, month: 12, day: 26)!, // tweede Kerstdag
        ]
        return days.sorted()
    }

    /// Whether the day is a working day: Monday–Friday and not a general holiday.
    public static func isWorkingDay(_ date: CalendarDate) -> Bool {
        isWorkingDay(dayNumber: date.dayNumber)
    }

    /// `isWorkingDay` on a day number (`CalendarDate.dayNumber`), for the evaluator's loops.
    static func isWorkingDay(dayNumber: Int) -> Bool {
        guard CalendarDate.isoWeekday(dayNumber: dayNumber) <= 5 else { return false }
        let date = CalendarDate(dayNumber: dayNumber)
        switch (date.month, date.day) {
        case (1, 1), (5, 5), (12, 25), (12, 26): return false
        case (4, 26), (4, 27): return !generalHolidays(year: date.year).contains(date)
        case (3, _), (4, _), (5, _), (6, _):
            // Easter Monday (23 March–26 April), Ascension (30 April–3 June), Whit Monday
            // (11 May–14 June).
            let easter = easterSunday(year: date.year).dayNumber
            return ![easter + 1, easter + 39, easter + 50].contains(dayNumber)
        default: return true
        }
    }

    /// The `count`th working day after `date` (the day itself not counted): the deadline "within
    /// 5 working days" of verzuimprotocol Bijlage 4 and 5.5.2 is `workingDay(5, after: since)`.
    /// - Parameter count: 1 or more.
    public static func workingDay(_ count: Int, after date: CalendarDate) -> CalendarDate {
        CalendarDate(dayNumber: workingDay(count, afterDayNumber: date.dayNumber))
    }

    static func workingDay(_ count: Int, afterDayNumber start: Int) -> Int {
        precondition(count >= 1, "count working days from 1")
        var day = start, found = 0
        while found < count {
            day += 1
            if isWorkingDay(dayNumber: day) { found += 1 }
        }
        return day
    }

    /// Whether no working (school) day lies strictly between two days: they then belong to one
    /// run of consecutive school days (Friday and the next Monday; the days around a holiday).
    static func noWorkingDayBetween(_ earlier: Int, _ later: Int) -> Bool {
        var day = earlier + 1
        while day < later {
            if isWorkingDay(dayNumber: day) { return false }
            day += 1
        }
        return true
    }
}
