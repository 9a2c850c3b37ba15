import Logging
import SluisGateway

extension PeriodicService {
    /// The retention job (`Gateway.runRetention`, convenant art. 9.2; docs/retention.md) every
    /// day: a case is destroyed on the last day of its term, so a daily run keeps every term. A
    /// destroyed case is gone and another instance's run skips it, so runs side by side, or
    /// `sluis retention run` beside it, do no harm. Logged as counts and error codes; the FG sees
    /// whatever is left past its term (`GET /v1/retention`).
    static func retention(_ gateway: Gateway, logger: Logger) -> PeriodicService {
        PeriodicService(name: "retention", interval: .seconds(86_400), logger: logger) {
            let report = try await gateway.runRetention()
            return report.destroyed + report.failed > 0
                ? ["destroyed": "\(report.destroyed)", "failed": "\(report.failed)", "failures": "\(report.failures.joined(separator: ","))"] : nil
        }
    }
}
