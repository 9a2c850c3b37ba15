import Foundation
public import SluisRegister
public import SluisStore

/// A witness the gateway asks for cosignatures: the submission prefix of its C2SP tlog-witness
/// API and its cosignature key (tlog-cosignature vkey, type 0x04).
public struct WitnessEndpoint: Sendable, Equatable {
    public let url: String
    public let key: Cosignature.Verifier

    public init(url: String, key: Cosignature.Verifier) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.key = key
    }
}

/// The HTTP call behind `add-checkpoint`, given by the HTTP face (the gateway knows no HTTP).
public protocol WitnessTransport: Sendable {
    /// POSTs `body` to `url`; the status, the Content-Type (if any) and the body as text.
    func post(_ url: String, body: String) async throws -> (status: Int, contentType: String?, body: String)
}

/// The gateway's side of witnessing: asks every configured witness to cosign the register's
/// newest checkpoint (C2SP tlog-witness §add-checkpoint), adds the verified cosignatures to
/// that stored checkpoint, and publishes a checkpoint only with `quorum` cosignatures. It keeps
/// per witness the size the witness last cosigned; a 409 tells the witness's size and the
/// request is made again from there, with the proof from that size. Without quorum the last
/// checkpoint that had it stays the published one.
public actor CheckpointWitnessing {
    public nonisolated let witnesses: [WitnessEndpoint]
    public nonisolated let quorum: Int
    let transport: any WitnessTransport
    let register: RegisterStore
    /// Per witness (by name): the size it last cosigned, as far as this gateway knows.
    var cosignedSize: [String: Int64] = [:]

    /// One round: the checkpoint's size, who cosigned, who refused and why.
    public struct Round: Sendable {
        public let size: Int64
        public let cosigned: [String]
        public let refusals: [String: String]
        public let quorumReached: Bool
    }

    public init(witnesses: [WitnessEndpoint], quorum: Int, transport: any WitnessTransport, register: RegisterStore) {
        self.witnesses = witnesses
        self.quorum = quorum
        self.transport = transport
        self.register = register
    }

    /// Asks every witness to cosign the register's newest checkpoint; nil for an empty register.
    /// Rounds are serialized (an actor, one round at a time); within a round each witness has its
    /// own entry in the sizes kept, so asking them at once keeps those true.
    public func round() async throws -> Round? {
        guard let signed = try await register.latestCheckpoint() else { return nil }
        let note = try SignedNote.parse(signed)
        let checkpoint = try Checkpoint.parse(signed)
        let have = Set(try Cosignature.verified(note, witnesses: witnesses.map(\.key)).map(\.witness))
        // The witnesses are asked at once (one slow or unreachable witness costs the round its
        // own timeout, not the sum of all); lines and names are kept in configuration order.
        var answers: [String: Result<String, WitnessingFailure>] = [:]
        await withTaskGroup(of: (String, Result<String, WitnessingFailure>).self) { group in
            for witness in witnesses where !have.contains(witness.key.name) {
                group.addTask {
                    do {
                        return (witness.key.name, .success(try await self.cosignature(from: witness, on: signed, checkpoint: checkpoint)))
                    } catch let failure as WitnessingFailure {
                        return (witness.key.name, .failure(failure))
                    } catch {
                        return (witness.key.name, .failure(WitnessingFailure("\(error)")))
                    }
                }
            }
            for await (name, answer) in group { answers[name] = answer }
        }
        var lines = "", cosigned: [String] = [], refusals: [String: String] = [:]
        for witness in witnesses {
            let name = witness.key.name
            if have.contains(name) {
                cosigned.append(name)
                continue
            }
            switch answers[name] {
            case .success(let line)?:
                lines += line
                cosigned.append(name)
            case .failure(let failure)?: refusals[name] = failure.description
            case nil: refusals[name] = "not asked"
            }
        }
        if !lines.isEmpty { try await register.addCosignatures(lines, size: checkpoint.size) }
        return Round(size: checkpoint.size, cosigned: cosigned, refusals: refusals, quorumReached: cosigned.count >= quorum)
    }

    /// One witness's cosignature line on `signed`, verified; a 409 is answered once by
    /// resending from the size the witness names. Throws the witness's refusal otherwise.
    func cosignature(from witness: WitnessEndpoint, on signed: String, checkpoint: Checkpoint) async throws -> String {
        for _ in 0..<2 {
            let old = min(cosignedSize[witness.key.name] ?? 0, checkpoint.size)
            var proof: [[UInt8]] = []
            if old > 0, old < checkpoint.size { proof = try await register.consistencyProof(old: old, new: checkpoint.size) }
            let body = AddCheckpoint(oldSize: old, proof: proof, checkpoint: signed).text
            let answer = try await transport.post(witness.url + "/add-checkpoint", body: body)
            switch answer.status {
            case 200:
                let cosigned = signed + answer.body
                let found = try Cosignature.verified(SignedNote.parse(cosigned), witnesses: [witness.key])
                guard !found.isEmpty else { throw WitnessingFailure("\(witness.key.name) answered without its cosignature") }
                cosignedSize[witness.key.name] = checkpoint.size
                return answer.body.split(separator: "\n").filter { $0.hasPrefix("— \(witness.key.name) ") }.map { $0 + "\n" }.joined()
            case 409 where answer.contentType?.hasPrefix("text/x.tlog.size") == true:
                guard let size = Int64(answer.body.trimmingCharacters(in: .whitespacesAndNewlines)), size >= 0 else {
                    throw WitnessingFailure("\(witness.key.name) answered 409 without a size")
                }
                if size == old {
                    // Sent from its own size and still a conflict: same size, other root (tlog-witness §add-checkpoint).
                    throw WitnessingFailure("\(witness.key.name) refused (409): it cosigned size \(size) with another root hash — the register forked or was rewound")
                }
                if size > checkpoint.size {
                    throw WitnessingFailure("\(witness.key.name) refused (409): it cosigned size \(size), beyond this checkpoint's \(checkpoint.size) — the register was rewound")
                }
                cosignedSize[witness.key.name] = size
            default:
                throw WitnessingFailure("\(witness.key.name) refused (\(answer.status)): \(answer.body.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))")
            }
        }
        throw WitnessingFailure("\(witness.key.name) kept answering 409")
    }

    /// The checkpoint to publish: the newest stored one with `quorum` verified cosignatures, or
    /// nil when none has them. With quorum 0, the newest checkpoint.
    public func published() async throws -> String? {
        try await Self.published(register, witnesses: witnesses.map(\.key), quorum: quorum)
    }

    /// Whether any stored checkpoint carries a cosignature: the register is witnessed.
    public static func isWitnessed(_ register: RegisterStore) async throws -> Bool {
        !(try await register.checkpointsNewestFirst(cosignedOnly: true, limit: 1)).isEmpty
    }

    /// As `published(_:witnesses:quorum:)`, for a reader that may not know the gateway's
    /// witnesses (`sluis register checkpoint`): a witnessed register read with no witnesses named
    /// is refused unless quorum 0 was chosen on purpose (`quorumChosen`) — fail closed, never a
    /// checkpoint no witness vouched for by default.
    /// - Throws: `WitnessingFailure` naming what to give; the store's errors.
    public static func publishedToReader(_ register: RegisterStore, witnesses: [Cosignature.Verifier], quorum: Int,
                                         quorumChosen: Bool) async throws -> String? {
        if witnesses.isEmpty, !quorumChosen, try await isWitnessed(register) {
            throw WitnessingFailure("this register's checkpoints are cosigned by witnesses, but none were named: give the gateway's configuration (--config FILE, or $SLUIS_WITNESSES) or --witness VKEY; --witness-quorum 0 prints the newest checkpoint without them")
        }
        return try await published(register, witnesses: witnesses, quorum: quorum)
    }

    /// As `published()`, for a register opened elsewhere (`sluis register checkpoint`).
    public static func published(_ register: RegisterStore, witnesses: [Cosignature.Verifier], quorum: Int) async throws -> String? {
        guard quorum > 0 else { return try await register.latestCheckpoint() }
        for signed in try await register.checkpointsNewestFirst(cosignedOnly: true) {
            guard let note = try? SignedNote.parse(signed), let found = try? Cosignature.verified(note, witnesses: witnesses) else { continue }
            if found.count >= quorum { return signed }
        }
        return nil
    }
}

/// Why a witness gave no cosignature in a round: its refusal (status and words) or a wrong answer.
public struct WitnessingFailure: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
