import Testing
@testable import SluisCovenant

/// Parses a test file with today = 2026-11-30 (the file's text is given with `\n` lines).
func parseAbsence(_ text: String, today: String = "2026-11-30") throws(AbsenceFileErrors) -> [AbsenceRegistration] {
    try AbsenceFile.parse(Array(text.utf8), today: day(today))
}

/// The error lines a file is refused with (empty when it is accepted).
func absenceErrors(_ text: String, today: String = "2026-11-30") -> [String] {
    do {
        _ = try parseAbsence(text, today: today)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

let absenceHeader = "pupil,date,kind,hours,unit\n"

/// The absence file of `../shared/contract/absence.md`, "Input": CSV per RFC 4180, header
/// first, exact columns, every bad line reported, nothing returned when any is bad.
@Suite("Absence file (contract: absence registrations in)")
struct AbsenceFileTests {
    @Test("A file with a byte-order mark, CRLF lines, quoted fields and its columns in another order")
    func file_bomCrlfQuotedAnyColumnOrder_RFC4180() throws {
        let text = "\u{FEFF}kind,unit,pupil,hours,date\r\n"
            + "ongeoorloofd,klokuur,L-0042,1.5,2026-05-11\r\n"
            + "\"te-laat\",,\"L-0042\",,2026-05-12\r\n"
            + "ziek,,\"L,\"\"7\"\"\",,2026-05-12\r\n"
            + "ziek,lesuur,L-7,6,2026-05-13"  // the last line without a line break
        let registrations = try parseAbsence(text)
        #expect(registrations == [
            AbsenceRegistration(pupil: "L-0042", date: day("2026-05-11"), kind: .ongeoorloofd,
                                hours: AbsenceHours(millionths: 1_500_000), unit: .klokuur),
            AbsenceRegistration(pupil: "L-0042", date: day("2026-05-12"), kind: .teLaat),
            AbsenceRegistration(pupil: "L,\"7\"", date: day("2026-05-12"), kind: .ziek),
            AbsenceRegistration(pupil: "L-7", date: day("2026-05-13"), kind: .ziek, hours: AbsenceHours(whole: 6), unit: .lesuur),
        ])
    }

    @Test("A header only is an empty file of registrations; an empty file or a lone BOM has no header")
    func file_headerOnlyAndEmpty_contract() throws {
        #expect(try parseAbsence(absenceHeader).isEmpty)
        #expect(absenceErrors("") == ["line 1: no header row (the columns are pupil, date, kind, hours, unit)"])
        #expect(absenceErrors("\u{FEFF}") == ["line 1: no header row (the columns are pupil, date, kind, hours, unit)"])
    }

    @Test("Empty lines hold no record and are skipped, but are counted in line numbers")
    func file_emptyLinesSkippedButCounted_interpretation_RFC4180() {
        let text = absenceHeader + "\nL-1,2026-05-11,ziek,,\r\n\nL-1,2026-05-32,ziek,,\n\n"
        #expect(absenceErrors(text) == [#"line 5, column date: "2026-05-32" is not a day of the calendar"#])
    }

    @Test("Header: unknown, duplicate and missing columns, each named; a near miss is suggested, other text never repeated")
    func file_headerColumnsExact_contract() {
        #expect(absenceErrors("pupil,date,kind,hours,unit,reden\n") == [
            "line 1: header field 6 is not a column of this format (pupil, date, kind, hours, unit)",
        ])
        #expect(absenceErrors("Pupil,date,kind,hours,unit\n") == [
            "line 1: header field 1 is not a column of this format; names are exact: pupil?",
            "line 1, column pupil: missing from the header",
        ])
        #expect(absenceErrors("pupil,date,kind,hours,date\n") == [
            "line 1, column date: given twice in the header",
            "line 1, column unit: missing from the header",
        ])
        // A file without a header: its first row is not repeated back (it may hold a name).
        let errors = absenceErrors("Jan de Vries,2026-05-11,ziek,,\n")
        #expect(errors.first == "line 1: header field 1 is not a column of this format (pupil, date, kind, hours, unit)")
        #expect(!errors.joined().contains("Jan"))
    }

    @Test("RFC 4180: a quote inside an unquoted field, text after a closing quote, a bare CR, a wrong field count, not UTF-8")
    func file_rfc4180Violations_RFC4180() {
        let text = absenceHeader
            + "L-1,2026-05-11,zi\"ek,,\n"      // line 2
            + "\"L-1\"x,2026-05-11,ziek,,\n"   // line 3
            + "L-1,2026-05-11,ziek,,\rL-2\n"   // line 4
            + "L-1,2026-05-11,ziek,\n"         // line 5
            + "L-1,2026-05-11,ziek,,,\n"       // line 6
        var bytes = Array(text.utf8)
        bytes += Array("L-1,2026-05-11,zi".utf8) + [0xFF] + Array("ek,,\n".utf8)  // line 7
        let errors: [String]
        do {
            _ = try AbsenceFile.parse(bytes, today: day("2026-11-30"))
            errors = []
        } catch {
            errors = error.errors.map(\.description)
        }
        #expect(errors == [
            "line 2: a quote inside a field that does not start with one (RFC 4180 §2.5: quote the whole field, double the quote)",
            "line 3: text after a closing quote (RFC 4180 §2.7)",
            "line 4: a carriage return without a line feed (RFC 4180 §2.1)",
            "line 5: 4 fields, but the header has 5",
            "line 6: 6 fields, but the header has 5",
            "line 7, column kind: not UTF-8 text",
        ])
    }

    @Test("A quoted field spanning lines counts by its starting line; a quote never closed is reported where it opens")
    func file_multilineFieldCountsByStartingLine_RFC4180() {
        let text = absenceHeader
            + "L-1,2026-05-11,\"ziek\nte\",,\n"  // lines 2–3
            + "L-1,2026-05-11,luxe,,\n"          // line 4
            + "L-1,\"2026-05-11,ziek,,\n"        // line 5, never closed
            + "L-1,2026-05-11,ziek,,\n"
        #expect(absenceErrors(text) == [
            #"line 2, column kind: "ziek\nte" is not a kind (ongeoorloofd, te-laat, luxe, ziek, geoorloofd)"#,
            "line 4, column hours: empty, but required for luxe",
            "line 5: a quoted field is never closed (RFC 4180 §2.5)",
        ])
    }

    @Test("Pupil: 1–64 characters, no white space (a name?), no control or invisible characters; never repeated back")
    func file_pupilKeyRefusedWithoutEcho_contract() {
        let long = String(repeating: "x", count: 65)
        let text = absenceHeader
            + ",2026-05-11,ziek,,\n"
            + "Jan Jansen,2026-05-11,ziek,,\n"
            + "Jan\u{00A0}Jansen,2026-05-11,ziek,,\n"
            + "L-1\u{200B},2026-05-11,ziek,,\n"
            + "\"L-\t1\",2026-05-11,ziek,,\n"
            + "\(long),2026-05-11,ziek,,\n"
            + "\(String(repeating: "é", count: 64)),2026-05-11,ziek,,\n"  // 64 characters, 128 bytes: a key
        let errors = absenceErrors(text)
        #expect(errors == [
            "line 2, column pupil: empty (required)",
            "line 3, column pupil: is not a pupil key (it contains a space or other white space; a name? use the school's pseudonymous key)",
            "line 4, column pupil: is not a pupil key (it contains a space or other white space; a name? use the school's pseudonymous key)",
            "line 5, column pupil: is not a pupil key (it contains a control or invisible character)",
            "line 6, column pupil: is not a pupil key (it contains a space or other white space; a name? use the school's pseudonymous key)",
            "line 7, column pupil: is not a pupil key (more than 64 characters)",
        ])
        for secret in ["Jan", "Jansen", long] { #expect(!errors.joined().contains(secret)) }
    }

    @Test("Contract absence.md 'pseudonymous within the school', an attacker's finding: nine digits passing the BSN eleven-test are refused as a pupil key, never repeated back; a school number failing it passes (interpretation)")
    func file_bsnShapedPupilKeyRefused_interpretation_contract() {
        let errors = absenceErrors(absenceHeader + "123456782,2026-05-11,ziek,,\n" + "123456789,2026-05-11,ziek,,\n" + "L-123456782,2026-05-11,ziek,,\n")
        #expect(errors == ["line 2, column pupil: is not a pupil key (nine digits that pass the BSN eleven-test; a BSN is not pseudonymous: use the school's own pupil key)"])
        #expect(!errors.joined().contains("123456782"))
    }

    @Test("A pupil key with a space is refused: it is likely a name (interpretation)")
    func file_pupilKeyWithSpaceIsLikelyAName_interpretation_contract() {
        #expect(absenceErrors(absenceHeader + "L 0042,2026-05-11,ziek,,\n").count == 1)
        #expect(absenceErrors(absenceHeader + "L_0042,2026-05-11,ziek,,\n").isEmpty)
    }

    @Test("Date: YYYY-MM-DD, a day of the calendar, not after today")
    func file_dates_contract() {
        let text = absenceHeader
            + "L-1,,ziek,,\n"
            + "L-1,11-05-2026,ziek,,\n"
            + "L-1,2026-5-11,ziek,,\n"
            + "L-1,2025-02-29,ziek,,\n"
            + "L-1,2026-12-01,ziek,,\n"
            + "L-1,2026-11-30,ziek,,\n"
        #expect(absenceErrors(text) == [
            "line 2, column date: empty (required)",
            #"line 3, column date: "11-05-2026" is not a date (use YYYY-MM-DD)"#,
            #"line 4, column date: "2026-5-11" is not a date (use YYYY-MM-DD)"#,
            #"line 5, column date: "2025-02-29" is not a day of the calendar"#,
            #"line 6, column date: "2026-12-01" is after today (2026-11-30)"#,
        ])
    }

    @Test("Kind: one of the five, exactly")
    func file_kinds_4_1() {
        #expect(absenceErrors(absenceHeader + "L-1,2026-05-11,,,\nL-1,2026-05-11,Ziek,,\nL-1,2026-05-11,te laat,,\n") == [
            "line 2, column kind: empty (required)",
            #"line 3, column kind: "Ziek" is not a kind (ongeoorloofd, te-laat, luxe, ziek, geoorloofd)"#,
            #"line 4, column kind: "te laat" is not a kind (ongeoorloofd, te-laat, luxe, ziek, geoorloofd)"#,
        ])
    }

    @Test("Hours: required, optional or empty by kind; a decimal with a dot, more than 0 and at most 12")
    func file_hours_contract() {
        let text = absenceHeader
            + "L-1,2026-05-11,ongeoorloofd,,\n"          // 2
            + "L-1,2026-05-11,luxe,,\n"                  // 3
            + "L-1,2026-05-11,geoorloofd,,\n"            // 4
            + "L-1,2026-05-11,te-laat,1,klokuur\n"       // 5
            + "L-1,2026-05-11,ongeoorloofd,\"1,5\",klokuur\n"  // 6
            + "L-1,2026-05-11,ongeoorloofd,1.5.0,klokuur\n"    // 7
            + "L-1,2026-05-11,ongeoorloofd,-1,klokuur\n"       // 8
            + "L-1,2026-05-11,ongeoorloofd,0,klokuur\n"        // 9
            + "L-1,2026-05-11,ongeoorloofd,12.000001,klokuur\n"  // 10
            + "L-1,2026-05-11,ongeoorloofd,0.1234567,klokuur\n"  // 11
            + "L-1,2026-05-11,ongeoorloofd, 2,klokuur\n"        // 12
            + "L-1,2026-05-11,ongeoorloofd,1e1,klokuur\n"       // 13
            + "L-1,2026-05-11,ongeoorloofd,12,klokuur\n"        // 14: fine
            + "L-1,2026-05-11,ziek,,\n"                         // 15: fine
            + "L-1,2026-05-11,ziek,0.000001,klokuur\n"          // 16: fine
        #expect(absenceErrors(text) == [
            "line 2, column hours: empty, but required for ongeoorloofd",
            "line 3, column hours: empty, but required for luxe",
            "line 4, column hours: empty, but required for geoorloofd",
            #"line 5, column hours: "1" given, but te-laat takes no hours (leave it empty)"#,
            #"line 6, column hours: "1,5" is not a number (use a dot)"#,
            #"line 7, column hours: "1.5.0" is not a number"#,
            #"line 8, column hours: "-1" is not a number"#,
            #"line 9, column hours: "0" is out of range (more than 0, at most 12)"#,
            #"line 10, column hours: "12.000001" is out of range (more than 0, at most 12)"#,
            #"line 11, column hours: "0.1234567" has more than 6 decimals"#,
            #"line 12, column hours: " 2" is not a number"#,
            #"line 13, column hours: "1e1" is not a number"#,
        ])
    }

    @Test("Unit: required whenever hours are given; klokuur or lesuur; one pupil, one unit — the first line that deviates is the error")
    func file_units_4_1_2() {
        let text = absenceHeader
            + "L-1,2026-05-11,ongeoorloofd,2,\n"         // 2
            + "L-1,2026-05-11,ongeoorloofd,2,uur\n"      // 3
            + "L-1,2026-05-11,ongeoorloofd,2,klokuur\n"  // 4: sets L-1's unit
            + "L-2,2026-05-11,ongeoorloofd,2,lesuur\n"   // 5: another pupil, another unit
            + "L-1,2026-05-11,ongeoorloofd,2,lesuur\n"   // 6: deviates
            + "L-1,2026-05-11,te-laat,,lesuur\n"         // 7: a unit without hours must still be the pupil's
            + "L-1,2026-05-11,te-laat,,klokuur\n"        // 8: fine
        #expect(absenceErrors(text) == [
            "line 2, column unit: empty, but required when hours are given",
            #"line 3, column unit: "uur" is not a unit (klokuur, lesuur)"#,
            #"line 6, column unit: "lesuur", but this pupil's unit is klokuur (line 4); one pupil uses one unit"#,
            #"line 7, column unit: "lesuur", but this pupil's unit is klokuur (line 4); one pupil uses one unit"#,
        ])
    }

    @Test("Every problem of every line, in line order, the columns of one line in the contract's order; nothing returned")
    func file_allBadLinesReported_contract() {
        let text = "unit,hours,kind,date,pupil\n"
            + "uur,\"1,5\",ziekte,2026-02-30,L-1\n"
            + "klokuur,2,ongeoorloofd,2026-05-11,L-1\n"
            + "lesuur,2,ongeoorloofd,2027-01-01,L-2\n"
        #expect(absenceErrors(text) == [
            #"line 2, column date: "2026-02-30" is not a day of the calendar"#,
            #"line 2, column kind: "ziekte" is not a kind (ongeoorloofd, te-laat, luxe, ziek, geoorloofd)"#,
            #"line 2, column hours: "1,5" is not a number (use a dot)"#,
            #"line 2, column unit: "uur" is not a unit (klokuur, lesuur)"#,
            #"line 4, column date: "2027-01-01" is after today (2026-11-30)"#,
        ])
    }

    @Test("A value is quoted at most 40 characters long, with line breaks escaped so each error is one line")
    func file_echoedValuesShortAndOneLine_contract() {
        let long = String(repeating: "z", count: 50)
        #expect(absenceErrors(absenceHeader + "L-1,2026-05-11,\(long),,\n")
                == ["line 2, column kind: \"\(String(repeating: "z", count: 40))…\" is not a kind (ongeoorloofd, te-laat, luxe, ziek, geoorloofd)"])
        #expect(AbsenceFileError.quoted("a\"b\\c\r\n\u{7}") == #""a\"b\\c\r\n\u{7}""#)
    }

    @Test("Hours are read exactly: 1.5, 0.25, 012, 12")
    func file_hoursExact_contract() throws {
        #expect(try AbsenceHours(text: "1.5").millionths == 1_500_000)
        #expect(try AbsenceHours(text: "0.25").millionths == 250_000)
        #expect(try AbsenceHours(text: "012").millionths == 12_000_000)
        #expect(try AbsenceHours(text: "0.000001").millionths == 1)
        #expect(AbsenceHours(millionths: 1_500_000).description == "1.5")
        #expect(AbsenceHours(millionths: 250_000).description == "0.25")
        #expect(AbsenceHours(millionths: 16_000_000).description == "16")
        #expect(AbsenceHours(millionths: 1).description == "0.000001")
    }
}
