public import SQLKit

/// Disclosures on a conflict of duties (convenant art. 6.1 sub e): the professional's written
/// justification, kept with its disclosure, and the sending party's list for its FG (art. 15.2).
extension GatewayStore {
    /// The justification, on `sql`: inside the register append that records the disclosure, so it
    /// commits with the entry and the disclosure, or none of them does.
    public static func add(justification record: JustificationRecord, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO disclosure_justifications (\(unsafeRaw: JustificationRecord.CodingKeys.list))
            VALUES (\(bind: record.disclosureID), \(bind: record.textCipher), \(bind: record.writtenBy), \(bind: record.writtenAt))
            """).run()
    }

    /// The disclosures `sender` made on a conflict of duties, each with its justification, by
    /// register index from `after` (exclusive), at most `limit`, without the bundles.
    public func justifiedDisclosures(sender: String, after: Int64?, limit: Int) async throws
        -> [(disclosure: DisclosureRecord, justification: JustificationRecord)] {
        let justifications = try await sql.raw("""
            SELECT j.disclosure_id, j.text_cipher, j.written_by, j.written_at
            FROM disclosure_justifications j JOIN disclosures d ON d.id = j.disclosure_id
            WHERE d.sender = \(bind: sender) AND d.register_index > \(bind: after ?? -1)
            ORDER BY d.register_index LIMIT \(bind: limit)
            """).all().map { try $0.decode(JustificationRecord.self, table: "disclosure_justifications") }
        guard !justifications.isEmpty else { return [] }
        let records = try await disclosures(disclosureQuery(bundle: false).where("id", .in, justifications.map(\.disclosureID)))
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
        return try justifications.map { justification in
            guard let disclosure = byID[justification.disclosureID] else {
                throw StoreError.unreadable(table: "disclosure_justifications", column: "disclosure_id", problem: "names no disclosure")
            }
            return (disclosure, justification)
        }
    }
}
