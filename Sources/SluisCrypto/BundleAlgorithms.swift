/// The one allow-list for every algorithm in a sealed bundle (issue 9 item 1). Opening refuses a
/// bundle with anything outside it, sealing checks its own output against it, and
/// `sluis bundle inspect` names every algorithm outside it with the rule it breaks. The table
/// is also in docs/crypto.md ("The allow-list"); each entry cites the RFC section it rests on.
public enum BundleAlgorithms {
    public enum Role: String, Sendable, CaseIterable {
        case contentCipher = "content cipher"
        case keyAgreement = "key agreement (ECDH + KDF)"
        case keyAgreementCurve = "key agreement curve"
        case keyWrap = "key wrap"
        case keyTransport = "key transport"
        case keyTransportDigest = "RSA-OAEP digest / MGF1 digest"
        case signatureDigest = "signature digest"
        case signatureAlgorithm = "signature algorithm"
    }

    public struct Entry: Sendable, Equatable {
        public let oid: String
        public let name: String
        public let role: Role
        /// Symmetric strength in bits where it matters (ciphers and key wraps), else 0.
        public let strength: Int
        /// The RFC section(s) the entry rests on.
        public let rule: String
    }

    /// Every algorithm Sluis accepts, by role.
    public static let allowed: [Entry] =
        // RFC 5083 §2 (AuthEnvelopedData), RFC 5084 §3.2 (AES-GCM in CMS), RFC 8551 §2.7.
        family(.contentCipher, strength: 256, "RFC 5084 §3.2, RFC 8551 §2.7", [("2.16.840.1.101.3.4.1.46", "aes-256-gcm")])
        // Ephemeral-static ECDH with an X9.63 KDF over SHA-2 (RFC 5753 §7.1.4 and §8; RFC 8551 §2.3).
        + family(.keyAgreement, "RFC 5753 §7.1.4, RFC 8551 §2.3", [
            ("1.3.132.1.11.1", "ECDH X9.63 KDF with SHA-256"), ("1.3.132.1.11.2", "ECDH X9.63 KDF with SHA-384"),
            ("1.3.132.1.11.3", "ECDH X9.63 KDF with SHA-512")])
        // The curve of the ECDH keys — the recipient's and the originator's ephemeral key, which
        // must lie on the same curve: the NIST prime curves of RFC 5480 §2.1.1.1 from P-256 up
        // (RFC 8551 §2.3 makes P-256 the one every agent supports).
        + family(.keyAgreementCurve, "RFC 5480 §2.1.1.1, RFC 8551 §2.3", [
            ("1.2.840.10045.3.1.7", "P-256"), ("1.3.132.0.34", "P-384"), ("1.3.132.0.35", "P-521")])
        // AES key wrap (RFC 3565 §2.3.2, RFC 5753 §7.1.5), never weaker than the content cipher.
        + family(.keyWrap, strength: 256, "RFC 3565 §2.3.2, RFC 5753 §7.1.5", [("2.16.840.1.101.3.4.1.45", "aes-256-wrap")])
        // RSAES-OAEP (RFC 8017 §7.1; in CMS RFC 3560 §3; RFC 8551 §2.3), SHA-2 for its hash and MGF1.
        + family(.keyTransport, "RFC 3560 §3, RFC 8551 §2.3", [("1.2.840.113549.1.1.7", "RSA-OAEP")])
        + family(.keyTransportDigest, "RFC 3560 §2.1, RFC 5754 §2", sha2)
        // Signature digests: SHA-256 is the floor (RFC 8551 §2.1); MD5 (RFC 6151 §2) and SHA-1 are out.
        + family(.signatureDigest, "RFC 8551 §2.1, RFC 5754 §2", sha2)
        // Signature algorithms (RFC 8551 §2.2): ECDSA with SHA-2 (RFC 5754 §3.3), RSA PKCS#1 v1.5
        // signatures with SHA-2, written as rsaEncryption or sha*WithRSAEncryption (RFC 5754 §3.2).
        + family(.signatureAlgorithm, "RFC 5754 §3.3, RFC 8551 §2.2", [
            ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"), ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
            ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512")])
        + family(.signatureAlgorithm, "RFC 5754 §3.2, RFC 8551 §2.2", [
            ("1.2.840.113549.1.1.1", "rsaEncryption (PKCS#1 v1.5 signature)"), ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
            ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"), ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption")])
        // RSASSA-PSS (RFC 4056 §3; RFC 8551 §2.2), only with the parameters `PSSParameters` accepts:
        // SHA-2 hash equal to the signer's digest, MGF1 with SHA-2, salt at least the hash length, trailer 1.
        + family(.signatureAlgorithm, "RFC 4056 §3, RFC 8551 §2.2", [("1.2.840.113549.1.1.10", "RSASSA-PSS")])

    private static let sha2 = [("2.16.840.1.101.3.4.2.1", "SHA-256"), ("2.16.840.1.101.3.4.2.2", "SHA-384"), ("2.16.840.1.101.3.4.2.3", "SHA-512")]

    private static func family(_ role: Role, strength: Int = 0, _ rule: String, _ members: [(String, String)]) -> [Entry] {
        members.map { Entry(oid: $0.0, name: $0.1, role: role, strength: strength, rule: rule) }
    }

    /// Why a well-known algorithm outside the list is refused, for the messages.
    static let refusals: [String: String] = [
        "1.2.840.113549.2.5": "MD5 is not acceptable for signatures (RFC 6151 §2); RFC 8551 §2.1 makes SHA-256 the floor",
        "1.3.14.3.2.26": "SHA-1 is below the floor of SHA-256 (RFC 8551 §2.1)",
        "1.3.133.16.840.63.0.2": "a SHA-1 KDF is below the floor of SHA-256 (RFC 8551 §2.1; RFC 5753 §8 lists it as MAY only)",
        "1.2.840.113549.1.1.1": "RSA PKCS#1 v1.5 key transport is refused: RSA-OAEP is required (RFC 8551 §2.3, RFC 3560 §3)",
        "1.2.840.113549.1.1.4": "md5WithRSAEncryption: MD5 is not acceptable for signatures (RFC 6151 §2)",
        "1.2.840.113549.1.1.5": "sha1WithRSAEncryption is below the floor of SHA-256 (RFC 8551 §2.1)",
        "1.2.840.10045.4.1": "ecdsa-with-SHA1 is below the floor of SHA-256 (RFC 8551 §2.1)",
        "2.16.840.1.101.3.4.1.5": "aes-128-wrap is weaker than the AES-256 content cipher (RFC 5753 §7.1.5: the wrap never weaker)",
        "2.16.840.1.101.3.4.1.25": "aes-192-wrap is weaker than the AES-256 content cipher (RFC 5753 §7.1.5: the wrap never weaker)",
        "2.16.840.1.101.3.4.1.42": "AES-CBC gives no integrity: AuthEnvelopedData with AES-GCM is required (RFC 5083 §2, RFC 5084 §3.2)",
        "1.3.132.0.10": "secp256k1 is not one of the NIST curves of RFC 5480 §2.1.1.1 that S/MIME agents use (RFC 8551 §2.3)",
        "1.3.132.0.33": "P-224 offers 112-bit security, below the 128 bits of P-256 (RFC 8551 §2.3)",
        "1.2.840.10045.3.1.1": "P-192 offers 96-bit security, below the 128 bits of P-256 (RFC 8551 §2.3)",
    ]

    /// Display names for algorithms that are not on the list.
    static let otherNames: [String: String] = [
        "1.2.840.113549.2.5": "MD5",
        "1.3.14.3.2.26": "SHA-1",
        "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
        "1.2.840.10045.4.1": "ecdsa-with-SHA1",
        "2.16.840.1.101.3.4.2.4": "SHA-224",
        "1.3.132.0.10": "secp256k1",
        "1.3.132.0.33": "P-224",
        "1.2.840.10045.3.1.1": "P-192",
        "1.3.36.3.3.2.8.1.1.7": "brainpoolP256r1",
        "1.2.840.10045.2.1": "id-ecPublicKey",
        "1.3.101.110": "X25519",
        "1.3.101.111": "X448",
        "1.2.840.113549.1.1.8": "MGF1",
    ]

    /// The entry for `oid` in `role`, if it is allowed.
    public static func entry(_ oid: String, _ role: Role) -> Entry? {
        allowed.first { $0.oid == oid && $0.role == role }
    }

    /// A readable name for any OID Sluis knows.
    static func name(_ oid: String) -> String {
        allowed.first { $0.oid == oid }?.name ?? otherNames[oid] ?? BundleInspection.names[oid] ?? oid
    }

    /// Nil when `oid` is allowed in `role`; otherwise a sentence naming the algorithm and the rule,
    /// starting with `label` (by default the role's name).
    static func finding(_ oid: String, _ role: Role, shownAs shown: String? = nil, label: String? = nil) -> String? {
        if entry(oid, role) != nil { return nil }
        let what = shown ?? name(oid)
        let allowedNames = allowed.filter { $0.role == role }.map(\.name)
        let why = refusals[oid] ?? "not on the allow-list (\(allowedNames.joined(separator: ", ")); docs/crypto.md)"
        return "\(label ?? role.rawValue) \(what) is not accepted: \(why)"
    }

    /// The ECDH curve of a recipient certificate against the list; nil for keys that are not EC
    /// (their algorithms are judged elsewhere) and for an allowed curve.
    static func curveFinding(_ certificate: Certificate) -> String? {
        guard certificate.keyKind == .ec || certificate.keyKind == .ecP256 else { return nil }
        guard let curve = certificate.curveOID else { return "key agreement curve: the certificate's curve cannot be read (explicit parameters? RFC 5480 §2.1.1)" }
        return finding(curve, .keyAgreementCurve)
    }

    /// Key wrap never weaker than the content cipher (both checked against the list).
    static func wrapFinding(wrap: String, cipher: String) -> String? {
        if let found = finding(wrap, .keyWrap) { return found }
        let wrapBits = entry(wrap, .keyWrap)?.strength ?? 0
        let cipherBits = entry(cipher, .contentCipher)?.strength ?? Int.max
        guard wrapBits >= cipherBits else {
            return "key wrap \(name(wrap)) is weaker than the content cipher \(name(cipher)) (RFC 5753 §7.1.5: the wrap never weaker)"
        }
        return nil
    }
}
