import COpenSSL

/// Facts about the OpenSSL library Sluis is linked against. Sluis needs OpenSSL 3 (CMS
/// AuthEnvelopedData, EVP_MAC); a machine without libssl-dev fails at build time, and one
/// with an older runtime library fails at start through `requireSupportedVersion()`.
public enum OpenSSLLibrary {
    /// The runtime library's version text, e.g. "OpenSSL 3.0.19 27 Jan 2026".
    public static var versionText: String {
        String(cString: OpenSSL_version(Int32(OPENSSL_VERSION)))
    }

    /// The runtime library's version number (0xMNN00PP0L).
    public static var versionNumber: UInt {
        UInt(OpenSSL_version_num())
    }

    /// The version number of the headers Sluis was compiled against.
    public static var headerVersionNumber: UInt {
        UInt(sluis_openssl_header_version_number())
    }

    /// Major version of the runtime library.
    public static var majorVersion: Int { Int(OPENSSL_version_major()) }

    public struct UnsupportedVersion: Error, CustomStringConvertible {
        public let found: String
        public var description: String { "Sluis needs OpenSSL 3 or later; this machine has \(found)" }
    }

    public static func requireSupportedVersion() throws {
        guard majorVersion >= 3 else { throw UnsupportedVersion(found: versionText) }
    }
}
