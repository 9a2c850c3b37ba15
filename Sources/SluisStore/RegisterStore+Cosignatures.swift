import SQLKit

/// Witness cosignatures (C2SP tlog-cosignature) kept with the checkpoint they sign: the stored
/// signed note gains the witnesses' signature lines, which `Checkpoint.verify` ignores as
/// signatures by other keys (signed-note §Signatures), so every existing check still holds.
extension RegisterStore {
    /// Appends cosignature `lines` (each `— <witness> <base64>\n`) to the checkpoint stored at
    /// `size`. The caller verified them against the witness keys. Should it land inside a commit
    /// that then rolls back (the register's connection is shared), the lines are lost with it and
    /// the next witnessing round asks again: the witness cosigns the same checkpoint again.
    public func addCosignatures(_ lines: String, size: Int64) async throws {
        try await sql.raw("""
            UPDATE register_checkpoints SET signed = signed || \(bind: lines) WHERE size = \(bind: size)
            """).run()
    }

    /// The stored checkpoints, newest first; with `cosignedOnly` only those carrying more than
    /// one signature line (the log's own and at least one more).
    public func checkpointsNewestFirst(cosignedOnly: Bool, limit: Int = 1000) async throws -> [String] {
        // Any text matches "%" with LIKE: the filter is a pattern, not a second query.
        let pattern = cosignedOnly ? "%\n— %\n— %" : "%"
        return try await sql.raw("SELECT signed FROM register_checkpoints WHERE signed LIKE \(bind: pattern) ORDER BY size DESC LIMIT \(bind: limit)").all()
            .map { try $0.decode(column: "signed", as: String.self) }
    }
}
