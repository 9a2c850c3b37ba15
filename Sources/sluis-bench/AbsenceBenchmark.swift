import Foundation
import SluisCorpus
import SluisCovenant

// The absence benchmark: `sluis-bench absence [--pupils N] [--runs R] [--seed S]`.
// One generated school year (AbsenceGenerator) parsed and evaluated, as `sluis absence
// evaluate` does it, without the file read and the terminal; target under 2 s for 1,500 pupils.

func runAbsenceBenchmark(_ arguments: [String]) throws {
    let (pupils, runs, seed) = try AbsenceBenchmarkOptions(arguments, runs: 9).values
    let schoolYear = 2025
    let today = AbsenceGenerator.lastDay(ofSchoolYear: schoolYear)
    var generator = AbsenceGenerator(seed: seed)
    let file = generator.csv(pupils: pupils, schoolYear: schoolYear)

    var parse: [UInt64] = [], evaluate: [UInt64] = [], write: [UInt64] = [], total: [UInt64] = []
    var registrations: [AbsenceRegistration] = [], signals: [AbsenceSignal] = []
    var outputBytes = 0
    for _ in 0..<(runs + 1) {  // the first run warms up and is not counted
        let t0 = now()
        registrations = try AbsenceFile.parse(file, today: today)
        let t1 = now()
        signals = AbsenceEvaluator.evaluate(registrations, today: today)
        let t2 = now()
        outputBytes = AbsenceSignal.json(signals).utf8.count
        let t3 = now()
        parse.append(t1 - t0)
        evaluate.append(t2 - t1)
        write.append(t3 - t2)
        total.append(t3 - t0)
    }
    func median(_ samples: [UInt64]) -> String { medianMilliseconds(samples, decimals: 1) }
    var counts: [AbsenceSignal.Kind: Int] = [:]
    for signal in signals { counts[signal.kind, default: 0] += 1 }
    let mix = AbsenceSignal.Kind.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
    print("""
        sluis-bench — absence, \(pupils) pupils, school year \(schoolYear)-\(schoolYear + 1) (seed \(seed)), median of \(runs) runs
        file: \(file.count) bytes, \(registrations.count) registrations; \(signals.count) signals (\(mix)); answer \(outputBytes) bytes
        | measure | median |
        | --- | --- |
        | parse and validate the CSV | \(median(parse)) |
        | evaluate the four rules | \(median(evaluate)) |
        | write the JSON answer | \(median(write)) |
        | parse + evaluate + write | \(median(total)) |
        """)
}
