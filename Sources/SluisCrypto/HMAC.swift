import COpenSSL
import Synchronization

/// HMAC over OpenSSL's EVP_MAC with one key, reused across calls: the MAC algorithm is fetched
/// and the key set once (a fresh fetch per call costs several times more), and the context is
/// re-initialised under a lock for each message.
final class KeyedHMAC: @unchecked Sendable {
    enum Digest: String {
        case sha1 = "SHA1", sha256 = "SHA256", sha512 = "SHA512"
        var size: Int { self == .sha1 ? 20 : self == .sha256 ? 32 : 64 }
    }

    private let mac: OpaquePointer
    private let context: OpaquePointer
    private let lock = Mutex(())
    let digest: Digest

    init(key: SecureBytes, digest: Digest) throws(CryptoError) {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { throw CryptoError.drain("fetching HMAC") }
        guard let context = EVP_MAC_CTX_new(mac) else {
            EVP_MAC_free(mac)
            throw CryptoError.drain("HMAC context")
        }
        self.mac = mac
        self.context = context
        self.digest = digest
        let ok = key.withUnsafeBytes { keyBytes in
            "digest".withCString { name in
                digest.rawValue.withCString { value in
                    var parameters = [
                        OSSL_PARAM_construct_utf8_string(name, UnsafeMutablePointer(mutating: value), 0),
                        OSSL_PARAM_construct_end(),
                    ]
                    return EVP_MAC_init(context, keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                        keyBytes.count, &parameters) == 1
                }
            }
        }
        guard ok else { throw CryptoError.drain("HMAC key") }
    }

    deinit {
        EVP_MAC_CTX_free(context)
        EVP_MAC_free(mac)
    }

    /// HMAC of the concatenation of `parts`.
    func authenticate(_ parts: [[UInt8]]) throws(CryptoError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: digest.size)
        var length = 0
        return try lock.withLock { _ throws(CryptoError) -> [UInt8] in
            // A nil key re-initialises with the key already set.
            guard EVP_MAC_init(context, nil, 0, nil) == 1 else { throw CryptoError.drain("HMAC") }
            for part in parts where !part.isEmpty {
                guard EVP_MAC_update(context, part, part.count) == 1 else { throw CryptoError.drain("HMAC") }
            }
            guard EVP_MAC_final(context, &output, &length, output.count) == 1, length == digest.size else {
                throw CryptoError.drain("HMAC")
            }
            return output
        }
    }
}
