import Foundation
import Testing
@testable import SluisCovenant

/// Pupil identity validated where it enters (issue 8): the BSN's eleven-test and a birth date
/// that is a real calendar date, giving an age in whole years within the covenant's scope.
@Suite("Pupil identity where it enters")
struct PupilIdentityValidationTests {
    @Test("Art. 5.1 sub b: a BSN passes the eleven-test (elfproef)",
          arguments: ["111222333", "123456782", "999999990", "012345672"])
    func art5_1_b_bsnPassesTheElevenTest(bsn: String) throws {
        #expect(PupilIdentityValidation.isValidBSN(bsn))
        try PupilIdentityValidation.checkBSN(bsn)
    }

    @Test("Art. 5.1 sub b: a BSN that is not nine digits, all zeros or fails the eleven-test is refused, naming field and problem",
          arguments: [
              ("123456789", PupilIdentityError.Problem.failsElevenTest),
              ("111222334", .failsElevenTest),
              ("000000000", .allZeros),
              ("12345678", .notNineDigits),
              ("1234567820", .notNineDigits),
              ("12345678a", .notNineDigits),
              (" 23456782", .notNineDigits),
              ("", .notNineDigits),
              ("١٢٣٤٥٦٧٨٢", .notNineDigits),  // digits, but not ASCII ones
          ])
    func art5_1_b_invalidBsnIsRefused(bsn: String, problem: PupilIdentityError.Problem) {
        #expect(!PupilIdentityValidation.isValidBSN(bsn))
        #expect(throws: PupilIdentityError(field: "bsn", problem: problem)) {
            try PupilIdentityValidation.checkBSN(bsn)
        }
    }

    @Test("Error messages name the field and the problem, never the value")
    func errorsNameFieldNotValue() {
        do {
            try PupilIdentityValidation.checkBSN("123456789")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("bsn: "))
            #expect(!error.description.contains("123456789"))
        }
        do {
            _ = try PupilIdentityValidation.age(birthDate: "2011-02-29", at: Date())
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("birthDate: "))
            #expect(!error.description.contains("2011"))
        }
    }

    /// An instant given as Amsterdam wall-clock time.
    static func amsterdam(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 12, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    @Test("Birth date: a real Gregorian date as YYYY-MM-DD", arguments: ["2012-02-29", "2000-02-29", "2010-12-31", "2015-01-01"])
    func birthDateIsARealDate(text: String) throws {
        let date = try PupilIdentityValidation.birthDate(text)
        #expect(date.description == text)
    }

    @Test("Birth date: anything else is refused, naming the field", arguments: [
        ("2011-02-29", PupilIdentityError.Problem.notACalendarDate),
        ("1900-02-29", .notACalendarDate),
        ("2012-04-31", .notACalendarDate),
        ("2012-13-01", .notACalendarDate),
        ("2012-00-10", .notACalendarDate),
        ("2012-01-00", .notACalendarDate),
        ("0000-01-01", .notACalendarDate),
        ("2012-4-1", .notADate),
        ("01-04-2012", .notADate),
        ("2012-04-01T00:00", .notADate),
        ("2012/04/01", .notADate),
        ("", .notADate),
        ("２０１２-04-01", .notADate),
    ])
    func invalidBirthDateIsRefused(text: String, problem: PupilIdentityError.Problem) {
        #expect(throws: PupilIdentityError(field: "birthDate", problem: problem)) {
            try PupilIdentityValidation.birthDate(text)
        }
    }

    @Test("Age in whole years on the Amsterdam calendar date of the moment asked")
    func ageInWholeYearsInAmsterdam() throws {
        #expect(try PupilIdentityValidation.age(birthDate: "2012-03-15", at: Self.amsterdam(2026, 3, 14, 23, 59)) == 13)
        #expect(try PupilIdentityValidation.age(birthDate: "2012-03-15", at: Self.amsterdam(2026, 3, 15, 0, 1)) == 14)
        // 23:30 UTC on 14 March is 00:30 on 15 March in Amsterdam: the birthday has come.
        let utc = ISO8601DateFormatter().date(from: "2026-03-14T23:30:00Z")!
        #expect(try PupilIdentityValidation.age(birthDate: "2012-03-15", at: utc) == 14)
        // Summer time: 22:30 UTC on 14 July is 00:30 on 15 July in Amsterdam.
        let summer = ISO8601DateFormatter().date(from: "2026-07-14T22:30:00Z")!
        #expect(try PupilIdentityValidation.age(birthDate: "2012-07-15", at: summer) == 14)
        #expect(try PupilIdentityValidation.age(birthDate: "2026-03-15", at: Self.amsterdam(2026, 3, 15)) == 0)
    }

    /// Interpretation: someone born on 29 February is a year older on 1 March in a year without
    /// 29 February (the usual Dutch reading; no statute settles it for the covenant).
    @Test("Interpretation: born on 29 February, a year older on 1 March of a common year")
    func interpretation_leapDayBirthdayCountsFromFirstOfMarch() throws {
        #expect(try PupilIdentityValidation.age(birthDate: "2012-02-29", at: Self.amsterdam(2025, 2, 28)) == 12)
        #expect(try PupilIdentityValidation.age(birthDate: "2012-02-29", at: Self.amsterdam(2025, 3, 1)) == 13)
        #expect(try PupilIdentityValidation.age(birthDate: "2012-02-29", at: Self.amsterdam(2024, 2, 29)) == 12)
    }

    @Test("A birth date after the moment asked is refused")
    func futureBirthDateIsRefused() {
        #expect(throws: PupilIdentityError(field: "birthDate", problem: .inTheFuture)) {
            try PupilIdentityValidation.age(birthDate: "2026-03-16", at: Self.amsterdam(2026, 3, 15))
        }
    }

    @Test("Art. 1.11, 1.13: the age must fit the policy's scope (5 to 17)",
          arguments: [(4, false), (5, true), (11, true), (17, true), (18, false), (0, false)])
    func art1_11_ageMustFitTheScope(age: Int, fits: Bool) {
        #expect(covenant.scope.contains(age: age) == fits)
        if fits {
            #expect(throws: Never.self) { try PupilIdentityValidation.checkScope(age: age, scope: covenant.scope) }
        } else {
            #expect(throws: PupilIdentityError(field: "birthDate", problem: .outsideScope(age: age, fromAge: 5, toAge: 17))) {
                try PupilIdentityValidation.checkScope(age: age, scope: covenant.scope)
            }
        }
    }

    @Test("Art. 1.11, 1.13: from birth date to an age within scope in one call")
    func art1_11_ageInScopeFromBirthDate() throws {
        let now = Self.amsterdam(2026, 6, 1)
        #expect(try PupilIdentityValidation.ageInScope(birthDate: "2012-06-01", at: now, scope: covenant.scope) == 14)
        #expect(throws: PupilIdentityError(field: "birthDate", problem: .outsideScope(age: 18, fromAge: 5, toAge: 17))) {
            try PupilIdentityValidation.ageInScope(birthDate: "2008-05-31", at: now, scope: covenant.scope)
        }
        #expect(throws: PupilIdentityError(field: "birthDate", problem: .notACalendarDate)) {
            try PupilIdentityValidation.ageInScope(birthDate: "2012-02-30", at: now, scope: covenant.scope)
        }
    }
}
