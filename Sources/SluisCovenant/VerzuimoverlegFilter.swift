/// One pupil on the school's list for the verzuimoverleg, with only what the verzuimoverleg may
/// see: counts of absence in general words (convenant art. 5.1 sub d; the forum's field
/// `absence` in Policies/forums.yaml) over the window — no dates, no kinds per day.
public struct VerzuimoverlegCandidate: Sendable, Hashable {
    /// The school's own pupil key; it never leaves the school (recipients see a reference).
    public var pupil: String
    /// `ongeoorloofd` + `luxe` hours in the window, in `unit`.
    public var unauthorisedHours: AbsenceHours
    /// `geoorloofd` hours in the window, in `unit` (Bijlage 3.1 sub 2 names authorised absence).
    public var authorisedHours: AbsenceHours
    /// The unit of the hours; nil when no registration in the window has hours.
    public var unit: AbsenceUnit?
    /// `te-laat` registrations in the window.
    public var lateArrivals: Int
    /// Sick reports (runs of `ziek` on consecutive school days) with a day in the window.
    public var sickReports: Int

    public init(pupil: String, unauthorisedHours: AbsenceHours = AbsenceHours(millionths: 0),
                authorisedHours: AbsenceHours = AbsenceHours(millionths: 0), unit: AbsenceUnit? = nil,
                lateArrivals: Int = 0, sickReports: Int = 0) {
        self.pupil = pupil
        self.unauthorisedHours = unauthorisedHours
        self.authorisedHours = authorisedHours
        self.unit = unit
        self.lateArrivals = lateArrivals
        self.sickReports = sickReports
    }
}

/// Which pupils a school brings to the verzuimoverleg (verzuimprotocol 5.4.1; Bijlage 3.1):
/// "leerlingen met beginnend verzuim en/of ziekmeldingen. Deze leerlingen zitten nog niet aan de
/// wettelijke vereisten voor een verplichte melding in DUO. Het verzuim is ook nog niet zodanig
/// zorgwekkend dat de leerlingen gemeld zijn bij het CJG." Pure: the day is passed in.
///
/// *Interpretation* (docs/casework.md, "The verzuimoverleg"): the school's "vast percentage op
/// het verzuim" needs a timetable Sluis does not have, so the filter counts instead. Over the
/// 28 calendar days up to and including `asOf` (the window of relative absence, contract
/// absence.md) a pupil is on the list when
/// - any `ongeoorloofd` or `luxe` hours were registered, or
/// - 2 or more `te-laat`, or
/// - at least one sick report has a day in the window,
///
/// and the pupil has no open signal that asks for a DUO melding (`relatief-verzuim`,
/// `te-laat-9`, `te-laat-12`, `luxe-verzuim`: the statutory threshold is reached, the school
/// reports instead of discussing anonymously) and no open `zorgwekkend-ziekteverzuim` (that goes
/// to the CJG and the SOT, protocol 5.5.4). Authorised (`geoorloofd`) hours are shown but do not
/// by themselves put a pupil on the list: leave granted or a doctor's visit is no beginning
/// absence.
public enum VerzuimoverlegFilter {
    /// The window in calendar days, ending on `asOf` (as the 28 days of relative absence).
    public static let windowDays = 28
    /// Late arrivals in the window that put a pupil on the list.
    public static let lateArrivalsThreshold = 2

    /// The pupils for the list, ordered by pupil key (bytes).
    /// - Parameters:
    ///   - registrations: the school's registrations (any order); those after `asOf` are ignored.
    ///   - openSignals: the school's signals as of `asOf` that no DUO melding has answered yet.
    ///   - reported: pupil keys the school reported to DUO (a melding still open): off the list,
    ///     whatever their absence (protocol 5.4.1).
    ///   - asOf: the last day of the window.
    public static func candidates(_ registrations: [AbsenceRegistration], openSignals: [AbsenceSignal], reported: Set<String> = [],
                                  asOf: CalendarDate) -> [VerzuimoverlegCandidate] {
        let last = asOf.dayNumber, first = last - windowDays + 1
        let excluded = Set(openSignals.filter { $0.kind.leavesTheVerzuimoverleg }.map { PupilKey($0.pupil) } + reported.map(PupilKey.init))
        var order: [PupilKey] = []
        var tallies: [PupilKey: Tally] = [:]
        for registration in registrations {
            let day = registration.date.dayNumber
            let key = PupilKey(registration.pupil)
            // Sick days before the window still count for a report that runs into it.
            guard day <= last, day >= first || registration.kind == .ziek, !excluded.contains(key) else { continue }
            if tallies[key] == nil { order.append(key) }
            tallies[key, default: Tally()].add(registration, inWindow: day >= first)
        }
        var candidates: [VerzuimoverlegCandidate] = []
        for key in order {
            let tally = tallies[key]!
            let sickReports = AbsenceRules.runs(of: tally.sickDays.sorted()).filter { $0.last! >= first }.count
            let candidate = VerzuimoverlegCandidate(
                pupil: key.text, unauthorisedHours: AbsenceHours(millionths: tally.unauthorised),
                authorisedHours: AbsenceHours(millionths: tally.authorised), unit: tally.unit,
                lateArrivals: tally.late, sickReports: sickReports)
            if candidate.unauthorisedHours.millionths > 0 || candidate.lateArrivals >= lateArrivalsThreshold || candidate.sickReports > 0 {
                candidates.append(candidate)
            }
        }
        return candidates.sorted { $0.pupil.utf8.lexicographicallyPrecedes($1.pupil.utf8) }
    }

    /// One pupil's counts while the registrations are read.
    private struct Tally {
        var unauthorised = 0, authorised = 0, late = 0
        var unit: AbsenceUnit?
        var sickDays = Set<Int>()

        mutating func add(_ registration: AbsenceRegistration, inWindow: Bool) {
            if registration.kind == .ziek { sickDays.insert(registration.date.dayNumber) }
            guard inWindow else { return }
            let hours = registration.hours?.millionths ?? 0
            switch registration.kind {
            case .ongeoorloofd, .luxe: unauthorised += hours
            case .geoorloofd: authorised += hours
            case .teLaat: late += 1
            case .ziek: break
            }
            if hours > 0, let given = registration.unit { unit = given }
        }
    }
}

extension AbsenceSignal.Kind {
    /// Whether an open signal of this kind takes the pupil off the verzuimoverleg's list: a DUO
    /// melding is due (Lpw art. 21a; protocol 5.5, Bijlage 4), or worrying sick leave goes to the
    /// CJG and the SOT (protocol 5.5.4) — Bijlage 3.1: "nog niet aan de wettelijke vereisten …
    /// ook nog niet zodanig zorgwekkend".
    public var leavesTheVerzuimoverleg: Bool {
        switch self {
        case .relatiefVerzuim, .teLaat9, .teLaat12, .luxeVerzuim, .zorgwekkendZiekteverzuim: true
        case .teLaat3, .teLaat6: false
        }
    }
}
