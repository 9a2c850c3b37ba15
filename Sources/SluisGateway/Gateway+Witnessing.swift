import SluisRegister
import SluisStore
import Synchronization

extension Gateway {
    /// Sets the witnesses asked to cosign each new checkpoint (C2SP tlog-witness), once, at
    /// start; without it the quorum is 0 and the newest checkpoint is published as before.
    public func configureWitnessing(_ witnessing: CheckpointWitnessing) {
        witnessingState.withLock { $0 = witnessing }
    }

    public var witnessing: CheckpointWitnessing? { witnessingState.withLock { $0 } }

    /// The checkpoint the FG and `GET /v1/register/checkpoint` get: with witnesses configured
    /// the newest one carrying the quorum of cosignatures (nil when none does yet), else the
    /// newest one.
    public func publishedCheckpoint() async throws -> String? {
        guard let witnessing else { return try await register.latestCheckpoint() }
        return try await witnessing.published()
    }
}
