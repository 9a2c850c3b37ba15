/// A two-way table of counts published with its row totals, column totals and grand total, in
/// which no value under a threshold is shown (convenant art. 9.3: kept for policy or research
/// only when no longer traceable to individual persons; issue 11 item 6: "cells under 5
/// suppressed") and no hidden value under the threshold can be told from 0, nor a hidden 0 from
/// somebody — not even by a reader who knows the method, re-runs it on every candidate table
/// and so learns which hidden values are under the threshold. docs/statistics.md gives the
/// method and why it suffices:
///
/// 1. Primary suppression: every value from 0 to `threshold − 1` is hidden — a cell, a row or
///    column total, the grand total. Zero too: were zeros shown, a hidden value would say "at
///    least one" (a review's finding).
/// 2. Everything else starts hidden too and is revealed one value at a time, in an order fixed
///    by position alone (the grand total, the row totals, the column totals, then the cells),
///    when revealing it keeps every hidden small value free: given the values shown so far,
///    which values are small (0 … `threshold − 1`) and which are not (`threshold` or more), and
///    the revealed value at any value it could take, each hidden small value could still be 0
///    and could still be 1 or more. So the decisions depend on nothing a reader does not learn
///    anyway, and every table with the same small values and the same shown values is
///    published the same way: those tables are the witnesses. When the small values alone
///    already pin one down (two small cells under a total of 5 or more), nothing is revealed.
///
/// With its totals the table is a network — one node per row and per column and for the total
/// row and column; one arc per value (a cell from its row to its column, a row total from the
/// total column to its row, a column total from its column to the total row, the grand total
/// from the total row to the total column) — and "every row and column adds up" is flow
/// conservation. The network's matrix is totally unimodular, so the least and greatest value
/// of one arc over all tables within bounds are found by maximum flow and are exactly what an
/// attacker with an integer-programming solver finds (`SuppressionNetwork`).
public struct SuppressedTable: Sendable, Equatable {
    /// Interior rows and columns (without the totals).
    public let rows: Int, columns: Int
    /// The extended table, `(rows + 1) × (columns + 1)`: the last column holds the row totals,
    /// the last row the column totals, its last cell the grand total.
    public let values: [[Int]]
    /// Per value of `values`: hidden.
    public let suppressed: [[Bool]]
    public let threshold: Int

    /// Suppresses `counts` (`rows × columns`, every count ≥ 0; rows of equal length;
    /// `threshold` ≥ 2).
    public init(counts: [[Int]], threshold: Int = 5) {
        let rows = counts.count, columns = counts.first?.count ?? 0
        precondition(counts.allSatisfy { $0.count == columns } && counts.joined().allSatisfy { $0 >= 0 }, "a table of non-negative counts")
        precondition(threshold >= 2, "a threshold of at least 2: a hidden 0 must be able to be 1")
        var values = counts.map { $0 + [$0.reduce(0, +)] }
        values.append((0...columns).map { column in values.reduce(0) { $0 + $1[column] } })
        self.rows = rows
        self.columns = columns
        self.values = values
        self.threshold = threshold
        if rows > 0 && columns > 0 {
            let hidden = SuppressionNetwork(rows: rows, columns: columns, values: values, threshold: threshold).suppression()
            suppressed = (0...rows).map { row in Array(hidden[(row * (columns + 1))..<((row + 1) * (columns + 1))]) }
        } else {
            suppressed = values.map { $0.map { _ in true } }
        }
    }

    /// The value shown at (row, column) of the extended table, nil when hidden.
    public func published(_ row: Int, _ column: Int) -> Int? {
        suppressed[row][column] ? nil : values[row][column]
    }

    /// What someone who sees only the published values (and not the method) can know of the
    /// value at (row, column): its least and greatest possible value over every table of
    /// non-negative counts publishing the same values (`nil`: no upper bound). A shown value's
    /// range is itself.
    public func feasibleRange(_ row: Int, _ column: Int) -> (low: Int, high: Int?) {
        range(row, column) { network, shown in network.bounds { shown[$0] ? (network.values[$0], network.values[$0]) : (0, nil) } }
    }

    /// The same for a reader who also knows which hidden values are under the threshold (as a
    /// reader who re-runs the method may): a hidden small value lies in 0 … `threshold − 1`, any
    /// other hidden value is `threshold` or more.
    public func rangeKnowingWhichAreSmall(_ row: Int, _ column: Int) -> (low: Int, high: Int?) {
        range(row, column) { network, shown in network.bounds(shown: shown) }
    }

    /// The range of the value at (row, column) within the bounds `known` gives, by maximum flow.
    private func range(_ row: Int, _ column: Int, known: (SuppressionNetwork, [Bool]) -> SuppressionNetwork.Bounds) -> (low: Int, high: Int?) {
        guard suppressed[row][column] else { return (values[row][column], values[row][column]) }
        let network = SuppressionNetwork(rows: rows, columns: columns, values: values, threshold: threshold)
        let cell = network.index(row, column), shown = suppressed.joined().map { !$0 }
        let extent = network.extent(of: cell, at: network.values, within: known(network, shown))
        return (network.values[cell] - extent.down, extent.up.map { network.values[cell] + $0 })
    }
}
