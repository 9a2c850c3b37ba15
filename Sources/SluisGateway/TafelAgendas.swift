import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// An agenda to compose (Bijlage 3.3 sub 1: "SWV GO maakt vooraf de agenda").
public struct TafelAgendaInput: Sendable, Codable {
    /// The meeting's day, `YYYY-MM-DD`, today or later.
    public var meeting: String
    /// A purpose of art. 3.1; `3.1.a` when left out (`Gateway.tafelPurpose`).
    public var purpose: String?
    /// The ids of the list's entries to discuss, in agenda order; every entry on the list, by
    /// list number, when left out.
    public var entries: [String]?

    /// As the web pages build it (the API decodes it).
    public init(meeting: String, purpose: String?, entries: [String]?) {
        (self.meeting, self.purpose, self.entries) = (meeting, purpose, entries)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case meeting, purpose, entries }
}

extension TafelAgendaInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// An agenda as the SWV sees it: no pupil data, only its own case references and list numbers.
public struct TafelAgendaView: Sendable, Codable, Equatable {
    public var id: String
    public var meeting: String
    public var purpose: String
    public var composedAt: String
    public var sentAt: String?
    public var items: [Item]
    /// The units the agenda goes to (Bijlage 3.3 sub 1).
    public var participants: [String]
    public var minutes: [MinutesVersion]

    public struct Item: Sendable, Codable, Equatable {
        public var number: Int64
        public var entry: String
        /// The SWV's own reference for the case.
        public var caseId: String
    }

    public struct MinutesVersion: Sendable, Codable, Equatable {
        public var version: Int
        public var writtenAt: String
        public var sentAt: String?
    }
}

/// A preview: the contract's answer as JSON, and the tag a send must name (`If-Match`).
public struct TafelPreview: Sendable {
    public var json: String
    public var tag: String
    /// The views `json` encodes (as the SWV may see them): what the SWV's page shows.
    public var answer = AgendaAnswer(views: [])
    /// Per participant, in the views' order: whether a send delivers a bundle, and why not.
    public var outcomes: [TafelOutcome] = []
}

extension Gateway {
    /// The purpose of an agenda that names none: art. 3.1 sub a, finding a fitting place in
    /// education — what the table is for (verzuimprotocol hoofdstuk 5: "het terugdringen en
    /// voorkomen van thuiszittende leerlingen"; Bijlage 3.3 sub 2: "dreigende uitval voorkomen").
    public static let tafelPurpose = "3.1.a"

    /// Composes an agenda from the list (Bijlage 3.3 sub 1). Stored in one transaction that
    /// checks every entry is still on the list and gives every participant its own reference
    /// for every pupil's case (`GatewayStore.add(agenda:items:participants:)`).
    /// - Throws: 403 by the authority table; `invalid` naming `meeting`, `purpose` or `entries`;
    ///   409 `tafelNotListed` when an entry left the list meanwhile.
    public func composeAgenda(_ input: TafelAgendaInput, by principal: Principal, trace: TraceContext) async throws -> TafelAgendaView {
        try await authorize(.composeAgenda, principal, subject: "agenda", trace: trace)
        guard let meeting = try? CalendarDate(text: input.meeting), meeting >= today else {
            throw GatewayError.invalid(field: "meeting", problem: "a calendar day YYYY-MM-DD, today or later: the agenda is made beforehand (Bijlage 3.3 sub 1)")
        }
        let purpose = input.purpose ?? Self.tafelPurpose
        guard policy.purposes.contains(where: { $0.id == purpose }) else {
            throw GatewayError.invalid(field: "purpose", problem: "one of \(policy.purposes.map(\.id).joined(separator: ", ")) (convenant art. 3.1)")
        }
        let listed = try await store.tafelEntries(unit: principal.unit)
        var chosen = listed
        if let ids = input.entries {
            let byID = Dictionary(listed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            guard !ids.isEmpty, ids.count <= AgendaParser.Limits.items, Set(ids).count == ids.count else {
                throw GatewayError.invalid(field: "entries", problem: "1–\(AgendaParser.Limits.items) different entries of the list")
            }
            chosen = try ids.enumerated().map { index, id in
                guard let entry = byID[id] else { throw GatewayError.invalid(field: "entries[\(index)]", problem: "not an entry on the list") }
                return entry
            }
        }
        guard !chosen.isEmpty, chosen.count <= AgendaParser.Limits.items else {
            throw GatewayError.invalid(field: "entries", problem: "the list holds no pupil (or more than \(AgendaParser.Limits.items)): name the entries")
        }
        let agenda = TafelAgendaRecord(id: UUID().uuidString.lowercased(), party: principal.party, meetingDate: meeting.description, purpose: purpose,
                                       composedBy: principal.delegateID, composedAt: time)
        let items = chosen.enumerated().map { TafelAgendaItemRecord(agendaID: agenda.id, position: $0, entryID: $1.id, caseID: $1.caseID) }
        do {
            try await store.add(agenda: agenda, items: items, participants: try await tafelParticipants().map(\.unit))
        } catch GatewayStore.TafelRefusal.notListed {
            throw Self.notListed
        }
        try await access.audit("thuiszitterstafel", delegate: principal.delegateID, party: principal.party, outcome: "done",
                               detail: "compose-thuiszitterstafel agenda \(agenda.id): \(items.count) pupils", trace: trace)
        return try await view(agenda, for: principal)
    }

    /// The SWV's agendas, newest meeting first.
    public func agendas(by principal: Principal, trace: TraceContext) async throws -> [TafelAgendaView] {
        try await authorize(.composeAgenda, principal, subject: "agenda", trace: trace)
        var views: [TafelAgendaView] = []
        for agenda in try await store.tafelAgendas(party: principal.party) { views.append(try await view(agenda, for: principal)) }
        return views
    }

    public func agenda(_ id: String, by principal: Principal, trace: TraceContext) async throws -> TafelAgendaView {
        try await view(try await ownAgenda(id, .composeAgenda, by: principal, trace: trace), for: principal)
    }

    /// One of the caller's party's agendas, after `action` is authorized; 404 for any other.
    func ownAgenda(_ id: String, _ action: GatewayAction, by principal: Principal, trace: TraceContext) async throws -> TafelAgendaRecord {
        try await authorize(action, principal, subject: "agenda", trace: trace)
        guard id.utf8.count <= 64, let agenda = try await store.tafelAgenda(id, party: principal.party) else {
            throw GatewayError.notFound(.agendaNotFound, "agenda")
        }
        return agenda
    }

    func view(_ agenda: TafelAgendaRecord, for principal: Principal) async throws -> TafelAgendaView {
        var items: [TafelAgendaView.Item] = []
        for item in try await store.tafelAgendaItems(agenda.id) {
            guard let entry = try await store.tafelEntry(item.entryID) else { continue }
            items.append(TafelAgendaView.Item(number: entry.number, entry: entry.id,
                                              caseId: try await store.ref(caseID: item.caseID, party: principal.unit) ?? ""))
        }
        return TafelAgendaView(
            id: agenda.id, meeting: agenda.meetingDate, purpose: agenda.purpose, composedAt: agenda.composedAt, sentAt: agenda.sentAt, items: items,
            participants: try await tafelParticipants().map(\.unit),
            minutes: try await store.minutesVersions(agendaID: agenda.id).map {
                TafelAgendaView.MinutesVersion(version: $0.version, writtenAt: $0.writtenAt, sentAt: $0.sentAt)
            })
    }

    /// Every participant's view of the agenda (`minutes`: of that version of the minutes) as the
    /// SWV's secretary may see it (`AgendaAnswer.hiding(from:)`), and the tag that a send must
    /// name. The preview is on the register (art. 15.1): the SWV sees its own view whole.
    /// `reading: false` (HTTP HEAD) answers only the tag: nothing is shown, nothing registered.
    public func previewTafel(_ id: String, minutes version: Int? = nil, reading: Bool = true, by principal: Principal,
                             trace: TraceContext) async throws -> TafelPreview {
        let agenda = try await ownAgenda(id, .composeAgenda, by: principal, trace: trace)
        let built = try await tafelViews(agenda, minutes: version, principal: principal)
        guard reading else { return TafelPreview(json: "", tag: built.tag) }
        let activity = activity(ProcessingActivities.disclosureID(.thuiszitterstafel))
        _ = try await registerEntry(RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: "preview", sender: principal.party, actor: principal.delegateID, forum: Forum.thuiszitterstafel.rawValue,
            purpose: registered(purpose: agenda.purpose), decision: "none",
            basis: ["Bijlage 3.3 sub 1 en 4; convenant art. 15.1",
                    "\(version.map { "notulen versie \($0)" } ?? "agenda"): \(built.answer.views.count) deelnemers; teksten die het SWV niet zelf mag ontvangen verborgen"],
            policyHash: policyHash, parentSpanID: trace.parentSpanID, subjectCount: Int64(built.document.request.items.count)))
        let viewer = built.participants.first { $0.party.id == principal.party }?.agenda ?? AgendaParty(PartyRef(kind: principal.partyKind), id: principal.party)
        let shown = built.answer.hiding(from: viewer)
        return TafelPreview(json: shown.json(pretty: false), tag: built.tag, answer: shown,
                            outcomes: try await tafelOutcomes(built, agenda: agenda.id, minutes: version))
    }
}
