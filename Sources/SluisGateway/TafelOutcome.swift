import Foundation
public import SluisCovenant
import SluisStore
public import SluisRegister

/// What a send of the previewed views would do for one participant: a sealed bundle, or none and
/// why (Bijlage 3.3 sub 4; docs/agenda.md "Sending"). The preview shows it before the send, so
/// the secretary confirms knowing who gets what.
public struct TafelOutcome: Sendable, Equatable {
    public var recipient: String
    public var recipientRole: String?
    /// True when a send delivers a bundle to this participant.
    public var receives: Bool
    /// Why not, when `receives` is false (the send's `notSent` reason).
    public var reason: String?
}

/// A delivery of an agenda or minutes version as stored, for the SWV's page after the send.
public struct TafelSentDelivery: Sendable, Equatable {
    public var id: String
    public var recipient: String
    public var recipientRole: String?
    public var pupils: Int
    /// The first of its register entries (one per pupil).
    public var registerIndex: Int64
    public var corrects: String?
    public var created: String
    public var fetchedAt: String?
    public var acknowledgedAt: String?
}

extension Gateway {
    static let notSentEmpty = "empty view: nothing on it from another organisation that the covenant lets go to this participant (its own contributions it has already)"
    static let notSentNoEarlier = "received no earlier version: a correction goes only to those who received the version it corrects"

    /// Whether `view` holds a field of a pupil that reached `participant` from another
    /// organisation (its own contribution is no disclosure to it; the names of professionals are
    /// no case data): the send delivers a bundle only then (a correction regardless).
    static func receivesSomething(_ view: AgendaView, _ document: TafelDocument, participant: TafelParticipant) -> Bool {
        zip(document.request.items, view.items).contains { item, shown in
            let own = Set(item.contributions.filter { $0.sender.isSameOrganisation(as: participant.agenda) }.flatMap(\.fields).map(\.name))
            return shown.fields.contains { !own.contains($0.name) && registerName($0.name) != nil }
        }
    }

    /// For a minutes version: the deliveries of the latest earlier version that was sent, by
    /// unit — a correction goes to exactly those (nil: no earlier version was sent).
    func correctedDeliveries(agenda: String, before version: Int, versions: [TafelMinutesVersionRecord]) async throws -> [String: TafelDeliveryRecord]? {
        guard let previous = versions.filter({ $0.version < version && $0.sentAt != nil }).map(\.version).max() else { return nil }
        let sent = try await store.tafelDeliveries(agendaID: agenda, kind: .minutes, version: previous)
        return Dictionary(sent.map { (CaseUnit.name(party: $0.recipient, role: $0.recipientRole), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Per participant, what a send of `built` would do (the send decides again from what is
    /// stored then; a change since is refused with 412, so this is what goes).
    func tafelOutcomes(_ built: TafelBuilt, agenda: String, minutes version: Int?) async throws -> [TafelOutcome] {
        var earlier: [String: TafelDeliveryRecord]?
        if let version { earlier = try await correctedDeliveries(agenda: agenda, before: version, versions: try await store.minutesVersions(agendaID: agenda)) }
        return zip(built.participants, built.answer.views).map { participant, view in
            let (party, role) = (participant.party.id, participant.role?.rawValue)
            if let earlier {
                let receives = earlier[participant.unit] != nil
                return TafelOutcome(recipient: party, recipientRole: role, receives: receives, reason: receives ? nil : Self.notSentNoEarlier)
            }
            let receives = Self.receivesSomething(view, built.document, participant: participant)
            return TafelOutcome(recipient: party, recipientRole: role, receives: receives, reason: receives ? nil : Self.notSentEmpty)
        }
    }

    /// What went of the agenda (`minutes` nil) or of that minutes version, per recipient, with
    /// its first register entry; empty before it is sent.
    /// - Throws: 403 by the authority table (`compose-thuiszitterstafel`); 404 for an agenda of another party.
    public func tafelSent(_ id: String, minutes version: Int? = nil, by principal: Principal, trace: TraceContext) async throws -> [TafelSentDelivery] {
        let agenda = try await ownAgenda(id, .composeAgenda, by: principal, trace: trace)
        return try await store.tafelDeliveries(agendaID: agenda.id, kind: version == nil ? .agenda : .minutes, version: version ?? 1).map {
            TafelSentDelivery(id: $0.id, recipient: $0.recipient, recipientRole: $0.recipientRole?.rawValue, pupils: $0.pupils,
                              registerIndex: $0.registerIndex, corrects: $0.corrects, created: $0.created, fetchedAt: $0.fetchedAt,
                              acknowledgedAt: $0.acknowledgedAt)
        }
    }
}
