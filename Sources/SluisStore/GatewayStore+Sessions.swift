public import SQLKit

/// A bearer token's holder, read on every authenticated request (art. 10.2).
extension GatewayStore {
    /// A session with its delegate and the delegate's party: what `AccessControl.authenticate`
    /// checks (expiry, a disabled delegate) before any request is served.
    public struct SessionHolder: Sendable, Equatable {
        public var session: SessionRecord
        public var delegate: DelegateRecord
        public var party: PartyRecord
    }

    /// The session of a token (by its hash) with its delegate and party, in one statement
    /// (three rows joined; nil when any of them is missing). One round trip instead of three on
    /// every request (docs/performance.md, "PostgreSQL and a second instance").
    public func sessionHolder(tokenHash: String) async throws -> SessionHolder? {
        func prefixed<Key: CaseIterable & RawRepresentable<String>>(_: Key.Type, _ table: String, _ prefix: String) -> String {
            Key.allCases.map { "\(table).\($0.rawValue) AS \(prefix)\($0.rawValue)" }.joined(separator: ", ")
        }
        let columns = [prefixed(SessionRecord.CodingKeys.self, "s", "s_"), prefixed(DelegateRecord.CodingKeys.self, "d", "d_"),
                       prefixed(PartyRecord.CodingKeys.self, "p", "p_")].joined(separator: ", ")
        // Prepared on PostgreSQL: read on every authenticated request.
        guard let row = try await PreparedReads.rows("""
            SELECT \(unsafeRaw: columns) FROM sessions s JOIN delegates d ON d.id = s.delegate JOIN parties p ON p.id = d.party
            WHERE s.token_hash = \(bind: tokenHash)
            """, on: sql).first else { return nil }
        return SessionHolder(session: try row.decode(SessionRecord.self, table: "sessions", prefix: "s_"),
                             delegate: try row.decode(DelegateRecord.self, table: "delegates", prefix: "d_"),
                             party: try row.decode(PartyRecord.self, table: "parties", prefix: "p_"))
    }
}
