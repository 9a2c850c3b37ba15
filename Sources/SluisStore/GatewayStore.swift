public import Foundation
public import SQLKit

/// The gateway's own tables (parties, delegates, sessions, cases, informing, consents,
/// disclosures and notices, the audit log) on the same SQLite file or PostgreSQL database as
/// the register, with the same SQL for both. Each method is one statement (autocommit), so
/// calls from concurrent requests never interleave inside a transaction.
public actor GatewayStore {
    let connection: StoreConnection
    nonisolated var sql: any SQLDatabase { connection.sql }

    public static func open(_ location: DatabaseLocation) async throws -> GatewayStore {
        let connection = try await StoreConnection.open(location)
        do {
            try await Migrations.apply(connection)
        } catch {
            try? await connection.close()
            throw error
        }
        return GatewayStore(connection: connection)
    }

    init(connection: StoreConnection) { self.connection = connection }

    public func close() async throws { try await connection.close() }

    static func list(_ values: [String]) -> String { values.joined(separator: ",") }
    static func unlist(_ text: String) -> [String] { text.isEmpty ? [] : text.split(separator: ",").map(String.init) }

    // MARK: Parties

    public func upsert(party: PartyRecord, created: String) async throws {
        if try await self.party(party.id) == nil {
            try await sql.insert(into: "parties").columns("id", "kind", "name", "status", "created")
                .values(party.id, party.kind, party.name, party.status, created).run()
        } else {
            try await sql.update("parties").set("kind", to: party.kind).set("name", to: party.name).set("status", to: party.status)
                .where("id", .equal, party.id).run()
        }
    }

    public func party(_ id: String) async throws -> PartyRecord? {
        try await sql.select().columns("id", "kind", "name", "status").from("parties").where("id", .equal, id).first().map(Self.party)
    }

    public func parties() async throws -> [PartyRecord] {
        try await sql.select().columns("id", "kind", "name", "status").from("parties").orderBy("id").all().map(Self.party)
    }

    static func party(_ row: any SQLRow) throws -> PartyRecord {
        PartyRecord(id: try row.decode(column: "id", as: String.self), kind: try row.decode(column: "kind", as: String.self),
                    name: try row.decode(column: "name", as: String.self), status: try row.decode(column: "status", as: String.self))
    }

    // MARK: Delegates and sessions

    public func create(delegate: DelegateRecord, created: String) async throws {
        try await sql.insert(into: "delegates")
            .columns("id", "username", "party", "role", "password_hash", "totp_secret", "last_totp_step", "failed_attempts", "locked_until", "created")
            .values(delegate.id, delegate.username, delegate.party, delegate.role, delegate.passwordHash, delegate.totpSecretCipher,
                    delegate.lastTOTPStep, delegate.failedAttempts, delegate.lockedUntil, created).run()
    }

    public func delegate(username: String) async throws -> DelegateRecord? {
        try await delegateQuery().where("username", .equal, username).first().map(Self.delegate)
    }

    public func delegate(id: String) async throws -> DelegateRecord? {
        try await delegateQuery().where("id", .equal, id).first().map(Self.delegate)
    }

    public func delegates(party: String) async throws -> [DelegateRecord] {
        try await delegateQuery().where("party", .equal, party).orderBy("username").all().map(Self.delegate)
    }

    nonisolated func delegateQuery() -> SQLSelectBuilder {
        sql.select().columns("id", "username", "party", "role", "password_hash", "totp_secret", "last_totp_step", "failed_attempts", "locked_until",
                             "disabled_at")
            .from("delegates")
    }

    static func delegate(_ row: any SQLRow) throws -> DelegateRecord {
        DelegateRecord(
            id: try row.decode(column: "id", as: String.self), username: try row.decode(column: "username", as: String.self),
            party: try row.decode(column: "party", as: String.self), role: try row.decode(column: "role", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            totpSecretCipher: try row.decode(column: "totp_secret", as: String.self),
            lastTOTPStep: try row.decode(column: "last_totp_step", as: Int64?.self),
            failedAttempts: try row.decode(column: "failed_attempts", as: Int.self),
            lockedUntil: try row.decode(column: "locked_until", as: String?.self),
            disabledAt: try row.decode(column: "disabled_at", as: String?.self))
    }

    /// Disables (a time) or enables (nil) a delegate; its sessions and tokens end either way.
    public func setDisabled(delegate id: String, at time: String?) async throws {
        try await sql.update("delegates").set("disabled_at", to: time).set("failed_attempts", to: 0).set("locked_until", to: SQLLiteral.null)
            .where("id", .equal, id).run()
        try await deleteSessions(delegate: id)
    }

    /// Replaces both factors (a beheerder's reset); sessions and tokens end, the lock is lifted.
    public func reset(delegate id: String, passwordHash: String, totpSecretCipher: String) async throws {
        try await sql.update("delegates").set("password_hash", to: passwordHash).set("totp_secret", to: totpSecretCipher)
            .set("last_totp_step", to: SQLLiteral.null).set("failed_attempts", to: 0).set("locked_until", to: SQLLiteral.null)
            .where("id", .equal, id).run()
        try await deleteSessions(delegate: id)
    }

    /// Ends every session and system token of a delegate.
    public func deleteSessions(delegate id: String) async throws {
        try await sql.delete(from: "sessions").where("delegate", .equal, id).run()
    }

    public func createSession(tokenHash: String, delegate: String, kind: String, expires: String) async throws {
        try await sql.insert(into: "sessions").columns("token_hash", "delegate", "kind", "expires")
            .values(tokenHash, delegate, kind, expires).run()
    }

    public func session(tokenHash: String) async throws -> (delegate: String, kind: String, expires: String)? {
        guard let row = try await sql.select().columns("delegate", "kind", "expires").from("sessions")
            .where("token_hash", .equal, tokenHash).first() else { return nil }
        return (try row.decode(column: "delegate", as: String.self), try row.decode(column: "kind", as: String.self),
                try row.decode(column: "expires", as: String.self))
    }

    public func deleteSession(tokenHash: String) async throws {
        try await sql.delete(from: "sessions").where("token_hash", .equal, tokenHash).run()
    }

    // MARK: Cases

    public func create(case record: CaseRecord, parties: [String]) async throws {
        try await Self.create(case: record, parties: parties, on: sql)
    }

    /// The same, on another connection (inside the register append of a DUO melding recorded
    /// with the case, so that the case and its melding commit together).
    public static func create(case record: CaseRecord, parties: [String], on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "cases")
            .columns("id", "pupil_key", "data_cipher", "owner", "status", "closure_reason", "closed_at", "phase", "case_type", "duo_melding", "created",
                     "duo_melding_date", "duo_melding_reference", "duo_melding_party")
            .values(record.id, record.pupilKey, record.dataCipher, record.owner, record.status, record.closureReason, record.closedAt,
                    record.phase, record.caseType, record.duoMelding ? 1 : 0, record.created, record.duoMeldingDate,
                    record.duoMeldingReference, record.duoMeldingParty).run()
        for party in Set(parties + [record.owner]).sorted() { try await add(party: party, toCase: record.id, on: sql) }
    }

    public func add(party: String, toCase id: String) async throws {
        try await Self.add(party: party, toCase: id, on: sql)
    }

    /// The same, on another connection (e.g. inside a register append's transaction). A party
    /// that joins gets a case reference of its own, random, shared with no other party.
    public static func add(party: String, toCase id: String, ref: String = UUID().uuidString.lowercased(), on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO case_parties (case_id, party, ref) SELECT \(bind: id), \(bind: party), \(bind: ref)
            WHERE NOT EXISTS (SELECT 1 FROM case_parties WHERE case_id = \(bind: id) AND party = \(bind: party))
            """).run()
    }

    public func `case`(_ id: String) async throws -> CaseRecord? {
        try await Self.case(id, on: sql)
    }

    /// The case row, read on `sql` (inside a transaction: locked for update on PostgreSQL, so a
    /// concurrent change waits for the transaction that relies on it).
    public static func `case`(_ id: String, on sql: any SQLDatabase, lock: Bool = false) async throws -> CaseRecord? {
        var query: SQLQueryString = """
            SELECT id, pupil_key, data_cipher, owner, status, closure_reason, closed_at, phase, case_type, duo_melding, created,
            duo_melding_date, duo_melding_reference, duo_melding_party FROM cases WHERE id = \(bind: id)
            """
        if lock && sql.dialect.name == "postgresql" { query.appendLiteral(" FOR UPDATE") }
        return try await sql.raw(query).first().map { row in
                CaseRecord(
                    id: try row.decode(column: "id", as: String.self), pupilKey: try row.decode(column: "pupil_key", as: String.self),
                    dataCipher: try row.decode(column: "data_cipher", as: String.self), owner: try row.decode(column: "owner", as: String.self),
                    status: try row.decode(column: "status", as: String.self),
                    closureReason: try row.decode(column: "closure_reason", as: String?.self),
                    closedAt: try row.decode(column: "closed_at", as: String?.self), phase: try row.decode(column: "phase", as: String.self),
                    caseType: try row.decode(column: "case_type", as: String?.self),
                    duoMelding: try row.decode(column: "duo_melding", as: Int.self) != 0, created: try row.decode(column: "created", as: String.self),
                    duoMeldingDate: try row.decode(column: "duo_melding_date", as: String?.self),
                    duoMeldingReference: try row.decode(column: "duo_melding_reference", as: String?.self),
                    duoMeldingParty: try row.decode(column: "duo_melding_party", as: String?.self))
            }
    }

    public func parties(ofCase id: String) async throws -> [String] {
        try await sql.select().column("party").from("case_parties").where("case_id", .equal, id).orderBy("party").all()
            .map { try $0.decode(column: "party", as: String.self) }
    }

    /// The cases a party takes part in (art. 7.3), newest first, paged.
    public func cases(ofParty party: String, limit: Int) async throws -> [String] {
        try await sql.raw("""
            SELECT c.id AS id FROM cases c JOIN case_parties p ON p.case_id = c.id WHERE p.party = \(bind: party)
            ORDER BY c.created DESC, c.id LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: String.self) }
    }

    /// What a change to a case sets; nil leaves a column as it is. (A DUO melding is not a
    /// change of the case but an event of its own: `record(melding:answering:on:)`.)
    public struct CaseChange: Sendable {
        public var phase: String?
        public var caseType: String?
        /// Closing: the reason and when.
        public var closure: (reason: String, at: String)?

        public init(phase: String? = nil, caseType: String? = nil, closure: (reason: String, at: String)? = nil) {
            self.phase = phase
            self.caseType = caseType
            self.closure = closure
        }
    }

    /// Changes only the given columns, in one statement that also checks what it relies on:
    /// the case is still open. False when that no longer holds (a concurrent closure, say):
    /// nothing was written.
    public func change(case id: String, _ change: CaseChange) async throws -> Bool {
        let update = sql.update("cases")
        if let phase = change.phase { update.set("phase", to: phase) }
        if let caseType = change.caseType { update.set("case_type", to: caseType) }
        if let closure = change.closure {
            update.set("status", to: "closed").set("closure_reason", to: closure.reason).set("closed_at", to: closure.at)
        }
        update.where("id", .equal, id).where("status", .equal, "open")
        return try await !update.returning("id").all().isEmpty
    }

    public func update(case record: CaseRecord) async throws {
        try await sql.update("cases").set("data_cipher", to: record.dataCipher).set("status", to: record.status)
            .set("closure_reason", to: record.closureReason).set("closed_at", to: record.closedAt).set("phase", to: record.phase)
            .set("case_type", to: record.caseType).set("duo_melding", to: record.duoMelding ? 1 : 0)
            .set("duo_melding_date", to: record.duoMeldingDate).set("duo_melding_reference", to: record.duoMeldingReference)
            .set("duo_melding_party", to: record.duoMeldingParty)
            .where("id", .equal, record.id).run()
    }

    // MARK: Informing (art. 12.1–12.2)

    public func add(informing record: InformingRecord) async throws {
        try await sql.insert(into: "informing").columns("id", "case_id", "party", "delegate", "informed_at", "method", "recorded")
            .values(record.id, record.caseID, record.party, record.delegate, record.informedAt, record.method, record.recorded).run()
    }

    public func informing(caseID: String) async throws -> [InformingRecord] {
        try await Self.informing(caseID: caseID, on: sql)
    }

    public static func informing(caseID: String, on sql: any SQLDatabase) async throws -> [InformingRecord] {
        try await sql.select().columns("id", "case_id", "party", "delegate", "informed_at", "method", "recorded").from("informing")
            .where("case_id", .equal, caseID).orderBy("recorded").orderBy("id").all().map { row in
                InformingRecord(
                    id: try row.decode(column: "id", as: String.self), caseID: try row.decode(column: "case_id", as: String.self),
                    party: try row.decode(column: "party", as: String.self), delegate: try row.decode(column: "delegate", as: String.self),
                    informedAt: try row.decode(column: "informed_at", as: String.self), method: try row.decode(column: "method", as: String.self),
                    recorded: try row.decode(column: "recorded", as: String.self))
            }
    }

    // MARK: Consents (art. 6.1, 11.5)

    public func add(consent record: ConsentRecord) async throws {
        try await sql.insert(into: "consents")
            .columns("id", "case_id", "holder", "given_by", "recipients", "fields", "question", "evidence", "recorded_by", "recorded_at",
                     "revoked_at", "revoked_by")
            .values(record.id, record.caseID, record.holder, Self.list(record.givenBy), Self.list(record.recipients), Self.list(record.fields),
                    record.question, record.evidence, record.recordedBy, record.recordedAt, record.revokedAt, record.revokedBy).run()
    }

    public func consents(caseID: String) async throws -> [ConsentRecord] {
        try await Self.consents(caseID: caseID, on: sql)
    }

    public static func consents(caseID: String, on sql: any SQLDatabase) async throws -> [ConsentRecord] {
        try await consentQuery(sql).where("case_id", .equal, caseID).orderBy("recorded_at").orderBy("id").all().map(Self.consent)
    }

    public func consent(_ id: String) async throws -> ConsentRecord? {
        try await Self.consentQuery(sql).where("id", .equal, id).first().map(Self.consent)
    }

    static func consentQuery(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns("id", "case_id", "holder", "given_by", "recipients", "fields", "question", "evidence", "recorded_by",
                             "recorded_at", "revoked_at", "revoked_by").from("consents")
    }

    static func consent(_ row: any SQLRow) throws -> ConsentRecord {
        ConsentRecord(
            id: try row.decode(column: "id", as: String.self), caseID: try row.decode(column: "case_id", as: String.self),
            holder: try row.decode(column: "holder", as: String.self), givenBy: unlist(try row.decode(column: "given_by", as: String.self)),
            recipients: unlist(try row.decode(column: "recipients", as: String.self)), fields: unlist(try row.decode(column: "fields", as: String.self)),
            question: try row.decode(column: "question", as: String?.self), evidence: try row.decode(column: "evidence", as: String.self),
            recordedBy: try row.decode(column: "recorded_by", as: String.self), recordedAt: try row.decode(column: "recorded_at", as: String.self),
            revokedAt: try row.decode(column: "revoked_at", as: String?.self), revokedBy: try row.decode(column: "revoked_by", as: String?.self))
    }

    /// Marks a consent revoked in one statement that checks and writes; false when it was
    /// revoked already (also when another request revoked it a moment earlier).
    public static func revoke(consent id: String, by delegate: String, at time: String, on sql: any SQLDatabase) async throws -> Bool {
        try await !sql.raw("""
            UPDATE consents SET revoked_at = \(bind: time), revoked_by = \(bind: delegate) WHERE id = \(bind: id) AND revoked_at IS NULL
            RETURNING id
            """).all().isEmpty
    }

    // MARK: Disclosures, the mailbox and notices

    public func add(disclosure record: DisclosureRecord) async throws {
        try await Self.add(disclosure: record, on: sql)
    }

    /// The same, on another connection (inside the register append that records it).
    public static func add(disclosure record: DisclosureRecord, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "disclosures")
            .columns("id", "case_id", "sender", "recipient", "forum", "purpose", "released", "consents", "register_index", "bundle",
                     "bundle_digest", "created", "fetched_at", "acknowledged_at", "recipient_role")
            .values(record.id, record.caseID, record.sender, record.recipient, record.forum, record.purpose, Self.list(record.released),
                    Self.list(record.consents), record.registerIndex, record.bundle, record.bundleDigest, record.created,
                    record.fetchedAt, record.acknowledgedAt, record.recipientRole).run()
    }

    public func disclosure(_ id: String) async throws -> DisclosureRecord? {
        try await disclosureQuery(bundle: true).where("id", .equal, id).first().map { try Self.disclosure($0, bundle: true) }
    }

    /// A party's mailbox: what was disclosed to it, newest first, without the bundles. At a
    /// gemeente only what was addressed to the given role (art. 7.3).
    /// `before`: (created, id) of the last item of the previous page — newest first, paged.
    public func mailbox(party: String, role: String?, limit: Int, before: (created: String, id: String)? = nil) async throws -> [DisclosureRecord] {
        var query = disclosureQuery(bundle: false).where("recipient", .equal, party)
        query = role.map { query.where("recipient_role", .equal, $0) } ?? query.where("recipient_role", .is, SQLLiteral.null)
        if let before {
            query = query.where { $0.where("created", .lessThan, before.created)
                .orWhere { $0.where("created", .equal, before.created).where("id", .lessThan, before.id) } }
        }
        return try await query.orderBy("created", .descending).orderBy("id", .descending).limit(limit).all().map { try Self.disclosure($0, bundle: false) }
    }

    public func disclosures(caseID: String) async throws -> [DisclosureRecord] {
        try await disclosureQuery(bundle: false).where("case_id", .equal, caseID).orderBy("created").all().map { try Self.disclosure($0, bundle: false) }
    }

    nonisolated func disclosureQuery(bundle: Bool) -> SQLSelectBuilder {
        var columns = ["id", "case_id", "sender", "recipient", "forum", "purpose", "released", "consents", "register_index",
                       "bundle_digest", "created", "fetched_at", "acknowledged_at", "recipient_role"]
        if bundle { columns.append("bundle") }
        return sql.select().columns(columns).from("disclosures")
    }

    static func disclosure(_ row: any SQLRow, bundle: Bool) throws -> DisclosureRecord {
        DisclosureRecord(
            id: try row.decode(column: "id", as: String.self), caseID: try row.decode(column: "case_id", as: String.self),
            sender: try row.decode(column: "sender", as: String.self), recipient: try row.decode(column: "recipient", as: String.self),
            forum: try row.decode(column: "forum", as: String.self), purpose: try row.decode(column: "purpose", as: String.self),
            released: unlist(try row.decode(column: "released", as: String.self)), consents: unlist(try row.decode(column: "consents", as: String.self)),
            registerIndex: try row.decode(column: "register_index", as: Int64.self), bundle: bundle ? try row.decode(column: "bundle", as: String.self) : "",
            bundleDigest: try row.decode(column: "bundle_digest", as: String.self), created: try row.decode(column: "created", as: String.self),
            fetchedAt: try row.decode(column: "fetched_at", as: String?.self), acknowledgedAt: try row.decode(column: "acknowledged_at", as: String?.self),
            recipientRole: try row.decode(column: "recipient_role", as: String?.self))
    }

    public func markFetched(disclosure id: String, at time: String) async throws {
        try await sql.update("disclosures").set("fetched_at", to: time).where("id", .equal, id).run()
    }

    public func markAcknowledged(disclosure id: String, at time: String) async throws {
        try await sql.update("disclosures").set("acknowledged_at", to: time).where("id", .equal, id).run()
    }

    /// The parties (and, at a gemeente, roles) that received data on a consent (art. 11.5:
    /// they are told of a revocation), read on `sql` — inside the revocation's transaction.
    public static func recipients(ofConsent id: String, on sql: any SQLDatabase) async throws -> [(party: String, role: String?)] {
        try await sql.raw("""
            SELECT DISTINCT recipient, recipient_role FROM disclosures WHERE \(restsOn(consent: id)) ORDER BY recipient, recipient_role
            """).all().map { (try $0.decode(column: "recipient", as: String.self), try $0.decode(column: "recipient_role", as: String?.self)) }
    }

    /// The SQL condition "this disclosure rested on consent `id`" (the consents column is a
    /// comma-joined list of ids).
    static func restsOn(consent id: String) -> SQLQueryString {
        "(consents = \(bind: id) OR consents LIKE \(bind: id + ",%") OR consents LIKE \(bind: "%," + id) OR consents LIKE \(bind: "%," + id + ",%"))"
    }

    public func add(notice record: NoticeRecord) async throws {
        try await Self.add(notice: record, on: sql)
    }

    public static func add(notice record: NoticeRecord, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "notices").columns("id", "party", "case_id", "kind", "consent_id", "created", "acknowledged_at", "role")
            .values(record.id, record.party, record.caseID, record.kind, record.consentID, record.created, record.acknowledgedAt, record.role).run()
    }

    /// The notices for a party and, at a gemeente, for one role, newest first.
    public func notice(_ id: String) async throws -> NoticeRecord? {
        try await noticeQuery().where("id", .equal, id).first().map(Self.notice)
    }

    nonisolated func noticeQuery() -> SQLSelectBuilder {
        sql.select().columns("id", "party", "case_id", "kind", "consent_id", "created", "acknowledged_at", "role").from("notices")
    }

    static func notice(_ row: any SQLRow) throws -> NoticeRecord {
        NoticeRecord(
            id: try row.decode(column: "id", as: String.self), party: try row.decode(column: "party", as: String.self),
            caseID: try row.decode(column: "case_id", as: String.self), kind: try row.decode(column: "kind", as: String.self),
            consentID: try row.decode(column: "consent_id", as: String?.self), created: try row.decode(column: "created", as: String.self),
            acknowledgedAt: try row.decode(column: "acknowledged_at", as: String?.self), role: try row.decode(column: "role", as: String?.self))
    }

    public func acknowledge(notice id: String, at time: String) async throws {
        try await sql.update("notices").set("acknowledged_at", to: time).where("id", .equal, id).where("acknowledged_at", .is, SQLLiteral.null).run()
    }

    public func notices(party: String, role: String?, limit: Int) async throws -> [NoticeRecord] {
        var query = noticeQuery().where("party", .equal, party)
        query = role.map { query.where("role", .equal, $0) } ?? query.where("role", .is, SQLLiteral.null)
        return try await query.orderBy("created", .descending).limit(limit).all().map(Self.notice)
    }

    // MARK: Audit log (logins and denials of access; not the disclosure register)

    public func add(audit record: AuditRecord) async throws {
        try await sql.insert(into: "audit_log").columns("id", "time", "trace_id", "event", "delegate", "party", "outcome", "detail")
            .values(record.id, record.time, record.traceID, record.event, record.delegate, record.party, record.outcome, record.detail).run()
    }

    public func audit(limit: Int) async throws -> [AuditRecord] {
        try await sql.select().columns("id", "time", "trace_id", "event", "delegate", "party", "outcome", "detail").from("audit_log")
            .orderBy("time", .descending).limit(limit).all().map { row in
                AuditRecord(
                    id: try row.decode(column: "id", as: String.self), time: try row.decode(column: "time", as: String.self),
                    traceID: try row.decode(column: "trace_id", as: String.self), event: try row.decode(column: "event", as: String.self),
                    delegate: try row.decode(column: "delegate", as: String?.self), party: try row.decode(column: "party", as: String?.self),
                    outcome: try row.decode(column: "outcome", as: String.self), detail: try row.decode(column: "detail", as: String.self))
            }
    }
}
