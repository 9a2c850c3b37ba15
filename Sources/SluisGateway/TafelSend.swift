import Foundation
import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// What sending an agenda or a minutes version did: one delivery per participant that got a
/// sealed view, and who got none and why.
public struct TafelSendReceipt: Sendable, Codable, Equatable {
    /// `agenda` or `minutes`.
    public var kind: String
    /// 1 for the agenda; the minutes' version.
    public var version: Int
    public var meeting: String
    public var sentAt: String
    public var deliveries: [Delivery]
    public var notSent: [NotSent]

    public struct Delivery: Sendable, Codable, Equatable {
        /// The recipient's mailbox item (`GET /v1/mailbox/{id}/bundle`).
        public var id: String
        public var recipient: String
        public var recipientRole: String?
        public var pupils: Int
        public var bundleDigest: String
        /// The first of its register entries (one per pupil, in agenda order).
        public var registerIndex: Int64
        /// For a correction: the recipient's delivery of the version it replaces.
        public var corrects: String?
    }

    public struct NotSent: Sendable, Codable, Equatable {
        public var recipient: String
        public var recipientRole: String?
        public var reason: String
    }
}

/// An agenda's views as built for a preview or a send, from one snapshot.
struct TafelBuilt: Sendable {
    let snapshot: TafelSnapshot
    let participants: [TafelParticipant]
    let document: TafelDocument
    let answer: AgendaAnswer
    /// A keyed digest of the whole answer (`Pseudonymizer`: no text can be guessed from it).
    let tag: String
}

extension Gateway {
    /// The views of an agenda (`minutes`: of that minutes version) from what is stored now.
    func tafelViews(_ agenda: TafelAgendaRecord, minutes version: Int?, principal: Principal) async throws -> TafelBuilt {
        if let version, try await !store.minutesVersions(agendaID: agenda.id).contains(where: { $0.version == version }) {
            throw GatewayError.notFound(.minutesNotFound, "minutes")
        }
        guard let snapshot = try await store.tafelSnapshot(agenda: agenda.id, party: principal.party, minutes: version) else {
            throw GatewayError.notFound(.agendaNotFound, "agenda")
        }
        let participants = try await tafelParticipants()
        let document = try await tafelDocument(snapshot, participants: participants)
        let answer = try document.preview(engine)
        let tag = try pseudonyms.pseudonym(of: answer.json(pretty: false), for: "thuiszitterstafel-preview/\(agenda.id)/\(version ?? 0)")
        return TafelBuilt(snapshot: snapshot, participants: participants, document: document, answer: answer, tag: tag)
    }

    /// Sends the agenda (`minutes` nil) or a version of the minutes exactly as previewed: the
    /// views are built again from what is stored and must carry the preview's tag (`ifMatch`,
    /// RFC 9110 §13.1.1). Every participant whose view shows something of a pupil from another
    /// organisation gets one sealed bundle (CMS: signed by the SWV, encrypted for that
    /// participant's certificate alone) holding its view, in its mailbox; every pupil of every
    /// view is a register entry (a disclosure, or for a view that is sent to nobody a refusal).
    /// A correction of the minutes (a version after one that was sent) goes to exactly the
    /// participants that received the version before it, each naming the delivery it corrects.
    /// All of it commits in one transaction with the register entries, or none of it does; the
    /// facts read are read again inside that transaction and a change means building again.
    /// - Throws: 428 `previewRequired`, 412 `previewChanged`; 409 `agendaSentAlready`,
    ///   `minutesSentAlready`, `minutesSuperseded`; 404; 503 `caseChanged`, `registerUnavailable`.
    public func sendTafel(_ id: String, minutes version: Int? = nil, ifMatch: String?, by principal: Principal,
                          trace: TraceContext) async throws -> TafelSendReceipt {
        let agenda = try await ownAgenda(id, .sendAgenda, by: principal, trace: trace)
        guard let tag = ifMatch.map(Self.entityTag), !tag.isEmpty, tag != "*" else {
            throw GatewayError.precondition(.previewRequired, "send the ETag of the preview you checked as If-Match: exactly those views are sent")
        }
        for _ in 0..<5 {
            do {
                return try await sendTafelOnce(agenda, minutes: version, tag: tag, by: principal, trace: trace)
            } catch is StaleDecisionFacts {
                continue
            }
        }
        throw GatewayError.unavailable(.caseChanged, "the agenda's cases kept changing while sending; nothing was sent, preview again")
    }

    /// An entity tag as sent in If-Match, without its quotes. A weak tag (`W/"…"`) keeps its
    /// prefix and so matches no preview: If-Match compares strongly (RFC 9110 §13.1.1) → 412.
    static func entityTag(_ header: String) -> String {
        let text = header.trimmingCharacters(in: .whitespaces)
        return text.hasPrefix("W/") ? text : text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    private func sendTafelOnce(_ agenda: TafelAgendaRecord, minutes version: Int?, tag: String, by principal: Principal,
                               trace: TraceContext) async throws -> TafelSendReceipt {
        // The earlier version sent, whose recipients a correction goes to (and only they).
        var earlier: [String: TafelDeliveryRecord]?
        if let version {
            let versions = try await store.minutesVersions(agendaID: agenda.id)
            guard let this = versions.first(where: { $0.version == version }) else { throw GatewayError.notFound(.minutesNotFound, "minutes") }
            guard this.sentAt == nil else { throw Self.tafelConflict(.sentAlready, minutes: true) }
            guard !versions.contains(where: { $0.version > version }) else { throw Self.tafelConflict(.superseded, minutes: true) }
            earlier = try await correctedDeliveries(agenda: agenda.id, before: version, versions: versions)
        } else if agenda.sentAt != nil {
            throw Self.tafelConflict(.sentAlready, minutes: false)
        }
        let built = try await tafelViews(agenda, minutes: version, principal: principal)
        guard built.tag == tag else {
            throw GatewayError.precondition(.previewChanged, "what is stored changed since that preview (a text, a consent, a case): preview again, check, and send with the new ETag")
        }
        let kind: TafelDeliveryKind = version == nil ? .agenda : .minutes
        let created = time
        let signer = try credentials.credentials(principal.party)
        var entries: [RegisterEntry] = []
        var deliveries: [(record: TafelDeliveryRecord, first: Int, consents: [(consent: String, caseID: String)])] = []
        var notSent: [TafelSendReceipt.NotSent] = []
        for (participant, view) in zip(built.participants, built.answer.views) {
            let corrected = earlier?[participant.unit]
            if earlier != nil && corrected == nil {
                notSent.append(.init(recipient: participant.party.id, recipientRole: participant.role?.rawValue, reason: Self.notSentNoEarlier))
                continue
            }
            let (perPupil, consents) = tafelEntries(view, built, participant: participant, principal: principal, trace: trace)
            // Nothing from another organisation: nothing to send (a correction goes regardless).
            guard corrected != nil || Self.receivesSomething(view, built.document, participant: participant) else {
                entries += perPupil.map { entry in
                    var refused = entry
                    refused.consentReference = nil
                    return refused
                }
                notSent.append(.init(recipient: participant.party.id, recipientRole: participant.role?.rawValue, reason: Self.notSentEmpty))
                continue
            }
            let content = Self.bundleContent(view, kind: kind, version: version ?? 1, corrects: corrected?.id, agenda: agenda, sender: principal.party,
                                             recipient: participant, created: created)
            let bundle = try SealedBundle.seal(content, signer: signer.certificate, key: signer.key,
                                               recipients: [try credentials.certificate(participant.party.id)])
            let digest = try SHA256.hex(bundle)
            deliveries.append((TafelDeliveryRecord(
                id: UUID().uuidString.lowercased(), agendaID: agenda.id, kind: kind, version: version ?? 1, meetingDate: agenda.meetingDate,
                purpose: agenda.purpose, sender: principal.party, recipient: participant.party.id, recipientRole: participant.role,
                corrects: corrected?.id, registerIndex: -1, pupils: view.items.count, bundle: Data(bundle).base64EncodedString(),
                bundleDigest: digest, created: created), entries.count, consents))
            // A pupil of whom nothing went from another organisation stays `refuse` (docs/agenda.md).
            entries += perPupil.map { entry in
                var disclosed = entry
                if !entry.released.isEmpty { (disclosed.operation, disclosed.bundleDigest) = ("disclose", digest) }
                return disclosed
            }
        }
        let (snapshot, agendaID, party, delegate) = (built.snapshot, agenda.id, principal.party, principal.delegateID)
        let sent = deliveries
        let receipts = try await tafelCommit(entries) { sql, indices in
            // The snapshot, read again under the register's lock, leaves out every pupil off the
            // list, closed or restricted (AVG art. 18 lid 2) now: any change since the preview is stale.
            guard try await GatewayStore.tafelSnapshot(agenda: agendaID, party: party, minutes: version, on: sql, lock: true) == snapshot else {
                throw StaleDecisionFacts()
            }
            do {
                try await GatewayStore.markSent(agenda: agendaID, minutes: version, at: created, by: delegate, on: sql)
            } catch let refusal as GatewayStore.TafelRefusal {
                throw Self.tafelConflict(refusal, minutes: version != nil)
            }
            for (record, first, consents) in sent {
                var stored = record
                stored.registerIndex = indices[first]
                try await GatewayStore.add(tafelDelivery: stored, on: sql)
                try await GatewayStore.add(consents: consents, toTafelDelivery: stored.id, on: sql)
            }
        }
        try await access.audit("thuiszitterstafel", delegate: principal.delegateID, party: principal.party, outcome: "done",
                               detail: "send-thuiszitterstafel agenda \(agenda.id) \(kind.rawValue) \(version ?? 1): \(sent.count) deliveries", trace: trace)
        return TafelSendReceipt(
            kind: kind.rawValue, version: version ?? 1, meeting: agenda.meetingDate, sentAt: created,
            deliveries: sent.map { record, first, _ in
                TafelSendReceipt.Delivery(id: record.id, recipient: record.recipient, recipientRole: record.recipientRole?.rawValue, pupils: record.pupils,
                                          bundleDigest: record.bundleDigest, registerIndex: receipts[first].index, corrects: record.corrects)
            },
            notSent: notSent)
    }

    static func tafelConflict(_ refusal: GatewayStore.TafelRefusal, minutes: Bool) -> GatewayError {
        switch refusal {
        case .sentAlready where minutes: .conflict(.minutesSentAlready, "this version of the minutes was sent already; write a new version to correct it")
        case .sentAlready: .conflict(.agendaSentAlready, "the agenda was sent already (once: a second send would be a second disclosure)")
        case .superseded: .conflict(.minutesSuperseded, "a later version of the minutes exists: send that one")
        case .notListed: notListed
        }
    }
}
