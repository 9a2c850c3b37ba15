/// A two-way table of counts published with its row totals, column totals and grand total, in
/// which no value under a threshold is shown (convenant art. 9.3: kept for policy or research
/// only when no longer traceable to individual persons) and no hidden value can be worked out
/// from what is shown. docs/statistics.md gives the method and why it suffices:
///
/// 1. Primary suppression: every value from 1 to `threshold − 1` is hidden — a cell, a row or
///    column total, the grand total. Zero is shown (it says nobody, about nobody).
/// 2. Secondary (complementary) suppression: as long as some hidden value is *determined* by the
///    shown ones, more values are hidden. The shown values of such a table fix every hidden one
///    up to a circulation: a table with one node per row and per column, one arc per value
///    (a cell from its row to its column, a row total from the total column to its row, a column
///    total from its column to the total row, the grand total from the total row to the total
///    column), is a network in which each row and column sum is flow conservation. Two tables
///    with the same shown values differ by a circulation on the hidden arcs, and every
///    circulation that keeps counts non-negative is a sum of such cycles (conformal
///    decomposition). So a hidden value is undetermined exactly when a cycle of hidden values
///    runs through it along which it can go up by one (arcs forward) or down by one (arcs
///    backward only where the value is at least 1). A determined value gets the cheapest such
///    cycle hidden with it: shortest path, small interior cells first, totals last.
///
/// Hiding more only adds arcs, so a value once undetermined stays so; the loop ends.
public struct SuppressedTable: Sendable, Equatable {
    /// Interior rows and columns (without the totals).
    public let rows: Int, columns: Int
    /// The extended table, `(rows + 1) × (columns + 1)`: the last column holds the row totals,
    /// the last row the column totals, its last cell the grand total.
    public let values: [[Int]]
    /// Per value of `values`: hidden.
    public let suppressed: [[Bool]]
    public let threshold: Int

    /// Suppresses `counts` (`rows × columns`, every count ≥ 0; rows of equal length).
    public init(counts: [[Int]], threshold: Int = 5) {
        let rows = counts.count, columns = counts.first?.count ?? 0
        precondition(counts.allSatisfy { $0.count == columns } && counts.joined().allSatisfy { $0 >= 0 }, "a table of non-negative counts")
        var values = counts.map { $0 + [$0.reduce(0, +)] }
        values.append((0...columns).map { column in values.reduce(0) { $0 + $1[column] } })
        self.rows = rows
        self.columns = columns
        self.values = values
        self.threshold = threshold
        var hidden = values.map { $0.map { (1..<threshold).contains($0) } }
        if rows > 0 && columns > 0 {
            let network = Network(rows: rows, columns: columns, values: values)
            while let open = network.determined(hidden) {
                for cell in network.cheapestCycle(through: open, hidden: hidden) { hidden[cell.row][cell.column] = true }
            }
        }
        suppressed = hidden
    }

    /// The value shown at (row, column) of the extended table, nil when hidden.
    public func published(_ row: Int, _ column: Int) -> Int? {
        suppressed[row][column] ? nil : values[row][column]
    }

    /// Whether some hidden value is determined by the shown ones (false after `init`).
    public var hasDeterminedValue: Bool {
        rows > 0 && columns > 0 && Network(rows: rows, columns: columns, values: values).determined(suppressed) != nil
    }
}

/// The table as a network (see `SuppressedTable`): node `r` for row r (`rows` the total row),
/// node `rows + 1 + c` for column c (`rows + 1 + columns` the total column).
private struct Network {
    struct Cell: Hashable { let row: Int, column: Int }
    struct Arc { let from: Int, to: Int, cell: Cell }

    let rows: Int, columns: Int
    let values: [[Int]]

    var nodes: Int { rows + columns + 2 }
    func rowNode(_ row: Int) -> Int { row }
    func columnNode(_ column: Int) -> Int { rows + 1 + column }

    /// The arc of a value in its direction of flow: tail and head.
    func ends(_ cell: Cell) -> (tail: Int, head: Int) {
        switch (cell.row == rows, cell.column == columns) {
        case (false, false): (rowNode(cell.row), columnNode(cell.column))
        case (false, true): (columnNode(columns), rowNode(cell.row))
        case (true, false): (columnNode(cell.column), rowNode(rows))
        case (true, true): (rowNode(rows), columnNode(columns))
        }
    }

    var cells: [Cell] { (0...rows).flatMap { row in (0...columns).map { Cell(row: row, column: $0) } } }

    /// The arcs a change by one may use: forward always, backward where the value is at least 1.
    func residual(_ cell: Cell) -> [Arc] {
        let (tail, head) = ends(cell)
        return [Arc(from: tail, to: head, cell: cell)] + (values[cell.row][cell.column] >= 1 ? [Arc(from: head, to: tail, cell: cell)] : [])
    }

    /// The first hidden value that no cycle of hidden values can move, or nil.
    func determined(_ hidden: [[Bool]]) -> Cell? {
        let arcs = cells.filter { hidden[$0.row][$0.column] }.flatMap(residual)
        return cells.first { cell in
            guard hidden[cell.row][cell.column] else { return false }
            let usable = arcs.filter { $0.cell != cell }
            let (tail, head) = ends(cell)
            let up = path(from: head, to: tail, arcs: usable, cost: { _ in 0 }) != nil
            let down = values[cell.row][cell.column] >= 1 && path(from: tail, to: head, arcs: usable, cost: { _ in 0 }) != nil
            return !up && !down
        }
    }

    /// The shown values to hide so that `cell` can go up by one: the cheapest path back from
    /// its head to its tail, hidden values free, shown ones costing their value (totals more).
    func cheapestCycle(through cell: Cell, hidden: [[Bool]]) -> [Cell] {
        let arcs = cells.filter { $0 != cell }.flatMap(residual)
        let (tail, head) = ends(cell)
        let cost: (Cell) -> Int = { other in
            if hidden[other.row][other.column] { return 0 }
            let total = (other.row == rows ? 1 : 0) + (other.column == columns ? 1 : 0)
            return 1 + values[other.row][other.column] + total * 1_000_000
        }
        // Always there: up the cell's column total, the grand total and its row total.
        let found = path(from: head, to: tail, arcs: arcs, cost: cost) ?? []
        return found.filter { !hidden[$0.row][$0.column] }
    }

    /// Dijkstra over `arcs` (a few hundred at most): the cells of a cheapest path, or nil.
    func path(from start: Int, to goal: Int, arcs: [Arc], cost: (Cell) -> Int) -> [Cell]? {
        var distance = [Int](repeating: .max, count: nodes)
        var via = [Arc?](repeating: nil, count: nodes)
        var done = [Bool](repeating: false, count: nodes)
        distance[start] = 0
        while let node = (0..<nodes).filter({ !done[$0] && distance[$0] < .max }).min(by: { distance[$0] < distance[$1] }) {
            if node == goal { break }
            done[node] = true
            for arc in arcs where arc.from == node && !done[arc.to] {
                let next = distance[node] + cost(arc.cell)
                if next < distance[arc.to] {
                    distance[arc.to] = next
                    via[arc.to] = arc
                }
            }
        }
        guard distance[goal] < .max else { return nil }
        var cells: [Cell] = [], node = goal
        while node != start, let arc = via[node] {
            cells.append(arc.cell)
            node = arc.from
        }
        return cells
    }
}
