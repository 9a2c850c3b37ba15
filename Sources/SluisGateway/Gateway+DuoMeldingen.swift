import Foundation
import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// The DUO melding as an event (Lpw art. 21a; verzuimprotocol 5.4–5.5, Bijlage 4): a school
/// board records each melding it made; the engine decides, on the register, whether the
/// leerplichtambtenaar now sees the pupil's identity; the leerplichtambtenaar moves the
/// melding forward and the school sees how far it got.
extension Gateway {
    /// `POST /v1/cases/{ref}/duo-meldingen`: the school board's zorgcoördinator records a
    /// melding it made at DUO. Answers the melding and the engine's re-identification decision
    /// (also when it is a deny: the melding stands, the identity stays hidden, the reasons say why).
    /// - Throws: 403/404 by the authority table, 400 naming the field, 409 when the case is closed,
    ///   the meldingsnummer is recorded in this case or another of the board already, the signal
    ///   was answered already, or the pupil key differs from the case's or is on another case.
    public func recordDuoMelding(caseRef: String, _ input: DuoMeldingInput, by principal: Principal,
                                 trace: TraceContext) async throws -> DuoMeldingReceipt {
        let record = try await caseAccess(caseRef, .recordDuoMelding, principal, trace: trace).record
        guard record.status == .open else { throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5)") }
        let data = try load(record)
        let melding = try validate(input, birthDate: data.birthDate, kindRequired: true, prefix: "")
        return try await self.record(melding, in: record, data: data, by: principal, trace: trace)
    }

    /// Records a validated melding: decides the re-identification for the leerplicht with the
    /// engine (sender the school board, recipient gemeente/leerplicht, forum `duo-melding`, the
    /// identity fields the case holds and `absence`), and appends that decision to the register
    /// with the melding as the entry's companion — the melding, the case's "a melding exists"
    /// and the entry commit together, inside the transaction that also checks the case is still
    /// open. `creating`: the parties of a case that does not exist yet, inserted in that same
    /// transaction (a new case brought in with its melding).
    func record(_ melding: ValidDuoMelding, in record: CaseRecord, data: CaseData, creating: [String]? = nil,
                by principal: Principal, trace: TraceContext) async throws -> DuoMeldingReceipt {
        var parties = creating.map { Set($0 + [record.owner]).sorted() } ?? []
        if creating == nil { parties = try await store.parties(ofCase: record.id) }
        let gemeente = parties.first { $0.hasSuffix("/" + PartyRole.leerplicht.rawValue) }.map(CaseUnit.party(of:))
        var joined = true
        if let gemeente { joined = try await store.party(gemeente)?.status == .active }
        let informing = creating == nil ? try await store.informing(caseID: record.id) : []
        let request = reidentificationRequest(record, data: data, informing: informing, leerplichtJoined: joined, by: principal)
        let answer = engine.evaluate(request)
        let activity = activity(ProcessingActivities.disclosureID(.duoMelding))
        let entry = RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: "re-identify", sender: principal.party, actor: principal.delegateID, recipient: gemeente, forum: Forum.duoMelding.rawValue,
            purpose: Self.duoMeldingPurpose, decision: answer.decision.rawValue, released: answer.released, withheld: registered(withheld: answer.withheld),
            basis: answer.basis.map { "\($0.gdpr); \($0.law.joined(separator: ", ")); \($0.article)" }, policyHash: policyHash,
            subject: try pseudonyms.pseudonym(of: record.pupilKey, for: Pseudonymizer.registerRecipient),
            recipientRole: PartyRole.leerplicht.rawValue, parentSpanID: trace.parentSpanID)
        let id = UUID().uuidString.lowercased(), now = time
        let (input, kind, unit, delegate) = (melding.input, melding.kind.rawValue, principal.unit, principal.delegateID)
        let answered = try melding.signal.map { signal in
            AnsweredSignalRecord(unit: unit, pupil: try signalPupilKey(signal.pupil, unit: unit), signal: signal.signal, since: signal.since,
                                 meldingID: id, answeredAt: now)
        }
        // One case, one pupil: a key must be the one the case's other meldingen name (Bijlage 3.1).
        if let pupil = melding.pupil, creating == nil { try checkSamePupil(pupil, as: try await store.meldingen(caseID: record.id)) }
        let pupilCipher = try melding.pupil.map { try vault.seal(Array($0.utf8), context: Self.meldingPupilContext(melding: id, unit: unit)) }
        let pupilHash = try melding.pupil.map { try casePupilHash($0, unit: unit) }.map { (hash: $0.0, matches: $0.1) }
        let (decision, released) = (answer.decision.rawValue, answer.released.compactMap(Field.named))
        let receipt = try await registerEntry(entry) { sql, index in
            if let creating { try await GatewayStore.create(case: record, parties: creating, on: sql) }
            // AVG art. 18 lid 2: a melding's re-identification is a disclosure in Sluis; on a
            // restricted case it waits for the lift (the melding at DUO itself is the school's own).
            else { try await Self.refuseIfRestricted(record.id, on: sql) }
            let stored = DuoMeldingRecord(
                id: id, caseID: record.id, party: unit, kind: kind, date: input.date, reference: input.reference,
                status: DuoMeldingStatus.received.rawValue, recordedBy: delegate, receivedAt: now, decision: decision, released: released,
                registerIndex: index, signal: input.signal?.signal, signalSince: input.signal?.since, pupilCipher: pupilCipher)
            switch try await GatewayStore.record(melding: stored, answering: answered, pupilHash: pupilHash, on: sql) {
            case nil: return
            case .caseClosed: throw GatewayError.conflict(.caseClosed, "the case is closed (art. 5.5)")
            case .referenceRecorded:
                throw GatewayError.conflict(.duoMeldingNumberTaken, "this case or another of this school board has a melding with this DUO meldingsnummer already (Lpw art. 21a: one melding, one number)")
            case .otherPupilKey: throw Self.otherPupilKey
            case .pupilKeyOnOtherCase: throw Self.pupilKeyOnOtherCase
            case .signalAnswered: throw GatewayError.conflict(.signalAnsweredAlready, "this signal was answered by another melding already (contract absence.md)")
            }
        }
        try await audited(principal, .recordDuoMelding, caseID: record.id, "melding \(id), \(kind), re-identification \(decision)", trace: trace)
        return DuoMeldingReceipt(
            melding: try await meldingView(id),
            reidentification: ReidentificationView(
                decision: answer.decision.rawValue, identity: answer.identity.rawValue, recipient: gemeente, released: answer.released,
                withheld: answer.withheld.map { WithheldView(field: $0.field, rule: $0.citation.rule, article: $0.citation.article, reason: $0.citation.reason) },
                basis: answer.basis.map { BasisView(gdpr: $0.gdpr, law: $0.law, article: $0.article) },
                reasons: answer.reasons.map { RuleView(rule: $0.rule, article: $0.article, reason: $0.reason) },
                register: try await proof(receipt)))
    }

    /// The question the engine answers for a melding: may the school board's melding show the
    /// gemeente's leerplichtambtenaar the identity fields the case holds, and `absence` (the
    /// melding's subject), in the forum `duo-melding`, for `duoMeldingPurpose`.
    func reidentificationRequest(_ record: CaseRecord, data: CaseData, informing: [InformingRecord], leerplichtJoined: Bool,
                                 by principal: Principal) -> DecisionRequest {
        var fields: [Field] = [.name, .birthDate]
        if data.address != nil { fields.append(.address) }
        if data.bsn != nil { fields.append(.bsn) }
        fields.append(.absence)
        return DecisionRequest(
            sender: principal.role.partyRef(kind: principal.partyKind, joined: true),
            recipient: PartyRef(kind: .gemeente, role: .leerplicht, joined: leerplichtJoined), forum: .duoMelding,
            purpose: Self.duoMeldingPurpose, fields: fields.map(RequestedField.init),
            pupil: PupilFacts(age: Self.age(birthDate: data.birthDate, at: now()) ?? 0, duoMelding: record.duoMelding,
                              informed: informing.contains { $0.party == principal.unit || $0.party == record.owner },
                              caseStatus: .open, caseType: record.caseType, phase: record.phase))
    }

    /// `GET /v1/cases/{ref}/duo-meldingen`: the school board sees the meldingen it made, with
    /// their status; the leerplichtambtenaar every melding of the case.
    public func duoMeldingen(caseRef: String, by principal: Principal, trace: TraceContext) async throws -> [DuoMeldingView] {
        let record = try await caseAccess(caseRef, .listDuoMeldingen, principal, trace: trace).record
        return try await meldingViews(caseID: record.id, for: principal) ?? []
    }

    /// The meldingen a party sees in its case view and list: the school board its own, the
    /// leerplicht all; nil for every other party (it sees only that a melding exists).
    func meldingViews(caseID: String, for principal: Principal, meldingen loaded: [DuoMeldingRecord]? = nil) async throws -> [DuoMeldingView]? {
        let leerplicht = principal.partyRole == .leerplicht
        guard leerplicht || principal.partyKind == .schoolbestuur else { return nil }
        var meldingen = loaded ?? []
        if loaded == nil { meldingen = try await store.meldingen(caseID: caseID) }
        let visible = meldingen.filter { leerplicht || $0.party == principal.unit }
        return visible.isEmpty && !leerplicht ? nil : visible.map { DuoMeldingView($0, showSignal: $0.party == principal.unit) }
    }

    /// The identity fields a leerplicht unit may see on a case: those the engine released on a
    /// melding of it (protocol 5.4: with a DUO melding the leerplichtambtenaar processes data on
    /// the pupil's level). Empty for every other party and before any permitted melding.
    func reidentifiedFields(_ meldingen: [DuoMeldingRecord], for principal: Principal) -> Set<Field> {
        guard principal.partyKind == .gemeente, principal.partyRole == .leerplicht else { return [] }
        let released = meldingen.filter { $0.decision == DecisionAnswer.Decision.permit.rawValue }.flatMap(\.released)
        return Set(released.filter { policy.fieldInfo($0).category == .identity })
    }

    /// `PATCH /v1/cases/{ref}/duo-meldingen/{id}`: the leerplichtambtenaar in the case moves a
    /// melding forward (received → in-behandeling → afgesloten), timestamped and audited.
    /// - Throws: 400 for a status other than `in-behandeling` or `afgesloten`; 404 for a melding
    ///   not of this case; 409 when the melding is there or further already (forward only: an
    ///   afgesloten melding is not reopened, verzuimprotocol 5.5.2), or the case is closed.
    public func setDuoMeldingStatus(caseRef: String, melding id: String, _ input: DuoMeldingStatusInput, by principal: Principal,
                                    trace: TraceContext) async throws -> DuoMeldingView {
        let record = try await caseAccess(caseRef, .setDuoMeldingStatus, principal, trace: trace).record
        guard let status = DuoMeldingStatus(rawValue: input.status), status != .received else {
            throw GatewayError.invalid(field: "status", problem: "in-behandeling or afgesloten (received is set when the school records the melding)")
        }
        guard let melding = try await store.melding(id), melding.caseID == record.id else { throw GatewayError.notFound(.duoMeldingNotFound, "duo-melding") }
        func refusal(_ current: DuoMeldingRecord?) async throws -> GatewayError {
            if try await store.case(record.id)?.status != .open { return .conflict(.caseClosed, "the case is closed (art. 5.5)") }
            return .conflict(.duoMeldingStatusForwardOnly, "the melding is \(current?.status ?? melding.status): its status only moves forward (received → in-behandeling → afgesloten); "
                             + "an afgesloten melding is not reopened, continuing absence is a new melding (verzuimprotocol 5.5.2)")
        }
        guard let current = DuoMeldingStatus(rawValue: melding.status), current < status else { throw try await refusal(melding) }
        guard try await store.advance(melding: id, caseID: record.id, to: status.rawValue, from: status.predecessors.map(\.rawValue), at: time,
                                      delegate: principal.delegateID, unit: principal.unit) else {
            throw try await refusal(try await store.melding(id))
        }
        try await audited(principal, .setDuoMeldingStatus, caseID: record.id, "melding \(id): \(status.rawValue)", trace: trace)
        guard let changed = try await store.melding(id) else { throw GatewayError.notFound(.duoMeldingNotFound, "duo-melding") }
        return DuoMeldingView(changed, showSignal: false)
    }

    // MARK: Answered signals (contract absence.md)

    /// The keyed hash a school's own pupil key is stored under: a pseudonym for the namespace
    /// `signal:<unit>`, so the key never rests in Sluis and another unit's hash differs.
    func signalPupilKey(_ pupil: String, unit: String, version: Int? = nil) throws -> String {
        try pseudonyms.pseudonym(of: pupil, for: "signal:" + unit, version: version)
    }

    /// The signals a school's unit answered with a DUO melding, for the signals list (which
    /// authorizes its caller): ask it whether a signal of one of its pupils is done.
    func answeredSignals(unit: String) async throws -> AnsweredSignals {
        AnsweredSignals(unit: unit, records: try await store.answeredSignals(unit: unit)) { pupil, version in
            try? self.signalPupilKey(pupil, unit: unit, version: version)
        }
    }
}

/// The signals one school unit answered with a DUO melding (contract absence.md: the signals
/// list marks them done), looked up by the school's own pupil key.
struct AnsweredSignals: Sendable {
    let unit: String
    let records: [AnsweredSignalRecord]
    /// The keyed hash of a pupil key under a pseudonym key version.
    let hash: @Sendable (String, Int) -> String?

    /// Whether the signal `signal` of `pupil` since `since` was answered by a melding.
    func isAnswered(pupil: String, signal: String, since: String) -> Bool {
        records.contains { record in
            guard record.signal == signal, record.since == since, let version = Pseudonymizer.version(of: record.pupil) else { return false }
            return hash(pupil, version) == record.pupil
        }
    }
}
