public import FoundationEssentials
import Glibc

/// The party keys and certificates on disk (`Keys/`):
///
///     Keys/ca/covenant-ca.crt, covenant-ca.key      the development covenant CA
///     Keys/parties/<party>.crt, <party>.key          one EC P-256 key per party
///     Keys/pseudonym/v<N>.key                        pseudonym keys, 32 random bytes in hex
///
/// Private keys are written with mode 0600 into files that did not exist before, and are
/// git-ignored. A deployment puts its own PEM files (e.g. PKIoverheid) in the same places, or
/// names them explicitly with `PartyCredentials.load`.
public struct KeyDirectory: Sendable {
    public let root: URL

    public init(_ path: String) { root = URL(fileURLWithPath: path) }

    public static let caName = "covenant-ca"
    public static let caSubject = CertificateAuthority.Subject(
        organisation: "Privacy Convenant Thuiszitters Goeree-Overflakkee", unit: "ontwikkeling",
        commonName: "Sluis ontwikkel-CA (niet voor productie)")

    var caDirectory: URL { root.appendingPathComponent("ca") }
    var partyDirectory: URL { root.appendingPathComponent("parties") }
    var pseudonymDirectory: URL { root.appendingPathComponent("pseudonym") }

    /// The covenant CA's certificate, the trust anchor of every party certificate.
    public var caCertificateURL: URL { caDirectory.appendingPathComponent("\(Self.caName).crt") }
    /// Where the pseudonym keys `v<N>.key` are.
    public var pseudonymKeysURL: URL { pseudonymDirectory }

    public func certificateURL(party: String) -> URL { partyDirectory.appendingPathComponent("\(party).crt") }
    public func keyURL(party: String) -> URL { partyDirectory.appendingPathComponent("\(party).key") }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    // MARK: The CA

    public var hasCA: Bool {
        FileManager.default.fileExists(atPath: caDirectory.appendingPathComponent("\(Self.caName).crt").path)
    }

    public func loadCA() throws -> CertificateAuthority {
        let certificate = try Certificate.load(read(caDirectory.appendingPathComponent("\(Self.caName).crt")))
        let key = try PrivateKey.load(pem: readSecret(caDirectory.appendingPathComponent("\(Self.caName).key")))
        return try CertificateAuthority(certificate: certificate, key: key)
    }

    public func loadCACertificate() throws -> Certificate {
        try Certificate.load(read(caDirectory.appendingPathComponent("\(Self.caName).crt")))
    }

    /// Creates the development CA; refuses to overwrite one.
    @discardableResult
    public func createCA() throws -> CertificateAuthority {
        guard !hasCA else { throw Failure(description: "\(caDirectory.path) already holds a CA; remove it first to replace it") }
        let authority = try CertificateAuthority.create(subject: Self.caSubject)
        try writeSecret(authority.key.pem(), to: caDirectory.appendingPathComponent("\(Self.caName).key"))
        try write(Array(authority.certificate.pem().utf8), to: caDirectory.appendingPathComponent("\(Self.caName).crt"))
        return authority
    }

    // MARK: Parties

    public func hasParty(_ party: String) -> Bool { FileManager.default.fileExists(atPath: certificateURL(party: party).path) }

    /// Issues a new P-256 key and certificate for `party`, replacing an earlier one only when
    /// `replace` is true.
    @discardableResult
    public func issue(party: String, kind: String, by authority: CertificateAuthority, replace: Bool = false) throws -> Certificate {
        try Self.checkPartyID(party)
        if hasParty(party) && !replace {
            throw Failure(description: "party \(party) already has a certificate (use --force to replace it)")
        }
        let key = try PrivateKey.generateP256()
        let certificate = try authority.issue(
            subject: .init(organisation: Self.caSubject.organisation, unit: kind, commonName: party), for: key)
        if replace {
            try? FileManager.default.removeItem(at: keyURL(party: party))
            try? FileManager.default.removeItem(at: certificateURL(party: party))
        }
        try writeSecret(key.pem(), to: keyURL(party: party))
        try write(Array(certificate.pem().utf8), to: certificateURL(party: party))
        return certificate
    }

    public func certificate(party: String) throws -> Certificate {
        try Self.checkPartyID(party)
        guard hasParty(party) else { throw Failure(description: "no certificate for party \(party) in \(partyDirectory.path) (run `sluis keys init`)") }
        return try Certificate.load(read(certificateURL(party: party)))
    }

    public func credentials(party: String) throws -> PartyCredentials {
        try Self.checkPartyID(party)
        return try PartyCredentials.load(certificate: certificateURL(party: party), key: keyURL(party: party))
    }

    /// Every party certificate on disk, by party id.
    public func listParties() throws -> [(party: String, certificate: Certificate)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: partyDirectory.path) else { return [] }
        return try names.filter { $0.hasSuffix(".crt") }.sorted().map { name in
            let party = String(name.dropLast(4))
            return (party, try Certificate.load(read(partyDirectory.appendingPathComponent(name))))
        }
    }

    /// Party ids become file names: keep them to a safe alphabet.
    static func checkPartyID(_ party: String) throws {
        let allowed = party.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
        guard allowed, !party.isEmpty, party.count <= 64, !party.hasPrefix("-") else {
            throw Failure(description: "party id must be 1–64 characters a–z, 0–9 and '-'")
        }
    }

    // MARK: The register key

    var registerDirectory: URL { root.appendingPathComponent("register") }
    public var registerKeyURL: URL { registerDirectory.appendingPathComponent("register.key") }
    public var registerVerifierURL: URL { registerDirectory.appendingPathComponent("register.vkey") }
    public static let registerKeyName = "sluis.goeree-overflakkee/thuiszitters/register"

    public var hasRegisterKey: Bool { FileManager.default.fileExists(atPath: registerKeyURL.path) }

    /// Creates the Ed25519 key that signs register checkpoints, and writes its verifier key
    /// (public, for the FG and anyone checking proofs) beside it.
    @discardableResult
    public func createRegisterKey() throws -> PrivateKey {
        guard !hasRegisterKey else { throw Failure(description: "\(registerKeyURL.path) exists already") }
        let key = try PrivateKey.generateEd25519()
        try writeSecret(key.pem(), to: registerKeyURL)
        return key
    }

    public func registerKey() throws -> PrivateKey {
        guard hasRegisterKey else { throw Failure(description: "no register key in \(registerDirectory.path) (run `sluis keys init`)") }
        return try PrivateKey.load(pem: readSecret(registerKeyURL))
    }

    // MARK: Pseudonym keys

    public func pseudonymKeys() throws -> [Pseudonymizer.Key] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: pseudonymDirectory.path) else { return [] }
        return try names.compactMap { name -> Pseudonymizer.Key? in
            guard name.hasPrefix("v"), name.hasSuffix(".key"), let version = Int(name.dropFirst().dropLast(4)) else { return nil }
            // Decoded in wiped memory: the key never passes through a String or Array.
            guard let secret = try readSecret(pseudonymDirectory.appendingPathComponent(name)).hexDecoded(), secret.count == 32 else {
                throw Failure(description: "pseudonym key \(name) must be 32 bytes in hex")
            }
            return Pseudonymizer.Key(version: version, secret: secret)
        }.sorted { $0.version < $1.version }
    }

    /// Adds pseudonym key version `max + 1` (rotation) and returns its version.
    @discardableResult
    public func addPseudonymKey() throws -> Int {
        let version = (try pseudonymKeys().map(\.version).max() ?? 0) + 1
        let secret = try SecureBytes.random(count: 32)
        let hex = secret.hexEncoded()
        let line = SecureBytes(count: hex.count + 1)
        line.withUnsafeMutableBytes { output in
            hex.withUnsafeBytes { output.copyMemory(from: $0) }
            output[hex.count] = 0x0A
        }
        try writeSecret(line, to: pseudonymDirectory.appendingPathComponent("v\(version).key"))
        return version
    }

    // MARK: Files

    /// Reads a secret file of this directory (refusing one others can read).
    public func readSecretFile(_ url: URL) throws -> SecureBytes { try readSecret(url) }

    /// Creates a secret file of this directory with mode 0600.
    public func writeSecretFile(_ secret: SecureBytes, to url: URL) throws { try writeSecret(secret, to: url) }

    func read(_ url: URL) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw Failure(description: "cannot read \(url.path)") }
        return Array(data)
    }

    /// Reads a secret file straight into wiped memory, refusing one that others can read (the
    /// mode of the file opened, not of a path looked at before).
    func readSecret(_ url: URL) throws -> SecureBytes {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(description: "cannot read \(url.path)") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure(description: "cannot read \(url.path)") }
        let mode = Int(status.st_mode & 0o777)
        guard mode & 0o077 == 0 else {
            throw Failure(description: "\(url.path) is readable by others (mode \(String(mode, radix: 8))); chmod 600 it")
        }
        let secret = SecureBytes(count: Int(status.st_size))
        var filled = 0
        try secret.withUnsafeMutableBytes { buffer in
            while filled < buffer.count {
                let count = Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw Failure(description: "cannot read \(url.path)") }
                filled += count
            }
        }
        return secret
    }

    func write(_ bytes: [UInt8], to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url, options: .atomic)
    }

    /// Creates `url` with mode 0600 (never over an existing file) and writes the secret.
    func writeSecret(_ secret: SecureBytes, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw Failure(description: "cannot create \(url.path) (does it exist already?)") }
        defer { close(descriptor) }
        let written = secret.withUnsafeBytes { bytes in Glibc.write(descriptor, bytes.baseAddress, bytes.count) }
        guard written == secret.count, fsync(descriptor) == 0 else { throw Failure(description: "cannot write \(url.path)") }
    }
}

/// A party's certificate and private key, as used to seal and open bundles.
public struct PartyCredentials: Sendable {
    public let certificate: Certificate
    public let key: PrivateKey

    /// Loads a PEM (or DER) certificate and a PEM private key from explicit paths, checking that
    /// they belong together.
    public static func load(certificate: URL, key: URL) throws -> PartyCredentials {
        let directory = KeyDirectory(certificate.deletingLastPathComponent().path)
        let cert = try Certificate.load(directory.read(certificate))
        let privateKey = try PrivateKey.load(pem: directory.readSecret(key))
        guard privateKey.matches(cert) else {
            throw KeyDirectory.Failure(description: "\(key.path) does not belong to \(certificate.path)")
        }
        return PartyCredentials(certificate: cert, key: privateKey)
    }
}
