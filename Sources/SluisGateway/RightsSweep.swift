import Foundation
public import SluisCovenant
import SluisStore

/// What one overdue sweep delivered (counts only).
public struct RightsSweepReport: Sendable, Equatable, Codable {
    public var today: String
    /// Requests not decided yet, looked at.
    public var undecided: Int
    /// Of those, past their deadline.
    public var overdue: Int
    /// Notices delivered now (an overdue request is noticed once).
    public var notified: Int
}

extension Gateway {
    /// Flags every undecided request past its AVG art. 12 lid 3 deadline: a
    /// `rights-request-overdue` notice to its handler, once per request (a key of its own), so
    /// two sweeps or two instances deliver it once. The FG sees the same in `rightsOversight`.
    /// Run by `sluis serve` with the consent sweep and by `sluis rights overdue`.
    public func sweepRightsDeadlines(today: CalendarDate? = nil) async throws -> RightsSweepReport {
        let day = today ?? self.today
        let open = try await store.undecidedRightsRequests()
        var report = RightsSweepReport(today: day.description, undecided: open.count, overdue: 0, notified: 0)
        let created = time
        for request in open {
            let deadline = RightsDeadline(receivedOn: try CalendarDate(text: request.receivedOn), extended: request.extendedAt != nil)
            guard deadline.isOverdue(today: day, status: request.status) else { continue }
            report.overdue += 1
            let parts = request.handler.split(separator: "/", maxSplits: 1).map(String.init)
            if try await store.addOnce(notice: NoticeRecord(
                id: UUID().uuidString.lowercased(), party: parts[0], caseID: request.caseID, kind: .rightsRequestOverdue, consentID: nil,
                created: created, role: parts.count == 2 ? PartyRole(rawValue: parts[1]) : nil,
                onceKey: "\(NoticeKind.rightsRequestOverdue.rawValue):\(request.id)", due: request.dueOn, subject: request.id)) {
                report.notified += 1
            }
        }
        return report
    }
}
