import Foundation
import SQLKit

/// Consent answers per giver (art. 6.1 sub b–c, fn 28), the notices a holder is given once
/// (renewal, end date), revocation reach (art. 11.5), and the SOT's questions and notes
/// (Bijlage 3.2 sub 4).
extension GatewayStore {
    // MARK: Answers per giver

    static func add(answer record: ConsentAnswerRecord, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "consent_answers")
            .columns("consent_id", "giver", "answer", "answered_on", "evidence", "recorded_by", "recorded_at")
            .values(record.consentID, record.giver, record.answer, record.answeredOn, record.evidence, record.recordedBy, record.recordedAt).run()
    }

    /// Adds one giver's answer to a consent in one statement that checks what it relies on: the
    /// consent exists and is not revoked, and this giver has not answered yet. False when that
    /// no longer holds (nothing was written).
    public func addAnswer(_ record: ConsentAnswerRecord) async throws -> Bool {
        try await !sql.raw("""
            INSERT INTO consent_answers (consent_id, giver, answer, answered_on, evidence, recorded_by, recorded_at)
            SELECT \(bind: record.consentID), \(bind: record.giver), \(bind: record.answer), \(bind: record.answeredOn), \(bind: record.evidence),
                   \(bind: record.recordedBy), \(bind: record.recordedAt)
            WHERE EXISTS (SELECT 1 FROM consents WHERE id = \(bind: record.consentID) AND revoked_at IS NULL)
            ON CONFLICT (consent_id, giver) DO NOTHING
            RETURNING consent_id
            """).all().isEmpty
    }

    static func answers(caseID: String, on sql: any SQLDatabase) async throws -> [ConsentAnswerRecord] {
        try await sql.raw("""
            SELECT a.consent_id, a.giver, a.answer, a.answered_on, a.evidence, a.recorded_by, a.recorded_at
            FROM consent_answers a JOIN consents c ON c.id = a.consent_id WHERE c.case_id = \(bind: caseID)
            ORDER BY a.recorded_at, a.giver
            """).all().map(answer)
    }

    static func answers(consentID: String, on sql: any SQLDatabase) async throws -> [ConsentAnswerRecord] {
        try await sql.raw("""
            SELECT consent_id, giver, answer, answered_on, evidence, recorded_by, recorded_at FROM consent_answers
            WHERE consent_id = \(bind: consentID) ORDER BY recorded_at, giver
            """).all().map(answer)
    }

    static func answer(_ row: any SQLRow) throws -> ConsentAnswerRecord {
        ConsentAnswerRecord(
            consentID: try row.decode(column: "consent_id", as: String.self), giver: try row.decode(column: "giver", as: String.self),
            answer: try row.decode(column: "answer", as: String.self), answeredOn: try row.decode(column: "answered_on", as: String.self),
            evidence: try row.decode(column: "evidence", as: String.self), recordedBy: try row.decode(column: "recorded_by", as: String.self),
            recordedAt: try row.decode(column: "recorded_at", as: String.self))
    }

    /// The consents with their answers attached, in the order given.
    static func withAnswers(_ consents: [ConsentRecord], answers: [ConsentAnswerRecord]) -> [ConsentRecord] {
        let byConsent = Dictionary(grouping: answers, by: \.consentID)
        return consents.map { consent in
            var consent = consent
            consent.answers = byConsent[consent.id] ?? []
            return consent
        }
    }

    /// Every consent that is not revoked, of every open case, with its answers: what the sweep
    /// of renewal and end-date notices looks at.
    public func liveConsents() async throws -> [ConsentRecord] {
        let consents = try await Self.consentQuery(sql).where("revoked_at", .is, SQLLiteral.null)
            .where("case_id", .in, SQLRaw("(SELECT id FROM cases WHERE status = 'open')")).orderBy("case_id").orderBy("id").all().map(Self.consent)
        guard !consents.isEmpty else { return [] }
        let answers = try await sql.raw("""
            SELECT a.consent_id, a.giver, a.answer, a.answered_on, a.evidence, a.recorded_by, a.recorded_at
            FROM consent_answers a JOIN consents c ON c.id = a.consent_id JOIN cases k ON k.id = c.case_id
            WHERE c.revoked_at IS NULL AND k.status = 'open' ORDER BY a.recorded_at, a.giver
            """).all().map(Self.answer)
        return Self.withAnswers(consents, answers: answers)
    }

    // MARK: Revocation reach (art. 11.5)

    /// The notices of one kind about a consent: for a revocation, one per recipient (party and
    /// role) it reached, with when it was delivered and acknowledged.
    public func notices(consentID: String, kind: String) async throws -> [NoticeRecord] {
        try await noticeQuery().where("consent_id", .equal, consentID).where("kind", .equal, kind)
            .orderBy("party").orderBy("role").all().map(Self.notice)
    }

    // MARK: SOT questions and notes (Bijlage 3.2 sub 4)

    public func add(sotQuestion record: SotQuestionRecord) async throws {
        try await sql.insert(into: "sot_questions").columns("id", "case_id", "text_cipher", "asked_by", "delegate", "asked_at")
            .values(record.id, record.caseID, record.textCipher, record.askedBy, record.delegate, record.askedAt).run()
    }

    public func sotQuestions(caseID: String) async throws -> [SotQuestionRecord] {
        try await sotQuestionQuery().where("case_id", .equal, caseID).orderBy("asked_at").orderBy("id").all().map(Self.sotQuestion)
    }

    public func sotQuestion(_ id: String) async throws -> SotQuestionRecord? {
        try await sotQuestionQuery().where("id", .equal, id).first().map(Self.sotQuestion)
    }

    nonisolated func sotQuestionQuery() -> SQLSelectBuilder {
        sql.select().columns("id", "case_id", "text_cipher", "asked_by", "delegate", "asked_at").from("sot_questions")
    }

    static func sotQuestion(_ row: any SQLRow) throws -> SotQuestionRecord {
        SotQuestionRecord(
            id: try row.decode(column: "id", as: String.self), caseID: try row.decode(column: "case_id", as: String.self),
            textCipher: try row.decode(column: "text_cipher", as: String.self), askedBy: try row.decode(column: "asked_by", as: String.self),
            delegate: try row.decode(column: "delegate", as: String.self), askedAt: try row.decode(column: "asked_at", as: String.self))
    }

    public func add(sotNote record: SotNoteRecord) async throws {
        try await sql.insert(into: "sot_notes").columns("id", "question_id", "case_id", "author", "delegate", "text_cipher", "created")
            .values(record.id, record.questionID, record.caseID, record.author, record.delegate, record.textCipher, record.created).run()
    }

    public func sotNotes(questionID: String) async throws -> [SotNoteRecord] {
        try await sql.select().columns("id", "question_id", "case_id", "author", "delegate", "text_cipher", "created").from("sot_notes")
            .where("question_id", .equal, questionID).orderBy("created").orderBy("id").all().map { row in
                SotNoteRecord(
                    id: try row.decode(column: "id", as: String.self), questionID: try row.decode(column: "question_id", as: String.self),
                    caseID: try row.decode(column: "case_id", as: String.self), author: try row.decode(column: "author", as: String.self),
                    delegate: try row.decode(column: "delegate", as: String.self), textCipher: try row.decode(column: "text_cipher", as: String.self),
                    created: try row.decode(column: "created", as: String.self))
            }
    }
}
