import Foundation
public import SluisCovenant
public import SluisCrypto
import SluisRegister
import SluisStore

/// The development key set under `Keys/`: covenant CA, a key and certificate per party of the
/// policy set, the register's Ed25519 key, a pseudonym key and the data key. Idempotent: only
/// what is missing is made. Shared by `sluis keys init` and `sluis serve`.
public enum DevelopmentKeys {
    public struct Report: Sendable {
        public var createdCA: Bool
        public var issuedParties: Int
        public var existingParties: Int
        public var registerVerifier: String?
        public var pseudonymVersion: Int
        public var createdPseudonymKey: Bool
    }

    public static func ensure(_ keys: KeyDirectory, policy: CovenantPolicy) throws -> Report {
        let createdCA = !keys.hasCA
        let authority = createdCA ? try keys.createCA() : try keys.loadCA()
        let parties = policy.parties.map { ($0.id, $0.kind.rawValue) } + policy.accessions.map { ($0.party, PartyKind.jeugdhulpaanbieder.rawValue) }
        var issued = 0
        for (id, kind) in parties where !keys.hasParty(id) {
            try keys.issue(party: id, kind: kind, by: authority)
            issued += 1
        }
        var verifier: String?
        if !keys.hasRegisterKey {
            verifier = try CheckpointSigner(name: KeyDirectory.registerKeyName, key: keys.createRegisterKey()).verifier.text
        }
        var createdPseudonym = false
        if try keys.pseudonymKeys().isEmpty {
            try keys.addPseudonymKey()
            createdPseudonym = true
        }
        try keys.ensureDataKey()
        return Report(createdCA: createdCA, issuedParties: issued, existingParties: parties.count - issued, registerVerifier: verifier,
                      pseudonymVersion: try keys.pseudonymKeys().map(\.version).max() ?? 0, createdPseudonymKey: createdPseudonym)
    }
}

/// What a production start (`sluis serve` without `--demo`) needs in the key directory. It
/// never makes a key: when one is missing it refuses to start, naming each (docs/configuration.md).
public enum ProductionKeys {
    public struct Missing: Error, CustomStringConvertible {
        /// Each missing key or certificate, with its path.
        public let items: [String]
        public let directory: String

        public var description: String {
            "production start without keys in \(directory); missing:\n" + items.map { "  - \($0)" }.joined(separator: "\n")
                + "\nCreate them with `sluis keys init` (or place the deployment's own there), or start a development gateway with `sluis serve --demo`."
        }
    }

    /// Each key or certificate of the policy set's parties, the CA, the register, the pseudonyms
    /// and the data that is not there; empty when the directory is complete.
    public static func missing(_ keys: KeyDirectory, policy: CovenantPolicy) -> [String] {
        let exists = { (url: URL) in FileManager.default.fileExists(atPath: url.path) }
        var items: [String] = []
        if !exists(keys.caCertificateURL) { items.append("the covenant CA certificate (\(keys.caCertificateURL.path))") }
        for party in policy.parties {
            if !exists(keys.certificateURL(party: party.id)) { items.append("party \(party.id)'s certificate (\(keys.certificateURL(party: party.id).path))") }
            if !exists(keys.keyURL(party: party.id)) { items.append("party \(party.id)'s private key (\(keys.keyURL(party: party.id).path))") }
        }
        if !keys.hasRegisterKey { items.append("the register key (\(keys.registerKeyURL.path))") }
        // A malformed pseudonym key is not missing: loading it names what is wrong.
        if let pseudonyms = try? keys.pseudonymKeys(), pseudonyms.isEmpty {
            items.append("a pseudonym key (\(keys.pseudonymKeysURL.path)/v1.key)")
        }
        if !keys.hasDataKey { items.append("the data key (\(keys.dataKeyURL.path))") }
        return items
    }

    /// Throws `Missing` unless every key a production start needs is there.
    public static func require(_ keys: KeyDirectory, policy: CovenantPolicy) throws {
        let items = missing(keys, policy: policy)
        guard items.isEmpty else { throw Missing(items: items, directory: keys.root.path) }
    }
}

/// The demo covenant for a fresh gateway: one delegate per role with a random password and TOTP
/// secret (printed once by `sluis serve`), and a few demo cases with invented names.
public enum DemoCovenant {
    public struct Delegate: Sendable {
        public let username: String
        public let role: DelegateRole
        public let party: String
        public let password: String
        public let totpSecret: String
    }

    static let roles: [(String, DelegateRole, String)] = [
        ("leerplicht.demo", .leerplichtambtenaar, "gemeente-goeree-overflakkee"),
        ("zorgco.demo", .zorgcoordinator, "sovogo"),
        ("swv.demo", .swvSecretaris, "swv-go"),
        ("jvk.demo", .jeugdverpleegkundige, "cjg-rijnmond"),
        ("jeugdarts.demo", .jeugdarts, "cjg-rijnmond"),
        ("fg.demo", .fg, "gemeente-goeree-overflakkee"),
        // The CJG's own FG: sees the CJG's disclosures on the register (art. 15.2–15.3).
        ("fg-cjg.demo", .fg, "cjg-rijnmond"),
        ("beheer.demo", .beheerder, "gemeente-goeree-overflakkee"),
    ]

    /// Creates the demo delegates and cases when the gateway has no delegates yet; returns
    /// what was created (empty when the gateway was set up before).
    public static func ensure(_ gateway: Gateway, hasher: PasswordHasher = .recommended) async throws -> [Delegate] {
        var existing = false
        for party in try await gateway.store.parties() where !(try await gateway.store.delegates(party: party.id)).isEmpty {
            existing = true
        }
        guard !existing else { return [] }
        var created: [Delegate] = []
        for (username, role, partyID) in roles {
            guard let party = try await gateway.store.party(partyID) else { continue }
            let password = Base64URL.encode(try Random.bytes(15))
            let (_, uri) = try await gateway.access.createDelegate(username: username, party: party, role: role,
                                                                  password: SecureBytes(Array(password.utf8)), hasher: hasher)
            let secret = URLComponents(string: uri)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
            created.append(Delegate(username: username, role: role, party: partyID, password: password, totpSecret: secret))
        }
        // Demo cases, registered by the school, with the SWV and the gemeente taking part.
        let school = Principal(delegateID: "demo-setup", username: "demo-setup", party: "sovogo", partyKind: .schoolbestuur,
                               role: .zorgcoordinator, kind: "session")
        let trace = try TraceContext.fresh()
        let cases: [(String, String, String)] = [
            ("Demo Leerling Een", "2012-03-14", "verzuim"), ("Demo Leerling Twee", "2010-09-02", "deels-belastbaar"),
            ("Demo Leerling Drie", "2013-01-20", "geen-passende-plek"),
        ]
        for (name, birthDate, caseType) in cases {
            _ = try await gateway.createCase(NewCase(name: name, birthDate: birthDate, address: nil, bsn: nil,
                                                     facts: ["absence": "Sinds zes weken niet op school (demogegeven).",
                                                             "lastSchool": "RGO (demogegeven)"],
                                                     caseType: caseType, phase: "intake", duoMelding: nil,
                                                     parties: ["swv-go", "gemeente-goeree-overflakkee", "cjg-rijnmond"]),
                                             by: school, trace: trace)
        }
        return created
    }
}
