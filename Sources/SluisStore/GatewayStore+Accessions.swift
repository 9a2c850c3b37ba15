import SQLKit

extension GatewayStore {
    public func add(accession record: AccessionRecord) async throws {
        try await sql.insert(into: "accessions").columns("id", "party", "name", "proposed_by", "proposed_at", "status")
            .values(record.id, record.party, record.name, record.proposedBy, record.proposedAt, record.status.rawValue).run()
    }

    public func accession(_ id: String) async throws -> AccessionRecord? {
        try await accessions(accessionQuery().where("id", .equal, id)).first
    }

    public func accessions() async throws -> [AccessionRecord] {
        try await accessions(accessionQuery().orderBy("proposed_at"))
    }

    nonisolated func accessionQuery() -> SQLSelectBuilder {
        sql.select().columns("id", "party", "name", "proposed_by", "proposed_at", "status", "form_reference", "signed_on", "notified_at")
            .from("accessions")
    }

    /// The accessions `query` selects with their approvals: one query for all approvals.
    nonisolated func accessions(_ query: SQLSelectBuilder) async throws -> [AccessionRecord] {
        var records = try await query.all().map { try $0.decode(AccessionRecord.self, table: "accessions") }
        guard !records.isEmpty else { return [] }
        let approvals = try await StoredLists.accessionApprovals.load(records.map(\.id), on: sql)
        for index in records.indices { records[index].approvals = approvals[records[index].id] ?? [] }
        return records
    }

    /// Records one party's approval; false when that party approved already.
    public func approve(accession id: String, party: String, delegate: String, at time: String) async throws -> Bool {
        if try await sql.select().column("party").from("accession_approvals").where("accession_id", .equal, id)
            .where("party", .equal, party).first() != nil { return false }
        try await sql.insert(into: "accession_approvals").columns("accession_id", "party", "delegate", "approved_at")
            .values(id, party, delegate, time).run()
        return true
    }

    public func update(accession id: String, status: AccessionStatus, formReference: String? = nil, signedOn: String? = nil,
                       notifiedAt: String? = nil) async throws {
        var update = sql.update("accessions").set("status", to: status.rawValue)
        if let formReference { update = update.set("form_reference", to: formReference) }
        if let signedOn { update = update.set("signed_on", to: signedOn) }
        if let notifiedAt { update = update.set("notified_at", to: notifiedAt) }
        try await update.where("id", .equal, id).run()
    }
}
