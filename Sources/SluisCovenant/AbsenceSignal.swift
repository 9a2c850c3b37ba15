/// What is due for one pupil under the verzuimprotocol: which signal, since when, by when, and
/// why (`../shared/contract/absence.md`, "Rules" and "Output").
public struct AbsenceSignal: Sendable, Hashable {
    /// The signals, named as the contract names them.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case relatiefVerzuim = "relatief-verzuim"
        case teLaat3 = "te-laat-3"
        case teLaat6 = "te-laat-6"
        case teLaat9 = "te-laat-9"
        case teLaat12 = "te-laat-12"
        case luxeVerzuim = "luxe-verzuim"
        case zorgwekkendZiekteverzuim = "zorgwekkend-ziekteverzuim"

        /// What the school does: a short Dutch phrase from the protocol.
        public var action: String {
            switch self {
            case .relatiefVerzuim, .teLaat12, .luxeVerzuim: "melding bij DUO"
            case .teLaat3: "gesprek met ouders (12-) of met de leerling (12+)"
            case .teLaat6: "melding naar ouders met waarschuwing: bij voortduren volgt melding bij DUO"
            case .teLaat9: "melding bij DUO; bericht via Magister aan ouders"
            case .zorgwekkendZiekteverzuim: "melding bij CJG en SOT, met toestemming van ouders (niet bij DUO)"
            }
        }

        /// The protocol section and, where one exists, the law article. The melding at DUO of
        /// ongeoorloofd relatief verzuim rests on Lpw art. 21a (convenant art. 4.3); late
        /// arrival and luxury absence are forms of it (protocol 4.1.2).
        public var source: String {
            switch self {
            case .relatiefVerzuim: "verzuimprotocol Bijlage 4; Lpw art. 21a"
            case .teLaat3, .teLaat6: "verzuimprotocol 5.5, tabel te laat komen"
            case .teLaat9: "verzuimprotocol 5.5, tabel te laat komen, Bijlage 4; Lpw art. 21a"
            case .teLaat12: "verzuimprotocol 5.5, tabel te laat komen; Lpw art. 21a"
            case .luxeVerzuim: "verzuimprotocol 4.1.2 sub 3, 5.5.3, Bijlage 4; Lpw art. 21a"
            case .zorgwekkendZiekteverzuim: "verzuimprotocol 5.5.4, Bijlage 4"
            }
        }
    }

    public var pupil: String
    public var kind: Kind
    /// The day the criterion is met (see each rule in `AbsenceEvaluator`).
    public var since: CalendarDate
    /// The last day to act: the 5th working day after `since` for a DUO melding with a
    /// statutory term; nil where the protocol names no deadline.
    public var due: CalendarDate?
    /// Whether today is after `due` (false without a due date).
    public var overdue: Bool

    public init(pupil: String, kind: Kind, since: CalendarDate, due: CalendarDate?, today: CalendarDate) {
        self.pupil = pupil
        self.kind = kind
        self.since = since
        self.due = due
        overdue = due.map { today > $0 } ?? false
    }

    /// The contract's order: by pupil, then since, then signal; texts compared by Unicode code
    /// point (UTF-8 bytes), as a byte-wise database collation and most languages' sort do.
    public static func contractOrder(_ lhs: AbsenceSignal, _ rhs: AbsenceSignal) -> Bool {
        if !lhs.pupil.utf8.elementsEqual(rhs.pupil.utf8) {
            return lhs.pupil.utf8.lexicographicallyPrecedes(rhs.pupil.utf8)
        }
        if lhs.since != rhs.since { return lhs.since < rhs.since }
        return lhs.kind.rawValue.utf8.lexicographicallyPrecedes(rhs.kind.rawValue.utf8)
    }

    /// The answer document `{"signals": […]}`, keys in the contract's order (pupil, signal,
    /// since, due, overdue, action, source); the same bytes for the same signals.
    public static func json(_ signals: [AbsenceSignal], pretty: Bool = true) -> String {
        var writer = JSONWriter(pretty: pretty)
        writer.beginObject()
        writer.beginArray(key: "signals")
        for signal in signals {
            writer.beginObject()
            writer.string(signal.pupil, key: "pupil")
            writer.string(signal.kind.rawValue, key: "signal")
            writer.string(signal.since.description, key: "since")
            writer.string(signal.due?.description, key: "due")
            writer.raw(signal.overdue ? "true" : "false", key: "overdue")
            writer.string(signal.kind.action, key: "action")
            writer.string(signal.kind.source, key: "source")
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.output
    }
}
