import COpenSSL
import FoundationEssentials

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
        /// Every algorithm of this recipient outside the allow-list, with the rule (BundleAlgorithms).
        public var findings: [String] = []
        /// The key wrap's OID (key agreement only), for the wrap-versus-cipher rule.
        var keyWrapOID: String? = nil
        /// Key agreement only: the originator's ephemeral public key, e.g. `EC point of 65 bytes,
        /// curve not named (that of the recipient's certificate)`.
        public var ephemeralKey: String? = nil
        /// Key agreement only: the ECDH curve, when the bundle names it or the recipient's
        /// certificate is known (`resolvingCurves`); nil when neither says.
        public var curve: String? = nil
        /// The curve the originator key names in its parameters (RFC 5480 §2.1.1 namedCurve), if it does.
        var ephemeralCurveOID: String? = nil

        /// Whether this recipient info names `certificate` (issuer and serial number).
        public func isIdentified(by certificate: Certificate) -> Bool {
            serialHex != nil && certificate.serialHex == serialHex && certificate.issuer == issuer
        }
    }

    public var format: String
    public var size: Int
    public var contentType: String
    public var contentEncryption: String
    public var tagLength: Int
    public var nonceLength: Int
    public var encryptedContentLength: Int
    public var recipients: [Recipient]
    /// The content type inside the envelope (`data` for Sluis's own bundles).
    public var encryptedContentType: String = "data"
    /// The authenticated attributes' types, by name; nil when authAttrs is absent.
    public var authenticatedAttributes: [String]? = nil
    /// The content cipher's findings (algorithm, nonce, tag) against the allow-list.
    public var contentFindings: [String] = []
    /// Where the structure departs from RFC 5083 §2.1 (not an algorithm: shown, not refused).
    public var conformance: [String] = []

    /// Every algorithm in the bundle outside the allow-list (BundleAlgorithms), each with its rule.
    public var outsideAllowList: [String] { contentFindings + recipients.flatMap(\.findings) }

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
        "1.3.14.3.2.26": "SHA-1",
        "1.2.840.113549.2.5": "MD5",
        "1.2.840.113549.1.9.3": "contentType",
        "1.2.840.113549.1.9.4": "messageDigest",
        "1.2.840.113549.1.9.5": "signingTime",
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
            let innerType = try reader.oid(content[0])
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
            var attributes: [String]?
            if rest < fields.count, fields[rest].tag == 0xA1 {
                attributes = try reader.children(fields[rest]).map { attribute throws in name(try reader.oid(try reader.child(attribute, 0))) }
                rest += 1
            }
            guard rest < fields.count, fields[rest].tag == 0x04 else { throw BundleError.malformed("no authentication tag") }
            let mac = fields[rest].content.count
            guard mac == tag else { throw BundleError.malformed("tag length \(mac) differs from the declared \(tag)") }
            var inspection = BundleInspection(
                format: format, size: size, contentType: "authEnvelopedData", contentEncryption: name(cipher),
                tagLength: tag, nonceLength: nonce, encryptedContentLength: encryptedLength, recipients: recipients)
            inspection.encryptedContentType = name(innerType)
            inspection.authenticatedAttributes = attributes
            inspection.contentFindings = contentFindings(cipher: cipher, nonce: nonce, tag: tag)
            inspection.recipients = try recipients.map { recipient throws in
                var checked = recipient
                if let wrap = recipient.keyWrapOID, let found = BundleAlgorithms.wrapFinding(wrap: wrap, cipher: cipher) {
                    checked.findings.append(found)
                }
                return checked
            }
            // RFC 5083 §2.1: authAttrs MUST be present when the content type is not id-data, and then
            // MUST hold a content-type attribute.
            if innerType != "1.2.840.113549.1.7.1" {
                if attributes == nil {
                    inspection.conformance.append("content type \(name(innerType)) without authAttrs (RFC 5083 §2.1 requires them when it is not id-data)")
                } else if attributes?.contains("contentType") != true {
                    inspection.conformance.append("authAttrs without a content-type attribute (RFC 5083 §2.1)")
                }
            }
            return inspection
        } catch let error as BundleError {
            throw error
        } catch {
            throw BundleError.malformed("truncated or invalid encoding")
        }
    }

    /// The content cipher against the allow-list: AES-256-GCM with a 12-byte nonce and a 16-byte tag.
    private static func contentFindings(cipher: String, nonce: Int, tag: Int) -> [String] {
        var findings: [String] = []
        if let found = BundleAlgorithms.finding(cipher, .contentCipher) { findings.append(found) }
        // RFC 5084 §3.2: the nonce SHOULD be 12 octets; Sluis takes nothing else. The ICV may be 12–16
        // octets; Sluis requires the full 16.
        if nonce != 12 { findings.append("content cipher: GCM nonce of \(nonce) bytes, expected 12 (RFC 5084 §3.2)") }
        if tag != 16 { findings.append("content cipher: GCM tag of \(tag) bytes, expected 16 (RFC 5084 §3.2, full-length ICV)") }
        return findings
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
                if let found = BundleAlgorithms.finding(oid, .keyTransport, shownAs: name(oid)) { recipient.findings.append(found) }
                if oid == "1.2.840.113549.1.1.7" {
                    let oaep = try RSAParameters.read(algorithm, reader, pss: false)
                    recipient.keyEncryption += " with " + name(oaep.hash)
                    if oaep.maskGenerationHash != oaep.hash { recipient.keyEncryption += ", MGF1 with " + name(oaep.maskGenerationHash) }
                    if let found = BundleAlgorithms.finding(oaep.hash, .keyTransportDigest, label: "RSA-OAEP digest") {
                        recipient.findings.append(found)
                    }
                    if let found = BundleAlgorithms.finding(oaep.maskGenerationHash, .keyTransportDigest, label: "RSA-OAEP MGF1 digest") {
                        recipient.findings.append(found)
                    }
                }
                return recipient
            case 0xA1:  // [1] KeyAgreeRecipientInfo
                let fields = try reader.children(node)
                guard let algorithmIndex = fields.firstIndex(where: { $0.tag == 0x30 }), algorithmIndex + 1 < fields.count
                else { throw BundleError.malformed("key agreement recipient") }
                let algorithm = try reader.children(fields[algorithmIndex])
                let agreement = try reader.oid(try algorithm.at(0))
                var keyEncryption = name(agreement)
                var wrapOID: String?
                if algorithm.count > 1, let wrap = try reader.children(algorithm[1]).first {
                    wrapOID = try reader.oid(wrap)
                    keyEncryption += ", " + name(wrapOID!)
                }
                let keys = try reader.children(fields[algorithmIndex + 1])
                guard let first = keys.first else { throw BundleError.malformed("key agreement without keys") }
                var recipient = Recipient(method: "key agreement (ECDH)", keyEncryption: keyEncryption)
                if let found = BundleAlgorithms.finding(agreement, .keyAgreement) { recipient.findings.append(found) }
                try originator(fields, reader, into: &recipient)
                recipient.keyWrapOID = wrapOID
                if wrapOID == nil { recipient.findings.append("key agreement without a key wrap algorithm (RFC 5753 §7.1.5)") }
                try identify(try reader.child(first, 0), reader, into: &recipient)
                return recipient
            default:
                return Recipient(method: "unsupported recipient type", keyEncryption: "—",
                                 findings: ["recipient type other than key transport or key agreement is not accepted (docs/crypto.md)"])
            }
        } catch let error as BundleError {
            throw error
        } catch {
            throw BundleError.malformed("recipient info")
        }
    }

    /// The originator of a KeyAgreeRecipientInfo: RFC 5753 §3.1.1 requires an ephemeral
    /// `originatorKey` (id-ecPublicKey). Its parameters are absent or NULL — the curve is then the
    /// recipient certificate's — or a named curve on the allow-list; explicit curve parameters
    /// are refused (RFC 5480 §2.1.1).
    private static func originator(_ fields: [DERReader.Node], _ reader: DERReader, into recipient: inout Recipient) throws {
        guard let wrapper = fields.first(where: { $0.tag == 0xA0 }), let key = try reader.children(wrapper).first, key.tag == 0xA1 else {
            recipient.findings.append("key agreement originator is not an ephemeral public key: ephemeral-static ECDH is required (RFC 5753 §3.1.1)")
            return
        }
        let parts = try reader.children(key)
        let algorithm = try reader.children(try parts.at(0))
        let point = try parts.at(1)
        guard point.tag == 0x03, point.content.count > 1 else { throw DERReader.Malformed() }
        let keyAlgorithm = try reader.oid(try algorithm.at(0))
        let pointLength = point.content.count - 1  // BIT STRING: the unused-bits octet, then the ECPoint
        guard keyAlgorithm == "1.2.840.10045.2.1" else {
            recipient.ephemeralKey = BundleAlgorithms.name(keyAlgorithm) + " key"
            recipient.findings.append("key agreement ephemeral key \(BundleAlgorithms.name(keyAlgorithm)) is not accepted: an EC key "
                                      + "(id-ecPublicKey) on a curve of the allow-list is required (RFC 5753 §3.1.1, RFC 5480 §2.1.1.1)")
            return
        }
        switch algorithm.count > 1 ? algorithm[1].tag : 0x05 {
        case 0x05:
            recipient.ephemeralKey = "EC point of \(pointLength) bytes, curve not named (that of the recipient's certificate)"
        case 0x06:
            let curve = try reader.oid(algorithm[1])
            recipient.ephemeralCurveOID = curve
            recipient.curve = BundleAlgorithms.name(curve)
            recipient.ephemeralKey = "EC point of \(pointLength) bytes on \(BundleAlgorithms.name(curve))"
            if let found = BundleAlgorithms.finding(curve, .keyAgreementCurve, label: "key agreement curve (ephemeral key)") {
                recipient.findings.append(found)
            }
        default:
            recipient.ephemeralKey = "EC point of \(pointLength) bytes, explicit curve parameters"
            recipient.findings.append("key agreement ephemeral key with explicit curve parameters is not accepted: named curves only (RFC 5480 §2.1.1)")
        }
    }

    /// The inspection with each key agreement recipient's curve taken from its certificate,
    /// where one of `certificates` is that recipient: the curve must be on the allow-list, and an
    /// ephemeral key that names a curve must name the same one (ECDH needs both keys on one curve).
    public func resolvingCurves(_ certificates: [Certificate]) -> BundleInspection {
        var resolved = self
        resolved.recipients = recipients.map { recipient in
            guard recipient.method.hasPrefix("key agreement"),
                  let certificate = certificates.first(where: recipient.isIdentified(by:)) else { return recipient }
            var checked = recipient
            let curve = certificate.curveOID
            checked.curve = curve.map(BundleAlgorithms.name) ?? "unnamed"
            if let found = BundleAlgorithms.curveFinding(certificate) { checked.findings.append(found) }
            if let named = recipient.ephemeralCurveOID, named != curve {
                checked.findings.append("key agreement: the ephemeral key is on \(BundleAlgorithms.name(named)), the recipient's "
                                        + "certificate on \(checked.curve!) — both must be on one curve (RFC 5753 §3.1.1)")
            }
            return checked
        }
        return resolved
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

    private static func nameString(_ der: [UInt8]) -> String? {
        der.withUnsafeBytes { buffer in
            var pointer = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard let name = d2i_X509_NAME(nil, &pointer, buffer.count) else { ERR_clear_error(); return nil }
            defer { X509_NAME_free(name) }
            return Certificate.nameString(name)
        }
    }

    /// Sluis's rules for what it opens and seals: every algorithm on the allow-list
    /// (BundleAlgorithms, docs/crypto.md) — AES-256-GCM with a 16-byte tag and a 12-byte nonce;
    /// ECDH only with a SHA-2 KDF and a key wrap no weaker than the content cipher; RSA only with
    /// OAEP and SHA-2.
    public func checkAcceptable() throws(BundleError) {
        guard !recipients.isEmpty else { throw .malformed("no recipients") }
        if let first = outsideAllowList.first { throw .weakAlgorithm(first) }
    }
}
