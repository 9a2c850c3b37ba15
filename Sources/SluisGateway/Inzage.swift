import Foundation
public import SluisCovenant
public import SluisRegister
import SluisStore
import SluisCrypto

/// The inzage report's two forms (convenant art. 13.1 sub a: "in plain Dutch, as HTML and as PDF").
public enum InzageFormat: String, Sendable, CaseIterable {
    case html, pdf

    public var contentType: String { self == .html ? "text/html; charset=utf-8" : "application/pdf" }
}

/// A made and registered inzage report: the bytes handed over and their register entry.
public struct InzageDocument: Sendable {
    public let format: InzageFormat
    public let bytes: [UInt8]
    /// SHA-256 of `bytes`, hex: the entry's `bundleDigest`, so the FG can tell which document went.
    public let digest: String
    public let registerIndex: Int64
    /// The register indexes the report lists (every entry about the pupil before this one).
    public let entryIndexes: [Int64]
}

extension Gateway {
    /// The inzage report about the pupil of the caller's case `ref` (convenant art. 13.1 sub a,
    /// 13.2; AVG art. 15; fn 27): identity, the case, each party's facts, who informed, consents
    /// with each giver's answer and revocation, DUO meldingen, SOT questions, the
    /// thuiszitterstafel list — and every register entry about the pupil, the disclosures and
    /// refusals spelled out. Only the regisseur of the case meeting asks (`inzage` in the
    /// authority table: the party that brought the case in or the forum's convener; 404 for a
    /// party outside the case, 403 for another participant). `format`: `html` (default) or
    /// `pdf`; anything else is 400 naming `format`. The report is made, then registered as an
    /// entry `inzage` (activity `inzage-betrokkene`, the pupil's pseudonym, the document's
    /// SHA-256 as `bundleDigest`, the format and the count in `basis`) and audited; an entry
    /// that cannot be written hands nothing over (503 `sluis:register-unavailable`). A PDF that
    /// cannot be rendered is 503 `sluis:pdf-renderer-unavailable`, before anything is registered.
    public func inzage(_ ref: String, format: String?, by principal: Principal, trace: TraceContext) async throws -> InzageDocument {
        let (access, format) = try await inzageAccess(ref, format: format, by: principal, trace: trace)
        let report = try await inzageReport(access.record, ref: ref, by: principal)
        let html = InzageHTML.render(report)
        let bytes = format == .html ? Array(html.utf8) : try await InzagePDF.render(html: html)
        let digest = try SHA256.hex(bytes)
        let activity = activity(ProcessingActivities.inzage)
        let receipt = try await registerEntry(RegisterEntry(
            time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: "inzage", sender: principal.party, actor: principal.delegateID, decision: "none",
            basis: ["6(1)(c) AVG; AVG art. 15; convenant art. 13.1 sub a", "formaat: \(format.rawValue); registerregels: \(report.entryIndexes.count)"],
            policyHash: policyHash, subject: try registerSubject(access.record), bundleDigest: digest, parentSpanID: trace.parentSpanID))
        try await audited(principal, .inzage, caseID: access.record.id, "\(format.rawValue), register entry \(receipt.index)", trace: trace)
        return InzageDocument(format: format, bytes: bytes, digest: digest, registerIndex: receipt.index, entryIndexes: report.entryIndexes)
    }

    /// What a HEAD of the report answers (RFC 9110 §9.3.2): the same authority and format
    /// checks as `inzage`, without making or registering a report (HEAD is safe).
    public func inzageFormat(_ ref: String, format: String?, by principal: Principal, trace: TraceContext) async throws -> InzageFormat {
        try await inzageAccess(ref, format: format, by: principal, trace: trace).format
    }

    private func inzageAccess(_ ref: String, format: String?, by principal: Principal,
                              trace: TraceContext) async throws -> (access: CaseAccess, format: InzageFormat) {
        let access = try await caseAccess(ref, .inzage, principal, trace: trace)
        guard let format = InzageFormat(rawValue: format ?? "html") else {
            throw GatewayError.invalid(field: "format", problem: "html or pdf")
        }
        return (access, format)
    }

    /// The pupil's register pseudonym under every pseudonym key version held: a rotated key
    /// leaves the older entries under the older pseudonym (docs/crypto.md), and the report must
    /// list them too.
    func registerSubjects(_ record: CaseRecord) throws -> [String] {
        try pseudonyms.versions.map { try pseudonyms.pseudonym(of: record.pupilKey, for: Pseudonymizer.registerRecipient, version: $0) }
    }

    /// Gathers the report of one case; reads only rows of this case and entries of its pupil.
    func inzageReport(_ record: CaseRecord, ref: String, by principal: Principal) async throws -> InzageReport {
        var names: [String: String] = [:]
        for party in try await store.parties() { names[party.id] = party.name }
        func who(_ unit: String?) -> String {
            guard let unit else { return "—" }
            let party = CaseUnit.party(of: unit)
            let name = names[party] ?? party
            return unit == party ? name : "\(name) (\(unit.dropFirst(party.count + 1)))"
        }
        func label(_ field: String) -> String { Field(rawValue: field).map { policy.fieldInfo($0).label } ?? field }
        func labels(_ fields: [String]) -> String { fields.isEmpty ? "—" : fields.map(label).joined(separator: ", ") }
        func row(_ cells: [String: String?]) -> InzageReport.Row { .init(cells: cells.mapValues { $0 ?? "—" }) }

        // The report shows the contents the maker's own unit holds; of every other party only that
        // it holds a field, and where to ask (art. 13.2: the regisseur takes the request up with
        // the other parties; art. 3.4 sub c, 6.1: a newcomer's finding — the school read the CJG's
        // own support notes in its report).
        let elsewhere = { (unit: String) in "bij \(who(unit)) — de inhoud geeft die partij zelf (convenant art. 13.2)" }
        func own(_ unit: String?) -> Bool { unit == principal.unit }
        let data = try load(record)
        let ownsIdentity = own(record.owner)
        var identity = [row(["label": "naam", "value": ownsIdentity ? data.name : elsewhere(record.owner)]),
                        row(["label": "geboortedatum", "value": ownsIdentity ? InzageWords.day(data.birthDate) : elsewhere(record.owner)])]
        if let address = data.address { identity.append(row(["label": "adres", "value": ownsIdentity ? address : elsewhere(record.owner)])) }
        if let bsn = data.bsn { identity.append(row(["label": "burgerservicenummer", "value": ownsIdentity ? bsn : elsewhere(record.owner)])) }
        identity.append(row(["label": "ingebracht door", "value": who(record.owner)]))
        let forums = try await store.forums(caseID: record.id).map { forum in policy.forumRule(forum).label }
        var caseState = [
            row(["label": "status", "value": record.status == .open ? "open" : "gesloten"]),
            // The covenant's own words, not the codes (a newcomer's finding).
            row(["label": "fase", "value": policy.phases.first { $0.id == record.phase }.map { "\($0.label) (\($0.id))" } ?? record.phase]),
            row(["label": "soort casus", "value": record.caseType.map { type in policy.table.rows.first { $0.caseType == type }?.label ?? type } ?? "nog niet bepaald"]),
            row(["label": "verwerking beperkt", "value": try await store.restriction(caseID: record.id) != nil
                    ? "ja, op uw verzoek (AVG artikel 18): er wordt niets over de leerling gedeeld tot de beperking is opgeheven" : "nee"]),
            row(["label": "in het overleg", "value": forums.isEmpty ? "—" : forums.joined(separator: ", ")]),
            row(["label": "partijen in de casus", "value": try await store.parties(ofCase: record.id).map(who).joined(separator: ", ")]),
            row(["label": "aangemaakt", "value": InzageWords.moment(record.created)]),
        ]
        if let reason = record.closureReason {
            caseState.append(row(["label": "gesloten", "value": "\(InzageWords.moment(record.closedAt) ?? "—") (\(reason))"]))
        }
        var facts: [InzageReport.Row] = []
        let identityFields: Set<String> = ["name", "birthDate", "address", "bsn"]
        for unit in try await store.parties(ofCase: record.id) {
            let values = try ownValues(record: record, data: data, party: unit, facts: try await store.facts(caseID: record.id, party: unit))
            for field in values.keys.sorted() where !identityFields.contains(field) {
                facts.append(row(["party": who(unit), "field": label(field), "value": own(unit) ? values[field]!.value : elsewhere(unit), "at": InzageWords.moment(values[field]!.at)]))
            }
        }
        let informing = try await store.informing(caseID: record.id).map {
            row(["party": who($0.party), "at": InzageWords.moment($0.informedAt), "method": $0.method.rawValue])
        }
        let consentRecords = try await store.consents(caseID: record.id)
        // A consent by when and by whom it was recorded, not by its number (a newcomer's finding).
        let consentWords = Dictionary(consentRecords.map { ($0.id, "toestemming vastgelegd door \(who($0.holder)) op \(InzageWords.moment($0.recordedAt) ?? $0.recordedAt)") },
                                      uniquingKeysWith: { first, _ in first })
        let consents = consentRecords.map { consent in
            InzageReport.Consent(
                holder: who(consent.holder), fields: labels(consent.fields.map(\.rawValue)),
                recipients: consent.recipients.map { InzageWords.kinds[$0.rawValue] ?? $0.rawValue }.joined(separator: ", "), question: consent.question,
                endsOn: InzageWords.day(consent.endsOn), recordedAt: InzageWords.moment(consent.recordedAt) ?? consent.recordedAt,
                revokedAt: InzageWords.moment(consent.revokedAt),
                answers: consent.answers.map {
                    row(["giver": InzageWords.givers[$0.giver] ?? $0.giver.rawValue, "answer": InzageWords.answers[$0.answer] ?? $0.answer.rawValue,
                         "on": InzageWords.day($0.answeredOn)])
                })
        }
        let meldingen = try await store.meldingen(caseID: record.id).map {
            row(["date": InzageWords.day($0.date), "kind": $0.kind, "by": who($0.party), "status": $0.status, "reference": $0.reference,
                 "identity": $0.decision == "permit" ? labels($0.released.map(\.rawValue)) : "niet getoond"])
        }
        let questions = try await store.sotQuestions(caseID: record.id).map {
            row(["at": InzageWords.moment($0.askedAt), "by": who($0.askedBy), "text": own($0.askedBy) ? try open($0.textCipher, context: "sot-question:\($0.id)") : elsewhere($0.askedBy)])
        }
        let tafel = try await store.tafelEntries(caseID: record.id).map { entry in
            row(["number": String(entry.number), "by": who(entry.registeredBy), "at": InzageWords.moment(entry.registeredAt),
                 "summary": own(entry.summaryBy) ? try open(entry.summaryCipher, context: Self.tafelContext(entry.id, "summary")) : elsewhere(entry.summaryBy),
                 "progress": try entry.progressCipher.map { own(entry.progressBy) ? try open($0, context: Self.tafelContext(entry.id, "progress")) : elsewhere(entry.progressBy ?? "") },
                 "left": entry.leftAt.map { "\(InzageWords.moment($0) ?? $0): \(entry.leftReason ?? "")" }])
        }
        let subjects = try registerSubjects(record)
        let entries = try await register.allEntries(about: SubjectQuery(subjects: subjects))
        let purposes = Dictionary(policy.purposes.map { ($0.id, $0.text) }, uniquingKeysWith: { first, _ in first })
        func entryRow(_ entry: RegisterEntry) -> InzageReport.Row {
            row(["index": String(entry.index), "time": InzageWords.moment(entry.time), "what": InzageWords.operation(entry.operation),
                 "from": who(entry.sender), "to": who(entry.recipient.map { CaseUnit.name(party: $0, role: entry.recipientRole.flatMap(PartyRole.init(rawValue:))) }),
                 "forum": entry.forum.flatMap(Forum.init(rawValue:)).map { policy.forumRule($0).label },
                 "purpose": entry.purpose.map { purposes[$0].map { text in "\(entry.purpose!) \(text)" } ?? $0 },
                 "released": labels(entry.released), "withheld": labels(entry.withheld),
                 "basis": entry.basis.isEmpty ? "—" : entry.basis.joined(separator: "; "),
                 "consent": entry.consentReference.map { $0.split(separator: ",").map { consentWords[String($0)] ?? "een toestemming (niet meer bewaard)" }.joined(separator: "; ") },
                 "decision": InzageWords.decisions[entry.decision] ?? entry.decision])
        }
        return InzageReport(
            madeAt: InzageWords.moment(time) ?? time, madeBy: who(principal.unit), caseReference: ref, pseudonyms: subjects, identity: identity, caseState: caseState,
            facts: facts, informing: informing, consents: consents, meldingen: meldingen, sotQuestions: questions, tafel: tafel,
            disclosures: entries.filter { ["disclose", "refuse"].contains($0.operation) }.map(entryRow),
            entries: entries.map(entryRow), entryIndexes: entries.map(\.index))
    }
}
