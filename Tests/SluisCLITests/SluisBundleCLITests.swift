import Foundation
import Testing

/// `sluis-bundle`: the bundle commands in a small executable that starts like a C tool (issue 14
/// item 1; docs/performance.md). Its bundles must stay what `sluis bundle` and `openssl cms`
/// make and open (convenant art. 10.2: sealed per recipient, signed by the sender).
@Suite("sluis-bundle")
struct SluisBundleCLITests {
    static let binary = CLITests.binary.deletingLastPathComponent().appendingPathComponent("sluis-bundle")

    static func sluisBundle(_ arguments: [String], keys: URL) throws -> CLITests.Result {
        try CLITests.run(arguments, environment: ["SLUIS_KEYS": keys.path], executable: binary)
    }

    @Test("art. 10.2: sluis-bundle seals what sluis bundle and openssl cms open, and opens what openssl cms seals")
    func art10_2_sluisBundleInteroperates() throws {
        try KeysAndBundleCLITests.withKeys { keys in
            _ = try KeysAndBundleCLITests.sluis(["keys", "init"], keys: keys)
            let file = keys.appendingPathComponent("agenda.txt")
            let content = "Agenda thuiszitterstafel (testgegevens)\n"
            try content.write(to: file, atomically: true, encoding: .utf8)
            let sealed = try Self.sluisBundle(["seal", "--from", "swv-go", "--to", "cjg-rijnmond", "horizon", file.path], keys: keys)
            #expect(sealed.status == 0, "\(sealed.stderr)")
            let bundle = file.path + ".p7m"
            let opened = try KeysAndBundleCLITests.sluis(["bundle", "open", "--as", "horizon", "--from", "swv-go", bundle], keys: keys)
            #expect(opened.status == 0 && opened.stdout == content, "\(opened.stderr)")
            let (status, text) = try KeysAndBundleCLITests.openWithOpenSSL(bundle, as: "cjg-rijnmond", keys: keys)
            #expect(status == 0 && text == content)

            let fromOpenSSL = try KeysAndBundleCLITests.bundleFromOpenSSL(keys, "notulen.txt", "openssl cms -sign -binary -nodetach -in \"$F\" "
                + "-signer \"$K/parties/swv-go.crt\" -inkey \"$K/parties/swv-go.key\" -outform DER | openssl cms -encrypt -binary -aes-256-gcm "
                + "-recip \"$K/parties/cjg-rijnmond.crt\" -keyopt ecdh_kdf_md:sha256 -outform DER -out \"$B\"")
            let openedOpenSSL = try Self.sluisBundle(["open", "--as", "cjg-rijnmond", "--from", "swv-go", fromOpenSSL], keys: keys)
            #expect(openedOpenSSL.status == 0 && openedOpenSSL.stdout == "x", "\(openedOpenSSL.stderr)")
        }
    }

    @Test("art. 10.2: sluis-bundle refuses a bundle for another party with exit 4 and no content, as sluis bundle does")
    func art10_2_sluisBundleRefuses() throws {
        try KeysAndBundleCLITests.withKeys { keys in
            _ = try KeysAndBundleCLITests.sluis(["keys", "init"], keys: keys)
            let file = keys.appendingPathComponent("notulen.txt")
            try "GEHEIM-TESTWOORD".write(to: file, atomically: true, encoding: .utf8)
            _ = try Self.sluisBundle(["seal", "--from", "swv-go", "--to", "cjg-rijnmond", file.path], keys: keys)
            let refused = try Self.sluisBundle(["open", "--as", "horizon", file.path + ".p7m"], keys: keys)
            #expect(refused.status == 4)
            #expect(refused.stderr.hasPrefix("sluis: bundle refused"))
            #expect(!refused.stdout.contains("GEHEIM") && !refused.stderr.contains("GEHEIM"))
        }
    }

    @Test("issue 14: the modules in sluis-bundle import FoundationEssentials, not Foundation (CoreFoundation and ICU cost start-up)")
    func issue14_sluisBundleModulesAvoidFoundation() throws {
        let sources = CLITests.packageRoot.appendingPathComponent("Sources")
        var offenders: [String] = []
        for module in ["SluisCrypto", "SluisBundleCLI", "sluis-bundle"] {
            let directory = sources.appendingPathComponent(module)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".swift") {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                for line in text.split(separator: "\n") where line.range(of: #"^(public |internal |@_exported )?import Foundation$"#, options: .regularExpression) != nil {
                    offenders.append("\(module)/\(name): \(line)")
                }
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }

    @Test("issue 14: sluis-bundle loads no Swift runtime or Foundation library at start (linked in statically)")
    func issue14_sluisBundleNeedsNoSwiftSharedLibraries() throws {
        let (status, libraries) = try CLITests.tool(["ldd", Self.binary.path])
        #expect(status == 0)
        #expect(libraries.contains("libcrypto"), "\(libraries)")
        for library in ["libswiftCore", "libFoundation", "libicu", "lib_FoundationICU", "libNIO"] {
            #expect(!libraries.contains(library), "\(library) in: \(libraries)")
        }
    }
}
