import Foundation
import SluisCovenant
import SluisCrypto
import SluisRegister
import SluisStore

/// How a send of the thuiszitterstafel is written down: per participant and pupil one register
/// entry (art. 15: a disclosure names its data subject; a view holds many), and the bundle's
/// content around the participant's view.
extension Gateway {
    /// One entry per pupil of `view` about whom something from another organisation was decided, operation `refuse` (the send makes those of a delivered
    /// view `disclose`, with the bundle's digest): the recipient, the pupil's register pseudonym,
    /// the fields that reached it from another organisation (its own contribution is no
    /// disclosure to it), the fields withheld, and the legal bases of the engine's answers that
    /// released something — the same answers the preview used (`AgendaPreview.decision`).
    /// Also the consents those releases rested on, per pupil's case (art. 11.5: a revocation tells
    /// this participant): of each permitting answer, the consents the engine counted — not
    /// revoked, for the participant's kind, not bound to a SOT question — that cover a field it
    /// released (where an identity field then stays hidden for want of `identified`, the consent
    /// is still named: a notice too many, never one too few).
    func tafelEntries(_ view: AgendaView, _ built: TafelBuilt, participant: TafelParticipant, principal: Principal,
                      trace: TraceContext) -> (entries: [RegisterEntry], consents: [(consent: String, caseID: String)]) {
        let activity = activity(ProcessingActivities.disclosureID(.thuiszitterstafel))
        let preview = AgendaPreview(engine: engine)
        var consents: [(consent: String, caseID: String)] = []
        let entries = zip(built.document.request.items, view.items).map { item, shown in
            let others = item.contributions.filter { !$0.sender.isSameOrganisation(as: participant.agenda) }
            let ownNames = Set(item.contributions.filter { $0.sender.isSameOrganisation(as: participant.agenda) }.flatMap(\.fields).map(\.name))
            let released = Self.unique(shown.fields.filter { !ownNames.contains($0.name) }.compactMap { Self.registerName($0.name) })
            let withheld = Self.unique(shown.withheld.compactMap { Self.registerName($0.field) })
            let purpose = item.purpose ?? built.document.request.purpose
            var bases: [String] = [], resting: [String] = []
            for contribution in others {
                guard let answer = preview.decision(on: contribution, about: item, to: participant.agenda, purpose: purpose), answer.decision == .permit else {
                    continue
                }
                bases += answer.basis.map { "\($0.gdpr); \($0.law.joined(separator: ", ")); \($0.article)" }
                let covered = FieldSet(answer.released.compactMap(Field.named))
                let ids = built.document.consentIDs[item.ref + "\u{0}" + contribution.sender.label] ?? []
                for (fact, id) in zip(contribution.consents, ids) where !fact.revoked && fact.question == nil
                    && fact.recipients.contains(participant.agenda.party.kind) && fact.fields.mask & covered.mask != 0 {
                    resting.append(id)
                }
            }
            resting = Self.unique(resting)
            if !released.isEmpty, let caseID = built.document.caseIDs[item.ref] { consents += resting.map { ($0, caseID) } }
            return RegisterEntry(
                time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
                operation: "refuse", sender: principal.party, actor: principal.delegateID, recipient: participant.party.id,
                forum: Forum.thuiszitterstafel.rawValue, purpose: registered(purpose: purpose), decision: released.isEmpty ? "deny" : "permit",
                released: released, withheld: withheld, basis: Self.unique(bases),
                consentReference: released.isEmpty || resting.isEmpty ? nil : resting.joined(separator: ","), policyHash: policyHash,
                subject: built.document.subjects[item.ref], recipientRole: participant.role?.rawValue, parentSpanID: trace.parentSpanID)
        }
        // Nothing from another organisation was decided for the pupil (its only contributions are
        // the participant's own): no disclosure and no refusal, so no entry.
        return (entries.filter { !$0.released.isEmpty || !$0.withheld.isEmpty }, consents)
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
