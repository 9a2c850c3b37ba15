public import Foundation
public import SluisCrypto

/// Encrypts what the gateway keeps about pupils (identity and case facts) and delegates' TOTP
/// secrets at rest: AES-256-GCM with a random nonce, as hex `nonce ‖ ciphertext ‖ tag`, bound
/// by additional data to the row it belongs to (a ciphertext copied to another case fails).
public struct DataVault: Sendable {
    let key: SecureBytes

    public init(key: SecureBytes) throws {
        guard key.count == AESGCM.keySize else { throw KeyError.wrongSize("the data key", expected: AESGCM.keySize, actual: key.count) }
        self.key = key
    }

    public func seal(_ plaintext: [UInt8], context: String) throws -> String {
        let nonce = try Random.bytes(AESGCM.nonceSize)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        let tag = try plaintext.withUnsafeBytes { input in
            try ciphertext.withUnsafeMutableBytes { output in
                try AESGCM.seal(key: key, nonce: nonce, aad: Array(context.utf8), input: input, output: output)
            }
        }
        return Hex.encode(nonce + ciphertext + tag)
    }

    public func open(_ sealed: String, context: String) throws -> SecureBytes {
        guard let bytes = Hex.decode(sealed), bytes.count >= AESGCM.nonceSize + AESGCM.tagSize else {
            throw GatewayError.unavailable(.storedDataDamaged, "stored ciphertext is damaged")
        }
        let nonce = Array(bytes.prefix(AESGCM.nonceSize)), tag = Array(bytes.suffix(AESGCM.tagSize))
        let body = Array(bytes.dropFirst(AESGCM.nonceSize).dropLast(AESGCM.tagSize))
        let output = SecureBytes(count: body.count)
        do {
            try body.withUnsafeBytes { input in
                try output.withUnsafeMutableBytes { out in
                    try AESGCM.open(key: key, nonce: nonce, aad: Array(context.utf8), tag: tag, input: input, output: out)
                }
            }
        } catch {
            throw GatewayError.unavailable(.storedDataDamaged, "stored ciphertext does not authenticate", cause: error)
        }
        return output
    }
}

extension KeyDirectory {
    public var dataKeyURL: URL { root.appendingPathComponent("data/data.key") }

    public var hasDataKey: Bool { FileManager.default.fileExists(atPath: dataKeyURL.path) }

    /// Makes the data key (32 random bytes, hex, mode 0600) when it is missing (`sluis keys init`,
    /// `sluis serve --demo`); returns whether it made one.
    @discardableResult
    public func ensureDataKey() throws -> Bool {
        guard !hasDataKey else { return false }
        let key = try SecureBytes.random(count: 32)
        try writeSecretFile(SecureBytes(Array((key.withUnsafeBytes { Hex.encode($0) } + "\n").utf8)), to: dataKeyURL)
        return true
    }

    /// The data key; never made here (a production start refuses without it).
    public func dataKey() throws -> SecureBytes {
        guard hasDataKey else { throw KeyDirectory.Failure(description: "no data key at \(dataKeyURL.path) (run `sluis keys init`)") }
        let text = try readSecretFile(dataKeyURL).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Hex.decode(text), bytes.count == 32 else { throw KeyDirectory.Failure(description: "\(dataKeyURL.path) must hold 32 bytes in hex") }
        return SecureBytes(bytes)
    }
}
