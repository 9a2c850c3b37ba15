import Logging
import SluisGateway

extension PeriodicService {
    /// The consent sweep (`Gateway.sweepConsentNotices`; fn 28, consent.endNotice) every hour, so
    /// that a birthday or an end-date notice reaches the holder the same day. `sluis consents
    /// sweep` is its twin; each notice is delivered once.
    static func consentNotices(_ gateway: Gateway, logger: Logger) -> PeriodicService {
        PeriodicService(name: "consent notices", interval: .seconds(3600), logger: logger) {
            let report = try await gateway.sweepConsentNotices()
            // The rights requests past their AVG art. 12 lid 3 deadline, flagged the same hour.
            let rights = try await gateway.sweepRightsDeadlines()
            return report.renewals + report.endings + rights.notified > 0
                ? ["renewals": "\(report.renewals)", "endings": "\(report.endings)", "rightsOverdue": "\(rights.notified)"] : nil
        }
    }
}
