import Foundation
import SluisCorpus
import SluisCovenant
import SluisCrypto

// The agenda preview benchmark: `sluis-bench agenda [--items N] [--participants P]
// [--contributions C] [--runs R] [--seed S] [--policies DIR]` (defaults 40 × 8 × 3, 21 runs,
// seed 2026). What `sluis agenda preview` does between reading the document and printing:
// parse the agenda, decide every participant's view (references under a run's HMAC key, as
// the CLI makes them), write the answer's JSON.

func runAgendaBenchmark(_ arguments: [String]) throws {
    var items = 40, participants = 8, contributions = 3, runs = 21
    var seed: UInt64 = 2026
    var policies = ProcessInfo.processInfo.environment["SLUIS_POLICIES"] ?? "Policies"
    var iterator = arguments.makeIterator()
    while let option = iterator.next() {
        guard let value = iterator.next() else { throw UsageError(option) }
        switch option {
        case "--items": items = try Options.number(value, option)
        case "--participants": participants = try Options.number(value, option)
        case "--contributions": contributions = try Options.number(value, option)
        case "--runs": runs = try Options.number(value, option)
        case "--seed": seed = UInt64(try Options.number(value, option))
        case "--policies": policies = value
        default: throw UsageError(option)
        }
    }
    let preview = AgendaPreview(engine: DecisionEngine(policy: try PolicyLoader.load(directory: policies)))
    var generator = AgendaGenerator(seed: seed)
    let agenda = generator.agenda(items: items, participants: participants, contributions: contributions...contributions)
    let document = Data(agenda.json(pretty: false).utf8)
    let pseudonyms = try Pseudonymizer(keys: [Pseudonymizer.Key(version: 1, secret: SecureBytes.random(count: 32))])

    var parse: [UInt64] = [], decide: [UInt64] = [], write: [UInt64] = [], total: [UInt64] = []
    var answer = AgendaAnswer(views: []), outputBytes = 0
    for _ in 0..<(runs + 1) {  // the first run warms up and is not counted
        let t0 = now()
        let request = try AgendaParser.parse(document)
        let t1 = now()
        answer = try preview.preview(request) { participant, ref in try pseudonyms.pseudonym(of: ref, for: participant.label) }
        let t2 = now()
        outputBytes = answer.json(pretty: true).utf8.count
        let t3 = now()
        parse.append(t1 - t0)
        decide.append(t2 - t1)
        write.append(t3 - t2)
        total.append(t3 - t0)
    }
    func median(_ samples: [UInt64]) -> String { medianMilliseconds(samples, decimals: 2) }
    let viewItems = answer.views.flatMap(\.items)
    let shown = viewItems.reduce(0) { $0 + $1.fields.count }, withheld = viewItems.reduce(0) { $0 + $1.withheld.count }
    let identified = viewItems.filter { $0.identity == .identified }.count
    let decisions = agenda.items.reduce(0) { sum, item in
        sum + agenda.participants.reduce(0) { inner, participant in
            inner + item.contributions.filter { !$0.sender.isSameOrganisation(as: participant) }.count
        }
    }
    print("""
        sluis-bench — agenda preview, \(items) pupils × \(agenda.participants.count) participants × \(contributions) contributions (seed \(seed)), median of \(runs) runs
        agenda \(document.count) bytes; \(decisions) engine decisions (contributions not the participant's own); \(viewItems.count) view items (\(identified) identified), \(shown) fields shown, \(withheld) withheld; answer \(outputBytes) bytes
        | measure | median |
        | --- | --- |
        | parse the agenda | \(median(parse)) |
        | decide every view (engine + references) | \(median(decide)) |
        | write the JSON answer | \(median(write)) |
        | parse + decide + write | \(median(total)) |
        """)
}
