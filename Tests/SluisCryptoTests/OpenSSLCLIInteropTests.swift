import Foundation
import Testing
@testable import SluisCrypto

/// Art. 10.2 with parties' own tools: a Sluis bundle opens with the stock `openssl cms`, and
/// Sluis opens what the stock CLI made.
@Suite("Interoperability with the openssl command")
struct OpenSSLCLIInteropTests {
    let f = CryptoFixtures.shared
    let message = Array("Notulen thuiszitterstafel (testgegevens)\nregel 2\r\n\u{0}\u{1}\u{2}".utf8)

    struct Run {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// Runs `openssl` with `arguments` in `directory`.
    static func openssl(_ arguments: [String], in directory: URL, stdin: Data? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: stdout, stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Writes the fixtures' CA, certificates and keys as PEM files for the CLI.
    func writeFixtures(to directory: URL) throws {
        try f.ca.certificate.pem().write(to: directory.appendingPathComponent("ca.crt"), atomically: true, encoding: .utf8)
        for (name, pair) in [("school", f.school), ("swv", f.swv), ("rsa", f.rsaParty), ("p384", f.p384Party), ("k1", f.k1Party)] {
            try pair.0.pem().write(to: directory.appendingPathComponent("\(name).crt"), atomically: true, encoding: .utf8)
            try pair.1.pem().withUnsafeBytes { try Data($0).write(to: directory.appendingPathComponent("\(name).key")) }
        }
    }

    /// Writes the fixtures and signs the message with `openssl cms -sign` as the school into
    /// `signed.der`: the first half of the CLI's two-step bundle.
    func signWithCLI(in directory: URL) throws {
        try writeFixtures(to: directory)
        try Data(message).write(to: directory.appendingPathComponent("plain.bin"))
        let signed = try Self.openssl(["cms", "-sign", "-binary", "-nodetach", "-in", "plain.bin", "-signer", "school.crt",
                                       "-inkey", "school.key", "-outform", "DER", "-out", "signed.der"], in: directory)
        #expect(signed.status == 0, "sign: \(signed.stderr)")
    }

    @Test("Sluis → openssl: `openssl cms -decrypt` then `openssl cms -verify` recover the content, for EC and RSA recipients",
          arguments: SealedBundle.Format.allCases)
    func sluisBundleOpensWithTheCLI(format: SealedBundle.Format) throws {
        try CryptoFixtures.withTemporaryDirectory { directory in
            try writeFixtures(to: directory)
            let bundle = try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.swv.0, f.rsaParty.0], format: format)
            try Data(bundle).write(to: directory.appendingPathComponent("bundle.p7m"))
            let inform = format == .der ? "DER" : "SMIME"
            for recipient in ["swv", "rsa"] {
                let decrypted = try Self.openssl(["cms", "-decrypt", "-binary", "-inform", inform, "-in", "bundle.p7m",
                                                  "-recip", "\(recipient).crt", "-inkey", "\(recipient).key"], in: directory)
                #expect(decrypted.status == 0, "decrypt: \(decrypted.stderr)")
                let verified = try Self.openssl(["cms", "-verify", "-binary", "-inform", "DER", "-CAfile", "ca.crt"],
                                                in: directory, stdin: decrypted.stdout)
                #expect(verified.status == 0, "verify: \(verified.stderr)")
                #expect(Array(verified.stdout) == message)
            }
        }
    }

    @Test("openssl → Sluis: a file from `openssl cms -sign` then `openssl cms -encrypt -aes-256-gcm` opens in Sluis")
    func cliBundleOpensInSluis() throws {
        try CryptoFixtures.withTemporaryDirectory { directory in
            try signWithCLI(in: directory)
            let encrypted = try Self.openssl(["cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "signed.der",
                                              "-recip", "swv.crt", "-keyopt", "ecdh_kdf_md:sha256",
                                              "-recip", "rsa.crt", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256",
                                              "-keyopt", "rsa_mgf1_md:sha256",
                                              "-outform", "DER", "-out", "bundle.p7m"], in: directory)
            #expect(encrypted.status == 0, "encrypt: \(encrypted.stderr)")
            let bundle = Array(try Data(contentsOf: directory.appendingPathComponent("bundle.p7m")))
            for (cert, key) in [f.swv, f.rsaParty] {
                let opened = try SealedBundle.open(bundle, recipient: cert, key: key, trust: f.trust, expectedSigner: f.school.0)
                #expect(opened.plaintext.bytes == message)
            }
        }
    }

    @Test("openssl's weak defaults (SHA-1 KDF, RSA PKCS#1 v1.5) are refused with a clear error, before any key is used")
    func cliDefaultsAreRefused() throws {
        try CryptoFixtures.withTemporaryDirectory { directory in
            try signWithCLI(in: directory)
            for (recipient, pair) in [("swv", f.swv), ("rsa", f.rsaParty)] {
                let encrypted = try Self.openssl(["cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "signed.der",
                                                  "-recip", "\(recipient).crt", "-outform", "DER", "-out", "weak.p7m"], in: directory)
                #expect(encrypted.status == 0)
                let bundle = Array(try Data(contentsOf: directory.appendingPathComponent("weak.p7m")))
                #expect {
                    try SealedBundle.open(bundle, recipient: pair.0, key: pair.1, trust: f.trust)
                } throws: { error in
                    guard case .weakAlgorithm(let what) = error as? BundleError else { return false }
                    return what.contains("SHA-1") || what.contains("PKCS#1 v1.5")
                }
            }
        }
    }

    @Test("An inner signature with an MD5 or SHA-1 digest is refused, naming the digest (RFC 6151 §2, RFC 8551 §2.1)",
          arguments: [("sha1", "SHA-1", "school"), ("md5", "MD5", "rsa")])  // OpenSSL signs MD5 only with RSA
    func weakSignatureDigestIsRefused(digest: String, name: String, signer: String) throws {
        try CryptoFixtures.withTemporaryDirectory { directory in
            try writeFixtures(to: directory)
            try Data(message).write(to: directory.appendingPathComponent("plain.bin"))
            let signed = try Self.openssl(["cms", "-sign", "-binary", "-nodetach", "-md", digest, "-in", "plain.bin",
                                           "-signer", "\(signer).crt", "-inkey", "\(signer).key", "-outform", "DER", "-out", "signed.der"],
                                          in: directory)
            #expect(signed.status == 0, "sign: \(signed.stderr)")
            let encrypted = try Self.openssl(["cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "signed.der", "-recip", "swv.crt",
                                              "-keyopt", "ecdh_kdf_md:sha256", "-outform", "DER", "-out", "weak.p7m"], in: directory)
            #expect(encrypted.status == 0, "encrypt: \(encrypted.stderr)")
            let bundle = Array(try Data(contentsOf: directory.appendingPathComponent("weak.p7m")))
            #expect {
                try SealedBundle.open(bundle, recipient: f.swv.0, key: f.swv.1, trust: f.trust)
            } throws: { error in
                guard case .weakAlgorithm(let what) = error as? BundleError else { return false }
                return what.contains("signature digest \(name)") && what.contains("RFC 8551 §2.1")
            }
        }
    }

    @Test("The check sealing applies to its own signature passes SHA-256 and names SHA-1 (the same check as opening)")
    func sealingSideSignatureCheck() throws {
        try CryptoFixtures.withTemporaryDirectory { directory in
            try signWithCLI(in: directory)
            let good = Array(try Data(contentsOf: directory.appendingPathComponent("signed.der")))
            #expect(SealedBundle.signerFindings(der: good) == [])
            let weak = try Self.openssl(["cms", "-sign", "-binary", "-nodetach", "-md", "sha1", "-in", "plain.bin", "-signer", "school.crt",
                                         "-inkey", "school.key", "-outform", "DER", "-out", "weak.der"], in: directory)
            #expect(weak.status == 0)
            let findings = SealedBundle.signerFindings(der: Array(try Data(contentsOf: directory.appendingPathComponent("weak.der")))) ?? []
            #expect(findings.contains { $0.hasPrefix("signature digest SHA-1") })
            #expect(findings.contains { $0.hasPrefix("signature algorithm ecdsa-with-SHA1") })
        }
    }

    @Test("inspect names every algorithm outside the allow-list, with its rule: openssl's SHA-1 KDF and PKCS#1 v1.5")
    func inspectNamesAlgorithmsOutsideTheAllowList() throws {
        try CryptoFixtures.withTemporaryDirectory { directory in
            try signWithCLI(in: directory)
            let encrypted = try Self.openssl(["cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "signed.der",
                                              "-recip", "swv.crt", "-recip", "rsa.crt", "-outform", "DER", "-out", "weak.p7m"], in: directory)
            #expect(encrypted.status == 0)
            let inspection = try SealedBundle.inspect(Array(try Data(contentsOf: directory.appendingPathComponent("weak.p7m"))))
            let findings = inspection.outsideAllowList
            #expect(findings.contains { $0.contains("ECDH X9.63 KDF with SHA-1") && $0.contains("RFC") })
            #expect(findings.contains { $0.contains("RSA PKCS#1 v1.5") && $0.contains("RFC") })
        }
    }

    @Test("Unauthenticated EnvelopedData (AES-CBC) and a bare SignedData are refused")
    func otherCMSTypesAreRefused() throws {
        try CryptoFixtures.withTemporaryDirectory { directory in
            try signWithCLI(in: directory)
            _ = try Self.openssl(["cms", "-encrypt", "-binary", "-aes-256-cbc", "-in", "signed.der", "-recip", "swv.crt",
                                  "-keyopt", "ecdh_kdf_md:sha256", "-outform", "DER", "-out", "cbc.p7m"], in: directory)
            let cbc = Array(try Data(contentsOf: directory.appendingPathComponent("cbc.p7m")))
            #expect(throws: BundleError.notAuthEnveloped(found: "envelopedData")) {
                try SealedBundle.open(cbc, recipient: f.swv.0, key: f.swv.1, trust: f.trust)
            }
            let bare = Array(try Data(contentsOf: directory.appendingPathComponent("signed.der")))
            #expect(throws: BundleError.notAuthEnveloped(found: "signedData")) {
                try SealedBundle.open(bare, recipient: f.swv.0, key: f.swv.1, trust: f.trust)
            }
        }
    }

    @Test("Unsigned: an AuthEnvelopedData around plain data is refused as unsigned, no plaintext")
    func unsignedIsRefused() throws {
        try CryptoFixtures.withTemporaryDirectory { directory in
            try writeFixtures(to: directory)
            try Data(message).write(to: directory.appendingPathComponent("plain.bin"))
            _ = try Self.openssl(["cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "plain.bin", "-recip", "swv.crt",
                                  "-keyopt", "ecdh_kdf_md:sha256", "-outform", "DER", "-out", "unsigned.p7m"], in: directory)
            let bundle = Array(try Data(contentsOf: directory.appendingPathComponent("unsigned.p7m")))
            #expect(throws: BundleError.unsigned) {
                try SealedBundle.open(bundle, recipient: f.swv.0, key: f.swv.1, trust: f.trust)
            }
        }
    }
}
