import Foundation
import SluisCorpus
import SluisCovenant

// The engine beside Cedar: `sluis-bench cedar [--count N] [--seed S] [--policies DIR] [--script PATH]`
// (issue 14; docs/cedar.md). The same generated requests go to Sluis's engine and, through
// `.ci/cedar_compare.py`, to cedarpy with the covenant written as a Cedar policy set
// (Policies/cedar). They must agree on every request: the Cedar encoding is an independent check.

/// One request on which the two disagree: the corpus is synthetic, so the request is printed whole.
struct CedarDisagreement: Sendable {
    /// Position in the corpus (0-based).
    var index: Int
    /// The request as contract JSON (../shared/contract/decision.md).
    var request: String
    /// The fields each released, in request order.
    var sluis: [String]
    var cedar: [String]
}

/// The outcome of one side-by-side run. Times in seconds of wall clock; rates per second.
struct CedarComparison: Sendable {
    var seed: UInt64
    /// Decision requests in the corpus.
    var requests: Int
    /// Cedar authorization requests: one per distinct requested field.
    var authorizations: Int
    /// The engine's time for the whole corpus, the median of `rounds` timed passes.
    var sluisSeconds: Double
    var rounds: Int
    /// cedarpy's batch calls alone over the whole corpus (building the requests not counted).
    var cedarSeconds: Double
    /// Cedar's own evaluation time summed over the requests (its `authz_duration_micros`),
    /// without cedarpy's JSON handling of each request.
    var cedarEvaluationSeconds: Double
    /// Cedar requests whose evaluation raised an error (a policy that does not fit the schema).
    var cedarErrors: Int
    var disagreements: [CedarDisagreement]

    var sluisPerSecond: Double { Double(requests) / sluisSeconds }
    var cedarPerSecond: Double { Double(requests) / cedarSeconds }
    var cedarEvaluationPerSecond: Double { Double(requests) / cedarEvaluationSeconds }
    /// How many times faster the engine decides than Cedar, per decision request.
    var ratio: Double { sluisPerSecond / cedarPerSecond }
    var agrees: Bool { disagreements.isEmpty && cedarErrors == 0 }

    /// The summary as a Markdown table (the rows of docs/performance.md's Cedar section).
    var table: String {
        """
        | measure | value |
        | --- | --- |
        | decision requests (seed \(seed)) | \(requests) |
        | Cedar authorizations (one per distinct requested field) | \(authorizations) |
        | decisions per second, Sluis engine (one core, median of \(rounds) passes) | \(String(format: "%.0f", sluisPerSecond)) |
        | decisions per second, Cedar (cedarpy batch call) | \(String(format: "%.0f", cedarPerSecond)) |
        | decisions per second, Cedar's own evaluation time only | \(String(format: "%.0f", cedarEvaluationPerSecond)) |
        | ratio Sluis / Cedar (batch call) | \(String(format: "%.1f", ratio))× |
        | disagreements | \(disagreements.count) |
        | Cedar evaluation errors | \(cedarErrors) |
        """
    }
}

enum CedarComparisonError: Error, CustomStringConvertible {
    case scriptFailed(status: Int32)
    case badOutput(String)
    case disagreement(Int, errors: Int)

    var description: String {
        switch self {
        case .scriptFailed(let status): "sluis-bench cedar: the Cedar script exited with status \(status)"
        case .badOutput(let what): "sluis-bench cedar: the Cedar script's output is not as expected: \(what)"
        case .disagreement(let count, let errors):
            "sluis-bench cedar: Sluis and Cedar disagree on \(count) request(s); Cedar errors: \(errors)"
        }
    }
}

/// Runs the seeded corpus through the engine and through Cedar and compares the released
/// fields of every request as sets (a permit is exactly a non-empty release, contract).
/// - Parameters: `policies` is the policy directory (its `cedar/` holds the Cedar encoding);
///   `script` the comparison script (default `.ci/cedar_compare.py`, or `SLUIS_CEDAR_SCRIPT`).
/// - Throws: `CedarComparisonError` when the script fails or answers in another shape;
///   `PolicyLoader`'s errors for a bad policy directory. Disagreements are returned, not thrown.
func runCedarComparison(count: Int, seed: UInt64, policies: String, script: String? = nil,
                        rounds: Int = 5) throws -> CedarComparison {
    let engine = DecisionEngine(policy: try PolicyLoader.load(directory: policies))
    let corpus = RequestGenerator.corpus(seed: seed, count: count)

    let answers = corpus.map(engine.evaluate)
    var passes: [UInt64] = []
    var checksum = 0
    for _ in 0..<max(1, rounds) {
        let start = now()
        for request in corpus { checksum &+= engine.evaluate(request).released.count }
        passes.append(now() - start)
    }
    passes.sort()
    let sluisSeconds = Double(passes[passes.count / 2]) / 1e9

    let lines = corpus.map { $0.json(pretty: false) }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-cedar-\(UUID().uuidString).jsonl")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let script = script ?? ProcessInfo.processInfo.environment["SLUIS_CEDAR_SCRIPT"] ?? ".ci/cedar_compare.py"
    let cedar = try runCedarScript(script, requests: file.path, cedar: policies + "/cedar")

    guard cedar.released.count == corpus.count else {
        throw CedarComparisonError.badOutput("\(cedar.released.count) answers for \(corpus.count) requests")
    }
    var disagreements: [CedarDisagreement] = []
    for (index, answer) in answers.enumerated() {
        let cedarReleased = cedar.released[index]
        let consistent = (answer.decision == .permit) == !answer.released.isEmpty
        if !consistent || Set(answer.released) != Set(cedarReleased) {
            disagreements.append(CedarDisagreement(index: index, request: lines[index],
                                                   sluis: answer.released, cedar: cedarReleased))
        }
    }
    _ = checksum
    return CedarComparison(seed: seed, requests: corpus.count, authorizations: cedar.authorizations,
                           sluisSeconds: sluisSeconds, rounds: max(1, rounds), cedarSeconds: cedar.seconds,
                           cedarEvaluationSeconds: cedar.evaluationSeconds,
                           cedarErrors: cedar.errors, disagreements: disagreements)
}

/// What `.ci/cedar_compare.py` prints: `{"requests", "authorizations", "seconds", "evaluationSeconds", "errors", "released"}`.
private struct CedarScriptOutput {
    var authorizations: Int
    var seconds: Double
    var evaluationSeconds: Double
    var errors: Int
    var released: [[String]]
}

private func runCedarScript(_ script: String, requests: String, cedar: String) throws -> CedarScriptOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script, "--requests", requests, "--cedar", cedar]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()   // before waiting: a full pipe would block it
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CedarComparisonError.scriptFailed(status: process.terminationStatus) }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw CedarComparisonError.badOutput("not a JSON object")
    }
    guard let authorizations = object["authorizations"] as? Int, let seconds = object["seconds"] as? Double,
          let evaluationSeconds = object["evaluationSeconds"] as? Double,
          let errors = object["errors"] as? Int, let released = object["released"] as? [[String]]
    else { throw CedarComparisonError.badOutput("missing or mistyped keys") }
    return CedarScriptOutput(authorizations: authorizations, seconds: seconds, evaluationSeconds: evaluationSeconds, errors: errors, released: released)
}

/// `sluis-bench cedar`: prints every disagreement and the summary; throws (exit 1) on any.
func runCedarBenchmark(_ arguments: [String]) throws {
    var count = 100_000, seed: UInt64 = 2026, script: String?
    var policies = ProcessInfo.processInfo.environment["SLUIS_POLICIES"] ?? "Policies"
    var iterator = arguments.makeIterator()
    while let argument = iterator.next() {
        guard let value = iterator.next() else { throw UsageError(argument) }
        switch argument {
        case "--count": count = try Options.number(value, argument)
        case "--seed": seed = UInt64(try Options.number(value, argument))
        case "--policies": policies = value
        case "--script": script = value
        default: throw UsageError(argument)
        }
    }
    let result = try runCedarComparison(count: count, seed: seed, policies: policies, script: script)
    for item in result.disagreements {
        print("disagreement at request \(item.index): Sluis released \(item.sluis), Cedar released \(item.cedar)\n  \(item.request)")
    }
    print("sluis-bench — the decision engine beside Cedar (Policies/cedar), \(result.requests) generated requests\n\(result.table)")
    #if DEBUG
    // CI's agreement check runs the debug build: its rates are not the engine's (docs/performance.md has those).
    print("(debug build: the agreement counts, the rates and the ratio do not — swift build -c release for figures)")
    #endif
    if !result.agrees { throw CedarComparisonError.disagreement(result.disagreements.count, errors: result.cedarErrors) }
}
