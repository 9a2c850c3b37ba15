import Foundation
import Testing
@testable import SluisCovenant

/// Loading `Policies/`: the real set loads; every kind of breakage is reported with the file,
/// the line and what is wrong — never a crash, never a silent default.
@Suite("Policy loading and validation")
struct PolicyLoaderTests {
    static let real = shippedSources

    static func mutated(_ file: String, _ old: String, _ new: String) -> PolicySources {
        shippedSources(replacing: old, with: new, in: file)
    }

    static func diagnostics(_ sources: PolicySources) -> [PolicyDiagnostic] {
        do {
            _ = try PolicyLoader.load(sources)
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test("The shipped policy set loads and covers the whole contract vocabulary")
    func shippedPolicyLoads() throws {
        let policy = try PolicyLoader.load(Self.real)
        #expect(policy.fields.count == Field.allCases.count)
        #expect(policy.forums.count == Forum.allCases.count)
        #expect(policy.rules.count == RuleID.allCases.count)
        #expect(policy.purposes.map(\.id) == ["3.1.a", "3.1.b", "3.1.c", "3.1.d", "3.1.e", "3.1.f", "3.1.g"])
        #expect(policy.parties.filter { $0.kind == .schoolbestuur }.count == 12, "the preamble lists twelve school boards")
        #expect(policy.parties.contains { $0.kind == .gemeente } && policy.parties.contains { $0.kind == .swv })
    }

    @Test("Every rule, basis, field, forum and party carries an article")
    func everythingCitesAnArticle() throws {
        let policy = try PolicyLoader.load(Self.real)
        let articles = policy.rules.map(\.article) + policy.bases.map(\.basis.article) + policy.fields.map(\.article)
            + policy.forums.map(\.article) + policy.parties.map(\.article) + policy.purposes.map(\.article)
            + policy.partyKinds.map(\.article) + [policy.table.article, policy.consent.article, policy.scope.article]
        #expect(articles.allSatisfy { !$0.isEmpty })
    }

    struct Breakage: Sendable, CustomTestStringConvertible {
        let name: String
        let file: String
        let old: String
        let new: String
        /// Text the diagnostic must contain.
        let expected: String
        var testDescription: String { name }
    }

    static let breakages: [Breakage] = [
        Breakage(name: "unknown key", file: "fields.yaml", old: "    label: burgerservicenummer",
                 new: "    lable: burgerservicenummer", expected: "unknown key 'lable'"),
        Breakage(name: "rule without an article", file: "rules.yaml",
                 old: "  - id: bsn-not-to-swv\n    article: convenant art. 5.1 sub b, voetnoot 23\n",
                 new: "  - id: bsn-not-to-swv\n", expected: "missing required key 'article'"),
        Breakage(name: "basis without an article", file: "bases.yaml",
                 old: "    law: [Jeugdwet art. 2.7]\n    article: convenant art. 4.1\n",
                 new: "    law: [Jeugdwet art. 2.7]\n", expected: "missing required key 'article'"),
        Breakage(name: "unknown field in a forum", file: "forums.yaml", old: "fields: [absence, schoolInterventions]",
                 new: "fields: [absence, schoolResults]", expected: "unknown field 'schoolResults'"),
        Breakage(name: "unknown party kind in a basis", file: "bases.yaml", old: "sender: jeugdhulpaanbieder",
                 new: "sender: zorgaanbieder", expected: "unknown party kind or role 'zorgaanbieder'"),
        Breakage(name: "unknown role", file: "forums.yaml", old: "participants: [swv, jgz, gemeente/leerplicht]",
                 new: "participants: [swv, jgz, gemeente/rmc]", expected: "'gemeente/rmc'"),
        Breakage(name: "unknown forum in a basis", file: "bases.yaml", old: "forums: [sot, casusoverleg, direct]",
                 new: "forums: [sot, casusoverleg, keukentafel]", expected: "unknown forum 'keukentafel'"),
        Breakage(name: "purpose outside art. 3.1", file: "purposes.yaml", old: "id: \"3.1.g\"",
                 new: "id: \"3.1.h\"", expected: "'3.1.h' is not a purpose of art. 3.1"),
        Breakage(name: "unknown rule", file: "rules.yaml", old: "id: case-closed", new: "id: case-paused",
                 expected: "unknown rule 'case-paused'"),
        Breakage(name: "duplicate field", file: "fields.yaml", old: "  - id: birthDate", new: "  - id: name",
                 expected: "field 'name' is defined twice"),
        Breakage(name: "a field left out", file: "fields.yaml", old: "  - id: bsn\n    label: burgerservicenummer\n    category: identity\n    article: convenant art. 5.1 sub b\n",
                 new: "", expected: "field 'bsn' is not defined"),
        Breakage(name: "invalid GDPR ground", file: "bases.yaml", old: "gdpr: 6(1)(a)\n    law: [Jeugdwet art. 7.3.11]",
                 new: "gdpr: toestemming\n    law: [Jeugdwet art. 7.3.11]", expected: "expected a GDPR ground"),
        Breakage(name: "YAML syntax error", file: "rules.yaml", old: "scope:\n  fromAge: 5",
                 new: "scope:\n  fromAge: [5", expected: "not valid YAML"),
        Breakage(name: "consent bands with a gap", file: "rules.yaml", old: "    - fromAge: 12\n", new: "    - fromAge: 13\n",
                 expected: "starts at age 13, expected 12"),
        Breakage(name: "unknown table requirement", file: "forums.yaml", old: "      leerplicht: duo-or-consent\n    - caseType: absoluut-verzuim",
                 new: "      leerplicht: perhaps\n    - caseType: absoluut-verzuim", expected: "unknown requirement 'perhaps'"),
        Breakage(name: "table without a column for a participant", file: "forums.yaml", old: "      senders: [swv, schoolbestuur]",
                 new: "      senders: [swv]", expected: "admits sender 'schoolbestuur' but the table has no column"),
        Breakage(name: "a third party admitted to a forum", file: "forums.yaml", old: "participants: [gemeente, swv, schoolbestuur, jgz, jeugdhulpaanbieder]\n    fields: [name, birthDate, address, bsn, lastSchool, absence, guardianship, familySituation, supportFacts, masInterventions, schoolInterventions, healthData]\n    fieldsArticle: convenant art. 5.1; art. 7.2",
                 new: "participants: [gemeente, swv, schoolbestuur, jgz, jeugdhulpaanbieder, derde]\n    fields: [name, birthDate, address, bsn, lastSchool, absence, guardianship, familySituation, supportFacts, masInterventions, schoolInterventions, healthData]\n    fieldsArticle: convenant art. 5.1; art. 7.2",
                 expected: "cannot admit 'derde'"),
        Breakage(name: "a jeugdhulpaanbieder listed as founding party", file: "parties.yaml", old: "    kind: jgz\n",
                 new: "    kind: jeugdhulpaanbieder\n", expected: "becomes a party only by accession"),
        Breakage(name: "retention beyond art. 9.2", file: "rules.yaml", old: "destroyWithinMonths: 12",
                 new: "destroyWithinMonths: 24", expected: "at most 12 months"),
        Breakage(name: "true written as yes", file: "parties.yaml", old: "    party: true\n    article: convenant, ondergetekenden sub 2",
                 new: "    party: yes\n    article: convenant, ondergetekenden sub 2", expected: "expected true or false"),
        Breakage(name: "fieldConsents: unknown field", file: "rules.yaml", old: "fields: [guardianship]",
                 new: "fields: [guardianShip]", expected: "unknown field 'guardianShip'"),
        Breakage(name: "fieldConsents: entry without an article", file: "rules.yaml",
                 old: "    article: verzuimprotocol 5.5.2; convenant art. 5.1 sub e; art. 13.1 voetnoot 28\n",
                 new: "", expected: "missing required key 'article'"),
        Breakage(name: "fieldConsents: unknown key", file: "rules.yaml", old: "    givers:\n      - fromAge: 0\n        toAge: 11",
                 new: "    gevers:\n      - fromAge: 0\n        toAge: 11", expected: "unknown key 'gevers'"),
        Breakage(name: "fieldConsents: age bands with a gap", file: "rules.yaml",
                 old: "        required: [parent]\n      - fromAge: 12", new: "        required: [parent]\n      - fromAge: 13",
                 expected: "starts at age 13, expected 12"),
        Breakage(name: "fieldConsents: an id that is an engine rule", file: "rules.yaml",
                 old: "  - id: guardianship-needs-consent", new: "  - id: consent-required",
                 expected: "'consent-required' is already a rule of the engine"),
        Breakage(name: "fieldConsents: a third party as recipient", file: "rules.yaml",
                 old: "recipients: [gemeente/leerplicht]", new: "recipients: [derde]", expected: "cannot name 'derde'"),
        Breakage(name: "fieldConsents: unknown consent giver", file: "rules.yaml",
                 old: "        required: [parent]\n      - fromAge: 12", new: "        required: [mentor]\n      - fromAge: 12",
                 expected: "unknown consent giver 'mentor'"),
        Breakage(name: "duplicate key", file: "covenant.yaml", old: "  version: \"2026-11-29\"",
                 new: "  version: \"2026-11-29\"\n  version: \"2027-01-01\"", expected: "duplicate key 'version'"),
    ]

    @Test("A broken policy file is reported with file, line and what is wrong", arguments: breakages)
    func brokenPolicyIsReported(_ breakage: Breakage) throws {
        let found = Self.diagnostics(Self.mutated(breakage.file, breakage.old, breakage.new))
        let match = try #require(found.first { $0.message.contains(breakage.expected) },
                                 "diagnostics were: \(found.map(\.description))")
        #expect(match.file.hasSuffix(".yaml"))
        #expect(match.line != nil, "\(match.description) names no line")
        #expect(match.description.contains(".yaml:\(match.line!)"))
    }

    @Test("The diagnostic points at the line of the offending key")
    func diagnosticLineIsExact() throws {
        let sources = Self.mutated("fields.yaml", "    label: burgerservicenummer", "    lable: burgerservicenummer")
        let text = sources.files.first { $0.name.hasSuffix("fields.yaml") }!.text
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("lable:") }! + 1
        let diagnostic = try #require(Self.diagnostics(sources).first)
        #expect(diagnostic.line == line)
        #expect(diagnostic.description.contains("fields[3]"))
    }

    @Test("Several problems are all reported at once")
    func allProblemsReported() {
        var sources = Self.mutated("fields.yaml", "    label: burgerservicenummer", "    lable: burgerservicenummer")
        let index = sources.files.firstIndex { $0.name.hasSuffix("rules.yaml") }!
        sources.files[index].text = sources.files[index].text.replacingOccurrences(of: "id: case-closed", with: "id: case-paused")
        #expect(Self.diagnostics(sources).count >= 2)
    }

    @Test("A section defined twice, a section missing and an unknown section are reported")
    func sectionsAreChecked() {
        var files = Self.real.files
        files.append(.init(name: "Policies/extra.yaml", text: "scope:\n  fromAge: 5\n  toAge: 17\n  article: x\nextras: []\n"))
        let messages = Self.diagnostics(PolicySources(files: files)).map(\.message)
        #expect(messages.contains { $0.contains("section 'scope' is already defined") })
        #expect(messages.contains { $0.contains("unknown key 'extras'") })
        let missing = Self.diagnostics(PolicySources(files: Self.real.files.filter { !$0.name.hasSuffix("purposes.yaml") }))
        #expect(missing.map(\.message).contains("section 'purposes' is missing from the policy set"))
    }

    @Test("A missing or empty directory is a clear error")
    func missingDirectory() throws {
        #expect(throws: PolicyLoadError.self) { try PolicySources.read(directory: "/nonexistent/policies") }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect {
            try PolicySources.read(directory: empty.path)
        } throws: { error in
            (error as? PolicyLoadError)?.description.contains("no .yaml policy files") == true
        }
    }

    @Test("An accession makes a jeugdhulpaanbieder known (art. 18); its dates must follow the procedure")
    func accessionsAreValidated() throws {
        let entry = """
            accessions:
              - party: jeugdhulp-voorbeeld
                name: Voorbeeld Jeugdhulp
                approvedOn: 2026-01-10
                signedOn: 2026-01-20
                notifiedOn: 2026-02-01
                article: convenant art. 18; Bijlage 1
            """
        let good = Self.mutated("parties.yaml", "accessions: []", entry)
        #expect(try PolicyLoader.load(good).accessions.map(\.party) == ["jeugdhulp-voorbeeld"])
        let reversed = Self.mutated("parties.yaml", "accessions: []", entry.replacingOccurrences(of: "2026-01-10", with: "2026-03-10"))
        #expect(Self.diagnostics(reversed).contains { $0.message.contains("accession dates out of order") })
        let badDate = Self.mutated("parties.yaml", "accessions: []", entry.replacingOccurrences(of: "2026-01-20", with: "20 januari"))
        #expect(Self.diagnostics(badDate).contains { $0.message.contains("expected a date as YYYY-MM-DD") })
    }

    @Test("RuleID.index is the case's position")
    func ruleIndexIsPosition() {
        for (position, id) in RuleID.allCases.enumerated() { #expect(id.index == position) }
        for (position, field) in Field.allCases.enumerated() { #expect(field.index == position) }
    }
}
