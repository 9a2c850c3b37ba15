import Foundation

/// Prints the inzage report's HTML to PDF with Debian's headless Chromium
/// (`chromium --headless --print-to-pdf`; docs/rights.md says why Chromium and not WeasyPrint):
/// the page goes in as a file in a fresh private directory (0700) with its own browser profile,
/// and both are removed afterwards, also when printing fails. The page has no script and no
/// external resource, and every stored value in it is escaped (`InzageHTML`). (Switching
/// scripts off with `--blink-settings=scriptEnabled=false` makes Chromium 156 print nothing.)
enum InzagePDF {
    /// The browser: `$SLUIS_CHROMIUM`, else `chromium` or `chromium-browser` on `PATH`.
    static func browser(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let named = environment["SLUIS_CHROMIUM"], !named.isEmpty { return named }
        for directory in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let path = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// The PDF's bytes (they begin with `%PDF-`). Throws `GatewayError.unavailable`
    /// (`sluis:pdf-renderer-unavailable`) when no browser is found, it fails, or it takes longer
    /// than `timeout` seconds (then it is ended).
    static func render(html: String, timeout: TimeInterval = 120) async throws -> [UInt8] {
        guard let browser = browser() else {
            throw GatewayError.unavailable(.pdfRendererUnavailable, "no chromium on PATH and no SLUIS_CHROMIUM (install Debian's chromium: .ci/setup)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-inzage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("inzage.html"), pdf = directory.appendingPathComponent("inzage.pdf")
        try Data(html.utf8).write(to: page)
        var arguments = ["--headless", "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-sync",
                         "--no-pdf-header-footer",
                         "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
                         "--print-to-pdf=\(pdf.path)", page.absoluteString]
        // Chromium refuses to run as root with its sandbox (a CI container); the page is our own.
        if getuid() == 0 { arguments.insert("--no-sandbox", at: 0) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: GatewayError.unavailable(.pdfRendererUnavailable, "chromium did not start", cause: error))
                return
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { if process.isRunning { process.terminate() } }
        }
        guard status == 0, let bytes = try? Data(contentsOf: pdf), bytes.starts(with: Array("%PDF-".utf8)) else {
            throw GatewayError.unavailable(.pdfRendererUnavailable, "chromium ended with status \(status) without a PDF")
        }
        return Array(bytes)
    }
}
