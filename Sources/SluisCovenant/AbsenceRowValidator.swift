/// Checks the data rows of an absence file one by one (`../shared/contract/absence.md`, the
/// table under "Input") and keeps either the registration or every problem of the row.
struct RowValidator {
    /// `positions[i]`: the field index of `AbsenceFile.columns[i]`.
    let positions: [Int]
    let today: CalendarDate
    private(set) var registrations: [AbsenceRegistration] = []
    private(set) var errors: [AbsenceFileError] = []
    /// Each pupil's unit and the line that set it: one pupil uses one unit.
    private var units: [PupilKey: (unit: AbsenceUnit, line: Int)] = [:]

    init(positions: [Int], today: CalendarDate) {
        self.positions = positions
        self.today = today
    }

    mutating func validate(_ record: CSVReader.Record) {
        let line = record.line
        if let problem = record.problem {
            var column: String?
            if case .notUTF8(let field) = problem, let index = positions.firstIndex(of: field) {
                column = AbsenceFile.columns[index]
            }
            errors.append(AbsenceFileError(line: line, column: column, problem: .csv(problem.fileProblem)))
            return
        }
        guard record.fields.count == positions.count else {
            errors.append(AbsenceFileError(line: line, problem: .fieldCount(found: record.fields.count, expected: positions.count)))
            return
        }
        let values = positions.map { record.fields[$0] }
        var rowErrors: [AbsenceFileError] = []
        func fail(_ column: String, _ problem: AbsenceFileError.Problem) {
            rowErrors.append(AbsenceFileError(line: line, column: column, problem: problem))
        }

        var pupil: String? = values[0]
        if let problem = Self.pupilKeyProblem(values[0]) {
            fail("pupil", problem)
            pupil = nil
        }
        let date = checkDate(values[1], fail)
        let kind = checkKind(values[2], fail)
        let hours = checkHours(values[3], kind: kind, fail)
        var unit = checkUnit(values[4], hoursGiven: !values[3].isEmpty, fail)
        if let pupil, let given = unit {
            if let first = units[PupilKey(pupil)] {
                if first.unit != given {
                    fail("unit", .otherUnit(values[4], pupilUnit: first.unit, line: first.line))
                    unit = nil
                }
            } else {
                units[PupilKey(pupil)] = (given, line)
            }
        }
        guard rowErrors.isEmpty, let pupil, let date, let kind else {
            errors.append(contentsOf: rowErrors)
            return
        }
        registrations.append(AbsenceRegistration(pupil: pupil, date: date, kind: kind, hours: hours, unit: unit))
    }

    /// A pupil key: 1–64 Unicode characters (code points, as PostgreSQL's `varchar(64)` counts
    /// them), no white space (a key with a space is likely a name: interpretation,
    /// docs/casework.md), no control or invisible format characters.
    static func pupilKeyProblem(_ value: String) -> AbsenceFileError.Problem? {
        guard !value.isEmpty else { return .empty }
        var count = 0
        for scalar in value.unicodeScalars {
            count += 1
            if scalar.properties.isWhitespace { return .notAPupilKey(.whitespace) }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .surrogate, .privateUse:
                return .notAPupilKey(.invisible)
            default: break
            }
        }
        if count > AbsenceFile.maximumPupilKeyLength { return .notAPupilKey(.tooLong) }
        // "pseudonymous within the school" (contract absence.md): not a BSN (Wabb; interpretation,
        // docs/casework.md). A school number of nine digits fails the eleven-test ten times in eleven.
        if (try? PupilIdentityValidation.checkBSN(value)) != nil { return .notAPupilKey(.bsnShaped) }
        return nil
    }

    private func checkDate(_ value: String, _ fail: (String, AbsenceFileError.Problem) -> Void) -> CalendarDate? {
        guard !value.isEmpty else { fail("date", .empty); return nil }
        let date: CalendarDate
        do {
            date = try CalendarDate(text: value)
        } catch .notADate {
            fail("date", .notADate(value)); return nil
        } catch {
            fail("date", .notACalendarDate(value)); return nil
        }
        guard date <= today else { fail("date", .afterToday(value, today: today)); return nil }
        return date
    }

    private func checkKind(_ value: String, _ fail: (String, AbsenceFileError.Problem) -> Void) -> AbsenceKind? {
        guard !value.isEmpty else { fail("kind", .empty); return nil }
        guard let kind = AbsenceKind(rawValue: value) else { fail("kind", .notAKind(value)); return nil }
        return kind
    }

    /// Hours by kind: required for ongeoorloofd, luxe, geoorloofd; optional for ziek; empty for
    /// te-laat. A decimal with a dot, more than 0 and at most 12. With an unknown kind only the
    /// number itself is checked.
    private func checkHours(_ value: String, kind: AbsenceKind?, _ fail: (String, AbsenceFileError.Problem) -> Void) -> AbsenceHours? {
        guard !value.isEmpty else {
            if let kind, kind.hoursRule == .required { fail("hours", .emptyButRequired(because: "for \(kind.rawValue)")) }
            return nil
        }
        if let kind, kind.hoursRule == .never { fail("hours", .hoursNotTaken(value, kind: kind)); return nil }
        let hours: AbsenceHours
        do {
            hours = try AbsenceHours(text: value)
        } catch .commaForDot {
            fail("hours", .notANumber(value, commaForDot: true)); return nil
        } catch .notANumber {
            fail("hours", .notANumber(value, commaForDot: false)); return nil
        } catch {
            fail("hours", .tooManyDecimals(value)); return nil
        }
        guard hours.millionths > 0, hours <= AbsenceFile.maximumHours else { fail("hours", .hoursOutOfRange(value)); return nil }
        return hours
    }

    /// The unit: required whenever hours are given, `klokuur` or `lesuur`. Given without hours
    /// (a te-laat row, say) it must still be a unit and the pupil's one (interpretation,
    /// docs/casework.md).
    private func checkUnit(_ value: String, hoursGiven: Bool, _ fail: (String, AbsenceFileError.Problem) -> Void) -> AbsenceUnit? {
        guard !value.isEmpty else {
            if hoursGiven { fail("unit", .emptyButRequired(because: "when hours are given")) }
            return nil
        }
        guard let unit = AbsenceUnit(rawValue: value) else { fail("unit", .notAUnit(value)); return nil }
        return unit
    }
}
