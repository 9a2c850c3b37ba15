import Foundation
import Glibc
import Testing

/// `sluis serve` as a process: the demo covenant on a fresh database, and TLS when configured.
@Suite("sluis serve")
struct ServeCLITests {
    static func curl(_ arguments: [String]) throws -> (status: Int32, output: String) { try CLITests.tool(["curl", "-s"] + arguments) }

    /// Makes a self-signed TLS certificate in `keys` and starts `sluis serve` on a fresh SQLite
    /// file there with it, plus `environment`. The caller stops the process.
    static func startTLSGateway(keys: URL, port: Int, environment: [String: String] = [:])
        throws -> (server: Process, output: Pipe, certificate: String, key: String) {
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        let certificate = keys.appendingPathComponent("tls.crt").path, key = keys.appendingPathComponent("tls.key").path
        let openssl = try CLITests.tool(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                         "-days", "2", "-subj", "/CN=localhost", "-keyout", key, "-out", certificate])
        #expect(openssl.status == 0)
        let (server, output) = try startGateway(keys: keys, port: port, environment: [
            "SLUIS_TLS_CERTIFICATE": certificate, "SLUIS_TLS_KEY": key, "SLUIS_DEMO": "true",
        ].merging(environment) { $1 })
        return (server, output, certificate, key)
    }

    /// Starts `sluis serve` with `keys` and a fresh SQLite file there, on `port`, plus `environment`.
    static func startGateway(keys: URL, port: Int, environment: [String: String]) throws -> (server: Process, output: Pipe) {
        let server = Process()
        server.executableURL = CLITests.binary
        server.arguments = ["serve"]
        server.currentDirectoryURL = CLITests.packageRoot
        server.environment = ProcessInfo.processInfo.environment.merging([
            "SLUIS_KEYS": keys.path, "SLUIS_DATABASE_URL": "sqlite:" + keys.appendingPathComponent("db.sqlite").path, "SLUIS_PORT": String(port),
        ].merging(environment) { $1 }) { $1 }
        let output = Pipe()
        server.standardOutput = output
        server.standardError = Pipe()
        try server.run()
        return (server, output)
    }

    /// What the server printed, read until `marker` is there (or the output ends).
    static func read(_ output: Pipe, until marker: String) -> String {
        var printed = ""
        while !printed.contains(marker) {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            printed += String(decoding: data, as: UTF8.self)
        }
        return printed
    }

    @Test("With a certificate configured the gateway speaks HTTPS; a fresh database gets the demo covenant, printed once")
    func tlsAndDemo() throws {
        try KeysAndBundleCLITests.withKeys { keys in
            let port = 18300 + Int(getpid() % 500)
            let (server, output, _, _) = try Self.startTLSGateway(keys: keys, port: port)
            defer {
                server.terminate()
                server.waitUntilExit()
            }
            var health = (status: Int32(1), output: "")
            for _ in 0..<100 {
                health = try Self.curl(["-k", "https://127.0.0.1:\(port)/health"])
                if health.output.contains("ok") { break }
                usleep(200_000)
            }
            #expect(health.output == #"{"status":"ok"}"#)
            let plain = try Self.curl(["http://127.0.0.1:\(port)/health"])
            #expect(!plain.output.contains("ok"), "no plain HTTP when TLS is configured")
            server.terminate()
            server.waitUntilExit()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(printed.contains("| leerplicht.demo | leerplichtambtenaar | gemeente-goeree-overflakkee |"))
            #expect(printed.contains("https://127.0.0.1:\(port)"))
            #expect(server.terminationReason == .exit, "SIGTERM stops the gateway gracefully")
        }
    }

    @Test("Mutual TLS (optional): a party certificate must be the delegate's own party's; a foreign one fails the handshake")
    func mutualTLS() throws {
        try KeysAndBundleCLITests.withKeys { keys in
            let port = 18800 + Int(getpid() % 500)
            let (server, output, certificate, key) = try Self.startTLSGateway(keys: keys, port: port,
                                                                              environment: ["SLUIS_CLIENT_CERTIFICATES": "optional"])
            defer {
                server.terminate()
                server.waitUntilExit()
            }
            let base = "https://127.0.0.1:\(port)"
            for _ in 0..<100 where !(try Self.curl(["-k", base + "/health"])).output.contains("ok") { usleep(200_000) }
            // The demo table is the first output; read until the zorgcoördinator's row is there.
            let printed = Self.read(output, until: "| zorgco.demo |")
            let row = try #require(printed.split(separator: "\n").first { $0.contains("| zorgco.demo |") })
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let code = try CLITests.tool([CLITests.binary.path, "totp", cells[4]]).output.trimmingCharacters(in: .whitespacesAndNewlines)
            let login = try Self.curl(["-k", "-X", "POST", base + "/v1/sessions", "-H", "content-type: application/json",
                                       "-d", #"{"username":"zorgco.demo","password":"\#(cells[3])","code":"\#(code)"}"#])
            let token = try #require((try JSONSerialization.jsonObject(with: Data(login.output.utf8)) as? [String: Any])?["token"] as? String)
            let auth = ["-H", "authorization: Bearer \(token)"]
            let parties = keys.appendingPathComponent("parties").path
            let own = try Self.curl(["-k", "-o", "/dev/null", "-w", "%{http_code}", "--cert", parties + "/sovogo.crt", "--key", parties + "/sovogo.key"]
                                    + auth + [base + "/v1/me"])
            #expect(own.output == "200")
            let other = try Self.curl(["-k", "-o", "/dev/null", "-w", "%{http_code}", "--cert", parties + "/swv-go.crt", "--key", parties + "/swv-go.key"]
                                      + auth + [base + "/v1/me"])
            #expect(other.output == "403", "a token of one party with the certificate of another")
            let none = try Self.curl(["-k", "-o", "/dev/null", "-w", "%{http_code}"] + auth + [base + "/v1/me"])
            #expect(none.output == "200", "optional: no certificate is allowed")
            let foreign = try Self.curl(["-k", "-o", "/dev/null", "-w", "%{http_code}", "--cert", certificate, "--key", key] + auth + [base + "/v1/me"])
            #expect(foreign.output != "200", "a certificate outside the covenant CA fails the TLS handshake")
        }
    }

    @Test("Without --demo and without keys, serve refuses to start: exit 1, every missing key named, `sluis keys init` pointed to, no key made, no secret printed")
    func productionStartWithoutKeysRefuses() throws {
        try KeysAndBundleCLITests.withKeys { keys in
            let result = try CLITests.run(["serve"], environment: [
                "SLUIS_KEYS": keys.path, "SLUIS_DATABASE_URL": "sqlite:" + keys.path + "-db.sqlite", "SLUIS_PORT": String(19300 + Int(getpid() % 500)),
                "SLUIS_DEMO": "false",
            ])
            defer { try? FileManager.default.removeItem(atPath: keys.path + "-db.sqlite") }
            #expect(result.status == 1, "\(result.stderr)")
            for missing in ["covenant CA certificate", "party sovogo's private key", "register key", "pseudonym key", "data key", "sluis keys init", "--demo"] {
                #expect(result.stderr.contains(missing), "\(missing): \(result.stderr)")
            }
            #expect(!result.stdout.contains(".demo") && !result.stdout.contains("TOTP") && !result.stdout.contains("luistert"), "\(result.stdout)")
            #expect(!FileManager.default.fileExists(atPath: keys.path), "a production start makes no key")
        }
    }

    @Test("A production start with its keys (from keys init) serves without minting anything or printing a secret")
    func productionStartWithKeysPrintsNoSecret() throws {
        try KeysAndBundleCLITests.withKeys { keys in
            #expect(try KeysAndBundleCLITests.sluis(["keys", "init"], keys: keys).status == 0)
            let before = try FileManager.default.subpathsOfDirectory(atPath: keys.path).sorted()
            let (server, output) = try Self.startGateway(keys: keys, port: 19800 + Int(getpid() % 500), environment: ["SLUIS_DEMO": "false"])
            defer {
                server.terminate()
                server.waitUntilExit()
            }
            let printed = Self.read(output, until: "Sluis luistert")
            #expect(printed.contains("Sluis luistert"), "\(printed)")
            #expect(!printed.contains(".demo") && !printed.contains("TOTP") && !printed.contains("Ontwikkelmodus"), "\(printed)")
            // The operator is told that keys init's CA is not for production, and what comes next.
            #expect(printed.contains("ontwikkel-CA") && printed.contains("sluis delegates first-beheerder"), "\(printed)")
            let after = try FileManager.default.subpathsOfDirectory(atPath: keys.path).filter { !$0.hasPrefix("db.sqlite") }.sorted()
            #expect(after == before, "no key made")
        }
    }

    /// Holds a TCP port on 127.0.0.1 (listening) until `body` returns.
    static func occupying<T>(port: Int, _ body: () throws -> T) throws -> T {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(socket, 1) == 0, "the test could not hold port \(port)")
        return try body()
    }

    @Test("Issue 9 item 7: serve --demo on a busy port binds first — exit 1 naming the port, no demo secret, no 'luistert'; the next start still shows the secrets once")
    func busyPortPrintsNoSecret() throws {
        try KeysAndBundleCLITests.withKeys { keys in
            let port = 20300 + Int(getpid() % 500)
            let environment = ["SLUIS_KEYS": keys.path, "SLUIS_DATABASE_URL": "sqlite:" + keys.appendingPathComponent("db.sqlite").path,
                               "SLUIS_PORT": String(port)]
            let busy = try Self.occupying(port: port) {
                try CLITests.run(["serve", "--demo"], environment: environment)
            }
            #expect(busy.status == 1, "\(busy.stderr)")
            #expect(busy.stderr.contains("cannot listen on 127.0.0.1:\(port)") && busy.stderr.contains("in use"), "\(busy.stderr)")
            for secretish in [".demo", "TOTP", "wachtwoord", "luistert", "Demo-convenant"] {
                #expect(!busy.stdout.contains(secretish) && !busy.stderr.contains(secretish), "'\(secretish)' printed: \(busy.stdout)")
            }
            // Nothing was made that the operator was not shown: the next start shows the secrets.
            let (server, output) = try Self.startGateway(keys: keys, port: port, environment: ["SLUIS_DEMO": "true"])
            defer {
                server.terminate()
                server.waitUntilExit()
            }
            let printed = Self.read(output, until: "Sluis luistert")
            #expect(printed.contains("| leerplicht.demo | leerplichtambtenaar | gemeente-goeree-overflakkee |"), "\(printed)")
            let made = try #require(printed.range(of: "Demo-convenant aangemaakt")), listening = try #require(printed.range(of: "Sluis luistert"))
            #expect(made.lowerBound < listening.lowerBound, "secrets first, then where it listens")
        }
    }
}
