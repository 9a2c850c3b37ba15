import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// Putting a pupil on the thuiszitterstafel list (verzuimprotocol hoofdstuk 5; Bijlage 3.3 sub 5).
public struct TafelRegistrationInput: Sendable, Codable {
    /// The caller's own reference for the case.
    public var caseId: String
    /// A row of the thuiszitterstafel table (protocol hoofdstuk 5; `Policies/forums.yaml`).
    public var caseType: String
    /// The very short description of the case (Bijlage 3.3 sub 4), 1–2000 bytes.
    public var summary: String
    /// The progress so far, optional.
    public var progress: String?

    /// As the web pages build it (the API decodes it): one use case for both.
    public init(caseId: String, caseType: String, summary: String, progress: String?) {
        (self.caseId, self.caseType, self.summary, self.progress) = (caseId, caseType, summary, progress)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case caseId, caseType, summary, progress }
}

extension TafelRegistrationInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// A change to an entry on the list: the caller's texts, or (the SWV) the procesbewaker.
public struct TafelEntryUpdate: Sendable, Codable {
    public var summary: String?
    public var progress: String?
    /// The username of the delegate the table appointed (Bijlage 3.3 sub 2).
    public var procesbewaker: String?

    public init(summary: String? = nil, progress: String? = nil, procesbewaker: String? = nil) {
        (self.summary, self.progress, self.procesbewaker) = (summary, progress, procesbewaker)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case summary, progress, procesbewaker }
}

extension TafelEntryUpdate: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// Afschaling (Bijlage 3.3 sub 5): "De leerling gaat van lijst thuiszitterstafel als de leerling
/// weer volledig instroomt in het onderwijs of in arbeid."
public struct TafelAfschalingInput: Sendable, Codable {
    /// `onderwijs` or `arbeid`.
    public var reason: String

    public init(reason: String) { self.reason = reason }

    enum CodingKeys: String, CodingKey, CaseIterable { case reason }
}

extension TafelAfschalingInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// An entry of the list as one unit sees it: its own case reference; who registered the pupil
/// and who is procesbewaker by username (the names of professionals, shown to every participant:
/// contract agenda.md); a text only to the unit that wrote it.
public struct TafelEntryView: Sendable, Codable, Equatable {
    public var id: String
    /// The SWV's list number: the `ref` of the pupil's item on an agenda.
    public var number: Int64
    public var caseId: String
    public var caseType: String?
    public var registeredBy: String
    public var registeredByUnit: String
    public var registeredAt: String
    public var procesbewaker: String?
    public var summary: String?
    public var summaryBy: String
    public var progress: String?
    public var progressBy: String?
    public var leftAt: String?
    public var leftReason: String?
}

extension Gateway {
    /// The reasons a pupil leaves the list (Bijlage 3.3 sub 5, afschaling).
    public static let afschalingReasons = ["onderwijs", "arbeid"]

    /// The units that keep the list and convene the table: the SWV parties (Bijlage 3.3 sub 1).
    func tafelConveners() async throws -> [PartyRecord] {
        try await store.parties().filter { $0.kind == Self.conveners[Forum.thuiszitterstafel.rawValue] && $0.status == .active }
    }

    static func tafelContext(_ entry: String, _ text: String) -> String { "tafel:\(entry):\(text)" }

    /// Puts the pupil of the caller's case on the list (verzuimprotocol hoofdstuk 5; Bijlage 3.3
    /// sub 5): the check and the write in one transaction (`GatewayStore.register`). The case
    /// takes the entry's case type if it has none; it comes to the thuiszitterstafel and the SWV,
    /// which keeps the list, takes part in it.
    /// - Throws: 403/404 by the authority table; `invalid` for a case type outside the table or
    ///   a text that is not one; 409 `tafelListedAlready`, `tafelCaseTypeDiffers`, `caseClosed`.
    public func registerOnTafel(_ input: TafelRegistrationInput, by principal: Principal, trace: TraceContext) async throws -> TafelEntryView {
        let access = try await caseAccess(input.caseId, .registerOnTafel, principal, trace: trace)
        let record = access.record
        // Giving a case its type is changing it (hoofdstuk 5: the row decides who sees the pupil):
        // the owner, or the SWV, whose list makes it the convener (Bijlage 3.3 sub 3) — not a
        // jeugdarts or leerplichtambtenaar who is neither.
        var relations = access.relations
        if Self.conveners[Forum.thuiszitterstafel.rawValue] == principal.partyKind { relations.insert(.convener) }
        let mayTypeCase = AuthorityTable.decide(.changeCaseType, role: principal.role, partyKind: principal.partyKind, relations: relations) == .allowed
        guard policy.table.rows.contains(where: { $0.caseType == input.caseType }) else {
            throw GatewayError.invalid(field: "caseType", problem: "one of \(policy.table.rows.map(\.caseType).joined(separator: ", ")) (verzuimprotocol hoofdstuk 5)")
        }
        let id = UUID().uuidString.lowercased()
        let summary = try vault.seal(Array(try Self.caseText(input.summary, field: "summary").utf8), context: Self.tafelContext(id, "summary"))
        let progress = try input.progress.map {
            try vault.seal(Array(try Self.caseText($0, field: "progress").utf8), context: Self.tafelContext(id, "progress"))
        }
        let entry = TafelEntryRecord(id: id, caseID: record.id, number: 0, registeredBy: principal.unit, registeredDelegate: principal.delegateID,
                                     registeredAt: time, summaryCipher: summary, summaryBy: principal.unit, progressCipher: progress,
                                     progressBy: progress == nil ? nil : principal.unit)
        let conveners = try await tafelConveners().map(\.id)
        switch try await store.register(tafelEntry: entry, caseType: input.caseType, mayTypeCase: mayTypeCase, conveners: conveners) {
        case .registered(let stored):
            try await audited(principal, .registerOnTafel, caseID: record.id, "entry \(stored.id)", trace: trace)
            return try await view(stored, for: principal)
        case .caseClosed:
            throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5)")
        case .listedAlready:
            throw GatewayError.conflict(.tafelListedAlready, "the pupil is on the thuiszitterstafel list already (Bijlage 3.3)")
        case .caseTypeDiffers(let existing):
            throw GatewayError.conflict(.tafelCaseTypeDiffers, "the case is of type \(existing): register it with that type, or change the case's type first (PATCH /v1/cases/{caseId})")
        case .caseTypeMissing:
            throw GatewayError.conflict(.tafelCaseTypeMissing,
                                        "the case has no case type yet, and giving it one is for the party that brought the case in or the forum's convener (change-case-type): ask them to set it first")
        }
    }

    /// The list as the caller's unit sees it (Bijlage 3.3 sub 1 and 3; art. 7.3).
    public func tafelList(by principal: Principal, trace: TraceContext) async throws -> [TafelEntryView] {
        try await authorize(.listTafel, principal, subject: "thuiszitterstafel", trace: trace)
        var views: [TafelEntryView] = []
        for entry in try await store.tafelEntries(unit: principal.unit) { views.append(try await view(entry, for: principal)) }
        return views
    }

    /// Changes an entry on the list: a text as the caller's own (`writeTafelTexts`), the
    /// procesbewaker (`appointProcesbewaker`, the SWV). Each part is authorized before anything
    /// is written; the write checks the entry is still on the list and its case open.
    public func updateTafelEntry(_ id: String, _ update: TafelEntryUpdate, by principal: Principal, trace: TraceContext) async throws -> TafelEntryView {
        var actions: [GatewayAction] = []
        if update.summary != nil || update.progress != nil { actions.append(.writeTafelTexts) }
        if update.procesbewaker != nil { actions.append(.appointProcesbewaker) }
        guard !actions.isEmpty else { throw GatewayError.invalid(field: "body", problem: "nothing to change: summary, progress or procesbewaker") }
        let entry = try await tafelEntry(id, actions, by: principal, trace: trace)
        var change = GatewayStore.TafelEntryChange()
        if let summary = update.summary {
            change.summary = (try vault.seal(Array(try Self.caseText(summary, field: "summary").utf8), context: Self.tafelContext(id, "summary")), principal.unit)
        }
        if let progress = update.progress {
            change.progress = (try vault.seal(Array(try Self.caseText(progress, field: "progress").utf8), context: Self.tafelContext(id, "progress")), principal.unit)
        }
        if let username = update.procesbewaker { change.procesbewaker = try await procesbewaker(username, caseID: entry.caseID).id }
        guard try await store.change(tafelEntry: entry.id, change) else {
            // Nothing written: either the pupil left the list (or the case closed), or a text is another's.
            guard let now = try await store.tafelEntry(id), now.leftAt == nil, try await store.case(now.caseID)?.status == .open else { throw Self.notListed }
            let whose = update.summary != nil && now.summaryBy != principal.unit ? "the description" : "the progress"
            throw GatewayError.conflict(.tafelTextOfAnother, "\(whose) on the list was written by another organisation, which keeps control of it (convenant art. 3.4 sub c)")
        }
        try await audited(principal, actions[0], caseID: entry.caseID, "entry \(entry.id)", trace: trace)
        return try await view(try await store.tafelEntry(id) ?? entry, for: principal)
    }

    /// Afschaling (Bijlage 3.3 sub 5): the SWV takes the pupil off the list, with the reason.
    public func afschaling(_ id: String, _ input: TafelAfschalingInput, by principal: Principal, trace: TraceContext) async throws -> TafelEntryView {
        let entry = try await tafelEntry(id, [.afschalingTafel], by: principal, trace: trace)
        guard Self.afschalingReasons.contains(input.reason) else {
            throw GatewayError.invalid(field: "reason", problem: "onderwijs or arbeid: back in school or at work (Bijlage 3.3 sub 5)")
        }
        var change = GatewayStore.TafelEntryChange()
        change.leaving = (input.reason, time, principal.delegateID)
        guard try await store.change(tafelEntry: entry.id, change) else { throw Self.notListed }
        try await audited(principal, .afschalingTafel, caseID: entry.caseID, "entry \(entry.id): \(input.reason)", trace: trace)
        return try await view(try await store.tafelEntry(id) ?? entry, for: principal)
    }

    static let notListed = GatewayError.conflict(.tafelNotListed, "the pupil is no longer on the thuiszitterstafel list (afschaling, or the case closed)")

    /// An entry the caller may act on with every one of `actions`: roles first (403), then the
    /// entry's case as the caller stands to it (404 when it takes no part), then the relations.
    func tafelEntry(_ id: String, _ actions: [GatewayAction], by principal: Principal, trace: TraceContext) async throws -> TafelEntryRecord {
        for action in actions { try await authorizeRole(action, principal, subject: "entry", trace: trace) }
        guard let entry = try await store.tafelEntry(id) else {
            try await authorize(actions[0], principal, relations: [], subject: "entry \(id)", trace: trace)
            throw GatewayError.notFound(.tafelEntryNotFound, "entry")
        }
        let access = try await caseAccess(internal: entry.caseID, actions[0], principal, subject: "entry \(id)", trace: trace)
        for action in actions.dropFirst() {
            try await authorize(action, principal, relations: access.relations, subject: "entry \(id)", trace: trace)
        }
        return entry
    }

    /// The delegate a procesbewaker names: enabled, working on cases, at a participant of the
    /// thuiszitterstafel ("Vanuit de thuiszitterstafel wordt er een deelnemer aangewezen",
    /// Bijlage 3.3 sub 2). Its username is what the agenda shows.
    func procesbewaker(_ username: String, caseID: String) async throws -> DelegateRecord {
        let problem = "the username of a case worker of a participant of the thuiszitterstafel taking part in the pupil's case (Bijlage 3.3 sub 1–2)"
        guard username.utf8.count <= 64, let delegate = try await store.delegate(username: username), delegate.disabledAt == nil,
              delegate.role.worksOnCases, let party = try await store.party(delegate.party) else {
            throw GatewayError.invalid(field: "procesbewaker", problem: problem)
        }
        let ref = delegate.role.partyRef(kind: party.kind, joined: party.status == .active)
        guard policy.forumRule(.thuiszitterstafel).participants.contains(where: { $0.matches(ref) }) else {
            throw GatewayError.invalid(field: "procesbewaker", problem: problem)
        }
        // Someone who watches over the process works on the case: the delegate's unit takes part in it.
        let unit = CaseUnit.name(party: delegate.party, role: delegate.role.partyRole(kind: party.kind))
        guard try await store.ref(caseID: caseID, party: unit) != nil else { throw GatewayError.invalid(field: "procesbewaker", problem: problem) }
        return delegate
    }

    func view(_ entry: TafelEntryRecord, for principal: Principal) async throws -> TafelEntryView {
        func text(_ cipher: String?, _ author: String?, _ name: String) throws -> String? {
            guard let cipher, author == principal.unit else { return nil }
            return try vault.open(cipher, context: Self.tafelContext(entry.id, name)).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        }
        return TafelEntryView(
            id: entry.id, number: entry.number, caseId: try await store.ref(caseID: entry.caseID, party: principal.unit) ?? "",
            caseType: try await store.case(entry.caseID)?.caseType, registeredBy: try await username(entry.registeredDelegate),
            registeredByUnit: entry.registeredBy, registeredAt: entry.registeredAt,
            procesbewaker: try await entry.procesbewaker.asyncMap { try await username($0) },
            summary: try text(entry.summaryCipher, entry.summaryBy, "summary"), summaryBy: entry.summaryBy,
            progress: try text(entry.progressCipher, entry.progressBy, "progress"), progressBy: entry.progressBy,
            leftAt: entry.leftAt, leftReason: entry.leftReason)
    }

    /// A delegate's username (what the agenda shows of a professional); a delegate that is gone
    /// shows as `onbekend`.
    func username(_ delegateID: String) async throws -> String {
        try await store.delegate(id: delegateID)?.username ?? "onbekend"
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
