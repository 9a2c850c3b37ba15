import Foundation
import FuzzDriver
import SluisCrypto

/// The party a bundle is opened as: `SLUIS_FUZZ_KEYS` (a key directory from `sluis keys init`)
/// and `SLUIS_FUZZ_PARTY`, so that a seed sealed to that party by `sluis bundle seal` reaches
/// the decryption and the signature check; without them a throwaway CA and party made here (the
/// parser and the recipient match are then all that a foreign bundle reaches).
struct Recipient {
    let certificate: Certificate
    let key: PrivateKey
    let trust: TrustStore

    static let shared: Recipient = {
        let environment = ProcessInfo.processInfo.environment
        do {
            if let directory = environment["SLUIS_FUZZ_KEYS"], let party = environment["SLUIS_FUZZ_PARTY"] {
                let keys = KeyDirectory(directory)
                let credentials = try keys.credentials(party: party)
                return Recipient(certificate: credentials.certificate, key: credentials.key,
                                 trust: try TrustStore(anchors: [keys.loadCACertificate()]))
            }
            let ca = try CertificateAuthority.create(subject: .init(organisation: "Sluis fuzz", commonName: "Sluis fuzz CA"))
            let key = try PrivateKey.generateP256()
            let certificate = try ca.issue(subject: .init(organisation: "Sluis fuzz", commonName: "fuzz-recipient"), for: key)
            return Recipient(certificate: certificate, key: key, trust: try TrustStore(anchors: [ca.certificate]))
        } catch {
            fatalError("fuzz: no recipient (\(error))")
        }
    }()
}

/// Each input as a bundle: inspected without a key (the DER walk of `BundleInspection`, then
/// the allow-list), and opened as the recipient. Any outcome but a crash, a leak or a hang is
/// fine: a thrown `BundleError` is the refusal the parser owes bad input.
func testOneBundle(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    if let inspection = try? SealedBundle.inspect(bytes) {
        _ = try? inspection.checkAcceptable()
        _ = inspection.resolvingCurves([Recipient.shared.certificate])
    }
    let recipient = Recipient.shared
    _ = try? SealedBundle.open(bytes, recipient: recipient.certificate, key: recipient.key, trust: recipient.trust)
    return 0
}

@_cdecl("FuzzBundle_main")
func fuzzBundleMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = Recipient.shared
    return runFuzzer(argc, argv, testOneBundle)
}
