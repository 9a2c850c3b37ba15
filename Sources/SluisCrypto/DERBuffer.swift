import COpenSSL

/// DER encoding and decoding of CMS objects straight to and from memory, without BIOs in
/// between: a BIO copies and regrows its buffer, which for a 16 MiB bundle costs more than the
/// cryptography (docs/performance.md).
enum CMSCoding {
    /// Parses DER from memory.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> OpaquePointer? {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
        var cursor: UnsafePointer<UInt8>? = base.assumingMemoryBound(to: UInt8.self)
        guard let cms = d2i_CMS_ContentInfo(nil, &cursor, bytes.count) else { return nil }
        // Trailing bytes after the structure are refused.
        guard let end = cursor, end == base.assumingMemoryBound(to: UInt8.self) + bytes.count else {
            CMS_ContentInfo_free(cms)
            return nil
        }
        return cms
    }

    /// Encodes to an OpenSSL-allocated buffer, passed to `body` and then wiped and freed.
    static func encode<R>(_ cms: OpaquePointer, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        var buffer: UnsafeMutablePointer<UInt8>?
        let length = i2d_CMS_ContentInfo(cms, &buffer)
        guard length > 0, let buffer else { throw CryptoError.drain("encoding CMS") }
        defer { CRYPTO_clear_free(buffer, Int(length), nil, 0) }
        return try body(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
    }

    /// Frees a CMS structure; with `wipingContent`, first overwrites its content octets (the
    /// plaintext of a SignedData) with `OPENSSL_cleanse`, since OpenSSL frees them unwiped.
    static func free(_ cms: OpaquePointer, wipingContent: Bool) {
        if wipingContent, let slot = CMS_get0_content(cms), let octets = slot.pointee {
            let length = Int(ASN1_STRING_length(octets))
            if length > 0, let data = ASN1_STRING_get0_data(octets) {
                OPENSSL_cleanse(UnsafeMutableRawPointer(mutating: data), length)
            }
        }
        CMS_ContentInfo_free(cms)
    }
}
