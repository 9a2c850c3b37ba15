import Foundation
import SluisCorpus
import SluisCovenant

// The decision benchmark: `sluis-bench decisions [--policies DIR] [--count N] [--rounds R]`.

struct Options {
    var policies = ProcessInfo.processInfo.environment["SLUIS_POLICIES"] ?? "Policies"
    var count = 10_000
    var rounds = 30
    var seed: UInt64 = 2026

    init(_ arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard let value = iterator.next() else { throw UsageError(argument) }
            switch argument {
            case "--policies": policies = value
            case "--count": count = try Self.number(value, argument)
            case "--rounds": rounds = try Self.number(value, argument)
            case "--seed": seed = UInt64(try Self.number(value, argument))
            default: throw UsageError(argument)
            }
        }
    }

    static func number(_ text: String, _ option: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw UsageError(option) }
        return value
    }
}

struct UsageError: Error, CustomStringConvertible {
    let option: String
    init(_ option: String) { self.option = option }
    var description: String {
        "sluis-bench: bad option \(option)\nusage: sluis-bench [decisions [--policies DIR] [--count N] [--rounds R] [--seed S] | crypto [--runs N] | register [--entries N] [--verify-entries M] [--concurrency C] [--postgres URL] | absence [--pupils N] [--runs R] [--seed S] | absence-store [--pupils N] [--runs R] [--seed S] [--policies DIR] | agenda [--items N] [--participants P] [--contributions C] [--runs R] [--seed S] [--policies DIR] | tafel [--pupils N] [--runs R] [--policies DIR] | cedar [--count N] [--seed S] [--policies DIR] [--script PATH]]"
    }
}

@inline(never) func now() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    let index = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
    return Double(sorted[max(0, index)])
}

/// The median of nanosecond samples in milliseconds, leaving out the first (a warm-up run).
func medianMilliseconds(_ samples: [UInt64], decimals: Int) -> String {
    let sorted = samples.dropFirst().sorted()
    return String(format: "%.\(decimals)f ms", Double(sorted[sorted.count / 2]) / 1e6)
}

func microseconds(_ nanoseconds: Double) -> String { String(format: "%.2f µs", nanoseconds / 1000) }

/// Decisions per second and latency percentiles over a seeded corpus.
func runDecisionBenchmark(_ arguments: [String]) throws {
    let options = try Options(arguments)
    let policy = try PolicyLoader.load(directory: options.policies)
    let engine = DecisionEngine(policy: policy)
    let corpus = RequestGenerator.corpus(seed: options.seed, count: options.count)
    let jsonCorpus = corpus.map { Data($0.json(pretty: false).utf8) }
    var checksum = 0

    // Warm-up: caches, branch predictors, lazy globals.
    for request in corpus { checksum &+= engine.evaluate(request).released.count }

    // 1. Throughput: whole rounds, timed as a block.
    let start = now()
    for _ in 0..<options.rounds {
        for request in corpus { checksum &+= engine.evaluate(request).released.count }
    }
    let elapsed = now() - start
    let decisions = options.rounds * corpus.count
    let perSecond = Double(decisions) / (Double(elapsed) / 1e9)

    // 2. Latency: each decision timed on its own.
    var samples: [UInt64] = []
    samples.reserveCapacity(decisions)
    for _ in 0..<options.rounds {
        for request in corpus {
            let t0 = now()
            let answer = engine.evaluate(request)
            let t1 = now()
            checksum &+= answer.withheld.count
            samples.append(t1 - t0)
        }
    }
    samples.sort()

    // 3. The whole CLI/HTTP path without I/O: parse JSON, decide, write the answer's JSON.
    var endToEnd: [UInt64] = []
    endToEnd.reserveCapacity(corpus.count * 3)
    for _ in 0..<3 {
        for data in jsonCorpus {
            let t0 = now()
            let request = try RequestParser.parse(data)
            let text = engine.evaluate(request).json(pretty: false)
            let t1 = now()
            checksum &+= text.utf8.count
            endToEnd.append(t1 - t0)
        }
    }
    endToEnd.sort()

    // 4. Its parts: parsing the request, writing the answer.
    var parseOnly: [UInt64] = [], writeOnly: [UInt64] = []
    for data in jsonCorpus {
        let t0 = now()
        let request = try RequestParser.parse(data)
        let t1 = now()
        let answer = engine.evaluate(request)
        let t2 = now()
        checksum &+= answer.json(pretty: false).utf8.count
        let t3 = now()
        parseOnly.append(t1 - t0)
        writeOnly.append(t3 - t2)
    }
    parseOnly.sort()
    writeOnly.sort()

    // 5. Permits and denies apart: a deny often stops before the per-field rules.
    var permitSamples: [UInt64] = [], denySamples: [UInt64] = []
    for request in corpus {
        let t0 = now()
        let answer = engine.evaluate(request)
        let t1 = now()
        if answer.decision == .permit { permitSamples.append(t1 - t0) } else { denySamples.append(t1 - t0) }
    }
    permitSamples.sort()
    denySamples.sort()

    let permits = permitSamples.count
    print("""
        sluis-bench — decision engine, \(corpus.count) generated requests (seed \(options.seed)), \(options.rounds) rounds
        corpus: \(permits) permit / \(corpus.count - permits) deny
        | measure | value |
        | --- | --- |
        | decisions per second (one core) | \(String(format: "%.0f", perSecond)) |
        | mean per decision | \(microseconds(Double(elapsed) / Double(decisions))) |
        | p50 per decision | \(microseconds(percentile(samples, 0.50))) |
        | p90 per decision | \(microseconds(percentile(samples, 0.90))) |
        | p99 per decision | \(microseconds(percentile(samples, 0.99))) |
        | p99.9 per decision | \(microseconds(percentile(samples, 0.999))) |
        | p50 / p99 of permits only | \(microseconds(percentile(permitSamples, 0.50))) / \(microseconds(percentile(permitSamples, 0.99))) |
        | p50 / p99 of denies only | \(microseconds(percentile(denySamples, 0.50))) / \(microseconds(percentile(denySamples, 0.99))) |
        | p50 parse + decide + JSON answer | \(microseconds(percentile(endToEnd, 0.50))) |
        | p99 parse + decide + JSON answer | \(microseconds(percentile(endToEnd, 0.99))) |
        | p50 parse request JSON only | \(microseconds(percentile(parseOnly, 0.50))) |
        | p50 write answer JSON only | \(microseconds(percentile(writeOnly, 0.50))) |
        (checksum \(checksum))
        """)
}
