import Foundation
import Testing
@testable import SluisCrypto

/// The allow-list completed (issue 9 item 1; docs/crypto.md "The allow-list"): RSASSA-PSS
/// signatures judged by their parameters, and the ECDH curve of a key agreement — both when
/// opening and when sealing, with test bundles made by the stock `openssl cms`.
@Suite("Allow-list: RSASSA-PSS parameters and key agreement curves")
struct PSSAndCurveAllowListTests {
    let f = CryptoFixtures.shared
    let message = Array("Verslag (testgegevens)".utf8)
    typealias CLI = OpenSSLCLIInteropTests

    /// Signs with `openssl cms -sign` as the RSA party using `options`, then encrypts for the SWV
    /// with SHA-256 KDF; returns the signed DER and the bundle.
    func pssBundle(_ options: [String], in directory: URL) throws -> (signed: [UInt8], bundle: [UInt8]) {
        try CLI().writeFixtures(to: directory)
        try Data(message).write(to: directory.appendingPathComponent("plain.bin"))
        let signed = try CLI.openssl(["cms", "-sign", "-binary", "-nodetach", "-in", "plain.bin", "-signer", "rsa.crt", "-inkey", "rsa.key",
                                      "-keyopt", "rsa_padding_mode:pss"] + options + ["-outform", "DER", "-out", "signed.der"], in: directory)
        #expect(signed.status == 0, "sign: \(signed.stderr)")
        let encrypted = try CLI.openssl(["cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "signed.der", "-recip", "swv.crt",
                                         "-keyopt", "ecdh_kdf_md:sha256", "-outform", "DER", "-out", "bundle.p7m"], in: directory)
        #expect(encrypted.status == 0, "encrypt: \(encrypted.stderr)")
        return (Array(try Data(contentsOf: directory.appendingPathComponent("signed.der"))),
                Array(try Data(contentsOf: directory.appendingPathComponent("bundle.p7m"))))
    }

    @Test("RFC 4056 §3, RFC 4055 §3.1: RSASSA-PSS with SHA-2, MGF1 with SHA-2 and a salt of at least the hash length opens, named",
          arguments: [
              ([], "RSASSA-PSS with SHA-256, MGF1 with SHA-256, salt 222 bytes"),   // openssl's default: the largest salt
              (["-keyopt", "rsa_pss_saltlen:digest"], "RSASSA-PSS with SHA-256, MGF1 with SHA-256, salt 32 bytes"),
              (["-md", "sha384", "-keyopt", "rsa_mgf1_md:sha256"], "RSASSA-PSS with SHA-384, MGF1 with SHA-256, salt 206 bytes"),
          ])
    func acceptablePSSOpens(options: [String], named: String) throws {
        try CryptoFixtures.withTemporaryDirectory { directory in
            let (signed, bundle) = try pssBundle(options, in: directory)
            let opened = try SealedBundle.open(bundle, recipient: f.swv.0, key: f.swv.1, trust: f.trust, expectedSigner: f.rsaParty.0)
            #expect(opened.plaintext.bytes == message)
            #expect(opened.signatureAlgorithm == named)
            #expect(SealedBundle.signerFindings(der: signed) == [], "sealing applies the same check")
        }
    }

    @Test("RSASSA-PSS refused with its reason, opening and sealing alike: SHA-1 MGF (RFC 8551 §2.1), a short salt, a SHA-1 hash",
          arguments: [
              (["-keyopt", "rsa_mgf1_md:sha1"], "RSASSA-PSS MGF1 hash SHA-1 (the default when absent) is not accepted: SHA-1 is below the floor of SHA-256 (RFC 8551 §2.1)"),
              (["-keyopt", "rsa_pss_saltlen:20"], "RSASSA-PSS salt of 20 bytes is shorter than the hash (32 bytes)"),
              (["-keyopt", "rsa_pss_saltlen:0"], "RSASSA-PSS salt of 0 bytes is shorter than the hash (32 bytes)"),
              (["-md", "sha1"], "signature digest SHA-1 is not accepted"),
          ])
    func weakPSSIsRefused(options: [String], reason: String) throws {
        try CryptoFixtures.withTemporaryDirectory { directory in
            let (signed, bundle) = try pssBundle(options, in: directory)
            #expect {
                try SealedBundle.open(bundle, recipient: f.swv.0, key: f.swv.1, trust: f.trust)
            } throws: { error in
                guard case .weakAlgorithm(let what) = error as? BundleError else { return false }
                return what.contains(reason)
            }
            #expect(SealedBundle.signerFindings(der: signed)?.contains { $0.contains(reason) } == true, "sealing refuses it too")
        }
    }

    @Test("RSASSA-PSS parameters read from DER: absent, SHA-1 defaults, a hash unlike the signer's digest, another trailer")
    func pssParameterRules() {
        let sha256 = "2.16.840.1.101.3.4.2.1", sha384 = "2.16.840.1.101.3.4.2.2"
        var good = RSAParameters()
        good.hash = sha256; good.maskGenerationHash = sha256; good.saltLength = 32
        good.hashIsDefault = false; good.maskGenerationIsDefault = false
        #expect(SignerAlgorithms.pssFindings(good, digest: sha256, present: true) == [])
        #expect(SignerAlgorithms.pssFindings(RSAParameters(), digest: sha256, present: false).count == 3,
                "absent: no parameters, and the SHA-1 hash and SHA-1 MGF1 they default to")
        #expect(SignerAlgorithms.pssFindings(good, digest: sha384, present: true) == [
            "RSASSA-PSS hash SHA-256 differs from the signer info's digest SHA-384: RFC 4056 §3 requires the same one-way hash function"])
        var trailer = good
        trailer.trailerField = 2
        #expect(SignerAlgorithms.pssFindings(trailer, digest: sha256, present: true) == [
            "RSASSA-PSS trailer field 2 is not accepted: it MUST be 1 (RFC 4055 §3.1)"])
        var otherMask = good
        otherMask.maskGeneration = "1.3.6.1.5.5.7.6.30"
        #expect(SignerAlgorithms.pssFindings(otherMask, digest: sha256, present: true).first?.contains("MGF1 only") == true)
    }

    @Test("RFC 5480 §2.1.1.1, RFC 8551 §2.3: an EC recipient on secp256k1 is refused by open, seal and inspect; P-384 is accepted")
    func keyAgreementCurves() throws {
        try CryptoFixtures.withTemporaryDirectory { directory in
            try CLI().signWithCLI(in: directory)
            for recipient in ["k1", "p384"] {
                let encrypted = try CLI.openssl(["cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "signed.der", "-recip", "\(recipient).crt",
                                                 "-keyopt", "ecdh_kdf_md:sha256", "-outform", "DER", "-out", "\(recipient).p7m"], in: directory)
                #expect(encrypted.status == 0, "encrypt: \(encrypted.stderr)")
            }
            let k1 = Array(try Data(contentsOf: directory.appendingPathComponent("k1.p7m")))
            let reason = "key agreement curve secp256k1 is not accepted: secp256k1 is not one of the NIST curves of RFC 5480 §2.1.1.1"
            #expect {
                try SealedBundle.open(k1, recipient: f.k1Party.0, key: f.k1Party.1, trust: f.trust)
            } throws: { error in
                guard case .weakAlgorithm(let what) = error as? BundleError else { return false }
                return what.hasPrefix(reason)
            }
            // inspect: without the certificate the curve is not named in the bundle; with it, it is judged.
            let unknown = try SealedBundle.inspect(k1)
            #expect(unknown.recipients.first?.ephemeralKey == "EC point of 65 bytes, curve not named (that of the recipient's certificate)")
            #expect(unknown.outsideAllowList.isEmpty)
            let known = unknown.resolvingCurves([f.k1Party.0, f.swv.0])
            #expect(known.recipients.first?.curve == "secp256k1")
            #expect(known.outsideAllowList.contains { $0.hasPrefix(reason) })
            #expect(throws: BundleError.weakAlgorithm(BundleAlgorithms.curveFinding(f.k1Party.0)!)) {
                try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.swv.0, f.k1Party.0])
            }

            let p384 = Array(try Data(contentsOf: directory.appendingPathComponent("p384.p7m")))
            #expect(try SealedBundle.open(p384, recipient: f.p384Party.0, key: f.p384Party.1, trust: f.trust).plaintext.bytes == CLI().message,
                    "openssl's P-384 bundle opens")
            #expect(try SealedBundle.inspect(p384).resolvingCurves([f.p384Party.0]).recipients.first?.curve == "P-384")
            let sealed = try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.p384Party.0])
            #expect(try SealedBundle.open(sealed, recipient: f.p384Party.0, key: f.p384Party.1, trust: f.trust).plaintext.bytes == message)
        }
    }

    /// The originator key's AlgorithmIdentifier as OpenSSL writes it: id-ecPublicKey, no parameters.
    static let ecPublicKeyAlgorithm: [UInt8] = [0x30, 0x09, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]

    @Test("RFC 5480 §2.1.1, RFC 5753 §3.1.1: an ephemeral key naming a curve is judged by it; another curve than the certificate's, explicit parameters or X25519 are refused",
          arguments: [
              ([0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07], nil),  // namedCurve P-256, the certificate's
              ([0x05, 0x00], nil),                                                  // NULL parameters
              ([0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x0A], "key agreement curve (ephemeral key) secp256k1 is not accepted"),
              ([0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22], "the ephemeral key is on P-384, the recipient's certificate on P-256"),
              ([0x30, 0x00], "explicit curve parameters is not accepted: named curves only (RFC 5480 §2.1.1)"),
          ] as [([UInt8], String?)])
    func namedEphemeralCurves(parameters: [UInt8], refusal: String?) throws {
        let bundle = try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.swv.0])
        let algorithm = [0x30, UInt8(9 + parameters.count)] + Self.ecPublicKeyAlgorithm.dropFirst(2) + parameters
        let altered = try DERRewriter.replace(Self.ecPublicKeyAlgorithm, with: algorithm, in: bundle)
        let findings = try SealedBundle.inspect(altered).resolvingCurves([f.swv.0]).outsideAllowList
        if let refusal {
            #expect(findings.contains { $0.contains(refusal) }, "\(findings)")
            #expect {
                try SealedBundle.open(altered, recipient: f.swv.0, key: f.swv.1, trust: f.trust)
            } throws: { error in
                guard case .weakAlgorithm(let what) = error as? BundleError else { return false }
                return what.contains(refusal)
            }
        } else {
            #expect(findings.isEmpty, "\(findings)")
        }
    }

    @Test("RFC 5753 §3.1.1: an originator key that is not an EC key (here X25519's OID) is refused, naming it")
    func nonECEphemeralKey() throws {
        let bundle = try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.swv.0])
        let x25519: [UInt8] = [0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x6E]
        let altered = try DERRewriter.replace(Self.ecPublicKeyAlgorithm, with: x25519, in: bundle)
        let inspection = try SealedBundle.inspect(altered)
        #expect(inspection.outsideAllowList.contains { $0.hasPrefix("key agreement ephemeral key X25519 is not accepted") })
        #expect(inspection.recipients.first?.ephemeralKey == "X25519 key")
        #expect(throws: BundleError.self) { try SealedBundle.open(altered, recipient: f.swv.0, key: f.swv.1, trust: f.trust) }
    }
}

/// Replaces one DER element inside a DER structure and re-encodes the lengths of every element
/// around it (definite lengths only), so a test can craft a variant of a real bundle.
enum DERRewriter {
    struct NotFound: Error {}

    static func replace(_ old: [UInt8], with new: [UInt8], in bytes: [UInt8]) throws -> [UInt8] {
        let reader = DERReader(bytes: bytes)
        guard let target = firstRange(of: old, in: bytes) else { throw NotFound() }
        return try rewrite(try reader.root(), reader, target: target, new: new)
    }

    private static func rewrite(_ node: DERReader.Node, _ reader: DERReader, target: Range<Int>, new: [UInt8]) throws -> [UInt8] {
        if node.start == target.lowerBound && node.end == target.upperBound { return new }
        guard node.isConstructed, node.content.lowerBound <= target.lowerBound, target.upperBound <= node.content.upperBound else {
            return Array(reader.encoding(node))
        }
        var content: [UInt8] = []
        for child in try reader.children(node) { content += try rewrite(child, reader, target: target, new: new) }
        return [node.tag] + length(content.count) + content
    }

    private static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 { bytes.insert(UInt8(rest & 0xFF), at: 0); rest >>= 8 }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    private static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start..<start + needle.count
        }
        return nil
    }
}
