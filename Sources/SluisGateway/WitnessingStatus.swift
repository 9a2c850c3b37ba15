public import SluisRegister
public import SluisStore
import SluisCrypto

/// What the witnesses say of the register (C2SP tlog-cosignature), as `sluis register verify`
/// and the FG's integrity page show it: the newest checkpoint the quorum cosigned, who cosigned
/// it and when, whether it is the register's newest, and whether the register of today still
/// holds it (RFC 9162 §2.1.4 consistency from it to the newest checkpoint).
public struct WitnessingStatus: Sendable, Equatable {
    public let quorum: Int
    public let witnesses: [String]
    /// The newest checkpoint with the quorum of verified cosignatures: its size; nil when none has them.
    public let publishedSize: Int64?
    /// Its cosignatures (witness name, POSIX seconds), verified against the configured keys.
    public let cosignatures: [Cosignature.Verified]
    /// The register's newest checkpoint's size.
    public let newestSize: Int64
    /// The cosigned checkpoint is consistent with today's register: false means history the
    /// witnesses vouched for was changed (a rewind), or the cosigned checkpoint was altered.
    public let matches: Bool

    /// The published checkpoint is the newest: every commit so far was cosigned.
    public var current: Bool { publishedSize == newestSize }

    /// Reads the status from `register` for the witness keys and quorum given.
    public static func read(_ register: RegisterStore, witnesses: [Cosignature.Verifier], quorum: Int) async throws -> WitnessingStatus {
        let newest = try await register.latestCheckpoint().map { try Checkpoint.parse($0) }
        let newestSize = newest?.size ?? 0
        guard let published = try await CheckpointWitnessing.published(register, witnesses: witnesses, quorum: max(quorum, 1)) else {
            return WitnessingStatus(quorum: quorum, witnesses: witnesses.map(\.name), publishedSize: nil, cosignatures: [], newestSize: newestSize, matches: true)
        }
        let cosigned = try Checkpoint.parse(published)
        let cosignatures = try Cosignature.verified(SignedNote.parse(published), witnesses: witnesses)
        var matches = false
        if let newest, cosigned.size <= newest.size {
            var proof: [[UInt8]] = []
            if cosigned.size > 0, cosigned.size < newest.size { proof = try await register.consistencyProof(old: cosigned.size, new: newest.size) }
            matches = MerkleTree.verifyConsistency(old: cosigned.size, new: newest.size, oldRoot: cosigned.root, newRoot: newest.root,
                                                   proof: proof, try SHA256Hasher())
        }
        return WitnessingStatus(quorum: quorum, witnesses: witnesses.map(\.name), publishedSize: cosigned.size, cosignatures: cosignatures,
                                newestSize: newestSize, matches: matches)
    }
}
