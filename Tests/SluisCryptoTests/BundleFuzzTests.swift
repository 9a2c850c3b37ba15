import Foundation
import Testing
import CHeapStats
@testable import SluisCrypto

/// A seeded mutation fuzz run over the bundle parser: 100,000 altered bundles, none may crash
/// the process, leak memory, or release anything but the original signed content.
@Suite("Bundle fuzzing")
struct BundleFuzzTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mutate(_ bundle: [UInt8], _ random: inout Generator) -> [UInt8] {
        var bytes = bundle
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            guard !bytes.isEmpty else { break }
            let index = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<8, using: &random) {
            case 0: bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
            case 1: bytes[index] = UInt8.random(in: 0...255, using: &random)
            case 2: bytes.removeSubrange(index...)
            case 3: bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: index)
            case 4: bytes.removeSubrange(index..<min(bytes.count, index + Int.random(in: 1...64, using: &random)))
            case 5: bytes[index] = [0x00, 0x7F, 0x80, 0x81, 0x84, 0xFF].randomElement(using: &random)!  // length bytes
            case 6:
                let end = min(bytes.count, index + Int.random(in: 1...128, using: &random))
                bytes.insert(contentsOf: bytes[index..<end], at: index)
            default: bytes.swapAt(index, Int.random(in: 0..<bytes.count, using: &random))
            }
        }
        return bytes
    }

    /// The allocator's bytes in use: unlike the resident size, it falls again when the suites
    /// running beside this one free their memory, so the smallest sample of a window is a floor
    /// that only a leak raises.
    static func heapInUse() -> Int { Int(sluis_heap_in_use()) }

    @Test("100,000 mutated bundles: refused or identical to the original, never a crash, no memory growth")
    func fuzzOpen() throws {
        let f = CryptoFixtures.shared
        let message = Array("Fuzz-inhoud (testgegevens)".utf8)
        let seeds = [
            try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.swv.0]),
            try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.gemeente.0, f.swv.0, f.rsaParty.0]),
            try SealedBundle.seal(message, signer: f.school.0, key: f.school.1, recipients: [f.swv.0], format: .smime),
        ]
        var random = Generator(state: 20261129)
        var refused = 0, identical = 0
        // Floors of the heap over iterations 10,000–19,999 and 90,000–99,999 (sampled every 500).
        var early = Int.max, late = Int.max
        let total = 100_000
        for iteration in 0..<total {
            if iteration % 500 == 0 {
                if (10_000..<20_000).contains(iteration) { early = min(early, Self.heapInUse()) }
                if iteration >= 90_000 { late = min(late, Self.heapInUse()) }
            }
            let mutant = Self.mutate(seeds[iteration % seeds.count], &random)
            do {
                let opened = try SealedBundle.open(mutant, recipient: f.swv.0, key: f.swv.1, trust: f.trust)
                #expect(opened.plaintext.bytes == message, "a mutant released other content (iteration \(iteration))")
                identical += 1
            } catch {
                refused += 1
            }
        }
        late = min(late, Self.heapInUse())
        let growth = (late - early) / 1024
        #expect(refused + identical == total)
        #expect(refused > total * 9 / 10)
        // The heap is the process's: in the whole suite other tests allocate beside this one (a
        // full run measured 52 MiB of their memory as "growth"). So the bound is asserted where
        // this suite runs alone — `.ci/test` runs it so, with SLUIS_FUZZ_ALONE=1 — and printed here.
        if ProcessInfo.processInfo.environment["SLUIS_FUZZ_ALONE"] == "1" {
            #expect(growth < 32 * 1024, "the heap's floor grew by \(growth) KiB over 80,000 opens")
        }
        print("fuzz: \(total) mutants, \(refused) refused, \(identical) unchanged in meaning, heap floor growth \(growth) KiB")
    }
}
