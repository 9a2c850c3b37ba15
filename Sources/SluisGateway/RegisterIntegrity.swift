public import SluisRegister
import SluisCrypto
import SluisStore
import Synchronization

/// One register entry with its inclusion proof (RFC 9162 §2.1.3) against the newest signed
/// checkpoint, as the FG's entry page shows it: every hash in hex, so that anyone can redo the
/// check from the page (docs/pages.md).
public struct RegisterEntryProof: Sendable {
    public let entry: RegisterEntry
    /// SHA-256 leaf hash of the entry's canonical JSON (RFC 9162 §2.1.1: 0x00 ‖ entry), hex.
    public let leafHash: String
    /// The newest signed checkpoint (C2SP tlog-checkpoint), as the gateway signed it.
    public let checkpoint: String
    public let treeSize: Int64
    /// The checkpoint's root hash, hex.
    public let rootHash: String
    /// The audit path, leaf to root, hex.
    public let proof: [String]
    /// The signature on the checkpoint holds, the stored leaf hash is the entry's, and the path
    /// leads from that leaf to the signed root.
    public let verified: Bool
}

/// The register's integrity as the FG's integrity page shows it: the full verification
/// (`RegisterVerifier`, every entry recomputed), the newest signed checkpoint and — when the FG
/// uploaded one she saved — whether the register today still holds the history it signed.
public struct RegisterIntegrity: Sendable {
    /// Entries checked and signed checkpoints found; `problem` is nil when everything matched
    /// (technical English, from the verifier: which entry, which check).
    public let entries: Int64
    public let checkpoints: Int
    public let problem: String?
    public let checkpoint: String?
    public let treeSize: Int64
    public let rootHash: String
    public let saved: SavedCheckpointCheck?
    /// When the register was last recomputed whole (RFC 3339), by this view or an earlier one.
    public let fullyVerifiedAt: String
    /// The entries this view checked after that whole check: nil when this view was the whole check.
    public let checkedSince: Int64?
    /// The witnesses' view (C2SP tlog-cosignature): nil when no witness is configured.
    public var witnessing: WitnessingStatus? = nil

    public var intact: Bool { problem == nil }
}

/// The last whole check of the register that found nothing (`RegisterVerifier.Report`, with the
/// tree's right edge to resume from) and when it ran.
struct IntegrityState: Sendable {
    var report: RegisterVerifier.Report
    var fullAt: String
}

/// A saved checkpoint against the register of today: the RFC 9162 §2.1.4 consistency proof from
/// its size to the newest checkpoint's, and the recomputation of its first `size` entries.
public struct SavedCheckpointCheck: Sendable {
    public let size: Int64
    public let rootHash: String
    /// The consistency proof, hex (empty when the sizes are equal or the saved one is larger).
    public let proof: [String]
    /// The proof leads from the saved root to the newest signed root.
    public let proofHolds: Bool
    /// The first `size` entries, recomputed from their content, hash to the saved root.
    public let recomputed: Bool

    public var consistent: Bool { proofHolds && recomputed }
}

/// A checkpoint the FG uploaded that cannot be checked against: it is refused before anything
/// is read or registered (C2SP signed-note, tlog-checkpoint; convenant art. 15.2).
public struct CheckpointRefusal: Error, Sendable, Equatable {
    public enum Reason: String, Sendable {
        /// Not a signed note, or its text is not origin, size and root hash.
        case malformed
        /// Another log's checkpoint (its origin line).
        case otherLog
        /// No signature by this register's key.
        case unknownKey
        /// A signature by this register's key that does not verify: altered or forged.
        case badSignature
        /// Longer than any checkpoint (4 KiB).
        case tooLarge
    }
    public let reason: Reason
    /// The format's own words (English, with the section), for the technical note.
    public let detail: String

    public static let maxSize = 4096
}

extension Gateway {
    /// One entry in which the FG's own party sent or received (art. 15.2–15.3), with its
    /// inclusion proof against the newest signed checkpoint; the view is an inspection entry.
    /// - Throws: 403 for another role; 404 `registerEntryNotFound` beyond the register or for an
    ///   entry of other parties (no oracle); 409-free: a changed entry shows as not verified.
    public func registerEntryProof(_ index: Int64, reading: Bool = true, by principal: Principal,
                                   trace: TraceContext) async throws -> RegisterEntryProof? {
        try await authorize(.inspectRegister, principal, subject: "register", trace: trace)
        let missing = GatewayError.notFound(.registerEntryNotFound, "register entry")
        guard let signed = try await register.latestCheckpoint() else { throw missing }
        let head = try Checkpoint.parse(signed)
        // An entry that no longer decodes was changed: not found here, flagged on the integrity page.
        guard index >= 0, index < head.size, let stored = try? await register.entry(index),
              stored.entry.sender == principal.party || stored.entry.recipient == principal.party else { throw missing }
        guard reading else { return nil }
        try await registerInspection(principal, basis: ["6(1)(c); AVG art. 39; convenant art. 15.2", "weergave: registerregel \(index) met bewijs"],
                                     trace: trace)
        let hasher = try SHA256Hasher()
        let leaf = MerkleTree.leafHash(stored.entry.canonicalJSON, hasher)
        let proof = try await register.inclusionProof(index: index, size: head.size)
        let signatureHolds = (try? Checkpoint.verify(signed, verifier: register.signerVerifier())) != nil
        let verified = signatureHolds && leaf == stored.leaf
            && MerkleTree.verifyInclusion(index: index, size: head.size, leafHash: leaf, proof: proof, root: head.root, hasher)
        return RegisterEntryProof(entry: stored.entry, leafHash: Hex.encode(leaf), checkpoint: signed, treeSize: head.size,
                                  rootHash: Hex.encode(head.root), proof: proof.map { Hex.encode($0) }, verified: verified)
    }

    /// The register verified, the newest signed checkpoint, and with `saved` its consistency with
    /// the register of today. The first view, a `whole` one and one with `saved` recompute every
    /// entry and check every checkpoint's signature; a later view goes on from the last whole
    /// check that found nothing and checks only what was added since — so a view stays quick on a
    /// large register (issue 13: p99 under 100 ms; a whole check of 3,000 entries took 300 ms),
    /// and the page says when the last whole check ran and offers one (docs/pages.md). A check
    /// that finds a problem is not resumed from: every view after it checks the whole register.
    /// The view is an inspection entry, written first, so the checkpoint shown includes it.
    /// - Throws: 403 for another role; `CheckpointRefusal` for a saved checkpoint that is not
    ///   this register's, signed (nothing read, nothing registered).
    public func registerIntegrity(saved: String?, whole: Bool = false, by principal: Principal, trace: TraceContext) async throws -> RegisterIntegrity {
        try await authorize(.readCheckpoint, principal, subject: "checkpoint", trace: trace)
        let verifier = register.signerVerifier()
        let kept = try saved.map { try Self.checkSaved($0, verifier: verifier) }
        try await registerInspection(principal, basis: ["convenant art. 15.2; AVG art. 39",
                                                        "weergave: integriteit" + (kept.map { "; opgeslagen checkpoint van grootte \($0.size)" } ?? "")],
                                     trace: trace)
        let earlier = whole || saved != nil ? nil : integrityState.withLock { $0 }
        let startedAt = time
        let report = try await RegisterVerifier.verify(register, verifier: verifier, against: saved, resuming: earlier?.report)
        let fullAt = earlier?.fullAt ?? startedAt
        integrityState.withLock { state in
            if report.problem != nil {
                state = nil
            } else if earlier == nil || report.entries >= (state?.report.entries ?? 0) {
                state = IntegrityState(report: report, fullAt: fullAt)
            }
        }
        let signed = try await register.latestCheckpoint()
        let hasher = try SHA256Hasher()
        var head = Checkpoint(size: 0, root: MerkleTree.emptyRoot(hasher))
        if let signed { head = try Checkpoint.parse(signed) }
        var check: SavedCheckpointCheck?
        if let kept {
            let proof = kept.size <= head.size && kept.size > 0 ? try await register.consistencyProof(old: kept.size, new: head.size) : []
            let holds = MerkleTree.verifyConsistency(old: kept.size, new: head.size, oldRoot: kept.root, newRoot: head.root, proof: proof, hasher)
            // The verifier compared the saved root with the recomputed entries unless it stopped earlier.
            let recomputed = report.problem == nil ? report.savedCheckpointSize == kept.size
                : try await Self.recomputedRoot(register, size: kept.size, hasher) == kept.root
            check = SavedCheckpointCheck(size: kept.size, rootHash: Hex.encode(kept.root), proof: proof.map { Hex.encode($0) },
                                         proofHolds: holds, recomputed: recomputed)
        }
        var integrity = RegisterIntegrity(entries: report.entries, checkpoints: report.checkpoints, problem: report.problem, checkpoint: signed,
                                          treeSize: head.size, rootHash: Hex.encode(head.root), saved: check, fullyVerifiedAt: fullAt,
                                          checkedSince: earlier.map { report.entries - $0.report.entries })
        if let witnessing {
            integrity.witnessing = try await WitnessingStatus.read(register, witnesses: witnessing.witnesses.map(\.key), quorum: witnessing.quorum)
        }
        return integrity
    }

    /// A saved checkpoint checked as tlog-checkpoint says, each failure with its own reason.
    static func checkSaved(_ text: String, verifier: CheckpointSigner.Verifier) throws(CheckpointRefusal) -> Checkpoint {
        guard text.utf8.count <= CheckpointRefusal.maxSize else { throw CheckpointRefusal(reason: .tooLarge, detail: "over 4 KiB") }
        let note: SignedNote, parsed: Checkpoint
        do {
            note = try SignedNote.parse(text)
            parsed = try Checkpoint.parse(text)
        } catch { throw CheckpointRefusal(reason: .malformed, detail: error.description) }
        guard parsed.origin == Checkpoint.origin else { throw CheckpointRefusal(reason: .otherLog, detail: "origin is not \(Checkpoint.origin)") }
        guard note.signatures.contains(where: { $0.name == verifier.name && $0.keyID == verifier.keyID }) else {
            throw CheckpointRefusal(reason: .unknownKey, detail: "no signature by \(verifier.name)")
        }
        do { return try Checkpoint.verify(text, verifier: verifier) } catch {
            throw CheckpointRefusal(reason: .badSignature, detail: error.description)
        }
    }

    /// The root of the first `size` entries from their stored content (RFC 9162 §2.1.1); nil when
    /// an entry is missing. Only read when the full verification stopped before reaching `size`.
    static func recomputedRoot(_ register: RegisterStore, size: Int64, _ hasher: SHA256Hasher) async throws -> [UInt8]? {
        var frontier = MerkleFrontier()
        for index in 0..<size {
            guard let stored = try? await register.entry(index) else { return nil }
            _ = frontier.append(leafHash: MerkleTree.leafHash(stored.entry.canonicalJSON, hasher), hasher)
        }
        return frontier.root(hasher)
    }
}
