import Foundation

// sluis-bench: benchmarks, not tests (docs/performance.md). Build in release mode first:
//   swift build -c release && .build/release/sluis-bench [all | decisions | crypto | register | absence | absence-store | agenda | tafel | inzage | cedar] [options]

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "all": try runAllBenchmark(Array(arguments.dropFirst()))
    case "crypto": try runCryptoBenchmark(Array(arguments.dropFirst()))
    case "register": try await runRegisterBenchmark(Array(arguments.dropFirst()))
    case "decisions": try runDecisionBenchmark(Array(arguments.dropFirst()))
    case "absence": try runAbsenceBenchmark(Array(arguments.dropFirst()))
    case "agenda": try runAgendaBenchmark(Array(arguments.dropFirst()))
    case "absence-store": try await runAbsenceStoreBenchmark(Array(arguments.dropFirst()))
    case "tafel": try await runTafelBenchmark(Array(arguments.dropFirst()))
    case "inzage": try await runInzageBenchmark(Array(arguments.dropFirst()))
    case "cedar": try runCedarBenchmark(Array(arguments.dropFirst()))
    case nil: try runDecisionBenchmark([])
    default: try runDecisionBenchmark(arguments)
    }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
