public import ArgumentParser
import Foundation
import SluisCovenant
import SluisCrypto
import SluisRegister
import SluisStore
import SluisServer
import SluisGateway

/// `--db URL`: else `$SLUIS_DATABASE_URL`, else `var/sluis.sqlite`.
struct DatabaseOption: ParsableArguments {
    @Option(name: .customLong("db"), help: "sqlite:PATH or postgres://… (default: $SLUIS_DATABASE_URL or var/sluis.sqlite).")
    var url: String?
}

/// Exit status when the register does not verify.
let registerIntegrityFailure: Int32 = 5

/// When no checkpoint is stored: normal for an empty register, tampering for any other.
let noCheckpoint = "there is no signed checkpoint: the register is empty, or its checkpoints were deleted (sluis register verify tells)"

/// Everything a register command needs: the store (opened and migrated), the signer, the
/// policy set and its hash.
struct RegisterContext {
    let store: RegisterStore
    let signer: CheckpointSigner
    let policy: CovenantPolicy
    let policyHash: String

    static func open(database: DatabaseOption, keys: KeyLocation, policies: PolicyLocation) async throws -> RegisterContext {
        let (policy, sources) = try policies.load()
        do {
            let signer = try CheckpointSigner(name: KeyDirectory.registerKeyName, key: keys.keys.registerKey())
            let store = try await RegisterStore.open(try DatabaseLocation.resolve(database.url), signer: signer)
            try await store.record(activities: ProcessingActivities.generate(policy))
            return RegisterContext(store: store, signer: signer, policy: policy, policyHash: try sources.digest())
        } catch let error as MerkleError {
            // The stored tree itself is damaged: the register does not verify (exit 5).
            print("register NIET in orde: \(error)")
            throw ExitCode(registerIntegrityFailure)
        } catch let error as StoreError {
            if case .integrity(let what) = error {
                print("register NIET in orde: \(what)")
                throw ExitCode(registerIntegrityFailure)
            }
            StandardError.print("sluis: \(error)")
            throw ExitCode(1)
        } catch {
            StandardError.print("sluis: \(error)")
            throw ExitCode(1)
        }
    }

    /// Opens the register, runs `body`, and closes the register again — also when `body` fails.
    static func with<R>(
        database: DatabaseOption, keys: KeyLocation, policies: PolicyLocation, _ body: (RegisterContext) async throws -> R
    ) async throws -> R {
        let context = try await open(database: database, keys: keys, policies: policies)
        do {
            let result = try await body(context)
            try? await context.store.close()
            return result
        } catch {
            try? await context.store.close()
            throw error
        }
    }

    /// Every inspection of the register is itself an entry (art. 15.2).
    func recordInspection(actor: String, filter: RegisterFilter, shown: Int) async throws {
        let activity = ProcessingActivities.generate(policy).first { $0.id == ProcessingActivities.inspection }!
        let trace = try TraceContext.fresh()
        _ = try await store.append(RegisterEntry(
            time: RegisterTime.format(Date()), traceID: trace.traceID, spanID: trace.spanID, activity: activity.id,
            activityVersion: activity.version, operation: "inspect", actor: actor, decision: "none",
            basis: ["6(1)(c); AVG art. 39; convenant art. 15.2", "filter: \(filter.summary); getoond: \(shown)"],
            policyHash: policyHash, parentSpanID: trace.parentSpanID))
    }
}

struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "The processing register (art. 15): verify, checkpoints, proofs, the art. 30 activities, FG inspection.",
        subcommands: [RegisterVerifyCommand.self, RegisterCheckpointCommand.self, RegisterProveCommand.self,
                      RegisterActivitiesCommand.self, RegisterListCommand.self, RegisterExportCommand.self,
                      RegisterAppendTestCommand.self]
    )
}

struct RegisterVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Recompute every entry, the tree and every checkpoint; name the first mismatch.")
    @Option(help: "A checkpoint saved earlier (`sluis register checkpoint`): check that the register still holds the history it signed.")
    var against: String?
    @OptionGroup var database: DatabaseOption
    @OptionGroup var keys: KeyLocation
    @OptionGroup var policies: PolicyLocation
    @OptionGroup var witnessOptions: WitnessOptions

    func run() async throws {
        let saved = try against.map(SavedCheckpointFile.read)
        let (witnesses, quorum) = try witnessOptions.resolve()
        try await RegisterContext.with(database: database, keys: keys, policies: policies) { context in
            let report = try await RegisterVerifier.verify(context.store, verifier: context.signer.verifier, against: saved)
            if let problem = report.problem {
                print("register NIET in orde: \(problem)")
                throw ExitCode(registerIntegrityFailure)
            }
            var summary = "register in orde: \(report.entries) regels, \(report.checkpoints) ondertekende checkpoints, root \(Hex.encode(report.root))"
            if let size = report.savedCheckpointSize, let against { summary += "; in lijn met het bewaarde checkpoint van \(size) regels (\(against))" }
            print(summary)
            if !witnesses.isEmpty {
                let fits = try await Self.printWitnessing(context.store, witnesses: witnesses, quorum: quorum)
                if !fits { throw ExitCode(registerIntegrityFailure) }
            } else if try await CheckpointWitnessing.isWitnessed(context.store) {
                print("getuigen: niet gecontroleerd — dit register heeft medeondertekende checkpoints; geef de getuigen (--config BESTAND, --witness VKEY of $SLUIS_WITNESSES)")
            }
        }
    }
}

extension RegisterVerifyCommand {
    /// The witnesses' view (C2SP tlog-cosignature): the newest checkpoint the quorum cosigned,
    /// each cosignature, and whether it fits the register of today. False when it does not (a
    /// rewind of history the witnesses vouched for).
    static func printWitnessing(_ store: RegisterStore, witnesses: [Cosignature.Verifier], quorum: Int) async throws -> Bool {
        let status = try await WitnessingStatus.read(store, witnesses: witnesses, quorum: quorum)
        guard let size = status.publishedSize else {
            print("getuigen: nog geen checkpoint met \(quorum) medeondertekening(en) van \(status.witnesses.joined(separator: ", "))")
            return true
        }
        print("getuigen: nieuwste medeondertekende checkpoint \(size) regels" + (status.current ? " (het nieuwste)" : "; het nieuwste checkpoint (\(status.newestSize) regels) heeft te weinig medeondertekeningen"))
        for cosignature in status.cosignatures {
            print("  medeondertekend door \(cosignature.witness) op \(RegisterTime.format(Date(timeIntervalSince1970: TimeInterval(cosignature.time))))")
        }
        guard status.matches else {
            print("register NIET in orde: het nieuwste medeondertekende checkpoint (\(size) regels) past niet bij het register van nu — geschiedenis waarvoor de getuigen instonden, is veranderd")
            return false
        }
        return true
    }
}

/// A checkpoint the FG saved earlier (`sluis register checkpoint > FILE`), for `verify
/// --against` and `prove --since`: its text once it parses as a signed checkpoint (C2SP
/// tlog-checkpoint). A file that cannot be read or holds no checkpoint is a usage error (exit
/// 2) naming the file; whether its signature holds is for the register check to say (exit 5).
enum SavedCheckpointFile {
    static func read(_ path: String) throws -> String {
        guard let bytes = try? FileIO.read(path) else {
            StandardError.print("sluis: cannot read the saved checkpoint \(path)")
            throw ExitCode(2)
        }
        guard let text = String(bytes: bytes, encoding: .utf8) else { throw malformed(path, "not UTF-8 text") }
        do {
            _ = try Checkpoint.parse(text)
        } catch {
            throw malformed(path, error.description)
        }
        return text
    }

    private static func malformed(_ path: String, _ reason: String) -> ExitCode {
        StandardError.print("sluis: \(path) is not a saved checkpoint: \(reason)")
        return ExitCode(2)
    }
}

struct RegisterCheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoint", abstract: "Print the latest signed checkpoint.")
    @OptionGroup var database: DatabaseOption
    @OptionGroup var keys: KeyLocation
    @OptionGroup var policies: PolicyLocation
    @Flag(help: "Print the register's verifier key instead.") var verifierKey = false
    @OptionGroup var witnessOptions: WitnessOptions

    func run() async throws {
        let (witnesses, quorum) = try witnessOptions.resolve()
        try await RegisterContext.with(database: database, keys: keys, policies: policies) { context in
            if verifierKey {
                print(context.signer.verifier.text)
                return
            }
            // With witnesses: the newest checkpoint with the quorum of cosignatures (what the
            // gateway publishes); a witnessed register asked without them is refused (docs/witness.md).
            let published: String?
            do {
                published = try await CheckpointWitnessing.publishedToReader(context.store, witnesses: witnesses, quorum: quorum,
                                                                             quorumChosen: witnessOptions.quorumGiven)
            } catch let failure as WitnessingFailure {
                StandardError.print("sluis: \(failure)")
                throw ExitCode(1)
            }
            guard let checkpoint = published else {
                StandardError.print("sluis: \(noCheckpoint)")
                throw ExitCode(1)
            }
            print(checkpoint, terminator: "")
        }
    }
}

struct RegisterProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove", abstract: "Print an inclusion proof (--entry N) or a consistency proof (--since CHECKPOINT-FILE).")
    @Option(help: "The entry to prove.") var entry: Int64?
    @Option(help: "A checkpoint file saved earlier: prove the register grew from it without changing history.") var since: String?
    @Option(help: "With --entry: text (explained) or tlog-proof (C2SP tlog-proof, an offline receipt).") var format: ProofFormat = .text
    @OptionGroup var database: DatabaseOption
    @OptionGroup var keys: KeyLocation
    @OptionGroup var policies: PolicyLocation

    func validate() throws {
        guard (entry == nil) != (since == nil) else { throw ValidationError("give exactly one of --entry and --since") }
        guard format == .text || entry != nil else { throw ValidationError("--format tlog-proof goes with --entry") }
    }

    func run() async throws {
        try await RegisterContext.with(database: database, keys: keys, policies: policies) { context in
            guard let latest = try await context.store.latestCheckpoint() else {
                StandardError.print("sluis: \(noCheckpoint)")
                throw ExitCode(1)
            }
            let current = try Checkpoint.verify(latest, verifier: context.signer.verifier)
            if let entry {
                guard entry >= 0, entry < current.size, let stored = try await context.store.entry(entry) else {
                    StandardError.print("sluis: no entry \(entry) (the register has \(current.size))")
                    throw ExitCode(1)
                }
                let proof = try await context.store.inclusionProof(index: entry, size: current.size)
                if format == .tlogProof {
                    // C2SP tlog-proof §Format; the entry rides along as the extra data.
                    print(TLogProof(extra: stored.entry.canonicalJSON, index: entry, proof: proof, checkpoint: latest).text, terminator: "")
                    return
                }
                print("inclusion proof (RFC 9162 §2.1.3)")
                print("entry: \(entry)")
                print("tree size: \(current.size)")
                print("leaf hash: \(Hex.encode(stored.leaf))")
                print("entry content (SHA-256 of 0x00 ‖ this is the leaf hash):")
                print(String(decoding: stored.entry.canonicalJSON, as: UTF8.self))
                print("proof (\(proof.count) hashes, \(proof.count * 32) bytes):")
                for hash in proof { print("  \(Hex.encode(hash))") }
                print("checkpoint:")
                print(latest, terminator: "")
            } else if let since {
                let text = try SavedCheckpointFile.read(since)
                let old: Checkpoint
                do { old = try Checkpoint.verify(text, verifier: context.signer.verifier) } catch {
                    StandardError.print("sluis: \(since): \(error)")
                    throw ExitCode(registerIntegrityFailure)
                }
                guard old.size <= current.size else {
                    print("register NIET in orde: the saved checkpoint covers \(old.size) entries, the register only \(current.size) — truncated")
                    throw ExitCode(registerIntegrityFailure)
                }
                let proof = try await context.store.consistencyProof(old: old.size, new: current.size)
                print("consistency proof (RFC 9162 §2.1.4)")
                print("from size \(old.size), root \(Hex.encode(old.root))")
                print("to size \(current.size), root \(Hex.encode(current.root))")
                print("proof (\(proof.count) hashes, \(proof.count * 32) bytes):")
                for hash in proof { print("  \(Hex.encode(hash))") }
                let hasher = try SHA256Hasher()
                let holds = MerkleTree.verifyConsistency(old: old.size, new: current.size, oldRoot: old.root, newRoot: current.root,
                                                        proof: proof, hasher)
                print(holds ? "check: consistent — nothing before size \(old.size) was changed" : "check: NOT consistent")
                print("checkpoint:")
                print(latest, terminator: "")
                if !holds { throw ExitCode(registerIntegrityFailure) }
            }
        }
    }
}

struct RegisterActivitiesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activities", abstract: "The art. 30 register of processing activities, generated from Policies/, with versions.")
    @Option(help: "md, csv or json.") var format: ProcessingActivities.Format = .md
    @OptionGroup var policies: PolicyLocation

    func run() async throws {
        let (policy, _) = try policies.load()
        print(ProcessingActivities.render(ProcessingActivities.generate(policy), as: format), terminator: "")
    }
}

/// `prove --entry N --format`: the explained text, or a C2SP tlog-proof receipt.
enum ProofFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case tlogProof = "tlog-proof"
}

extension ProcessingActivities.Format: ExpressibleByArgument {}
extension RegisterExport.Format: ExpressibleByArgument {}

/// Filters shared by list and export.
struct FilterOptions: ParsableArguments {
    @Option(help: "From this time (RFC 3339, inclusive).") var from: String?
    @Option(help: "Until this time (RFC 3339, exclusive).") var to: String?
    @Option(help: "Sending or receiving party.") var party: String?
    @Option(help: "The pupil's register pseudonym.") var subject: String?
    @Option(help: "permit, deny or none.") var decision: String?
    @Option(help: "Processing activity id.") var activity: String?
    @Flag(help: "Only disclosures marked as resting on a conflict of duties (convenant art. 6.1 sub e).") var conflictOfDuties = false
    @Option(help: "Only entries after this index (export: the next page starts after the last index shown).") var after: Int64?
    @Option(help: "Only entries before this index (list: the next, older page starts before the last index shown).") var before: Int64?
    @Option(help: "At most this many entries (≤ 1000).") var limit: Int = 100
    @Option(name: .customLong("as"), help: "Who inspects (recorded in the register).") var inspector: String = "fg-cli"

    func filter(newestFirst: Bool) -> RegisterFilter {
        RegisterFilter(from: from, to: to, party: party, subject: subject, decision: decision, activity: activity,
                       conflictOfDuties: conflictOfDuties, after: after,
                       before: before, newestFirst: newestFirst, limit: min(limit, RegisterFilter.maxLimit))
    }

    /// One page of entries for `body`; the inspection itself goes on the register afterwards.
    func inspect(_ database: DatabaseOption, _ keys: KeyLocation, _ policies: PolicyLocation, newestFirst: Bool,
                 _ body: @escaping ((entries: [RegisterEntry], next: Int64?)) -> Void) async throws {
        let filter = filter(newestFirst: newestFirst)
        try await RegisterContext.with(database: database, keys: keys, policies: policies) { context in
            let page = try await context.store.list(filter)
            body(page)
            try await context.recordInspection(actor: inspector, filter: filter, shown: page.entries.count)
        }
    }
}

struct RegisterListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List entries for the FG (art. 15.2), newest first; the inspection is recorded.",
        discussion: "Shows the newest --limit entries (100 by default). For the next, older page pass --before with the last index shown "
            + "(the output ends with the exact option, or 'einde' when nothing older matches).")
    @OptionGroup var filters: FilterOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var keys: KeyLocation
    @OptionGroup var policies: PolicyLocation

    func run() async throws {
        try await filters.inspect(database, keys, policies, newestFirst: true) { page in
            print("| # | tijd | handeling | activiteit | van | naar | besluit | verstrekt | achtergehouden | pseudoniem |")
            print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            for e in page.entries {
                print("| \(e.index) | \(e.time) | \(e.operation) | \(e.activity) | \(e.sender ?? "—") | \(e.recipient ?? "—") | \(e.decision) | "
                      + "\(e.released.joined(separator: " ")) | \(e.withheld.joined(separator: " ")) | \(e.subject ?? "—") |")
            }
            print(page.next.map { "meer (ouder): --before \($0)" } ?? "einde")
        }
    }
}

struct RegisterExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export entries as CSV, JSON or Logboek Dataverwerkingen records (art. 15.2); the inspection is recorded.")
    @Option(help: "csv, json or ldv (Logboek Dataverwerkingen records, one JSON object a line).") var format: RegisterExport.Format = .csv
    @OptionGroup var filters: FilterOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var keys: KeyLocation
    @OptionGroup var policies: PolicyLocation

    func run() async throws {
        let format = format
        try await filters.inspect(database, keys, policies, newestFirst: false) { page in
            print(RegisterExport.render(page.entries, as: format), terminator: "")
            if let next = page.next { StandardError.print("meer: --after \(next)") }
        }
    }
}

/// Appends synthetic entries, printing each acknowledged index: for the crash test and for
/// trying the register out. Hidden: not for production use.
struct RegisterAppendTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "append-test", abstract: "Append synthetic entries (tests).", shouldDisplay: false)
    @Option(help: "How many entries.") var count: Int = 100
    @Option(help: "How many appends in flight at once.") var concurrency: Int = 8
    @OptionGroup var database: DatabaseOption
    @OptionGroup var keys: KeyLocation
    @OptionGroup var policies: PolicyLocation

    func run() async throws {
        let context = try await RegisterContext.open(database: database, keys: keys, policies: policies)
        let activity = ProcessingActivities.generate(context.policy).first { $0.id == ProcessingActivities.question }!
        let store = context.store, policyHash = context.policyHash
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<max(1, concurrency) {
                group.addTask {
                    var n = worker
                    while n < count {
                        let trace = try TraceContext.fresh()
                        let receipt = try await store.append(RegisterEntry(
                            time: RegisterTime.format(Date()), traceID: trace.traceID, spanID: trace.spanID, activity: activity.id,
                            activityVersion: activity.version, operation: "question", sender: "sovogo", recipient: "swv-go",
                            forum: "casusoverleg", purpose: "3.1.a", decision: "permit", released: ["absence"], policyHash: policyHash,
                            subject: "ps1-test\(n)", parentSpanID: trace.parentSpanID))
                        // Printed only after the commit returned: an acknowledged entry.
                        FileHandle.standardOutput.write(Data("ack \(receipt.index)\n".utf8))
                        n += max(1, concurrency)
                    }
                }
            }
            try await group.waitForAll()
        }
        try await store.close()
    }
}
