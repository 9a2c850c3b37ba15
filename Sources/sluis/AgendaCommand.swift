import ArgumentParser
import Foundation
import SluisCovenant
import SluisCrypto

struct AgendaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda",
        abstract: "The thuiszitterstafel agenda: one minimised view per participant (Bijlage 3.3).",
        subcommands: [AgendaPreviewCommand.self]
    )
}

/// `sluis agenda preview`: one agenda (contract JSON, `../shared/contract/agenda.md`) in, one
/// answer out with every participant's view. Exit 0 for any answer; exit 2 with the offending
/// key on standard error when the agenda is not well-formed; 3 for an invalid policy set.
struct AgendaPreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Preview every participant's view of an agenda (JSON on standard input, or --request FILE).",
        discussion: """
            References for pupils a participant sees pseudonymised are made under a random key \
            of this run alone (HMAC-SHA-256), so they differ from run to run and from the \
            gateway's; no key directory is read. Exit 0 for any answer, 2 for an invalid agenda \
            (the key named on standard error), 3 for an invalid policy set.
            """
    )

    @OptionGroup var input: RequestOptions

    @OptionGroup var policies: PolicyLocation

    func run() throws {
        let (policy, _) = try policies.load()
        let request = try input.read(limit: AgendaParser.Limits.bodyBytes, AgendaParser.parse)
        // A key of this run only: the references can be linked to nothing once it is gone.
        let pseudonyms = try Pseudonymizer(keys: [Pseudonymizer.Key(version: 1, secret: SecureBytes.random(count: 32))])
        let answer = try AgendaPreview(engine: DecisionEngine(policy: policy)).preview(request) { participant, ref in
            try pseudonyms.pseudonym(of: ref, for: participant.label)
        }
        print(answer.json(pretty: !input.compact))
    }
}
