import SQLKit

/// Logins: each check and the write it guards are one conditional UPDATE … RETURNING (SQLite
/// 3.35+ and PostgreSQL), so concurrent requests — on one gateway or on several sharing a
/// PostgreSQL database — cannot both pass a check that only one of them may pass. The row lock
/// of the UPDATE serialises them; PostgreSQL re-evaluates the WHERE on the row it waited for.
extension GatewayStore {
    /// Counts a login attempt before its credentials are checked, unless the account is locked at
    /// `now`: returns the attempt's number in the current run of failures, or nil when locked.
    /// The attempt numbered `lockFrom + k` locks the account in the same statement until
    /// `lockEnds[min(k, lockEnds.count - 1)]`; a good login undoes it (`acceptLogin`).
    /// So concurrent guesses can never exceed the limit: those after it find the row locked.
    public func reserveLoginAttempt(delegate id: String, now: String, lockFrom: Int, lockEnds: [String]) async throws -> Int? {
        try await reserve(table: "delegates", id: id, now: now, lockFrom: lockFrom, lockEnds: lockEnds)
    }

    /// The same for a username that does not exist, by the SHA-256 of the name (hex): its
    /// failures lock it like a real account's, so the lockout is no oracle for which names exist.
    public func reserveUnknownLoginAttempt(nameHash: String, now: String, lockFrom: Int, lockEnds: [String]) async throws -> Int? {
        try await sql.raw("""
            INSERT INTO login_throttle (id, failed_attempts, locked_until) VALUES (\(bind: nameHash), 0, NULL) ON CONFLICT (id) DO NOTHING
            """).run()
        return try await reserve(table: "login_throttle", id: nameHash, now: now, lockFrom: lockFrom, lockEnds: lockEnds)
    }

    /// When a throttled unknown username is locked until.
    public func unknownLoginLockedUntil(nameHash: String) async throws -> String? {
        try await sql.raw("SELECT locked_until FROM login_throttle WHERE id = \(bind: nameHash)").first()?
            .decode(column: "locked_until", as: String?.self)
    }

    private func reserve(table: String, id: String, now: String, lockFrom: Int, lockEnds: [String]) async throws -> Int? {
        precondition(lockFrom >= 1 && !lockEnds.isEmpty)
        var lock: SQLQueryString = "CASE"
        for (k, end) in lockEnds.enumerated() {
            let last = k == lockEnds.count - 1
            lock += " WHEN failed_attempts + 1 \(unsafeRaw: last ? ">=" : "=") \(literal: lockFrom + k) THEN \(bind: end)"
        }
        lock += " ELSE NULL END"
        return try await sql.raw("""
            UPDATE \(ident: table) SET failed_attempts = failed_attempts + 1, locked_until = \(lock)
            WHERE id = \(bind: id) AND (locked_until IS NULL OR locked_until <= \(bind: now)) RETURNING failed_attempts
            """).first()?.decode(column: "failed_attempts", as: Int.self)
    }

    /// Accepts a login whose password and TOTP code were right: records the code's time step and
    /// clears failures and lock, only if no login used this step or a later one (RFC 6238 §5.2:
    /// a code is accepted once). False when another login took the step first.
    public func acceptLogin(delegate id: String, totpStep: Int64) async throws -> Bool {
        try await sql.raw("""
            UPDATE delegates SET last_totp_step = \(bind: totpStep), failed_attempts = 0, locked_until = NULL
            WHERE id = \(bind: id) AND (last_totp_step IS NULL OR last_totp_step < \(bind: totpStep)) RETURNING id
            """).first() != nil
    }
}
