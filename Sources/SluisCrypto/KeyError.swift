/// A key, certificate or buffer that does not fit what it is used for: a configuration or
/// calling error, found before OpenSSL is asked. OpenSSL's own failures are `CryptoError`
/// (with its drained error queue); this is not one. Descriptions name a key by its role and
/// sizes in bytes, never key material.
public enum KeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No key of this role or version is configured (e.g. "pseudonym key v3").
    case missing(String)
    /// A key, nonce, tag or buffer of the wrong length (bytes).
    case wrongSize(String, expected: Int, actual: Int)
    /// Shorter than its minimum length (bytes).
    case tooShort(String, minimum: Int, actual: Int)
    /// A key of a kind that cannot do this (e.g. a recipient certificate with neither an EC nor
    /// an RSA key; Ed25519 signing with another kind of key).
    case unusable(String)
    /// A key and a certificate that do not belong together.
    case mismatch(String)

    public var description: String {
        switch self {
        case .missing(let what): "no \(what)"
        case .wrongSize(let what, let expected, let actual): "\(what) must be \(expected) bytes, not \(actual)"
        case .tooShort(let what, let minimum, let actual): "\(what) must be at least \(minimum) bytes, not \(actual)"
        case .unusable(let what): "unusable key: \(what)"
        case .mismatch(let what): "\(what) do not belong together"
        }
    }
}
