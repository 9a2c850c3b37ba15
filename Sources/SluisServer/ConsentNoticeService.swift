import Foundation
import Logging
import ServiceLifecycle
import SluisGateway

/// Runs the gateway's consent sweep (`Gateway.sweepConsentNotices`) inside `sluis serve`: at
/// start and then every `interval`, until the server shuts down. The sweep is idempotent (each
/// notice once), so a restart, a second instance or `sluis consents sweep` beside it does no harm.
/// A failed sweep is logged and tried again at the next interval; the server keeps serving.
struct ConsentNoticeService: Service {
    /// An hour: a birthday or an end-date notice reaches the holder the same day.
    static let interval: Duration = .seconds(3600)

    let gateway: Gateway
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let report = try await gateway.sweepConsentNotices()
                if report.renewals + report.endings > 0 {
                    logger.info("consent notices", metadata: ["renewals": "\(report.renewals)", "endings": "\(report.endings)"])
                }
            } catch {
                logger.error("consent sweep failed; trying again at the next interval", metadata: ["error": "\(type(of: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
        }
    }
}
