import SluisBenchReport
import Testing

/// How `sluis-bench all` reads its parts' tables (issue 14 item 1).
@Suite struct PartOutputTests {
    /// The crypto part prints an in-process table and an end-to-end table whose rows begin with
    /// the same labels; the plot's ratios are in the wide one (the first run of `all` plotted none).
    @Test func issue14_row_skipsNarrowerRowsWithTheSameLabel() {
        let output = """
            | measure | median | throughput |
            | seal 100 KiB, 10 recipients | 1.3 ms | — |
            | measure | sluis bundle | sluis-bundle | openssl cms | sluis bundle / openssl | sluis-bundle / openssl |
            | seal 100 KiB, 10 recipients | 22.0 ms | 11.5 ms | 9.1 ms | 2.42 | 1.26 |
            """
        #expect(row(output, "seal 100 KiB")?.count == 3)
        let wide = row(output, "seal 100 KiB", columns: 6)
        #expect(wide?[5] == "1.26")
        #expect(row(output, "seal 100 KiB", columns: 7) == nil)
        #expect(row(output, "open 16 MiB") == nil)
    }

    @Test func issue14_number_readsTheFirstFigureWithThousandsSeparators() {
        #expect(number("23,013 (782 commits)") == 23013)
        #expect(number("10.6 ms") == 10.6)
        #expect(number("305.7×") == 305.7)
        #expect(number("—") == nil)
        #expect(number(nil) == nil)
    }
}
