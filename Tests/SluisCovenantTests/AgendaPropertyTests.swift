import SluisCorpus
import Testing
@testable import SluisCovenant

/// The agenda contract checked over generated agendas (issue 11 item 7; `../shared/contract/agenda.md`;
/// Bijlage 3.3): every view is compared with the decision engine asked directly, one field at a
/// time, and searched whole for every text it must not hold. Seeded, so a failure reproduces.
@Suite("Agenda preview: properties over generated agendas")
struct AgendaPropertyTests {
    static let count = 300
    static let preview = AgendaPreview(engine: engine)

    /// Independently of the preview: the field the engine is asked for, nil for the
    /// professionals' names (contract: summary and progress count as supportFacts; the minutes'
    /// decisions and actions, an addition of docs/agenda.md, as schoolInterventions, art. 5.1 sub i).
    static func decidedField(_ name: String) -> Field? {
        switch name {
        case "summary", "progress": .supportFacts
        case "decisions", "actions": .schoolInterventions
        case "procesbewaker", "registeredBy": nil
        default: Field(rawValue: name)!
        }
    }

    /// Independently of the preview: the same kind and, for the gemeente, the same role (none
    /// is leerplicht), and the same id.
    static func isOwn(_ sender: AgendaParty, of participant: AgendaParty) -> Bool {
        let role = { (party: PartyRef) in party.kind == .gemeente ? party.role ?? .leerplicht : nil }
        return sender.party.kind == participant.party.kind && role(sender.party) == role(participant.party) && sender.id == participant.id
    }

    /// The engine asked directly, as `sluis policy eval` would be, for one field.
    static func directAnswer(_ field: Field, from contribution: AgendaContribution, to participant: AgendaParty,
                             about item: AgendaItem, agendaPurpose: String) -> DecisionAnswer {
        var pupil = item.pupil
        pupil.caseType = item.caseType
        return engine.evaluate(DecisionRequest(
            sender: contribution.sender.party, recipient: participant.party, forum: .thuiszitterstafel,
            purpose: item.purpose ?? agendaPurpose, fields: [RequestedField(field)], question: nil, pupil: pupil,
            consents: contribution.consents))
    }

    /// Every generated text's token (`Tekst-NNNNNN-`) in `json`, wherever it stands.
    static func tokens(in json: String) -> Set<String> {
        let bytes = Array(json.utf8), prefix = Array("Tekst-".utf8), length = AgendaGenerator.token(0).utf8.count
        var found = Set<String>()
        var index = 0
        while index + length <= bytes.count {
            if bytes[index] == prefix[0] && Array(bytes[index..<index + prefix.count]) == prefix {
                found.insert(String(decoding: bytes[index..<index + length], as: UTF8.self))
                index += prefix.count
            } else {
                index += 1
            }
        }
        return found
    }

    /// What the branches of the contract were reached, so that the properties cannot hold vacuously.
    struct Reached {
        var own = 0, released = 0, identityReleased = 0, professional = 0, withheld = 0
        var identified = 0, pseudonymised = 0, rules = Set<String>()
    }

    @Test("Contract, Bijlage 3.3: a view shows exactly what the engine releases field by field (identity fields only when identified) or the participant's own contribution; every other field is withheld with the engine's citation, and its text appears nowhere in the view")
    func agendaContract_everyViewIsWhatTheEngineReleases() throws {
        var generator = AgendaGenerator(seed: 2026)
        var reached = Reached()
        for _ in 0..<Self.count {
            let agenda = generator.next()
            var counter = 0
            var asked: [String] = []
            let answer = try Self.preview.preview(agenda) { participant, ref in
                counter += 1
                asked.append("\(participant.label) \(ref)")
                return "ref-\(counter)"
            }
            #expect(answer.views.map(\.participant) == agenda.participants)
            let allTokens = Set(agenda.items.flatMap { $0.contributions.flatMap { $0.fields.map { AgendaGenerator.token(of: $0.text)! } } })
            var expectedAsks: [String] = []
            for view in answer.views {
                let json = view.json()
                #expect(view.items.map(\.ref) == agenda.items.map(\.ref))
                for (item, shownItem) in zip(agenda.items, view.items) {
                    var shown: [AgendaField] = [], withheld: [AgendaWithheld] = []
                    for contribution in item.contributions {
                        for field in contribution.fields {
                            if Self.isOwn(contribution.sender, of: view.participant) {
                                shown.append(field); reached.own += 1
                                continue
                            }
                            guard let decided = Self.decidedField(field.name) else {
                                shown.append(field); reached.professional += 1
                                continue
                            }
                            let direct = Self.directAnswer(decided, from: contribution, to: view.participant, about: item,
                                                           agendaPurpose: agenda.purpose)
                            if direct.released == [decided.rawValue] {
                                let identifying = [.name, .birthDate, .address, .bsn].contains(decided)
                                // An identifying text only with an identified answer.
                                #expect(!identifying || direct.identity == .identified)
                                shown.append(field); reached.released += 1
                                if identifying { reached.identityReleased += 1 }
                            } else {
                                let citation = try #require(direct.withheld.first?.citation)
                                withheld.append(AgendaWithheld(field: field.name, sender: contribution.sender, citation: citation))
                                reached.withheld += 1
                                reached.rules.insert(citation.rule)
                            }
                        }
                    }
                    // Shown exactly; withheld exactly the requested fields not shown, in order.
                    #expect(shownItem.fields == shown)
                    #expect(shownItem.withheld == withheld)
                    let named = shown.contains { $0.name == "name" }
                    #expect(shownItem.identity == (named ? .identified : .pseudonymised))
                    #expect((shownItem.reference == nil) == named)
                    if named { reached.identified += 1 } else {
                        reached.pseudonymised += 1
                        expectedAsks.append("\(view.participant.label) \(item.ref)")
                    }
                }
                // The texts in the view's JSON, found by their tokens, are exactly those it shows: no
                // text it withholds appears anywhere in it (not in a reference, a reason, a key).
                let shownTokens = Set(view.items.flatMap { $0.fields.map { AgendaGenerator.token(of: $0.text)! } })
                #expect(Self.tokens(in: json) == shownTokens)
                #expect(shownTokens.isSubset(of: allTokens))
            }
            // The provider is asked once per pseudonymised (participant, item), and nothing else.
            #expect(asked == expectedAsks)
            // No reference is in two views; none appears in another participant's view.
            let references = answer.views.map { Set($0.items.compactMap(\.reference)) }
            #expect(references.reduce(0) { $0 + $1.count } == Set(references.joined()).count)
            for (index, view) in answer.views.enumerated() {
                let json = view.json(pretty: false)
                for (other, theirs) in references.enumerated() where other != index {
                    #expect(!theirs.contains { json.contains("\"\($0)\"") })
                }
            }
        }
        // Every branch is reached many times, and the engine's reasons vary.
        #expect(reached.own > 100 && reached.released > 100 && reached.identityReleased > 20)
        #expect(reached.professional > 100 && reached.withheld > 100)
        #expect(reached.identified > 20 && reached.pseudonymised > 100)
        #expect(reached.rules.count >= 10, "rules reached: \(reached.rules.sorted())")
    }

    @Test("Contract: a participant's view does not depend on who else takes part")
    func agendaContract_viewIndependentOfOtherParticipants() throws {
        var generator = AgendaGenerator(seed: 7)
        for _ in 0..<100 {
            let agenda = generator.next()
            let reference: AgendaPreview.ReferenceProvider = { participant, ref in "\(participant.label) \(ref)" }
            let together = try Self.preview.preview(agenda, reference: reference)
            for (index, participant) in agenda.participants.enumerated() {
                var alone = agenda
                alone.participants = [participant]
                #expect(try Self.preview.preview(alone, reference: reference).views == [together.views[index]])
            }
        }
    }
}
