import ArgumentParser
import Foundation
import SluisCovenant
import SluisGateway

/// `sluis rights`: the deadlines of the rights of pupils and parents (convenant art. 13; AVG
/// art. 12 lid 3; docs/rights.md). Requests themselves are handled by a logged-in convener
/// through `/v1/rights/…`: a decision needs a person with both factors (art. 10.2).
struct RightsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rights",
        abstract: "Rights requests: their AVG deadline, and the overdue ones flagged (docs/rights.md).",
        subcommands: [RightsDeadlineCommand.self, RightsOverdueCommand.self]
    )
}

/// `sluis rights deadline RECEIVED [--extended] [--today DAY]`: the last day to answer, and the days left.
struct RightsDeadlineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadline",
        abstract: "The last day to answer a request received on RECEIVED (one month; three when extended, AVG art. 12 lid 3) and the days left."
    )

    @Argument(help: "The day the request was received, YYYY-MM-DD.") var received: String
    @Flag(help: "The deadline was extended by two months (once, with reasons).") var extended = false
    @Option(help: "Judge on this day instead of today (YYYY-MM-DD, Europe/Amsterdam).") var today: String?

    func run() throws {
        guard let day = try? CalendarDate(text: received) else {
            StandardError.print("RECEIVED: not a day of the calendar as YYYY-MM-DD")
            throw ExitCode(64)
        }
        let deadline = RightsDeadline(receivedOn: day, extended: extended)
        let now = try CalendarDate.option(today) ?? CalendarDate.amsterdam(Date())
        let left = deadline.daysLeft(today: now)
        print("due: \(deadline.dueOn), days left: \(left)\(left < 0 ? " (overdue)" : "")")
    }
}

/// `sluis rights overdue`: what `sluis serve` does every hour — flag each undecided request past
/// its deadline to its handler, once. Counts only.
struct RightsOverdueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overdue",
        abstract: "Flag, once, every undecided rights request past its AVG deadline to its convener; prints counts."
    )

    @OptionGroup var gateway: GatewayTaskOptions
    @Option(help: "Judge on this day instead of today (YYYY-MM-DD, Europe/Amsterdam).") var today: String?

    func run() async throws {
        let day = try CalendarDate.option(today)
        let report = try await gateway.run("the overdue sweep") { try await $0.sweepRightsDeadlines(today: day) }
        print("undecided: \(report.undecided), overdue: \(report.overdue), notified now: \(report.notified)")
    }
}
