import Foundation
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
        let server = Process()
        server.executableURL = CLITests.binary
        server.arguments = ["serve"]
        server.currentDirectoryURL = CLITests.packageRoot
        server.environment = ProcessInfo.processInfo.environment.merging([
            "SLUIS_KEYS": keys.path, "SLUIS_DATABASE_URL": "sqlite:" + keys.appendingPathComponent("db.sqlite").path,
            "SLUIS_PORT": String(port), "SLUIS_TLS_CERTIFICATE": certificate, "SLUIS_TLS_KEY": key,
        ].merging(environment) { $1 }) { $1 }
        let output = Pipe()
        server.standardOutput = output
        server.standardError = Pipe()
        try server.run()
        return (server, output, certificate, key)
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
            var printed = ""
            while !printed.contains("| zorgco.demo |") {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                printed += String(decoding: data, as: UTF8.self)
            }
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
}
