import Foundation
import SluisCovenant
import SluisGateway

/// An absence file's refused line in Dutch (contract absence.md, "Input"): the line number, the
/// column, what is wrong and how to fix it — never a value from the file, which might be a name
/// or a BSN typed into the wrong column (docs/pages.md).
struct AbsenceLineError {
    let line: Int
    let column: String?
    let message: String

    static let columns = ["pupil": "leerling", "date": "datum", "kind": "soort", "hours": "uren", "unit": "eenheid"]

    init(_ error: AbsenceFileError) {
        line = error.line
        column = error.column.map { "‘\($0)’ (\(Self.columns[$0] ?? $0))" }
        message = Self.message(error)
    }

    // swiftlint:disable:next cyclomatic_complexity
    static func message(_ error: AbsenceFileError) -> String {
        let kinds = AbsenceKind.allCases.map(\.rawValue).joined(separator: ", ")
        switch error.problem {
        case .noHeader: return "er is geen kopregel; de eerste regel noemt de kolommen \(AbsenceFile.columns.joined(separator: ", "))"
        case .unknownColumn(let position, let suggestion):
            return "kopveld \(position) is geen kolom van dit formaat" + (suggestion.map { "; de namen zijn exact: bedoelt u ‘\($0)’?" } ?? "")
        case .duplicateColumn: return "deze kolom staat twee keer in de kopregel"
        case .missingColumn: return "deze kolom ontbreekt in de kopregel"
        case .csv(.quoteInUnquotedField): return "een aanhalingsteken midden in een veld: zet het hele veld tussen aanhalingstekens en verdubbel het teken (RFC 4180)"
        case .csv(.textAfterClosingQuote): return "tekst na een sluitend aanhalingsteken (RFC 4180)"
        case .csv(.unclosedQuote): return "een veld tussen aanhalingstekens wordt niet afgesloten (RFC 4180)"
        case .csv(.bareCarriageReturn): return "een regeleinde zonder line feed (RFC 4180)"
        case .csv(.notUTF8): return "het bestand is geen UTF-8-tekst: sla het op als ‘CSV UTF-8’"
        case .fieldCount(let found, let expected): return "\(found) velden, maar de kopregel heeft er \(expected)"
        case .empty: return "leeg, maar verplicht"
        case .emptyButRequired:
            return error.column == "unit" ? "leeg, maar verplicht zodra er uren zijn ingevuld" : "leeg, maar bij deze soort verzuim verplicht"
        case .notAPupilKey(.tooLong): return "geen leerlingsleutel: langer dan 64 tekens"
        case .notAPupilKey(.whitespace):
            return "geen leerlingsleutel: er staat een spatie in. Een naam? Gebruik de eigen leerlingsleutel van de school, nooit een naam"
        case .notAPupilKey(.invisible): return "geen leerlingsleutel: er staat een onzichtbaar teken in"
        case .notAPupilKey(.bsnShaped): return "geen leerlingsleutel: negen cijfers die de elfproef van het BSN halen — een BSN is niet pseudoniem; gebruik de eigen leerlingsleutel van de school"
        case .notADate: return "geen datum: schrijf JJJJ-MM-DD, bijvoorbeeld 2026-11-30"
        case .notACalendarDate: return "deze dag bestaat niet"
        case .afterToday(_, let today): return "deze dag ligt na vandaag (\(today)): lever alleen verzuim aan dat al geweest is"
        case .notAKind: return "geen soort verzuim; kies uit \(kinds)"
        case .notANumber(_, true): return "geen getal: gebruik een punt, geen komma (1.5)"
        case .notANumber(_, false): return "geen getal"
        case .tooManyDecimals: return "meer dan \(AbsenceHours.maximumDecimals) cijfers achter de punt"
        case .hoursOutOfRange: return "buiten het bereik: meer dan 0 en hoogstens 12"
        case .hoursNotTaken(_, let kind): return "ingevuld, maar bij \(kind.rawValue) horen geen uren: laat het leeg"
        case .notAUnit: return "geen eenheid; kies uit \(AbsenceUnit.allCases.map(\.rawValue).joined(separator: ", "))"
        case .otherUnit(_, let unit, let line):
            return "een andere eenheid dan \(unit.rawValue) op regel \(line): één leerling gebruikt één eenheid"
        }
    }
}

/// The upload page: the form, and after an upload either what was imported or every refused line.
struct AbsenceUploadPage {
    struct Receipt { let registrations: Int; let pupils: Int; let replaced: Int; let from: String; let to: String; let register: String }
    let limit: String
    let receipt: Receipt?
    let errors: [AbsenceLineError]
    let refused: Bool
    let hasErrors: Bool
    /// A refusal that is no line of the file (the import's period, the media type).
    let problem: String?

    init(receipt: AbsenceImportReceipt? = nil, errors: [AbsenceLineError] = [], problem: String? = nil) {
        limit = "\(Gateway.absenceFileLimit / 1024 / 1024) MiB"
        self.receipt = receipt.map {
            Receipt(registrations: $0.registrations, pupils: $0.pupils, replaced: $0.replaced, from: $0.from ?? "—", to: $0.to ?? "—",
                    register: String($0.register.index))
        }
        (self.errors, self.problem) = (errors, problem)
        hasErrors = !errors.isEmpty
        refused = hasErrors || problem != nil
    }
}

/// The signals page: each open signal under the school's own pupil key, with what the protocol
/// asks, by when, and the next step (contract absence.md; verzuimprotocol 5.5, Bijlage 4).
struct SignalsPage {
    struct Row {
        let pupil: String; let signal: String; let criterion: String; let since: String; let due: String; let left: String
        let overdue: Bool; let action: String; let source: String; let next: String; let melding: String?
    }
    let today: String
    let rows: [Row]
    let empty: Bool
    /// Paging: `perPage` signals a page, so a board with hundreds of open signals still gets
    /// pages under 100 KB (docs/performance.md).
    let total: Int
    let previous: String?
    let next: String?
    static let perPage = 100

    /// What the protocol counts for each signal (contract absence.md, "Rules").
    static let criteria: [AbsenceSignal.Kind: String] = [
        .relatiefVerzuim: "16 uur of meer ongeoorloofd verzuim (ongeoorloofd en luxe) binnen 4 weken",
        .teLaat3: "3e keer te laat in dit schooljaar", .teLaat6: "6e keer te laat in dit schooljaar",
        .teLaat9: "9e keer te laat in dit schooljaar", .teLaat12: "12e keer te laat in dit schooljaar",
        .luxeVerzuim: "luxe verzuim: extra vakantie zonder verlof, altijd te melden",
        .zorgwekkendZiekteverzuim: "zorgwekkend ziekteverzuim: 4 ziekmeldingen in 12 weken of 7 schooldagen aaneen ziek",
    ]

    /// `page`: 1-based; a page past the end shows the last one.
    init(_ list: AbsenceSignalList, page: Int = 1) {
        today = list.today.description
        total = list.items.count
        let last = max(1, (total + Self.perPage - 1) / Self.perPage), shown = min(max(page, 1), last)
        previous = shown > 1 ? "/school/signalen?pagina=\(shown - 1)" : nil
        next = shown < last ? "/school/signalen?pagina=\(shown + 1)" : nil
        rows = list.items.dropFirst((shown - 1) * Self.perPage).prefix(Self.perPage).map { item in
            let signal = item.signal
            let left: String = switch item.daysLeft {
            case nil: "geen termijn"
            case let days? where days < 0: "termijn verstreken, \(-days) dagen geleden"
            case 0?: "vandaag"
            case let days?: "\(days) dagen (\(item.workingDaysLeft ?? 0) werkdagen)"
            }
            let next = switch signal.kind {
            case .teLaat3, .teLaat6: "Voer het gesprek of stuur de brief; dit signaal verdwijnt niet door een melding."
            case .zorgwekkendZiekteverzuim: "Bespreek met de ouders een verwijzing naar CJG en SOT; alleen met hun toestemming (5.5.4)."
            default: "Meld bij DUO (verzuimloket) en leg de melding hier vast: dan ziet de leerplichtambtenaar wie het is."
            }
            let melding = item.meldingKind.map { kind in
                "/school/duo-melding?leerling=\(Self.query(signal.pupil))&signaal=\(signal.kind.rawValue)&sinds=\(signal.since)&soort=\(kind.rawValue)"
            }
            return Row(pupil: signal.pupil, signal: signal.kind.rawValue, criterion: Self.criteria[signal.kind] ?? signal.kind.rawValue,
                       since: signal.since.description, due: signal.due?.description ?? "—", left: left, overdue: signal.overdue,
                       action: signal.kind.action, source: signal.kind.source, next: next, melding: melding)
        }
        empty = rows.isEmpty
    }

    /// A pupil key in a query: its characters (A–Z, a–z, 0–9, '-', '_', '.', '/') percent-encoded where needed.
    static func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? ""
    }
}
