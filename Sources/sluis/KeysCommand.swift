import ArgumentParser
import Foundation
import SluisCovenant
import SluisCrypto
import SluisGateway
import SluisRegister

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Party keys and certificates (covenant art. 10.2).",
        subcommands: [KeysInitCommand.self, KeysIssueCommand.self, KeysListCommand.self, KeysRotatePseudonymCommand.self]
    )
}

/// The parties that may hold keys: the signatories and the completed accessions (art. 18).
func keyedParties(_ policy: CovenantPolicy) -> [(id: String, kind: String)] {
    policy.parties.map { ($0.id, $0.kind.rawValue) } + policy.accessions.map { ($0.party, PartyKind.jeugdhulpaanbieder.rawValue) }
}

struct KeysInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the development covenant CA, a key and certificate for every party, and a pseudonym key. Idempotent."
    )

    @OptionGroup var location: KeyLocation
    @OptionGroup var policies: PolicyLocation

    func run() throws {
        let (policy, _) = try policies.load()
        try reportingFailures {
            let keys = location.keys
            let report = try DevelopmentKeys.ensure(keys, policy: policy)
            let ca = try keys.loadCACertificate()
            print(report.createdCA ? "CA: aangemaakt, \(ca.subject)" : "CA: bestaat al (\(ca.fingerprint.prefix(16))…)")
            print("partijen: \(report.issuedParties) nieuw, \(report.existingParties) bestonden al")
            if let verifier = report.registerVerifier {
                print("registersleutel: aangemaakt (Ed25519); verificatiesleutel: \(verifier)")
            } else {
                print("registersleutel: bestaat al")
            }
            print("pseudoniemsleutel: v\(report.pseudonymVersion) \(report.createdPseudonymKey ? "aangemaakt" : "in gebruik")")
            print("privésleutels staan in \(keys.root.path) met modus 0600 en worden niet in git opgenomen")
        }
    }
}

struct KeysIssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a key and certificate for one party of the policy set (e.g. after an accession, art. 18)."
    )

    @Argument(help: "The party id, as in Policies/ (parties or accessions).")
    var party: String

    @Flag(help: "Replace an existing key and certificate.")
    var force = false

    @OptionGroup var location: KeyLocation
    @OptionGroup var policies: PolicyLocation

    func run() throws {
        let (policy, _) = try policies.load()
        guard let entry = keyedParties(policy).first(where: { $0.id == party }) else {
            StandardError.print("sluis: \(party) is not a party or completed accession in the policy set (art. 18: accede first)")
            throw ExitCode(1)
        }
        try reportingFailures {
            let keys = location.keys
            let certificate = try keys.issue(party: entry.id, kind: entry.kind, by: keys.loadCA(), replace: force)
            print("\(entry.id): \(certificate.subject), sha256 \(certificate.fingerprint)")
        }
    }
}

struct KeysListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show every certificate: subject, key type, SHA-256 fingerprint and expiry."
    )

    @OptionGroup var location: KeyLocation

    func run() throws {
        try reportingFailures {
            let keys = location.keys
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            var rows: [[String]] = []
            if keys.hasCA {
                let ca = try keys.loadCACertificate()
                rows.append(["(CA)", ca.subject, ca.keyKind.rawValue, ca.fingerprint, ca.notAfter.map(formatter.string) ?? "?"])
            }
            for (party, certificate) in try keys.listParties() {
                rows.append([party, certificate.subject, certificate.keyKind.rawValue, certificate.fingerprint,
                             certificate.notAfter.map(formatter.string) ?? "?"])
            }
            guard !rows.isEmpty else {
                print("geen certificaten in \(keys.root.path) (run `sluis keys init`)")
                return
            }
            print("| partij | onderwerp | sleutel | sha256-vingerafdruk | geldig tot |")
            print("| --- | --- | --- | --- | --- |")
            for row in rows { print("| " + row.joined(separator: " | ") + " |") }
            let versions = try keys.pseudonymKeys().map { "v\($0.version)" }
            print("\npseudoniemsleutels: \(versions.isEmpty ? "geen" : versions.joined(separator: ", "))")
        }
    }
}

struct KeysRotatePseudonymCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-pseudonym",
        abstract: "Add a new pseudonym key version; new pseudonyms use it, old ones stay computable."
    )

    @OptionGroup var location: KeyLocation

    func run() throws {
        try reportingFailures {
            print("pseudoniemsleutel v\(try location.keys.addPseudonymKey()) aangemaakt")
        }
    }
}
