/// One absence registration as a school's administration exports it: one row of the absence
/// file (`../shared/contract/absence.md`). Validated where it enters (`AbsenceFile`); a store
/// that reads registrations back builds them with the memberwise initialiser.
public struct AbsenceRegistration: Sendable, Hashable {
    /// The school's own pseudonymous pupil key (1–64 characters, no names).
    public var pupil: String
    /// The day of the registration.
    public var date: CalendarDate
    public var kind: AbsenceKind
    /// Hours absent, in `unit`: given for ongeoorloofd, luxe and geoorloofd, optional for ziek,
    /// absent for te-laat.
    public var hours: AbsenceHours?
    /// Clock hours (primary school) or lesson hours (VO/MBO); given whenever `hours` is.
    public var unit: AbsenceUnit?

    public init(pupil: String, date: CalendarDate, kind: AbsenceKind, hours: AbsenceHours? = nil, unit: AbsenceUnit? = nil) {
        self.pupil = pupil
        self.date = date
        self.kind = kind
        self.hours = hours
        self.unit = unit
    }
}

/// The kind of a registration (verzuimprotocol 4.1, the table "Reden afwezigheid / Registreren
/// als").
public enum AbsenceKind: String, Sendable, Hashable, CaseIterable {
    /// Unauthorised absence, including sick leave not reported as agreed (4.1.2).
    case ongeoorloofd
    /// Late arrival (4.1.2, 5.5 table "te laat komen").
    case teLaat = "te-laat"
    /// Extra holiday without leave (4.1.2 sub 3, 5.5.3).
    case luxe
    /// Sick, reported as agreed (4.1.1 sub d, 5.5.4).
    case ziek
    /// Authorised: leave, doctor (4.1.1).
    case geoorloofd

    /// Whether the kind takes hours: required, optional (ziek) or never (te-laat).
    enum HoursRule { case required, optional, never }

    var hoursRule: HoursRule {
        switch self {
        case .ongeoorloofd, .luxe, .geoorloofd: .required
        case .ziek: .optional
        case .teLaat: .never
        }
    }
}

/// The unit of a pupil's hours: 16 clock hours in primary school, 16 lesson hours in VO and
/// MBO (verzuimprotocol 4.1.2 sub 2).
public enum AbsenceUnit: String, Sendable, Hashable, CaseIterable {
    case klokuur
    case lesuur
}

/// A number of hours, exact to a millionth of an hour (3.6 ms), so that sums compare with 16
/// exactly (0.1 added 160 times is 16, which binary floating point does not promise).
public struct AbsenceHours: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The hours times 1,000,000.
    public var millionths: Int

    public static let scale = 1_000_000
    /// The most decimals a value may have.
    public static let maximumDecimals = 6

    public init(millionths: Int) { self.millionths = millionths }
    public init(whole hours: Int) { millionths = hours * Self.scale }

    /// Why a text is not a number of hours.
    public enum TextProblem: Error, Sendable, Hashable {
        /// Not digits with at most one dot between digits.
        case notANumber
        /// A comma where the dot belongs ("1,5").
        case commaForDot
        /// More than `maximumDecimals` digits after the dot.
        case tooManyDecimals
    }

    /// Parses a decimal with a dot: `digits` or `digits.digits` (ASCII; no sign, exponent,
    /// spaces or thousands separators), at most six decimals.
    /// - Throws: `TextProblem`.
    public init(text: some StringProtocol) throws(TextProblem) {
        let bytes = Array(text.utf8)
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        let whole = bytes[..<(dot ?? bytes.endIndex)]
        let fraction = dot.map { bytes[($0 + 1)...] } ?? []
        guard Self.digitsOnly(whole), dot == nil || Self.digitsOnly(fraction) else {
            throw Self.hasDecimalComma(bytes) ? .commaForDot : .notANumber
        }
        guard fraction.count <= Self.maximumDecimals else { throw .tooManyDecimals }
        // Leading zeros are harmless; more than 7 significant whole digits is out of any range.
        let significant = whole.drop { $0 == UInt8(ascii: "0") }
        guard significant.count <= 7 else { self.init(millionths: Int.max); return }
        var value = 0
        for digit in whole { value = value * 10 + Int(digit - UInt8(ascii: "0")) }
        var fractional = 0, place = Self.scale
        for digit in fraction {
            place /= 10
            fractional += Int(digit - UInt8(ascii: "0")) * place
        }
        self.init(millionths: value * Self.scale + fractional)
    }

    static func digitsOnly(_ part: ArraySlice<UInt8>) -> Bool {
        !part.isEmpty && part.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `digits,digits`: a number written with the Dutch decimal comma.
    static func hasDecimalComma(_ bytes: [UInt8]) -> Bool {
        guard let comma = bytes.firstIndex(of: UInt8(ascii: ",")), bytes.lastIndex(of: UInt8(ascii: ",")) == comma
        else { return false }
        return digitsOnly(bytes[..<comma]) && digitsOnly(bytes[(comma + 1)...])
    }

    public static func + (lhs: AbsenceHours, rhs: AbsenceHours) -> AbsenceHours {
        AbsenceHours(millionths: lhs.millionths + rhs.millionths)
    }

    public static func < (lhs: AbsenceHours, rhs: AbsenceHours) -> Bool { lhs.millionths < rhs.millionths }

    /// The shortest decimal with a dot: `1.5`, `16`, `0.25`.
    public var description: String {
        let whole = millionths / Self.scale
        var fraction = millionths % Self.scale
        guard fraction != 0 else { return String(whole) }
        var digits = Self.maximumDecimals
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }
}

/// A pupil key compared by its exact bytes (as a database column with a binary collation
/// does), not by Unicode canonical equivalence as `String ==` does.
struct PupilKey: Hashable {
    let text: String
    init(_ text: String) { self.text = text }
    static func == (lhs: PupilKey, rhs: PupilKey) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }
    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }
}
