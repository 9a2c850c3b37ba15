import Foundation
import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// One earlier meeting of the verzuimoverleg as the leerplicht unit was shown it: its own id for
/// the list, the school, the meeting's day and window, its own reference and the counts.
public struct LinkedVerzuimoverlegMeeting: Sendable, Codable, Equatable {
    public var list: String
    public var school: String
    public var meetingDate: String
    public var asOf: String
    public var windowFrom: String
    public var reference: String
    public var counts: VerzuimoverlegCounts
}

/// The anonymous verzuimoverleg linked to a case, in the case view of the leerplicht unit that
/// linked it — and of nobody else (protocol 5.4; Bijlage 3.1): the unit's own references for the
/// pupil, the meetings it discussed the pupil in, and its own notes.
public struct LinkedVerzuimoverleg: Sendable, Codable, Equatable {
    /// The unit's own references (one per pseudonym key version the lists were made under; usually one).
    public var references: [String]
    /// When and by which delegate the first link was made.
    public var linkedAt: String
    public var linkedBy: String
    /// The register entries of the links (a later link adds a reference made under another key).
    public var registerIndexes: [Int64]
    /// By meeting day.
    public var meetings: [LinkedVerzuimoverlegMeeting]
    public var notes: [VerzuimoverlegNoteView]
}

/// The answer to linking: whether this request linked (an entry on the register, with its
/// proof) or found it linked already (nothing written), and what is linked.
public struct VerzuimoverlegLinkReceipt: Sendable, Codable, Equatable {
    public var linked: Bool
    public var verzuimoverleg: LinkedVerzuimoverleg
    public var register: RegisterProof?
}

/// Thrown inside the link's register transaction when another request linked a moment earlier.
struct LinkedAlready: CompanionRefusal {}

extension Gateway {
    /// `POST /v1/cases/{ref}/verzuimoverleg-link`: after a DUO melding the leerplichtambtenaar in
    /// the case links the earlier anonymous discussion of the pupil to the case (issue 10 item 3).
    /// "Zolang er nog geen DUO-melding is gemaakt door school wordt de leerling anoniem besproken
    /// met de leerplichtambtenaar" (5.4.1; Bijlage 3.1), and without a melding he processes
    /// nothing "op persoonsniveau" (5.4): with a melding that showed him the pupil (relation
    /// `reidentified`), he may. The gateway recomputes his own reference from the school's unit
    /// and the pupil key the school gave with a melding, and links it if his unit holds a list
    /// row or a note under it. Idempotent: a second request, or one racing the first, finds the
    /// link (inside the register's serialized transaction) and writes nothing.
    /// - Throws: 403/404 by the authority table (`link-verzuimoverleg`: only the leerplicht unit
    ///   in the case, only after a melding that re-identified the pupil for it); 409 when the case
    ///   is closed, no melding names the school's pupil key, the meldingen name different keys,
    ///   or the unit discussed the pupil in no verzuimoverleg, or the case is restricted; 503 when the register cannot be written.
    public func linkVerzuimoverleg(caseRef: String, by principal: Principal, trace: TraceContext) async throws -> VerzuimoverlegLinkReceipt {
        let record = try await caseAccess(caseRef, .linkVerzuimoverleg, principal, trace: trace).record
        guard record.status == .open else { throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5)") }
        let meldingen = try await store.meldingen(caseID: record.id)
        let keys = try pupilKeys(meldingen)
        guard keys.count <= 1 else {
            throw GatewayError.conflict(.duoMeldingPupilKeyDiffers, "the meldingen of this case name different pupil keys: nothing was linked (Bijlage 3.1)")
        }
        guard let pupil = keys.first, let school = meldingen.first(where: { $0.pupilCipher != nil })?.party else {
            throw GatewayError.conflict(.duoMeldingPupilKeyMissing, "no melding of this case names the school's own pupil key, which links the verzuimoverleg: "
                                        + "the school gives it with the melding (POST /v1/cases/{ref}/duo-meldingen/{id}/pupil)")
        }
        // The unit's own reference, under every pseudonym key version held (lists made before a rotation).
        let candidates = try pseudonyms.versions.map { try verzuimoverlegReference(school: school, pupil: pupil, recipient: principal.unit, version: $0) }
        let held = try await store.heldReferences(candidates, holder: principal.unit)
        guard !held.isEmpty else {
            throw GatewayError.conflict(.verzuimoverlegNothingToLink, "your unit discussed this pupil in no verzuimoverleg of this school: nothing to link")
        }
        let linked = Set(try await store.verzuimoverlegLinks(caseID: record.id, holder: principal.unit).map(\.reference))
        let wanted = candidates.filter { held.contains($0) && !linked.contains($0) }
        guard !wanted.isEmpty else { return try await linkReceipt(record.id, principal, register: nil) }

        let (now, unit, delegate) = (time, principal.unit, principal.delegateID)
        let activity = activity(ProcessingActivities.verzuimoverlegLink)
        let entry = RegisterEntry(
            time: now, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: "link", sender: principal.party, actor: delegate, forum: Forum.verzuimoverleg.rawValue, purpose: Self.duoMeldingPurpose,
            decision: "none", policyHash: policyHash, subject: try pseudonyms.pseudonym(of: record.pupilKey, for: Pseudonymizer.registerRecipient),
            parentSpanID: trace.parentSpanID)
        do {
            let receipt = try await registerEntry(entry) { sql, index in
                // Linking joins the unit's own counts to the case: processing, not storage —
                // not on a restricted case (AVG art. 18 lid 2; found by review), checked in the commit.
                try await Self.refuseIfRestricted(record.id, on: sql)
                let links = wanted.map {
                    VerzuimoverlegLinkRecord(caseID: record.id, holder: unit, reference: $0, registerIndex: index, linkedAt: now, linkedBy: delegate)
                }
                guard try await !GatewayStore.link(links, on: sql).isEmpty else { throw LinkedAlready() }
            }
            try await audited(principal, .linkVerzuimoverleg, caseID: record.id, "\(wanted.count) reference(s) of \(unit)", trace: trace)
            return try await linkReceipt(record.id, principal, register: try await proof(receipt))
        } catch is LinkedAlready {
            return try await linkReceipt(record.id, principal, register: nil)
        }
    }

    func linkReceipt(_ caseID: String, _ principal: Principal, register: RegisterProof?) async throws -> VerzuimoverlegLinkReceipt {
        guard let linked = try await linkedVerzuimoverleg(caseID: caseID, holder: principal.unit) else {
            throw GatewayError.unavailable(.storedDataDamaged, "a link that was written cannot be read")
        }
        return VerzuimoverlegLinkReceipt(linked: register != nil, verzuimoverleg: linked, register: register)
    }

    /// What a unit linked to a case: its meetings and its own notes under the linked
    /// references; nil when it linked nothing (every other unit, the school among them).
    func linkedVerzuimoverleg(caseID: String, holder: String) async throws -> LinkedVerzuimoverleg? {
        let links = try await store.verzuimoverlegLinks(caseID: caseID, holder: holder)
        guard let first = links.first else { return nil }
        let references = links.map(\.reference)
        let meetings = try await store.verzuimoverlegMeetings(holder: holder, references: references).map { meeting in
            let asOf = (try? CalendarDate(text: meeting.asOf)) ?? CalendarDate.amsterdam(now())
            return LinkedVerzuimoverlegMeeting(list: meeting.shareRef, school: meeting.school, meetingDate: meeting.meetingDate, asOf: meeting.asOf,
                                               windowFrom: Self.windowFrom(asOf), reference: meeting.item.reference ?? "",
                                               counts: Self.counts(meeting.item))
        }
        return LinkedVerzuimoverleg(references: references, linkedAt: first.linkedAt, linkedBy: first.linkedBy,
                                    registerIndexes: Array(Set(links.map(\.registerIndex))).sorted(), meetings: meetings,
                                    notes: try await noteViews(holder: holder, references: references))
    }
}
