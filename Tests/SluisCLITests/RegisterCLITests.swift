import Foundation
import Testing

/// `sluis register` end to end, including a crash in the middle of appends.
@Suite("sluis register")
struct RegisterCLITests {
    static func withWorkspace<T>(_ body: (URL, URL) throws -> T) throws -> T {
        try KeysAndBundleCLITests.withKeys { keys in
            let init_ = try KeysAndBundleCLITests.sluis(["keys", "init"], keys: keys)
            #expect(init_.status == 0)
            return try body(keys, keys.appendingPathComponent("register.sqlite"))
        }
    }

    @Test("An acknowledged entry survives SIGKILL in the middle of a stream of appends; verify passes afterwards")
    func crashDuringAppends() throws {
        try Self.withWorkspace { keys, database in
            let process = Process()
            process.executableURL = CLITests.binary
            process.arguments = ["register", "append-test", "--count", "1000000", "--concurrency", "16", "--db", database.path]
            process.currentDirectoryURL = CLITests.packageRoot
            process.environment = ProcessInfo.processInfo.environment.merging(["SLUIS_KEYS": keys.path]) { $1 }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = Pipe()
            try process.run()
            var text = ""
            var acknowledged = 0
            while acknowledged < 3000 {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
                acknowledged = text.components(separatedBy: "ack ").count - 1
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "the writer was killed, not finished")
            // Everything printed before the kill was acknowledged, i.e. committed.
            text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let acks = text.split(separator: "\n").filter { $0.hasPrefix("ack ") && $0.count > 4 }.compactMap { Int64($0.dropFirst(4)) }
            #expect(acks.count >= 3000)

            let verify = try KeysAndBundleCLITests.sluis(["register", "verify", "--db", database.path], keys: keys)
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            let count = Int64(verify.stdout.split(separator: " ").dropFirst(3).first ?? "") ?? -1
            #expect(count >= Int64(acks.count))
            #expect(acks.allSatisfy { $0 < count }, "every acknowledged entry is in the verified register")
        }
    }

    @Test("checkpoint, prove --entry and prove --since print what docs/register.md describes")
    func checkpointAndProofs() throws {
        try Self.withWorkspace { keys, database in
            let db = ["--db", database.path]
            _ = try KeysAndBundleCLITests.sluis(["register", "append-test", "--count", "40"] + db, keys: keys)
            let checkpoint = try KeysAndBundleCLITests.sluis(["register", "checkpoint"] + db, keys: keys)
            #expect(checkpoint.status == 0)
            #expect(checkpoint.stdout.hasPrefix("sluis.goeree-overflakkee/thuiszitters/register\n40\n"))
            let saved = keys.appendingPathComponent("checkpoint-40.txt")
            try checkpoint.stdout.write(to: saved, atomically: true, encoding: .utf8)
            _ = try KeysAndBundleCLITests.sluis(["register", "append-test", "--count", "25"] + db, keys: keys)
            let inclusion = try KeysAndBundleCLITests.sluis(["register", "prove", "--entry", "7"] + db, keys: keys)
            #expect(inclusion.status == 0)
            #expect(inclusion.stdout.contains("entry: 7\ntree size: 65\n"))
            let consistency = try KeysAndBundleCLITests.sluis(["register", "prove", "--since", saved.path] + db, keys: keys)
            #expect(consistency.status == 0)
            #expect(consistency.stdout.contains("check: consistent"))
            let verifierKey = try KeysAndBundleCLITests.sluis(["register", "checkpoint", "--verifier-key"] + db, keys: keys)
            #expect(verifierKey.stdout.hasPrefix("sluis.goeree-overflakkee/thuiszitters/register+"))
        }
    }

    /// `.ci/tlog-proof-verify` (Python, written from the C2SP specs, not from Sluis's code).
    static func independentVerifier(_ arguments: [String]) throws -> CLITests.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CLITests.packageRoot.appendingPathComponent(".ci/tlog-proof-verify").path] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile(), err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLITests.Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                               stderr: String(decoding: err, as: UTF8.self))
    }

    @Test("C2SP tlog-proof §Format: prove --entry N --format tlog-proof prints an offline receipt that an independent verifier accepts, and refuses when altered")
    func tlogProofReceipt() throws {
        try Self.withWorkspace { keys, database in
            let db = ["--db", database.path]
            _ = try KeysAndBundleCLITests.sluis(["register", "append-test", "--count", "13"] + db, keys: keys)
            let receipt = try KeysAndBundleCLITests.sluis(["register", "prove", "--entry", "6", "--format", "tlog-proof"] + db, keys: keys)
            #expect(receipt.status == 0, "\(receipt.stderr)")
            let lines = receipt.stdout.components(separatedBy: "\n")
            #expect(lines[0] == "c2sp.org/tlog-proof@v1" && lines[1].hasPrefix("extra ") && lines[2] == "index 6")
            #expect(Array(lines[3...6]).allSatisfy { Data(base64Encoded: $0)?.count == 32 } && lines[7] == "", "4 hashes for 13 leaves")
            #expect(lines[8] == "sluis.goeree-overflakkee/thuiszitters/register" && lines[9] == "13")
            let vkey = try KeysAndBundleCLITests.sluis(["register", "checkpoint", "--verifier-key"] + db, keys: keys).stdout
            let origin = "sluis.goeree-overflakkee/thuiszitters/register"
            func check(_ text: String) throws -> CLITests.Result {
                let file = keys.appendingPathComponent("entry.tlog-proof")
                try text.write(to: file, atomically: true, encoding: .utf8)
                return try Self.independentVerifier([file.path, "--vkey", vkey.trimmingCharacters(in: .whitespacesAndNewlines), "--origin", origin])
            }
            let valid = try check(receipt.stdout)
            #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")
            #expect(valid.stdout.hasPrefix("tlog-proof valid: entry 6 is in \(origin) at size 13"))
            // Another index, a changed proof hash, another entry as extra data, a foreign origin: each refused.
            var hash = try #require(Data(base64Encoded: lines[4]))
            hash[0] ^= 1
            let entry = try #require(Data(base64Encoded: String(lines[1].dropFirst(6))))
            let other = String(decoding: entry, as: UTF8.self).replacingOccurrences(of: "\"index\":6", with: "\"index\":7")
            for altered in [receipt.stdout.replacingOccurrences(of: "\nindex 6\n", with: "\nindex 7\n"),
                            receipt.stdout.replacingOccurrences(of: lines[4], with: hash.base64EncodedString()),
                            receipt.stdout.replacingOccurrences(of: lines[1], with: "extra " + Data(other.utf8).base64EncodedString()),
                            receipt.stdout.replacingOccurrences(of: "\n\(origin)\n13\n", with: "\nexample.com/log\n13\n"),
                            receipt.stdout + "junk\n"] {
                let refused = try check(altered)
                #expect(refused.status == 1 && refused.stdout.hasPrefix("tlog-proof NOT valid"), "\(refused.stdout)\(refused.stderr)")
            }
            let misuse = try KeysAndBundleCLITests.sluis(["register", "prove", "--since", "x", "--format", "tlog-proof"] + db, keys: keys)
            #expect(misuse.status != 0)
        }
    }

    @Test("C2SP tlog-checkpoint and RFC 9162 §2.1.4: verify --against a saved checkpoint passes as the register grows, names a truncated or rebuilt register (exit 5) and a malformed file (exit 2)")
    func verifyAgainstSavedCheckpoint() throws {
        try Self.withWorkspace { keys, database in
            func sluis(_ arguments: [String], _ db: URL = database) throws -> CLITests.Result {
                try KeysAndBundleCLITests.sluis(["register"] + arguments + ["--db", db.path], keys: keys)
            }
            _ = try sluis(["append-test", "--count", "40"])
            let saved = keys.appendingPathComponent("checkpoint-40.txt")
            try sluis(["checkpoint"]).stdout.write(to: saved, atomically: true, encoding: .utf8)
            _ = try sluis(["append-test", "--count", "25"])
            let grown = try sluis(["verify", "--against", saved.path])
            #expect(grown.status == 0, "\(grown.stdout)\(grown.stderr)")
            #expect(grown.stdout.hasPrefix("register in orde: 65 regels"))
            #expect(grown.stdout.contains("in lijn met het bewaarde checkpoint van 40 regels"))

            // Another register under the same key: shorter (truncated), or as long but with other entries (rebuilt).
            let shorter = keys.appendingPathComponent("shorter.sqlite"), rebuilt = keys.appendingPathComponent("rebuilt.sqlite")
            _ = try sluis(["append-test", "--count", "25"], shorter)
            _ = try sluis(["append-test", "--count", "50"], rebuilt)
            let truncated = try sluis(["verify", "--against", saved.path], shorter)
            #expect(truncated.status == 5)
            #expect(truncated.stdout == "register NIET in orde: the log was truncated: the saved checkpoint covers 40 entries, only 25 are stored\n")
            let rewritten = try sluis(["verify", "--against", saved.path], rebuilt)
            #expect(rewritten.status == 5)
            #expect(rewritten.stdout.contains("do not hash to the saved checkpoint of size 40"))

            // A saved checkpoint whose root was changed no longer carries a valid signature.
            var lines = try String(contentsOf: saved, encoding: .utf8).components(separatedBy: "\n")
            lines[2] = Data(repeating: 0xAB, count: 32).base64EncodedString()
            let altered = keys.appendingPathComponent("altered.txt")
            try lines.joined(separator: "\n").write(to: altered, atomically: true, encoding: .utf8)
            let forged = try sluis(["verify", "--against", altered.path])
            #expect(forged.status == 5)
            #expect(forged.stdout.contains("the saved checkpoint: the checkpoint's signature is not valid"))

            // Not a checkpoint at all, or no file: exit 2, naming the file; never a crash.
            let garbage = keys.appendingPathComponent("garbage.txt")
            for (file, content) in [(garbage, Data("40\nnot a checkpoint\n\n".utf8)), (keys.appendingPathComponent("binary.bin"), Data([0xFF, 0xFE, 0, 10, 10]))] {
                try content.write(to: file)
                let malformed = try sluis(["verify", "--against", file.path])
                #expect(malformed.status == 2)
                #expect(malformed.stderr.contains(file.path) && malformed.stderr.contains("not a saved checkpoint"), "\(malformed.stderr)")
            }
            let missing = try sluis(["verify", "--against", keys.appendingPathComponent("missing.txt").path])
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("missing.txt"))
        }
    }

    /// The entry indexes of a `register list` table, in the order shown.
    static func indexes(_ table: String) -> [Int] {
        table.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("| "), let cell = line.split(separator: "|").first else { return nil }
            return Int(cell.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test("Art. 15.2, issue 9 item 7: register list shows the newest entries first; --before pages to older ones without gap or overlap; --help says so")
    func listNewestFirst() throws {
        try Self.withWorkspace { keys, database in
            let db = ["--db", database.path]
            _ = try KeysAndBundleCLITests.sluis(["register", "append-test", "--count", "12"] + db, keys: keys)
            let first = try KeysAndBundleCLITests.sluis(["register", "list", "--limit", "5"] + db, keys: keys)
            #expect(first.status == 0, "\(first.stderr)")
            // Entries 0–11; the list's own inspection is appended after it is shown.
            #expect(Self.indexes(first.stdout) == [11, 10, 9, 8, 7], "\(first.stdout)")
            #expect(first.stdout.contains("meer (ouder): --before 7"))
            let second = try KeysAndBundleCLITests.sluis(["register", "list", "--limit", "5", "--before", "7"] + db, keys: keys)
            #expect(Self.indexes(second.stdout) == [6, 5, 4, 3, 2], "\(second.stdout)")
            let last = try KeysAndBundleCLITests.sluis(["register", "list", "--limit", "5", "--before", "2"] + db, keys: keys)
            #expect(Self.indexes(last.stdout) == [1, 0] && last.stdout.contains("einde"), "\(last.stdout)")
            let help = try KeysAndBundleCLITests.sluis(["register", "list", "--help"], keys: keys)
            #expect(help.stdout.contains("newest first") && help.stdout.contains("--before"), "\(help.stdout)")
        }
    }

    @Test("list and export filter and page, and each inspection becomes an entry itself (art. 15.2)")
    func inspection() throws {
        try Self.withWorkspace { keys, database in
            let db = ["--db", database.path]
            _ = try KeysAndBundleCLITests.sluis(["register", "append-test", "--count", "30"] + db, keys: keys)
            let list = try KeysAndBundleCLITests.sluis(["register", "list", "--limit", "10", "--subject", "ps1-test3"] + db, keys: keys)
            #expect(list.status == 0)
            // Appends run concurrently, so the pseudonym's entry may have any index: match on the pseudonym.
            let rows = list.stdout.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| #") && !$0.hasPrefix("| ---") }
            #expect(rows.count == 1 && rows.allSatisfy { $0.hasSuffix("| ps1-test3 |") }, "\(rows.count) rows")
            #expect(list.stdout.contains("einde"))
            let export = try KeysAndBundleCLITests.sluis(["register", "export", "--format", "csv", "--limit", "5"] + db, keys: keys)
            #expect(export.stdout.hasPrefix("index,time,traceId,spanId,parentSpanId,processingActivity"))
            #expect(export.stderr.contains("meer: --after 4"))
            let json = try KeysAndBundleCLITests.sluis(["register", "export", "--format", "json", "--activity", "fg-inzage-register"] + db, keys: keys)
            let inspections = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(inspections.count == 2, "the list and the CSV export were recorded")
            #expect(inspections.allSatisfy { $0["operation"] as? String == "inspect" && $0["senderUser"] as? String == "fg-cli" })
            let ldv = try KeysAndBundleCLITests.sluis(["register", "export", "--format", "ldv", "--limit", "3"] + db, keys: keys)
            let records = ldv.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(ldv.status == 0 && records.count == 3, "LDV: one JSON record a line")
            #expect(records.allSatisfy { $0["trace_id"] != nil && $0["status_code"] != nil && $0["start_time"] != nil })
            let verify = try KeysAndBundleCLITests.sluis(["register", "verify"] + db, keys: keys)
            #expect(verify.status == 0)
        }
    }

    @Test("activities prints the art. 30 register in md, csv and json")
    func activities() throws {
        for format in ["md", "csv", "json"] {
            let result = try CLITests.run(["register", "activities", "--format", format])
            #expect(result.status == 0)
            #expect(result.stdout.contains("verstrekking-casusoverleg"))
        }
    }
}
