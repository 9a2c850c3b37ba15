import Foundation
import SluisCrypto

/// A signed tree head in the C2SP tlog-checkpoint format, as a C2SP signed note:
///
///     <origin>
///     <tree size>
///     <root hash, base64>
///
///     — <key name> <base64(4-byte key id ‖ Ed25519 signature)>
///
/// The signature covers the three body lines with their newlines. Anyone with the register's
/// verifier key (`<name>+<key id hex>+<base64(0x01 ‖ public key)>`) can check it.
public struct Checkpoint: Sendable, Equatable {
    public static let origin = "sluis.goeree-overflakkee/thuiszitters/register"

    public var origin: String
    public var size: Int64
    public var root: [UInt8]

    public init(origin: String = Checkpoint.origin, size: Int64, root: [UInt8]) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    public var body: String { "\(origin)\n\(size)\n\(Data(root).base64EncodedString())\n" }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Parses a signed checkpoint without checking its signature: the body must be origin,
    /// size and root hash, followed by a blank line (C2SP signed-note and tlog-checkpoint).
    /// For telling a malformed file from a forged one; trust only what `verify` returns.
    public static func parse(_ text: String) throws(Failure) -> Checkpoint { try split(text).checkpoint }

    /// Parses a signed checkpoint and checks its signature with `verifier`.
    public static func verify(_ text: String, verifier: CheckpointSigner.Verifier) throws(Failure) -> Checkpoint {
        let (checkpoint, body, signatures) = try split(text)
        var found = false
        for line in signatures {
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[0] == "—", String(parts[1]) == verifier.name,
                  let blob = Data(base64Encoded: String(parts[2])), blob.count == 68,
                  Array(blob.prefix(4)) == verifier.keyID
            else { continue }
            found = true
            if Ed25519.verify(signature: Array(blob.dropFirst(4)), message: Array(body.utf8), publicKey: verifier.publicKey) {
                return checkpoint
            }
        }
        throw Failure(description: found ? "the checkpoint's signature is not valid (forged or altered)"
                                         : "the checkpoint carries no signature by \(verifier.name)")
    }

    /// The checkpoint, the signed body (its three lines with their newlines) and the signature lines.
    private static func split(_ text: String) throws(Failure) -> (checkpoint: Checkpoint, body: String, signatures: [Substring]) {
        guard let separator = text.range(of: "\n\n") else { throw Failure(description: "not a signed note (no blank line)") }
        let body = String(text[..<separator.lowerBound]) + "\n"
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        guard lines.count >= 3, let size = Int64(lines[1]), size >= 0, String(size) == lines[1],
              let root = Data(base64Encoded: String(lines[2])), root.count == 32, !lines[0].isEmpty
        else { throw Failure(description: "the checkpoint body is not origin, size and root hash") }
        return (Checkpoint(origin: String(lines[0]), size: size, root: Array(root)), body, text[separator.upperBound...].split(separator: "\n"))
    }
}

/// Signs checkpoints with the register's Ed25519 key (`Keys/register/register.key`).
public struct CheckpointSigner: Sendable {
    public let name: String
    public let key: PrivateKey
    public let verifier: Verifier

    /// The public half, in the C2SP note verifier-key form.
    public struct Verifier: Sendable, Equatable {
        public let name: String
        public let keyID: [UInt8]
        public let publicKey: [UInt8]

        public init(name: String, publicKey: [UInt8]) {
            self.name = name
            self.publicKey = publicKey
            let material = Array(name.utf8) + [0x0A, 0x01] + publicKey
            keyID = Array(((try? SHA256.hash(material)) ?? []).prefix(4))
        }

        /// `<name>+<key id hex>+<base64(0x01 ‖ public key)>`.
        public var text: String { "\(name)+\(Hex.encode(keyID))+\(Data([0x01] + publicKey).base64EncodedString())" }

        public init?(text: String) {
            let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2)
            guard parts.count == 3, let blob = Data(base64Encoded: String(parts[2])), blob.count == 33, blob.first == 0x01 else { return nil }
            self.init(name: String(parts[0]), publicKey: Array(blob.dropFirst()))
            guard Hex.encode(keyID) == parts[1] else { return nil }
        }
    }

    public init(name: String, key: PrivateKey) throws {
        guard key.kind == .ed25519 else { throw Checkpoint.Failure(description: "the register key must be Ed25519") }
        self.name = name
        self.key = key
        verifier = Verifier(name: name, publicKey: try key.rawPublicKey())
    }

    public func sign(_ checkpoint: Checkpoint) throws -> String {
        let body = checkpoint.body
        let signature = try key.signEd25519(Array(body.utf8))
        return body + "\n— \(name) \(Data(verifier.keyID + signature).base64EncodedString())\n"
    }
}
