import ArgumentParser
import SluisGateway
import Foundation
import SluisCovenant

/// `sluis statistics [--format csv|json] [--today YYYY-MM-DD]`: the anonymised counts of
/// `GET /v1/statistics` (convenant art. 9.3; docs/statistics.md), for an operator.
struct StatisticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statistics",
        abstract: "Anonymised counts of the cases closed per completed quarter, by case type, outcome and duration; values under 5, zero included, hidden, and every value that would tell one from 0 (art. 9.3; docs/statistics.md)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @Option(help: "csv or json.") var format: Format = .json
    @Option(help: "Count the quarters that ended before this day, YYYY-MM-DD (default: today in Europe/Amsterdam).") var today: String?
    @OptionGroup var gateway: GatewayTaskOptions

    func run() async throws {
        let day = try CalendarDate.option(today)
        let statistics = try await gateway.run("statistics") { try await $0.statistics(today: day) }
        switch format {
        case .csv:
            print(statistics.csv, terminator: "")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(statistics), as: UTF8.self))
        }
    }
}
