import Logging
import ServiceLifecycle

/// A job of `sluis serve` (swift-service-lifecycle): `work` runs at start and then every
/// `interval`, until the server shuts down. A failed run is logged by error type — never its
/// text, which may come from the database — and tried again at the next interval; the server
/// keeps serving. The jobs are idempotent, so a restart, a second gateway instance or their CLI
/// twin beside them does no harm.
struct PeriodicService: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    /// One run; the counts worth a log line, or nil when there is nothing to tell.
    let work: @Sendable () async throws -> Logger.Metadata?

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if let counts = try await work() { logger.info("\(name)", metadata: counts) }
            } catch {
                logger.error("\(name) failed; trying again at the next interval", metadata: ["error": "\(type(of: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
