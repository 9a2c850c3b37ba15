import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// A recipient's own note on one of its references (its text as written).
public struct VerzuimoverlegNoteView: Sendable, Codable, Equatable {
    public var id: String
    public var reference: String
    public var text: String
    public var writtenAt: String
    /// The delegate id of the writer (of the recipient's own unit).
    public var writtenBy: String
}

/// A pupil of a received list: the recipient's own reference, the counts, its own notes.
public struct VerzuimoverlegReceivedPupil: Sendable, Codable, Equatable {
    public var reference: String
    public var counts: VerzuimoverlegCounts
    public var notes: [VerzuimoverlegNoteView]
}

/// A list as a recipient sees it: under its own id, the school board it came from, the pupils
/// under its own references ordered by reference — no pupil key, name or birth date.
public struct VerzuimoverlegReceivedList: Sendable, Codable, Equatable {
    public var id: String
    public var school: String
    public var meetingDate: String
    public var asOf: String
    public var windowFrom: String
    public var pupils: [VerzuimoverlegReceivedPupil]
}

/// One received list in a recipient's index.
public struct VerzuimoverlegReceivedSummary: Sendable, Codable, Equatable {
    public var id: String
    public var school: String
    public var meetingDate: String
    public var asOf: String
    public var pupils: Int
}

/// A note as a recipient writes it.
public struct VerzuimoverlegNoteInput: Sendable, Codable {
    /// 1–2,000 characters of plain text: no control or format characters (one line).
    public var text: String

    enum CodingKeys: String, CodingKey, CaseIterable { case text }
}

extension VerzuimoverlegNoteInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

extension Gateway {
    /// The longest note, in characters (Unicode scalars), and the most notes per reference.
    static let maxNoteLength = 2000
    static let maxNotesPerReference = 200

    /// The lists shared with the delegate's unit, newest first.
    public func receivedVerzuimoverlegLists(by principal: Principal, trace: TraceContext) async throws -> [VerzuimoverlegReceivedSummary] {
        try await authorizeRole(.readVerzuimoverleg, principal, subject: "verzuimoverleg", trace: trace)
        var summaries: [VerzuimoverlegReceivedSummary] = []
        for share in try await store.verzuimoverlegShares(recipient: principal.unit) {
            guard let list = try await store.verzuimoverlegList(share.listID) else { continue }
            summaries.append(VerzuimoverlegReceivedSummary(
                id: share.ref, school: list.unit, meetingDate: list.meetingDate, asOf: list.asOf,
                pupils: try await store.verzuimoverlegItems(list: list.id, holder: principal.unit).count))
        }
        return summaries
    }

    /// A list shared with the delegate's unit, by the unit's own id for it; any other id is 404.
    public func receivedVerzuimoverlegList(_ ref: String, by principal: Principal, trace: TraceContext) async throws -> VerzuimoverlegReceivedList {
        try await authorizeRole(.readVerzuimoverleg, principal, subject: "verzuimoverleg", trace: trace)
        let share = try await store.verzuimoverlegShare(ref: ref)
        try await authorize(.readVerzuimoverleg, principal, relations: share?.recipient == principal.unit ? [.addressee] : [],
                            subject: "list \(ref)", trace: trace)
        guard let share, let list = try await store.verzuimoverlegList(share.listID) else { throw GatewayError.notFound(.verzuimoverlegListNotFound, "list") }
        let items = try await store.verzuimoverlegItems(list: list.id, holder: principal.unit)
        let notes = Dictionary(grouping: try await noteViews(holder: principal.unit, references: items.compactMap(\.reference)), by: \.reference)
        let asOf = (try? CalendarDate(text: list.asOf)) ?? CalendarDate.amsterdam(now())
        return VerzuimoverlegReceivedList(
            id: share.ref, school: list.unit, meetingDate: list.meetingDate, asOf: list.asOf, windowFrom: Self.windowFrom(asOf),
            pupils: items.map { item in
                VerzuimoverlegReceivedPupil(reference: item.reference ?? "", counts: Self.counts(item), notes: notes[item.reference ?? ""] ?? [])
            })
    }

    /// Records a note of the delegate's unit on one of its references. *Interpretation*
    /// (docs/casework.md): Bijlage 3.1 sub 4 says "Er wordt geen verslag gemaakt" and protocol
    /// 5.4 that leerplicht keeps no notes "op persoonsniveau" before a DUO melding; a note on a
    /// reference only this unit holds, which nobody can link to a pupil without the school, is
    /// neither minutes of the meeting nor a note on a person — it is the recipient's own memory of
    /// the anonymous discussion, and stays with it (issue 10 item 3).
    /// - Throws: `GatewayError.forbidden` (role), `.notFound` (a reference the unit does not
    ///   hold), `.invalid` (the text), `.conflict` (too many notes on the reference).
    public func addVerzuimoverlegNote(reference: String, _ input: VerzuimoverlegNoteInput, by principal: Principal,
                                      trace: TraceContext) async throws -> VerzuimoverlegNoteView {
        try await authorizeRole(.noteVerzuimoverleg, principal, subject: "reference", trace: trace)
        let held = try await store.holds(reference: reference, holder: principal.unit)
        try await authorize(.noteVerzuimoverleg, principal, relations: held ? [.addressee] : [], subject: "reference", trace: trace)
        let text = input.text
        guard !text.isEmpty, text.unicodeScalars.count <= Self.maxNoteLength, Self.isPlainText(text) else {
            throw GatewayError.invalid(field: "text", problem: "1–\(Self.maxNoteLength) characters of text, no control or format characters")
        }
        guard try await store.verzuimoverlegNotes(holder: principal.unit, references: [reference]).count < Self.maxNotesPerReference else {
            throw GatewayError.conflict(.verzuimoverlegNoteLimit, "at most \(Self.maxNotesPerReference) notes per reference")
        }
        let id = UUID().uuidString.lowercased()
        let note = VerzuimoverlegNoteRecord(
            id: id, holder: principal.unit, reference: reference,
            textCipher: try vault.seal(Array(text.utf8), context: Self.noteContext(holder: principal.unit, reference: reference, id: id)),
            writtenBy: principal.delegateID, writtenAt: time)
        try await store.add(verzuimoverlegNote: note)
        try await access.audit("verzuimoverleg", delegate: principal.delegateID, party: principal.party, outcome: "done",
                               detail: "note-verzuimoverleg on a reference of \(principal.unit)", trace: trace)
        return VerzuimoverlegNoteView(id: id, reference: reference, text: text, writtenAt: note.writtenAt, writtenBy: note.writtenBy)
    }

    func noteViews(holder: String, references: [String]) async throws -> [VerzuimoverlegNoteView] {
        try await store.verzuimoverlegNotes(holder: holder, references: references).map { note in
            let text = try vault.open(note.textCipher, context: Self.noteContext(holder: note.holder, reference: note.reference, id: note.id))
                .withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            return VerzuimoverlegNoteView(id: note.id, reference: note.reference, text: text, writtenAt: note.writtenAt, writtenBy: note.writtenBy)
        }
    }

    /// Binds a note's ciphertext to its unit, reference and id: copied elsewhere, it does not open.
    static func noteContext(holder: String, reference: String, id: String) -> String {
        "verzuimoverleg-note:\(holder):\(reference):\(id)"
    }
}
