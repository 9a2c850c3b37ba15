import Foundation
import SluisCovenant
import SluisRegister
import SluisStore

/// What the gateway keeps about a pupil, encrypted as one JSON document per case.
struct CaseData: Codable, Sendable {
    var name: String
    var birthDate: String
    var address: String?
    var bsn: String?
    /// Case facts by field name (art. 5.1 sub c–i, health data).
    var facts: [String: String]

    func value(of field: Field) -> String? {
        switch field {
        case .name: name
        case .birthDate: birthDate
        case .address: address
        case .bsn: bsn
        default: facts[field.rawValue]
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
    public var duoMelding: Bool?
    public var parties: [String]?
}

public struct CaseUpdate: Sendable, Codable {
    public var phase: String?
    public var caseType: String?
    public var duoMelding: Bool?
    /// Closing (art. 5.5): one of the closure reasons of `Policies/rules.yaml`.
    public var closureReason: String?
    public var facts: [String: String]?
}

/// A case as one party sees it: its own pseudonym for the pupil; identity and facts only for
/// the party that brought the pupil in (others receive data only through disclosures).
public struct CaseView: Sendable, Codable, Equatable {
    public var id: String
    public var pseudonym: String
    public var status: String
    public var phase: String
    public var caseType: String?
    public var duoMelding: Bool
    public var informed: Bool
    public var owner: String
    public var parties: [String]
    public var closureReason: String?
    public var identity: Identity?
    public var facts: [String: String]?

    public struct Identity: Sendable, Codable, Equatable {
        public var name: String
        public var birthDate: String
        public var address: String?
        public var bsn: String?
    }
}

extension Gateway {
    static let maxText = 2000

    func validate(_ facts: [String: String]?) throws -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in facts ?? [:] {
            guard let field = Field.named(name), policy.fieldInfo(field).category != .identity else {
                throw GatewayError.invalid(field: "facts.\(name)", problem: "not a case field of art. 5.1 (identity goes in name, birthDate, address, bsn)")
            }
            guard !value.isEmpty, value.utf8.count <= Self.maxText else {
                throw GatewayError.invalid(field: "facts.\(name)", problem: "1–\(Self.maxText) bytes of text")
            }
            result[name] = value
        }
        return result
    }

    static func age(birthDate: String, at date: Date) -> Int? {
        let parts = birthDate.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, birthDate.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        guard let birth = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
              calendar.component(.year, from: birth) == parts[0], calendar.component(.month, from: birth) == parts[1],
              calendar.component(.day, from: birth) == parts[2], birth <= date
        else { return nil }
        return calendar.dateComponents([.year], from: birth, to: date).year
    }

    func load(_ record: CaseRecord) throws -> CaseData {
        let plaintext = try vault.open(record.dataCipher, context: "case:\(record.id)")
        return try plaintext.withUnsafeBytes { try JSONDecoder().decode(CaseData.self, from: Data($0)) }
    }

    func seal(_ data: CaseData, caseID: String) throws -> String {
        let json = try JSONEncoder().encode(data)
        return try vault.seal(Array(json), context: "case:\(caseID)")
    }

    public func createCase(_ input: NewCase, by principal: Principal, trace: TraceContext) async throws -> CaseView {
        guard principal.role.worksOnCases else {
            await access.denied(principal, "create case: role \(principal.role.rawValue)", trace: trace)
            throw GatewayError.forbidden("the \(principal.role.rawValue) does not register cases", article: "convenant art. 7.3")
        }
        guard !input.name.isEmpty, input.name.utf8.count <= 200 else { throw GatewayError.invalid(field: "name", problem: "1–200 bytes") }
        guard Self.age(birthDate: input.birthDate, at: now()) != nil else {
            throw GatewayError.invalid(field: "birthDate", problem: "a past date as YYYY-MM-DD")
        }
        if let bsn = input.bsn, !(bsn.count == 9 && bsn.allSatisfy(\.isASCII) && bsn.allSatisfy(\.isNumber)) {
            throw GatewayError.invalid(field: "bsn", problem: "nine digits")
        }
        if let address = input.address, address.isEmpty || address.utf8.count > 300 { throw GatewayError.invalid(field: "address", problem: "1–300 bytes") }
        let phase = input.phase ?? "intake"
        guard policy.phases.contains(where: { $0.id == phase }) else {
            throw GatewayError.invalid(field: "phase", problem: "one of \(policy.phases.map(\.id).joined(separator: ", ")) (art. 3.4, Bijlage 3)")
        }
        if let caseType = input.caseType, !policy.table.rows.contains(where: { $0.caseType == caseType }) {
            throw GatewayError.invalid(field: "caseType", problem: "one of \(policy.table.rows.map(\.caseType).joined(separator: ", "))")
        }
        let parties = input.parties ?? []
        guard parties.count <= 20 else { throw GatewayError.invalid(field: "parties", problem: "at most 20") }
        for party in parties {
            guard let record = try await store.party(party), record.status == "active", record.kind != PartyKind.derde.rawValue else {
                throw GatewayError.invalid(field: "parties", problem: "\(party) is not an active party of the covenant (art. 18)")
            }
        }
        let id = UUID().uuidString.lowercased()
        let data = CaseData(name: input.name, birthDate: input.birthDate, address: input.address, bsn: input.bsn, facts: try validate(input.facts))
        let record = CaseRecord(id: id, pupilKey: UUID().uuidString.lowercased(), dataCipher: try seal(data, caseID: id), owner: principal.party,
                                status: "open", closureReason: nil, closedAt: nil, phase: phase, caseType: input.caseType,
                                duoMelding: input.duoMelding ?? false, created: time)
        try await store.create(case: record, parties: parties)
        return try await view(record, for: principal)
    }

    public func caseView(_ id: String, by principal: Principal, trace: TraceContext) async throws -> CaseView {
        try await view(try await caseForCaseworker(id, principal, trace: trace), for: principal)
    }

    public func cases(by principal: Principal, trace: TraceContext) async throws -> [CaseView] {
        guard principal.role.worksOnCases else {
            await access.denied(principal, "list cases: role \(principal.role.rawValue)", trace: trace)
            throw GatewayError.forbidden("the \(principal.role.rawValue) does not see case contents", article: "convenant art. 7.3")
        }
        var views: [CaseView] = []
        for id in try await store.cases(ofParty: principal.party, limit: 200) {
            if let record = try await store.case(id) { views.append(try await view(record, for: principal)) }
        }
        return views
    }

    func view(_ record: CaseRecord, for principal: Principal) async throws -> CaseView {
        let own = record.owner == principal.party
        let data = own ? try load(record) : nil
        return CaseView(
            id: record.id, pseudonym: try pseudonyms.pseudonym(of: record.pupilKey, for: principal.party), status: record.status,
            phase: record.phase, caseType: record.caseType, duoMelding: record.duoMelding,
            informed: !(try await store.informing(caseID: record.id)).isEmpty, owner: record.owner,
            parties: try await store.parties(ofCase: record.id), closureReason: record.closureReason,
            identity: data.map { CaseView.Identity(name: $0.name, birthDate: $0.birthDate, address: $0.address, bsn: $0.bsn) },
            facts: data?.facts)
    }

    public func updateCase(_ id: String, _ update: CaseUpdate, by principal: Principal, trace: TraceContext) async throws -> CaseView {
        var record = try await caseForCaseworker(id, principal, trace: trace)
        guard record.status == "open" else { throw GatewayError.conflict("the case is closed (art. 5.5)") }
        if let phase = update.phase {
            guard policy.phases.contains(where: { $0.id == phase }) else { throw GatewayError.invalid(field: "phase", problem: "unknown phase") }
            record.phase = phase
        }
        if let caseType = update.caseType {
            guard policy.table.rows.contains(where: { $0.caseType == caseType }) else { throw GatewayError.invalid(field: "caseType", problem: "unknown case type") }
            record.caseType = caseType
        }
        if let duo = update.duoMelding { record.duoMelding = duo }
        if let facts = update.facts {
            guard record.owner == principal.party else {
                throw GatewayError.forbidden("only the party that brought the pupil in changes its facts", article: "convenant art. 8.1")
            }
            var data = try load(record)
            data.facts.merge(try validate(facts)) { $1 }
            record.dataCipher = try seal(data, caseID: id)
        }
        if let reason = update.closureReason {
            guard policy.retention.closureReasons.contains(where: { $0.id == reason }) else {
                throw GatewayError.invalid(field: "closureReason", problem: "one of \(policy.retention.closureReasons.map(\.id).joined(separator: ", ")) (art. 5.5)")
            }
            record.status = "closed"
            record.closureReason = reason
            record.closedAt = time
        }
        try await store.update(case: record)
        return try await view(record, for: principal)
    }

    /// Art. 12.1–12.2: the informing party records when and how the pupil/parents were informed.
    public func recordInforming(caseID: String, informedAt: String, method: String, by principal: Principal, trace: TraceContext) async throws -> CaseView {
        let record = try await caseForCaseworker(caseID, principal, trace: trace)
        guard informedAt.count >= 10, informedAt <= time else { throw GatewayError.invalid(field: "informedAt", problem: "a past date/time (RFC 3339)") }
        guard !method.isEmpty, method.utf8.count <= 200 else { throw GatewayError.invalid(field: "method", problem: "1–200 bytes") }
        try await store.add(informing: InformingRecord(id: UUID().uuidString.lowercased(), caseID: caseID, party: principal.party,
                                                       delegate: principal.delegateID, informedAt: informedAt, method: method, recorded: time))
        return try await view(record, for: principal)
    }
}
