import Foundation
import SluisCovenant
import SluisStore

/// What one sweep delivered.
public struct ConsentSweepReport: Sendable, Equatable, Codable {
    /// Notices that an age transition made a consent insufficient (fn 28).
    public var renewals: Int
    /// Notices that a consent's end date is near.
    public var endings: Int
    /// Consents looked at.
    public var consents: Int
}

extension Gateway {
    /// Tells each holder, once, what needs its action on its consents today (the gateway's
    /// clock): a consent that sufficed and no longer does since a birthday (fn 28: from 12 the
    /// pupil too, from 16 the pupil alone — `consent-needs-renewal`), and a consent whose end
    /// date is within the policy's `consent.endNotice.daysBefore` (`consent-ends-soon`). Each
    /// notice has a key of its own (kind, consent, day), so a sweep run twice — or by two
    /// gateway instances at once — delivers it once. Run by `sluis serve` periodically and by
    /// `sluis consents sweep`; the consent views say the same at any moment, sweep or not.
    public func sweepConsentNotices() async throws -> ConsentSweepReport {
        let day = today
        var report = ConsentSweepReport(renewals: 0, endings: 0, consents: 0)
        var birthDates: [String: CalendarDate] = [:]
        let created = time
        for consent in try await store.liveConsents() {
            report.consents += 1
            let recorded = Self.recorded(consent)
            if let endNotice = policy.consent.endNotice, let endsOn = consent.endsOn, recorded.endNoticeDue(on: day, daysBefore: endNotice.daysBefore) {
                if try await deliverOnce(.consentEndsSoon, consent: consent, due: endsOn, created: created) { report.endings += 1 }
            }
            guard !recorded.givenBy.isEmpty, !recorded.hasRefusal, !recorded.isLapsed(on: day) else { continue }
            let birthDate: CalendarDate
            if let known = birthDates[consent.caseID] {
                birthDate = known
            } else {
                guard let record = try await store.case(consent.caseID) else { continue }
                birthDate = try birthDay(record)
                birthDates[consent.caseID] = birthDate
            }
            let standing = recorded.standing(on: day, birthDate: birthDate, policy: policy.consent)
            if standing.state == .needsRenewal, let since = standing.renewalSince {
                if try await deliverOnce(.consentNeedsRenewal, consent: consent, due: since.description, created: created) { report.renewals += 1 }
            }
        }
        return report
    }

    /// A notice to the consent's holder (at a gemeente, to the holder's role), at most once per
    /// kind, consent and day.
    private func deliverOnce(_ kind: NoticeKind, consent: ConsentRecord, due: String, created: String) async throws -> Bool {
        let parts = consent.holder.split(separator: "/", maxSplits: 1).map(String.init)
        return try await store.addOnce(notice: NoticeRecord(
            id: UUID().uuidString.lowercased(), party: parts[0], caseID: consent.caseID, kind: kind, consentID: consent.id, created: created,
            role: parts.count == 2 ? PartyRole(rawValue: parts[1]) : nil, onceKey: "\(kind.rawValue):\(consent.id):\(due)", due: due))
    }
}
