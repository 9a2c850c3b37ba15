import ArgumentParser
import SluisCrypto
import SluisStore

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

    /// ArgumentParser's own main, except that a database's failure is said in words (exit 1):
    /// a full disk as such, a driver's error as `DatabaseFailure` describes it (no values).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            if let failure = DatabaseFailure(error) {
                StandardError.print(failure.storageFull
                    ? "sluis: the database's storage is full; nothing was written — make room and try again (\(failure))"
                    : "sluis: the database failed: \(failure)")
                exit(withError: ExitCode(1))
            }
            exit(withError: error)
        }
    }
}

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "The covenant as policy data: evaluate, lint, explain.",
        subcommands: [PolicyEvalCommand.self, PolicyLintCommand.self, PolicyExplainCommand.self]
    )
}
