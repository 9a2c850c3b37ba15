import Foundation
import Testing
@testable import SluisCovenant

/// The repository's `Policies/` directory, found from this file's location.
let policiesDirectory: String = {
    URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Policies").path
}()

/// The real policy set, loaded once for all tests.
let covenant: CovenantPolicy = {
    do { return try PolicyLoader.load(directory: policiesDirectory) } catch {
        fatalError("Policies/ does not load: \(error)")
    }
}()

let engine = DecisionEngine(policy: covenant)

/// The shipped policy files, read once.
let shippedSources: PolicySources = {
    do { return try PolicySources.read(directory: policiesDirectory) } catch {
        fatalError("Policies/ cannot be read: \(error)")
    }
}()

/// The shipped policy set with one text replaced in one file (a fixture for broken or
/// narrowed policies).
func shippedSources(replacing old: String, with new: String, in file: String) -> PolicySources {
    var files = shippedSources.files
    let index = files.firstIndex { $0.name.hasSuffix("/" + file) }!
    precondition(files[index].text.contains(old), "fixture text not found in \(file): \(old)")
    files[index].text = files[index].text.replacingOccurrences(of: old, with: new)
    return PolicySources(files: files)
}

/// A request with safe, ordinary defaults: an informed 14-year-old with an open case and a
/// DUO melding, purpose 3.1.a.
func request(
    from sender: PartyRef = PartyRef(kind: .schoolbestuur),
    to recipient: PartyRef = PartyRef(kind: .gemeente, role: .leerplicht),
    in forum: Forum = .casusoverleg,
    purpose: String = "3.1.a",
    fields: [String] = ["name", "birthDate", "absence"],
    question: String? = nil,
    age: Int = 14,
    duo: Bool = true,
    informed: Bool = true,
    status: CaseStatus = .open,
    caseType: String? = nil,
    phase: String? = nil,
    consents: [ConsentFact] = []
) -> DecisionRequest {
    DecisionRequest(
        sender: sender, recipient: recipient, forum: forum, purpose: purpose,
        fields: fields.map(RequestedField.init), question: question,
        pupil: PupilFacts(age: age, duoMelding: duo, informed: informed, caseStatus: status, caseType: caseType, phase: phase),
        consents: consents)
}

func consent(
    by givers: ConsentGiverSet = [.parent, .pupil], to recipients: [PartyKind],
    fields: [Field], question: String? = nil, revoked: Bool = false
) -> ConsentFact {
    ConsentFact(givenBy: givers, recipients: PartyKindSet(recipients), fields: FieldSet(fields),
                question: question, revoked: revoked)
}

let gemeente = PartyRef(kind: .gemeente)
let leerplicht = PartyRef(kind: .gemeente, role: .leerplicht)
let jeugdEnGezin = PartyRef(kind: .gemeente, role: .jeugdEnGezin)
let swv = PartyRef(kind: .swv)
let school = PartyRef(kind: .schoolbestuur)
let jgz = PartyRef(kind: .jgz)
let jeugdhulp = PartyRef(kind: .jeugdhulpaanbieder)
let derde = PartyRef(kind: .derde)

extension DecisionAnswer {
    /// The rule that withheld a field, if it was withheld.
    func rule(for field: String) -> String? {
        withheld.first { $0.field == field }?.citation.rule
    }
    var reasonRules: [String] { reasons.map(\.rule) }
}
