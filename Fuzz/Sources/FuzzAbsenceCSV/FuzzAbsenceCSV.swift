import FuzzDriver
import SluisCovenant

/// The day the registrations are judged against (a fixed day, so that a finding reproduces).
let today = CalendarDate(year: 2026, month: 11, day: 30)!

/// Each input as a school's absence file (contract absence.md; RFC 4180): all or nothing —
/// either registrations, none after today, or a non-empty list of errors with line numbers
/// inside the file, in line order. Anything else is a finding.
func testOneAbsenceFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    do {
        let registrations = try AbsenceFile.parse(bytes, today: today)
        guard registrations.allSatisfy({ $0.date <= today }) else { fatalError("fuzz: a registration after today was accepted") }
    } catch {
        // A line ends at LF or CR (a bare CR is itself an error, RFC 4180 §2.1).
        let lines = bytes.count { $0 == 0x0A || $0 == 0x0D } + 1
        let numbers = error.errors.map(\.line)
        guard !numbers.isEmpty else { fatalError("fuzz: refused without an error") }
        guard numbers.allSatisfy({ (1...lines).contains($0) }) else { fatalError("fuzz: an error names a line outside the file") }
        guard numbers == numbers.sorted() else { fatalError("fuzz: errors out of line order") }
        _ = error.description
    }
    return 0
}

@_cdecl("FuzzAbsenceCSV_main")
func fuzzAbsenceCSVMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, testOneAbsenceFile)
}
