import Testing
@testable import SluisCrypto

/// The system OpenSSL is linked and is version 3 (art. 10.2 rests on it: CMS envelopes, later).
@Suite("OpenSSL linkage")
struct OpenSSLLinkTests {
    @Test("The linked OpenSSL is version 3 or later, and the same major version as the headers")
    func linkedVersionIsThree() throws {
        #expect(OpenSSLLibrary.majorVersion >= 3)
        #expect(OpenSSLLibrary.versionText.hasPrefix("OpenSSL 3"))
        #expect(OpenSSLLibrary.versionNumber >> 28 == OpenSSLLibrary.headerVersionNumber >> 28)
        try OpenSSLLibrary.requireSupportedVersion()
    }

    @Test("SHA-256 through OpenSSL matches the FIPS 180-2 test vectors")
    func sha256Vectors() throws {
        #expect(try SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(try SHA256.hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("Hex encoding is lowercase, two digits per byte")
    func hexEncoding() {
        #expect(Hex.encode([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
    }
}
