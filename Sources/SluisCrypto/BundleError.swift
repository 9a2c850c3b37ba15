/// Why a bundle was refused. Every case means: no plaintext was released. Descriptions name
/// the problem and the algorithm or party certificate involved, never content.
public enum BundleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Larger than the configured limit; not parsed at all.
    case tooLarge(size: Int, limit: Int)
    /// Not a CMS structure, or truncated, or trailing bytes.
    case malformed(String)
    /// A CMS type other than AuthEnvelopedData (e.g. unauthenticated EnvelopedData).
    case notAuthEnveloped(found: String)
    /// An algorithm Sluis does not accept (e.g. a SHA-1 KDF, PKCS#1 v1.5, a short GCM tag).
    case weakAlgorithm(String)
    /// None of the recipient infos is for this certificate.
    case notARecipient
    /// Key unwrap or the GCM tag failed: the bundle was altered or is not for this key.
    case decryptionFailed
    /// The envelope holds no signature (sign-then-encrypt is required).
    case unsigned
    /// The signature does not verify, or the signer does not chain to a trusted CA.
    case signatureInvalid(String)
    /// Signed by a valid party, but not by the one expected.
    case unexpectedSigner(expected: String, found: String)
    /// OpenSSL failed for another reason.
    case crypto(String)
    /// Not sealed: a key or certificate does not fit (none given, signer's key and certificate
    /// apart, a recipient without a usable key). Not an OpenSSL failure.
    case key(KeyError)

    public var description: String {
        switch self {
        case .tooLarge(let size, let limit): "bundle refused: \(size) bytes is over the limit of \(limit) bytes"
        case .malformed(let what): "bundle refused: not a well-formed CMS file (\(what))"
        case .notAuthEnveloped(let found): "bundle refused: expected CMS AuthEnvelopedData (RFC 5083), found \(found)"
        case .weakAlgorithm(let what): "bundle refused: \(what)"
        case .notARecipient: "bundle refused: it is not addressed to this certificate"
        case .decryptionFailed: "bundle refused: decryption or integrity check (GCM tag) failed — altered, or not for this key"
        case .unsigned: "bundle refused: the content is not signed (CMS SignedData inside the envelope is required)"
        case .signatureInvalid(let why): "bundle refused: signature not valid (\(why))"
        case .unexpectedSigner(let expected, let found): "bundle refused: signed by \(found), expected \(expected)"
        case .crypto(let why): "bundle refused: \(why)"
        case .key(let error): "bundle not sealed: \(error)"
        }
    }
}
