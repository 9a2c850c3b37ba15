public import ArgumentParser
import FoundationEssentials
public import SluisCrypto

// What every command of `sluis` and `sluis-bundle` shares: where the keys are, how a failure is
// reported. Here, not in `sluis`, so that `sluis-bundle` links without the server.

/// Where the keys live: `--keys DIR`, else `$SLUIS_KEYS`, else `./Keys`.
public struct KeyLocation: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .customLong("keys"), help: "The key directory (default: $SLUIS_KEYS or ./Keys).")
    public var directory: String?

    public var keys: KeyDirectory {
        KeyDirectory(directory ?? ProcessInfo.processInfo.environment["SLUIS_KEYS"] ?? "Keys")
    }
}

/// Runs `body`, turning failures into a message on standard error and exit 1.
public func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        StandardError.print("sluis: \(error)")
        throw ExitCode(1)
    }
}

/// A command-line failure with a message for standard error.
public struct CLIFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One line on standard error.
public enum StandardError {
    public static func print(_ message: String) {
        Array((message + "\n").utf8).withUnsafeBytes { FileIO.write($0, descriptor: 2) }
    }
}
