import ArgumentParser
import SluisCrypto

/// `sluis`: the command line and composition root of the gateway.
@main
struct SluisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluis",
        abstract: "Sluis — gateway voor het Privacy Convenant Thuiszitters Goeree-Overflakkee.",
        discussion: """
            Exit codes: 0 = done (also for a deny answer), 1 = failed (message on standard error), \
            2 = the request or absence file is invalid, 3 = the policy set is invalid, 4 = a bundle was refused, \
            5 = the register does not verify, 64 = wrong usage.
            """,
        version: "sluis 0.1.0 (\(OpenSSLLibrary.versionText))",
        subcommands: [ServeCommand.self, PolicyCommand.self, AgendaCommand.self, AbsenceCommand.self, KeysCommand.self, BundleCommand.self,
                      RegisterCommand.self, ConsentsCommand.self, DelegatesCommand.self, RetentionCommand.self, StatisticsCommand.self, RightsCommand.self,
                      TOTPCommand.self, WitnessCommand.self]
    )
}

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "The covenant as policy data: evaluate, lint, explain.",
        subcommands: [PolicyEvalCommand.self, PolicyLintCommand.self, PolicyExplainCommand.self]
    )
}
