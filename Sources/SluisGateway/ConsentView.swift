import Foundation
import SluisCovenant
import SluisStore

/// A consent as its holder sees it: the scope, each giver's answer, and what it amounts to
/// today — `state` (only `given` lets data go), the givers still missing by fn 28, why and
/// since when it needs renewal, and after a revocation whom the notice reached (art. 11.5).
public struct ConsentView: Sendable, Codable, Equatable {
    public var id: String
    /// The holder's own reference for the case.
    public var caseId: String
    public var holder: String
    public var recipients: [String]
    public var fields: [String]
    /// The SOT question's id (Bijlage 3.2 sub 4), or nil.
    public var sotQuestion: String?
    /// The last day it holds, as the giver set it (YYYY-MM-DD), or nil.
    public var endsOn: String?
    public var givers: [GiverView]
    /// `pending`, `given`, `refused`, `conflicting`, `needs-renewal`, `revoked` or `lapsed`.
    public var state: String
    /// Who fn 28 still requires at the pupil's age today (`parent`, `pupil`), for `pending` and `needs-renewal`.
    public var missing: [String]
    public var renewal: Renewal?
    public var recordedBy: String
    public var recordedAt: String
    public var revokedAt: String?
    /// After a revocation: per recipient (party and, at a gemeente, role), when the notice
    /// reached its mailbox and when it acknowledged it (art. 11.5). Empty when no data went on it.
    public var revocationReach: [Reach]?

    public struct GiverView: Sendable, Codable, Equatable {
        /// `parent`, `other-parent`, `legal-representative` or `pupil`.
        public var giver: String
        /// `given` or `refused`.
        public var answer: String
        public var answeredOn: String
        /// The reference to the written evidence (art. 6.1 sub c).
        public var evidence: String
        public var recordedBy: String
        public var recordedAt: String
    }

    /// Why a consent that sufficed no longer does: the birthday, the age, who is required from then.
    public struct Renewal: Sendable, Codable, Equatable {
        public var since: String
        public var age: Int
        public var required: [String]
        public var reason: String
        public var article: String
    }

    public struct Reach: Sendable, Codable, Equatable {
        public var party: String
        public var role: String?
        public var notifiedAt: String
        public var acknowledgedAt: String?
    }
}

extension Gateway {
    /// Today on the Amsterdam calendar: the day consents are judged on (fn 28 counts birthdays there).
    var today: CalendarDate { CalendarDate.amsterdam(now()) }

    /// The pupil's birth date as a calendar day (the case's identity is decrypted for it).
    func birthDay(_ record: CaseRecord) throws -> CalendarDate {
        guard let day = CalendarDate(try load(record).birthDate) else { throw GatewayError.unavailable(.storedDataDamaged, "the case's birth date is damaged") }
        return day
    }

    /// A stored consent as the pure model judges it (the store reads givers, answers, kinds and
    /// fields as their vocabularies or fails). A day that cannot be read makes the answer a
    /// refusal, so the consent counts for nothing (fail closed).
    static func recorded(_ record: ConsentRecord) -> RecordedConsent {
        RecordedConsent(
            answers: record.answers.map { stored in
                guard let day = CalendarDate(stored.answeredOn) else {
                    return RecordedConsent.Answer(giver: stored.giver, answer: .refused, answeredOn: CalendarDate(year: 1, month: 1, day: 1)!)
                }
                return RecordedConsent.Answer(giver: stored.giver, answer: stored.answer, answeredOn: day)
            },
            recipients: PartyKindSet(record.recipients), fields: FieldSet(record.fields), question: record.question,
            endsOn: record.endsOn.flatMap(CalendarDate.init), revoked: record.revokedAt != nil)
    }

    /// Givers in a fixed order (parent, other parent, legal representative, pupil), however they were recorded.
    static func giverOrder(_ giver: ConsentAnswerer) -> Int { ConsentAnswerer.allCases.firstIndex(of: giver)! }

    /// Dutch words for the givers fn 28 names, for reasons a holder reads.
    static func describe(_ givers: ConsentGiverSet) -> String {
        givers.givers.map { $0 == .pupil ? "de jongere" : "ouder of wettelijk vertegenwoordiger" }.joined(separator: " en ")
    }

    func renewalReason(since: CalendarDate, age: Int) -> (required: ConsentGiverSet, reason: String) {
        let required = policy.consent.requiredGivers(age: age) ?? ConsentGiverSet()
        return (required, "Op \(since) werd de leerling \(age) jaar; vanaf die leeftijd is toestemming nodig van \(Self.describe(required)). "
                    + "Deze toestemming volstaat niet meer: vraag opnieuw toestemming.")
    }

    func consentView(_ record: ConsentRecord, caseRef: String, birthDate: CalendarDate) async throws -> ConsentView {
        let standing = Self.recorded(record).standing(on: today, birthDate: birthDate, policy: policy.consent)
        var renewal: ConsentView.Renewal?
        if let since = standing.renewalSince, let age = standing.renewalAge {
            let (required, reason) = renewalReason(since: since, age: age)
            renewal = ConsentView.Renewal(since: since.description, age: age, required: required.givers.map(\.rawValue).sorted(), reason: reason,
                                          article: policy.consent.article)
        }
        var reach: [ConsentView.Reach]?
        if record.revokedAt != nil {
            reach = try await store.notices(consentID: record.id, kind: .consentRevoked).map {
                ConsentView.Reach(party: $0.party, role: $0.role?.rawValue, notifiedAt: $0.created, acknowledgedAt: $0.acknowledgedAt)
            }
        }
        return ConsentView(
            id: record.id, caseId: caseRef, holder: record.holder, recipients: record.recipients.map(\.rawValue),
            fields: record.fields.map(\.rawValue),
            sotQuestion: record.question, endsOn: record.endsOn,
            givers: try record.answers.sorted { Self.giverOrder($0.giver) < Self.giverOrder($1.giver) }.map {
                ConsentView.GiverView(giver: $0.giver.rawValue, answer: $0.answer.rawValue, answeredOn: $0.answeredOn, evidence: try openEvidence($0),
                                      recordedBy: $0.recordedBy, recordedAt: $0.recordedAt)
            },
            state: standing.state.rawValue, missing: standing.missing.givers.map(\.rawValue).sorted(), renewal: renewal,
            recordedBy: record.recordedBy, recordedAt: record.recordedAt, revokedAt: record.revokedAt, revocationReach: reach)
    }
}
