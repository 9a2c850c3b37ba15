import Foundation
import Testing
@testable import SluisCrypto
@testable import SluisRegister

/// The strict signed-note and checkpoint parser, one test per finding of issue 9 item 2, each
/// named after the section of C2SP signed-note (https://c2sp.org/signed-note) or
/// tlog-checkpoint (https://c2sp.org/tlog-checkpoint) that it enforces.
@Suite("C2SP signed notes and checkpoints, strictly")
struct SignedNoteTests {
    static let signer = try! CheckpointSigner(name: Checkpoint.origin, key: PrivateKey.generateEd25519())
    static let checkpoint = Checkpoint(size: 40, root: [UInt8](repeating: 3, count: 32))
    static var signed: String { try! signer.sign(checkpoint) }

    /// Both the form-only parse and the verifying parse refuse `text`, and the message says why.
    func refused(_ text: String, _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for parse in [{ try Checkpoint.verify(text, verifier: Self.signer.verifier) }, { try Checkpoint.parse(text) }] {
            do {
                _ = try parse()
                Issue.record("accepted: \(text.debugDescription)", sourceLocation: sourceLocation)
            } catch {
                #expect("\(error)".contains(reason), "\(error)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("signed-note §Format: a note with an ASCII control character (below U+0020, other than newline) is refused")
    func controlCharacter() throws {
        #expect(try Checkpoint.verify(Self.signed, verifier: Self.signer.verifier) == Self.checkpoint)
        for control in ["\u{0}", "\u{7}", "\t", "\r", "\u{1B}"] {
            refused(Self.signed.replacingOccurrences(of: "register\n40", with: "register\(control)\n40"), "control character")
            refused(Self.signed.replacingOccurrences(of: "\n\n—", with: "\n\(control)\n—"), "control character")
        }
        refused(Self.signed.replacingOccurrences(of: "\n", with: "\r\n"), "control character")
    }

    @Test("signed-note §Format: the signature lines end the note — a junk line after them, or a missing final newline, is refused")
    func junkAfterSignatures() throws {
        refused(Self.signed + "junk\n", "malformed signature line")
        refused(Self.signed + "\n", "no signature line")
        refused(Self.signed + "\njunk\n", "malformed signature line")
        refused(String(Self.signed.dropLast()), "does not end in a newline")
        refused(Self.checkpoint.body + "\n", "no signature line")
        refused(Self.checkpoint.body, "no blank line")
    }

    @Test("signed-note §Signatures: a malformed signature line is refused — dash, spacing, key name, base64")
    func malformedSignatureLine() throws {
        let line = try #require(Self.signed.split(separator: "\n").last)
        let blob = String(line.split(separator: " ")[2])
        for bad in ["- \(Checkpoint.origin) \(blob)", "—\(Checkpoint.origin) \(blob)", "—  \(Checkpoint.origin) \(blob)",
                    "— \(Checkpoint.origin)  \(blob)", "— \(Checkpoint.origin) \(blob) extra", "— \(Checkpoint.origin)",
                    "— a+b \(blob)", "— \(Checkpoint.origin)\u{00A0}x \(blob)", "— \(Checkpoint.origin) \(blob.dropLast())",
                    "— \(Checkpoint.origin) \(blob.replacingOccurrences(of: "=", with: ""))",
                    "— \(Checkpoint.origin) AAAAAA==", "— \(Checkpoint.origin) !!!!"] {
            refused(Self.checkpoint.body + "\n" + bad + "\n", "malformed signature line")
        }
    }

    @Test("signed-note §Signatures: every signature by the known key must verify — a failing second one refuses the note; unknown keys are ignored")
    func failingKnownSignature() throws {
        let valid = Self.signed
        let line = try #require(valid.split(separator: "\n").last)
        var blob = try #require(Data(base64Encoded: String(line.split(separator: " ")[2])))
        blob[10] ^= 0x01
        let failing = "— \(Checkpoint.origin) \(blob.base64EncodedString())\n"
        for text in [valid + failing, Self.checkpoint.body + "\n" + failing + String(line) + "\n"] {
            #expect(try Checkpoint.parse(text) == Self.checkpoint, "well-formed: the form-only parse reads it")
            #expect(throws: Checkpoint.Failure(description: "the checkpoint's signature is not valid (forged or altered)")) {
                try Checkpoint.verify(text, verifier: Self.signer.verifier)
            }
        }
        // A known key ID with a signature of the wrong length fails too.
        let short = "— \(Checkpoint.origin) \(Data(Self.signer.verifier.keyID + [1, 2, 3]).base64EncodedString())\n"
        #expect(throws: Checkpoint.Failure.self) { try Checkpoint.verify(valid + short, verifier: Self.signer.verifier) }
        // Unknown keys — other name, or same name with another key ID, or a witness — are ignored.
        let witness = try CheckpointSigner(name: "witness.example/w1", key: PrivateKey.generateEd25519())
        let stranger = try CheckpointSigner(name: Checkpoint.origin, key: PrivateKey.generateEd25519())
        let cosigned = valid + (try witness.sign(Self.checkpoint)).split(separator: "\n").last! + "\n"
            + (try stranger.sign(Checkpoint(size: 1, root: Self.checkpoint.root))).split(separator: "\n").last! + "\n"
        #expect(try Checkpoint.verify(cosigned, verifier: Self.signer.verifier) == Self.checkpoint)
        // Only unknown keys: no signature by the known key, refused.
        #expect(throws: Checkpoint.Failure(description: "the checkpoint carries no signature by \(Checkpoint.origin)")) {
            try Checkpoint.verify(try witness.sign(Self.checkpoint), verifier: Self.signer.verifier)
        }
    }

    @Test("tlog-checkpoint §Note text: a checkpoint whose origin line names another log is refused, signed or not")
    func otherOrigin() throws {
        let other = try Self.signer.sign(Checkpoint(origin: "example.com/another-log", size: 40, root: Self.checkpoint.root))
        #expect(try Checkpoint.parse(other).origin == "example.com/another-log", "the form is fine")
        #expect(throws: Checkpoint.Failure.self) { try Checkpoint.verify(other, verifier: Self.signer.verifier) }
        do { _ = try Checkpoint.verify(other, verifier: Self.signer.verifier) } catch {
            #expect("\(error)".hasPrefix("the checkpoint is for another log (example.com/another-log)"))
        }
        let thatLog = try CheckpointSigner(name: "example.com/another-log", key: Self.signer.key)
        #expect(try Checkpoint.verify(try thatLog.sign(Checkpoint(origin: "example.com/another-log", size: 40, root: Self.checkpoint.root)),
                                      verifier: thatLog.verifier, origin: "example.com/another-log").size == 40,
                "that log's own checkpoint, checked for that log, passes")
        // The rest of the note text: three non-empty lines, a decimal size without leading zeroes, a 32-byte root.
        let root = Data(Self.checkpoint.root).base64EncodedString()
        for body in ["\n40\n\(root)\n", "\(Checkpoint.origin)\n040\n\(root)\n", "\(Checkpoint.origin)\n+40\n\(root)\n",
                     "\(Checkpoint.origin)\n40\n\(root.dropLast())\n", "\(Checkpoint.origin)\n40\n\n\(root)\n"] {
            refused(body + "\n— \(Checkpoint.origin) \(Data(repeating: 1, count: 68).base64EncodedString())\n", "checkpoint body")
        }
    }

    @Test("tlog-checkpoint §Signatures: the log's key name is its origin — a key under another name is refused")
    func keyNameIsOrigin() throws {
        #expect(Self.signer.verifier.name == Checkpoint.origin && KeyDirectory.registerKeyName == Checkpoint.origin)
        let renamed = try CheckpointSigner(name: "sluis-register-goeree-overflakkee", key: Self.signer.key)
        #expect(throws: Checkpoint.Failure.self) { try Checkpoint.verify(try renamed.sign(Self.checkpoint), verifier: renamed.verifier) }
    }
}
