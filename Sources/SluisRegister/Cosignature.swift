import Foundation
public import SluisCrypto

/// A witness's Ed25519 cosignature on a checkpoint, C2SP tlog-cosignature (`cosignature/v1`):
/// a signed-note signature line `— <witness name> base64(key ID ‖ u64 timestamp ‖ signature)`,
/// where the signature covers `cosignature/v1\ntime <seconds>\n` followed by the checkpoint's
/// note body. It says: at that time the largest consistent tree the witness saw for the log
/// had this root.
public enum Cosignature {
    /// tlog-cosignature §Format: the vkey signature type (and key-ID byte) of Ed25519 cosignatures.
    public static let algorithm: UInt8 = 0x04

    /// A witness's public key: its name and Ed25519 key, key ID per tlog-cosignature §Format.
    public struct Verifier: Sendable, Equatable {
        public let name: String
        public let keyID: [UInt8]
        public let publicKey: [UInt8]

        public init(name: String, publicKey: [UInt8]) {
            self.name = name
            self.publicKey = publicKey
            keyID = CheckpointSigner.Verifier.keyID(name: name, algorithm: Cosignature.algorithm, publicKey: publicKey)
        }

        /// The first name that more than one of `verifiers` carries, nil when all differ: a
        /// cosignature counts once per witness name (tlog-cosignature), so a name given twice
        /// makes a quorum that can never be reached.
        public static func nameGivenTwice(in verifiers: [Verifier]) -> String? {
            var seen = Set<String>()
            return verifiers.first { !seen.insert($0.name).inserted }?.name
        }

        /// The vkey `<name>+<key id hex>+<base64(0x04 ‖ public key)>` (signed-note §Verifier keys).
        public var text: String {
            CheckpointSigner.Verifier.text(name: name, keyID: keyID, algorithm: Cosignature.algorithm, publicKey: publicKey)
        }

        /// Parses a vkey of type 0x04; nil for another type, a bad key ID or a malformed text.
        public init?(text: String) {
            guard let parsed = CheckpointSigner.Verifier.parse(text, algorithm: Cosignature.algorithm) else { return nil }
            self.init(name: parsed.name, publicKey: parsed.publicKey)
        }
    }

    /// One verified cosignature: whose, and when (POSIX seconds).
    public struct Verified: Sendable, Equatable {
        public let witness: String
        public let time: UInt64
    }

    /// tlog-cosignature §Ed25519 signed message.
    static func message(body: String, time: UInt64) -> [UInt8] {
        Array("cosignature/v1\ntime \(time)\n\(body)".utf8)
    }

    /// Signs a checkpoint's note `body` (its text with the final newline, extension lines
    /// included) at `time` (POSIX seconds, ≤ 2^63 − 1) as witness `name` with its Ed25519
    /// `key`: the signature line, ending in a newline.
    public static func sign(body: String, time: UInt64, name: String, key: PrivateKey) throws -> String {
        guard time <= UInt64(Int64.max) else { throw Checkpoint.Failure(description: "timestamp beyond 2^63 - 1 — tlog-cosignature §Format") }
        let verifier = Verifier(name: name, publicKey: try key.rawPublicKey())
        let signature = try key.signEd25519(message(body: body, time: time))
        let stamp = (0..<8).reversed().map { UInt8(truncatingIfNeeded: time >> (8 * UInt64($0))) }
        return "— \(name) \(Data(verifier.keyID + stamp + signature).base64EncodedString())\n"
    }

    /// The cosignatures in `note` by the `witnesses` given, each checked; signatures by other
    /// keys are ignored (signed-note §Signatures). A line by a known witness that does not
    /// verify throws: it is forged or belongs to another checkpoint.
    public static func verified(_ note: SignedNote, witnesses: [Verifier]) throws(Checkpoint.Failure) -> [Verified] {
        var found: [Verified] = []
        for signature in note.signatures {
            guard let witness = witnesses.first(where: { $0.name == signature.name && $0.keyID == signature.keyID }) else { continue }
            let blob = signature.signature
            guard blob.count == 72 else { throw Checkpoint.Failure(description: "the cosignature of \(witness.name) is not 8 + 64 bytes — tlog-cosignature §Format") }
            let time = blob.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard time <= UInt64(Int64.max),
                  Ed25519.verify(signature: Array(blob.dropFirst(8)), message: message(body: note.text, time: time), publicKey: witness.publicKey)
            else { throw Checkpoint.Failure(description: "the cosignature of \(witness.name) does not verify (forged, or for another checkpoint)") }
            if !found.contains(where: { $0.witness == witness.name }) { found.append(Verified(witness: witness.name, time: time)) }
        }
        return found
    }
}
