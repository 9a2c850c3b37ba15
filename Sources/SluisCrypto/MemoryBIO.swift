import COpenSSL

/// An OpenSSL memory BIO, owned. Freeing it wipes its buffer (BUF_MEM_free clears), so
/// plaintext that passes through one does not linger.
final class MemoryBIO {
    let pointer: OpaquePointer

    /// An empty, writable BIO.
    init() throws(CryptoError) {
        guard let bio = BIO_new(BIO_s_mem()) else { throw CryptoError.drain("memory BIO") }
        pointer = bio
    }

    /// A BIO holding a copy of `bytes`, readable from the start; reading past the end is end of
    /// file, not "try again" (which base64 and S/MIME readers would misread as truncation).
    convenience init(copying bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        try self.init()
        markEndOfFile()
        if bytes.count > 0 {
            guard BIO_write(pointer, bytes.baseAddress, Int32(bytes.count)) == Int32(bytes.count) else {
                throw CryptoError.drain("memory BIO write")
            }
        }
    }

    convenience init(copying bytes: [UInt8]) throws(CryptoError) {
        try self.init()
        markEndOfFile()
        let written = bytes.withUnsafeBytes { buffer in
            buffer.count == 0 ? 0 : BIO_write(pointer, buffer.baseAddress, Int32(buffer.count))
        }
        guard written == Int32(bytes.count) else { throw CryptoError.drain("memory BIO write") }
    }

    /// An empty, writable BIO whose buffer already holds `capacity` bytes, so that writing a
    /// large result does not reallocate (and wipe and copy) the buffer again and again.
    convenience init(reserving capacity: Int) throws(CryptoError) {
        try self.init()
        guard capacity > 0 else { return }
        guard let buffer = BUF_MEM_new() else { throw CryptoError.drain("memory BIO buffer") }
        guard BUF_MEM_grow_clean(buffer, capacity) == capacity else {
            BUF_MEM_free(buffer)
            throw CryptoError.drain("memory BIO buffer")
        }
        buffer.pointee.length = 0
        // The BIO owns the buffer only once this succeeds; until then it is ours to free.
        guard BIO_ctrl(pointer, BIO_C_SET_BUF_MEM, Int(BIO_CLOSE), buffer) == 1 else {
            BUF_MEM_free(buffer)
            throw CryptoError.drain("memory BIO buffer")
        }
    }

    /// Runs `body` with a read-only BIO over `bytes`, without copying them.
    static func reading<R>(_ bytes: UnsafeRawBufferPointer, _ body: (OpaquePointer) throws -> R) throws -> R {
        guard let bio = BIO_new_mem_buf(bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count)) else {
            throw CryptoError.drain("memory BIO")
        }
        defer { BIO_free(bio) }
        return try body(bio)
    }

    /// Runs `body` with the BIO, keeping this object — and so the BIO — alive until `body`
    /// returns. Needed where the BIO is not used again afterwards: Swift may otherwise release a
    /// local object right after its last use, i.e. while OpenSSL still reads from `pointer`.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try withExtendedLifetime(self) { () throws(E) -> R in try body(pointer) }
    }

    private func markEndOfFile() {
        BIO_ctrl(pointer, BIO_C_SET_BUF_MEM_EOF_RETURN, 0, nil)
    }

    /// The bytes currently held, without consuming them.
    func withContents<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var data: UnsafeMutablePointer<CChar>?
        let length = sluis_bio_get_mem_data(pointer, &data)
        guard let data, length > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: data, count: Int(length)))
    }

    var bytes: [UInt8] { withContents { Array($0) } }

    var secureBytes: SecureBytes { withContents { SecureBytes($0) } }

    var count: Int { withContents { $0.count } }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    deinit { BIO_free(pointer) }
}
