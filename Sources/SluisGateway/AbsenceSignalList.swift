public import SluisCovenant
public import SluisRegister

/// One open absence signal with what a person acting on it needs (contract absence.md): the
/// days left until `due`, and the DUO melding kind that answers it, if one does.
public struct AbsenceSignalItem: Sendable, Equatable {
    public var signal: AbsenceSignal
    /// Calendar days from today to `due` (0 on the day itself, negative when overdue); nil
    /// where the protocol names no deadline.
    public var daysLeft: Int?
    /// Working days (Algemene termijnenwet art. 3; `WorkingDays`) after today up to and including
    /// `due`; 0 when due today or overdue; nil without a deadline.
    public var workingDaysLeft: Int?
    /// The kind of DUO melding that answers the signal (`DuoMeldingKind.answers`); nil where the
    /// protocol asks a talk, a letter or a referral to CJG and SOT instead (5.5, 5.5.4).
    public var meldingKind: DuoMeldingKind?
}

/// The school board's open signals as of `today`, for the school's pages.
public struct AbsenceSignalList: Sendable, Equatable {
    public var today: CalendarDate
    public var items: [AbsenceSignalItem]
}

extension Gateway {
    /// The open signals on the school board's stored registrations (the same as
    /// `absenceSignals`, `GET /v1/absence/signals`, and through the same authority), each with
    /// its days left and the DUO melding kind that answers it.
    /// - Parameter today: `YYYY-MM-DD`, default today in Europe/Amsterdam.
    /// - Throws: `GatewayError.forbidden` (not a school board's zorgcoördinator), `.invalid` (`today`).
    public func absenceSignalList(today text: String?, by principal: Principal, trace: TraceContext) async throws -> AbsenceSignalList {
        try await authorize(.readAbsenceSignals, principal, subject: "absence", trace: trace)
        let today = try text.map { try Self.calendarDate($0, field: "today") } ?? CalendarDate.amsterdam(now())
        let signals = try await openSignals(unit: principal.unit, today: today).signals
        return AbsenceSignalList(today: today, items: signals.map { signal in
            let kind = DuoMeldingKind.allCases.first { $0.answers.contains(signal.kind.rawValue) }
            guard let due = signal.due else { return AbsenceSignalItem(signal: signal, meldingKind: kind) }
            let working = due > today ? (1...(due.dayNumber - today.dayNumber)).count { WorkingDays.isWorkingDay(today.adding(days: $0)) } : 0
            return AbsenceSignalItem(signal: signal, daysLeft: due.dayNumber - today.dayNumber, workingDaysLeft: working, meldingKind: kind)
        })
    }
}
