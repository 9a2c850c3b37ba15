import Foundation
import Testing
@testable import SluisCrypto

/// Issue 9 item 6: a key, certificate or buffer that does not fit is a `KeyError` — a
/// configuration or calling error found before OpenSSL is asked — and `CryptoError` stays for
/// OpenSSL's own failures, with its drained error queue.
@Suite("Key errors are not crypto errors (issue 9 item 6)")
struct KeyErrorTests {
    static func key(_ version: Int, bytes: Int) -> Pseudonymizer.Key {
        .init(version: version, secret: SecureBytes([UInt8](repeating: 7, count: bytes)))
    }

    @Test("Art. 14.3 pseudonyms: no key, a key under 32 bytes, an unknown version are KeyErrors naming the key")
    func pseudonymKeys() throws {
        #expect(throws: KeyError.missing("pseudonym key")) { try Pseudonymizer(keys: []) }
        #expect(throws: KeyError.tooShort("pseudonym key v2", minimum: 32, actual: 3)) {
            try Pseudonymizer(keys: [Self.key(1, bytes: 32), Self.key(2, bytes: 3)])
        }
        let pseudonymizer = try Pseudonymizer(keys: [Self.key(1, bytes: 32)])
        #expect(throws: KeyError.missing("pseudonym key v4")) { try pseudonymizer.pseudonym(of: "pupil-0001", for: "swv-go", version: 4) }
    }

    @Test("AES-256-GCM: a key, nonce or tag of the wrong size and a short output buffer are KeyErrors with the sizes in bytes")
    func aesGCMSizes() throws {
        let input = [UInt8](repeating: 1, count: 16)
        func seal(key: Int = 32, nonce: Int = 12, output count: Int = 16) throws {
            var output = [UInt8](repeating: 0, count: count)
            _ = try input.withUnsafeBytes { input in
                try output.withUnsafeMutableBytes { output in
                    try AESGCM.seal(key: SecureBytes([UInt8](repeating: 1, count: key)), nonce: [UInt8](repeating: 2, count: nonce), input: input, output: output)
                }
            }
        }
        #expect(throws: KeyError.wrongSize("AES-256-GCM key", expected: 32, actual: 16)) { try seal(key: 16) }
        #expect(throws: KeyError.wrongSize("AES-256-GCM nonce", expected: 12, actual: 8)) { try seal(nonce: 8) }
        #expect(throws: KeyError.tooShort("AES-256-GCM output buffer", minimum: 16, actual: 15)) { try seal(output: 15) }
        try seal()
        #expect(throws: KeyError.wrongSize("AES-256-GCM tag", expected: 16, actual: 12)) { try Self.open(tag: [UInt8](repeating: 0, count: 12)) }
    }

    /// Opens 16 bytes that were never sealed, with `tag`.
    static func open(tag: [UInt8]) throws {
        let input = [UInt8](repeating: 1, count: 16)
        var output = [UInt8](repeating: 0, count: 16)
        try input.withUnsafeBytes { input in
            try output.withUnsafeMutableBytes { out in
                try AESGCM.open(key: SecureBytes([UInt8](repeating: 1, count: 32)), nonce: [UInt8](repeating: 2, count: 12), tag: tag, input: input, output: out)
            }
        }
    }

    @Test("A tag that does not match is still OpenSSL's failure: a CryptoError, not a KeyError")
    func tagMismatchIsCrypto() throws {
        #expect(throws: CryptoError.self) { try Self.open(tag: [UInt8](repeating: 0, count: 16)) }
    }

    @Test("Ed25519 signing (C2SP signed-note checkpoints) with a P-256 key is a KeyError naming the kind")
    func ed25519WithOtherKey() throws {
        let key = try PrivateKey.generateP256()
        #expect(throws: KeyError.unusable("Ed25519 signing with an EC P-256 key")) { try key.signEd25519([1, 2, 3]) }
    }

    @Test("A CA key that is not the CA certificate's is a KeyError (mismatch)")
    func caKeyMismatch() throws {
        let fixtures = CryptoFixtures.shared
        #expect(throws: KeyError.mismatch("the CA key and the CA certificate")) {
            try CertificateAuthority(certificate: fixtures.ca.certificate, key: fixtures.otherCA.key)
        }
    }

    @Test("Art. 10.2 sealed bundles: no recipient, a signer's key that is not its certificate's, a recipient without an EC or RSA key are BundleError.key")
    func bundleKeys() throws {
        let fixtures = CryptoFixtures.shared
        let (school, schoolKey) = fixtures.school
        let message = Array("testgegevens".utf8)
        #expect(throws: BundleError.key(.missing("recipient certificate: a bundle needs at least one"))) {
            try SealedBundle.seal(message, signer: school, key: schoolKey, recipients: [])
        }
        #expect(throws: BundleError.key(.mismatch("the signing key and the signer's certificate"))) {
            try SealedBundle.seal(message, signer: school, key: fixtures.swv.1, recipients: [fixtures.swv.0])
        }
        let edKey = try PrivateKey.generateEd25519()
        let edRecipient = try fixtures.ca.issue(subject: .init(organisation: "Sluis test", commonName: "ed25519-test"), for: edKey)
        #expect(throws: BundleError.key(.unusable("recipient ed25519-test has neither an EC nor an RSA key (Ed25519)"))) {
            try SealedBundle.seal(message, signer: school, key: schoolKey, recipients: [fixtures.swv.0, edRecipient])
        }
    }
}
