import Foundation
import Testing
@testable import SluisCrypto

/// Art. 10.2 (multi-factor), art. 14.3 and protocol 5.4 (pseudonyms), passwords.
@Suite("Pseudonyms, TOTP and passwords")
struct SecondFactorAndPseudonymTests {
    static func key(_ version: Int, fill: UInt8) -> Pseudonymizer.Key {
        .init(version: version, secret: SecureBytes([UInt8](repeating: fill, count: 32)))
    }

    @Test("Art. 14.3: the same pupil has unlinkable pseudonyms at different recipients, stable at one")
    func pseudonymsDifferPerRecipient() throws {
        let pseudonymizer = try Pseudonymizer(keys: [Self.key(1, fill: 7)])
        let atSwv = try pseudonymizer.pseudonym(of: "pupil-0001", for: "swv-go")
        let atGemeente = try pseudonymizer.pseudonym(of: "pupil-0001", for: "gemeente-goeree-overflakkee")
        #expect(atSwv != atGemeente)
        #expect(atSwv == (try pseudonymizer.pseudonym(of: "pupil-0001", for: "swv-go")))
        #expect(atSwv.hasPrefix("ps1-") && atSwv.count == 4 + 32)
        #expect(try pseudonymizer.pseudonym(of: "pupil-0002", for: "swv-go") != atSwv)
    }

    @Test("The pseudonym is HMAC-SHA-256 over the domain tag, recipient and pupil key, as documented")
    func pseudonymMatchesDocumentedConstruction() throws {
        // Cross-checked with the openssl command: printf 'sluis/pseudonym/v1\0swv-go\0pupil-0001' |
        //   openssl dgst -sha256 -mac HMAC -macopt hexkey:0707…07 (32 bytes), first 20 bytes in base32.
        let pseudonymizer = try Pseudonymizer(keys: [Self.key(1, fill: 7)])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:" + String(repeating: "07", count: 32), "-binary"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data("sluis/pseudonym/v1\u{0}swv-go\u{0}pupil-0001".utf8))
        try input.fileHandleForWriting.close()
        let digest = Array(output.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        #expect(try pseudonymizer.pseudonym(of: "pupil-0001", for: "swv-go") == "ps1-" + Base32.encode(digest.prefix(20)))
    }

    @Test("Key rotation: a new version gives new pseudonyms; old ones are still computable by version")
    func rotation() throws {
        let pseudonymizer = try Pseudonymizer(keys: [Self.key(1, fill: 7), Self.key(2, fill: 9)])
        let current = try pseudonymizer.pseudonym(of: "pupil-0001", for: "swv-go")
        let old = try pseudonymizer.pseudonym(of: "pupil-0001", for: "swv-go", version: 1)
        #expect(current.hasPrefix("ps2-") && old.hasPrefix("ps1-") && current.dropFirst(4) != old.dropFirst(4))
        #expect(Pseudonymizer.version(of: current) == 2)
        #expect(throws: KeyError.missing("pseudonym key v3")) { try pseudonymizer.pseudonym(of: "x", for: "y", version: 3) }
    }

    struct Vector: Sendable, CustomTestStringConvertible {
        let time: Int64
        let algorithm: TOTP.Algorithm
        let code: String
        var testDescription: String { "\(time) \(algorithm.rawValue)" }
    }

    /// RFC 6238 Appendix B.
    static let vectors: [Vector] = [
        (59, "94287082", "46119246", "90693936"), (1111111109, "07081804", "68084774", "25091201"),
        (1111111111, "14050471", "67062674", "99943326"), (1234567890, "89005924", "91819424", "93441116"),
        (2000000000, "69279037", "90698825", "38618901"), (20000000000, "65353130", "77737706", "47863826"),
    ].flatMap { row in
        [Vector(time: row.0, algorithm: .sha1, code: row.1), Vector(time: row.0, algorithm: .sha256, code: row.2),
         Vector(time: row.0, algorithm: .sha512, code: row.3)]
    }

    static func rfcSecret(_ algorithm: TOTP.Algorithm) -> SecureBytes {
        let seed = Array("1234567890".utf8)
        let length = algorithm == .sha1 ? 20 : algorithm == .sha256 ? 32 : 64
        return SecureBytes((0..<length).map { seed[$0 % 10] })
    }

    @Test("RFC 6238 test vectors", arguments: vectors)
    func rfc6238(vector: Vector) throws {
        let totp = TOTP(secret: Self.rfcSecret(vector.algorithm), algorithm: vector.algorithm, digits: 8)
        #expect(try totp.code(at: vector.time) == vector.code)
    }

    @Test("Art. 10.2: a TOTP code is accepted once (replay guard), within one step of drift, and not otherwise")
    func totpReplayAndWindow() throws {
        let totp = TOTP(secret: try TOTP.generateSecret())
        let now: Int64 = 1_800_000_000
        let code = try totp.code(at: now)
        let step = try #require(try totp.verify(code, at: now, lastAcceptedStep: nil))
        #expect(try totp.verify(code, at: now, lastAcceptedStep: step) == nil, "the same code twice")
        #expect(try totp.verify(code, at: now + 30, lastAcceptedStep: nil) != nil, "one step of drift")
        #expect(try totp.verify(code, at: now + 90, lastAcceptedStep: nil) == nil, "three steps later")
        #expect(try totp.verify("12345", at: now, lastAcceptedStep: nil) == nil)
        #expect(try totp.verify("abcdef", at: now, lastAcceptedStep: nil) == nil)
        let earlier = try totp.code(at: now - 30)
        #expect(try totp.verify(earlier, at: now, lastAcceptedStep: step) == nil, "an older code after a newer one")
    }

    @Test("The provisioning URI carries the secret in base32")
    func provisioningURI() throws {
        let totp = TOTP(secret: SecureBytes(Array("12345678901234567890".utf8)))
        #expect(totp.provisioningURI(issuer: "Sluis", account: "zorg coordinator")
            == "otpauth://totp/Sluis:zorg%20coordinator?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Sluis&algorithm=SHA1&digits=6&period=30")
    }

    @Test("scrypt password hashes verify the right password only, and carry their parameters")
    func passwords() throws {
        let hasher = PasswordHasher(logN: 12, r: 8, p: 1)
        let stored = try hasher.hash(SecureBytes(Array("correct horse".utf8)))
        #expect(stored.hasPrefix("$scrypt$ln=12,r=8,p=1$"))
        #expect(try PasswordHasher.verify(SecureBytes(Array("correct horse".utf8)), against: stored))
        #expect(try !PasswordHasher.verify(SecureBytes(Array("correct horsf".utf8)), against: stored))
        #expect(try hasher.hash(SecureBytes(Array("correct horse".utf8))) != stored, "a fresh salt each time")
        for broken in ["", "$scrypt$", "$argon2id$v=19$m=1$aa$bb", stored.replacingOccurrences(of: "ln=12", with: "ln=30"),
                       String(stored.dropLast(4))] {
            #expect(try !PasswordHasher.verify(SecureBytes(Array("correct horse".utf8)), against: broken))
        }
    }

    @Test("The recommended scrypt parameters (N = 2^17, r = 8, p = 1) work on this machine")
    func recommendedParameters() throws {
        let stored = try PasswordHasher.recommended.hash(SecureBytes(Array("wachtwoord".utf8)))
        #expect(stored.hasPrefix("$scrypt$ln=17,r=8,p=1$"))
        #expect(try PasswordHasher.verify(SecureBytes(Array("wachtwoord".utf8)), against: stored))
    }

    @Test("Base32 and base64 round-trip")
    func encodings() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 5) }
            #expect(Base32.decode(Base32.encode(bytes)) == bytes)
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy" && Base64.encode(Array("fo".utf8)) == "Zm8")
        #expect(Base32.encode(Array("foobar".utf8)) == "mzxw6ytboi")
    }

    @Test("Pseudonym key files (art. 14.3): hex in and out of wiped memory, white space around it ignored, anything else refused")
    func pseudonymKeyHex() throws {
        let secret = SecureBytes((0..<32).map { UInt8($0 * 7) })
        let hex = secret.hexEncoded()
        #expect(String(decoding: hex.bytes, as: UTF8.self) == Hex.encode(secret.bytes))
        #expect(SecureBytes(Array(" \(Hex.encode(secret.bytes).uppercased())\n".utf8)).hexDecoded()?.bytes == secret.bytes)
        for bad in ["abc", "zz", "", "  \n", "0g"] {
            #expect(SecureBytes(Array(bad.utf8)).hexDecoded() == nil, "\(bad)")
        }
        try CryptoFixtures.withTemporaryDirectory { directory in
            let keys = KeyDirectory(directory.path)
            #expect(try keys.addPseudonymKey() == 1)
            #expect(try keys.addPseudonymKey() == 2)
            let read = try keys.pseudonymKeys()
            #expect(read.map(\.version) == [1, 2] && read.allSatisfy { $0.secret.count == 32 })
            try Data("0123".utf8).write(to: keys.pseudonymKeysURL.appendingPathComponent("v3.key"))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keys.pseudonymKeysURL.appendingPathComponent("v3.key").path)
            #expect(throws: KeyDirectory.Failure.self) { try keys.pseudonymKeys() }
        }
    }

    @Test("Constant-time comparison compares all bytes and lengths")
    func constantTime() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equal([], []))
    }
}

@Suite("AES-256-GCM")
struct AESGCMTests {
    /// NIST GCM test vector (gcmEncryptExtIV256, Count 0 with 128-bit plaintext).
    @Test("A NIST SP 800-38D test vector")
    func nistVector() throws {
        let key = SecureBytes(DERHex.bytes("31bdadd96698c204aa9ce1448ea94ae1fb4a9a0b3c9d773b51bb1822666b8f22"))
        let nonce = DERHex.bytes("0d18e06c7c725ac9e362e1ce")
        let plaintext = DERHex.bytes("2db5168e932556f8089a0622981d017d")
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        let tag = try plaintext.withUnsafeBytes { input in
            try ciphertext.withUnsafeMutableBytes { output in try AESGCM.seal(key: key, nonce: nonce, input: input, output: output) }
        }
        #expect(Hex.encode(ciphertext) == "fa4362189661d163fcd6a56d8bf0405a")
        #expect(Hex.encode(tag) == "d636ac1bbedd5cc3ee727dc2ab4a9489")
    }

    @Test("A changed byte fails the tag and the output is wiped")
    func tamperFails() throws {
        let key = try SecureBytes.random(count: 32)
        let nonce = try Random.bytes(12)
        let plaintext = Array("identiteit (testgegevens)".utf8)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        let tag = try plaintext.withUnsafeBytes { input in
            try ciphertext.withUnsafeMutableBytes { output in try AESGCM.seal(key: key, nonce: nonce, aad: [1], input: input, output: output) }
        }
        ciphertext[3] ^= 1
        var output = [UInt8](repeating: 0xAA, count: plaintext.count)
        #expect(throws: CryptoError.self) {
            try ciphertext.withUnsafeBytes { input in
                try output.withUnsafeMutableBytes { out in try AESGCM.open(key: key, nonce: nonce, aad: [1], tag: tag, input: input, output: out) }
            }
        }
        #expect(output.allSatisfy { $0 == 0 })
    }
}

enum DERHex {
    static func bytes(_ hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }
}
