import ArgumentParser
import SluisCovenant
import SluisServer

/// `sluis policy lint [DIR]`: validates a policy set and prints its fingerprint, or every
/// problem with file and line (exit 3).
struct PolicyLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a policy directory; print every problem with file and line."
    )

    @Argument(help: "The policy directory (default: $SLUIS_POLICIES or ./Policies).")
    var directory: String?

    func run() throws {
        let location = PolicyLocation.resolve(directory)
        let (policy, sources) = try PolicyLocation.load(location)
        let digest = try sources.digest()
        print("\(location): in orde — \(sources.files.count) bestanden, \(policy.parties.count) partijen, "
              + "\(policy.accessions.count) toetredingen, \(policy.bases.count) grondslagen, "
              + "\(policy.forums.count) overleggen, \(policy.rules.count) regels")
        print("beleidsset sha256: \(digest)")
    }
}
