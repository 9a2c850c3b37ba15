/// The absence file a school exports (`../shared/contract/absence.md`, "Input"): CSV per
/// RFC 4180 in UTF-8 (a byte-order mark allowed), a header row first, the columns `pupil`,
/// `date`, `kind`, `hours`, `unit` in any order, named exactly, none twice, none more.
///
/// All or nothing: any bad line refuses the whole file, and every problem of every line is
/// reported, in line order.
public enum AbsenceFile {
    /// The columns, in the contract's order (which is also the order errors of one line come in).
    public static let columns = ["pupil", "date", "kind", "hours", "unit"]
    /// The longest pupil key, in Unicode characters (code points).
    public static let maximumPupilKeyLength = 64
    /// The largest number of hours one registration may have (contract: > 0 and ≤ 12).
    public static let maximumHours = AbsenceHours(whole: 12)

    /// Parses and validates a whole file.
    /// - Parameters:
    ///   - bytes: the file's bytes, UTF-8.
    ///   - today: registrations dated after this day are an error.
    /// - Returns: the registrations in file order.
    /// - Throws: `AbsenceFileErrors` listing every problem; then nothing is returned.
    public static func parse(_ bytes: [UInt8], today: CalendarDate) throws(AbsenceFileErrors) -> [AbsenceRegistration] {
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        var reader = CSVReader(bytes, from: hasBOM ? 3 : 0)
        guard let header = reader.next() else {
            throw AbsenceFileErrors([AbsenceFileError(line: 1, problem: .noHeader)])
        }
        let positions = try columnPositions(header)
        var validator = RowValidator(positions: positions, today: today)
        while let record = reader.next() {
            validator.validate(record)
        }
        guard validator.errors.isEmpty else { throw AbsenceFileErrors(validator.errors) }
        return validator.registrations
    }

    /// Where each contract column is in the file: `positions[i]` is the field index of
    /// `columns[i]`.
    static func columnPositions(_ header: CSVReader.Record) throws(AbsenceFileErrors) -> [Int] {
        if let problem = header.problem {
            throw AbsenceFileErrors([AbsenceFileError(line: header.line, problem: .csv(problem.fileProblem))])
        }
        var positions = [Int?](repeating: nil, count: columns.count)
        var errors: [AbsenceFileError] = []
        for (index, name) in header.fields.enumerated() {
            if let column = columns.firstIndex(of: name) {
                if positions[column] == nil {
                    positions[column] = index
                } else {
                    errors.append(AbsenceFileError(line: header.line, column: name, problem: .duplicateColumn))
                }
            } else {
                // Echo the header's text only when it is a known name written differently:
                // a file without a header would otherwise repeat a pupil key or a name.
                let folded = name.lowercased().filter { !$0.isWhitespace }
                let suggestion = columns.first { $0 == folded }
                errors.append(AbsenceFileError(line: header.line, problem: .unknownColumn(position: index + 1, suggestion: suggestion)))
            }
        }
        for (column, position) in positions.enumerated() where position == nil {
            errors.append(AbsenceFileError(line: header.line, column: columns[column], problem: .missingColumn))
        }
        guard errors.isEmpty else { throw AbsenceFileErrors(errors) }
        return positions.map { $0! }
    }
}

extension CSVReader.Problem {
    var fileProblem: AbsenceFileError.CSVProblem {
        switch self {
        case .quoteInUnquotedField: .quoteInUnquotedField
        case .textAfterClosingQuote: .textAfterClosingQuote
        case .unclosedQuote: .unclosedQuote
        case .bareCarriageReturn: .bareCarriageReturn
        case .notUTF8: .notUTF8
        }
    }
}
