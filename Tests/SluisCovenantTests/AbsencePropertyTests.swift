import SluisCorpus
import Testing
@testable import SluisCovenant

/// Properties over generated school years (`AbsenceGenerator`, the benchmark's corpus): what the
/// generator writes is accepted, and the evaluator agrees with plain re-statements of the rules.
@Suite("Absence rules over generated school years")
struct AbsencePropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 2026]
    static let today = AbsenceGenerator.lastDay(ofSchoolYear: 2025)

    static func year(seed: UInt64) throws -> [AbsenceRegistration] {
        var generator = AbsenceGenerator(seed: seed)
        return try AbsenceFile.parse(generator.csv(pupils: 150, schoolYear: 2025), today: today)
    }

    @Test("A generated year parses: every registration is valid, the same as generated", arguments: seeds)
    func generatedFileParses_contract(seed: UInt64) throws {
        var generator = AbsenceGenerator(seed: seed)
        let generated = generator.registrations(pupils: 150, schoolYear: 2025)
        let parsed = try Self.year(seed: seed)
        #expect(parsed.count == generated.count)
        #expect(Set(parsed) == Set(generated))
    }

    @Test("Relative absence agrees with a plain re-statement: each day, the hours after the last since within 28 days",
          arguments: seeds)
    func relativeAbsenceAgreesWithPlainStatement_BijlageVier(seed: UInt64) throws {
        let registrations = try Self.year(seed: seed)
        let signals = AbsenceEvaluator.evaluate(registrations, today: Self.today).filter { $0.kind == .relatiefVerzuim }
        var expected: [String] = []
        for pupil in Set(registrations.map(\.pupil)).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let counted = registrations.filter { $0.pupil == pupil && ($0.kind == .ongeoorloofd || $0.kind == .luxe) }
            var lastSince: CalendarDate?
            for date in Set(counted.map(\.date)).sorted() where lastSince.map({ date > $0 }) ?? true {
                let hours = counted.filter { registration in
                    registration.date <= date && registration.date.dayNumber > date.dayNumber - 28
                        && lastSince.map { registration.date > $0 } ?? true
                }.reduce(0) { $0 + $1.hours!.millionths }
                if hours >= 16_000_000 {
                    expected.append("\(pupil) \(date) \(WorkingDays.workingDay(5, after: date))")
                    lastSince = date
                }
            }
        }
        #expect(signals.map { "\($0.pupil) \($0.since) \($0.due!)" } == expected)
        #expect(!expected.isEmpty)  // the corpus reaches the rule
    }

    @Test("Late arrival agrees with counting per school year; every due is a working day after since; order holds",
          arguments: seeds)
    func lateArrivalCountsAndInvariants_5_5(seed: UInt64) throws {
        let registrations = try Self.year(seed: seed)
        let signals = AbsenceEvaluator.evaluate(registrations, today: Self.today)
        for pupil in Set(registrations.map(\.pupil)) {
            let late = registrations.filter { $0.pupil == pupil && $0.kind == .teLaat }.map(\.date).sorted()
            let expected = [3, 6, 9, 12].filter { $0 <= late.count }.map { "te-laat-\($0) \(late[$0 - 1])" }
            let found = signals.filter { $0.pupil == pupil && $0.kind.rawValue.hasPrefix("te-laat") }
                .sorted { $0.since < $1.since }.map { "\($0.kind.rawValue) \($0.since)" }
            #expect(Set(found) == Set(expected))
        }
        for signal in signals {
            if let due = signal.due {
                #expect(due > signal.since && WorkingDays.isWorkingDay(due))
            }
            #expect(signal.overdue == (signal.due.map { Self.today > $0 } ?? false))
        }
        #expect(signals == signals.sorted(by: AbsenceSignal.contractOrder))
        #expect(Set(signals.map(\.kind)) == Set(AbsenceSignal.Kind.allCases))  // every rule reached
    }
}
