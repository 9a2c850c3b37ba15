/// The four absence rules over one pupil's registrations, on day numbers
/// (`CalendarDate.dayNumber`). The contract's rules are quoted at each; where the contract is
/// silent the reading chosen is marked *interpretation* and explained in docs/casework.md.
struct AbsenceRules {
    struct Entry {
        var day: Int
        var kind: AbsenceKind
        /// Hours × 1,000,000; 0 where none were given.
        var millionths: Int
    }

    struct Found {
        var kind: AbsenceSignal.Kind
        var since: Int
        var due: Int?
    }

    /// The pupil's registrations up to today, sorted by day.
    let entries: [Entry]

    /// Bijlage 4, 5.5.2: "Binnen 5 werkdagen volgt de wettelijke verplicht verzuimmelding".
    static let meldingWorkingDays = 5
    static let relativeThreshold = AbsenceHours(whole: 16).millionths
    static let relativeWindowDays = 28
    static let sickReportWindowDays = 84
    static let sickReportCount = 4
    static let sickRunSchoolDays = 7

    func signals() -> [Found] {
        relativeAbsence() + lateArrival() + luxuryAbsence() + worryingSickLeave()
    }

    private static func due(after since: Int) -> Int {
        WorkingDays.workingDay(meldingWorkingDays, afterDayNumber: since)
    }

    /// "16 or more hours (ongeoorloofd + luxe, in the pupil's unit) within any 28 consecutive
    /// calendar days. since = the date of the registration that first reaches 16 in such a
    /// window; after a signal, counting starts afresh with the registrations dated after its
    /// since." A window of 28 days holds days d with since − 27 ≤ d ≤ since. Several
    /// registrations on one day add up (interpretation: two lessons missed are two
    /// registrations).
    func relativeAbsence() -> [Found] {
        var window: [(day: Int, millionths: Int)] = []
        var head = 0, sum = 0
        var found: [Found] = []
        var lastSince = Int.min
        // Afresh after since: registrations dated on since itself do not count again.
        for entry in entries where (entry.kind == .ongeoorloofd || entry.kind == .luxe) && entry.day > lastSince {
            window.append((entry.day, entry.millionths))
            sum += entry.millionths
            while window[head].day <= entry.day - Self.relativeWindowDays {
                sum -= window[head].millionths
                head += 1
            }
            guard sum >= Self.relativeThreshold else { continue }
            found.append(Found(kind: .relatiefVerzuim, since: entry.day, due: Self.due(after: entry.day)))
            lastSince = entry.day
            window.removeAll(keepingCapacity: true)
            head = 0
            sum = 0
        }
        return found
    }

    /// "the 3rd, 6th, 9th and 12th te-laat registration within one school year (1 August –
    /// 31 July). since = the date of that registration. due: null." Each registration counts,
    /// also several on one day (late for the first lesson and after a break, protocol 4.1.2).
    func lateArrival() -> [Found] {
        var schoolYear = Int.min, count = 0
        var found: [Found] = []
        for entry in entries where entry.kind == .teLaat {
            let date = CalendarDate(dayNumber: entry.day)
            let year = date.month >= 8 ? date.year : date.year - 1
            if year != schoolYear {
                schoolYear = year
                count = 0
            }
            count += 1
            let kind: AbsenceSignal.Kind? = switch count {
            case 3: .teLaat3
            case 6: .teLaat6
            case 9: .teLaat9
            case 12: .teLaat12
            default: nil
            }
            if let kind { found.append(Found(kind: kind, since: entry.day, due: nil)) }
        }
        return found
    }

    /// "every luxe registration (or run of consecutive school days of it) is always reported at
    /// DUO; since = its first day; due = the 5th working day after." Friday and the next Monday
    /// are consecutive school days (interpretation).
    func luxuryAbsence() -> [Found] {
        Self.runs(of: days(of: .luxe)).map { run in
            Found(kind: .luxeVerzuim, since: run[0], due: Self.due(after: run[0]))
        }
    }

    /// "4 or more sick reports within 12 weeks (84 days), or 7 consecutive school days of ziek.
    /// A sick report is a run of ziek registrations on consecutive school days. since = the day
    /// the criterion is first met. due: null."
    ///
    /// Interpretation (docs/casework.md): four reports are within 84 days when their first days
    /// lie in one window of 84 calendar days; after a signal only reports that begin after its
    /// since count again, so one long illness is signalled once and a new signal needs new
    /// reports. Only school days count towards the seven; a ziek registration on a weekend or
    /// holiday does not break a run.
    func worryingSickLeave() -> [Found] {
        var found: [Found] = []
        var starts: [Int] = []
        // Runs are disjoint and in order, so every run after the one signalled begins after its
        // since: starting afresh is forgetting the earlier starts.
        for run in Self.runs(of: days(of: .ziek)) {
            starts.append(run[0])
            let recent = starts.reversed().prefix { $0 > run[0] - Self.sickReportWindowDays }.count
            var met: Int? = recent >= Self.sickReportCount ? run[0] : nil
            if met == nil {
                let schoolDays = run.filter { WorkingDays.isWorkingDay(dayNumber: $0) }
                if schoolDays.count >= Self.sickRunSchoolDays { met = schoolDays[Self.sickRunSchoolDays - 1] }
            }
            guard let since = met else { continue }
            found.append(Found(kind: .zorgwekkendZiekteverzuim, since: since, due: nil))
            starts.removeAll()
        }
        return found
    }

    /// The distinct days of one kind, in order.
    private func days(of kind: AbsenceKind) -> [Int] {
        var days: [Int] = []
        for entry in entries where entry.kind == kind && days.last != entry.day { days.append(entry.day) }
        return days
    }

    /// Distinct sorted days split into runs: two days are in one run when no school day lies
    /// strictly between them.
    static func runs(of days: [Int]) -> [[Int]] {
        var runs: [[Int]] = []
        for day in days {
            if let last = runs.last?.last, WorkingDays.noWorkingDayBetween(last, day) {
                runs[runs.count - 1].append(day)
            } else {
                runs.append([day])
            }
        }
        return runs
    }
}
