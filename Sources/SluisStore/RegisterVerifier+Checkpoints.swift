import SluisCrypto
import SluisRegister
import SQLKit

/// What ties the entries to signed checkpoints. Every commit inserts its entries, signs a
/// checkpoint for the new size and moves the head in one transaction (`RegisterStore.write`),
/// so in an intact register the newest checkpoint covers exactly the stored entries and the
/// head is that checkpoint. Anything else was done outside a commit: tampering (convenant
/// art. 15; C2SP tlog-checkpoint; RFC 9162 §2.1.4 for the saved checkpoint).
extension RegisterVerifier {
    /// Tampering found: `verify` stops and names it.
    struct Finding: Error, Sendable {
        let text: String
    }

    /// A checkpoint the FG saved earlier: signed with this register's key, for this log (the
    /// origin is checked by `Checkpoint.verify`, tlog-checkpoint §Note text).
    static func checkSaved(_ text: String, verifier: CheckpointSigner.Verifier) -> Result<Checkpoint, Finding> {
        do { return .success(try Checkpoint.verify(text, verifier: verifier)) } catch {
            return .failure(Finding(text: "the saved checkpoint: \(error)"))
        }
    }

    /// Reads the stored checkpoints with `after < size ≤ through` into `checkpoints`, each
    /// checked for its signature and for being stored under the size it states.
    static func readCheckpoints(_ store: RegisterStore, _ verifier: CheckpointSigner.Verifier, after: Int64 = -1,
                                through: Int64 = .max, into checkpoints: inout [Int64: Checkpoint]) async throws -> String? {
        for (size, signed) in try await store.checkpoints(after: after, through: through) {
            switch checkStored(size: size, signed: signed, verifier) {
            case .success(let checkpoint): checkpoints[size] = checkpoint
            case .failure(let finding): return finding.text
            }
        }
        return nil
    }

    static func checkStored(size: Int64, signed: String, _ verifier: CheckpointSigner.Verifier) -> Result<Checkpoint, Finding> {
        do {
            let checkpoint = try Checkpoint.verify(signed, verifier: verifier)
            guard checkpoint.size == size else { return .failure(Finding(text: "checkpoint stored at size \(size) states size \(checkpoint.size) (forged)")) }
            return .success(checkpoint)
        } catch {
            return .failure(Finding(text: "checkpoint at size \(size): \(error)"))
        }
    }

    /// Entries and checkpoints must end together: a checkpoint (stored or saved) beyond the
    /// entries means entries were cut off; entries beyond the newest checkpoint, or entries
    /// without any, were written without a commit (or its checkpoint was deleted).
    static func coverageProblem(entries: Int64, newest: Int64?, saved: Int64?) -> String? {
        if let saved, saved > entries { return "the log was truncated: the saved checkpoint covers \(saved) entries, only \(entries) are stored" }
        if let newest, newest > entries { return "the log was truncated: a signed checkpoint covers \(newest) entries, only \(entries) are stored" }
        guard entries > 0 else { return nil }
        guard let newest else { return "the register holds \(entries) entries but no signed checkpoint — its checkpoints were deleted" }
        if newest == entries - 1 {
            return "entry \(newest) stands beyond the newest signed checkpoint (size \(newest)) — added outside a commit (forged)"
        }
        if newest < entries {
            return "entries \(newest) to \(entries - 1) stand beyond the newest signed checkpoint (size \(newest)) — added outside a commit (forged)"
        }
        return nil
    }

    /// The head must be a signed checkpoint: same size, same root. Head and checkpoint are read
    /// in one statement, so a commit landing meanwhile cannot split them; a head ahead of the
    /// scanned entries is such a commit (a checkpoint that was already stored beyond them was
    /// named as truncation before this runs).
    static func headProblem(_ sql: any SQLDatabase, _ verifier: CheckpointSigner.Verifier, entries: Int64, root: [UInt8]) async throws -> String? {
        let row = try await sql.raw("""
            SELECT h.size, h.root, c.signed FROM register_head h LEFT JOIN register_checkpoints c ON c.size = h.size WHERE h.id = 1
            """).first()
        let size = try row?.decode(column: "size", as: Int64.self) ?? 0
        let headRoot = try row?.decode(column: "root", as: String.self) ?? ""
        if size < entries { return "the head states \(size) entries, the newest signed checkpoint covers \(entries)" }
        guard let signed = try row?.decode(column: "signed", as: String?.self) else {
            if size > 0 { return "the head states \(size) entries, but no checkpoint is signed at that size — the head was altered" }
            return headRoot == Hex.encode(root) ? nil : "the head's root differs from the root of the empty register"
        }
        switch checkStored(size: size, signed: signed, verifier) {
        case .failure(let finding): return finding.text
        case .success(let checkpoint):
            return headRoot == Hex.encode(checkpoint.root) ? nil : "the head's root differs from the signed checkpoint at its size (\(size))"
        }
    }
}
