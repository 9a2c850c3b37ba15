import Foundation
import SluisGateway
import SluisRegister

/// One register entry with its inclusion proof (RFC 9162 §2.1.3), in Dutch words and hex.
struct EntryProofPage {
    struct Line { let label: String; let value: String }
    let index: String
    let lines: [Line]
    let verified: Bool
    let leafHash: String, treeSize: String, rootHash: String, checkpoint: String
    let proof: [Line]

    init(index: Int64, _ proof: RegisterEntryProof?) {
        self.index = String(index)
        guard let proof else {
            (lines, verified, leafHash, treeSize, rootHash, checkpoint, self.proof) = ([], false, "", "", "", "", [])
            return
        }
        let entry = proof.entry
        let rows: [(String, String?)] = [
            ("Tijd", PageWords.time(entry.time)), ("Verwerkingsactiviteit", "\(entry.activity) (versie \(entry.activityVersion))"),
            ("Handeling", entry.operation), ("Verstrekker", entry.sender),
            ("Ontvanger", entry.recipient.map { PageWords.party($0, role: entry.recipientRole) }),
            ("Overleg", entry.forum.map { PageWords.word(PageWords.forums, $0) }), ("Doel", entry.purpose),
            ("Besluit", PageWords.word(PageWords.decisions, entry.decision)),
            ("Verstrekt", entry.released.isEmpty ? nil : entry.released.map(PageWords.field).joined(separator: ", ")),
            ("Achtergehouden", entry.withheld.isEmpty ? nil : entry.withheld.map(PageWords.field).joined(separator: ", ")),
            ("Grondslag", entry.basis.isEmpty ? nil : entry.basis.joined(separator: " | ")),
            ("Toestemming", entry.consentReference), ("Leerling (registerpseudoniem)", entry.subject),
            ("Conflict van plichten (art. 6.1 sub e)", entry.conflictOfDuties.isEmpty ? nil : entry.conflictOfDuties.map(PageWords.field).joined(separator: ", ")),
            ("Vingerafdruk bundel (SHA-256)", entry.bundleDigest), ("Trace", entry.traceID),
        ]
        lines = rows.compactMap { label, value in value.map { Line(label: label, value: $0) } }
        verified = proof.verified
        (leafHash, treeSize, rootHash, checkpoint) = (proof.leafHash, String(proof.treeSize), proof.rootHash, proof.checkpoint)
        self.proof = proof.proof.enumerated().map { Line(label: String($0.offset + 1), value: $0.element) }
    }
}

/// The register's integrity, a saved checkpoint's consistency, or why an upload was refused.
struct IntegrityPage {
    struct Refusal { let title: String; let message: String; let note: String }
    struct Saved { let size: String; let rootHash: String; let consistent: Bool; let proofHolds: Bool; let recomputed: Bool; let proof: [EntryProofPage.Line] }
    let checked: Bool
    let intact: Bool
    let entries: String, checkpoints: String
    let problem: String?
    let checkpoint: String, treeSize: String, rootHash: String
    let saved: Saved?
    let refusal: Refusal?
    /// When every entry was last recomputed, and how many were checked since (nil: this view did it).
    let fullAt: String
    let checkedSince: String?
    let witnessing: Witnessing?

    /// The witnesses' cosignatures on the newest checkpoint they vouched for (C2SP tlog-cosignature).
    struct Witnessing {
        struct Line { let witness: String; let time: String }
        let quorum: String, witnesses: String
        let size: String?, newest: String
        let current: Bool, matches: Bool
        let cosignatures: [Line]

        init(_ status: WitnessingStatus) {
            (quorum, witnesses, newest) = (String(status.quorum), status.witnesses.joined(separator: ", "), String(status.newestSize))
            size = status.publishedSize.map(String.init)
            (current, matches) = (status.current, status.matches)
            cosignatures = status.cosignatures.map {
                Line(witness: $0.witness, time: PageWords.time(RegisterTime.format(Date(timeIntervalSince1970: TimeInterval($0.time)))))
            }
        }
    }

    init(_ integrity: RegisterIntegrity?, refusal: Refusal?) {
        self.refusal = refusal
        checked = integrity != nil
        intact = integrity?.intact ?? false
        (entries, checkpoints) = (String(integrity?.entries ?? 0), String(integrity?.checkpoints ?? 0))
        problem = integrity?.problem
        (checkpoint, treeSize, rootHash) = (integrity?.checkpoint ?? "", String(integrity?.treeSize ?? 0), integrity?.rootHash ?? "")
        fullAt = PageWords.time(integrity?.fullyVerifiedAt ?? "")
        checkedSince = integrity?.checkedSince.map(String.init)
        witnessing = integrity?.witnessing.map(Witnessing.init)
        saved = integrity?.saved.map {
            Saved(size: String($0.size), rootHash: $0.rootHash, consistent: $0.consistent, proofHolds: $0.proofHolds, recomputed: $0.recomputed,
                  proof: $0.proof.enumerated().map { EntryProofPage.Line(label: String($0.offset + 1), value: $0.element) })
        }
    }

    /// Why an uploaded checkpoint is refused, in plain Dutch, with what to do next.
    static func words(_ refusal: CheckpointRefusal, empty: Bool = false) -> Refusal {
        let again = "Plak het checkpoint precies zoals u het hebt bewaard: de tekst van het bestand dat u op deze pagina downloadde."
        let message: String
        switch refusal.reason {
        case .malformed where empty: message = "U heeft geen checkpoint geplakt. " + again
        case .malformed: message = "Dit is geen checkpoint van Sluis: de tekst heeft niet de vorm van een ondertekend checkpoint (regels met herkomst, aantal en hash, een lege regel en een handtekening). " + again
        case .otherLog: message = "Dit checkpoint hoort bij een ander register (de eerste regel noemt een andere herkomst). Gebruik een checkpoint van dit register."
        case .unknownKey: message = "Dit checkpoint is niet ondertekend met de sleutel van dit register. Het komt van een ander systeem of van een register dat opnieuw is begonnen."
        case .badSignature: message = "De handtekening onder dit checkpoint klopt niet: de tekst is na het ondertekenen veranderd, of de handtekening is nagemaakt. Vertrouw dit bestand niet; gebruik een ander bewaard checkpoint."
        case .tooLarge: message = "Deze tekst is te lang voor een checkpoint (meer dan 4 KB). " + again
        }
        return Refusal(title: "Checkpoint geweigerd", message: message, note: refusal.detail)
    }
}

/// The charts: inline SVG drawn from the counts (bars as `<rect>` with numeric attributes only,
/// colours from the stylesheet: the CSP allows no inline style), each with a table beside it.
struct ChartPage {
    struct Bar { let x: String; let y: String; let width: String; let height: String; let colour: String; let label: String }
    struct Tick { let x: String; let y: String; let text: String }
    struct Row { let key: String; let counts: [String] }
    struct Legend { let colour: String; let label: String }
    let from: String, to: String
    let weekBars: [Bar], weekTicks: [Tick], legend: [Legend], weekParties: [String], weekRows: [Row]
    /// The scale: the count the tallest bar stands for.
    let weekMost: String
    let ruleBars: [Bar], ruleTicks: [Tick], ruleRows: [Row]
    let noWeeks: Bool, noRules: Bool, capped: Bool, counted: String
    let ruleHeight: String

    static let width = 640.0, height = 220.0, colours = 6

    init(query: RegisterQuery, chart: RegisterChart?) {
        (from, to) = (query.from ?? "", query.to ?? "")
        let weeks = chart?.weeks ?? [], rules = chart?.refusals ?? []
        (noWeeks, noRules, capped, counted) = (weeks.isEmpty, rules.isEmpty, chart?.capped ?? false, String(chart?.counted ?? 0))
        // Disclosures per week: one stacked bar a week, one colour a party.
        let parties = Array(Set(weeks.flatMap { $0.parties.map(\.key) })).sorted()
        let colour = Dictionary(uniqueKeysWithValues: parties.enumerated().map { ($0.element, "kleur\($0.offset % Self.colours)") })
        let most = Double(weeks.map { $0.parties.reduce(0) { $0 + $1.count } }.max() ?? 1)
        let slot = Self.width / Double(max(weeks.count, 1))
        var bars: [Bar] = [], ticks: [Tick] = []
        for (position, week) in weeks.enumerated() {
            var top = Self.height
            // At most 48 wide, so that a few weeks do not read as slabs.
            let width = min(slot * 0.7, 48), x = Double(position) * slot + (slot - width) / 2
            for count in week.parties {
                let height = Double(count.count) / most * (Self.height - 20)
                top -= height
                bars.append(Bar(x: Self.number(x), y: Self.number(top), width: Self.number(width), height: Self.number(height),
                                colour: colour[count.key] ?? "kleur0", label: "\(week.week), \(count.key): \(count.count)"))
            }
            ticks.append(Tick(x: Self.number(x + width / 2), y: Self.number(Self.height + 16), text: week.week))
        }
        (weekBars, weekTicks, weekParties, weekMost) = (bars, ticks, parties, String(Int(most)))
        legend = parties.map { Legend(colour: colour[$0] ?? "kleur0", label: $0) }
        weekRows = weeks.map { week in
            Row(key: week.week, counts: parties.map { party in String(week.parties.first { $0.key == party }?.count ?? 0) })
        }
        // Refusals per rule: one horizontal bar a rule (forum · purpose), most first.
        let widest = Double(rules.map(\.count).max() ?? 1)
        ruleBars = rules.enumerated().map { position, rule in
            Bar(x: "220", y: Self.number(Double(position) * 28 + 4), width: Self.number(Double(rule.count) / widest * (Self.width - 260)),
                height: "20", colour: "kleur1", label: "\(rule.key): \(rule.count)")
        }
        ruleTicks = rules.enumerated().map { Tick(x: "0", y: Self.number(Double($0.offset) * 28 + 19), text: $0.element.key) }
        ruleRows = rules.map { Row(key: $0.key, counts: [String($0.count)]) }
        ruleHeight = Self.number(Double(max(rules.count, 1)) * 28 + 8)
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// The art. 30 AVG register: each processing activity the gateway generated from the policy.
struct ProcessingPage {
    struct Activity {
        let id: String, name: String, version: String, article: String, retention: String
        let purposes: String, bases: String, subjects: String, categories: String, recipients: String, security: String
    }
    let activities: [Activity]

    init(_ list: [ProcessingActivity]) {
        activities = list.map {
            Activity(id: $0.id, name: $0.name, version: $0.version, article: $0.article, retention: $0.retention,
                     purposes: $0.purposes.joined(separator: "; "), bases: $0.legalBases.joined(separator: "; "),
                     subjects: $0.dataSubjects.joined(separator: "; "), categories: $0.dataCategories.map(PageWords.field).joined(separator: ", "),
                     recipients: $0.recipients.joined(separator: "; "), security: $0.security.joined(separator: "; "))
        }
    }
}

/// The rights requests about the FG's party's cases, by register pseudonym, with days left.
struct RightsOversightPage {
    struct Request {
        let subject: String, kind: String, requester: String, receivedOn: String, dueOn: String, status: String
        let daysLeft: String, overdue: Bool, restricted: Bool, article: String
    }
    let requests: [Request]
    let empty: Bool
    let overdue: Int
    let hasOverdue: Bool

    /// The kinds are the covenant's own Dutch words (art. 13.1); shown with their AVG article.
    static let kinds = [
        "inzage": "inzage (AVG art. 15)", "rectificatie": "rectificatie (AVG art. 16)", "wissing": "wissing (AVG art. 17)",
        "beperking": "beperking (AVG art. 18)", "overdraagbaarheid": "overdraagbaarheid (AVG art. 20)", "bezwaar": "bezwaar (AVG art. 21)",
    ]
    static let statuses = [
        "open": "open", "extended": "verlengd", "granted": "toegewezen", "refused": "afgewezen", "partly-granted": "deels toegewezen",
        "delivered": "antwoord verstuurd",
    ]

    init(_ views: [RightsRequestView]) {
        requests = views.map { view in
            let days = view.daysLeft.map { $0 < 0 ? "\(-$0) dagen te laat" : $0 == 1 ? "1 dag" : "\($0) dagen" } ?? "afgehandeld"
            return Request(subject: view.subject ?? "", kind: PageWords.word(Self.kinds, view.kind), requester: PageWords.word(PageWords.givers, view.requester).lowercased(),
                           receivedOn: view.receivedOn, dueOn: view.dueOn, status: PageWords.word(Self.statuses, view.status), daysLeft: days,
                           overdue: view.overdue, restricted: view.restricted, article: view.article)
        }
        empty = requests.isEmpty
        overdue = requests.filter(\.overdue).count
        hasOverdue = overdue > 0
    }
}
