public import Foundation
public import SluisCovenant
public import SluisRegister
import SluisStore
import SluisCrypto

/// What the gateway keeps about a pupil's identity, encrypted as one JSON document per case:
/// brought in by the party that registered the case (the owner). Case facts live per party in
/// `case_facts`; `facts` here only holds the owner's facts of cases from before that table.
struct CaseData: Codable, Sendable {
    var name: String
    var birthDate: String
    var address: String?
    var bsn: String?
    var facts: [String: String]?

    func value(of field: Field) -> String? {
        switch field {
        case .name: name
        case .birthDate: birthDate
        case .address: address
        case .bsn: bsn
        default: nil
        }
    }
}

public struct NewCase: Sendable, Codable {
    public var name: String
    public var birthDate: String
    public var address: String?
    public var bsn: String?
    public var facts: [String: String]?
    public var caseType: String?
    public var phase: String?
    /// Only a school board records a DUO melding (Lpw art. 21a); recorded as
    /// `POST /v1/cases/{ref}/duo-meldingen` does, in the same transaction as the case.
    public var duoMelding: DuoMeldingInput?
    public var parties: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable { case name, birthDate, address, bsn, facts, caseType, phase, duoMelding, parties }
}

extension NewCase: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self, nested: ["duoMelding": DuoMeldingInput.jsonShape])
}

public struct CaseUpdate: Sendable, Codable {
    public var phase: String?
    public var caseType: String?
    /// Only the school board that made the melding records it (Lpw art. 21a), on its own in the
    /// request: the same use case as `POST /v1/cases/{ref}/duo-meldingen`.
    public var duoMelding: DuoMeldingInput?
    /// Closing (art. 5.5): one of the closure reasons of `Policies/rules.yaml`.
    public var closureReason: String?
    /// The acting party's own facts (art. 3.4 sub c, art. 8.1); another party's stay as they are.
    public var facts: [String: String]?

    enum CodingKeys: String, CodingKey, CaseIterable { case phase, caseType, duoMelding, closureReason, facts }

    public init(phase: String? = nil, caseType: String? = nil, duoMelding: DuoMeldingInput? = nil, closureReason: String? = nil,
                facts: [String: String]? = nil) {
        (self.phase, self.caseType, self.duoMelding, self.closureReason, self.facts) = (phase, caseType, duoMelding, closureReason, facts)
    }
}

extension CaseUpdate: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self, nested: ["duoMelding": DuoMeldingInput.jsonShape])
}

/// A case as one party sees it: its own reference and its own pseudonym for the pupil (no
/// identifier shared with another party), the shared case state, and only the data this party
/// supplied itself — identity only for the party that brought the pupil in. What a party
/// received from others reaches it as sealed bundles, not here.
public struct CaseView: Sendable, Codable, Equatable {
    /// This party's own reference for the case.
    public var id: String
    public var pseudonym: String
    public var status: String
    public var phase: String
    public var caseType: String?
    /// A DUO melding exists (protocol 5.4), and the day and school board of the latest: every
    /// participant sees that much (the thuiszitterstafel table asks for it, Bijlage 3.3 sub 5).
    public var duoMelding: Bool
    public var duoMeldingDate: String?
    /// DUO's meldingsnummer of the latest melding: for the school board that made it and the
    /// leerplichtambtenaar, to whom DUO forwarded it under that number (Lpw art. 21a).
    public var duoMeldingReference: String?
    public var duoMeldingBy: String?
    /// The meldingen with their status: the school board's own, or all for the leerplichtambtenaar;
    /// absent for every other party.
    public var duoMeldingen: [DuoMeldingView]?
    /// Whether the pupil/parents were informed in a way that counts for this party's own
    /// disclosures: by this party, or by the party that holds the casusregie (art. 12.1).
    public var informed: Bool
    /// Art. 12.2: who informed the pupil/parents, when and how.
    public var informing: [InformingView]
    public var owner: String
    public var parties: [String]
    public var forums: [String]
    /// Art. 5.5: why, when (RFC 3339) and by which party (and role) the case was closed; nil
    /// while open. Closing is final; the personal data is destroyed at the end of the term
    /// (art. 9.2, docs/retention.md).
    public var closureReason: String?
    public var closedAt: String?
    public var closedBy: String?
    /// The processing is restricted (AVG art. 18; convenant art. 13.1 sub b) under one or more
    /// rights requests: nothing of the case is disclosed or fetched until the last is lifted —
    /// shown so that no one learns it only from a refusal (a newcomer's finding).
    public var restricted: Bool
    public var identity: Identity?
    /// This party's own facts.
    public var facts: [String: String]?
    /// Where each value shown here came from (art. 3.4 sub c, art. 8.1).
    public var provenance: [Provenance]
    /// Only in the answer to a phase change: per recipient, what it received for a purpose the
    /// new phase no longer serves (art. 3.4 sub b).
    public var reassessment: PhaseReassessment?
    /// Only for the leerplicht unit that linked it after a DUO melding: its earlier anonymous
    /// verzuimoverleg of the pupil — the meetings' counts and its own notes (protocol 5.4;
    /// Bijlage 3.1). Absent for every other party, the school included.
    public var verzuimoverleg: LinkedVerzuimoverleg?

    public struct Identity: Sendable, Codable, Equatable {
        public var name: String
        public var birthDate: String
        public var address: String?
        public var bsn: String?
    }

    public struct InformingView: Sendable, Codable, Equatable {
        public var party: String, informedAt: String, method: String
    }

    public struct Provenance: Sendable, Codable, Equatable {
        public var field: String, suppliedBy: String, suppliedAt: String
    }
}

extension Gateway {
    static let maxText = 2000

    /// Case facts as a party supplies them: fields of art. 5.1 sub c–i and health data, never
    /// identity (which comes with the case, from the party that brings the pupil in).
    func validate(_ facts: [String: String]?) throws -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in facts ?? [:] {
            // Art. 15: a key typed by a caller is named back only when it looks like one of ours.
            let name = StrictJSON.shown(name)
            guard let field = Field.named(name), policy.fieldInfo(field).category != .identity else {
                throw GatewayError.invalid(field: "facts.\(name)", problem: "not a case field of art. 5.1 (identity goes in name, birthDate, address, bsn)")
            }
            // The CJG's feedback is a fixed message the gateway writes (protocol 5.5.4), never a party's text.
            guard field != .conversationHeld else {
                throw GatewayError.invalid(field: "facts.\(name)", problem: "written only by POST /v1/cases/{caseId}/cjg-feedback (verzuimprotocol 5.5.4)")
            }
            result[name] = try Self.caseText(value, field: "facts.\(name)")
        }
        return result
    }

    /// A text a professional writes about a case (a fact, a SOT note, the thuiszitterstafel's
    /// description, progress and minutes): 1–`maxText` bytes, line breaks allowed, no other
    /// control or format character (which hide or reorder what a reader sees).
    /// - Throws: `GatewayError.invalid` naming `field`, never the text.
    static func caseText(_ value: String, field: String) throws -> String {
        guard !value.isEmpty, value.utf8.count <= maxText, !value.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .format || ($0.properties.generalCategory == .control && $0 != "\n")
        }) else {
            throw GatewayError.invalid(field: field, problem: "1–\(maxText) bytes of text, no control or format characters")
        }
        return value
    }

    /// The start of a calendar day (YYYY-MM-DD) in Europe/Amsterdam, or nil.
    static func day(_ text: String) -> Date? {
        // A day of the calendar: 2026-13-01 or 2026-02-30 is none (Calendar would roll it over).
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10, CalendarDate(text) != nil else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    /// Whole years from a calendar date (YYYY-MM-DD) to `date` on the Amsterdam calendar; nil
    /// when it is no calendar date or lies after `date` (PupilIdentityValidation).
    static func age(birthDate: String, at date: Date) -> Int? {
        try? PupilIdentityValidation.age(birthDate: birthDate, at: date)
    }

    func load(_ record: CaseRecord) throws -> CaseData {
        let plaintext = try vault.open(record.dataCipher, context: "case:\(record.id)")
        return try plaintext.withUnsafeBytes { try JSONDecoder().decode(CaseData.self, from: Data($0)) }
    }

    func seal(_ data: CaseData, caseID: String) throws -> String {
        let json = try JSONEncoder().encode(data)
        return try vault.seal(Array(json), context: "case:\(caseID)")
    }

    func factContext(_ caseID: String, _ party: String, _ field: String) -> String { "fact:\(caseID):\(party):\(field)" }

    /// Stores a party's own facts, each with its provenance.
    func put(facts: [String: String], caseID: String, by principal: Principal) async throws {
        for (field, value) in facts.sorted(by: { $0.key < $1.key }) {
            try await store.put(fact: FactRecord(caseID: caseID, party: principal.unit, field: field,
                                                 valueCipher: try vault.seal(Array(value.utf8), context: factContext(caseID, principal.unit, field)),
                                                 suppliedBy: principal.delegateID, suppliedAt: time))
        }
    }

    /// The values a party supplied itself: identity if it brought the pupil in, and its facts.
    /// `data`: the case's identity document when the caller decrypted it already.
    func ownValues(record: CaseRecord, data loaded: CaseData? = nil, party: String, facts: [FactRecord]) throws -> [String: (value: String, at: String)] {
        var values: [String: (value: String, at: String)] = [:]
        if record.owner == party {
            let data = try loaded ?? load(record)
            for field in [Field.name, .birthDate, .address, .bsn] {
                if let value = data.value(of: field) { values[field.rawValue] = (value, record.created) }
            }
            for (field, value) in data.facts ?? [:] { values[field] = (value, record.created) }
        }
        for fact in facts {
            let plaintext = try vault.open(fact.valueCipher, context: factContext(fact.caseID, fact.party, fact.field))
            values[fact.field] = (plaintext.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }, fact.suppliedAt)
        }
        return values
    }

    public func createCase(_ input: NewCase, by principal: Principal, trace: TraceContext) async throws -> CaseView {
        try await authorize(.createCase, principal, subject: "case", trace: trace)
        guard !input.name.isEmpty, input.name.utf8.count <= 200, Self.isPlainText(input.name) else {
            throw GatewayError.invalid(field: "name", problem: "1–200 bytes of plain text with a letter (no control or format characters)")
        }
        // Pupil identity is checked where it enters (convenant art. 5.1 sub a–b, art. 1.11, 1.13).
        do {
            _ = try PupilIdentityValidation.ageInScope(birthDate: input.birthDate, at: now(), scope: policy.scope)
            if let bsn = input.bsn { try PupilIdentityValidation.checkBSN(bsn) }
        } catch {
            throw GatewayError.invalid(field: error.field, problem: String(error.description.dropFirst(error.field.count + 2)))
        }
        if let address = input.address, address.isEmpty || address.utf8.count > 300 || !Self.isPlainText(address) {
            throw GatewayError.invalid(field: "address", problem: "1–300 bytes of plain text (no control or format characters)")
        }
        let phase = input.phase ?? "intake"
        guard policy.phases.contains(where: { $0.id == phase }) else {
            throw GatewayError.invalid(field: "phase", problem: "one of \(policy.phases.map(\.id).joined(separator: ", ")) (art. 3.4, Bijlage 3)")
        }
        if let caseType = input.caseType, !policy.table.rows.contains(where: { $0.caseType == caseType }) {
            throw GatewayError.invalid(field: "caseType", problem: "one of \(policy.table.rows.map(\.caseType).joined(separator: ", "))")
        }
        var melding: ValidDuoMelding?
        if let entered = input.duoMelding {
            // Lpw art. 21a: only a school board records its melding, the one who brings the case in here.
            try await authorize(.recordDuoMelding, principal, relations: [.participant, .owner], subject: "case", trace: trace)
            melding = try validate(entered, birthDate: input.birthDate, kindRequired: false, prefix: "duoMelding.")
        }
        let named = input.parties ?? []
        guard named.count <= 20 else { throw GatewayError.invalid(field: "parties", problem: "at most 20") }
        var parties: [String] = []
        for (index, name) in named.enumerated() {
            // A party id, or at a gemeente `party/leerplicht` or `party/jeugd-en-gezin` (a bare gemeente: leerplicht).
            let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
            guard let record = try await store.party(parts[0]), record.status == .active, record.kind != .derde else {
                throw GatewayError.invalid(field: "parties[\(index)]", problem: "not an active party of the covenant (art. 18)")
            }
            var role: PartyRole? = record.kind == .gemeente ? .leerplicht : nil
            if parts.count == 2 {
                guard record.kind == .gemeente, let named = PartyRole(rawValue: parts[1]) else {
                    throw GatewayError.invalid(field: "parties[\(index)]", problem: "a role is named only for a gemeente (leerplicht or jeugd-en-gezin)")
                }
                role = named
            }
            parties.append(CaseUnit.name(party: record.id, role: role))
        }
        let facts = try validate(input.facts)
        let id = UUID().uuidString.lowercased()
        let data = CaseData(name: input.name, birthDate: input.birthDate, address: input.address, bsn: input.bsn, facts: nil)
        let record = CaseRecord(id: id, pupilKey: UUID().uuidString.lowercased(), dataCipher: try seal(data, caseID: id), owner: principal.unit,
                                status: .open, closureReason: nil, closedAt: nil, phase: phase, caseType: input.caseType,
                                duoMelding: false, created: time)
        if let melding {
            // The case and its melding (with the re-identification on the register) commit together.
            _ = try await self.record(melding, in: record, data: data, creating: parties, by: principal, trace: trace)
        } else {
            try await store.create(case: record, parties: parties)
        }
        try await put(facts: facts, caseID: id, by: principal)
        try await audited(principal, .createCase, caseID: id, trace: trace)
        return try await view(try await store.case(id) ?? record, for: principal)
    }

    public func caseView(_ ref: String, by principal: Principal, trace: TraceContext) async throws -> CaseView {
        try await view(try await caseAccess(ref, .viewCase, principal, trace: trace).record, for: principal)
    }

    public func cases(by principal: Principal, trace: TraceContext) async throws -> [CaseView] {
        try await authorize(.listCases, principal, subject: "cases", trace: trace)
        var views: [CaseView] = []
        for id in try await store.cases(ofParty: principal.unit, limit: 200) {
            if let record = try await store.case(id) { views.append(try await view(record, for: principal)) }
        }
        return views
    }

    func view(_ record: CaseRecord, for principal: Principal) async throws -> CaseView {
        guard let ref = try await store.ref(caseID: record.id, party: principal.unit) else { throw GatewayError.notFound(.caseNotFound, "case") }
        let own = record.owner == principal.unit
        let meldingen = try await store.meldingen(caseID: record.id)
        // Protocol 5.4: after a melding the engine permitted, the leerplichtambtenaar sees the
        // identity fields it released; the party that brought the pupil in sees all of it.
        // While the case is restricted (AVG art. 18 lid 2) that identity is not shown: the live
        // view is a consultation each time (an attacker's finding: it went on through a restriction).
        let restricted = try await store.restriction(caseID: record.id) != nil
        let reidentified = own || restricted ? [] : reidentifiedFields(meldingen, for: principal)
        let data = own || !reidentified.isEmpty ? try load(record) : nil
        let facts = try await store.facts(caseID: record.id, party: principal.unit)
        let values = try ownValues(record: record, data: data, party: principal.unit, facts: facts)
        let identityFields: Set<String> = ["name", "birthDate", "address", "bsn"]
        let ownFacts = values.filter { !identityFields.contains($0.key) }.mapValues(\.value)
        let informing = try await store.informing(caseID: record.id)
        var identity = data.map { CaseView.Identity(name: $0.name, birthDate: $0.birthDate, address: $0.address, bsn: $0.bsn) }
        var provenance = values.keys.sorted().map { CaseView.Provenance(field: $0, suppliedBy: principal.unit, suppliedAt: values[$0]!.at) }
        if !reidentified.isEmpty, let data {
            identity = reidentified.isSuperset(of: [.name, .birthDate])
                ? CaseView.Identity(name: data.name, birthDate: data.birthDate, address: reidentified.contains(.address) ? data.address : nil,
                                    bsn: reidentified.contains(.bsn) ? data.bsn : nil)
                : nil
            // Shown, not supplied: the values came from the party that brought the pupil in.
            let shown = [Field.name, .birthDate, .address, .bsn].filter { identity != nil && reidentified.contains($0) && data.value(of: $0) != nil }
            provenance += shown.map { CaseView.Provenance(field: $0.rawValue, suppliedBy: record.owner, suppliedAt: record.created) }
        }
        let leerplicht = principal.partyRole == .leerplicht
        return CaseView(
            id: ref, pseudonym: try pseudonyms.pseudonym(of: record.pupilKey, for: principal.unit), status: record.status.rawValue,
            phase: record.phase, caseType: record.caseType, duoMelding: record.duoMelding, duoMeldingDate: record.duoMeldingDate,
            duoMeldingReference: record.duoMeldingParty == principal.unit || leerplicht ? record.duoMeldingReference : nil,
            duoMeldingBy: record.duoMeldingParty,
            duoMeldingen: try await meldingViews(caseID: record.id, for: principal, meldingen: meldingen),
            informed: informing.contains { $0.party == principal.unit || $0.party == record.owner },
            informing: informing.map { CaseView.InformingView(party: $0.party, informedAt: $0.informedAt, method: $0.method.rawValue) },
            owner: record.owner, parties: try await store.parties(ofCase: record.id), forums: try await store.forums(caseID: record.id).map(\.rawValue),
            closureReason: record.closureReason, closedAt: record.closedAt, closedBy: record.closedBy, restricted: restricted, identity: identity,
            facts: own || !ownFacts.isEmpty ? ownFacts : nil, provenance: provenance,
            verzuimoverleg: leerplicht ? try await linkedVerzuimoverleg(caseID: record.id, holder: principal.unit) : nil)
    }

    /// Changes a case. Each part of the change is checked against the authority table on its
    /// own, all before anything is written: phase, case type and closure by the party that
    /// brought the case in or the forum's convener; the DUO melding only by a school board, on
    /// its own in the request and through `record(_:in:data:by:trace:)` (Lpw art. 21a); facts by
    /// any participant, as its own.
    public func updateCase(_ ref: String, _ update: CaseUpdate, by principal: Principal, trace: TraceContext) async throws -> CaseView {
        var actions: [GatewayAction] = []
        if update.phase != nil { actions.append(.changePhase) }
        if update.caseType != nil { actions.append(.changeCaseType) }
        if update.closureReason != nil { actions.append(.closeCase) }
        if update.duoMelding != nil { actions.append(.recordDuoMelding) }
        if update.facts != nil { actions.append(.recordFacts) }
        guard !actions.isEmpty else { throw GatewayError.invalid(field: "body", problem: "nothing to change: phase, caseType, closureReason, duoMelding or facts") }
        // Roles first (403 says nothing about the case), then the case (404), then the relations.
        for action in actions { try await authorizeRole(action, principal, subject: "case", trace: trace) }
        let access = try await caseAccess(ref, .viewCase, principal, trace: trace)
        let record = access.record
        for action in actions { try await authorize(action, principal, relations: access.relations, subject: "case", trace: trace) }
        guard record.status == .open else { throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5)") }
        if let melding = update.duoMelding {
            // One way to record a melding: the same use case as POST …/duo-meldingen, on its own
            // (a melding and another change in one request could half succeed).
            guard actions.count == 1 else {
                throw GatewayError.invalid(field: "duoMelding", problem: "a DUO melding is recorded on its own, not with other changes (POST /v1/cases/{caseId}/duo-meldingen)")
            }
            let data = try load(record)
            let valid = try validate(melding, birthDate: data.birthDate, kindRequired: false, prefix: "duoMelding.")
            _ = try await self.record(valid, in: record, data: data, by: principal, trace: trace)
            return try await view(try await store.case(record.id) ?? record, for: principal)
        }
        var change = GatewayStore.CaseChange()
        if let phase = update.phase {
            guard policy.phases.contains(where: { $0.id == phase }) else {
                throw GatewayError.invalid(field: "phase", problem: "one of \(policy.phases.map(\.id).joined(separator: ", ")) (art. 3.4, Bijlage 3)")
            }
            change.phase = phase
        }
        if let caseType = update.caseType {
            guard policy.table.rows.contains(where: { $0.caseType == caseType }) else {
                throw GatewayError.invalid(field: "caseType", problem: "one of \(policy.table.rows.map(\.caseType).joined(separator: ", "))")
            }
            change.caseType = caseType
        }
        let facts = try validate(update.facts)
        if let reason = update.closureReason {
            guard policy.retention.closureReasons.contains(where: { $0.id == reason }) else {
                throw GatewayError.invalid(field: "closureReason", problem: "one of \(policy.retention.closureReasons.map(\.id).joined(separator: ", ")) (art. 5.5)")
            }
            // Art. 5.5: closed by the party with authority over it (the authority table), final.
            change.closure = (reason, time, principal.unit)
        }
        // The case columns in one conditional statement (no lost update, no write to a case
        // closed meanwhile), then the party's own facts.
        if change.phase != nil || change.caseType != nil || change.closure != nil {
            guard try await store.change(case: record.id, change) else { throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5)") }
        } else if try await store.case(record.id)?.status != .open {
            throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5)")
        }
        try await put(facts: facts, caseID: record.id, by: principal)
        try await audited(principal, actions.count == 1 ? actions[0] : .viewCase, caseID: record.id, actions.map(\.rawValue).joined(separator: ", "),
                          trace: trace)
        var answer = try await view(try await store.case(record.id) ?? record, for: principal)
        if let phase = change.phase, phase != record.phase, let served = policy.phases.first(where: { $0.id == phase })?.purposes {
            answer.reassessment = PhaseReassessment.of(try await store.disclosures(caseID: record.id), phase: phase, purposes: served)
        }
        return answer
    }

    /// How the pupil/parents can be informed (art. 12.1; verzuimprotocol 5.5.2 "bijvoorbeeld via
    /// magister"): a closed list, so the record carries no free text to the other participants.
    public static let informingMethods = InformingMethod.allCases.map(\.rawValue)
    /// At most this many informing records per unit and case.
    static let maxInformingPerUnit = 20

    /// An RFC 3339 full-date or date-time (UTC `Z` or an offset), as a UTC instant; nil otherwise.
    public static func instant(_ text: String) -> Date? {
        if text.count == 10 { return day(text) }
        guard text.count <= 35 else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// Art. 12.1–12.2: a participant records when and how it informed the pupil/parents — its
    /// own act. The moment is an RFC 3339 date or date-time, not in the future and not before
    /// the pupil was born; the way is one of `informingMethods`.
    public func recordInforming(caseRef: String, informedAt: String, method: String, by principal: Principal, trace: TraceContext) async throws -> CaseView {
        let record = try await caseAccess(caseRef, .recordInforming, principal, trace: trace).record
        guard let moment = Self.instant(informedAt), moment <= now(), let birth = Self.day(try load(record).birthDate), moment >= birth else {
            throw GatewayError.invalid(field: "informedAt", problem: "an RFC 3339 date or date-time, not in the future and not before the pupil was born")
        }
        guard let method = InformingMethod(rawValue: method) else {
            throw GatewayError.invalid(field: "method", problem: "one of \(Self.informingMethods.joined(separator: ", ")) (art. 12.1)")
        }
        guard try await store.informing(caseID: record.id).filter({ $0.party == principal.unit }).count < Self.maxInformingPerUnit else {
            throw GatewayError.conflict(.informingLimit, "at most \(Self.maxInformingPerUnit) informing records per party and case")
        }
        try await store.add(informing: InformingRecord(id: UUID().uuidString.lowercased(), caseID: record.id, party: principal.unit,
                                                       delegate: principal.delegateID, informedAt: informedAt, method: method, recorded: time))
        try await audited(principal, .recordInforming, caseID: record.id, trace: trace)
        return try await view(record, for: principal)
    }

    /// Text about a person as it enters: no control or format characters (which hide or reorder
    /// what a reader sees: U+200B, U+202E, NUL), and at least one letter.
    static func isPlainText(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { ![.control, .format, .surrogate, .privateUse, .unassigned].contains($0.properties.generalCategory) }
            && text.unicodeScalars.contains { $0.properties.isAlphabetic }
    }
}
