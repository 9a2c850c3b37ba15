import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// The counts the verzuimoverleg may see of one pupil over the list's window of 28 days
/// (convenant art. 5.1 sub d: absence in general words; the forum's only field here, `absence`).
/// Hours in `hourUnit` (nil when none had hours).
public struct VerzuimoverlegCounts: Sendable, Codable, Equatable {
    public var unauthorisedHours: Double
    public var authorisedHours: Double
    public var hourUnit: String?
    public var lateArrivals: Int
    public var sickReports: Int
}

/// A pupil on the school's own list: its own pupil key, and the counts.
public struct VerzuimoverlegPupil: Sendable, Codable, Equatable {
    public var pupil: String
    public var counts: VerzuimoverlegCounts
}

/// What the filter puts on the list today (the school decides what to leave out, Bijlage 3.1
/// sub 3 / protocol 5.4.1: "de lijst eerst intern te bespreken").
public struct VerzuimoverlegCandidatesView: Sendable, Codable, Equatable {
    /// The window: `windowFrom` … `asOf`, 28 calendar days.
    public var asOf: String
    public var windowFrom: String
    public var pupils: [VerzuimoverlegPupil]
}

/// To whom a list went, and its register entry.
public struct VerzuimoverlegShareView: Sendable, Codable, Equatable {
    public var recipient: String
    public var recipientRole: String?
    public var registerIndex: Int64
    public var sharedAt: String
}

/// A list as the school that made it sees it.
public struct VerzuimoverlegSchoolList: Sendable, Codable, Equatable {
    public var id: String
    public var meetingDate: String
    public var asOf: String
    public var windowFrom: String
    public var pupils: [VerzuimoverlegPupil]
    public var sharedWith: [VerzuimoverlegShareView]
}

/// One of the school's lists in its index.
public struct VerzuimoverlegListSummary: Sendable, Codable, Equatable {
    public var id: String
    public var meetingDate: String
    public var asOf: String
    public var pupils: Int
    public var sharedWith: [String]
}

/// The school's request to share a list for a meeting.
public struct VerzuimoverlegShareInput: Sendable, Codable {
    /// The meeting's day, `YYYY-MM-DD`: today or within a year.
    public var meetingDate: String
    /// Party ids: the gemeente (its leerplichtambtenaar) and/or the CJG (its jeugdverpleegkundige).
    public var recipients: [String]
    /// Pupil keys the school discusses internally first and leaves off this list.
    public var leaveOut: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable { case meetingDate, recipients, leaveOut }

    public init(meetingDate: String, recipients: [String], leaveOut: [String]? = nil) {
        (self.meetingDate, self.recipients, self.leaveOut) = (meetingDate, recipients, leaveOut)
    }
}

extension VerzuimoverlegShareInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

extension Gateway {
    /// The purpose a verzuimoverleg list serves. *Interpretation* (docs/casework.md): the
    /// meeting "is preventief. Het beoogt verzuim in een vroeg stadium terug te dringen"
    /// (Bijlage 3.1 sub 2) — art. 3.1 sub c, preventing serious stagnation in the pupil's
    /// development.
    static let verzuimoverlegPurpose = "3.1.c"
    /// The age the engine is asked with. The school's registrations carry no birth date, and
    /// none may go to the verzuimoverleg; its pupils are of compulsory school age (VO-scholen,
    /// Bijlage 3.1 sub 1). *Interpretation*: no rule on `absence` in the verzuimoverleg depends
    /// on age within the covenant's scope — a test asks the engine at every age in scope.
    static let verzuimoverlegAge = 12
    /// The most pupil keys `leaveOut` may name.
    static let maxLeaveOut = 2000

    /// The pupils the filter puts on the school's list as of `asOf` (default today), with its
    /// own pupil keys. Nothing is shared.
    /// - Throws: `GatewayError.forbidden` (not a school board's zorgcoördinator), `.invalid` (`asOf`).
    public func verzuimoverlegCandidates(asOf text: String?, by principal: Principal, trace: TraceContext) async throws -> VerzuimoverlegCandidatesView {
        try await authorize(.prepareVerzuimoverleg, principal, subject: "verzuimoverleg", trace: trace)
        let today = CalendarDate.amsterdam(now())
        let asOf = try text.map { try Self.calendarDate($0, field: "asOf") } ?? today
        guard asOf <= today else { throw GatewayError.invalid(field: "asOf", problem: "not after today") }
        let candidates = try await verzuimoverlegCandidates(unit: principal.unit, asOf: asOf)
        return VerzuimoverlegCandidatesView(asOf: asOf.description, windowFrom: Self.windowFrom(asOf), pupils: candidates.map {
            VerzuimoverlegPupil(pupil: $0.pupil, counts: Self.counts($0))
        })
    }

    /// The school's list: pupils with beginning absence, without those at a threshold (open
    /// signals) and those it reported — a DUO melding not yet `afgesloten` (verzuimprotocol 5.4.1:
    /// anonymous "zolang er nog geen DUO-melding is gemaakt"; *interpretation*: once the
    /// leerplichtambtenaar closes the melding, new beginning absence is discussed anonymously again).
    func verzuimoverlegCandidates(unit: String, asOf: CalendarDate) async throws -> [VerzuimoverlegCandidate] {
        let (registrations, signals) = try await openSignals(unit: unit, today: asOf)
        let reported = try pupilKeys(try await store.reportedMeldingen(party: unit))
        return VerzuimoverlegFilter.candidates(registrations, openSignals: signals, reported: reported, asOf: asOf)
    }

    /// Shares the school's list for a meeting with the leerplichtambtenaar and/or the
    /// jeugdverpleegkundige (Bijlage 3.1 sub 1), without personal data (sub 4): each recipient
    /// gets every pupil under a reference of its own and only the counts. Every pupil goes
    /// through the decision engine for every recipient (forum `verzuimoverleg`, field
    /// `absence`); a refusal for any shares nothing and is on the register. Each recipient's
    /// share is a disclosure on the register (no subject: the entry is about the list, and says
    /// how many pupils it holds); all of them commit together with the list and what every
    /// recipient receives — both recipients get it, or neither (`RegisterStore.append(group:)`).
    /// - Throws: `GatewayError.forbidden` (role, or a recipient outside Bijlage 3.1 sub 1),
    ///   `.invalid`, `.conflict` (nobody on the list), `.refused`, `.unavailable`.
    public func shareVerzuimoverleg(_ input: VerzuimoverlegShareInput, by principal: Principal, trace: TraceContext) async throws -> VerzuimoverlegSchoolList {
        try await authorize(.shareVerzuimoverleg, principal, subject: "verzuimoverleg", trace: trace)
        let today = CalendarDate.amsterdam(now())
        let meeting = try Self.calendarDate(input.meetingDate, field: "meetingDate")
        guard meeting >= today, meeting <= today.adding(days: 366) else {
            throw GatewayError.invalid(field: "meetingDate", problem: "today or a day within a year")
        }
        let recipients = try await verzuimoverlegRecipients(input.recipients, by: principal, trace: trace)
        let leaveOut = input.leaveOut ?? []
        guard leaveOut.count <= Self.maxLeaveOut, leaveOut.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 256 }) else {
            throw GatewayError.invalid(field: "leaveOut", problem: "at most \(Self.maxLeaveOut) pupil keys of the list")
        }
        let candidates = try await verzuimoverlegCandidates(unit: principal.unit, asOf: today)
        let onList = Set(candidates.map { Array($0.pupil.utf8) })
        if let stray = leaveOut.firstIndex(where: { !onList.contains(Array($0.utf8)) }) {
            throw GatewayError.invalid(field: "leaveOut[\(stray)]", problem: "not a pupil on today's list")
        }
        let left = Set(leaveOut.map { Array($0.utf8) })
        let pupils = candidates.filter { !left.contains(Array($0.pupil.utf8)) }
        guard !pupils.isEmpty else {
            throw GatewayError.conflict(.verzuimoverlegListEmpty, "no pupil on the list for \(today) (verzuimprotocol 5.4.1): nothing was shared")
        }

        // The covenant, per pupil and recipient; all must permit before anything goes.
        let sender = principal.role.partyRef(kind: principal.partyKind, joined: true)
        let answers = recipients.map { decideVerzuimoverleg(pupils: pupils.count, from: sender, to: $0.ref) }
        if answers.contains(where: { !Self.permitsCounts($0) }) {
            let refusals = zip(recipients, answers).filter { !Self.permitsCounts($0.1) }.map { recipient, answer in
                var refusal = answer
                refusal.decision = .deny
                return (refusal, verzuimoverlegEntry(refusal, to: recipient, pupils: pupils.count, by: principal, trace: trace))
            }
            let registered = try await registerEntries(refusals.map(\.1))
            throw GatewayError.refused(refusals[0].0, registerIndex: registered[0].index)
        }

        let list = VerzuimoverlegListRecord(id: UUID().uuidString.lowercased(), unit: principal.unit, meetingDate: meeting.description,
                                            asOf: today.description, created: time, createdBy: principal.delegateID)
        let schoolItems = try pupils.enumerated().map { position, pupil in
            Self.item(pupil, list: list.id, holder: principal.unit, position: position, reference: nil,
                      pupilCipher: try vault.seal(Array(pupil.pupil.utf8), context: Self.listContext(list.id, principal.unit)))
        }
        // What each recipient receives: every pupil under its own reference, ordered by that
        // reference (the school's key order does not travel), under an id of its own for the list.
        let created = time
        let deliveries = try recipients.map { recipient in
            let referenced = try pupils.map { (reference: try verzuimoverlegReference(school: principal.unit, pupil: $0.pupil, recipient: recipient.unit), pupil: $0) }
                .sorted { $0.reference < $1.reference }
            let items = referenced.enumerated().map { position, entry in
                Self.item(entry.pupil, list: list.id, holder: recipient.unit, position: position, reference: entry.reference, pupilCipher: nil)
            }
            return (share: VerzuimoverlegShareRecord(listID: list.id, recipient: recipient.unit, ref: UUID().uuidString.lowercased(), registerIndex: -1,
                                                     created: created), items: items)
        }
        // One disclosure per recipient, all in one commit with the list and every delivery: both
        // recipients get it or neither does (Bijlage 3.1 sub 1: one meeting, one list).
        let entries = zip(recipients, answers).map { verzuimoverlegEntry($1, to: $0, pupils: pupils.count, by: principal, trace: trace) }
        _ = try await registerEntries(entries) { sql, indices in
            try await GatewayStore.add(verzuimoverlegList: list, items: schoolItems, on: sql)
            for (delivery, index) in zip(deliveries, indices) {
                var share = delivery.share
                share.registerIndex = index
                try await GatewayStore.add(verzuimoverlegShare: share, items: delivery.items, on: sql)
            }
        }
        try await access.audit("verzuimoverleg", delegate: principal.delegateID, party: principal.party, outcome: "done",
                               detail: "share-verzuimoverleg: \(pupils.count) pupils to \(recipients.map(\.unit).joined(separator: ", "))", trace: trace)
        return try await schoolList(list)
    }

    /// A recipient of a verzuimoverleg list: the party, how the engine sees it, and its unit.
    struct VerzuimoverlegRecipient {
        let party: PartyRecord
        let ref: PartyRef
        let unit: String
    }

    /// The recipients as asked: parties, no repeats; only the gemeente's leerplichtambtenaar and
    /// the CJG's jeugdverpleegkundige (Bijlage 3.1 sub 1: "Dit overleg is op schoolniveau").
    func verzuimoverlegRecipients(_ ids: [String], by principal: Principal, trace: TraceContext) async throws -> [VerzuimoverlegRecipient] {
        guard !ids.isEmpty, ids.count <= 2, Set(ids).count == ids.count else {
            throw GatewayError.invalid(field: "recipients", problem: "1–2 different parties: the gemeente and/or the CJG")
        }
        var recipients: [VerzuimoverlegRecipient] = []
        for (index, id) in ids.enumerated() {
            guard id.utf8.count <= 64, let party = try await store.party(id) else {
                throw GatewayError.invalid(field: "recipients[\(index)]", problem: "not a party")
            }
            let kind = party.kind
            guard kind == .gemeente || kind == .jgz else {
                await access.denied(principal, "share-verzuimoverleg to \(kind.rawValue)", trace: trace)
                throw GatewayError.forbidden(.verzuimoverlegRecipient, "the verzuimoverleg's list goes only to the leerplichtambtenaar and the jeugdverpleegkundige",
                                             article: "verzuimprotocol 5.4.1; Bijlage 3.1 sub 1")
            }
            let role: PartyRole? = kind == .gemeente ? .leerplicht : nil
            recipients.append(VerzuimoverlegRecipient(party: party, ref: PartyRef(kind: kind, role: role, joined: party.status == .active),
                                                      unit: CaseUnit.name(party: party.id, role: role)))
        }
        return recipients
    }

    /// One pupil of the list as the engine is asked about it: only `absence`, no identity, no
    /// DUO melding, no consent, no case (the verzuimoverleg is anonymous and asks no informing,
    /// Bijlage 3.1 sub 4).
    static func verzuimoverlegRequest(sender: PartyRef, recipient: PartyRef) -> DecisionRequest {
        DecisionRequest(sender: sender, recipient: recipient, forum: .verzuimoverleg, purpose: Self.verzuimoverlegPurpose,
                        fields: [RequestedField(.absence)],
                        pupil: PupilFacts(age: Self.verzuimoverlegAge, duoMelding: false, informed: false))
    }

    /// The register entry of one recipient's share (or its refusal): no subject, the list is
    /// about many pupils and none by name — only how many (`subjectCount`).
    func verzuimoverlegEntry(_ answer: DecisionAnswer, to recipient: VerzuimoverlegRecipient, pupils: Int, by principal: Principal,
                             trace: TraceContext) -> RegisterEntry {
        let activity = activity(ProcessingActivities.disclosureID(.verzuimoverleg))
        return RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: answer.decision == .permit ? "disclose" : "refuse", sender: principal.party, actor: principal.delegateID,
            recipient: recipient.party.id, forum: Forum.verzuimoverleg.rawValue, purpose: Self.verzuimoverlegPurpose,
            decision: answer.decision.rawValue, released: answer.released, withheld: registered(withheld: answer.withheld),
            basis: answer.basis.map { "\($0.gdpr); \($0.law.joined(separator: ", ")); \($0.article)" }, policyHash: policyHash,
            recipientRole: recipient.ref.effectiveRole?.rawValue, parentSpanID: trace.parentSpanID, subjectCount: Int64(pupils))
    }

    /// The recipient's own reference for a school's pupil: the gateway's pseudonymizer over the
    /// school's unit and pupil key, for this recipient unit. Stable across lists; two recipients'
    /// references are unrelated; the school's key cannot be computed back (docs/casework.md).
    func verzuimoverlegReference(school: String, pupil: String, recipient: String, version: Int? = nil) throws -> String {
        try pseudonyms.pseudonym(of: "\(school)\u{0}\(pupil)", for: "verzuimoverleg/\(recipient)", version: version)
    }

    /// The engine's answer for each pupil of a list to one recipient: the first that is not a
    /// permit of the counts, else the permit. The request holds nothing of a pupil but the
    /// field asked, so today the answers agree; asking per pupil keeps a pupil-level fact added
    /// later (an answered DUO melding, say) decided per pupil.
    func decideVerzuimoverleg(pupils: Int, from sender: PartyRef, to recipient: PartyRef) -> DecisionAnswer {
        var answer = engine.evaluate(Self.verzuimoverlegRequest(sender: sender, recipient: recipient))
        for _ in 1..<max(pupils, 1) {
            guard Self.permitsCounts(answer) else { break }
            answer = engine.evaluate(Self.verzuimoverlegRequest(sender: sender, recipient: recipient))
        }
        return answer
    }

    /// Whether an answer lets exactly the counts go (the one field asked).
    static func permitsCounts(_ answer: DecisionAnswer) -> Bool {
        answer.decision == .permit && answer.released == [Field.absence.rawValue]
    }

    static func item(_ candidate: VerzuimoverlegCandidate, list: String, holder: String, position: Int, reference: String?,
                     pupilCipher: String?) -> VerzuimoverlegItemRecord {
        VerzuimoverlegItemRecord(listID: list, holder: holder, position: position, reference: reference, pupilCipher: pupilCipher,
                                 unauthorisedMillionths: Int64(candidate.unauthorisedHours.millionths),
                                 authorisedMillionths: Int64(candidate.authorisedHours.millionths), hourUnit: candidate.unit?.rawValue,
                                 lateArrivals: candidate.lateArrivals, sickReports: candidate.sickReports)
    }

    static func counts(_ candidate: VerzuimoverlegCandidate) -> VerzuimoverlegCounts {
        counts(item(candidate, list: "", holder: "", position: 0, reference: nil, pupilCipher: nil))
    }

    static func counts(_ item: VerzuimoverlegItemRecord) -> VerzuimoverlegCounts {
        VerzuimoverlegCounts(unauthorisedHours: Double(item.unauthorisedMillionths) / Double(AbsenceHours.scale),
                             authorisedHours: Double(item.authorisedMillionths) / Double(AbsenceHours.scale), hourUnit: item.hourUnit,
                             lateArrivals: item.lateArrivals, sickReports: item.sickReports)
    }

    static func windowFrom(_ asOf: CalendarDate) -> String {
        asOf.adding(days: 1 - VerzuimoverlegFilter.windowDays).description
    }

    static func listContext(_ list: String, _ unit: String) -> String { "verzuimoverleg:\(list):\(unit)" }

    // MARK: The school's own lists

    /// The school board's lists, newest first.
    public func verzuimoverlegLists(by principal: Principal, trace: TraceContext) async throws -> [VerzuimoverlegListSummary] {
        try await authorize(.prepareVerzuimoverleg, principal, subject: "verzuimoverleg", trace: trace)
        var summaries: [VerzuimoverlegListSummary] = []
        for list in try await store.verzuimoverlegLists(unit: principal.unit) {
            summaries.append(VerzuimoverlegListSummary(
                id: list.id, meetingDate: list.meetingDate, asOf: list.asOf,
                pupils: try await store.verzuimoverlegItems(list: list.id, holder: list.unit).count,
                sharedWith: try await store.verzuimoverlegShares(list: list.id).map(\.recipient)))
        }
        return summaries
    }

    /// One of the school board's own lists, with its pupil keys; another's is 404.
    public func verzuimoverlegList(_ id: String, by principal: Principal, trace: TraceContext) async throws -> VerzuimoverlegSchoolList {
        try await authorize(.prepareVerzuimoverleg, principal, subject: "verzuimoverleg", trace: trace)
        guard let list = try await store.verzuimoverlegList(id, unit: principal.unit) else { throw GatewayError.notFound(.verzuimoverlegListNotFound, "list") }
        return try await schoolList(list)
    }

    func schoolList(_ list: VerzuimoverlegListRecord) async throws -> VerzuimoverlegSchoolList {
        let pupils = try await store.verzuimoverlegItems(list: list.id, holder: list.unit).map { item in
            guard let cipher = item.pupilCipher else { throw GatewayError.unavailable(.storedDataDamaged, "a stored list is damaged") }
            let pupil = try vault.open(cipher, context: Self.listContext(list.id, list.unit)).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            return VerzuimoverlegPupil(pupil: pupil, counts: Self.counts(item))
        }
        let shares = try await store.verzuimoverlegShares(list: list.id).map { share in
            VerzuimoverlegShareView(recipient: CaseUnit.party(of: share.recipient),
                                    recipientRole: share.recipient.contains("/") ? String(share.recipient.split(separator: "/").last!) : nil,
                                    registerIndex: share.registerIndex, sharedAt: share.created)
        }
        let asOf = (try? CalendarDate(text: list.asOf)) ?? CalendarDate.amsterdam(now())
        return VerzuimoverlegSchoolList(id: list.id, meetingDate: list.meetingDate, asOf: list.asOf, windowFrom: Self.windowFrom(asOf),
                                        pupils: pupils, sharedWith: shares)
    }
}
