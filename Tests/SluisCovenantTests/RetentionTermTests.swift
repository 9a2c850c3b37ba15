import Testing
import SluisCovenant

/// Convenant art. 9.2 ("uiterlijk binnen een jaar na het besluit tot sluiting"): the day a closed
/// case's personal data is due for destruction, and the quarters and durations the statistics
/// count in (art. 9.3).
@Suite("Retention term and statistics periods")
struct RetentionTermTests {
    func day(_ text: String) throws -> CalendarDate { try CalendarDate(text: text) }

    @Test("Art. 9.2, interpretation (destroy at the end of the term): due on the last day within the term, the day before the anniversary of the closure")
    func art9_2_interpretation_dueOnTheLastDayOfTheTerm() throws {
        let term = RetentionTerm(months: 12)
        #expect(term.dueOn(closedOn: try day("2026-03-15")) == (try day("2027-03-14")))
        #expect(!term.isDue(closedOn: try day("2026-03-15"), today: try day("2027-03-13")))
        #expect(term.isDue(closedOn: try day("2026-03-15"), today: try day("2027-03-14")))
        #expect(term.dueOn(closedOn: try day("2028-02-29")) == (try day("2029-02-27")), "29 February: the anniversary is 28 February")
        #expect(RetentionTerm(months: 1).dueOn(closedOn: try day("2026-01-31")) == (try day("2026-02-27")))
        #expect(RetentionTerm(months: 6).dueOn(closedOn: try day("2026-12-31")) == (try day("2027-06-29")))
    }

    @Test("Art. 9.3: quarters and duration buckets of the statistics")
    func art9_3_quartersAndDurations() throws {
        #expect(Quarter(containing: try day("2026-11-30")).description == "2026-Q4")
        #expect(Quarter(containing: try day("2027-01-01")) == Quarter(text: "2027-Q1"))
        #expect(Quarter(text: "2026-Q4")?.lastDay == (try day("2026-12-31")) && Quarter(text: "2026-Q4")?.next.description == "2027-Q1")
        for bad in ["2026-Q5", "2026-Q0", "26-Q1", "2026Q1", "2026-Q11"] { #expect(Quarter(text: bad) == nil, "\(bad)") }
        #expect(CaseDuration(opened: try day("2026-01-31"), closed: try day("2026-04-29")) == .underThreeMonths)
        #expect(CaseDuration(opened: try day("2026-01-31"), closed: try day("2026-04-30")) == .threeToSixMonths)
        #expect(CaseDuration(opened: try day("2026-01-01"), closed: try day("2026-12-31")) == .sixToTwelveMonths)
        #expect(CaseDuration(opened: try day("2026-01-01"), closed: try day("2027-01-01")) == .yearOrMore)
        #expect((try day("2026-05-10")).wholeMonths(until: try day("2026-01-01")) == 0)
    }
}
