import COpenSSL

/// What a sealed bundle says about itself, read without any key: content type, algorithms,
/// recipients, sizes. The signer is *not* here: Sluis signs inside the envelope, so a stolen
/// mailbox does not even show who sent it (docs/crypto.md).
public struct BundleInspection: Sendable, Equatable {
    public struct Recipient: Sendable, Equatable {
        /// `key agreement (ECDH)` or `key transport (RSA)`.
        public var method: String
        public var issuer: String?
        public var serialHex: String?
        public var subjectKeyIdentifier: String?
        /// Key encryption algorithm (and KDF / OAEP digest), by name.
        public var keyEncryption: String
    }

    public var format: String
    public var size: Int
    public var contentType: String
    public var contentEncryption: String
    public var tagLength: Int
    public var nonceLength: Int
    public var encryptedContentLength: Int
    public var recipients: [Recipient]

    static let names: [String: String] = [
        "1.2.840.113549.1.9.16.1.23": "authEnvelopedData",
        "1.2.840.113549.1.7.1": "data",
        "1.2.840.113549.1.7.2": "signedData",
        "1.2.840.113549.1.7.3": "envelopedData",
        "2.16.840.1.101.3.4.1.46": "aes-256-gcm",
        "2.16.840.1.101.3.4.1.6": "aes-128-gcm",
        "2.16.840.1.101.3.4.1.26": "aes-192-gcm",
        "2.16.840.1.101.3.4.1.42": "aes-256-cbc",
        "1.3.132.1.11.1": "ECDH X9.63 KDF with SHA-256",
        "1.3.132.1.11.2": "ECDH X9.63 KDF with SHA-384",
        "1.3.132.1.11.3": "ECDH X9.63 KDF with SHA-512",
        "1.3.133.16.840.63.0.2": "ECDH X9.63 KDF with SHA-1",
        "1.2.840.113549.1.1.1": "RSA PKCS#1 v1.5",
        "1.2.840.113549.1.1.7": "RSA-OAEP",
        "2.16.840.1.101.3.4.1.45": "aes-256-wrap",
        "2.16.840.1.101.3.4.1.5": "aes-128-wrap",
        "2.16.840.1.101.3.4.2.1": "SHA-256",
        "2.16.840.1.101.3.4.2.2": "SHA-384",
        "2.16.840.1.101.3.4.2.3": "SHA-512",
    ]

    static func name(_ oid: String) -> String { names[oid] ?? oid }

    /// Reads the structure of a DER/BER CMS file.
    static func read(der bytes: [UInt8], format: String, size: Int) throws(BundleError) -> BundleInspection {
        let reader = DERReader(bytes: bytes)
        do {
            let root = try reader.root()
            let top = try reader.children(root)
            guard top.count == 2, top[0].tag == 0x06, top[1].tag == 0xA0 else { throw BundleError.malformed("not a ContentInfo") }
            let type = try reader.oid(top[0])
            guard type == "1.2.840.113549.1.9.16.1.23" else { throw BundleError.notAuthEnveloped(found: name(type)) }
            let body = try reader.child(top[1], 0)
            let fields = try reader.children(body)
            // version, [0] originatorInfo?, recipientInfos, authEncryptedContentInfo, [1] authAttrs?, mac, [2]?
            var index = 1
            if index < fields.count, fields[index].tag == 0xA0 { index += 1 }
            guard index + 1 < fields.count, fields[index].tag == 0x31 else { throw BundleError.malformed("no recipient infos") }
            let recipients = try reader.children(fields[index]).map { node throws(BundleError) in try recipient(node, reader) }
            let content = try reader.children(fields[index + 1])
            guard content.count >= 2 else { throw BundleError.malformed("no encrypted content info") }
            let algorithm = try reader.children(content[1])
            let cipher = try reader.oid(try algorithm.at(0))
            var nonce = 0, tag = 12  // GCMParameters: aes-ICVlen DEFAULT 12 (RFC 5084)
            if cipher.hasPrefix("2.16.840.1.101.3.4.1."), algorithm.count == 2 {
                let parameters = try reader.children(algorithm[1])
                guard let first = parameters.first, first.tag == 0x04 else { throw BundleError.malformed("GCM parameters") }
                nonce = first.content.count
                if parameters.count > 1 { tag = try reader.integer(parameters[1]) }
            }
            let encryptedLength = content.count > 2 ? try encryptedContentLength(content[2], reader) : 0
            var rest = index + 2
            if rest < fields.count, fields[rest].tag == 0xA1 { rest += 1 }
            guard rest < fields.count, fields[rest].tag == 0x04 else { throw BundleError.malformed("no authentication tag") }
            let mac = fields[rest].content.count
            guard mac == tag else { throw BundleError.malformed("tag length \(mac) differs from the declared \(tag)") }
            return BundleInspection(
                format: format, size: size, contentType: "authEnvelopedData", contentEncryption: name(cipher),
                tagLength: tag, nonceLength: nonce, encryptedContentLength: encryptedLength, recipients: recipients)
        } catch let error as BundleError {
            throw error
        } catch {
            throw BundleError.malformed("truncated or invalid encoding")
        }
    }

    private static func encryptedContentLength(_ node: DERReader.Node, _ reader: DERReader) throws -> Int {
        if !node.isConstructed { return node.content.count }
        // BER: [0] constructed, a series of OCTET STRING chunks.
        return try reader.children(node).reduce(0) { $0 + $1.content.count }
    }

    private static func recipient(_ node: DERReader.Node, _ reader: DERReader) throws(BundleError) -> Recipient {
        do {
            switch node.tag {
            case 0x30:  // KeyTransRecipientInfo
                let fields = try reader.children(node)
                guard fields.count == 4 else { throw BundleError.malformed("key transport recipient") }
                var recipient = Recipient(method: "key transport (RSA)", keyEncryption: "")
                try identify(fields[1], reader, into: &recipient)
                let algorithm = try reader.children(fields[2])
                let oid = try reader.oid(try algorithm.at(0))
                recipient.keyEncryption = name(oid)
                if oid == "1.2.840.113549.1.1.7" { recipient.keyEncryption += " with " + (try oaepDigest(algorithm, reader)) }
                return recipient
            case 0xA1:  // [1] KeyAgreeRecipientInfo
                let fields = try reader.children(node)
                guard let algorithmIndex = fields.firstIndex(where: { $0.tag == 0x30 }), algorithmIndex + 1 < fields.count
                else { throw BundleError.malformed("key agreement recipient") }
                let algorithm = try reader.children(fields[algorithmIndex])
                var keyEncryption = name(try reader.oid(try algorithm.at(0)))
                if algorithm.count > 1, let wrap = try reader.children(algorithm[1]).first {
                    keyEncryption += ", " + name(try reader.oid(wrap))
                }
                let keys = try reader.children(fields[algorithmIndex + 1])
                guard let first = keys.first else { throw BundleError.malformed("key agreement without keys") }
                var recipient = Recipient(method: "key agreement (ECDH)", keyEncryption: keyEncryption)
                try identify(try reader.child(first, 0), reader, into: &recipient)
                return recipient
            default:
                return Recipient(method: "unsupported recipient type", keyEncryption: "—")
            }
        } catch let error as BundleError {
            throw error
        } catch {
            throw BundleError.malformed("recipient info")
        }
    }

    /// IssuerAndSerialNumber, or a [0] subject key identifier.
    private static func identify(_ node: DERReader.Node, _ reader: DERReader, into recipient: inout Recipient) throws {
        if node.tag == 0x30 {
            let parts = try reader.children(node)
            guard parts.count == 2 else { throw DERReader.Malformed() }
            recipient.issuer = nameString(Array(reader.encoding(parts[0])))
            recipient.serialHex = Hex.encode(reader.contents(parts[1]).drop { $0 == 0 })
        } else if node.tag == 0x80 || node.tag == 0xA0 {
            let key = node.isConstructed ? Array(reader.contents(try reader.child(node, 0))) : Array(reader.contents(node))
            recipient.subjectKeyIdentifier = Hex.encode(key)
        }
    }

    private static func oaepDigest(_ algorithm: [DERReader.Node], _ reader: DERReader) throws -> String {
        guard algorithm.count > 1, algorithm[1].tag == 0x30 else { return "SHA-1 (default)" }
        for parameter in try reader.children(algorithm[1]) where parameter.tag == 0xA0 {
            return name(try reader.oid(try reader.child(try reader.child(parameter, 0), 0)))
        }
        return "SHA-1 (default)"
    }

    private static func nameString(_ der: [UInt8]) -> String? {
        der.withUnsafeBytes { buffer in
            var pointer = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard let name = d2i_X509_NAME(nil, &pointer, buffer.count) else { ERR_clear_error(); return nil }
            defer { X509_NAME_free(name) }
            return Certificate.nameString(name)
        }
    }

    static let acceptedKeyAgreement = ["ECDH X9.63 KDF with SHA-256,", "ECDH X9.63 KDF with SHA-384,", "ECDH X9.63 KDF with SHA-512,"]
    static let acceptedKeyTransport: Set = ["RSA-OAEP with SHA-256", "RSA-OAEP with SHA-384", "RSA-OAEP with SHA-512"]

    /// Sluis's rules for what it opens: AES-256-GCM with a 16-byte tag and a 12-byte nonce;
    /// ECDH only with a SHA-2 KDF; RSA only with OAEP and SHA-2 (docs/crypto.md).
    public func checkAcceptable() throws(BundleError) {
        guard contentEncryption == "aes-256-gcm" else { throw .weakAlgorithm("content encryption \(contentEncryption), expected aes-256-gcm") }
        guard tagLength == 16 else { throw .weakAlgorithm("GCM tag of \(tagLength) bytes, expected 16") }
        guard nonceLength == 12 else { throw .weakAlgorithm("GCM nonce of \(nonceLength) bytes, expected 12") }
        guard !recipients.isEmpty else { throw .malformed("no recipients") }
        for recipient in recipients {
            let algorithm = recipient.keyEncryption
            let strong = Self.acceptedKeyAgreement.contains { algorithm.hasPrefix($0) } || Self.acceptedKeyTransport.contains(algorithm)
            guard strong else { throw .weakAlgorithm("recipient key encryption \(algorithm) is not accepted") }
        }
    }
}
