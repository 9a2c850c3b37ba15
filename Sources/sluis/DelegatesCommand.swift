import ArgumentParser
import Foundation
import SluisGateway
import SluisRegister
import SluisServer
import SluisStore

/// `sluis delegates`: what the operator who installs a gateway does before anyone can log in.
struct DelegatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delegates",
        abstract: "Delegates: a party's first beheerder, made by the operator (docs/configuration.md).",
        subcommands: [FirstBeheerderCommand.self]
    )
}

/// `sluis delegates first-beheerder --party ID --username NAME`: the party's first beheerder
/// (art. 7.3), only while it has none; prints the password and the TOTP provisioning URI once.
/// Everyone else is made by that beheerder through the API, under the authority table.
struct FirstBeheerderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "first-beheerder",
        abstract: "Make a party's first beheerder (only while it has no enabled beheerder); prints its password and TOTP URI once.",
        discussion: """
            Hand the password and the TOTP provisioning URI (a QR code in an authenticator app) to the person \
            over two separate channels; they are not stored in clear and are not shown again. Exit 1 when the \
            party is unknown or inactive, already has a beheerder, or the username is taken or invalid.
            """
    )

    @Option(help: "The party's id as in the policy set (Policies/parties.yaml).") var party: String
    @Option(help: "The beheerder's username: 3–64 characters a–z, 0–9, '.', '_' or '-'.") var username: String
    @OptionGroup var gateway: GatewayTaskOptions

    func run() async throws {
        let operatorName = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
        let (record, password, uri) = try await gateway.run("making the beheerder") {
            try await $0.createFirstBeheerder(party: party, username: username, operatorName: operatorName, trace: try TraceContext.fresh())
        }
        print("""
            beheerder \(record.username) of \(record.party) created (id \(record.id)).
            password (shown once): \(password)
            TOTP provisioning URI (shown once): \(uri)
            Hand both over by separate channels; log in with POST /v1/sessions, then create the party's delegates.
            """)
    }
}
