import ArgumentParser
import Foundation
import SluisCovenant
import SluisCrypto
import SluisServer

/// Where the policy set lives: `--policies DIR`, else `$SLUIS_POLICIES`, else `./Policies`.
struct PolicyLocation: ParsableArguments {
    @Option(name: .customLong("policies"), help: "The policy directory (default: $SLUIS_POLICIES or ./Policies).")
    var directory: String?

    var resolved: String { Self.resolve(directory) }

    static func resolve(_ directory: String?) -> String {
        directory ?? ProcessInfo.processInfo.environment["SLUIS_POLICIES"] ?? "Policies"
    }

    /// Loads the policy set, or prints every problem and exits 3.
    func load() throws -> (CovenantPolicy, PolicySources) {
        try Self.load(resolved)
    }

    static func load(_ directory: String) throws -> (CovenantPolicy, PolicySources) {
        do {
            let sources = try PolicySources.read(directory: directory)
            return (try PolicyLoader.load(sources), sources)
        } catch {
            StandardError.print(error.description)
            throw ExitCode(3)
        }
    }
}

