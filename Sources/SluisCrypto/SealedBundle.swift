import COpenSSL

/// Sealed bundles (covenant art. 10.2): the sender's CMS SignedData inside a CMS
/// AuthEnvelopedData (RFC 5083) with AES-256-GCM, one recipient info per recipient
/// certificate — ECDH with a SHA-256 KDF for EC keys, RSA-OAEP with SHA-256 for RSA keys. The
/// stock `openssl cms -decrypt | openssl cms -verify` opens it (docs/crypto.md).
public enum SealedBundle {
    public enum Format: String, Sendable, CaseIterable {
        /// Binary CMS (`.p7m`, `openssl cms -inform DER`).
        case der
        /// S/MIME text (`openssl cms -inform SMIME`).
        case smime
    }

    /// Bundles above this size are refused before parsing (a case file is small; an attacker's
    /// file need not be).
    public static let defaultMaxSize = 64 * 1024 * 1024

    /// Signs `plaintext` as `signer` and seals it for every recipient.
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer, signer: Certificate, key: PrivateKey, recipients: [Certificate],
        format: Format = .der
    ) throws(BundleError) -> [UInt8] {
        guard !recipients.isEmpty else { throw .key(.missing("recipient certificate: a bundle needs at least one")) }
        guard key.matches(signer) else { throw .key(.mismatch("the signing key and the signer's certificate")) }
        // Every EC recipient's curve on the allow-list before anything is sealed for it: the
        // ephemeral key will be made on that curve (RFC 5753 §3.1.1).
        if let finding = recipients.lazy.compactMap(BundleAlgorithms.curveFinding).first { throw .weakAlgorithm(finding) }
        do {
            let bundle = try sign(plaintext, signer: signer, key: key) { signed in
                try envelope(signed, recipients: recipients, format: format)
            }
            // The allow-list applies to what Sluis seals as much as to what it opens: check the
            // finished bundle as a receiver would, before it leaves.
            let inspection = try inspect(bundle).resolvingCurves(recipients)
            if let finding = inspection.outsideAllowList.first ?? inspection.conformance.first {
                throw BundleError.crypto("sealing refused its own output: \(finding)")
            }
            return bundle
        } catch let error as CryptoError {
            throw .crypto(error.description)
        } catch let error as KeyError {
            throw .key(error)
        } catch let error as BundleError {
            throw error
        } catch {
            throw .crypto("sealing failed")
        }
    }

    public static func seal(
        _ plaintext: [UInt8], signer: Certificate, key: PrivateKey, recipients: [Certificate], format: Format = .der
    ) throws(BundleError) -> [UInt8] {
        let result = plaintext.withUnsafeBytes { buffer in
            Result { () throws(BundleError) in try seal(buffer, signer: signer, key: key, recipients: recipients, format: format) }
        }
        return try result.get()
    }

    /// CMS SignedData with the content attached and the signer's certificate included, encoded
    /// to DER and handed to `body` (then wiped).
    private static func sign<R>(
        _ plaintext: UnsafeRawBufferPointer, signer: Certificate, key: PrivateKey, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        let cms = try MemoryBIO.reading(plaintext) { data -> OpaquePointer in
            guard let cms = CMS_sign(signer.pointer, key.pointer, nil, data, UInt32(CMS_BINARY)) else {
                throw CryptoError.drain("CMS signing")
            }
            return cms
        }
        defer { CMSCoding.free(cms, wipingContent: true) }
        if let finding = signerFindings(cms).first { throw BundleError.weakAlgorithm(finding) }
        return try CMSCoding.encode(cms, body)
    }

    /// `signerFindings` for a DER-encoded CMS SignedData; nil when it does not parse.
    static func signerFindings(der: [UInt8]) -> [String]? {
        guard let cms = der.withUnsafeBytes({ CMSCoding.decode($0) }) else { return nil }
        defer { CMSCoding.free(cms, wipingContent: true) }
        return signerFindings(cms)
    }

    /// The signer infos' digest and signature algorithms against the allow-list (BundleAlgorithms,
    /// `SignerAlgorithms`): SHA-256 or stronger (RFC 8551 §2.1; MD5 never, RFC 6151 §2), ECDSA,
    /// RSA PKCS#1 v1.5 or RSASSA-PSS with acceptable parameters (RFC 4056 §3).
    static func signerFindings(_ signed: OpaquePointer) -> [String] {
        signerJudgements(signed).flatMap(\.findings)
    }

    static func signerJudgements(_ signed: OpaquePointer) -> [SignerAlgorithms.Judgement] {
        guard let infos = CMS_get0_SignerInfos(signed) else {
            return [SignerAlgorithms.Judgement(description: "?", findings: ["signature: no signer info"])]
        }
        return (0..<sluis_sk_si_num(infos)).compactMap { index in sluis_sk_si_value(infos, index).map(SignerAlgorithms.judge) }
    }

    static func unusableRecipient(_ recipient: Certificate) -> KeyError {
        .unusable("recipient \(recipient.commonName ?? "?") has neither an EC nor an RSA key (\(recipient.keyKind.rawValue))")
    }

    private static func envelope(_ signed: UnsafeRawBufferPointer, recipients: [Certificate], format: Format) throws -> [UInt8] {
        // A recipient needs a key that can agree (EC) or transport (RSA) a content key: said
        // before OpenSSL is asked, as the key problem it is.
        if let unusable = recipients.first(where: { ![.ecP256, .ec, .rsa].contains($0.keyKind) }) {
            throw Self.unusableRecipient(unusable)
        }
        let cipher = try Ciphers.shared.require(Ciphers.shared.aes256gcm, "AES-256-GCM")
        guard let cms = CMS_AuthEnvelopedData_create(cipher) else {
            throw CryptoError.drain("CMS AuthEnvelopedData")
        }
        defer { CMS_ContentInfo_free(cms) }
        for recipient in recipients {
            guard let info = CMS_add1_recipient_cert(cms, recipient.pointer, UInt32(CMS_KEY_PARAM)),
                  let context = CMS_RecipientInfo_get0_pkey_ctx(info)
            else { throw CryptoError.drain("adding recipient \(recipient.commonName ?? "?")") }
            switch recipient.keyKind {
            case .ecP256, .ec:
                // OpenSSL's default KDF for CMS ECDH is SHA-1; Sluis uses SHA-256.
                guard EVP_PKEY_CTX_set_ecdh_kdf_md(context, EVP_sha256()) == 1 else {
                    throw CryptoError.drain("ECDH KDF for recipient \(recipient.commonName ?? "?")")
                }
            case .rsa:
                // OpenSSL's default for CMS RSA is PKCS#1 v1.5; Sluis uses OAEP with SHA-256.
                guard EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_OAEP_PADDING) == 1,
                      EVP_PKEY_CTX_set_rsa_oaep_md(context, EVP_sha256()) == 1,
                      EVP_PKEY_CTX_set_rsa_mgf1_md(context, EVP_sha256()) == 1
                else { throw CryptoError.drain("RSA-OAEP for recipient \(recipient.commonName ?? "?")") }
            case .other, .ed25519:
                throw Self.unusableRecipient(recipient)
            }
        }
        // The inner content type stays id-data: RFC 5083 §2.1 requires authAttrs (with a content-type
        // attribute) only when it is not id-data, and the stock OpenSSL 3.0–3.6 can neither parse
        // authAttrs in AuthEnvelopedData nor feed them to GCM as associated data (RFC 5083 §2.2;
        // openssl/openssl#26101, #31635), so a bundle with them would not open with `openssl cms`.
        // The content is itself a self-describing ContentInfo (SignedData), as `openssl cms -sign |
        // openssl cms -encrypt` makes it; BouncyCastle accepts id-data without authAttrs.
        guard CMS_set_detached(cms, 0) == 1 else {
            throw CryptoError.drain("CMS encryption")
        }
        try MemoryBIO.reading(signed) { data in
            guard CMS_final(cms, data, nil, UInt32(CMS_BINARY)) == 1 else { throw CryptoError.drain("CMS encryption") }
        }
        switch format {
        case .der:
            return try CMSCoding.encode(cms) { Array($0) }
        case .smime:
            let out = try MemoryBIO()
            guard SMIME_write_CMS(out.pointer, cms, nil, Int32(CMS_BINARY)) == 1 else { throw CryptoError.drain("writing the bundle") }
            return out.bytes
        }
    }

    // MARK: Opening

    /// Reads a bundle's structure without any key.
    public static func inspect(_ bundle: [UInt8], maxSize: Int = defaultMaxSize) throws(BundleError) -> BundleInspection {
        guard bundle.count <= maxSize else { throw .tooLarge(size: bundle.count, limit: maxSize) }
        let (der, format) = try normalise(bundle)
        return try BundleInspection.read(der: der, format: format, size: bundle.count)
    }

    /// What an opened bundle holds: the plaintext (in wiped memory) and the verified signer.
    public struct Opened: Sendable {
        public let plaintext: SecureBytes
        public let signer: Certificate
        /// The signature's algorithms in words, e.g. `ecdsa-with-SHA256 over SHA-256` or
        /// `RSASSA-PSS with SHA-256, MGF1 with SHA-256, salt 32 bytes` (all on the allow-list).
        public let signatureAlgorithm: String
    }

    /// Opens a bundle as `recipient`. Plaintext is released only after the GCM tag and the
    /// signature verified and the signer chains to `trust` (and is `expectedSigner`, if given);
    /// on any failure nothing of the content leaves this function.
    public static func open(
        _ bundle: [UInt8], recipient: Certificate, key: PrivateKey, trust: TrustStore,
        expectedSigner: Certificate? = nil, maxSize: Int = defaultMaxSize
    ) throws(BundleError) -> Opened {
        let inspection = try inspect(bundle, maxSize: maxSize).resolvingCurves([recipient])
        try inspection.checkAcceptable()
        // The ECDH runs on the recipient's curve whatever the bundle says (OpenSSL leaves the
        // ephemeral key's curve unnamed), so that curve must be on the list, before the key is used.
        if let finding = BundleAlgorithms.curveFinding(recipient) { throw .weakAlgorithm(finding) }
        guard key.matches(recipient) else { throw .crypto("the key does not belong to the recipient certificate") }
        ERR_clear_error()
        defer { ERR_clear_error() }

        let cms = try parse(bundle)
        defer { CMS_ContentInfo_free(cms) }
        guard isAddressed(cms, to: recipient) else { throw .notARecipient }
        // Decrypt into memory that is wiped on free: CMS_decrypt writes before it checks the tag.
        guard let inner = try? MemoryBIO(reserving: inspection.encryptedContentLength + 64) else { throw .crypto("out of memory") }
        guard CMS_decrypt(cms, key.pointer, recipient.pointer, nil, inner.pointer, UInt32(CMS_BINARY)) == 1 else {
            throw .decryptionFailed
        }
        return try verify(inner, trust: trust, expectedSigner: expectedSigner)
    }

    /// Whether a recipient info names this certificate (issuer and serial, or key identifier).
    private static func isAddressed(_ cms: OpaquePointer, to recipient: Certificate) -> Bool {
        guard let infos = CMS_get0_RecipientInfos(cms) else { return false }
        for index in 0..<sluis_sk_ri_num(infos) {
            guard let info = sluis_sk_ri_value(infos, index) else { continue }
            switch CMS_RecipientInfo_type(info) {
            case CMS_RECIPINFO_TRANS:
                if CMS_RecipientInfo_ktri_cert_cmp(info, recipient.pointer) == 0 { return true }
            case CMS_RECIPINFO_AGREE:
                guard let keys = CMS_RecipientInfo_kari_get0_reks(info) else { continue }
                for keyIndex in 0..<sluis_sk_rek_num(keys) {
                    if let key = sluis_sk_rek_value(keys, keyIndex),
                       CMS_RecipientEncryptedKey_cert_cmp(key, recipient.pointer) == 0 { return true }
                }
            default:
                continue
            }
        }
        return false
    }

    private static func verify(_ inner: MemoryBIO, trust: TrustStore, expectedSigner: Certificate?) throws(BundleError) -> Opened {
        // The content must itself be CMS SignedData (sign-then-encrypt).
        guard let signed = inner.withContents({ CMSCoding.decode($0) }) else { throw .unsigned }
        // The parsed structure holds the plaintext: wiped before it is freed, on every path.
        defer { CMSCoding.free(signed, wipingContent: true) }
        guard OBJ_obj2nid(CMS_get0_type(signed)) == NID_pkcs7_signed else { throw .unsigned }
        guard sluis_sk_si_num(CMS_get0_SignerInfos(signed)) == 1 else {
            throw .signatureInvalid("exactly one signer is required")
        }
        // The signature's digest and algorithm on the allow-list, before the signature is checked.
        let judgements = signerJudgements(signed)
        if let finding = judgements.flatMap(\.findings).first { throw .weakAlgorithm(finding) }
        // Verify without an output BIO (OpenSSL digests the content into a null sink), then copy
        // the verified content once, from the parsed structure, into wiped memory.
        guard CMS_verify(signed, nil, trust.pointer, nil, nil, UInt32(CMS_BINARY)) == 1 else {
            let error = CryptoError.drain("verification")
            throw .signatureInvalid(error.openSSLReasons.first ?? "verification failed")
        }
        guard let signers = CMS_get0_signers(signed), sluis_sk_x509_num(signers) == 1,
              let signerPointer = sluis_sk_x509_value(signers, 0)
        else { throw .signatureInvalid("no signer certificate") }
        let signer = Certificate(borrowing: signerPointer)
        sluis_sk_x509_free(signers)
        if let expectedSigner, !(expectedSigner == signer) {
            throw .unexpectedSigner(expected: expectedSigner.commonName ?? expectedSigner.subject,
                                    found: signer.commonName ?? signer.subject)
        }
        guard let slot = CMS_get0_content(signed), let octets = slot.pointee else { throw .unsigned }
        let length = Int(ASN1_STRING_length(octets))
        let plaintext = SecureBytes(count: length)
        if length > 0, let data = ASN1_STRING_get0_data(octets) {
            plaintext.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: data, count: length)) }
        }
        return Opened(plaintext: plaintext, signer: signer, signatureAlgorithm: judgements.first?.description ?? "?")
    }

    /// Parses DER or S/MIME into a CMS object.
    private static func parse(_ bundle: [UInt8]) throws(BundleError) -> OpaquePointer {
        let cms = bundle.withUnsafeBytes { bytes -> OpaquePointer? in
            guard isSMIME(bundle) else { return CMSCoding.decode(bytes) }
            return try? MemoryBIO.reading(bytes) { bio in SMIME_read_CMS(bio, nil) }
        }
        guard let cms else { throw .malformed("OpenSSL cannot parse it") }
        return cms
    }

    static func isSMIME(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(64), as: UTF8.self).lowercased()
        return head.hasPrefix("mime-version:") || head.hasPrefix("content-type:")
    }

    /// The DER form of a bundle, and which format it came in.
    private static func normalise(_ bundle: [UInt8]) throws(BundleError) -> ([UInt8], String) {
        guard isSMIME(bundle) else { return (bundle, "DER") }
        let cms = try parse(bundle)
        defer { CMS_ContentInfo_free(cms) }
        guard let der = try? CMSCoding.encode(cms, { Array($0) }) else { throw .malformed("S/MIME body") }
        return (der, "S/MIME")
    }
}

/// Ciphers fetched once and reused (fetching per call costs an algorithm lookup).
final class Ciphers: @unchecked Sendable {
    static let shared = Ciphers()
    /// Nil only when the provider lacks the algorithm (a broken or FIPS-restricted OpenSSL);
    /// every use then fails with an error instead of a crash.
    let aes256gcm: OpaquePointer?

    private init() {
        aes256gcm = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)
    }

    func require(_ cipher: OpaquePointer?, _ name: String) throws(CryptoError) -> OpaquePointer {
        guard let cipher else { throw CryptoError(operation: "OpenSSL offers no \(name)", openSSLReasons: []) }
        return cipher
    }
}
