import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// A support question for the SOT (Bijlage 3.2 sub 4: "een duidelijk omschreven hulpvraag").
public struct NewSotQuestion: Sendable, Codable {
    /// The question: 10–500 bytes of plain text (no control or format characters).
    public var question: String

    enum CodingKeys: String, CodingKey, CaseIterable { case question }
}

extension NewSotQuestion: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// A note of the SOT on one question.
public struct NewSotNote: Sendable, Codable {
    /// 1–2000 bytes of text; line breaks allowed, no other control or format characters.
    public var text: String

    enum CodingKeys: String, CodingKey, CaseIterable { case text }
}

extension NewSotNote: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

public struct SotQuestionView: Sendable, Codable, Equatable {
    /// The question's id: consents bind to it and SOT disclosures name it. Shared among the SOT's
    /// members, who discuss the question together and read its text anyway.
    public var id: String
    /// The viewing party's own reference for the case.
    public var caseId: String
    public var question: String
    /// The unit (party, at a gemeente party/role) that asked it.
    public var askedBy: String
    public var askedAt: String
}

public struct SotNoteView: Sendable, Codable, Equatable {
    public var id: String
    public var sotQuestion: String
    public var author: String
    public var text: String
    public var created: String
}

extension Gateway {
    /// Bijlage 3.2 sub 3–4: the school, which directs the SOT, asks it a clearly described
    /// question about the pupil. The question is a thing of its own: consents bind to its id
    /// and a new question needs new consent. Its text is kept encrypted; asking is on the register.
    public func askSotQuestion(caseRef: String, _ input: NewSotQuestion, by principal: Principal, trace: TraceContext) async throws -> SotQuestionView {
        let access = try await caseAccess(caseRef, .askSotQuestion, principal, trace: trace)
        guard (10...500).contains(input.question.utf8.count), Self.isPlainText(input.question) else {
            throw GatewayError.invalid(field: "question", problem: "a clearly described question: 10–500 bytes of plain text, no control or format characters")
        }
        guard access.record.status == .open else { throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5)") }
        let id = UUID().uuidString.lowercased()
        let record = SotQuestionRecord(id: id, caseID: access.record.id, textCipher: try vault.seal(Array(input.question.utf8), context: "sot-question:\(id)"),
                                       askedBy: principal.unit, delegate: principal.delegateID, askedAt: time)
        // The question is stored in its entry's commit, after the restriction check there (an
        // attacker's finding: stored after the commit, it raced a restriction).
        try await registerSot("sot-question", record: access.record, principal: principal, trace: trace) { sql, _ in
            try await GatewayStore.add(sotQuestion: record, on: sql)
        }
        try await audited(principal, .askSotQuestion, caseID: access.record.id, "question \(id)", trace: trace)
        return try view(record, caseRef: caseRef)
    }

    /// The case's SOT questions, for the SOT's members in the case (Bijlage 3.2 sub 1, 4); on a
    /// restricted case only the member's own party's.
    public func sotQuestions(caseRef: String, by principal: Principal, trace: TraceContext) async throws -> [SotQuestionView] {
        let access = try await caseAccess(caseRef, .listSotQuestions, principal, trace: trace)
        // While the case is restricted (AVG art. 18 lid 2) a member reads only the questions its
        // own party asked: another's question is not shared then (an attacker's finding).
        let restricted = try await store.restriction(caseID: access.record.id) != nil
        return try await store.sotQuestions(caseID: access.record.id).filter { !restricted || $0.askedBy == principal.unit }
            .map { try view($0, caseRef: caseRef) }
    }

    /// A note of the SOT on a question (Bijlage 3.2 sub 4: "korte aantekeningen … gedeeld met de
    /// deelnemers"). Only by a member a consent bound to the question covers today
    /// (`sotNotesCovered`: its holder or a recipient kind; "vooraf … om toestemming gevraagd",
    /// fail closed). The check, the register entry and the note commit in one transaction, so a
    /// note racing a revocation is written before it or refused (art. 6.1 sub d).
    public func recordSotNote(caseRef: String, question questionID: String, _ input: NewSotNote, by principal: Principal,
                              trace: TraceContext) async throws -> SotNoteView {
        let (access, question) = try await sotQuestion(caseRef, questionID, .recordSotNote, by: principal, trace: trace)
        _ = try Self.caseText(input.text, field: "text")
        guard access.record.status == .open else { throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5)") }
        let birthDate = try birthDay(access.record)
        let id = UUID().uuidString.lowercased()
        let record = SotNoteRecord(id: id, questionID: question.id, caseID: access.record.id, author: principal.unit, delegate: principal.delegateID,
                                   textCipher: try vault.seal(Array(input.text.utf8), context: "sot-note:\(id)"), created: time)
        try await registerSot("sot-note", record: access.record, principal: principal, trace: trace) { sql, _ in
            let facts = try await GatewayStore.sotNoteFacts(caseID: record.caseID, on: sql)
            guard try self.sotNotesCovered(facts, question: record.questionID, for: principal, birthDate: birthDate, open: true) else {
                throw Self.sotConsentMissing
            }
            try await GatewayStore.add(sotNote: record, on: sql)
        }
        return try view(record)
    }

    /// The notes on a question, for the SOT's members in the case that a consent bound to the
    /// question covers today (Bijlage 3.2 sub 4: "gedeeld … aan de deelnemers"; art. 7.3).
    /// *Interpretation:* an author always reads its own notes — each participant keeps what it
    /// noted in its own system anyway (sub 4: "in het eigen digitale systeem") — and only those
    /// when no consent covers it; a member with neither gets 409. Reading is on the register,
    /// checked and read in the same transaction.
    public func sotNotes(caseRef: String, question questionID: String, by principal: Principal, trace: TraceContext) async throws -> [SotNoteView] {
        let (access, question) = try await sotQuestion(caseRef, questionID, .readSotNotes, by: principal, trace: trace)
        let birthDate = try birthDay(access.record)
        let (caseID, read) = (access.record.id, SotNotesRead())
        try await registerSot("sot-notes-read", record: access.record, principal: principal, trace: trace) { sql, _ in
            let covered = try self.sotNotesCovered(try await GatewayStore.sotNoteFacts(caseID: caseID, on: sql), question: question.id,
                                                   for: principal, birthDate: birthDate, open: false)
            let notes = try await GatewayStore.sotNotes(questionID: question.id, on: sql).filter { covered || $0.author == principal.unit }
            guard covered || !notes.isEmpty else { throw Self.sotConsentMissing }
            read.set(notes)
        }
        return try read.notes.map(view)
    }

    /// A question of the case by id, for an action of the SOT's members; 404 for an id that is no
    /// question of this case.
    func sotQuestion(_ caseRef: String, _ id: String, _ action: GatewayAction, by principal: Principal,
                     trace: TraceContext) async throws -> (CaseAccess, SotQuestionRecord) {
        let access = try await caseAccess(caseRef, action, principal, trace: trace)
        guard let question = try await store.sotQuestion(id), question.caseID == access.record.id else { throw GatewayError.notFound(.sotQuestionNotFound, "SOT question") }
        return (access, question)
    }

    func view(_ record: SotQuestionRecord, caseRef: String) throws -> SotQuestionView {
        SotQuestionView(id: record.id, caseId: caseRef, question: try open(record.textCipher, context: "sot-question:\(record.id)"),
                        askedBy: record.askedBy, askedAt: record.askedAt)
    }

    func view(_ record: SotNoteRecord) throws -> SotNoteView {
        SotNoteView(id: record.id, sotQuestion: record.questionID, author: record.author,
                    text: try open(record.textCipher, context: "sot-note:\(record.id)"), created: record.created)
    }

    func open(_ cipher: String, context: String) throws -> String {
        try vault.open(cipher, context: context).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The SOT's processing on the register (art. 15.1): who, on which case's pupil (pseudonym), never the text.
    func registerSot(_ operation: String, record: CaseRecord, principal: Principal, trace: TraceContext,
                     companion: RegisterStore.Companion? = nil) async throws {
        let activity = activity(ProcessingActivities.disclosureID(.sot))
        _ = try await registerEntry(RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: operation, sender: principal.party, actor: principal.delegateID, forum: Forum.sot.rawValue, decision: "none",
            basis: ["Bijlage 3.2 sub 4"], policyHash: policyHash,
            subject: try pseudonyms.pseudonym(of: record.pupilKey, for: Pseudonymizer.registerRecipient), parentSpanID: trace.parentSpanID),
            companion: { sql, index in
                // AVG art. 18 lid 2: a restricted case shares nothing in the SOT either — no new
                // question, no note written or read (an attacker's finding); checked in the commit.
                try await Self.refuseIfRestricted(record.id, on: sql)
                try await companion?(sql, index)
            })
    }
}
