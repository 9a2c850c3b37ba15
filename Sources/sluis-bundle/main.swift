import ArgumentParser
// FoundationEssentials, never Foundation, here and in SluisCrypto and SluisBundleCLI: Foundation
// brings CoreFoundation and ICU's data (the binary 75 MB instead of 25 MB), whose relocations,
// page faults and initialisers cost about a seventh of a small seal (docs/performance.md).
// Compiled with -static-stdlib: its static module brings the static libraries to the link.
import FoundationEssentials
import SluisBundleCLI

// `sluis-bundle seal|open|inspect`: the same commands as `sluis bundle …`, in an executable that
// links only SluisCrypto and ArgumentParser, with the Swift runtime linked in statically. The full
// `sluis` binary (NIO, Hummingbird, PostgresNIO, SQLite; ~80 MB) spends most of a small seal in
// the loader and in ArgumentParser's scan of its conformance records (docs/performance.md,
// "Start-up of the bundle commands").
struct SluisBundle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluis-bundle",
        abstract: "Sealed bundles: CMS signed, then AES-256-GCM encrypted per recipient (art. 10.2).",
        subcommands: [BundleSealCommand.self, BundleOpenCommand.self, BundleInspectCommand.self]
    )
}

SluisBundle.main()
