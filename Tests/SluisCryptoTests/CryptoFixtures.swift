import Foundation
@testable import SluisCrypto

/// A throwaway covenant CA and parties made fresh for the tests (never written to Keys/).
final class CryptoFixtures: @unchecked Sendable {
    static let shared = try! CryptoFixtures()

    let ca: CertificateAuthority
    let otherCA: CertificateAuthority
    let school: (Certificate, PrivateKey)
    let swv: (Certificate, PrivateKey)
    let gemeente: (Certificate, PrivateKey)
    let rsaParty: (Certificate, PrivateKey)
    let outsider: (Certificate, PrivateKey)
    /// EC recipients on a curve on the allow-list (P-384) and on one outside it (secp256k1).
    let p384Party: (Certificate, PrivateKey)
    let k1Party: (Certificate, PrivateKey)
    let trust: TrustStore

    init() throws {
        ca = try CertificateAuthority.create(subject: .init(organisation: "Sluis test", commonName: "Sluis test CA"))
        otherCA = try CertificateAuthority.create(subject: .init(organisation: "Elders", commonName: "Other CA"))
        school = try Self.party("schoolbestuur-test", under: ca)
        swv = try Self.party("swv-test", under: ca)
        gemeente = try Self.party("gemeente-test", under: ca)
        rsaParty = try Self.party("jeugdhulp-rsa-test", rsa: true, under: ca)
        outsider = try Self.party("outsider", under: otherCA)
        p384Party = try Self.party("p384-test", curve: "P-384", under: ca)
        k1Party = try Self.party("secp256k1-test", curve: "secp256k1", under: ca)
        trust = try TrustStore(anchors: [ca.certificate])
    }

    static func party(_ name: String, rsa: Bool = false, curve: String = "P-256", under authority: CertificateAuthority) throws -> (Certificate, PrivateKey) {
        let key = rsa ? try PrivateKey.generateRSA(bits: 2048) : try PrivateKey.generateEC(curve: curve)
        let cert = try authority.issue(subject: .init(organisation: "Sluis test", unit: "test", commonName: name), for: key)
        return (cert, key)
    }

    /// A temporary directory that is removed when the closure ends.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-crypto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }
}
