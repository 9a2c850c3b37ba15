/// One thing wrong with an absence file: the line (the header is line 1), the column where one
/// applies, and the problem (`../shared/contract/absence.md`, "Input"). The description is the
/// contract's error line, e.g. `line 7, column hours: "1,5" is not a number (use a dot)`.
///
/// A refused `pupil` value is never repeated (it might be a name); other values are quoted,
/// at most 40 characters, with control characters escaped so that each error stays one line.
public struct AbsenceFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        // The file and its header (line 1).
        case noHeader
        case unknownColumn(position: Int, suggestion: String?)
        case duplicateColumn
        case missingColumn
        // RFC 4180 and UTF-8.
        case csv(CSVProblem)
        case fieldCount(found: Int, expected: Int)
        // Values.
        case empty
        case emptyButRequired(because: String)
        case notAPupilKey(PupilKeyProblem)
        case notADate(String)
        case notACalendarDate(String)
        case afterToday(String, today: CalendarDate)
        case notAKind(String)
        case notANumber(String, commaForDot: Bool)
        case tooManyDecimals(String)
        case hoursOutOfRange(String)
        case hoursNotTaken(String, kind: AbsenceKind)
        case notAUnit(String)
        case otherUnit(String, pupilUnit: AbsenceUnit, line: Int)
    }

    /// RFC 4180 and encoding problems, as `CSVReader` finds them.
    public enum CSVProblem: Sendable, Hashable {
        case quoteInUnquotedField, textAfterClosingQuote, unclosedQuote, bareCarriageReturn, notUTF8
    }

    /// Why a pupil value is no pupil key; the value itself is never kept.
    public enum PupilKeyProblem: Sendable, Hashable {
        case tooLong, whitespace, invisible
        /// Nine digits that pass the BSN's eleven-test: a BSN is no pseudonymous key, and in a
        /// signal's link it would reach a browser's history (an attacker's finding).
        case bsnShaped
    }

    public var line: Int
    /// The column's name, when the problem is in one field.
    public var column: String?
    public var problem: Problem

    public init(line: Int, column: String? = nil, problem: Problem) {
        self.line = line
        self.column = column
        self.problem = problem
    }

    public var description: String {
        let place = column.map { "line \(line), column \($0)" } ?? "line \(line)"
        return "\(place): \(message)"
    }

    private var message: String {
        let columns = AbsenceFile.columns.joined(separator: ", ")
        switch problem {
        case .noHeader: return "no header row (the columns are \(columns))"
        case .unknownColumn(let position, nil):
            return "header field \(position) is not a column of this format (\(columns))"
        case .unknownColumn(let position, let suggestion?):
            return "header field \(position) is not a column of this format; names are exact: \(suggestion)?"
        case .duplicateColumn: return "given twice in the header"
        case .missingColumn: return "missing from the header"
        case .csv(.quoteInUnquotedField):
            return "a quote inside a field that does not start with one (RFC 4180 §2.5: quote the whole field, double the quote)"
        case .csv(.textAfterClosingQuote): return "text after a closing quote (RFC 4180 §2.7)"
        case .csv(.unclosedQuote): return "a quoted field is never closed (RFC 4180 §2.5)"
        case .csv(.bareCarriageReturn): return "a carriage return without a line feed (RFC 4180 §2.1)"
        case .csv(.notUTF8): return "not UTF-8 text"
        case .fieldCount(let found, let expected): return "\(found) fields, but the header has \(expected)"
        case .empty: return "empty (required)"
        case .emptyButRequired(let because): return "empty, but required \(because)"
        case .notAPupilKey(.tooLong): return "is not a pupil key (more than 64 characters)"
        case .notAPupilKey(.whitespace):
            return "is not a pupil key (it contains a space or other white space; a name? use the school's pseudonymous key)"
        case .notAPupilKey(.invisible): return "is not a pupil key (it contains a control or invisible character)"
        case .notAPupilKey(.bsnShaped): return "is not a pupil key (nine digits that pass the BSN eleven-test; a BSN is not pseudonymous: use the school's own pupil key)"
        case .notADate(let value): return "\(Self.quoted(value)) is not a date (use YYYY-MM-DD)"
        case .notACalendarDate(let value): return "\(Self.quoted(value)) is not a day of the calendar"
        case .afterToday(let value, let today): return "\(Self.quoted(value)) is after today (\(today))"
        case .notAKind(let value):
            return "\(Self.quoted(value)) is not a kind (\(AbsenceKind.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .notANumber(let value, true): return "\(Self.quoted(value)) is not a number (use a dot)"
        case .notANumber(let value, false): return "\(Self.quoted(value)) is not a number"
        case .tooManyDecimals(let value):
            return "\(Self.quoted(value)) has more than \(AbsenceHours.maximumDecimals) decimals"
        case .hoursOutOfRange(let value): return "\(Self.quoted(value)) is out of range (more than 0, at most 12)"
        case .hoursNotTaken(let value, let kind):
            return "\(Self.quoted(value)) given, but \(kind.rawValue) takes no hours (leave it empty)"
        case .notAUnit(let value):
            return "\(Self.quoted(value)) is not a unit (\(AbsenceUnit.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .otherUnit(let value, let unit, let line):
            return "\(Self.quoted(value)), but this pupil's unit is \(unit.rawValue) (line \(line)); one pupil uses one unit"
        }
    }

    /// A value in double quotes: at most 40 characters, `"` and `\` escaped, control characters
    /// as `\n`, `\r`, `\t` or `\u{…}`, so the error stays on one line.
    static func quoted(_ value: String) -> String {
        var text = "\""
        for (count, scalar) in value.unicodeScalars.enumerated() {
            if count == 40 { text += "…"; break }
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                    || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    text += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + "\""
    }
}

/// Every problem of an absence file, in line order: the file is refused as a whole
/// (`../shared/contract/absence.md`: "Any bad line refuses the whole file").
public struct AbsenceFileErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [AbsenceFileError]

    public init(_ errors: [AbsenceFileError]) { self.errors = errors }

    /// One error per line, as the CLI prints them and the API lists them.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
