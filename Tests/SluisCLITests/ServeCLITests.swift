import Foundation
import Testing

/// `sluis serve` as a process: the demo covenant on a fresh database, and TLS when configured.
@Suite("sluis serve")
struct ServeCLITests {
    static func curl(_ arguments: [String]) throws -> (status: Int32, output: String) { try CLITests.tool(["curl", "-s"] + arguments) }

    @Test("With a certificate configured the gateway speaks HTTPS; a fresh database gets the demo covenant, printed once")
    func tlsAndDemo() throws {
        try KeysAndBundleCLITests.withKeys { keys in
            try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
            let certificate = keys.appendingPathComponent("tls.crt").path, key = keys.appendingPathComponent("tls.key").path
            let openssl = try CLITests.tool(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                             "-days", "2", "-subj", "/CN=localhost", "-keyout", key, "-out", certificate])
            #expect(openssl.status == 0)
            let port = 18300 + Int(getpid() % 500)
            let server = Process()
            server.executableURL = CLITests.binary
            server.arguments = ["serve"]
            server.currentDirectoryURL = CLITests.packageRoot
            server.environment = ProcessInfo.processInfo.environment.merging([
                "SLUIS_KEYS": keys.path, "SLUIS_DATABASE_URL": "sqlite:" + keys.appendingPathComponent("db.sqlite").path,
                "SLUIS_PORT": String(port), "SLUIS_TLS_CERTIFICATE": certificate, "SLUIS_TLS_KEY": key,
            ]) { $1 }
            let output = Pipe()
            server.standardOutput = output
            server.standardError = Pipe()
            try server.run()
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
}
