import SluisCovenant
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SluisCrypto
import SluisGateway
import SluisRegister
import SluisServer
import SluisStore

/// `sluis serve`: the gateway on the embedded SQLite default (or PostgreSQL by URL).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway: JSON API under /v1 (docs/configuration.md, docs/walkthrough.md)."
    )

    @Option(help: "A YAML configuration file.") var config: String?
    @Option(help: "Listen on this port (overrides the configuration).") var port: Int?
    @Option(name: .customLong("db"), help: "sqlite:PATH or postgres://… (overrides the configuration).") var database: String?
    // As every other command takes it, and as the "no policy directory" message says (a newcomer's finding: serve refused it).
    @Option(help: "The policy directory (overrides the configuration and $SLUIS_POLICIES; default ./Policies).") var policies: String?
    @Flag(help: "Development mode: make missing development keys and, on a gateway without delegates, the demo covenant, whose secrets are printed once (also `demo: true` or SLUIS_DEMO=true). Without it nothing is made and no secret is printed.")
    var demo = false

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let port { environment["SLUIS_PORT"] = String(port) }
        if let database { environment["SLUIS_DATABASE_URL"] = database }
        if let policies { environment["SLUIS_POLICIES"] = policies }
        var configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration.load(file: config, environment: environment)
            if demo { configuration.demo = true }
        } catch {
            StandardError.print("sluis: \(error)")
            throw ExitCode(1)
        }
        var logger = Logger(label: "sluis")
        logger.logLevel = Logger.Level(rawValue: environment["LOG_LEVEL"] ?? "info") ?? .info
        let runtime: GatewayRuntime
        do {
            runtime = try await GatewayRuntime.open(configuration)
        } catch {
            StandardError.print("sluis: cannot start: \(error)")
            throw ExitCode(1)
        }
        // Counts only, never whose (convenant art. 15).
        let repairs = runtime.repairs
        if repairs.sealedEvidence > 0 { logger.notice("start: sealed consent evidence stored in plain text", metadata: ["count": "\(repairs.sealedEvidence)"]) }
        if repairs.boundPupilKeys > 0 { logger.notice("start: bound DUO pupil keys to their cases", metadata: ["count": "\(repairs.boundPupilKeys)"]) }
        if repairs.unboundPupilKeys > 0 {
            logger.warning("start: DUO pupil keys left unbound (a second key of a case, or a key on two cases): those meldingen cannot be linked to the verzuimoverleg until an administrator looks",
                           metadata: ["count": "\(repairs.unboundPupilKeys)"])
        }
        // Bind first, then speak: the demo covenant and its once-shown secrets are made, and
        // "luistert op" is printed, only once the port is ours (`onServerRunning` runs after the
        // bind and before the first connection is accepted). A busy port prints neither. A
        // failure after the bind is recorded for `run()` to report and exit on.
        let startupFailure = NIOLockedValueBox<String?>(nil)
        let settings = configuration
        let app: any ApplicationProtocol
        do {
            app = try buildApplication(configuration, gateway: runtime.gateway, logger: logger) { channel in
                do {
                    var lines = Self.announcement(settings, demoDelegates: try await runtime.ensureDemoCovenant())
                    // Before the last line ("luistert op"): what a production operator must do next.
                    if !settings.demo { lines.insert(contentsOf: try await Self.productionNotes(runtime.gateway, keys: KeyDirectory(settings.keys)), at: lines.count - 1) }
                    // Straight to standard output (unbuffered): the operator must see this before serving.
                    FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
                } catch {
                    startupFailure.withLockedValue { $0 = "cannot make the demo covenant: \(error)" }
                    try? await channel.close()
                }
            }
        } catch {
            await runtime.close()
            StandardError.print("sluis: cannot start: \(error)")
            throw ExitCode(1)
        }
        do {
            try await app.runService()
        } catch {
            await runtime.close()
            StandardError.print("sluis: cannot listen on \(configuration.host):\(configuration.port): \(Self.bindProblem(error))")
            throw ExitCode(1)
        }
        await runtime.close()
        if let failure = startupFailure.withLockedValue({ $0 }) {
            StandardError.print("sluis: \(failure)")
            throw ExitCode(1)
        }
    }

    /// What a start prints once the port is bound: in development mode the demo delegates'
    /// secrets (only the once they are made), then where Sluis listens.
    static func announcement(_ configuration: ServerConfiguration, demoDelegates: [DemoCovenant.Delegate]) -> [String] {
        var lines: [String] = []
        if configuration.demo, !demoDelegates.isEmpty {
            lines.append("Demo-convenant aangemaakt. Deze gegevens worden één keer getoond:")
            lines.append("| gebruiker | rol | partij | wachtwoord | TOTP-geheim (base32) |")
            lines.append("| --- | --- | --- | --- | --- |")
            for delegate in demoDelegates {
                lines.append("| \(delegate.username) | \(delegate.role.rawValue) | \(delegate.party) | \(delegate.password) | \(delegate.totpSecret) |")
            }
            lines.append("Een TOTP-code: .build/debug/sluis totp GEHEIM (of swift run sluis totp GEHEIM)")
        } else if configuration.demo {
            // A restart: the secrets were shown at the first start and are not kept anywhere.
            let startOver: String
            switch configuration.database {
            case .sqlite(let path): startOver = "stop de server en verwijder het bestand \(path) (met \(path)-wal en \(path)-shm)"
            case .postgres: startOver = "stop de server en maak de PostgreSQL-database leeg"
            }
            lines.append("Het demo-convenant bestaat al; de wachtwoorden en TOTP-geheimen stonden in de uitvoer van de eerste start "
                + "(serve.out). Opnieuw beginnen: \(startOver); een nieuw register begint dan bij 0, dus checkpoints die je eerder "
                + "bewaarde horen daar niet meer bij.")
        }
        let scheme = configuration.tlsCertificate == nil ? "http" : "https"
        if configuration.demo { lines.append("Ontwikkelmodus (--demo): ontwikkelsleutels en demo-convenant, niet voor productie") }
        // That witnessing took effect, and with which quorum (docs/witness.md).
        if !configuration.witnesses.isEmpty {
            lines.append("Getuigen: \(configuration.witnesses.map { "\($0.key.name) (\($0.url))" }.joined(separator: ", ")); "
                + "een checkpoint wordt gepubliceerd met \(configuration.effectiveWitnessQuorum) medeondertekening(en), elke \(configuration.witnessInterval) s gevraagd")
        }
        lines.append("Sluis luistert op \(scheme)://\(configuration.host):\(configuration.port) (database \(configuration.database))")
        lines.append("Pagina's: \(scheme)://\(configuration.host):\(configuration.port)/inloggen")
        return lines
    }

    /// What an operator must know at a production start: keys certified by `keys init`'s own CA
    /// (named "niet voor productie"), and no delegate yet (the next step is a first beheerder).
    static func productionNotes(_ gateway: Gateway, keys: KeyDirectory) async throws -> [String] {
        var notes: [String] = []
        if (try? keys.loadCACertificate().commonName) == KeyDirectory.caSubject.commonName {
            notes.append("Let op: de certificaten van de partijen zijn uitgegeven door de ontwikkel-CA van sluis keys init (niet voor productie); "
                + "plaats de certificaten van de CA van het convenant (docs/configuration.md).")
        }
        var anyDelegate = false
        for party in try await gateway.store.parties() where !(try await gateway.store.delegates(party: party.id)).isEmpty { anyDelegate = true }
        if !anyDelegate {
            notes.append("Nog geen gebruikers: maak per partij de eerste beheerder met sluis delegates first-beheerder --party ID --username NAAM.")
        }
        return notes
    }

    /// Why the port could not be bound, in words: a busy port is the common case.
    static func bindProblem(_ error: any Error) -> String {
        if let error = error as? IOError, error.errnoCode == EADDRINUSE {
            return "the port is in use by another program (choose another with --port or SLUIS_PORT)"
        }
        return String(describing: error)
    }
}

/// `sluis totp SECRET`: the current TOTP code for a base32 secret (for the demo and tests).
struct TOTPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "totp", abstract: "Print the current TOTP code for a base32 secret.")
    @Argument(help: "The base32 secret.") var secret: String

    func run() throws {
        guard let bytes = Base32.decode(secret), bytes.count >= 10 else {
            StandardError.print("sluis: not a base32 TOTP secret")
            throw ExitCode(1)
        }
        print(try TOTP(secret: SecureBytes(bytes)).code(at: Int64(Date().timeIntervalSince1970)))
    }
}
