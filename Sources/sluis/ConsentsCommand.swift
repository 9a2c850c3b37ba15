import ArgumentParser
import SluisGateway

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

    @OptionGroup var gateway: GatewayTaskOptions

    func run() async throws {
        let report = try await gateway.run("the sweep") { try await $0.sweepConsentNotices() }
        print("consents: \(report.consents), renewal notices: \(report.renewals), end-date notices: \(report.endings)")
    }
}
