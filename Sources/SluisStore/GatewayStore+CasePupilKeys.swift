public import SQLKit

/// The school's pupil key of a case, as a keyed hash (Bijlage 3.1; AVG art. 5(1)(d)): one row
/// per case, unique per school board (migration 13). The key itself is stored encrypted with a
/// random nonce, which the database cannot compare; the hash lets the database itself refuse a
/// second key on a case and the same key on a second case of the school — across gateway instances.
extension GatewayStore {
    /// What binding a pupil key to a case found.
    public enum PupilKeyBinding: Sendable, Equatable {
        /// The case holds this key (now, or already).
        case bound
        /// The case holds another key: one case, one pupil.
        case otherKey
        /// Another case of this school board holds this key: one pupil, one case.
        case otherCase
    }

    /// Binds `hash` to case `caseID` of school board `party` on `sql` — inside the transaction
    /// that writes the melding or its key, so both commit or neither. One insert the unique
    /// indexes decide (PostgreSQL makes a racing insert wait for the first to commit), then the
    /// case's row read back. `matches`: whether a stored hash is of this key (it may have been
    /// made under an older pseudonym key version).
    public static func bind(pupilHash hash: String, caseID: String, party: String, matches: (String) throws -> Bool,
                            on sql: any SQLDatabase) async throws -> PupilKeyBinding {
        try await sql.raw("""
            INSERT INTO case_pupil_keys (case_id, party, key_hash) VALUES (\(bind: caseID), \(bind: party), \(bind: hash))
            ON CONFLICT DO NOTHING
            """).run()
        guard let stored = try await sql.raw("SELECT key_hash FROM case_pupil_keys WHERE case_id = \(bind: caseID)").first()?
            .decode(column: "key_hash", as: String.self) else { return .otherCase }
        return try stored == hash || matches(stored) ? .bound : .otherKey
    }

    /// Gives a melding its pupil key (`give(pupilCipher:…)`) and binds the key's hash to the
    /// case, in one transaction. Nil when the melding could not take it (see `give`), else the
    /// binding; only `.bound` wrote anything.
    public func give(pupilCipher cipher: String, hash: String, matches: @Sendable (String) throws -> Bool, melding id: String,
                     caseID: String, party: String) async throws -> PupilKeyBinding? {
        struct Refused: Error { let binding: PupilKeyBinding? }
        do {
            return try await transaction { sql in
                let binding = try await Self.bind(pupilHash: hash, caseID: caseID, party: party, matches: matches, on: sql)
                guard binding == .bound else { throw Refused(binding: binding) }
                guard try await Self.give(pupilCipher: cipher, melding: id, caseID: caseID, party: party, on: sql) else { throw Refused(binding: nil) }
                return binding
            }
        } catch let refused as Refused {
            return refused.binding
        }
    }

    /// The meldingen with a pupil key whose case has no key hash yet (stored before migration
    /// 13): the gateway hashes them at start.
    public func meldingenWithoutKeyHash() async throws -> [DuoMeldingRecord] {
        try await meldingQuery().where("pupil_cipher", .isNot, SQLLiteral.null)
            .where(SQLColumn("case_id"), .notIn, SQLRaw("(SELECT case_id FROM case_pupil_keys)"))
            .orderBy("received_at").orderBy("id").all().map(Self.melding)
    }

    /// Binds a hash at start, in its own transaction.
    public func bind(pupilHash hash: String, caseID: String, party: String, matches: @Sendable (String) throws -> Bool) async throws -> PupilKeyBinding {
        try await transaction { sql in try await Self.bind(pupilHash: hash, caseID: caseID, party: party, matches: matches, on: sql) }
    }
}
