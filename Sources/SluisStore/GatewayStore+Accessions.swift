import SQLKit

extension GatewayStore {
    public func add(accession record: AccessionRecord) async throws {
        try await sql.insert(into: "accessions").columns("id", "party", "name", "proposed_by", "proposed_at", "status")
            .values(record.id, record.party, record.name, record.proposedBy, record.proposedAt, record.status).run()
    }

    public func accession(_ id: String) async throws -> AccessionRecord? {
        guard let row = try await accessionQuery().where("id", .equal, id).first() else { return nil }
        return try await accession(row)
    }

    public func accessions() async throws -> [AccessionRecord] {
        var result: [AccessionRecord] = []
        for row in try await accessionQuery().orderBy("proposed_at").all() { result.append(try await accession(row)) }
        return result
    }

    nonisolated func accessionQuery() -> SQLSelectBuilder {
        sql.select().columns("id", "party", "name", "proposed_by", "proposed_at", "status", "form_reference", "signed_on", "notified_at")
            .from("accessions")
    }

    func accession(_ row: any SQLRow) async throws -> AccessionRecord {
        let id = try row.decode(column: "id", as: String.self)
        let approvals = try await sql.select().column("party").from("accession_approvals").where("accession_id", .equal, id)
            .orderBy("party").all().map { try $0.decode(column: "party", as: String.self) }
        return AccessionRecord(
            id: id, party: try row.decode(column: "party", as: String.self), name: try row.decode(column: "name", as: String.self),
            proposedBy: try row.decode(column: "proposed_by", as: String.self), proposedAt: try row.decode(column: "proposed_at", as: String.self),
            status: try row.decode(column: "status", as: String.self), formReference: try row.decode(column: "form_reference", as: String?.self),
            signedOn: try row.decode(column: "signed_on", as: String?.self), notifiedAt: try row.decode(column: "notified_at", as: String?.self),
            approvals: approvals)
    }

    /// Records one party's approval; false when that party approved already.
    public func approve(accession id: String, party: String, delegate: String, at time: String) async throws -> Bool {
        if try await sql.select().column("party").from("accession_approvals").where("accession_id", .equal, id)
            .where("party", .equal, party).first() != nil { return false }
        try await sql.insert(into: "accession_approvals").columns("accession_id", "party", "delegate", "approved_at")
            .values(id, party, delegate, time).run()
        return true
    }

    public func update(accession id: String, status: String, formReference: String? = nil, signedOn: String? = nil,
                       notifiedAt: String? = nil) async throws {
        var update = sql.update("accessions").set("status", to: status)
        if let formReference { update = update.set("form_reference", to: formReference) }
        if let signedOn { update = update.set("signed_on", to: signedOn) }
        if let notifiedAt { update = update.set("notified_at", to: notifiedAt) }
        try await update.where("id", .equal, id).run()
    }
}
