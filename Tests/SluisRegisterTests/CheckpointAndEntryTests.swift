import Foundation
import Testing
@testable import SluisCovenant
@testable import SluisCrypto
@testable import SluisRegister

@Suite("Checkpoints, entries and the art. 30 register")
struct CheckpointAndEntryTests {
    static let signer = try! CheckpointSigner(name: Checkpoint.origin, key: PrivateKey.generateEd25519())

    @Test("A signed checkpoint verifies with the verifier key, in the C2SP note format")
    func checkpointRoundTrip() throws {
        let checkpoint = Checkpoint(size: 1234, root: [UInt8](repeating: 7, count: 32))
        let text = try Self.signer.sign(checkpoint)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "sluis.goeree-overflakkee/thuiszitters/register" && lines[1] == "1234")
        #expect(lines[3] == "" && lines[4].hasPrefix("— \(Checkpoint.origin) "))
        #expect(try Checkpoint.verify(text, verifier: Self.signer.verifier) == checkpoint)
        let parsed = try #require(CheckpointSigner.Verifier(text: Self.signer.verifier.text))
        #expect(parsed == Self.signer.verifier)
    }

    @Test("A forged checkpoint is refused: changed size, changed root, other key")
    func forgedCheckpoints() throws {
        let text = try Self.signer.sign(Checkpoint(size: 10, root: [UInt8](repeating: 1, count: 32)))
        let larger = text.replacingOccurrences(of: "\n10\n", with: "\n11\n")
        #expect(throws: Checkpoint.Failure.self) { try Checkpoint.verify(larger, verifier: Self.signer.verifier) }
        let other = try CheckpointSigner(name: Checkpoint.origin, key: PrivateKey.generateEd25519())
        #expect(throws: Checkpoint.Failure.self) { try Checkpoint.verify(text, verifier: other.verifier) }
        #expect(throws: Checkpoint.Failure.self) { try Checkpoint.verify("nonsense", verifier: Self.signer.verifier) }
    }

    @Test("C2SP tlog-checkpoint: parse reads a saved checkpoint's origin, size and root without trusting it, and refuses what is no checkpoint")
    func parseWithoutSignature() throws {
        let checkpoint = Checkpoint(size: 40, root: [UInt8](repeating: 3, count: 32))
        let text = try Self.signer.sign(checkpoint)
        #expect(try Checkpoint.parse(text) == checkpoint)
        let unsigned = text.replacingOccurrences(of: "\n40\n", with: "\n41\n")
        #expect(try Checkpoint.parse(unsigned).size == 41, "parse checks the form only; verify checks the signature")
        for malformed in ["", "nonsense", "\n\n", "origin\n40\n\n— k x\n", "origin\n-1\nAAAA\n\n", "origin\n99999999999999999999\n\(Data(count: 32).base64EncodedString())\n\n"] {
            #expect(throws: Checkpoint.Failure.self) { try Checkpoint.parse(malformed) }
        }
    }

    static let entry = RegisterEntry(
        index: 42, time: "2026-11-29T10:00:00.123Z", traceID: String(repeating: "a", count: 32), spanID: String(repeating: "b", count: 16),
        activity: "verstrekking-casusoverleg", activityVersion: "0123456789abcdef", operation: "disclose", sender: "sovogo",
        actor: "delegate-7", recipient: "gemeente-goeree-overflakkee", forum: "casusoverleg", purpose: "3.1.a", decision: "permit",
        released: ["absence"], withheld: ["name"], basis: ["6(1)(e); Leerplichtwet art. 16; convenant art. 4.3"],
        policyHash: String(repeating: "c", count: 64), subject: "ps1-abcdefghijklmnopqrstuvwxyz234567",
        bundleDigest: String(repeating: "d", count: 64))

    @Test("An entry's canonical form round-trips; anything not canonical is refused")
    func canonicalEntries() throws {
        let bytes = Self.entry.canonicalJSON
        #expect(try RegisterEntry.decode(canonical: bytes) == Self.entry)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"basis":["6(1)(e); Leerplichtwet art. 16; convenant art. 4.3"],"bundleDigest":"#))
        for altered in [text.replacingOccurrences(of: ",\"index\":42", with: ", \"index\":42"),
                        text.replacingOccurrences(of: "\"index\":42", with: "\"index\":42.0"),
                        text.replacingOccurrences(of: "}", with: ",\"extra\":1}")] {
            #expect(throws: RegisterEntry.DecodingError.self) { try RegisterEntry.decode(canonical: Array(altered.utf8)) }
        }
    }

    @Test("Art. 30: every forum is an activity with purposes, bases, data, recipients, retention and security")
    func processingActivities() throws {
        let policy = try PolicyLoader.load(directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Policies").path)
        let activities = ProcessingActivities.generate(policy)
        // One per forum, plus: the dry-run question, the FG's inspection, the absence import, the
        // destruction at the end of the term (art. 9.2), the link of the verzuimoverleg (5.4)
        // the handling of rights requests (art. 13) and the inzage report (art. 13.1 sub a).
        #expect(activities.count == Forum.allCases.count + 7)
        // The school's own import of its absence registrations is a processing, not a disclosure.
        let absenceImport = try #require(activities.first { $0.id == ProcessingActivities.absenceImport })
        #expect(absenceImport.name.contains("geen verstrekking") && absenceImport.recipients.allSatisfy { $0.hasPrefix("geen") })
        // So is the leerplichtambtenaar's link of his own anonymous verzuimoverleg to the case
        // after a DUO melding (protocol 5.4; Bijlage 3.1): for purpose 3.1 sub a, to nobody.
        let link = try #require(activities.first { $0.id == ProcessingActivities.verzuimoverlegLink })
        #expect(link.name.contains("geen verstrekking") && link.recipients.allSatisfy { $0.hasPrefix("geen") })
        #expect(link.purposes.count == 1 && link.purposes[0].hasPrefix("3.1.a ") && link.article.contains("Bijlage 3.1"))
        let casus = try #require(activities.first { $0.id == "verstrekking-casusoverleg" })
        #expect(casus.legalBases.contains { $0.contains("convenant art. 4.3") })
        #expect(casus.dataCategories.contains { $0.contains("art. 5.1 sub b") })
        #expect(casus.retention.contains("12 maanden") && casus.retention.contains("art. 9.2"))
        #expect(casus.version.count == 16)
        // A change of policy makes a new version of the activities it touches, and only those.
        var changed = policy
        changed.retention.destroyWithinMonths = 6
        let after = ProcessingActivities.generate(changed)
        #expect(zip(activities, after).allSatisfy { $0.version != $1.version || ["fg-inzage-register", "verzuimregistratie-inlezen"].contains($0.id) })
        #expect(ProcessingActivities.render(activities, as: .csv).hasPrefix("id,versie,naam"))
        #expect(ProcessingActivities.render(activities, as: .json).contains("\"version\": \""))
        #expect(CSV.field("=cmd|'/c calc'!A1") == "'=cmd|'/c calc'!A1")
    }
}
