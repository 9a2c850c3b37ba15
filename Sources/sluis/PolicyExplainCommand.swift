import ArgumentParser
import SluisCovenant
import SluisServer

/// `sluis policy explain`: the rules in force as Dutch tables with their articles.
struct PolicyExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print the rules in force as readable Dutch tables (Markdown), with their articles."
    )

    @OptionGroup var policies: PolicyLocation

    func run() throws {
        let (policy, sources) = try policies.load()
        print(PolicyExplainer.markdown(policy), terminator: "")
        print("\nBeleidsset sha256: \(try sources.digest())")
    }
}
