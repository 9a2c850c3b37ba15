import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SluisCrypto
import SluisGateway
import SluisRegister
import SluisServer
import SluisStore

/// `sluis witness`: the FG's own witness (C2SP tlog-witness, tlog-cosignature; docs/witness.md),
/// run on a machine of the FG's own, apart from the gateway.
struct WitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "The FG's own witness: keeps the newest checkpoint of the register, checks each new one for consistency and cosigns it.",
        subcommands: [WitnessKeygenCommand.self, WitnessServeCommand.self])
}

/// The key pair of a witness: `witness.key` (PEM, mode 0600) and `witness.vkey` (its
/// cosignature verifier key, type 0x04, to configure in the gateway), in one directory.
enum WitnessKeyFiles {
    static func vkeyPath(beside key: String) -> String {
        (key.hasSuffix(".key") ? String(key.dropLast(4)) : key) + ".vkey"
    }

    /// The key and its vkey; the vkey must be the key's (same public key), or the witness would
    /// sign under a name and key ID the gateway does not expect.
    static func load(_ path: String) throws -> (key: PrivateKey, verifier: Cosignature.Verifier) {
        let url = URL(fileURLWithPath: path)
        let key = try PrivateKey.load(pem: KeyDirectory(url.deletingLastPathComponent().path).readSecretFile(url))
        guard let text = try? String(contentsOfFile: vkeyPath(beside: path), encoding: .utf8), let verifier = Cosignature.Verifier(text: text) else {
            throw CLIFailure("cannot read the witness's verifier key \(vkeyPath(beside: path)) (made by sluis witness keygen)")
        }
        guard key.kind == .ed25519, try key.rawPublicKey() == verifier.publicKey else {
            throw CLIFailure("\(vkeyPath(beside: path)) is not the verifier key of \(path)")
        }
        return (key, verifier)
    }
}

struct WitnessKeygenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen", abstract: "Make a witness key: DIR/witness.key (0600) and DIR/witness.vkey; prints the vkey for the gateway's configuration.")
    @Option(help: "The witness's name, e.g. fg.example.nl/witness (no spaces, no +).") var name: String
    @Option(help: "The directory to write witness.key and witness.vkey into.") var out: String

    func run() async throws {
        try reportingFailures {
            guard SignedNote.Signature.isKeyName(Substring(name)) else { throw CLIFailure("the witness name must be non-empty, without spaces or + (signed-note §Format)") }
            let key = try PrivateKey.generateEd25519()
            let verifier = Cosignature.Verifier(name: name, publicKey: try key.rawPublicKey())
            let directory = KeyDirectory(out)
            let keyURL = URL(fileURLWithPath: out).appendingPathComponent("witness.key")
            let vkeyPath = WitnessKeyFiles.vkeyPath(beside: keyURL.path)
            guard !FileManager.default.fileExists(atPath: vkeyPath) else { throw CLIFailure("\(vkeyPath) exists already") }
            try directory.writeSecretFile(key.pem(), to: keyURL)
            try Data((verifier.text + "\n").utf8).write(to: URL(fileURLWithPath: vkeyPath), options: .withoutOverwriting)
            print(verifier.text)
        }
    }
}

struct WitnessServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve POST /add-checkpoint (C2SP tlog-witness) for the logs given.")
    @Option(help: "The state directory: the newest cosigned checkpoint per log.") var state: String
    @Option(help: "The witness key (witness.key; witness.vkey beside it).") var key: String
    @Option(help: "A log to witness, ORIGIN=VKEY (the register's: sluis register checkpoint --verifier-key). Repeatable.") var log: [String]
    @Option(help: "Listen on this address.") var host = "127.0.0.1"
    @Option(help: "Listen on this port.") var port = 8090

    func run() async throws {
        let service: WitnessService
        do {
            let (privateKey, verifier) = try WitnessKeyFiles.load(key)
            let logs = try log.map { item -> CheckpointSigner.Verifier in
                guard let equals = item.firstIndex(of: "="), let vkey = CheckpointSigner.Verifier(text: String(item[item.index(after: equals)...])),
                      vkey.name == item[..<equals] else {
                    throw CLIFailure("--log \(item): expected ORIGIN=VKEY, the vkey's name being the origin (tlog-checkpoint §Signatures)")
                }
                return vkey
            }
            guard !logs.isEmpty else { throw CLIFailure("give at least one --log ORIGIN=VKEY") }
            service = WitnessService(witness: try Witness(name: verifier.name, key: privateKey, logs: logs), state: try WitnessState(directory: state))
        } catch {
            StandardError.print("sluis: \(error)")
            throw ExitCode(1)
        }
        var logger = Logger(label: "sluis-witness")
        logger.logLevel = .info
        let announce = "Getuige \(service.witness.verifier.text) luistert op http://\(host):\(port)/add-checkpoint"
        let app = buildWitnessApplication(service, host: host, port: port, logger: logger) { _ in
            FileHandle.standardOutput.write(Data((announce + "\n").utf8))
        }
        do { try await app.runService() } catch {
            StandardError.print("sluis: witness: \(error)")
            throw ExitCode(1)
        }
    }
}

/// The witnesses whose cosignatures `register verify` and `register checkpoint` check (C2SP
/// tlog-cosignature): `--witness VKEY` (repeatable) and `--witness-quorum N`, else as the gateway
/// is configured, `$SLUIS_WITNESSES` (URL=VKEY, …) and `$SLUIS_WITNESS_QUORUM`. None: quorum 0.
struct WitnessOptions: ParsableArguments {
    @Option(name: .customLong("witness"), help: "A witness's verifier key (type 0x04, from sluis witness keygen). Repeatable; default: $SLUIS_WITNESSES.")
    var keys: [String] = []
    @Option(name: .customLong("witness-quorum"), help: "Cosignatures a checkpoint needs (default: $SLUIS_WITNESS_QUORUM, else all witnesses).")
    var quorum: Int?
    @Option(name: .customLong("config"), help: "The gateway's YAML configuration file (as serve --config): its witnesses and quorum.")
    var config: String?

    /// Whether the quorum was chosen on the command line (0 then means: on purpose, none).
    var quorumGiven: Bool { quorum != nil }

    func resolve() throws -> (witnesses: [Cosignature.Verifier], quorum: Int) {
        if keys.isEmpty {
            let configuration = try ServerConfiguration.load(file: config, environment: ProcessInfo.processInfo.environment)
            return (configuration.witnesses.map(\.key), quorum ?? configuration.effectiveWitnessQuorum)
        }
        let witnesses = try keys.map { text in
            guard let key = Cosignature.Verifier(text: text) else { throw ValidationError("--witness \(text): not a witness verifier key (type 0x04)") }
            return key
        }
        guard Cosignature.Verifier.nameGivenTwice(in: witnesses) == nil else {
            throw ValidationError("--witness: a witness is named twice; each witness once (a cosignature counts once per name)")
        }
        guard (quorum ?? 0) <= witnesses.count, (quorum ?? 0) >= 0 else { throw ValidationError("--witness-quorum exceeds the witnesses given") }
        return (witnesses, quorum ?? witnesses.count)
    }
}
