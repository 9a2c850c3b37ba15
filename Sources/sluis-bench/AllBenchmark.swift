import Foundation
import SluisBenchReport
import SluisCrypto

// `sluis-bench all [--quick] [--document FILE] [--plot FILE] [--postgres URL]`: every side-by-side
// measure of issue 14 item 1 in one go on this machine, written into docs/performance.md between
// the markers `<!-- sluis-bench all: begin/end -->`, with the plot docs/performance-all.svg.
// Each part runs as a child process of this binary (or a script), so a part's failure is named
// and the others still run; its Markdown table is copied and a few figures read for the plot.

struct AllOptions {
    var quick = false
    var document = "docs/performance.md"
    var plot = "docs/performance-all.svg"
    var postgres = ProcessInfo.processInfo.environment["SLUIS_TEST_POSTGRES_URL"]

    init(_ arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let option = iterator.next() {
            if option == "--quick" { quick = true; continue }
            guard let value = iterator.next() else { throw UsageError(option) }
            switch option {
            case "--document": document = value
            case "--plot": plot = value
            case "--postgres": postgres = value
            default: throw UsageError(option)
            }
        }
    }
}

/// A child process's standard output, or why it failed.
func capture(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) -> Result<String, CLIBenchFailure> {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    process.standardOutput = output
    let label = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
    do { try process.run() } catch { return .failure(CLIBenchFailure(description: "\(label): cannot start (\(error))")) }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        return .failure(CLIBenchFailure(description: "\(label): exit status \(process.terminationStatus)"))
    }
    return .success(text)
}

/// Runs a command that starts a server and waits for it, with posix_spawn and waitpid instead of
/// Foundation's `Process`: Process learns of a child's exit through a socket the child inherits,
/// and a server started by the child (PostgreSQL by pg_ctl) keeps that socket open, so
/// `waitUntilExit` never returned. Standard output goes to /dev/null. True on exit status 0.
func detached(_ executable: String, _ arguments: [String]) -> Bool {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { return false }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return status & 0x7f == 0 && (status >> 8) & 0xff == 0
}

func runAllBenchmark(_ arguments: [String]) throws {
    let options = try AllOptions(arguments)
    guard FileManager.default.fileExists(atPath: ".ci/bench-gateway"), FileManager.default.fileExists(atPath: options.document) else {
        throw CLIBenchFailure(description: "sluis-bench all: run it from the package's root (it uses .ci/ and writes \(options.document))")
    }
    let started = now()
    // wrk, cedarpy, PostgreSQL's pg_test_fsync and the openssl command, installed when missing.
    if case .failure(let failure) = capture("/bin/bash", ["-c", ".ci/bench-setup >&2"]) { throw failure }
    let bench = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    // `swift run -c release sluis-bench all` builds sluis-bench only; the crypto and HTTP parts
    // call `sluis` and `sluis-bundle` beside it, built here with the same configuration.
    let configuration = URL(fileURLWithPath: bench).deletingLastPathComponent().lastPathComponent == "debug" ? "debug" : "release"
    for product in ["sluis", "sluis-bundle"] {
        if case .failure(let failure) = capture("/bin/sh", ["-c", "swift build -c \(configuration) --product \(product) >&2"]) {
            throw failure
        }
    }
    let built = Double(now() - started) / 1e9
    var sections: [String] = [], bars: [BarChart.Bar] = [], failures: [String] = []
    func part(_ title: String, _ result: Result<String, CLIBenchFailure>, _ body: (String) -> String) {
        FileHandle.standardError.write(Data("sluis-bench all: \(title) done after \(Int(Double(now() - started) / 1e9)) s\n".utf8))
        switch result {
        case .success(let output): sections.append("### \(title)\n\n" + body(output))
        case .failure(let failure):
            failures.append(failure.description)
            sections.append("### \(title)\n\nNot measured: \(failure.description).")
        }
    }

    // 1. The decision engine, then the same generated requests to Cedar (Policies/cedar).
    let rounds = options.quick ? "2" : "10"
    part("The decision engine", capture(bench, ["decisions", "--count", "10000", "--rounds", rounds])) { output in
        let perSecond = number(row(output, "decisions per second")?[1])
        if let perSecond { bars.append(.init(label: "decisions/s, one core (×10⁶)", value: perSecond / 1e6, text: String(format: "%.2f M/s", perSecond / 1e6))) }
        return "10,000 generated requests (seed 2026), \(rounds) rounds.\n\n" + tables(output)
    }
    let cedarCount = options.quick ? "5000" : "100000"
    part("The decision engine beside Cedar", capture(bench, ["cedar", "--count", cedarCount])) { output in
        if let ratio = number(row(output, "ratio Sluis / Cedar")?[1]) {
            bars.append(.init(label: "Cedar (cedarpy batch) ÷ Sluis engine, decisions/s", value: 1 / ratio, text: String(format: "1/%.0f", ratio)))
        }
        return "The same \(cedarCount) generated requests (seed 2026) to the engine and to the covenant written as a Cedar "
            + "policy set (`Policies/cedar`, docs/cedar.md), compared per request on the released fields; a disagreement "
            + "fails the run.\n\n" + tables(output)
    }

    // 2. Sealing and opening against the openssl cms CLI on the same files.
    part("Sealed bundles against `openssl cms`", capture(bench, ["crypto", "--runs", options.quick ? "3" : "9"])) { output in
        for label in ["seal 100 KiB, 10 recipients", "open 100 KiB", "seal 16 MiB", "open 16 MiB"] {
            guard let cells = row(output, label, columns: 6) else { continue }
            for (tool, column) in [("sluis bundle", 4), ("sluis-bundle", 5)] {
                if let ratio = number(cells[column]) {
                    bars.append(.init(label: "\(label): \(tool) ÷ openssl cms", value: ratio, text: String(format: "%.2f×", ratio)))
                }
            }
        }
        return "Medians; each end-to-end command is one process (`sluis bundle` is the full CLI, `sluis-bundle` the small "
            + "executable), against the two-process `openssl cms` pipeline; each side opens the other's bundles.\n\n" + tables(output)
    }

    // 3. Durable register appends against the disk's own fsync rate.
    var startedPostgres = false
    var postgres = options.postgres
    // The URL goes through a file: the server started inherits its starter's standard output, so a
    // pipe would never reach its end.
    let urlFile = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-bench-postgres-\(getpid())").path
    if postgres == nil, detached("/bin/bash", ["-c", ".ci/postgres start >\"$1\"", "_", urlFile]),
       let url = try? String(contentsOfFile: urlFile, encoding: .utf8) {
        postgres = url.trimmingCharacters(in: .whitespacesAndNewlines)
        startedPostgres = true
    }
    try? FileManager.default.removeItem(atPath: urlFile)
    defer { if startedPostgres { _ = detached("/bin/bash", [".ci/postgres", "stop"]) } }
    let entries = options.quick ? "2000" : "20000"
    let fsync = physicalFsyncRate()
    part("The register's durable appends against the disk's fsync rate",
         capture(bench, ["register", "--entries", entries, "--verify-entries", entries] + (postgres.map { ["--postgres", $0] } ?? []))) { output in
        var text = "\(entries) appends from 256 concurrent writers, each waiting for its own commit; "
        switch fsync {
        case .success(let rate):
            text += String(format: "`pg_test_fsync` on the same disk: **%.0f fdatasync/s** (one 8 kB write each) — the most commits a second can hold.\n\n", rate)
            for (label, name) in [("SQLite", "SQLite"), ("PostgreSQL (", "PostgreSQL")] {
                guard let appends = number(row(output, label)?[1]) else { continue }
                text += "- \(name): " + String(format: "%.0f appends/s = %.1f× the fsync rate", appends, appends / rate)
                    + " (group commit: many appends share one fsync)\n"
                bars.append(.init(label: "\(name) appends ÷ fdatasync/s", value: appends / rate, text: String(format: "%.1f×", appends / rate)))
            }
        case .failure(let failure):
            text += "the fsync rate not measured: \(failure.description).\n"
        }
        return text + "\n" + tables(output)
    }

    // 4. The HTTP disclosure path against a trivial route, under wrk.
    let seconds = options.quick ? "2" : "8"
    part("HTTP: a disclosure against `/health` under wrk",
         capture("/bin/bash", [".ci/bench-gateway", seconds], environment: ["SLUIS_BENCH_GATEWAY_PORT": "18781"])) { output in
        var lines = ["| connections | route | requests/s | p50 | p99 | errors / non-2xx |", "| --- | --- | --- | --- | --- | --- |"]
        var rates: [String: Double] = [:]
        for line in output.split(separator: "\n") where line.contains(" connections /") {
            let words = line.split(separator: " ")
            func field(_ key: String) -> String { words.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) } ?? "?" }
            let route = String(words[2].dropLast())
            lines.append("| \(words[0]) | `\(route)` | \(field("rps")) | \(field("p50")) | \(field("p99")) | \(field("errors")) / \(field("non2xx")) |")
            rates["\(words[0]) \(route)"] = Double(field("rps"))
        }
        for connections in ["16", "64"] {
            if let disclose = rates["\(connections) /v1/disclosures"], let health = rates["\(connections) /health"], health > 0 {
                bars.append(.init(label: "disclosures/s ÷ /health/s, \(connections) connections", value: disclose / health,
                                  text: String(format: "%.2f×", disclose / health)))
            }
        }
        return "`.ci/bench-gateway \(seconds)`: `sluis serve --demo` on SQLite, wrk with 2 threads on the same two cores; a disclosure "
            + "is the engine, a sealed bundle, a register append (durable) and the mailbox.\n\n" + lines.joined(separator: "\n")
            + "\n\n" + output.split(separator: "\n").filter { $0.hasPrefix("after the run") }.joined(separator: "\n")
    }

    // The plot and the section.
    let elapsed = Double(now() - started) / 1e9 - built
    let plot = BarChart(title: "sluis-bench all — \(Machine.today()) — Sluis ÷ its reference (and decisions/s)", bars: bars,
                        reference: (1.0, "1.0"))
    try Data(plot.svg().utf8).write(to: URL(fileURLWithPath: options.plot))
    let plotLink = URL(fileURLWithPath: options.plot).lastPathComponent
    let body = """
        ## Side by side, in one go (`sluis-bench all`)

        Written by `swift run -c release sluis-bench all` (\(options.quick ? "**--quick**, a smoke test: " : "")\(String(format: "%.0f", elapsed)) s \
        of benchmarks after \(String(format: "%.0f", built)) s building `sluis` and `sluis-bundle`); do not edit between the markers.

        **Machine:** \(Machine.describe()). **Date:** \(Machine.today()).

        ![Sluis against its references](\(plotLink))

        \(sections.joined(separator: "\n\n"))
        \(failures.isEmpty ? "" : "\n**Parts that failed:** " + failures.joined(separator: "; ") + "\n")
        """
    let document = try String(contentsOfFile: options.document, encoding: .utf8)
    let updated = try MarkedSection(name: "sluis-bench all").replace(in: document, with: body)
    try Data(updated.utf8).write(to: URL(fileURLWithPath: options.document))
    print("sluis-bench all: \(options.document) and \(options.plot) written in \(String(format: "%.0f", elapsed)) s"
          + (failures.isEmpty ? "" : "; failed: " + failures.joined(separator: "; ")))
    if !failures.isEmpty { throw CLIBenchFailure(description: "\(failures.count) part(s) failed") }
}

/// `pg_test_fsync`'s fdatasync rate (one 8 kB write per sync) for a file in the temporary
/// directory, where the register benchmark's SQLite file and the throwaway PostgreSQL live.
func physicalFsyncRate() -> Result<Double, CLIBenchFailure> {
    let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
        .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
        .map { "/usr/lib/postgresql/\($0)/bin/pg_test_fsync" }
        .filter { FileManager.default.isExecutableFile(atPath: $0) }
    guard let tool = candidates.last else { return .failure(CLIBenchFailure(description: "no pg_test_fsync (Debian: postgresql)")) }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-bench-fsync-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: file) }
    return capture(tool, ["-s", "2", "-f", file]).flatMap { output in
        // "        fdatasync                          7512.345 ops/sec     133 usecs/op"
        guard let line = output.split(separator: "\n").first(where: { $0.contains("fdatasync") && $0.contains("ops/sec") }),
              let rate = number(String(line.drop { $0 == " " }.dropFirst("fdatasync".count))) else {
            return .failure(CLIBenchFailure(description: "pg_test_fsync: no fdatasync line"))
        }
        return .success(rate)
    }
}

/// What the figures were measured on.
enum Machine {
    static func describe() -> String {
        let cpu = read("/proc/cpuinfo").split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let memory = number(read("/proc/meminfo").split(separator: "\n").first { $0.hasPrefix("MemTotal") }.map { String($0) })
            .map { String(format: "%.0f GiB", $0 / 1_048_576) } ?? "?"
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: name.release) { bytes in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }
        let os = read("/etc/os-release").split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { $0.dropFirst(12).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? "Linux"
        let swift = firstLine(capture("/bin/sh", ["-c", "swift --version 2>/dev/null"]))
        let postgres = firstLine(capture("/bin/sh", ["-c", "ls -d /usr/lib/postgresql/*/bin/postgres | sort -V | tail -1 | sh -c 'read p && $p --version'"]))
        return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(memory) memory; \(os), Linux \(kernel); "
            + "\(swift), release build; \(OpenSSLLibrary.versionText); \(postgres) (throwaway cluster, fsync on)"
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: Date())
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    static func firstLine(_ result: Result<String, CLIBenchFailure>) -> String {
        (try? result.get())?.split(separator: "\n").first.map(String.init) ?? "unknown"
    }
}
