import ArgumentParser
import Foundation
import SluisGateway
import SluisServer

/// `sluis consents`: operator tasks on the consents the gateway holds.
struct ConsentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consents",
        abstract: "Consents: deliver the holders' renewal and end-date notices (docs/casework.md).",
        subcommands: [ConsentsSweepCommand.self]
    )
}

/// `sluis consents sweep`: what `sluis serve` does every hour, once, now — for an operator or a
/// scheduler when no gateway runs. Idempotent: each notice is delivered once.
struct ConsentsSweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Tell consent holders, once, of consents that need renewal since a birthday (fn 28) or end soon; prints what was delivered."
    )

    @Option(help: "A YAML configuration file (as for serve).") var config: String?
    @Option(name: .customLong("db"), help: "sqlite:PATH or postgres://… (overrides the configuration).") var database: String?

    func run() async throws {
        try await OperatorRuntime.run(config: config, database: database, what: "the sweep failed") { gateway, _ in
            let report = try await gateway.sweepConsentNotices()
            print("consents: \(report.consents), renewal notices: \(report.renewals), end-date notices: \(report.endings)")
        }
    }
}
