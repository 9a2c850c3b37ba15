import COpenSSL

/// An OpenSSL operation failed. The description names the operation and OpenSSL's reason
/// codes (library and reason text), never the data involved. OpenSSL does not always queue an
/// error (a GCM tag failure may leave the queue empty), so the operation name is always set
/// and the queue is only extra detail.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let openSSLReasons: [String]

    public var description: String {
        openSSLReasons.isEmpty
            ? "\(operation) failed"
            : "\(operation) failed (\(openSSLReasons.joined(separator: "; ")))"
    }

    /// Captures and clears OpenSSL's error queue for this thread.
    static func drain(_ operation: String) -> CryptoError {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if let reason = ERR_reason_error_string(code) {
                reasons.append(String(cString: reason))
            } else {
                reasons.append("error \(code)")
            }
        }
        return CryptoError(operation: operation, openSSLReasons: reasons)
    }
}
