public import ArgumentParser
import SluisCrypto

/// `bundle seal|open|inspect`: a subcommand of `sluis` and the root of `sluis-bundle`, which links
/// only this and SluisCrypto so that it starts like a C tool (docs/performance.md).
public struct BundleCommand: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Sealed bundles: CMS signed, then AES-256-GCM encrypted per recipient (art. 10.2).",
        subcommands: [BundleSealCommand.self, BundleOpenCommand.self, BundleInspectCommand.self]
    )
}

/// Exit status of a refused bundle.
let bundleRefused: Int32 = 4

/// Runs `body`; a refused bundle exits 4, any other failure 1, each with its message.
func refusingBundles<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as BundleError {
        StandardError.print("sluis: \(error)")
        throw ExitCode(bundleRefused)
    } catch {
        StandardError.print("sluis: \(error)")
        throw ExitCode(1)
    }
}

public struct BundleSealCommand: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(commandName: "seal", abstract: "Sign FILE as one party and seal it for others.")

    @Option(help: "The sending party (signs).") var from: String
    @Option(parsing: .upToNextOption, help: "The receiving parties; the file may follow them (`--to A B FILE`).") var to: [String]
    @Option(help: "Where to write the bundle (default: FILE.p7m).") var out: String?
    @Flag(help: "Write S/MIME text instead of DER.") var smime = false
    @Argument(help: "The file to seal.") var fileArgument: String?

    /// `--to A B FILE` reads FILE as the last value of --to, as the issue's usage writes it.
    var recipientsAndFile: ([String], String)? {
        if let fileArgument { return (to, fileArgument) }
        guard to.count >= 2, let last = to.last else { return nil }
        return (Array(to.dropLast()), last)
    }

    public func validate() throws {
        guard recipientsAndFile != nil else { throw ValidationError("name the receiving parties with --to and then the file to seal") }
    }
    @OptionGroup var location: KeyLocation

    public func run() throws {
        try reportingFailures {
            let keys = location.keys
            let (parties, file) = recipientsAndFile!
            let sender = try keys.credentials(party: from)
            let recipients = try parties.map { try keys.certificate(party: $0) }
            guard !recipients.isEmpty else { throw CLIFailure( "name at least one --to party") }
            let plaintext = try FileIO.read(file)
            let bundle = try SealedBundle.seal(plaintext, signer: sender.certificate, key: sender.key, recipients: recipients,
                                               format: smime ? .smime : .der)
            let target = out ?? file + ".p7m"
            try bundle.withUnsafeBytes { try FileIO.write($0, to: target) }
            print("\(target): \(bundle.count) bytes, van \(from) voor \(parties.joined(separator: ", "))")
        }
    }
}

public struct BundleOpenCommand: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Open a bundle as one party: check the GCM tag and the signature, then release the content.")

    @Option(name: .customLong("as"), help: "The receiving party whose key opens it.") var party: String
    @Option(help: "Require this sending party.") var from: String?
    @Option(help: "Where to write the content (default: standard output).") var out: String?
    @Argument(help: "The bundle.") var bundle: String
    @OptionGroup var location: KeyLocation

    public func run() throws {
        let opened = try refusingBundles {
            let keys = location.keys
            let recipient = try keys.credentials(party: party)
            let trust = try TrustStore(anchors: [keys.loadCACertificate()])
            let expected = try from.map { try keys.certificate(party: $0) }
            return try SealedBundle.open(try FileIO.read(bundle), recipient: recipient.certificate, key: recipient.key,
                                         trust: trust, expectedSigner: expected)
        }
        let signer = opened.signer.commonName ?? opened.signer.subject
        StandardError.print("ondertekend door \(signer) met \(opened.signatureAlgorithm) (handtekening en GCM-tag geldig)")
        try reportingFailures {
            if let out {
                // The content may be personal data: only the owner may read the file.
                try opened.plaintext.withUnsafeBytes { try FileIO.write($0, to: out, mode: 0o600) }
            } else {
                guard opened.plaintext.withUnsafeBytes({ FileIO.write($0, descriptor: 1) }) else {
                    throw CLIFailure("cannot write the content to standard output")
                }
            }
        }
    }
}

public struct BundleInspectCommand: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show a bundle's recipients, algorithms and size, without decrypting.")

    @Argument(help: "The bundle.") var bundle: String
    @OptionGroup var location: KeyLocation

    public func run() throws {
        // The recipients whose certificates are in the key directory are named, and their ECDH
        // curve judged (the bundle itself does not name it: docs/crypto.md).
        let known = (try? location.keys.listParties()) ?? []
        let inspection = try refusingBundles { try SealedBundle.inspect(try FileIO.read(bundle)).resolvingCurves(known.map(\.certificate)) }
        print("bestand: \(bundle) (\(inspection.format), \(inspection.size) bytes)")
        print("type: CMS \(inspection.contentType) (RFC 5083)")
        print("inhoud: \(inspection.contentEncryption), nonce \(inspection.nonceLength) bytes, tag \(inspection.tagLength) bytes, "
              + "\(inspection.encryptedContentLength) bytes versleuteld")
        let attributes = inspection.authenticatedAttributes.map { "authAttrs: " + $0.joined(separator: ", ") } ?? "geen authAttrs"
        print("inhoudstype binnen: \(inspection.encryptedContentType); \(attributes)")
        print("ondertekenaar: binnen de envelop, zichtbaar na openen (eerst tekenen, dan versleutelen)")
        print("ontvangers: \(inspection.recipients.count)")
        for recipient in inspection.recipients {
            let ephemeral = recipient.ephemeralKey.map { "; tijdelijke sleutel: \($0)" } ?? ""
            let curve = recipient.curve.map { "; curve \($0)" } ?? ""
            if let party = known.first(where: { recipient.isIdentified(by: $0.certificate) }) {
                print("  - \(party.party): \(recipient.method); \(recipient.keyEncryption)\(curve)\(ephemeral)")
                continue
            }
            let who = recipient.issuer.map { "uitgever \($0), serienummer \(recipient.serialHex ?? "?")" }
                ?? recipient.subjectKeyIdentifier.map { "sleutel-id \($0)" } ?? "onbekend"
            print("  - \(recipient.method): \(who); \(recipient.keyEncryption)\(curve)\(ephemeral)")
        }
        // Every algorithm outside the allow-list (docs/crypto.md), each with the rule it breaks.
        for finding in inspection.outsideAllowList {
            print("buiten de toegestane lijst: \(finding)")
        }
        for finding in inspection.conformance {
            print("afwijking: \(finding)")
        }
        do {
            try inspection.checkAcceptable()
            print("oordeel: voldoet aan de eisen van Sluis (docs/crypto.md)")
        } catch {
            print("oordeel: \(error)")
        }
    }
}
