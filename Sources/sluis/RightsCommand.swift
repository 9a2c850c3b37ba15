import ArgumentParser
import Foundation
import SluisCovenant
import SluisCrypto
import SluisGateway
import SluisRegister

/// `sluis rights`: the rights of pupils and parents (convenant art. 13; AVG art. 12 lid 3;
/// docs/rights.md) — the deadlines, the overdue sweep, and the inzage report for the regisseur
/// on the gateway host. Requests themselves are handled by a logged-in convener through
/// `/v1/rights/…`: a decision needs a person with both factors (art. 10.2).
struct RightsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rights",
        abstract: "Rights of pupils and parents: a request's AVG deadline, the overdue ones flagged, the inzage report (docs/rights.md).",
        subcommands: [RightsDeadlineCommand.self, RightsOverdueCommand.self, RightsInzageCommand.self]
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

/// `sluis rights inzage --case REF --as USERNAME [--format html|pdf] --out FILE`: the inzage
/// report of `GET /v1/cases/{ref}/inzage` (art. 13.1 sub a), made by the named delegate after
/// logging in with both factors like any person (art. 10.2: the password on standard input, a
/// fresh TOTP code as `--code`; the session ended after) — the authority table decides as over
/// HTTP (the regisseur: the party that brought the case in or the forum's convener) — written to
/// FILE (mode 0600: it holds the pupil's data) and on the register like any other. Prints the
/// register entry and the SHA-256; never the content.
struct RightsInzageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inzage",
        abstract: "The inzage report about the pupil of a case, as HTML or PDF (art. 13.1 sub a)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case html, pdf }

    @Option(name: .customLong("case"), help: "The case reference of the delegate's own party.") var caseRef: String
    @Option(name: .customLong("as"), help: "The username of the regisseur's delegate the report is made by (recorded in the register); the password is read from standard input.") var username: String
    @Option(help: "A fresh TOTP code of that delegate (convenant art. 10.2).") var code: String
    @Option(help: "html or pdf.") var format: Format = .html
    @Option(help: "The file to write (replaced whole, mode 0600).") var out: String
    @OptionGroup var gateway: GatewayTaskOptions

    func run() async throws {
        var typed = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        while let last = typed.last, last == 10 || last == 13 { typed.removeLast() }
        let password = SecureBytes(typed)
        for index in typed.indices { typed[index] = 0 }
        let (username, code, caseRef, format) = (username, code, caseRef, format)
        let document = try await gateway.run("rights inzage") { gateway in
            let trace = try TraceContext.fresh()
            let session = try await gateway.access.login(username: username, password: password, code: code, trace: trace)
            do {
                let principal = try await gateway.access.authenticate(token: session.token, trace: trace)
                let document = try await gateway.inzage(caseRef, format: format.rawValue, by: principal, trace: trace)
                try? await gateway.access.logout(token: session.token)
                return document
            } catch {
                try? await gateway.access.logout(token: session.token)
                throw error
            }
        }
        do {
            try document.bytes.withUnsafeBytes { try FileIO.write($0, to: out, mode: 0o600) }
        } catch {
            StandardError.print("sluis: \(error) (the report is on the register as entry \(document.registerIndex))")
            throw ExitCode(1)
        }
        print("inzage: \(out) (\(document.format.rawValue), \(document.bytes.count) bytes, sha-256 \(document.digest)), register entry \(document.registerIndex)")
    }
}
