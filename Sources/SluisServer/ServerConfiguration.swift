import Foundation
public import SluisGateway
import SluisRegister
public import SluisStore
import Yams

/// Configuration of `sluis serve`: defaults, then a YAML file (`--config FILE`), then
/// environment variables, each overriding the one before (docs/configuration.md).
public struct ServerConfiguration: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var database = DatabaseLocation.sqlite(path: DatabaseLocation.defaultSQLitePath)
    public var keys = "Keys"
    public var policies = "Policies"
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Development mode (`sluis serve --demo`): make the development keys that are missing and,
    /// on a gateway without delegates, the demo covenant (delegates and demo cases), whose
    /// secrets `sluis serve` prints once. Off by default: a production start makes no key and
    /// prints no secret.
    public var demo = false
    /// Mutual TLS with party certificates (over TLS only): `off`, `optional` (a presented
    /// certificate must chain to the covenant CA and belong to the delegate's party) or
    /// `required` (every request presents one).
    public var clientCertificates = ClientCertificates.off
    /// Threads that hash and check passwords (scrypt, 128 MiB and a few hundred ms each), apart
    /// from the threads that serve requests; eight logins per thread may wait, more get 503.
    public var passwordThreads = PasswordWorkers.defaultThreads
    /// The witnesses asked to cosign each checkpoint (C2SP tlog-witness; docs/witness.md):
    /// `witnesses` as `URL=VKEY` items separated by commas (or a YAML list), the vkey of type
    /// 0x04 (tlog-cosignature). None: today's behaviour, quorum 0.
    public var witnesses: [WitnessEndpoint] = []
    /// How many witnesses must cosign before a checkpoint is published; nil: all configured.
    public var witnessQuorum: Int?
    /// Seconds between witnessing rounds (each asks for cosignatures on the newest checkpoint).
    public var witnessInterval = 5

    /// The quorum in force: 0 without witnesses, else `witnessQuorum` or all of them.
    public var effectiveWitnessQuorum: Int { witnesses.isEmpty ? 0 : witnessQuorum ?? witnesses.count }

    public enum ClientCertificates: String, Sendable { case off, optional, required }

    public init() {}

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    static let keys = ["host", "port", "database", "keys", "policies", "tlsCertificate", "tlsKey", "demo", "clientCertificates", "passwordThreads",
                       "witnesses", "witnessQuorum", "witnessInterval"]

    public static func load(file: String?, environment: [String: String]) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw Failure(description: "cannot read \(file)") }
            guard let values = try? Yams.load(yaml: text) as? [String: Any] else { throw Failure(description: "\(file): expected a mapping of settings") }
            for (key, value) in values {
                guard keys.contains(key) else { throw Failure(description: "\(file): unknown setting '\(key)' (known: \(keys.joined(separator: ", ")))") }
                let text = (value as? [Any]).map { $0.map { "\($0)" }.joined(separator: ",") } ?? "\(value)"
                try configuration.set(key, text, source: file)
            }
        }
        let variables = ["SLUIS_HOST": "host", "SLUIS_PORT": "port", "SLUIS_DATABASE_URL": "database", "SLUIS_KEYS": "keys",
                         "SLUIS_POLICIES": "policies", "SLUIS_TLS_CERTIFICATE": "tlsCertificate", "SLUIS_TLS_KEY": "tlsKey", "SLUIS_DEMO": "demo",
                         "SLUIS_CLIENT_CERTIFICATES": "clientCertificates", "SLUIS_PASSWORD_THREADS": "passwordThreads",
                         "SLUIS_WITNESSES": "witnesses", "SLUIS_WITNESS_QUORUM": "witnessQuorum", "SLUIS_WITNESS_INTERVAL": "witnessInterval"]
        for (variable, key) in variables.sorted(by: { $0.key < $1.key }) {
            if let value = environment[variable] { try configuration.set(key, value, source: variable) }
        }
        guard (configuration.tlsCertificate == nil) == (configuration.tlsKey == nil) else {
            throw Failure(description: "tlsCertificate and tlsKey go together")
        }
        guard configuration.clientCertificates == .off || configuration.tlsCertificate != nil else {
            throw Failure(description: "clientCertificates needs TLS (tlsCertificate and tlsKey)")
        }
        if let name = Cosignature.Verifier.nameGivenTwice(in: configuration.witnesses.map(\.key)) {
            throw Failure(description: "witnesses: the witness \(name) is named twice; each witness once, with its own key")
        }
        if let quorum = configuration.witnessQuorum, quorum > configuration.witnesses.count {
            throw Failure(description: "witnessQuorum \(quorum) exceeds the \(configuration.witnesses.count) configured witnesses")
        }
        return configuration
    }

    mutating func set(_ key: String, _ value: String, source: String) throws {
        switch key {
        case "host": host = value
        case "port":
            guard let port = Int(value), (1...65535).contains(port) else { throw Failure(description: "\(source): port must be 1–65535") }
            self.port = port
        case "database":
            do { database = try DatabaseLocation(value) } catch { throw Failure(description: "\(source): \(error)") }
        case "keys": keys = value
        case "policies": policies = value
        case "tlsCertificate": tlsCertificate = value
        case "tlsKey": tlsKey = value
        case "demo":
            guard let flag = ["true": true, "false": false, "1": true, "0": false][value.lowercased()] else {
                throw Failure(description: "\(source): demo must be true or false")
            }
            demo = flag
        case "clientCertificates":
            guard let mode = ClientCertificates(rawValue: value) else { throw Failure(description: "\(source): clientCertificates is off, optional or required") }
            clientCertificates = mode
        case "passwordThreads":
            guard let threads = Int(value), (1...64).contains(threads) else { throw Failure(description: "\(source): passwordThreads must be 1–64") }
            passwordThreads = threads
        case "witnesses":
            witnesses = try value.split(separator: ",").map { raw in
                let item = raw.trimmingCharacters(in: .whitespaces)
                guard let equals = item.firstIndex(of: "="), let key = Cosignature.Verifier(text: String(item[item.index(after: equals)...])),
                      item[..<equals].hasPrefix("http://") || item[..<equals].hasPrefix("https://") else {
                    throw Failure(description: "\(source): each witness is URL=VKEY, the vkey of type 0x04 (sluis witness keygen prints it)")
                }
                return WitnessEndpoint(url: String(item[..<equals]), key: key)
            }
        case "witnessQuorum":
            guard let quorum = Int(value), quorum >= 0 else { throw Failure(description: "\(source): witnessQuorum must be 0 or more") }
            witnessQuorum = quorum
        case "witnessInterval":
            guard let seconds = Int(value), (1...3600).contains(seconds) else { throw Failure(description: "\(source): witnessInterval must be 1–3600 seconds") }
            witnessInterval = seconds
        default: throw Failure(description: "\(source): unknown setting \(key)")
        }
    }
}
