import Foundation
import SluisCovenant
import SluisCrypto
import SluisStore

/// A participant of the thuiszitterstafel: the party, the unit that takes part (at the gemeente
/// the leerplicht role), and how the agenda names it (`AgendaParty`, its `id` the party's id).
struct TafelParticipant: Sendable {
    let party: PartyRecord
    let unit: String
    let agenda: AgendaParty

    var role: PartyRole? { agenda.party.role }
}

/// The agenda document the gateway builds from what it stores (contract agenda.md: "The
/// gateway builds the same document from what it has stored before it seals and sends"), with
/// what sending needs beside it: each participant's own case reference per item and each
/// pupil's register pseudonym.
struct TafelDocument: Sendable {
    let request: AgendaRequest
    /// `participant label ␀ item ref` → that participant's own stored case reference.
    let references: [String: String]
    /// Item ref → the pupil's register pseudonym.
    let subjects: [String: String]
    /// Item ref → the pupil's case.
    let caseIDs: [String: String]
    /// `item ref ␀ sender label` → the ids of the consents of that contribution, in its order.
    let consentIDs: [String: [String]]

    /// The preview with the participants' own references (`AgendaPreview`, the CLI's function).
    func preview(_ engine: DecisionEngine) throws -> AgendaAnswer {
        try AgendaPreview(engine: engine).preview(request) { participant, ref in
            guard let reference = references[participant.label + "\u{0}" + ref] else {
                throw GatewayError.conflict(.tafelNotListed, "\(participant.label) takes no part in the case of item \(ref): compose the agenda again")
            }
            return reference
        }
    }
}

extension Gateway {
    /// The participants (Bijlage 3.3 sub 1; `Policies/forums.yaml`): every active party of a kind
    /// the thuiszitterstafel has as participant, in the forum's order; at the gemeente its
    /// leerplicht role.
    func tafelParticipants() async throws -> [TafelParticipant] {
        let parties = try await store.parties().filter { $0.status == .active }
        var participants: [TafelParticipant] = []
        for spec in policy.forumRule(.thuiszitterstafel).participants {
            for party in parties where party.kind == spec.kind {
                let role = spec.role ?? (party.kind == .gemeente ? .leerplicht : nil)
                let unit = CaseUnit.name(party: party.id, role: role)
                guard !participants.contains(where: { $0.unit == unit }) else { continue }
                participants.append(TafelParticipant(party: party, unit: unit,
                                                     agenda: AgendaParty(PartyRef(kind: party.kind, role: role, joined: true), id: party.id)))
            }
        }
        return participants
    }

    /// How the agenda names the unit that supplied a contribution; nil for a unit of no party.
    static func agendaParty(unit: String, parties: [String: PartyRecord]) -> AgendaParty? {
        guard let party = parties[CaseUnit.party(of: unit)] else { return nil }
        let parts = unit.split(separator: "/", maxSplits: 1)
        let role = parts.count == 2 ? PartyRole(rawValue: String(parts[1])) : nil
        return AgendaParty(PartyRef(kind: party.kind, role: role, joined: party.status == .active), id: party.id)
    }

    /// The agenda (`minutes`: with that version's decisions and actions) built from a snapshot.
    /// Per pupil: the item's ref is the list number, its case type and facts the case's; the
    /// pupil counts as informed when the party that brought the case in or the one that put it
    /// on the list informed the parents (Bijlage 3.3 sub 4: "De aanmelder informeert
    /// ouders/jongere"; art. 12.1). The contributions: per participant of the table taking part
    /// in the case, what it supplied itself (identity if it brought the pupil in, and its facts);
    /// in the SWV's also what a party that is no participant (the school) released to the SWV at
    /// the thuiszitterstafel — its aanmelding with the kernteam (Bijlage 3.3 sub 5), which the SWV
    /// brings to the table and in its minutes names with birth date (sub 4) — the professionals'
    /// names and the minutes; the list texts with their authors; each contribution with the
    /// consents its sender holds, as the engine reads them today.
    func tafelDocument(_ snapshot: TafelSnapshot, participants: [TafelParticipant]) async throws -> TafelDocument {
        let parties = Dictionary(try await store.parties().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let convener = snapshot.agenda.party
        let participating = Set(participants.map(\.unit))
        var items: [AgendaItem] = []
        var references: [String: String] = [:], subjects: [String: String] = [:], caseIDs: [String: String] = [:]
        var consentIDs: [String: [String]] = [:]
        for stored in snapshot.items {
            let record = stored.record, entry = stored.entry
            let ref = String(entry.number)
            let data = try load(record)
            var fields: [String: [AgendaField]] = [:]
            var routed: [AgendaField] = []
            for unit in Set(stored.facts.map(\.party) + [record.owner]) {
                let values = try ownValues(record: record, data: data, party: unit, facts: stored.facts.filter { $0.party == unit })
                let given = Field.allCases.compactMap { field in values[field.rawValue].map { AgendaField(name: field.rawValue, text: $0.value) } }
                if participating.contains(unit) {
                    fields[unit] = given
                } else if unit == CaseUnit.party(of: unit) {
                    // Not at the table: a school brings its pupil in through the kernteam (Bijlage 3.3
                    // sub 5). What it released to the SWV at the thuiszitterstafel, the SWV brings
                    // to the table; nothing else of it is on the agenda. (A unit in a role — the
                    // gemeente's consulent — is never routed: a disclosure names the sending party,
                    // not its role, so the leerplicht's release must not carry the consulent's values.)
                    let sent = Set(stored.released.filter { $0.sender == unit && $0.recipient == convener }.map(\.field))
                    routed += given.filter { sent.contains($0.name) }
                }
            }
            let ownOfConvener = Set(fields[convener, default: []].map(\.name))
            fields[convener, default: []] += routed.filter { !ownOfConvener.contains($0.name) }
            if fields[convener]?.isEmpty == true { fields[convener] = nil }
            func add(_ name: String, _ text: String?, by unit: String) { if let text { fields[unit, default: []].append(AgendaField(name: name, text: text)) } }
            add("summary", try tafelText(entry.summaryCipher, entry.id, "summary"), by: entry.summaryBy)
            if let author = entry.progressBy { add("progress", try entry.progressCipher.map { try tafelText($0, entry.id, "progress") }, by: author) }
            add("registeredBy", snapshot.usernames[entry.registeredDelegate] ?? "onbekend", by: convener)
            add("procesbewaker", entry.procesbewaker.map { snapshot.usernames[$0] ?? "onbekend" }, by: convener)
            if let minutes = stored.minutes {
                add("decisions", try minutes.decisionsCipher.map { try tafelText($0, minutesContext(minutes), "decisions") }, by: convener)
                add("actions", try minutes.actionsCipher.map { try tafelText($0, minutesContext(minutes), "actions") }, by: convener)
            }
            // One text per field of a pupil (contract: one sender per field of an item): where two
            // organisations supplied the same field, the SWV's (the school's aanmelding, the
            // table's own texts) comes first, then the participants by name; a later one's text
            // is left out — never shown in the other's place.
            let units = [convener].filter { fields[$0] != nil } + fields.keys.filter { $0 != convener }.sorted()
            var named = Set<String>()
            let contributions = units.compactMap { unit -> AgendaContribution? in
                guard let sender = Self.agendaParty(unit: unit, parties: parties) else { return nil }
                let given = (fields[unit] ?? []).filter { named.insert($0.name).inserted }
                guard !given.isEmpty else { return nil }
                let held = stored.consents.filter { $0.holder == unit }
                let reading = consentReading(held)
                consentIDs[ref + "\u{0}" + sender.label] = reading.map { held[$0.index].id }
                return AgendaContribution(sender: sender, fields: given, consents: reading.map(\.fact))
            }
            let informed = stored.informing.contains { $0.party == record.owner || $0.party == entry.registeredBy }
            items.append(AgendaItem(
                ref: ref, caseType: record.caseType ?? "onbekend",
                pupil: PupilFacts(age: Self.age(birthDate: data.birthDate, at: now()) ?? 0, duoMelding: record.duoMelding, informed: informed,
                                  caseStatus: record.status, caseType: record.caseType, phase: record.phase),
                contributions: contributions))
            for participant in participants {
                if let reference = stored.refs[participant.unit] { references[participant.agenda.label + "\u{0}" + ref] = reference }
            }
            subjects[ref] = try pseudonyms.pseudonym(of: record.pupilKey, for: Pseudonymizer.registerRecipient)
            caseIDs[ref] = record.id
        }
        guard let meeting = try? CalendarDate(text: snapshot.agenda.meetingDate) else {
            throw GatewayError.unavailable(.storedDataDamaged, "tafel_agendas.meeting_date is not a calendar day")
        }
        return TafelDocument(request: AgendaRequest(meeting: meeting, purpose: snapshot.agenda.purpose, participants: participants.map(\.agenda),
                                                    items: items),
                             references: references, subjects: subjects, caseIDs: caseIDs, consentIDs: consentIDs)
    }

    /// A text of the list or the minutes, decrypted.
    func tafelText(_ cipher: String, _ owner: String, _ name: String) throws -> String {
        try vault.open(cipher, context: Self.tafelContext(owner, name)).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// What a minutes text is bound to: its agenda and the pupil's case (every version alike).
    func minutesContext(_ minutes: TafelMinutesRecord) -> String { Self.minutesContext(agenda: minutes.agendaID, case: minutes.caseID) }

    static func minutesContext(agenda: String, case id: String) -> String { "\(agenda):\(id)" }
}
