import Foundation
import SluisCrypto

// The sealed-bundle benchmark: `sluis-bench crypto [--runs N]`. Seal and open in process,
// then the same work end to end — `sluis bundle` against `openssl cms` on the same files — and
// raw AES-256-GCM against `openssl speed`.

struct CommandTiming {
    let label: String
    let milliseconds: [Double]
    var median: Double { milliseconds.sorted()[milliseconds.count / 2] }
}

/// Runs a shell command `runs` times and returns the wall-clock times in milliseconds. Spawns
/// with posix_spawn and waits with waitpid: Foundation's Process adds tens of milliseconds of
/// its own on Linux, more than the work measured here.
func timeCommand(_ command: String, runs: Int, environment: [String: String]) throws -> [Double] {
    let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
    return try (0..<runs).map { _ in
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let words: [String] = ["/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let start = now()
        guard posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp) == 0 else {
            throw CLIBenchFailure(description: "cannot start: \(command)")
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let elapsed = Double(now() - start) / 1e6
        guard status == 0 else { throw CLIBenchFailure(description: "command failed (status \(status)): \(command)") }
        return elapsed
    }
}

struct CLIBenchFailure: Error, CustomStringConvertible { let description: String }

func timeInProcess(runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
    try (0..<runs).map { _ in
        let start = now()
        try body()
        return Double(now() - start) / 1e6
    }
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func runCryptoBenchmark(_ arguments: [String]) throws {
    var runs = 9
    if arguments.count == 2, arguments[0] == "--runs", let value = Int(arguments[1]), value > 0 { runs = value }
    let sluis = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluis").path
    guard FileManager.default.isExecutableFile(atPath: sluis) else {
        throw CLIBenchFailure(description: "build the sluis binary beside sluis-bench first: swift build -c release")
    }

    let work = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let keys = KeyDirectory(work.appendingPathComponent("keys").path)
    let authority = try keys.createCA()
    let recipients = (1...10).map { "ontvanger-\($0)" }
    for party in ["verzender"] + recipients { try keys.issue(party: party, kind: "bench", by: authority) }
    let sender = try keys.credentials(party: "verzender")
    let receiver = try keys.credentials(party: "ontvanger-1")
    let recipientCerts = try recipients.map { try keys.certificate(party: $0) }
    let trust = try TrustStore(anchors: [authority.certificate])

    let big = try Random.bytes(16 << 20), small = try Random.bytes(100 << 10)
    try Data(big).write(to: work.appendingPathComponent("16MiB.bin"))
    try Data(small).write(to: work.appendingPathComponent("100KiB.bin"))

    // 1. In process.
    var bigBundle: [UInt8] = [], smallBundle: [UInt8] = []
    let sealBig = try timeInProcess(runs: runs) {
        bigBundle = try SealedBundle.seal(big, signer: sender.certificate, key: sender.key, recipients: [recipientCerts[0]])
    }
    let openBig = try timeInProcess(runs: runs) {
        _ = try SealedBundle.open(bigBundle, recipient: receiver.certificate, key: receiver.key, trust: trust)
    }
    let sealSmall = try timeInProcess(runs: runs * 5) {
        smallBundle = try SealedBundle.seal(small, signer: sender.certificate, key: sender.key, recipients: recipientCerts)
    }
    let openSmall = try timeInProcess(runs: runs * 5) {
        _ = try SealedBundle.open(smallBundle, recipient: receiver.certificate, key: receiver.key, trust: trust)
    }

    // 2. End to end: one `sluis bundle` process against the `openssl cms` pipeline, same files.
    let bundleTool = URL(fileURLWithPath: sluis).deletingLastPathComponent().appendingPathComponent("sluis-bundle").path
    let environment = ["W": work.path, "K": keys.root.path, "SLUIS": sluis, "SLUIS_BUNDLE": bundleTool]
    let opensslRecipients = { (count: Int) in
        (1...count).map { "-recip \"$K/parties/ontvanger-\($0).crt\" -keyopt ecdh_kdf_md:sha256" }.joined(separator: " ")
    }
    func opensslSeal(_ input: String, _ output: String, _ count: Int) -> String {
        "openssl cms -sign -binary -nodetach -in \"$W/\(input)\" -signer \"$K/parties/verzender.crt\" -inkey \"$K/parties/verzender.key\" -outform DER"
            + " | openssl cms -encrypt -binary -aes-256-gcm \(opensslRecipients(count)) -outform DER -out \"$W/\(output)\""
    }
    func opensslOpen(_ input: String) -> String {
        "openssl cms -decrypt -binary -inform DER -in \"$W/\(input)\" -recip \"$K/parties/ontvanger-1.crt\" -inkey \"$K/parties/ontvanger-1.key\""
            + " | openssl cms -verify -binary -inform DER -CAfile \"$K/ca/covenant-ca.crt\" -out \"$W/plain-openssl\""
    }
    // `sluis bundle …` (the full CLI) and `sluis-bundle …` (the small executable beside it, when
    // built) run the same commands.
    let tools = ["\"$SLUIS\" bundle"] + (FileManager.default.isExecutableFile(atPath: bundleTool) ? ["\"$SLUIS_BUNDLE\""] : [])
    func sluisSeal(_ tool: String, _ input: String, _ output: String, _ count: Int) -> String {
        "\(tool) seal --keys \"$K\" --from verzender --out \"$W/\(output)\" --to "
            + (1...count).map { "ontvanger-\($0)" }.joined(separator: " ") + " \"$W/\(input)\""
    }
    func sluisOpen(_ tool: String, _ input: String) -> String {
        "\(tool) open --keys \"$K\" --as ontvanger-1 --out \"$W/plain-sluis\" \"$W/\(input)\""
    }
    let pairs: [(String, [String], String)] = [
        ("seal 16 MiB, 1 recipient", tools.map { sluisSeal($0, "16MiB.bin", "big-sluis.p7m", 1) }, opensslSeal("16MiB.bin", "big-openssl.p7m", 1)),
        ("open 16 MiB", tools.map { sluisOpen($0, "big-openssl.p7m") }, opensslOpen("big-sluis.p7m")),
        ("seal 100 KiB, 10 recipients", tools.map { sluisSeal($0, "100KiB.bin", "small-sluis.p7m", 10) },
         opensslSeal("100KiB.bin", "small-openssl.p7m", 10)),
        ("open 100 KiB (10 recipients)", tools.map { sluisOpen($0, "small-openssl.p7m") }, opensslOpen("small-sluis.p7m")),
    ]
    var endToEnd: [(String, [Double], Double)] = []
    for (label, sluisCommands, opensslCommand) in pairs {
        // Alternate the commands so that none profits from a warmer cache.
        var sluisTimes = [[Double]](repeating: [], count: sluisCommands.count), opensslTimes: [Double] = []
        for _ in 0..<runs {
            for (index, command) in sluisCommands.enumerated() {
                sluisTimes[index] += try timeCommand(command, runs: 1, environment: environment)
            }
            opensslTimes += try timeCommand(opensslCommand, runs: 1, environment: environment)
        }
        endToEnd.append((label, sluisTimes.map(median), median(opensslTimes)))
    }
    // Each side opened the other's file: check both recovered the content.
    let recovered = try Data(contentsOf: work.appendingPathComponent("plain-sluis")) == Data(small)
        && Data(contentsOf: work.appendingPathComponent("plain-openssl")) == Data(small)

    // 3. Raw AES-256-GCM over 64 MiB into a preallocated buffer, against `openssl speed`.
    let key = try SecureBytes.random(count: 32), nonce = try Random.bytes(12)
    let input = try Random.bytes(64 << 20)
    var output = [UInt8](repeating: 0, count: input.count)
    let gcm = try input.withUnsafeBytes { source in
        try output.withUnsafeMutableBytes { target in
            try timeInProcess(runs: runs * 2) { _ = try AESGCM.seal(key: key, nonce: nonce, input: source, output: target) }
        }
    }
    let sluisGBs = Double(input.count) / (median(gcm) / 1000) / 1e9
    let speed = Process()
    speed.executableURL = URL(fileURLWithPath: "/bin/sh")
    speed.arguments = ["-c", "openssl speed -evp aes-256-gcm -bytes 16384 -seconds 3 2>/dev/null | tail -1"]
    let pipe = Pipe()
    speed.standardOutput = pipe
    try speed.run()
    let speedLine = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    speed.waitUntilExit()
    // "AES-256-GCM    5180752.53k": thousands of bytes per second.
    let opensslGBs = speedLine.split(whereSeparator: \.isWhitespace).last.flatMap { Double($0.dropLast()) }.map { $0 * 1000 / 1e9 } ?? .nan

    func ms(_ value: Double) -> String { String(format: "%.1f ms", value) }
    print("""
        sluis-bench crypto — \(runs) runs per measure (medians), OpenSSL \(OpenSSLLibrary.versionText)

        In process (SealedBundle):
        | measure | median | throughput |
        | --- | --- | --- |
        | seal 16 MiB, 1 recipient | \(ms(median(sealBig))) | \(String(format: "%.0f MB/s", 16.777216 / (median(sealBig) / 1000))) |
        | open 16 MiB | \(ms(median(openBig))) | \(String(format: "%.0f MB/s", 16.777216 / (median(openBig) / 1000))) |
        | seal 100 KiB, 10 recipients | \(ms(median(sealSmall))) | — |
        | open 100 KiB (as one of 10) | \(ms(median(openSmall))) | — |

        End to end, one process each side (sluis bundle / sluis-bundle vs openssl cms sign|encrypt, decrypt|verify):
        | measure | sluis bundle | sluis-bundle | openssl cms | sluis bundle / openssl | sluis-bundle / openssl |
        | --- | --- | --- | --- | --- | --- |
        """)
    for (label, sluisTimes, opensslTime) in endToEnd {
        let small = sluisTimes.count > 1 ? (ms(sluisTimes[1]), String(format: "%.2f", sluisTimes[1] / opensslTime)) : ("not built", "—")
        print("| \(label) | \(ms(sluisTimes[0])) | \(small.0) | \(ms(opensslTime)) | \(String(format: "%.2f", sluisTimes[0] / opensslTime)) | \(small.1) |")
    }
    print("""
        (both sides opened the other's bundles: \(recovered ? "content recovered" : "CONTENT MISMATCH"))

        Raw AES-256-GCM:
        | measure | value |
        | --- | --- |
        | Sluis AESGCM.seal, 64 MiB preallocated | \(String(format: "%.2f GB/s", sluisGBs)) |
        | openssl speed -evp aes-256-gcm (16 KiB blocks) | \(String(format: "%.2f GB/s", opensslGBs)) |
        | ratio | \(String(format: "%.0f %%", sluisGBs / opensslGBs * 100)) |
        """)
}
