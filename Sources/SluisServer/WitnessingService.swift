import Logging
import SluisGateway

extension PeriodicService {
    /// Asks the configured witnesses for cosignatures on the newest checkpoint every `interval`
    /// (C2SP tlog-witness; docs/witness.md). Without the quorum the last cosigned checkpoint stays
    /// the published one, and a warning says so, with each witness's refusal (a checkpoint's
    /// size and the witness's words: no personal data).
    static func witnessing(_ witnessing: CheckpointWitnessing, interval: Duration, logger: Logger) -> PeriodicService {
        PeriodicService(name: "witnessing", interval: interval, logger: logger) {
            guard let round = try await witnessing.round() else { return nil }
            if !round.quorumReached {
                logger.warning("checkpoint not published: too few witness cosignatures; the last cosigned checkpoint stays published",
                               metadata: ["size": "\(round.size)", "cosigned": "\(round.cosigned.count)", "quorum": "\(witnessing.quorum)",
                                          "refusals": "\(round.refusals.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })"])
            }
            return nil
        }
    }
}
