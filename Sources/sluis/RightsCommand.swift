import ArgumentParser
import Foundation
import SluisGateway
import SluisRegister

/// `sluis rights …`: the rights of pupils and parents (convenant art. 13), for the regisseur of
/// the case meeting on the gateway host (docs/rights.md).
struct RightsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rights",
        abstract: "Rights of pupils and parents (convenant art. 13; docs/rights.md).",
        subcommands: [RightsInzageCommand.self]
    )
}

/// `sluis rights inzage --case REF --as USERNAME [--format html|pdf] --out FILE`: the inzage
/// report of `GET /v1/cases/{ref}/inzage` (art. 13.1 sub a), made as the named delegate — the
/// authority table decides as over HTTP (the regisseur: the party that brought the case in or
/// the forum's convener) — written to FILE (mode 0600: it holds the pupil's data) and on the
/// register like any other. Prints the register entry and the SHA-256; never the content.
struct RightsInzageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inzage",
        abstract: "The inzage report about the pupil of a case, as HTML or PDF (art. 13.1 sub a)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case html, pdf }

    @Option(name: .customLong("case"), help: "The case reference of the delegate's own party.") var caseRef: String
    @Option(name: .customLong("as"), help: "The username of the regisseur's delegate the report is made by (recorded in the register).") var username: String
    @Option(help: "html or pdf.") var format: Format = .html
    @Option(help: "The file to write (replaced whole, mode 0600).") var out: String
    @OptionGroup var gateway: GatewayTaskOptions

    func run() async throws {
        let document = try await gateway.run("rights inzage") { gateway in
            let trace = try TraceContext.fresh()
            let principal = try await gateway.access.operatorPrincipal(username: username, trace: trace)
            return try await gateway.inzage(caseRef, format: format.rawValue, by: principal, trace: trace)
        }
        do {
            try document.bytes.withUnsafeBytes { try FileIO.write($0, to: out, mode: 0o600) }
        } catch {
            StandardError.print("sluis: \(error) (the report is on the register as entry \(document.registerIndex))")
            throw ExitCode(1)
        }
        print("inzage: \(out) (\(document.format.rawValue), \(document.bytes.count) bytes, sha-256 \(document.digest)), register entry \(document.registerIndex)")
    }
}
