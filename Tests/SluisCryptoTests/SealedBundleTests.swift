import Foundation
import Testing
@testable import SluisCrypto

/// Art. 10.2: exchanged personal data is encrypted; bundles are CMS so other parties' tools open them.
@Suite("Sealed bundles")
struct SealedBundleTests {
    let f = CryptoFixtures.shared
    let message = Array("Casusbeschrijving (testgegevens, geen echte leerling)\n\u{0}binary\r\n".utf8)

    @Test("Art. 10.2: a bundle sealed for two recipients opens for each, with the verified signer")
    func sealAndOpenForEachRecipient() throws {
        let bundle = try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.swv.0, f.gemeente.0])
        for (cert, key) in [f.swv, f.gemeente] {
            let opened = try SealedBundle.open(bundle, recipient: cert, key: key, trust: f.trust, expectedSigner: f.school.0)
            #expect(opened.plaintext.bytes == message)
            #expect(opened.signer == f.school.0)
        }
    }

    @Test("EC and RSA recipients mixed; S/MIME as well as DER", arguments: SealedBundle.Format.allCases)
    func mixedRecipientsAndFormats(format: SealedBundle.Format) throws {
        let bundle = try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.swv.0, f.rsaParty.0], format: format)
        let inspection = try SealedBundle.inspect(bundle)
        #expect(inspection.format == (format == .der ? "DER" : "S/MIME"))
        #expect(inspection.contentEncryption == "aes-256-gcm")
        #expect(inspection.tagLength == 16 && inspection.nonceLength == 12)
        #expect(Set(inspection.recipients.map(\.keyEncryption)) == ["ECDH X9.63 KDF with SHA-256, aes-256-wrap", "RSA-OAEP with SHA-256"])
        #expect(inspection.recipients.allSatisfy { $0.issuer?.contains("CN=Sluis test CA") == true })
        let opened = try SealedBundle.open(bundle, recipient: f.rsaParty.0, key: f.rsaParty.1, trust: f.trust)
        #expect(opened.plaintext.bytes == message)
    }

    @Test("RFC 5083 §2.1 holds for our bundles: id-data inside, or authAttrs with content-type; all on the allow-list",
          arguments: SealedBundle.Format.allCases)
    func sealedBundleConformsToRFC5083(format: SealedBundle.Format) throws {
        let bundle = try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.swv.0, f.rsaParty.0], format: format)
        let inspection = try SealedBundle.inspect(bundle)
        #expect(inspection.outsideAllowList.isEmpty, "\(inspection.outsideAllowList)")
        if let attributes = inspection.authenticatedAttributes {
            #expect(attributes.contains("contentType"))
        } else {
            #expect(inspection.encryptedContentType == "data")
        }
        #expect(inspection.encryptedContentType == "data")
    }

    @Test("The allow-list is one list, each entry with its RFC section; the key wrap is never weaker than the content cipher")
    func allowListIsCitedAndConsistent() {
        for entry in BundleAlgorithms.allowed {
            #expect(entry.rule.contains("RFC"), "\(entry.name)")
        }
        let cipherBits = BundleAlgorithms.allowed.filter { $0.role == .contentCipher }.map(\.strength)
        let wrapBits = BundleAlgorithms.allowed.filter { $0.role == .keyWrap }.map(\.strength)
        #expect(!cipherBits.isEmpty && !wrapBits.isEmpty)
        #expect(wrapBits.min()! >= cipherBits.max()!)
        #expect(BundleAlgorithms.allowed.contains { $0.role == .signatureDigest && $0.name == "SHA-256" })
        #expect(!BundleAlgorithms.allowed.contains { $0.name == "SHA-1" || $0.name == "MD5" })
    }

    @Test("An empty and a large payload both round-trip", arguments: [0, 1, 1 << 20])
    func payloadSizes(size: Int) throws {
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let bundle = try SealedBundle.seal(payload, signer: f.school.0, key: f.school.1, recipients: [f.swv.0])
        #expect(try SealedBundle.open(bundle, recipient: f.swv.0, key: f.swv.1, trust: f.trust).plaintext.bytes == payload)
    }

    @Test("Wrong recipient: refused as not addressed to it")
    func wrongRecipient() throws {
        let bundle = try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.swv.0])
        #expect(throws: BundleError.notARecipient) {
            try SealedBundle.open(bundle, recipient: f.gemeente.0, key: f.gemeente.1, trust: f.trust)
        }
    }

    @Test("Wrong signer: a signer outside the covenant CA is refused; an unexpected party too")
    func wrongSigner() throws {
        let foreign = try SealedBundle.seal(message, signer: f.outsider.0, key: f.outsider.1, recipients: [f.swv.0])
        #expect {
            try SealedBundle.open(foreign, recipient: f.swv.0, key: f.swv.1, trust: f.trust)
        } throws: { error in
            guard case .signatureInvalid = error as? BundleError else { return false }
            return true
        }
        let fromGemeente = try SealedBundle.seal(message, signer: f.gemeente.0, key: f.gemeente.1, recipients: [f.swv.0])
        #expect(throws: BundleError.unexpectedSigner(expected: "schoolbestuur-test", found: "gemeente-test")) {
            try SealedBundle.open(fromGemeente, recipient: f.swv.0, key: f.swv.1, trust: f.trust, expectedSigner: f.school.0)
        }
    }

    @Test("Truncated bundles are refused, at every length")
    func truncated() throws {
        let bundle = try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.swv.0])
        for length in stride(from: 0, to: bundle.count, by: max(1, bundle.count / 97)) {
            #expect(throws: BundleError.self) {
                try SealedBundle.open(Array(bundle.prefix(length)), recipient: f.swv.0, key: f.swv.1, trust: f.trust)
            }
        }
    }

    @Test("A flipped bit anywhere is refused: never the plaintext")
    func bitFlipped() throws {
        let bundle = try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.swv.0])
        for index in stride(from: 0, to: bundle.count, by: 3) {
            var altered = bundle
            altered[index] ^= 0x01 << UInt8(index % 8)
            do {
                let opened = try SealedBundle.open(altered, recipient: f.swv.0, key: f.swv.1, trust: f.trust)
                // A flip in an unused bit of the outer encoding could leave the meaning intact;
                // then what comes out must be the original, signed content — never something else.
                #expect(opened.plaintext.bytes == message, "byte \(index)")
            } catch {
                // Refused (typed throws: always a `BundleError`), not a crash: what this loop proves.
            }
        }
    }

    @Test("A flipped bit in the ciphertext fails the GCM tag")
    func ciphertextFlipFailsTag() throws {
        let bundle = try SealedBundle.seal(Array(repeating: 0x41, count: 4096), signer: f.school.0, key: f.school.1, recipients: [f.swv.0])
        var altered = bundle
        altered[bundle.count - 200] ^= 0x80  // inside the encrypted content, before the tag
        #expect(throws: BundleError.decryptionFailed) {
            try SealedBundle.open(altered, recipient: f.swv.0, key: f.swv.1, trust: f.trust)
        }
    }

    @Test("An oversize bundle is refused before parsing")
    func oversize() throws {
        let big = [UInt8](repeating: 0x30, count: 2048)
        #expect(throws: BundleError.tooLarge(size: 2048, limit: 1024)) {
            try SealedBundle.open(big, recipient: f.swv.0, key: f.swv.1, trust: f.trust, maxSize: 1024)
        }
    }

    @Test("Garbage is malformed, not a crash", arguments: [[UInt8](), [0x30], [0x30, 0x80], Array("hello".utf8), [UInt8](repeating: 0xFF, count: 64)])
    func garbage(bytes: [UInt8]) {
        #expect(throws: BundleError.self) { try SealedBundle.open(bytes, recipient: f.swv.0, key: f.swv.1, trust: f.trust) }
        #expect(throws: BundleError.self) { try SealedBundle.inspect(bytes) }
    }
}
