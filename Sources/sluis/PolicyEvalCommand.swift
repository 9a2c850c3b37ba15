import ArgumentParser
import Foundation
import SluisCovenant

/// `sluis policy eval`: one decision request (contract JSON) in, one answer out. Exit 0 for
/// any answer, permit or deny; exit 2 with the offending key on standard error when the
/// request is not well-formed (`../shared/contract/decision.md`).
struct PolicyEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Answer one decision request (JSON on standard input, or --request FILE)."
    )

    @Option(name: .customLong("request"), help: "Read the request from this file instead of standard input.")
    var requestFile: String?

    @Flag(help: "Print the answer on one line.")
    var compact = false

    @OptionGroup var policies: PolicyLocation

    func run() throws {
        let (policy, _) = try policies.load()
        let data: Data
        // A request is small (the parser's limit): never read more than one byte past it.
        let limit = RequestParser.Limits.bodyBytes + 1
        if let requestFile {
            guard let handle = FileHandle(forReadingAtPath: requestFile) else {
                StandardError.print("invalid request: cannot read the file \(requestFile)")
                throw ExitCode(2)
            }
            defer { try? handle.close() }
            do {
                data = try handle.read(upToCount: limit) ?? Data()
            } catch {
                StandardError.print("invalid request: cannot read the file \(requestFile)")
                throw ExitCode(2)
            }
        } else {
            data = (try? FileHandle.standardInput.read(upToCount: limit)) ?? Data()
        }
        let request: DecisionRequest
        do {
            request = try RequestParser.parse(data)
        } catch {
            StandardError.print("invalid request: \(error.description)")
            throw ExitCode(2)
        }
        let answer = DecisionEngine(policy: policy).evaluate(request)
        print(answer.json(pretty: !compact))
    }
}
