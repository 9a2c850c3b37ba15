import Foundation
public import SluisCovenant
public import SluisRegister
import SluisStore

/// A version of the minutes (Bijlage 3.3 sub 1: "SWV GO … verzorgt de notulen"; sub 4): per
/// pupil of the agenda what the table decided and the actions, written by the SWV. A new
/// version corrects the one before; it goes to whoever received that one (`Gateway.sendTafel`).
public struct TafelMinutesInput: Sendable, Codable {
    public var items: [Item]

    public struct Item: Sendable, Codable {
        /// The list entry of a pupil on the agenda.
        public var entry: String
        public var decisions: String?
        public var actions: String?

        public init(entry: String, decisions: String?, actions: String?) {
            (self.entry, self.decisions, self.actions) = (entry, decisions, actions)
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case entry, decisions, actions }
    }

    /// As the web pages build it (the API decodes it).
    public init(items: [Item]) { self.items = items }

    enum CodingKeys: String, CodingKey, CaseIterable { case items }
}

extension TafelMinutesInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self, nested: ["items": .list(JSONShape.object(Item.CodingKeys.self))])
}

extension Gateway {
    /// Stores the next version of an agenda's minutes: for each pupil named (each an entry of
    /// the agenda, once) its decisions and/or actions, encrypted. The minutes' own fields are the
    /// SWV's contribution as convener, asked of the engine as `schoolInterventions` (art. 5.1
    /// sub i; `AgendaField.agendaNames`).
    /// - Throws: 403/404; `invalid` naming `items[i]…`.
    public func writeMinutes(_ agendaID: String, _ input: TafelMinutesInput, by principal: Principal,
                             trace: TraceContext) async throws -> TafelAgendaView.MinutesVersion {
        let agenda = try await ownAgenda(agendaID, .composeAgenda, by: principal, trace: trace)
        // Minutes record what the meeting decided (Bijlage 3.3 sub 4): not before it is held.
        if let meeting = try? CalendarDate(text: agenda.meetingDate), CalendarDate.amsterdam(now()) < meeting {
            throw GatewayError.conflict(.tafelMeetingNotHeld, "the meeting is on \(meeting): minutes are written on that day or after")
        }
        let onAgenda = Dictionary(try await store.tafelAgendaItems(agenda.id).map { ($0.entryID, $0.caseID) }, uniquingKeysWith: { first, _ in first })
        guard !input.items.isEmpty, input.items.count <= AgendaParser.Limits.items, Set(input.items.map(\.entry)).count == input.items.count else {
            throw GatewayError.invalid(field: "items", problem: "1–\(AgendaParser.Limits.items) pupils of the agenda, each once")
        }
        var texts: [(caseID: String, decisions: String?, actions: String?)] = []
        for (index, item) in input.items.enumerated() {
            guard let caseID = onAgenda[item.entry] else { throw GatewayError.invalid(field: "items[\(index)].entry", problem: "not a pupil of this agenda") }
            guard item.decisions != nil || item.actions != nil else {
                throw GatewayError.invalid(field: "items[\(index)]", problem: "decisions, actions or both")
            }
            let owner = Self.minutesContext(agenda: agenda.id, case: caseID)
            func sealed(_ text: String?, _ name: String) throws -> String? {
                try text.map { try vault.seal(Array(try Self.caseText($0, field: "items[\(index)].\(name)").utf8), context: Self.tafelContext(owner, name)) }
            }
            texts.append((caseID, try sealed(item.decisions, "decisions"), try sealed(item.actions, "actions")))
        }
        let written = time
        let version = try await store.addMinutes(agendaID: agenda.id, writtenBy: principal.delegateID, writtenAt: written, texts: texts)
        try await access.audit("thuiszitterstafel", delegate: principal.delegateID, party: principal.party, outcome: "done",
                               detail: "compose-thuiszitterstafel agenda \(agenda.id) minutes \(version): \(texts.count) pupils", trace: trace)
        return TafelAgendaView.MinutesVersion(version: version, writtenAt: written, sentAt: nil)
    }
}
