import COpenSSL

/// A CMS signer info's digest and signature algorithms judged against the allow-list
/// (`BundleAlgorithms`): when opening, before the signature is checked, and when sealing,
/// before the bundle leaves. RSASSA-PSS is judged by its parameters too.
enum SignerAlgorithms {
    struct Judgement: Equatable {
        /// The algorithms in words, e.g. `ecdsa-with-SHA256` or `RSASSA-PSS with SHA-256, MGF1 with SHA-256, salt 32 bytes`.
        var description: String
        /// Everything outside the allow-list, each with its rule; empty when acceptable.
        var findings: [String]
    }

    static let pss = "1.2.840.113549.1.1.10"
    static let hashLengths = ["2.16.840.1.101.3.4.2.1": 32, "2.16.840.1.101.3.4.2.2": 48, "2.16.840.1.101.3.4.2.3": 64, RSAParameters.sha1: 20]

    /// Judges a signer info (`CMS_SignerInfo *`, borrowed from the CMS structure that owns it).
    static func judge(_ info: OpaquePointer) -> Judgement {
        var digest: UnsafeMutablePointer<X509_ALGOR>?, signature: UnsafeMutablePointer<X509_ALGOR>?
        CMS_SignerInfo_get0_algs(info, nil, nil, &digest, &signature)
        guard let digestDER = der(digest), let signatureDER = der(signature) else {
            return Judgement(description: "?", findings: ["signature: the signer info's algorithms cannot be read"])
        }
        return judge(digest: digestDER, signature: signatureDER)
    }

    /// The DER of an AlgorithmIdentifier that OpenSSL holds, copied out (OpenSSL's buffer is freed here).
    private static func der(_ algorithm: UnsafeMutablePointer<X509_ALGOR>?) -> [UInt8]? {
        guard let algorithm else { return nil }
        var buffer: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509_ALGOR(algorithm, &buffer)
        guard length > 0, let buffer else { ERR_clear_error(); return nil }
        defer { sluis_openssl_free(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
    }

    /// Judges the two AlgorithmIdentifiers (DER) of a signer info.
    static func judge(digest: [UInt8], signature: [UInt8]) -> Judgement {
        do {
            let digestReader = DERReader(bytes: digest), signatureReader = DERReader(bytes: signature)
            let digestOID = try digestReader.oid(try digestReader.children(try digestReader.root()).at(0))
            let algorithm = try signatureReader.children(try signatureReader.root())
            let signatureOID = try signatureReader.oid(try algorithm.at(0))
            var findings: [String] = []
            if let found = BundleAlgorithms.finding(digestOID, .signatureDigest) { findings.append(found) }
            if let found = BundleAlgorithms.finding(signatureOID, .signatureAlgorithm) { findings.append(found) }
            guard signatureOID == pss else {
                return Judgement(description: "\(BundleAlgorithms.name(signatureOID)) over \(BundleAlgorithms.name(digestOID))", findings: findings)
            }
            let parameters = try RSAParameters.read(algorithm, signatureReader, pss: true)
            findings += pssFindings(parameters, digest: digestOID, present: algorithm.count > 1)
            let description = "RSASSA-PSS with \(BundleAlgorithms.name(parameters.hash)), "
                + "\(BundleAlgorithms.name(parameters.maskGeneration)) with \(BundleAlgorithms.name(parameters.maskGenerationHash)), "
                + "salt \(parameters.saltLength) bytes"
            return Judgement(description: description, findings: findings)
        } catch {
            return Judgement(description: "?", findings: ["signature: the signer info's algorithm identifiers are malformed"])
        }
    }

    /// RSASSA-PSS parameters Sluis accepts (docs/crypto.md): present (RFC 4056 §3); the hash
    /// SHA-2 (RFC 8551 §2.1) and the signer info's digest (RFC 4056 §3: the same one-way hash
    /// function); MGF1 (RFC 8017 §B.2.1) with a SHA-2 hash, never SHA-1; a salt at least as long
    /// as the hash (RFC 4055 §3.1 recommends the hash length; RFC 8702 §3.1 fixes it so); trailer
    /// field 1 (RFC 4055 §3.1: MUST be 1).
    static func pssFindings(_ parameters: RSAParameters, digest: String, present: Bool) -> [String] {
        var findings: [String] = []
        if !present { findings.append("RSASSA-PSS without parameters is not accepted: RFC 4056 §3 requires RSASSA-PSS-params (absent, all would be the SHA-1 defaults)") }
        let defaulted = " (the default when absent)"
        if let found = BundleAlgorithms.finding(parameters.hash, .signatureDigest,
                                                shownAs: BundleAlgorithms.name(parameters.hash) + (parameters.hashIsDefault ? defaulted : ""),
                                                label: "RSASSA-PSS hash") {
            findings.append(found)
        } else if parameters.hash != digest {
            findings.append("RSASSA-PSS hash \(BundleAlgorithms.name(parameters.hash)) differs from the signer info's digest "
                            + "\(BundleAlgorithms.name(digest)): RFC 4056 §3 requires the same one-way hash function")
        }
        if parameters.maskGeneration != RSAParameters.mgf1 {
            findings.append("RSASSA-PSS mask generation \(BundleAlgorithms.name(parameters.maskGeneration)) is not accepted: MGF1 only (RFC 8017 §B.2.1, RFC 4055 §3.1)")
        } else if let found = BundleAlgorithms.finding(
            parameters.maskGenerationHash, .signatureDigest,
            shownAs: BundleAlgorithms.name(parameters.maskGenerationHash) + (parameters.maskGenerationIsDefault ? defaulted : ""),
            label: "RSASSA-PSS MGF1 hash") {
            findings.append(found)
        }
        let hashLength = hashLengths[parameters.hash] ?? 0
        if parameters.saltLength < hashLength {
            findings.append("RSASSA-PSS salt of \(parameters.saltLength) bytes is shorter than the hash (\(hashLength) bytes): "
                            + "Sluis requires at least the hash length (RFC 4055 §3.1, RFC 8702 §3.1)")
        }
        if parameters.trailerField != 1 {
            findings.append("RSASSA-PSS trailer field \(parameters.trailerField) is not accepted: it MUST be 1 (RFC 4055 §3.1)")
        }
        return findings
    }
}
