public import SQLKit
import SluisCovenant

/// DUO meldingen (Lpw art. 21a): recorded inside the register append of their re-identification
/// entry, so the melding, the case's "a melding exists" and the register entry commit together or
/// not at all; status changes as one conditional statement each; the signals they answered.
extension GatewayStore {
    /// Why a melding was not recorded; nothing was written.
    public enum MeldingRefusal: Sendable, Equatable {
        /// The case was closed (art. 5.5), also by a closure that committed a moment earlier.
        case caseClosed
        /// This case, or another case of the same school board, has a melding with this DUO
        /// meldingsnummer already.
        case referenceRecorded
        /// The case's meldingen name another pupil key (Bijlage 3.1: one case, one pupil).
        case otherPupilKey
        /// Another case of the school board holds this pupil key (one pupil, one case).
        case pupilKeyOnOtherCase
        /// The school answered this signal with another melding already.
        case signalAnswered
    }

    /// Records a melding on `sql`, inside the register transaction of its entry (a companion):
    /// checks what it relies on, then marks the case reported, stores the melding and the signal
    /// it answers. Register transactions are serialized, so nothing checked here changes before
    /// the commit; the closure of a case is one conditional statement on the case row, which the
    /// update here either sees or waits for. Returns why it refused, or nil when written; a
    /// refusal after the first write leaves the rollback to the caller, which throws on any refusal.
    /// `pupilHash`: the keyed hash of the melding's pupil key, bound to the case here, and
    /// whether a stored hash is of that key (`bind(pupilHash:…)`).
    public static func record(melding: DuoMeldingRecord, answering signal: AnsweredSignalRecord?,
                              pupilHash: (hash: String, matches: (String) throws -> Bool)? = nil,
                              on sql: any SQLDatabase) async throws -> MeldingRefusal? {
        // DUO gives each melding its own number: the same school board's number on another of
        // its cases is the same melding recorded twice (Lpw art. 21a). Another board's numbers
        // are not looked at — a refusal would tell one board of another's melding.
        if try await sql.raw("""
            SELECT id FROM duo_meldingen WHERE (case_id = \(bind: melding.caseID) OR party = \(bind: melding.party))
            AND reference = \(bind: melding.reference)
            """).first() != nil { return .referenceRecorded }
        if let signal, try await sql.raw("""
            SELECT melding_id FROM duo_answered_signals WHERE unit = \(bind: signal.unit) AND pupil = \(bind: signal.pupil)
            AND signal = \(bind: signal.signal) AND since = \(bind: signal.since)
            """).first() != nil { return .signalAnswered }
        // The engine's fact "a melding exists" (protocol 5.4), and the latest melding in the
        // case's own columns, only while the case is open.
        let marked = try await sql.raw("""
            UPDATE cases SET duo_melding = 1, duo_melding_date = \(bind: melding.date), duo_melding_reference = \(bind: melding.reference),
            duo_melding_party = \(bind: melding.party) WHERE id = \(bind: melding.caseID) AND status = 'open' RETURNING id
            """).all()
        guard !marked.isEmpty else { return .caseClosed }
        if let pupilHash {
            switch try await bind(pupilHash: pupilHash.hash, caseID: melding.caseID, party: melding.party, matches: pupilHash.matches, on: sql) {
            case .bound: break
            case .otherKey: return .otherPupilKey
            case .otherCase: return .pupilKeyOnOtherCase
            }
        }
        try await sql.insert(into: "duo_meldingen")
            .columns("id", "case_id", "party", "kind", "date", "reference", "status", "recorded_by", "received_at", "decision",
                     "register_index", "signal", "signal_since", "pupil_cipher")
            .values(melding.id, melding.caseID, melding.party, melding.kind, melding.date, melding.reference, melding.status,
                    melding.recordedBy, melding.receivedAt, melding.decision, melding.registerIndex,
                    melding.signal, melding.signalSince, melding.pupilCipher).run()
        try await StoredLists.duoMeldingReleased.insert(melding.released, of: melding.id, on: sql)
        if let signal {
            try await sql.insert(into: "duo_answered_signals").columns("unit", "pupil", "signal", "since", "melding_id", "answered_at")
                .values(signal.unit, signal.pupil, signal.signal, signal.since, signal.meldingID, signal.answeredAt).run()
        }
        return nil
    }

    /// The meldingen of a case, in the order they were recorded.
    public func meldingen(caseID: String) async throws -> [DuoMeldingRecord] {
        try await withReleased(try await meldingQuery().where("case_id", .equal, caseID).orderBy("received_at").orderBy("id").all().map(Self.melding))
    }

    /// The meldingen `party` made that are not `afgesloten`, of open cases, that name a pupil key:
    /// those pupils are reported, so not discussed anonymously (verzuimprotocol 5.4.1).
    public func reportedMeldingen(party: String) async throws -> [DuoMeldingRecord] {
        try await meldingQuery().where("party", .equal, party).where("status", .notEqual, "afgesloten")
            .where(SQLColumn("pupil_cipher"), .isNot, SQLLiteral.null)
            .where(SQLColumn("case_id"), .in, SQLRaw("(SELECT id FROM cases WHERE status = 'open')")).all().map(Self.melding)
    }

    public func melding(_ id: String) async throws -> DuoMeldingRecord? {
        try await withReleased(try await meldingQuery().where("id", .equal, id).all().map(Self.melding)).first
    }

    /// The meldingen with their released fields, read in one query for all of them.
    func withReleased(_ meldingen: [DuoMeldingRecord]) async throws -> [DuoMeldingRecord] {
        let released = try await StoredLists.duoMeldingReleased.load(meldingen.map(\.id), on: sql)
        return meldingen.map { melding in
            var melding = melding
            melding.released = released[melding.id] ?? []
            return melding
        }
    }

    nonisolated func meldingQuery() -> SQLSelectBuilder {
        sql.select().columns("id", "case_id", "party", "kind", "date", "reference", "status", "recorded_by", "received_at",
                             "in_behandeling_at", "afgesloten_at", "handled_by", "decision", "register_index", "signal", "signal_since",
                             "pupil_cipher")
            .from("duo_meldingen")
    }

    static func melding(_ row: any SQLRow) throws -> DuoMeldingRecord {
        DuoMeldingRecord(
            id: try row.decode(column: "id", as: String.self), caseID: try row.decode(column: "case_id", as: String.self),
            party: try row.decode(column: "party", as: String.self), kind: try row.decode(column: "kind", as: String.self),
            date: try row.decode(column: "date", as: String.self), reference: try row.decode(column: "reference", as: String.self),
            status: try row.decode(column: "status", as: String.self), recordedBy: try row.decode(column: "recorded_by", as: String.self),
            receivedAt: try row.decode(column: "received_at", as: String.self),
            inBehandelingAt: try row.decode(column: "in_behandeling_at", as: String?.self),
            afgeslotenAt: try row.decode(column: "afgesloten_at", as: String?.self), handledBy: try row.decode(column: "handled_by", as: String?.self),
            decision: try row.decode(column: "decision", as: String.self), released: [],
            registerIndex: try row.decode(column: "register_index", as: Int64?.self), signal: try row.decode(column: "signal", as: String?.self),
            signalSince: try row.decode(column: "signal_since", as: String?.self), pupilCipher: try row.decode(column: "pupil_cipher", as: String?.self))
    }

    /// The column each later status stamps (when, and which delegate).
    static let statusColumns = ["in-behandeling": "in_behandeling", "afgesloten": "afgesloten"]

    /// Moves a melding of an open case to `status` in one statement that checks and writes: only
    /// from one of `from` (forward only), only while the case is open. False when that no longer
    /// holds — another change won the race, or the case was closed: nothing was written.
    public func advance(melding id: String, caseID: String, to status: String, from: [String], at time: String,
                        delegate: String, unit: String) async throws -> Bool {
        guard let column = Self.statusColumns[status], !from.isEmpty else { return false }
        let statement: SQLQueryString = """
            UPDATE duo_meldingen SET status = \(bind: status), \(ident: column + "_at") = \(bind: time), \(ident: column + "_by") = \(bind: delegate),
            handled_by = \(bind: unit) WHERE id = \(bind: id) AND case_id = \(bind: caseID) AND status IN (\(binds: from))
            AND EXISTS (SELECT 1 FROM cases WHERE cases.id = duo_meldingen.case_id AND cases.status = 'open') RETURNING id
            """
        return try await !sql.raw(statement).all().isEmpty
    }

    /// Gives a melding of an open case the school's pupil key, once, on `sql` (inside the
    /// transaction that binds the key to the case): one statement that checks and writes — only
    /// the board that made it, only while it has none, only while the case is open. False when
    /// that no longer holds; nothing was written.
    static func give(pupilCipher cipher: String, melding id: String, caseID: String, party: String, on sql: any SQLDatabase) async throws -> Bool {
        try await !sql.raw("""
            UPDATE duo_meldingen SET pupil_cipher = \(bind: cipher) WHERE id = \(bind: id) AND case_id = \(bind: caseID)
            AND party = \(bind: party) AND pupil_cipher IS NULL
            AND EXISTS (SELECT 1 FROM cases WHERE cases.id = duo_meldingen.case_id AND cases.status = 'open') RETURNING id
            """).all().isEmpty
    }

    /// The keyed hash of the pupil whose signal a melding answered, if it answered one.
    public func answeredPupil(melding id: String) async throws -> String? {
        try await sql.select().column("pupil").from("duo_answered_signals").where("melding_id", .equal, id).first()?
            .decode(column: "pupil", as: String.self)
    }

    /// The signals a school's unit answered with a DUO melding, for its list of open signals
    /// (contract absence.md): each by the keyed hash of the school's own pupil key.
    public func answeredSignals(unit: String) async throws -> [AnsweredSignalRecord] {
        try await sql.select().columns("unit", "pupil", "signal", "since", "melding_id", "answered_at").from("duo_answered_signals")
            .where("unit", .equal, unit).orderBy("since").orderBy("signal").all().map { row in
                AnsweredSignalRecord(unit: try row.decode(column: "unit", as: String.self), pupil: try row.decode(column: "pupil", as: String.self),
                                     signal: try row.decode(column: "signal", as: String.self), since: try row.decode(column: "since", as: String.self),
                                     meldingID: try row.decode(column: "melding_id", as: String.self),
                                     answeredAt: try row.decode(column: "answered_at", as: String.self))
            }
    }
}
