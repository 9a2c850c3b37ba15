import Foundation
public import SluisCrypto

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

    /// Parses a signed checkpoint without checking its signature, strictly: a C2SP signed note
    /// (`SignedNote.parse`, signed-note §Format) whose text is origin, size and root hash
    /// (tlog-checkpoint §Note text). For telling a malformed file from a forged one; trust only
    /// what `verify` returns.
    public static func parse(_ text: String) throws(Failure) -> Checkpoint { try body(of: SignedNote.parse(text).text) }

    /// Parses a signed checkpoint and checks it: the origin line must name this log (`origin`,
    /// tlog-checkpoint §Note text 1), the log's key name must be its origin (tlog-checkpoint
    /// §Signatures), and the signatures must hold (signed-note §Signatures: every one by the
    /// known key verifies, at least one is there, unknown keys are ignored).
    public static func verify(_ text: String, verifier: CheckpointSigner.Verifier, origin: String = Checkpoint.origin) throws(Failure) -> Checkpoint {
        let note = try SignedNote.parse(text)
        let checkpoint = try body(of: note.text)
        guard checkpoint.origin == origin else {
            throw Failure(description: "the checkpoint is for another log (\(checkpoint.origin)), not \(origin) — tlog-checkpoint §Note text")
        }
        guard verifier.name == origin else {
            throw Failure(description: "the log key's name \(verifier.name) is not the log's origin \(origin) — tlog-checkpoint §Signatures")
        }
        try note.verify(verifier)
        return checkpoint
    }

    /// tlog-checkpoint §Note text: at least three non-empty lines — the origin (non-empty), the
    /// tree size (ASCII decimal, no leading zeroes), the root hash (base64 of 32 bytes) — and any
    /// extension lines after them non-empty.
    static func body(of text: String) throws(Failure) -> Checkpoint {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        guard lines.count >= 3, lines.allSatisfy({ !$0.isEmpty }), let size = Int64(lines[1]), size >= 0, String(size) == lines[1],
              let root = Data(base64Encoded: String(lines[2])), root.count == 32, root.base64EncodedString() == lines[2]
        else { throw Failure(description: "the checkpoint body is not origin, size and root hash — tlog-checkpoint §Note text") }
        return Checkpoint(origin: String(lines[0]), size: size, root: Array(root))
    }
}

/// A C2SP signed note (https://c2sp.org/signed-note), parsed strictly: the note text, ending in
/// a newline, a blank line, then one or more signature lines `— <key name> <base64(key ID ‖
/// signature)>`. Any deviation refuses the whole note; nothing in it is trusted until `verify`
/// has checked a signature by a known key.
public struct SignedNote: Sendable, Equatable {
    /// One signature line: the key name, the 4-byte key ID and the signature bytes after it.
    public struct Signature: Sendable, Equatable {
        public let name: String
        public let keyID: [UInt8]
        public let signature: [UInt8]
    }

    /// The signed text, with its final newline, without the separating blank line.
    public let text: String
    public let signatures: [Signature]

    /// signed-note §Format: verifiers must accept at least 16 signatures and should cap them.
    public static let maxSignatures = 64

    /// signed-note §Format, every rule: valid UTF-8 (a Swift `String`), no ASCII control
    /// character but newline; the text ends in a newline and is separated from the signatures
    /// by the last blank line; at least one signature line, each `—`, space, a non-empty key
    /// name without Unicode spaces or `+`, space, standard base64 (RFC 4648 §4, canonical) of
    /// at least 4 + 1 bytes, newline — and nothing else after them.
    public static func parse(_ note: String) throws(Checkpoint.Failure) -> SignedNote {
        if let control = note.unicodeScalars.first(where: { $0.value < 0x20 && $0 != "\n" }) {
            throw Checkpoint.Failure(description: "the note contains a control character (U+\(String(format: "%04X", control.value))) — signed-note §Format")
        }
        guard note.hasSuffix("\n") else { throw Checkpoint.Failure(description: "the note does not end in a newline — signed-note §Format") }
        let lines = note.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        guard let blank = lines.lastIndex(where: \.isEmpty) else {
            throw Checkpoint.Failure(description: "not a signed note (no blank line before the signatures) — signed-note §Format")
        }
        guard blank > lines.startIndex else { throw Checkpoint.Failure(description: "the note text is empty — signed-note §Format") }
        let text = lines[..<blank].joined(separator: "\n") + "\n"
        let signatureLines = lines[(blank + 1)...]
        guard !signatureLines.isEmpty else { throw Checkpoint.Failure(description: "the note carries no signature line — signed-note §Format") }
        guard signatureLines.count <= maxSignatures else {
            throw Checkpoint.Failure(description: "the note carries more than \(maxSignatures) signatures — signed-note §Format")
        }
        var signatures: [Signature] = []
        for line in signatureLines {
            guard let signature = Signature(line: line) else {
                throw Checkpoint.Failure(description: "malformed signature line \"\(line.prefix(80))\" — signed-note §Signatures")
            }
            signatures.append(signature)
        }
        return SignedNote(text: text, signatures: signatures)
    }

    /// signed-note §Signatures: signatures by unknown keys (name or key ID differ) are ignored;
    /// every signature by the known key (name and key ID match) must verify, else the whole note
    /// is refused; and at least one must be there.
    public func verify(_ verifier: CheckpointSigner.Verifier) throws(Checkpoint.Failure) {
        let known = signatures.filter { $0.name == verifier.name && $0.keyID == verifier.keyID }
        guard !known.isEmpty else { throw Checkpoint.Failure(description: "the checkpoint carries no signature by \(verifier.name)") }
        for signature in known where signature.signature.count != 64
            || !Ed25519.verify(signature: signature.signature, message: Array(text.utf8), publicKey: verifier.publicKey) {
            throw Checkpoint.Failure(description: "the checkpoint's signature is not valid (forged or altered)")
        }
    }
}

extension SignedNote.Signature {
    init?(line: Substring) {
        guard line.hasPrefix("\u{2014} ") else { return nil }
        let parts = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, SignedNote.Signature.isKeyName(parts[0]),
              let blob = Data(base64Encoded: String(parts[1])), blob.count > 4,
              blob.base64EncodedString() == parts[1]
        else { return nil }
        self.init(name: String(parts[0]), keyID: Array(blob.prefix(4)), signature: Array(blob.dropFirst(4)))
    }

    /// signed-note §Format: non-empty, no Unicode spaces, no `+`.
    public static func isKeyName(_ name: Substring) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace }
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
            keyID = Self.keyID(name: name, algorithm: 0x01, publicKey: publicKey)
        }

        /// `<name>+<key id hex>+<base64(0x01 ‖ public key)>`.
        public var text: String { Self.text(name: name, keyID: keyID, algorithm: 0x01, publicKey: publicKey) }

        public init?(text: String) {
            guard let parsed = Self.parse(text, algorithm: 0x01) else { return nil }
            self.init(name: parsed.name, publicKey: parsed.publicKey)
        }

        /// signed-note §Verifier keys: the key ID is SHA-256(name ‖ 0x0A ‖ algorithm ‖ public key)[:4].
        static func keyID(name: String, algorithm: UInt8, publicKey: [UInt8]) -> [UInt8] {
            Array(((try? SHA256.hash(Array(name.utf8) + [0x0A, algorithm] + publicKey)) ?? []).prefix(4))
        }

        static func text(name: String, keyID: [UInt8], algorithm: UInt8, publicKey: [UInt8]) -> String {
            "\(name)+\(Hex.encode(keyID))+\(Data([algorithm] + publicKey).base64EncodedString())"
        }

        /// `<name>+<key id hex>+<base64(algorithm ‖ 32-byte Ed25519 key)>`, the key ID checked.
        static func parse(_ text: String, algorithm: UInt8) -> (name: String, publicKey: [UInt8])? {
            let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2)
            guard parts.count == 3, SignedNote.Signature.isKeyName(parts[0]), let blob = Data(base64Encoded: String(parts[2])),
                  blob.count == 33, blob.first == algorithm else { return nil }
            let name = String(parts[0]), publicKey = Array(blob.dropFirst())
            guard Hex.encode(keyID(name: name, algorithm: algorithm, publicKey: publicKey)) == parts[1] else { return nil }
            return (name, publicKey)
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
