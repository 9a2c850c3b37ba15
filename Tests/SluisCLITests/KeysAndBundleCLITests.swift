import Foundation
import Testing

/// `sluis keys` and `sluis bundle` end to end, in a throwaway key directory.
@Suite("sluis keys and bundle")
struct KeysAndBundleCLITests {
    static func withKeys<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    static func sluis(_ arguments: [String], keys: URL, stdin: String? = nil) throws -> CLITests.Result {
        try CLITests.run(arguments, stdin: stdin, environment: ["SLUIS_KEYS": keys.path])
    }

    /// Writes a one-byte file `name` in `keys` and runs the shell `script` with F (that file),
    /// B (the bundle to make: F.p7m) and K (the key directory); returns B.
    static func bundleFromOpenSSL(_ keys: URL, _ name: String, _ script: String) throws -> String {
        let file = keys.appendingPathComponent(name)
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let bundle = file.path + ".p7m"
        let (status, _) = try CLITests.tool(["sh", "-c", script], environment: ["F": file.path, "B": bundle, "K": keys.path])
        #expect(status == 0, "openssl: \(script)")
        return bundle
    }

    /// The stock `openssl cms` pipeline opening `bundle` as `party`: decrypt, then verify against the CA.
    static func openWithOpenSSL(_ bundle: String, as party: String, keys: URL) throws -> (status: Int32, output: String) {
        try CLITests.tool(["sh", "-c", "openssl cms -decrypt -binary -inform DER -in \"$B\" -recip \"$K/parties/$P.crt\" "
                           + "-inkey \"$K/parties/$P.key\" | openssl cms -verify -binary -inform DER -CAfile \"$K/ca/covenant-ca.crt\""],
                          environment: ["B": bundle, "K": keys.path, "P": party])
    }

    static func mode(_ url: URL) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as! Int
    }

    @Test("keys init: a CA and a P-256 key per party, private keys 0600; idempotent; keys list shows them")
    func keysInit() throws {
        try Self.withKeys { keys in
            let first = try Self.sluis(["keys", "init"], keys: keys)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("partijen: 15 nieuw"))
            for party in ["swv-go", "gemeente-goeree-overflakkee", "cjg-rijnmond", "horizon"] {
                #expect(try Self.mode(keys.appendingPathComponent("parties/\(party).key")) == 0o600)
                #expect(FileManager.default.fileExists(atPath: keys.appendingPathComponent("parties/\(party).crt").path))
            }
            #expect(try Self.mode(keys.appendingPathComponent("ca/covenant-ca.key")) == 0o600)
            #expect(try Self.mode(keys.appendingPathComponent("pseudonym/v1.key")) == 0o600)
            let again = try Self.sluis(["keys", "init"], keys: keys)
            #expect(again.stdout.contains("partijen: 0 nieuw, 15 bestonden al"))
            let list = try Self.sluis(["keys", "list"], keys: keys)
            #expect(list.status == 0)
            #expect(list.stdout.contains("| swv-go | CN=swv-go,OU=swv,"))
            #expect(list.stdout.contains("EC P-256"))
            #expect(list.stdout.range(of: #"\| [0-9a-f]{64} \| 20\d\d-\d\d-\d\d \|"#, options: .regularExpression) != nil)
            #expect(list.stdout.contains("pseudoniemsleutels: v1"))
        }
    }

    @Test("keys issue: only for a party of the policy set (art. 18); --force replaces")
    func keysIssue() throws {
        try Self.withKeys { keys in
            _ = try Self.sluis(["keys", "init"], keys: keys)
            let unknown = try Self.sluis(["keys", "issue", "jeugdhulp-onbekend"], keys: keys)
            #expect(unknown.status == 1 && unknown.stderr.contains("art. 18"))
            let existing = try Self.sluis(["keys", "issue", "swv-go"], keys: keys)
            #expect(existing.status == 1 && existing.stderr.contains("--force"))
            let before = try String(contentsOf: keys.appendingPathComponent("parties/swv-go.crt"), encoding: .utf8)
            let forced = try Self.sluis(["keys", "issue", "swv-go", "--force"], keys: keys)
            #expect(forced.status == 0)
            #expect(try String(contentsOf: keys.appendingPathComponent("parties/swv-go.crt"), encoding: .utf8) != before)
            #expect(try Self.mode(keys.appendingPathComponent("parties/swv-go.key")) == 0o600)
        }
    }

    @Test("A private key that others can read is refused")
    func worldReadableKeyIsRefused() throws {
        try Self.withKeys { keys in
            _ = try Self.sluis(["keys", "init"], keys: keys)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keys.appendingPathComponent("parties/swv-go.key").path)
            let file = keys.appendingPathComponent("note.txt")
            try "x".write(to: file, atomically: true, encoding: .utf8)
            _ = try Self.sluis(["bundle", "seal", "--from", "sovogo", "--to", "swv-go", file.path], keys: keys)
            let opened = try Self.sluis(["bundle", "open", "--as", "swv-go", file.path + ".p7m"], keys: keys)
            #expect(opened.status == 1)
            #expect(opened.stderr.contains("readable by others"))
        }
    }

    @Test("bundle seal → inspect → open, and the stock openssl command opens the same file")
    func sealInspectOpen() throws {
        try Self.withKeys { keys in
            _ = try Self.sluis(["keys", "init"], keys: keys)
            let file = keys.appendingPathComponent("agenda.txt")
            let content = "Agenda thuiszitterstafel (testgegevens)\n"
            try content.write(to: file, atomically: true, encoding: .utf8)
            let sealed = try Self.sluis(["bundle", "seal", "--from", "swv-go", "--to", "cjg-rijnmond", "gemeente-goeree-overflakkee", file.path], keys: keys)
            #expect(sealed.status == 0, "\(sealed.stderr)")
            let bundle = file.path + ".p7m"
            let inspected = try Self.sluis(["bundle", "inspect", bundle], keys: keys)
            #expect(inspected.status == 0)
            #expect(inspected.stdout.contains("aes-256-gcm") && inspected.stdout.contains("tag 16 bytes"))
            #expect(inspected.stdout.contains("- cjg-rijnmond:") && inspected.stdout.contains("- gemeente-goeree-overflakkee:"))
            #expect(!inspected.stdout.contains("testgegevens"))
            // RFC 5083 §2.1: id-data inside, so no authAttrs are required; nothing outside the allow-list.
            #expect(inspected.stdout.contains("inhoudstype binnen: data"))
            #expect(!inspected.stdout.contains("buiten de toegestane lijst") && !inspected.stdout.contains("afwijking"))
            #expect(inspected.stdout.contains("oordeel: voldoet"))
            let opened = try Self.sluis(["bundle", "open", "--as", "cjg-rijnmond", "--from", "swv-go", bundle], keys: keys)
            #expect(opened.status == 0)
            #expect(opened.stdout == content)
            #expect(opened.stderr.contains("ondertekend door swv-go"))

            let (status, text) = try Self.openWithOpenSSL(bundle, as: "cjg-rijnmond", keys: keys)
            #expect(status == 0)
            #expect(text == content)
        }
    }

    @Test("bundle inspect names every algorithm outside the allow-list of a bundle from openssl's defaults")
    func inspectNamesWeakAlgorithms() throws {
        try Self.withKeys { keys in
            _ = try Self.sluis(["keys", "init"], keys: keys)
            let bundle = try Self.bundleFromOpenSSL(keys, "weak.txt", "openssl cms -sign -binary -nodetach -md sha1 -in \"$F\" "
                + "-signer \"$K/parties/swv-go.crt\" -inkey \"$K/parties/swv-go.key\" -outform DER | openssl cms -encrypt -binary -aes-256-gcm "
                + "-recip \"$K/parties/cjg-rijnmond.crt\" -outform DER -out \"$B\"")
            let inspected = try Self.sluis(["bundle", "inspect", bundle], keys: keys)
            #expect(inspected.status == 0)
            #expect(inspected.stdout.contains("buiten de toegestane lijst: key agreement (ECDH + KDF) ECDH X9.63 KDF with SHA-1"))
            #expect(inspected.stdout.contains("RFC 8551 §2.1"))
            let opened = try Self.sluis(["bundle", "open", "--as", "cjg-rijnmond", bundle], keys: keys)
            #expect(opened.status == 4 && opened.stderr.contains("SHA-1"), "\(opened.stderr)")
        }
    }

    @Test("RFC 5480 §2.1.1.1: bundle inspect names a recipient's curve outside the allow-list (secp256k1, from Keys/); open and seal refuse it")
    func inspectNamesTheKeyAgreementCurve() throws {
        try Self.withKeys { keys in
            _ = try Self.sluis(["keys", "init"], keys: keys)
            // horizon re-issued by the covenant CA with a secp256k1 key, by the stock openssl command.
            let bundle = try Self.bundleFromOpenSSL(keys, "k1.txt", """
                set -e; rm "$K/parties/horizon.key"; openssl ecparam -name secp256k1 -genkey -noout -out "$K/parties/horizon.key"
                chmod 600 "$K/parties/horizon.key"
                openssl req -new -key "$K/parties/horizon.key" -subj /OU=school/CN=horizon -out "$K/horizon.csr"
                openssl x509 -req -in "$K/horizon.csr" -CA "$K/ca/covenant-ca.crt" -CAkey "$K/ca/covenant-ca.key" -days 2 -out "$K/parties/horizon.crt"
                openssl cms -sign -binary -nodetach -in "$F" -signer "$K/parties/swv-go.crt" -inkey "$K/parties/swv-go.key" -outform DER \\
                  | openssl cms -encrypt -binary -aes-256-gcm -recip "$K/parties/horizon.crt" -keyopt ecdh_kdf_md:sha256 -outform DER -out "$B"
                """)
            let inspected = try Self.sluis(["bundle", "inspect", bundle], keys: keys)
            #expect(inspected.stdout.contains("  - horizon: key agreement (ECDH); ECDH X9.63 KDF with SHA-256, aes-256-wrap; curve secp256k1; "
                                              + "tijdelijke sleutel: EC point of 65 bytes, curve not named"), "\(inspected.stdout)")
            #expect(inspected.stdout.contains("buiten de toegestane lijst: key agreement curve secp256k1 is not accepted"))
            let opened = try Self.sluis(["bundle", "open", "--as", "horizon", bundle], keys: keys)
            #expect(opened.status == 4 && opened.stderr.contains("key agreement curve secp256k1") && opened.stdout.isEmpty, "\(opened.stderr)")
            let sealed = try Self.sluis(["bundle", "seal", "--from", "swv-go", "--to", "horizon", "--out", bundle + ".sluis", bundle], keys: keys)
            #expect(sealed.status != 0 && sealed.stderr.contains("key agreement curve secp256k1"), "\(sealed.stderr)")
        }
    }

    @Test("bundle open refuses the wrong recipient, a wrong sender and an altered file with exit 4 and no content")
    func refusals() throws {
        try Self.withKeys { keys in
            _ = try Self.sluis(["keys", "init"], keys: keys)
            let file = keys.appendingPathComponent("notulen.txt")
            try "GEHEIM-TESTWOORD".write(to: file, atomically: true, encoding: .utf8)
            _ = try Self.sluis(["bundle", "seal", "--from", "swv-go", "--to", "cjg-rijnmond", "--smime", file.path], keys: keys)
            let bundle = file.path + ".p7m"
            let wrongRecipient = try Self.sluis(["bundle", "open", "--as", "horizon", bundle], keys: keys)
            let wrongSender = try Self.sluis(["bundle", "open", "--as", "cjg-rijnmond", "--from", "sovogo", bundle], keys: keys)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: bundle))
            let index = bytes.count - 60
            bytes[index] = bytes[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            try bytes.write(to: URL(fileURLWithPath: bundle))
            let altered = try Self.sluis(["bundle", "open", "--as", "cjg-rijnmond", bundle], keys: keys)
            for result in [wrongRecipient, wrongSender, altered] {
                #expect(result.status == 4, "\(result.stderr)")
                #expect(!result.stdout.contains("GEHEIM") && !result.stderr.contains("GEHEIM"))
                #expect(result.stderr.hasPrefix("sluis: bundle refused"))
            }
        }
    }
}
