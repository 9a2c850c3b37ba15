import ArgumentParser
import Foundation
import SluisCovenant
import SluisGateway
import SluisServer

/// What an operator task needs to open the gateway as `sluis serve` would (its configuration,
/// keys and database) without serving: `consents sweep`, `retention run`, `statistics`.
struct GatewayTaskOptions: ParsableArguments {
    @Option(help: "A YAML configuration file (as for serve).") var config: String?
    @Option(name: .customLong("db"), help: "sqlite:PATH or postgres://… (overrides the configuration).") var database: String?

    /// Runs `body` on the opened gateway and closes it, also when `body` fails. Exit 1, naming
    /// the cause, when the gateway cannot be opened (no keys, no database) or `body` fails.
    func run<T>(_ task: String, _ body: (Gateway) async throws -> T) async throws -> T {
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
            let result = try await body(runtime.gateway)
            await runtime.close()
            return result
        } catch {
            await runtime.close()
            if error is ExitCode { throw error }
            StandardError.print("sluis: \(task) failed: \(error)")
            throw ExitCode(1)
        }
    }
}

extension CalendarDate {
    /// A `--today` option's day; exit 64 naming the option when it is no calendar day.
    static func option(_ text: String?) throws -> CalendarDate? {
        guard let text else { return nil }
        guard let day = try? CalendarDate(text: text) else {
            StandardError.print("--today: not a day of the calendar as YYYY-MM-DD")
            throw ExitCode(64)
        }
        return day
    }
}
