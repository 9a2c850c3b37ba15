public import SluisCovenant

/// A seeded absence file for one school year: the benchmark's input and the property tests'
/// corpus. Most pupils have a few registrations, some many: per pupil an activity level
/// (55 % quiet: 0–3 events, 30 % some: 4–15, 12 % frequent: 16–50, 3 % heavy: 51–120); an event
/// is a sick spell (a run of 1–10 school days of ziek), a late arrival, authorised leave, a few
/// unauthorised hours, or luxury absence (a run of 1–3 days). Units: klokuur for a third of the
/// pupils (primary school), lesuur for the rest. Registrations fall on working days from
/// 1 September to 15 July; the file is in CRLF lines, in date order as an export would be.
public struct AbsenceGenerator: Sendable {
    var random: SplitMix64

    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// The first day of the school year `startYear`–`startYear + 1`.
    public static func firstDay(ofSchoolYear startYear: Int) -> CalendarDate {
        CalendarDate(year: startYear, month: 8, day: 1)!
    }

    /// The last day (31 July): a file generated for the year is valid with this as `today`.
    public static func lastDay(ofSchoolYear startYear: Int) -> CalendarDate {
        CalendarDate(year: startYear + 1, month: 7, day: 31)!
    }

    /// The whole file: header and rows, CRLF line ends.
    public mutating func csv(pupils: Int, schoolYear startYear: Int) -> [UInt8] {
        var rows = registrations(pupils: pupils, schoolYear: startYear)
        rows.sort { $0.date < $1.date }
        var text = "pupil,date,kind,hours,unit\r\n"
        text.reserveCapacity(rows.count * 36)
        for row in rows {
            text += "\(row.pupil),\(row.date),\(row.kind.rawValue),\(row.hours?.description ?? ""),\(row.unit?.rawValue ?? "")\r\n"
        }
        return Array(text.utf8)
    }

    /// The registrations, pupil by pupil.
    public mutating func registrations(pupils: Int, schoolYear startYear: Int) -> [AbsenceRegistration] {
        let first = CalendarDate(year: startYear, month: 9, day: 1)!.dayNumber
        let last = CalendarDate(year: startYear + 1, month: 7, day: 15)!.dayNumber
        let schoolDays = (first...last).filter { WorkingDays.isWorkingDay(CalendarDate(dayNumber: $0)) }
        var rows: [AbsenceRegistration] = []
        for number in 1...pupils {
            let pupil = "L-" + String(repeating: "0", count: max(0, 5 - String(number).count)) + String(number)
            let unit: AbsenceUnit = Int.random(in: 0..<3, using: &random) == 0 ? .klokuur : .lesuur
            let level = Int.random(in: 0..<100, using: &random)
            let events = switch level {
            case ..<55: Int.random(in: 0...3, using: &random)
            case ..<85: Int.random(in: 4...15, using: &random)
            case ..<97: Int.random(in: 16...50, using: &random)
            default: Int.random(in: 51...120, using: &random)
            }
            for _ in 0..<events {
                let start = Int.random(in: 0..<schoolDays.count, using: &random)
                rows += event(pupil: pupil, unit: unit, days: schoolDays[start...])
            }
        }
        return rows
    }

    /// One event from its first school day on.
    mutating func event(pupil: String, unit: AbsenceUnit, days: ArraySlice<Int>) -> [AbsenceRegistration] {
        func row(_ offset: Int, _ kind: AbsenceKind, _ hours: AbsenceHours?) -> AbsenceRegistration {
            let day = days[days.startIndex + min(offset, days.count - 1)]
            return AbsenceRegistration(pupil: pupil, date: CalendarDate(dayNumber: day), kind: kind,
                                       hours: hours, unit: hours == nil ? nil : unit)
        }
        func halves(_ range: ClosedRange<Int>) -> AbsenceHours {
            AbsenceHours(millionths: Int.random(in: range, using: &random) * AbsenceHours.scale / 2)
        }
        switch Int.random(in: 0..<100, using: &random) {
        case ..<35:
            let length = Int.random(in: 0..<10, using: &random) < 7 ? Int.random(in: 1...3, using: &random)
                                                                     : Int.random(in: 4...10, using: &random)
            let withHours = Int.random(in: 0..<2, using: &random) == 0
            return (0..<length).map { row($0, .ziek, withHours ? AbsenceHours(whole: 6) : nil) }
        case ..<65: return [row(0, .teLaat, nil)]
        case ..<83: return [row(0, .geoorloofd, halves(2...8))]
        case ..<97: return [row(0, .ongeoorloofd, halves(1...12))]
        default:
            return (0..<Int.random(in: 1...3, using: &random)).map { row($0, .luxe, halves(10...14)) }
        }
    }
}
