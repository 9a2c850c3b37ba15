import Foundation
import Testing
@testable import SluisCrypto
@testable import SluisRegister

/// The witness's decisions (C2SP tlog-witness §add-checkpoint) and its cosignatures (C2SP
/// tlog-cosignature), pure: one test per rule, named after the section it enforces.
@Suite("C2SP tlog-witness and tlog-cosignature: the FG's witness")
struct WitnessTests {
    static let log = try! CheckpointSigner(name: Checkpoint.origin, key: PrivateKey.generateEd25519())
    static let witness = try! Witness(name: "fg.example/witness", key: PrivateKey.generateEd25519(), logs: [log.verifier])

    /// A log in memory: the leaves given, its signed checkpoint at every size, and proofs.
    struct Log {
        var source = DictionarySubtreeSource()
        var frontier = MerkleFrontier()
        let hasher = try! SHA256Hasher()

        init(_ leaves: [String]) { for leaf in leaves { append(leaf) } }

        mutating func append(_ leaf: String) {
            for node in frontier.append(leafHash: MerkleTree.leafHash(Array(leaf.utf8), hasher), hasher) {
                source.nodes[.init(level: node.level, index: node.index)] = node.hash
            }
        }

        var checkpoint: Checkpoint { Checkpoint(size: frontier.size, root: frontier.root(hasher)) }
        var signed: String { try! WitnessTests.log.sign(checkpoint) }
        func proof(from old: Int64) -> [[UInt8]] {
            old == 0 || old == frontier.size ? [] : try! MerkleTree.consistencyProof(old: old, new: frontier.size, source, hasher)
        }
        func request(from old: Int64) -> AddCheckpoint { AddCheckpoint(oldSize: old, proof: proof(from: old), checkpoint: signed) }
    }

    static func leaves(_ range: Range<Int>, _ tag: String = "") -> [String] { range.map { "entry \($0)\(tag)" } }

    func refusal(_ request: AddCheckpoint, latest: Checkpoint?) -> WitnessRefusal? {
        do {
            _ = try Self.witness.check(request, latest: latest)
            return nil
        } catch { return error }
    }

    @Test("tlog-cosignature §Format: key ID = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ key)[:4]; vkey type 0x04 round-trips; a 0x01 (log) vkey is not a witness key")
    func keyID() throws {
        let verifier = Self.witness.verifier
        let expected = try SHA256.hash(Array("fg.example/witness".utf8) + [0x0A, 0x04] + verifier.publicKey).prefix(4)
        #expect(verifier.keyID == Array(expected))
        #expect(Cosignature.Verifier(text: verifier.text) == verifier)
        #expect(verifier.text.hasPrefix("fg.example/witness+\(Hex.encode(verifier.keyID))+B"))  // base64 of 0x04 …
        #expect(Cosignature.Verifier(text: Self.log.verifier.text) == nil)
        #expect(CheckpointSigner.Verifier(text: verifier.text) == nil)
    }

    @Test("tlog-cosignature §Ed25519 signed message: the signature covers cosignature/v1, time and the note body, and is key ID ‖ u64 time ‖ 64 bytes")
    func cosignatureMessage() throws {
        let log = Log(Self.leaves(0..<5))
        let line = try Self.witness.cosign(log.signed, time: 1_700_000_000)
        let blob = try #require(Data(base64Encoded: String(line.dropFirst(2 + Self.witness.name.count + 1).dropLast())))
        #expect(blob.count == 4 + 8 + 64)
        #expect(Array(blob.prefix(4)) == Self.witness.verifier.keyID)
        #expect(blob.dropFirst(4).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } == 1_700_000_000)
        let message = Array("cosignature/v1\ntime 1700000000\n\(log.checkpoint.body)".utf8)
        #expect(Ed25519.verify(signature: Array(blob.suffix(64)), message: message, publicKey: Self.witness.verifier.publicKey))
        let verified = try Cosignature.verified(SignedNote.parse(log.signed + line), witnesses: [Self.witness.verifier])
        #expect(verified == [Cosignature.Verified(witness: Self.witness.name, time: 1_700_000_000)])
        // On another checkpoint the same line is refused, not ignored.
        #expect(throws: Checkpoint.Failure.self) { try Cosignature.verified(SignedNote.parse(Log(Self.leaves(0..<6)).signed + line), witnesses: [Self.witness.verifier]) }
        // The log's own verification ignores the witness's line (signed-note §Signatures).
        #expect(try Checkpoint.verify(log.signed + line, verifier: Self.log.verifier) == log.checkpoint)
    }

    @Test("tlog-witness: one key per log — a log given twice (another key for the same origin) is refused at start, not silently shadowed")
    func logGivenTwiceIsRefused() throws {
        let other = try CheckpointSigner(name: Checkpoint.origin, key: PrivateKey.generateEd25519())
        #expect(throws: Checkpoint.Failure.self) {
            try Witness(name: "fg.example/witness", key: PrivateKey.generateEd25519(), logs: [other.verifier, Self.log.verifier])
        }
    }

    @Test("tlog-witness §add-checkpoint: the first checkpoint (old 0, empty proof) is accepted; a proof with old 0 is refused (422)")
    func firstCheckpoint() throws {
        let log = Log(Self.leaves(0..<7))
        #expect(try Self.witness.check(log.request(from: 0), latest: nil) == log.checkpoint)
        let withProof = AddCheckpoint(oldSize: 0, proof: [[UInt8](repeating: 1, count: 32)], checkpoint: log.signed)
        #expect(refusal(withProof, latest: nil)?.status == 422)
    }

    @Test("tlog-witness §add-checkpoint: a consistent larger checkpoint from the held size is accepted")
    func consistentGrowth() throws {
        var log = Log(Self.leaves(0..<7))
        let held = log.checkpoint
        for leaf in Self.leaves(7..<20) { log.append(leaf) }
        #expect(try Self.witness.check(log.request(from: 7), latest: held) == log.checkpoint)
    }

    @Test("tlog-witness §add-checkpoint: an old size other than the held size is 409 with the held size")
    func conflictNamesHeldSize() throws {
        let log = Log(Self.leaves(0..<20))
        let held = Log(Self.leaves(0..<7)).checkpoint
        #expect(refusal(log.request(from: 0), latest: held) == .conflict(size: 7, fork: false))
        #expect(refusal(log.request(from: 9), latest: held) == .conflict(size: 7, fork: false))
        #expect(refusal(Log(Self.leaves(0..<7)).request(from: 0), latest: nil) == nil)
    }

    @Test("tlog-witness §add-checkpoint: a rewound log (history before the held size changed, then grown) fails the consistency proof — 422")
    func rewoundAndGrownIs422() throws {
        let held = Log(Self.leaves(0..<10)).checkpoint
        let rewound = Log(Self.leaves(0..<6) + Self.leaves(6..<14, " (rewritten)"))
        #expect(refusal(rewound.request(from: 10), latest: held)?.status == 422)
        // Nor can a proof made for the true history carry the rewritten checkpoint.
        var honest = Log(Self.leaves(0..<10))
        for leaf in Self.leaves(10..<14) { honest.append(leaf) }
        let forged = AddCheckpoint(oldSize: 10, proof: honest.proof(from: 10), checkpoint: rewound.signed)
        #expect(refusal(forged, latest: held)?.status == 422)
    }

    @Test("tlog-witness §add-checkpoint: a rewound log at the held size (same size, other root) is 409, a fork")
    func rewoundSameSizeIs409Fork() throws {
        let held = Log(Self.leaves(0..<10)).checkpoint
        let rewound = Log(Self.leaves(0..<6) + Self.leaves(6..<10, " (rewritten)"))
        #expect(refusal(rewound.request(from: 10), latest: held) == .conflict(size: 10, fork: true))
        #expect(try Self.witness.check(Log(Self.leaves(0..<10)).request(from: 10), latest: held) == held)
    }

    @Test("tlog-witness §add-checkpoint: a smaller checkpoint is refused — old size above the new is 400, from its own size 409")
    func smallerRefused() throws {
        let held = Log(Self.leaves(0..<10)).checkpoint
        let smaller = Log(Self.leaves(0..<6))
        #expect(refusal(AddCheckpoint(oldSize: 10, proof: [], checkpoint: smaller.signed), latest: held)?.status == 400)
        #expect(refusal(smaller.request(from: 6), latest: held) == .conflict(size: 10, fork: false))
    }

    @Test("tlog-witness §add-checkpoint: an unknown origin is 404; a checkpoint signed by another key (forged) is 403")
    func unknownAndForged() throws {
        let log = Log(Self.leaves(0..<3))
        let other = try CheckpointSigner(name: "other.example/log", key: PrivateKey.generateEd25519())
        let otherLog = try other.sign(Checkpoint(origin: "other.example/log", size: 3, root: log.checkpoint.root))
        #expect(refusal(AddCheckpoint(oldSize: 0, proof: [], checkpoint: otherLog), latest: nil)?.status == 404)
        let impostor = try CheckpointSigner(name: Checkpoint.origin, key: PrivateKey.generateEd25519())
        #expect(refusal(AddCheckpoint(oldSize: 0, proof: [], checkpoint: try impostor.sign(log.checkpoint)), latest: nil)?.status == 403)
        let altered = log.signed.replacingOccurrences(of: "\n3\n", with: "\n4\n")
        #expect(refusal(AddCheckpoint(oldSize: 0, proof: [], checkpoint: altered), latest: nil)?.status == 403)
    }

    @Test("tlog-witness §add-checkpoint: malformed bodies are 400 and say what is wrong")
    func malformedBodies() throws {
        let signed = Log(Self.leaves(0..<3)).signed
        let bodies = [
            ("", "no empty line"), ("old 0\n", "no empty line"), ("old 01\n\n" + signed, "\"old <size>\""), ("old -1\n\n" + signed, "\"old <size>\""),
            ("new 0\n\n" + signed, "\"old <size>\""), ("old 0\nnot-base64\n\n" + signed, "base64 SHA-256"),
            ("old 0\n" + Data(repeating: 1, count: 31).base64EncodedString() + "\n\n" + signed, "base64 SHA-256"),
            ("old 0\n" + String(repeating: Data(repeating: 1, count: 32).base64EncodedString() + "\n", count: 64) + "\n" + signed, "more than 63"),
        ]
        for (body, reason) in bodies {
            do {
                _ = try AddCheckpoint.parse(body)
                Issue.record("accepted \(body.debugDescription)")
            } catch {
                #expect(error.status == 400)
                #expect(error.description.contains(reason), "\(error)")
            }
        }
        #expect(refusal(AddCheckpoint(oldSize: 0, proof: [], checkpoint: "not a checkpoint\n"), latest: nil)?.status == 400)
        let request = Log(Self.leaves(0..<3)).request(from: 0)
        #expect(try AddCheckpoint.parse(request.text) == request)
    }
}
