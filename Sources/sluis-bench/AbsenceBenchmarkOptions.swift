/// The options of both absence benchmarks (`absence`, `absence-store`): `--pupils N` (default
/// 1,500), `--runs R`, `--seed S` (default 2026) and, where a gateway reads a policy set,
/// `--policies DIR` (default `Policies`).
struct AbsenceBenchmarkOptions {
    var pupils = 1500
    var runs: Int
    var seed: UInt64 = 2026
    var policies = "Policies"

    init(_ arguments: [String], runs: Int, takesPolicies: Bool = false) throws {
        self.runs = runs
        var iterator = arguments.makeIterator()
        while let option = iterator.next() {
            guard let value = iterator.next() else { throw UsageError(option) }
            switch option {
            case "--pupils": pupils = try Options.number(value, option)
            case "--runs": self.runs = try Options.number(value, option)
            case "--seed": seed = UInt64(try Options.number(value, option))
            case "--policies" where takesPolicies: policies = value
            default: throw UsageError(option)
            }
        }
    }

    /// Pupils, runs and seed, as the benchmarks use them.
    var values: (pupils: Int, runs: Int, seed: UInt64) { (pupils, runs, seed) }
}
