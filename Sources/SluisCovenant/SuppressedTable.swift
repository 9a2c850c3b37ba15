/// A two-way table of counts published with its row totals, column totals and grand total, in
/// which no value under a threshold is shown (convenant art. 9.3: kept for policy or research
/// only when no longer traceable to individual persons; issue 11 item 6: "cells under 5
/// suppressed") and no hidden value under the threshold can be told, from what is shown, from 0
/// or from the threshold. docs/statistics.md gives the method and why it suffices:
///
/// 1. Primary suppression: every value from 0 to `threshold − 1` is hidden — a cell, a row or
///    column total, the grand total. Zero too: were zeros shown, a hidden value would say "at
///    least one" (a review's finding), so "hidden" must not tell nobody from somebody.
/// 2. Secondary (complementary) suppression with a protection interval: as long as some hidden
///    value under the threshold could be shown, from the published values, to lie above 0 or
///    below `threshold`, more values are hidden. With its totals the table is a network — one
///    node per row and per column and for the total row and column; one arc per value (a cell
///    from its row to its column, a row total from the total column to its row, a column total
///    from its column to the total row, the grand total from the total row to the total column)
///    — and "every row and column adds up" is flow conservation. Tables that publish the same
///    values differ by a circulation on the hidden arcs that keeps counts non-negative, so a
///    hidden value `v` on arc `tail → head` ranges exactly over
///    `v − f(tail → head) … v + f(head → tail)`, `f` the maximum flow over the other hidden arcs
///    (forward unbounded, backward at most the value). The network is totally unimodular, so
///    these bounds are the integer bounds an attacker with a linear-programming solver finds.
///    The protection asked: 0 and `threshold` both in range — a hidden 0 can reach the
///    threshold, a hidden 1–4 can reach 0 and the threshold. Where the flow falls short, the
///    cheapest augmenting path over the shown values (interior cells first, totals last) is
///    hidden; each such step raises the flow, so it ends.
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
        var hidden = values.map { $0.map { $0 < threshold } }
        if rows > 0 && columns > 0 {
            let network = SuppressionNetwork(rows: rows, columns: columns, values: values)
            while let (cell, direction) = network.unprotected(hidden, threshold: threshold) {
                let more = network.cheapestAugmentingPath(for: cell, direction, hidden: hidden, need: direction.need(network.value(cell), threshold))
                precondition(!more.isEmpty, "hiding every value protects every value")
                for other in more { hidden[other.row][other.column] = true }
            }
        }
        suppressed = hidden
    }

    /// The value shown at (row, column) of the extended table, nil when hidden.
    public func published(_ row: Int, _ column: Int) -> Int? {
        suppressed[row][column] ? nil : values[row][column]
    }

    /// What someone who sees only the published values can know of the value at (row, column):
    /// its least and greatest possible value (`nil`: no upper bound). A shown value's range is itself.
    public func feasibleRange(_ row: Int, _ column: Int) -> (low: Int, high: Int?) {
        let value = values[row][column]
        guard suppressed[row][column] else { return (value, value) }
        let network = SuppressionNetwork(rows: rows, columns: columns, values: values)
        let cell = SuppressionNetwork.Cell(row: row, column: column)
        let cap = values.joined().reduce(0, +) + 1 // more than any finite cut carries
        let down = network.maximumFlow(for: cell, .down, hidden: suppressed, limit: value)
        let up = network.maximumFlow(for: cell, .up, hidden: suppressed, limit: cap)
        return (value - down, up >= cap ? nil : value + up)
    }
}

/// The table as a network (see `SuppressedTable`): node `r` for row r (`rows` the total row),
/// node `rows + 1 + c` for column c (`rows + 1 + columns` the total column).
struct SuppressionNetwork {
    struct Cell: Hashable { let row: Int, column: Int }

    /// Which way a hidden value is pushed: `down` towards 0, `up` towards the threshold.
    enum Direction {
        case down, up
        func need(_ value: Int, _ threshold: Int) -> Int { self == .down ? value : threshold - value }
    }

    /// A directed arc of a value with what it may still carry; `twin` is its residual partner.
    struct Arc { let from: Int, to: Int, cell: Cell; var capacity: Int; let twin: Int }

    let rows: Int, columns: Int
    let values: [[Int]]

    var nodes: Int { rows + columns + 2 }
    func value(_ cell: Cell) -> Int { values[cell.row][cell.column] }
    var cells: [Cell] { (0...rows).flatMap { row in (0...columns).map { Cell(row: row, column: $0) } } }

    /// The arc of a value in its direction of flow: tail and head.
    func ends(_ cell: Cell) -> (tail: Int, head: Int) {
        let total = (row: rows, column: rows + 1 + columns)
        switch (cell.row == rows, cell.column == columns) {
        case (false, false): return (cell.row, rows + 1 + cell.column)
        case (false, true): return (total.column, cell.row)
        case (true, false): return (rows + 1 + cell.column, total.row)
        case (true, true): return (total.row, total.column)
        }
    }

    /// The first hidden value under `threshold` whose range misses 0 or `threshold` (a hidden 0
    /// needs only to reach the threshold).
    func unprotected(_ hidden: [[Bool]], threshold: Int) -> (Cell, Direction)? {
        for cell in cells where hidden[cell.row][cell.column] && value(cell) < threshold {
            for direction in [Direction.down, .up] {
                let need = direction.need(value(cell), threshold)
                if need > 0, maximumFlow(for: cell, direction, hidden: hidden, limit: need) < need { return (cell, direction) }
            }
        }
        return nil
    }

    /// The arcs a change of `cell` may travel, from `source` to `sink`: every other value in
    /// `included`, forward unbounded (`limit`), backward at most its value.
    func residualGraph(for cell: Cell, _ direction: Direction, including included: (Cell) -> Bool, limit: Int)
        -> (arcs: [Arc], source: Int, sink: Int) {
        var arcs: [Arc] = []
        func add(_ from: Int, _ to: Int, _ other: Cell, _ capacity: Int) {
            guard capacity > 0 else { return }
            arcs.append(Arc(from: from, to: to, cell: other, capacity: capacity, twin: arcs.count + 1))
            arcs.append(Arc(from: to, to: from, cell: other, capacity: 0, twin: arcs.count - 1))
        }
        for other in cells where other != cell && included(other) {
            let (tail, head) = ends(other)
            add(tail, head, other, limit)
            add(head, tail, other, min(value(other), limit))
        }
        let (tail, head) = ends(cell)
        // Down: `cell` loses flow, the rest carries it from its tail to its head; up: the reverse.
        return direction == .down ? (arcs, tail, head) : (arcs, head, tail)
    }

    /// The maximum flow (capped at `limit`) a change of `cell` in `direction` can find over the
    /// other hidden values: how far it can move.
    func maximumFlow(for cell: Cell, _ direction: Direction, hidden: [[Bool]], limit: Int) -> Int {
        var (arcs, source, sink) = residualGraph(for: cell, direction, including: { hidden[$0.row][$0.column] }, limit: limit)
        return Self.augment(&arcs, from: source, to: sink, limit: limit, nodes: nodes)
    }

    /// Edmonds–Karp (breadth-first augmenting paths), stopping at `limit`; `arcs` left residual.
    static func augment(_ arcs: inout [Arc], from source: Int, to sink: Int, limit: Int, nodes: Int) -> Int {
        var flow = 0
        while flow < limit {
            var via = [Int?](repeating: nil, count: nodes), queue = [source], seen = Set([source])
            while !queue.isEmpty && !seen.contains(sink) {
                let node = queue.removeFirst()
                for (index, arc) in arcs.enumerated() where arc.from == node && arc.capacity > 0 && !seen.contains(arc.to) {
                    seen.insert(arc.to)
                    via[arc.to] = index
                    queue.append(arc.to)
                }
            }
            guard seen.contains(sink) else { break }
            var path: [Int] = [], node = sink
            while node != source, let index = via[node] { path.append(index); node = arcs[index].from }
            let pushed = min(limit - flow, path.map { arcs[$0].capacity }.min() ?? 0)
            for index in path { arcs[index].capacity -= pushed; arcs[arcs[index].twin].capacity += pushed }
            flow += pushed
        }
        return flow
    }

    /// The shown values to hide so that `cell` can move further in `direction`: after the
    /// hidden values carry all they can, the cheapest path over what is left — hidden arcs free,
    /// shown ones costing their value, totals far more.
    func cheapestAugmentingPath(for cell: Cell, _ direction: Direction, hidden: [[Bool]], need: Int) -> [Cell] {
        var (arcs, source, sink) = residualGraph(for: cell, direction, including: { _ in true }, limit: need)
        // Saturate first with hidden arcs only: their residual is what remains for the path.
        let shownArcs = arcs.indices.filter { !hidden[arcs[$0].cell.row][arcs[$0].cell.column] }
        let withheld = shownArcs.map { arcs[$0].capacity }
        for index in shownArcs { arcs[index].capacity = 0 }
        _ = Self.augment(&arcs, from: source, to: sink, limit: need, nodes: nodes)
        for (position, index) in shownArcs.enumerated() { arcs[index].capacity = withheld[position] }
        let cost: (Cell) -> Int = { other in
            if hidden[other.row][other.column] { return 0 }
            let totals = (other.row == rows ? 1 : 0) + (other.column == columns ? 1 : 0)
            return 1 + value(other) + totals * 1_000_000
        }
        // Dijkstra over arcs with capacity left (a few hundred at most).
        var distance = [Int](repeating: .max, count: nodes), via = [Int?](repeating: nil, count: nodes)
        var done = [Bool](repeating: false, count: nodes)
        distance[source] = 0
        while let node = (0..<nodes).filter({ !done[$0] && distance[$0] < .max }).min(by: { distance[$0] < distance[$1] }) {
            if node == sink { break }
            done[node] = true
            for (index, arc) in arcs.enumerated() where arc.from == node && arc.capacity > 0 && !done[arc.to] {
                let next = distance[node] + cost(arc.cell)
                if next < distance[arc.to] { distance[arc.to] = next; via[arc.to] = index }
            }
        }
        var found: [Cell] = [], node = sink
        while node != source, let index = via[node] {
            found.append(arcs[index].cell)
            node = arcs[index].from
        }
        return found.filter { !hidden[$0.row][$0.column] }
    }
}
