import COpenSSL

/// Issues X.509 v3 certificates: the development covenant CA (self-signed) and party
/// certificates under it. Real deployments load certificates from their own CA (e.g.
/// PKIoverheid) instead; nothing else in Sluis depends on where a certificate came from.
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    public let key: PrivateKey

    /// Throws `KeyError.mismatch` when `key` is not the key of `certificate`.
    public init(certificate: Certificate, key: PrivateKey) throws(KeyError) {
        guard key.matches(certificate) else { throw KeyError.mismatch("the CA key and the CA certificate") }
        self.init(matching: certificate, key: key)
    }

    /// A CA whose key is known to belong to its certificate (one made here).
    private init(matching certificate: Certificate, key: PrivateKey) {
        self.certificate = certificate
        self.key = key
    }

    /// The subject of a certificate: country, organisation, unit, common name.
    public struct Subject: Sendable {
        public var organisation: String
        public var unit: String?
        public var commonName: String

        public init(organisation: String, unit: String? = nil, commonName: String) {
            self.organisation = organisation
            self.unit = unit
            self.commonName = commonName
        }
    }

    /// A new self-signed CA with a fresh P-256 key.
    public static func create(subject: Subject, validDays: Int = 3650) throws(CryptoError) -> CertificateAuthority {
        let key = try PrivateKey.generateP256()
        let cert = try build(subject: subject, publicKey: key, issuer: nil, signer: key, validDays: validDays, extensions: [
            (NID_basic_constraints, "critical,CA:TRUE,pathlen:0"),
            (NID_key_usage, "critical,keyCertSign,cRLSign"),
            (NID_subject_key_identifier, "hash"),
        ])
        return CertificateAuthority(matching: cert, key: key)
    }

    /// A party certificate for `key`. EC keys are certified for signing and key agreement
    /// (ECDH in CMS), RSA keys for signing and key encipherment (RSA-OAEP in CMS).
    public func issue(subject: Subject, for key: PrivateKey, validDays: Int = 825) throws(CryptoError) -> Certificate {
        let usage = key.kind == .rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature,keyAgreement"
        return try Self.build(subject: subject, publicKey: key, issuer: certificate, signer: self.key, validDays: validDays, extensions: [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, usage),
            (NID_ext_key_usage, "emailProtection,clientAuth"),
            (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid:always"),
        ])
    }

    private static func build(
        subject: Subject, publicKey: PrivateKey, issuer: Certificate?, signer: PrivateKey, validDays: Int,
        extensions: [(Int32, String)]
    ) throws(CryptoError) -> Certificate {
        guard let x509 = X509_new() else { throw CryptoError.drain("new certificate") }
        let cert = Certificate(owning: x509)
        guard X509_set_version(x509, 2) == 1 else { throw CryptoError.drain("certificate version") }

        // A random, positive 127-bit serial number.
        var serial = try Random.bytes(16)
        serial[0] &= 0x7F
        guard let bn = BN_bin2bn(serial, Int32(serial.count), nil) else { throw CryptoError.drain("certificate serial") }
        defer { BN_free(bn) }
        guard BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x509)) != nil else { throw CryptoError.drain("certificate serial") }

        guard X509_gmtime_adj(X509_getm_notBefore(x509), -300) != nil,
              X509_time_adj_ex(X509_getm_notAfter(x509), Int32(validDays), 0, nil) != nil
        else { throw CryptoError.drain("certificate validity") }

        guard let name = X509_NAME_new() else { throw CryptoError.drain("certificate name") }
        defer { X509_NAME_free(name) }
        var entries = [("C", "NL"), ("O", subject.organisation)]
        if let unit = subject.unit { entries.append(("OU", unit)) }
        entries.append(("CN", subject.commonName))
        for (field, value) in entries {
            guard X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, value, -1, -1, 0) == 1 else {
                throw CryptoError.drain("certificate name field \(field)")
            }
        }
        guard X509_set_subject_name(x509, name) == 1,
              X509_set_issuer_name(x509, issuer.map { X509_get_subject_name($0.pointer) } ?? name) == 1,
              X509_set_pubkey(x509, publicKey.pointer) == 1
        else { throw CryptoError.drain("certificate subject") }

        var context = X509V3_CTX()
        sluis_x509v3_set_ctx_nodb(&context)
        X509V3_set_ctx(&context, issuer?.pointer ?? x509, x509, nil, nil, 0)
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw CryptoError.drain("certificate extension \(value)")
            }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(x509, ext, -1) == 1 else { throw CryptoError.drain("certificate extension \(value)") }
        }
        guard X509_sign(x509, signer.pointer, EVP_sha256()) > 0 else { throw CryptoError.drain("signing the certificate") }
        return cert
    }
}

/// The certificates a bundle's signer must chain to (the covenant CA, or a real CA in a
/// deployment).
public final class TrustStore: @unchecked Sendable {
    let pointer: OpaquePointer

    public init(anchors: [Certificate]) throws(CryptoError) {
        guard let store = X509_STORE_new() else { throw CryptoError.drain("trust store") }
        pointer = store
        for anchor in anchors {
            guard X509_STORE_add_cert(store, anchor.pointer) == 1 else { throw CryptoError.drain("adding a trust anchor") }
        }
    }

    deinit { X509_STORE_free(pointer) }
}
