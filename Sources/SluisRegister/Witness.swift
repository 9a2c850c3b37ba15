import Foundation
public import SluisCrypto

/// The FG's own witness, pure: given the newest checkpoint it holds for a log and an
/// `add-checkpoint` request, it decides — C2SP tlog-witness §add-checkpoint, check by check —
/// and cosigns (C2SP tlog-cosignature). Persisting the accepted checkpoint before answering,
/// atomically with the check, is the caller's part (`WitnessService`).
public struct Witness: Sendable {
    public let name: String
    public let key: PrivateKey
    public let verifier: Cosignature.Verifier
    /// The logs it follows, by origin; each log's key name is its origin (tlog-checkpoint §Signatures).
    public let logs: [String: CheckpointSigner.Verifier]

    public init(name: String, key: PrivateKey, logs: [CheckpointSigner.Verifier]) throws {
        guard key.kind == .ed25519 else { throw Checkpoint.Failure(description: "the witness key must be Ed25519 — tlog-cosignature §Format") }
        guard SignedNote.Signature.isKeyName(Substring(name)) else { throw Checkpoint.Failure(description: "the witness name \(name) is no key name (no spaces, no +) — signed-note §Format") }
        self.name = name
        self.key = key
        verifier = Cosignature.Verifier(name: name, publicKey: try key.rawPublicKey())
        // One key per log: a second key for the same origin would silently shadow one of them.
        var byOrigin: [String: CheckpointSigner.Verifier] = [:]
        for log in logs {
            guard byOrigin[log.name] == nil else {
                throw Checkpoint.Failure(description: "the log \(log.name) is given twice; each log once, with its own key")
            }
            byOrigin[log.name] = log
        }
        self.logs = byOrigin
    }

    /// The origin a request's checkpoint names, for finding the state to check it against.
    public static func origin(of request: AddCheckpoint) throws(WitnessRefusal) -> String {
        do { return try Checkpoint.parse(request.checkpoint).origin } catch { throw .malformed(error.description) }
    }

    /// Checks `request` against `latest`, the checkpoint this witness last cosigned for the log
    /// (nil: never). Returns the checkpoint to store and cosign. Order of the checks as in
    /// tlog-witness §add-checkpoint: origin known (404), a log signature verifies (403), old
    /// size ≤ new (400), old size = the latest's size (409 with that size), consistency (422),
    /// equal sizes with equal roots (409).
    public func check(_ request: AddCheckpoint, latest: Checkpoint?) throws(WitnessRefusal) -> Checkpoint {
        let origin = try Self.origin(of: request)
        guard let log = logs[origin] else { throw .unknownLog(origin) }
        let new: Checkpoint
        do { new = try Checkpoint.verify(request.checkpoint, verifier: log, origin: origin) } catch { throw .forged(error.description) }
        guard request.oldSize <= new.size else { throw .malformed("the old size \(request.oldSize) exceeds the checkpoint's size \(new.size)") }
        let held = latest?.size ?? 0
        guard request.oldSize == held else { throw .conflict(size: held, fork: false) }
        guard let latest, held > 0 else {
            guard request.proof.isEmpty else { throw .inconsistent("the proof must be empty when the old size is 0") }
            return new
        }
        if new.size == held {
            guard new.root == latest.root else { throw .conflict(size: held, fork: true) }
            return new
        }
        let hasher: SHA256Hasher
        do { hasher = try SHA256Hasher() } catch { throw .inconsistent("no SHA-256 (\(error))") }
        guard MerkleTree.verifyConsistency(old: held, new: new.size, oldRoot: latest.root, newRoot: new.root, proof: request.proof, hasher) else {
            throw .inconsistent("from size \(held) to size \(new.size): the log's history before size \(held) is not what this witness cosigned")
        }
        return new
    }

    /// The cosignature line for an accepted signed checkpoint (tlog-cosignature: over its whole
    /// note text), at `time` (POSIX seconds).
    public func cosign(_ signed: String, time: UInt64) throws -> String {
        try Cosignature.sign(body: SignedNote.parse(signed).text, time: time, name: name, key: key)
    }
}
