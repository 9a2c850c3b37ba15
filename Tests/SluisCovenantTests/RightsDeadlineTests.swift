import Testing
@testable import SluisCovenant

/// AVG art. 12 lid 3 (one month, once two more) counted as Reg. 1182/71 art. 3; fn 28 at art.
/// 13.1 (who may ask by age). Fixed dates only.
@Suite("Rights deadlines and who may ask (art. 13, fn 28)")
struct RightsDeadlineTests {
    @Test("AVG art. 12 lid 3: one month after receipt, three when extended; a day the month lacks is its last; a weekend or holiday moves to the next working day")
    func avg12_3_deadline() {
        let day = { (y: Int, m: Int, d: Int) in CalendarDate(year: y, month: m, day: d)! }
        #expect(RightsDeadline(receivedOn: day(2026, 3, 4), extended: false).dueOn == day(2026, 4, 7), "Saturday 4 April, Easter 5–6 April 2026")
        #expect(RightsDeadline(receivedOn: day(2027, 1, 31), extended: false).dueOn == day(2027, 3, 1), "28 February 2027 is a Sunday")
        #expect(RightsDeadline(receivedOn: day(2026, 9, 15), extended: false).dueOn == day(2026, 10, 15))
        #expect(RightsDeadline(receivedOn: day(2026, 9, 15), extended: true).dueOn == day(2026, 12, 15))
        let deadline = RightsDeadline(receivedOn: day(2026, 9, 15), extended: false)
        #expect(deadline.daysLeft(today: day(2026, 10, 15)) == 0 && deadline.daysLeft(today: day(2026, 10, 20)) == -5)
        #expect(!deadline.isOverdue(today: day(2026, 10, 15), status: .open) && deadline.isOverdue(today: day(2026, 10, 16), status: .extended))
        #expect(!deadline.isOverdue(today: day(2027, 1, 1), status: .refused), "a decided request runs no deadline")
        #expect(deadline.mayExtend(today: day(2026, 10, 15)) && !deadline.mayExtend(today: day(2026, 10, 16)))
        #expect(!RightsDeadline(receivedOn: day(2026, 9, 15), extended: true).mayExtend(today: day(2026, 9, 20)), "once")
    }

    @Test("Fn 28: under 12 the legal representative, 12 to 15 both, from 16 the pupil alone (interpretation: not the parent from 16)")
    func fn28_interpretation_whoMayAskByAgeNotTheParentFrom16() {
        for age in [5, 11] {
            #expect(!RightsEligibility.mayAsk(.pupil, age: age) && RightsEligibility.mayAsk(.parent, age: age) && RightsEligibility.mayAsk(.legalRepresentative, age: age))
        }
        for age in [12, 15] { #expect(RightsRequester.allCases.allSatisfy { RightsEligibility.mayAsk($0, age: age) }) }
        for age in [16, 17, 18] {
            #expect(RightsEligibility.mayAsk(.pupil, age: age) && !RightsEligibility.mayAsk(.parent, age: age) && !RightsEligibility.mayAsk(.legalRepresentative, age: age))
        }
    }
}
