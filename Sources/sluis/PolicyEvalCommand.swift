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

    @OptionGroup var input: RequestOptions

    @OptionGroup var policies: PolicyLocation

    func run() throws {
        let (policy, _) = try policies.load()
        // A request is small (the parser's limit): never read more than one byte past it.
        let request = try input.read(limit: RequestParser.Limits.bodyBytes, RequestParser.parse)
        let answer = DecisionEngine(policy: policy).evaluate(request)
        print(answer.json(pretty: !input.compact))
    }
}
