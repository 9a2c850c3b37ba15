import Foundation
import Testing
@testable import SluisCovenant

/// Which pupils a school brings to the verzuimoverleg (verzuimprotocol 5.4.1; Bijlage 3.1).
@Suite("Verzuimoverleg filter (5.4.1, Bijlage 3.1)")
struct VerzuimoverlegFilterTests {
    /// Thursday 2026-05-28; the window is 2026-05-01 … 2026-05-28.
    static let asOf = CalendarDate(year: 2026, month: 5, day: 28)!

    static func day(_ text: String) -> CalendarDate { try! CalendarDate(text: text) }

    static func registration(_ pupil: String, _ date: String, _ kind: AbsenceKind, _ hours: Int? = nil,
                             unit: AbsenceUnit = .lesuur) -> AbsenceRegistration {
        AbsenceRegistration(pupil: pupil, date: day(date), kind: kind, hours: hours.map { AbsenceHours(whole: $0) },
                            unit: hours == nil ? nil : unit)
    }

    static func candidates(_ registrations: [AbsenceRegistration]) -> [VerzuimoverlegCandidate] {
        VerzuimoverlegFilter.candidates(registrations, openSignals: AbsenceEvaluator.evaluate(registrations, today: asOf), asOf: asOf)
    }

    @Test("5.4.1 (interpretation): beginning absence in the last 28 days puts a pupil on the list — unauthorised hours, 2 late arrivals, or a sick report")
    func protocol5_4_1_beginningAbsenceInTheWindowPutsAPupilOnTheList() {
        let list = Self.candidates([
            Self.registration("A", "2026-05-04", .ongeoorloofd, 3),
            Self.registration("A", "2026-05-20", .geoorloofd, 2),
            Self.registration("B", "2026-05-05", .teLaat), Self.registration("B", "2026-05-26", .teLaat),
            Self.registration("C", "2026-05-27", .ziek), Self.registration("C", "2026-05-28", .ziek),
            Self.registration("D", "2026-05-12", .ziek), Self.registration("D", "2026-05-19", .ziek, unit: .klokuur),
        ])
        #expect(list.map(\.pupil) == ["A", "B", "C", "D"])
        #expect(list[0] == VerzuimoverlegCandidate(pupil: "A", unauthorisedHours: AbsenceHours(whole: 3), authorisedHours: AbsenceHours(whole: 2),
                                                   unit: .lesuur))
        #expect(list[1].lateArrivals == 2 && list[1].unit == nil)
        #expect(list[2].sickReports == 1, "two consecutive school days of ziek are one sick report")
        #expect(list[3].sickReports == 2)
    }

    @Test("5.4.1 (interpretation): authorised hours alone, one late arrival, or absence before the window put no pupil on the list")
    func protocol5_4_1_noBeginningAbsenceNoList() {
        let list = Self.candidates([
            Self.registration("A", "2026-05-20", .geoorloofd, 8),
            Self.registration("B", "2026-05-21", .teLaat),
            Self.registration("C", "2026-04-30", .ongeoorloofd, 4), Self.registration("C", "2026-04-30", .teLaat),
            Self.registration("C", "2026-04-29", .teLaat), Self.registration("C", "2026-04-20", .ziek),
            Self.registration("D", "2026-05-29", .ongeoorloofd, 2),
        ])
        #expect(list.isEmpty, "\(list.map(\.pupil))")
    }

    @Test("5.4.1, Bijlage 3.1: a pupil at the statutory threshold (an open signal asking a DUO melding) or with worrying sick leave is not on the list")
    func bijlage3_1_pupilsAtTheThresholdOrWithWorryingSickLeaveAreNotOnTheList() {
        var registrations: [AbsenceRegistration] = []
        // 16 hours in 28 days: relatief-verzuim, a DUO melding is due (Lpw art. 21a).
        registrations += [Self.registration("R", "2026-05-06", .ongeoorloofd, 8), Self.registration("R", "2026-05-07", .ongeoorloofd, 8)]
        // Luxury absence is always reported at DUO.
        registrations.append(Self.registration("X", "2026-05-11", .luxe, 5))
        // Nine late arrivals this school year: te-laat-9, a DUO melding.
        registrations += (1...9).map { Self.registration("T", String(format: "2026-05-%02d", $0 + 10), .teLaat) }
        // Four sick reports in 12 weeks: zorgwekkend, to the CJG and the SOT.
        registrations += ["2026-03-02", "2026-03-16", "2026-04-13", "2026-05-11"].map { Self.registration("Z", $0, .ziek) }
        // Six late arrivals: te-laat-6 is a warning, not a melding — still on the list.
        registrations += (1...6).map { Self.registration("W", String(format: "2026-05-%02d", $0 + 10), .teLaat) }
        let signals = AbsenceEvaluator.evaluate(registrations, today: Self.asOf)
        let kinds: Set<AbsenceSignal.Kind> = Set(signals.map(\.kind))
        #expect(kinds.isSuperset(of: [.relatiefVerzuim, .luxeVerzuim, .teLaat9, .zorgwekkendZiekteverzuim, .teLaat6]))
        let list = VerzuimoverlegFilter.candidates(registrations, openSignals: signals, asOf: Self.asOf)
        #expect(list.map(\.pupil) == ["W"])
        #expect(list.first?.lateArrivals == 6)
        // Once a DUO melding answered the relatief-verzuim signal, the signal no longer keeps the
        // pupil off — the melding does, while it is not afgesloten (protocol 5.4.1: anonymous
        // "zolang er nog geen DUO-melding is gemaakt"); after that, new beginning absence counts again.
        let open = signals.filter { !($0.pupil == "R" && $0.kind == .relatiefVerzuim) }
        #expect(VerzuimoverlegFilter.candidates(registrations, openSignals: open, reported: ["R"], asOf: Self.asOf).map(\.pupil) == ["W"])
        #expect(VerzuimoverlegFilter.candidates(registrations, openSignals: open, asOf: Self.asOf).map(\.pupil) == ["R", "W"])
    }

    @Test("5.4.1: a sick report that began before the window and runs into it counts once")
    func protocol5_4_1_aSickReportRunningIntoTheWindowCounts() {
        // Thursday 30 April to Monday 4 May: one run (only the weekend lies between).
        let list = Self.candidates(["2026-04-30", "2026-05-01", "2026-05-04"].map { Self.registration("A", $0, .ziek) })
        #expect(list.map(\.sickReports) == [1])
    }
}
