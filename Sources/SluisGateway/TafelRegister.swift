import Foundation
import SluisCovenant
import SluisCrypto
import SluisRegister
import SluisStore

/// How a send of the thuiszitterstafel is written down: per participant and pupil one register
/// entry (art. 15: a disclosure names its data subject; a view holds many), and the bundle's
/// content around the participant's view.
extension Gateway {
    /// One entry per pupil of `view`, operation `refuse` (the send makes those of a delivered
    /// view `disclose`, with the bundle's digest): the recipient, the pupil's register pseudonym,
    /// the fields that reached it from another organisation (its own contribution is no
    /// disclosure to it), the fields withheld, and the legal bases of the engine's answers that
    /// released something — the same answers the preview used (`AgendaPreview.decision`).
    func tafelEntries(_ view: AgendaView, _ built: TafelBuilt, participant: TafelParticipant, principal: Principal,
                      trace: TraceContext) -> [RegisterEntry] {
        let activity = activity(ProcessingActivities.disclosureID(.thuiszitterstafel))
        let preview = AgendaPreview(engine: engine)
        return zip(built.document.request.items, view.items).map { item, shown in
            let others = item.contributions.filter { !$0.sender.isSameOrganisation(as: participant.agenda) }
            let ownNames = Set(item.contributions.filter { $0.sender.isSameOrganisation(as: participant.agenda) }.flatMap(\.fields).map(\.name))
            let released = Self.unique(shown.fields.filter { !ownNames.contains($0.name) }.compactMap { Self.registerName($0.name) })
            let withheld = Self.unique(shown.withheld.compactMap { Self.registerName($0.field) })
            let purpose = item.purpose ?? built.document.request.purpose
            let bases = Self.unique(others.compactMap { preview.decision(on: $0, about: item, to: participant.agenda, purpose: purpose) }
                .filter { $0.decision == .permit }.flatMap(\.basis).map { "\($0.gdpr); \($0.law.joined(separator: ", ")); \($0.article)" })
            return RegisterEntry(
                time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
                operation: "refuse", sender: principal.party, actor: principal.delegateID, recipient: participant.party.id,
                forum: Forum.thuiszitterstafel.rawValue, purpose: registered(purpose: purpose), decision: released.isEmpty ? "deny" : "permit",
                released: released, withheld: withheld, basis: bases, policyHash: policyHash, subject: built.document.subjects[item.ref],
                recipientRole: participant.role?.rawValue, parentSpanID: trace.parentSpanID)
        }
    }

    /// The register's name for a field of the agenda: the engine's field (`summary` and
    /// `progress` are `supportFacts`, the minutes' `schoolInterventions`), nil for the names of
    /// professionals, `onbekend-veld` for anything else (never a name a caller typed).
    static func registerName(_ name: String) -> String? {
        switch AgendaField.treatment(of: name) {
        case .decided(let field): field.rawValue
        case .professional: nil
        case nil: "onbekend-veld"
        }
    }

    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// What the participant finds in its bundle: which meeting, agenda or minutes (which version,
    /// and which of its own deliveries it corrects), from whom to whom, and under `view` its view
    /// exactly as the preview made it (`AgendaView.json`).
    static func bundleContent(_ view: AgendaView, kind: TafelDeliveryKind, version: Int, corrects: String?, agenda: TafelAgendaRecord,
                              sender: String, recipient: TafelParticipant, created: String) -> [UInt8] {
        var members: [(String, String)] = [("kind", json(kind.rawValue)), ("version", String(version))]
        if let corrects { members.append(("corrects", json(corrects))) }
        members += [("meeting", json(agenda.meetingDate)), ("purpose", json(agenda.purpose)), ("forum", json(Forum.thuiszitterstafel.rawValue)),
                    ("sender", json(sender)), ("recipient", json(recipient.party.id))]
        if let role = recipient.role { members.append(("recipientRole", json(role.rawValue))) }
        members += [("created", json(created)), ("view", view.json(pretty: true))]
        return Array(("{\n" + members.map { "  \(json($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n}\n").utf8)
    }

    /// A string as a JSON string literal.
    static func json(_ text: String) -> String {
        var writer = JSONWriter(pretty: false)
        writer.beginArray()
        writer.string(text, key: nil)
        writer.endArray()
        return String(writer.output.dropFirst().dropLast())
    }

    /// Commits the entries of a send with its companion; a send with no entry at all (a
    /// correction that reaches nobody) commits the companion alone.
    func tafelCommit(_ entries: [RegisterEntry], _ companion: @escaping RegisterStore.GroupCompanion) async throws -> [RegisterStore.AppendReceipt] {
        guard !entries.isEmpty else {
            try await store.inTransaction { sql in try await companion(sql, []) }
            return []
        }
        return try await registerEntries(entries, companion: companion)
    }
}
