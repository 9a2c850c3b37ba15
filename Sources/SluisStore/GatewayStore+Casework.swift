import Foundation
import SluisCovenant
public import SQLKit

/// Consent answers per giver (art. 6.1 sub b–c, fn 28), the notices a holder is given once
/// (renewal, end date), revocation reach (art. 11.5), and the SOT's questions and notes
/// (Bijlage 3.2 sub 4).
extension GatewayStore {
    // MARK: Answers per giver

    static func add(answer record: ConsentAnswerRecord, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "consent_answers")
            .columns("consent_id", "giver", "answer", "answered_on", "evidence", "recorded_by", "recorded_at")
            .values(record.consentID, record.giver.rawValue, record.answer.rawValue, record.answeredOn, record.evidence, record.recordedBy,
                    record.recordedAt).run()
    }

    /// Adds one giver's answer to a consent in one statement that checks what it relies on: the
    /// consent exists and is not revoked, and this giver has not answered yet. False when that
    /// no longer holds (nothing was written).
    public func addAnswer(_ record: ConsentAnswerRecord) async throws -> Bool {
        try await !sql.raw("""
            INSERT INTO consent_answers (consent_id, giver, answer, answered_on, evidence, recorded_by, recorded_at)
            SELECT \(bind: record.consentID), \(bind: record.giver.rawValue), \(bind: record.answer.rawValue), \(bind: record.answeredOn),
                   \(bind: record.evidence), \(bind: record.recordedBy), \(bind: record.recordedAt)
            WHERE EXISTS (SELECT 1 FROM consents WHERE id = \(bind: record.consentID) AND revoked_at IS NULL)
            ON CONFLICT (consent_id, giver) DO NOTHING
            RETURNING consent_id
            """).all().isEmpty
    }

    /// Answers whose evidence does not begin with `prefix`: stored before evidence was sealed.
    public func unsealedEvidence(prefix: String) async throws -> [ConsentAnswerRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: ConsentAnswerRecord.CodingKeys.list) FROM consent_answers
            WHERE substr(evidence, 1, \(literal: prefix.count)) <> \(bind: prefix) ORDER BY consent_id, giver
            """).all().map { try $0.decode(ConsentAnswerRecord.self, table: "consent_answers") }
    }

    /// Replaces an answer's evidence if it still holds what was read; true when replaced.
    public func replaceEvidence(of answer: ConsentAnswerRecord, with evidence: String) async throws -> Bool {
        try await !sql.raw("""
            UPDATE consent_answers SET evidence = \(bind: evidence)
            WHERE consent_id = \(bind: answer.consentID) AND giver = \(bind: answer.giver.rawValue) AND evidence = \(bind: answer.evidence)
            RETURNING consent_id
            """).all().isEmpty
    }

    /// The answers of `consents`, each list in the order recorded: one query per chunk of ids.
    static func answers(_ consents: [String], on sql: any SQLDatabase) async throws -> [String: [ConsentAnswerRecord]] {
        var answers: [String: [ConsentAnswerRecord]] = [:]
        for start in stride(from: 0, to: consents.count, by: StoredLists.chunk) {
            let ids = Array(consents[start..<min(start + StoredLists.chunk, consents.count)])
            let rows = try await sql.select().columns(ConsentAnswerRecord.CodingKeys.allCases.map(\.rawValue))
                .from("consent_answers").where("consent_id", .in, ids).orderBy("consent_id").orderBy("recorded_at").orderBy("giver").all()
            for row in rows {
                let answer = try row.decode(ConsentAnswerRecord.self, table: "consent_answers")
                answers[answer.consentID, default: []].append(answer)
            }
        }
        return answers
    }

    /// Every consent that is not revoked, of every open case, with its lists and answers: what
    /// the sweep of renewal and end-date notices looks at.
    public func liveConsents() async throws -> [ConsentRecord] {
        try await Self.consents(
            where: "revoked_at IS NULL AND case_id IN (SELECT id FROM cases WHERE status = 'open') ORDER BY case_id, id", on: sql)
    }

    // MARK: Revocation reach (art. 11.5)

    /// The notices of one kind about a consent: for a revocation, one per recipient (party and
    /// role) it reached, with when it was delivered and acknowledged.
    public func notices(consentID: String, kind: NoticeKind) async throws -> [NoticeRecord] {
        try await noticeQuery().where("consent_id", .equal, consentID).where("kind", .equal, kind.rawValue)
            .orderBy("party").orderBy("role").all().map { try $0.decode(NoticeRecord.self, table: "notices") }
    }

    // MARK: SOT questions and notes (Bijlage 3.2 sub 4)

    public func add(sotQuestion record: SotQuestionRecord) async throws {
        try await Self.add(sotQuestion: record, on: sql)
    }

    /// Stores a question on `sql`: inside the commit of its register entry (Bijlage 3.2 sub 4).
    public static func add(sotQuestion record: SotQuestionRecord, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "sot_questions").columns("id", "case_id", "text_cipher", "asked_by", "delegate", "asked_at")
            .values(record.id, record.caseID, record.textCipher, record.askedBy, record.delegate, record.askedAt).run()
    }

    public func sotQuestions(caseID: String) async throws -> [SotQuestionRecord] {
        try await sotQuestionQuery().where("case_id", .equal, caseID).orderBy("asked_at").orderBy("id").all()
            .map { try $0.decode(SotQuestionRecord.self, table: "sot_questions") }
    }

    public func sotQuestion(_ id: String) async throws -> SotQuestionRecord? {
        try await sotQuestionQuery().where("id", .equal, id).first()?.decode(SotQuestionRecord.self, table: "sot_questions")
    }

    nonisolated func sotQuestionQuery() -> SQLSelectBuilder {
        sql.select().columns("id", "case_id", "text_cipher", "asked_by", "delegate", "asked_at").from("sot_questions")
    }

    /// The case (its row locked for update on PostgreSQL) and all its consents, on `sql`: what a
    /// SOT note's consent check rests on, read again inside the register transaction that records
    /// the note's writing or reading (Bijlage 3.2 sub 4; art. 6.1 sub d).
    public static func sotNoteFacts(caseID: String, on sql: any SQLDatabase) async throws -> (record: CaseRecord?, consents: [ConsentRecord]) {
        (try await Self.case(caseID, on: sql, lock: true), try await consents(caseID: caseID, on: sql))
    }

    /// The note, on `sql`: inside the register append that records it (Bijlage 3.2 sub 4).
    public static func add(sotNote record: SotNoteRecord, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "sot_notes").columns("id", "question_id", "case_id", "author", "delegate", "text_cipher", "created")
            .values(record.id, record.questionID, record.caseID, record.author, record.delegate, record.textCipher, record.created).run()
    }

    /// A question's notes, oldest first, on `sql`.
    public static func sotNotes(questionID: String, on sql: any SQLDatabase) async throws -> [SotNoteRecord] {
        try await sql.select().columns("id", "question_id", "case_id", "author", "delegate", "text_cipher", "created").from("sot_notes")
            .where("question_id", .equal, questionID).orderBy("created").orderBy("id").all()
            .map { try $0.decode(SotNoteRecord.self, table: "sot_notes") }
    }
}
