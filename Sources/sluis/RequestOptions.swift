import ArgumentParser
import Foundation
import SluisCovenant

/// `--request FILE` (else standard input) and `--compact`, as `sluis policy eval` and `sluis
/// agenda preview` take them, and the reading and parsing both do: a document read up to one
/// byte past its limit (the parser then calls it too large without reading all of it); an
/// unreadable file or an invalid document is exit 2 with `invalid request: …` on standard error.
struct RequestOptions: ParsableArguments {
    @Option(name: .customLong("request"), help: "Read the request from this file instead of standard input.")
    var requestFile: String?

    @Flag(help: "Print the answer on one line.")
    var compact = false

    /// The parsed document, or exit 2 naming the key at fault (`RequestError`, never a value).
    func read<T>(limit: Int, _ parse: (Data) throws(RequestError) -> T) throws -> T {
        let data = try bytes(limit: limit)
        do {
            return try parse(data)
        } catch {
            StandardError.print("invalid request: \(error.description)")
            throw ExitCode(2)
        }
    }

    private func bytes(limit: Int) throws -> Data {
        let readLimit = limit + 1
        guard let requestFile else { return (try? FileHandle.standardInput.read(upToCount: readLimit)) ?? Data() }
        guard let handle = FileHandle(forReadingAtPath: requestFile) else {
            StandardError.print("invalid request: cannot read the file \(requestFile)")
            throw ExitCode(2)
        }
        defer { try? handle.close() }
        do {
            return try handle.read(upToCount: readLimit) ?? Data()
        } catch {
            StandardError.print("invalid request: cannot read the file \(requestFile)")
            throw ExitCode(2)
        }
    }
}
