import ArgumentParser
import Foundation
import SluisCovenant

struct AbsenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "absence",
        abstract: "Absence registrations in, the signals due under the verzuimprotocol out.",
        subcommands: [AbsenceEvaluateCommand.self]
    )
}

/// `sluis absence evaluate FILE [--today YYYY-MM-DD]` (`../shared/contract/absence.md`): the
/// signals as one JSON document on standard output, exit 0. A bad file: every error on standard
/// error, one per line, nothing on standard output, exit 2; so too for an unreadable file or a
/// bad `--today`.
struct AbsenceEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate an absence file (CSV: pupil,date,kind,hours,unit) and print the signals due."
    )

    @Argument(help: "The absence file (CSV, UTF-8, header row first).")
    var file: String

    @Option(help: "The day to evaluate on, YYYY-MM-DD (default: today in Europe/Amsterdam).")
    var today: String?

    func run() throws {
        let day: CalendarDate
        if let today {
            do {
                day = try CalendarDate(text: today)
            } catch {
                StandardError.print("--today: \"\(today)\" is not a date (use YYYY-MM-DD, a day of the calendar)")
                throw ExitCode(2)
            }
        } else {
            day = CalendarDate.amsterdam(Date())
        }
        let bytes: [UInt8]
        do {
            bytes = try FileIO.read(file)
        } catch {
            StandardError.print("absence evaluate: \(error)")
            throw ExitCode(2)
        }
        let registrations: [AbsenceRegistration]
        do {
            registrations = try AbsenceFile.parse(bytes, today: day)
        } catch {
            StandardError.print(error.description)
            throw ExitCode(2)
        }
        print(AbsenceSignal.json(AbsenceEvaluator.evaluate(registrations, today: day)))
    }
}
