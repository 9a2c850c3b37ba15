import COpenSSL
public import FoundationEssentials

/// An X.509 certificate (X509), owned.
public final class Certificate: @unchecked Sendable {
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) { self.pointer = pointer }

    /// Takes its own reference to a borrowed X509.
    init(borrowing pointer: OpaquePointer) {
        X509_up_ref(pointer)
        self.pointer = pointer
    }

    deinit { X509_free(pointer) }

    /// Loads a certificate from PEM or DER.
    public static func load(_ bytes: [UInt8]) throws(CryptoError) -> Certificate {
        let bio = try MemoryBIO(copying: bytes)
        let pem = bytes.starts(with: Array("-----BEGIN".utf8))
        guard let cert = bio.withPointer({ pem ? PEM_read_bio_X509($0, nil, nil, nil) : d2i_X509_bio($0, nil) }) else {
            throw CryptoError.drain(pem ? "reading the PEM certificate" : "reading the DER certificate")
        }
        return Certificate(owning: cert)
    }

    public func pem() throws(CryptoError) -> String {
        let bio = try MemoryBIO()
        guard PEM_write_bio_X509(bio.pointer, pointer) == 1 else { throw CryptoError.drain("writing the PEM certificate") }
        return bio.string
    }

    public func der() throws(CryptoError) -> [UInt8] {
        let bio = try MemoryBIO()
        guard i2d_X509_bio(bio.pointer, pointer) == 1 else { throw CryptoError.drain("writing the DER certificate") }
        return bio.bytes
    }

    /// The subject as an RFC 2253 string, e.g. `CN=swv-go,OU=swv,O=...,C=NL`.
    public var subject: String { Self.nameString(X509_get_subject_name(pointer)) }
    public var issuer: String { Self.nameString(X509_get_issuer_name(pointer)) }

    static func nameString(_ name: OpaquePointer?) -> String {
        guard let name, let bio = try? MemoryBIO() else { return "" }
        X509_NAME_print_ex(bio.pointer, name, 0, sluis_xn_flag_rfc2253())
        return bio.string
    }

    /// The subject's common name.
    public var commonName: String? {
        guard let name = X509_get_subject_name(pointer) else { return nil }
        let index = X509_NAME_get_index_by_NID(name, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index),
              let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
        var utf8: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&utf8, data)
        guard length >= 0, let utf8 else { return nil }
        defer { sluis_openssl_free(utf8) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }

    /// SHA-256 over the DER certificate, lowercase hex: how a party's certificate is named in
    /// the register and in `sluis keys list`.
    public var fingerprint: String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(pointer, EVP_sha256(), &digest, &length) == 1 else { return "" }
        return Hex.encode(digest.prefix(Int(length)))
    }

    public var serialHex: String {
        guard let serial = X509_get0_serialNumber(pointer), let bn = ASN1_INTEGER_to_BN(serial, nil) else { return "" }
        defer { BN_free(bn) }
        guard let hex = BN_bn2hex(bn) else { return "" }
        defer { sluis_openssl_free(hex) }
        return String(cString: hex).lowercased()
    }

    public var notBefore: Date? { Self.date(X509_get0_notBefore(pointer)) }
    public var notAfter: Date? { Self.date(X509_get0_notAfter(pointer)) }

    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    /// The kind of the certified public key.
    public var keyKind: PrivateKey.Kind {
        guard let key = X509_get0_pubkey(pointer) else { return .other }
        return PrivateKey.kind(of: key)
    }

    /// The named curve of the certified EC key, as a dotted OID; nil for other keys.
    public var curveOID: String? {
        guard let key = X509_get0_pubkey(pointer) else { return nil }
        return PrivateKey.curveOID(of: key)
    }

    public var isCA: Bool { X509_check_ca(pointer) > 0 }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { X509_cmp(lhs.pointer, rhs.pointer) == 0 }
}
