/// A strict reader of comma-separated values (RFC 4180 §2) over UTF-8 bytes, one record at a
/// time, each with the number of the line it starts on. It exists because neither CSV library
/// on the package mirror refuses what RFC 4180 does not allow or says where a record starts
/// (docs/casework.md, "Why our own CSV reader").
///
/// - Records end at CRLF (§2.1) or a bare LF (what Unix exports write); the last may have none
///   (§2.2). A line with no bytes at all between two line breaks is skipped (it holds no
///   record); its number still counts.
/// - A field is either unquoted, without any `"`, CR or LF, or wholly enclosed in `"`, with
///   `""` for a quote inside; line breaks and commas may appear inside (§2.5–2.7). A record
///   whose quoted field spans lines keeps the number of the line it starts on.
/// - Spaces are part of a field (§2.4). A byte-order mark is the caller's to strip.
/// - A record that breaks these rules carries a `Problem`; reading goes on at the next line
///   (or stops, when a quote is never closed), so that every bad line can be reported.
struct CSVReader {
    /// Why a record is not RFC 4180.
    enum Problem: Sendable, Hashable {
        /// A `"` inside a field that does not start with one (§2.5).
        case quoteInUnquotedField
        /// Something other than `,` or a line break right after a closing quote (§2.7).
        case textAfterClosingQuote
        /// A quoted field that the file ends inside (§2.5).
        case unclosedQuote
        /// A CR that is not followed by LF, outside quotes (§2.1, §2.6).
        case bareCarriageReturn
        /// A field whose bytes are not UTF-8; the field's index.
        case notUTF8(field: Int)
    }

    struct Record: Sendable {
        /// The line the record starts on (the first line is 1).
        var line: Int
        var fields: [String]
        var problem: Problem?
    }

    private let bytes: [UInt8]
    private var index: Int
    private var line = 1

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A

    init(_ bytes: [UInt8], from start: Int = 0) {
        self.bytes = bytes
        index = start
    }

    /// The next record, or nil at the end of the input.
    mutating func next() -> Record? {
        skipEmptyLines()
        guard index < bytes.count else { return nil }
        var record = Record(line: line, fields: [], problem: nil)
        var field: [UInt8] = []
        while true {
            field.removeAll(keepingCapacity: true)
            let ending: Ending
            if index < bytes.count, bytes[index] == Self.quote {
                ending = readQuoted(into: &field)
            } else {
                ending = readUnquoted(into: &field)
            }
            if case .problem(let problem) = ending {
                record.problem = problem
                skipRestOfLine()
                return record
            }
            if let text = String(validating: field, as: UTF8.self) {
                record.fields.append(text)
            } else {
                record.problem = record.problem ?? .notUTF8(field: record.fields.count)
                record.fields.append("")
            }
            if case .endOfRecord = ending { return record }
        }
    }

    private enum Ending { case endOfField, endOfRecord, problem(Problem) }

    private mutating func readUnquoted(into field: inout [UInt8]) -> Ending {
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case Self.comma:
                field.append(contentsOf: bytes[start..<index])
                index += 1
                return .endOfField
            case Self.lf, Self.cr:
                field.append(contentsOf: bytes[start..<index])
                return lineBreak() ? .endOfRecord : .problem(.bareCarriageReturn)
            case Self.quote:
                return .problem(.quoteInUnquotedField)
            default:
                index += 1
            }
        }
        field.append(contentsOf: bytes[start..<index])
        return .endOfRecord
    }

    private mutating func readQuoted(into field: inout [UInt8]) -> Ending {
        index += 1  // the opening quote
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == Self.quote {
                if index < bytes.count, bytes[index] == Self.quote {
                    field.append(Self.quote)
                    index += 1
                    continue
                }
                // The closing quote: a comma, a line break or the end must follow.
                guard index < bytes.count else { return .endOfRecord }
                switch bytes[index] {
                case Self.comma:
                    index += 1
                    return .endOfField
                case Self.lf, Self.cr:
                    return lineBreak() ? .endOfRecord : .problem(.bareCarriageReturn)
                default:
                    return .problem(.textAfterClosingQuote)
                }
            }
            if byte == Self.lf { line += 1 }
            field.append(byte)
        }
        return .problem(.unclosedQuote)
    }

    /// Consumes CRLF or LF at `index`; false (nothing consumed) for a CR without LF.
    private mutating func lineBreak() -> Bool {
        if bytes[index] == Self.lf {
            index += 1
        } else if index + 1 < bytes.count, bytes[index + 1] == Self.lf {
            index += 2
        } else {
            return false
        }
        line += 1
        return true
    }

    private mutating func skipEmptyLines() {
        while index < bytes.count, bytes[index] == Self.lf || bytes[index] == Self.cr, lineBreak() {}
    }

    /// After a problem: on to the byte after the next LF.
    private mutating func skipRestOfLine() {
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == Self.lf {
                line += 1
                return
            }
        }
    }
}
