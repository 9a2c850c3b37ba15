/// From absence registrations to the signals that are due (`../shared/contract/absence.md`,
/// "Rules"; verzuimprotocol ch. 4–5, Bijlage 4). Pure: `today` is passed in, nothing is read or
/// written, and the same registrations give the same signals in the same order.
///
/// The four rules, per pupil (`AbsenceRules`):
/// - `relatief-verzuim`: 16 or more hours of ongeoorloofd + luxe within any 28 consecutive
///   calendar days; since = the date of the registration that first reaches 16; then counting
///   starts afresh after since; due = the 5th working day after since (Bijlage 4, 5.5.2;
///   Lpw art. 21a).
/// - `te-laat-3`/`-6`/`-9`/`-12`: the 3rd, 6th, 9th and 12th te-laat registration within one
///   school year, 1 August – 31 July; no due date (5.5, table "te laat komen").
/// - `luxe-verzuim`: each luxe registration or run of them on consecutive school days; since =
///   its first day; due = the 5th working day after (4.1.2 sub 3, 5.5.3, Bijlage 4).
/// - `zorgwekkend-ziekteverzuim`: 4 sick reports within 84 days, or 7 consecutive school days
///   of ziek; since = the day the criterion is first met; no due date (5.5.4, Bijlage 4).
public enum AbsenceEvaluator {
    /// The signals for all pupils, in the contract's order (pupil, since, signal).
    /// - Parameters:
    ///   - registrations: validated registrations in any order (from `AbsenceFile.parse`, or read
    ///     back from a store). Pupils are told apart by the exact bytes of their key.
    ///   - today: the day of the evaluation. Registrations dated after it are left out, so
    ///     stored registrations can be evaluated as of an earlier day; `overdue` is
    ///     `today > due`.
    /// - Returns: every signal whose criterion is met on or before `today`.
    public static func evaluate(_ registrations: [AbsenceRegistration], today: CalendarDate) -> [AbsenceSignal] {
        let todayNumber = today.dayNumber
        var groups: [PupilKey: Int] = [:]
        var pupils: [String] = []
        var entries: [[AbsenceRules.Entry]] = []
        for registration in registrations {
            let day = registration.date.dayNumber
            guard day <= todayNumber else { continue }
            let key = PupilKey(registration.pupil)
            let group: Int
            if let existing = groups[key] {
                group = existing
            } else {
                group = pupils.count
                groups[key] = group
                pupils.append(registration.pupil)
                entries.append([])
            }
            entries[group].append(AbsenceRules.Entry(day: day, kind: registration.kind,
                                                     millionths: registration.hours?.millionths ?? 0))
        }
        var signals: [AbsenceSignal] = []
        for (group, pupil) in pupils.enumerated() {
            let rules = AbsenceRules(entries: entries[group].sorted { $0.day < $1.day })
            for found in rules.signals() {
                signals.append(AbsenceSignal(
                    pupil: pupil, kind: found.kind, since: CalendarDate(dayNumber: found.since),
                    due: found.due.map(CalendarDate.init(dayNumber:)), today: today))
            }
        }
        return signals.sorted(by: AbsenceSignal.contractOrder)
    }
}
