import ArgumentParser
import Foundation
import SluisGateway
import SluisCovenant

/// `sluis retention`: closed cases and their term (convenant art. 9.2; docs/retention.md).
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Retention: destroy the personal data of closed cases whose term ended (art. 9.2; docs/retention.md).",
        subcommands: [RetentionRunCommand.self]
    )
}

/// `sluis retention run [--dry-run] [--today YYYY-MM-DD]`: what `sluis serve` does every day,
/// once, now. Prints counts only — never a case, pseudonym or value. Exit 1 when a case could
/// not be destroyed (it is left whole; the FG sees it in `GET /v1/retention`).
struct RetentionRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Destroy the personal data of every closed case whose term ended on or before today, each case with its register entry; print the counts."
    )

    @Flag(help: "Count what would be destroyed; change nothing, register nothing.") var dryRun = false
    @Option(help: "The day to judge on, YYYY-MM-DD (default: today in Europe/Amsterdam).") var today: String?
    @OptionGroup var gateway: GatewayTaskOptions

    func run() async throws {
        let day = try CalendarDate.option(today)
        // A day after today would destroy before the term ended (art. 9.2 keeps the data that
        // long) and write the wrong day into the tombstones: only a dry run may look ahead.
        if let day, !dryRun, day > CalendarDate.amsterdam(Date()) {
            StandardError.print("--today: a real run judges on today or a day before it; look ahead with --dry-run")
            throw ExitCode(64)
        }
        let report = try await gateway.run("the retention run") { try await $0.runRetention(today: day, dryRun: dryRun) }
        print("retention \(dryRun ? "dry run" : "run") on \(report.today): term \(report.termMonths) months (convenant art. 9.2)")
        print("closed cases: \(report.closedCases), due: \(report.due), " + (dryRun ? "would be destroyed: \(report.due)"
            : "destroyed: \(report.destroyed), destroyed meanwhile elsewhere: \(report.skipped), failed: \(report.failed)"))
        for (table, rows) in report.rows.sorted(by: { $0.key < $1.key }) where rows > 0 {
            print("  \(table): \(rows) row\(rows == 1 ? "" : "s")"
                  + (table == "tafel_deliveries" ? " (each a sealed view of a whole meeting: the other pupils on it leave the participants' mailboxes with it; docs/retention.md)" : ""))
        }
        if report.failed > 0 {
            StandardError.print("sluis: \(report.failed) case(s) not destroyed (\(report.failures.joined(separator: ", "))); each was left whole")
            throw ExitCode(1)
        }
    }
}
