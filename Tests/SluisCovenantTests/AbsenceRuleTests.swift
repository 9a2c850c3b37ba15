import Testing
@testable import SluisCovenant

/// One registration in a test: hours in the pupil's unit (klokuur) where given.
func registration(_ date: String, _ kind: AbsenceKind, _ hours: String? = nil, pupil: String = "L-0042") -> AbsenceRegistration {
    AbsenceRegistration(pupil: pupil, date: day(date), kind: kind,
                        hours: hours.map { try! AbsenceHours(text: $0) }, unit: hours == nil ? nil : .klokuur)
}

/// The signals as (signal, since, due) triples, for short expectations.
func evaluated(_ registrations: [AbsenceRegistration], today: String = "2026-11-30") -> [String] {
    AbsenceEvaluator.evaluate(registrations, today: day(today)).map {
        "\($0.kind.rawValue) \($0.since) \($0.due?.description ?? "null")"
    }
}

/// The four rules of `../shared/contract/absence.md` at their boundaries.
@Suite("Absence rules (verzuimprotocol ch. 4–5, Bijlage 4)")
struct AbsenceRuleTests {
    // MARK: Relative absence — Bijlage 4, 5.5.2, Lpw art. 21a

    @Test("15.5 hours in 28 days is no signal; the registration that reaches 16 is since, due the 5th working day after")
    func relativeAbsence_16HoursIn28Days_BijlageVier() {
        let below = [registration("2026-03-02", .ongeoorloofd, "8"), registration("2026-03-10", .ongeoorloofd, "7.5")]
        #expect(evaluated(below).isEmpty)
        let reached = below + [registration("2026-03-12", .ongeoorloofd, "0.5")]
        #expect(evaluated(reached) == ["relatief-verzuim 2026-03-12 2026-03-19"])
    }

    @Test("The contract example: since 2026-05-13, due 2026-05-21, action and source as shown")
    func relativeAbsence_contractExample_BijlageVier() throws {
        let signals = AbsenceEvaluator.evaluate(
            [registration("2026-05-11", .ongeoorloofd, "8"), registration("2026-05-13", .luxe, "8")], today: day("2026-05-20"))
        let signal = try #require(signals.first { $0.kind == .relatiefVerzuim })
        #expect(signal.since == day("2026-05-13"))
        #expect(signal.due == day("2026-05-21"))
        #expect(signal.overdue == false)
        #expect(signal.kind.action == "melding bij DUO")
        #expect(signal.kind.source == "verzuimprotocol Bijlage 4; Lpw art. 21a")
    }

    @Test("28 calendar days from first to last registration count together; 29 do not")
    func relativeAbsence_28DaysInside29DaysOutside_BijlageVier() {
        #expect(evaluated([registration("2026-02-04", .ongeoorloofd, "8"), registration("2026-03-03", .ongeoorloofd, "8")])
                == ["relatief-verzuim 2026-03-03 2026-03-10"])
        #expect(evaluated([registration("2026-02-04", .ongeoorloofd, "8"), registration("2026-03-04", .ongeoorloofd, "8")])
                .isEmpty)
    }

    @Test("After a signal counting starts afresh with registrations dated after its since")
    func relativeAbsence_countsAfreshAfterSince_BijlageVier() {
        let registrations = [
            registration("2026-03-02", .ongeoorloofd, "8"), registration("2026-03-03", .ongeoorloofd, "8"),  // 16: signal
            registration("2026-03-04", .ongeoorloofd, "8"),  // within 28 days of the first two, but counted afresh: 8
            registration("2026-03-05", .ongeoorloofd, "7.5"),  // 15.5
            registration("2026-03-06", .ongeoorloofd, "0.5"),  // 16: second signal
        ]
        #expect(evaluated(registrations) == ["relatief-verzuim 2026-03-03 2026-03-10", "relatief-verzuim 2026-03-06 2026-03-13"])
    }

    @Test("Registrations on the day of since are not after it: they do not count again (several on one day add up)")
    func relativeAbsence_sameDayAsSinceNotCountedAgain_interpretation_BijlageVier() {
        let registrations = [
            registration("2026-03-02", .ongeoorloofd, "12"), registration("2026-03-02", .ongeoorloofd, "4"),  // 16 on one day
            registration("2026-03-02", .ongeoorloofd, "12"),  // dated on since: not after it
            registration("2026-03-03", .ongeoorloofd, "4"),
        ]
        #expect(evaluated(registrations) == ["relatief-verzuim 2026-03-02 2026-03-09"])
    }

    @Test("Only ongeoorloofd and luxe count: geoorloofd and ziek hours do not")
    func relativeAbsence_onlyOngeoorloofdAndLuxeCount_4_1_2() {
        let registrations = [
            registration("2026-03-02", .geoorloofd, "12"), registration("2026-03-03", .ziek, "12"),
            registration("2026-03-04", .ongeoorloofd, "12"),
        ]
        #expect(evaluated(registrations).isEmpty)
    }

    @Test("0.1 hours added 160 times is exactly 16: hours are exact decimals")
    func relativeAbsence_exactDecimals_BijlageVier() {
        let registrations = (0..<160).map { _ in registration("2026-03-02", .ongeoorloofd, "0.1") }
        #expect(evaluated(registrations) == ["relatief-verzuim 2026-03-02 2026-03-09"])
    }

    @Test("overdue is true only when today is after due", arguments: [("2026-03-19", false), ("2026-03-20", true)])
    func relativeAbsence_overdueAfterDue_BijlageVier(today: String, overdue: Bool) {
        let signals = AbsenceEvaluator.evaluate([registration("2026-03-12", .ongeoorloofd, "12"),
                                                 registration("2026-03-12", .ongeoorloofd, "4")], today: day(today))
        #expect(signals.map(\.overdue) == [overdue])
    }

    // MARK: Late arrival — 5.5, the late-arrival table

    @Test("Two late arrivals are nothing; the third is te-laat-3 on its own date, without due date")
    func lateArrival_twoThenThree_5_5() {
        let two = [registration("2026-01-12", .teLaat), registration("2026-01-14", .teLaat)]
        #expect(evaluated(two).isEmpty)
        let three = two + [registration("2026-01-20", .teLaat)]
        #expect(evaluated(three) == ["te-laat-3 2026-01-20 null"])
        #expect(AbsenceEvaluator.evaluate(three, today: day("2026-11-30")).map(\.overdue) == [false])
    }

    @Test("9 late arrivals give 3, 6 and 9 (a DUO melding); 12 and more give 3, 6, 9 and 12, nothing further")
    func lateArrival_nineAndTwelve_5_5() {
        let dates = (1...15).map { "2026-02-\($0 < 10 ? "0" : "")\($0)" }
        let nine = dates.prefix(9).map { registration($0, .teLaat) }
        #expect(evaluated(nine) == ["te-laat-3 2026-02-03 null", "te-laat-6 2026-02-06 null", "te-laat-9 2026-02-09 null"])
        let fifteen = dates.map { registration($0, .teLaat) }
        #expect(evaluated(fifteen) == ["te-laat-3 2026-02-03 null", "te-laat-6 2026-02-06 null",
                                       "te-laat-9 2026-02-09 null", "te-laat-12 2026-02-12 null"])
        let kinds = AbsenceEvaluator.evaluate(fifteen, today: day("2026-11-30")).map(\.kind)
        #expect(kinds.map(\.action) == ["gesprek met ouders (12-) of met de leerling (12+)",
                                        "melding naar ouders met waarschuwing: bij voortduren volgt melding bij DUO",
                                        "melding bij DUO; bericht via Magister aan ouders", "melding bij DUO"])
    }

    @Test("The school year runs 1 August – 31 July: counting starts again on 1 August")
    func lateArrival_schoolYearStartsFirstAugust_5_5() {
        let across = ["2026-07-29", "2026-07-31", "2026-08-01"].map { registration($0, .teLaat) }
        #expect(evaluated(across).isEmpty)
        let within = ["2026-07-29", "2026-07-30", "2026-07-31"].map { registration($0, .teLaat) }
        #expect(evaluated(within) == ["te-laat-3 2026-07-31 null"])
        let nextYear = ["2026-08-01", "2026-08-03", "2027-07-31"].map { registration($0, .teLaat) }
        #expect(evaluated(nextYear, today: "2027-08-01") == ["te-laat-3 2027-07-31 null"])
    }

    @Test("Several late arrivals on one day each count (late at the start of the day and after a break)")
    func lateArrival_severalOnOneDayEachCount_interpretation_5_5() {
        let registrations = [registration("2026-01-12", .teLaat), registration("2026-01-12", .teLaat),
                             registration("2026-01-12", .teLaat)]
        #expect(evaluated(registrations) == ["te-laat-3 2026-01-12 null"])
    }

    // MARK: Luxury absence — 4.1.2 sub 3, 5.5.3, Bijlage 4

    @Test("One luxe day is one signal: since that day, due the 5th working day after")
    func luxuryAbsence_everyRegistration_5_5_3() {
        #expect(evaluated([registration("2026-04-24", .luxe, "6")]) == ["luxe-verzuim 2026-04-24 2026-05-04"])
    }

    @Test("Friday and the next Monday are consecutive school days: one signal from the Friday")
    func luxuryAbsence_FridayAndMondayAreOneRun_interpretation_5_5_3() {
        let registrations = [registration("2026-03-13", .luxe, "6"), registration("2026-03-16", .luxe, "6")]
        #expect(evaluated(registrations).filter { $0.hasPrefix("luxe") } == ["luxe-verzuim 2026-03-13 2026-03-20"])
    }

    @Test("Friday and the Tuesday after: Monday was a school day, so two signals")
    func luxuryAbsence_gapOfASchoolDayIsTwoRuns_5_5_3() {
        let registrations = [registration("2026-03-13", .luxe, "6"), registration("2026-03-17", .luxe, "6")]
        #expect(evaluated(registrations).filter { $0.hasPrefix("luxe") }
                == ["luxe-verzuim 2026-03-13 2026-03-20", "luxe-verzuim 2026-03-17 2026-03-24"])
    }

    @Test("Wednesday and Friday around Ascension Day are one run; two registrations on one day are one")
    func luxuryAbsence_runAcrossAHoliday_5_5_3() {
        let registrations = [registration("2026-05-13", .luxe, "3"), registration("2026-05-13", .luxe, "3"),
                             registration("2026-05-15", .luxe, "6")]
        #expect(evaluated(registrations).filter { $0.hasPrefix("luxe") } == ["luxe-verzuim 2026-05-13 2026-05-21"])
    }

    // MARK: Worrying sick leave — 5.5.4, Bijlage 4

    @Test("7 consecutive school days of ziek across a weekend: since the 7th; 6 are not enough")
    func worryingSickLeave_sevenSchoolDaysAcrossAWeekend_5_5_4() {
        let seven = ["2026-03-05", "2026-03-06", "2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"]
        #expect(evaluated(seven.map { registration($0, .ziek) }) == ["zorgwekkend-ziekteverzuim 2026-03-13 null"])
        #expect(evaluated(seven.dropLast().map { registration($0, .ziek) }).isEmpty)
    }

    @Test("A sick run across Ascension Day: the holiday neither breaks the run nor counts as a school day")
    func worryingSickLeave_runAcrossAHoliday_5_5_4() {
        let days = ["2026-05-11", "2026-05-12", "2026-05-13", "2026-05-15", "2026-05-18", "2026-05-19", "2026-05-20"]
        #expect(evaluated(days.map { registration($0, .ziek) }) == ["zorgwekkend-ziekteverzuim 2026-05-20 null"])
    }

    @Test("A ziek registration on a Saturday does not break a run and is not a school day")
    func worryingSickLeave_weekendRegistrationDoesNotCount_interpretation_5_5_4() {
        let days = ["2026-03-05", "2026-03-06", "2026-03-07", "2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12"]
        #expect(evaluated(days.map { registration($0, .ziek) }).isEmpty)  // six school days
        #expect(evaluated((days + ["2026-03-13"]).map { registration($0, .ziek) })
                == ["zorgwekkend-ziekteverzuim 2026-03-13 null"])
    }

    @Test("A missed school day splits a run into two sick reports")
    func worryingSickLeave_gapSplitsRuns_5_5_4() {
        let days = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-06", "2026-03-09", "2026-03-10", "2026-03-11"]
        #expect(evaluated(days.map { registration($0, .ziek) }).isEmpty)
    }

    @Test("4 sick reports whose first days lie within 84 days: since the 4th; within 85 days: nothing")
    func worryingSickLeave_fourReportsIn84Days_5_5_4() {
        let three = ["2026-01-06", "2026-02-03", "2026-03-03"].map { registration($0, .ziek) }
        #expect(evaluated(three + [registration("2026-03-30", .ziek)]) == ["zorgwekkend-ziekteverzuim 2026-03-30 null"])
        #expect(evaluated(three + [registration("2026-03-31", .ziek)]).isEmpty)
    }

    @Test("After a signal only reports that begin after its since count again; a long illness is signalled once")
    func worryingSickLeave_countsAfreshAfterSince_interpretation_5_5_4() {
        let four = ["2026-01-06", "2026-01-13", "2026-01-20", "2026-01-27"].map { registration($0, .ziek) }
        let fifth = registration("2026-02-03", .ziek)
        #expect(evaluated(four + [fifth]) == ["zorgwekkend-ziekteverzuim 2026-01-27 null"])
        let fourMore = ["2026-02-10", "2026-02-17", "2026-02-24"].map { registration($0, .ziek) }
        #expect(evaluated(four + [fifth] + fourMore) == ["zorgwekkend-ziekteverzuim 2026-01-27 null",
                                                        "zorgwekkend-ziekteverzuim 2026-02-24 null"])
        // Fifteen school days in a row (2026-03-02 … 2026-03-20): one signal, on the 7th.
        let long = (0..<19).map { day("2026-03-02").adding(days: $0) }.filter(WorkingDays.isWorkingDay)
        #expect(long.count == 15)
        #expect(evaluated(long.map { registration($0.description, .ziek) }) == ["zorgwekkend-ziekteverzuim 2026-03-10 null"])
    }

    @Test("Worrying sick leave goes to the CJG and the SOT with consent, not to DUO")
    func worryingSickLeave_actionAndSource_5_5_4() {
        #expect(AbsenceSignal.Kind.zorgwekkendZiekteverzuim.action
                == "melding bij CJG en SOT, met toestemming van ouders (niet bij DUO)")
        #expect(AbsenceSignal.Kind.zorgwekkendZiekteverzuim.source == "verzuimprotocol 5.5.4, Bijlage 4")
    }

    // MARK: Ordering, today, the document

    @Test("Signals ordered by pupil, then since, then signal, texts by code point (L-10 before L-9, te-laat-12 before te-laat-3)")
    func output_orderedByPupilSinceSignal_contract() {
        let sameDay = (1...12).map { _ in registration("2026-02-02", .teLaat, pupil: "L-9") }
        let registrations = sameDay + [
            registration("2026-02-02", .luxe, "6", pupil: "L-9"),
            registration("2026-01-05", .luxe, "6", pupil: "L-9"),
            registration("2026-02-02", .luxe, "6", pupil: "L-10"),
            registration("2026-02-02", .luxe, "6", pupil: "Z-1"),
            registration("2026-02-02", .luxe, "6", pupil: "a-1"),
        ]
        let signals = AbsenceEvaluator.evaluate(registrations, today: day("2026-11-30"))
        #expect(signals.map { "\($0.pupil) \($0.since) \($0.kind.rawValue)" } == [
            "L-10 2026-02-02 luxe-verzuim",
            "L-9 2026-01-05 luxe-verzuim",
            "L-9 2026-02-02 luxe-verzuim", "L-9 2026-02-02 te-laat-12", "L-9 2026-02-02 te-laat-3",
            "L-9 2026-02-02 te-laat-6", "L-9 2026-02-02 te-laat-9",
            "Z-1 2026-02-02 luxe-verzuim",
            "a-1 2026-02-02 luxe-verzuim",
        ])
    }

    @Test("Registrations after today are left out: stored registrations evaluate as of an earlier day")
    func evaluator_leavesOutRegistrationsAfterToday_contract() {
        let registrations = [registration("2026-03-02", .luxe, "6"), registration("2026-03-20", .luxe, "6")]
        #expect(evaluated(registrations, today: "2026-03-19") == ["luxe-verzuim 2026-03-02 2026-03-09"])
    }

    @Test("The same registrations in any order give the same signals")
    func evaluator_orderOfInputDoesNotMatter_contract() {
        let registrations = [
            registration("2026-03-02", .ongeoorloofd, "8"), registration("2026-03-05", .teLaat),
            registration("2026-03-03", .ongeoorloofd, "8", pupil: "L-1"), registration("2026-03-04", .teLaat),
            registration("2026-03-03", .teLaat), registration("2026-03-06", .ongeoorloofd, "8"),
        ]
        #expect(evaluated(registrations) == evaluated(registrations.reversed()))
        #expect(evaluated(registrations) == ["te-laat-3 2026-03-05 null", "relatief-verzuim 2026-03-06 2026-03-13"])
    }

    @Test("The JSON document: keys in the contract's order, due null when none, the same bytes every time")
    func output_jsonDocument_contract() {
        let signals = AbsenceEvaluator.evaluate(
            [registration("2026-05-13", .ongeoorloofd, "12"), registration("2026-05-13", .ongeoorloofd, "4"),
             registration("2026-05-11", .teLaat), registration("2026-05-12", .teLaat), registration("2026-05-13", .teLaat)],
            today: day("2026-05-22"))
        let expected = """
            {
              "signals": [
                {
                  "pupil": "L-0042",
                  "signal": "relatief-verzuim",
                  "since": "2026-05-13",
                  "due": "2026-05-21",
                  "overdue": true,
                  "action": "melding bij DUO",
                  "source": "verzuimprotocol Bijlage 4; Lpw art. 21a"
                },
                {
                  "pupil": "L-0042",
                  "signal": "te-laat-3",
                  "since": "2026-05-13",
                  "due": null,
                  "overdue": false,
                  "action": "gesprek met ouders (12-) of met de leerling (12+)",
                  "source": "verzuimprotocol 5.5, tabel te laat komen"
                }
              ]
            }
            """
        #expect(AbsenceSignal.json(signals) == expected)
        #expect(AbsenceSignal.json([]) == "{\n  \"signals\": []\n}")
    }
}
