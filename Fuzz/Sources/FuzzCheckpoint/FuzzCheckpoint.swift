import Foundation
import FuzzDriver
import SluisRegister

/// The register's verifier key the seed checkpoints are signed under (public; `Fuzz/corpus/
/// checkpoint.vkey`, or `SLUIS_FUZZ_VERIFIER`), so that mutants reach the signature check.
let verifier: CheckpointSigner.Verifier = {
    let path = ProcessInfo.processInfo.environment["SLUIS_FUZZ_VERIFIER"] ?? "Fuzz/corpus/checkpoint.vkey"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8), let verifier = CheckpointSigner.Verifier(text: text) else {
        fatalError("fuzz: no verifier key at \(path)")
    }
    return verifier
}()

/// Each input as a signed checkpoint (C2SP signed-note, tlog-checkpoint): parsed, verified, and
/// its first line read as a verifier key. A checkpoint that verifies must parse to the same
/// tree head — anything else is a finding.
func testOneCheckpoint(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    let parsed = try? Checkpoint.parse(text)
    if let verified = try? Checkpoint.verify(text, verifier: verifier) {
        guard verified == parsed else { fatalError("fuzz: a verified checkpoint parses differently") }
    }
    if let note = try? SignedNote.parse(text) { _ = try? note.verify(verifier) }
    _ = CheckpointSigner.Verifier(text: String(text.prefix { $0 != "\n" }))
    return 0
}

@_cdecl("FuzzCheckpoint_main")
func fuzzCheckpointMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = verifier
    return runFuzzer(argc, argv, testOneCheckpoint)
}
