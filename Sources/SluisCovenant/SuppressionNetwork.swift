/// A suppressed table as a network (see `SuppressedTable`), with the suppression method and the
/// range computations it rests on (convenant art. 9.3; docs/statistics.md).
///
/// Values are flattened: index `row × (columns + 1) + column` of the extended table. Node `r`
/// is row r (`rows` the total row), node `rows + 1 + c` column c (`rows + 1 + columns` the total
/// column). A table within bounds is a point: one value per arc, conservation at every node.
struct SuppressionNetwork {
    let rows: Int, columns: Int
    let values: [Int]
    let threshold: Int
    /// More than any cut of finite arcs can carry (counts of pupils in a quarter): a flow this
    /// large found a path without bound.
    let unbounded = 1 << 40

    init(rows: Int, columns: Int, values: [[Int]], threshold: Int) {
        self.rows = rows
        self.columns = columns
        self.values = Array(values.joined())
        self.threshold = threshold
    }

    var nodes: Int { rows + columns + 2 }
    func index(_ row: Int, _ column: Int) -> Int { row * (columns + 1) + column }
    var isSmall: [Bool] { values.map { $0 < threshold } }

    /// The arc of a value in its direction of flow: tail and head.
    func ends(_ cell: Int) -> (tail: Int, head: Int) {
        let (row, column) = (cell / (columns + 1), cell % (columns + 1))
        let total = (row: rows, column: rows + 1 + columns)
        switch (row == rows, column == columns) {
        case (false, false): return (row, rows + 1 + column)
        case (false, true): return (total.column, row)
        case (true, false): return (rows + 1 + column, total.row)
        case (true, true): return (total.row, total.column)
        }
    }

    /// Per value its least and greatest value (`unbounded`: none).
    struct Bounds { var lower: [Int], upper: [Int] }

    func bounds(_ of: (Int) -> (lower: Int, upper: Int?)) -> Bounds {
        var result = Bounds(lower: [], upper: [])
        for cell in values.indices {
            let (lower, upper) = of(cell)
            result.lower.append(lower)
            result.upper.append(upper ?? unbounded)
        }
        return result
    }

    /// What a reader who knows which values are small knows: a shown value is itself, a hidden
    /// small value lies in 0 … threshold − 1, any other hidden value is threshold or more.
    func bounds(shown: [Bool]) -> Bounds {
        let small = isSmall
        return bounds { cell in
            if shown[cell] { return (values[cell], values[cell]) }
            return small[cell] ? (0, threshold - 1) : (threshold, nil)
        }
    }

    // MARK: The method

    /// Per value: hidden (docs/statistics.md). Small values stay hidden; every other value
    /// starts hidden and is taken in an order fixed by position alone — the grand total, the
    /// row totals, the column totals, then the cells — and shown when, to a reader who knows
    /// which values are small, every hidden small value can still be 0 and can still be 1 or
    /// more whatever value it could have (`showingKeepsSmallValuesFree`). So the decisions
    /// depend on which values are small and on the shown values, never on a hidden value, and
    /// every table with the same small values and the same shown values is published the same
    /// way: among those the witnesses that each hidden small value may be 0 and may be more.
    /// Nothing is shown when the small values alone already pin one (two small cells under a
    /// total of 5 or more): a table of zeros, and one with a single 1, are published so too.
    func suppression() -> [Bool] {
        let small = isSmall
        var shown = [Bool](repeating: false, count: values.count), lastStop: Int?
        guard smallValuesFree(within: bounds(shown: shown), lastStop: &lastStop) else { return shown.map { !$0 } }
        let order = [index(rows, columns)] + (0..<rows).map { index($0, columns) } + (0..<columns).map { index(rows, $0) }
            + (0..<rows).flatMap { row in (0..<columns).map { index(row, $0) } }
        for cell in order where !small[cell] {
            if showingKeepsSmallValuesFree(cell, shown: shown, lastStop: &lastStop) { shown[cell] = true }
        }
        return shown.map { !$0 }
    }

    /// Within `bounds`, of which `point` is a table: every small value can be 0 and can be 1 or
    /// more. `lastStop`, the small value that failed last, is asked first — it usually fails
    /// again, and the order of the questions does not change the answer.
    func smallValuesFree(within bounds: Bounds, at point: [Int]? = nil, lastStop: inout Int?) -> Bool {
        let point = point ?? values
        let smalls = values.indices.filter { values[$0] < threshold }
        let asked = lastStop.map { stop in [stop] + smalls.filter { $0 != stop } } ?? smalls
        for small in asked {
            // Already 0 here: can it be 1 or more? Already 1 or more: can it be 0?
            let delta = point[small] == 0 ? 1 : -point[small]
            guard shifted(small, by: delta, from: point, within: bounds) != nil else { lastStop = small; return false }
        }
        return true
    }

    /// Whether showing `cell` leaves every hidden small value free whatever value `cell` has
    /// among those it could have. For each small value, the values of `cell` at which it can be
    /// 0 (or 1 or more) are an interval — a projection of a network polytope — so it suffices to
    /// ask at the least and the greatest value `cell` can have. When `cell` has no greatest
    /// value, nothing more is asked there: a rise without bound runs over values without an
    /// upper bound, and a small value has one, so every small value keeps both its ways up there.
    func showingKeepsSmallValuesFree(_ cell: Int, shown: [Bool], lastStop: inout Int?) -> Bool {
        let within = bounds(shown: shown)
        let whole = extent(of: cell, at: values, within: within)
        var ends = [shifted(cell, by: -whole.down, from: values, within: within)]
        if let up = whole.up { ends.append(shifted(cell, by: up, from: values, within: within)) }
        for end in ends {
            guard let end else { return false }
            var fixed = within
            fixed.lower[cell] = end[cell]
            fixed.upper[cell] = end[cell]
            guard smallValuesFree(within: fixed, at: end, lastStop: &lastStop) else { return false }
        }
        return true
    }

    // MARK: Ranges by maximum flow

    /// How far `cell` can fall and rise from `point` (a table within `bounds`), the other values
    /// following within `bounds`; `up` nil: without bound.
    func extent(of cell: Int, at point: [Int], within bounds: Bounds) -> (down: Int, up: Int?) {
        let down = flow(moving: cell, by: -(point[cell] - bounds.lower[cell]), from: point, within: bounds).amount
        let room = bounds.upper[cell] >= unbounded ? unbounded : bounds.upper[cell] - point[cell]
        let up = flow(moving: cell, by: room, from: point, within: bounds).amount
        return (down, up >= unbounded ? nil : up)
    }

    /// `point` with `cell` moved by `delta`, the others following within `bounds`; nil when they cannot.
    func shifted(_ cell: Int, by delta: Int, from point: [Int], within bounds: Bounds) -> [Int]? {
        let (amount, moved) = flow(moving: cell, by: delta, from: point, within: bounds)
        return amount == abs(delta) ? moved : nil
    }

    /// A change of `cell` by up to `delta` is a flow over the other values: a fall of `cell` is
    /// carried from its tail to its head, a rise the other way. Each other value may rise to its
    /// upper bound (forward) and fall to its lower bound (backward). Returns how much moved and
    /// the table after.
    func flow(moving cell: Int, by delta: Int, from point: [Int], within bounds: Bounds) -> (amount: Int, point: [Int]) {
        let limit = abs(delta)
        guard limit > 0 else { return (0, point) }
        var graph = ResidualGraph(nodes: nodes)
        var arcs: [(value: Int, arc: Int, sign: Int)] = []
        for other in values.indices where other != cell && bounds.lower[other] < bounds.upper[other] {
            let (tail, head) = ends(other)
            let rise = bounds.upper[other] >= unbounded ? limit : min(limit, bounds.upper[other] - point[other])
            let fall = min(limit, point[other] - bounds.lower[other])
            if let arc = graph.add(tail, head, rise) { arcs.append((other, arc, 1)) }
            if let arc = graph.add(head, tail, fall) { arcs.append((other, arc, -1)) }
        }
        let (tail, head) = ends(cell)
        let amount = delta < 0 ? graph.maximumFlow(from: tail, to: head, limit: limit) : graph.maximumFlow(from: head, to: tail, limit: limit)
        var moved = point
        moved[cell] += delta < 0 ? -amount : amount
        for (other, arc, sign) in arcs { moved[other] += sign * graph.carried(arc) }
        return (amount, moved)
    }
}

/// Arcs with capacities and their residual twins, for Edmonds–Karp (breadth-first augmenting paths).
struct ResidualGraph {
    struct Arc { let to: Int; var capacity: Int; let initial: Int }
    private(set) var arcs: [Arc] = []
    private var outgoing: [[Int]]

    init(nodes: Int) { outgoing = Array(repeating: [], count: nodes) }

    /// Adds an arc and its residual twin (index + 1); nil when `capacity` is 0.
    mutating func add(_ from: Int, _ to: Int, _ capacity: Int) -> Int? {
        guard capacity > 0 else { return nil }
        outgoing[from].append(arcs.count)
        arcs.append(Arc(to: to, capacity: capacity, initial: capacity))
        outgoing[to].append(arcs.count)
        arcs.append(Arc(to: from, capacity: 0, initial: 0))
        return arcs.count - 2
    }

    /// What an arc added with `add` carries now.
    func carried(_ arc: Int) -> Int { arcs[arc].initial - arcs[arc].capacity }

    /// The maximum flow from `source` to `sink`, stopping at `limit`; the arcs are left residual.
    mutating func maximumFlow(from source: Int, to sink: Int, limit: Int) -> Int {
        var flow = 0
        while flow < limit {
            var via = [Int](repeating: -1, count: outgoing.count), queue = [source], next = 0
            var seen = [Bool](repeating: false, count: outgoing.count)
            seen[source] = true
            while next < queue.count && !seen[sink] {
                let node = queue[next]
                next += 1
                for index in outgoing[node] where arcs[index].capacity > 0 && !seen[arcs[index].to] {
                    seen[arcs[index].to] = true
                    via[arcs[index].to] = index
                    queue.append(arcs[index].to)
                }
            }
            guard seen[sink] else { break }
            var pushed = limit - flow, node = sink
            while node != source { let index = via[node]; pushed = min(pushed, arcs[index].capacity); node = arcs[index ^ 1].to }
            node = sink
            while node != source {
                let index = via[node]
                arcs[index].capacity -= pushed
                arcs[index ^ 1].capacity += pushed
                node = arcs[index ^ 1].to
            }
            flow += pushed
        }
        return flow
    }
}
