import Foundation
import Testing
@testable import SluisCovenant
@testable import SluisGateway

/// Convenant art. 9.3 across quarters: what the statistics count, without a store
/// (`Gateway.statistics(of:until:policy:)`; docs/statistics.md).
@Suite("Statistics: what is counted (art. 9.3)")
struct StatisticsCountingTests {
    static let policy = Result { try PolicyLoader.load(directory: ServerFixture.packageRoot.appendingPathComponent("Policies").path) }

    static func day(_ text: String) throws -> CalendarDate { try CalendarDate(text: text) }

    /// A case of type `verzuim` opened on `opened`, closed on `closed` for `reason` (open when nil).
    static func counted(_ opened: String, _ closed: String?, _ reason: String) throws -> CountedCase {
        let openedOn = try day(opened)
        let closure = try closed.map { (on: try day($0), reason: reason, duration: CaseDuration(opened: openedOn, closed: try day($0)).rawValue) }
        return CountedCase(caseType: "verzuim", openedQuarter: Quarter(containing: openedOn), closed: closure)
    }

    /// The review's history: 8 cases opened 2026-01-10; 3 leave the region on 2026-05-15 (`close3`
    /// false: they stay open), 5 close on 2026-08-20 after a year of education.
    static func history(close3: Bool) throws -> [CountedCase] {
        try (0..<3).map { _ in try counted("2026-01-10", close3 ? "2026-05-15" : nil, "buiten-de-regio") }
            + (0..<5).map { _ in try counted("2026-01-10", "2026-08-20", "een-jaar-onafgebroken-onderwijs") }
    }

    static func published(_ cases: [CountedCase]) throws -> String {
        let statistics = Gateway.statistics(of: cases, until: Quarter(containing: try day("2026-11-30")), policy: try policy.get())
        return statistics.csv
    }

    @Test("Art. 9.3, found in review: three pupils leaving the region in Q2 could be worked out exactly from the open column of Q2 and Q3 — now the publication is the same whether they left or are still open, and no column counts open cases")
    func art9_3_aHiddenClosureCannotBeRecoveredAcrossQuarters() throws {
        let statistics = Gateway.statistics(of: try Self.history(close3: true), until: Quarter(containing: try Self.day("2026-11-30")), policy: try Self.policy.get())
        #expect(statistics.quarters.map(\.quarter) == ["2026-Q1", "2026-Q2", "2026-Q3"])
        let outcomes = Set(try Self.policy.get().retention.closureReasons.map(\.id) + [CaseStatistics.otherReason])
        for table in statistics.quarters { #expect(table.columns.allSatisfy { outcomes.contains($0.outcome) }, "\(table.quarter): a column that is no closure") }
        #expect(try Self.published(try Self.history(close3: true)) == Self.published(try Self.history(close3: false)))
    }

    @Test("Art. 9.3: each case is counted once, in the quarter it closed — the quarters count disjoint sets of cases, so no equation ties them; open cases and the current quarter count nowhere")
    func art9_3_everyClosedCaseIsCountedInExactlyOneQuarter() throws {
        var cases: [CountedCase] = []
        for number in 0..<60 {
            // Spread over 2025–2026 by fixed strides; every fourth still open.
            let opened = try Self.day("2025-01-01").adding(days: number * 37 % 600)
            let closed = number % 4 == 0 ? nil : opened.adding(days: number * 53 % 500).description
            cases.append(try Self.counted(opened.description, closed, "einde-leerplicht"))
        }
        let current = Quarter(containing: try Self.day("2026-08-01"))
        let tables = Gateway.closures(of: cases, until: current, policy: try Self.policy.get())
        let expected = cases.filter { ($0.closed?.on).map { $0 < current.firstDay } ?? false }.count
        #expect(tables.map { $0.counts.joined().reduce(0, +) }.reduce(0, +) == expected)
        #expect(tables.last?.quarter == Quarter(containing: current.firstDay.adding(days: -1)))
    }

    @Test("Art. 9.3: a duration no case closed in a quarter could have (the first case opened later) is no column — a zero everyone knows would be a complement that hides nothing")
    func art9_3_aDurationNoCaseCouldHaveIsNoColumn() throws {
        let statistics = Gateway.statistics(of: try Self.history(close3: true), until: Quarter(containing: try Self.day("2027-04-01")), policy: try Self.policy.get())
        let durations = statistics.quarters.map { ($0.quarter, Set($0.columns.map(\.duration))) }
        #expect(durations.first { $0.0 == "2026-Q1" }?.1 == ["0-3m"])
        #expect(durations.first { $0.0 == "2026-Q2" }?.1 == ["0-3m", "3-6m"])
        #expect(durations.first { $0.0 == "2026-Q4" }?.1 == ["0-3m", "3-6m", "6-12m"])
        #expect(durations.first { $0.0 == "2027-Q1" }?.1 == ["0-3m", "3-6m", "6-12m", "12m+"])
    }

    @Test("Art. 9.3, found in review: a reason the policy does not name (an open case erased on request, a reason since removed) is counted under `overig`, a column every quarter has — a column that appeared with such a case said it existed, dated it, and made its earlier cells zeros everyone knows")
    func art9_3_aClosureReasonOutsideThePolicyBringsNoColumnOfItsOwn() throws {
        let without = try Self.history(close3: true)
        let with = without + [try Self.counted("2026-01-10", "2026-05-16", "wissing-op-verzoek"), try Self.counted("2026-01-10", "2026-08-21", "een-reden-van-vroeger")]
        let current = Quarter(containing: try Self.day("2026-11-30")), policy = try Self.policy.get()
        let columns = { (cases: [CountedCase]) in Gateway.statistics(of: cases, until: current, policy: policy).quarters.map { $0.columns.map(\.outcome) } }
        #expect(columns(with) == columns(without), "the same columns with and without such a case")
        #expect(columns(with).allSatisfy { $0.contains(CaseStatistics.otherReason) && !$0.contains("wissing-op-verzoek") })
        let counted = Gateway.closures(of: with, until: current, policy: policy)
        let other = counted.map { table in table.columns.indices.filter { table.columns[$0].outcome == CaseStatistics.otherReason }
            .map { column in table.counts.map { $0[column] }.reduce(0, +) }.reduce(0, +) }
        #expect(other.reduce(0, +) == 2, "both counted under overig: \(other)")
    }
}
