import ArgumentParser
import Foundation
import SluisGateway
import SluisServer

/// An operator command's gateway: opened from the configuration (and `--db`) as `serve` opens
/// it, handed to `body`, closed afterwards also when `body` fails. A failure to open, or one
/// `body` throws, is printed with `what` and exits 1 (a `GatewayError` by its description only:
/// never a value it was given).
enum OperatorRuntime {
    static func run(config: String?, database: String?, what: String, _ body: (Gateway, [String: String]) async throws -> Void) async throws {
        var environment = ProcessInfo.processInfo.environment
        if let database { environment["SLUIS_DATABASE_URL"] = database }
        let runtime: GatewayRuntime
        do {
            runtime = try await GatewayRuntime.open(try ServerConfiguration.load(file: config, environment: environment))
        } catch {
            StandardError.print("sluis: cannot open the gateway: \(error)")
            throw ExitCode(1)
        }
        do {
            try await body(runtime.gateway, environment)
        } catch let error as GatewayError {
            await runtime.close()
            StandardError.print("sluis: \(what): \(error.description)")
            throw ExitCode(1)
        } catch {
            await runtime.close()
            StandardError.print("sluis: \(what): \(error)")
            throw ExitCode(1)
        }
        await runtime.close()
    }
}
