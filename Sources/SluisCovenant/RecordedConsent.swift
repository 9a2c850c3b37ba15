/// Who answered a request for consent, each recorded on their own (art. 6.1 sub b–c; fn 28 at
/// art. 13.1; ch. 10: "soms door de wettelijk vertegenwoordiger(s) … soms door … de klant zelf").
public enum ConsentAnswerer: String, CaseIterable, Sendable, Codable {
    case parent
    case otherParent = "other-parent"
    case legalRepresentative = "legal-representative"
    case pupil

    /// The engine's giver (contract `givenBy`): both parents and a legal representative are the
    /// legal representative of fn 28 (`parent`); the pupil is the pupil.
    public var engineGiver: ConsentGiver { self == .pupil ? .pupil : .parent }
}

/// A giver's answer: consent given, or refused (recorded in writing either way, art. 6.1 sub c).
public enum ConsentAnswer: String, CaseIterable, Sendable, Codable {
    case given, refused
}

/// What a consent amounts to on a day. Only `given` lets data go; every other state counts
/// for nothing (fail closed). `pending`: not every giver fn 28 requires at the pupil's age has
/// answered; `conflicting`: givers disagree; `needs-renewal`: it sufficed at an earlier age and
/// no longer does (fn 28: from 12 the pupil too, from 16 the pupil alone); `lapsed`: past the
/// end date its giver set; `revoked`: withdrawn (art. 6.1 sub d, 11.5).
public enum ConsentState: String, CaseIterable, Sendable, Codable {
    case pending, given, refused, conflicting
    case needsRenewal = "needs-renewal"
    case revoked, lapsed
}

/// One consent as its holder recorded it: the scope (recipient kinds, fields, optional SOT
/// question, optional end date the giver set) and each giver's answer on its own. Pure: the
/// gateway builds it from the store; time is passed in as a calendar day.
public struct RecordedConsent: Sendable, Equatable {
    public struct Answer: Sendable, Equatable {
        public var giver: ConsentAnswerer
        public var answer: ConsentAnswer
        /// The day the giver answered (signed, or refused) on the Amsterdam calendar.
        public var answeredOn: CalendarDate

        public init(giver: ConsentAnswerer, answer: ConsentAnswer, answeredOn: CalendarDate) {
            self.giver = giver
            self.answer = answer
            self.answeredOn = answeredOn
        }
    }

    public var answers: [Answer]
    public var recipients: PartyKindSet
    public var fields: FieldSet
    /// The SOT question's id (Bijlage 3.2 sub 4), or nil when not question-bound.
    public var question: String?
    /// The last day the consent holds, as its giver set it (nil: no end date).
    public var endsOn: CalendarDate?
    public var revoked: Bool

    public init(answers: [Answer], recipients: PartyKindSet, fields: FieldSet, question: String? = nil,
                endsOn: CalendarDate? = nil, revoked: Bool = false) {
        self.answers = answers
        self.recipients = recipients
        self.fields = fields
        self.question = question
        self.endsOn = endsOn
        self.revoked = revoked
    }

    /// The engine's givers: those who gave (parents and legal representative as `parent`).
    public var givenBy: ConsentGiverSet {
        ConsentGiverSet(answers.filter { $0.answer == .given }.map(\.giver.engineGiver))
    }

    public var hasRefusal: Bool { answers.contains { $0.answer == .refused } }

    /// Past its end date: the consent holds through `endsOn` ("tot en met") and lapses the day after.
    public func isLapsed(on day: CalendarDate) -> Bool { endsOn.map { $0 < day } ?? false }
}

/// A consent's state on a day, with what the holder must do about it.
public struct ConsentStanding: Sendable, Equatable {
    public var state: ConsentState
    /// The givers fn 28 requires at the pupil's age on that day who have not given (for
    /// `pending` and `needs-renewal`), in the engine's terms.
    public var missing: ConsentGiverSet
    /// For `needs-renewal`: the birthday on which the consent stopped sufficing, and the age.
    public var renewalSince: CalendarDate?
    public var renewalAge: Int?
}

public extension RecordedConsent {
    /// The consent's state on `day` for a pupil born on `birthDate`, judged by `policy` (fn 28
    /// by age). Revoked and lapsed come first; then a refusal: all refused is `refused`, a
    /// refusal beside a consent `conflicting` (givers disagree, so it counts for nothing —
    /// interpretation, docs/casework.md); no answer yet is `pending`. Otherwise the givers who
    /// gave either cover what fn 28 requires at the pupil's age on `day` (`given`), or they did
    /// at the age on the day of the last answer and a birthday since changed what is required
    /// (`needs-renewal`, since that birthday), or they never did (`pending`).
    func standing(on day: CalendarDate, birthDate: CalendarDate, policy: ConsentPolicy) -> ConsentStanding {
        var standing = ConsentStanding(state: .pending, missing: ConsentGiverSet())
        if revoked { standing.state = .revoked; return standing }
        if isLapsed(on: day) { standing.state = .lapsed; return standing }
        if hasRefusal {
            standing.state = answers.allSatisfy { $0.answer == .refused } ? .refused : .conflicting
            return standing
        }
        guard let lastAnswer = answers.map(\.answeredOn).max() else { return standing }
        let given = givenBy
        let ageToday = birthDate.wholeYears(until: day)
        let required = policy.requiredGivers(age: ageToday) ?? ConsentGiverSet()
        if !required.isEmpty && given.isSuperset(of: required) {
            standing.state = .given
            return standing
        }
        standing.missing = ConsentGiverSet(required.givers.filter { !given.contains($0) })
        let ageThen = birthDate.wholeYears(until: lastAnswer)
        guard ageThen < ageToday, let then = policy.requiredGivers(age: ageThen), given.isSuperset(of: then) else { return standing }
        // The first birthday after the last answer on which the givers stopped sufficing.
        for age in (ageThen + 1)...ageToday {
            if let needed = policy.requiredGivers(age: age), !given.isSuperset(of: needed) {
                standing.state = .needsRenewal
                standing.renewalSince = birthDate.anniversary(age)
                standing.renewalAge = age
                break
            }
        }
        return standing
    }

    /// Whether the holder is due the notice before the end date: from `daysBefore` days before
    /// `endsOn` through `endsOn` itself, for a consent that still counts or may yet.
    func endNoticeDue(on day: CalendarDate, daysBefore: Int) -> Bool {
        guard let endsOn, !revoked, !isLapsed(on: day) else { return false }
        return !(day < endsOn.adding(days: -daysBefore))
    }
}

/// How the consents a sender holds become the engine's consent facts (contract `consents[]`).
public enum ConsentReading {
    /// The facts for a decision on `day`, each with the index of the consent it comes from.
    /// Revoked consents come as revoked facts (the engine names the revocation; fn 26). Lapsed
    /// ones count for nothing. A consent with a refusal (refused or conflicting) gives nothing,
    /// and while it stands it also takes its scope out of every other consent the sender holds
    /// for the same question (or any, when the refusal is not question-bound): a refusal by any
    /// giver is never outweighed by another record's consent (fail closed; art. 6.1 sub b). The
    /// other consents come with the givers who gave, so fn 28 by age applies in the engine
    /// unchanged — also across records (a parent's and a pupil's consents combine).
    public static func facts(_ consents: [RecordedConsent], on day: CalendarDate) -> [(index: Int, fact: ConsentFact)] {
        let refusals = consents.filter { !$0.revoked && !$0.isLapsed(on: day) && $0.hasRefusal }
        var result: [(index: Int, fact: ConsentFact)] = []
        for (index, consent) in consents.enumerated() {
            if consent.revoked {
                result.append((index, ConsentFact(givenBy: consent.givenBy, recipients: consent.recipients, fields: consent.fields,
                                                  question: consent.question, revoked: true)))
                continue
            }
            guard !consent.isLapsed(on: day), !consent.hasRefusal, !consent.givenBy.isEmpty else { continue }
            var parts = [(recipients: consent.recipients, fields: consent.fields)]
            for refusal in refusals where refusal.question == nil || refusal.question == consent.question {
                parts = parts.flatMap { part in subtract(part, refusal) }
            }
            for part in parts {
                result.append((index, ConsentFact(givenBy: consent.givenBy, recipients: part.recipients, fields: part.fields,
                                                  question: consent.question)))
            }
        }
        return result
    }

    /// A scope (recipients × fields) without a refusal's scope: what lies outside its
    /// recipients, and for its recipients what lies outside its fields. Empty parts are dropped.
    static func subtract(_ part: (recipients: PartyKindSet, fields: FieldSet), _ refusal: RecordedConsent)
        -> [(recipients: PartyKindSet, fields: FieldSet)] {
        let outsideRecipients = PartyKindSet(part.recipients.kinds.filter { !refusal.recipients.contains($0) })
        let sharedRecipients = PartyKindSet(part.recipients.kinds.filter { refusal.recipients.contains($0) })
        let outsideFields = FieldSet(part.fields.fields.filter { !refusal.fields.contains($0) })
        var parts: [(recipients: PartyKindSet, fields: FieldSet)] = []
        if !outsideRecipients.kinds.isEmpty { parts.append((outsideRecipients, part.fields)) }
        if !sharedRecipients.kinds.isEmpty && !outsideFields.isEmpty { parts.append((sharedRecipients, outsideFields)) }
        return parts
    }
}

public extension CalendarDate {
    /// The day this date turns `years` old: the same month and day `years` later, and for
    /// 29 February in a common year 1 March (as `wholeYears(until:)` counts).
    func anniversary(_ years: Int) -> CalendarDate {
        CalendarDate(year: year + years, month: month, day: day) ?? CalendarDate(year: year + years, month: 3, day: 1)!
    }

    /// Parses `YYYY-MM-DD` (a real calendar day), or nil.
    init?(_ text: String) {
        guard let date = try? PupilIdentityValidation.birthDate(text) else { return nil }
        self = date
    }
}
