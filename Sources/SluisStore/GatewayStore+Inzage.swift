import SQLKit

extension GatewayStore {
    /// Every entry of the case on the thuiszitterstafel list, on it or taken off (Bijlage 3.3),
    /// by list number: what the inzage report shows of the list (convenant art. 13.1 sub a).
    public func tafelEntries(caseID: String) async throws -> [TafelEntryRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: TafelEntryRecord.CodingKeys.list) FROM tafel_entries WHERE case_id = \(bind: caseID) ORDER BY number
            """).all().map { try $0.decode(TafelEntryRecord.self, table: "tafel_entries") }
    }
}
