import Foundation
import Hummingbird
import SluisCovenant
import SluisGateway

/// The DUO melding form's fields (`dossier`, `datum`, `soort`, `meldingsnummer`, and the signal
/// it answers: `leerling`, `signaal`, `sinds`), from the signals page's link or the sent form.
struct MeldingForm {
    let caseRef: String?, date: String?, kind: String?, reference: String?, pupil: String?, signal: String?, since: String?

    init(_ form: PageForm) {
        (caseRef, date, kind, reference) = (form["dossier"], form["datum"], form["soort"], form["meldingsnummer"])
        (pupil, signal, since) = (form["leerling"], form["signaal"], form["sinds"])
    }

    init(_ query: Parameters) {
        func value(_ name: String) -> String? {
            guard let text = query[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return String(text.prefix(64))
        }
        (caseRef, date, kind, reference) = (value("dossier"), value("datum"), value("soort"), value("meldingsnummer"))
        (pupil, signal, since) = (value("leerling"), value("signaal"), value("sinds"))
    }

    /// The gateway's input: the signal only when the form came with one.
    var input: DuoMeldingInput {
        DuoMeldingInput(date: date ?? "", kind: kind ?? "", reference: reference ?? "",
                        signal: pupil.map { AnsweredSignalInput(pupil: $0, signal: signal ?? "", since: since ?? "") })
    }
}

/// The DUO melding form page: the cases under the school's own reference, the kinds of
/// melding (Bijlage 4), and the signal it answers.
struct MeldingFormPage {
    struct Option { let value: String; let label: String; let selected: Bool }
    let cases: [Option]
    let kinds: [Option]
    let date: String
    let reference: String
    let pupil: String?, signal: String?, since: String?
    let signalLabel: String?
    let noCases: Bool
    let problem: PageProblem?

    /// Each kind of melding in Dutch, with where the protocol sends it to DUO.
    static let kindWords: [DuoMeldingKind: String] = [
        .relatiefVerzuim: "relatief verzuim (16 uur in 4 weken)", .overigVerzuim: "overig verzuim", .teLaat: "te laat komen (9e keer of meer)",
        .luxeVerzuim: "luxe verzuim", .signaalverzuim: "signaalverzuim", .zorgwekkendZiekteverzuim: "zorgwekkend ziekteverzuim",
        .absoluutVerzuim: "absoluut verzuim (in- en uitschrijving)", .dreigendThuiszitten: "dreigend thuiszitten",
    ]

    init(_ form: MeldingForm, cases views: [CaseView], today: String, problem: PageProblem?) {
        // The melding unmasks the pupil to the leerplichtambtenaar (protocol 5.4), so the school
        // picks the case by whom it is about: the name and birth date it brought in itself, shown
        // to it alone (art. 3.4 sub c; the identity is only in the view of the party that owns it).
        // A newcomer's finding: by reference alone, a wrong pick unmasked the wrong pupil.
        cases = views.filter { $0.status == "open" }.map {
            let who = $0.identity.map { "\($0.name) (geboren \($0.birthDate)) — " } ?? ""
            return Option(value: $0.id, label: who + "\($0.id) — \($0.caseType ?? "dossier"), fase \($0.phase)" + ($0.duoMelding ? ", al gemeld" : ""),
                          selected: $0.id == form.caseRef)
        }
        kinds = DuoMeldingKind.allCases.map {
            Option(value: $0.rawValue, label: "\(Self.kindWords[$0] ?? $0.rawValue) — \($0.article)", selected: $0.rawValue == form.kind)
        }
        (date, reference) = (form.date ?? today, form.reference ?? "")
        (pupil, signal, since) = (form.pupil, form.signal, form.since)
        signalLabel = form.pupil.map { "\(form.signal ?? "") van leerling \($0) sinds \(form.since ?? "")" }
        noCases = cases.isEmpty
        self.problem = problem
    }
}

/// After the melding: what it unlocked for whom (the engine's decision, on the register), and
/// what follows from it (docs/casework.md, "The DUO melding").
struct MeldingReceiptPage {
    let caseRef: String
    let kind: String
    let date: String
    let reference: String
    let status: String
    let permitted: Bool
    let recipient: String
    let released: String
    let withheld: [ReceiptPage.Withheld]
    let hasWithheld: Bool
    let reasons: String
    let register: String
    let answeredSignal: String?

    init(_ receipt: DuoMeldingReceipt, caseRef: String) {
        let melding = receipt.melding, decision = receipt.reidentification
        self.caseRef = caseRef
        kind = DuoMeldingKind(rawValue: melding.kind).flatMap { MeldingFormPage.kindWords[$0] } ?? melding.kind
        (date, reference) = (melding.date, melding.reference)
        status = ["received": "ontvangen", "in-behandeling": "in behandeling", "afgesloten": "afgesloten"][melding.status] ?? melding.status
        permitted = decision.decision == "permit"
        recipient = decision.recipient ?? "de gemeente (die nog niet in het dossier deelneemt)"
        released = decision.released.map(PageWords.field).joined(separator: ", ")
        withheld = decision.withheld.map { ReceiptPage.Withheld(field: PageWords.field($0.field), reason: $0.reason, article: $0.article) }
        hasWithheld = !withheld.isEmpty
        reasons = decision.reasons.map { "\($0.reason) (\($0.article))" }.joined(separator: " ")
        register = String(decision.register.index)
        answeredSignal = melding.signal.map { "\($0.signal) sinds \($0.since)" }
    }
}
