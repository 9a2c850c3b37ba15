import Foundation
public import SluisRegister
public import SluisStore

/// `sluis witness serve`'s use case: one `add-checkpoint` call (C2SP tlog-witness), checked by
/// `Witness` against the state on disk, the new checkpoint stored durably, then cosigned. An
/// actor with no suspension inside `add`: check and store happen as one step, so two calls
/// can never both advance from the same old size (the race tlog-witness §add-checkpoint
/// describes, which would roll back leaves).
public actor WitnessService {
    public nonisolated let witness: Witness
    let state: WitnessState

    /// What the HTTP face sends back: status, content type and body.
    public struct Answer: Sendable, Equatable {
        public let status: Int
        public let contentType: String
        public let body: String
        /// For the operator's log only, never the caller: why the state could not be used (its
        /// path among it). Nil for every answer but a 500.
        public var logDetail: String? = nil
    }

    public init(witness: Witness, state: WitnessState) {
        self.witness = witness
        self.state = state
    }

    /// Handles one request body at `now` (POSIX seconds). 200 with the cosignature line; 409
    /// with the held size as `text/x.tlog.size`; 400, 403, 404, 422 with the reason as text;
    /// 500 when the state cannot be read or written (nothing is cosigned then).
    public func add(body: String, now: UInt64) -> Answer {
        do {
            let request = try AddCheckpoint.parse(body)
            let origin = try Witness.origin(of: request)
            let held = try state.latest(origin)
            let accepted = try witness.check(request, latest: held?.checkpoint)
            if held?.checkpoint != accepted { try state.store(request.checkpoint, origin: origin) }
            return Answer(status: 200, contentType: "text/plain; charset=utf-8", body: try witness.cosign(request.checkpoint, time: now))
        } catch let refusal as WitnessRefusal {
            if case .conflict(let size, _) = refusal {
                return Answer(status: 409, contentType: "text/x.tlog.size", body: "\(size)\n")
            }
            return Answer(status: refusal.status, contentType: "text/plain; charset=utf-8", body: refusal.description + "\n")
        } catch {
            // The caller learns only that; the path and cause go to the witness's own log.
            return Answer(status: 500, contentType: "text/plain; charset=utf-8",
                          body: "the witness cannot use its state; its operator's log says why\n", logDetail: "\(error)")
        }
    }
}
