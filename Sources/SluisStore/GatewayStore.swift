public import Foundation
public import SQLKit
public import SluisCovenant

/// The gateway's own tables (parties, delegates, sessions, cases, informing, consents,
/// disclosures and notices, the audit log) on the same SQLite file or PostgreSQL database as
/// the register, with the same SQL for both. Rows are read as Codable records (`StoredRows`);
/// a value outside a column's vocabulary is `StoreError.unreadable`. Each method is one
/// statement (autocommit) on the store's connection (on PostgreSQL a pool of them), so calls
/// from concurrent requests never interleave inside a transaction — except the writes of a record with its lists
/// (`StoredList`), which run as a transaction on a second connection (`transaction`).
public actor GatewayStore {
    let connection: StoreConnection
    nonisolated var sql: any SQLDatabase { connection.sql }
    let location: DatabaseLocation
    /// The connection for multi-statement writes, opened on first use; one transaction at a time.
    private var writer: StoreConnection?
    private var writing = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// On PostgreSQL the statements that stand alone go to a pool of connections
    /// (`StoreConnection.open(_:pooled:)`; `?connections=N`), transactions to the writer.
    public static func open(_ location: DatabaseLocation) async throws -> GatewayStore {
        let connection = try await StoreConnection.open(location, pooled: true)
        // Migrations run in transactions, which a pool cannot: then on the writer, opened now.
        var writer: StoreConnection?
        do {
            if connection.pooled { writer = try await StoreConnection.open(location) }
            try await Migrations.apply(writer ?? connection)
        } catch {
            try? await writer?.close()
            try? await connection.close()
            throw error
        }
        return GatewayStore(connection: connection, location: location, writer: writer)
    }

    init(connection: StoreConnection, location: DatabaseLocation, writer: StoreConnection? = nil) {
        self.connection = connection
        self.location = location
        self.writer = writer
    }

    public func close() async throws {
        try await writer?.close()
        writer = nil
        try await connection.close()
    }

    /// Runs `body` in one transaction on the writer connection: all of it commits or none.
    /// Actor methods interleave at each `await`, so transactions queue here, one at a time.
    func transaction<R: Sendable>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        if writing { await withCheckedContinuation { waiting.append($0) } } else { writing = true }
        // Hand the turn to the next in line (`writing` stays set), or end it.
        defer { if waiting.isEmpty { writing = false } else { waiting.removeFirst().resume() } }
        let writer: StoreConnection
        if let open = self.writer {
            writer = open
        } else {
            writer = try await StoreConnection.open(location)
            self.writer = writer
        }
        return try await writer.transaction { try await body(writer.sql) }
    }

    // MARK: Parties

    public func upsert(party: PartyRecord, created: String) async throws {
        if try await self.party(party.id) == nil {
            try await sql.insert(into: "parties").columns("id", "kind", "name", "status", "created")
                .values(party.id, party.kind.rawValue, party.name, party.status.rawValue, created).run()
        } else {
            try await sql.update("parties").set("kind", to: party.kind.rawValue).set("name", to: party.name)
                .set("status", to: party.status.rawValue).where("id", .equal, party.id).run()
        }
    }

    /// Prepared on PostgreSQL: a disclosure's recipient.
    public func party(_ id: String) async throws -> PartyRecord? {
        try await PreparedReads.rows("SELECT \(unsafeRaw: PartyRecord.CodingKeys.list) FROM parties WHERE id = \(bind: id)", on: sql).first?
            .decode(PartyRecord.self, table: "parties")
    }

    public func parties() async throws -> [PartyRecord] {
        try await sql.raw("SELECT \(unsafeRaw: PartyRecord.CodingKeys.list) FROM parties ORDER BY id").all()
            .map { try $0.decode(PartyRecord.self, table: "parties") }
    }

    // MARK: Delegates and sessions

    public func create(delegate: DelegateRecord, created: String) async throws {
        try await Self.insert(delegate: delegate, created: created, on: sql)
    }

    static func insert(delegate: DelegateRecord, created: String, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "delegates")
            .columns("id", "username", "party", "role", "password_hash", "totp_secret", "last_totp_step", "failed_attempts", "locked_until", "created")
            .values(delegate.id, delegate.username, delegate.party, delegate.role.rawValue, delegate.passwordHash, delegate.totpSecretCipher,
                    delegate.lastTOTPStep, delegate.failedAttempts, delegate.lockedUntil, created).run()
    }

    /// Creates `delegate` (a beheerder) only if its party has no enabled beheerder: the check and
    /// the insert in one transaction that first writes the party's row, which serialises two
    /// concurrent first-beheerder requests on SQLite and PostgreSQL alike. False when one exists.
    public func createFirst(beheerder delegate: DelegateRecord, created: String) async throws -> Bool {
        try await transaction { sql in
            try await sql.raw("UPDATE parties SET status = status WHERE id = \(bind: delegate.party)").run()
            let existing = try await sql.raw("""
                SELECT id FROM delegates WHERE party = \(bind: delegate.party) AND role = 'beheerder' AND disabled_at IS NULL
                """).first()
            guard existing == nil else { return false }
            try await Self.insert(delegate: delegate, created: created, on: sql)
            return true
        }
    }

    public func delegate(username: String) async throws -> DelegateRecord? {
        try await delegates(where: "username = \(bind: username)").first
    }

    public func delegate(id: String) async throws -> DelegateRecord? {
        try await delegates(where: "id = \(bind: id)").first
    }

    public func delegates(party: String) async throws -> [DelegateRecord] {
        try await delegates(where: "party = \(bind: party) ORDER BY username")
    }

    nonisolated func delegates(where condition: SQLQueryString) async throws -> [DelegateRecord] {
        try await sql.raw("SELECT \(unsafeRaw: DelegateRecord.CodingKeys.list) FROM delegates WHERE \(condition)").all()
            .map { try $0.decode(DelegateRecord.self, table: "delegates") }
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

    public func createSession(tokenHash: String, delegate: String, kind: SessionKind, expires: String) async throws {
        try await sql.insert(into: "sessions").columns("token_hash", "delegate", "kind", "expires")
            .values(tokenHash, delegate, kind.rawValue, expires).run()
    }

    public func session(tokenHash: String) async throws -> SessionRecord? {
        try await sql.raw("SELECT \(unsafeRaw: SessionRecord.CodingKeys.list) FROM sessions WHERE token_hash = \(bind: tokenHash)").first()?
            .decode(SessionRecord.self, table: "sessions")
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
                     "duo_melding_date", "duo_melding_reference", "duo_melding_party", "closed_by")
            .values(record.id, record.pupilKey, record.dataCipher, record.owner, record.status.rawValue, record.closureReason, record.closedAt,
                    record.phase, record.caseType, record.duoMelding ? 1 : 0, record.created, record.duoMeldingDate,
                    record.duoMeldingReference, record.duoMeldingParty, record.closedBy).run()
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
    /// concurrent change waits for the transaction that relies on it). `duo_melding` is an
    /// INTEGER 0/1 on both databases, read as a boolean through `<> 0`.
    public static func `case`(_ id: String, on sql: any SQLDatabase, lock: Bool = false) async throws -> CaseRecord? {
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: Self.caseColumns) FROM cases WHERE id = \(bind: id)
            """
        if lock && sql.dialect.name == "postgresql" { query.appendLiteral(" FOR UPDATE") }
        return try await sql.raw(query).first()?.decode(CaseRecord.self, table: "cases")
    }

    /// The select list of a case row: `duo_melding` is an INTEGER 0/1 on both databases, read as a boolean.
    static let caseColumns = """
        id, pupil_key, data_cipher, owner, status, closure_reason, closed_at, closed_by, phase, case_type, duo_melding <> 0 AS duo_melding, \
        created, duo_melding_date, duo_melding_reference, duo_melding_party
        """

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
        /// Closing (art. 5.5): the reason, when, and the delegate that closed it.
        public var closure: (reason: String, at: String, by: String)?

        public init(phase: String? = nil, caseType: String? = nil, closure: (reason: String, at: String, by: String)? = nil) {
            self.phase = phase
            self.caseType = caseType
            self.closure = closure
        }
    }

    /// Changes only the given columns, in one statement that also checks what it relies on:
    /// the case is still open. False when that no longer holds (a concurrent closure, say):
    /// nothing was written.
    public func change(case id: String, _ change: CaseChange) async throws -> Bool {
        try await Self.change(case: id, change, on: sql)
    }

    /// The same, on `sql` (inside an erasure's transaction: closed and destroyed together).
    public static func change(case id: String, _ change: CaseChange, on sql: any SQLDatabase) async throws -> Bool {
        let update = sql.update("cases")
        if let phase = change.phase { update.set("phase", to: phase) }
        if let caseType = change.caseType { update.set("case_type", to: caseType) }
        if let closure = change.closure {
            update.set("status", to: CaseStatus.closed.rawValue).set("closure_reason", to: closure.reason).set("closed_at", to: closure.at)
                .set("closed_by", to: closure.by)
        }
        update.where("id", .equal, id).where("status", .equal, CaseStatus.open.rawValue)
        return try await !update.returning("id").all().isEmpty
    }

    public func update(case record: CaseRecord) async throws {
        try await sql.update("cases").set("data_cipher", to: record.dataCipher).set("status", to: record.status.rawValue)
            .set("closure_reason", to: record.closureReason).set("closed_at", to: record.closedAt).set("closed_by", to: record.closedBy)
            .set("phase", to: record.phase)
            .set("case_type", to: record.caseType).set("duo_melding", to: record.duoMelding ? 1 : 0)
            .set("duo_melding_date", to: record.duoMeldingDate).set("duo_melding_reference", to: record.duoMeldingReference)
            .set("duo_melding_party", to: record.duoMeldingParty)
            .where("id", .equal, record.id).run()
    }

    // MARK: Informing (art. 12.1–12.2)

    public func add(informing record: InformingRecord) async throws {
        try await sql.insert(into: "informing").columns("id", "case_id", "party", "delegate", "informed_at", "method", "recorded")
            .values(record.id, record.caseID, record.party, record.delegate, record.informedAt, record.method.rawValue, record.recorded).run()
    }

    public func informing(caseID: String) async throws -> [InformingRecord] {
        try await Self.informing(caseID: caseID, on: sql)
    }

    public static func informing(caseID: String, on sql: any SQLDatabase) async throws -> [InformingRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: InformingRecord.CodingKeys.list) FROM informing WHERE case_id = \(bind: caseID) ORDER BY recorded, id
            """).all().map { try $0.decode(InformingRecord.self, table: "informing") }
    }

    // MARK: Consents (art. 6.1, 11.5)

    /// The consent, its lists (recipients, fields) and its answers in one transaction.
    public func add(consent record: ConsentRecord) async throws {
        try await transaction { sql in
            try await sql.insert(into: "consents")
                .columns("id", "case_id", "holder", "question", "ends_on", "recorded_by", "recorded_at", "revoked_at", "revoked_by")
                .values(record.id, record.caseID, record.holder, record.question, record.endsOn, record.recordedBy, record.recordedAt,
                        record.revokedAt, record.revokedBy).run()
            try await StoredLists.consentRecipients.insert(record.recipients, of: record.id, on: sql)
            try await StoredLists.consentFields.insert(record.fields, of: record.id, on: sql)
            for answer in record.answers { try await Self.add(answer: answer, on: sql) }
        }
    }

    public func consents(caseID: String) async throws -> [ConsentRecord] {
        try await Self.consents(caseID: caseID, on: sql)
    }

    /// The consents of a case, oldest first; with `holder`, only those that party holds.
    public static func consents(caseID: String, holder: String? = nil, on sql: any SQLDatabase) async throws -> [ConsentRecord] {
        let held: SQLQueryString = holder.map { " AND holder = \(bind: $0)" } ?? ""
        return try await consents(where: "case_id = \(bind: caseID)\(held) ORDER BY recorded_at, id", on: sql)
    }

    public func consent(_ id: String) async throws -> ConsentRecord? {
        try await Self.consents(where: "id = \(bind: id)", on: sql).first
    }

    /// The consents `condition` selects, each with its lists and answers: two more queries for all of them.
    static func consents(where condition: SQLQueryString, on sql: any SQLDatabase) async throws -> [ConsentRecord] {
        var records = try await sql.raw("SELECT \(unsafeRaw: ConsentRecord.CodingKeys.list) FROM consents WHERE \(condition)").all()
            .map { try $0.decode(ConsentRecord.self, table: "consents") }
        guard !records.isEmpty else { return [] }
        let ids = records.map(\.id)
        let (to, covering) = (StoredLists.consentRecipients, StoredLists.consentFields)
        let texts = try await StoredLists.texts([to.place, covering.place], of: ids, on: sql)
        let (recipients, fields) = (try to.values(in: texts), try covering.values(in: texts))
        let answers = try await answers(ids, on: sql)
        for index in records.indices {
            let id = records[index].id
            records[index].recipients = recipients[id] ?? []
            records[index].fields = fields[id] ?? []
            records[index].answers = answers[id] ?? []
        }
        return records
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

    /// The disclosure and its lists (released fields, consents), on `sql`: inside the register
    /// append that records it, so all of it commits with the register entry or none does.
    /// `forumSince`: also records that the case is in the disclosure's forum from then
    /// (`add(forum:toCase:since:on:)`). On PostgreSQL all of it is one statement (each insert a
    /// WITH part), one round trip inside the head row's lock instead of up to four
    /// (docs/performance.md, "PostgreSQL and a second instance"); SQLite runs them one by one.
    public static func add(disclosure record: DisclosureRecord, forumSince: String? = nil, on sql: any SQLDatabase) async throws {
        var inserts: [SQLQueryString] = []
        if let since = forumSince { inserts.append(forumInsertion(record.forum, toCase: record.caseID, since: since)) }
        inserts.append(disclosureInsertion(record))
        inserts += [StoredLists.disclosureReleased.insertion(record.released, of: record.id),
                    StoredLists.disclosureConsents.insertion(record.consents, of: record.id)].compactMap { $0 }
        guard sql.dialect.name == "postgresql", inserts.count > 1 else {
            for insert in inserts { try await sql.raw(insert).run() }
            return
        }
        // The WITH parts run on one snapshot; the foreign keys of the lists are checked at the
        // statement's end, when the disclosure's row is there.
        var statement: SQLQueryString = "WITH "
        for (offset, insert) in inserts.dropLast().enumerated() {
            statement.appendInterpolation("\(unsafeRaw: offset == 0 ? "" : ", ")part\(unsafeRaw: String(offset)) AS (\(insert))" as SQLQueryString)
        }
        statement.appendInterpolation(" \(inserts.last!)" as SQLQueryString)
        try await sql.raw(statement).run()
    }

    static func disclosureInsertion(_ record: DisclosureRecord) -> SQLQueryString {
        """
            INSERT INTO disclosures (id, case_id, sender, recipient, forum, purpose, register_index, bundle, bundle_digest, created,
                                     fetched_at, acknowledged_at, recipient_role, sot_question)
            VALUES (\(bind: record.id), \(bind: record.caseID), \(bind: record.sender), \(bind: record.recipient), \(bind: record.forum.rawValue),
                    \(bind: record.purpose), \(bind: record.registerIndex), \(bind: record.bundle), \(bind: record.bundleDigest),
                    \(bind: record.created), \(bind: record.fetchedAt), \(bind: record.acknowledgedAt), \(bind: record.recipientRole?.rawValue),
                    \(bind: record.sotQuestion))
            """
    }

    public func disclosure(_ id: String) async throws -> DisclosureRecord? {
        try await disclosures(disclosureQuery(bundle: true).where("id", .equal, id)).first
    }

    /// A party's mailbox: what was disclosed to it, newest first, without the bundles. At a
    /// gemeente only what was addressed to the given role (art. 7.3).
    /// `before`: (created, id) of the last item of the previous page — newest first, paged.
    public func mailbox(party: String, role: PartyRole?, limit: Int, before: (created: String, id: String)? = nil) async throws -> [DisclosureRecord] {
        var query = disclosureQuery(bundle: false).where("recipient", .equal, party)
        query = role.map { query.where("recipient_role", .equal, $0.rawValue) } ?? query.where("recipient_role", .is, SQLLiteral.null)
        if let before {
            query = query.where { $0.where("created", .lessThan, before.created)
                .orWhere { $0.where("created", .equal, before.created).where("id", .lessThan, before.id) } }
        }
        return try await disclosures(query.orderBy("created", .descending).orderBy("id", .descending).limit(limit))
    }

    public func disclosures(caseID: String) async throws -> [DisclosureRecord] {
        try await disclosures(disclosureQuery(bundle: false).where("case_id", .equal, caseID).orderBy("created"))
    }

    /// The bundle is read only where it is needed (it is the largest column); elsewhere it is ''.
    nonisolated func disclosureQuery(bundle: Bool) -> SQLSelectBuilder {
        sql.select().columns("id", "case_id", "sender", "recipient", "forum", "purpose", "register_index", "bundle_digest", "created",
                             "fetched_at", "acknowledged_at", "recipient_role", "sot_question")
            .column(bundle ? SQLColumn("bundle") as any SQLExpression : SQLLiteral.string(""), as: "bundle")
            .from("disclosures")
    }

    /// The disclosures `query` selects, each with its lists: one more query for all of them.
    nonisolated func disclosures(_ query: SQLSelectBuilder) async throws -> [DisclosureRecord] {
        var records = try await query.all().map { try $0.decode(DisclosureRecord.self, table: "disclosures") }
        guard !records.isEmpty else { return [] }
        let (fields, resting) = (StoredLists.disclosureReleased, StoredLists.disclosureConsents)
        let texts = try await StoredLists.texts([fields.place, resting.place], of: records.map(\.id), on: sql)
        let (released, consents) = (try fields.values(in: texts), try resting.values(in: texts))
        for index in records.indices {
            records[index].released = released[records[index].id] ?? []
            records[index].consents = consents[records[index].id] ?? []
        }
        return records
    }

    public func markFetched(disclosure id: String, at time: String) async throws {
        try await sql.update("disclosures").set("fetched_at", to: time).where("id", .equal, id).run()
    }

    public func markAcknowledged(disclosure id: String, at time: String) async throws {
        try await sql.update("disclosures").set("acknowledged_at", to: time).where("id", .equal, id).run()
    }

    /// The parties (and, at a gemeente, roles) that received data on a consent (art. 11.5:
    /// they are told of a revocation) — by a disclosure or a thuiszitterstafel delivery.
    /// Exact ids through `disclosure_consents` (indexed by consent): no pattern matching.
    public func recipients(ofConsent id: String) async throws -> [(party: String, role: PartyRole?)] {
        try await Self.recipients(ofConsent: id, on: sql)
    }

    /// The same, read on `sql` (inside the revocation's transaction).
    public static func recipients(ofConsent id: String, on sql: any SQLDatabase) async throws -> [(party: String, role: PartyRole?)] {
        try await sql.raw("""
            SELECT DISTINCT recipient, recipient_role FROM (
                SELECT d.recipient AS recipient, d.recipient_role AS recipient_role FROM disclosure_consents c
                JOIN disclosures d ON d.id = c.disclosure_id WHERE c.consent_id = \(bind: id)
                UNION SELECT t.recipient AS recipient, t.recipient_role AS recipient_role FROM tafel_delivery_consents c
                JOIN tafel_deliveries t ON t.id = c.delivery_id WHERE c.consent_id = \(bind: id)
            ) reached ORDER BY recipient, recipient_role
            """).all().map { row in
                let reached = try row.decode(Recipient.self, table: "disclosures")
                return (reached.recipient, reached.recipientRole)
            }
    }

    private struct Recipient: Decodable {
        var recipient: String
        var recipientRole: PartyRole?

        enum CodingKeys: String, CodingKey { case recipient, recipientRole = "recipient_role" }
    }

    public func add(notice record: NoticeRecord) async throws {
        try await Self.add(notice: record, on: sql)
    }

    public static func add(notice record: NoticeRecord, on sql: any SQLDatabase) async throws {
        try await insert(notice: record, on: sql).run()
    }

    static func insert(notice record: NoticeRecord, on sql: any SQLDatabase) -> SQLInsertBuilder {
        sql.insert(into: "notices").columns("id", "party", "case_id", "kind", "consent_id", "created", "acknowledged_at", "role", "once_key", "due", "subject")
            .values(record.id, record.party, record.caseID, record.kind.rawValue, record.consentID, record.created, record.acknowledgedAt,
                    record.role?.rawValue, record.onceKey, record.due, record.subject)
    }

    /// Delivers a notice that is given once: nothing when a notice with its `onceKey` exists
    /// (also when another gateway instance delivered it a moment earlier). True when delivered.
    public func addOnce(notice record: NoticeRecord) async throws -> Bool {
        precondition(record.onceKey != nil, "a notice given once needs its key")
        return try await !Self.insert(notice: record, on: sql).ignoringConflicts(with: "once_key").returning("id").all().isEmpty
    }

    public func notice(_ id: String) async throws -> NoticeRecord? {
        try await noticeQuery().where("id", .equal, id).first()?.decode(NoticeRecord.self, table: "notices")
    }

    nonisolated func noticeQuery() -> SQLSelectBuilder {
        sql.select().columns("id", "party", "case_id", "kind", "consent_id", "created", "acknowledged_at", "role", "once_key", "due", "subject").from("notices")
    }

    public func acknowledge(notice id: String, at time: String) async throws {
        try await sql.update("notices").set("acknowledged_at", to: time).where("id", .equal, id).where("acknowledged_at", .is, SQLLiteral.null).run()
    }

    /// The notices for a party and, at a gemeente, for one role, newest first.
    public func notices(party: String, role: PartyRole?, limit: Int) async throws -> [NoticeRecord] {
        var query = noticeQuery().where("party", .equal, party)
        query = role.map { query.where("role", .equal, $0.rawValue) } ?? query.where("role", .is, SQLLiteral.null)
        return try await query.orderBy("created", .descending).limit(limit).all().map { try $0.decode(NoticeRecord.self, table: "notices") }
    }

    // MARK: Audit log (logins and denials of access; not the disclosure register)

    public func add(audit record: AuditRecord) async throws {
        try await sql.insert(into: "audit_log").columns("id", "time", "trace_id", "event", "delegate", "party", "outcome", "detail")
            .values(record.id, record.time, record.traceID, record.event, record.delegate, record.party, record.outcome, record.detail).run()
    }

    public func audit(limit: Int) async throws -> [AuditRecord] {
        try await sql.select().columns("id", "time", "trace_id", "event", "delegate", "party", "outcome", "detail").from("audit_log")
            .orderBy("time", .descending).limit(limit).all().map { try $0.decode(AuditRecord.self, table: "audit_log") }
    }
}
