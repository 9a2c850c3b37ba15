import Foundation
import SluisCovenant
import SluisGateway
import SluisStore

/// What the consent pages show, in Dutch words; the values come from the gateway's views.
struct Choice {
    let name: String
    let value: String
    let label: String
    let hint: String?
    /// The element id, for the label's `for`: the form (apart for each form on a page, so that
    /// ids stay unique), the name and the value. Stored: templates see stored properties only.
    let id: String

    init(name: String, value: String, label: String, hint: String?, form: String = "t") {
        (self.name, self.value, self.label, self.hint) = (name, value, label, hint)
        id = "\(form)-\(name)-\(value)".replacingOccurrences(of: ".", with: "-")
    }
}

struct CasesPage {
    struct Row { let ref: String; let phase: String; let caseType: String; let status: String }
    let cases: [Row]
    let empty: Bool

    init(_ views: [CaseView]) {
        cases = views.map { Row(ref: $0.id, phase: $0.phase, caseType: $0.caseType ?? "—", status: $0.status == "open" ? "open" : "gesloten") }
        empty = views.isEmpty
    }
}

struct ConsentRow {
    let href: String
    let state: String
    let recipients: String
    let fields: String
    let givers: String
    let recordedAt: String
    let revokedAt: String?

    init(_ view: ConsentView) {
        href = "/cjg/toestemmingen/\(view.id)"
        state = PageWords.word(PageWords.states, view.state)
        recipients = view.recipients.map { PageWords.word(PageWords.partyKinds, $0) }.joined(separator: ", ")
        fields = view.fields.map(PageWords.field).joined(separator: ", ")
        givers = view.givers.isEmpty ? "nog geen antwoord"
            : view.givers.map { "\(PageWords.word(PageWords.givers, $0.giver)): \(PageWords.word(PageWords.answers, $0.answer))" }.joined(separator: ", ")
        recordedAt = PageWords.time(view.recordedAt)
        revokedAt = view.revokedAt.map(PageWords.time)
    }
}

struct CasePage {
    struct GiverInput { let key: String; let label: String }
    struct OwnFact { let field: String; let value: String }
    let ref: String
    /// AVG art. 18: shown before anyone tries, not only in a refusal (a newcomer's finding).
    let restricted: Bool
    let informed: Bool
    let informing: [String]
    let facts: [OwnFact]
    let noFacts: Bool
    let informAction: String
    let factAction: String
    let factFields: [Choice]
    let consents: [ConsentRow]
    let none: Bool
    let recordAction: String
    let discloseAction: String
    let recipientKinds: [Choice]
    let consentFields: [Choice]
    let givers: [GiverInput]
    /// Who gives consent at which age, in words, from the policy in force (fn 28).
    let whoGives: String
    let parties: [Choice]
    let purposes: [Choice]
    let forums: [Choice]
    let discloseFields: [Choice]
    let problem: PageProblem?

    init(ref: String, view: CaseView, consents: [ConsentView], parties: [PartyRecord], policy: CovenantPolicy, problem: PageProblem?) {
        restricted = view.restricted
        let fieldLabels = Dictionary(policy.fields.map { ($0.field.rawValue, $0.label) }, uniquingKeysWith: { first, _ in first })
        whoGives = PageWords.whoGives(policy.consent)
        self.ref = ref
        informed = view.informed
        informing = view.informing.map { "\($0.party): \(PageWords.time($0.informedAt)), \($0.method)" }
        facts = (view.facts ?? [:]).sorted { $0.key < $1.key }.map { OwnFact(field: PageWords.field($0.key), value: $0.value) }
        noFacts = facts.isEmpty
        informAction = "/cjg/dossiers/\(ref)/informeren"
        factAction = "/cjg/dossiers/\(ref)/gegevens"
        factFields = PageWords.consentFields.filter { ![.name, .birthDate, .address, .bsn].contains($0) }
            .map { Choice(name: "veld", value: $0.rawValue, label: PageWords.field($0.rawValue), hint: nil, form: "g") }
        self.consents = consents.map(ConsentRow.init)
        none = consents.isEmpty
        recordAction = "/cjg/dossiers/\(ref)/toestemmingen"
        discloseAction = "/cjg/dossiers/\(ref)/verstrekkingen"
        recipientKinds = PageWords.recipientKinds.map { Choice(name: "ontvanger", value: $0.rawValue, label: PageWords.word(PageWords.partyKinds, $0.rawValue), hint: nil) }
        consentFields = PageWords.consentFields.map { Choice(name: "veld", value: $0.rawValue, label: PageWords.field($0.rawValue), hint: fieldLabels[$0.rawValue]) }
        givers = ConsentAnswerer.allCases.map { GiverInput(key: $0.rawValue, label: PageWords.word(PageWords.givers, $0.rawValue)) }
        self.parties = parties.map { Choice(name: "ontvanger", value: $0.id, label: "\($0.name) (\($0.id))", hint: nil) }
        purposes = policy.purposes.map { Choice(name: "doel", value: $0.id, label: "\($0.id) — \($0.text)", hint: nil) }
        forums = [Forum.direct, .verzuimoverleg, .sot, .thuiszitterstafel, .casusoverleg].map {
            Choice(name: "overleg", value: $0.rawValue, label: PageWords.word(PageWords.forums, $0.rawValue), hint: nil)
        }
        discloseFields = PageWords.consentFields.map { Choice(name: "veld", value: $0.rawValue, label: PageWords.field($0.rawValue), hint: nil, form: "v") }
        self.problem = problem
    }
}

struct ConsentPage {
    struct Giver { let giver: String; let answer: String; let answeredOn: String; let evidence: String; let recordedAt: String }
    struct Use { let recipient: String; let forum: String; let purpose: String; let fields: String; let time: String; let registerIndex: String }
    struct Reach { let party: String; let notifiedAt: String; let acknowledgedAt: String }
    let id: String
    let caseHref: String
    let caseRef: String
    let state: String
    let recipients: String
    let fields: String
    let sotQuestion: String?
    let endsOn: String?
    let givers: [Giver]
    let missing: String?
    let renewal: String?
    let recordedAt: String
    let revokedAt: String?
    let uses: [Use]
    let unused: Bool
    let reach: [Reach]
    let revoked: Bool
    let noneReached: Bool
    let revokeHref: String
    /// The givers who have not answered, for a further answer (none once revoked).
    let openGivers: [Choice]
    let hasOpenGivers: Bool
    let answerAction: String
    let problem: PageProblem?

    init(_ view: ConsentView, uses: ConsentUses, problem: PageProblem? = nil) {
        let row = ConsentRow(view)
        id = view.id
        caseRef = view.caseId
        caseHref = "/cjg/dossiers/\(view.caseId)"
        (state, recipients, fields, recordedAt, revokedAt) = (row.state, row.recipients, row.fields, row.recordedAt, row.revokedAt)
        sotQuestion = view.sotQuestion
        endsOn = view.endsOn
        givers = view.givers.map {
            Giver(giver: PageWords.word(PageWords.givers, $0.giver), answer: PageWords.word(PageWords.answers, $0.answer), answeredOn: $0.answeredOn,
                  evidence: $0.evidence, recordedAt: PageWords.time($0.recordedAt))
        }
        missing = view.missing.isEmpty ? nil : view.missing.map { $0 == "pupil" ? "de jongere" : "een ouder of wettelijk vertegenwoordiger" }.joined(separator: " en ")
        renewal = view.renewal.map { "\($0.reason) (\($0.article))" }
        self.uses = uses.disclosures.map {
            Use(recipient: PageWords.party($0.recipient, role: $0.recipientRole), forum: PageWords.word(PageWords.forums, $0.forum), purpose: $0.purpose,
                fields: $0.released.map(PageWords.field).joined(separator: ", "), time: PageWords.time($0.created), registerIndex: String($0.registerIndex))
        }
        unused = uses.disclosures.isEmpty
        reach = (view.revocationReach ?? []).map {
            Reach(party: PageWords.party($0.party, role: $0.role), notifiedAt: PageWords.time($0.notifiedAt),
                  acknowledgedAt: $0.acknowledgedAt.map(PageWords.time) ?? "nog niet bevestigd")
        }
        revoked = view.revokedAt != nil
        noneReached = revoked && reach.isEmpty
        revokeHref = "/cjg/toestemmingen/\(view.id)/intrekken"
        let answered = Set(view.givers.map(\.giver))
        openGivers = revoked ? [] : ConsentAnswerer.allCases.filter { !answered.contains($0.rawValue) }.map {
            Choice(name: "gever", value: $0.rawValue, label: PageWords.word(PageWords.givers, $0.rawValue), hint: nil, form: "a")
        }
        hasOpenGivers = !openGivers.isEmpty
        answerAction = "/cjg/toestemmingen/\(view.id)/antwoorden"
        self.problem = problem
    }
}

struct RevokePage {
    let backHref: String
    let action: String
    let toBeTold: [String]
    let noneTold: Bool
    let revoked: Bool

    init(_ view: ConsentView, uses: ConsentUses) {
        backHref = "/cjg/toestemmingen/\(view.id)"
        action = "/cjg/toestemmingen/\(view.id)/intrekken"
        toBeTold = uses.toBeTold.map { PageWords.party($0.party, role: $0.role) }
        noneTold = uses.toBeTold.isEmpty
        revoked = view.revokedAt != nil
    }
}

struct ReceiptPage {
    struct Withheld { let field: String; let reason: String; let article: String }
    let caseHref: String
    let decision: String
    let identity: String
    let released: String
    let withheld: [Withheld]
    let hasWithheld: Bool
    let registerIndex: String

    init(_ receipt: DisclosureReceipt, caseRef: String) {
        caseHref = "/cjg/dossiers/\(caseRef)"
        decision = PageWords.word(PageWords.decisions, receipt.decision)
        identity = receipt.identity == "identified" ? "herkenbaar" : receipt.identity == "pseudonymised" ? "onder pseudoniem" : receipt.identity
        released = receipt.released.isEmpty ? "niets" : receipt.released.map(PageWords.field).joined(separator: ", ")
        withheld = receipt.withheld.map { Withheld(field: PageWords.field($0.field), reason: $0.reason, article: $0.article) }
        hasWithheld = !withheld.isEmpty
        registerIndex = String(receipt.register.index)
    }
}
