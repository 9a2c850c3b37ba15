import Foundation
import Testing
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

    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }

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
        var refused = 0, identical = 0, baseline = 0
        let total = 100_000
        for iteration in 0..<total {
            if iteration == 10_000 { baseline = Self.residentKiB() }
            let mutant = Self.mutate(seeds[iteration % seeds.count], &random)
            do {
                let opened = try SealedBundle.open(mutant, recipient: f.swv.0, key: f.swv.1, trust: f.trust)
                #expect(opened.plaintext.bytes == message, "a mutant released other content (iteration \(iteration))")
                identical += 1
            } catch {
                refused += 1
            }
        }
        let growth = Self.residentKiB() - baseline
        #expect(refused + identical == total)
        #expect(refused > total * 9 / 10)
        #expect(growth < 32 * 1024, "resident memory grew by \(growth) KiB over 90,000 opens")
        print("fuzz: \(total) mutants, \(refused) refused, \(identical) unchanged in meaning, RSS growth \(growth) KiB")
    }
}
