import SluisCorpus
import Testing
@testable import SluisCovenant

/// Convenant art. 9.3: what is published for policy or research is no longer traceable to
/// individual persons — no value from 1 to 4 is shown, and no hidden value can be worked out
/// from the shown values and totals (docs/statistics.md). The attacker here is independent of
/// the method: it narrows every hidden value to an interval from each row and column equation
/// and non-negativity, again and again, and wins when an interval shrinks to one value.
@Suite("Statistics: cell suppression (art. 9.3)")
struct SuppressedTableTests {
    /// The values the attacker can pin down in an extended table with `hidden` values hidden.
    static func attack(_ values: [[Int]], hidden: [[Bool]]) -> [(row: Int, column: Int, value: Int)] {
        let rows = values.count - 1, columns = values[0].count - 1
        var low = values.map { $0.map { _ in 0 } }, high = values.map { $0.map { _ in 1_000_000 } }
        for r in 0...rows { for c in 0...columns where !hidden[r][c] { low[r][c] = values[r][c]; high[r][c] = values[r][c] } }
        // Each line: the interior cells of a row or column (+1) and its total (−1) sum to zero.
        var lines: [[(r: Int, c: Int, sign: Int)]] = []
        for r in 0...rows { lines.append((0..<columns).map { (r: r, c: $0, sign: 1) } + [(r: r, c: columns, sign: -1)]) }
        for c in 0...columns { lines.append((0..<rows).map { (r: $0, c: c, sign: 1) } + [(r: rows, c: c, sign: -1)]) }
        var changed = true
        while changed {
            changed = false
            for line in lines {
                for term in line where hidden[term.r][term.c] {
                    // sign·x = −Σ others: bound x by the others' bounds.
                    var restLow = 0, restHigh = 0
                    for other in line where !(other.r == term.r && other.c == term.c) {
                        let (a, b) = (other.sign * low[other.r][other.c], other.sign * high[other.r][other.c])
                        restLow += min(a, b)
                        restHigh += max(a, b)
                    }
                    let (lo, hi) = term.sign == 1 ? (-restHigh, -restLow) : (restLow, restHigh)
                    if lo > low[term.r][term.c] { low[term.r][term.c] = lo; changed = true }
                    if hi < high[term.r][term.c] { high[term.r][term.c] = hi; changed = true }
                }
            }
        }
        var found: [(row: Int, column: Int, value: Int)] = []
        for r in 0...rows { for c in 0...columns where hidden[r][c] && low[r][c] == high[r][c] { found.append((r, c, low[r][c])) } }
        return found
    }

    static func check(_ counts: [[Int]], _ label: String) {
        let table = SuppressedTable(counts: counts)
        for r in 0...table.rows {
            for c in 0...table.columns {
                if let shown = table.published(r, c) { #expect(shown == 0 || shown >= 5, "\(label): \(shown) shown at (\(r), \(c))") }
                if (1...4).contains(table.values[r][c]) { #expect(table.suppressed[r][c], "\(label): a value under 5 shown") }
            }
        }
        let derived = attack(table.values, hidden: table.suppressed)
        #expect(derived.isEmpty, "\(label): derived \(derived)")
        #expect(!table.hasDeterminedValue)
    }

    @Test("Art. 9.3: primary suppression alone is not enough — the attacker works the hidden 3 out of its row total; with complementary suppression it cannot")
    func art9_3_primarySuppressionAloneLeaksThroughTotals() {
        let table = SuppressedTable(counts: [[3, 10], [10, 12]])
        let primaryOnly = table.values.map { $0.map { (1...4).contains($0) } }
        #expect(Self.attack(table.values, hidden: primaryOnly).contains { $0 == (0, 0, 3) })
        #expect(table.suppressed.joined().filter { $0 }.count >= 4, "the 3 and at least three partners hidden")
        #expect(Self.attack(table.values, hidden: table.suppressed).isEmpty)
    }

    @Test("Art. 9.3: a hidden value next to zeros is not pinned down by non-negativity; small totals are hidden too")
    func art9_3_zerosAndSmallTotals() {
        Self.check([[2, 0, 0], [0, 0, 0], [0, 0, 7]], "a lone 2 among zeros")
        Self.check([[1]], "one pupil")
        Self.check([[0, 0], [0, 0]], "nobody")
        Self.check([[6, 5], [5, 1]], "a small corner")
        Self.check([[3, 3, 3], [9, 9, 9]], "a small row")
        // Two hidden pairs joined by one hidden value (a bridge): the bridge must not be derivable.
        Self.check([[4, 4, 0, 0], [4, 4, 1, 0], [0, 0, 4, 4], [0, 0, 4, 4]], "two blocks and a bridge")
        #expect(SuppressedTable(counts: [[0, 0], [0, 0]]).suppressed.joined().allSatisfy { !$0 }, "zeros are shown")
    }

    @Test("Art. 9.3, property: over 300 seeded tables (1–7 × 1–17, mostly small counts) no published value is 1–4 and no hidden value can be derived")
    func art9_3_noPublishedSmallCellAndNoDerivableCell() {
        var random = SplitMix64(seed: 20_270_311)
        for run in 0..<300 {
            let rows = Int.random(in: 1...7, using: &random), columns = Int.random(in: 1...17, using: &random)
            let counts = (0..<rows).map { _ in (0..<columns).map { _ -> Int in
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<5: 0
                case 5..<8: Int.random(in: 1...4, using: &random)
                default: Int.random(in: 5...30, using: &random)
                }
            } }
            Self.check(counts, "table \(run)")
        }
    }
}
