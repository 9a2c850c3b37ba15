import Foundation
public import SluisCovenant
public import SluisRegister
import SluisStore

/// The anonymised statistics (convenant art. 9.3; docs/statistics.md): per completed quarter,
/// the cases that **closed** in it — by case type (rows) and by outcome and duration (columns) —
/// with row, column and grand totals, every value under 5 (zero included) hidden and every other
/// value shown only when each hidden one can still be 0 and more, even to a reader who re-runs
/// the method (`SuppressedTable`). Nothing about open
/// cases: a closure happens once per case, so the quarters count disjoint sets of cases and no
/// published equation ties one quarter to another, and a closed case never changes, so a
/// completed quarter never changes either. Counted from the tombstones and the closed cases not
/// destroyed yet, with the same fields; the current quarter is left out (`leftOut`) until it ends.
public struct CaseStatistics: Sendable, Equatable, Encodable {
    public static let threshold = 5
    /// A case registered without a case type, or with one the policy's table no longer has.
    public static let noCaseType = "onbekend"
    /// The outcome column of every closure reason the policy does not name: an erasure on request
    /// of an open case (`wissing-op-verzoek`), a reason the policy owners removed. Always a column.
    public static let otherReason = "overig"
    public static let method = "alleen zaken die in het kwartaal zijn afgesloten (geen stand van lopende zaken, zodat kwartalen niet via vergelijkingen "
        + "aan elkaar vastzitten); alle waarden 0–4 (cellen en totalen) verborgen; een andere waarde wordt alleen getoond als elke "
        + "verborgen waarde van 0–4 daarna even goed 0 als 1 of meer kan zijn, welke waarde de getoonde ook had kunnen hebben, "
        + "ook voor wie de methode kent en weet welke verborgen waarden onder 5 liggen (netwerkmethode; docs/statistics.md)"
    public static let leftOutReason = "het lopende kwartaal telt pas mee als het voorbij is: anders zouden twee publicaties kunnen verschillen "
        + "door de afsluiting van één leerling (art. 9.3; docs/statistics.md)"

    public var threshold: Int
    public var method: String
    public var quarters: [QuarterTable]
    /// The quarter not published yet and why: the current one, until it has ended.
    public var leftOut: LeftOut

    public struct LeftOut: Sendable, Equatable, Encodable {
        public var quarter: String, reason: String
    }

    public struct Column: Sendable, Equatable, Encodable {
        public var outcome: String, duration: String
    }

    /// One quarter: `counts[row][column]` with `null` where hidden.
    public struct QuarterTable: Sendable, Equatable, Encodable {
        public var quarter: String
        public var rows: [String]
        public var columns: [Column]
        public var counts: [[Int?]]
        public var rowTotals: [Int?]
        public var columnTotals: [Int?]
        public var total: Int?

        enum CodingKeys: String, CodingKey { case quarter, rows, columns, counts, rowTotals, columnTotals, total }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(quarter, forKey: .quarter)
            try container.encode(rows, forKey: .rows)
            try container.encode(columns, forKey: .columns)
            try container.encode(counts, forKey: .counts)
            try container.encode(rowTotals, forKey: .rowTotals)
            try container.encode(columnTotals, forKey: .columnTotals)
            try container.encode(total, forKey: .total)
        }

        init(quarter: Quarter, rows: [String], columns: [Column], table: SuppressedTable) {
            self.quarter = quarter.description
            self.rows = rows
            self.columns = columns
            counts = rows.indices.map { row in columns.indices.map { table.published(row, $0) } }
            rowTotals = rows.indices.map { table.published($0, columns.count) }
            columnTotals = columns.indices.map { table.published(rows.count, $0) }
            total = table.published(rows.count, columns.count)
        }
    }

    /// One line per value, totals as `totaal`, hidden values as `x` (RFC 4180, CRLF).
    public var csv: String {
        var lines = [["kwartaal", "casustype", "uitkomst", "duur", "aantal"]]
        func count(_ value: Int?) -> String { value.map(String.init) ?? "x" }
        for table in quarters {
            for (row, caseType) in table.rows.enumerated() {
                for (column, heading) in table.columns.enumerated() {
                    lines.append([table.quarter, caseType, heading.outcome, heading.duration, count(table.counts[row][column])])
                }
                lines.append([table.quarter, caseType, "totaal", "totaal", count(table.rowTotals[row])])
            }
            for (column, heading) in table.columns.enumerated() {
                lines.append([table.quarter, "totaal", heading.outcome, heading.duration, count(table.columnTotals[column])])
            }
            lines.append([table.quarter, "totaal", "totaal", "totaal", count(table.total)])
        }
        return lines.map { $0.map(CSV.field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}

/// One case as the statistics see it: nothing but these.
struct CountedCase {
    var caseType: String?
    var openedQuarter: Quarter
    /// Nil while open.
    var closed: (on: CalendarDate, reason: String, duration: String)?
}

extension Gateway {
    /// `GET /v1/statistics`: for the SWV and every FG (the authority table), as JSON or CSV.
    /// - Throws: 403 for other roles; 400 for a `format` other than `json` or `csv`.
    public func statistics(format: String?, by principal: Principal, trace: TraceContext) async throws -> (contentType: String, body: String) {
        try await authorize(.readStatistics, principal, subject: "statistics", trace: trace)
        let format = format ?? "json"
        guard ["json", "csv"].contains(format) else { throw GatewayError.invalid(field: "format", problem: "json or csv") }
        let statistics = try await statistics()
        try await access.audit("statistics", delegate: principal.delegateID, party: principal.party, outcome: "done",
                               detail: "read-statistics: \(statistics.quarters.count) quarters, \(format)", trace: trace)
        if format == "csv" { return ("text/csv; charset=utf-8", statistics.csv) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ("application/json", String(decoding: try encoder.encode(statistics), as: UTF8.self))
    }

    /// The statistics of every quarter that ended before `today` (default: today in
    /// Europe/Amsterdam), from the first quarter a case was opened in; `sluis statistics`.
    public func statistics(today: CalendarDate? = nil) async throws -> CaseStatistics {
        var cases: [CountedCase] = []
        for tombstone in try await store.tombstones() {
            guard let opened = Quarter(text: tombstone.openedQuarter), let closedOn = try? CalendarDate(text: tombstone.closedOn) else {
                throw GatewayError.unavailable(.storedDataDamaged, "a tombstone's quarter or day is damaged")
            }
            cases.append(CountedCase(caseType: tombstone.caseType, openedQuarter: opened,
                                     closed: (closedOn, tombstone.closureReason, tombstone.duration)))
        }
        // Open cases only mark where the quarters begin: nothing of them is counted.
        for record in try await store.closedCases() + store.openCases() {
            let opened = try Self.amsterdamDay(record.created, "created")
            var counted = CountedCase(caseType: record.caseType, openedQuarter: Quarter(containing: opened), closed: nil)
            if record.status == .closed, let reason = record.closureReason {
                let closedOn = try Self.amsterdamDay(record.closedAt, "closed_at")
                counted.closed = (closedOn, reason, CaseDuration(opened: opened, closed: closedOn).rawValue)
            }
            cases.append(counted)
        }
        return Self.statistics(of: cases, until: Quarter(containing: today ?? self.today), policy: policy)
    }

    /// Per quarter from the first opened to the one before `current`: the rows, the columns a
    /// case closed in it could have, and the counts of the cases closed in it (unsuppressed).
    static func closures(of cases: [CountedCase], until current: Quarter, policy: CovenantPolicy)
        -> [(quarter: Quarter, rows: [String], columns: [CaseStatistics.Column], counts: [[Int]])] {
        let closed = cases.compactMap { counted in counted.closed.map { (caseType: counted.caseType, closed: $0) } }
            .filter { $0.closed.on < current.firstDay }
        // The policy's reasons and always `overig`: a case erased on request while open, or a
        // reason the policy no longer has. A column that appeared with such a case would say it
        // exists, when it happened, and that its cells before were zeros everyone knows (art. 9.3;
        // a review's finding).
        let reasons = policy.retention.closureReasons.map(\.id)
        let allReasons = reasons + [CaseStatistics.otherReason]
        // Rows from the policy alone: a row that appeared with a case would say that case exists.
        let types = policy.table.rows.map(\.caseType)
        let rows = types + [CaseStatistics.noCaseType]
        guard var quarter = cases.map(\.openedQuarter).min() else { return [] }
        let firstDay = quarter.firstDay
        var tables: [(quarter: Quarter, rows: [String], columns: [CaseStatistics.Column], counts: [[Int]])] = []
        while quarter < current {
            // A duration no case closed in this quarter can have is a zero everyone knows: not a column.
            let longest = firstDay.wholeMonths(until: quarter.lastDay)
            let durations = CaseDuration.allCases.filter { $0.fewestMonths <= longest }
            let columns = allReasons.flatMap { reason in durations.map { CaseStatistics.Column(outcome: reason, duration: $0.rawValue) } }
            var counts = rows.map { _ in [Int](repeating: 0, count: columns.count) }
            for (caseType, closure) in closed where Quarter(containing: closure.on) == quarter {
                let row = rows.firstIndex(of: caseType ?? "") ?? rows.count - 1
                let reason = reasons.contains(closure.reason) ? closure.reason : CaseStatistics.otherReason
                guard let column = columns.firstIndex(of: .init(outcome: reason, duration: closure.duration)) else { continue }
                counts[row][column] += 1
            }
            tables.append((quarter, rows, columns, counts))
            quarter = quarter.next
        }
        return tables
    }

    /// The published statistics: `closures` with every table suppressed.
    static func statistics(of cases: [CountedCase], until current: Quarter, policy: CovenantPolicy) -> CaseStatistics {
        let tables = closures(of: cases, until: current, policy: policy).map { quarter, rows, columns, counts in
            CaseStatistics.QuarterTable(quarter: quarter, rows: rows, columns: columns,
                                        table: SuppressedTable(counts: counts, threshold: CaseStatistics.threshold))
        }
        return CaseStatistics(threshold: CaseStatistics.threshold, method: CaseStatistics.method, quarters: tables,
                              leftOut: .init(quarter: current.description, reason: CaseStatistics.leftOutReason))
    }
}
