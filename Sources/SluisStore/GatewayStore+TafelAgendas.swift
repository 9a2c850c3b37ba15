public import SQLKit
public import SluisCovenant

/// Everything an agenda's (or one minutes version's) views are made of, read in one go: the
/// agenda, and per pupil the list entry, the case, every unit's reference, every unit's facts
/// and consents, the informing, and the minutes of the version. The gateway builds the agenda
/// document from it, and reads it again inside the commit that sends: when it changed
/// meanwhile (a consent revoked, a case closed, a text changed), nothing is sent.
public struct TafelSnapshot: Sendable, Equatable {
    public var agenda: TafelAgendaRecord
    public var items: [Item]
    /// The usernames of the delegates the entries name (who registered, the procesbewaker).
    public var usernames: [String: String]

    public struct Item: Sendable, Equatable {
        public var item: TafelAgendaItemRecord
        public var entry: TafelEntryRecord
        public var record: CaseRecord
        /// Unit → its own reference for the case.
        public var refs: [String: String]
        public var facts: [FactRecord]
        public var consents: [ConsentRecord]
        public var informing: [InformingRecord]
        public var minutes: TafelMinutesRecord?
        /// The fields each party released at the thuiszitterstafel, and to whom: a school's
        /// aanmelding with the kernteam (Bijlage 3.3 sub 5) is its disclosure to the SWV there.
        public var released: [Released]
    }

    /// One field a party released to another in a disclosure at the thuiszitterstafel.
    public struct Released: Sendable, Equatable {
        public var sender: String, recipient: String, field: String
    }
}

/// The agendas of the thuiszitterstafel, their minutes and what was sent (Bijlage 3.3 sub 1 and 4).
extension GatewayStore {
    /// Why an agenda or minutes version was not stored or sent; nothing was written.
    public enum TafelRefusal: Error, Sendable, Equatable {
        /// An entry is no longer on the list, or its case closed.
        case notListed
        /// Sent already (by another request a moment earlier, perhaps).
        case sentAlready
        /// A later version of the minutes exists.
        case superseded
    }

    /// Stores an agenda with its items in one transaction that checks every entry is on the list
    /// with its case open, and gives every participant unit a reference of its own for every
    /// pupil's case (the participants take part in the case from now: art. 7.3; their views
    /// show the pupil under that reference). Throws `TafelRefusal.notListed`.
    public func add(agenda: TafelAgendaRecord, items: [TafelAgendaItemRecord], participants: [String]) async throws {
        try await transaction { sql in
            for item in items {
                guard let entry = try await Self.tafelEntry(item.entryID, on: sql), entry.leftAt == nil, entry.caseID == item.caseID,
                      try await Self.case(item.caseID, on: sql, lock: true)?.status == .open else { throw TafelRefusal.notListed }
            }
            try await sql.raw("""
                INSERT INTO tafel_agendas (\(unsafeRaw: TafelAgendaRecord.CodingKeys.list))
                VALUES (\(bind: agenda.id), \(bind: agenda.party), \(bind: agenda.meetingDate), \(bind: agenda.purpose), \(bind: agenda.composedBy),
                        \(bind: agenda.composedAt), NULL, NULL)
                """).run()
            for item in items {
                try await sql.raw("""
                    INSERT INTO tafel_agenda_items (\(unsafeRaw: TafelAgendaItemRecord.CodingKeys.list))
                    VALUES (\(bind: item.agendaID), \(bind: item.position), \(bind: item.entryID), \(bind: item.caseID))
                    """).run()
                for unit in participants { try await Self.add(party: unit, toCase: item.caseID, on: sql) }
            }
        }
    }

    /// A party's agendas, newest meeting first.
    public func tafelAgendas(party: String) async throws -> [TafelAgendaRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: TafelAgendaRecord.CodingKeys.list) FROM tafel_agendas WHERE party = \(bind: party)
            ORDER BY meeting_date DESC, composed_at DESC, id
            """).all().map { try $0.decode(TafelAgendaRecord.self, table: "tafel_agendas") }
    }

    /// One of a party's agendas; nil for another party's.
    public func tafelAgenda(_ id: String, party: String) async throws -> TafelAgendaRecord? {
        try await Self.tafelAgenda(id, party: party, on: sql)
    }

    static func tafelAgenda(_ id: String, party: String, on sql: any SQLDatabase) async throws -> TafelAgendaRecord? {
        try await sql.raw("""
            SELECT \(unsafeRaw: TafelAgendaRecord.CodingKeys.list) FROM tafel_agendas WHERE id = \(bind: id) AND party = \(bind: party)
            """).first()?.decode(TafelAgendaRecord.self, table: "tafel_agendas")
    }

    public func tafelAgendaItems(_ agendaID: String) async throws -> [TafelAgendaItemRecord] {
        try await Self.tafelAgendaItems(agendaID, on: sql)
    }

    static func tafelAgendaItems(_ agendaID: String, on sql: any SQLDatabase) async throws -> [TafelAgendaItemRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: TafelAgendaItemRecord.CodingKeys.list) FROM tafel_agenda_items WHERE agenda_id = \(bind: agendaID) ORDER BY position
            """).all().map { try $0.decode(TafelAgendaItemRecord.self, table: "tafel_agenda_items") }
    }

    /// The snapshot of agenda `id` of `party` (with the minutes of `version`, if given), read on
    /// `sql`; with `lock` the case rows are locked for update on PostgreSQL. Nil when the agenda
    /// is not the party's; an item whose case is gone (destroyed) or closed is left out, and of
    /// an agenda (not minutes) an item whose pupil has left the list; a restricted case's item too.
    public static func tafelSnapshot(agenda id: String, party: String, minutes version: Int? = nil, on sql: any SQLDatabase,
                                     lock: Bool = false) async throws -> TafelSnapshot? {
        guard let agenda = try await tafelAgenda(id, party: party, on: sql) else { return nil }
        var items: [TafelSnapshot.Item] = []
        var usernames: [String: String] = [:]
        for item in try await tafelAgendaItems(id, on: sql) {
            guard let entry = try await tafelEntry(item.entryID, on: sql), let record = try await Self.case(item.caseID, on: sql, lock: lock) else {
                continue
            }
            // Off the list (afschaling, Bijlage 3.3 sub 5) means on no agenda sent after; a closed
            // case (art. 5.5) goes nowhere. The minutes of a meeting held keep who was discussed.
            if record.status != .open || (version == nil && entry.leftAt != nil) { continue }
            // A restricted case (AVG art. 18 lid 2) is on no view: the others' meeting goes on.
            if try await restriction(caseID: item.caseID, on: sql) != nil { continue }
            let refs = try await sql.raw("SELECT party, ref FROM case_parties WHERE case_id = \(bind: item.caseID)").all()
                .map { (try $0.decode(column: "party", as: String.self), try $0.decode(column: "ref", as: String?.self)) }
            let facts = try await sql.raw("""
                SELECT \(unsafeRaw: FactRecord.CodingKeys.list) FROM case_facts WHERE case_id = \(bind: item.caseID) ORDER BY party, field
                """).all().map { try $0.decode(FactRecord.self, table: "case_facts") }
            let minutes = try await version.asyncFlatMap { version in
                try await sql.raw("""
                    SELECT \(unsafeRaw: TafelMinutesRecord.CodingKeys.list) FROM tafel_minutes
                    WHERE agenda_id = \(bind: id) AND version = \(bind: version) AND case_id = \(bind: item.caseID)
                    """).first()?.decode(TafelMinutesRecord.self, table: "tafel_minutes")
            }
            let released = try await sql.raw("""
                SELECT DISTINCT d.sender AS sender, d.recipient AS recipient, r.field AS field FROM disclosures d
                JOIN disclosure_released r ON r.disclosure_id = d.id
                WHERE d.case_id = \(bind: item.caseID) AND d.forum = \(bind: Forum.thuiszitterstafel.rawValue) ORDER BY sender, recipient, field
                """).all().map {
                    TafelSnapshot.Released(sender: try $0.decode(column: "sender", as: String.self), recipient: try $0.decode(column: "recipient", as: String.self),
                                           field: try $0.decode(column: "field", as: String.self))
                }
            items.append(TafelSnapshot.Item(
                item: item, entry: entry, record: record,
                refs: Dictionary(refs.compactMap { unit, ref in ref.map { (unit, $0) } }, uniquingKeysWith: { first, _ in first }),
                facts: facts, consents: try await consents(caseID: item.caseID, on: sql), informing: try await informing(caseID: item.caseID, on: sql),
                minutes: minutes, released: released))
            for delegate in [entry.registeredDelegate, entry.procesbewaker].compactMap({ $0 }) where usernames[delegate] == nil {
                usernames[delegate] = try await sql.raw("SELECT username FROM delegates WHERE id = \(bind: delegate)").first()?
                    .decode(column: "username", as: String.self)
            }
        }
        return TafelSnapshot(agenda: agenda, items: items, usernames: usernames)
    }

    /// The snapshot on the store's connection.
    public func tafelSnapshot(agenda id: String, party: String, minutes version: Int? = nil) async throws -> TafelSnapshot? {
        try await Self.tafelSnapshot(agenda: id, party: party, minutes: version, on: sql)
    }

    // MARK: Minutes (Bijlage 3.3 sub 1 en 4)

    /// Stores the next version of an agenda's minutes with its texts per pupil, in one
    /// transaction; returns the version (1 for the first).
    public func addMinutes(agendaID: String, writtenBy: String, writtenAt: String,
                           texts: [(caseID: String, decisions: String?, actions: String?)]) async throws -> Int {
        try await transaction { sql in
            if sql.dialect.name == "postgresql" { try await sql.raw("LOCK TABLE tafel_minutes_versions IN SHARE ROW EXCLUSIVE MODE").run() }
            let version = try await sql.raw("SELECT COALESCE(MAX(version), 0) + 1 AS v FROM tafel_minutes_versions WHERE agenda_id = \(bind: agendaID)")
                .first()?.decode(column: "v", as: Int.self) ?? 1
            try await sql.raw("""
                INSERT INTO tafel_minutes_versions (\(unsafeRaw: TafelMinutesVersionRecord.CodingKeys.list))
                VALUES (\(bind: agendaID), \(bind: version), \(bind: writtenBy), \(bind: writtenAt), NULL, NULL)
                """).run()
            for text in texts {
                try await sql.raw("""
                    INSERT INTO tafel_minutes (\(unsafeRaw: TafelMinutesRecord.CodingKeys.list))
                    VALUES (\(bind: agendaID), \(bind: version), \(bind: text.caseID), \(bind: text.decisions), \(bind: text.actions))
                    """).run()
            }
            return version
        }
    }

    public func minutesVersions(agendaID: String) async throws -> [TafelMinutesVersionRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: TafelMinutesVersionRecord.CodingKeys.list) FROM tafel_minutes_versions WHERE agenda_id = \(bind: agendaID)
            ORDER BY version
            """).all().map { try $0.decode(TafelMinutesVersionRecord.self, table: "tafel_minutes_versions") }
    }

    // MARK: Sending: one delivery per participant, inside the register append of its entries

    /// Marks the agenda (`version` nil) or a minutes version sent, on `sql`, inside the commit
    /// that sends it: one statement that checks it was not sent (and, for minutes, that no later
    /// version exists). Throws `TafelRefusal.sentAlready` or `.superseded`.
    public static func markSent(agenda id: String, minutes version: Int?, at time: String, by delegate: String, on sql: any SQLDatabase) async throws {
        if let version {
            let later = try await sql.raw("""
                SELECT version FROM tafel_minutes_versions WHERE agenda_id = \(bind: id) AND version > \(bind: version)
                """).first()
            guard later == nil else { throw TafelRefusal.superseded }
            guard try await !sql.raw("""
                UPDATE tafel_minutes_versions SET sent_at = \(bind: time), sent_by = \(bind: delegate)
                WHERE agenda_id = \(bind: id) AND version = \(bind: version) AND sent_at IS NULL RETURNING version
                """).all().isEmpty else { throw TafelRefusal.sentAlready }
        } else {
            guard try await !sql.raw("""
                UPDATE tafel_agendas SET sent_at = \(bind: time), sent_by = \(bind: delegate) WHERE id = \(bind: id) AND sent_at IS NULL RETURNING id
                """).all().isEmpty else { throw TafelRefusal.sentAlready }
        }
    }

    /// The consents (with their cases) a delivery's released fields rested on, on `sql`: with the delivery.
    public static func add(consents: [(consent: String, caseID: String)], toTafelDelivery id: String, on sql: any SQLDatabase) async throws {
        for (consent, caseID) in consents {
            try await sql.raw("""
                INSERT INTO tafel_delivery_consents (delivery_id, consent_id, case_id) VALUES (\(bind: id), \(bind: consent), \(bind: caseID))
                """).run()
        }
    }

    public static func add(tafelDelivery record: TafelDeliveryRecord, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO tafel_deliveries (\(unsafeRaw: TafelDeliveryRecord.CodingKeys.list))
            VALUES (\(bind: record.id), \(bind: record.agendaID), \(bind: record.kind.rawValue), \(bind: record.version),
                    \(bind: record.meetingDate), \(bind: record.purpose), \(bind: record.sender), \(bind: record.recipient),
                    \(bind: record.recipientRole?.rawValue), \(bind: record.corrects), \(bind: record.registerIndex), \(bind: record.pupils),
                    \(bind: record.bundle), \(bind: record.bundleDigest), \(bind: record.created), NULL, NULL)
            """).run()
    }

    /// The deliveries of an agenda (of one kind and version), without the bundles.
    public func tafelDeliveries(agendaID: String, kind: TafelDeliveryKind, version: Int) async throws -> [TafelDeliveryRecord] {
        try await deliveries("""
            agenda_id = \(bind: agendaID) AND kind = \(bind: kind.rawValue) AND version = \(bind: version) ORDER BY recipient, recipient_role
            """)
    }

    /// A party's (at a gemeente: a role's) deliveries, newest first, without the bundles.
    public func tafelDeliveries(recipient: String, role: PartyRole?, limit: Int) async throws -> [TafelDeliveryRecord] {
        let roleMatches: SQLQueryString = role.map { "recipient_role = \(bind: $0.rawValue)" } ?? "recipient_role IS NULL"
        return try await deliveries("recipient = \(bind: recipient) AND \(roleMatches) ORDER BY created DESC, id DESC LIMIT \(bind: limit)")
    }

    /// One delivery with its bundle.
    public func tafelDelivery(_ id: String) async throws -> TafelDeliveryRecord? {
        try await deliveries("id = \(bind: id)", bundle: true).first
    }

    nonisolated func deliveries(_ condition: SQLQueryString, bundle: Bool = false) async throws -> [TafelDeliveryRecord] {
        let columns = TafelDeliveryRecord.CodingKeys.allCases.map { $0 == .bundle && !bundle ? "'' AS bundle" : $0.rawValue }.joined(separator: ", ")
        return try await sql.raw("SELECT \(unsafeRaw: columns) FROM tafel_deliveries WHERE \(condition)").all()
            .map { try $0.decode(TafelDeliveryRecord.self, table: "tafel_deliveries") }
    }

    public func markTafelDelivery(_ id: String, fetchedAt time: String) async throws {
        try await sql.raw("UPDATE tafel_deliveries SET fetched_at = \(bind: time) WHERE id = \(bind: id) AND fetched_at IS NULL").run()
    }

    public func markTafelDelivery(_ id: String, acknowledgedAt time: String) async throws {
        try await sql.raw("""
            UPDATE tafel_deliveries SET acknowledged_at = \(bind: time), fetched_at = COALESCE(fetched_at, \(bind: time)) WHERE id = \(bind: id)
            """).run()
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension GatewayStore {
    /// Runs `body` in one transaction of its own: a send that has no register entry to carry it
    /// (a correction that reaches nobody) still marks its version sent, checked as always.
    public func inTransaction(_ body: @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await transaction { sql in try await body(sql) }
    }
}
